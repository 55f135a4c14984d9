#!/usr/bin/env bash
# axe-core for the accessibility audit, from the npm registry, pinned by package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/../tests/e2e"
if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --silent
fi
