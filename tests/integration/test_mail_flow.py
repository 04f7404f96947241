#!/usr/bin/python3
"""E-mail end to end over real servers (issue "E-mail channel"):

wizytad submits over SMTP (STARTTLS + AUTH, certificate verified against
the test CA) into Dovecot; the citizen reads the confirmation over IMAP and
answers "tak" over SMTP to the Reply-To as a mail client would; wizytad
sees it through IMAP (IDLE) and the booking becomes booked; the access-code
mail with its .ics arrives. Also: an auto-reply changes nothing; SMTP
answering 451 for a while loses nothing; a 550 recipient is marked failed
while the SMS still carries the notice; kill -9 of wizytad mid-stream
loses nothing. The servers start once for the whole file.
"""
import json
import os
import re
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "peers"))
from wizyta_harness import (BUILD, Office, Tap, first_free_slot,  # noqa: E402
                            personal_data_in_logs, wait_for)
import mail_peers  # noqa: E402

t = Tap()
ok, why = mail_peers.installed()
if not ok:
    t.skip_all(why)

office = Office()
peers = mail_peers.MailPeers(os.path.join(office.dir, "peers"))


def imap_messages(user="jan"):
    """Every message in user's INBOX as email.message objects."""
    return peers.inbox(user)


def find(subject_part, user="jan"):
    for msg in imap_messages(user):
        if subject_part in str(msg["Subject"]):
            return msg
    return None


def send_as_client(raw, to):
    peers.submit(raw, to)


def status(ref):
    return office.api("GET", "/api/v1/bookings/" + ref)[1].get("status")


