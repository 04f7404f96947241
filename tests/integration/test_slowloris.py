#!/usr/bin/python3
"""Slow clients cannot take a listener away from everyone else (TAP; issue
9, "Slowloris"), for both of them: wizyta-web and wizytad's provider
callbacks.

From 127.0.0.1 we open more half-open connections than the listener has
room for (1,100 to the site, 300 to the callbacks), each sending a header
line now and then and never finishing its request. A client on another
loopback address (127.0.0.2) must still be served, the per-address limit
must say so in exactly one log line, and a connection that keeps sending
header lines is closed once request_timeout has passed (one log line
again, however many are closed).
"""
import os
import resource
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import Office, Tap, raw_http, wait_for  # noqa: E402

t = Tap()
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if soft < 4096:
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))


class Slowloris:
    """n connections from source that send a request line and then one
    header line every `every` seconds, never the blank line."""

    def __init__(self, port, n, source="127.0.0.1", every=2.0):
        self.socks = []
        self.stop = threading.Event()
        for i in range(n):
            try:
                s = socket.create_connection(("127.0.0.1", port), 5, (source, 0))
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
                self.socks.append(s)
            except OSError:
                pass
        self.thread = threading.Thread(target=self.trickle, args=(every,), daemon=True)
        self.thread.start()

    def trickle(self, every):
        n = 0
        while not self.stop.wait(every):
            n += 1
            for s in list(self.socks):
                try:
                    s.send(b"X-Slow-%d: still here\r\n" % n)
                except OSError:
                    self.socks.remove(s)

    def close(self):
        self.stop.set()
        self.thread.join()
        for s in self.socks:
            s.close()


def closed_by_server(port, source, timeout=60):
    """A connection that sends a header line every half second: True once
    the server closes it."""
    s = socket.create_connection(("127.0.0.1", port), 5, (source, 0))
    s.settimeout(0.5)
    end = time.time() + timeout
    try:
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        n = 0
        while time.time() < end:
            try:
                if s.recv(4096) == b"":
                    return True
            except socket.timeout:
                pass
            n += 1
            s.sendall(b"X-Slow-%d: still here\r\n" % n)
    except (ConnectionResetError, BrokenPipeError):
        return True
    finally:
        s.close()
    return False


def lines(office, name, needle):
    return [line for line in office.log(name).splitlines() if needle in line]


office = Office()
attack = None
try:
    t.ok(office.cli("init").returncode == 0, "init")
    t.ok(office.start_all() and office.wait_port(office.gw_port),
         "wizytad (callbacks) and wizyta-web start", office.log("wizyta-web"))

    # --- the site ------------------------------------------------------------
    attack = Slowloris(office.web_port, 1100)
    held = wait_for(lambda: len(attack.socks) <= 64, 10)
    code, _, _ = raw_http(office.web_port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close"
                          b"\r\n\r\n", "127.0.0.2", timeout=20)
    t.ok(code == 200, "1,100 slow connections from 127.0.0.1: a client on 127.0.0.2 is served",
         (code, len(attack.socks), office.log("wizyta-web")[-2000:]))
    t.ok(held, "127.0.0.1 keeps at most max_connections_per_address (64) of them open "
         "(%d)" % len(attack.socks))
    bites = lines(office, "wizyta-web", "connection limit reached")
    t.ok(len(bites) == 1 and "address=127.0.0.1" in bites[0],
         "exactly one log line says the limit bites", office.log("wizyta-web")[-3000:])
    attack.close()
    attack = None

    # --- the callbacks -------------------------------------------------------
    attack = Slowloris(office.gw_port, 300)
    held = wait_for(lambda: len(attack.socks) <= 32, 10)
    target = "/sms/dlr?secret=%s&msg=999999&status=1" % office.secret
    code, _, answer = raw_http(office.gw_port, b"GET " + target.encode() +
                               b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                               "127.0.0.2", timeout=20)
    t.ok(code == 200, "300 slow connections to the callbacks from 127.0.0.1: a provider on "
         "127.0.0.2 is served", (code, answer, office.log("wizytad")[-2000:]))
    t.ok(held, "127.0.0.1 keeps at most 32 of them open (%d)" % len(attack.socks))
    bites = lines(office, "wizytad", "connection limit reached")
    t.ok(len(bites) == 1 and "address=127.0.0.1" in bites[0],
         "exactly one log line says the limit bites", office.log("wizytad")[-3000:])
    attack.close()
    attack = None

    # --- the deadline for a whole request ---------------------------------------
    office.stop_all()
    office.configure({"web": {"request_timeout": "2s"}, "gateway": {"request_timeout": "2s"}})
    t.ok(office.start_all() and office.wait_port(office.gw_port), "restart with"
         " request_timeout = 2s")
    for name, port in (("wizyta-web", office.web_port), ("wizytad", office.gw_port)):
        t.ok(closed_by_server(port, "127.0.0.3"), "%s closes a connection that keeps sending"
             " header lines past request_timeout" % name, office.log(name)[-2000:])
        attack = Slowloris(port, 20, "127.0.0.4", every=0.5)
        t.ok(wait_for(lambda: not attack.socks, 30), "%s closes 20 more of them" % name,
             len(attack.socks))
        attack.close()
        attack = None
        said = lines(office, name, "that sent no complete request within request_timeout")
        t.ok(len(said) == 1, "%s says so in one log line" % name, office.log(name)[-3000:])
        code, _, _ = raw_http(port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                              "127.0.0.2")
        t.ok(code in (200, 404), "%s still answers a whole request at once" % name, code)
    codes = office.stop_all()
    t.ok(codes == {"wizytad": 0, "wizyta-web": 0}, "both exit 0", codes)
finally:
    if attack is not None:
        attack.close()
    office.cleanup()
t.done()
