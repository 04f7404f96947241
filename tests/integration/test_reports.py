#!/usr/bin/python3
"""The visits report over a known day, through the real programs (TAP).

The day is built through the API at chosen clocks (libfaketime: wizyta-web
restarted at each minute that matters, wizytad run once to expire), then
GET /api/v1/reports/visits is checked number by number as JSON and as CSV
(comma and semicolon dialects, the BOM, CRLF, a service named like a
formula), in other groupings, after the personal data is erased, and the
page's charts and tables are looked for.

Tuesday 2026-12-08, service A "Rejestracja pojazdu" (15 min), B "Wymiana
prawa jazdy" (10 min):
  A1 08:00  in 07:50, called 08:05, started 08:05, ended 08:20   done    wait 15 svc 15
  A2 08:15  in 08:00, called 08:20, started 08:20, ended 08:40   done    wait 20 svc 20
  A3 08:30  no-show at 08:40                                     no_show
  A4 08:45  never confirmed: expired by wizytad                  expired
  A5 09:00  confirmed, then cancelled by staff                   cancelled
  A6 09:15  confirmed                                            booked
  B1 08:00  in 07:50, called 08:05, started 08:05, ended 08:20   done    wait 15 svc 15
  B2 08:10  in 08:00, called 08:20                               called  wait 20
  B3 08:20  booked at 07:50, not confirmed yet                   pending
Wednesday: A7 10:00 booked.
"""
import csv
import io
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import Client, Office, Tap, faketime, hidden, wait_for  # noqa: E402

t = Tap()
PASSWORD = "a long password 123"
office = Office(extra={"staff": {"login_rate_limit": "1000"},
                       "reception": {"check_in_early": "1h"}})
FIELDS = ["planned", "confirmed", "done", "no_show", "cancelled", "expired", "avg_wait_min",
          "avg_service_min", "pending", "open", "waits", "services"]
