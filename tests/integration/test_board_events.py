#!/usr/bin/python3
"""Tablice informacyjne and the live events (TAP).

wizyta-web runs at Tuesday 2026-12-08 08:00 (libfaketime), the demo
office open. GET /board/events: the whole board on connect ("snapshot"),
then each change of the board as the changed rows, never a name, e-mail or
phone; the latency from a change to its event is reported (the bench
checks the 1 s target; nothing here asserts a time). Filters by desk and
room; the staff stream needs a staff credential and carries the
running-late mark; a recall is an event of its own; Last-Event-ID gets
the missed events; after a restart an old id gets the whole board again;
SIGTERM ends open streams and exits 0; the cap on streams answers 503.
The pages: /board, /board?room=, /board/desk/{id}, /staff/boards;
GET /api/v1/board and /api/v1/board/waits.
"""
import os
import sqlite3
import sys
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sse_client import SSE  # noqa: E402
from wizyta_harness import Client, Office, Tap, faketime  # noqa: E402

t = Tap()
DAY = "2026-12-08"
NOW = "@2026-12-08 08:00:00"
PUBLIC_KEYS = {"code", "time", "status", "label", "label_en", "desk", "desk_id", "room", "service_id",
               "called_at"}
office = Office(extra={"reception": {"check_in_early": "12h"}, "staff": {"login_rate_limit": "1000"}})
streams = []
latencies = []


def sse(path, headers=None):
    s = SSE(office.web_port, path, headers)
    streams.append(s)
    return s


