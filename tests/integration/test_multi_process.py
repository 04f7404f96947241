#!/usr/bin/python3
"""Several processes on one PostgreSQL database (issue 15): two wizyta-web
and two wizytad share one office. 64 clients split over both web processes
race for one place: exactly one 201. N numbered messages are put in the
outbox and both gateways deliver them; one gateway is killed with SIGKILL
midway and not started again: the other takes over its leased rows (their
owner's connection is gone) and every message arrives, none twice except
at most the one the killed gateway had handed over but not yet recorded.
Runs only in the suite's PostgreSQL run (tests/pg_tests.make): on SQLite
one wizytad per database is the rule (store_lock_process).
"""
import collections
import os
import re
import signal
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from wizyta_harness import (BUILD, POSTGRESQL, Office, Tap, free_port,  # noqa: E402
                            one_place, race, wait_for)

N = int(os.environ.get("WIZYTA_MULTI_N", "10000"))
t = Tap()
if not POSTGRESQL:
    t.skip_all("several processes per office need PostgreSQL (WIZYTA_TEST_BACKEND=postgresql)")

office = Office()


def second_config(name, replace):
    """A copy of the office's configuration with other ports."""
    path = os.path.join(office.dir, name + ".conf")
    with open(office.conf) as f:
        text = f.read()
    for old, new in replace:
        text = text.replace(old, new)
    with open(path, "w") as f:
        f.write(text)
    return path


def start(name, program, conf):
    log = open(os.path.join(office.dir, name + ".log"), "a")
    office.logs[name] = log.name
    office.procs[name] = subprocess.Popen([os.path.join(BUILD, program), "-c", conf],
                                          stdout=log, stderr=subprocess.STDOUT)


def delivered():
    """The outbox ids of the SMS in the spool, one entry per file (the
    spool names each file TIME.OUTBOXID.PID[.N]: a message sent twice is
    two files)."""
    try:
        names = os.listdir(office.spool)
    except OSError:
        return []
    out = []
    for name in names:
        found = re.match(r"\d+\.(\d+)\.\d+", name)
        if found:
            out.append(int(found.group(1)))
    return out


def drained():
    out = office.cli("status").stdout
    rows = re.findall(r"sms\s+queued=(\d+) sending=(\d+)", out)
    return len(rows) == 1 and rows[0] == ("0", "0")


try:
    t.ok(office.cli("init").returncode == 0 and office.cli("demo").returncode == 0,
         "init and demo on PostgreSQL")
    web2_port, gw2_port = free_port(), free_port()
    web2 = second_config("web2", [("listen = 127.0.0.1:%d" % office.web_port,
                                   "listen = 127.0.0.1:%d" % web2_port)])
    gw2 = second_config("gw2", [("listen = 127.0.0.1:%d" % office.gw_port,
                                 "listen = 127.0.0.1:%d" % gw2_port)])
    office.start("wizyta-web", "wizyta-web")
    start("wizyta-web-2", "wizyta-web", web2)
    t.ok(office.wait_port(office.web_port) and office.wait_port(web2_port),
         "two wizyta-web on one database", office.log("wizyta-web-2"))

    # --- 64 clients, half on each web process, race for one place --------
    services = office.api("GET", "/api/v1/services")[1]
    place = one_place(office, services)
    if t.ok(place is not None, "a slot with one place for the race", services):
        results = race([office.base, "http://127.0.0.1:%d" % web2_port], place)
        t.ok(results.count(201) == 1 and results.count(409) == 63,
             "64 clients on two wizyta-web: exactly one 201, 63 × 409",
             {c: results.count(c) for c in set(results)})
    office.stop("wizyta-web")
    office.stop("wizyta-web-2")

    # --- N messages, two gateways, one killed midway ------------------------
    # the race's confirmation request is in the outbox too: count it out
    before = set(r[0] for r in office.sql("SELECT id FROM outbox"))
    f = subprocess.run([os.path.join(BUILD, "bench", "outbox_fill"), "-c", office.conf,
                        "-n", str(N), "-k", "sms", "-t", "+48600700800",
                        "-f", "/dev/stdin"],
                       input="Wiadomosc {n}", capture_output=True, text=True)
    burst = set(r[0] for r in office.sql("SELECT id FROM outbox")) - before
    t.ok(f.returncode == 0 and len(burst) == N, "%d numbered SMS queued" % N, f.stderr)
    office.start("wizytad", "wizytad")
    start("wizytad-2", "wizytad", gw2)
    t.ok(office.wait_port(office.gw_port) and office.wait_port(gw2_port),
         "two wizytad on one database", office.log("wizytad-2"))
    wait_for(lambda: len(set(delivered()) & burst) >= N // 2, 300, 0.1)
    victim = office.procs.pop("wizytad-2")
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    at = len(set(delivered()) & burst)
    t.ok(0 < at < N, "one wizytad killed with SIGKILL midway (after %d of %d)" % (at, N))
    t.ok(wait_for(drained, 300, 0.5), "the other one drains the outbox alone",
         office.cli("status").stdout)
    ids = [i for i in delivered() if i in burst]
    counts = collections.Counter(ids)
    missing = burst - set(counts)
    extra = sum(c - 1 for c in counts.values())
    pids = collections.Counter(re.match(r"\d+\.\d+\.(\d+)", n).group(1)
                               for n in os.listdir(office.spool) if n[0].isdigit())
    print("# measured: %d queued, %d delivered, %d duplicates, by process %s"
          % (N, len(ids), extra, dict(pids)), flush=True)
    t.ok(len(pids) == 2 and min(pids.values()) > 0,
         "both gateways delivered (each claims what the other does not hold)", dict(pids))
    t.ok(not missing, "none of %d lost" % N, sorted(missing)[:20])
    t.ok(extra <= 1, "at most the killed gateway's message in flight twice (%d)" % extra,
         [i for i, c in counts.items() if c > 1][:20])
    t.ok(office.stop("wizytad") == 0, "the survivor stops cleanly")
    for name in ("wizyta-web", "wizyta-web-2", "wizytad", "wizytad-2"):
        t.ok("ERROR: AddressSanitizer" not in office.log(name), "%s: no sanitizer reports" % name)
finally:
    office.cleanup()
t.done()
