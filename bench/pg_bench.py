#!/usr/bin/python3
"""bench/pg_bench.py: wizyta-web on PostgreSQL, one and two processes (not a test).

A throw-away PostgreSQL server (tests/pg_server.sh, loopback, its own
directory), one office on it (wizyta init + demo), two wizyta-web on the
one database (2 threads each: 2 connections each). Each of BENCH_RUNS runs
(default 3) measures, with 1 and then 2 web processes taking the load:

  slots/s     GET /api/v1/services/{id}/slots?date=... rotating over every
              service and 56 days (the answer cache never answers): wrk,
              16 connections in all, BENCH_SECONDS (default 3)
  bookings/s  POST /api/v1/bookings from 16 clients on distinct free
              times, BENCH_BOOKINGS (default 200) a run; only 201s count

each as a ratio to bench/pg_baseline, plain libpq transactions of the same
shape in C on the same server measured in the same run, with as many
connections as the web processes hold (2 per process); and how each grows
from 1 to 2 web processes. Medians of the runs; exit 1 when a figure
misses its target (bench/README.md says why each target is what it is).

    top_builddir=BUILD /usr/bin/python3 bench/pg_bench.py
"""
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
TOP_SRC = os.environ.get("top_srcdir") or os.path.join(HERE, "..")
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
BOOKINGS = int(os.environ.get("BENCH_BOOKINGS", "200"))
SLOTS_TX = int(os.environ.get("BENCH_SLOTS_TX", "4000"))
CLIENTS = 16

# name: minimum (bench/README.md, "pg_bench.py")
TARGETS = {
    "slots/s, 1 web": 0.25,
    "slots/s, 2 web": 0.25,
    "bookings/s, 1 web": 0.15,
    "bookings/s, 2 web": 0.15,
    "slots/s growth 1 -> 2 web": 0.6,
    "bookings/s growth 1 -> 2 web": 0.6,
}

