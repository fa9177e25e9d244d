#!/usr/bin/env bash
# Issue #23's bench rows: the operator console. A Twilio stand-in answering at once (bench/src/CallbacksBench.java:
# calls of 2 s with Twilio's signed callbacks) and the packaged service against it with PUBLIC_URL, three named agent
# keys and an operator key, on free loopback ports (bench/src/ConsoleBench.java drives it):
#  1. the calls page over a full ledger: SEED_CALLS make_calls (default 10,000, the in-memory ledger's bound), most
#     from one key, over 500 numbers, each completed by its callbacks; then, signed in, GET /console/calls one at a
#     time (PAGE_SAMPLES, default 2,000, after PAGE_WARMUP, default 3,000): the client's p50/p90/p99 and the server's
#     own mean (Micrometer's http_server_requests_seconds); the same with a filter that matches nothing (every entry
#     read);
#  2. a live update: with /console/stream/calls open, LIVE_UPDATES times (default 100) a new call, then a signed
#     `ringing` callback posted as Twilio would, timed to the first `ledger` event after which the page's rows show it,
#     and to those rows fetched again;
#  3. start-up: the same jar with CONSOLE_ENABLED=false and with the console, STARTUP_ROUNDS (default 5) alternating
#     starts one at a time: command to /q/health/ready, the CPU used by then, RSS 1 s later and after rendering the
#     calls page RENDERS times (default 20; 404s without the console). BASE_JAR=<quarkus-run.jar> adds a jar without
#     the console at all (e.g. main before it), named by BASE_NAME.
# Prints one Markdown table; kills what it started. BENCH_SKIP_BUILD=1 uses the jar already in target/quarkus-app.
# BENCH_QUICK=1 (CI, well under a minute): 300 calls, a few cold iterations, one start each: it checks that the
# script runs, and its figures are not measurements.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK="${BENCH_QUICK:-0}"
export BENCH_QUICK="$QUICK"
if [ "$QUICK" = 1 ]; then
    export SEED_CALLS="${SEED_CALLS:-300}"
    STARTUP_ROUNDS="${STARTUP_ROUNDS:-1}"
    RENDERS="${RENDERS:-5}"
else
    export SEED_CALLS="${SEED_CALLS:-10000}"
    STARTUP_ROUNDS="${STARTUP_ROUNDS:-5}"
    RENDERS="${RENDERS:-20}"
fi
SERVICE_JAVA_OPTS="${SERVICE_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -Xss512k -XX:TrimNativeHeapInterval=1000}"
ACCOUNT=AC0123456789abcdef0123456789abcdef
TOKEN=bench-token
AGENTS=bench-support-key,bench-reminders-key,bench-sales-key
export OPERATOR_KEY=bench-operator-key
sha() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
# Named keys have no quota unless one is set: 10,000 make_calls are not refused.
KEYS=(-Dvoicegate.access.keys.support-bot.secret-sha256="$(sha bench-support-key)"
    -Dvoicegate.access.keys.reminders.secret-sha256="$(sha bench-reminders-key)"
    -Dvoicegate.access.keys.sales-agent.secret-sha256="$(sha bench-sales-key)"
    -Dvoicegate.access.keys.ops.secret-sha256="$(sha "$OPERATOR_KEY")" -Dvoicegate.access.keys.ops.role=operator)
# shellcheck source=bench/common.sh
source bench/common.sh
# Compiled once: the stand-in and the driver's roles share CallbacksBench.
javac -d "$WORK/classes" bench/src/CallbacksBench.java bench/src/ConsoleBench.java
DRIVER=(java -Xmx256m -cp "$WORK/classes" ConsoleBench)

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f target/quarkus-app/quarkus-run.jar ]; then
    echo "building the jar…" >&2
    ./mvnw -B -q package -DskipTests >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
fi
JAR="$PWD/target/quarkus-app/quarkus-run.jar"

STANDIN_PORT="$(free_port)"
STANDIN="http://127.0.0.1:$STANDIN_PORT"
java -Xmx512m -XX:+UseParallelGC -cp "$WORK/classes" CallbacksBench standin "$STANDIN_PORT" 2 "$TOKEN" \
    >"$WORK/standin.log" 2>&1 &
PIDS+=("$!")
wait_for "$STANDIN/__stats" 60

