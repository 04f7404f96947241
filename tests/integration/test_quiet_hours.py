#!/usr/bin/python3
"""SMS quiet hours set by an admin at run time (issue 13: "SMS quiet hours
(no SMS at night; queued till morning)"), against the real programs at
chosen clocks (libfaketime); SMS into the spool, as the demo office does.

Tuesday 2026-12-08 20:00: with both daemons running an admin sets
sms_quiet_hours = 21:00-08:00 and one reminder 12 h before a visit. Staff
book John (SMS only) for Wednesday 10:00: his access code goes at once.
At 22:10 his reminder falls due: wizytad queues it for 08:00 and sends
nothing; a visit booked for Ana at 22:10 still gets its access code at
once (an answer to what was just done is never held). At 08:00:30 the
reminder goes. The unit tests (test_settings, test_register) cover the
rules one by one; this proves the running daemons keep them.
"""
import datetime
import os
import sys
import zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from wizyta_harness import Office, Tap, faketime, wait_for  # noqa: E402

t = Tap()
WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
EVENING = "@2026-12-08 20:00:00"
NIGHT = "@2026-12-08 22:10:00"
MORNING = "@2026-12-09 08:00:30"
JOHN, ANA = "+48600700801", "+48600700802"


def epoch(text):
    return int(datetime.datetime.fromisoformat(text).replace(tzinfo=WARSAW).timestamp())


office = Office(extra={"staff": {"login_rate_limit": "1000"}})
try:
    office.cli("init")
    office.cli("demo")
    tokens = {}
    for login, role in (("ala", "admin"), ("ewa", "staff")):
        office.cli("operator", "add", login, "--role", role, stdin="a long password 123\n")
        tokens[login] = office.cli("token", "add", login).stdout.strip()

    def call(login, method, path, body=None):
        return office.api(method, path, body, headers={"Authorization": "Bearer " + tokens[login]})

    def start(clock):
        office.stop("wizyta-web")
        office.stop("wizytad")
        office.start("wizytad", "wizytad", env=faketime(clock))
        office.start("wizyta-web", "wizyta-web", env=faketime(clock))
        return office.wait_port(office.web_port) and office.wait_port(office.gw_port)

    def sms_rows(ref, kind):
        return office.sql("SELECT o.status, o.next_attempt_at, o.attempts FROM outbox o"
                          " JOIN bookings b ON b.id = o.booking_id"
                          " WHERE b.reference = ? AND o.kind = ? AND o.channel = 'sms'", (ref, kind))

    def spooled(phone):
        digits = phone.lstrip("+")
        return [f for f in office.spool_files() if digits in f]

    t.ok(start(EVENING), "wizytad and wizyta-web at Tuesday 20:00", office.log("wizytad"))
    code, s = call("ala", "PUT", "/api/v1/admin/settings",
                   {"sms_quiet_hours": "21:00-08:00", "reminder_before": "12h"})
    t.ok(code == 200 and s["sms_quiet_hours"] == "21:00-08:00" and s["reminder_before"] == "12h",
         "an admin sets quiet hours 21:00-08:00 and a reminder 12 h before", (code, s))

    sid = office.api("GET", "/api/v1/services")[1][0]["id"]
    code, slots = office.api("GET", "/api/v1/services/%d/slots?date=2026-12-09" % sid)
    slot = next((x for x in slots if x["start"] == "2026-12-09T10:00"), None) if code == 200 else None
    t.ok(slot is not None, "Wednesday 10:00 is free", slots)
    slot = slot or {"start": "2026-12-09T10:00", "desk_id": 1}

    def book(first, last, phone, start_at, desk):
        return call("ewa", "POST", "/api/v1/bookings", {
            "service_id": sid, "start": start_at, "desk_id": desk, "first_name": first,
            "last_name": last, "phone": phone, "confirmed": True})

    code, john = book("John", "Smith", JOHN, slot["start"], slot["desk_id"])
    t.ok(code == 201 and john.get("status") == "booked", "staff book John, SMS only, confirmed", (code, john))
    ref = john.get("reference", "?")
    t.ok(wait_for(lambda: spooled(JOHN), 20, 0.1), "at 20:00 his access code goes by SMS at once",
         office.log("wizytad"))

    # ---- 22:10: the reminder is due (22:00), in the quiet hours
    t.ok(start(NIGHT), "both restarted at Tuesday 22:10")
    rows = wait_for(lambda: sms_rows(ref, "reminder"), 20, 0.1)
    t.ok(rows and rows[0][0] == "queued" and rows[0][1] == epoch("2026-12-09T08:00") and rows[0][2] == 0,
         "22:10: the reminder waits in the outbox for 08:00, not attempted", rows)
    # Ana's access code goes now, quiet hours or not; the spool is written in
    # order, so once hers is there John's reminder would be too had it gone
    code, slots = office.api("GET", "/api/v1/services/%d/slots?date=2026-12-09" % sid)
    other = next((x for x in slots if x["start"] != slot["start"]), None) if code == 200 else None
    code, ana = book("Ana", "Nowak", ANA, other["start"], other["desk_id"]) if other else (0, {})
    t.ok(code == 201 and wait_for(lambda: spooled(ANA), 20, 0.1),
         "a visit booked at 22:10: its access code goes at once", (code, ana))
    t.ok(len(spooled(JOHN)) == 1 and sms_rows(ref, "reminder")[0][0] == "queued",
         "no SMS to John at night: only his access code", spooled(JOHN))

    # ---- 08:00:30: the quiet hours are over
    t.ok(start(MORNING), "both restarted at Wednesday 08:00:30")
    t.ok(wait_for(lambda: len(spooled(JOHN)) == 2, 20, 0.1) and
         wait_for(lambda: sms_rows(ref, "reminder")[0][0] == "sent", 20, 0.1),
         "in the morning the reminder goes", (spooled(JOHN), sms_rows(ref, "reminder")))
    reminder = [f for f in spooled(JOHN) if "Przypomnienie" in f and "09.12 10:00" in f]
    t.ok(len(reminder) == 1, "and it names the visit's day and time", spooled(JOHN))
    codes = office.stop_all()
    t.ok(codes == {"wizyta-web": 0, "wizytad": 0}, "both stop cleanly", codes)
    office.check_logs(t)
finally:
    office.stop_all()
    office.cleanup()
t.done()
