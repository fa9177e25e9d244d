#!/usr/bin/env bash
# Trains the JVM's start-up cache for a Quarkus app built with -Paot (aot-jar packaging), on real requests:
#   JDK 25+: APP_DIR/app.aot      (Leyden AOT cache)  run: java -XX:AOTCache=app.aot -jar quarkus-run.jar
#   JDK 17:  APP_DIR/app-cds.jsa  (AppCDS archive)    run: java -XX:SharedArchiveFile=app-cds.jsa -jar quarkus-run.jar
# Both are bound to the exact JDK build that runs this script: run it with the JDK that will run the service
# (src/main/docker/Dockerfile.jvm-aot runs it inside the runtime image).
#
# The training run is the service itself in the sandbox profile (the embedded Twilio sandbox, loopback only),
# driven by the REQUESTS list below for AOT_TRAIN_ROUNDS rounds: the catalog, OpenAPI, health and metrics, every
# action as tool calls, REST resources and MCP tools/call, and refused requests. To train a new endpoint, add a line.
# Fails if a request gets another status than its line expects, or if no cache is written.
#
# Usage: aot-train.sh [APP_DIR, default target/quarkus-app]
# Environment: JAVA (default $JAVA_HOME/bin/java, else java), AOT_TRAIN_JAVA_OPTS (JVM options of the training
# run; use the production ones), AOT_TRAIN_PORT (default: a free loopback port), AOT_TRAIN_ROUNDS (default 20).
set -euo pipefail

APP="$(cd "${1:-target/quarkus-app}" && pwd)"
JAVA="${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"
ROUNDS="${AOT_TRAIN_ROUNDS:-20}"
AC=AC0123456789abcdef0123456789abcdef
KEY=sandbox-service-key

