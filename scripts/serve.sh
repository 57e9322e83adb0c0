#!/usr/bin/env bash
# Serves medoffice with its background-job worker beside it; Ctrl-C stops both.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
bin=.venv/bin
"$bin/medoffice" worker --interval 1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo "medoffice: serving http://$host:$port/ (worker pid $worker). Ctrl-C stops."
"$bin/gunicorn" medoffice.config.wsgi --bind "$host:$port" --workers 2 --threads 4 \
  --access-logfile - --access-logformat '%(h)s "%(m)s %(U)s" %(s)s %(M)sms'
