#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium for browser tests, gettext for the catalogue
# check, Pango, HarfBuzz's font subsetter (without it WeasyPrint falls back to a much slower
# one) and fonts for PDF rendering, Node.js/npm for the accessibility audit (axe-core).
# Installs what is missing when running as root; otherwise says exactly what to install.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client)
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done

source "$(dirname "$0")/apt-install.sh"
install_missing "for the tests" 1 ${missing[@]+"${missing[@]}"}
