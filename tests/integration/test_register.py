#!/usr/bin/python3
"""The booking register (issue 11, *Rejestr rezerwacji*) against a real
wizyta-web and wizytad at a chosen clock (TAP).

The office runs at Monday 2026-12-07 09:00 (libfaketime). Staff book on
citizens' behalf over the API (unconfirmed and confirmed at once, beyond
the citizens' limits on unconfirmed bookings, under the same slot rules),
citizens book over the public API; then the register is searched by every
filter of the seed, alone and together, free text as CONTRACT's q, paged
by keyset through the Link header forward and back; a visit is moved
(the old place free at once, 409 when the new one is taken, the citizen's
notice in the maildir), cancelled with a reason (the citizen reads it),
annotated; the conversation API lists it all in time order. Then the
same through the pages, as a browser without JavaScript would: the
search form, paging links, confirm ✔, cancel 🗑 with its reason,
annotation 💬, Nowa rezerwacja, the move page, the booking's page with
its conversation. Roles: reception may not open any of it.
"""
import email
import email.policy
import json
import os
import re
import subprocess
import sys
import urllib.parse

import jsonschema  # Debian python3-jsonschema

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import Client, Office, Tap, faketime, hidden, wait_for  # noqa: E402

t = Tap()
NOW = "@2026-12-07 09:00:00"
TUE, WED, THU = "2026-12-08", "2026-12-09", "2026-12-10"
PASSWORD = "a long password 123"

office = Office(extra={
    "staff": {"login_rate_limit": "1000"},
    # the citizens' limits on; staff are not held to them
    "booking": {"max_pending_per_address": "2"},
})


TOP = os.path.abspath(os.environ.get("top_srcdir") or
                      os.path.join(os.path.dirname(__file__), "..", ".."))
spec_run = subprocess.run(["node", os.path.join(TOP, "tests", "browser", "openapi.js"),
                           os.path.join(TOP, "web", "api", "openapi.json")],
                          cwd=os.path.join(TOP, "tests", "browser"), capture_output=True, text=True,
                          timeout=120)
SPEC = json.loads(spec_run.stdout) if spec_run.returncode == 0 else None


def draft4(schema):
    """OpenAPI 3.0's nullable as JSON Schema draft 4 says it."""
    if isinstance(schema, list):
        return [draft4(x) for x in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: draft4(v) for k, v in schema.items() if k != "nullable"}
    if schema.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        if "enum" in out and None not in out["enum"]:
            out["enum"] = out["enum"] + [None]
        if "type" not in out:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


def documented(method, pattern, status, body):
    """Problems of an answer against the OpenAPI document ("" when none)."""
    if SPEC is None:
        return "openapi.json does not validate: " + spec_run.stderr
    doc = SPEC["paths"].get(pattern, {}).get(method.lower(), {}).get("responses", {}).get(str(status))
    if doc is None:
        return "status %d not documented for %s %s" % (status, method, pattern)
    schema = doc.get("content", {}).get("application/json", {}).get("schema")
    try:
        if schema is not None:
            jsonschema.Draft4Validator(draft4(schema)).validate(body)
    except jsonschema.ValidationError as e:
        return "%s at %s" % (e.message, list(e.absolute_path))
    return ""


def link_of(headers, rel):
    for part in (headers.get("Link") or headers.get("link") or "").split(","):
        m = re.match(r'\s*<([^>]+)>;\s*rel="%s"' % rel, part)
        if m:
            return m.group(1)
    return None


