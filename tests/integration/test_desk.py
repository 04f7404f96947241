#!/usr/bin/python3
"""Mój punkt obsługi: a clerk's day at a chosen clock, over the API and the
pages without JavaScript, and call-next raced by four clients for hundreds
of rounds (TAP).

wizyta-web runs at Tuesday 2026-12-08 08:00 (libfaketime), the demo office
open. The API: the desks, choosing one, the desk's day with the actions the
state machine and the clock allow now; call, recall, start, finish at
08:00; no-show only at 08:30 (a restart at another clock); a citizen's
"running late" reply (a booking event "reply_late", what wizytad's reply
reader records) on the row. The pages: the picker, the plan headed
"wtorek, 8 grudnia 2026 — Pokój … stanowisko …", only the allowed buttons,
every action a form that comes back (303) saying what happened or why
not. Then two desks sharing a service, two clients each, call the next
person at once until nobody waits: nobody is called twice, nobody is left.
"""
import os
import sqlite3
import sys
import threading
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import Client, Office, Tap, faketime, hidden  # noqa: E402

t = Tap()
DAY = "2026-12-08"
PASSWORD = "a long password 123"
STAFF = {"basia": "staff", "bartek": "staff", "bogna": "staff", "bruno": "staff", "celina": "reception"}
CAPACITY = 6  # people per slot at the two racing desks: hundreds of rounds

office = Office(extra={"reception": {"check_in_early": "12h"},
                       "staff": {"login_rate_limit": "1000"}})


def sign_in(c, login):
    code, h, html = c.req("GET", "/staff/login")
    return c.req("POST", "/staff/login", {"csrf": hidden(html, "csrf"), "next": "", "login": login,
                                          "password": PASSWORD})


