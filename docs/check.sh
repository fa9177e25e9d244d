#!/usr/bin/env bash
# The documentation check, run by .ci/run after ./mvnw verify (README, "Documentation"):
#  1. every relative link and #anchor in README.md and docs/*.md resolves (GitHub's heading slugs);
#  2. every command of the README's "Try it on the sandbox" section runs, in order, against the packaged jar in the
#     sandbox profile on a free loopback port, and succeeds: HTTP 2xx, "success": true in an envelope, no JSON-RPC
#     error or isError in an MCP answer; a command marked "# expect <category>" must be refused with that category
#     (and no 5xx).
# Fails loudly, naming the broken link or the failing command and its answer. Needs bash, curl, jq, Java 17 and
# target/quarkus-app (./mvnw package). DOCS_CHECK_LINKS_ONLY=1 skips part 2.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export LC_ALL=C.UTF-8

problems=0
problem() {
    echo "docs/check.sh: $*" >&2
    problems=$((problems + 1))
}

# ---------------------------------------------------------------------------------------------------------------
# 1. Links and anchors
# ---------------------------------------------------------------------------------------------------------------

# The lines of a Markdown file outside fenced code blocks.
prose() {
    awk '/^[[:space:]]*```/ { fenced = !fenced; next } !fenced { print }' "$1"
}

# GitHub's anchors of a file's headings: lower case, punctuation dropped, spaces to hyphens, -1, -2… for repeats.
anchors() {
    prose "$1" | grep -E '^#{1,6} ' | sed -E 's/^#{1,6} +//; s/ +#+ *$//' \
        | tr '[:upper:]' '[:lower:]' | sed -E 's/[^[:alnum:] _-]//g; s/ /-/g' \
        | awk '{ n = seen[$0]++; print (n ? $0 "-" n : $0) }'
}

