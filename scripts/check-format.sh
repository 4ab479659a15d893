#!/bin/sh
# Fail if any C source differs from what .clang-format asks for.
set -eu
root=${1:-$(dirname "$0")/..}
cd "$root"
files=$(find . -path ./build -prune -o -path './build-*' -prune -o \( -name '*.c' -o -name '*.h' \) -print)
# shellcheck disable=SC2086
clang-format --dry-run -Werror $files
echo "check-format: ok ($(echo "$files" | wc -l) files)"
