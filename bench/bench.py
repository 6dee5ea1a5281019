#!/usr/bin/env python3
"""Helpers for bench/run.sh (standard library only).

  bench.py ports N                      N distinct free TCP ports on 127.0.0.1, one per line
  bench.py wait-port PORT SECONDS [PID] exit 0 as soon as 127.0.0.1:PORT accepts a connection;
                                        1 on time-out, 2 at once if process PID is gone
  bench.py probe PORT PATH SECONDS      one HTTP/1.1 GET through 127.0.0.1:PORT; exit 0 on a 200
                                        with the full body, else print why and exit 1
  bench.py proc PID                     "rss_kb fds sockets" of a live process (from /proc)
  bench.py parse WRK_OUTPUT             wrk --latency output -> "rps p99_ms requests errors non2xx"
  bench.py report RESULTS STATS META    the markdown report (see README.md)
"""
import os
import socket
import statistics
import sys
import time

# case id -> (label, target ratio Lb/haproxy or None). The order is the report's order.
CASES = {
    "tcp-ka-small": ("mode tcp, keep-alive, small", 0.8),
    "tcp-close-small": ("mode tcp, Connection: close, small", 0.5),
    "tcp-1m": ("mode tcp, keep-alive, 1 MiB", 0.9),
    "http-ka-small": ("mode http, keep-alive, small", 0.6),
    "http-close-small": ("mode http, Connection: close, small", 0.4),
    "http-1m": ("mode http, keep-alive, 1 MiB", None),
}
RSS_LIMIT_KB = 200 * 1024
BAD_FRACTION = 0.01  # a run with more errors or non-2xx responses than this is not counted


def cmd_ports(n):
    socks = []
    try:
        for _ in range(int(n)):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        for s in socks:
            print(s.getsockname()[1])
    finally:
        for s in socks:
            s.close()
    return 0


