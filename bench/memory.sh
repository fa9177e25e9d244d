#!/usr/bin/env bash
# The service's memory under a burst of list_calls (issue #25): starts the Twilio stand-in (LATENCY_MS, default 50)
# and one service per JVM flag set, side by side on free loopback ports, and runs bench/src/MemoryBench.java:
# 256 concurrent list_calls of page 50, 10 times (-Drounds), alternating between the services; one row each. The
# account's concurrency bound is raised to 512 (TWILIO_MAX_CONCURRENT_PER_ACCOUNT) so that every list_calls is
# admitted and goes upstream: the worst case for memory; with the default 32 most would be refused at once.
# MEMORY_VARIANTS: flag sets separated by '|' (default: SERVICE_JAVA_OPTS, or bench/run.sh's default).
# MEMORY_NMT=1 adds -XX:NativeMemoryTracking=summary and prints, per service, jcmd's VM.native_memory summary,
# the top of GC.class_histogram and the thread count (to stderr). BENCH_SKIP_BUILD=1 uses target/quarkus-app.
# SERVICE_JAVA and SERVICE_APP: the JVM and the application directory, as in bench/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

LATENCY_MS="${LATENCY_MS:-50}"
DEFAULT_OPTS="$(sed -n 's/^SERVICE_JAVA_OPTS="\${SERVICE_JAVA_OPTS:-\(.*\)}"$/\1/p' bench/run.sh)"
IFS='|' read -r -a VARIANTS <<<"${MEMORY_VARIANTS:-${SERVICE_JAVA_OPTS:-$DEFAULT_OPTS}}"
ACCOUNT=AC0123456789abcdef0123456789abcdef
KEY=bench-service-key
# shellcheck source=bench/common.sh
source bench/common.sh

SERVICE_JAVA="${SERVICE_JAVA:-java}"
if [ -z "${SERVICE_APP:-}" ] && { [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f target/quarkus-app/quarkus-run.jar ]; }; then
    echo "building the jar…" >&2
    ./mvnw -B -q package -DskipTests >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
fi
SERVICE_APP="$(cd "${SERVICE_APP:-target/quarkus-app}" && pwd)"
JCMD="$(dirname "$(command -v "$SERVICE_JAVA")")/jcmd"

# As in bench/run.sh: the services on the first core (they take turns), the stand-in and the driver on the others.
pin_cores

STANDIN_PORT="$(free_port)"
"${LOAD_PIN[@]}" java -Xmx512m -XX:+UseParallelGC bench/src/TwilioStandIn.java "$STANDIN_PORT" "$LATENCY_MS" >"$WORK/standin.log" 2>&1 &
PIDS+=("$!")
wait_for "http://127.0.0.1:$STANDIN_PORT/__stats" 60

TARGETS=()
SERVICE_PIDS=()
NMT=()
[ "${MEMORY_NMT:-0}" = 1 ] && NMT=(-XX:NativeMemoryTracking=summary)
for i in "${!VARIANTS[@]}"; do
    port="$(free_port)"
    # shellcheck disable=SC2086
    (cd "$SERVICE_APP" && TWILIO_BASE_URL="http://127.0.0.1:$STANDIN_PORT" TWILIO_ACCOUNT_SID="$ACCOUNT" \
        TWILIO_AUTH_TOKEN=bench-token SERVICE_API_KEYS="$KEY" QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 \
        TWILIO_MAX_CONCURRENT_PER_ACCOUNT="${TWILIO_MAX_CONCURRENT_PER_ACCOUNT:-512}" \
        MALLOC_ARENA_MAX="${SERVICE_MALLOC_ARENA_MAX:-2}" exec "${SERVICE_PIN[@]}" "$SERVICE_JAVA" ${VARIANTS[$i]} \
        "${NMT[@]}" -jar quarkus-run.jar) >"$WORK/service-$i.log" 2>&1 &
    PIDS+=("$!")
    SERVICE_PIDS+=("$!")
    TARGETS+=("http://127.0.0.1:$port" "$!")
    echo "service $i (http://127.0.0.1:$port): ${VARIANTS[$i]}" >&2
done
for ((i = 0; i < ${#TARGETS[@]}; i += 2)); do wait_for "${TARGETS[$i]}/q/health/ready" 90; done

echo "running (about a minute per service)…" >&2
"${LOAD_PIN[@]}" java -Xmx512m bench/src/MemoryBench.java "http://127.0.0.1:$STANDIN_PORT" "$ACCOUNT" "$KEY" \
    "$LATENCY_MS" "${TARGETS[@]}"

if [ "${#NMT[@]}" -gt 0 ]; then
    for i in "${!SERVICE_PIDS[@]}"; do
        pid="${SERVICE_PIDS[$i]}"
        echo "=== service $i: ${VARIANTS[$i]}" >&2
        grep -E 'VmRSS|VmHWM|Threads' "/proc/$pid/status" >&2
        "$JCMD" "$pid" VM.native_memory summary | grep -E '^(Total|-)' >&2 || true
        "$JCMD" "$pid" GC.class_histogram | head -18 >&2 || true
    done
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