for file in README.md docs/*.md; do
    dir=$(dirname "$file")
    while IFS= read -r target; do
        case "$target" in
            http://* | https://* | mailto:*) continue ;;
        esac
        path=${target%%#*}
        anchor=""
        [[ "$target" == *"#"* ]] && anchor=${target#*#}
        resolved=$file
        if [ -n "$path" ]; then
            resolved=$dir/$path
            if [ ! -e "$resolved" ]; then
                problem "$file: broken link ($target): $resolved does not exist"
                continue
            fi
        fi
        if [ -n "$anchor" ]; then
            if [[ "$resolved" != *.md ]]; then
                problem "$file: link ($target) has an anchor into a file that is not Markdown"
            elif ! anchors "$resolved" | grep -qxF -- "$anchor"; then
                problem "$file: broken anchor ($target): no heading of $resolved has the slug '$anchor'"
            fi
        fi
    done < <(prose "$file" | grep -oE '\]\([^)[:space:]]+\)' | sed -E 's/^\]\(//; s/\)$//')
done
if [ "$problems" -gt 0 ]; then
    echo "docs/check.sh: $problems broken link(s) or anchor(s)" >&2
    exit 1
fi
echo "docs/check.sh: every link and anchor of README.md and docs/*.md resolves"
[ "${DOCS_CHECK_LINKS_ONLY:-0}" = 1 ] && exit 0

# ---------------------------------------------------------------------------------------------------------------
# 2. The README's first calls, against the sandbox
# ---------------------------------------------------------------------------------------------------------------

JAR=$ROOT/target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || { echo "docs/check.sh: no $JAR: run ./mvnw package first" >&2; exit 1; }
command -v jq >/dev/null || { echo "docs/check.sh: jq is needed (apt-get install jq)" >&2; exit 1; }

port=""
for _ in $(seq 50); do
    candidate=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        port=$candidate
        break
    fi
done
[ -n "$port" ] || { echo "docs/check.sh: no free port found" >&2; exit 1; }

work=$(mktemp -d)
service=""
cleanup() {
    if [ -n "$service" ]; then
        kill "$service" 2>/dev/null || true
        wait "$service" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

(cd "$work" && exec java -Dquarkus.profile=sandbox -Dquarkus.http.port="$port" -jar "$JAR") > "$work/service.log" 2>&1 &
service=$!
for _ in $(seq 240); do
    curl -sf "http://localhost:$port/q/health/ready" >/dev/null 2>&1 && break
    if ! kill -0 "$service" 2>/dev/null; then
        cat "$work/service.log" >&2
        echo "docs/check.sh: the service did not start" >&2
        exit 1
    fi
    sleep 0.5
done
curl -sf "http://localhost:$port/q/health/ready" >/dev/null || {
    tail -50 "$work/service.log" >&2
    echo "docs/check.sh: the service was not ready within 120 s" >&2
    exit 1
}

# The bash blocks of the section, in order, with the service's port.
section=$(awk '/^## / { inside = ($0 == "## Try it on the sandbox") } inside' README.md)
commands=$(printf '%s\n' "$section" | awk '/^```/ { if (fenced) { fenced = 0 } else if ($0 == "```bash") { fenced = 1 }; next }
    fenced { print }' | sed "s/localhost:8080/localhost:$port/g" \
    | sed -E 's/^([^#]*)curl (.*# expect ([a-z_]+).*)$/\1EXPECT=\3 curl \2/')
[ "$(printf '%s\n' "$commands" | grep -c 'curl ')" -ge 5 ] || {
    echo "docs/check.sh: found too few curl commands in README.md's \"Try it on the sandbox\"" >&2
    exit 1
}

cat > "$work/readme.sh" <<'EOF'
set -euo pipefail
# Every curl of the README goes through this check, then gives its output on as the README expects.
curl() {
    local status body
    out=$CHECK_DIR/out.$BASHPID
    err=$CHECK_DIR/err.$BASHPID
    if ! command curl -sS --write-out '%{stderr}CHECK_STATUS %{http_code}\n' "$@" > "$out" 2> "$err"; then
        check_failed "curl failed" "$@"
    fi
    status=$(sed -n 's/^CHECK_STATUS //p' "$err" | tail -1)
    body=$out
    if head -c 5 "$out" | grep -q '^HTTP/'; then # -i: the headers come first
        sed '1,/^\r\{0,1\}$/d' "$out" > "$out.body"
        body=$out.body
    fi
    if [ -n "${EXPECT:-}" ]; then # a refusal the README expects: its category, never a 5xx
        case "$status" in
            5??) check_failed "HTTP $status, expected $EXPECT" "$@" ;;
        esac
        jq -e --arg c "$EXPECT: " '.success == false and (.error | startswith($c))' "$body" > /dev/null 2>&1 \
            || check_failed "expected $EXPECT" "$@"
        echo "ok: HTTP $status, $EXPECT as expected: curl $*" >&2
        cat "$out"
        return
    fi
    case "$status" in
        2??) ;;
        *) check_failed "HTTP $status" "$@" ;;
    esac
    if [ -s "$body" ] && jq -e 'type == "object"' "$body" > /dev/null 2>&1; then
        if jq -e 'has("success") and .success != true' "$body" > /dev/null \
            || jq -e 'has("jsonrpc") and (.error != null or .result.isError == true)' "$body" > /dev/null; then
            check_failed "no success" "$@"
        fi
    fi
    echo "ok: HTTP $status: curl $*" >&2
    cat "$out"
}
check_failed() {
    local why=$1
    shift
    {
        echo "docs/check.sh: README command failed ($why):"
        echo "  curl $*"
        echo "  answer:"
        sed 's/^/    /' "$out" | head -40
        sed -n '/^CHECK_STATUS /!s/^/    /p' "$err" | head -10
    } >&2
    touch "$CHECK_DIR/failed"
    exit 1
}
EOF
printf '%s\n' "$commands" >> "$work/readme.sh"

if ! (cd "$work" && CHECK_DIR=$work bash "$work/readme.sh" > "$work/readme.out") || [ -e "$work/failed" ]; then
    echo "--- output so far:" >&2
    cat "$work/readme.out" >&2
    echo "docs/check.sh: the README's first calls failed against the sandbox (service log: last lines below)" >&2
    tail -20 "$work/service.log" >&2
    exit 1
fi
echo "docs/check.sh: every command of README.md's \"Try it on the sandbox\" ran against the sandbox and succeeded" \
    "($(printf '%s\n' "$commands" | grep -c 'curl ') curl commands)"
