#!/usr/bin/env bash
# Where make_call's CPU goes (issue #25, docs/performance.md#25-make_calls-cpu): starts the stand-in at 0 ms latency
# and the jar in target/quarkus-app (built if missing) with the bench's JVM flags, the service pinned to the first
# core and the stand-in and the load on the others; warms up with WARM rounds of 20,000 make_calls at 64 concurrent,
# then records N more (default 30,000) with JFR sampling every 1 ms, and prints the service's CPU per make_call, the
# calls/s through the service and straight to the stand-in, and the top of the profile (bench/src/JfrTop.java).
# JFR=0: no recording (the CPU per call without JFR's own cost). The recording stays in $JFR_FILE (default
# target/make-call.jfr) for JDK Mission Control. FLOOR=1 also measures bench/floor, the same make_call through nothing
# but Quarkus REST and a REST client (JSON in, one form POST, JSON out), with the same flags, warm-up and load: the
# least this stack costs per make_call here, against which the service's CPU reads.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/common.sh
source bench/common.sh
ACCOUNT=AC0123456789abcdef0123456789abcdef
KEY=bench-service-key
N="${N:-30000}"
JFR_FILE="${JFR_FILE:-target/make-call.jfr}"
# The service's JVM flags: SERVICE_JAVA_OPTS, by default bench/run.sh's.
SERVICE_JAVA_OPTS="${SERVICE_JAVA_OPTS:-$(sed -n 's/^SERVICE_JAVA_OPTS="\${SERVICE_JAVA_OPTS:-\(.*\)}"$/\1/p' bench/run.sh)}"
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
pin_cores
STANDIN_PORT="$(free_port)"
"${LOAD_PIN[@]}" java -Xmx512m -XX:+UseParallelGC bench/src/TwilioStandIn.java "$STANDIN_PORT" 0 >"$WORK/standin.log" 2>&1 &
PIDS+=("$!")
wait_for "http://127.0.0.1:$STANDIN_PORT/__stats" 60
PORT="$(free_port)"
TWILIO_BASE_URL="http://127.0.0.1:$STANDIN_PORT" TWILIO_ACCOUNT_SID="$ACCOUNT" TWILIO_AUTH_TOKEN=bench-token \
    SERVICE_API_KEYS="$KEY" QUARKUS_HTTP_PORT="$PORT" QUARKUS_HTTP_HOST=127.0.0.1 MALLOC_ARENA_MAX=2 \
    "${SERVICE_PIN[@]}" java $SERVICE_JAVA_OPTS -jar target/quarkus-app/quarkus-run.jar >"$WORK/service.log" 2>&1 &
SERVICE=$!
PIDS+=("$SERVICE")
wait_for "http://127.0.0.1:$PORT/q/health/ready" 60
load() { "${LOAD_PIN[@]}" java bench/src/MakeCallLoad.java "$@"; }
for _ in $(seq 1 "${WARM:-2}"); do load "http://127.0.0.1:$PORT" "$ACCOUNT" "$KEY" 20000 64 >/dev/null; done
# JFR's settings: the "profile" ones, with a sample every 1 ms instead of 10 (enough samples in a short run).
sed 's|<setting name="period" control="method-sampling-java-interval">10 ms</setting>|<setting name="period" control="method-sampling-java-interval">1 ms</setting>|' \
    "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" >"$WORK/profile.jfc"
[ "${JFR:-1}" = 0 ] || jcmd "$SERVICE" JFR.start name=make-call settings="$WORK/profile.jfc" filename="$(pwd)/$JFR_FILE" >/dev/null
before="$(awk '{print $14 + $15}' "/proc/$SERVICE/stat")"
echo "through the service: $(load "http://127.0.0.1:$PORT" "$ACCOUNT" "$KEY" "$N" 64)"
after="$(awk '{print $14 + $15}' "/proc/$SERVICE/stat")"
echo "service CPU per make_call: $(( (after - before) * 1000000 / $(getconf CLK_TCK) / N )) µs$([ "${JFR:-1}" = 0 ] || echo ' (JFR recording adds its own)')"
[ "${JFR:-1}" = 0 ] || jcmd "$SERVICE" JFR.stop name=make-call >/dev/null
if [ "${FLOOR:-0}" = 1 ]; then
    [ -f bench/floor/target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -f bench/floor/pom.xml package -DskipTests
    kill "$SERVICE"; wait "$SERVICE" 2>/dev/null || true
    TWILIO_BASE_URL="http://127.0.0.1:$STANDIN_PORT" QUARKUS_HTTP_PORT="$PORT" QUARKUS_HTTP_HOST=127.0.0.1 \
        MALLOC_ARENA_MAX=2 "${SERVICE_PIN[@]}" java $SERVICE_JAVA_OPTS -jar bench/floor/target/quarkus-app/quarkus-run.jar >"$WORK/floor.log" 2>&1 &
    FLOOR_PID=$!
    PIDS+=("$FLOOR_PID")
    wait_for "http://127.0.0.1:$PORT/v1/actions/make_call" 60
    for _ in $(seq 1 "${WARM:-2}"); do load "http://127.0.0.1:$PORT" "$ACCOUNT" "$KEY" 20000 64 >/dev/null; done
    before="$(awk '{print $14 + $15}' "/proc/$FLOOR_PID/stat")"
    echo "through the floor: $(load "http://127.0.0.1:$PORT" "$ACCOUNT" "$KEY" "$N" 64)"
    after="$(awk '{print $14 + $15}' "/proc/$FLOOR_PID/stat")"
    echo "floor CPU per make_call: $(( (after - before) * 1000000 / $(getconf CLK_TCK) / N )) µs"
fi
echo "straight to the stand-in: $(load "http://127.0.0.1:$STANDIN_PORT" "$ACCOUNT" "$KEY" "$N" 64 direct)"
[ "${JFR:-1}" = 0 ] || java bench/src/JfrTop.java "$JFR_FILE"
