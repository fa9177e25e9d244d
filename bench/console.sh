#!/usr/bin/env bash
# Issue #23's bench rows: the operator console. A Twilio stand-in answering at once (bench/src/CallbacksBench.java:
# calls of 2 s with Twilio's signed callbacks) and the packaged service against it with PUBLIC_URL, three named agent
# keys and an operator key, on free loopback ports (bench/src/ConsoleBench.java drives it). Rows 1 and 2 run with the
# ledger in memory, then in a redis-server of its own (when on the PATH):
#  1. the calls page over a full ledger: SEED_CALLS make_calls (default 10,000, the in-memory ledger's bound), most
#     from one key, over 500 numbers, each completed by its callbacks; then, signed in, GET /console/calls one at a
#     time (PAGE_SAMPLES, default 2,000, after PAGE_WARMUP, default 3,000): the client's p50/p90/p99 and the server's
#     own mean (Micrometer's http_server_requests_seconds); the same with a filter that matches nothing (every entry
#     read);
#  2. a live update: with /console/stream/calls open, LIVE_UPDATES times (default 100) a new call, then a signed
#     `ringing` callback posted as Twilio would, timed to the first `ledger` event after which the page's rows show it,
#     and to those rows fetched again;
#  3. start-up: the same jar with CONSOLE_ENABLED=false and with the console, STARTUP_ROUNDS (default 7) alternating
#     starts one at a time (each round begins with the next variant): command to /q/health/ready, Quarkus's own
#     "started in", the CPU used by then, RSS 1 s later, and RSS after TRAFFIC_CALLS make_calls (default 500, in every
#     variant) and RENDERS renders of the calls page (default 20; 404s without the console). BASE_JAR=<quarkus-run.jar>
#     adds a jar without the console at all (e.g. main before it), named by BASE_NAME. STARTUP_ONLY=1: this row alone.
# Prints one Markdown table; kills what it started. BENCH_SKIP_BUILD=1 uses the jar already in target/quarkus-app.
# BENCH_QUICK=1 (CI, about a minute on a busy machine): 100 calls, a few cold iterations, one start each: it checks
# that the script runs, and its figures are not measurements.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK="${BENCH_QUICK:-0}"
export BENCH_QUICK="$QUICK"
if [ "$QUICK" = 1 ]; then
    export SEED_CALLS="${SEED_CALLS:-100}"
    STARTUP_ROUNDS="${STARTUP_ROUNDS:-1}"
    RENDERS="${RENDERS:-5}"
    TRAFFIC_CALLS="${TRAFFIC_CALLS:-20}"
else
    export SEED_CALLS="${SEED_CALLS:-10000}"
    STARTUP_ROUNDS="${STARTUP_ROUNDS:-7}"
    RENDERS="${RENDERS:-20}"
    TRAFFIC_CALLS="${TRAFFIC_CALLS:-500}"
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

# Rows 1 and 2: one service, with PUBLIC_URL so that make_call asks for callbacks and the receiver verifies them; in
# memory, then (when redis-server is on the PATH) with the ledger in a Redis of its own.
pages_and_live() { # store, extra environment…
    local store="$1"; shift
    local port service
    port="$(free_port)"
    service="http://127.0.0.1:$port"
    start_service "$JAR" "$port" PUBLIC_URL="$service" "$@"
    wait_for "$service/q/health/ready" 120
    echo "$store: seeding the ledger with $SEED_CALLS make_calls of 2 s calls and their callbacks…" >&2
    "${DRIVER[@]}" seed "$STANDIN" "$service" "$ACCOUNT" "$SEED_CALLS" "$AGENTS"
    "${DRIVER[@]}" page "$service" "$OPERATOR_KEY" "page-$store" >>"$RESULTS"
    "${DRIVER[@]}" page "$service" "$OPERATOR_KEY" "scan-$store" "status=busy" >>"$RESULTS"
    echo "$store: live updates, signed callbacks to the ledger event on an open stream…" >&2
    "${DRIVER[@]}" live "$STANDIN" "$service" "$OPERATOR_KEY" "$ACCOUNT" "$TOKEN" "${AGENTS%%,*}" "live-$store" >>"$RESULTS"
    stop "$SERVICE_PID"
}
if [ "${STARTUP_ONLY:-0}" != 1 ]; then
    pages_and_live memory
    if command -v redis-server >/dev/null 2>&1; then
        REDIS_PORT="$(free_port)"
        redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
        PIDS+=("$!")
        REDIS_PID=$!
        for _ in $(seq 1 100); do (echo >"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null && break; sleep 0.1; done
        pages_and_live redis REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
        stop "$REDIS_PID"
    else
        echo "no redis-server on the PATH: the rows with the ledger in Redis are skipped" >&2
    fi
fi

# Row 3: start-up, one service at a time, alternating between the variants.
now_ms() { echo $(($(date +%s%N) / 1000000)); }
rss_mib() { echo $(($(awk '/VmRSS/ {print $2}' "/proc/$1/status") / 1024)); }
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
VARIANTS=(off on)
if [ -n "${BASE_JAR:-}" ]; then
    VARIANTS=(base off on)
    export BASE_NAME="${BASE_NAME:-\`$BASE_JAR\`}"
fi
declare -A READY CPU RSS RSS_AFTER STARTED
for round in $(seq 1 "$STARTUP_ROUNDS"); do
    # Each round starts with the next variant, so that none is always first after the previous round's stop.
    shift_by=$(((round - 1) % ${#VARIANTS[@]}))
    for variant in "${VARIANTS[@]:$shift_by}" "${VARIANTS[@]:0:$shift_by}"; do
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
        "${DRIVER[@]}" render "http://127.0.0.1:$port" "$OPERATOR_KEY" "$RENDERS" "$ACCOUNT" "${AGENTS%%,*}" "$TRAFFIC_CALLS"
        sleep 1
        rss_after="$(rss_mib "$SERVICE_PID")"
        stop "$SERVICE_PID"
        started="$(grep -o 'started in [0-9.]*s' "$WORK/service-$port.log" | grep -o '[0-9.]*' | awk '{print int($1 * 1000)}' || true)"
        echo "round $round, $variant: ready in $ready ms (Quarkus: started in $started ms), CPU $cpu ms, RSS $rss MiB," \
            "after $TRAFFIC_CALLS make_calls and $RENDERS renders $rss_after MiB" >&2
        READY[$variant]+="$ready "
        CPU[$variant]+="$cpu "
        RSS[$variant]+="$rss "
        RSS_AFTER[$variant]+="$rss_after "
        STARTED[$variant]+="$started "
    done
done
for variant in "${VARIANTS[@]}"; do
    echo "startup-$variant rounds=$STARTUP_ROUNDS renders=$RENDERS calls=$TRAFFIC_CALLS ready=$(median <<<"${READY[$variant]}")" \
        "ready_runs=$(sed 's/ $//; s/ /\//g' <<<"${READY[$variant]}") cpu=$(median <<<"${CPU[$variant]}")" \
        "rss=$(median <<<"${RSS[$variant]}") rss_after=$(median <<<"${RSS_AFTER[$variant]}")" \
        "started=$(median <<<"${STARTED[$variant]}")" >>"$RESULTS"
done

"${DRIVER[@]}" table "$RESULTS"
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)," \
    "service JVM flags: $SERVICE_JAVA_OPTS" >&2
