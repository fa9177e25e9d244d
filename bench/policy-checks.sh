#!/usr/bin/env bash
# Issue #22's bench row: what calling hours and a do-not-call list add to make_call. A Twilio stand-in answering at
# once (bench/src/CallbacksBench.java) and two services of this jar against it, on free loopback ports, with the same
# named agent key: "without", where the key has no calling hours and the do-not-call list is empty; "with", where the
# key's calling-hours window is always open at the called number (23 h 59 min wide, its one closed minute 12 h away) and
# the list holds DNC_ENTRIES numbers (default 10,000, put by an operator key; never the number called). make_call one
# at a time (bench/src/PolicyChecksBench.java), MAKECALL_ROUNDS (default 3) runs of MAKECALL_SAMPLES (default 2,000)
# alternating between the two after MAKECALL_WARMUP (default 10,000) calls each: in memory, then with both services on
# REDIS_URL (a redis-server each, when on the PATH, so that only one list is full).
# An empty list still costs a lookup (in Redis, a round trip): BASE_JAR=<quarkus-run.jar> runs "without" on another jar,
# e.g. one built from e8f8d24 (main before calling hours and do-not-call), to measure that too.
# Prints one Markdown table; kills what it started. BENCH_SKIP_BUILD=1 uses the jar already in target/quarkus-app.
# BENCH_QUICK=1 (CI, about a minute): 200 numbers listed, 100 warm-up calls and 100 measured: it checks that the
# script runs, and its figures are not measurements.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK="${BENCH_QUICK:-0}"
export BENCH_QUICK="$QUICK"
if [ "$QUICK" = 1 ]; then
    export DNC_ENTRIES="${DNC_ENTRIES:-200}"
else
    export DNC_ENTRIES="${DNC_ENTRIES:-10000}"
fi
SERVICE_JAVA_OPTS="${SERVICE_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -Xss512k -XX:TrimNativeHeapInterval=1000}"
export ACCOUNT=AC0123456789abcdef0123456789abcdef
TOKEN=bench-token
AGENT=bench-agent-key
OPERATOR=bench-operator-key
# The window: open all day at the called number (+1 415, Los Angeles) but for the minute 12 h from now.
WINDOW="$(python3 -c 'import datetime, zoneinfo
t = datetime.datetime.now(zoneinfo.ZoneInfo("America/Los_Angeles")) + datetime.timedelta(hours=12)
print(f"{t:%H:%M}-{t - datetime.timedelta(minutes=1):%H:%M}")')"
export WINDOW
sha() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
KEYS=(-Dvoicegate.access.keys.bench.secret-sha256="$(sha "$AGENT")"
    -Dvoicegate.access.keys.ops.secret-sha256="$(sha "$OPERATOR")" -Dvoicegate.access.keys.ops.role=operator)
# shellcheck source=bench/common.sh
source bench/common.sh
# Compiled once: the stand-in and the driver share CallbacksBench.
javac -d "$WORK/classes" bench/src/CallbacksBench.java bench/src/PolicyChecksBench.java
DRIVER=(java -Xmx256m -cp "$WORK/classes" PolicyChecksBench)

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f target/quarkus-app/quarkus-run.jar ]; then
    echo "building the jar…" >&2
    ./mvnw -B -q package -DskipTests >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
fi
JAR="$PWD/target/quarkus-app/quarkus-run.jar"
WITHOUT_JAR="${BASE_JAR:-$JAR}"
export WITHOUT_NAME="${BASE_JAR:+\`$BASE_JAR\`}"

STANDIN_PORT="$(free_port)"
STANDIN="http://127.0.0.1:$STANDIN_PORT"
# Calls of 30 s: the ledger's entries stay live, as a busy key's would.
java -Xmx512m -XX:+UseParallelGC -cp "$WORK/classes" CallbacksBench standin "$STANDIN_PORT" 30 "$TOKEN" \
    >"$WORK/standin.log" 2>&1 &
PIDS+=("$!")
wait_for "$STANDIN/__stats" 60

SERVICE_PID=""
start_service() { # jar, port, extra JVM properties and environment as NAME=value…; sets SERVICE_PID
    local jar="$1" port="$2"; shift 2
    local props=() envs=()
    for arg in "$@"; do
        if [[ "$arg" == -D* ]]; then props+=("$arg"); else envs+=("$arg"); fi
    done
    # shellcheck disable=SC2086
    env TWILIO_BASE_URL="$STANDIN" TWILIO_ACCOUNT_SID="$ACCOUNT" TWILIO_AUTH_TOKEN="$TOKEN" \
        QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 "${envs[@]}" \
        MALLOC_ARENA_MAX="${SERVICE_MALLOC_ARENA_MAX:-2}" java $SERVICE_JAVA_OPTS "${KEYS[@]}" "${props[@]}" -jar "$jar" \
        >"$WORK/service-$port.log" 2>&1 &
    SERVICE_PID=$!
    PIDS+=("$SERVICE_PID")
}
stop() { # pid…: stops them, and forgets them so that the exit trap cannot hit a reused pid
    local pid
    for pid in "$@"; do kill "$pid" 2>/dev/null || true; done
    for pid in "$@"; do wait "$pid" 2>/dev/null || true; done
    local left=()
    for pid in "${PIDS[@]}"; do [[ " $* " == *" $pid "* ]] || left+=("$pid"); done
    PIDS=("${left[@]}")
}
start_redis() { # sets REDIS_PORT
    REDIS_PORT="$(free_port)"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
        >"$WORK/redis-$REDIS_PORT.log" 2>&1 &
    PIDS+=("$!")
    for _ in $(seq 1 100); do (echo >"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null && break; sleep 0.1; done
}
RESULTS="$WORK/results"
: >"$RESULTS"

measure() { # label, [without's environment, with's environment]
    local label="$1" without_env="${2:-}" with_env="${3:-}"
    local without_port with_port without_pid with_pid
    without_port="$(free_port)"
    with_port="$(free_port)"
    start_service "$WITHOUT_JAR" "$without_port" ${without_env:+"$without_env"}
    without_pid="$SERVICE_PID"
    start_service "$JAR" "$with_port" ${with_env:+"$with_env"} -Dvoicegate.access.keys.bench.calling-hours="$WINDOW"
    with_pid="$SERVICE_PID"
    wait_for "http://127.0.0.1:$without_port/q/health/ready" 120
    wait_for "http://127.0.0.1:$with_port/q/health/ready" 120
    echo "$label: listing $DNC_ENTRIES numbers on the do-not-call list of 'with'…" >&2
    "${DRIVER[@]}" fill "http://127.0.0.1:$with_port" "$OPERATOR" "$DNC_ENTRIES" "$AGENT"
    "${DRIVER[@]}" measure "http://127.0.0.1:$without_port" "http://127.0.0.1:$with_port" "$ACCOUNT" "$AGENT" "$label" \
        >>"$RESULTS"
    stop "$without_pid" "$with_pid"
}

echo "make_call one at a time, without and with calling hours ($WINDOW) and do-not-call, in memory…" >&2
measure memory
if command -v redis-server >/dev/null 2>&1; then
    start_redis
    WITHOUT_REDIS="$REDIS_PORT"
    start_redis
    echo "… and with REDIS_URL (a Redis each)…" >&2
    measure redis REDIS_URL="redis://127.0.0.1:$WITHOUT_REDIS" REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
else
    echo "no redis-server on the PATH: the row with Redis is skipped" >&2
fi

"${DRIVER[@]}" table "$RESULTS"
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)," \
    "service JVM flags: $SERVICE_JAVA_OPTS" >&2
