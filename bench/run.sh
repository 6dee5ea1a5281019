#!/usr/bin/env bash
# Lb vs haproxy benchmark: builds Lb in Release, starts two nginx backends, runs the same
# haproxy.cfg (bench/haproxy.cfg.in) through the real haproxy and through Lb, and drives both
# with wrk, interleaved (per case: haproxy, then Lb), for several rounds. Prints a markdown
# report on stdout (progress goes to stderr). See bench/README.md.
#
# Settings (environment): BENCH_ROUNDS (3), BENCH_DURATION (5 s measured per run),
# BENCH_WARMUP (1 s per run), BENCH_CONNECTIONS (50), BENCH_THREADS (1), BENCH_LB_WAIT (8 s for
# Lb's ports to answer after start), BENCH_SETTLE (5 s after the last run before the Lb
# process is measured), BENCH_NGINX_WORKERS (1), BENCH_LB_DIR (a built Lb: skip the build),
# BENCH_CASES (space-separated case ids to run, default all), BENCH_KEEP=1 (keep the temp dir with configs and logs), PYTHON (/usr/bin/python3 or python3). To test this script
# itself: BENCH_LB_CMD runs another command in Lb's place (e.g. "haproxy -db"; "-f CFG" is added).
set -euo pipefail

usage() { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; }
case "${1:-}" in
    -h|--help) usage; exit 0 ;;
    "") ;;
    *) echo "run.sh: no arguments expected (settings are environment variables)" >&2; usage >&2; exit 2 ;;
esac

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
ROUNDS="${BENCH_ROUNDS:-3}"
DURATION="${BENCH_DURATION:-5}"
WARMUP="${BENCH_WARMUP:-1}"
CONNS="${BENCH_CONNECTIONS:-50}"
THREADS="${BENCH_THREADS:-1}"
LB_WAIT="${BENCH_LB_WAIT:-8}"
SETTLE="${BENCH_SETTLE:-5}"
NGINX_WORKERS="${BENCH_NGINX_WORKERS:-1}"
LB_DIR="${BENCH_LB_DIR:-}"
LB_CMD="${BENCH_LB_CMD:-}"
KEEP="${BENCH_KEEP:-0}"
ONLY_CASES="${BENCH_CASES:-}"
PY="${PYTHON:-}"
if [ -z "$PY" ]; then [ -x /usr/bin/python3 ] && PY=/usr/bin/python3 || PY=python3; fi
export PATH="$PATH:/usr/sbin:/sbin"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

