#!/usr/bin/env bash
# The kill switch's reach (issue #22, "measure how long the switch takes to reach the other replicas: the target is
# within 1 s"): a redis-server on loopback, the Twilio stand-in, and the packaged service twice on that Redis, each
# with a named agent key and an operator key; bench/src/KillSwitchBench.java suspends and resumes the agent on one
# replica and times until the other refuses (or serves) it. Prints one Markdown table.
# Needs redis-server on the PATH. BENCH_QUICK=1: a few rounds; BENCH_SKIP_BUILD=1 uses the jar in target/.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICE_JAVA_OPTS="${SERVICE_JAVA_OPTS:--Xmx128m -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -Xss512k}"
ACCOUNT=AC0123456789abcdef0123456789abcdef
AGENT_KEY=bench-agent-key
OPERATOR_KEY=bench-operator-key
KEYS=(-Dvoicegate.access.keys.agent.secret-sha256="$(printf %s "$AGENT_KEY" | sha256sum | cut -d' ' -f1)"
    -Dvoicegate.access.keys.ops.secret-sha256="$(printf %s "$OPERATOR_KEY" | sha256sum | cut -d' ' -f1)"
    -Dvoicegate.access.keys.ops.role=operator)
# shellcheck source=bench/common.sh
source bench/common.sh
command -v redis-server >/dev/null 2>&1 || { echo "redis-server is needed on the PATH" >&2; exit 1; }

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f target/quarkus-app/quarkus-run.jar ]; then
    echo "building the jar…" >&2
    ./mvnw -B -q package -DskipTests >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
fi

STANDIN_PORT="$(free_port)"
java -Xmx256m -XX:+UseParallelGC bench/src/TwilioStandIn.java "$STANDIN_PORT" 0 >"$WORK/standin.log" 2>&1 &
PIDS+=("$!")
REDIS_PORT="$(free_port)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
PIDS+=("$!")
wait_for "http://127.0.0.1:$STANDIN_PORT/__stats" 60

start_replica() { # port
    # shellcheck disable=SC2086
    env TWILIO_BASE_URL="http://127.0.0.1:$STANDIN_PORT" TWILIO_ACCOUNT_SID="$ACCOUNT" TWILIO_AUTH_TOKEN=bench-token \
        REDIS_URL="redis://127.0.0.1:$REDIS_PORT" QUARKUS_HTTP_PORT="$1" QUARKUS_HTTP_HOST=127.0.0.1 \
        java $SERVICE_JAVA_OPTS "${KEYS[@]}" -jar target/quarkus-app/quarkus-run.jar >"$WORK/service-$1.log" 2>&1 &
    PIDS+=("$!")
}
A_PORT="$(free_port)"
B_PORT="$(free_port)"
start_replica "$A_PORT"
start_replica "$B_PORT"
wait_for "http://127.0.0.1:$A_PORT/q/health/ready" 120
wait_for "http://127.0.0.1:$B_PORT/q/health/ready" 120

java -Xmx256m bench/src/KillSwitchBench.java "http://127.0.0.1:$A_PORT" "http://127.0.0.1:$B_PORT" "$ACCOUNT" \
    "$AGENT_KEY" "$OPERATOR_KEY"
echo "$(nproc) cores, $(java -version 2>&1 | head -1), service JVM flags: $SERVICE_JAVA_OPTS" >&2