def alive(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return not any(line.startswith("State:") and "Z" in line.split()[1] for line in f)
    except OSError:
        return False


def cmd_wait_port(port, seconds, pid=None):
    deadline = time.monotonic() + float(seconds)
    while True:
        if pid is not None and not alive(pid):
            return 2
        try:
            with socket.create_connection(("127.0.0.1", int(port)), timeout=1):
                return 0
        except OSError:
            if time.monotonic() >= deadline:
                return 1
            time.sleep(0.1)


def cmd_probe(port, path, seconds):
    """A GET with Connection: close; the proxy must answer 200 with a body of Content-Length."""
    deadline = time.monotonic() + float(seconds)
    try:
        with socket.create_connection(("127.0.0.1", int(port)), timeout=float(seconds)) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise socket.timeout()
                s.settimeout(left)
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
    except ConnectionRefusedError:
        print("connection refused")
        return 1
    except socket.timeout:
        print(f"no complete answer within {seconds}s")
        return 1
    except OSError as e:
        print(f"error: {e}")
        return 1
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        print(f"no HTTP response ({len(data)} bytes)")
        return 1
    lines = head.decode("latin-1").split("\r\n")
    status = lines[0].split(" ")
    if len(status) < 2 or status[1] != "200":
        print(f"status line {lines[0]!r}")
        return 1
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    if length is not None and len(body) != length:
        print(f"body {len(body)} bytes, Content-Length {length}")
        return 1
    return 0


def proc_stats(pid):
    rss = None
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    fds = os.listdir(f"/proc/{pid}/fd")
    sockets = 0
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:"):
                sockets += 1
        except OSError:
            pass  # closed meanwhile
    return rss, len(fds), sockets


def cmd_proc(pid):
    try:
        rss, fds, sockets = proc_stats(pid)
    except OSError:
        print("gone")
        return 1
    print(rss, fds, sockets)
    return 0


def to_ms(text):
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60000.0), ("h", 3600000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


def parse_wrk(text):
    rps = p99 = None
    requests = errors = non2xx = 0
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "Requests/sec:":
            rps = float(parts[1])
        elif parts[0] == "99%" and len(parts) >= 2:
            p99 = to_ms(parts[1])
        elif len(parts) >= 3 and parts[1] == "requests" and parts[2] == "in":
            requests = int(parts[0])
        elif line.strip().startswith("Socket errors:"):
            # Socket errors: connect 0, read 0, write 0, timeout 0
            nums = line.split(":", 1)[1].replace(",", " ").split()
            errors = sum(int(x) for x in nums if x.isdigit())
        elif line.strip().startswith("Non-2xx or 3xx responses:"):
            non2xx = int(line.split(":", 1)[1])
    return rps, p99, requests, errors, non2xx


def cmd_parse(path):
    with open(path) as f:
        rps, p99, requests, errors, non2xx = parse_wrk(f.read())
    if rps is None or p99 is None:
        print("unparsed")
        return 1
    print(f"{rps:.1f} {p99:.3f} {requests} {errors} {non2xx}")
    return 0


def fmt_rps(v):
    return "-" if v is None else f"{v:,.0f}"


def fmt_ms(v):
    if v is None:
        return "-"
    return f"{v:.2f} ms" if v < 100 else f"{v:.0f} ms"


def fmt_mb(kb):
    return f"{kb / 1024:.1f} MB"


def cmd_report(results_path, stats_path, meta_path):
    # results: round case proxy status rps p99_ms requests errors non2xx note...
    runs = {}
    with open(results_path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) < 9:
                continue
            rnd, case, proxy, status = p[0], p[1], p[2], p[3]
            run = {"round": int(rnd), "status": status, "note": p[9] if len(p) > 9 else ""}
            if status == "ok":
                run.update(rps=float(p[4]), p99=float(p[5]), requests=int(p[6]), errors=int(p[7]), non2xx=int(p[8]))
                bad = run["errors"] + run["non2xx"]
                if run["requests"] == 0 or bad > BAD_FRACTION * run["requests"]:
                    run["status"] = "errors"
                    run["note"] = f"{run['requests']} requests, {run['errors']} socket errors, {run['non2xx']} non-2xx"
            runs.setdefault((case, proxy), []).append(run)

    stats = {}
    with open(stats_path) as f:
        for line in f:
            p = line.split()
            if len(p) >= 4 and p[1].isdigit():
                stats[p[0]] = (int(p[1]), int(p[2]), int(p[3]))
            elif p:
                stats[p[0]] = None

    with open(meta_path) as f:
        print(f.read().rstrip())
    print()
    print("| case | haproxy req/s | Lb req/s | ratio Lb/haproxy | target | haproxy p99 | Lb p99 |")
    print("|---|---:|---:|---:|---|---:|---:|")
    notes = []
    not_serving = {}  # reason -> case labels (one per case and round)
    for case, (label, target) in CASES.items():
        if (case, "haproxy") not in runs and (case, "lb") not in runs:
            continue  # left out with BENCH_CASES
        h = [r for r in runs.get((case, "haproxy"), []) if r["status"] == "ok"]
        l_all = runs.get((case, "lb"), [])
        l = [r for r in l_all if r["status"] == "ok"]
        h_rps = statistics.median(r["rps"] for r in h) if h else None
        h_p99 = statistics.median(r["p99"] for r in h) if h else None
        target_text = f">= {target}x" if target is not None else "-"
        if not l:
            why = "not serving" if all(r["status"] == "not-serving" for r in l_all) else "failed"
            ratio, l_rps, l_p99 = why, why, "-"
            if target is not None:
                target_text += " (not met)"
        else:
            l_rps_v = statistics.median(r["rps"] for r in l)
            l_rps, l_p99 = fmt_rps(l_rps_v), fmt_ms(statistics.median(r["p99"] for r in l))
            if len(l) < len(l_all):
                l_rps += f" ({len(l)}/{len(l_all)} runs)"
            if h_rps:
                r = l_rps_v / h_rps
                ratio = f"{r:.2f}x"
                if target is not None:
                    target_text += " (met)" if r >= target else " (NOT met)"
            else:
                ratio = "-"
        h_text = fmt_rps(h_rps)
        if len(h) < len(runs.get((case, "haproxy"), [])):
            h_text += f" ({len(h)}/{len(runs[(case, 'haproxy')])} runs)"
        print(f"| {label} | {h_text} | {l_rps} | {ratio} | {target_text} | {fmt_ms(h_p99)} | {l_p99} |")
        for proxy in ("haproxy", "lb"):
            for r in runs.get((case, proxy), []):
                if r["status"] not in ("ok", "not-serving"):
                    notes.append(f"- {label}, {'Lb' if proxy == 'lb' else 'haproxy'}, round {r['round']}: "
                                 f"{r['status']}: {r['note']}")
                elif r["status"] == "not-serving" and r["note"]:
                    not_serving.setdefault(r["note"], []).append(label)

    print()
    print("Per round, req/s (haproxy / Lb):")
    print()
    rounds = sorted({r["round"] for rs in runs.values() for r in rs})
    print("| case | " + " | ".join(f"round {n}" for n in rounds) + " |")
    print("|---|" + "---:|" * len(rounds))
    for case, (label, _) in CASES.items():
        if (case, "haproxy") not in runs and (case, "lb") not in runs:
            continue
        cells = []
        for n in rounds:
            pair = []
            for proxy in ("haproxy", "lb"):
                r = next((r for r in runs.get((case, proxy), []) if r["round"] == n), None)
                if r is None:
                    pair.append("-")
                elif r["status"] == "ok":
                    pair.append(fmt_rps(r["rps"]))
                else:
                    pair.append(r["status"])
            cells.append(" / ".join(pair))
        print(f"| {label} | " + " | ".join(cells) + " |")

    for why, labels in not_serving.items():
        cases = list(dict.fromkeys(labels))
        where = "every case" if len(cases) == len(CASES) else "; ".join(cases)
        notes.insert(0, f"- Lb not serving ({why}): {where}, {len(labels)} runs")
    if notes:
        print()
        print("Notes:")
        for n in notes:
            print(n)

    print()
    print("Processes, from /proc/PID/status VmRSS and /proc/PID/fd (Lb: the `dotnet Lb.Node.dll` PID;")
    print("haproxy for comparison). 'after' is sampled once the rounds are over and connections had time to close.")
    print()
    print("| process | when | RSS | open fds | of which sockets |")
    print("|---|---|---:|---:|---:|")
    idle, after = stats.get("idle"), stats.get("after")
    for prefix, name in (("", "Lb"), ("haproxy-", "haproxy")):
        for key, label in (("idle", "idle, before load"), ("after", "after all rounds")):
            s = stats.get(prefix + key)
            if s is None:
                print(f"| {name} | {label} | process gone | - | - |")
            else:
                print(f"| {name} | {label} | {fmt_mb(s[0])} | {s[1]} | {s[2]} |")
    print()
    lb_served = any(r["status"] == "ok" for (case, proxy), rs in runs.items() if proxy == "lb" for r in rs)
    caveat = "" if lb_served else " (but no load went through Lb: it served no run)"
    if idle and after:
        # Both proxies keep idle server connections for reuse ('http-reuse', purged by halves every
        # pool-purge-delay), about as many as were busy at once: Lb may hold as many extra sockets
        # as haproxy does, or as wrk had connections, whichever is more; anything beyond is a leak.
        h_idle, h_after = stats.get("haproxy-idle"), stats.get("haproxy-after")
        pooled = max(0, h_after[2] - h_idle[2]) if h_idle and h_after else 0
        allowed = max(pooled, int(os.environ.get("BENCH_CONNECTIONS", "50")))
        back = after[2] <= idle[2] + allowed
        print(f"- Target: sockets back to the idle count after the rounds, idle server connections "
              f"kept for reuse aside (up to {allowed}; haproxy kept {pooled}): "
              f"{after[2]} vs {idle[2]} idle -> {'met' if back else 'NOT met'}{caveat}")
        print(f"- Target: RSS < 200 MB after the rounds: {fmt_mb(after[0])} -> "
              f"{'met' if after[0] < RSS_LIMIT_KB else 'NOT met'}{caveat}")
    else:
        print("- Targets on sockets and RSS: cannot be checked, the Lb process is gone")
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, args = argv[1], argv[2:]
    table = {"ports": cmd_ports, "wait-port": cmd_wait_port, "probe": cmd_probe, "proc": cmd_proc,
             "parse": cmd_parse, "report": cmd_report}
    if cmd not in table:
        print(__doc__, file=sys.stderr)
        return 2
    return table[cmd](*args)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