try:
    peers.start()
    office.configure({"mail": peers.wizyta_mail(), "delivery": {"retry_initial": "1s"}})
    t.ok(office.cli("init").returncode == 0 and office.cli("demo").returncode == 0,
         "init and demo")
    t.ok(office.start_all(), "wizytad and wizyta-web start", office.log("wizytad"))

    code, services = office.api("GET", "/api/v1/services")
    service = services[0]
    jan = "jan@%s" % mail_peers.DOMAIN
    slots = iter(range(40))

    def book(**kw):
        slot = first_free_slot(office, service["id"], skip=next(slots))
        body = {"service_id": service["id"], "start": slot["start"], "first_name": "Jan",
                "last_name": "Kowalski", "email": jan}
        body.update(kw)
        return office.api("POST", "/api/v1/bookings", body)

    code, b = book()
    t.ok(code == 201, "booking with an e-mail → 201", b)
    ref = b.get("reference", "")
    conf = wait_for(lambda: find(ref), 20, 0.3)
    t.ok(conf is not None, "the confirmation arrives in the citizen's mailbox over IMAP",
         office.log("wizytad"))
    events = peers.events()
    t.ok(any(e.get("event") == "auth" for e in events),
         "wizytad authenticated after STARTTLS (certificate verified)", events[-5:])
    reply_to = str(conf["Reply-To"]) if conf else ""
    t.ok(reply_to == "wizyta+%s@%s" % (ref, mail_peers.DOMAIN), "Reply-To", reply_to)

    # the citizen hits Reply in a mail client: quoted original below
    quoted = "\r\n".join("> " + line for line in
                         (conf.get_body(("plain",)).get_content() if conf else "").splitlines())
    reply = ("From: Jan Kowalski <%s>\r\nTo: %s\r\nSubject: Re: %s\r\n"
             "Message-ID: <%s@client.example>\r\nIn-Reply-To: %s\r\nReferences: %s\r\n"
             "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
             "Content-Transfer-Encoding: 8bit\r\n\r\ntak\r\n\r\n"
             "W dniu 1.12.2026 o 10:00 Urząd Miasta <wizyta@%s> pisze:\r\n%s\r\n") % (
        jan, reply_to, conf["Subject"] if conf else "", os.urandom(6).hex(),
        conf["Message-ID"] if conf else "", conf["Message-ID"] if conf else "",
        mail_peers.DOMAIN, quoted)
    started = time.time()
    send_as_client(reply.encode(), reply_to)
    booked = wait_for(lambda: status(ref) == "booked", 30, 0.1)
    t.ok(booked, "a 'tak' sent over SMTP and read over IMAP books it (%.1fs)" %
         (time.time() - started), office.log("wizytad"))
    code_mail = wait_for(lambda: find("kod dost", "jan") or
                         [m for m in imap_messages() if ref in str(m["Subject"]) and
                          re.search(r"\d{6}", str(m["Subject"]))], 20, 0.3)
    parts = []
    for m in imap_messages():
        if ref in str(m["Subject"]) and re.search(r"\b\d{6}\b", str(m["Subject"])):
            parts = [p.get_content_type() for p in m.walk()]
    t.ok("text/calendar" in parts, "the access-code mail arrives with its .ics", parts)
    # one conversation: the access code answers the confirmation request
    code_msg = [m for m in imap_messages() if ref in str(m["Subject"]) and
                re.search(r"\b\d{6}\b", str(m["Subject"]))]
    first_id = str(conf["Message-ID"]) if conf else "?"
    t.ok(code_msg and str(code_msg[0]["In-Reply-To"]) == first_id and
         first_id in str(code_msg[0]["References"]),
         "the access-code mail threads to the confirmation (In-Reply-To, References)",
         [(str(m["In-Reply-To"]), str(m["References"])) for m in code_msg] + [first_id])

    # an internationalised domain: accepted, sent to its A-label form (no
    # SMTPUTF8 needed), delivered
    code, bi = book(email="jan@%s" % mail_peers.IDN_DOMAIN)
    refi = bi.get("reference", "")
    t.ok(code == 201, "a booking for jan@%s → 201" % mail_peers.IDN_DOMAIN, bi)
    idn_mail = wait_for(lambda: find(refi), 20, 0.3) if refi else None
    t.ok(idn_mail is not None and str(idn_mail["To"]) == "jan@" + mail_peers.IDN_DOMAIN_ASCII,
         "its confirmation arrives, addressed to the A-label form",
         str(idn_mail["To"]) if idn_mail else office.log("wizytad"))
    t.ok(any(e.get("event") == "rcpt_idn" and
             e.get("address") == "jan@" + mail_peers.IDN_DOMAIN_ASCII
             for e in peers.events()),
         "the SMTP server saw RCPT TO the A-label address", peers.events()[-6:])
    code, bu = book(email="żółw@%s" % mail_peers.DOMAIN)
    t.ok(code == 422 and bu.get("error") == "email_local_not_ascii",
         "a non-ASCII local part is refused, saying why", bu)
    code, bd = book(email="a..b@x..pl")
    t.ok(code == 422 and bd.get("error") == "email_invalid", "a..b@x..pl is refused", bd)

    # an auto-reply never changes a booking
    code, b2 = book()
    ref2 = b2.get("reference", "")
    wait_for(lambda: find(ref2), 20, 0.3)
    auto = ("From: %s\r\nTo: wizyta+%s@%s\r\nSubject: Automatic reply: out of office\r\n"
            "Auto-Submitted: auto-replied\r\nMessage-ID: <%s@client.example>\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nTAK, I am away until Monday.\r\n") % (
        jan, ref2, mail_peers.DOMAIN, os.urandom(6).hex())
    send_as_client(auto.encode(), "wizyta+%s@%s" % (ref2, mail_peers.DOMAIN))
    time.sleep(3)
    t.ok(status(ref2) == "pending", "an auto-reply (saying TAK) changes nothing", status(ref2))

    # SMTP says 451 for a while: nothing lost
    peers.tempfail(True)
    code, b3 = book()
    ref3 = b3.get("reference", "")
    retrying = wait_for(lambda: "retrying" in office.cli("status").stdout, 20, 0.3)
    t.ok(retrying, "451: wizyta status shows the e-mail channel retrying",
         office.cli("status").stdout)
    peers.tempfail(False)
    t.ok(wait_for(lambda: find(ref3), 40, 0.5) is not None,
         "SMTP back: the queued mail arrives", office.cli("status").stdout)

    # a recipient the server refuses (550): failed, and the SMS still tells them
    code, b4 = book(email="nobody@%s" % mail_peers.DOMAIN, phone="600 700 802")
    ref4 = b4.get("reference", "")
    failed = wait_for(lambda: re.search(r"email\s.*failed=([1-9])", office.cli("status").stdout),
                      20, 0.3)
    t.ok(failed, "550: the message is marked failed (a dead letter staff can see)",
         office.cli("status").stdout)
    # the same facts for monitoring: wizyta status --json (issue 14)
    p = office.cli("status", "--json")
    try:
        st = json.loads(p.stdout)
    except ValueError:
        st = {}
    booking4 = office.sql("SELECT id FROM bookings WHERE reference = ?", (ref4,))
    dead = [d for d in st.get("dead_letters", []) if d.get("channel") == "email" and
            d.get("status") == "failed" and booking4 and d.get("booking") == booking4[0][0]]
    t.ok(p.returncode == 0 and st.get("outbox", {}).get("email", {}).get("failed", 0) >= 1 and
         dead and "nobody@" not in p.stdout and
         set(st.get("outbox", {})) == {"email", "sms"} and
         set(st.get("channels", {})) == {"email", "sms", "inbound"} and
         st.get("bookings", {}).get("pending", 0) >= 1 and "expired" in st.get("bookings", {}),
         "wizyta status --json: the failure in the outbox counts and as a dead letter of its"
         " booking (no address), every channel, every booking status", (p.stdout, p.stderr))
    # the SMS worker writes on its own: wait for it, not for luck
    t.ok(wait_for(lambda: any(ref4 in s for s in office.spool_files()), 20, 0.3),
         "the SMS carries the notice")

    # kill -9 while a stream of mail goes out: nothing lost after restart
    n = 40
    fill = subprocess.run([os.path.join(BUILD, "bench", "outbox_fill"), "-c", office.conf,
                           "-n", str(n), "-k", "email", "-t", jan, "-f", "/dev/stdin"],
                          input=("From: wizyta@%s\r\nTo: %s\r\nSubject: stream-test\r\n"
                                 "Message-ID: <stream@x>\r\n\r\nx\r\n" % (mail_peers.DOMAIN, jan)),
                          capture_output=True, text=True)
    t.ok(fill.returncode == 0, "queued %d messages" % n, fill.stderr)

    def stream_count():
        return len([m for m in imap_messages() if "stream-test" in str(m["Subject"])])
    # kill once the stream is under way, not before it starts or after it ends
    wait_for(lambda: stream_count() >= 3, 30, 0.05)
    office.procs["wizytad"].send_signal(signal.SIGKILL)
    office.procs["wizytad"].wait()
    del office.procs["wizytad"]
    office.start("wizytad", "wizytad")

    def stream_sent():
        m = re.search(r"email\s+queued=(\d+) sending=(\d+)", office.cli("status").stdout)
        return m and m.group(1) == "0" and m.group(2) == "0"
    t.ok(wait_for(stream_sent, 60, 0.5), "after kill -9 and restart the outbox drains",
         office.cli("status").stdout)
    got = wait_for(lambda: stream_count() >= n, 30, 0.5)
    time.sleep(1)
    count = stream_count()
    t.ok(got, "every queued message arrived (%d of %d)" % (count, n))
    t.ok(count <= n + 1, "at most the one message in flight was sent twice (%d extra)" %
         (count - n))

    codes = office.stop_all()
    t.ok(codes.get("wizytad") == 0, "wizytad exits 0 on SIGTERM", codes)
    # the 550 above quoted the address back: the logs must not
    leaks = personal_data_in_logs(office, [jan, "nobody@%s" % mail_peers.DOMAIN,
                                           "Kowalski", "600 700 802"])
    t.ok(not leaks, "no e-mail address, name or phone number in the logs", leaks)
finally:
    peers.stop()
    office.cleanup()
t.done()
