#!/usr/bin/python3
"""A wrong configuration stops every program at start with one line
"FILE:LINE: what is wrong" and a non-zero exit (CONTRACT.md, issue 9):
each refuse_*.conf fixture through wizyta, wizytad and wizyta-web, plus
what only shows after loading (a port in use, an unknown time zone).
"""
import glob
import os
import re
import socket
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from wizyta_harness import BUILD, Tap, free_port  # noqa: E402

FIXTURES = os.path.join(HERE, "..", "fixtures", "config")
PROGRAMS = (["wizyta", "status"], ["wizytad"], ["wizyta-web"])
t = Tap()


def run(program, conf):
    cmd = [os.path.join(BUILD, program[0]), "-c", conf] + program[1:]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=30)


def one_line(stderr):
    lines = [line for line in stderr.splitlines() if line.strip()]
    return lines[0] if len(lines) == 1 else None


for path in sorted(glob.glob(os.path.join(FIXTURES, "refuse_*.conf"))):
    with open(path) as f:
        expect = [line[9:].strip() for line in f if line.startswith("# expect ")][-1]
    want_line, what = expect.split(": ", 1)
    for program in PROGRAMS:
        p = run(program, path)
        line = one_line(p.stderr)
        t.ok(p.returncode != 0 and line is not None and
             "%s:%s: " % (path, want_line) in line and what in line,
             "%s refuses %s with one line naming line %s" %
             (program[0], os.path.basename(path), want_line), p.stderr)

d = tempfile.mkdtemp(prefix="wizyta-conf-")
try:
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    conf = os.path.join(d, "wizyta.conf")
    with open(conf, "w") as f:
        f.write("[database]\npath = %s/wizyta.db\n\n[web]\nlisten = 127.0.0.1:%d\n"
                "\n[gateway]\nlisten = 127.0.0.1:%d\n\n[sms]\nprovider = spool\n"
                "spool = %s/sms\ncallback_secret = 0123456789abcdef0123\n"
                "\n[mail]\nmaildir = %s/mail\n" % (d, port, free_port(), d, d))
    subprocess.run([os.path.join(BUILD, "wizyta"), "-c", conf, "init"], capture_output=True)
    p = run(["wizyta-web"], conf)
    line = one_line(p.stderr)
    t.ok(p.returncode != 0 and line is not None and "%s:5: web.listen" % conf in line,
         "wizyta-web: a port in use names the file and the line of web.listen", p.stderr)
    with open(conf, "w") as f:
        f.write("[database]\npath = %s/wizyta.db\n\n[gateway]\nlisten = 127.0.0.1:%d\n"
                "\n[sms]\nprovider = spool\nspool = %s/sms\n"
                "callback_secret = 0123456789abcdef0123\n\n[mail]\nmaildir = %s/mail\n"
                "inbound = none\n" % (d, port, d, d))
    p = run(["wizytad"], conf)
    line = one_line(p.stderr)
    t.ok(p.returncode != 0 and line is not None and "%s:5: gateway.listen" % conf in line,
         "wizytad: a port in use names the file and the line of gateway.listen", p.stderr)
    busy.close()
    with open(conf, "w") as f:
        f.write("[database]\npath = %s/wizyta.db\n\n[office]\ntimezone = Mars/Olympus\n" % d)
    for program in PROGRAMS:
        p = run(program, conf)
        line = one_line(p.stderr)
        t.ok(p.returncode != 0 and line is not None and "%s:5: office.timezone" % conf in line,
             "%s: an unknown time zone names its line" % program[0], p.stderr)
    # a CA file that is not there, or holds no certificate: wizytad stops
    # at start (it would fail every message later, only in the log)
    not_pem = os.path.join(d, "ca.txt")
    with open(not_pem, "w") as f:
        f.write("this is no certificate\n")
    for ca, what in [(os.path.join(d, "missing-ca.pem"), "No such file"),
                     (not_pem, "no PEM certificate")]:
        with open(conf, "w") as f:
            f.write("[database]\npath = %s/wizyta.db\n\n[gateway]\nlisten = 127.0.0.1:%d\n"
                    "\n[mail]\nmaildir = %s/mail\ninbound = none\ntls_ca_file = %s\n"
                    % (d, free_port(), d, ca))
        p = run(["wizytad"], conf)
        line = one_line(p.stderr)
        t.ok(p.returncode != 0 and line is not None and
             "%s:10: mail.tls_ca_file" % conf in line and what in line,
             "wizytad: a tls_ca_file that %s names its line" %
             ("is not there" if "missing" in ca else "holds no certificate"), p.stderr)
finally:
    subprocess.run(["rm", "-rf", d])
t.done()