def start_server():
    top = tempfile.mkdtemp(prefix="wizyta-pgbench-")
    os.chmod(top, 0o755)  # as root the server runs as postgres (pg_server.sh)
    pgdir = os.path.join(top, "server")
    out = subprocess.run(["sh", os.path.join(TOP_SRC, "tests", "pg_server.sh"), "start", pgdir,
                          str(os.getpid())], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit("pg_bench: no PostgreSQL server: " + out.stderr)
    return top, out.stdout.strip().splitlines()[-1]


PGDIR, CONNINFO = start_server()
os.environ["WIZYTA_TEST_BACKEND"] = "postgresql"
os.environ["WIZYTA_TEST_PG"] = CONNINFO
sys.path.insert(0, os.path.join(TOP_SRC, "tests", "integration"))
from wizyta_harness import BUILD, Office, free_port, pg_conninfo  # noqa: E402
from web_bench import ROTATE_LUA, weekdays, wrk_successes  # noqa: E402


def wrk_many(bases, paths):
    """wrk against each base at once, CLIENTS connections in all; the
    summed rate of 2xx answers and the non-2xx count."""
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
    script.write(ROTATE_LUA % ", ".join('"%s"' % p for p in paths))
    script.close()
    per = CLIENTS // len(bases)
    procs = [subprocess.Popen(["wrk", "-t%d" % max(1, 2 // len(bases)), "-c%d" % per,
                               "-d%ds" % SECONDS, "-s", script.name, b + paths[0]],
                              stdout=subprocess.PIPE, text=True) for b in bases]
    rate, bad = 0.0, 0
    for p in procs:
        ok, errors = wrk_successes(p.communicate()[0])
        rate += ok
        bad += errors
    os.unlink(script.name)
    return rate, bad


def baseline(dbname, mode, n, conns):
    out = subprocess.run([os.path.join(BUILD, "bench", "pg_baseline"), pg_conninfo(dbname), mode,
                          str(n), str(conns)], capture_output=True, text=True)
    m = re.search(r"per_second ([\d.]+)", out.stdout)
    if not m:
        raise SystemExit("pg_baseline: " + out.stderr)
    return float(m.group(1))


def post(base, body):
    req = urllib.request.Request(base + "/api/v1/bookings", data=json.dumps(body).encode(),
                                 method="POST")
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def book(bases, slots):
    """POST every slot from CLIENTS threads, client k on bases[k % len]:
    (201s per second, 201s, 409s, others)."""
    codes, lock = [], threading.Lock()

    def worker(k, part):
        for i, (sid, start) in part:
            c = post(bases[k % len(bases)], {
                "service_id": sid, "start": start, "first_name": "Bench",
                "last_name": "Mark", "email": "bench%d@example.pl" % i})
            with lock:
                codes.append(c)
    items = list(enumerate(slots))
    threads = [threading.Thread(target=worker, args=(k, items[k::CLIENTS]))
               for k in range(CLIENTS)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    dt = time.time() - t0
    n201, n409 = codes.count(201), codes.count(409)
    return n201 / dt, n201, n409, len(codes) - n201 - n409


def free_slots(office, service, days, n):
    """n free times of one service, from days not used before (days is
    consumed). One service only: a booking of another service could take
    a desk these were listed on, and every POST should be a 201."""
    out = []
    while days and len(out) < n:
        code, got = office.api("GET", "/api/v1/services/%d/slots?date=%s" % (service, days.pop(0)))
        if code == 200:
            out += [(service, x["start"]) for x in got]
    return out[:n]


def main():
    if shutil.which("wrk") is None:
        print("pg_bench: wrk is not installed (apt-get install wrk)")
        return 1
    office = Office(extra={"web": {"rate_limit": "0", "max_open_per_contact": "0",
                                   "threads": "2"}})
    try:
        if office.cli("init").returncode != 0 or office.cli("demo").returncode != 0:
            print("pg_bench: init/demo failed")
            return 1
        web2_port = free_port()
        conf2 = os.path.join(office.dir, "web2.conf")
        with open(office.conf) as f:
            text = f.read()
        with open(conf2, "w") as f:
            f.write(text.replace("listen = 127.0.0.1:%d" % office.web_port,
                                 "listen = 127.0.0.1:%d" % web2_port))
        office.start("wizyta-web", "wizyta-web")
        log2 = open(os.path.join(office.dir, "web2.log"), "a")
        office.logs["wizyta-web-2"] = log2.name
        office.procs["wizyta-web-2"] = subprocess.Popen(
            [os.path.join(BUILD, "wizyta-web"), "-c", conf2], stdout=log2,
            stderr=subprocess.STDOUT)
        if not (office.wait_port(office.web_port) and office.wait_port(web2_port)):
            print(office.log("wizyta-web") + office.log("wizyta-web-2"))
            return 1
        bases = [office.base, "http://127.0.0.1:%d" % web2_port]
        services = [s["id"] for s in office.api("GET", "/api/v1/services")[1]]
        look = [(datetime.date.today() + datetime.timedelta(days=k)).isoformat()
                for k in range(1, 57)]
        rotate = ["/api/v1/services/%d/slots?date=%s" % (s, d) for d in look for s in services]
        days = weekdays(250)
        res = {}
        print("PostgreSQL (tests/pg_server.sh: loopback, fsync off), wizyta-web 2 threads each,"
              " %d clients, %d runs" % (CLIENTS, RUNS), flush=True)
        for run in range(RUNS):
            line = []
            for webs in (1, 2):
                on = bases[:webs]
                slots, bad = wrk_many(on, rotate)
                base_slots = baseline(office.pg_dbname, "slots", SLOTS_TX, 2 * webs)
                free = free_slots(office, services[0], days, BOOKINGS)
                before = baseline(office.pg_dbname, "book", BOOKINGS, 2 * webs)
                rate, n201, n409, nother = book(on, free)
                base_book = (before + baseline(office.pg_dbname, "book", BOOKINGS, 2 * webs)) / 2
                for k, v in (("slots/s, %d web" % webs, slots),
                             ("slots baseline, %d web" % webs, base_slots),
                             ("bookings/s, %d web" % webs, rate),
                             ("bookings baseline, %d web" % webs, base_book)):
                    res.setdefault(k, []).append(v)
                line.append("%d web: slots %.0f/s (C %.0f/s)%s, bookings %.0f/s (%d x 201,"
                            " %d x 409, %d other; C %.0f/s)"
                            % (webs, slots, base_slots, " non-2xx %d" % bad if bad else "",
                               rate, n201, n409, nother, base_book))
            print("run %d: %s" % (run + 1, "; ".join(line)), flush=True)
        failed = False

        def report(name, values, unit):
            nonlocal failed
            med = statistics.median(values)
            miss = med < TARGETS[name]
            failed |= miss
            print("  %-30s %s  (runs %s; target >= %.2f)%s" % (
                name, unit % med, " ".join("%.2f" % v for v in values), TARGETS[name],
                "  MISSED" if miss else ""))
        print("median of %d runs:" % RUNS)
        for what in ("slots", "bookings"):
            for webs in (1, 2):
                k = "%s/s, %d web" % (what, webs)
                b = "%s baseline, %d web" % (what, webs)
                print("  %-30s %9.0f /s  vs C libpq %9.0f /s" % (
                    k, statistics.median(res[k]), statistics.median(res[b])))
                report(k, [a / c for a, c in zip(res[k], res[b])], "ratio %.3f")
            report("%s/s growth 1 -> 2 web" % what,
                   [a / c for a, c in zip(res["%s/s, 2 web" % what], res["%s/s, 1 web" % what])],
                   "x%.2f")
            print("  %-30s x%.2f" % ("(C baseline: 2 -> 4 conns)", statistics.median(
                [a / c for a, c in zip(res["%s baseline, 2 web" % what],
                                       res["%s baseline, 1 web" % what])])))
        return 1 if failed else 0
    finally:
        office.cleanup()
        subprocess.run(["sh", os.path.join(TOP_SRC, "tests", "pg_server.sh"), "stop",
                        os.path.join(PGDIR, "server")])
        shutil.rmtree(PGDIR, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
