#!/usr/bin/python3
"""The waitlist over real Kannel and real SMTP + Dovecot, at a chosen clock
(issue 16, TAP).

Tuesday 2026-12-08, the demo office; an admin leaves the desk of
"Odbiór prawa jazdy" (5-minute visits) open only 09:00-09:15 that day:
three places. wizytad and wizyta-web run under libfaketime, started on
Monday 2026-12-07 09:00 and restarted with a later clock to move time on.

  09:00  joining while a place is free: 409 places_free; three people fill
         the day (confirmed by staff); Ala (SMS), Ola (e-mail), Ela (SMS),
         Ula (e-mail) and Iza join: positions 1-5, each told by message
         (an SMS at Kannel's SMSC, an e-mail in Dovecot); Iza leaves again
         (API), positions move up
         09:05 is cancelled → Ala's offer SMS, "odpowiedz TAK w ciągu 15
         minut", the place held (no free slot); Ala's "TAK" through Kannel
         → booked, the access-code SMS
         09:00 is cancelled → Ola's offer e-mail
  09:20  (restart) silence: Ola's hold has passed → the gateway passes it
         on: Ola is told, Ela gets the offer SMS; Ola's late "TAK" by
         e-mail → the kind "already gone" answer, nothing changes
         Ela replies "NIE" → Ula's offer e-mail; Ula answers "Tak" by
         e-mail → booked, the access-code e-mail with its .ics
         kill -9 of wizytad, 09:10 cancelled meanwhile (the web holds it
         for Zoe at once), wizytad back: Zoe's offer SMS arrives once
  Staff see the day's line and its outcome; the report counts two freed
  places re-filled; no place ever holds two live bookings; no name or
  number in the logs.
"""
import os
import re
import signal
import smtplib
import ssl
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "peers"))
from wizyta_harness import (Office, Tap, faketime,  # noqa: E402
                            personal_data_in_logs, wait_for)
import kannel_peers  # noqa: E402
import mail_peers  # noqa: E402

t = Tap()
if not kannel_peers.installed():
    t.skip_all("kannel is not installed (apt-get install kannel kannel-extras)")
ok, why = mail_peers.installed()
if not ok:
    t.skip_all(why)

DAY = "2026-12-08"
PASSWORD = "a long password 123"
DOMAIN = mail_peers.DOMAIN

office = Office(extra={
    "staff": {"login_rate_limit": "1000"},
    "delivery": {"retry_initial": "1s"},
})
service_url = ("http://127.0.0.1:%d/sms/inbound?secret=%s&from=%%p&to=%%P&text=%%a"
               "&id=%%I&ts=%%t" % (office.gw_port, office.secret))
peers = mail_peers.MailPeers(os.path.join(office.dir, "peers"))
kannel = kannel_peers.KannelPeers(os.path.join(office.dir, "kannel"), service_url)


def run_at(clock, web=True):
    """(Re)start wizytad (and wizyta-web) at a Monday clock "HH:MM"."""
    office.stop("wizytad")
    if web:
        office.stop("wizyta-web")
    env = faketime("@2026-12-07 %s:00" % clock)
    office.start("wizytad", "wizytad", env=env)
    if web:
        office.start("wizyta-web", "wizyta-web", env=env)
    return t.ok(office.wait_port(office.web_port) and office.wait_port(office.gw_port),
                "wizytad%s run at Monday %s" % (" and wizyta-web" if web else "", clock),
                office.log("wizytad"))


def db_rows(sql, args=()):
    return office.sql(sql, args)


def sms_to(phone, word):
    return [m for m in kannel.sink.messages
            if m.get("to", "").endswith(phone) and word in m.get("text", "")]


def mails_to(addr, subject_part):
    return [m for m in peers.inbox() if addr in str(m["To"]) and subject_part in str(m["Subject"])]


def body(msg):
    return msg.get_body(("plain",)).get_content() if msg is not None else ""


