#!/usr/bin/env bash
# The published OpenAPI document (issue #13): starts the packaged jar on the sandbox on a free loopback port,
# takes /q/openapi, lints it with Redocly's recommended rules (redocly.yaml: no error, no warning), then generates
# a Java client from it (openapi/client, code in openapi/client/target), compiles it and runs its test against the
# sandbox. Needs the jar (./mvnw package; built here when missing), Java 17, and npx with the npm registry.
# Stops by itself; kills what it started.
set -euo pipefail
cd "$(dirname "$0")/.."

REDOCLY=@redocly/cli@2.77.0
OUT=target/openapi
mkdir -p "$OUT"
SERVICE_PID=""
cleanup() {
    if [ -n "$SERVICE_PID" ]; then kill "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
    echo "building the jar…" >&2
    ./mvnw -B -q package -DskipTests >"$OUT/build.log" 2>&1 || { cat "$OUT/build.log" >&2; exit 1; }
fi

PORT="$(free_port)"
URL="http://127.0.0.1:$PORT"
QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$PORT" \
    java -Dquarkus.profile=sandbox -jar target/quarkus-app/quarkus-run.jar >"$OUT/service.log" 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 600); do curl -fs -o /dev/null "$URL/q/health/ready" && break; sleep 0.1; done
curl -fsS -o /dev/null "$URL/q/health/ready" || { echo "the service did not start:" >&2; cat "$OUT/service.log" >&2; exit 1; }

curl -fsS "$URL/q/openapi" -o "$OUT/openapi.yaml"
curl -fsS "$URL/q/openapi?format=json" -o "$OUT/openapi.json"
echo "lint of /q/openapi ($REDOCLY, redocly.yaml):" >&2
npx -y "$REDOCLY" lint --format=stylish "$OUT/openapi.yaml"

echo "client generated from /q/openapi, against the sandbox:" >&2
./mvnw -B -ntp -f openapi/client/pom.xml test -Dopenapi.document="$PWD/$OUT/openapi.json" -Dvoicegate.url="$URL"
