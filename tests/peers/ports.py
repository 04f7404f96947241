"""free_port: a loopback port for a server the tests start.

The port comes from below Linux's ephemeral range (ip_local_port_range,
32768-60999 by default), not from bind(0). A port bind(0) handed out and
that was closed again is the kernel's next pick for the local end of any
outgoing connection, so under the full suite's load it was now and then
taken before the server bound it (bearerbox would not start, smsbox's
sendsms port refused). Below the range only servers compete, and each
port is tried with a bind first.
"""
import random
import socket

_given = set()


def _range():
    low = 32768
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return max(1024, low - 12000), low - 1


def free_port():
    lo, hi = _range()
    for _ in range(2000):
        port = random.randint(lo, hi) if hi > lo else 0
        if port in _given:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            port = s.getsockname()[1]
        _given.add(port)
        return port
    raise RuntimeError("no free loopback port in %d-%d" % (lo, hi))
