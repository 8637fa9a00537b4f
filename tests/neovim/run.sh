#!/usr/bin/env bash
# Runs the Neovim client test: `tests/neovim/run.sh [path/to/notes-lsp.dll]`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
server=${1:-$root/server/NotesLsp.Server/bin/Release/net10.0/notes-lsp.dll}
workspace=$(mktemp -d)
out=$(mktemp)
trap 'rm -rf "$workspace" "$out"' EXIT
cp "$root"/examples/*.md "$workspace/"
NOTES_SERVER_DLL=$server NOTES_WORKSPACE=$workspace NOTES_NVIM_OUT=$out \
  timeout 120 nvim --headless --clean -u NONE -c "luafile $here/outline.lua"
expected_prefix="Montag Vormittag 5:0-22:41
  Predictive attribution 6:0-8:82
  NN operator learning 9:0-12:37
  Strategic Learning & behaviour 13:0-22:41
Montag Nachmittag 23:0-46:41"
if [ "$(head -5 "$out")" != "$expected_prefix" ]; then
  echo "neovim: unexpected outline:" >&2; cat "$out" >&2; exit 1
fi
if ! grep -q '^diagnostic 1:' "$out"; then
  echo "neovim: no diagnostic on line 2 of the broken note:" >&2; cat "$out" >&2; exit 1
fi
check() {
  if ! grep -qxF -- "$1" "$out"; then
    echo "neovim: expected the line '$1' in:" >&2; cat "$out" >&2; exit 1
  fi
}
if ! grep -q '^completion .*\bML\b' "$out" || grep -q '^completion .*\breading-list\b' "$out"; then
  echo "neovim: tag completion should offer ML and not the tag already in the list:" >&2; cat "$out" >&2; exit 1
fi
check "hover Privacy Preserving Adaptive Experiment Design"
check "prepareRename 2:7-2:19"
check "renamed tags: [to-read, ]"
echo "neovim: 4 passed, 0 failed (outline, diagnostics, completion, hover, rename)"