try:
    office.cli("init")
    office.cli("demo")
    tokens = {}
    for login, role in (("basia", "staff"), ("celina", "reception")):
        office.cli("operator", "add", login, "--role", role, stdin="a long password 123\n")
        tokens[login] = office.cli("token", "add", login).stdout.strip()
    office.start("wizyta-web", "wizyta-web", env=faketime(NOW))
    if not t.ok(office.wait_port(office.web_port), "wizyta-web starts at " + NOW, office.log("wizyta-web")):
        t.done()

    def call(login, method, path, body=None):
        return office.api(method, path, body, headers={"Authorization": "Bearer " + tokens[login]})

    def status(ref, value, login="basia"):
        return call(login, "POST", "/api/v1/bookings/%s/status" % ref, {"status": value})

    services = office.api("GET", "/api/v1/services")[1]
    sid = services[0]["id"]
    code, slots = office.api("GET", "/api/v1/services/%d/slots?date=%s" % (sid, DAY))
    desk_a = slots[0]["desk_id"]
    desks = {d["id"]: d for d in call("celina", "GET", "/api/v1/desks")[1]}
    other_slots = [(s2["id"], s) for s2 in services[1:] for s in
                   office.api("GET", "/api/v1/services/%d/slots?date=%s" % (s2["id"], DAY))[1]
                   if s["desk_id"] != desk_a and desks[s["desk_id"]]["room"] != desks[desk_a]["room"]]

    def book(service, start, desk, n):
        code, b = office.api("POST", "/api/v1/bookings", {
            "service_id": service, "start": start, "desk_id": desk, "first_name": "Zofia",
            "last_name": "Tajna%d" % n, "email": "zofia%d@example.pl" % n, "phone": "+48600100%03d" % n})
        return b["reference"]

    a1 = book(sid, slots[0]["start"], desk_a, 1)
    a2 = book(sid, [s for s in slots if s["desk_id"] == desk_a][1]["start"], desk_a, 2)
    b_service, b_slot = other_slots[0]
    b1 = book(b_service, b_slot["start"], b_slot["desk_id"], 3)

    # ---- connect: the whole board, then changes
    board = sse("/board/events")
    snap = board.next(event="snapshot")
    t.ok(board.status == 200 and board.headers.get("content-type") == "text/event-stream" and
         board.retry == 2000 and snap is not None and snap["data"] == "[]",
         "GET /board/events: text/event-stream, retry 2000, the board so far (empty: nobody confirmed)",
         (board.status, board.headers, snap))
    waits = board.next(event="waits")
    t.ok(waits is not None, "…and the estimated waits", waits)
    desk_stream = sse("/board/events?desk=%d" % desk_a)
    room_stream = sse("/board/events?room=" + urllib.request.quote(desks[b_slot["desk_id"]]["room"]))
    desk_stream.next(event="snapshot")
    room_stream.next(event="snapshot")

    sent = time.monotonic()
    code, confirmed = status(a1, "booked")
    ev = board.next_rows(want=lambda rows: any(r["code"] == confirmed["access_code"] for r in rows))
    t.ok(ev is not None, "a confirmation reaches the board as an event", confirmed)
    if ev:
        latencies.append(ev["at"] - sent)
        row = [r for r in ev["rows"] if r["code"] == confirmed["access_code"]][0]
        t.ok(set(row) == PUBLIC_KEYS and row["status"] == "booked" and row["label"] == "Rezerwacja" and
             row["desk"] == desks[desk_a]["name"] and row["time"] == confirmed["start"][11:],
             "the row: code, time, status (Rezerwacja), desk — and nothing personal", row)
        t.ok("Tajna" not in ev["data"] and "zofia" not in ev["data"] and "600100" not in ev["data"],
             "no name, e-mail or phone in the event", ev["data"])
    code, b3 = status(b1, "booked")
    ev = desk_stream.next_rows()
    t.ok(ev is not None and [r["code"] for r in ev["rows"]] == [confirmed["access_code"]],
         "?desk=: only that desk's rows", ev)
    ev = room_stream.next_rows()
    t.ok(ev is not None and [r["code"] for r in ev["rows"]] == [b3["access_code"]], "?room=: only that room's",
         ev)
    board.next_rows(want=lambda rows: any(r["code"] == b3["access_code"] for r in rows))

    # ---- the staff stream
    code, h, body = Client(office.base).req("GET", "/staff/desk/events")
    t.ok(code == 303 and "/staff/login" in h.get("location", ""), "the staff stream: sign in first", (code, h))
    refused = sse("/staff/desk/events", {"Authorization": "Bearer " + tokens["celina"]})
    t.ok(refused.status == 403, "…reception may not: 403", refused.status)
    staff = sse("/staff/desk/events", {"Authorization": "Bearer " + tokens["basia"]})
    snap = staff.next(event="snapshot")
    t.ok(staff.status == 200 and snap is not None and a1 in snap["data"],
         "…staff: every booking of the day, by reference", snap)
    db = sqlite3.connect(office.sections["database"]["path"])
    bid = db.execute("SELECT id FROM bookings WHERE reference = ?", (a1,)).fetchone()[0]
    db.execute("INSERT INTO booking_events (booking_id, at, actor, action, detail)"
               " VALUES (?, strftime('%s', '2026-12-08 07:01:00'), 'citizen:email', 'reply_late', 'late')", (bid,))
    db.commit()
    db.close()
    ev = staff.next_rows(want=lambda rows: any(r["reference"] == a1 for r in rows))
    t.ok(ev is not None and [r for r in ev["rows"] if r["reference"] == a1][0]["late_at"] == "08:01",
         "a citizen's running-late reply reaches the desk panels", ev)

    # ---- a call, and a recall
    status(a1, "waiting", "celina")
    sent = time.monotonic()
    code, called = call("basia", "POST", "/api/v1/desks/%d/call-next" % desk_a)
    ev = board.next_rows(want=lambda rows: any(r["status"] == "called" for r in rows))
    t.ok(code == 200 and ev is not None, "a call reaches the board", (code, called))
    if ev:
        latencies.append(ev["at"] - sent)
        row = [r for r in ev["rows"] if r["status"] == "called"][0]
        t.ok(row["code"] == confirmed["access_code"] and row["label"] == "Zapraszam" and row["called_at"],
             "Zapraszam, with the time of the call", row)
        first_call = row["called_at"]
        time.sleep(1.1)  # a recall is told apart by its time (seconds)
        sent = time.monotonic()
        status(a1, "called")
        ev = board.next_rows(want=lambda rows: any(r["status"] == "called" for r in rows))
        t.ok(ev is not None and ev["rows"][0]["called_at"] != first_call,
             "a recall is an event of its own (a new called_at)", ev)
        if ev:
            latencies.append(ev["at"] - sent)

    # ---- the JSON and the pages
    code, rows = office.api("GET", "/api/v1/board")
    t.ok(code == 200 and [r["code"] for r in rows] == sorted([r["code"] for r in rows], key=lambda c: [
        x["time"] for x in rows if x["code"] == c]) and all(set(r) == PUBLIC_KEYS for r in rows) and len(rows) == 2,
        "GET /api/v1/board: today's visible rows, in time order", rows)
    code, rows = office.api("GET", "/api/v1/board?desk=%d" % desk_a)
    t.ok(code == 200 and len(rows) == 1, "GET /api/v1/board?desk=", rows)
    code, err = office.api("GET", "/api/v1/board?desk=999")
    t.ok(code == 404, "an unknown desk: 404", (code, err))
    bad = sse("/board/events?desk=abc")
    t.ok(bad.status == 422, "/board/events?desk=abc: 422", bad.status)
    code, w = office.api("GET", "/api/v1/board/waits")
    t.ok(code == 200 and w and all({"service_id", "service", "service_en", "waiting", "minutes", "measured"} <= set(x)
                                   for x in w), "GET /api/v1/board/waits", w)
    with urllib.request.urlopen(office.base + "/board") as r:
        html = r.read().decode()
        csp = r.headers.get("Content-Security-Policy")
    t.ok(confirmed["access_code"] in html and "Zapraszam" in html and "Tajna" not in html and
         '<noscript><meta http-equiv="refresh"' in html and "script-src 'self'" in csp and
         'data-events="/board/events"' in html, "/board: the rows, no names, refresh without JS, its script", html)
    with urllib.request.urlopen(office.base + "/board/desk/%d" % desk_a) as r:
        html = r.read().decode()
    t.ok(confirmed["access_code"] in html and 'data-events="/board/events?desk=%d"' % desk_a in html,
         "/board/desk/{id}: the code the desk calls now", html)
    try:
        urllib.request.urlopen(office.base + "/board/desk/999")
        code = 200
    except urllib.error.HTTPError as e:
        code = e.code
    t.ok(code == 404, "/board/desk/999: 404", code)
    code, h, html = Client(office.base).req("GET", "/staff/boards")
    c = Client(office.base)
    _, _, form = c.req("GET", "/staff/login")
    import re
    csrf = re.search(r'name="csrf" value="([^"]*)"', form).group(1)
    c.req("POST", "/staff/login", {"csrf": csrf, "next": "", "login": "celina", "password": "a long password 123"})
    code, h, html = c.req("GET", "/staff/boards")
    t.ok(code == 200 and 'href="/board"' in html and 'href="/board/desk/%d"' % desk_a in html and
         "/board?room=" in html, "/staff/boards lists every board (reception may open it)", html)

    # ---- Last-Event-ID: the events missed meanwhile
    while board.next(timeout=0.3) is not None:
        pass
    last = board.last_id
    board.close()
    status(a2, "booked")
    code, b = status(a2, "waiting", "celina")
    back = sse("/board/events", {"Last-Event-ID": last})
    first = back.next()
    t.ok(first is not None and first["event"] == "message" and b["access_code"] in first["data"],
         "reconnecting with Last-Event-ID: the missed events, not the whole board", first)

    # ---- SIGTERM with streams open, then a restart
    open_streams = [back, desk_stream, room_stream, staff]
    rc = office.stop("wizyta-web")
    t.ok(rc == 0 and all(s.ended.wait(5) for s in open_streams), "SIGTERM ends the open streams and exits 0",
         (rc, office.log("wizyta-web")[-800:]))
    office.configure({"web": {"event_streams": "2"}})
    office.start("wizyta-web", "wizyta-web", env=faketime("@2026-12-08 08:20:00"))
    office.wait_port(office.web_port)
    again = sse("/board/events", {"Last-Event-ID": last})
    snap = again.next()
    t.ok(snap is not None and snap["event"] == "snapshot" and b["access_code"] in snap["data"] and
         confirmed["access_code"] in snap["data"],
         "after a restart an old Last-Event-ID gets the whole board again", snap)
    second = sse("/board/events")
    third = sse("/board/events")
    t.ok(second.status == 200 and third.status == 503 and b'"busy"' in third.body and
         third.headers.get("retry-after"), "web.event_streams = 2: a third screen waits (503, Retry-After)",
         (second.status, third.status, third.body))
    sent = time.monotonic()
    status(a2, "called")
    ev = again.next_rows()
    t.ok(ev is not None and ev["rows"][0]["status"] == "called", "the reconnected board sees the next call", ev)
    if ev:
        latencies.append(ev["at"] - sent)
    if latencies:
        print("# change → event latency (ms): %s" % ", ".join("%.0f" % (x * 1000) for x in latencies), flush=True)
finally:
    for s in streams:
        s.close()
    office.cleanup()
t.done()
