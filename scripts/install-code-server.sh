#!/usr/bin/env bash
# Installs a real VS Code for the integration tests: code-server (VS Code's server and web
# workbench, with the real Node extension host) plus Debian's Chromium, which the test
# runner drives through playwright-core. Needs only the npm registry and Debian's packages.
# Idempotent: re-running once everything is installed is a no-op.
#   CS_VERSION       code-server version. 4.100.3 (= VS Code 1.100.3) is the last one that
#                    runs on Node 20, and the default.
#   CODE_SERVER_DIR  install dir, outside the project
#                    (default ~/.cache/policy-facts-e2e/code-server-$CS_VERSION)
set -euo pipefail
CS_VERSION="${CS_VERSION:-4.100.3}"
DEST="${CODE_SERVER_DIR:-$HOME/.cache/policy-facts-e2e/code-server-$CS_VERSION}"
PKG="$DEST/node_modules/code-server"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
step() { echo "[install-code-server] +${SECONDS}s $*"; }

# 1) Debian packages: Kerberos headers (the native module 'kerberos' is built from source),
#    ripgrep (stands in for @vscode/ripgrep's download), Chromium (the browser the tests
#    drive) and a colour-emoji font (emoji in hover cards otherwise render as boxes).
need=()
[ -e /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
command -v rg >/dev/null || need+=(ripgrep)
command -v chromium >/dev/null || need+=(chromium)
dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || need+=(fonts-noto-color-emoji)
if [ ${#need[@]} -gt 0 ]; then
  step "apt-get install ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
step "Debian packages present"

if [ -f "$PKG/out/node/entry.js" ] && [ -f "$DEST/.installed" ]; then
  step "code-server $CS_VERSION already installed in $DEST"
  exit 0
fi
mkdir -p "$DEST"
cd "$DEST"
[ -f package.json ] || echo '{"name":"policy-facts-code-server","private":true}' > package.json

# 2) Fetch the package tree WITHOUT running install scripts (they would download from
#    outside the npm registry).
step "npm install --ignore-scripts code-server@$CS_VERSION"
npm install --ignore-scripts --no-audit --no-fund "code-server@$CS_VERSION"

want_major="$(node -p 'require("./node_modules/code-server/package.json").engines.node.replace(/[^0-9].*$/, "")')"
have_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$want_major" != "$have_major" ]; then
  echo "code-server $CS_VERSION wants Node $want_major, this is Node $have_major; use CS_VERSION=4.100.3 with Node 20" >&2
  exit 1
fi

# 3) VS Code 1.100 depends on @vscode/ripgrep, whose postinstall downloads rg. Seed its
#    download cache with Debian's rg so it reports "Using cached download" instead.
RG_PKG_VERSION="$(node -p 'const p=require("./node_modules/code-server/lib/vscode/npm-shrinkwrap.json").packages["node_modules/@vscode/ripgrep"]; p ? p.version : ""')"
if [ -n "$RG_PKG_VERSION" ]; then
  RG_TMP="$(mktemp -d)"
  ( cd "$RG_TMP" && npm pack --silent "@vscode/ripgrep@$RG_PKG_VERSION" >/dev/null && tar xzf ./*.tgz )
  RG_TAG="$(sed -n "s/^const VERSION = '\(.*\)';/\1/p" "$RG_TMP/package/lib/postinstall.js")"
  RG_CACHE="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-$RG_PKG_VERSION"
  mkdir -p "$RG_CACHE" "$RG_TMP/bin"
  cp "$(command -v rg)" "$RG_TMP/bin/rg"
  tar -C "$RG_TMP/bin" -czf "$RG_CACHE/ripgrep-$RG_TAG-x86_64-unknown-linux-musl.tar.gz" rg
  rm -rf "$RG_TMP"
  step "seeded the ripgrep download cache with Debian's rg"
fi

# 4) Now run the install scripts: argon2 and code-server's postinstall (VS Code's own
#    dependencies plus native builds of kerberos, spdlog, node-pty, ...).
#    npm_config_unsafe_perm=true: the postinstall refuses to run as root without it.
#    npm_config_yes=true: node-pty runs `npx node-gyp`, which cancels when npx may not ask.
step "npm rebuild (install scripts, native builds)"
npm_config_unsafe_perm=true npm_config_yes=true npm rebuild --no-audit --no-fund

node "$PKG/out/node/entry.js" --config "$DEST/config.yaml" --version
touch "$DEST/.installed"
step "code-server $CS_VERSION installed in $DEST ($(du -sh "$DEST" | cut -f1))"
