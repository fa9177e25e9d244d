#!/usr/bin/env bash
# Start-up of the packaged service (docs/operations.md#start-up). Builds the jar (fast-jar, Java 17) and the aot-jar, trains
# the aot-jar's caches with src/main/docker/aot-train.sh, then starts each variant RUNS times (default 3), in turn:
#   JVM plain (JDK 17) · AppCDS (JDK 17, app-cds.jsa) · JVM plain (JDK 25) · AOT cache (JDK 25, app.aot)
# measuring the time from the command to /q/health/ready answering 200, the CPU time the process had used by then
# (all its threads; less sensitive than wall time to other load on the machine) and the JIT compiler threads' part of
# it, the main thread's time on a core and waiting for one, the RSS one second later, Quarkus's own "started in" and
# the JVM's start before Quarkus's clock begins. Production profile, no Twilio traffic, loopback only; every start is
# bounded (60 s) and stopped.
# Prints a Markdown table. JDK 25: JDK25 (default /usr/lib/jvm/temurin-25-jdk-amd64); without one its rows are
# skipped, and the script says so. STARTUP_JAVA_OPTS: JVM options of every measured start (default none).
# STARTUP_SKIP_BUILD=1 measures again the builds and caches left in bench/out/startup by an earlier run.
#
# STARTUP_CHECK=1 (CI): builds the documented `./mvnw package -Paot` with JDK 25 (or, without one, Java 17's AppCDS),
# starts it once from its cache with the JVM told to refuse a cache that does not fit, checks /q/health/ready, two
# make_calls against the embedded sandbox (with no duplicate-gauge WARN, and no fault-tolerance gauge registered twice
# even at DEBUG), and that the application's classes were loaded from the cache.
set -euo pipefail
cd "$(dirname "$0")/.."

JDK25="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA25="$JDK25/bin/java"
RUNS="${RUNS:-3}"
OUT="bench/out/startup"
LOGS="$(mktemp -d)"
PID=""
cleanup() {
    if [ -n "$PID" ]; then kill -9 "$PID" 2>/dev/null || true; fi
    rm -rf "$LOGS"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
have_jdk25() { [ -x "$JAVA25" ] && "$JAVA25" -version >/dev/null 2>&1; }

# start APP_DIR JAVA LOG [JVM options…]: starts the service from its directory (as docs/operations.md runs it) and waits for
# readiness; sets PID, PORT, READY_MS (command to ready), CPU_MS (CPU time used by then), JIT_MS and MAIN_MS, or fails
# after 60 s.
start() {
    local app="$1" java="$2" log="$3"
    shift 3
    PORT="${QUARKUS_HTTP_PORT:-$(free_port)}"
    local t0
    t0="$(now_ms)"
    # shellcheck disable=SC2086 # STARTUP_JAVA_OPTS is a list of options
    (cd "$app" && exec env SHUTDOWN_DELAY=0s QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$PORT" \
        "$java" ${STARTUP_JAVA_OPTS:-} "$@" -jar quarkus-run.jar) >"$log" 2>&1 &
    PID=$!
    for _ in $(seq 1 6000); do
        if curl -fs -o /dev/null "http://127.0.0.1:$PORT/q/health/ready"; then
            READY_MS=$(($(now_ms) - t0))
            CPU_MS="$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$PID/stat")"
            # The JIT compiler threads' share of it (they compete with the main thread for the 2 cores).
            JIT_MS="$(for task in /proc/"$PID"/task/*; do
                case "$(cat "$task/comm" 2>/dev/null)" in C1\ Compiler*|C2\ Compiler*) cat "$task/stat" ;; esac
            done | awk -v hz="$(getconf CLK_TCK)" '{sum += $14 + $15} END {print int(sum * 1000 / hz)}')"
            # The main thread runs Quarkus's start: its time on a core, and runnable but waiting for one (the JIT
            # compilers hold the other core), from the kernel's schedstat.
            MAIN_MS="$(for task in /proc/"$PID"/task/*; do
                if [ "${task##*/}" != "$PID" ] && [ "$(cat "$task/comm" 2>/dev/null)" = java ]; then
                    cat "$task/schedstat"
                fi
            done | awk 'NR == 1 {printf "%d/%d", $1 / 1e6, $2 / 1e6}')"
            T0_MS="$t0"
            return 0
        fi
        kill -0 "$PID" 2>/dev/null || { cat "$log" >&2; echo "the service exited during start-up" >&2; exit 1; }
        sleep 0.01
    done
    cat "$log" >&2
    echo "not ready within 60 s" >&2
    exit 1
}
stop() {
    kill -TERM "$PID"
    for _ in $(seq 1 300); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
    PID=""
}

