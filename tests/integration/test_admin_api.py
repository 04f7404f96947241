#!/usr/bin/python3
"""The admin module's structure half against a real wizyta-web and wizytad
(TAP): operators, units, services with their own rules, rooms, desks,
calendars and holidays, through /api/v1/admin/* and the forms.

wizyta-web runs at Monday 2026-12-07 07:50 (libfaketime), the demo office
open (Monday 8-18, Tuesday to Friday 8-15:30). Every endpoint refuses staff
and reception (403) and strangers (401); bad input is 422 naming the field;
each change leaves its audit row. A calendar change that would strand
bookings is refused with them listed and free slots proposed; a preview
writes nothing; the admin's choice moves (the citizen gets the
"moved" e-mail asking TAK or NIE, delivered by wizytad), keeps or cancels (the
citizen is told). A service's own confirm_within expires its next booking
on the new time with both daemons running. The citizens' slots change at
once after every admin write (the slots cache keys on the store's
generation), whichever web thread answers.
"""
import email
import email.policy
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import Client, Office, Tap, faketime, hidden, wait_for  # noqa: E402

t = Tap()
NOW = "@2026-12-07 07:50:00"  # ten minutes before the 11:00 lead-time edge: slow runs stay on the same side of it
MONDAY, TUESDAY, WEDNESDAY, THURSDAY = "2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10"

