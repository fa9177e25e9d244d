# Sourced by the bench scripts: a scratch directory, the processes they start (stopped on exit, whatever happens),
# free loopback ports, waiting for a URL to answer, and the cores each side runs on.
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

# SERVICE_PIN and LOAD_PIN: with 2 cores or more, the service gets the first core to itself and the stand-in and the
# driver the others (prefix a command with "${SERVICE_PIN[@]}" or "${LOAD_PIN[@]}"); otherwise both are empty.
# CORES: the cores this script may use.
pin_cores() {
    read -r -a CORES <<<"$(python3 -c 'import os; print(*sorted(os.sched_getaffinity(0)))')"
    SERVICE_PIN=()
    LOAD_PIN=()
    if [ "${#CORES[@]}" -ge 2 ] && taskset -c "${CORES[0]}" true 2>/dev/null; then
        SERVICE_PIN=(taskset -c "${CORES[0]}")
        LOAD_PIN=(taskset -c "$(IFS=,; echo "${CORES[*]:1}")")
    fi
}
