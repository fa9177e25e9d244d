#!/usr/bin/env bash
# Bytes per call-ledger entry in Redis (issue #21, "bytes per entry in Redis"): runs RedisLedgerTest.bytesPerEntry,
# which writes 500 typical entries (a placed call with its url, idempotency key, request and trace ids, four signed
# callbacks with sequence numbers and idempotency tokens, and the final details) into a redis-server on loopback,
# sums MEMORY USAGE (SAMPLES 0) over every ledger key (hashes, call-SID keys, indexes) and divides by 500.
# Prints one line. Needs redis-server on the PATH and the project's Maven repository (runs offline).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v redis-server >/dev/null 2>&1 || { echo "redis-server is needed on the PATH" >&2; exit 1; }
./mvnw -B -ntp -o -q test -Dtest='RedisLedgerTest#bytesPerEntry' -Dsurefire.failIfNoSpecifiedTests=false 2>&1 \
    | grep '^Redis ledger:' || { echo "the measurement did not run" >&2; exit 1; }
echo "$(redis-server --version | cut -d' ' -f1-3)" >&2