SERVICE_PID=""
start_service() { # jar, port, extra environment as NAME=value…; sets SERVICE_PID
    local jar="$1" port="$2"; shift 2
    # shellcheck disable=SC2086
    env TWILIO_BASE_URL="$STANDIN" TWILIO_ACCOUNT_SID="$ACCOUNT" TWILIO_AUTH_TOKEN="$TOKEN" SHUTDOWN_DELAY=0s \
        QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 "$@" \
        MALLOC_ARENA_MAX="${SERVICE_MALLOC_ARENA_MAX:-2}" java $SERVICE_JAVA_OPTS "${KEYS[@]}" -jar "$jar" \
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
RESULTS="$WORK/results"
: >"$RESULTS"

# Rows 1 and 2: one service, with PUBLIC_URL so that make_call asks for callbacks and the receiver verifies them.
PORT="$(free_port)"
SERVICE="http://127.0.0.1:$PORT"
start_service "$JAR" "$PORT" PUBLIC_URL="$SERVICE"
PAGE_PID="$SERVICE_PID"
wait_for "$SERVICE/q/health/ready" 120
echo "seeding the ledger: $SEED_CALLS make_calls of 2 s calls with their callbacks…" >&2
"${DRIVER[@]}" seed "$STANDIN" "$SERVICE" "$ACCOUNT" "$SEED_CALLS" "$AGENTS"
"${DRIVER[@]}" page "$SERVICE" "$OPERATOR_KEY" page >>"$RESULTS"
"${DRIVER[@]}" page "$SERVICE" "$OPERATOR_KEY" scan "status=busy" >>"$RESULTS"
echo "live updates: signed callbacks to the ledger event on an open stream…" >&2
"${DRIVER[@]}" live "$STANDIN" "$SERVICE" "$OPERATOR_KEY" "$ACCOUNT" "$TOKEN" "${AGENTS%%,*}" >>"$RESULTS"
stop "$PAGE_PID"

# Row 3: start-up, one service at a time, alternating between the variants.
now_ms() { echo $(($(date +%s%N) / 1000000)); }
rss_mib() { echo $(($(awk '/VmRSS/ {print $2}' "/proc/$1/status") / 1024)); }
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
VARIANTS=(off on)
if [ -n "${BASE_JAR:-}" ]; then
    VARIANTS=(base off on)
    export BASE_NAME="${BASE_NAME:-\`$BASE_JAR\`}"
fi
declare -A READY CPU RSS RSS_AFTER
for round in $(seq 1 "$STARTUP_ROUNDS"); do
    for variant in "${VARIANTS[@]}"; do
        port="$(free_port)"
        jar="$JAR"
        case "$variant" in
            base) jar="$BASE_JAR"; env_console=CONSOLE_ENABLED=true ;;
            off) env_console=CONSOLE_ENABLED=false ;;
            on) env_console=CONSOLE_ENABLED=true ;;
        esac
        t0="$(now_ms)"
        start_service "$jar" "$port" "$env_console"
        ready=""
        for _ in $(seq 1 6000); do
            if curl -fs -o /dev/null "http://127.0.0.1:$port/q/health/ready"; then
                ready=$(($(now_ms) - t0))
                break
            fi
            kill -0 "$SERVICE_PID" 2>/dev/null || { cat "$WORK/service-$port.log" >&2; echo "exited at start" >&2; exit 1; }
            sleep 0.01
        done
        [ -n "$ready" ] || { echo "not ready within 60 s" >&2; exit 1; }
        cpu="$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$SERVICE_PID/stat")"
        sleep 1
        rss="$(rss_mib "$SERVICE_PID")"
        "${DRIVER[@]}" render "http://127.0.0.1:$port" "$OPERATOR_KEY" "$RENDERS"
        sleep 1
        rss_after="$(rss_mib "$SERVICE_PID")"
        stop "$SERVICE_PID"
        echo "round $round, $variant: ready in $ready ms, CPU $cpu ms, RSS $rss MiB, after $RENDERS renders $rss_after MiB" >&2
        READY[$variant]+="$ready "
        CPU[$variant]+="$cpu "
        RSS[$variant]+="$rss "
        RSS_AFTER[$variant]+="$rss_after "
    done
done
for variant in "${VARIANTS[@]}"; do
    echo "startup-$variant rounds=$STARTUP_ROUNDS renders=$RENDERS ready=$(median <<<"${READY[$variant]}")" \
        "ready_runs=$(sed 's/ $//; s/ /\//g' <<<"${READY[$variant]}") cpu=$(median <<<"${CPU[$variant]}")" \
        "rss=$(median <<<"${RSS[$variant]}") rss_after=$(median <<<"${RSS_AFTER[$variant]}")" >>"$RESULTS"
done

"${DRIVER[@]}" table "$RESULTS"
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)," \
    "service JVM flags: $SERVICE_JAVA_OPTS" >&2
