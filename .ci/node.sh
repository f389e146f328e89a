# Sourced by .ci/run (and usable by hand: `source .ci/node.sh`): puts Node.js 24 LTS first on PATH when the
# machine's Node is older, as a setup-node step would. Node comes from the npm registry's `node-linux-<arch>`
# package, cached under ~/.cache/tenantry between runs.
TENANTRY_NODE_MAJOR=24
tenantry_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(tenantry_node_major)" -lt "$TENANTRY_NODE_MAJOR" ]; then
  case "$(uname -m)" in
    x86_64) tenantry_arch=x64 ;;
    aarch64) tenantry_arch=arm64 ;;
    *) echo "no Node $TENANTRY_NODE_MAJOR package for $(uname -m)" >&2; exit 1 ;;
  esac
  tenantry_cache="${TENANTRY_NODE_CACHE:-$HOME/.cache/tenantry/node-$TENANTRY_NODE_MAJOR}"
  tenantry_bin="$tenantry_cache/node_modules/node-linux-$tenantry_arch/bin"
  if [ ! -x "$tenantry_bin/node" ]; then
    echo "node: installing Node $TENANTRY_NODE_MAJOR (node-linux-$tenantry_arch) into $tenantry_cache"
    mkdir -p "$tenantry_cache"
    (cd "$tenantry_cache" && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "node-linux-$tenantry_arch@$TENANTRY_NODE_MAJOR")
  fi
  export PATH="$tenantry_bin:$PATH"
fi
echo "node: $(node --version) ($(command -v node)), npm $(npm --version)"