try:
    office.cli("init")
    office.cli("demo")
    tokens = {}
    for login, role in STAFF.items():
        office.cli("operator", "add", login, "--role", role, stdin=PASSWORD + "\n")
        tokens[login] = office.cli("token", "add", login).stdout.strip()

    def start(clock):
        office.start("wizyta-web", "wizyta-web", env=faketime(clock))
        return t.ok(office.wait_port(office.web_port), "wizyta-web starts at " + clock, office.log("wizyta-web"))

    def call(login, method, path, body=None):
        return office.api(method, path, body, headers={"Authorization": "Bearer " + tokens[login]})

    def status(login, ref, value):
        return call(login, "POST", "/api/v1/bookings/%s/status" % ref, {"status": value})

    # the two desks that race later take many people per slot
    db = sqlite3.connect(office.sections["database"]["path"])
    desks_served = {}
    for desk, service in db.execute("SELECT desk_id, service_id FROM desk_services"):
        desks_served.setdefault(service, set()).add(desk)
    shared = sorted((s for s, d in desks_served.items() if len(d) >= 2), key=lambda s: s)[0]
    race_desks = sorted(desks_served[shared])[:2]
    db.execute("UPDATE desks SET capacity = ? WHERE id IN (?, ?)", (CAPACITY,) + tuple(race_desks))
    db.commit()
    db.close()

    if not start("@2026-12-08 08:00:00"):
        t.done()

    # ---- desks, and choosing one
    code, desks = call("celina", "GET", "/api/v1/desks")
    t.ok(code == 200 and len(desks) == 4 and all(set(d) == {"id", "name", "room"} for d in desks),
         "GET /api/v1/desks: every desk with its room (reception may read it)", desks)
    names = {d["id"]: d["name"] for d in desks}
    services = office.api("GET", "/api/v1/services")[1]
    sid = [s for s in services if s["id"] != shared][0]["id"]
    code, slots = office.api("GET", "/api/v1/services/%d/slots?date=%s" % (sid, DAY))
    mine = slots[0]["desk_id"]
    at_mine = [s for s in slots if s["desk_id"] == mine]
    code, err = call("celina", "PUT", "/api/v1/staff/me/desk", {"desk_id": mine})
    t.ok(code == 403, "reception has no desk: 403", (code, err))
    for bad in ({"desk_id": 999}, {"desk_id": "1"}, {}):
        code, err = call("basia", "PUT", "/api/v1/staff/me/desk", bad)
        t.ok(code == 422 and err.get("field") == "desk_id", "PUT /api/v1/staff/me/desk %s → 422" % bad, (code, err))
    code, d = call("basia", "PUT", "/api/v1/staff/me/desk", {"desk_id": mine})
    t.ok(code == 200 and d["desk_id"] == mine and d["desk"] == names[mine], "basia takes a desk", (code, d))
    code, me = call("basia", "GET", "/api/v1/staff/me")
    t.ok(me.get("desk_id") == mine, "the desk is the operator's: /api/v1/staff/me says so", me)

    # ---- a clerk's day: three citizens at basia's desk
    refs = []
    for i, slot in enumerate(at_mine[:3]):
        code, b = office.api("POST", "/api/v1/bookings", {
            "service_id": sid, "start": slot["start"], "desk_id": mine, "first_name": "Anna",
            "last_name": "Dzienna%d" % i, "email": "anna%d@example.pl" % i})
        refs.append(b.get("reference"))
    for ref in refs:
        status("basia", ref, "booked")
    for ref in refs[:2]:
        status("celina", ref, "waiting")

    def day(login="basia", desk=mine, date=DAY):
        code, rows = call(login, "GET", "/api/v1/desks/%d/day?date=%s" % (desk, date))
        return code, {r["reference"]: r for r in rows} if code == 200 else rows

    code, rows = day()
    starts = [rows[r]["start"] for r in refs]
    t.ok(code == 200 and list(rows) == refs and starts == sorted(starts),
         "the desk's day: its visits in time order", (code, rows))
    t.ok(rows[refs[0]]["actions"] == ["call"] and rows[refs[2]]["actions"] == ["call"] and
         rows[refs[0]]["running_late_at"] is None,
         "08:00: waiting and booked may be called; no no-show before the visit has started",
         {r: rows[r]["actions"] for r in refs})
    code, err = call("celina", "GET", "/api/v1/desks/%d/day" % mine)
    t.ok(code == 403, "reception may not read a desk's day (names): 403", code)
    code, err = call("basia", "GET", "/api/v1/desks/999/day")
    t.ok(code == 404 and err["error"] == "unknown_desk", "an unknown desk: 404", (code, err))
    code, err = call("basia", "GET", "/api/v1/desks/%d/day?date=8.12.2026" % mine)
    t.ok(code == 422 and err.get("field") == "date", "a date that is not YYYY-MM-DD: 422", (code, err))

    code, b = status("basia", refs[0], "called")
    t.ok(code == 200 and b["status"] == "called", "Przywołaj: called", (code, b))
    code, rows = day()
    t.ok(rows[refs[0]]["actions"] == ["call", "start"], "called: recall or start, not finish",
         rows[refs[0]]["actions"])
    code, err = status("basia", refs[0], "done")
    t.ok(code == 409 and err["error"] == "wrong_state", "Zakończ before Rozpocznij: 409", (code, err))
    code, b = status("basia", refs[0], "called")
    t.ok(code == 200 and b["status"] == "called", "Przywołaj again (recall): still called", (code, b))
    code, b = status("basia", refs[0], "in_service")
    t.ok(code == 200 and b["status"] == "in_service", "Rozpocznij: in service", (code, b))
    code, rows = day()
    t.ok(rows[refs[0]]["actions"] == ["finish"], "in service: only finish", rows[refs[0]]["actions"])
    code, b = status("basia", refs[0], "done")
    t.ok(code == 200 and b["status"] == "done", "Zakończ: done", (code, b))
    code, rows = day()
    t.ok(rows[refs[0]]["actions"] == [], "done: nothing more", rows[refs[0]]["actions"])
    code, b = call("basia", "POST", "/api/v1/desks/%d/call-next" % mine)
    t.ok(code == 200 and b["reference"] == refs[1] and b["status"] == "called",
         "Wezwij następnego: the next one waiting", (code, b))
    code, err = call("basia", "POST", "/api/v1/desks/%d/call-next" % mine)
    t.ok(code == 404 and err["error"] == "nobody_waiting", "nobody else waits: 404", (code, err))
    code, err = status("basia", refs[2], "no_show")
    t.ok(code == 409 and err["error"] == "too_early", "no-show at 08:00 for a visit at %s: 409 too_early"
         % starts[2][11:], (code, err))

    # a citizen's "running late" reply, as the reply reader records it
    db = sqlite3.connect(office.sections["database"]["path"])
    bid = db.execute("SELECT id FROM bookings WHERE reference = ?", (refs[2],)).fetchone()[0]
    db.execute("INSERT INTO booking_events (booking_id, at, actor, action, detail)"
               " VALUES (?, strftime('%s', '2026-12-08 07:02:00'), 'citizen:sms', 'reply_late', 'late:spoznie')",
               (bid,))
    db.commit()
    db.close()
    code, rows = day()
    t.ok(rows[refs[2]]["running_late_at"] == "2026-12-08T08:02", "the running-late reply shows on the row",
         rows[refs[2]])

    # ---- the pages, without JavaScript
    c = Client(office.base)
    code, h, _ = sign_in(c, "basia")
    code, h, html = c.req("GET", "/staff/desk")
    t.ok(code == 200 and "wtorek, 8 grudnia 2026 — %s" % names[mine] in html and "Mój plan dnia" in html,
         "the plan: wtorek, 8 grudnia 2026 — the desk", html)
    t.ok("Spóźni się" in html and "(08:02)" in html, "the plan shows the running-late reply", html)
    t.ok('src="/static/desk.js"' in html and "script-src 'self'" in h.get("content-security-policy", ""),
         "the panel loads its script; its CSP allows our own scripts only", h.get("content-security-policy"))
    row = html.split('data-reference="%s"' % refs[1])[1].split("</tr>")[0]
    t.ok('value="call"' in row and 'value="start"' in row and 'value="finish"' not in row and
         "Przywołaj ponownie" in row, "a called row offers Przywołaj ponownie and Rozpocznij only", row)
    csrf = hidden(html, "csrf")
    code, h, _ = c.req("POST", "/staff/desk/action", {"csrf": csrf, "reference": refs[1], "action": "start",
                                                     "date": DAY})
    loc = h.get("location", "")
    t.ok(code == 303 and loc.startswith("/staff/desk?date=%s&done=start" % DAY), "Rozpocznij: 303 back", (code, loc))
    code, h, html = c.req("GET", loc.split("#")[0])
    t.ok('class="notice ok"' in html and "Rozpoczęto obsługę" in html, "…saying what happened", html)
    code, h, _ = c.req("POST", "/staff/desk/action", {"csrf": csrf, "reference": refs[2], "action": "finish"})
    loc = h.get("location", "")
    code, h, html = c.req("GET", loc.split("#")[0])
    t.ok("err=wrong_state" in loc and 'role="alert"' in html, "Zakończ on a booked visit: back with why not",
         (loc, html))
    code, h, _ = c.req("POST", "/staff/desk/action", {"reference": refs[2], "action": "call"})
    t.ok(code == 400, "a form without its CSRF field: 400", code)
    code, h, _ = c.req("POST", "/staff/desk/action", {"csrf": csrf, "reference": refs[2], "action": "bogus"})
    t.ok(code == 303 and "err=desk_action" in h.get("location", ""), "an unknown action: back with why", h)
    code, h, _ = c.req("POST", "/staff/desk/next", {"csrf": csrf, "date": DAY})
    t.ok(code == 303 and "err=nobody_waiting" in h.get("location", ""), "Wezwij następnego, nobody waits", h)
    code, h, html = c.req("GET", "/staff/desk?change=1")
    t.ok(code == 200 and "Przy którym stanowisku pracujesz?" in html and
         'value="%d" checked' % mine in html, "Zmień stanowisko: every desk, this one chosen", html)
    other = [d for d in names if d != mine][0]
    code, h, _ = c.req("POST", "/staff/desk/select", {"csrf": csrf, "desk_id": str(other)})
    code, h, html = c.req("GET", "/staff/desk")
    t.ok("— %s" % names[other] in html and call("basia", "GET", "/api/v1/staff/me")[1]["desk_id"] == other,
         "…changes the operator's desk, page and API alike", html[:200])
    code, h, _ = c.req("POST", "/staff/desk/select", {"csrf": csrf, "desk_id": "999"})
    t.ok(code == 303 and "err=unknown_desk" in h.get("location", ""), "an unknown desk: back with why", h)
    code, h, html = c.req("GET", "/staff/desk?date=2026-12-09")
    t.ok(code == 200 and "środa, 9 grudnia 2026" in html and 'id="call-next"' not in html,
         "another day's plan: no call-next", html)
    code, h, html = c.req("GET", "/staff/desk?date=bogus")
    t.ok(code == 400, "a bad date: 400", code)
    code, h, frag = c.req("GET", "/staff/desk/plan")
    t.ok(code == 200 and frag.lstrip().startswith("<h2") and "<html" not in frag, "the plan alone, for desk.js",
         frag[:200])
    office.cli("operator", "add", "adam", "--role", "admin", stdin=PASSWORD + "\n")
    admin = office.cli("token", "add", "adam").stdout.strip()
    code, audit = office.api("GET", "/api/v1/admin/audit?operator=basia&limit=100",
                             headers={"Authorization": "Bearer " + admin})
    actions = [a["action"] for a in audit] if code == 200 else audit
    t.ok("desk.select" in actions, "choosing a desk is audited", actions)

    # ---- 08:30: no-show now allowed
    office.stop("wizyta-web")
    if not start("@2026-12-08 08:30:00"):
        t.done()
    code, rows = day(desk=mine)
    t.ok("no_show" in rows[refs[2]]["actions"], "08:30: the booked visit may be marked a no-show",
         rows[refs[2]]["actions"])
    code, b = status("basia", refs[2], "no_show")
    t.ok(code == 200 and b["status"] == "no_show", "Rezerwacja niezrealizowana: no_show", (code, b))

    # ---- call-next raced: two desks, two clients each, until nobody waits
    code, slots = office.api("GET", "/api/v1/services/%d/slots?date=%s" % (shared, DAY))
    places = [s["start"] for s in slots if s["desk_id"] in race_desks for _ in range(s["free"])]

    def book(i):
        code, b = office.api("POST", "/api/v1/bookings", {
            "service_id": shared, "start": places[i], "first_name": "Jan", "last_name": "Kolejka%d" % i,
            "email": "k%d@example.pl" % i})
        if code != 201:
            return None
        status("basia", b["reference"], "booked")
        code, w = status("celina", b["reference"], "waiting")
        return b["reference"] if code == 200 else None

    with ThreadPoolExecutor(4) as pool:
        waiting = [r for r in pool.map(book, range(len(places))) if r]
    t.ok(len(waiting) >= 200, "%d people wait for the two desks" % len(waiting), len(places))
    called, failures = [], []
    lock = threading.Lock()

    def clerk(login, desk):
        while True:
            code, b = call(login, "POST", "/api/v1/desks/%d/call-next" % desk)
            if code == 404 and b.get("error") == "nobody_waiting":
                return
            with lock:
                if code == 200 and b["status"] == "called" and b["desk_id"] == desk:
                    called.append(b["reference"])
                else:
                    failures.append((code, b))
                    return

    clerks = [threading.Thread(target=clerk, args=(login, race_desks[i % 2]))
              for i, login in enumerate(["basia", "bartek", "bogna", "bruno"])]
    for th in clerks:
        th.start()
    for th in clerks:
        th.join()
    t.ok(not failures, "every call-next answered 200 or nobody_waiting", failures[:3])
    t.ok(len(called) == len(set(called)), "%d rounds: nobody called twice" % len(called),
         len(called) - len(set(called)))
    t.ok(set(called) == set(waiting), "nobody left waiting", len(set(waiting) - set(called)))
finally:
    office.cleanup()
t.done()
