#!/usr/bin/python3
"""bench_mail: e-mail throughput and reply latency against real Dovecot and
an SMTP server (tests/peers/mail_peers.py: aiosmtpd relaying to Dovecot
LMTP; plain TCP with AUTH PLAIN, as a typical office relay on its LAN).

1. Throughput, measured the way an office sees it: BENCH_N confirmation
   requests (real bookings through the API, so real composed messages) are
   queued while wizytad is stopped; then wizytad starts and we time until
   all BENCH_N are in the recipient's IMAP INBOX. The baseline of the same
   run: bench/smtp_blast (a plain C SMTP client, one connection, TCP_NODELAY)
   sends the same number of copies of one of those messages to the same
   server, timed the same way (until all are in IMAP). Ratio = wizyta /
   baseline; target >= 0.5 (wizytad also starts up, claims batches and
   records each accepted message durably before the next, so a crash never
   resends it: one fsync per message; bench/README.md). Median of
   BENCH_RUNS runs (default 3).
2. Reply latency: the median time from a reply landing in the mailbox to
   the booking changing, against a plain IMAP IDLE client noticing the same
   message (target <= 2x).
Bounded: BENCH_N (default 600), BENCH_REPLIES (default 5), 120 s ceiling
per phase. Exit 1 when a figure misses its target.
"""
import base64
import imaplib
import os
import re
import smtplib
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "peers"))
from wizyta_harness import BUILD, Office  # noqa: E402
import mail_peers  # noqa: E402

