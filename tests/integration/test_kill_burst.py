#!/usr/bin/python3
"""kill -9 of wizytad in the middle of a burst, against the real SMTP
server (aiosmtpd → Dovecot LMTP, STARTTLS + AUTH) and real Kannel (issue 9,
"Must not lose or mislead"): a burst of numbered e-mails and SMS is queued,
wizytad is killed with SIGKILL three times while it delivers and started
again, and the receiving side (the IMAP mailbox, Kannel's fake SMSC) counts
every number. Nothing may be lost, and each kill may duplicate at most the
one message per channel whose acceptance was not yet recorded (README,
"Nothing is lost"). The figures measured are printed as TAP comments.
"""
import collections
import imaplib
import os
import re
import signal
import ssl
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "peers"))
from wizyta_harness import BUILD, Office, Tap, wait_for  # noqa: E402
import kannel_peers  # noqa: E402
import mail_peers  # noqa: E402

N = 300          # messages per channel
KILLS = 3
t = Tap()
ok, why = mail_peers.installed()
if not ok:
    t.skip_all(why)
if not kannel_peers.installed():
    t.skip_all("kannel is not installed (apt-get install kannel kannel-extras)")

office = Office()
peers = mail_peers.MailPeers(os.path.join(office.dir, "peers"))
service_url = ("http://127.0.0.1:%d/sms/inbound?secret=%s&from=%%p&to=%%P&text=%%a"
               "&id=%%I&ts=%%t" % (office.gw_port, office.secret))
kannel = kannel_peers.KannelPeers(os.path.join(office.dir, "kannel"), service_url)


def mail_numbers():
    """The burst numbers in jan's INBOX, one entry per message received."""
    ctx = ssl.create_default_context(cafile=peers.ca_file)
    m = imaplib.IMAP4("127.0.0.1", peers.ports["imap"])
    m.starttls(ssl_context=ctx)
    m.login("jan", mail_peers.USERS["jan"])
    m.select("INBOX", readonly=True)
    _, data = m.search(None, "SUBJECT", "burst-")
    out = []
    nums = data[0].split()
    for i in range(0, len(nums), 200):
        _, parts = m.fetch(b",".join(nums[i:i + 200]),
                           "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
        for p in parts:
            if isinstance(p, tuple):
                found = re.search(rb"burst-(\d+)", p[1])
                if found:
                    out.append(int(found.group(1)))
    m.logout()
    return out


def sms_numbers():
    out = []
    for msg in list(kannel.sink.messages):
        found = re.search(r"burst-(\d+)", msg.get("text", ""))
        if found:
            out.append(int(found.group(1)))
    return out


def fill(kind, to, payload):
    return subprocess.run([os.path.join(BUILD, "bench", "outbox_fill"), "-c", office.conf,
                           "-n", str(N), "-k", kind, "-t", to, "-f", "/dev/stdin"],
                          input=payload, capture_output=True, text=True)


def drained():
    out = office.cli("status").stdout
    rows = re.findall(r"(email|sms)\s+queued=(\d+) sending=(\d+)", out)
    return len(rows) == 2 and all(q == "0" and s == "0" for _, q, s in rows)


try:
    peers.start()
    kannel.start()
    jan = "jan@%s" % mail_peers.DOMAIN
    office.configure({
        "mail": peers.wizyta_mail(inbound=False),
        "sms": {"provider": "kannel",
                "url": "http://127.0.0.1:%d/cgi-bin/sendsms" % kannel.ports["sendsms"],
                "user": kannel_peers.SEND_USER, "password": kannel_peers.SEND_PASSWORD},
        "delivery": {"retry_initial": "1s"},
    })
    t.ok(office.cli("init").returncode == 0, "init")

    def burst(name, kind, to, payload, received):
        """Queue N numbered messages of one channel, kill wizytad -9 KILLS
        times while it delivers them, restart it, and count at the receiver."""
        f = fill(kind, to, payload)
        t.ok(f.returncode == 0, "%s: queued %d numbered messages" % (name, N), f.stderr)
        office.start("wizytad", "wizytad")
        at = []
        for k in range(KILLS):
            goal = N * (k + 1) // (KILLS + 1)
            wait_for(lambda: len(set(received())) >= goal, 60, 0.02)
            p = office.procs.pop("wizytad")
            p.send_signal(signal.SIGKILL)
            p.wait()
            at.append(len(received()))
            office.start("wizytad", "wizytad")
        t.ok(all(0 < a < N for a in at),
             "%s: wizytad killed with SIGKILL %d times mid-burst (after %s received)"
             % (name, KILLS, at), at)
        t.ok(wait_for(drained, 120, 0.5), "%s: after the kills the outbox drains" % name,
             office.cli("status").stdout)
        wait_for(lambda: len(set(received())) >= N, 60, 0.5)
        numbers = received()
        counts = collections.Counter(numbers)
        missing = sorted(set(range(N)) - set(counts))
        extra = sum(c - 1 for c in counts.values())
        print("# measured: %s: %d queued, %d received, %d duplicates after %d kills"
              % (name, N, len(numbers), extra, KILLS), flush=True)
        t.ok(not missing, "%s: none of %d lost" % (name, N), missing[:20])
        t.ok(extra <= KILLS,
             "%s: at most one duplicate per kill (%d duplicates, %d kills)" % (name, extra, KILLS),
             [n for n, c in counts.items() if c > 1])
        office.stop("wizytad")

    burst("SMS", "sms", "+48600700800", "Wiadomosc burst-{n}", sms_numbers)
    burst("e-mail", "email", jan, "From: wizyta@%s\r\nTo: %s\r\nSubject: burst-{n}\r\n"
          "Message-ID: <burst-{n}@x>\r\n\r\nburst-{n}\r\n" % (mail_peers.DOMAIN, jan),
          mail_numbers)
    t.ok("ERROR: AddressSanitizer" not in office.log("wizytad"), "no sanitizer reports")
finally:
    kannel.stop()
    peers.stop()
    office.cleanup()
t.done()
