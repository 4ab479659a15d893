#!/bin/sh
# Fail if any C source uses a function the project bans (cf. curl's
# checksrc): unbounded copies and formatting, non-reentrant tokenising,
# unchecked number parsing, and gets.
set -eu
root=${1:-$(dirname "$0")/..}
pattern='\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|atoll|gets)[[:space:]]*\('
files=$(find "$root" -path "$root/build*" -prune -o \( -name '*.c' -o -name '*.h' \) -print)
# shellcheck disable=SC2086
if hits=$(grep -nE "$pattern" $files); then
  echo "banned functions used (use snprintf, memcpy with a bound, strtol, strtok_r):" >&2
  echo "$hits" >&2
  exit 1
fi
echo "check-banned: ok ($(echo "$files" | wc -l) files)"
