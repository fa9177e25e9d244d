# Sourced by the bench scripts: a scratch directory, the processes they start (stopped on exit, whatever happens),
# free loopback ports and waiting for a URL to answer.
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { # url, seconds
    for _ in $(seq 1 "$(( $2 * 10 ))"); do curl -fs -o /dev/null "$1" && return 0; sleep 0.1; done
    echo "not up: $1" >&2; return 1
}
