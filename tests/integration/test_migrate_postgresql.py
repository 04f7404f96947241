#!/usr/bin/python3
"""wizyta migrate-to-postgresql (issue 15): an office that ran on SQLite —
services, operators, an API token, bookings with their events and outbox,
an admin's setting — is copied into an empty PostgreSQL database and goes
on there: every table has the same rows, the old booking is found by its
reference, the token still signs in, a new booking gets the next id (the
sequences were set past the copied ones), the setting is in force. Refused
while wizytad runs on the file, and a second time (the target holds data).
Runs in the suite's PostgreSQL run only (tests/pg_tests.make).
"""
import json
import os
import sqlite3
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from wizyta_harness import POSTGRESQL, Office, Tap, first_free_slot  # noqa: E402

t = Tap()
if not POSTGRESQL:
    t.skip_all("the copy's target is PostgreSQL (WIZYTA_TEST_BACKEND=postgresql)")

office = Office()
pg = dict(office.sections["database"])
sqlite_path = os.path.join(office.dir, "wizyta.db")
PASSWORD = "Haslo-do-migracji-1"


def on_sqlite():
    office.sections["database"] = {"path": sqlite_path}
    office.configure()


def on_postgresql():
    office.sections["database"] = dict(pg)
    office.configure()


def counts_sqlite():
    con = sqlite3.connect(sqlite_path)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%'")]
        return {n: con.execute('SELECT count(*) FROM "%s"' % n).fetchone()[0] for n in names}
    finally:
        con.close()


try:
    on_sqlite()
    t.ok(office.cli("init").returncode == 0 and office.cli("demo").returncode == 0,
         "an office on SQLite")
    office.cli("operator", "add", "ala", "--role", "admin", stdin=PASSWORD + "\n")
    token = office.cli("token", "add", "ala").stdout.strip()
    t.ok(office.start_all(), "wizytad and wizyta-web on SQLite", office.log("wizyta-web"))
    auth = {"Authorization": "Bearer " + token}
    code, _ = office.api("PUT", "/api/v1/admin/settings", {"confirm_within": "45m"}, headers=auth)
    t.ok(code == 200, "an admin's setting saved on SQLite", code)
    services = office.api("GET", "/api/v1/services")[1]
    sid = services[0]["id"]
    slot = first_free_slot(office, sid, skip=2)
    code, old = office.api("POST", "/api/v1/bookings", {
        "service_id": sid, "start": slot["start"], "first_name": "Zofia",
        "last_name": "Przeniesiona", "email": "zofia@example.pl"})
    t.ok(code == 201, "a booking on SQLite", old)

    # wizytad holds the file: the copy waits for it to stop
    r = office.cli("migrate-to-postgresql", pg["conninfo"])
    t.ok(r.returncode != 0 and "stop wizytad" in r.stderr,
         "refused while wizytad runs on the file", r.stderr)
    office.stop_all()
    before = counts_sqlite()

    # the new configuration names PostgreSQL, the argument the old file
    on_postgresql()
    r = office.cli("migrate-to-postgresql", sqlite_path)
    t.ok(r.returncode == 0 and "copied" in r.stdout,
         "wizyta migrate-to-postgresql FILE (with the PostgreSQL configuration) copies",
         r.stdout + r.stderr)
    print("# " + r.stdout.strip(), flush=True)
    after = {n: office.sql('SELECT count(*) FROM "%s"' % n)[0][0] for n in before}
    t.ok(before == after and before["bookings"] >= 1 and before["outbox"] >= 1,
         "every table has the same rows on PostgreSQL",
         {n: (before[n], after[n]) for n in before if before[n] != after[n]})

    # the other form: the SQLite configuration, the argument PostgreSQL's
    on_sqlite()
    again = office.cli("migrate-to-postgresql", pg["conninfo"])
    on_postgresql()
    t.ok(again.returncode != 0 and "already holds data" in again.stderr,
         "a second copy (CONNINFO, with the SQLite configuration) is refused:"
         " the target holds data", again.stderr)

    t.ok(office.start_all(), "wizytad and wizyta-web on PostgreSQL", office.log("wizyta-web"))
    code, found = office.api("GET", "/api/v1/bookings/" + old.get("reference", "x"))
    names = office.sql("SELECT last_name FROM bookings WHERE reference = ?",
                       (old.get("reference", "x"),))
    t.ok(code == 200 and found.get("start") == old.get("start") and
         names == [("Przeniesiona",)],
         "the SQLite booking is found by its reference, as it was", (code, found, names))
    code, settings = office.api("GET", "/api/v1/admin/settings", headers=auth)
    t.ok(code == 200 and settings.get("confirm_within") == "45m",
         "the API token signs in and the admin's setting is in force", (code, settings))
    slot2 = first_free_slot(office, sid, skip=5)
    code, new = office.api("POST", "/api/v1/bookings", {
        "service_id": sid, "start": slot2["start"], "first_name": "Nowa",
        "last_name": "Po Migracji", "email": "nowa@example.pl"})
    ids = office.sql("SELECT id FROM bookings ORDER BY id")
    t.ok(code == 201 and len(ids) == before["bookings"] + 1,
         "a new booking on PostgreSQL takes the next id", (code, new, ids))

    # operations on PostgreSQL while both run: person export, purge (its
    # rebuild is VACUUM FULL), and backup left to pg_dump
    office.personal("Nowa", "Po Migracji", "nowa@example.pl")
    r = office.cli("person", "export", "nowa@example.pl")
    try:
        doc = json.loads(r.stdout)
    except ValueError:
        doc = None
    t.ok(r.returncode == 0 and doc is not None and "Po Migracji" in r.stdout,
         "person export reads the person's bookings on PostgreSQL", (r.stdout[:300], r.stderr))
    r = office.cli("purge")
    t.ok(r.returncode == 0 and r.stdout.startswith("purged "),
         "purge runs on PostgreSQL beside both daemons", (r.stdout, r.stderr))
    dest = os.path.join(office.dir, "copy.db")
    r = office.cli("backup", dest)
    t.ok(r.returncode != 0 and "pg_dump -Fc" in r.stderr and not os.path.exists(dest),
         "wizyta backup on PostgreSQL refuses and names pg_dump -Fc", (r.returncode, r.stderr))
    codes = office.stop_all()
    t.ok(all(c == 0 for c in codes.values()), "both stop cleanly", codes)
    for name in ("wizyta-web", "wizytad"):
        t.ok("ERROR: AddressSanitizer" not in office.log(name), "%s: no sanitizer reports" % name)
finally:
    office.cleanup()
t.done()
