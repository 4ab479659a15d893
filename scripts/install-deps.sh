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
  zlib1g-dev
  libjansson-dev
  libxml2-dev
  libsodium-dev
  libmicrohttpd-dev
  libcmocka-dev
  liblinear-dev
  libvectorscan-dev
  libtesseract-dev
  libleptonica-dev
  libpq-dev
  tesseract-ocr-ind
  tesseract-ocr-eng
  tesseract-ocr
  sqlite3
  jq
  curl
  clang-format
"

# `--test` adds what the tests need beyond the build: the browser test's
# Chromium and Node.js (and playwright-core from npm), Chart.js for the web
# app's charts, wrk for the web benchmark, openssl to check a dossier's
# signed audit checkpoint as an inspector would, Noto Color Emoji so
# that the browser draws the emoji of posts (a hand sign is evidence), and
# Debian's PostgreSQL server (the store's tests start their own in a
# temporary directory).
TEST=no
[ "${1:-}" = "--test" ] && TEST=yes
# `--fuzz` adds clang, for `make fuzz` (libFuzzer).
[ "${1:-}" = "--fuzz" ] && PACKAGES="$PACKAGES clang"
if [ "$TEST" = yes ]; then
  PACKAGES="$PACKAGES chromium libjs-chart.js wrk openssl fonts-noto-color-emoji postgresql"
fi
PACKAGES="$PACKAGES libjs-chart.js"

missing=""
for p in $PACKAGES; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done

if [ "$TEST" = yes ] && ! command -v node >/dev/null 2>&1; then
  missing="$missing nodejs"
fi
if [ "$TEST" = yes ] && ! command -v npm >/dev/null 2>&1; then
  missing="$missing npm"
fi

browser_modules() {
  [ "$TEST" = yes ] || return 0
  dir=$(cd "$(dirname "$0")/.." && pwd)/tests/browser
  if [ ! -d "$dir/node_modules/playwright-core" ]; then
    echo "install-deps: npm ci in tests/browser (playwright-core)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

if [ -z "$missing" ]; then
  browser_modules
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
# Chromium with what it recommends (fonts and the like, for the headless
# browser test); everything else without.
rest=""
browser=""
for p in $missing; do
  case "$p" in
    chromium) browser="chromium" ;;
    *) rest="$rest $p" ;;
  esac
done
if [ -n "$rest" ]; then
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $rest
fi
if [ -n "$browser" ]; then
  $SUDO apt-get install -y -qq "$browser"
fi
browser_modules
