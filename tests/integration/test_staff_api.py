#!/usr/bin/python3
"""The smallest staff API against a real wizyta-web at a chosen clock (TAP).

wizyta-web runs at Tuesday 2026-12-08 08:00 (libfaketime), the demo office
open. Citizens book through the public API; staff confirm, reception checks
people in, two clerks at two desks serving the same service call the next
person at once, round after round, and never get the same one. The clock's
and the state machine's refusals are 409s, a role's are 403s, bad input
400/404/422; notes are 201; each change leaves its audit row.
"""
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import Client, Office, Tap, faketime, hidden  # noqa: E402

t = Tap()
DAY = "2026-12-08"
NOW = "@2026-12-08 08:00:00"
STAFF = {"basia": "staff", "bartek": "staff", "celina": "reception"}

office = Office(extra={"reception": {"check_in_early": "12h"},
                       "staff": {"login_rate_limit": "1000"}})
try:
    office.cli("init")
    office.cli("demo")
    tokens = {}
    for login, role in STAFF.items():
        office.cli("operator", "add", login, "--role", role, stdin="a long password 123\n")
        tokens[login] = office.cli("token", "add", login).stdout.strip()
    office.start("wizyta-web", "wizyta-web", env=faketime(NOW))
    if not t.ok(office.wait_port(office.web_port), "wizyta-web starts at " + NOW, office.log("wizyta-web")):
        t.done()

    def call(login, method, path, body=None):
        return office.api(method, path, body, headers={"Authorization": "Bearer " + tokens[login]})

    def status(login, ref, value):
        return call(login, "POST", "/api/v1/bookings/%s/status" % ref, {"status": value})

    services = office.api("GET", "/api/v1/services")[1]
    sid = [s for s in services if s["name"] == "Rejestracja pojazdu"][0]["id"]

    def book(date, n=1):
        code, slots = office.api("GET", "/api/v1/services/%d/slots?date=%s" % (sid, date))
        refs = []
        for slot in slots:
            for _ in range(slot["free"]):
                if len(refs) == n:
                    return refs
                code, b = office.api("POST", "/api/v1/bookings", {
                    "service_id": sid, "start": slot["start"], "first_name": "Jan",
                    "last_name": "Kowalski%d" % len(refs), "email": "jan%d@example.pl" % len(refs)})
                if code == 201:
                    refs.append(b["reference"])
        return refs

    code, slots = office.api("GET", "/api/v1/services/%d/slots?date=%s" % (sid, DAY))
    desks = sorted({s["desk_id"] for s in slots}) if code == 200 else []
    t.ok(code == 200 and slots and slots[0]["start"].startswith(DAY + "T08:") and len(desks) == 2,
         "the clock is Tuesday 08:00: today's slots at two desks", (code, slots[:2]))

    # ---- confirm, check in: staff and reception
    people = book(DAY, n=20)
    t.ok(len(people) == 20, "20 citizens book today", len(people))
    confirmed = [status("basia", ref, "booked") for ref in people]
    t.ok(all(c == 200 and b["status"] == "booked" and len(b["access_code"]) == 6 for c, b in confirmed),
         "staff confirm on the citizens' behalf: booked, with an access code", confirmed[:2])
    checked = [status("celina", ref, "waiting") for ref in people]
    t.ok(all(c == 200 and b["status"] == "waiting" for c, b in checked), "reception checks them in",
         checked[:2])

    # ---- what reception may not do, what the state machine and the clock refuse
    code, err = status("celina", people[0], "called")
    t.ok(code == 403 and err["error"] == "forbidden", "reception may not call: 403", (code, err))
    code, err = status("celina", people[0], "cancelled")
    t.ok(code == 403, "reception may not cancel: 403", (code, err))
    code, err = call("celina", "POST", "/api/v1/bookings/%s/notes" % people[0], {"text": "x"})
    t.ok(code == 403, "reception may not annotate: 403 (the route's role)", (code, err))
    code, err = status("basia", people[0], "done")
    t.ok(code == 409 and err["error"] == "wrong_state", "done before in_service: 409 wrong_state", (code, err))
    code, err = status("basia", people[0], "waiting")
    t.ok(code == 409, "checking in twice: 409", (code, err))
    tomorrow = book("2026-12-09", n=1)
    code, b = status("basia", tomorrow[0], "booked")
    code, err = status("celina", tomorrow[0], "waiting")
    t.ok(code == 409 and err["error"] == "too_early", "tomorrow's visit cannot be checked in today: 409 too_early",
         (code, err))
    code, err = status("basia", tomorrow[0], "called")
    t.ok(code == 409 and err["error"] == "not_today", "nor called today: 409 not_today", (code, err))
    code, late = office.api("POST", "/api/v1/bookings", {
        "service_id": sid, "start": slots[-1]["start"], "first_name": "Ewa", "last_name": "Późna",
        "email": "ewa@example.pl"})
    later = [late.get("reference", "")]
    status("basia", later[0], "booked")
    code, err = status("basia", later[0], "no_show")
    t.ok(code == 409 and err["error"] == "too_early", "no-show before the visit starts: 409 too_early", (code, err))
    for value, want in [("expired", 422), ("pending", 422), ("bogus", 422)]:
        code, err = status("basia", people[0], value)
        t.ok(code == want and err.get("field") == "status", "status %s → %d" % (value, want), (code, err))
    code, err = call("basia", "POST", "/api/v1/bookings/%s/status" % people[0], {})
    t.ok(code == 422, "no status → 422", (code, err))
    code, err = office.api("POST", "/api/v1/bookings/%s/status" % people[0], raw=b"{",
                           headers={"Authorization": "Bearer " + tokens["basia"]})
    t.ok(code == 400 and err["error"] == "malformed", "a body that is not JSON → 400", (code, err))
    code, err = status("basia", "ZZZZZZZZZZ", "waiting")
    t.ok(code == 404, "an unknown reference → 404", (code, err))
    code, err = call("basia", "POST", "/api/v1/desks/abc/call-next")
    t.ok(code == 404, "a desk that is not an id → 404", (code, err))

    # ---- notes
    code, n = call("basia", "POST", "/api/v1/bookings/%s/notes" % people[1], {"text": "Dzwonił: będzie 5 min później"})
    t.ok(code == 201 and n["note"] == "Dzwonił: będzie 5 min później", "a note: 201", (code, n))
    code, err = call("basia", "POST", "/api/v1/bookings/%s/notes" % people[1], {"text": "x" * 300})
    t.ok(code == 422 and err.get("field") == "text", "a note too long → 422", (code, err))
    code, err = call("basia", "POST", "/api/v1/bookings/%s/notes" % people[1], {"text": 5})
    t.ok(code == 422, "a note that is not text → 422", (code, err))

    # ---- call-next: two clerks at two desks, at once, round after round
    called = {"basia": [], "bartek": []}
    failures = []
    barrier = threading.Barrier(2)

    def clerk(login, desk):
        while True:
            try:
                barrier.wait(timeout=60)
            except threading.BrokenBarrierError:
                return
            code, b = call(login, "POST", "/api/v1/desks/%d/call-next" % desk)
            if code == 200:
                called[login].append(b["reference"])
                if b["status"] != "called" or b["desk_id"] != desk:
                    failures.append(b)
            elif code == 404 and b["error"] == "nobody_waiting":
                barrier.abort()
                return
            else:
                failures.append((code, b))
                barrier.abort()
                return

    threads = [threading.Thread(target=clerk, args=(login, desk))
               for login, desk in (("basia", desks[0]), ("bartek", desks[1]))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    everyone = called["basia"] + called["bartek"]
    t.ok(not failures, "every call-next answered 200 (called, at the caller's desk) or 404", failures[:3])
    t.ok(sorted(everyone) == sorted(people) and len(set(everyone)) == len(everyone),
         "two desks calling at once: everyone called exactly once (%d + %d)" %
         (len(called["basia"]), len(called["bartek"])), called)
    code, err = call("basia", "POST", "/api/v1/desks/%d/call-next" % desks[0])
    t.ok(code == 404 and err["error"] == "nobody_waiting", "then nobody waits: 404", (code, err))
    code, err = call("basia", "POST", "/api/v1/desks/%d/call-next" % (max(desks) + 100))
    t.ok(code == 404 and err["error"] == "unknown_desk", "a desk that does not exist: 404 unknown_desk", (code, err))

    # ---- the desk's day through a browser session (X-CSRF-Token)
    c = Client(office.base)
    code, h, html = c.req("GET", "/staff/login")
    c.req("POST", "/staff/login", {"csrf": hidden(html, "csrf"), "login": "basia",
                                   "password": "a long password 123", "next": "/staff"})
    code, h, html = c.req("GET", "/staff")
    csrf = hidden(html, "csrf")
    ref = called["basia"][0] if called["basia"] else people[0]
    code, h, body = c.req("POST", "/api/v1/bookings/%s/status" % ref, body={"status": "in_service"},
                          headers={"X-CSRF-Token": csrf})
    t.ok(code == 200 and '"in_service"' in body, "a signed-in page's script starts the visit (session + CSRF)",
         (code, body))
    code, b = status("basia", ref, "done")
    t.ok(code == 200 and b["status"] == "done", "and finishes it", (code, b))

    # ---- the audit log saw it all, attributed
    admin = office.cli("operator", "add", "adam", "--role", "admin", stdin="a long password 123\n")
    tok = office.cli("token", "add", "adam").stdout.strip()
    code, rows = office.api("GET", "/api/v1/admin/audit?limit=1000", headers={"Authorization": "Bearer " + tok})
    by = {}
    for r in rows if code == 200 else []:
        by.setdefault(r["action"], set()).add(r["operator"])
    t.ok(by.get("booking.check_in") == {"celina"} and by.get("booking.call") == {"basia", "bartek"} and
         by.get("booking.confirm") == {"basia"} and by.get("booking.note") == {"basia"} and
         "booking.start" in by and "booking.finish" in by,
         "audit: check-ins by reception, calls by both clerks, confirms, notes, start, finish",
         {k: sorted(v) for k, v in by.items()})
    note_rows = [r for r in rows if r["action"] == "booking.note"]
    t.ok(note_rows and "Dzwonił" not in str(note_rows) and note_rows[0]["booking"] == people[1],
         "a note's audit row names the booking, not the words", note_rows)
    code, rows = office.api("GET", "/api/v1/admin/audit?booking=" + ref, headers={"Authorization": "Bearer " + tok})
    t.ok(code == 200 and [r["after"] for r in reversed(rows) if r["action"] != "booking.note"] ==
         ["booked", "waiting", "called", "in_service", "done"],
         "one booking's trail, before → after", [(r["action"], r["before"], r["after"]) for r in rows])
finally:
    office.cleanup()
t.done()
