#!/usr/bin/python3
"""The waitlist's JSON API and its pages without JavaScript (issue 16, TAP).

- POST /api/v1/waitlist exactly as CONTRACT.md: 201 {"id", "position"},
  409 places_free while a place is free that day (in the window); every
  refusal a stable code naming its field; the per-contact and per-address
  limits; a staff token joins on a citizen's behalf without them;
- GET and leave by reference (a wrong contact is a 404, like an unknown
  reference);
- an admin turns a service's waitlist off and on (PUT /api/v1/admin/
  services/{id} {"waitlist"}), audited;
- staff read the day's line (/api/v1/staff/waitlist, /staff/waitlist),
  take someone off, read the figures; reception and citizens may not;
- the pages: the month calendar links a full day, the day page offers the
  waitlist, the form joins (CSRF, display stamp, every problem at once),
  /w/{ref} shows the place in line and leaves with a POST; the ticket of an
  offer says "held for you until", takes it, and a late click is kind;
- every answer validates against web/api/openapi.json; every page seen
  passes the Nu Html Checker (vnu.jar, as test_citizen.py).
"""
import datetime
import email
import email.policy
import json
import os
import re
import subprocess
import sys
import time

import jsonschema  # Debian python3-jsonschema

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import Client, Office, Tap, hidden, vnu  # noqa: E402

TOP = os.path.abspath(os.environ.get("top_srcdir") or
                      os.path.join(os.path.dirname(__file__), "..", ".."))
t = Tap()
r = subprocess.run(["node", os.path.join(TOP, "tests", "browser", "openapi.js"),
                    os.path.join(TOP, "web", "api", "openapi.json")],
                   cwd=os.path.join(TOP, "tests", "browser"), capture_output=True, text=True, timeout=120)
if not t.ok(r.returncode == 0, "openapi.json passes @apidevtools/swagger-parser", r.stderr):
    t.done()
spec = json.loads(r.stdout)
PASSWORD = "a long password 123"
pages = {}


def draft4(schema):
    """OpenAPI 3.0's nullable as JSON Schema draft 4 says it."""
    if isinstance(schema, dict):
        out = {k: draft4(v) for k, v in schema.items() if k != "nullable"}
        if schema.get("nullable") and "type" in out:
            out["type"] = [out["type"], "null"]
        return out
    if isinstance(schema, list):
        return [draft4(v) for v in schema]
    return schema


def documented(method, path, status, body):
    """Problems of an answer against the document (dereferenced)."""
    for pattern, ops in spec["paths"].items():
        if re.match("^" + re.sub(r"\{[^}]+\}", "[^/]+", pattern) + "$", path.split("?")[0]):
            op = ops.get(method.lower())
            if op is None:
                return ["%s %s not documented" % (method, pattern)]
            doc = op["responses"].get(str(status))
            if doc is None:
                return ["status %d not documented for %s %s" % (status, method, pattern)]
            schema = doc.get("content", {}).get("application/json", {}).get("schema")
            if schema is not None:
                try:
                    jsonschema.Draft4Validator(draft4(schema)).validate(body)
                except jsonschema.ValidationError as e:
                    return ["body: %s" % e.message]
            return []
    return ["path %s not documented" % path]


office = Office(extra={"staff": {"login_rate_limit": "1000"},
                       "waitlist": {"max_per_contact": "2", "max_per_address": "6"}})
tokens = {}


def offer_link(reference):
    """The confirm link of an offer's e-mail, as the citizen reads it."""
    rows = office.sql("SELECT o.payload FROM outbox o JOIN bookings b ON b.id = o.booking_id"
                      " WHERE b.reference = ? AND o.kind = 'waitlist_offer' AND o.channel = 'email'",
                      (reference,))
    if not rows:
        return None
    msg = email.message_from_bytes(rows[0][0], policy=email.policy.default)
    m = re.search(r"(/b/[A-Z0-9]{10}/confirm\?t=[0-9a-f]{16})", msg.get_body(("plain",)).get_content())
    return m.group(1) if m else None