if [ "${STARTUP_CHECK:-0}" = 1 ]; then
    if have_jdk25; then
        echo "JDK 25 at $JDK25: building with -Paot and checking its Leyden AOT cache (app.aot)" >&2
        JAVA="$JAVA25"
        CACHE=(-XX:AOTCache=app.aot -XX:AOTMode=on)
        JAVA_HOME="$JDK25" ./mvnw -B -ntp -q package -DskipTests -Paot
    else
        echo "No JDK 25 at $JDK25 (set JDK25): checking the AppCDS archive (app-cds.jsa) on Java 17 instead" >&2
        JAVA=java
        CACHE=(-XX:SharedArchiveFile=app-cds.jsa -Xshare:on)
        ./mvnw -B -ntp -q package -DskipTests -Paot
    fi
    CLASSES="$LOGS/classes.log"
    # The sandbox profile serves the embedded Twilio sandbox; TWILIO_BASE_URL points the REST client at it.
    PORT="$(free_port)"
    # Micrometer warns of the first gauge registered twice only, and logs the others at DEBUG: show them all.
    QUARKUS_PROFILE=sandbox TWILIO_BASE_URL="http://127.0.0.1:$PORT/sandbox" QUARKUS_HTTP_PORT="$PORT" \
        start target/quarkus-app "$JAVA" "$LOGS/check.log" "${CACHE[@]}" "-Xlog:class+load=info:file=$CLASSES" \
        '-Dquarkus.log.category."io.micrometer.core.instrument.MeterRegistry".level=DEBUG'
    for _ in 1 2; do
        answer="$(curl -s "http://127.0.0.1:$PORT/v1/actions/make_call" -H 'Authorization: Bearer sandbox-service-key' \
            -H 'Content-Type: application/json' -d '{"account_sid": "AC0123456789abcdef0123456789abcdef",
            "to": "+14155551234", "from_": "+15005550006", "twiml": "<Response><Say>Hi</Say></Response>"}')"
        case "$answer" in *'"success":true'*) ;; *) stop; echo "make_call from the cache failed: $answer" >&2; exit 1 ;; esac
    done
    stop
    # The first Twilio request must not log Quarkus 3.33's duplicate-gauge warning (filtered in application.properties).
    if grep -q 'WARN.*This Gauge has been already registered' "$LOGS/check.log"; then
        echo "the duplicate http.client.active.connections gauge warning was logged" >&2
        exit 1
    fi
    # A guarded Twilio operation registers its circuit-breaker gauges once, not on every call (twilio/TwilioGuards).
    if grep -q "already registered (MeterId{name='ft\." "$LOGS/check.log"; then
        grep "already registered (MeterId{name='ft\." "$LOGS/check.log" | head -3 >&2
        echo "a fault-tolerance gauge was registered again on the second make_call" >&2
        exit 1
    fi
    cached="$(grep -c 'dev\.voicegate\..* source: shared objects file' "$CLASSES" || true)"
    from_jar="$(grep -c 'dev\.voicegate\..* source: file:' "$CLASSES" || true)"
    echo "ready in ${READY_MS} ms from ${CACHE[0]}; two make_calls succeeded; dev.voicegate classes from the cache:" \
        "$cached, from the jar: $from_jar" >&2
    [ "$cached" -ge 50 ] || { echo "the application's classes did not come from the cache" >&2; exit 1; }
    exit 0
fi

if [ "${STARTUP_SKIP_BUILD:-0}" != 1 ] || [ ! -d "$OUT/appcds" ]; then
    echo "building the jar and the aot-jar, training the caches…" >&2
    rm -rf "$OUT"
    mkdir -p "$OUT"
    ./mvnw -B -ntp -q package -DskipTests >"$LOGS/build.log" 2>&1 || { cat "$LOGS/build.log" >&2; exit 1; }
    cp -a target/quarkus-app "$OUT/plain"
    ./mvnw -B -ntp -q package -DskipTests -Dquarkus.package.jar.type=aot-jar >"$LOGS/build.log" 2>&1 \
        || { cat "$LOGS/build.log" >&2; exit 1; }
    cp -a target/quarkus-app "$OUT/appcds"
    JAVA=java bash src/main/docker/aot-train.sh "$OUT/appcds"
    if have_jdk25; then
        cp -a target/quarkus-app "$OUT/aot"
        JAVA="$JAVA25" bash src/main/docker/aot-train.sh "$OUT/aot"
    fi
