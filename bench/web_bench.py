#!/usr/bin/python3
"""bench/web_bench.py: how fast wizyta-web answers, on loopback (not a test).

One office (wizyta init + demo, wizyta-web only, 2 threads) with a year of
history (BENCH_HISTORY past bookings, default 25,000: an office of ~100
visits a day), then, each BENCH_RUNS times (default 3) and reported as the
median, every figure as a ratio to a baseline measured in the same run:

  static stylesheet        the baseline for reads (no database, no template)
  slots, cache hit         one URL again and again: the per-thread answer cache
  slots, cache miss        every request another service or date (wrk's Lua
                           rotates over 6 services x 40 days), so the cache
                           never answers: the slot query itself
  day page, cache miss     the same through the template
  bookings/s               POST /api/v1/bookings from 16 clients on distinct
                           free times: only 201s count (409s are reported
                           apart); against bench/tx_baseline, the raw SQLite
                           transaction of the same shape in C on the same disk

Bounded: wrk runs BENCH_SECONDS (default 3) per figure, BENCH_BOOKINGS
(default 300) POSTs a run. Exit 1 when a figure misses its target
(bench/README.md says why each target is what it is).

    top_builddir=BUILD /usr/bin/python3 bench/web_bench.py
"""
import datetime
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
from wizyta_harness import BUILD, Office  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
HISTORY = int(os.environ.get("BENCH_HISTORY", "25000"))
BOOKINGS = int(os.environ.get("BENCH_BOOKINGS", "300"))

# name: (minimum ratio to its baseline)
TARGETS = {
    "slots, cache hit": 0.5,
    "slots, cache miss": 0.2,
    "day page, cache miss": 0.1,
    "bookings/s": 0.1,
}

ROTATE_LUA = """
paths = {%s}
i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def wrk(url, paths=None):
    args = ["wrk", "-t2", "-c16", "-d%ds" % SECONDS]
    script = None
    if paths:
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        script.write(ROTATE_LUA % ", ".join('"%s"' % p for p in paths))
        script.close()
        args += ["-s", script.name]
    out = subprocess.run(args + [url], capture_output=True, text=True).stdout
    if script:
        os.unlink(script.name)
    return wrk_successes(out)


def wrk_successes(out):
    """wrk's output: (2xx answers per second, non-2xx count). wrk's own
    Requests/sec counts every answer, a 404 or 503 as well: only the
    successes are the figure."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in ", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    bad = int(errors.group(1)) if errors else 0
    if not rps or not total or int(total.group(1)) == 0:
        return 0.0, bad
    n = int(total.group(1))
    return float(rps.group(1)) * max(0, n - bad) / n, bad


def weekdays(n):
    d, out = datetime.date.today() + datetime.timedelta(days=1), []
    while len(out) < n:
        if d.weekday() < 5:
            out.append(d.isoformat())
        d += datetime.timedelta(days=1)
    return out


