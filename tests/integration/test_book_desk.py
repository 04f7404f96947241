#!/usr/bin/python3
"""POST /api/v1/bookings at the desk the client chose (acceptance audit of
issue 11, "Nowa rezerwacja on a citizen's behalf"): the slots list names
each place's desk_id, the register's page books the desk picked, but the
API used to drop desk_id and put the visit at whichever desk was free
first — another desk, silently, even one that does not serve the service.

wizyta-web at Monday 2026-12-07 09:00 (libfaketime); the demo office,
where two desks serve "Rejestracja pojazdu".
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from wizyta_harness import Office, Tap, faketime  # noqa: E402

t = Tap()
office = Office(extra={"staff": {"login_rate_limit": "1000"}})
try:
    office.cli("init")
    office.cli("demo")
    office.cli("operator", "add", "ewa", "--role", "staff", stdin="a long password 123\n")
    token = office.cli("token", "add", "ewa").stdout.strip()
    office.start("wizyta-web", "wizyta-web", env=faketime("@2026-12-07 09:00:00"))
    t.ok(office.wait_port(office.web_port), "wizyta-web starts at Monday 09:00", office.log("wizyta-web"))

    def staff(body):
        return office.api("POST", "/api/v1/bookings", body, headers={"Authorization": "Bearer " + token})

    services = office.api("GET", "/api/v1/services")[1]
    sid = next(s["id"] for s in services if s["name"] == "Rejestracja pojazdu")
    other = next(s["id"] for s in services if s["id"] != sid)
    code, slots = office.api("GET", "/api/v1/services/%d/slots?date=2026-12-08" % sid)
    by_start = {}
    for s in slots if code == 200 else []:
        by_start.setdefault(s["start"], []).append(s)
    pairs = [v for v in by_start.values() if len(v) >= 2]
    t.ok(len(pairs) >= 3, "Tuesday: times with two desks free", slots)
    other_desks = {s["desk_id"] for s in office.api(
        "GET", "/api/v1/services/%d/slots?date=2026-12-08" % other)[1]} - {s["desk_id"] for s in slots}

    # the second of two free desks: "any free desk" would be the first
    first, second = sorted(pairs[0], key=lambda s: s["desk_id"])[:2]
    person = {"service_id": sid, "start": second["start"], "first_name": "Ewa", "last_name": "Biurkowa",
              "email": "ewa.b@example.pl"}
    code, b = staff(dict(person, desk_id=second["desk_id"], confirmed=True))
    t.ok(code == 201 and b.get("desk") == second["desk"],
         "staff book at the desk chosen (%s), not the first free (%s)" % (second["desk"], first["desk"]), b)
    code, b = office.api("POST", "/api/v1/bookings", dict(person, start=pairs[1][1]["start"],
                                                          desk_id=sorted(d["desk_id"] for d in pairs[1])[1]))
    t.ok(code == 201 and b.get("desk") == sorted(pairs[1], key=lambda s: s["desk_id"])[1]["desk"],
         "a citizen's booking through the API too", b)
    # that desk is now full at that time: no silent move to the other one
    code, err = staff(dict(person, desk_id=second["desk_id"], last_name="Druga"))
    t.ok(code == 409 and err.get("error") == "slot_taken", "the chosen desk taken: 409 slot_taken", (code, err))
    code, err = staff(dict(person, start=pairs[2][0]["start"], desk_id=min(other_desks or {999999})))
    t.ok(code == 422 and err.get("field") == "start",
         "a desk that does not serve the service: 422, not another desk", (code, err))
    code, err = staff(dict(person, start=pairs[2][0]["start"], desk_id="2"))
    t.ok(code == 422 and err.get("field") == "desk_id", "desk_id not an id: 422 naming desk_id", (code, err))
    code, b = staff(dict(person, start=pairs[2][0]["start"], desk_id=None, last_name="Dowolna"))
    t.ok(code == 201, "desk_id null: any free desk, as before", (code, b))
    office.stop_all()
    office.check_logs(t)
finally:
    office.stop_all()
    office.cleanup()
t.done()