fi
VARIANTS=("none (plain jar)|JDK 17|plain|java|"
    "AppCDS (app-cds.jsa)|JDK 17|appcds|java|-XX:SharedArchiveFile=app-cds.jsa -Xshare:on")
if have_jdk25 && [ -f "$OUT/aot/app.aot" ]; then
    VARIANTS+=("none (plain jar)|JDK 25|plain|$JAVA25|"
        "AOT cache (app.aot)|JDK 25|aot|$JAVA25|-XX:AOTCache=app.aot -XX:AOTMode=on")
else
    echo "No JDK 25 at $JDK25 (set JDK25): the JDK 25 rows are skipped" >&2
fi

declare -A READY CPU JIT MAIN RSS STARTED BOOT
for run in $(seq 1 "$RUNS"); do
    for variant in "${VARIANTS[@]}"; do
        IFS='|' read -r name jdk dir java flags <<<"$variant"
        log="$LOGS/run.log"
        # shellcheck disable=SC2086 # flags is a list of options
        start "$OUT/$dir" "$java" "$log" $flags
        sleep 1
        rss=$(($(awk '/VmRSS/ {print $2}' "/proc/$PID/status") / 1024))
        stop
        started="$(grep -o 'started in [0-9.]*s' "$log" | grep -o '[0-9.]*' || echo '?')"
        # "started in" counts from Quarkus's own clock: the JVM's start before it (with app.aot: loading every
        # class of the cache) is the time to the JSON log line that says so, less "started in".
        logged="$(grep 'started in' "$log" | grep -o '"timestamp":"[^"]*"' | cut -d'"' -f4 || true)"
        boot='?'
        if [ -n "$logged" ] && [ "$started" != '?' ]; then
            boot=$(($(date -d "$logged" +%s%N) / 1000000 - T0_MS - $(awk -v s="$started" 'BEGIN {print int(s * 1000)}')))
        fi
        echo "run $run, $name on $jdk: ready in $READY_MS ms, CPU $CPU_MS ms (JIT threads $JIT_MS;" \
            "main thread on a core / waiting $MAIN_MS), RSS $rss MiB," \
            "Quarkus started in $started s, before Quarkus's clock $boot ms" >&2
        READY["$name|$jdk"]+="$READY_MS "
        CPU["$name|$jdk"]+="$CPU_MS "
        RSS["$name|$jdk"]+="$rss "
        STARTED["$name|$jdk"]+="$started "
        JIT["$name|$jdk"]+="$JIT_MS "
        MAIN["$name|$jdk"]+="${MAIN_MS:-?} "
        BOOT["$name|$jdk"]+="$boot "
    done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
list() { sed 's/ $//; s/ /, /g'; }
echo
echo "| JVM | start-up cache | ready, ms ($RUNS runs) | median | CPU used by then, ms | of which JIT, ms |" \
    "main thread on a core / waiting for one, ms | RSS 1 s later, MiB | Quarkus \"started in\", s |" \
    "JVM start before it, ms |"
echo "|---|---|---|---:|---|---|---|---|---|---|"
for variant in "${VARIANTS[@]}"; do
    IFS='|' read -r name jdk _ <<<"$variant"
    key="$name|$jdk"
    echo "| $jdk | $name | $(list <<<"${READY[$key]}") | $(median <<<"${READY[$key]}") |" \
        "$(list <<<"${CPU[$key]}") | $(list <<<"${JIT[$key]}") | $(list <<<"${MAIN[$key]}") |" \
        "$(list <<<"${RSS[$key]}") |" \
        "$(list <<<"${STARTED[$key]}") | $(list <<<"${BOOT[$key]}") |"
done
echo
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $(java -version 2>&1 | head -1)" \
    "${STARTUP_JAVA_OPTS:+; JVM options: $STARTUP_JAVA_OPTS}"