office = Office(extra={"staff": {"login_rate_limit": "1000"}, "web": {"threads": "4"}})
try:
    office.cli("init")
    office.cli("demo")
    tokens = {}
    for login, role in (("adam", "admin"), ("basia", "staff"), ("celina", "reception")):
        office.cli("operator", "add", login, "--role", role, stdin="a long password 123\n")
        tokens[login] = office.cli("token", "add", login).stdout.strip()
    office.start("wizyta-web", "wizyta-web", env=faketime(NOW))
    if not t.ok(office.wait_port(office.web_port), "wizyta-web starts at " + NOW, office.log("wizyta-web")):
        t.done()

    def call(login, method, path, body=None):
        headers = {"Authorization": "Bearer " + tokens[login]} if login else {}
        return office.api(method, path, body, headers=headers)

    def admin(method, path, body=None):
        return call("adam", method, path, body)

    def audit(action):
        code, rows = admin("GET", "/api/v1/admin/audit?limit=1000")
        return [r for r in rows if r["action"] == action] if code == 200 else []

    def slots(sid, day, login=None):
        return call(login, "GET", "/api/v1/services/%d/slots?date=%s" % (sid, day))

    def book(sid, start, email, login=None):
        return call(login, "POST", "/api/v1/bookings", {
            "service_id": sid, "start": start, "first_name": "Jan", "last_name": "Nowak", "email": email})

    services = {s["name"]: s["id"] for s in office.api("GET", "/api/v1/services")[1]}
    REJ, WYM, ODB = services["Rejestracja pojazdu"], services["Wymiana prawa jazdy"], services["Odbiór prawa jazdy"]

    # ---- who may: admin only, everywhere
    endpoints = [
        ("GET", "/api/v1/admin/operators", None), ("POST", "/api/v1/admin/operators", {"login": "x"}),
        ("GET", "/api/v1/admin/operators/1", None), ("PUT", "/api/v1/admin/operators/1", {"role": "admin"}),
        ("POST", "/api/v1/admin/operators/1/password-reset", None),
        ("GET", "/api/v1/admin/operators/1/tokens", None), ("POST", "/api/v1/admin/operators/1/tokens", None),
        ("POST", "/api/v1/admin/operators/1/tokens/1/revoke", None),
        ("GET", "/api/v1/admin/units", None), ("POST", "/api/v1/admin/units", {"name": "x"}),
        ("GET", "/api/v1/admin/units/1", None), ("PUT", "/api/v1/admin/units/1", {"name": "x"}),
        ("GET", "/api/v1/admin/services", None), ("POST", "/api/v1/admin/services", {"name": "x"}),
        ("GET", "/api/v1/admin/services/1", None), ("PUT", "/api/v1/admin/services/1", {"duration_minutes": 5}),
        ("GET", "/api/v1/admin/rooms", None), ("POST", "/api/v1/admin/rooms", {"name": "x"}),
        ("GET", "/api/v1/admin/rooms/1", None), ("PUT", "/api/v1/admin/rooms/1", {"name": "x"}),
        ("GET", "/api/v1/admin/desks", None), ("POST", "/api/v1/admin/desks", {"name": "x"}),
        ("GET", "/api/v1/admin/desks/1", None), ("PUT", "/api/v1/admin/desks/1", {"name": "x"}),
        ("GET", "/api/v1/admin/desks/1/hours", None), ("PUT", "/api/v1/admin/desks/1/hours", {"hours": []}),
        ("GET", "/api/v1/admin/exceptions", None), ("POST", "/api/v1/admin/exceptions", {"day": THURSDAY}),
        ("DELETE", "/api/v1/admin/exceptions/1", None),
        ("GET", "/api/v1/admin/holidays", None), ("PUT", "/api/v1/admin/holidays/2026-12-24", {"closed": False}),
        ("DELETE", "/api/v1/admin/holidays/2026-12-24", None),
        ("GET", "/api/v1/admin/stranded", None), ("POST", "/api/v1/admin/stranded", {"resolutions": []}),
    ]
    refused = []
    for method, path, body in endpoints:
        for login, want in (("basia", 403), ("celina", 403), (None, 401)):
            code, err = call(login, method, path, body)
            if code != want:
                refused.append((login, method, path, code, err))
    t.ok(not refused, "staff and reception get 403, strangers 401, on all %d admin API calls" % len(endpoints),
         refused[:5])
    pages = ["/admin", "/admin/operators", "/admin/operators/1", "/admin/units", "/admin/units/1",
             "/admin/services", "/admin/services/new", "/admin/services/1", "/admin/desks", "/admin/desks/new",
             "/admin/desks/1", "/admin/rooms/1", "/admin/calendar", "/admin/desks/1/hours", "/admin/holidays"]
    staff_page = Client(office.base)
    staff_page.req("GET", "/staff/login")
    staff_page.req("POST", "/staff/login", form={"csrf": staff_page.cookie("csrf"), "login": "basia",
                                                  "password": "a long password 123", "next": "/staff"})
    codes = {p: staff_page.req("GET", p)[0] for p in pages}
    t.ok(all(c == 403 for c in codes.values()), "a staff member's browser gets 403 on every admin page", codes)
    st, h, text = staff_page.req("POST", "/admin/units", form={"csrf": staff_page.cookie("csrf"), "name": "X"})
    t.ok(st == 403, "and on an admin form's POST", st)

    code, spec = office.api("GET", "/api/v1/openapi.json")
    documented = set(spec.get("paths", {})) if code == 200 else set()
    wanted = {re.sub(r"/\d+", "/{id}", p.replace("/2026-12-24", "/{day}"))
              .replace("/{id}/tokens/{id}", "/{id}/tokens/{token_id}") for _, p, _ in endpoints}
    t.ok(wanted <= documented, "every admin call is in openapi.json", sorted(wanted - documented))

    # ---- operators
    code, ops = admin("GET", "/api/v1/admin/operators")
    t.ok(code == 200 and {"adam", "basia", "celina"} <= {o["login"] for o in ops} and
         all("password" not in str(o) for o in ops), "the operators, no password hash in sight", ops[:2])
    code, new = admin("POST", "/api/v1/admin/operators",
                      {"login": "dorota", "display_name": "Dorota Dąbrowska", "role": "reception"})
    link = new.get("password_link", {}).get("url", "") if code == 201 else ""
    t.ok(code == 201 and new["role"] == "reception" and "/staff/password?t=" in link,
         "an operator added: 201, a one-time link to choose a password", (code, new))
    code, err = admin("POST", "/api/v1/admin/operators", {"login": "dorota", "display_name": "D", "role": "staff"})
    t.ok(code == 422 and err["error"] == "login_taken" and err["field"] == "login", "the same login: 422 login_taken",
         (code, err))
    code, err = admin("POST", "/api/v1/admin/operators", {"login": "Zła Nazwa", "role": "staff", "extra": 1})
    t.ok(code == 422 and err["error"] == "unknown_field" and err["field"] == "extra",
         "an unknown member: 422 naming it", (code, err))
    code, err = admin("POST", "/api/v1/admin/operators", {"login": "Zła Nazwa", "role": "boss"})
    t.ok(code == 422 and err["field"] == "login" and {e["field"] for e in err.get("errors", [])} >= {"login", "role"},
         "a bad login and role: 422, every problem listed", (code, err))
    web_log = office.log("wizyta-web")
    token_in_link = link.split("t=")[-1]
    t.ok(token_in_link and token_in_link not in web_log, "the link's token is not in the log")
    d = Client(office.base)
    st, h, page = d.req("GET", urllib.parse.urlsplit(link).path + "?" + urllib.parse.urlsplit(link).query)
    t.ok(st == 200 and "dorota" in page, "the link opens the page to choose a password", st)
    st, h, page = d.req("POST", "/staff/password", form={"csrf": hidden(page, "csrf"), "t": token_in_link,
                                                          "password": "short", "password_again": "short"})
    t.ok(st == 422 and "co najmniej 12 znaków" in page, "a short password: 422 with the reason", st)
    st, h, page = d.req("POST", "/staff/password", form={"csrf": hidden(page, "csrf"), "t": token_in_link,
                                                          "password": "Dorota's own password",
                                                          "password_again": "Dorota's own password"})
    t.ok(st == 200 and "Hasło ustawione" in page, "a good password: set", st)
    st, h, page = d.req("GET", "/staff/password?t=" + token_in_link)
    t.ok(st == 404, "the link works once", st)
    st, h, _ = d.req("POST", "/staff/login", form={"csrf": d.cookie("csrf"), "login": "dorota",
                                                    "password": "Dorota's own password", "next": "/staff"})
    t.ok(st == 303, "Dorota signs in with her own password", st)
    did = new["id"]
    code, err = admin("PUT", "/api/v1/admin/operators/%d" % did, {"role": "emperor"})
    t.ok(code == 422 and err["field"] == "role", "a role that is none: 422 role", (code, err))
    code, op = admin("PUT", "/api/v1/admin/operators/%d" % did, {"role": "staff", "display_name": "Dorota D."})
    t.ok(code == 200 and op["role"] == "staff" and op["display_name"] == "Dorota D.", "her role and name change",
         (code, op))
    code, tok = admin("POST", "/api/v1/admin/operators/%d/tokens" % did)
    t.ok(code == 201 and tok["token"].startswith("wizyta_"), "a token for her: 201, shown once", (code, tok))
    tokens["dorota"] = tok.get("token", "")
    code, me = call("dorota", "GET", "/api/v1/staff/me")
    t.ok(code == 200, "the token works", (code, me))
    code, listed = admin("GET", "/api/v1/admin/operators/%d/tokens" % did)
    t.ok(code == 200 and listed[0]["id"] == tok["id"] and "token" not in listed[0],
         "the token list never shows a token", listed)
    code, off = admin("PUT", "/api/v1/admin/operators/%d" % did, {"disabled": True})
    t.ok(code == 200 and off["disabled"], "disabled", (code, off))
    code, _ = call("dorota", "GET", "/api/v1/staff/me")
    st, h, _ = d.req("GET", "/staff")
    t.ok(code == 401 and st == 303, "disabling stops her token and ends her session", (code, st))
    admin("PUT", "/api/v1/admin/operators/%d" % did, {"disabled": False})
    code, _ = call("dorota", "GET", "/api/v1/staff/me")
    t.ok(code == 200, "enabled: the token works again", code)
    code, r = admin("POST", "/api/v1/admin/operators/%d/tokens/%d/revoke" % (did, tok["id"]))
    code2, _ = call("dorota", "GET", "/api/v1/staff/me")
    code3, err = admin("POST", "/api/v1/admin/operators/%d/tokens/%d/revoke" % (did, tok["id"]))
    t.ok(code == 200 and code2 == 401 and code3 == 404 and err["error"] == "unknown_token",
         "a token revoked stops; revoking it again: 404", (code, code2, code3, err))
    code, reset = admin("POST", "/api/v1/admin/operators/%d/password-reset" % did)
    st, h, _ = d.req("POST", "/staff/login", form={"csrf": d.cookie("csrf"), "login": "dorota",
                                                    "password": "Dorota's own password", "next": "/staff"})
    t.ok(code == 200 and "/staff/password?t=" in reset["password_link"]["url"] and st == 422,
         "a reset gives a new link and the old password stops", (code, reset, st))
    adam_id = [o["id"] for o in ops if o["login"] == "adam"][0]
    admin_id = [o["id"] for o in ops if o["login"] == "admin"][0]
    admin("PUT", "/api/v1/admin/operators/%d" % admin_id, {"disabled": True})
    code, err = admin("PUT", "/api/v1/admin/operators/%d" % adam_id, {"role": "staff"})
    code2, err2 = admin("PUT", "/api/v1/admin/operators/%d" % adam_id, {"disabled": True})
    t.ok(code == 409 and err["error"] == "last_admin" and code2 == 409 and err2["error"] == "last_admin",
         "the last active admin can neither step down nor be disabled: 409 last_admin", (code, err, code2, err2))
    actions = {a: audit(a) for a in ("operator.add", "operator.role", "operator.update", "operator.disable",
                                     "operator.enable", "token.add", "token.revoke", "operator.password_reset",
                                     "operator.password_set")}
    t.ok(all(actions.values()) and actions["operator.role"][0]["before"] == "reception" and
         actions["operator.role"][0]["after"] == "staff" and actions["operator.role"][0]["operator"] == "adam",
         "every operator change is in the audit log, before → after, with who",
         {k: len(v) for k, v in actions.items()})

    # ---- units and rooms
    code, unit = admin("POST", "/api/v1/admin/units", {"name": "Wydział Finansowy"})
    t.ok(code == 201 and unit["name"] == "Wydział Finansowy", "a unit added: 201", (code, unit))
    code, err = admin("POST", "/api/v1/admin/units", {"name": "Wydział Finansowy"})
    t.ok(code == 422 and err["error"] == "name_taken" and err["field"] == "name", "the same name: 422 name_taken",
         (code, err))
    code, err = admin("POST", "/api/v1/admin/units", {"name": ""})
    t.ok(code == 422 and err["error"] == "required" and err["field"] == "name", "no name: 422 required name",
         (code, err))
    code, err = admin("PUT", "/api/v1/admin/units/1", {"retired": True})
    t.ok(code == 409 and err["error"] == "unit_has_services", "a unit with services does not retire: 409",
         (code, err))
    code, u = admin("PUT", "/api/v1/admin/units/%d" % unit["id"], {"name": "Wydział Finansów", "retired": True})
    t.ok(code == 200 and u["retired"] and u["name"] == "Wydział Finansów", "an empty unit renamed and retired",
         (code, u))
    code, err = admin("GET", "/api/v1/admin/units/999")
    t.ok(code == 404 and err["error"] == "unknown_unit", "an unknown unit: 404", (code, err))
    code, room = admin("POST", "/api/v1/admin/rooms", {"name": "Pokój 4"})
    t.ok(code == 201, "a room added", (code, room))
    code, err = admin("PUT", "/api/v1/admin/rooms/1", {"retired": True})
    t.ok(code == 409 and err["error"] == "room_has_desks", "a room with desks does not retire: 409", (code, err))

    # ---- services: their own rules, validation naming the field
    code, err = admin("PUT", "/api/v1/admin/services/%d" % REJ, {"duration_minutes": 0})
    t.ok(code == 422 and err["error"] == "out_of_range" and err["field"] == "duration_minutes",
         "duration 0: 422 naming duration_minutes", (code, err))
    # every bad number named at once, each with the domain's own bounds
    # (a negative one used to read "from 0 to 1000000")
    code, err = admin("PUT", "/api/v1/admin/services/%d" % REJ, {"duration_minutes": -5, "capacity": -1,
                                                               "max_open_per_person": 1000})
    msgs = {e["field"]: e["message"] for e in (err.get("errors") or [])}
    t.ok(code == 422 and msgs == {"duration_minutes": "duration_minutes must be from 1 to 480.",
                                  "capacity": "capacity must be from 0 to 100.",
                                  "max_open_per_person": "max_open_per_person must be from 0 to 100."},
         "out of range: every field named with the range it must be in", (code, err))
    code, err = admin("PUT", "/api/v1/admin/desks/1", {"capacity": -3})
    t.ok(code == 422 and err["field"] == "capacity" and err["message"] == "capacity must be from 1 to 100.",
         "a desk's capacity out of range: its own bounds", (code, err))
    code, err = admin("PUT", "/api/v1/admin/services/%d" % REJ, {"lead_time": "soon"})
    t.ok(code == 422 and err["error"] == "duration_invalid" and err["field"] == "lead_time",
         "a lead time that is no duration: 422 naming lead_time", (code, err))
    code, err = admin("PUT", "/api/v1/admin/services/%d" % REJ, {"capacity": "three"})
    t.ok(code == 422 and err["field"] == "capacity", "capacity not a number: 422 capacity", (code, err))
    code, err = admin("PUT", "/api/v1/admin/services/%d" % REJ, {"confirm_within": "30d"})
    t.ok(code == 422 and err["field"] == "confirm_within", "confirm_within beyond 7 days: 422", (code, err))
    code, err = admin("PUT", "/api/v1/admin/services/%d" % REJ, {"colour": "red"})
    t.ok(code == 422 and err["error"] == "unknown_field" and err["field"] == "colour", "an unknown field: 422",
         (code, err))
    code, err = admin("PUT", "/api/v1/admin/services/999", {"name": "X"})
    t.ok(code == 404 and err["error"] == "unknown_service", "an unknown service: 404", (code, err))
    code, err = admin("POST", "/api/v1/admin/services", {"unit_id": unit["id"], "name": "Podatki"})
    t.ok(code == 422 and err["error"] == "unit_retired" and err["field"] == "unit_id",
         "no service in a retired unit: 422 unit_id", (code, err))

    # people per slot: the citizens see it at once, whichever thread answers
    before = [slots(REJ, TUESDAY)[1][0]["free"] for _ in range(12)]
    code, sv = admin("PUT", "/api/v1/admin/services/%d" % REJ, {"capacity": 3, "description": "Dowód i karta pojazdu."})
    after = [slots(REJ, TUESDAY)[1][0]["free"] for _ in range(12)]
    t.ok(code == 200 and sv["capacity"] == 3 and before == [1] * 12 and after == [3] * 12,
         "people per slot 3: every answer shows 3 free places at once (no stale cache)", (before, after))
    st, h, page = Client(office.base).req("GET", "/services/%d" % REJ)
    t.ok("Dowód i karta pojazdu." in page, "the required documents show on the citizen's service page")
    code, sv = admin("PUT", "/api/v1/admin/services/%d" % REJ, {"capacity": 0, "lead_time": "3h", "horizon": "2d"})
    first = slots(REJ, MONDAY)[1]
    far = slots(REJ, THURSDAY)[1]
    t.ok(code == 200 and sv["lead_time"] == "3h" and sv["horizon"] == "2d" and first and
         first[0]["start"] == MONDAY + "T11:00" and far == [],
         "its own lead time (3h) and horizon (2d) shape the slots at once", (sv, first[:1], far[:1]))
    code, err = book(REJ, MONDAY + "T10:00", "lead@example.pl")
    t.ok(code == 422 and err["error"] == "too_soon", "a booking inside the lead time: 422 too_soon", (code, err))
    admin("PUT", "/api/v1/admin/services/%d" % REJ, {"lead_time": None, "horizon": None})
    code, sv = admin("PUT", "/api/v1/admin/services/%d" % WYM, {"max_open_per_person": 1})
    book(WYM, TUESDAY + "T08:00", "max@example.pl")
    code, err = book(WYM, TUESDAY + "T09:00", "max@example.pl")
    t.ok(code == 409 and err["error"] == "too_many_open_for_service",
         "max open bookings per person: the second is 409", (code, err))
    code, sv = admin("PUT", "/api/v1/admin/services/%d" % ODB, {"staff_only": True})
    public = [s["id"] for s in office.api("GET", "/api/v1/services")[1]]
    staff_sees = [s["id"] for s in call("basia", "GET", "/api/v1/services")[1]]
    c1, _ = slots(ODB, TUESDAY)
    c2, staff_slots = slots(ODB, TUESDAY, "basia")
    c3, err = book(ODB, TUESDAY + "T08:00", "odb@example.pl")
    c4, staff_booking = book(ODB, TUESDAY + "T08:00", "odb@example.pl", "basia")
    st, h, _ = Client(office.base).req("GET", "/services/%d" % ODB)
    t.ok(ODB not in public and ODB in staff_sees and c1 == 404 and c2 == 200 and staff_slots and
         c3 == 422 and err["error"] == "unknown_service" and c4 == 201 and st == 404,
         "a staff-only service: hidden from citizens (list, slots, page, booking), offered to staff",
         (public, c1, c2, c3, c4, st))
    admin("PUT", "/api/v1/admin/services/%d" % ODB, {"staff_only": False})
    code, new_sv = admin("POST", "/api/v1/admin/services", {
        "unit_id": 1, "name": "Rejestracja czasowa", "name_en": "Temporary registration",
        "duration_minutes": 20, "confirm_within": "15m"})
    t.ok(code == 201 and new_sv["confirm_within"] == "15m" and new_sv["lead_time"] is None and new_sv["active"],
         "a service added: 201, its own confirm_within, the office's other rules", (code, new_sv))
    upd = audit("service.update")
    t.ok(any(r["before"] == "0" and r["after"] == "3" and "capacity" in r["detail"] for r in upd),
         "service changes are audited field by field, before → after", upd[:3])

    # ---- desks
    code, desk = admin("POST", "/api/v1/admin/desks", {"room_id": room["id"], "name": "Pokój 4 stanowisko 1",
                                                       "services": [new_sv["id"], REJ]})
    t.ok(code == 201 and desk["services"] == sorted([new_sv["id"], REJ]) and desk["room"] == "Pokój 4",
         "a desk added in the new room, serving two services", (code, desk))
    code, err = admin("POST", "/api/v1/admin/desks", {"room_id": room["id"], "name": "Pokój 4 stanowisko 1"})
    t.ok(code == 422 and err["error"] == "name_taken", "a desk's name twice: 422", (code, err))
    code, err = admin("PUT", "/api/v1/admin/desks/%d/hours" % desk["id"],
                      {"hours": [{"weekday": 2, "opens": "12:00", "closes": "10:00"}]})
    t.ok(code == 422 and err["error"] == "hours_order" and err["field"] == "hours.0.closes",
         "hours closing before they open: 422 naming the window", (code, err))
    code, err = admin("PUT", "/api/v1/admin/desks/%d/hours" % desk["id"],
                      {"hours": [{"weekday": 2, "opens": "08:00", "closes": "12:00"},
                                 {"weekday": 2, "opens": "11:00", "closes": "14:00"}]})
    t.ok(code == 422 and err["error"] == "hours_overlap", "overlapping windows: 422", (code, err))
    week = [{"weekday": d, "opens": "09:00", "closes": "13:00"} for d in range(1, 6)]
    code, hours = admin("PUT", "/api/v1/admin/desks/%d/hours" % desk["id"], {"hours": week})
    t.ok(code == 200 and len(hours["hours"]) == 5, "the new desk's week set", (code, hours))
    new_slots = slots(new_sv["id"], TUESDAY)[1]
    t.ok(new_slots and new_slots[0]["start"] == TUESDAY + "T09:00" and new_slots[0]["desk"] == desk["name"],
         "citizens see the new service's slots at once", new_slots[:2])

    # ---- a per-service confirm_within with both daemons running
    code, quick = book(new_sv["id"], TUESDAY + "T09:00", "quick@example.pl")
    code2, slow = book(REJ, TUESDAY + "T13:00", "slow@example.pl")
    office.start("wizytad", "wizytad", env=faketime("@2026-12-07 08:16:00"))
    expired = wait_for(lambda: office.api("GET", "/api/v1/bookings/" + quick["reference"])[1]["status"] == "expired",
                       timeout=30)
    t.ok(code == 201 and code2 == 201 and expired and
         office.api("GET", "/api/v1/bookings/" + slow["reference"])[1]["status"] == "pending",
         "wizytad expires the 15m service's booking 16 minutes on; the 30m one waits", office.log("wizytad")[-800:])

    # ---- a calendar change with bookings: refused, previewed, moved
    code, b = book(REJ, WEDNESDAY + "T10:00", "move@example.pl")
    code, b2 = book(REJ, WEDNESDAY + "T10:00", "keep@example.pl")
    desks_of_rej = sorted({s["desk_id"] for s in slots(REJ, WEDNESDAY)[1]})
    afternoon = [{"weekday": d, "opens": "12:00" if d == 3 else "08:00", "closes": "18:00" if d == 1 else "15:30"}
                 for d in range(1, 6)]
    code, hours_before = admin("GET", "/api/v1/admin/desks/1/hours")
    code, err = admin("PUT", "/api/v1/admin/desks/1/hours", {"hours": afternoon})
    stranded = err.get("stranded", []) if code == 409 else []
    mine = [s for s in stranded if s["reference"] in (b["reference"], b2["reference"])]
    t.ok(code == 409 and err["error"] == "bookings_stranded" and len(mine) == 1 and mine[0]["proposals"],
         "Wednesday from noon at desk 1: 409, the 10:00 booking there listed with free slots", (code, err))
    victim = mine[0]["reference"] if mine else ""
    code, preview = admin("PUT", "/api/v1/admin/desks/1/hours", {"hours": afternoon, "preview": True,
                                                                 "preview_days": 5})
    wed = [d for d in preview.get("days", []) if d["date"] == WEDNESDAY and d["service_id"] == REJ]
    t.ok(code == 200 and preview["preview"] and wed and wed[0]["after"] < wed[0]["before"] and
         preview["stranded"], "a preview: the slots before and after, the booking it would strand", (code, wed))
    code, same = admin("GET", "/api/v1/admin/desks/1/hours")
    t.ok(same == hours_before and not [a for a in audit("hours.set") if "Pokój 1 stanowisko 1" == a["detail"]],
         "the preview and the refusal wrote nothing")
    target = mine[0]["proposals"][0] if mine else {}
    code, done = admin("PUT", "/api/v1/admin/desks/1/hours", {"hours": afternoon, "resolutions": [
        {"reference": victim, "action": "move", "start": target.get("start"), "desk_id": target.get("desk_id")}]})
    moved = office.api("GET", "/api/v1/bookings/" + victim)[1]
    t.ok(code == 200 and done.get("resolved", {}).get("moved") == 1 and moved["start"] == target.get("start"),
         "with the admin's choice: saved, the booking moved to the proposed slot", (code, done, moved))

    def told(reference, subject_word):
        """an e-mail about the booking whose subject says it"""
        for raw in office.outbox_files():
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            if reference in str(msg["Subject"]) + msg.get_body().get_content() and \
                    re.search(subject_word, str(msg["Subject"])):
                return True
        return False
    t.ok(wait_for(lambda: told(victim, "(?i)termin"), timeout=30),
         "the citizen is told (an e-mail in the maildir, delivered by wizytad)",
         [f[:300] for f in office.outbox_files()[-2:]])

    # ---- an exception closing a day: cancel with a message
    code, c = book(REJ, THURSDAY + "T09:00", "cancel@example.pl")
    code, k = book(REJ, THURSDAY + "T10:00", "kept@example.pl")
    code, err = admin("POST", "/api/v1/admin/exceptions", {"day": THURSDAY, "reason": "Awaria"})
    listed = [s["reference"] for s in err.get("stranded", [])]
    t.ok(code == 409 and c["reference"] in listed, "closing Thursday: 409 with its bookings", (code, err))
    res = [{"reference": r, "action": "keep"} for r in listed if r != c["reference"]]
    res.append({"reference": c["reference"], "action": "cancel", "reason": "Urząd zamknięty"})
    code, ex = admin("POST", "/api/v1/admin/exceptions", {"day": THURSDAY, "reason": "Awaria", "resolutions": res})
    cancelled = office.api("GET", "/api/v1/bookings/" + c["reference"])[1]
    kept = office.api("GET", "/api/v1/bookings/" + k["reference"])[1]
    t.ok(code == 201 and ex["opens"] is None and cancelled["status"] == "cancelled" and
         kept["status"] == "pending" and kept["start"] == THURSDAY + "T10:00",
         "with choices: the exception saved, one booking cancelled, one kept where it was", (code, ex, cancelled))
    t.ok(wait_for(lambda: told(c["reference"], "(?i)odwołan"), timeout=30), "the citizen is told of the cancellation")
    t.ok(slots(REJ, THURSDAY)[1] == [], "Thursday has no slots for citizens at once")
    code, err = admin("POST", "/api/v1/admin/exceptions", {"day": "2026-02-30"})
    t.ok(code == 422 and err["field"] == "day", "an impossible day: 422 day", (code, err))
    code, gone = admin("DELETE", "/api/v1/admin/exceptions/%d" % ex["id"])
    t.ok(code == 200 and slots(REJ, THURSDAY)[1], "the exception removed: Thursday open again", (code, gone))

    # ---- holidays
    code, days = admin("GET", "/api/v1/admin/holidays?year=2026")
    t.ok(code == 200 and any(d["day"] == "2026-12-24" and d["statutory"] and d["closed"] for d in days) and
         len(days) == 14, "the 14 Polish holidays of 2026, preloaded", (code, len(days)))
    t.ok(slots(REJ, "2026-12-24")[1] == [], "Wigilia is closed")
    code, day = admin("PUT", "/api/v1/admin/holidays/2026-12-24", {"closed": False})
    t.ok(code == 200 and not day["closed"] and slots(REJ, "2026-12-24")[1], "the office opens on Wigilia: slots",
         (code, day))
    code, err = admin("PUT", "/api/v1/admin/holidays/2026-12-11", {"closed": True})
    t.ok(code == 422 and err["field"] == "name", "an extra day off needs a name: 422 name", (code, err))
    code, day = admin("PUT", "/api/v1/admin/holidays/2026-12-11", {"closed": True, "name": "Dzień wolny za sobotę"})
    t.ok(code == 200 and day["closed"] and slots(REJ, "2026-12-11")[1] == [], "an extra day off: closed", (code, day))
    code, day = admin("DELETE", "/api/v1/admin/holidays/2026-12-24")
    t.ok(code == 200 and day["closed"] and slots(REJ, "2026-12-24")[1] == [], "back to the law: Wigilia closed",
         (code, day))
    t.ok(audit("holiday.set") and audit("holiday.clear") and audit("exception.add") and audit("booking.keep"),
         "calendar changes are audited")

    # ---- desks: no longer serving a service strands its bookings there
    code, err = admin("PUT", "/api/v1/admin/desks/%d" % desk["id"], {"services": [new_sv["id"]]})
    listed = err.get("stranded", []) if code == 409 else []
    t.ok(code == 409 and listed and all(s["desk_id"] == desk["id"] and s["service_id"] == REJ for s in listed),
         "the new desk no longer serving Rejestracja: 409 with exactly its bookings of it there", (code, err))
    code, err = admin("PUT", "/api/v1/admin/desks/%d" % desk["id"], {"retired": True})
    t.ok(code == 409 and err["error"] == "bookings_stranded", "retiring the desk: 409 too", (code, err))
    code, now = admin("GET", "/api/v1/admin/stranded")
    t.ok(code == 200 and now == [], "nothing was stranded meanwhile", now)

    # ---- the forms: an error summary naming the field, the audit page
    a = Client(office.base)
    a.req("GET", "/staff/login")
    a.req("POST", "/staff/login", form={"csrf": a.cookie("csrf"), "login": "adam",
                                        "password": "a long password 123", "next": "/admin"})
    st, h, page = a.req("GET", "/admin")
    t.ok(st == 200 and all(x in page for x in ("/admin/operators", "/admin/units", "/admin/services",
                                                 "/admin/desks", "/admin/calendar", "/admin/holidays",
                                                 "/admin/audit")),
         "the settings index links every page", st)
    form = {"csrf": a.cookie("csrf"), "unit_id": "1", "name": "", "duration_minutes": "0", "capacity": "x",
            "max_open_per_person": "0", "lead_time": "", "horizon": "", "confirm_within": "", "active": "yes"}
    st, h, page = a.req("POST", "/admin/services", form=form)
    t.ok(st == 422 and 'href="#f-name"' in page and 'href="#f-duration_minutes"' in page and
         'href="#f-capacity"' in page and 'aria-invalid="true"' in page,
         "a service form with three mistakes: 422, all three in the error summary", st)
    form.update({"name": "Zameldowanie", "duration_minutes": "10", "capacity": "0"})
    st, h, page = a.req("POST", "/admin/services", form=form)
    t.ok(st == 303 and "/admin/services/" in h.get("location", ""), "corrected: saved", (st, h.get("location")))
    st, h, page = a.req("POST", "/admin/desks/1/hours", form={
        "csrf": a.cookie("csrf"), "rows": "1", "h0_weekday": "2", "h0_opens": "08:00", "h0_closes": "09:00",
        "h0_service": "", "action": "preview", "days": "3"})
    t.ok(st == 200 and "Podgląd wolnych terminów" in page and "choice_" in page,
         "the hours form's preview: the slots after the change and the bookings to decide on", st)
finally:
    office.cleanup()
t.done()
