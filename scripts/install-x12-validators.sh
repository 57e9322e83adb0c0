#!/usr/bin/env bash
# Installs the independent X12 validator (linuxforhealth-x12, which needs pydantic<2) into its own
# virtualenv, .venv-x12 in the project root, apart from the project's .venv. Idempotent and quiet.
# It always exits 0: without the validator the X12 validation tests skip with a reason (and fail
# under CI=true), so an offline machine says why here instead of breaking the install.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv-x12"
check='import linuxforhealth.x12.io, pydantic; assert pydantic.VERSION.startswith("1.")'

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "$check" >/dev/null 2>&1; then
  exit 0
fi
if ! command -v python3.11 >/dev/null 2>&1; then
  echo "python3.11 not found: cannot create .venv-x12; the X12 validator tests will skip (fail under CI)." >&2
  exit 0
fi
if [ ! -x "$venv/bin/python" ]; then
  python3.11 -m venv "$venv" || {
    echo "Could not create $venv; the X12 validator tests will skip (fail under CI)." >&2
    exit 0
  }
fi
if ! "$venv/bin/pip" install -q --disable-pip-version-check "linuxforhealth-x12==0.57.*" "pydantic<2" >/dev/null 2>"$venv/install.log"; then
  echo "Could not install linuxforhealth-x12 into .venv-x12 (offline? see $venv/install.log);" \
    "the X12 validator tests will skip (fail under CI)." >&2
  exit 0
fi
if ! "$venv/bin/python" -c "$check" >/dev/null 2>&1; then
  echo "linuxforhealth-x12 installed but does not import in .venv-x12; the X12 validator tests will skip (fail under CI)." >&2
fi
exit 0