N = int(os.environ.get("BENCH_N", "600"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
REPLIES = int(os.environ.get("BENCH_REPLIES", "5"))
CEILING = 120
DOMAIN = mail_peers.DOMAIN
TARGET_RATIO = 0.5
TARGET_REPLY = 2.0


def inbox_count(peers, user):
    m = imaplib.IMAP4("127.0.0.1", peers.ports["imap"])
    try:
        m.login(user, mail_peers.USERS[user])
        typ, data = m.status("INBOX", "(MESSAGES)")
        return int(re.search(rb"MESSAGES (\d+)", data[0]).group(1))
    finally:
        m.logout()


def wait_inbox(peers, user, want, start):
    while True:
        if inbox_count(peers, user) >= want:
            return time.time() - start
        if time.time() - start > CEILING:
            raise SystemExit("bench_mail: only %d of %d in IMAP after %ds" % (
                inbox_count(peers, user), want, CEILING))
        time.sleep(0.02)


def queue_bookings(office, n):
    """n confirmation requests, from real bookings through the API."""
    services = office.api("GET", "/api/v1/services")[1]
    import datetime
    day, made = datetime.date.today(), 0
    for i in range(60):
        d = (day + datetime.timedelta(days=i)).isoformat()
        for s in services:
            code, slots = office.api("GET", "/api/v1/services/%d/slots?date=%s" % (s["id"], d))
            for slot in (slots if code == 200 else []):
                code, b = office.api("POST", "/api/v1/bookings", {
                    "service_id": s["id"], "start": slot["start"], "first_name": "Jan",
                    "last_name": "Kowalski", "email": "jan+b%d@%s" % (made, DOMAIN)})
                made += code == 201
                if made >= n:
                    return
    raise SystemExit("bench_mail: only %d free slots" % made)


def one_message(office):
    """One of the queued confirmation e-mails, as composed."""
    import sqlite3
    con = sqlite3.connect(os.path.join(office.dir, "wizyta.db"))
    try:
        return con.execute("SELECT payload FROM outbox WHERE channel = 'email' LIMIT 1").fetchone()[0]
    finally:
        con.close()


def throughput_run(peers, run):
    office = Office(extra={"web": {"rate_limit": "0"}})
    office.configure({"mail": {
        "transport": "smtp", "smtp_host": "127.0.0.1", "smtp_port": str(peers.ports["smtp"]),
        "smtp_tls": "none", "smtp_user": "wizyta", "smtp_password": mail_peers.USERS["wizyta"],
        "from": "Urząd <wizyta@%s>" % DOMAIN, "reply_address": "wizyta@%s" % DOMAIN,
        "inbound": "maildir"}})
    try:
        office.cli("init")
        office.cli("demo")
        office.start("wizyta-web", "wizyta-web")
        office.wait_port(office.web_port)
        queue_bookings(office, N)
        payload = one_message(office)

        # the baseline: a plain C client, the same message N times
        before = inbox_count(peers, "jan")
        start = time.time()
        plain = base64.b64encode(b"\0wizyta\0" + mail_peers.USERS["wizyta"].encode()).decode()
        blast = subprocess.run([os.path.join(BUILD, "bench", "smtp_blast"), "-p",
                                str(peers.ports["smtp"]), "-a", plain, "-f", "wizyta@%s" % DOMAIN,
                                "-t", "jan@%s" % DOMAIN, "-n", str(N)], input=payload,
                               capture_output=True, timeout=CEILING)
        if blast.returncode != 0:
            raise SystemExit("smtp_blast: " + blast.stderr.decode(errors="replace"))
        baseline = N / wait_inbox(peers, "jan", before + N, start)

        # wizyta: the queue is full, start the gateway
        before = inbox_count(peers, "jan")
        start = time.time()
        office.start("wizytad", "wizytad")
        ours = N / wait_inbox(peers, "jan", before + N, start)
        print("bench_mail: run %d: N=%d  C client %.0f msg/s  wizytad %.0f msg/s  ratio %.2f"
              % (run, N, baseline, ours, ours / baseline), flush=True)
        return baseline, ours
    finally:
        office.cleanup()


class IdleWatcher:
    """A plain IMAP client in IDLE on wizyta's INBOX (RFC 2177)."""

    def __init__(self, peers):
        self.sock = socket.create_connection(("127.0.0.1", peers.ports["imap"]), 10)
        self.f = self.sock.makefile("rwb")
        self._line()
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


def reply_latency(peers):
    from wizyta_harness import first_free_slot
    office = Office()
    office.configure({"mail": {
        "transport": "smtp", "smtp_host": "127.0.0.1", "smtp_port": str(peers.ports["smtp"]),
        "smtp_tls": "none", "smtp_user": "wizyta", "smtp_password": mail_peers.USERS["wizyta"],
        "from": "Urząd <wizyta@%s>" % DOMAIN, "reply_address": "wizyta@%s" % DOMAIN,
        "inbound": "imap", "imap_host": "127.0.0.1", "imap_port": str(peers.ports["imap"]),
        "imap_tls": "none", "imap_user": "wizyta", "imap_password": mail_peers.USERS["wizyta"]}})
    try:
        office.cli("init")
        office.cli("demo")
        office.start_all()
        service = office.api("GET", "/api/v1/services")[1][0]
        plain, ours = [], []
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
        return statistics.median(plain), statistics.median(ours)
    finally:
        office.cleanup()


def main():
    ok, why = mail_peers.installed()
    if not ok:
        print("bench_mail: " + why)
        return 1
    import tempfile
    peers = mail_peers.MailPeers(tempfile.mkdtemp(prefix="wizyta-bench-mail-"), tls=False)
    failed = False
    try:
        peers.start()
        runs = [throughput_run(peers, r + 1) for r in range(RUNS)]
        base = statistics.median(b for b, _ in runs)
        ours = statistics.median(o for _, o in runs)
        ratio = statistics.median(o / b for b, o in runs)
        miss = ratio < TARGET_RATIO
        failed |= miss
        print("bench_mail: median of %d: C client %.0f msg/s, wizytad %.0f msg/s (queued first,"
              " timed until all in IMAP), ratio %.2f (target >= %.1f)%s" % (
                  RUNS, base, ours, ratio, TARGET_RATIO, "  MISSED" if miss else ""))
        a, b = reply_latency(peers)
        miss = b / a > TARGET_REPLY
        failed |= miss
        print("bench_mail: reply → booking median %.2fs, plain IDLE client notices in"
              " %.2fs, ratio %.2f (target <= %.0f)%s" % (b, a, b / a, TARGET_REPLY,
                                                        "  MISSED" if miss else ""))
    finally:
        peers.stop()
        subprocess.run(["rm", "-rf", peers.dir])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
