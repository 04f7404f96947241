#!/usr/bin/python3
"""bench_mail: e-mail throughput and reply latency against real Dovecot and
an SMTP server, each as a ratio against a baseline of the same run.

1. Messages/s from wizyta's outbox into the SMTP server, against the same
   server's acceptance rate from a plain smtplib client on one connection
   (target ratio >= 0.7). Both send the same composed confirmation message.
2. The median time from a reply landing in the mailbox to the booking
   changing, against a plain IMAP IDLE client noticing the same message
   (target <= 2x).
Bounded: BENCH_N messages (default 200), BENCH_REPLIES replies (default 5),
120 s ceiling per phase.
"""
import os
import re
import smtplib
import socket
import ssl
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "peers"))
from wizyta_harness import BUILD, Office, first_free_slot  # noqa: E402
import mail_peers  # noqa: E402

N = int(os.environ.get("BENCH_N", "200"))
REPLIES = int(os.environ.get("BENCH_REPLIES", "5"))
CEILING = 120
DOMAIN = mail_peers.DOMAIN


def message(i):
    return ("From: wizyta@%s\r\nTo: jan@%s\r\nSubject: Potwierdz wizyte [BENCH%05d]\r\n"
            "Message-ID: <bench.%d.%s@%s>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n") % (
        DOMAIN, DOMAIN, i, i, os.urandom(4).hex(), DOMAIN, "Potwierdz wizyte. " * 40)


def plain_smtp(peers):
    ctx = ssl.create_default_context(cafile=peers.ca_file)
    start = time.time()
    with smtplib.SMTP("127.0.0.1", peers.ports["smtp"], timeout=30) as s:
        s.starttls(context=ctx)
        s.login("wizyta", mail_peers.USERS["wizyta"])
        for i in range(N):
            s.sendmail("wizyta@%s" % DOMAIN, ["jan@%s" % DOMAIN], message(i))
    return N / (time.time() - start)


class IdleWatcher:
    """A plain IMAP client in IDLE on wizyta's INBOX (RFC 2177)."""

    def __init__(self, peers):
        ctx = ssl.create_default_context(cafile=peers.ca_file)
        raw = socket.create_connection(("127.0.0.1", peers.ports["imap"]), 10)
        self.f = raw.makefile("rwb")
        self._line()
        self._cmd(b"a1 STARTTLS")
        self.sock = ctx.wrap_socket(raw, server_hostname="127.0.0.1")
        self.f = self.sock.makefile("rwb")
        self._cmd(b'a2 LOGIN wizyta "%s"' % mail_peers.USERS["wizyta"].encode())
        self._cmd(b"a3 SELECT INBOX")
        self.f.write(b"a4 IDLE\r\n")
        self.f.flush()
        self._line()     # + idling

    def _line(self):
        return self.f.readline()

    def _cmd(self, c):
        tag = c.split(b" ")[0]
        self.f.write(c + b"\r\n")
        self.f.flush()
        while True:
            line = self._line()
            if line.startswith(tag) or not line:
                return line

    def wait_exists(self, timeout=30):
        self.sock.settimeout(timeout)
        while True:
            line = self._line()
            if b"EXISTS" in line:
                return time.time()
            if not line:
                return None


def main():
    ok, why = mail_peers.installed()
    if not ok:
        print("bench_mail: " + why)
        return 1
    office = Office()
    peers = mail_peers.MailPeers(os.path.join(office.dir, "peers"))
    try:
        peers.start()
        office.configure({"mail": {
            "transport": "smtp", "smtp_host": "127.0.0.1", "smtp_port": str(peers.ports["smtp"]),
            "smtp_tls": "starttls", "smtp_user": "wizyta",
            "smtp_password": mail_peers.USERS["wizyta"], "tls_ca_file": peers.ca_file,
            "from": "Urząd <wizyta@%s>" % DOMAIN, "reply_address": "wizyta@%s" % DOMAIN,
            "inbound": "imap", "imap_host": "127.0.0.1", "imap_port": str(peers.ports["imap"]),
            "imap_tls": "starttls", "imap_user": "wizyta",
            "imap_password": mail_peers.USERS["wizyta"]}})
        office.cli("init")
        office.cli("demo")

        baseline = plain_smtp(peers)
        fill = subprocess.run([os.path.join(BUILD, "bench", "outbox_fill"), "-c", office.conf,
                               "-n", str(N), "-k", "email", "-t", "jan@%s" % DOMAIN,
                               "-f", "/dev/stdin"], input=message(0), capture_output=True,
                              text=True)
        if fill.returncode != 0:
            raise SystemExit(fill.stderr)
        start = time.time()
        office.start_all()
        while True:
            m = re.search(r"email\s+queued=(\d+) sending=(\d+) sent=(\d+)",
                          office.cli("status").stdout)
            if m and int(m.group(3)) >= N:
                break
            if time.time() - start > CEILING:
                raise SystemExit("wizyta: not all sent in %ds" % CEILING)
            time.sleep(0.05)
        rate = N / (time.time() - start)
        print("bench_mail: N=%d plain SMTP client %.0f msg/s, wizyta outbox %.0f msg/s,"
              " ratio %.2f (target >= 0.7; includes wizytad start-up)" %
              (N, baseline, rate, rate / baseline))

        service = office.api("GET", "/api/v1/services")[1][0]
        plain, ours = [], []
        ctx = ssl.create_default_context(cafile=peers.ca_file)
        for i in range(REPLIES):
            slot = first_free_slot(office, service["id"], skip=i)
            code, b = office.api("POST", "/api/v1/bookings", {
                "service_id": service["id"], "start": slot["start"], "first_name": "Jan",
                "last_name": "Kowalski", "email": "jan@%s" % DOMAIN})
            ref = b["reference"]
            watcher = IdleWatcher(peers)
            reply = ("From: jan@%s\r\nTo: wizyta+%s@%s\r\nSubject: Re: [%s]\r\n"
                     "Message-ID: <r%d.%s@client>\r\nContent-Type: text/plain; charset=utf-8"
                     "\r\n\r\nTAK\r\n") % (DOMAIN, ref, DOMAIN, ref, i, os.urandom(3).hex())
            with smtplib.SMTP("127.0.0.1", peers.ports["smtp"], timeout=30) as s:
                s.starttls(context=ctx)
                s.login("jan", mail_peers.USERS["jan"])
                sent = time.time()
                s.sendmail("jan@%s" % DOMAIN, ["wizyta+%s@%s" % (ref, DOMAIN)], reply)
            seen = watcher.wait_exists()
            while office.api("GET", "/api/v1/bookings/" + ref)[1].get("status") != "booked":
                if time.time() - sent > 30:
                    raise SystemExit("wizyta: reply %d not applied in 30 s" % i)
                time.sleep(0.01)
            ours.append(time.time() - sent)
            plain.append((seen or time.time()) - sent)
        a, b = statistics.median(plain), statistics.median(ours)
        print("bench_mail: reply → booking median %.2fs, plain IDLE client notices in"
              " %.2fs, ratio %.2f (target <= 2)" % (b, a, b / a))
    finally:
        peers.stop()
        office.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
