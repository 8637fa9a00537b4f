#!/usr/bin/env bash
# Builds everything (server, and the VS Code extension .vsix when Node is available), then runs the main
# job on the bundled example notes: a scripted LSP session against the real server binary.
set -euo pipefail
cd "$(dirname "$0")"

echo "== building the server (Release)"
dotnet build NotesLsp.sln -c Release -warnaserror -nologo -v quiet

if [ -f package.json ] && command -v npm >/dev/null 2>&1 && grep -q '"package"' package.json; then
  echo "== building the VS Code extension (.vsix)"
  npm ci --no-audit --no-fund
  npm run package
fi

echo "== the server on examples/: initialize -> documentSymbol -> workspace/symbol -> shutdown"
dotnet bench/NotesLsp.Bench/bin/Release/net10.0/notes-lsp-bench.dll demo examples icml2024-talk-notes.md

echo "== notes-lsp check examples/ (the editor's diagnostics, from a terminal)"
dotnet server/NotesLsp.Server/bin/Release/net10.0/notes-lsp.dll check examples && echo "examples/: no problems found"
