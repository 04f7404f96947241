#!/usr/bin/python3
"""A visit moved by the office reaches the citizen over real servers, and
the citizen answers (issue 11, "Reschedule that tells the citizen").

Real Dovecot (IMAP, LMTP) behind a real SMTP server, and real Kannel
(bearerbox, smsbox, fake SMSC), each started once for this file; wizytad
and wizyta-web at chosen clocks (libfaketime).

Monday 2026-12-07 09:00: staff book two confirmed visits for Tuesday —
Jan by e-mail (Polish), John by SMS only (English). At 12:45 the
reminders for Tuesday fall due while the SMTP server answers 451 and
Kannel's smsbox is down: they wait in the outbox for their next attempt.
The servers come back, and before that attempt staff move both visits to
Wednesday. The reminders for the old time are withdrawn in the same
transaction (never delivered, though the servers are up again); the
notices of the move arrive — Jan's e-mail in Polish, John's SMS in
English — with the date, time and place, TAK keeps and NIE cancels. Jan
answers NIE from his mail client (quoted notice below): the visit is
cancelled and the register says he declined. John answers TAK by SMS: the
visit stays, he is thanked, the register says he kept it, and on Tuesday
11:00 (the clock moved on) the reminder for the new time goes to him. The
conversation shows each reply in the citizen's own words.
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "peers"))
from wizyta_harness import Client, Office, Tap, faketime, hidden, wait_for  # noqa: E402
import kannel_peers  # noqa: E402
import mail_peers  # noqa: E402

t = Tap()
ok, why = mail_peers.installed()
if not ok:
    t.skip_all(why)
if not kannel_peers.installed():
    t.skip_all("kannel is not installed (apt-get install kannel kannel-extras)")

PASSWORD = "a long password 123"
MONDAY_9, MONDAY_1245, TUESDAY_11 = ("@2026-12-07 09:00:00", "@2026-12-07 12:45:00",
                                     "@2026-12-08 11:00:00")
office = Office(extra={"staff": {"login_rate_limit": "1000"}})
peers = mail_peers.MailPeers(os.path.join(office.dir, "peers"))
service_url = ("http://127.0.0.1:%d/sms/inbound?secret=%s&from=%%p&to=%%P&text=%%a"
               "&id=%%I&ts=%%t" % (office.gw_port, office.secret))
kannel = kannel_peers.KannelPeers(os.path.join(office.dir, "kannel"), service_url)
JAN = "jan@%s" % mail_peers.DOMAIN
JOHN = "48600700901"


def imap_messages(user="jan"):
    return peers.inbox(user)


def mails_with(word):
    return [m for m in imap_messages() if word in str(m["Subject"])]


def text_of(msg):
    return msg.get_body(("plain",)).get_content() if msg is not None else ""


def send_as_client(raw, to):
    peers.submit(raw, to)


def start(spec):
    """(Re)start both programs at a chosen clock."""
    office.stop("wizytad")
    office.stop("wizyta-web")
    office.start("wizytad", "wizytad", env=faketime(spec))
    office.start("wizyta-web", "wizyta-web", env=faketime(spec))
    return office.wait_port(office.web_port) and office.wait_port(office.gw_port)


def sms_to(number, needle=""):
    return [m for m in kannel.sink.messages
            if m.get("to", "").endswith(number) and needle in m.get("text", "")]


try:
    peers.start()
    kannel.start()
    office.configure({
        "mail": peers.wizyta_mail(),
        "sms": {"provider": "kannel",
                "url": "http://127.0.0.1:%d/cgi-bin/sendsms" % kannel.ports["sendsms"],
                "user": kannel_peers.SEND_USER, "password": kannel_peers.SEND_PASSWORD,
                "sender": "48500100200", "transliterate": "yes"},
        # a failed attempt waits ten minutes: the reminders that failed
        # stay queued until the move withdraws them
        "delivery": {"retry_initial": "10m"},
        "booking": {"reminder_before": "24h"},
    })
    t.ok(office.cli("init").returncode == 0 and office.cli("demo").returncode == 0, "init and demo")
    office.cli("operator", "add", "basia", "--role", "staff", stdin=PASSWORD + "\n")
    token = office.cli("token", "add", "basia").stdout.strip()
    STAFF = {"Authorization": "Bearer " + token}
    t.ok(start(MONDAY_9), "wizytad and wizyta-web start at Monday 09:00", office.log("wizytad"))

    def staff(method, path, body=None):
        return office.api(method, path, body, headers=STAFF)

    def talk(ref):
        return staff("GET", "/api/v1/bookings/%s/messages" % ref)[1]

    sid = [s for s in office.api("GET", "/api/v1/services")[1]
           if s["name"] == "Rejestracja pojazdu"][0]["id"]
    code, jan = staff("POST", "/api/v1/bookings", {
        "service_id": sid, "start": "2026-12-08T12:00", "first_name": "Jan",
        "last_name": "Kowalski", "email": JAN, "confirmed": True})
    code2, john = staff("POST", "/api/v1/bookings", {
        "service_id": sid, "start": "2026-12-08T12:30", "first_name": "John",
        "last_name": "Smith", "phone": "+" + JOHN, "language": "en", "confirmed": True})
    t.ok(code == 201 and code2 == 201 and jan["status"] == john["status"] == "booked",
         "staff book two confirmed visits for Tuesday (after phone calls)", (jan, john))
    t.ok(wait_for(lambda: mails_with(jan["access_code"]), 30, 0.3),
         "Jan's access code arrives over IMAP", office.log("wizytad"))
    t.ok(wait_for(lambda: sms_to(JOHN, john["access_code"]), 30, 0.2),
         "John's access code arrives at the SMSC", kannel.sink.messages)

    # ---- the reminders for Tuesday fall due while both servers refuse
    peers.tempfail(True)
    kannel.stop_smsbox()
    t.ok(start(MONDAY_1245), "both restarted at Monday 12:45: Tuesday's reminders are due")

    def reminder_waiting(ref):
        rows = [m for m in talk(ref) if m["kind"] == "reminder"]
        return rows and all(m["status"] == "queued" and m["note"] for m in rows)
    t.ok(wait_for(lambda: reminder_waiting(jan["reference"]) and
                  reminder_waiting(john["reference"]), 40, 0.3),
         "the reminders tried once and wait in the outbox (451, Kannel down)",
         [talk(jan["reference"]), office.log("wizytad")[-1500:]])

    # ---- the servers are back; staff move both visits to Wednesday
    peers.tempfail(False)
    kannel.start_smsbox()
    code, moved = staff("POST", "/api/v1/bookings/%s/reschedule" % jan["reference"],
                        {"start": "2026-12-09T10:00"})
    t.ok(code == 200 and moved["start"] == "2026-12-09T10:00", "Jan's visit moved to Wednesday 10:00",
         moved)
    code, moved2 = staff("POST", "/api/v1/bookings/%s/reschedule" % john["reference"],
                         {"start": "2026-12-09T10:30"})
    t.ok(code == 200 and moved2["start"] == "2026-12-09T10:30", "John's to Wednesday 10:30", moved2)
    for who, ref in (("Jan", jan["reference"]), ("John", john["reference"])):
        rows = [m for m in talk(ref) if m["kind"] == "reminder"]
        t.ok(rows and all(m["status"] == "suppressed" and "withdrawn" in m["note"] for m in rows),
             "%s's reminder for the old time is withdrawn in the move's transaction" % who, rows)

    # ---- the notices arrive, in each citizen's language
    notice = wait_for(lambda: mails_with("Urząd zmienił termin wizyty"), 60, 0.5)
    body = text_of(notice[0]) if notice else ""
    t.ok(notice and "Nowy termin: środa, 9 grudnia 2026, 10:00" in body and
         "Poprzedni termin: wtorek, 8 grudnia 2026, 12:00" in body and
         "Miejsce: %s" % moved["desk"] in body and "TAK" in body and "NIE" in body and
         jan["access_code"] in body,
         "Jan's e-mail (Polish): the new date, time and place, the old one, TAK or NIE", body)
    t.ok(notice and jan["reference"] in str(notice[0]["Subject"]) and
         str(notice[0]["Reply-To"]) == "wizyta+%s@%s" % (jan["reference"], mail_peers.DOMAIN),
         "its Reply-To carries the reference", notice[0]["Reply-To"] if notice else None)
    sms = wait_for(lambda: sms_to(JOHN, "moved"), 60, 0.3)
    text = sms[0]["text"] if sms else ""
    t.ok(sms and "09.12 10:30" in text and "YES" in text and "NO" in text and
         john["reference"] in text and len(text) <= 160,
         "John's SMS (English): the new date, time and place; YES keeps, NO cancels",
         [text, talk(john["reference"])])
    time.sleep(2)
    t.ok(not [m for m in imap_messages() if "Przypomnienie" in str(m["Subject"])] and
         not sms_to(JOHN, "Reminder"),
         "no reminder for the old time ever reaches either of them",
         [str(m["Subject"]) for m in imap_messages()])

    # ---- Jan answers NIE from his mail client, the notice quoted below
    quoted = "\r\n".join("> " + line for line in body.splitlines())
    reply = ("From: Jan Kowalski <%s>\r\nTo: %s\r\nSubject: Re: %s\r\n"
             "Message-ID: <%s@client.example>\r\nIn-Reply-To: %s\r\nReferences: %s\r\n"
             "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
             "Content-Transfer-Encoding: 8bit\r\n\r\nNIE, w środę nie mogę.\r\n\r\n"
             "W dniu 7.12.2026 o 12:45 Urząd Miasta <wizyta@%s> pisze:\r\n%s\r\n") % (
        JAN, notice[0]["Reply-To"], notice[0]["Subject"], os.urandom(6).hex(),
        notice[0]["Message-ID"], notice[0]["Message-ID"], mail_peers.DOMAIN, quoted)
    send_as_client(reply.encode(), str(notice[0]["Reply-To"]))
    status = lambda ref: office.api("GET", "/api/v1/bookings/" + ref)[1].get("status")
    t.ok(wait_for(lambda: status(jan["reference"]) == "cancelled", 40, 0.2),
         "Jan's NIE by e-mail (read over IMAP) cancels the visit", office.log("wizytad")[-1500:])
    code, rows = staff("GET", "/api/v1/staff/bookings?q=" + jan["reference"])
    t.ok(rows and rows[0]["move"]["answer"] == "declined", "the register: Jan declined the move", rows)
    t.ok(wait_for(lambda: mails_with("Wizyta odwołana"), 30, 0.3), "and tells him it is cancelled")
    heard = [m for m in talk(jan["reference"]) if m["direction"] == "in"]
    t.ok(heard and heard[0]["text"] == "NIE, w środę nie mogę." and heard[0]["verdict"] == "cancel" and
         heard[0]["channel"] == "email",
         "the conversation: his own words, not the quoted notice; verdict cancel", heard)

    # ---- John answers TAK by SMS
    before = len(kannel.sink.messages)
    kannel.inject(JOHN, "48500100200", "TAK")
    thanks = wait_for(lambda: sms_to(JOHN, "Thank you"), 40, 0.2)
    t.ok(thanks and "09.12 10:30" in thanks[0]["text"],
         "John's TAK by SMS keeps the new time and he is thanked", kannel.sink.messages[before:])
    t.ok(status(john["reference"]) == "booked", "the visit stays booked")
    code, rows = staff("GET", "/api/v1/staff/bookings?q=" + john["reference"])
    t.ok(rows and rows[0]["move"]["answer"] == "kept", "the register: John kept the new time", rows)
    c = Client(office.base)
    code, h, html = c.req("GET", "/staff/login")
    c.req("POST", "/staff/login", {"csrf": hidden(html, "csrf"), "login": "basia",
                                   "password": PASSWORD, "next": "/staff"})
    code, h, html = c.req("GET", "/staff/register?from=2026-12-01")
    t.ok("interesant przyjął nowy termin (TAK)" in html and "interesant odmówił (NIE)" in html,
         "the register page shows both verdicts", code)
    code, h, html = c.req("GET", "/staff/register/" + john["reference"])
    t.ok(code == 200 and "TAK" in html and "Thank you" in html and "przypomnienie" in html and
         "nie wysłano" in html,
         "John's page: the move, his TAK, the thanks, the withdrawn reminders", code)
    heard = [m for m in talk(john["reference"]) if m["direction"] == "in"]
    t.ok(heard and heard[0]["text"] == "TAK" and heard[0]["channel"] == "sms" and
         "kept the new time" in heard[0]["note"], "the conversation: his TAK, what it did", heard)

    # ---- the reminder re-armed for the new time
    t.ok(start(TUESDAY_11), "the clock moves on: Tuesday 11:00")
    reminder = wait_for(lambda: sms_to(JOHN, "Reminder"), 40, 0.3)
    t.ok(reminder and "09.12 10:30" in reminder[0]["text"],
         "the reminder for the new time (Wednesday 10:30) reaches John", kannel.sink.messages[-3:])
    t.ok(not [m for m in imap_messages() if "Przypomnienie" in str(m["Subject"])],
         "and none for Jan's cancelled visit")
finally:
    office.stop_all()
    kannel.stop()
    peers.stop()
    office.cleanup()
t.done()
