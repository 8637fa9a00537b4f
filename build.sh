#!/usr/bin/env bash
# Builds everything (server, and the VS Code extension packages when Node is available), then runs the main
# job on the bundled example notes: a scripted LSP session against the real server binary.
# Packages: this machine's platform (.vsix with a native server, no .NET needed) and the universal one
# (needs .NET). `./build.sh --all-targets` builds every platform's package (what CI checks).
set -euo pipefail
cd "$(dirname "$0")"
targets=host
for arg in "$@"; do
  case "$arg" in
    --all-targets) targets=all ;;
    *) echo "unknown option: $arg (known: --all-targets)" >&2; exit 2 ;;
  esac
done

echo "== building the server (Release)"
dotnet build NotesLsp.sln -c Release -warnaserror -nologo -v quiet

if [ -f package.json ] && command -v npm >/dev/null 2>&1 && grep -q '"package"' package.json; then
  echo "== building the VS Code extension packages (.vsix, targets: $targets) into out/vsix/"
  npm ci --no-audit --no-fund
  npm run package -- --targets "$targets"
fi

echo "== the server on examples/: initialize -> notes/status -> documentSymbol -> workspace/symbol -> shutdown"
dotnet bench/NotesLsp.Bench/bin/Release/net10.0/notes-lsp-bench.dll demo examples icml2024-talk-notes.md

echo "== notes-lsp check examples/ (the editor's diagnostics, from a terminal)"
dotnet server/NotesLsp.Server/bin/Release/net10.0/notes-lsp.dll check examples && echo "examples/: no problems found"