def reply_mail(to_msg, sender, text):
    """Answer a message as a mail client would: to its Reply-To, quoting it."""
    reply_to = str(to_msg["Reply-To"])
    quoted = "\r\n".join("> " + line for line in body(to_msg).splitlines())
    raw = ("From: %s\r\nTo: %s\r\nSubject: Re: %s\r\nMessage-ID: <%s@client.example>\r\n"
           "In-Reply-To: %s\r\nReferences: %s\r\nMIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
           "%s\r\n\r\nW dniu 7.12.2026 Urząd Miasta napisał:\r\n%s\r\n") % (
        sender, reply_to, to_msg["Subject"], os.urandom(6).hex(), to_msg["Message-ID"],
        to_msg["Message-ID"], text, quoted)
    ctx = ssl.create_default_context(cafile=peers.ca_file)
    with smtplib.SMTP("127.0.0.1", peers.ports["smtp"], timeout=20) as s:
        s.starttls(context=ctx)
        s.login("jan", mail_peers.USERS["jan"])
        s.sendmail("jan@%s" % DOMAIN, [reply_to], raw.encode())


def booking_status(ref):
    return office.api("GET", "/api/v1/bookings/" + ref)[1].get("status")


def entry(ref):
    return office.api("GET", "/api/v1/waitlist/" + ref)[1]


def offer_of(ref):
    """The reference of the offer an entry holds (staff API), or None."""
    for e in call("GET", "/api/v1/staff/waitlist?date=" + DAY)[1]:
        if e["reference"] == ref and e.get("offer"):
            return e["offer"]["reference"]
    return None


def double_booked():
    return db_rows("SELECT start_at, count(*) FROM bookings WHERE day = ? AND status IN"
                   " ('pending', 'booked', 'waiting', 'called', 'in_service')"
                   " GROUP BY desk_id, start_at HAVING count(*) > 1", (DAY,))


tokens = {}


def call(method, path, body_=None, who="kasia"):
    return office.api(method, path, body_, headers={"Authorization": "Bearer " + tokens[who]})


