#!/usr/bin/env bash
# Builds the Harn VS Code extension: installs the locked npm dependencies (npm ci), type-checks and
# bundles src/extension.ts with esbuild into out/extension.js, and packages the .vsix with
# @vscode/vsce.
#
# Usage: editors/vscode/build.sh [OUT_DIR]   (default: this directory)
# Prints the path of the .vsix on its last line.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out_dir="${1:-$here}"
mkdir -p "$out_dir"
out_dir="$(cd "$out_dir" && pwd)"
cd "$here"

# CI-style non-interactive npm: never prompt, no audit/fund chatter.
export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

# `npm ci` reinstalls from scratch (about a minute); skip it when node_modules/ was installed
# from this very lock file by this Node.js. HARN_VSCODE_FORCE_CI=1 always reinstalls.
stamp_file=node_modules/.harn-install-stamp
stamp="$(node -p 'require("crypto").createHash("sha256").update(require("fs").readFileSync("package-lock.json")).digest("hex") + " " + process.version')"
if [[ "${HARN_VSCODE_FORCE_CI:-}" == 1 || ! -f "$stamp_file" || "$(cat "$stamp_file")" != "$stamp" ]]; then
  npm ci --no-audit --no-fund
  echo "$stamp" > "$stamp_file"
fi
npx --no-install tsc -p . --noEmit
npm run --silent bundle

name="$(node -p 'const p = require("./package.json"); p.name + "-" + p.version')"
vsix="$out_dir/$name.vsix"
# `vsce package` runs the `vscode:prepublish` script (the esbuild bundle) again itself.
npx --no-install vsce package --allow-missing-repository --skip-license --out "$vsix"
echo "$vsix"