def api(method, path, body=None, who=None):
    headers = {"Authorization": "Bearer " + tokens[who]} if who else None
    status, _, text = office.http(method, path, body, headers=headers)
    data = json.loads(text) if text else None
    problems = documented(method, path, status, data)
    if problems:
        t.ok(False, "%s %s → %d matches openapi.json" % (method, path, status), problems + [data])
    return status, data


try:
    office.start_web(t)
    for login, role in (("kasia", "staff"), ("romek", "reception"), ("adam", "admin")):
        office.cli("operator", "add", login, "--role", role, stdin=PASSWORD + "\n")
        tokens[login] = office.cli("token", "add", login).stdout.strip()
    services = api("GET", "/api/v1/services")[1]
    sv = [s for s in services if s["name"] == "Odbiór prawa jazdy"][0]
    sid = sv["id"]
    day = datetime.date.today() + datetime.timedelta(days=1)
    while day.weekday() > 4:
        day += datetime.timedelta(days=1)
    DAY = day.isoformat()
    slots = api("GET", "/api/v1/services/%d/slots?date=%s" % (sid, DAY))[1]
    desk = slots[0]["desk_id"]
    code, ex = api("POST", "/api/v1/admin/exceptions", {
        "desk_id": desk, "day": DAY, "opens": "10:00", "closes": "10:15", "reason": "Test"}, who="adam")
    t.ok(code == 201, "the desk open 10:00-10:15 that day (three places)", ex)
    person = {"service_id": sid, "date": DAY, "first_name": "Ala", "last_name": "Nowak",
              "email": "ala@example.pl"}

    # ---- refusals, each with its code and field
    code, e = api("POST", "/api/v1/waitlist", person)
    t.ok(code == 409 and e["error"] == "places_free", "places free: 409 places_free", e)
    cases = [
        (dict(person, date="2026-02-30"), 422, "date_invalid", "date"),
        (dict(person, date="2001-01-01"), 422, "day_past", "date"),
        (dict(person, date=(day + datetime.timedelta(days=400)).isoformat()), 422, "outside_horizon", "date"),
        (dict(person, **{"from": "9.00"}), 422, "time_invalid", "from"),
        (dict(person, **{"from": "10:10", "to": "10:00"}), 422, "window_invalid", "to"),
        (dict(person, **{"from": "12:00", "to": "13:00"}), 422, "window_closed", "from"),
        (dict(person, service_id=999999), 422, "unknown_service", "service_id"),
        (dict(person, email="ala@"), 422, "email_invalid", "email"),
        (dict(person, email=None), 422, "contact_missing", "email"),
        (dict(person, first_name=""), 422, "name_missing", "first_name"),
    ]
    for body, status, error, field in cases:
        code, e = api("POST", "/api/v1/waitlist", body)
        t.ok(code == status and e.get("error") == error and e.get("field") == field,
             "%s: %d %s (field %s)" % (error, status, error, field), e)
    code, e = api("POST", "/api/v1/waitlist", {"service_id": "x"})
    t.ok(code == 422 and e["field"] == "service_id", "service_id of another type: 422", e)
    status, _, text = office.http("POST", "/api/v1/waitlist", raw=b"{not json")
    t.ok(status == 400, "not JSON: 400", text)

    # ---- a full day
    holders = {}
    for i, s in enumerate(api("GET", "/api/v1/services/%d/slots?date=%s" % (sid, DAY))[1]):
        code, b = api("POST", "/api/v1/bookings", {"service_id": sid, "start": s["start"],
                                                    "first_name": "Jan", "last_name": "Kowalski",
                                                    "email": "holder%d@example.pl" % i})
        holders[s["start"][11:]] = (b.get("reference", "?"), "holder%d@example.pl" % i)
        t.ok(code == 201, "place %s booked" % s["start"][11:], b)
    code, ala = api("POST", "/api/v1/waitlist", person)
    t.ok(code == 201 and ala["position"] == 1 and isinstance(ala["id"], int) and ala["status"] == "waiting",
         "a full day: 201 {id, position 1}", ala)
    code, e = api("POST", "/api/v1/waitlist", dict(person, first_name="Alicja"))
    t.ok(code == 409 and e["error"] == "already_waiting", "the same e-mail again: 409 already_waiting", e)
    code, e = api("POST", "/api/v1/waitlist", dict(person, email="holder0@example.pl"))
    t.ok(code == 409 and e["error"] == "already_booked", "someone with a visit that day: 409 already_booked", e)
    code, ola = api("POST", "/api/v1/waitlist", dict(person, first_name="Ola", email="ola@example.pl",
                                                     **{"from": "10:05", "to": "10:15"}))
    t.ok(code == 201 and ola["position"] == 2 and ola["from"] == "10:05" and ola["to"] == "10:15",
         "a window: 201, position 2, from and to", ola)
    # per contact (2 lines) and per address (6 joins from 127.0.0.1)
    other = (day + datetime.timedelta(days=1))
    while other.weekday() > 4:
        other += datetime.timedelta(days=1)
    code, e = api("POST", "/api/v1/waitlist", dict(person, date=other.isoformat()))
    t.ok(code == 409 and e["error"] == "places_free", "another day, not full: 409", e)
    code, g = api("GET", "/api/v1/waitlist/" + ala["reference"])
    t.ok(code == 200 and g["position"] == 1 and "email" not in g, "GET by reference: no personal data", g)
    code, e = api("GET", "/api/v1/waitlist/ZZZZZZZZZZ")
    t.ok(code == 404, "an unknown reference: 404", e)
    joined = 2
    for i in range(10):
        code, e = api("POST", "/api/v1/waitlist", dict(person, first_name="Osoba", email="o%d@example.pl" % i))
        if code != 201:
            break
        joined += 1
    t.ok(code == 429 and e["error"] == "too_many_waitlists_address" and joined == 6,
         "the sixth join from one address is the last: 429 too_many_waitlists_address", (joined, e))
    code, e = api("POST", "/api/v1/waitlist", dict(person, first_name="Osoba", email="p@example.pl"),
                  who="kasia")
    t.ok(code == 201 and e["position"] == joined + 1, "a staff token joins on a citizen's behalf, no limit", e)

    # ---- leaving
    code, e = api("POST", "/api/v1/waitlist/%s/leave" % ola["reference"], {"contact": "ala@example.pl"})
    t.ok(code == 404, "leave with another's contact: 404", e)
    code, e = api("POST", "/api/v1/waitlist/%s/leave" % ola["reference"], {"contact": "OLA@example.pl"})
    t.ok(code == 200 and e["status"] == "left" and e["position"] == 0, "leave with her own: 200 left", e)
    code, e = api("POST", "/api/v1/waitlist/%s/leave" % ola["reference"], {"contact": "ola@example.pl"})
    t.ok(code == 200 and e["status"] == "left", "leaving twice is no error", e)

    # ---- staff
    code, line = api("GET", "/api/v1/staff/waitlist?date=" + DAY, who="kasia")
    t.ok(code == 200 and [x["first_name"] for x in line][:2] == ["Ala", "Ola"] and
         line[0]["email"] == "ala@example.pl" and line[0]["offer"] is None,
         "staff read the day's line with contacts", line[:2])
    code, e = api("GET", "/api/v1/staff/waitlist?date=" + DAY, who="romek")
    t.ok(code == 403, "reception may not", e)
    code, e = api("GET", "/api/v1/staff/waitlist?date=" + DAY)
    t.ok(code == 401, "nobody signed in: 401", e)
    code, e = api("GET", "/api/v1/staff/waitlist", who="kasia")
    t.ok(code == 400 and e["field"] == "date", "no date: 400", e)
    code, rep = api("GET", "/api/v1/reports/waitlist?from=%s&to=%s" % (DAY, DAY), who="kasia")
    t.ok(code == 200 and rep["total"]["joined"] == joined + 1 and rep["total"]["left"] == 1,
         "the figures: joined and left", rep)
    code, e = api("GET", "/api/v1/reports/waitlist?from=%s&to=2001-01-01" % DAY, who="kasia")
    t.ok(code == 422 and e["error"] == "range_invalid", "a backwards range: 422", e)
    last = line[-1]["reference"]
    code, e = api("POST", "/api/v1/staff/waitlist/%s/leave" % last, who="kasia")
    t.ok(code == 200 and e["status"] == "left", "staff take someone off", e)
    audit = api("GET", "/api/v1/admin/audit?limit=5", who="adam")[1]
    t.ok(any(a["action"] == "waitlist.leave" and last in a["detail"] for a in audit),
         "…audited (waitlist.leave, the entry's reference, no personal data)", audit[:3])

    # ---- an admin turns the waitlist off and on
    code, s = api("PUT", "/api/v1/admin/services/%d" % sid, {"waitlist": False}, who="adam")
    t.ok(code == 200 and s["waitlist"] is False, "an admin turns the service's waitlist off", s)
    code, e = api("POST", "/api/v1/waitlist", dict(person, email="late@example.pl"))
    t.ok(code == 422 and e["error"] == "no_waitlist" and e["field"] == "service_id",
         "then joining: 422 no_waitlist", e)
    audit = api("GET", "/api/v1/admin/audit?limit=5", who="adam")[1]
    t.ok(any(a["action"] == "service.update" and a["before"] == "true" and a["after"] == "false" and
             "waitlist" in a["detail"] for a in audit), "…audited true → false", audit[:3])
    code, s = api("PUT", "/api/v1/admin/services/%d" % sid, {"waitlist": True}, who="adam")
    t.ok(code == 200 and s["waitlist"] is True, "and on again", s)
    # the hold is a run-time setting (issue 13): 20 minutes from now on
    code, st = api("GET", "/api/v1/admin/settings", who="adam")
    t.ok(code == 200 and st["waitlist_hold"] == "15m" and st["waitlist_max_per_contact"] == 2,
         "the settings name the waitlist's hold (15m) and limits", st)
    code, st = api("PUT", "/api/v1/admin/settings", {"waitlist_hold": "20m"}, who="adam")
    t.ok(code == 200 and st["waitlist_hold"] == "20m", "an admin sets the hold to 20m", st)
    code, e = api("PUT", "/api/v1/admin/settings", {"waitlist_hold": "30s"}, who="adam")
    t.ok(code == 422 and e["field"] == "waitlist_hold", "a hold under a minute: 422 naming it", e)
    # its messages are templates like the others: listed, previewed with
    # the sample's place in line and the hold in force
    kinds = ("waitlist_joined", "waitlist_left", "waitlist_offer", "offer_declined",
             "offer_lapsed", "offer_gone")
    t.ok(all(st["templates"].get(k, {}).get(lang, {}).get("sms") for k in kinds for lang in ("pl", "en")),
         "the settings carry the waitlist's six templates in both languages", sorted(st["templates"]))
    code, pv = api("POST", "/api/v1/admin/templates/preview", {"kind": "waitlist_joined", "lang": "pl"},
                   who="adam")
    t.ok(code == 200 and "w kolejce: 2" in pv["body"] and "godz. 09:00-12:00" in pv["body"]
         and "/leave?t=" in pv["body"] and "20 minut" in pv["body"],
         "a preview of the joined message: place in line, window, the way out, the hold in force", pv)
    code, pv = api("POST", "/api/v1/admin/templates/preview", {"kind": "waitlist_offer", "lang": "en"},
                   who="adam")
    t.ok(code == 200 and "within 20 minutes" in pv["sms"], "…and of the offer, in English", pv)

    # ---- the pages, without JavaScript
    c = Client(office.base)
    st, _, html = c.req("GET", "/services/%d?month=%s" % (sid, DAY[:7]))
    pages["calendar"] = html
    t.ok(st == 200 and ('href="/services/%d/%s" class="full"' % (sid, DAY)) in html,
         "the month calendar links the full day (waitlist)", html[:200])
    st, _, html = c.req("GET", "/services/%d/%s" % (sid, DAY))
    pages["day"] = html
    t.ok(st == 200 and 'href="/services/%d/%s/waitlist"' % (sid, DAY) in html and "Lista oczekujących" in html,
         "the day page offers the waitlist", html[-1500:])
    st, _, form = c.req("GET", "/services/%d/%s/waitlist" % (sid, DAY))
    pages["form"] = form
    t.ok(st == 200 and 'name="from"' in form and "10:05" in form and "20 minut" in form,
         "the form: the window's lists of the day's times, the hold in force (20 minut)", form[-2000:])
    post = {"csrf": hidden(form, "csrf"), "stamp": hidden(form, "stamp"), "first_name": "", "last_name": "",
            "email": "", "phone": "", "from": "10:10", "to": "10:05", "website": ""}
    time.sleep(3.2)  # the form's minimum display time (web/security.h)
    st, _, html = c.req("POST", "/services/%d/%s/waitlist" % (sid, DAY), form=post)
    pages["form-errors"] = html
    t.ok(st == 422 and html.count('<li><a href="#f-') >= 5 and 'id="f-to-error"' in html,
         "every problem at once: names, contact, consent, window", re.findall(r'<li><a href="#f-[^"]*"', html))
    post.update({"first_name": "Ewa", "last_name": "Nowak", "email": "ewa@example.pl", "from": "",
                 "to": "", "consent": "yes", "stamp": hidden(html, "stamp")})
    st, hd, html = c.req("POST", "/services/%d/%s/waitlist" % (sid, DAY), form=post)
    loc = hd.get("location", "")
    t.ok(st == 303 and re.match(r"^/w/[A-Z0-9]{10}\?t=[0-9a-f]{16}&done=joined$", loc), "joined: 303 to /w/REF",
         (st, loc, html[-800:]))
    st, _, page = c.req("GET", loc)
    pages["entry"] = page
    t.ok(st == 200 and '<p class="code">' in page and "Czekasz w kolejce" in page and "ewa@example.pl" in page,
         "/w/REF: the place in line, where the messages go", page[-1500:])
    st, _, wrong = c.req("GET", loc.split("?")[0] + "?t=0000000000000000")
    t.ok(st == 404, "/w/REF with a wrong token: 404", wrong[-300:])
    leave = re.search(r'href="(/w/[^"]*/leave\?t=[^"]*)"', page)
    st, _, ask = c.req("GET", leave.group(1) if leave else "/")
    pages["leave"] = ask
    t.ok(st == 200 and 'action="/w/' in ask, "the leave link asks first (GET changes nothing)", ask[-800:])
    st, hd, _ = c.req("POST", "/w/%s/leave" % loc[3:13], form={"csrf": hidden(ask, "csrf"), "t": hidden(ask, "t")})
    t.ok(st == 303 and "done=left" in hd.get("location", ""), "POST leaves", hd)
    st, _, page = c.req("GET", hd.get("location", "/"))
    pages["left"] = page
    t.ok("Nie ma Cię już na liście oczekujących" in page, "…and the page says so", page[-800:])

    # ---- an offer on its ticket: held until, taken, a late click is kind
    code, e = api("POST", "/api/v1/bookings/%s/cancel" % holders["10:00"][0], {"contact": holders["10:00"][1]})
    t.ok(code == 200, "10:00 is cancelled", e)
    line = api("GET", "/api/v1/staff/waitlist?date=" + DAY, who="kasia")[1]
    offered = [x for x in line if x["status"] == "offered"]
    t.ok(len(offered) == 1 and offered[0]["first_name"] == "Ala" and offered[0]["offer"]["until"],
         "Ala, first in line, holds the offer (until …)", offered)
    held = office.sql("SELECT confirm_by - created_at FROM bookings WHERE reference = ?",
                      (offered[0]["offer"]["reference"],))
    t.ok(held == [(1200,)], "…for the hold in force: 20 minutes", held)
    # the offer's link, as its message gives it
    link = offer_link(offered[0]["offer"]["reference"])
    st, _, ask = c.req("GET", link or "/")
    pages["offer-confirm"] = ask
    t.ok(st == 200 and "Przyjąć zaproponowany termin?" in ask, "the offer's confirm page asks", ask[-600:])
    ticket = link.replace("/confirm", "") if link else "/"
    st, _, tk = c.req("GET", ticket)
    pages["offer-ticket"] = tk
    t.ok(st == 200 and "zarezerwowany dla Ciebie do godziny" in tk and "Zmień termin" not in tk and
         "przekaż dalej" in tk, "the offer's ticket: held until, take or pass on, no 'change time'", tk[-1500:])
    st, hd, _ = c.req("POST", (link or "/").split("?")[0],
                      form={"csrf": hidden(ask, "csrf"), "t": hidden(ask, "t")})
    t.ok(st == 303 and "done=confirmed" in hd.get("location", ""), "Przyjmuję: booked", hd)
    code, g = api("GET", "/api/v1/waitlist/" + ala["reference"])
    t.ok(g["status"] == "booked", "Ala's entry: booked", g)
    # an offer to the next, cancelled by staff; its late confirm
    api("POST", "/api/v1/bookings/%s/cancel" % holders["10:05"][0], {"contact": holders["10:05"][1]})
    line = api("GET", "/api/v1/staff/waitlist?date=" + DAY, who="kasia")[1]
    nxt = [x for x in line if x["status"] == "offered"][0]
    code, e = api("POST", "/api/v1/bookings/%s/status" % nxt["offer"]["reference"],
                  {"status": "cancelled"}, who="kasia")
    t.ok(code == 200, "staff cancel the next offer", e)
    link = offer_link(nxt["offer"]["reference"]) or "/?t="
    st, _, page = c.req("POST", link.split("?")[0],
                        form={"csrf": c.cookie("csrf") or "", "t": link.split("t=")[1]})
    t.ok(st == 409 and "nie czeka już na Ciebie" in page, "a late click on an offer: the kind 409 page", page[-800:])
    pages["offer-gone"] = page
    st, _, pages["form-en"] = c.req("GET", "/services/%d/%s/waitlist?lang=en" % (sid, DAY))
    st, _, page = c.req("GET", "/staff/waitlist?date=" + DAY)
    t.ok(st == 303, "the staff page needs signing in", st)
    staff = Client(office.base)
    st, _, login = staff.req("GET", "/staff/login")
    staff.req("POST", "/staff/login", form={"csrf": hidden(login, "csrf"), "login": "kasia",
                                            "password": PASSWORD})
    st, _, pages["staff"] = staff.req("GET", "/staff/waitlist?date=" + DAY)
    t.ok(st == 200 and "Lista oczekujących" in pages["staff"], "the staff page, signed in", st)
    admin = Client(office.base)
    st, _, login = admin.req("GET", "/staff/login")
    admin.req("POST", "/staff/login", form={"csrf": hidden(login, "csrf"), "login": "adam",
                                            "password": PASSWORD})
    st, _, html = admin.req("GET", "/admin/templates")
    t.ok(st == 200 and all('href="/admin/templates/%s/pl"' % k in html for k in kinds)
         and "Zwolniony termin dla osoby z listy" in html,
         "the admin's templates page lists the waitlist's messages by name", html[-3000:])
    st, _, html = admin.req("GET", "/admin/templates/waitlist_offer/pl")
    t.ok(st == 200 and "{position}" in html and "miejsce w kolejce" in html,
         "the editor lists the waitlist's variables with what they mean", st)
    t.ok("i18n: missing key" not in office.log("wizyta-web"), "no text missing on any page",
         [ln for ln in office.log("wizyta-web").splitlines() if "missing key" in ln][:5])

    # ---- the Nu Html Checker on every page seen ----
    clean, report = vnu(pages, warnings=False)
    t.ok(clean, "vnu: %d waitlist pages without an error" % len(pages), report)
finally:
    office.cleanup()
t.done()
