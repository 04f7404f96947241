#!/usr/bin/python3
"""Reception against a real wizyta-web at a chosen clock (TAP).

wizyta-web runs at Tuesday 2026-12-08 08:00 (libfaketime) with
[reception] max_inside = 2. Citizens book, staff confirm, reception checks
people in by their access code through POST /api/v1/reception/check-in:
the third is refused "full" and queued outside, a newcomer queues behind,
and when someone finishes the first in the queue may enter. Then twelve
check-ins fired at once by two receptionists at the limit: never more than
two inside. The clock's rule (too early: entry from when; late: by how
much; too late), bad codes, roles; the page as a form a QR scanner types
into; the same office at 09:00 for lateness.
"""
import os
import re
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import Client, Office, Tap, faketime, hidden  # noqa: E402

t = Tap()
DAY = "2026-12-08"
STAFF = {"basia": "staff", "celina": "reception", "cyryl": "reception"}
PASSWORD = "a long password 123"

office = Office(extra={"reception": {"max_inside": "2", "check_in_early": "2h"},
                       "staff": {"login_rate_limit": "1000"}})
try:
    office.cli("init")
    office.cli("demo")
    tokens = {}
    for login, role in STAFF.items():
        office.cli("operator", "add", login, "--role", role, stdin=PASSWORD + "\n")
        tokens[login] = office.cli("token", "add", login).stdout.strip()
    office.start("wizyta-web", "wizyta-web", env=faketime("@2026-12-08 08:00:00"))
    if not t.ok(office.wait_port(office.web_port), "wizyta-web starts at 08:00", office.log("wizyta-web")):
        t.done()

    def call(login, method, path, body=None):
        return office.api(method, path, body, headers={"Authorization": "Bearer " + tokens[login]})

    def check_in(login, code):
        return call(login, "POST", "/api/v1/reception/check-in", {"code": code})

    services = office.api("GET", "/api/v1/services")[1]
    sid = [s for s in services if s["name"] == "Rejestracja pojazdu"][0]["id"]
    code, slots = office.api("GET", "/api/v1/services/%d/slots?date=%s" % (sid, DAY))
    starts = [s["start"] for s in slots for _ in range(s["free"])]

    def book(start, n):
        c, b = office.api("POST", "/api/v1/bookings", {
            "service_id": sid, "start": start, "first_name": "Jan",
            "last_name": "Nowak%d" % n, "email": "jan%d@example.pl" % n})
        c, b = call("basia", "POST", "/api/v1/bookings/%s/status" % b["reference"], {"status": "booked"})
        return b

    # 08:00 … 08:45 at two desks: within check-in's hour before the visit
    people = [book(s, i) for i, s in enumerate(starts[:16])]
    t.ok(all(len(p["access_code"]) == 6 for p in people), "16 people booked and confirmed for 08:00-09:45",
         people[:2])

    # ---- a limit of two
    c1, b1 = check_in("celina", people[0]["access_code"])
    t.ok(c1 == 200 and b1["status"] == "waiting" and b1["reference"] == people[0]["reference"] and
         b1["start"] == people[0]["start"] and b1["desk"] and b1["service"] == "Rejestracja pojazdu" and
         b1["room"] and b1["inside"] == 1 and b1["max_inside"] == 2,
         "check-in by code: 200, waiting, with time, service, room and desk", (c1, b1))
    c2, b2 = check_in("cyryl", " %s " % people[1]["access_code"])
    t.ok(c2 == 200 and b2["inside"] == 2, "a second one (the code as a scanner may send it): 200, 2 inside",
         (c2, b2))
    c3, b3 = check_in("celina", people[2]["access_code"])
    t.ok(c3 == 409 and b3["error"] == "full" and b3["position"] == 1 and b3["inside"] == 2,
         "the third: 409 full, queued outside as first", (c3, b3))
    c4, b4 = check_in("celina", people[3]["access_code"])
    t.ok(c4 == 409 and b4["error"] == "full" and b4["position"] == 2, "a fourth queues behind: position 2",
         (c4, b4))
    c, b = call("basia", "POST", "/api/v1/bookings/%s/status" % people[4]["reference"], {"status": "waiting"})
    t.ok(c == 409 and b["error"] == "full", "checking in by reference obeys the limit too", (c, b))
    c, door = call("celina", "GET", "/api/v1/reception")
    t.ok(c == 200 and door["inside"] == 2 and door["free"] == 0 and
         [q["code"] for q in door["queue"]] == [people[2]["access_code"], people[3]["access_code"]] and
         not door["queue"][0]["may_enter"], "the door: 2 inside, two queued outside in order", door)

    # someone finishes: the first outside may enter, the second not yet
    desk = b1["desk_id"]
    c, called = call("basia", "POST", "/api/v1/desks/%d/call-next" % desk)
    ref = called["reference"]
    call("basia", "POST", "/api/v1/bookings/%s/status" % ref, {"status": "in_service"})
    c, done = call("basia", "POST", "/api/v1/bookings/%s/status" % ref, {"status": "done"})
    t.ok(c == 200 and done["status"] == "done", "a clerk calls, serves and finishes one", (c, done))
    c, door = call("celina", "GET", "/api/v1/reception")
    t.ok(door["inside"] == 1 and door["free"] == 1 and door["queue"][0]["may_enter"] and
         not door["queue"][1]["may_enter"], "then the first outside may enter, nobody else", door)
    c, b = check_in("cyryl", people[3]["access_code"])
    t.ok(c == 409 and b["error"] == "full" and b["position"] == 2, "the second in the queue still waits", (c, b))
    c, b = check_in("celina", people[5]["access_code"])
    t.ok(c == 409 and b["position"] == 3, "a newcomer does not jump the queue", (c, b))
    c, b = check_in("celina", people[2]["access_code"])
    t.ok(c == 200 and b["status"] == "waiting" and b["inside"] == 2, "the queued person enters", (c, b))
    c, b = check_in("celina", people[2]["access_code"])
    t.ok(c == 409 and b["error"] == "already_checked_in", "a second scan: 409 already_checked_in", (c, b))
    for p in (people[3], people[5]):
        c, b = call("celina", "POST", "/api/v1/reception/dequeue", {"code": p["access_code"]})
    c, b = call("celina", "POST", "/api/v1/reception/dequeue", {"code": people[5]["access_code"]})
    t.ok(c == 404 and b["error"] == "not_queued", "the queue is kept by hand: dequeue, then 404", (c, b))

    # ---- bad input, roles
    for body, want, err in [({"code": "12ab56"}, 422, "code_invalid"), ({"code": "1234567"}, 422, "code_invalid"),
                            ({}, 422, "code_invalid"), ({"code": 123456}, 422, "invalid")]:
        c, b = call("celina", "POST", "/api/v1/reception/check-in", body)
        t.ok(c == want and b["error"] == err, "check-in %s → %d %s" % (body, want, err), (c, b))
    taken = {p["access_code"] for p in people}
    nobody = next(x for x in ("%06d" % n for n in range(100000, 999999, 7919)) if x not in taken)
    c, b = check_in("celina", nobody)
    t.ok(c == 404 and b["error"] == "unknown_code", "a code nobody has today: 404", (c, b))
    c, b = office.api("POST", "/api/v1/reception/check-in", {"code": people[6]["access_code"]})
    t.ok(c == 401, "no credentials: 401", (c, b))
    c, b = office.api("POST", "/api/v1/reception/check-in", raw=b"{",
                      headers={"Authorization": "Bearer " + tokens["celina"]})
    t.ok(c == 400 and b["error"] == "malformed", "a body that is not JSON: 400", (c, b))

    # ---- the clock's rule: too early says from when
    late_start = [s for s in starts if s.endswith("T12:00")][0]
    noon = book(late_start, 99)
    c, b = check_in("celina", noon["access_code"])
    t.ok(c == 409 and b["error"] == "too_early" and b["start"] == DAY + "T12:00" and
         b["entry_from"] == DAY + "T10:00", "12:00 at 08:00: 409 too_early, entry from 10:00 (2 h before)",
         (c, b))

    # ---- two receptionists at once at the limit: never more than two inside
    inside = [p for p in (people[1], people[2])]
    for p in inside:
        call("basia", "POST", "/api/v1/bookings/%s/status" % p["reference"], {"status": "called"})
        call("basia", "POST", "/api/v1/bookings/%s/status" % p["reference"], {"status": "in_service"})
        call("basia", "POST", "/api/v1/bookings/%s/status" % p["reference"], {"status": "done"})
    c, door = call("celina", "GET", "/api/v1/reception")
    t.ok(door["inside"] == 0 and door["queue"] == [], "everyone served: the building is empty", door)
    crowd = people[6:16]
    results = {"celina": [], "cyryl": []}
    barrier = threading.Barrier(2)

    def receptionist(login, mine):
        for p in mine:
            barrier.wait(timeout=60)
            results[login].append(check_in(login, p["access_code"]))

    threads = [threading.Thread(target=receptionist, args=("celina", crowd[0::2])),
               threading.Thread(target=receptionist, args=("cyryl", crowd[1::2]))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    answers = results["celina"] + results["cyryl"]
    ok = [b for c, b in answers if c == 200]
    full = [b for c, b in answers if c == 409 and b["error"] == "full"]
    t.ok(len(ok) == 2 and len(full) == 8,
         "ten check-ins by two receptionists at once, limit 2: exactly 2 in, 8 full (%d, %d)" % (len(ok), len(full)),
         answers)
    c, door = call("celina", "GET", "/api/v1/reception")
    t.ok(door["inside"] == 2 and len(door["queue"]) == 8 and
         sorted(q["position"] for q in full) == list(range(1, 9)) if full else False,
         "the door agrees: 2 inside, 8 queued with positions 1-8", (door["inside"], len(door["queue"]), [q["position"] for q in full]))

    # ---- the page: a form a scanner types into
    web = Client(office.base)
    code, h, html = web.req("GET", "/staff/login")
    web.req("POST", "/staff/login", {"csrf": hidden(html, "csrf"), "login": "celina", "password": PASSWORD,
                                     "next": "/staff/reception"})
    code, h, html = web.req("GET", "/staff/reception")
    field = re.search(r'<input[^>]*id="f-code"[^>]*>', html)
    t.ok(code == 200 and field and "autofocus" in field.group(0) and 'value=""' in field.group(0) and
         'inputmode="numeric"' in field.group(0) and "2 / 2" in html and "Czekają na wejście" in html,
         "GET /staff/reception: the code field focused and empty, 2 / 2 inside, the queue", html[:3000])
    csrf = hidden(html, "csrf")
    code, h, html = web.req("POST", "/staff/reception", {"csrf": csrf, "code": noon["access_code"]})
    t.ok(code == 409 and "Za wcześnie: wizyta o 12:00, wejście od 10:00" in html and
         "Poproś o powrót o 10:00" in html and 'value=""' in re.search(r'<input[^>]*id="f-code"[^>]*>', html).group(0),
         "the page says: too early, visit at 12:00, entry from 10:00 — and clears the field", html[-4000:])
    in_refs = [b["reference"] for b in ok]
    outside = [p for p in crowd if p["reference"] not in in_refs][0]
    code, h, html = web.req("POST", "/staff/reception", {"csrf": csrf, "code": outside["access_code"]})
    t.ok(code == 409 and "Budynek pełny" in html and "Miejsce w kolejce do wejścia" in html,
         "a full building: please wait outside, with the place in the queue", html[-4000:])
    code, h, html = web.req("POST", "/staff/reception", {"csrf": csrf, "code": "12"})
    t.ok(code == 422 and "Kod dostępu ma 6 cyfr" in html, "a short code: 422, said plainly", html[-3000:])
    code, h, html = web.req("POST", "/staff/reception", {"code": noon["access_code"]})
    t.ok(code == 400, "a form without its CSRF field: 400", code)

    # ---- later: 09:00 — late within the window, and too late. The clock
    # stands still at 09:00 (no "@": libfaketime does not advance it): an
    # 08:30 visit may enter until 09:00:59, and a loaded machine may take
    # longer than that to come to the check-in
    office.stop("wizyta-web")
    office.start("wizyta-web", "wizyta-web", env=faketime("2026-12-08 09:00:00"))
    office.wait_port(office.web_port)
    for ref in [b["reference"] for b in ok]:
        call("basia", "POST", "/api/v1/bookings/%s/status" % ref, {"status": "called"})
        call("basia", "POST", "/api/v1/bookings/%s/status" % ref, {"status": "in_service"})
        call("basia", "POST", "/api/v1/bookings/%s/status" % ref, {"status": "done"})
    for q in call("celina", "GET", "/api/v1/reception")[1]["queue"]:
        call("celina", "POST", "/api/v1/reception/dequeue", {"code": q["code"]})
    c, b = check_in("celina", people[3]["access_code"])
    t.ok(c == 409 and b["error"] == "too_late" and b["late_minutes"] == 45 and
         b["entry_until"] == DAY + "T08:45", "an 08:15 visit at 09:00: 409 too_late, entry was until 08:45",
         (c, b))
    c, b = check_in("celina", people[4]["access_code"])
    t.ok(c == 200 and b["late_minutes"] == 30, "an 08:30 visit at 09:00: in (the window's last minute), 30 late",
         (c, b))
    web = Client(office.base)
    code, h, html = web.req("GET", "/staff/login")
    web.req("POST", "/staff/login", {"csrf": hidden(html, "csrf"), "login": "celina", "password": PASSWORD,
                                     "next": "/staff/reception"})
    code, h, html = web.req("GET", "/staff/reception")
    code, h, html = web.req("POST", "/staff/reception", {"csrf": hidden(html, "csrf"),
                                                         "code": people[5]["access_code"]})
    t.ok(code == 200 and "Wpuszczono: kod %s" % people[5]["access_code"] in html and
         "Spóźnienie 30 min (wejście było możliwe do 09:00)" in html,
         "the page: an 08:30 visit at 09:00 is in, and reception is told it is 30 minutes late", html[-4000:])

    # ---- the day list (wokanda): reception may print it; names only when the office says so
    code, h, html = web.req("GET", "/staff/day-list?date=" + DAY)
    t.ok(code == 200 and all(p["access_code"] in html for p in people) and "Nowak" not in html and
         "Bez nazwisk" in html, "the day list: every code of the day, no names by default", html[-3000:])
    code, h, html = web.req("GET", "/staff/day-list?date=%s&desk=%d" % (DAY, people[0]["desk_id"]))
    rows = re.findall(r'<td class="code-cell">(\d{6})</td>', html)
    t.ok(code == 200 and rows and set(rows) == {p["access_code"] for p in people
                                                if p["desk_id"] == people[0]["desk_id"]} | (
             {noon["access_code"]} if noon["desk_id"] == people[0]["desk_id"] else set()),
         "one desk's list holds that desk's visits only", rows)
    code, h, html = web.req("GET", "/staff/day-list?date=2026-13-45")
    t.ok(code == 400 and "RRRR-MM-DD" in html, "a bad day: 400, said plainly", code)
    office.configure({"reception": {"day_list_names": "yes"}})
    office.stop("wizyta-web")
    office.start("wizyta-web", "wizyta-web", env=faketime("2026-12-08 09:00:00"))
    office.wait_port(office.web_port)
    code, h, html = web.req("GET", "/staff/day-list?date=" + DAY)
    t.ok(code == 200 and "Jan Nowak0" in html and "Imię i nazwisko" in html,
         "[reception] day_list_names = yes: the list names people", html[-3000:])
finally:
    office.cleanup()
t.done()