try:
    office.cli("init")
    office.cli("demo")
    tokens = {}
    for login, role in (("basia", "staff"), ("celina", "reception")):
        office.cli("operator", "add", login, "--role", role, stdin=PASSWORD + "\n")
        tokens[login] = office.cli("token", "add", login).stdout.strip()
    office.start("wizyta-web", "wizyta-web", env=faketime(NOW))
    office.start("wizytad", "wizytad", env=faketime(NOW))
    if not t.ok(office.wait_port(office.web_port), "wizyta-web starts at " + NOW,
                office.log("wizyta-web")):
        t.done()
    STAFF = {"Authorization": "Bearer " + tokens["basia"]}
    RECEPTION = {"Authorization": "Bearer " + tokens["celina"]}

    def staff(method, path, body=None):
        return office.api(method, path, body, headers=STAFF)

    def search(query):
        return office.http("GET", "/api/v1/staff/bookings?" + query, headers=STAFF)

    def refs_of(query):
        code, _, text = search(query)
        rows = json.loads(text) if code == 200 else []
        return code, [r["reference"] for r in rows], rows

    services = office.api("GET", "/api/v1/services")[1]
    sid = [s for s in services if s["name"] == "Rejestracja pojazdu"][0]["id"]

    def free(day, service=sid):
        return office.api("GET", "/api/v1/services/%d/slots?date=%s" % (service, day))[1]

    # ---- booking on a citizen's behalf (API)
    people = [("Łukasz", "Żak", "lukasz.zak@example.pl", "600 100 201"),
              ("Anna", "Zając", "Anna.Zajac@Example.PL", None),
              ("Jan", "Kowalski", "jan.kowalski@example.pl", "+48 601 000 111"),
              ("Janina", "Kowalska", None, "602000222"),
              ("Ewa", "Nowak", "ewa@example.pl", None),
              ("Zbigniew", "Wójcik", "zw@example.pl", "603 000 333")]
    made = {}
    tue = free(TUE)
    # two desks serve the service: two people at each time
    starts = sorted({s["start"] for s in tue})
    for i, (first, last, mail, phone) in enumerate(people):
        body = {"service_id": sid, "start": starts[i // 2], "first_name": first,
                "last_name": last, "confirmed": i % 2 == 0}
        if mail:
            body["email"] = mail
        if phone:
            body["phone"] = phone
        code, b = staff("POST", "/api/v1/bookings", body)
        made[last] = b
    t.ok(all(b.get("reference") for b in made.values()), "staff book six citizens (201)", made)
    t.ok([made[p[1]]["status"] for p in people] == ["booked", "pending"] * 3 and
         all(len(made[p[1]].get("access_code", "")) == 6 for p in people[::2]),
         "\"confirmed\": true is booked at once, with its access code; the others wait", made)
    # beyond the citizens' limit on unconfirmed bookings from one address (2)
    t.ok(sum(1 for b in made.values() if b["status"] == "pending") == 3,
         "staff are not held to max_pending_per_address (3 unconfirmed from one address)")
    code, err = staff("POST", "/api/v1/bookings", {
        "service_id": sid, "start": starts[0], "first_name": "X", "last_name": "Y",
        "email": "x@example.pl"})
    t.ok(code == 409 and err["error"] == "slot_taken", "but the same slot rules: a taken slot → 409", err)
    code, err = staff("POST", "/api/v1/bookings", {
        "service_id": sid, "start": "2026-12-07T08:00", "first_name": "X", "last_name": "Y",
        "email": "x@example.pl"})
    t.ok(code == 422 and err["error"] == "slot_in_past", "a time gone by → 422 slot_in_past", err)
    code, err = office.api("POST", "/api/v1/bookings", {
        "service_id": sid, "start": tue[20]["start"], "first_name": "X", "last_name": "Y",
        "email": "x@example.pl", "confirmed": True})
    t.ok(code == 403 and err["error"] == "forbidden", "a citizen cannot book \"confirmed\" → 403", err)
    code, err = staff("POST", "/api/v1/bookings", {
        "service_id": sid, "start": tue[20]["start"], "first_name": "X", "last_name": "Y",
        "email": "x@example.pl", "confirmed": "yes"})
    t.ok(code == 422 and err.get("field") == "confirmed", "\"confirmed\" must be a boolean → 422", err)

    # citizens book through the public API (source api), on other days
    wed = free(WED)
    for i, last in enumerate(("Pierwszy", "Drugi")):
        code, b = office.api("POST", "/api/v1/bookings", {
            "service_id": sid, "start": wed[i]["start"], "first_name": "Adam", "last_name": last,
            "email": "adam@example.pl"})
        made[last] = b
    code, err = office.api("POST", "/api/v1/bookings", {
        "service_id": sid, "start": wed[5]["start"], "first_name": "Adam", "last_name": "Trzeci",
        "email": "adam@example.pl"})
    t.ok(code == 429 and err["error"] == "too_many_pending_address",
         "a citizen's third unconfirmed booking from one address → 429", err)

    # ---- who may search
    code, _, _ = office.http("GET", "/api/v1/staff/bookings")
    t.ok(code == 401, "the register without credentials → 401")
    code, _, _ = office.http("GET", "/api/v1/staff/bookings", headers=RECEPTION)
    t.ok(code == 403, "reception may not search the register → 403")

    # ---- CONTRACT's call and its fields
    code, refs, rows = refs_of("date=%s" % TUE)
    t.ok(code == 200 and len(rows) == 6, "date=%s: the six visits of Tuesday" % TUE, rows)
    want = {"reference", "status", "start", "desk", "desk_id", "service", "service_id",
            "first_name", "last_name", "email", "phone", "access_code", "note"}
    t.ok(rows and all(want <= set(r) for r in rows),
         "each row has CONTRACT's fields", rows[0] if rows else None)
    t.ok([r["start"] for r in rows] == sorted(r["start"] for r in rows),
         "in time order", [r["start"] for r in rows])
    code, refs, rows = refs_of("date=%s&status=booked" % TUE)
    t.ok(sorted(r["last_name"] for r in rows) == ["Kowalski", "Nowak", "Żak"], "…&status=booked", rows)
    code, refs, rows = refs_of("q=kowal")
    t.ok([r["last_name"] for r in rows] == ["Kowalski", "Kowalska"],
         "q=kowal: a surname prefix", [r["last_name"] for r in rows])
    code, refs, rows = refs_of("q=" + urllib.parse.quote("łukasz żak"))
    t.ok([r["last_name"] for r in rows] == ["Żak"], "q=łukasz żak: first and last name", rows)
    code, refs, rows = refs_of("q=lukasz")
    t.ok([r["last_name"] for r in rows] == ["Żak"], "q=lukasz: diacritics optional", rows)
    code, refs, rows = refs_of("q=" + made["Kowalski"]["access_code"])
    t.ok(refs == [made["Kowalski"]["reference"]], "q=<access code>", rows)
    code, refs, rows = refs_of("q=" + made["Zając"]["reference"].lower())
    t.ok(refs == [made["Zając"]["reference"]], "q=<reference> (any case)", rows)
    code, refs, rows = refs_of("q=" + urllib.parse.quote("602-000-222"))
    t.ok(refs == [made["Kowalska"]["reference"]], "q=<phone, any form>", rows)
    code, refs, rows = refs_of("q=anna.zajac%40")
    t.ok(refs == [made["Zając"]["reference"]], "q=<e-mail prefix, any case>", rows)

    # ---- every filter of the seed
    code, refs, rows = refs_of("first_name=jan")
    t.ok(sorted(r["last_name"] for r in rows) == ["Kowalska", "Kowalski"], "Imię (first_name=jan)", rows)
    code, refs, rows = refs_of("last_name=" + urllib.parse.quote("WÓJ"))
    t.ok([r["last_name"] for r in rows] == ["Wójcik"], "Nazwisko (last_name=WÓJ)", rows)
    code, refs, rows = refs_of("code=" + made["Żak"]["access_code"])
    t.ok(refs == [made["Żak"]["reference"]], "Kod dostępu", rows)
    code, refs, rows = refs_of("service_id=%d&from=%s&to=%s" % (sid, TUE, WED))
    t.ok(len(rows) == 8, "Usługa + Przedział dat (Tuesday to Wednesday)", len(rows))
    code, refs, rows = refs_of("from=%s&to=%s" % (WED, WED))
    t.ok(sorted(r["last_name"] for r in rows) == ["Drugi", "Pierwszy"], "Przedział dat (one day)", rows)
    code, refs, rows = refs_of("desk_id=%d" % rows[0]["desk_id"] if rows else "desk_id=1")
    t.ok(code == 200 and rows and len({r["desk_id"] for r in rows}) == 1, "Punkt obsługi", rows)
    code, refs, rows = refs_of("email=ewa%40example")
    t.ok([r["last_name"] for r in rows] == ["Nowak"], "Email (a prefix)", rows)
    code, refs, rows = refs_of("phone=" + urllib.parse.quote("+48 603 000 333"))
    t.ok([r["last_name"] for r in rows] == ["Wójcik"], "Telefon (any form, exactly)", rows)
    code, refs, rows = refs_of("status=pending")
    t.ok(sorted(r["last_name"] for r in rows) == ["Drugi", "Kowalska", "Pierwszy", "Wójcik", "Zając"],
         "Status rezerwacji", sorted(r["last_name"] for r in rows))
    code, refs, rows = refs_of("source=staff")
    t.ok(len(rows) == 6 and all(r["source"] == "staff" for r in rows), "Rodzaj rezerwacji: staff", rows)
    code, refs, rows = refs_of("source=api")
    t.ok(sorted(r["last_name"] for r in rows) == ["Drugi", "Pierwszy"], "Rodzaj rezerwacji: api", rows)
    code, refs, rows = refs_of("schedule=yes")
    t.ok(len(rows) == 8 and all(r["schedule_ok"] for r in rows),
         "Rezerwacja zgodna z terminarzem: all eight fit the calendar", rows)
    code, refs, rows = refs_of("schedule=no")
    t.ok(code == 200 and rows == [], "none is outside it", rows)
    code, refs, rows = refs_of("first_name=jan&status=booked&source=staff&from=%s&to=%s" % (TUE, TUE))
    t.ok([r["last_name"] for r in rows] == ["Kowalski"], "filters together", rows)
    for query, field in (("date=8.12.2026", "date"), ("status=gone", "status"), ("limit=0", "limit"),
                         ("schedule=maybe", "schedule"), ("service_id=x", "service_id"),
                         ("desk_id=99999999999999999999", "desk_id")):
        code, _, text = search(query)
        t.ok(code == 400 and field in text, "%s → 400 naming it" % query, (code, text))
    for query, err in (("code=12ab", "code_invalid"), ("phone=12", "phone_invalid"),
                       ("from=%s&to=%s" % (WED, TUE), "range_invalid"), ("after=zzz", "cursor_invalid"),
                       ("source=fax", "source_invalid")):
        code, _, text = search(query)
        t.ok(code == 422 and err in text, "%s → 422 %s" % (query, err), (code, text))

    # ---- keyset pages through the Link header, forward and back
    seen, pages, url = [], 0, "/api/v1/staff/bookings?limit=3"
    while url and pages < 10:
        code, headers, text = office.http("GET", url, headers=STAFF)
        seen += [r["reference"] for r in json.loads(text)]
        last_headers = headers
        url = link_of(headers, "next")
        pages += 1
    code, all_refs, _ = refs_of("limit=500")
    t.ok(seen == all_refs and pages == 3, "limit=3: three pages via rel=next, the same rows in order",
         (pages, seen, all_refs))
    back = link_of(last_headers, "prev")
    code, headers, text = office.http("GET", back, headers=STAFF)
    t.ok(code == 200 and [r["reference"] for r in json.loads(text)] == all_refs[3:6] and
         "after=" in (link_of(headers, "next") or "") and "before=" in (link_of(headers, "prev") or ""),
         "rel=prev from the last page: the middle page again, with both links", (back, text))

    # ---- moving a visit (CONTRACT: reschedule)
    zak = made["Żak"]
    code, moved = staff("POST", "/api/v1/bookings/%s/reschedule" % zak["reference"],
                        {"start": THU + "T10:00"})
    t.ok(code == 200 and moved["start"] == THU + "T10:00" and moved["status"] == "booked" and
         moved["reference"] == zak["reference"] and moved["move"]["answer"] == "asked",
         "reschedule → 200 at the new time, still booked, the answer awaited", moved)
    t.ok(any(s["start"] == zak["start"] for s in free(TUE)),
         "the old place is free at once", zak["start"])
    code, err = staff("POST", "/api/v1/bookings/%s/reschedule" % made["Kowalski"]["reference"],
                      {"start": THU + "T10:00", "desk_id": moved["desk_id"]})
    t.ok(code == 409 and err["error"] == "slot_taken" and isinstance(err.get("alternatives"), list),
         "into the taken place → 409 slot_taken, with the nearest free times", err)
    code, err = staff("POST", "/api/v1/bookings/%s/reschedule" % zak["reference"], {"start": "jutro"})
    t.ok(code == 422 and err["error"] == "start_invalid", "a start that is no time → 422", err)
    code, err = staff("POST", "/api/v1/bookings/%s/reschedule" % zak["reference"],
                      {"start": THU + "T10:00"})
    t.ok(code == 409 and err["error"] == "same_place", "to where it already is → 409 same_place", err)
    code, err = staff("POST", "/api/v1/bookings/ZZZZZZZZZZ/reschedule", {"start": THU + "T11:00"})
    t.ok(code == 404, "an unknown booking → 404", err)
    code, err = office.api("POST", "/api/v1/bookings/%s/reschedule" % zak["reference"],
                           {"start": THU + "T11:00"}, headers=RECEPTION)
    t.ok(code == 403, "reception may not move visits → 403", err)
    code, refs, rows = refs_of("q=" + zak["reference"])
    t.ok(rows and rows[0]["move"]["answer"] == "asked", "the register shows the move awaiting an answer", rows)

    def maildir_with(needle):
        for m in office.outbox_files():
            if needle.encode() in m:
                return m
        return None
    mail = wait_for(lambda: maildir_with("Nowy termin: czwartek, 10 grudnia 2026, 10:00"), 20)
    t.ok(mail is not None and b"TAK" in mail and b"NIE" in mail,
         "the citizen's e-mail: the new time, TAK keeps it, NIE cancels", office.log("wizytad"))
    sms = wait_for(lambda: [s for s in office.spool_files() if zak["reference"] in s and "10:00" in s], 20)
    t.ok(sms and "TAK" in sms[0] and "NIE" in sms[0], "and the SMS, on the channels they booked with", sms)

    # ---- cancel with a reason; annotate
    nowak = made["Nowak"]
    code, b = staff("POST", "/api/v1/bookings/%s/status" % nowak["reference"],
                    {"status": "cancelled", "reason": "Urzędnik prowadzący sprawę choruje"})
    t.ok(code == 200 and b["status"] == "cancelled", "cancel with a reason → 200", b)
    mail = wait_for(lambda: maildir_with("Pow=C3=B3d: Urz=C4=99dnik") or
                    maildir_with("Powód: Urzędnik"), 20)
    t.ok(mail is not None, "the citizen reads the reason in the cancellation", office.outbox_files()[-1:])
    code, err = staff("POST", "/api/v1/bookings/%s/status" % made["Kowalska"]["reference"],
                      {"status": "booked", "reason": "x"})
    t.ok(code == 422 and err["error"] == "reason_not_cancel", "a reason without cancelling → 422", err)
    code, err = staff("POST", "/api/v1/bookings/%s/status" % made["Kowalska"]["reference"],
                      {"status": "cancelled", "reason": "x" * 201})
    t.ok(code == 422 and err["error"] == "reason_too_long", "a reason over 200 bytes → 422", err)
    code, n = staff("POST", "/api/v1/bookings/%s/notes" % zak["reference"], {"text": "Prosi o telefon"})
    t.ok(code == 201, "a note → 201", n)

    # ---- the conversation
    code, talk = staff("GET", "/api/v1/bookings/%s/messages" % zak["reference"])
    t.ok(code == 200 and all({"direction", "channel", "kind", "status", "at", "text"} <= set(m) for m in talk),
         "messages: CONTRACT's fields on every entry", talk[:2])
    kinds = [(m["direction"], m["kind"], m["channel"]) for m in talk]
    t.ok(kinds[0] == ("staff", "create", None) and ("staff", "confirm", None) in kinds and
         ("out", "access_code", "email") in kinds and ("out", "access_code", "sms") in kinds and
         ("staff", "reschedule", None) in kinds and ("out", "moved", "email") in kinds and
         ("out", "moved", "sms") in kinds and kinds[-1] == ("staff", "note", None),
         "in time order: created, confirmed, the code, the move and its notices, the note", kinds)
    t.ok([m["unix"] for m in talk] == sorted(m["unix"] for m in talk), "ordered by time",
         [m["at"] for m in talk])
    sent = [m for m in talk if m["direction"] == "out"]
    t.ok(wait_for(lambda: all(m["status"] in ("sent", "delivered") for m in
                              staff("GET", "/api/v1/bookings/%s/messages" % zak["reference"])[1]
                              if m["direction"] == "out"), 20),
         "with their delivery status (sent by wizytad)", sent)
    code, err = staff("GET", "/api/v1/bookings/ZZZZZZZZZZ/messages")
    t.ok(code == 404, "an unknown booking's conversation → 404", err)
    code, _, _ = office.http("GET", "/api/v1/bookings/%s/messages" % zak["reference"], headers=RECEPTION)
    t.ok(code == 403, "reception may not read conversations → 403")

    # ---- every answer above as web/api/openapi.json documents it
    checks = []
    code, _, text = search("limit=3")
    checks.append(("GET", "/api/v1/staff/bookings", code, json.loads(text)))
    code, _, text = search("code=12ab")
    checks.append(("GET", "/api/v1/staff/bookings", code, json.loads(text)))
    code, body = staff("GET", "/api/v1/bookings/%s/messages" % zak["reference"])
    checks.append(("GET", "/api/v1/bookings/{reference}/messages", code, body))
    code, body = staff("POST", "/api/v1/bookings/%s/reschedule" % zak["reference"],
                       {"start": THU + "T10:15"})
    checks.append(("POST", "/api/v1/bookings/{reference}/reschedule", code, body))
    moved = body  # where Żak's visit is now
    code, body = staff("POST", "/api/v1/bookings/%s/reschedule" % made["Kowalski"]["reference"],
                       {"start": THU + "T10:15", "desk_id": body.get("desk_id", 1)})
    checks.append(("POST", "/api/v1/bookings/{reference}/reschedule", code, body))
    code, body = staff("POST", "/api/v1/bookings", {
        "service_id": sid, "start": free(THU)[-1]["start"], "first_name": "Olga",
        "last_name": "Otwarta", "email": "olga@example.pl", "confirmed": True})
    checks.append(("POST", "/api/v1/bookings", code, body))
    code, body = staff("POST", "/api/v1/bookings/%s/status" % body.get("reference", "x"),
                       {"status": "cancelled", "reason": "Test"})
    checks.append(("POST", "/api/v1/bookings/{reference}/status", code, body))
    for method, pattern, code, body in checks:
        problem = documented(method, pattern, code, body)
        t.ok(problem == "", "as documented: %s %s → %d" % (method, pattern, code), problem)

    # ---- the pages, as a browser without JavaScript
    c = Client(office.base)
    code, h, html = c.req("GET", "/staff/login")
    c.req("POST", "/staff/login", {"csrf": hidden(html, "csrf"), "login": "basia",
                                   "password": PASSWORD, "next": "/staff"})
    code, h, html = c.req("GET", "/staff/register")
    t.ok(code == 200 and "Rejestr rezerwacji" in html and "Rezerwacja zgodna z terminarzem" in html and
         "Rodzaj rezerwacji" in html and "Przedział dat" in html,
         "the register page: the seed's search fields", code)
    heads = re.findall(r'<th scope="col">(.*?)</th>', html)
    t.ok([re.sub(r"<[^>]+>", "", x).strip() for x in heads] ==
         ["Data", "Godzina", "Kod dostępu", "Imię i nazwisko", "Email/telefon", "Usługa",
          "Punkt obsługi", "Status", "Potwierdź", "Adnotacja", "Usuń"],
         "the seed's columns (and the status)", heads)
    t.ok('<caption id="register-caption">' in html and
         re.search(r'<svg class="icon" aria-hidden="true" focusable="false"><use href="#i-trash">', html) and
         'class="visually-hidden">Potwierdź rezerwację: Anna Zając' in html,
         "a caption, the icons (✔ 💬 🗑) hidden from screen readers, buttons named for the person",
         html[:200])
    code, h, html = c.req("GET", "/staff/register?last_name=kowal")
    t.ok(code == 200 and "Jan Kowalski" in html and "Janina Kowalska" in html and "Anna Zając" not in html,
         "the form searches (Nazwisko)", code)
    code, h, html = c.req("GET", "/staff/register?limit=2&from=" + TUE)
    nxt = re.search(r'<a href="([^"]+)" rel="next">', html)
    t.ok(nxt is not None and "after=" in nxt.group(1), "a next page link (keyset)", html[-600:])
    code, h, html2 = c.req("GET", nxt.group(1).replace("&amp;", "&") if nxt else "/")
    prv = re.search(r'<a href="([^"]+)" rel="prev">', html2)
    t.ok(code == 200 and prv is not None, "and from there a previous page link", code)
    code, h, html3 = c.req("GET", prv.group(1).replace("&amp;", "&") if prv else "/")
    names = lambda x: re.findall(r'<th scope="row"><a[^>]*>([^<]+)</a>', x)
    t.ok(names(html3) == names(html), "back to the same first page", (names(html3), names(html)))
    code, h, html = c.req("GET", "/staff/register?date=bad")
    t.ok(code == 400 and 'role="alert"' in html, "a bad date: 400, said in words", code)
    code, h, html = c.req("GET", "/staff/register?from=2026-12-09&to=2026-12-08")
    t.ok(code == 422 and "Sprawdź zakres dat" in html, "a reversed range: 422, the same words as the reports'", code)

    # confirm ✔ from a row
    zajac = made["Zając"]
    code, h, html = c.req("GET", "/staff/register?q=" + zajac["reference"])
    form = re.search(r'action="/staff/register/%s/confirm".*?name="back" value="([^"]+)"' %
                     zajac["reference"], html, re.S)
    code, h, _ = c.req("POST", "/staff/register/%s/confirm" % zajac["reference"],
                       {"csrf": hidden(html, "csrf"), "back": form.group(1).replace("&amp;", "&")})
    t.ok(code == 303 and "done=confirmed" in h.get("location", "") and
         office.api("GET", "/api/v1/bookings/" + zajac["reference"])[1]["status"] == "booked",
         "Potwierdź ✔: booked, back to the same search", h.get("location"))
    code, h, html = c.req("GET", h.get("location"))
    t.ok('role="status"' in html and "potwierdzona" in html, "with what happened", code)
    code, h, _ = c.req("POST", "/staff/register/%s/confirm" % zajac["reference"], {"csrf": "0" * 32})
    t.ok(code == 400, "without the CSRF field: refused", code)

    # cancel 🗑 with a reason
    kowalska = made["Kowalska"]
    code, h, html = c.req("GET", "/staff/register/%s/cancel?back=%%2Fstaff%%2Fregister" % kowalska["reference"])
    t.ok(code == 200 and "Powód" in html and "SMS" in html, "Usuń 🗑: asks for the reason, says the SMS goes", code)
    code, h, html2 = c.req("POST", "/staff/register/%s/cancel" % kowalska["reference"],
                           {"csrf": hidden(html, "csrf"), "back": "/staff/register", "reason": "x" * 300})
    t.ok(code == 422 and "200" in html2, "a reason too long: said beside it", code)
    code, h, _ = c.req("POST", "/staff/register/%s/cancel" % kowalska["reference"],
                       {"csrf": hidden(html, "csrf"), "back": "//evil.example/",
                        "reason": "Zmiana grafiku"})
    t.ok(code == 303 and h.get("location", "").startswith("/staff/register?done=cancelled"),
         "cancelled; a foreign 'back' is not followed", h.get("location"))
    sms = wait_for(lambda: [s for s in office.spool_files() if kowalska["reference"] in s and
                            "Zmiana grafiku" in s], 20)
    t.ok(sms, "the citizen's SMS carries the reason", office.spool_files()[-2:])

    # annotate 💬
    code, h, html = c.req("GET", "/staff/register/" + kowalska["reference"])
    code, h, _ = c.req("POST", "/staff/register/%s/note" % kowalska["reference"],
                       {"csrf": hidden(html, "csrf"), "text": "Oddzwonić w piątek",
                        "back": "/staff/register/%s#note" % kowalska["reference"]})
    t.ok(code == 303 and "done=noted" in h.get("location", ""), "Adnotacja 💬: saved", h.get("location"))
    code, h, html = c.req("GET", h.get("location").split("#")[0])
    t.ok("Oddzwonić w piątek" in html, "and shown", code)

    # the booking's page: the conversation in one click
    t.ok("Rozmowa z interesantem" in html and "Zmiana grafiku" in html and
         "odwołanie" in html and '<table class="data talk">' in html,
         "the booking's page: its conversation, the staff action with the reason", code)

    # Nowa rezerwacja
    code, h, html = c.req("GET", "/staff/register/new")
    t.ok(code == 200 and "Nowa rezerwacja" in html and 'name="service_id"' in html, "Nowa rezerwacja: pick a service", code)
    code, h, html = c.req("GET", "/staff/register/new?service_id=%d&date=%s" % (sid, WED))
    slot = re.search(r'name="slot" value="([^"]+)"', html)
    t.ok(code == 200 and slot and slot.group(1).startswith(WED + "T"), "the day's free times as choices",
         html[-400:])
    form = {"csrf": hidden(html, "csrf"), "service_id": str(sid), "date": WED, "slot": slot.group(1),
            "first_name": "Teresa", "last_name": "Telefoniczna", "phone": "604 000 444",
            "language": "pl", "confirmed": "1"}
    code, h, _ = c.req("POST", "/staff/register/new", dict(form, first_name="", phone="12"))
    t.ok(code == 422, "missing name and a bad phone: 422, every problem at once", code)
    code, h, html = c.req("POST", "/staff/register/new", dict(form, first_name="", phone="12"))
    t.ok(html.count("<li><a href=\"#f-") >= 2, "listed in the summary", html[:300])
    code, h, _ = c.req("POST", "/staff/register/new", form)
    ref = re.search(r"/staff/register/([A-Z0-9]+)\?done=created_booked", h.get("location", ""))
    t.ok(code == 303 and ref, "booked on the citizen's behalf, confirmed at once", h.get("location"))
    b = office.api("GET", "/api/v1/bookings/" + (ref.group(1) if ref else "x"))[1]
    t.ok(b.get("status") == "booked", "booked", b)
    code, h, _ = c.req("POST", "/staff/register/new", form)
    t.ok(code == 409, "the same slot again: 409, the form comes back", code)
    code, refs, rows = refs_of("q=telefoniczna")
    t.ok(rows and rows[0]["source"] == "staff" and len(rows[0]["access_code"]) == 6,
         "the register lists it as a staff booking with its code", rows)
    t.ok(wait_for(lambda: [s for s in office.spool_files() if rows and rows[0]["access_code"] in s], 20),
         "the access code goes to the citizen", office.spool_files()[-1:])

    # the move page
    kow = made["Kowalski"]
    code, h, html = c.req("GET", "/staff/register/%s/move?date=%s" % (kow["reference"], THU))
    slot = re.search(r'name="slot" value="([^"]+)"', html)
    t.ok(code == 200 and slot and "Obecny termin" in html and "e-mail" in html, "the move page: free times", code)
    code, h, _ = c.req("POST", "/staff/register/%s/move" % kow["reference"],
                       {"csrf": hidden(html, "csrf"), "date": THU,
                        "slot": "%s@%d" % (moved["start"], moved["desk_id"])})
    t.ok(code == 409, "into a taken place: 409, said on the page", code)
    code, h, _ = c.req("POST", "/staff/register/%s/move" % kow["reference"],
                       {"csrf": hidden(html, "csrf"), "date": THU, "slot": slot.group(1)})
    t.ok(code == 303 and "done=moved" in h.get("location", ""), "moved", h.get("location"))
    code, h, html = c.req("GET", h.get("location"))
    t.ok("czeka na odpowiedź" in html and "Urząd zmienił termin wizyty" in html,
         "its page: awaiting the answer, the notice in the conversation", code)

    # the citizen keeps the new time with the ticket page's button
    def ticket_link(ref):
        for raw in reversed(office.outbox_files()):
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            if ref in str(msg["Subject"]) and "zmienił" in str(msg["Subject"]):
                m = re.search(r"(/b/%s\?t=[0-9a-f]+)" % ref, msg.get_body(("plain",)).get_content())
                return m.group(1) if m else None
        return None
    link = wait_for(lambda: ticket_link(kow["reference"]), 20)
    citizen = Client(office.base)
    code, h, html = citizen.req("GET", link or "/")
    t.ok(code == 200 and "Nowy termin mi pasuje" in html,
         "the citizen's ticket: the office moved the visit, a button keeps it", code)
    token = link.split("t=")[1] if link else ""
    form = {"csrf": hidden(html, "csrf"), "t": token}
    code, h, _ = citizen.req("POST", "/b/%s/keep" % kow["reference"], form)
    t.ok(code == 303 and "done=kept" in h.get("location", ""), "kept: back to the ticket, thanked",
         h.get("location"))
    code, refs, rows = refs_of("q=" + kow["reference"])
    t.ok(rows and rows[0]["move"]["answer"] == "kept", "the register: kept (the link)", rows)
    code, h, _ = citizen.req("POST", "/b/%s/keep" % kow["reference"], form)
    t.ok(code == 303, "a second click is no error", code)
    code, h, _ = citizen.req("POST", "/b/%s/keep" % kow["reference"], dict(form, t="0" * 16))
    t.ok(code == 404, "a wrong token: 404", code)

    # reception: none of it
    r = Client(office.base)
    code, h, html = r.req("GET", "/staff/login")
    r.req("POST", "/staff/login", {"csrf": hidden(html, "csrf"), "login": "celina",
                                   "password": PASSWORD, "next": "/staff"})
    for path in ("/staff/register", "/staff/register/new", "/staff/register/%s" % kow["reference"]):
        code, h, html = r.req("GET", path)
        t.ok(code == 403, "reception: %s → 403" % path, code)

    # the audit names who moved and cancelled, never the reason's words
    office.cli("operator", "add", "adam", "--role", "admin", stdin=PASSWORD + "\n")
    tok = office.cli("token", "add", "adam").stdout.strip()
    code, audit = office.api("GET", "/api/v1/admin/audit?limit=500",
                             headers={"Authorization": "Bearer " + tok})
    acts = {(a["action"], a["operator"]) for a in audit}
    t.ok(("booking.reschedule", "basia") in acts and ("booking.cancel", "basia") in acts and
         ("booking.create", "basia") in acts, "audit: create, reschedule, cancel by basia", sorted(acts))
    t.ok("Zmiana grafiku" not in str(audit) and "choruje" not in str(audit) and
         any(a["detail"].startswith("reason: ") for a in audit),
         "the audit keeps that a reason was given, not its words", [a["detail"] for a in audit][:5])
finally:
    office.cleanup()
t.done()
