#!/usr/bin/env bash
# Holds the node's HTTP API to its OpenAPI document: starts a real node (`accord serve` on
# loopback, a port the node picks and reports, a fresh data directory), runs schemathesis
# against crates/node/openapi.json with a bounded number of examples per operation, stops the
# node, and exits non-zero if any check fails.
#
# Environment: ACCORD_BIN (an `accord` binary already built; default: build target/debug/accord),
# SCHEMATHESIS_EXAMPLES (examples per operation, default 40), SCHEMATHESIS_SEED
# (default 1, so a run is reproducible), SCHEMATHESIS_VENV (where schemathesis is installed,
# default target/schemathesis), SCHEMATHESIS_REPORT (report directory, default
# target/schemathesis-report).
set -euo pipefail
cd "$(dirname "$0")/.."

examples="${SCHEMATHESIS_EXAMPLES:-40}"
seed="${SCHEMATHESIS_SEED:-1}"
venv="${SCHEMATHESIS_VENV:-target/schemathesis}"
report="${SCHEMATHESIS_REPORT:-target/schemathesis-report}"

# schemathesis from PyPI, in its own virtual environment.
if [ ! -x "$venv/bin/schemathesis" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet schemathesis
fi

accord="${ACCORD_BIN:-}"
if [ -z "$accord" ]; then
  cargo build --locked --bin accord
  accord="target/debug/accord"
fi

data="$(mktemp -d)"
node_pid=""
stop_node() {
  if [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null; then
    kill "$node_pid"
    wait "$node_pid" 2>/dev/null || true
  fi
  rm -rf "$data"
}
trap stop_node EXIT

# Port 0: the node binds a free port and writes its URL to node.json.
"$accord" serve --party US --data "$data" --listen 127.0.0.1:0 >"$data/serve.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 600); do
  if [ -s "$data/node.json" ] || ! kill -0 "$node_pid" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
if [ ! -s "$data/node.json" ]; then
  echo "the node did not start:" >&2
  cat "$data/serve.log" >&2
  exit 1
fi
url="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["url"])' "$data/node.json")"
echo "node US at $url"

status=0
# Every check runs (schemathesis's default), with the exceptions .ci/schemathesis.toml gives
# per operation and says why; `--checks all` would override them.
"$venv/bin/schemathesis" --config-file .ci/schemathesis.toml run crates/node/openapi.json \
  --url "$url" \
  --max-examples "$examples" \
  --seed "$seed" \
  --workers 1 \
  --request-timeout 10 \
  --report junit --report-dir "$report" \
  || status=$?

if ! kill -0 "$node_pid" 2>/dev/null; then
  echo "the node exited during the run:" >&2
  cat "$data/serve.log" >&2
  status=1
fi
exit "$status"
