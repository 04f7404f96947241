#!/usr/bin/python3
"""wizyta-web's JSON API against a real server (TAP).

Every endpoint of CONTRACT.md and every error code: 400 malformed, 404
unknown, 405, 409 slot taken (with the nearest free ones) and wrong state,
413 too large, 422 invalid field, 429 rate limited (+ Retry-After, and
X-Forwarded-For from an untrusted peer does not help). Every answer is
checked against the server's own /api/v1/openapi.json. 64 clients racing
for one place: exactly one 201, the rest 409. Start-up errors (bad config,
no schema, port in use) are one line and exit 1; SIGTERM exits 0.
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import (BUILD, Office, Tap, first_free_slot, one_place, race,  # noqa: E402
                            wait_for)

t = Tap()


class Schema:
    """The subset of OpenAPI 3 schemas our document uses."""

    def __init__(self, doc):
        self.doc = doc

    def resolve(self, s):
        while "$ref" in s:
            node = self.doc
            for part in s["$ref"][2:].split("/"):
                node = node[part]
            s = node
        return s

    def errors(self, s, v, path="$"):
        s = self.resolve(s)
        out = []
        typ = s.get("type")
        checks = {"object": dict, "array": list, "string": str, "boolean": bool}
        if typ == "integer":
            if not isinstance(v, int) or isinstance(v, bool):
                return ["%s: not an integer" % path]
        elif typ in checks and not isinstance(v, checks[typ]):
            return ["%s: not %s" % (path, typ)]
        if "enum" in s and v not in s["enum"]:
            out.append("%s: %r not in %r" % (path, v, s["enum"]))
        if "pattern" in s and isinstance(v, str) and not re.search(s["pattern"], v):
            out.append("%s: %r does not match %s" % (path, v, s["pattern"]))
        if "minimum" in s and isinstance(v, int) and v < s["minimum"]:
            out.append("%s: %r < %r" % (path, v, s["minimum"]))
        if typ == "object":
            for k in s.get("required", []):
                if k not in v:
                    out.append("%s: missing %s" % (path, k))
            for k, sub in s.get("properties", {}).items():
                if k in v:
                    out += self.errors(sub, v[k], path + "." + k)
        if typ == "array":
            for i, item in enumerate(v):
                out += self.errors(s["items"], item, "%s[%d]" % (path, i))
        return out

    def check(self, path, method, status, body):
        op = self.doc["paths"][path][method]
        resp = op["responses"].get(str(status))
        if resp is None:
            return ["status %d not documented for %s %s" % (status, method, path)]
        resp = self.resolve(resp)
        schema = resp["content"]["application/json"]["schema"]
        return self.errors(schema, body)


def raw_request(office, method, path, data=None, headers=None):
    req = urllib.request.Request(office.base + path, data=data, method=method)
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def start_web(office):
    office.start("wizyta-web", "wizyta-web")
    return office.wait_port(office.web_port)


office = Office()
limited = None
try:
    r = office.cli("init")
    r2 = office.cli("demo")
    if not t.ok(r.returncode == 0 and r2.returncode == 0, "wizyta init and demo", r.stderr + r2.stderr):
        t.done()
    if not t.ok(start_web(office), "wizyta-web starts", office.log("wizyta-web")):
        t.done()

    code, doc = office.api("GET", "/api/v1/openapi.json")
    t.ok(code == 200 and doc.get("openapi", "").startswith("3.") and
         "/api/v1/bookings" in doc.get("paths", {}), "GET /api/v1/openapi.json is OpenAPI 3", doc)
    schema = Schema(doc)

    def checked(method, path, template, body=None, raw=None, headers=None):
        code, answer = office.api(method, path, body, raw, headers)
        errs = schema.check(template, method.lower(), code, answer)
        return code, answer, errs

    # services
    code, services, errs = checked("GET", "/api/v1/services", "/api/v1/services")
    t.ok(code == 200 and len(services) >= 3 and not errs, "GET services → 200 per the schema", errs)
    by_id = {s["id"]: s for s in services}

    # slots
    sid = services[0]["id"]
    slot = first_free_slot(office, sid)
    day = slot["start"][:10] if slot else "2030-01-07"
    code, slots, errs = checked("GET", "/api/v1/services/%d/slots?date=%s" % (sid, day),
                                "/api/v1/services/{id}/slots")
    t.ok(code == 200 and slots and not errs, "GET slots → 200 per the schema", errs or slots)
    for q, want, name in [
            ("/api/v1/services/%d/slots" % sid, 400, "slots without date → 400"),
            ("/api/v1/services/%d/slots?date=2026-13-45" % sid, 400, "slots with a bad date → 400"),
            ("/api/v1/services/999999/slots?date=%s" % day, 404, "slots of an unknown service → 404"),
            ("/api/v1/services/abc/slots?date=%s" % day, 404, "slots of a non-numeric id → 404")]:
        code, answer, errs = checked("GET", q, "/api/v1/services/{id}/slots")
        t.ok(code == want and isinstance(answer, dict) and answer.get("error") and not errs,
             name, (code, answer, errs))

    # create: the happy path
    tpl = "/api/v1/bookings"
    good = {"service_id": sid, "start": slot["start"], "first_name": "Zażółć",
            "last_name": "Gęślą-Jaźń", "email": "Jan.Test@example.pl", "phone": "600 700 801"}
    code, b, errs = checked("POST", tpl, tpl, good)
    t.ok(code == 201 and b.get("status") == "pending" and b.get("start") == slot["start"]
         and not errs, "POST bookings → 201 pending per the schema", (code, b, errs))
    ref = b.get("reference", "")

    # create: every error
    cases = [
        (None, b"{not json", 400, "malformed JSON → 400"),
        (None, b"[1,2]", 400, "a JSON array → 400"),
        (None, b"", 400, "an empty body → 400"),
        (dict(good, service_id="1"), None, 422, "service_id as a string → 422"),
        ({k: v for k, v in good.items() if k != "service_id"}, None, 422, "no service_id → 422"),
        (dict(good, email="", phone=""), None, 422, "no e-mail and no phone → 422"),
        (dict(good, email=None, phone="12"), None, 422, "a bad phone → 422"),
        (dict(good, email="not-an-address", phone=None), None, 422, "a bad e-mail → 422"),
        (dict(good, first_name=""), None, 422, "no first name → 422"),
        (dict(good, start="jutro o 9"), None, 422, "a bad start → 422"),
        (dict(good, first_name=42), None, 422, "a number as a name → 422"),
        (dict(good, service_id=999999), None, 422, "an unknown service → 422"),
    ]
    # times that are no slot: 422 with the real reason, never "slot taken"
    import datetime
    today = datetime.date.today()
    sunday = today + datetime.timedelta(days=(6 - today.weekday()) or 7)
    off_grid = "%s%02d" % (slot["start"][:14], int(slot["start"][14:16]) + 2)
    for start, want in [((today - datetime.timedelta(days=1)).isoformat() + "T10:00",
                         "slot_in_past"),
                        (sunday.isoformat() + "T10:00", "office_closed"),
                        (off_grid, "not_a_slot_start"),
                        ((today + datetime.timedelta(days=400)).isoformat() + "T10:00",
                         "outside_horizon"),
                        ("2026-02-30T10:00", "start_no_such_day"),
                        ("2027-03-28T02:30", "start_clock_change")]:
        code, answer, errs = checked("POST", tpl, tpl, dict(good, start=start))
        t.ok(code == 422 and answer.get("error") == want and answer.get("field") == "start"
             and not errs, "%s → 422 %s" % (start, want), (code, answer, errs))
    code, answer, errs = checked("POST", tpl, tpl, dict(good, service_id=9223372036854775807))
    t.ok(code == 422 and answer.get("error") == "unknown_service" and
         "9223372036854775807" not in json.dumps(answer),
         "an unknown service id is not echoed (unknown_service)", answer)
    for body, raw, want, name in cases:
        code, answer, errs = checked("POST", tpl, tpl, body, raw)
        t.ok(code == want and not errs, name, (code, answer, errs))
    # JSON that cannot be read: where, never the body's own bytes back
    for raw, name in [(b'{"first_name": "a\\u0000b"}', "a \\u0000 in a string"),
                      (b'{"service_id": 123456789012345678901}', "a number past 64 bits"),
                      (b'{"first_name": "Jan", "first_name": "Anna"}', "a member twice"),
                      (b'{"first_name": "\xc3\x28 \xff"}', "broken UTF-8")]:
        code, answer, errs = checked("POST", tpl, tpl, None, raw)
        msg = answer.get("message", "")
        t.ok(code == 400 and answer.get("error") == "malformed" and "line 1, column" in msg and
             "Anna" not in msg and r"\u0000" in msg and not errs,
             "%s: 400 malformed, saying where" % name, (code, answer, errs))
    code, answer, errs = checked("POST", tpl, tpl, dict(good, email=None, phone="12"))
    t.ok(answer.get("field") == "phone", "a bad phone names the field", answer)
    code, answer, errs = checked("POST", tpl, tpl, dict(good, email="", phone=""))
    t.ok(answer.get("field") in ("email", "phone"), "no contact names the field", answer)
    code, headers, body = raw_request(office, "POST", tpl, b"{" + b" " * 20000 + b"}",
                                      {"Content-Type": "application/json"})
    t.ok(code == 413, "a 20 KB body → 413", code)

    # the slot again: 409 with alternatives, when no other desk is free
    taken = []
    for _ in range(4):
        code, answer, errs = checked("POST", tpl, tpl, dict(good, email="x%d@example.pl" % len(taken), phone=None))
        taken.append(code)
        if code == 409:
            break
    t.ok(taken[-1] == 409 and answer.get("error") == "slot_taken" and not errs,
         "the same time once every desk is taken → 409 slot_taken", (taken, answer, errs))
    t.ok(isinstance(answer.get("alternatives"), list) and len(answer["alternatives"]) > 0 and
         all(a["start"] != slot["start"] for a in answer["alternatives"]),
         "409 offers the nearest free times", answer)

    # read
    tpl_get = "/api/v1/bookings/{reference}"
    code, got, errs = checked("GET", "/api/v1/bookings/" + ref, tpl_get)
    t.ok(code == 200 and got.get("reference") == ref and got.get("status") == "pending"
         and got.get("service") == by_id[sid]["name"] and not errs,
         "GET booking → 200 per the schema", (got, errs))
    text = json.dumps(got, ensure_ascii=False)
    t.ok(not ({"email", "phone", "first_name", "last_name", "access_code", "token"} & set(got))
         and "Zażółć" not in text and "example.pl" not in text and "600" not in text,
         "GET booking carries no personal data", got)
    for q, name in [("ZZZZZZZZZZ", "an unknown reference → 404"),
                    ("abc", "a malformed reference → 404"),
                    (ref.lower(), "a lower-case reference → 404")]:
        code, answer, errs = checked("GET", "/api/v1/bookings/" + q, tpl_get)
        t.ok(code == 404 and not errs, name, (code, answer))

    # cancel
    tpl_c = "/api/v1/bookings/{reference}/cancel"
    path_c = "/api/v1/bookings/%s/cancel" % ref
    code, answer, errs = checked("POST", path_c, tpl_c, {"contact": "someone@example.pl"})
    t.ok(code == 404 and not errs, "cancel with a wrong contact → 404 (not 403)", (code, answer))
    code, answer, errs = checked("POST", "/api/v1/bookings/ZZZZZZZZZZ/cancel", tpl_c,
                                 {"contact": "jan.test@example.pl"})
    t.ok(code == 404 and not errs, "cancel of an unknown reference → 404", (code, answer))
    code, answer, errs = checked("POST", path_c, tpl_c, {"contact": ""})
    t.ok(code == 422 and not errs, "cancel without contact → 422", (code, answer))
    code, answer, errs = checked("POST", path_c, tpl_c, raw=b"contact=x")
    t.ok(code == 400 and not errs, "cancel with a non-JSON body → 400", (code, answer))
    code, answer, errs = checked("POST", path_c, tpl_c, {"contact": "+48 600-700-801"})
    t.ok(code == 200 and answer.get("status") == "cancelled" and not errs,
         "cancel with the phone in another form → 200 cancelled", (code, answer, errs))
    code, answer, errs = checked("POST", path_c, tpl_c, {"contact": "JAN.TEST@example.pl"})
    t.ok(code == 409 and not errs, "cancelling twice → 409", (code, answer))
    code, got, errs = checked("GET", "/api/v1/bookings/" + ref, tpl_get)
    t.ok(got.get("status") == "cancelled", "the booking reads cancelled", got)
    code, again, errs = checked("POST", tpl, tpl, dict(good, email="again@example.pl", phone=None))
    t.ok(code == 201, "the cancelled place can be booked again", (code, again))

    # the surface
    code, headers, body = raw_request(office, "DELETE", "/api/v1/services")
    t.ok(code == 405, "DELETE services → 405", code)
    code, headers, body = raw_request(office, "GET", "/api/v1/nothing")
    t.ok(code == 404 and json.loads(body).get("error") == "not_found", "unknown API path → 404 JSON", body)
    code, headers, body = raw_request(office, "GET", "/api/v1/services")
    h = {k.lower(): v for k, v in headers.items()}
    t.ok(h.get("content-type", "").startswith("application/json") and
         h.get("x-content-type-options") == "nosniff" and
         "frame-ancestors 'none'" in h.get("content-security-policy", "") and
         h.get("referrer-policy") == "no-referrer",
         "JSON answers carry the security headers", h)

    # 64 clients race for one place
    place = one_place(office, services)
    if t.ok(place is not None, "a slot with one place for the race", services):
        results = race([office.base], place)
        t.ok(results.count(201) == 1 and results.count(409) == 63,
             "64 racing clients: exactly one 201, 63 × 409",
             {c: results.count(c) for c in set(results)})

    # stop: SIGTERM while a booking's body is still on its way — wizyta-web
    # takes no new connection, lets that request finish (201, the booking
    # in the database), then exits 0 (issue 14: "stop on SIGTERM after work
    # in flight"). Expect: 100-continue tells when the request is in its hands.
    slot = first_free_slot(office, good["service_id"])
    body = json.dumps(dict(good, start=slot["start"], email="inflight@example.pl",
                           phone=None)).encode()
    office.personal("inflight@example.pl")
    conn = socket.create_connection(("127.0.0.1", office.web_port), 30)
    conn.sendall(b"POST /api/v1/bookings HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                 b"Content-Type: application/json\r\nExpect: 100-continue\r\n"
                 b"Content-Length: %d\r\n\r\n" % len(body))
    continued = conn.recv(200)
    web = office.procs.pop("wizyta-web")
    web.send_signal(signal.SIGTERM)

    def closed():
        try:
            socket.create_connection(("127.0.0.1", office.web_port), 1).close()
            return False
        except OSError:
            return True
    refused = wait_for(closed, 20, 0.05)
    conn.sendall(body)
    answer = b""
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            break
        answer += chunk
    conn.close()
    try:
        code = web.wait(30)
    except subprocess.TimeoutExpired:
        web.kill()
        code = web.wait()
    stored = office.sql("SELECT status FROM bookings WHERE email = ?", ("inflight@example.pl",))
    t.ok(continued.startswith(b"HTTP/1.1 100") and refused and
         answer.startswith(b"HTTP/1.1 201") and stored == [("pending",)] and code == 0,
         "SIGTERM: no new connection, the booking in flight is answered 201 and stored,"
         " then exit 0", (continued, refused, answer[:300], stored, code,
                          office.log("wizyta-web")[-800:]))

    # rate limits and open bookings per contact, on a stricter office
    limited = Office(extra={"web": {"rate_limit": "5", "max_open_per_contact": "2"}})
    limited.cli("init")
    limited.cli("demo")
    if t.ok(start_web(limited), "a rate-limited wizyta-web starts", limited.log("wizyta-web")):
        codes = []
        bodies = []
        for i in range(6):
            s = first_free_slot(limited, sid, skip=i) if i < 4 else slot
            body = {"service_id": sid, "start": (s or slot)["start"], "first_name": "Ola",
                    "last_name": "Limit", "email": "ola@example.pl"}
            c, a = limited.api("POST", "/api/v1/bookings", body,
                               headers={"X-Forwarded-For": "203.0.113.%d" % i})
            codes.append(c)
            bodies.append(a)
        t.ok(codes[:2] == [201, 201] and codes[2] == 409 and
             bodies[2].get("error") == "too_many_open_bookings",
             "the third open booking for one contact → 409 too_many_open_bookings",
             list(zip(codes, bodies)))
        t.ok(codes[5] == 429 and bodies[5].get("error") == "rate_limited",
             "the 6th booking request in a minute → 429 (X-Forwarded-For untrusted)",
             list(zip(codes, bodies)))
        c, headers, body = raw_request(limited, "POST", "/api/v1/bookings", b"{}",
                                       {"Content-Type": "application/json"})
        ra = {k.lower(): v for k, v in headers.items()}.get("retry-after", "")
        t.ok(c == 429 and ra.isdigit() and 0 < int(ra) <= 60, "429 carries Retry-After", (c, headers))
        c, a = limited.api("GET", "/api/v1/services")
        t.ok(c == 200, "reading services is not rate limited", c)
        limited.stop("wizyta-web")

    # start-up errors
    bad = os.path.join(office.dir, "bad.conf")
    with open(bad, "w") as f:
        f.write("[web]\nlisten = 127.0.0.1:1\nnonsense = 1\n")
    r = subprocess.run([os.path.join(BUILD, "wizyta-web"), "-c", bad], capture_output=True,
                       text=True, timeout=20)
    t.ok(r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1 and "bad.conf" in r.stderr,
         "an unknown key → one line naming the file, exit 1", r.stderr)
    fresh = Office()
    r = subprocess.run([os.path.join(BUILD, "wizyta-web"), "-c", fresh.conf], capture_output=True,
                       text=True, timeout=20)
    t.ok(r.returncode == 1 and "init" in r.stderr and len(r.stderr.strip().splitlines()) == 1,
         "no database schema → one line saying to run init, exit 1", r.stderr)
    fresh.cleanup()
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", office.web_port))
    s.listen(1)
    r = subprocess.run([os.path.join(BUILD, "wizyta-web"), "-c", office.conf], capture_output=True,
                       text=True, timeout=20)
    s.close()
    t.ok(r.returncode == 1 and office.conf in r.stderr and "in use" in r.stderr and
         len(r.stderr.strip().splitlines()) == 1,
         "port in use → one line naming the file, exit 1", r.stderr)
finally:
    office.cleanup()
    if limited is not None:
        limited.cleanup()
t.done()
