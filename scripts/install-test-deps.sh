#!/usr/bin/env bash
# Installs the system packages the tests need. As root it uses apt-get; otherwise the tests
# that need a missing package skip with a reason (and fail under CI=true).
set -uo pipefail
bash "$(dirname "$0")/install-x12-validators.sh"
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages for the tests: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || true
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || {
    echo "apt-get could not install ${need[*]}; the tests that need them will skip (fail under CI)." >&2
  }
else
  echo "Not root: cannot install ${need[*]}; the tests that need them will skip (fail under CI)." >&2
fi
exit 0
