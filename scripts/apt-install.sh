# Sourced by scripts/system-deps.sh and scripts/security.sh:
#   install_missing "<who needs them>" <exit status if they cannot be installed> [package ...]
# Installs the missing Debian packages when running as root; otherwise says exactly what to
# install and exits with the given status. Nothing missing: does nothing.
install_missing() {
  local who="$1" status="$2"
  shift 2
  [ $# -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: $*"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  else
    echo "Missing Debian packages ($who): $*" >&2
    echo "Install them with:  sudo apt-get install $*" >&2
    exit "$status"
  fi
}
