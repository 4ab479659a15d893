#!/bin/sh
# Install the Debian 12 packages Netra needs to build and test, but only the
# ones that are missing, and run `apt-get update` at most once. Works as root
# or through sudo. Used by `make demo` and `make test`.
set -eu

PACKAGES="
  build-essential
  cmake
  pkg-config
  libcurl4-openssl-dev
  libpcre2-dev
  libicu-dev
  libsqlite3-dev
  libjansson-dev
  libxml2-dev
  libsodium-dev
  libmicrohttpd-dev
  libcmocka-dev
  sqlite3
  jq
  curl
  clang-format
"

missing=""
for p in $PACKAGES; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done

if [ -z "$missing" ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "install-deps: missing packages:$missing" >&2
  echo "install-deps: run as root or install sudo" >&2
  exit 1
fi

echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
