#!/usr/bin/python3
"""wizyta backup under load, and a restore from it (TAP).

wizyta-web takes bookings from four clients without pause (each one a
booking row and its outbox rows) while wizytad delivers the outbox (every
row updated as it goes) — both daemons write all the time. `wizyta backup`
copies the database meanwhile. Everything committed before the backup
began must be in the copy: every booking a client got its 201 for, every
outbox row up to the highest id seen; the copy passes integrity_check and
foreign_key_check, is 0600, and `[database] path = COPY` serves it. Then
the office restores it as wizyta(1) says (stop, copy back, start) and
every one of those bookings answers.
"""
import datetime
import os
import shutil
import sqlite3
import stat
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import Office, Tap, free_port, wait_for  # noqa: E402

t = Tap()
office = Office(extra={"web": {"threads": "4"}})
db = office.sections["database"]["path"]
backup = os.path.join(office.dir, "backup", "wizyta-copy.db")


def ro(path, sql, *args):
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True, timeout=30)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


class Load:
    """Clients booking every free slot they find, until stopped."""

    def __init__(self, slots):
        self.slots = slots
        self.lock = threading.Lock()
        self.refs = []  # references whose 201 came back
        self.errors = []
        self.stop = threading.Event()

    def run(self, n):
        while not self.stop.is_set():
            with self.lock:
                if not self.slots:
                    return
                sid, start = self.slots.pop()
            code, b = office.api("POST", "/api/v1/bookings", {
                "service_id": sid, "start": start, "first_name": "Obciążenie",
                "last_name": "Klient%d" % n, "email": "klient%d@example.test" % n,
                "phone": "+48 600 100 %03d" % n})
            with self.lock:
                if code == 201:
                    self.refs.append(b["reference"])
                elif code != 409:
                    self.errors.append((code, b))

    def committed(self):
        with self.lock:
            return list(self.refs)


try:
    office.start_both(t)
    slots = []
    for svc in office.api("GET", "/api/v1/services")[1]:
        for i in range(1, 30):
            d = (datetime.date.today() + datetime.timedelta(days=i)).isoformat()
            code, day = office.api("GET", "/api/v1/services/%d/slots?date=%s" % (svc["id"], d))
            for s in day if code == 200 else []:
                slots += [(svc["id"], s["start"])] * s["free"]
    slots.reverse()
    load = Load(slots)
    clients = [threading.Thread(target=load.run, args=(n,)) for n in range(4)]
    for c in clients:
        c.start()
    # writes from both daemons are under way before the backup begins
    busy = wait_for(lambda: len(load.committed()) >= 150 and ro(
        db, "SELECT count(*) FROM outbox WHERE status = 'sent'")[0][0] >= 100, 60)
    t.ok(busy, "under load: bookings keep coming and wizytad keeps sending",
         (len(load.committed()), load.errors[:3]))
    before = set(load.committed())
    max_outbox = ro(db, "SELECT max(id) FROM outbox")[0][0]
    p = office.cli("backup", backup)
    t.ok(p.returncode == 1 and "No such file or directory" in p.stderr,
         "into a directory that does not exist: a clear error", (p.returncode, p.stderr))
    os.makedirs(os.path.dirname(backup))
    started = time.time()
    p = office.cli("backup", backup)
    took = time.time() - started
    # the load goes on after the copy: those bookings must not be in it
    at_end = len(load.committed())
    wait_for(lambda: len(load.committed()) >= at_end + 20, 20)
    load.stop.set()
    for c in clients:
        c.join()
    t.ok(p.returncode == 0 and "integrity ok" in p.stdout,
         "wizyta backup succeeds while both daemons write (%.2fs; %d bookings were"
         " committed between the last look and its end)" % (took, at_end - len(before)),
         (p.stdout, p.stderr))
    t.ok(not load.errors, "the clients saw only 201s and 409s (a slot taken)", load.errors[:5])
    mode = stat.S_IMODE(os.stat(backup).st_mode) if os.path.exists(backup) else None
    t.ok(mode == 0o600, "the copy is 0600 (it holds personal data)", oct(mode or 0))
    t.ok(not os.path.exists(backup + "-wal") and
         ro(backup, "PRAGMA journal_mode")[0][0] == "delete",
         "the copy is one self-contained file")
    t.ok(ro(backup, "PRAGMA integrity_check") == [("ok",)], "integrity_check: ok")
    t.ok(ro(backup, "PRAGMA foreign_key_check") == [], "foreign_key_check: nothing dangles")
    copied = {r for (r,) in ro(backup, "SELECT reference FROM bookings")}
    t.ok(before <= copied, "every booking committed before the backup began is in it "
         "(%d of %d)" % (len(before & copied), len(before)), sorted(before - copied)[:5])
    ids = {i for (i,) in ro(backup, "SELECT id FROM outbox")}
    t.ok(set(range(1, max_outbox + 1)) <= ids,
         "every outbox row up to the last one seen before it (%d) is in it" % max_outbox,
         sorted(set(range(1, max_outbox + 1)) - ids)[:5])
    later = set(load.committed()) - copied
    t.ok(later, "bookings committed after it began are not (%d): a snapshot, not a blend"
         % len(later))
    p = office.cli("backup", backup)
    t.ok(p.returncode == 1 and "exists" in p.stderr, "a backup never overwrites a file",
         p.stderr)

    # ---- [database] path = COPY serves it as it is
    other = Office()
    other.configure({"database": {"path": backup + ".served"}})
    shutil.copy(backup, backup + ".served")
    os.chmod(backup + ".served", 0o600)
    p = other.cli("status")
    t.ok(p.returncode == 0 and "outbox:" in p.stdout, "wizyta status reads the copy",
         (p.stdout, p.stderr))
    other.start("wizyta-web", "wizyta-web")
    other.wait_port(other.web_port)
    ref = sorted(before)[0]
    code, b = other.api("GET", "/api/v1/bookings/" + ref)
    t.ok(code == 200 and b["reference"] == ref, "wizyta-web on the copy answers for a booking",
         (code, b))
    other.cleanup()

    # ---- restore as wizyta(1) says: stop, copy back, start
    codes = office.stop_all()
    t.ok(codes == {"wizytad": 0, "wizyta-web": 0}, "both daemons stop on SIGTERM", codes)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    shutil.copy(backup, db)
    os.chmod(db, 0o600)
    t.ok(office.start_all(), "they start on the restored database", office.log("wizyta-web"))
    answers = [office.api("GET", "/api/v1/bookings/" + r)[0] for r in sorted(before)]
    t.ok(answers.count(200) == len(before),
         "every booking committed before the backup answers after the restore (%d)" %
         len(before), [r for r, a in zip(sorted(before), answers) if a != 200][:5])
    rows = ro(db, "SELECT count(*) FROM outbox")[0][0]
    t.ok(rows >= max_outbox, "and every outbox row is there (%d)" % rows)
    office.personal("Obciążenie", *["klient%d@example.test" % n for n in range(4)],
                    *["+48 600 100 %03d" % n for n in range(4)])
finally:
    office.cleanup()
t.done()