TUE_A = [5, 4, 2, 1, 1, 1, 17.5, 17.5, 0, 1, 2, 2]
TUE_B = [3, 2, 1, 0, 0, 0, 17.5, 15.0, 1, 1, 2, 1]
WED_A = [1, 1, 0, 0, 0, 0, None, None, 0, 1, 0, 0]
try:
    office.cli("init")
    office.cli("demo")
    tokens = {}
    for login, role in {"basia": "staff", "celina": "reception"}.items():
        office.cli("operator", "add", login, "--role", role, stdin=PASSWORD + "\n")
        tokens[login] = office.cli("token", "add", login).stdout.strip()

    def at(clock):
        office.stop("wizyta-web")
        office.start("wizyta-web", "wizyta-web", env=faketime("@" + clock))
        return office.wait_port(office.web_port)

    def call(login, method, path, body=None):
        return office.api(method, path, body, headers={"Authorization": "Bearer " + tokens[login]})

    def status(ref, value, login="basia"):
        c, b = call(login, "POST", "/api/v1/bookings/%s/status" % ref, {"status": value})
        if c != 200:
            t.ok(False, "%s → %s" % (ref, value), (c, b))
        return b

    if not t.ok(at("2026-12-07 09:00:00"), "wizyta-web starts on Monday 09:00", office.log("wizyta-web")):
        t.done()
    services = {s["name"]: s["id"] for s in office.api("GET", "/api/v1/services")[1]}
    A, B = services.get("Rejestracja pojazdu"), services.get("Wymiana prawa jazdy")

    def book(sid, start, n):
        c, b = office.api("POST", "/api/v1/bookings", {
            "service_id": sid, "start": start, "first_name": "Anna", "last_name": "Kowalska%d" % n,
            "email": "anna%d@example.pl" % n})
        t.ok(c == 201, "book %s" % start, (c, b))
        return b["reference"]

    refs = {}
    for name, sid, start in [("A1", A, "08:00"), ("A2", A, "08:15"), ("A3", A, "08:30"), ("A4", A, "08:45"),
                             ("A5", A, "09:00"), ("A6", A, "09:15"), ("B1", B, "08:00"), ("B2", B, "08:10")]:
        refs[name] = book(sid, "2026-12-08T" + start, len(refs))
    refs["A7"] = book(A, "2026-12-09T10:00", 99)
    for name in ("A1", "A2", "A3", "A5", "A6", "B1", "B2", "A7"):
        status(refs[name], "booked")
    status(refs["A5"], "cancelled")

    # wizytad expires A4 (confirm_within 30m) when its clock passes 09:30
    office.start("wizytad", "wizytad", env=faketime("@2026-12-07 10:00:00"))
    expired = wait_for(lambda: office.api("GET", "/api/v1/bookings/" + refs["A4"])[1]["status"] == "expired", 30)
    office.stop("wizytad")
    t.ok(expired, "wizytad expired the unconfirmed A4", office.log("wizytad")[-2000:])

    at("2026-12-08 07:50:00")
    for n in ("A1", "B1"):
        status(refs[n], "waiting", "celina")
    refs["B3"] = book(B, "2026-12-08T08:20", 50)
    at("2026-12-08 08:00:00")
    for n in ("A2", "B2"):
        status(refs[n], "waiting", "celina")
    at("2026-12-08 08:05:00")
    for n in ("A1", "B1"):
        status(refs[n], "called")
        status(refs[n], "in_service")
    at("2026-12-08 08:20:00")
    for n in ("A1", "B1"):
        status(refs[n], "done")
    status(refs["A2"], "called")
    status(refs["A2"], "in_service")
    status(refs["B2"], "called")
    at("2026-12-08 08:40:00")
    status(refs["A2"], "done")
    status(refs["A3"], "no_show")

    def report(query, login="basia"):
        return call(login, "GET", "/api/v1/reports/visits?" + query)

    def figures(row):
        return [row.get(k) for k in FIELDS]

    c, rows = report("from=2026-12-08&to=2026-12-09")
    t.ok(c == 200 and len(rows) == 3, "the report by day and service: 3 rows", (c, rows))
    if c == 200 and len(rows) == 3:
        want = [("2026-12-08", "Rejestracja pojazdu", A, TUE_A), ("2026-12-08", "Wymiana prawa jazdy", B, TUE_B),
                ("2026-12-09", "Rejestracja pojazdu", A, WED_A)]
        for row, (day, service, sid, nums) in zip(rows, want):
            t.ok(row["day"] == day and row["service"] == service and row["service_id"] == sid and
                 figures(row) == nums, "%s %s: %s" % (day, service, dict(zip(FIELDS, nums))), row)
        t.ok(list(rows[0])[:10] == ["day", "service", "planned", "confirmed", "done", "no_show", "cancelled",
                                    "expired", "avg_wait_min", "avg_service_min"],
             "the members in CONTRACT.md's order", list(rows[0]))

    # CSV: RFC 4180 with a BOM, CRLF, the same numbers
    web = Client(office.base)
    s, h, body = web.req("GET", "/api/v1/reports/visits?from=2026-12-08&to=2026-12-09&format=csv",
                         headers={"Authorization": "Bearer " + tokens["basia"]})
    t.ok(s == 200 and h.get("content-type", "").startswith("text/csv") and
         "attachment" in h.get("content-disposition", ""), "format=csv: text/csv, an attachment", (s, h))
    t.ok(body.startswith("\ufeffday,service,planned,confirmed,done,no_show,cancelled,expired,avg_wait_min,"
                         "avg_service_min,pending,open,waits,services,refilled,service_id\r\n"),
         "the CSV starts with the BOM and the header row, CRLF", body[:200])
    table = list(csv.reader(io.StringIO(body.lstrip("\ufeff"), newline="")))
    # refilled (the waitlist's offers taken, issue 16): none here
    csv_want = [["2026-12-08", "Rejestracja pojazdu"] + [str(x) if x is not None else "" for x in TUE_A] + ["0", str(A)],
                ["2026-12-08", "Wymiana prawa jazdy"] + [str(x) for x in TUE_B] + ["0", str(B)],
                ["2026-12-09", "Rejestracja pojazdu"] + ["" if x is None else str(x) for x in WED_A] + ["0", str(A)]]
    t.ok(table[1:] == csv_want, "the CSV's numbers, cell by cell (no average: an empty cell)",
         {"got": table, "want": csv_want})
    s, h, body = web.req("GET", "/api/v1/reports/visits?from=2026-12-08&to=2026-12-08&format=csv"
                         "&delimiter=semicolon&bom=0", headers={"Authorization": "Bearer " + tokens["basia"]})
    t.ok(s == 200 and body.startswith("day;service;planned") and
         "2026-12-08;Rejestracja pojazdu;5;4;2;1;1;1;17,5;17,5;0;1;2;2;0;%d\r\n" % A in body,
         "delimiter=semicolon: ';' and decimal commas (a Polish Excel); bom=0: none", body)

    # other groupings
    c, rows = report("from=2026-12-08&to=2026-12-09&group=hour")
    t.ok(c == 200 and [(r["hour"], figures(r)) for r in rows] ==
         [(8, [6, 5, 3, 1, 0, 1, 17.5, 16.7, 1, 1, 4, 3]), (9, [2, 1, 0, 0, 1, 0, None, None, 0, 1, 0, 0]),
          (10, [1, 1, 0, 0, 0, 0, None, None, 0, 1, 0, 0])],
         "by hour of the visit: 08, 09, 10", rows)
    c, rows = report("from=2026-12-07&to=2026-12-09&group=day")
    t.ok(c == 200 and [(r["day"], r["planned"], r["done"]) for r in rows] ==
         [("2026-12-07", 0, 0), ("2026-12-08", 8, 3), ("2026-12-09", 1, 0)],
         "by day: every day listed, Monday with zeros", rows)
    c, rows = report("from=2026-12-01&to=2026-12-31&group=month")
    t.ok(c == 200 and len(rows) == 1 and rows[0]["month"] == "2026-12" and
         figures(rows[0]) == [9, 7, 3, 1, 1, 1, 17.5, 16.7, 1, 3, 4, 3], "by month: December", rows)
    c, rows = report("from=2026-12-08&to=2026-12-09&group=week&service_id=%d" % B)
    t.ok(c == 200 and len(rows) == 1 and rows[0]["week"] == "2026-W50" and rows[0]["from"] == "2026-12-07" and
         figures(rows[0]) == TUE_B, "by week, service B only", rows)
    c, rows = report("from=2026-12-08&to=2026-12-09&group=desk")
    t.ok(c == 200 and sum(r["planned"] for r in rows) == 9 and all(r["desk"].startswith("Pokój") for r in rows),
         "by desk: the desks' names, the same total", rows)

    # errors and roles
    for query, want, err in [("to=2026-12-09", 400, "malformed"), ("from=2026-12-09&to=2026-12-08", 422,
                             "range_invalid"), ("from=2025-01-01&to=2026-12-08", 422, "range_invalid"),
                             ("from=2026-12-08&to=2026-12-09&format=xls", 400, "malformed"),
                             ("from=2026-12-08&to=2026-12-09&group=year", 400, "malformed")]:
        c, b = report(query)
        t.ok(c == want and b["error"] == err, "%s → %d %s" % (query, want, err), (c, b))
    c, b = report("from=2026-12-08&to=2026-12-09", "celina")
    t.ok(c == 403, "reception may not read reports: 403", (c, b))
    c, b = office.api("GET", "/api/v1/reports/visits?from=2026-12-08&to=2026-12-09")
    t.ok(c == 401, "nobody signed in: 401", (c, b))

    # a service named like a formula comes out as text
    db = sqlite3.connect(os.path.join(office.dir, "wizyta.db"))
    db.execute("UPDATE services SET name = ? WHERE id = ?", ('=HYPERLINK("http://x.example","klik")', B))
    db.commit()
    s, h, body = web.req("GET", "/api/v1/reports/visits?from=2026-12-08&to=2026-12-08&format=csv",
                         headers={"Authorization": "Bearer " + tokens["basia"]})
    t.ok('2026-12-08,"\'=HYPERLINK(""http://x.example"",""klik"")",3,' in body,
         "CSV injection: a service named =HYPERLINK(…) is quoted and starts with an apostrophe", body)
    db.execute("UPDATE services SET name = ? WHERE id = ?", ("Wymiana prawa jazdy", B))
    db.commit()

    # the personal data goes ([privacy] retention): the figures stay
    c, before = report("from=2026-12-08&to=2026-12-09")
    db.execute("UPDATE bookings SET first_name = '', last_name = '', email = '', phone = '', note = '',"
               " token = ''")
    db.execute("DELETE FROM outbox")
    db.execute("DELETE FROM booking_events")
    db.commit()
    db.close()
    c, after = report("from=2026-12-08&to=2026-12-09")
    t.ok(c == 200 and after == before, "after erasing names, contacts, messages and events: the same report",
         (before, after))

    # the page: three charts, each beside a table of its numbers
    s, h, html = web.req("GET", "/staff/login")
    web.req("POST", "/staff/login", {"csrf": hidden(html, "csrf"), "login": "basia", "password": PASSWORD,
                                     "next": "/staff/reports"})
    s, h, html = web.req("GET", "/staff/reports?from=2026-12-07&to=2026-12-09&group=day")
    t.ok(s == 200 and html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3 and
         html.count('role="img"') == 3 and 'aria-labelledby="chart-visits-title chart-visits-desc"' in html and
         html.count("<table") == 4 and "17,5" in html and "<script" not in html,
         "the page: three SVG charts with title and desc, a table beside each, all figures, no script", html[-3000:])
    s, h, html = web.req("GET", "/staff/reports?from=2026-12-09&to=2026-12-08")
    t.ok(s == 422 and "Sprawdź zakres dat" in html, "a reversed range on the page: 422, said plainly", s)
finally:
    office.cleanup()
t.done()
