#!/usr/bin/env bash
# CPU cost of traffic logging: the same keep-alive HTTP load (wrk) through Lb and through
# haproxy, each once without logs and once with 'option httplog' to a UDP syslog listener.
# Prints, per run, requests/s, the proxy's CPU time per request (from /proc/PID/stat, less
# sensitive to a busy machine than throughput) and the lines the listener received.
# Usage: bench/logging.sh [--seconds S] [--connections C]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=10 conns=20
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --connections) conns=$2; shift 2 ;;
        *) echo "usage: $0 [--seconds S] [--connections C]" >&2; exit 2 ;;
    esac
done
export PATH="$PATH:/usr/sbin:/sbin"
for tool in wrk nginx haproxy; do command -v "$tool" >/dev/null || { echo "logging.sh: $tool is required" >&2; exit 1; }; done

work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

dotnet build src/Lb.Node -c Release -o "$work/lb" -nologo -v quiet >/dev/null

web=$(free_port)
cat > "$work/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http {
    access_log off;
    server { listen 127.0.0.1:$web; location / { return 200 "hello\n"; } }
}
NGINX
nginx -c "$work/nginx.conf" &
pids+=($!)

syslog=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/sink.py" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
s.bind(("127.0.0.1", int(sys.argv[1])))
n = 0
with open(sys.argv[2], "w") as out:
    out.write("0"); out.flush()
    while True:
        s.recv(65536); n += 1
        if n % 1000 == 0: out.seek(0); out.write(str(n // 1000)); out.flush()
PY
python3 "$work/sink.py" "$syslog" "$work/received" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/received" ] && break; sleep 0.1; done

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

run() { # run NAME COMMAND... ; with LOGS=0|1 in the environment
    local name=$1; shift
    local port; port=$(free_port)
    {
        printf 'global\n    maxconn 4096\n'
        [ "$LOGS" = 1 ] && printf '    log 127.0.0.1:%s local0\n' "$syslog"
        printf 'defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n'
        [ "$LOGS" = 1 ] && printf '    log global\n    option httplog\n'
        printf 'frontend fe\n    bind 127.0.0.1:%s\n    default_backend be\nbackend be\n    server web 127.0.0.1:%s\n' "$port" "$web"
    } > "$work/$name.cfg"
    local before; before=$(cat "$work/received")
    "$@" -f "$work/$name.cfg" > "$work/$name.out" 2>&1 &
    local pid=$!
    for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
    wrk -t1 -c"$conns" -d3s "http://127.0.0.1:$port/" >/dev/null   # warm-up
    local t0 r
    t0=$(ticks "$pid")
    r=$(wrk -t1 -c"$conns" -d"${seconds}s" "http://127.0.0.1:$port/" | awk '/requests in/ {print $1}')
    local t1; t1=$(ticks "$pid")
    sleep 1
    kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
    grep -h "log lines:" "$work/$name.out" >&2 || true
    python3 -c "
r, cpu = $r, ($t1 - $t0) / $hz
print(f'| $name | {\"yes\" if $LOGS else \"no\"} | {r / $seconds:,.0f} | {cpu / r * 1e6:.1f} | {$(cat "$work/received") - $before} |')"
}

echo "| proxy | httplog | req/s | CPU µs/request | lines received (~, per 1000) |"
echo "|---|---|---|---|---|"
for logs in 0 1; do
    LOGS=$logs run "haproxy" haproxy -db
    LOGS=$logs run "lb" dotnet "$work/lb/Lb.Node.dll"
done
echo "(load average: $(cut -d' ' -f1-3 /proc/loadavg); lines counted in thousands, warm-up included)"
