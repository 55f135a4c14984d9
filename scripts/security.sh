#!/usr/bin/env bash
# `make security`: sqlmap and wapiti against the demo desk on 127.0.0.1 (see
# src/protectdesk/benchmarks/security.py). Installs both from Debian when running as root
# (as scripts/system-deps.sh does); otherwise says exactly what to install.
set -euo pipefail

missing=()
command -v sqlmap >/dev/null 2>&1 || missing+=(sqlmap)
command -v wapiti >/dev/null 2>&1 || missing+=(wapiti)
source "$(dirname "$0")/apt-install.sh"
install_missing "for make security" 2 ${missing[@]+"${missing[@]}"}

# A data directory of its own, made afresh: the scanners write hundreds of records.
exec .venv/bin/python -m protectdesk.benchmarks.security --data-dir "${SECURITY_DATA_DIR:-var/security}" "$@"