try:
    peers.start()
    kannel.start()
    office.configure({"mail": peers.wizyta_mail(), "sms": kannel.wizyta_sms()})
    t.ok(office.cli("init").returncode == 0 and office.cli("demo").returncode == 0, "init and demo")
    for login, role in (("kasia", "staff"), ("adam", "admin")):
        office.cli("operator", "add", login, "--role", role, stdin=PASSWORD + "\n")
        tokens[login] = office.cli("token", "add", login).stdout.strip()

    # ---- Monday 09:00: a full Tuesday and its line
    if not run_at("09:00"):
        t.done()
    services = office.api("GET", "/api/v1/services")[1]
    sid = [s for s in services if s["name"] == "Odbiór prawa jazdy"][0]["id"]
    slots = office.api("GET", "/api/v1/services/%d/slots?date=%s" % (sid, DAY))[1]
    desk = slots[0]["desk_id"]
    code, ex = call("POST", "/api/v1/admin/exceptions", {
        "desk_id": desk, "day": DAY, "opens": "09:00", "closes": "09:15",
        "reason": "Szkolenie"}, who="adam")
    t.ok(code == 201, "an admin opens the desk only 09:00-09:15 that Tuesday", ex)
    slots = office.api("GET", "/api/v1/services/%d/slots?date=%s" % (sid, DAY))[1]
    t.ok([s["start"][11:] for s in slots] == ["09:00", "09:05", "09:10"], "three places", slots)

    person = {"service_id": sid, "date": DAY, "last_name": "Kowalska"}
    code, err = office.api("POST", "/api/v1/waitlist", dict(person, first_name="Ala", phone="600700801"))
    t.ok(code == 409 and err.get("error") == "places_free",
         "joining while places are free: 409 places_free (book one instead)", err)

    holders = {}
    for i, s in enumerate(slots):
        code, b = office.api("POST", "/api/v1/bookings", {
            "service_id": sid, "start": s["start"], "first_name": "Jan", "last_name": "Pierwszy%d" % i,
            "email": "jan+h%d@%s" % (i, DOMAIN)})
        holders[s["start"][11:]] = b.get("reference", "?")
        code2, _ = call("POST", "/api/v1/bookings/%s/status" % b.get("reference", "?"), {"status": "booked"})
        t.ok(code == 201 and code2 == 200, "the %s place is booked and confirmed" % s["start"][11:], b)
    t.ok(office.api("GET", "/api/v1/services/%d/slots?date=%s" % (sid, DAY))[1] == [], "the day is full")

    people = [("Ala", {"phone": "600700801"}), ("Ola", {"email": "jan+ola@%s" % DOMAIN}),
              ("Ela", {"phone": "+48 600 700 802"}), ("Ula", {"email": "jan+ula@%s" % DOMAIN}),
              ("Iza", {"email": "jan+iza@%s" % DOMAIN})]
    ref = {}
    for i, (name, contact) in enumerate(people):
        code, e = office.api("POST", "/api/v1/waitlist", dict(person, first_name=name, **contact))
        ref[name] = e.get("reference", "?")
        t.ok(code == 201 and e.get("position") == i + 1 and isinstance(e.get("id"), int),
             "%s joins: 201 {id, position %d}" % (name, i + 1), e)
    code, err = office.api("POST", "/api/v1/waitlist", dict(person, first_name="Ola",
                                                             email="JAN+OLA@%s" % DOMAIN))
    t.ok(code == 409 and err.get("error") == "already_waiting", "the same address twice: 409", err)
    joined = wait_for(lambda: sms_to("48600700801", "Miejsce w kolejce: 1"), 30)
    t.ok(joined and ref["Ala"] in joined[0]["text"] and "NIE" in joined[0]["text"],
         "Ala's SMS at the SMSC: her place in line, how to leave", kannel.sink.messages[-3:])
    mail = wait_for(lambda: mails_to("jan+ola@", "Lista oczekujących"), 30)
    t.ok(mail and "Miejsce w kolejce: 2" in body(mail[0]) and "/w/%s/leave?t=" % ref["Ola"] in body(mail[0])
         and str(mail[0]["Reply-To"]) == "wizyta+%s@%s" % (ref["Ola"], DOMAIN),
         "Ola's e-mail in Dovecot: place 2, the link to leave, Reply-To with the entry's reference",
         body(mail[0]) if mail else office.log("wizytad"))
    code, left = office.api("POST", "/api/v1/waitlist/%s/leave" % ref["Iza"], {"contact": "someone@example.pl"})
    t.ok(code == 404, "leaving with a wrong contact: 404, like an unknown reference", left)
    code, left = office.api("POST", "/api/v1/waitlist/%s/leave" % ref["Iza"],
                            {"contact": "jan+iza@%s" % DOMAIN})
    t.ok(code == 200 and left.get("status") == "left", "Iza leaves (API)", left)
    code, zoe = office.api("POST", "/api/v1/waitlist", dict(person, first_name="Zoe", phone="600700803"))
    t.ok(code == 201 and zoe.get("position") == 5, "Zoe joins behind the four still in line", zoe)
    ref["Zoe"] = zoe.get("reference", "?")

    # a cancellation: the place is Ala's at once, held for 15 minutes
    code, c = office.api("POST", "/api/v1/bookings/%s/cancel" % holders["09:05"],
                         {"contact": "jan+h1@%s" % DOMAIN})
    t.ok(code == 200, "09:05 is cancelled", c)
    t.ok(entry(ref["Ala"]).get("status") == "offered", "Ala holds an offer at once (the same transaction)",
         entry(ref["Ala"]))
    t.ok(office.api("GET", "/api/v1/services/%d/slots?date=%s" % (sid, DAY))[1] == [],
         "the held place is invisible to others: no free slot")
    offer = wait_for(lambda: sms_to("48600700801", "Zwolnil sie termin"), 30)
    text = offer[0]["text"] if offer else ""
    t.ok(offer and "08.12 09:05" in text and "Odpowiedz TAK w ciagu 15 minut" in text and
         "stanowisko" in text, "Ala's offer SMS: the time, the place, 'odpowiedz TAK w ciągu 15 minut'", text)
    t.ok(len(text) <= 160 and all(ord(ch) < 128 for ch in text), "one GSM-7 segment (%d)" % len(text), text)
    ala_offer = offer_of(ref["Ala"])
    kannel.inject("48600700801", "48500100200", "TAK")
    t.ok(wait_for(lambda: booking_status(ala_offer) == "booked", 30),
         "Ala's TAK through Kannel books it", office.log("wizytad"))
    code_sms = wait_for(lambda: [m for m in kannel.sink.messages if m.get("to", "").endswith("48600700801")
                                 and re.search(r"\b\d{6}\b", m.get("text", ""))], 30)
    t.ok(code_sms, "the access-code SMS follows", kannel.sink.messages[-3:])
    t.ok(entry(ref["Ala"]).get("status") == "booked" and entry(ref["Ola"]).get("position") == 1,
         "Ala's entry: booked; Ola is first in line now", entry(ref["Ola"]))

    code, c = office.api("POST", "/api/v1/bookings/%s/cancel" % holders["09:00"],
                         {"contact": "jan+h0@%s" % DOMAIN})
    t.ok(code == 200, "09:00 is cancelled too", c)
    ola_mail = wait_for(lambda: mails_to("jan+ola@", "Zwolnił się termin"), 30)
    t.ok(ola_mail and "odpowiedz TAK w ciągu 15 minut" in body(ola_mail[0]) and
         "wtorek, 8 grudnia 2026, 09:00" in body(ola_mail[0]) and "do godziny" in body(ola_mail[0]),
         "Ola's offer e-mail: the time and 'odpowiedz TAK w ciągu 15 minut'",
         body(ola_mail[0]) if ola_mail else office.log("wizytad"))
    ola_offer = offer_of(ref["Ola"])

    # ---- Monday 09:20: Ola stayed silent
    run_at("09:20")
    t.ok(wait_for(lambda: booking_status(ola_offer) == "expired", 30),
         "silence: the hold passes, the gateway expires Ola's offer", office.log("wizytad"))
    t.ok(wait_for(lambda: mails_to("jan+ola@", "Minął czas na odpowiedź"), 30),
         "Ola is told the place went on")
    ela = wait_for(lambda: sms_to("48600700802", "Zwolnil sie termin"), 30)
    t.ok(ela and "08.12 09:00" in ela[0]["text"], "the next in line, Ela, gets the offer SMS",
         kannel.sink.messages[-3:])
    ela_offer = offer_of(ref["Ela"])
    t.ok(entry(ref["Ola"]).get("status") == "lapsed" and entry(ref["Ela"]).get("status") == "offered",
         "Ola's entry lapsed, Ela's offered", (entry(ref["Ola"]), entry(ref["Ela"])))

    # Ola's TAK comes after her hold
    reply_mail(ola_mail[0], "Ola Kowalska <jan+ola@%s>" % DOMAIN, "TAK")
    gone = wait_for(lambda: mails_to("jan+ola@", "nieaktualny"), 30)
    t.ok(gone and "przykro nam" in body(gone[0]), "a late TAK gets the kind 'already gone' answer",
         office.log("wizytad"))
    t.ok(booking_status(ola_offer) == "expired" and booking_status(ela_offer) == "pending",
         "…and changes nothing: Ola's offer stays expired, Ela's held")

    # Ela says NIE
    kannel.inject("48600700802", "48500100200", "Nie")
    t.ok(wait_for(lambda: booking_status(ela_offer) == "cancelled", 30), "Ela's NIE passes the place on",
         office.log("wizytad"))
    t.ok(wait_for(lambda: sms_to("48600700802", "przekazany"), 30), "Ela is told it went to the next person")
    ula_mail = wait_for(lambda: mails_to("jan+ula@", "Zwolnił się termin"), 30)
    t.ok(ula_mail, "the next in line, Ula, gets the offer e-mail", office.log("wizytad"))
    ula_offer = offer_of(ref["Ula"])
    reply_mail(ula_mail[0], "Ula Kowalska <jan+ula@%s>" % DOMAIN, "Tak, przyjdę.")
    t.ok(wait_for(lambda: booking_status(ula_offer) == "booked", 30), "Ula's 'Tak, przyjdę' by e-mail books it",
         office.log("wizytad"))
    code_mail = wait_for(lambda: [m for m in mails_to("jan+ula@", "kod dostępu")], 30)
    parts = [p.get_content_type() for p in code_mail[0].walk()] if code_mail else []
    t.ok("text/calendar" in parts, "the access-code e-mail with its .ics", parts)

    # ---- kill -9 of the gateway: nothing is lost, nothing given twice
    office.procs["wizytad"].send_signal(signal.SIGKILL)
    office.procs.pop("wizytad").wait()
    code, c = office.api("POST", "/api/v1/bookings/%s/cancel" % holders["09:10"],
                         {"contact": "jan+h2@%s" % DOMAIN})
    t.ok(code == 200 and entry(ref["Zoe"]).get("status") == "offered",
         "with the gateway dead, 09:10 is cancelled: the web holds it for Zoe at once", entry(ref["Zoe"]))
    run_at("09:25", web=False)
    zoe_sms = wait_for(lambda: sms_to("48600700803", "Zwolnil sie termin"), 30)
    t.ok(len(zoe_sms) == 1, "the gateway back: Zoe's offer SMS arrives, once", zoe_sms)
    t.ok(not double_booked(), "no place holds two live bookings", double_booked())

    # ---- what staff see
    code, line = call("GET", "/api/v1/staff/waitlist?date=" + DAY)
    states = {e["first_name"]: e["status"] for e in line} if code == 200 else {}
    t.ok(states == {"Ala": "booked", "Ola": "lapsed", "Ela": "declined", "Ula": "booked",
                    "Iza": "left", "Zoe": "offered"},
         "staff see the day's line and how each ended", line)
    code, rep = call("GET", "/api/v1/reports/waitlist?from=%s&to=%s" % (DAY, DAY))
    t.ok(code == 200 and rep["total"]["refilled"] == 2 and rep["total"]["joined"] == 6 and
         rep["total"]["offered"] == 5, "the report: 6 joined, 5 offers, 2 freed places re-filled", rep)
    # staff read the offer in the booking's conversation (the register's
    # API): the offer, Ula's reply and the access code that followed
    code, msgs = call("GET", "/api/v1/bookings/%s/messages" % ula_offer)
    kinds = [m.get("kind") for m in msgs] if code == 200 else []
    t.ok(code == 200 and "waitlist_offer" in kinds and "access_code" in kinds and
         [m for m in msgs if m.get("direction") == "in"],
         "the offer, Ula's reply and her access code are in the booking's conversation",
         (code, msgs))

    codes = office.stop_all()
    t.ok(codes.get("wizytad") == 0 and codes.get("wizyta-web") == 0, "both exit 0 on SIGTERM", codes)
    leaks = personal_data_in_logs(office, ["Kowalska", "600700801", "600 700 802", "jan+ola",
                                           "jan+ula"])
    t.ok(not leaks, "no name, e-mail or phone number in the logs", leaks)
finally:
    office.stop_all()
    kannel.stop()
    peers.stop()
    office.cleanup()
t.done()
