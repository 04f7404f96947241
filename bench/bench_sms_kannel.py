#!/usr/bin/python3
"""bench_sms_kannel: SMS/s through wizyta's outbox into real Kannel, as a
ratio against Kannel's own sendsms acceptance rate from a plain client in
the same run (target >= 0.7). Both send the same dlr-mask and dlr-url, so
both pay for Kannel's delivery-report callbacks. Bounded: N messages
(BENCH_N, default 300) and a 120 s ceiling per phase.
"""
import http.client
import os
import re
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "peers"))
from wizyta_harness import BUILD, Office  # noqa: E402
import kannel_peers  # noqa: E402

N = int(os.environ.get("BENCH_N", "300"))
CEILING = 120


def plain_client(port, dlr_base):
    """One keep-alive connection, N sendsms requests, like a simple client."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    text = ("Potwierdz wizyte 08.12 12:00, Pokoj 1 stanowisko 1: odpisz TAK lub NIE."
            " Nr BENCH00000")
    start = time.time()
    for i in range(N):
        q = urllib.parse.urlencode({
            "username": kannel_peers.SEND_USER, "password": kannel_peers.SEND_PASSWORD,
            "from": "URZAD", "to": "+48600700800", "text": text, "dlr-mask": "31",
            "dlr-url": dlr_base + "&msg=%d&status=%%d&reply=%%A" % (1000000 + i)})
        conn.request("GET", "/cgi-bin/sendsms?" + q)
        r = conn.getresponse()
        r.read()
        if r.status not in (200, 202):
            raise SystemExit("plain client: HTTP %d" % r.status)
        if time.time() - start > CEILING:
            raise SystemExit("plain client: over %ds" % CEILING)
    return N / (time.time() - start)


def main():
    if not kannel_peers.installed():
        print("bench_sms_kannel: kannel is not installed")
        return 1
    office = Office()
    kannel = kannel_peers.KannelPeers(os.path.join(office.dir, "kannel"),
                                      "http://127.0.0.1:%d/sms/inbound" % office.gw_port,
                                      record=False)
    try:
        kannel.start()
        office.configure({"sms": {
            "provider": "kannel",
            "url": "http://127.0.0.1:%d/cgi-bin/sendsms" % kannel.ports["sendsms"],
            "user": kannel_peers.SEND_USER, "password": kannel_peers.SEND_PASSWORD},
            "mail": {"transport": "none", "inbound": "none"}})
        office.cli("init")
        office.start("wizytad", "wizytad")
        office.wait_port(office.gw_port)
        dlr_base = "http://127.0.0.1:%d/sms/dlr?secret=%s" % (office.gw_port, office.secret)

        baseline = plain_client(kannel.ports["sendsms"], dlr_base)

        fill = subprocess.run([os.path.join(BUILD, "bench", "outbox_fill"), "-c", office.conf,
                               "-n", str(N), "-k", "sms", "-t", "+48600700800"],
                              capture_output=True, text=True)
        if fill.returncode != 0:
            raise SystemExit(fill.stderr)
        start = time.time()
        while True:
            out = office.cli("status").stdout
            m = re.search(r"sms\s+queued=(\d+) sending=(\d+) sent=(\d+) delivered=(\d+)", out)
            done = int(m.group(3)) + int(m.group(4)) if m else 0
            if done >= N:
                break
            if time.time() - start > CEILING:
                raise SystemExit("wizyta: only %d of %d sent in %ds" % (done, N, CEILING))
            time.sleep(0.05)
        wizyta = N / (time.time() - start)
        print("bench_sms_kannel: N=%d plain sendsms %.0f/s, wizyta outbox %.0f/s,"
              " ratio %.2f (target >= 0.7)" % (N, baseline, wizyta, wizyta / baseline))
    finally:
        kannel.stop()
        office.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
