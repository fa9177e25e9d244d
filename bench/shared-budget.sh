#!/usr/bin/env bash
# The shared Twilio budget's cost (issue #14, "Shared-budget overhead: at most 1 ms p50 added to an upstream request
# with Redis on loopback"): the stand-in answering at once (0 ms), a redis-server on loopback, and the packaged service
# twice, without REDIS_URL and with it (each Twilio request then takes and gives back a lease in Redis). make_calls are
# timed one at a time, alternately through both, so drift weighs on both alike; prints one Markdown row.
# Needs redis-server on the PATH. BENCH_QUICK=1: a few iterations; BENCH_SKIP_BUILD=1 uses the jar in target/.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICE_JAVA_OPTS="${SERVICE_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -Xss512k -XX:TrimNativeHeapInterval=1000}"
ACCOUNT=AC0123456789abcdef0123456789abcdef
KEY=bench-service-key
# shellcheck source=bench/common.sh
source bench/common.sh
command -v redis-server >/dev/null 2>&1 || { echo "redis-server is needed on the PATH" >&2; exit 1; }

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f target/quarkus-app/quarkus-run.jar ]; then
    echo "building the jar…" >&2
    ./mvnw -B -q package -DskipTests >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
fi

STANDIN_PORT="$(free_port)"
java -Xmx512m -XX:+UseParallelGC bench/src/TwilioStandIn.java "$STANDIN_PORT" 0 >"$WORK/standin.log" 2>&1 &
PIDS+=("$!")
REDIS_PORT="$(free_port)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
PIDS+=("$!")
wait_for "http://127.0.0.1:$STANDIN_PORT/__stats" 60

start_service() { # port, extra environment…
    local port="$1"; shift
    # shellcheck disable=SC2086
    env TWILIO_BASE_URL="http://127.0.0.1:$STANDIN_PORT" TWILIO_ACCOUNT_SID="$ACCOUNT" TWILIO_AUTH_TOKEN=bench-token \
        SERVICE_API_KEYS="$KEY" QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 "$@" \
        MALLOC_ARENA_MAX="${SERVICE_MALLOC_ARENA_MAX:-2}" java $SERVICE_JAVA_OPTS -jar target/quarkus-app/quarkus-run.jar >"$WORK/service-$port.log" 2>&1 &
    PIDS+=("$!")
}
LOCAL_PORT="$(free_port)"
SHARED_PORT="$(free_port)"
start_service "$LOCAL_PORT"
start_service "$SHARED_PORT" REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
wait_for "http://127.0.0.1:$LOCAL_PORT/q/health/ready" 120
wait_for "http://127.0.0.1:$SHARED_PORT/q/health/ready" 120

java -Xmx256m bench/src/SharedBudgetBench.java "http://127.0.0.1:$LOCAL_PORT" "http://127.0.0.1:$SHARED_PORT" \
    "$ACCOUNT" "$KEY" "$REDIS_PORT"
echo "$(nproc) cores, $(java -version 2>&1 | head -1), service JVM flags: $SERVICE_JAVA_OPTS" >&2
