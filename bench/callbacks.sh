#!/usr/bin/env bash
# Issue #21's bench rows: the call ledger and Twilio's status callbacks. A Twilio stand-in that answers at once
# (bench/src/CallbacksBench.java: calls end CALL_SECONDS after their creation, default 30, and get Twilio's signed
# call-progress callbacks when they asked for them) and the packaged service against it, on free loopback ports:
#  1. CALLS calls (default 20) placed at once, each followed by a get_call with wait_seconds=60, after FOLLOW_WARMUP
#     rounds (default 5) of 2 s calls: Twilio fetches per call, and the time from the call's end (the `completed`
#     callback's send) to get_call's answer; "before" is the service without PUBLIC_URL (get_call polls), "after" with
#     it (get_call follows the callbacks);
#  2. make_call one at a time (MAKECALL_SAMPLES, default 2,000, after MAKECALL_WARMUP, default 10,000), MAKECALL_ROUNDS
#     (default 3) runs alternating between the jar of BASE_COMMIT (6648ab3, before the ledger; built once into
#     BASE_DIR, default /tmp/vg-base, a git worktree) and this one: in memory, then both with REDIS_URL (a redis-server
#     of its own, when on the PATH).
# Prints one Markdown table; kills what it started. BENCH_SKIP_BUILD=1 uses the jar already in target/quarkus-app;
# BASE_JAR=<quarkus-run.jar> measures another base. BENCH_QUICK=1 (CI, under a minute): 5 calls of 2 s with no
# warm-up, 100 make_calls, and the base is this jar itself unless BASE_JAR is given: it checks that the script runs,
# and its figures are not measurements.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK="${BENCH_QUICK:-0}"
export BENCH_QUICK="$QUICK"
if [ "$QUICK" = 1 ]; then
    export CALL_SECONDS="${CALL_SECONDS:-2}"
    CALLS="${CALLS:-5}"
else
    export CALL_SECONDS="${CALL_SECONDS:-30}"
    CALLS="${CALLS:-20}"
fi
SERVICE_JAVA_OPTS="${SERVICE_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -Xss512k -XX:TrimNativeHeapInterval=1000}"
ACCOUNT=AC0123456789abcdef0123456789abcdef
KEY=bench-service-key
TOKEN=bench-token
BASE_COMMIT="${BASE_COMMIT:-6648ab3}"
BASE_DIR="${BASE_DIR:-/tmp/vg-base}"
# shellcheck source=bench/common.sh
source bench/common.sh
# Compiled once: the stand-in and four driver runs would compile the source file each.
javac -d "$WORK/classes" bench/src/CallbacksBench.java
BENCH=(-cp "$WORK/classes" CallbacksBench)

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f target/quarkus-app/quarkus-run.jar ]; then
    echo "building the jar…" >&2
    ./mvnw -B -q package -DskipTests >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
fi
NEW_JAR="$PWD/target/quarkus-app/quarkus-run.jar"
if [ -n "${BASE_JAR:-}" ]; then
    export BASE_NAME="\`$BASE_JAR\`"
elif [ "$QUICK" = 1 ]; then
    BASE_JAR="$NEW_JAR"
    export BASE_NAME="this jar itself (BENCH_QUICK)"
else
    BASE_JAR="$BASE_DIR/target/quarkus-app/quarkus-run.jar"
    export BASE_NAME="\`$BASE_COMMIT\`, without the ledger"
    if [ ! -f "$BASE_JAR" ]; then
        [ -d "$BASE_DIR" ] || git worktree add --detach "$BASE_DIR" "$BASE_COMMIT" >&2
        echo "building the jar of $BASE_COMMIT in $BASE_DIR…" >&2
        (cd "$BASE_DIR" && ./mvnw -B -q -o package -DskipTests) >"$WORK/base-build.log" 2>&1 \
            || { cat "$WORK/base-build.log" >&2; exit 1; }
    fi
fi

