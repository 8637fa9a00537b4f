#!/usr/bin/env bash
# `npm run test:e2e:native`: the end-to-end test (scripts/e2e.mjs, unchanged steps) against the linux-x64
# package, with no .NET visible to VS Code or to the extension host. Runs in a private mount namespace
# (unshare) in which every .NET install folder the extension knows (/usr/share/dotnet, /usr/lib/dotnet,
# /usr/local/share/dotnet, /opt/dotnet, ~/.dotnet) is covered by an empty folder, so /usr/bin/dotnet
# dangles; DOTNET_ROOT is unset and PATH has no dotnet. The extension host re-reads the login shell's
# PATH, so that is checked too. The framework-dependent server cannot start here: diagnostics,
# completion and hover working proves the bundled native server ran.
#
# Usage: scripts/e2e-native.sh [VSIX]   (default: builds it with scripts/package.mjs --target linux-x64)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${NOTES_E2E_NATIVE_INSIDE:-}" != 1 ]; then
  vsix="${1:-}"
  if [ -z "$vsix" ]; then
    vsix="$(mktemp -d /tmp/notes-e2e-native-XXXXXX)/notes-lsp-linux-x64.vsix"
    echo "[e2e-native] building $vsix"
    node scripts/package.mjs --target linux-x64 --out "$vsix" >/dev/null
  fi
  # The toolchain check of e2e.mjs may install apt packages: do it before .NET is hidden (it needs none).
  bash scripts/e2e-setup.sh
  exec unshare --mount --propagation private env NOTES_E2E_NATIVE_INSIDE=1 "$0" "$(realpath "$vsix")"
fi

vsix="$1"
empty="$(mktemp -d /tmp/notes-no-dotnet-XXXXXX)"
for dir in /usr/share/dotnet /usr/lib/dotnet /usr/local/share/dotnet /opt/dotnet "$HOME/.dotnet"; do
  if [ -d "$dir" ]; then
    mount --bind "$empty" "$dir"
    echo "[e2e-native] hidden: $dir"
  fi
done
unset DOTNET_ROOT DOTNET_ROOT_X64 DOTNET_HOST_PATH MSBuildExtensionsPath MSBUILD_EXE_PATH
PATH="$(printf '%s' "$PATH" | tr ':' '\n' | grep -v -i dotnet | paste -sd: -)"
export PATH

# The proof that .NET is out of reach, as the extension looks for it: PATH, the login shell's PATH,
# and the install folders.
fail=0
if command -v dotnet >/dev/null 2>&1; then echo "[e2e-native] dotnet is still on PATH: $(command -v dotnet)" >&2; fail=1; fi
if "${SHELL:-/bin/bash}" -ilc 'command -v dotnet' >/dev/null 2>&1; then echo "[e2e-native] the login shell still finds dotnet" >&2; fail=1; fi
for exe in /usr/share/dotnet/dotnet /usr/lib/dotnet/dotnet /usr/local/share/dotnet/dotnet /snap/bin/dotnet "$HOME/.dotnet/dotnet" /usr/bin/dotnet; do
  if [ -f "$exe" ]; then echo "[e2e-native] $exe is still there" >&2; fail=1; fi
done
if [ "$fail" -ne 0 ]; then
  echo "0 passed, 1 failed"
  exit 1
fi
echo "[e2e-native] no .NET visible (PATH, login shell, install folders); running the end-to-end test"
exec node scripts/e2e.mjs --vsix "$vsix"
