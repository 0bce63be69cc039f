#!/usr/bin/env bash
# Re-record HTTP cassettes from the REAL embedded model (never by hand).
#
#   scripts/record-cassettes.sh                          # record missing cassettes (once)
#   scripts/record-cassettes.sh --rewrite                # re-record every cassette from scratch
#   scripts/record-cassettes.sh [--rewrite] tests/test_x.py::test_y ...   # only these tests
#
# Starts the embedded llama.cpp server (claimcheck.llm.backends.local.EmbeddedBackend), exports
# its address as CLAIMCHECK_RECORD_BASE_URL (read by the `recorded_llm` fixture in
# tests/conftest.py), runs the selected @pytest.mark.vcr tests with --record-mode=once or
# rewrite, then stops the server. PYTHON picks the interpreter (default: .venv/bin/python if
# present, else python3). Review `git diff tests/cassettes` before committing: cassettes must
# never contain seed article text or secrets (tests/test_secrets.py checks the latter).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=once
if [[ "${1:-}" == "--rewrite" ]]; then
    mode=rewrite
    shift
fi
if [[ -z "${PYTHON:-}" ]]; then
    if [[ -x .venv/bin/python ]]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi

# A real key must not be sent anywhere while recording, nor end up in a cassette.
unset OPENAI_API_KEY OPENAI_BASE_URL OPENAI_ORG_ID OPENAI_PROJECT_ID CLAIMCHECK_MODEL

echo "record-cassettes: starting the embedded model server ($PYTHON)"
coproc SERVER {
    "$PYTHON" -c '
import sys
from claimcheck.llm.backends.local import EmbeddedBackend
with EmbeddedBackend() as backend:
    print(backend.base_url, round(backend.cold_start_seconds, 1), flush=True)
    sys.stdin.read()
'
}
server_pid=$SERVER_PID
stop_server() {
    # Closing the helper's stdin makes it leave the with-block, which stops the server.
    if [[ -n "${SERVER[1]:-}" ]]; then exec {SERVER[1]}>&-; fi
    wait "$server_pid" 2>/dev/null || true
    echo "record-cassettes: server stopped"
}
trap stop_server EXIT

if ! read -r base_url cold <&"${SERVER[0]}"; then
    echo "record-cassettes: the embedded server did not start (see the log under the cache dir)" >&2
    exit 1
fi
echo "record-cassettes: server at $base_url (cold start ${cold}s); recording with --record-mode=$mode"

export CLAIMCHECK_RECORD_BASE_URL="$base_url"
if [[ $# -eq 0 ]]; then
    set -- tests
fi
# Only cassette tests: the rest never touch the model and gain nothing from running here.
"$PYTHON" -m pytest -p no:cacheprovider -m vcr --record-mode="$mode" "$@"
