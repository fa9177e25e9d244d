#!/usr/bin/env bash
# The benchmark of the actions and the recording media (issues #5, #10, #11, #12), MCP against /v1/actions included: builds the jar, starts a local Twilio stand-in
# with a per-request latency (LATENCY_MS, default 50) and the service against it, both on free loopback ports,
# runs bench/src/BenchDriver.java and prints one Markdown table. Stops by itself; kills what it started.
# Only needs the JDK 17 that builds the project. JVM flags of the service: SERVICE_JAVA_OPTS; its glibc malloc arenas:
# SERVICE_MALLOC_ARENA_MAX (default 2; with the native-heap trim, this keeps freed JIT memory from piling up in RSS).
# BENCH_QUICK=1 runs a few iterations of each phase (CI checks the benchmark that way); BENCH_SKIP_BUILD=1 uses
# the jar already in target/quarkus-app. Exits non-zero when list_calls' recording SIDs differ from per-call lookups.
# The service also has a named key with a policy (the policy rows); with redis-server on the PATH, a second service
# counts that key's quotas in a Redis of its own. SERVICE_JAVA (default java) runs the service and SERVICE_APP
# (default target/quarkus-app, built here) is its directory: it starts there with -jar quarkus-run.jar, as the
# images start it, so an aot-jar trained by src/main/docker/aot-train.sh on JDK 25 can be measured with its cache:
#   SERVICE_JAVA=<jdk 25>/bin/java SERVICE_APP=<dir> SERVICE_JAVA_OPTS="-XX:AOTCache=app.aot <the flags>" bash bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

LATENCY_MS="${LATENCY_MS:-50}"
SERVICE_JAVA_OPTS="${SERVICE_JAVA_OPTS:--Xmx96m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -Xss512k -XX:TrimNativeHeapInterval=1000}"
ACCOUNT=AC0123456789abcdef0123456789abcdef
KEY=bench-service-key
# A named key with a policy (docs/access.md#guardrails); its quotas are far above what the bench sends.
GUARDED_KEY=bench-guarded-key
POLICY=(-Dvoicegate.access.keys.guarded.secret-sha256="$(printf %s "$GUARDED_KEY" | sha256sum | cut -d' ' -f1)"
    -Dvoicegate.access.keys.guarded.destinations=+1 -Dvoicegate.access.keys.guarded.from=+15017122661
    -Dvoicegate.access.keys.guarded.max-calls-per-minute=100000 -Dvoicegate.access.keys.guarded.max-calls-per-hour=100000
    -Dvoicegate.access.keys.guarded.max-calls-per-day=100000)
# shellcheck source=bench/common.sh
source bench/common.sh

SERVICE_JAVA="${SERVICE_JAVA:-java}"
if [ -z "${SERVICE_APP:-}" ] && { [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f target/quarkus-app/quarkus-run.jar ]; }; then
    echo "building the jar…" >&2
    ./mvnw -B -q package -DskipTests >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
fi
SERVICE_APP="$(cd "${SERVICE_APP:-target/quarkus-app}" && pwd)"

# With 2 cores or more the service gets a core of its own (1 CPU is its pod's limit in the Kubernetes manifest) and
# the stand-in and the driver the others, so make_call's throughput is the service's and not the load generator's;
# the driver then measures it once more with the three spread over every core. CORES: the cores this script may
# use (a container's cpuset need not start at 0); no pinning where taskset is not allowed to pin.
read -r -a CORES <<<"$(python3 -c 'import os; print(*sorted(os.sched_getaffinity(0)))')"
CPUS="${#CORES[@]}"
SERVICE_PIN=()
LOAD_PIN=()
ALL_CPUS=""
if [ "$CPUS" -ge 2 ] && taskset -c "${CORES[0]}" true 2>/dev/null; then
    REST="$(IFS=,; echo "${CORES[*]:1}")"
    SERVICE_PIN=(taskset -c "${CORES[0]}")
    LOAD_PIN=(taskset -c "$REST")
    ALL_CPUS="$(IFS=,; echo "${CORES[*]}")"
fi

STANDIN_PORT="$(free_port)"
"${LOAD_PIN[@]}" java -Xmx512m -XX:+UseParallelGC bench/src/TwilioStandIn.java "$STANDIN_PORT" "$LATENCY_MS" >"$WORK/standin.log" 2>&1 &
STANDIN_PID=$!
PIDS+=("$STANDIN_PID")
wait_for "http://127.0.0.1:$STANDIN_PORT/__stats" 60

