#!/usr/bin/env bash
# `make security`: sqlmap and wapiti against the demo desk on 127.0.0.1 (see
# src/protectdesk/benchmarks/security.py). Installs both from Debian when running as root
# (as scripts/system-deps.sh does); otherwise says exactly what to install.
set -euo pipefail

missing=()
command -v sqlmap >/dev/null 2>&1 || missing+=(sqlmap)
command -v wapiti >/dev/null 2>&1 || missing+=(wapiti)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "make security needs these Debian packages: ${missing[*]}" >&2
    echo "Install them with:  sudo apt-get install ${missing[*]}" >&2
    exit 2
  fi
fi

# A data directory of its own, made afresh: the scanners write hundreds of records.
exec .venv/bin/python -m protectdesk.benchmarks.security --data-dir "${SECURITY_DATA_DIR:-var/security}" "$@"