def seed_history(office, n):
    """n done visits over the past year, as an office that has run a year
    has: the rows every 'busy' query must not wade through."""
    con = sqlite3.connect(os.path.join(office.dir, "wizyta.db"), timeout=30)
    desks = [r[0] for r in con.execute("SELECT id FROM desks")]
    services = [r[0] for r in con.execute("SELECT id FROM services")]
    now = int(time.time())
    rows = []
    for i in range(n):
        start = now - 86400 * (1 + i % 365) - 3600 * (i % 8)
        rows.append(("H%09d" % i, services[i % len(services)], desks[i % len(desks)], start,
                     start + 900, datetime.date.fromtimestamp(start).isoformat(), "done",
                     "Jan", "Kowalski", "h%d@example.pl" % i, "", "pl", "%06d" % (i % 999999),
                     "web", "", start - 86400, start - 84600, 0, "%016x" % i))
    with con:
        con.executemany(
            "INSERT INTO bookings (reference, service_id, desk_id, start_at, end_at, day, status,"
            " first_name, last_name, email, phone, language, access_code, source, note,"
            " created_at, confirm_by, sequence, token) VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    con.close()


def book(office, slots):
    codes = []
    lock = threading.Lock()

    def worker(part):
        for i, (sid, start) in part:
            c, _ = office.api("POST", "/api/v1/bookings", {
                "service_id": sid, "start": start, "first_name": "Bench",
                "last_name": "Mark", "email": "bench%d@example.pl" % i})
            with lock:
                codes.append(c)
    items = list(enumerate(slots))
    threads = [threading.Thread(target=worker, args=(items[k::16],)) for k in range(16)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    dt = time.time() - t0
    return codes.count(201) / dt, codes.count(201), codes.count(409), len(codes) - \
        codes.count(201) - codes.count(409)


def free_slots(office, service, days, n, taken):
    """n free times of one service (several desks may share a time: the
    server picks a free desk). One service only, so that no booking of
    another service takes a desk these were listed on: every POST should
    be a 201, and a 409 is worth reporting."""
    out = []
    for d in days:
        if d in taken:
            continue
        taken.add(d)
        code, got = office.api("GET", "/api/v1/services/%d/slots?date=%s" % (service, d))
        out += [(service, x["start"]) for x in got] if code == 200 else []
        if len(out) >= n:
            return out[:n]
    return out


def tx_baseline(office, n):
    tx = subprocess.run([os.path.join(BUILD, "bench", "tx_baseline"), office.dir, str(n)],
                        capture_output=True, text=True)
    m = re.search(r"tx_per_second ([\d.]+)", tx.stdout)
    if not m:
        raise SystemExit("tx_baseline: " + tx.stderr)
    return float(m.group(1))


def main():
    if shutil.which("wrk") is None:
        print("web_bench: wrk is not installed (apt-get install wrk)")
        return 1
    office = Office(extra={"web": {"rate_limit": "0", "max_open_per_contact": "0",
                                   "threads": "2"}})
    try:
        office.cli("init")
        office.cli("demo")
        seed_history(office, HISTORY)
        office.start("wizyta-web", "wizyta-web")
        if not office.wait_port(office.web_port):
            print(office.log("wizyta-web"))
            return 1
        services = [s["id"] for s in office.api("GET", "/api/v1/services")[1]]
        days = weekdays(40)
        rotate = ["/api/v1/services/%d/slots?date=%s" % (s, d) for d in days for s in services]
        rotate_pages = ["/services/%d/%s" % (s, d) for d in days for s in services]
        results = {k: [] for k in ("static", "slots, cache hit", "slots, cache miss",
                                   "day page, cache miss", "bookings/s", "tx baseline")}
        taken = set()
        print("wizyta-web: 2 threads, %d past bookings, wrk -t2 -c16 -d%ds, %d runs"
              % (HISTORY, SECONDS, RUNS), flush=True)
        for run in range(RUNS):
            static, _ = wrk(office.base + "/static/style.css")
            hit, bad1 = wrk(office.base + rotate[0])
            miss, bad2 = wrk(office.base + rotate[0], rotate)
            page, bad3 = wrk(office.base + rotate_pages[0], rotate_pages)
            slots = free_slots(office, services[0], days, BOOKINGS, taken)
            # the disk is shared: the baseline just before and just after
            before = tx_baseline(office, BOOKINGS)
            rate, n201, n409, nother = book(office, slots)
            base_tx = (before + tx_baseline(office, BOOKINGS)) / 2
            for k, v in (("static", static), ("slots, cache hit", hit),
                         ("slots, cache miss", miss), ("day page, cache miss", page),
                         ("bookings/s", rate), ("tx baseline", base_tx)):
                results[k].append(v)
            print("run %d: static %.0f  hit %.0f  miss %.0f  day page %.0f req/s;"
                  " bookings %.0f/s (%d x 201, %d x 409, %d other) vs C tx %.0f/s%s"
                  % (run + 1, static, hit, miss, page, rate, n201, n409, nother, base_tx,
                     "  (non-2xx: %d)" % (bad1 + bad2 + bad3) if bad1 + bad2 + bad3 else ""),
                  flush=True)
        med = {k: statistics.median(v) for k, v in results.items()}
        failed = False
        print("median of %d runs:" % RUNS)
        print("  %-24s %9.0f req/s   (baseline)" % ("static stylesheet", med["static"]))
        for k in ("slots, cache hit", "slots, cache miss", "day page, cache miss"):
            ratio = statistics.median(a / b for a, b in zip(results[k], results["static"]))
            miss = ratio < TARGETS[k]
            failed |= miss
            print("  %-24s %9.0f req/s   ratio %.3f  (target >= %.2f)%s" % (
                k, med[k], ratio, TARGETS[k], "  MISSED" if miss else ""))
        ratio = statistics.median(a / b for a, b in zip(results["bookings/s"],
                                                        results["tx baseline"]))
        miss = ratio < TARGETS["bookings/s"]
        failed |= miss
        print("  %-24s %9.0f /s      ratio %.3f  to raw C SQLite tx %.0f/s (target >= %.2f)%s" % (
            "bookings (201 only)", med["bookings/s"], ratio, med["tx baseline"],
            TARGETS["bookings/s"], "  MISSED" if miss else ""))
        return 1 if failed else 0
    finally:
        office.cleanup()


if __name__ == "__main__":
    sys.exit(main())