SERVICE_PORT="$(free_port)"
# shellcheck disable=SC2086
(cd "$SERVICE_APP" && TWILIO_BASE_URL="http://127.0.0.1:$STANDIN_PORT" TWILIO_ACCOUNT_SID="$ACCOUNT" \
    TWILIO_AUTH_TOKEN=bench-token SERVICE_API_KEYS="$KEY" QUARKUS_HTTP_PORT="$SERVICE_PORT" QUARKUS_HTTP_HOST=127.0.0.1 \
    MALLOC_ARENA_MAX="${SERVICE_MALLOC_ARENA_MAX:-2}" exec "${SERVICE_PIN[@]}" "$SERVICE_JAVA" $SERVICE_JAVA_OPTS \
    "${POLICY[@]}" -jar quarkus-run.jar) >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
PIDS+=("$SERVICE_PID")
wait_for "http://127.0.0.1:$SERVICE_PORT/q/health/ready" 60

# The same service once more, counting quotas in a Redis of its own (the policy row "in Redis"). The shared Twilio
# budget is off there, so the row measures the quotas alone: bench/shared-budget.sh measures the budget.
REDIS_SERVICE=""
REDIS_PORT=""
if command -v redis-server >/dev/null 2>&1; then
    REDIS_PORT="$(free_port)"
    "${LOAD_PIN[@]}" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
        >"$WORK/redis.log" 2>&1 &
    PIDS+=("$!")
    REDIS_SERVICE_PORT="$(free_port)"
    # shellcheck disable=SC2086
    (cd "$SERVICE_APP" && TWILIO_BASE_URL="http://127.0.0.1:$STANDIN_PORT" TWILIO_ACCOUNT_SID="$ACCOUNT" \
        TWILIO_AUTH_TOKEN=bench-token SERVICE_API_KEYS="$KEY" QUARKUS_HTTP_PORT="$REDIS_SERVICE_PORT" \
        QUARKUS_HTTP_HOST=127.0.0.1 REDIS_URL="redis://127.0.0.1:$REDIS_PORT" TWILIO_SHARED_BUDGET=false \
        MALLOC_ARENA_MAX="${SERVICE_MALLOC_ARENA_MAX:-2}" exec "${SERVICE_PIN[@]}" "$SERVICE_JAVA" $SERVICE_JAVA_OPTS \
        "${POLICY[@]}" -jar quarkus-run.jar) >"$WORK/service-redis.log" 2>&1 &
    PIDS+=("$!")
    wait_for "http://127.0.0.1:$REDIS_SERVICE_PORT/q/health/ready" 60
    REDIS_SERVICE="http://127.0.0.1:$REDIS_SERVICE_PORT"
else
    echo "no redis-server on the PATH: the policy row with quotas in Redis is skipped" >&2
fi

echo "running (about 7 minutes; BENCH_QUICK=1: about a minute)…" >&2
"${LOAD_PIN[@]}" java -Xmx512m bench/src/BenchDriver.java "http://127.0.0.1:$STANDIN_PORT" \
    "http://127.0.0.1:$SERVICE_PORT" "$ACCOUNT" "$KEY" "$SERVICE_PID" "$LATENCY_MS" "$STANDIN_PID" "$ALL_CPUS" \
    "$GUARDED_KEY" "$REDIS_SERVICE" "$REDIS_PORT"
# The last row: RSS under 256 concurrent list_calls of page 50, on a service of its own with the same flags
# (bench/memory.sh; docs/performance.md, "Memory").
echo "RSS under 256 concurrent list_calls (bench/memory.sh, about a minute)…" >&2
BENCH_SKIP_BUILD=1 SERVICE_JAVA_OPTS="$SERVICE_JAVA_OPTS" SERVICE_JAVA="$SERVICE_JAVA" SERVICE_APP="$SERVICE_APP" \
    MEMORY_VARIANTS="" bash bench/memory.sh
echo >&2
echo "$CPUS cores${ALL_CPUS:+ (service pinned to core ${CORES[0]})}, $("$SERVICE_JAVA" -version 2>&1 | head -1)," \
    "service JVM flags: $SERVICE_JAVA_OPTS, in $SERVICE_APP" >&2
