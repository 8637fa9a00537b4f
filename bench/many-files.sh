#!/usr/bin/env bash
# 100,000 notes in one folder, through the same WorkspaceScanner the server's start-up scan uses (via
# `notes-lsp check`). Too slow for CI: creating the files alone takes over a minute on a shared 2-core box.
# Usage: bench/many-files.sh [count]   (builds the server in Release first)
set -euo pipefail
count="${1:-100000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$(mktemp -d -t notes-lsp-many-XXXXXX)"
trap 'rm -rf "$dir"' EXIT
dotnet build "$root/server/NotesLsp.Server" -c Release -v q --nologo >/dev/null
mkdir -p "$dir/flat"
start=$(date +%s.%N)
( cd "$dir/flat" && for ((i = 0; i < count; i++)); do printf -- '---\ntitle: n%d\n---\n# x\n' "$i" > "n$i.md"; done )
created=$(date +%s.%N)
set +e
/usr/bin/time -f '%e s, %M KB max RSS' "$root/server/NotesLsp.Server/bin/Release/net10.0/notes-lsp" check "$dir" > /dev/null
code=$?
set -e
echo "created $count files in $(echo "$created - $start" | bc) s; check exit code $code"
