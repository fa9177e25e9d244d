#!/usr/bin/env bash
# The overload benchmark (issue #14): builds the jar, starts the Twilio stand-in (every answer after LATENCY_MS,
# default 50) and the service against it (-Xmx128m, the default bound of 32 Twilio requests per account), both on
# free loopback ports, then runs bench/src/OverloadDriver.java: the capacity of list_calls (page of 50 with
# recordings), then 1×, 1.25× and 2× of it offered at a fixed rate (open loop), OVERLOAD_SECONDS (default 10) each.
# Prints one Markdown table; about a minute and a half. Stops by itself; kills what it started.
# OVERLOAD_QUICK=1: 2 s per phase (CI checks the benchmark that way). BENCH_SKIP_BUILD=1 uses the jar already in
# target/quarkus-app; OVERLOAD_JAR=<path to quarkus-run.jar> measures another build (e.g. an earlier commit's).
# Exits non-zero when a rate_limited answer has no Retry-After. JVM flags of the service: SERVICE_JAVA_OPTS, by default
# G1 with a 20 ms pause goal: under overload the 128 MB heap fills with waiting work, and the serial collector's full
# collections (60-75 ms each) then set the p99 of every answer, refusals included (docs/performance.md#overload).
set -euo pipefail
cd "$(dirname "$0")/.."

LATENCY_MS="${LATENCY_MS:-50}"
SECONDS_PER_PHASE="${OVERLOAD_SECONDS:-10}"
[ "${OVERLOAD_QUICK:-0}" != 1 ] || SECONDS_PER_PHASE=2
SERVICE_JAVA_OPTS="${SERVICE_JAVA_OPTS:--Xmx128m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:ReservedCodeCacheSize=64m -Xss512k -XX:TrimNativeHeapInterval=1000}"
ACCOUNT=AC0123456789abcdef0123456789abcdef
KEY=bench-service-key
JAR="${OVERLOAD_JAR:-target/quarkus-app/quarkus-run.jar}"
# shellcheck source=bench/common.sh
source bench/common.sh

if [ -z "${OVERLOAD_JAR:-}" ] && { [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$JAR" ]; }; then
    echo "building the jar…" >&2
    ./mvnw -B -q package -DskipTests >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
fi

# As bench/run.sh: with 2 cores or more the service gets a core of its own, the stand-in and the driver the others.
pin_cores

STANDIN_PORT="$(free_port)"
"${LOAD_PIN[@]}" java -Xmx512m -XX:+UseParallelGC bench/src/TwilioStandIn.java "$STANDIN_PORT" "$LATENCY_MS" \
    >"$WORK/standin.log" 2>&1 &
PIDS+=("$!")
wait_for "http://127.0.0.1:$STANDIN_PORT/__stats" 60

SERVICE_PORT="$(free_port)"
# shellcheck disable=SC2086
TWILIO_BASE_URL="http://127.0.0.1:$STANDIN_PORT" TWILIO_ACCOUNT_SID="$ACCOUNT" TWILIO_AUTH_TOKEN=bench-token \
    SERVICE_API_KEYS="$KEY" QUARKUS_HTTP_PORT="$SERVICE_PORT" QUARKUS_HTTP_HOST=127.0.0.1 \
    MALLOC_ARENA_MAX="${SERVICE_MALLOC_ARENA_MAX:-2}" "${SERVICE_PIN[@]}" java $SERVICE_JAVA_OPTS -jar "$JAR" >"$WORK/service.log" 2>&1 &
PIDS+=("$!")
wait_for "http://127.0.0.1:$SERVICE_PORT/q/health/ready" 60

echo "running ($SECONDS_PER_PHASE s per phase)…" >&2
"${LOAD_PIN[@]}" java -Xmx512m bench/src/OverloadDriver.java "http://127.0.0.1:$SERVICE_PORT" "$ACCOUNT" "$KEY" \
    "$SECONDS_PER_PHASE"
echo >&2
echo "${#CORES[@]} cores${SERVICE_PIN:+ (service pinned to core ${CORES[0]})}, $(java -version 2>&1 | head -1)," \
    "service JVM flags: $SERVICE_JAVA_OPTS, stand-in latency $LATENCY_MS ms" >&2