# status  method  path  [JSON body]   ({ac} is the sandbox account; lines with {call_sid} run once a call was placed,
# lines with {recording_sid} once a recording exists, about 5 s after the recorded call). Every request but those expecting 401 sends the service key; all
# prefer JSON or event streams, and echo a session id (MCP's Mcp-Session-Id) once the service has handed one out.
REQUESTS=$(cat <<'EOF'
200 GET  /q/health/ready
200 GET  /v1/actions
200 GET  /q/openapi
200 POST /v1/actions/make_call {"account_sid":"{ac}","to":"+14155551234","from_":"+15005550006","twiml":"<Response><Say>Hello from Voicegate</Say></Response>","record":true}
200 POST /v1/actions/make_call {"account_sid":"{ac}","to":"+14155551234","from_":"+15005550006","url":"https://example.com/twiml","idempotency_key":"aot-training"}
200 POST /v1/actions/make_call {"account_sid":"{ac}","to":"+15005550001","from_":"+15005550006","url":"https://example.com/twiml"}
200 POST /v1/actions/make_call {"account_sid":"{ac}","to":"not-a-number","from_":"+15005550006"}
200 POST /v1/actions/list_calls {"account_sid":"{ac}","page_size":20}
200 POST /v1/actions/list_calls {"account_sid":"{ac}","status":"completed","include_recordings":false}
201 POST /v1/accounts/{ac}/calls {"to":"+14155551234","from":"+15005550006","url":"https://example.com/twiml"}
400 POST /v1/accounts/{ac}/calls {"to":"+14155551234","from":"+15005550006"}
200 GET  /v1/accounts/{ac}/calls?page_size=2&include_recordings=true
401 GET  /v1/accounts/{ac}/calls?page_size=2
404 POST /v1/actions/no_such_action {}
200 POST /v1/actions/get_recording {"account_sid":"{ac}","recording_sid":"{recording_sid}"}
200 GET  /v1/accounts/{ac}/recordings/{recording_sid}
200 POST /mcp {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"aot-train","version":"1"}}}
200 POST /mcp {"jsonrpc":"2.0","id":2,"method":"tools/list"}
200 POST /mcp {"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"list_calls","arguments":{"account_sid":"{ac}","page_size":5}}}
200 POST /mcp {"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"make_call","arguments":{"account_sid":"{ac}","to":"+14155551234","from_":"+15005550006","url":"https://example.com/twiml"}}}
200 POST /mcp {"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"get_call","arguments":{"account_sid":"{ac}","call_sid":"{call_sid}"}}}
200 POST /mcp {"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"get_recording","arguments":{"account_sid":"{ac}","recording_sid":"{recording_sid}"}}}
200 POST /v1/actions/get_call {"account_sid":"{ac}","call_sid":"{call_sid}"}
200 GET  /v1/accounts/{ac}/calls/{call_sid}?include_recordings=true
200 GET  /q/metrics
EOF
)

version="$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')"
if [ "${version%%.*}" -ge 25 ]; then
    CACHE="$APP/app.aot"
    RECORD="-XX:AOTCacheOutput=$CACHE"
else
    CACHE="$APP/app-cds.jsa"
    RECORD="-XX:ArchiveClassesAtExit=$CACHE"
fi
rm -f "$CACHE"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT="${AOT_TRAIN_PORT:-}"
while [ -z "$PORT" ]; do
    candidate=$((20000 + RANDOM % 40000))
    if port_free "$candidate"; then PORT="$candidate"; fi
done
BASE="http://127.0.0.1:$PORT"
LOG="$(mktemp)"
BODY="$(mktemp)"
HEADERS="$(mktemp)"
PID=""
cleanup() {
    if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
        kill -9 "$PID" 2>/dev/null || true
        rm -f "$CACHE" "$CACHE.config" # a failed run leaves no half-written cache behind
    fi
    rm -f "$LOG" "$BODY" "$HEADERS"
}
trap cleanup EXIT

echo "aot-train: JDK $version ($JAVA), training $CACHE on $BASE" >&2
# shellcheck disable=SC2086 # AOT_TRAIN_JAVA_OPTS is a list of options
env -u REDIS_URL -u TWILIO_API_KEY -u TWILIO_API_SECRET -u OTEL_EXPORTER_OTLP_ENDPOINT \
    QUARKUS_PROFILE=sandbox QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT="$PORT" \
    TWILIO_BASE_URL="$BASE/sandbox" TWILIO_ACCOUNT_SID="$AC" TWILIO_AUTH_TOKEN=sandbox-auth-token \
    SERVICE_API_KEYS="$KEY" LOG_JSON=true SHUTDOWN_DELAY=0s \
    "$JAVA" ${AOT_TRAIN_JAVA_OPTS:-} "$RECORD" -jar "$APP/quarkus-run.jar" >"$LOG" 2>&1 &
PID=$!

fail() { echo "aot-train: $*" >&2; tail -n 30 "$LOG" >&2; exit 1; }
for _ in $(seq 1 1200); do
    curl -fs -o /dev/null "$BASE/q/health/ready" && break
    kill -0 "$PID" 2>/dev/null || fail "the service exited during start-up"
    sleep 0.1
done
curl -fs -o /dev/null "$BASE/q/health/ready" || fail "not ready after 120 s"

SESSION=""
RECORDING_SID=""
CALL_SID=""
send() { # status method path [body]
    local expected="$1" method="$2" path="${3//\{ac\}/$AC}" body="${4:-}" auth=(-H "Authorization: Bearer $KEY")
    path="${path//\{recording_sid\}/$RECORDING_SID}"
    path="${path//\{call_sid\}/$CALL_SID}"
    body="${body//\{ac\}/$AC}"
    body="${body//\{recording_sid\}/$RECORDING_SID}"
    body="${body//\{call_sid\}/$CALL_SID}"
    if [ "$expected" = 401 ]; then auth=(); fi
    local args=(-s -o "$BODY" -D "$HEADERS" -w '%{http_code}' -X "$method" "${auth[@]}"
        -H 'Accept: application/json, text/event-stream, */*;q=0.1' ${SESSION:+-H "Mcp-Session-Id: $SESSION"})
    [ -z "$body" ] || args+=(-H 'Content-Type: application/json' --data-binary "$body")
    local status
    status="$(curl "${args[@]}" "$BASE$path")" || fail "$method $path: no answer"
    [ "$status" = "$expected" ] || fail "$method $path: HTTP $status, expected $expected: $(head -c 300 "$BODY")"
    local session
    session="$(tr -d '\r' <"$HEADERS" | awk -F': ' 'tolower($1) == "mcp-session-id" {print $2}')"
    if [ -n "$session" ]; then SESSION="$session"; fi
    if [ -z "$CALL_SID" ]; then
        CALL_SID="$(grep -o '"CA[0-9a-f]\{32\}"' "$BODY" | head -n 1 | tr -d '"')" || true
    fi
    if [ -z "$RECORDING_SID" ]; then
        RECORDING_SID="$(grep -o '"RE[0-9a-f]\{32\}"' "$BODY" | head -n 1 | tr -d '"')" || true
    fi
}
round() {
    while read -r expected method path body; do
        case "$expected" in ''|'#'*) continue ;; esac
        if [[ "$path$body" == *'{recording_sid}'* && -z "$RECORDING_SID" ]]; then continue; fi
        if [[ "$path$body" == *'{call_sid}'* && -z "$CALL_SID" ]]; then continue; fi
        send "$expected" "$method" "$path" "$body"
    done <<<"$REQUESTS"
}

for _ in $(seq 1 "$ROUNDS"); do round; done
# The recorded call completes about 5 s after it was placed; then train the lines that need its recording.
for _ in $(seq 1 30); do
    [ -n "$RECORDING_SID" ] && break
    sleep 1
    send 200 POST /v1/actions/list_calls '{"account_sid":"{ac}","page_size":20}'
done
[ -n "$RECORDING_SID" ] || fail "no recording appeared in list_calls within 30 s"
for _ in $(seq 1 "$ROUNDS"); do round; done

# The JVM writes the cache as it exits (JDK 25 then assembles it in a second JVM): allow it time.
kill -TERM "$PID"
for _ in $(seq 1 1800); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$PID" 2>/dev/null && fail "the service did not exit within 180 s of SIGTERM"
wait "$PID" || true
PID=""
[ -s "$CACHE" ] || fail "no cache written to $CACHE"
echo "aot-train: wrote $CACHE ($(du -h "$CACHE" | cut -f1)) after $((2 * ROUNDS)) rounds of requests" >&2