START_TIME=$(date +%s)
LOAD_START="$(cut -d" " -f1 /proc/loadavg 2>/dev/null || echo ?)"
log() { printf '[bench %3ss] %s\n' "$(( $(date +%s) - START_TIME ))" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- cleanup (EXIT, Ctrl-C, TERM)
WORK=""
NGINX_PID="" HAPROXY_PID="" LB_PID="" CHILD_PID=""
POLICY_RC_CREATED=0
SUDO=""

stop_pid() { # stop_pid PID NAME SIGNAL: signal, wait up to 10 s, then SIGKILL
    local pid="$1" name="$2" sig="$3" wd
    [ -n "$pid" ] || return 0
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    kill "-$sig" "$pid" 2>/dev/null || true
    ( sleep 10; kill -KILL "$pid" 2>/dev/null && echo "[bench] $name did not stop in 10 s: killed" >&2 ) &
    wd=$!
    wait "$pid" 2>/dev/null || true
    kill "$wd" 2>/dev/null || true
    wait "$wd" 2>/dev/null || true
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_pid "$CHILD_PID" wrk TERM
    stop_pid "$LB_PID" Lb TERM
    stop_pid "$HAPROXY_PID" haproxy TERM
    stop_pid "$NGINX_PID" nginx TERM
    if [ "$POLICY_RC_CREATED" = 1 ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi
    if [ -n "$WORK" ] && [ -d "$WORK" ]; then
        if [ "$KEEP" = 1 ]; then log "kept configs and logs in $WORK"; else rm -rf "$WORK"; fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

# ---------------------------------------------------------------- tools (Debian packages)
have() { command -v "$1" >/dev/null 2>&1; }
missing=()
have nginx || missing+=(nginx)
have wrk || missing+=(wrk)
have haproxy || missing+=(haproxy)
have "$PY" || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        have sudo || die "missing ${missing[*]}; need root (or sudo) to apt-get install them"
        SUDO="sudo"
    fi
    log "installing: ${missing[*]}"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    pkgs=()
    for m in "${missing[@]}"; do
        if [ "$m" = nginx ]; then
            # Static files only: plain nginx (on Debian 12 nginx-light is nginx plus a module);
            # nginx-light where a release has no nginx candidate.
            if apt-cache policy nginx 2>/dev/null | grep -q 'Candidate: [0-9]'; then
                pkgs+=(nginx)
            else
                pkgs+=(nginx-light)
            fi
        else
            pkgs+=("$m")
        fi
    done
    # Keep the packages from starting system services (nginx on :80, haproxy): a policy-rc.d
    # that says "no", for the install only, unless the machine already has one.
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
        $SUDO chmod 755 /usr/sbin/policy-rc.d
        POLICY_RC_CREATED=1
    fi
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >&2
    if [ "$POLICY_RC_CREATED" = 1 ]; then $SUDO rm -f /usr/sbin/policy-rc.d; POLICY_RC_CREATED=0; fi
fi
for t in nginx wrk haproxy "$PY"; do have "$t" || die "$t not found after install"; done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/lb-bench.XXXXXX")"
chmod 755 "$WORK"
bench_py() { "$PY" "$HERE/bench.py" "$@"; }

# ---------------------------------------------------------------- build Lb (Release)
if [ -n "$LB_CMD" ]; then
    log "BENCH_LB_CMD: running '$LB_CMD' in Lb's place, no build"
elif [ -z "$LB_DIR" ]; then
    LB_DIR="$WORK/lb-build"
    log "building Lb.Node (Release) into $LB_DIR"
    # No build servers left behind (-nodeReuse:false, no shared compiler).
    dotnet build "$ROOT/src/Lb.Node/Lb.Node.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly \
        -nodeReuse:false -p:UseSharedCompilation=false -o "$LB_DIR" >&2 || die "build failed"
fi
[ -n "$LB_CMD" ] || [ -f "$LB_DIR/Lb.Node.dll" ] || die "no Lb.Node.dll in $LB_DIR"

# ---------------------------------------------------------------- ports, files, configs
mapfile -t PORTS < <(bench_py ports 6)
[ ${#PORTS[@]} -eq 6 ] || die "could not get 6 free ports"
B1=${PORTS[0]} B2=${PORTS[1]} H_HTTP=${PORTS[2]} H_TCP=${PORTS[3]} L_HTTP=${PORTS[4]} L_TCP=${PORTS[5]}

mkdir -p "$WORK/www" "$WORK/nginx/tmp" "$WORK/haproxy" "$WORK/lb"
# ~100 byte body, and 1 MiB.
printf 'Lb bench small response: this body is one hundred bytes long, padded with dots..................\n' > "$WORK/www/small"
head -c 1048576 /dev/urandom > "$WORK/www/1m"

nginx_user=""
[ "$(id -u)" -eq 0 ] && nginx_user="user root;"   # workers as root: read the temp dir, no group guessing
cat > "$WORK/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes $NGINX_WORKERS;
$nginx_user
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 8192; }
http {
    access_log off;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65s;
    keepalive_requests 1000000;
    client_body_temp_path $WORK/nginx/tmp/body;
    proxy_temp_path $WORK/nginx/tmp/proxy;
    fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
    server { listen 127.0.0.1:$B1; root $WORK/www; location / { } }
    server { listen 127.0.0.1:$B2; root $WORK/www; location / { } }
}
EOF

render() { # render HTTP_PORT TCP_PORT > cfg
    sed -e "s/@HTTP_PORT@/$1/g" -e "s/@TCP_PORT@/$2/g" \
        -e "s/@BACKEND1_PORT@/$B1/g" -e "s/@BACKEND2_PORT@/$B2/g" "$HERE/haproxy.cfg.in"
}
render "$H_HTTP" "$H_TCP" > "$WORK/haproxy/haproxy.cfg"
render "$L_HTTP" "$L_TCP" > "$WORK/lb/haproxy.cfg"   # its own dir: no cluster.hocon -> standalone node

# ---------------------------------------------------------------- start nginx, haproxy, Lb
log "nginx backends on 127.0.0.1:$B1 and :$B2"
nginx -p "$WORK/nginx/" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" \
    > "$WORK/nginx/stdout.log" 2>&1 &
NGINX_PID=$!
for p in "$B1" "$B2"; do
    bench_py wait-port "$p" 10 "$NGINX_PID" || { cat "$WORK/nginx/error.log" >&2 2>/dev/null; die "nginx does not answer on $p"; }
    for path in /small /1m; do
        why=$(bench_py probe "$p" "$path" 5) || die "nginx :$p$path: $why"
    done
done

log "haproxy: http :$H_HTTP, tcp :$H_TCP"
haproxy -db -f "$WORK/haproxy/haproxy.cfg" > "$WORK/haproxy/haproxy.log" 2>&1 &
HAPROXY_PID=$!
for p in "$H_HTTP" "$H_TCP"; do
    bench_py wait-port "$p" 10 "$HAPROXY_PID" || { cat "$WORK/haproxy/haproxy.log" >&2; die "haproxy does not answer on $p"; }
done

log "Lb: http :$L_HTTP, tcp :$L_TCP (waiting up to ${LB_WAIT}s for them to answer)"
if [ -n "$LB_CMD" ]; then
    # shellcheck disable=SC2086 # a command line, split on purpose
    ( cd "$WORK/lb" && exec $LB_CMD -f "$WORK/lb/haproxy.cfg" ) > "$WORK/lb/lb.log" 2>&1 &
else
    ( cd "$WORK/lb" && exec dotnet "$LB_DIR/Lb.Node.dll" -f "$WORK/lb/haproxy.cfg" ) > "$WORK/lb/lb.log" 2>&1 &
fi
LB_PID=$!

lb_alive() { [ -r "/proc/$LB_PID/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$LB_PID/status"; }
lb_serving=0
deadline=$(( $(date +%s) + LB_WAIT ))
while [ "$(date +%s)" -lt "$deadline" ] && lb_alive; do
    if bench_py wait-port "$L_HTTP" 0 || bench_py wait-port "$L_TCP" 0; then lb_serving=1; break; fi
    sleep 0.5
done
lb_alive || { tail -n 30 "$WORK/lb/lb.log" >&2; die "Lb exited at start"; }
if [ "$lb_serving" = 1 ]; then
    sleep 1   # let it finish starting before the idle sample
    log "Lb accepts connections"
else
    log "Lb's ports do not answer after ${LB_WAIT}s: its rows will read 'not serving'"
fi

STATS="$WORK/stats.txt"
sample() { # sample LABEL: "LABEL rss_kb fds sockets" for Lb, "haproxy-LABEL ..." for haproxy
    echo "$1 $(bench_py proc "$LB_PID" || true)" >> "$STATS"
    echo "haproxy-$1 $(bench_py proc "$HAPROXY_PID" || true)" >> "$STATS"
}
sample idle

# ---------------------------------------------------------------- the rounds
RESULTS="$WORK/results.tsv"
: > "$RESULTS"
#        id               mode path   connection
CASES=("tcp-ka-small     tcp  /small keep-alive"
       "tcp-close-small  tcp  /small close"
       "tcp-1m           tcp  /1m    keep-alive"
       "http-ka-small    http /small keep-alive"
       "http-close-small http /small close"
       "http-1m          http /1m    keep-alive")

run_wrk() { # run_wrk OUTFILE SECONDS URL CONNECTION (in the background, so traps fire at once)
    local out="$1" secs="$2" url="$3" conn="$4" st=0
    local hdr=()
    [ "$conn" = close ] && hdr=(-H 'Connection: close')
    timeout -k 5 $(( secs + 30 )) wrk -t"$THREADS" -c"$CONNS" -d"${secs}s" --timeout 5s --latency \
        "${hdr[@]}" "$url" > "$out" 2>&1 &
    CHILD_PID=$!
    wait "$CHILD_PID" || st=$?
    CHILD_PID=""
    return "$st"
}

CPU="$WORK/cpu.tsv"
: > "$CPU"
CLK_TCK="$(getconf CLK_TCK 2>/dev/null || echo 100)"
cpu_ticks() { # cpu_ticks PID: user + system CPU time of the process so far, in clock ticks
    awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

run_one() { # run_one ROUND CASE PROXY MODE PATH CONNECTION
    local round="$1" case="$2" proxy="$3" mode="$4" path="$5" conn="$6" port why parsed
    if [ "$proxy" = haproxy ]; then
        [ "$mode" = http ] && port=$H_HTTP || port=$H_TCP
    else
        [ "$mode" = http ] && port=$L_HTTP || port=$L_TCP
        if ! lb_alive; then
            printf '%s\t%s\t%s\tnot-serving\t\t\t\t\t\tLb process exited\n' "$round" "$case" lb >> "$RESULTS"
            log "round $round $case Lb: not serving (process exited)"; return
        fi
        if ! why=$(bench_py probe "$port" "$path" 3); then
            printf '%s\t%s\t%s\tnot-serving\t\t\t\t\t\t%s\n' "$round" "$case" lb "$why" >> "$RESULTS"
            log "round $round $case Lb: not serving ($why)"; return
        fi
    fi
    if [ "$proxy" = haproxy ] && ! why=$(bench_py probe "$port" "$path" 3); then
        printf '%s\t%s\t%s\tfailed\t\t\t\t\t\tprobe: %s\n' "$round" "$case" "$proxy" "$why" >> "$RESULTS"
        log "round $round $case $proxy: probe failed ($why)"; return
    fi
    local url="http://127.0.0.1:$port$path" out="$WORK/wrk-r$round-$case-$proxy.txt"
    if [ "$WARMUP" != 0 ]; then run_wrk "$out.warmup" "$WARMUP" "$url" "$conn" || true; fi
    local pid ticks_before
    [ "$proxy" = haproxy ] && pid=$HAPROXY_PID || pid=$LB_PID
    ticks_before=$(cpu_ticks "$pid")
    if ! run_wrk "$out" "$DURATION" "$url" "$conn"; then
        printf '%s\t%s\t%s\tfailed\t\t\t\t\t\twrk exited non-zero: %s\n' "$round" "$case" "$proxy" \
            "$(tail -n 1 "$out" | tr '\t' ' ')" >> "$RESULTS"
        log "round $round $case $proxy: wrk failed"; return
    fi
    if ! parsed=$(bench_py parse "$out"); then
        printf '%s\t%s\t%s\tfailed\t\t\t\t\t\twrk output not understood\n' "$round" "$case" "$proxy" >> "$RESULTS"
        log "round $round $case $proxy: wrk output not understood"; return
    fi
    read -r rps p99 reqs errs non2xx <<< "$parsed"
    # The proxy's own CPU time per request (the machine is shared: req/s alone says little).
    awk -v r="$round" -v c="$case" -v p="$proxy" -v t="$(( $(cpu_ticks "$pid") - ticks_before ))" -v hz="$CLK_TCK" -v n="$reqs" \
        'BEGIN { if (n > 0) printf "%s\t%s\t%s\t%.1f\n", r, c, p, t * 1e6 / hz / n }' >> "$CPU"
    printf '%s\t%s\t%s\tok\t%s\t%s\t%s\t%s\t%s\t\n' "$round" "$case" "$proxy" "$rps" "$p99" "$reqs" "$errs" "$non2xx" >> "$RESULTS"
    log "round $round $case $proxy: $rps req/s, p99 ${p99} ms, errors $errs, non-2xx $non2xx"
}

for (( round = 1; round <= ROUNDS; round++ )); do
    for c in "${CASES[@]}"; do
        read -r case mode path conn <<< "$c"
        if [ -n "$ONLY_CASES" ] && [[ " $ONLY_CASES " != *" $case "* ]]; then continue; fi
        run_one "$round" "$case" haproxy "$mode" "$path" "$conn"
        run_one "$round" "$case" lb "$mode" "$path" "$conn"
    done
done

log "rounds done; ${SETTLE}s for connections to close, then sampling Lb"
sleep "$SETTLE"
sample after

# ---------------------------------------------------------------- report
META="$WORK/meta.md"
commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
branch="$(git -C "$ROOT" rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown)"
dirty=""
[ -n "$(git -C "$ROOT" status --porcelain -- src 2>/dev/null)" ] && dirty=" + uncommitted changes in src/"
{
    echo "## Lb vs haproxy, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo
    echo "- Lb: commit $commit ($branch)$dirty, Release; $(dotnet --version 2>/dev/null | sed 's/^/.NET SDK /')"
    echo "- $(haproxy -v 2>/dev/null | head -n 1 | cut -d' ' -f1-3); nginx $(nginx -v 2>&1 | sed 's|.*/||') ($NGINX_WORKERS worker, 2 server blocks = 2 backends, roundrobin); $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2)"
    echo "- wrk -t$THREADS -c$CONNS --latency --timeout 5s, ${WARMUP}s warm-up + ${DURATION}s measured per run; $ROUNDS round(s), each case run haproxy then Lb; medians over the rounds"
    echo "- $(nproc) CPUs, nothing pinned; all on 127.0.0.1; one haproxy.cfg template for both proxies (bench/haproxy.cfg.in)"
    echo "- a run with more than 1% socket errors or non-2xx responses is not counted; Lb is 'not serving' when its port does not answer a probe GET within 3 s"
    load_end="$(cut -d" " -f1 /proc/loadavg 2>/dev/null || echo ?)"
    busy=""
    if awk -v a="$LOAD_START" -v n="$(nproc)" 'BEGIN { exit !(a + 0 > n / 2) }'; then
        busy=" -- **the machine was busy before the run started: expect noisy numbers, look at the per-round table**"
    fi
    echo "- load average (1 min): $LOAD_START before the run, $load_end at the end (the bench itself loads both CPUs)$busy"
} > "$META"

log "done in $(( $(date +%s) - START_TIME ))s"
bench_py report "$RESULTS" "$STATS" "$META"
echo
echo "### CPU time per request (µs, the proxy process's user + system time over the measured run; medians)"
echo
echo "| case | haproxy | Lb |"
echo "|---|---:|---:|"
for c in "${CASES[@]}"; do
    read -r case _ <<< "$c"
    med() { awk -F'\t' -v c="$case" -v p="$1" '$2 == c && $3 == p { print $4 }' "$CPU" | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'; }
    h=$(med haproxy); l=$(med lb)
    [ "$h" = - ] && [ "$l" = - ] && continue
    echo "| $case | $h | $l |"
done
echo
echo "Total time: $(( $(date +%s) - START_TIME )) s"