STANDIN_PORT="$(free_port)"
STANDIN="http://127.0.0.1:$STANDIN_PORT"
java -Xmx256m -XX:+UseParallelGC "${BENCH[@]}" standin "$STANDIN_PORT" "$CALL_SECONDS" "$TOKEN" >"$WORK/standin.log" 2>&1 &
PIDS+=("$!")
wait_for "$STANDIN/__stats" 60

SERVICE_PID=""
start_service() { # jar, port, extra environment…; sets SERVICE_PID
    local jar="$1" port="$2"; shift 2
    # shellcheck disable=SC2086
    env TWILIO_BASE_URL="$STANDIN" TWILIO_ACCOUNT_SID="$ACCOUNT" TWILIO_AUTH_TOKEN="$TOKEN" \
        SERVICE_API_KEYS="$KEY" QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 "$@" \
        MALLOC_ARENA_MAX="${SERVICE_MALLOC_ARENA_MAX:-2}" java $SERVICE_JAVA_OPTS -jar "$jar" >"$WORK/service-$port.log" 2>&1 &
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
RESULTS="$WORK/results"
: >"$RESULTS"

# "before": this jar without PUBLIC_URL, so get_call polls; "after": with it, so get_call follows the callbacks.
# Both start at once; the one not being measured is idle.
echo "following $CALLS calls of $CALL_SECONDS s, before (get_call polls) and after (PUBLIC_URL: callbacks)…" >&2
BEFORE_PORT="$(free_port)"
AFTER_PORT="$(free_port)"
start_service "$NEW_JAR" "$BEFORE_PORT"
BEFORE_PID="$SERVICE_PID"
start_service "$NEW_JAR" "$AFTER_PORT" PUBLIC_URL="http://127.0.0.1:$AFTER_PORT"
AFTER_PID="$SERVICE_PID"
wait_for "http://127.0.0.1:$BEFORE_PORT/q/health/ready" 120
wait_for "http://127.0.0.1:$AFTER_PORT/q/health/ready" 120
java -Xmx256m "${BENCH[@]}" follow "$STANDIN" "http://127.0.0.1:$BEFORE_PORT" "$ACCOUNT" "$KEY" before "$CALLS" >>"$RESULTS"
java -Xmx256m "${BENCH[@]}" follow "$STANDIN" "http://127.0.0.1:$AFTER_PORT" "$ACCOUNT" "$KEY" after "$CALLS" >>"$RESULTS"
stop "$BEFORE_PID" "$AFTER_PID"

# make_call against the base and this jar, both up at once; runs alternate between them.
make_calls() { # label, extra environment…
    local label="$1"; shift
    local base_port new_port base_pid new_pid
    base_port="$(free_port)"
    new_port="$(free_port)"
    start_service "$BASE_JAR" "$base_port" "$@"
    base_pid="$SERVICE_PID"
    start_service "$NEW_JAR" "$new_port" "$@"
    new_pid="$SERVICE_PID"
    wait_for "http://127.0.0.1:$base_port/q/health/ready" 120
    wait_for "http://127.0.0.1:$new_port/q/health/ready" 120
    java -Xmx256m "${BENCH[@]}" makecall "http://127.0.0.1:$base_port" "http://127.0.0.1:$new_port" "$ACCOUNT" "$KEY" \
        "makecall-$label" >>"$RESULTS"
    stop "$base_pid" "$new_pid"
}
echo "make_call one at a time, $BASE_NAME against this jar, in memory…" >&2
make_calls memory
if command -v redis-server >/dev/null 2>&1; then
    REDIS_PORT="$(free_port)"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
    PIDS+=("$!")
    for _ in $(seq 1 100); do (echo >"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null && break; sleep 0.1; done
    echo "… and with REDIS_URL…" >&2
    make_calls redis REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
else
    echo "no redis-server on the PATH: the make_call row with Redis is skipped" >&2
fi

java -Xmx128m "${BENCH[@]}" table "$RESULTS"
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)," \
    "service JVM flags: $SERVICE_JAVA_OPTS" >&2
