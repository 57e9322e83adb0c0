#!/usr/bin/env bash
# Serves medoffice with its background-job worker and the payer simulator beside it; Ctrl-C stops all.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
payer_sim_port=${MEDOFFICE_PAYER_SIM_PORT:-8787}
bin=.venv/bin
"$bin/medoffice" worker --interval 1 &
worker=$!
# The payer simulator answers the demo practice's eligibility checks (CAQH CORE on loopback).
sim_config=${MEDOFFICE_DATA_DIR:-var}/payer-sim.json
sim_args=()
[ -f "$sim_config" ] && sim_args=(--config "$sim_config")
"$bin/medoffice" payer-sim --host 127.0.0.1 --port "$payer_sim_port" "${sim_args[@]}" &
payer_sim=$!
trap 'kill "$worker" "$payer_sim" 2>/dev/null || true' EXIT INT TERM
echo "medoffice: serving http://$host:$port/ (worker pid $worker," \
  "payer simulator http://127.0.0.1:$payer_sim_port/core pid $payer_sim). Ctrl-C stops."
"$bin/gunicorn" medoffice.config.wsgi --bind "$host:$port" --workers 2 --threads 4 \
  --access-logfile - --access-logformat '%(h)s "%(m)s %(U)s" %(s)s %(M)sms'
