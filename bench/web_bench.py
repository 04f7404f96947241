#!/usr/bin/python3
"""bench/web_bench.py: how fast wizyta-web answers, on loopback (not a test).

Starts one office (wizyta init + demo, wizyta-web only), then wrk with 2
threads and 32 connections for a few seconds per URL. Each line reports
requests/s and the ratio to the baseline measured in the same run: the
embedded stylesheet (no database, no template), so the numbers compare
across machines. Then POST /api/v1/bookings from 16 threads: bookings/s
(each one a transaction with its outbox rows), as a ratio against a plain
SQLite transaction writing a booking row and an outbox row on the same disk.

    top_builddir=BUILD /usr/bin/python3 bench/web_bench.py [seconds]
"""
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
from wizyta_harness import Office  # noqa: E402

SECONDS = int(sys.argv[1]) if len(sys.argv) > 1 else 4


def wrk(url):
    out = subprocess.run(["wrk", "-t2", "-c32", "-d%ds" % SECONDS, "--latency", url],
                         capture_output=True, text=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return (float(rps.group(1)) if rps else 0.0, p99.group(1) if p99 else "?",
            int(errors.group(1)) if errors else 0)


def sqlite_baseline(directory, n=400):
    """A plain SQLite transaction per booking — one booking row and one outbox
    row, WAL, synchronous=FULL, like the store — on the same disk."""
    import sqlite3
    db = sqlite3.connect(os.path.join(directory, "baseline.db"), isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE b (id INTEGER PRIMARY KEY, ref TEXT UNIQUE, start INTEGER,"
               " name TEXT, email TEXT)")
    db.execute("CREATE TABLE o (id INTEGER PRIMARY KEY, b INTEGER, payload BLOB)")
    payload = b"x" * 2500
    t0 = time.time()
    for i in range(n):
        db.execute("BEGIN IMMEDIATE")
        cur = db.execute("INSERT INTO b (ref, start, name, email) VALUES (?, ?, ?, ?)",
                         ("REF%07d" % i, i, "Bench Mark", "bench@example.pl"))
        db.execute("INSERT INTO o (b, payload) VALUES (?, ?)", (cur.lastrowid, payload))
        db.execute("COMMIT")
    dt = time.time() - t0
    db.close()
    return n / dt


def next_weekday():
    d = datetime.date.today() + datetime.timedelta(days=1)
    while d.weekday() >= 5:
        d += datetime.timedelta(days=1)
    return d.isoformat()


def main():
    if shutil.which("wrk") is None:
        print("web_bench: wrk is not installed (apt-get install wrk): skipped")
        return 0
    office = Office(extra={"web": {"rate_limit": "0", "max_open_per_contact": "0",
                                   "threads": "2"}})
    try:
        office.cli("init")
        office.cli("demo")
        office.start("wizyta-web", "wizyta-web")
        if not office.wait_port(office.web_port):
            print(office.log("wizyta-web"))
            return 1
        day = next_weekday()
        urls = [
            ("static stylesheet (baseline)", "/static/style.css"),
            ("GET /api/v1/services", "/api/v1/services"),
            ("GET /api/v1/services/1/slots", "/api/v1/services/1/slots?date=" + day),
            ("home page (template)", "/"),
            ("day page (slots + template)", "/services/1/" + day),
            ("month calendar (30 days of slots)", "/services/1"),
        ]
        base = None
        print("wizyta-web, 2 threads, wrk -t2 -c32 -d%ds" % SECONDS)
        for name, path in urls:
            rps, p99, bad = wrk(office.base + path)
            base = base or rps
            print("%-36s %9.0f req/s  p99 %-8s  ratio %.3f%s" % (
                name, rps, p99, rps / base if base else 0, "  (%d errors)" % bad if bad else ""))

        services = office.api("GET", "/api/v1/services")[1]
        slots = []
        d = datetime.date.today()
        for i in range(30):
            for s in services:
                code, got = office.api("GET", "/api/v1/services/%d/slots?date=%s" % (
                    s["id"], (d + datetime.timedelta(days=i)).isoformat()))
                slots += [(s["id"], x["start"]) for x in got] if code == 200 else []
            if len(slots) >= 400:
                break
        slots = slots[:400]
        lock = threading.Lock()
        codes = []

        latencies = []

        def worker(part):
            for i, (sid, start) in part:
                t = time.time()
                c, _ = office.api("POST", "/api/v1/bookings", {
                    "service_id": sid, "start": start, "first_name": "Bench",
                    "last_name": "Mark", "email": "bench%d@example.pl" % i})
                with lock:
                    codes.append(c)
                    latencies.append(time.time() - t)
        items = list(enumerate(slots))
        threads = [threading.Thread(target=worker, args=(items[k::16],)) for k in range(16)]
        t0 = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        dt = time.time() - t0
        rate = len(codes) / dt if dt else 0
        latencies.sort()
        p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else 0
        baseline = sqlite_baseline(office.dir)
        print("%-36s %9.0f bookings/s  p99 %.0fms (%d requests, %d × 201, %d × 409)" % (
            "POST /api/v1/bookings, 16 clients", rate, p99 * 1000, len(codes),
            codes.count(201), codes.count(409)))
        print("%-36s %9.0f tx/s       ratio %.3f (target >= 0.5)" % (
            "plain SQLite booking+outbox tx", baseline, rate / baseline if baseline else 0))
        return 0
    finally:
        office.cleanup()


if __name__ == "__main__":
    sys.exit(main())
