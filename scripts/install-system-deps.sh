#!/usr/bin/env bash
# Installs the system libraries medoffice itself needs: Pango and fonts for WeasyPrint's PDFs.
# As root it uses apt-get; otherwise it says what is missing and PDFs fail with a clear error.
set -uo pipefail
need=()
ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so" || need+=(libpango-1.0-0)
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so" || need+=(libpangoft2-1.0-0)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages for PDFs: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || true
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || {
    echo "apt-get could not install ${need[*]}; printing PDFs will fail until they are installed." >&2
  }
else
  echo "Not root: install ${need[*]} for PDFs (receipts, forms, notes)." >&2
fi
exit 0
