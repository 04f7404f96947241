#!/usr/bin/python3
"""The whole loop on the embedded defaults (issue "Foundation"):

book through the API → confirmation request in the maildir (and SMS spool)
→ a reply "TAK" written to the inbound maildir → booked + access-code mail
→ the same slot again gets 409 → an unconfirmed booking expires → bad
input and bad config get clear errors → SIGTERM exits 0.
"""
import email
import email.policy
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import Office, Tap, first_free_slot, wait_for  # noqa: E402

t = Tap()
office = Office(confirm_within="12s", extra={"web": {"dev_mailbox": "yes"}})
try:
    r = office.cli("init")
    t.ok(r.returncode == 0 and "created" in r.stdout, "wizyta init creates the database", r.stderr)
    r = office.cli("init")
    t.ok(r.returncode == 0 and "up to date" in r.stdout, "wizyta init is idempotent", r.stderr)
    r = office.cli("demo")
    t.ok(r.returncode == 0, "wizyta demo loads the office", r.stderr)
    r = office.cli("demo")
    t.ok(r.returncode == 0 and "already" in r.stdout, "wizyta demo is idempotent", r.stderr)

    if not t.ok(office.start_all(), "wizytad and wizyta-web start", office.log("wizyta-web")):
        t.done()

    code, services = office.api("GET", "/api/v1/services")
    t.ok(code == 200 and len(services) >= 3 and all(
        {"id", "name", "unit", "duration_minutes"} <= set(s) for s in services),
        "GET /api/v1/services lists the demo services", services)
    service = services[0]
    slot = first_free_slot(office, service["id"])
    t.ok(slot is not None and re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d$", slot["start"]),
         "a free slot is offered", slot)

    booking = {"service_id": service["id"], "start": slot["start"], "first_name": "Jan",
               "last_name": "Kowalski", "email": "jan.kowalski@example.pl",
               "phone": "600 700 800"}
    code, b = office.api("POST", "/api/v1/bookings", booking)
    t.ok(code == 201 and b.get("status") == "pending" and re.match(r"^[A-Z0-9]{1,12}$",
         b.get("reference", "")), "POST /api/v1/bookings → 201 pending", b)
    ref = b.get("reference", "")
    code, after = office.api("GET", "/api/v1/services/%d/slots?date=%s" %
                             (service["id"], slot["start"][:10]))
    t.ok(not any(x["start"] == slot["start"] and x["desk"] == b.get("desk")
                 for x in after), "the booked slot is no longer offered (no stale cache)")

    code, again = office.api("POST", "/api/v1/bookings", dict(booking, email="anna@example.pl",
                                                               phone=""))
    t.ok(code == 409 and again.get("error"), "the same slot again → 409", again)

    def confirmation():
        for raw in office.outbox_files():
            if ref.encode() in raw:
                return raw
        return None
    started = time.time()
    raw = wait_for(confirmation, 10)
    t.ok(raw is not None, "the confirmation request reaches the maildir (%.1fs)" %
         (time.time() - started))
    msg = email.message_from_bytes(raw or b"", policy=email.policy.default)
    t.ok(msg["Reply-To"] == "wizyta+%s@urzad.example" % ref,
         "Reply-To carries the reference", msg["Reply-To"])
    t.ok(ref in str(msg["Subject"]), "the subject carries the reference", msg["Subject"])
    t.ok(msg["Message-ID"] is not None and msg["Auto-Submitted"] == "auto-generated",
         "Message-ID and Auto-Submitted are set")
    body = msg.get_body(preferencelist=("plain",))
    text = body.get_content() if body else ""
    t.ok("TAK" in text and "NIE" in text and "/b/%s/confirm" % ref in text,
         "the text says TAK/NIE and links to confirm", text)
    sms = wait_for(lambda: [s for s in office.spool_files() if ref in s], 10)
    t.ok(sms and "+48600700800" in sms[0] and "TAK" in sms[0],
         "the confirmation SMS is in the spool", office.spool_files())

    reply = ("From: Jan Kowalski <jan.kowalski@example.pl>\r\n"
             "To: wizyta+%s@urzad.example\r\n"
             "Subject: Re: %s\r\n"
             "Message-ID: <reply-1@example.pl>\r\n"
             "In-Reply-To: %s\r\n"
             "MIME-Version: 1.0\r\n"
             "Content-Type: text/plain; charset=utf-8\r\n"
             "Content-Transfer-Encoding: 8bit\r\n\r\n"
             "Tak, potwierdzam.\r\n\r\n"
             "W dniu 1.12.2026 o 10:00 Urząd Miasta pisze:\r\n"
             "> Aby zrezygnować, odpowiedz NIE\r\n") % (ref, ref, msg["Message-ID"])
    office.deliver_reply(reply.encode())
    started = time.time()
    booked = wait_for(lambda: office.api("GET", "/api/v1/bookings/" + ref)[1].get("status")
                      == "booked", 15)
    t.ok(booked, "a reply TAK (quoting NIE) confirms the booking (%.1fs)" %
         (time.time() - started), office.log("wizytad"))
    code, pub = office.api("GET", "/api/v1/bookings/" + ref)
    t.ok(code == 200 and set(pub) >= {"reference", "status", "start", "desk", "service"} and
         "email" not in pub and "phone" not in pub and "first_name" not in pub,
         "GET /api/v1/bookings/{ref} shows no personal data", pub)

    def code_mail():
        for raw in office.outbox_files():
            m = email.message_from_bytes(raw, policy=email.policy.default)
            if ref in str(m["Subject"]) and "kod" in str(m["Subject"]).lower():
                return m
        return None
    m = wait_for(code_mail, 10)
    t.ok(m is not None, "the access-code message is sent")
    codes = re.findall(r"\b\d{6}\b", str(m["Subject"])) if m else []
    t.ok(len(codes) == 1, "it carries a 6-digit access code", m and m["Subject"])
    parts = [p.get_content_type() for p in m.walk()] if m else []
    t.ok("text/calendar" in parts, "and an .ics event", parts)

    # the same reply delivered twice is recorded once and changes nothing
    office.deliver_reply(reply.encode())
    time.sleep(1.5)
    t.ok(office.api("GET", "/api/v1/bookings/" + ref)[1].get("status") == "booked",
         "a duplicate reply changes nothing")

    # cancel through the API needs the contact
    code, body = office.api("POST", "/api/v1/bookings/%s/cancel" % ref,
                            {"contact": "someone@else.pl"})
    t.ok(code == 404, "cancel with a wrong contact → 404", body)

    # an unconfirmed booking expires after confirm_within
    slot2 = first_free_slot(office, service["id"], skip=1)
    code, b2 = office.api("POST", "/api/v1/bookings", dict(booking, start=slot2["start"],
                                                            phone=""))
    t.ok(code == 201, "a second booking", b2)
    ref2 = b2.get("reference", "")
    expired = wait_for(lambda: office.api("GET", "/api/v1/bookings/" + ref2)[1]
                       .get("status") == "expired", 40, 0.5)
    t.ok(expired, "an unconfirmed booking expires", office.log("wizytad"))
    t.ok(wait_for(lambda: any(ref2.encode() in r and b"wygas" in r.lower()
                              for r in office.outbox_files()), 10),
         "and the citizen is told")
    code, slots = office.api("GET", "/api/v1/services/%d/slots?date=%s" %
                             (service["id"], slot2["start"][:10]))
    t.ok(any(s["start"] == slot2["start"] for s in slots), "its slot is free again")

    code, body = office.api("POST", "/api/v1/bookings/%s/cancel" % ref,
                            {"contact": "jan.kowalski@example.pl"})
    t.ok(code == 200 and body.get("status") == "cancelled", "cancel with the contact", body)

    # bad input
    code, body = office.api("POST", "/api/v1/bookings", raw=b"{not json")
    t.ok(code == 400 and body.get("error"), "malformed JSON → 400", body)
    code, body = office.api("POST", "/api/v1/bookings", dict(booking, email="", phone=""))
    t.ok(code == 422 and body.get("error"), "no contact → 422", body)
    code, body = office.api("POST", "/api/v1/bookings", dict(booking, phone="12ab"))
    t.ok(code == 422, "a bad phone → 422", body)
    code, body = office.api("GET", "/api/v1/bookings/NOSUCHREF1")
    t.ok(code == 404, "unknown reference → 404", body)

    # the dev mailbox answers an SMS as the citizen's phone would
    import http.cookiejar
    import urllib.parse
    import urllib.request
    slot3 = first_free_slot(office, service["id"], skip=2)
    code, b3 = office.api("POST", "/api/v1/bookings", dict(booking, start=slot3["start"],
                                                            email="", phone="601 602 603"))
    ref3 = b3.get("reference", "")
    sms_files = wait_for(lambda: [n for n in sorted(os.listdir(office.spool))
                                  if not n.startswith(".") and ref3 in
                                  open(os.path.join(office.spool, n)).read()], 10)
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = browser.open(office.base + "/dev/mailbox/sms/" + sms_files[0]).read().decode()
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    form = urllib.parse.urlencode({"csrf": token.group(1) if token else "", "text": "Tak"})
    answer = browser.open(office.base + "/dev/mailbox/sms/%s/reply" % sms_files[0],
                          data=form.encode())
    t.ok(answer.status == 200 and wait_for(lambda: office.api(
        "GET", "/api/v1/bookings/" + ref3)[1].get("status") == "booked", 15),
        "replying TAK to the SMS from the dev mailbox confirms the booking",
        office.log("wizytad"))

    r = office.cli("status")
    t.ok(r.returncode == 0 and "email" in r.stdout and "queued=" in r.stdout,
         "wizyta status reports channels and backlog", r.stdout + r.stderr)

    codes = office.stop_all()
    t.ok(codes.get("wizytad") == 0 and codes.get("wizyta-web") == 0,
         "SIGTERM: both exit 0", codes)
    t.ok("ERROR: AddressSanitizer" not in office.log("wizytad") + office.log("wizyta-web"),
         "no sanitizer reports")

    # bad configuration: one line naming file and line, non-zero exit
    office.configure({"mail": {"smtp_port": "many"}})
    for prog in ("wizytad", "wizyta-web"):
        import subprocess
        from wizyta_harness import BUILD
        p = subprocess.run([os.path.join(BUILD, prog), "-c", office.conf],
                           capture_output=True, text=True, timeout=20)
        line = p.stderr.strip()
        t.ok(p.returncode != 0 and office.conf in line and "smtp_port" in line and
             len(line.splitlines()) == 1, "%s: a bad value stops it with one line" % prog, line)
finally:
    office.cleanup()
t.done()
