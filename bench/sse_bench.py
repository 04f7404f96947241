#!/usr/bin/python3
"""bench/sse_bench.py: 500 live screens on one wizyta-web (not a test).

Each run starts an office (wizyta init + demo, wizyta-web at Tuesday
2026-12-08 08:00 under libfaketime, [web] event_streams = 600), confirms
nothing yet, and measures:

  memory  wizyta-web's resident memory (VmRSS) with STREAMS open
          /board/events streams, as a ratio of the same server idle (after
          the same warm-up requests, before any stream);
  latency from a change (a staff confirmation over the API: the booking
          appears on the board) until every one of the STREAMS clients has
          read its event, ROUNDS changes a run: p50 and p99 of that "all
          screens" time, and of the single deliveries.

The clients are one selector loop over STREAMS sockets in this process.
For scale, the same run also times one GET /api/v1/board (what a polling
screen pays each time it asks; peers ask every 5–60 s).

Medians of RUNS runs; exit 1 when the median memory ratio is above
MEMORY_TARGET or the median all-screens p99 is 1 s or more.

    top_builddir=BUILD /usr/bin/python3 bench/sse_bench.py [runs]
"""
import os
import resource
import selectors
import socket
import statistics
import sys
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
from wizyta_harness import Office, faketime  # noqa: E402

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 3
STREAMS = 500
ROUNDS = 20
MEMORY_TARGET = 4.0   # 500 screens may cost at most 3 idle servers more
LATENCY_TARGET = 1.0  # seconds, p99, until all screens have the event


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100.0 * (len(v) - 1))))]


def open_streams(port, n):
    sel = selectors.DefaultSelector()
    socks = []
    for i in range(n):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /board/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        s.setblocking(False)
        socks.append(s)
        sel.register(s, selectors.EVENT_READ, i)
    bufs = [b""] * n
    # every screen has its head and its snapshot
    end = time.monotonic() + 60
    while time.monotonic() < end and not all(b"event: snapshot" in b for b in bufs):
        for key, _ in sel.select(1):
            data = key.fileobj.recv(65536)
            if not data:
                raise SystemExit("sse_bench: a stream was closed: %r" % bufs[key.data][:300])
            bufs[key.data] += data
    if not all(b"event: snapshot" in b for b in bufs):
        raise SystemExit("sse_bench: not every stream got its snapshot")
    return sel, socks


def wait_all(sel, n, code, started):
    """Seconds from started until each screen has read a chunk naming code."""
    seen = [b""] * n
    arrived = [None] * n
    left = n
    needle = code.encode()
    end = time.monotonic() + 30
    while left and time.monotonic() < end:
        for key, _ in sel.select(1):
            i = key.data
            data = key.fileobj.recv(65536)
            if not data:
                raise SystemExit("sse_bench: a stream ended")
            if arrived[i] is None:
                seen[i] = seen[i][-16:] + data
                if needle in seen[i]:
                    arrived[i] = time.monotonic() - started
                    left -= 1
    if left:
        raise SystemExit("sse_bench: %d screens never got the event" % left)
    return arrived


def one_run():
    office = Office(extra={"web": {"event_streams": str(STREAMS + 100),
                                   "max_connections_per_address": "0"},
                           "staff": {"login_rate_limit": "100000"}})
    try:
        office.cli("init")
        office.cli("demo")
        office.cli("operator", "add", "bench", "--role", "staff", stdin="a long password 123\n")
        token = office.cli("token", "add", "bench").stdout.strip()
        auth = {"Authorization": "Bearer " + token}
        office.start("wizyta-web", "wizyta-web", env=faketime("@2026-12-08 08:00:00"))
        if not office.wait_port(office.web_port):
            raise SystemExit("sse_bench: wizyta-web did not start: " + office.log("wizyta-web"))
        pid = office.procs["wizyta-web"].pid
        services = office.api("GET", "/api/v1/services")[1]
        refs = []
        for sv in services:
            code, slots = office.api("GET", "/api/v1/services/%d/slots?date=2026-12-08" % sv["id"])
            for slot in slots:
                if len(refs) == ROUNDS:
                    break
                code, b = office.api("POST", "/api/v1/bookings", {
                    "service_id": sv["id"], "start": slot["start"], "first_name": "Jan",
                    "last_name": "Ekran", "email": "ekran%d@example.pl" % len(refs)})
                if code == 201:
                    refs.append(b["reference"])
        if len(refs) < ROUNDS:
            raise SystemExit("sse_bench: only %d bookings" % len(refs))
        # the same warm-up for the idle figure: pages, the API, one stream
        gets = []
        for _ in range(20):
            t0 = time.monotonic()
            urllib.request.urlopen(office.base + "/api/v1/board").read()
            gets.append(time.monotonic() - t0)
            urllib.request.urlopen(office.base + "/board").read()
        sel, socks = open_streams(office.web_port, 1)
        socks[0].close()
        sel.close()
        time.sleep(0.5)
        idle = rss_kib(pid)
        sel, socks = open_streams(office.web_port, STREAMS)
        time.sleep(0.5)
        busy = rss_kib(pid)
        all_screens, deliveries = [], []
        for ref in refs:
            started = time.monotonic()
            code, b = office.api("POST", "/api/v1/bookings/%s/status" % ref, {"status": "booked"},
                                 headers=auth)
            if code != 200:
                raise SystemExit("sse_bench: confirm: %s %s" % (code, b))
            arrived = wait_all(sel, STREAMS, b["access_code"], started)
            all_screens.append(max(arrived))
            deliveries.extend(arrived)
        for s in socks:
            s.close()
        sel.close()
        stopped = office.stop("wizyta-web")
        return {"idle": idle, "busy": busy, "ratio": busy / idle,
                "p50": pct(all_screens, 50), "p99": pct(all_screens, 99),
                "d50": pct(deliveries, 50), "d99": pct(deliveries, 99),
                "get": statistics.median(gets), "exit": stopped}
    finally:
        office.cleanup()


def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < STREAMS + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, STREAMS + 256), hard))
    results = []
    print("sse: %d streams of /board/events, %d changes a run, %d runs" % (STREAMS, ROUNDS, RUNS))
    for i in range(RUNS):
        r = one_run()
        results.append(r)
        print("  run %d: idle %d KiB, with %d streams %d KiB (ratio %.2f); change → all screens"
              " p50 %.0f ms, p99 %.0f ms; single delivery p50 %.0f ms, p99 %.0f ms;"
              " baseline GET /api/v1/board %.1f ms; SIGTERM exit %s"
              % (i + 1, r["idle"], STREAMS, r["busy"], r["ratio"], r["p50"] * 1000, r["p99"] * 1000,
                 r["d50"] * 1000, r["d99"] * 1000, r["get"] * 1000, r["exit"]), flush=True)
    ratio = statistics.median(r["ratio"] for r in results)
    p50 = statistics.median(r["p50"] for r in results)
    p99 = statistics.median(r["p99"] for r in results)
    get = statistics.median(r["get"] for r in results)
    ok = ratio <= MEMORY_TARGET and p99 < LATENCY_TARGET
    print("sse: memory with %d streams / idle = %.2f (median; target <= %.1f); change → all %d"
          " screens p50 %.0f ms, p99 %.0f ms (medians; target p99 < %.0f ms; one GET /api/v1/board"
          " takes %.1f ms): %s"
          % (STREAMS, ratio, MEMORY_TARGET, STREAMS, p50 * 1000, p99 * 1000, LATENCY_TARGET * 1000,
             get * 1000, "met" if ok else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
