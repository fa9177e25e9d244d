#!/usr/bin/env bash
# Where make_call's CPU goes (issue #25, docs/performance.md#25-make_calls-cpu): starts the stand-in at 0 ms latency
# and the service with the bench's JVM flags, pinned to the first core, the stand-in and the load on the others.
# The load (bench/src/MakeCallLoad.java, one JVM, so that the driver is warm too) warms up with WARM rounds (default
# 3) of 20,000 make_calls at 64 concurrent, then records N more (default 30,000) with JFR sampling every 1 ms, and
# prints the service's CPU per make_call, the calls/s through the service and straight to the stand-in, and the top of
# the profile (bench/src/JfrTop.java). JFR=0: no recording (the CPU per call without JFR's own cost). The recording
# stays in $JFR_FILE (default target/make-call.jfr) for JDK Mission Control. SERVICE_APP: the application directory
# to run (default target/quarkus-app, built if missing), e.g. an earlier commit's build, to compare versions on the
# same machine and load. FLOOR=1 also measures bench/floor, the same make_call through nothing but Quarkus REST and a
# REST client (JSON in, one form POST, JSON out), with the same flags, warm-up and load: the least this stack costs
# per make_call here, against which the service's CPU reads.
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
[ -n "${SERVICE_APP:-}" ] || [ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests
SERVICE_APP="$(cd "${SERVICE_APP:-target/quarkus-app}" && pwd)"
pin_cores
STANDIN_PORT="$(free_port)"
"${LOAD_PIN[@]}" java -Xmx512m -XX:+UseParallelGC bench/src/TwilioStandIn.java "$STANDIN_PORT" 0 >"$WORK/standin.log" 2>&1 &
PIDS+=("$!")
wait_for "http://127.0.0.1:$STANDIN_PORT/__stats" 60
# JFR's settings: the "profile" ones, with a sample every 1 ms instead of 10 (enough samples in a short run).
sed 's|<setting name="period" control="method-sampling-java-interval">10 ms</setting>|<setting name="period" control="method-sampling-java-interval">1 ms</setting>|' \
    "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" >"$WORK/profile.jfc"
# measure <application dir> <name> <URL path that answers when it is up>: starts it on the service's core, loads
# it, stops it.
measure() {
    local port pid hooks=()
    port="$(free_port)"
    (cd "$1" && TWILIO_BASE_URL="http://127.0.0.1:$STANDIN_PORT" TWILIO_ACCOUNT_SID="$ACCOUNT" TWILIO_AUTH_TOKEN=bench-token \
        SERVICE_API_KEYS="$KEY" QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 MALLOC_ARENA_MAX=2 \
        exec "${SERVICE_PIN[@]}" java $SERVICE_JAVA_OPTS -jar quarkus-run.jar >"$WORK/$2.log" 2>&1) &
    pid=$!
    PIDS+=("$pid")
    wait_for "http://127.0.0.1:$port$3" 60
    if [ "${JFR:-1}" != 0 ] && [ "$2" = service ]; then
        hooks=(-Dbefore="jcmd $pid JFR.start name=make-call settings=$WORK/profile.jfc filename=$(pwd)/$JFR_FILE >/dev/null"
            -Dafter="jcmd $pid JFR.stop name=make-call >/dev/null")
    fi
    echo "$2 ($1):"
    "${LOAD_PIN[@]}" java "${hooks[@]}" bench/src/MakeCallLoad.java "http://127.0.0.1:$port" "http://127.0.0.1:$STANDIN_PORT" \
        "$ACCOUNT" "$KEY" "$pid" "$N" "${WARM:-3}"
    kill "$pid"; wait "$pid" 2>/dev/null || true
}
measure "$SERVICE_APP" service /q/health/ready
if [ "${FLOOR:-0}" = 1 ]; then
    [ -f bench/floor/target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -f bench/floor/pom.xml package -DskipTests
    measure "$(pwd)/bench/floor/target/quarkus-app" floor /v1/actions/make_call
fi
[ "${JFR:-1}" = 0 ] || java bench/src/JfrTop.java "$JFR_FILE"
