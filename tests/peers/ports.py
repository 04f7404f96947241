"""free_port: a loopback port for a server the tests start.

The port comes from below Linux's ephemeral range (ip_local_port_range,
32768-60999 by default), not from bind(0). A port bind(0) handed out and
that was closed again is the kernel's next pick for the local end of any
outgoing connection, so under the full suite's load it was now and then
taken before the server bound it (bearerbox would not start, smsbox's
sendsms port refused). Below the range only servers compete; and since a
test picks a port seconds before its server binds it, every pick is
reserved for all the suite's processes (a file created O_EXCL in
/tmp/wizyta-test-ports-UID, the browser tests' lib.js does the same) and not
given again for RESERVE seconds.
"""
import os
import random
import socket
import time

RESERVE = 1800
_DIR = "/tmp/wizyta-test-ports-%d" % os.getuid()


def _range():
    low = 32768
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return max(1024, low - 12000), low - 1


def _reserve(port):
    """True when this process may use port: nobody reserved it lately."""
    path = os.path.join(_DIR, str(port))
    try:
        os.makedirs(_DIR, mode=0o700, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        try:
            if time.time() - os.stat(path).st_mtime < RESERVE:
                return False
            os.unlink(path)  # an old reservation: take it over
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except OSError:
            return False
    except OSError:
        return True  # no place to reserve in: the bind check alone
    os.close(fd)
    return True


def free_port():
    lo, hi = _range()
    if hi <= lo:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]
    for _ in range(5000):
        port = random.randint(lo, hi)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        if _reserve(port):
            return port
    raise RuntimeError("no free loopback port in %d-%d" % (lo, hi))
