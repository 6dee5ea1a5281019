#!/usr/bin/env bash
# CPU cost of health checks: Lb with N servers (default 1000), each 'check inter 2s', pointing at
# loopback listeners that accept and close. Prints Lb's CPU% over a window (default 30 s) read
# from /proc/PID/stat. --baseline runs the same config without 'check' (Lb's idle cost).
# Usage: bench/checks.sh [--servers N] [--seconds S] [--http] [--baseline]
set -euo pipefail
cd "$(dirname "$0")/.."
servers=1000 seconds=30 http=0 check=" check inter 2s"
while [ $# -gt 0 ]; do
    case "$1" in
        --servers) servers=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --http) http=1; shift ;;
        --baseline) check=""; shift ;;
        *) echo "usage: $0 [--servers N] [--seconds S] [--http] [--baseline]" >&2; exit 2 ;;
    esac
done

work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

dotnet build src/Lb.Node -c Release -o "$work/lb" -nologo -v quiet >/dev/null

# The listeners: one Python process, N loopback ports; accept, answer a check request if one
# comes (HTTP 200), close. Their ports are written to a file, one per line.
cat > "$work/listeners.py" <<'PY'
import selectors, socket, sys
n, http, out = int(sys.argv[1]), sys.argv[2] == "1", sys.argv[3]
sel = selectors.DefaultSelector()
ports = []
for _ in range(n):
    l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(256); l.setblocking(False)
    sel.register(l, selectors.EVENT_READ, "listen"); ports.append(l.getsockname()[1])
with open(out, "w") as f: f.write("\n".join(map(str, ports)) + "\n")
while True:
    for key, _ in sel.select():
        s = key.fileobj
        if key.data == "listen":
            try: c, _ = s.accept()
            except OSError: continue
            if http: c.setblocking(False); sel.register(c, selectors.EVENT_READ, "conn")
            else: c.close()
        else:
            try:
                if s.recv(4096): s.send(b"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")
            except OSError: pass
            sel.unregister(s); s.close()
PY
python3 "$work/listeners.py" "$servers" "$http" "$work/ports" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/ports" ] && break; sleep 0.1; done

fe=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
{
    printf 'defaults\n    mode http\n    timeout connect 2s\n    timeout client 10s\n    timeout server 10s\n\n'
    printf 'frontend fe\n    bind 127.0.0.1:%s\n    default_backend be\n\nbackend be\n' "$fe"
    [ "$http" = 1 ] && [ -n "$check" ] && printf '    option httpchk GET /health\n'
    i=0
    while read -r port; do i=$((i + 1)); printf '    server s%d 127.0.0.1:%s%s\n' "$i" "$port" "$check"; done < "$work/ports"
} > "$work/haproxy.cfg"

dotnet "$work/lb/Lb.Node.dll" -f "$work/haproxy.cfg" > "$work/lb.log" 2>&1 &
lb=$!
pids+=($lb)
for _ in $(seq 200); do (exec 3<>"/dev/tcp/127.0.0.1/$fe") 2>/dev/null && break; sleep 0.1; done
sleep 5   # start-up work and the first spread of checks are not what we measure

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
sys_ticks() { awk '{print $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
t0=$(ticks "$lb"); k0=$(sys_ticks "$lb"); s0=$(date +%s.%N)
sleep "$seconds"
t1=$(ticks "$lb"); k1=$(sys_ticks "$lb"); s1=$(date +%s.%N)
downs=$(grep -c "is DOWN" "$work/lb.log" || true)
if [ -z "$check" ]; then what="no checks"
elif [ "$http" = 1 ]; then what="HTTP checks every 2 s ($((servers / 2)) checks/s)"
else what="TCP checks every 2 s ($((servers / 2)) checks/s)"; fi
python3 -c "
span = $s1 - $s0
print(f'Lb CPU over {span:.1f} s, $servers servers, $what: {($t1 - $t0) / $hz / span * 100:.1f}% of one core (kernel {($k1 - $k0) / $hz / span * 100:.1f}%); servers marked DOWN: $downs')
"
