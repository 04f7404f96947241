#!/usr/bin/python3
"""The Debian package builds and holds what an office needs (TAP).

`dpkg-buildpackage -b -us -uc` on a copy of the source (no tests inside
the package build: DEB_BUILD_OPTIONS=nocheck), then the .deb is read:
programs, units, man pages, the configuration as a 0640 conffile, the
dependencies found from the libraries, a postinst that creates the user,
runs `wizyta init` before debhelper's part enables and starts both units,
hardened binaries (PIE, RELRO, BIND_NOW). Unpacked (dpkg -x) its units
pass systemd-analyze verify and its programs run the quick start: init,
demo, both daemons, a booking.

Installing it with apt into a Debian 12 system and booting that with
systemd is dev/deb-check (needs the network and root): not part of this.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import Office, Tap  # noqa: E402

t = Tap()
SRC = os.path.abspath(os.environ.get("top_srcdir") or
                      os.path.join(os.path.dirname(__file__), "..", ".."))
work = tempfile.mkdtemp(prefix="wizyta-deb-")
office = None


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kw)


try:
    if shutil.which("dpkg-buildpackage") is None or shutil.which("dh") is None:
        t.ok(False, "dpkg-buildpackage and debhelper are installed (dev/setup check)")
        t.done()
    src = os.path.join(work, "wizyta-0.1.0")
    os.makedirs(src)
    # the source as a user has it: no build trees, no node_modules, no git
    tar = subprocess.Popen(["tar", "-C", SRC, "-cf", "-", "--exclude=./build-check",
                            "--exclude=./build", "--exclude=./.git", "--exclude=node_modules",
                            "--exclude=./demo", "--exclude=./tests/artifacts",
                            "--exclude=./debian/wizyta", "--exclude=./debian/.debhelper",
                            "."], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-C", src, "-xf", "-"], stdin=tar.stdout, check=True)
    tar.wait()
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "ASAN_OPTIONS", "UBSAN_OPTIONS",
                        "CFLAGS", "LDFLAGS")}
    env["DEB_BUILD_OPTIONS"] = "nocheck parallel=%d" % min(os.cpu_count() or 1, 2)
    started = time.time()
    p = run(["dpkg-buildpackage", "-b", "-us", "-uc"], cwd=src, env=env)
    debs = glob.glob(os.path.join(work, "wizyta_*_*.deb"))
    if not t.ok(p.returncode == 0 and len(debs) == 1,
                "dpkg-buildpackage -b -us -uc builds wizyta_*.deb (%.0fs)" %
                (time.time() - started), (p.stdout + p.stderr)[-3000:]):
        t.done()
    deb = debs[0]

    listing = run(["dpkg-deb", "-c", deb]).stdout
    files = {}
    for line in listing.splitlines():
        parts = line.split()
        files[parts[-1].lstrip(".")] = parts[0]
    want = ["/usr/bin/wizyta", "/usr/bin/wizytad", "/usr/bin/wizyta-web",
            "/lib/systemd/system/wizytad.service", "/lib/systemd/system/wizyta-web.service",
            "/usr/share/man/man1/wizyta.1.gz", "/usr/share/man/man5/wizyta.conf.5.gz",
            "/usr/share/man/man8/wizytad.8.gz", "/usr/share/man/man8/wizyta-web.8.gz",
            "/etc/wizyta/wizyta.conf", "/usr/share/wizyta/nginx/wizyta.conf",
            "/usr/lib/sysusers.d/wizyta.conf", "/usr/lib/tmpfiles.d/wizyta.conf",
            "/usr/share/doc/wizyta/copyright"]
    t.ok(all(w in files for w in want), "it holds the programs, units, man pages, the"
         " configuration and the examples", [w for w in want if w not in files])
    t.ok(files.get("/etc/wizyta/wizyta.conf") == "-rw-r-----",
         "the configuration (passwords) is 0640", files.get("/etc/wizyta/wizyta.conf"))
    depends = run(["dpkg-deb", "-f", deb, "Depends"]).stdout
    t.ok(all(d in depends for d in ("libmicrohttpd12", "libsqlite3-0", "libesmtp6",
                                    "libetpan20", "adduser", "procps")),
         "Depends found from the libraries (and adduser, procps)", depends)
    ctrl = os.path.join(work, "control")
    run(["dpkg-deb", "-e", deb, ctrl])
    with open(os.path.join(ctrl, "conffiles")) as f:
        conffiles = f.read().split()
    t.ok(conffiles == ["/etc/wizyta/wizyta.conf"], "the configuration is a conffile",
         conffiles)
    with open(os.path.join(ctrl, "postinst")) as f:
        postinst = f.read()
    order = [postinst.find(s) for s in ("adduser --system", "install -d -o wizyta",
                                        "chown root:wizyta", "wizyta -c \"$conf\" init",
                                        "deb-systemd-helper enable 'wizyta-web.service'",
                                        "deb-systemd-invoke start 'wizyta-web.service'"
                                        " 'wizytad.service'")]
    t.ok(all(i >= 0 for i in order) and order == sorted(order),
         "postinst: the user, its 0700 directory, the configuration's group, wizyta init,"
         " then both units enabled and started", (order, postinst[-2500:]))
    with open(os.path.join(ctrl, "prerm")) as f:
        prerm = f.read()
    t.ok("deb-systemd-invoke stop" in prerm,
         "prerm stops the units (an upgrade migrates the database between)", prerm)

    root = os.path.join(work, "root")
    run(["dpkg-deb", "-x", deb, root])
    hardened = []
    for prog in ("wizyta", "wizytad", "wizyta-web"):
        path = os.path.join(root, "usr", "bin", prog)
        header = run(["readelf", "-h", path]).stdout
        dynamic = run(["readelf", "-d", path]).stdout
        segments = run(["readelf", "-l", path]).stdout
        hardened.append("DYN" in header and "BIND_NOW" in dynamic and "GNU_RELRO" in segments
                        and "GNU_STACK" in segments)
    t.ok(all(hardened), "the programs are PIE with full RELRO (hardening=+all)", hardened)

    units = os.path.join(work, "units")
    os.makedirs(units)
    for u in ("wizytad", "wizyta-web"):
        with open(os.path.join(root, "lib", "systemd", "system", u + ".service")) as f:
            text = f.read()
        ok = "ExecStart=/usr/bin/%s -c /etc/wizyta/wizyta.conf" % u in text
        with open(os.path.join(units, u + ".service"), "w") as f:
            f.write(text.replace("/usr/bin/", root + "/usr/bin/"))
        t.ok(ok, "%s.service runs /usr/bin/%s -c /etc/wizyta/wizyta.conf" % (u, u))
    p = run(["systemd-analyze", "verify"] + glob.glob(os.path.join(units, "*.service")),
            env=dict(os.environ, MANPATH=os.path.join(root, "usr", "share", "man")))
    t.ok(p.returncode == 0 and not p.stderr.strip(),
         "the packaged units pass systemd-analyze verify", p.stdout + p.stderr)

    # the quick start with the unpacked programs and the packaged
    # configuration (its paths and ports moved into this test's office)
    office = Office()
    with open(os.path.join(root, "etc", "wizyta", "wizyta.conf")) as f:
        conf = f.read()
    for old, new in (("/var/lib/wizyta/wizyta.db", office.sections["database"]["path"]),
                     ("/var/lib/wizyta/mail", office.maildir),
                     ("listen = 127.0.0.1:8080", "listen = 127.0.0.1:%d" % office.web_port),
                     ("listen = 127.0.0.1:8081", "listen = 127.0.0.1:%d" % office.gw_port)):
        conf = conf.replace(old, new)
    with open(office.conf, "w") as f:
        f.write(conf)
    bindir = os.path.join(root, "usr", "bin")

    def cli(*args):
        return run([os.path.join(bindir, "wizyta"), "-c", office.conf] + list(args))
    init, demo = cli("init"), cli("demo")
    t.ok(init.returncode == 0 and demo.returncode == 0,
         "the packaged wizyta: init and demo on the packaged configuration",
         init.stderr + demo.stderr)
    procs = [subprocess.Popen([os.path.join(bindir, p), "-c", office.conf],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for p in ("wizytad", "wizyta-web")]
    up = office.wait_port(office.web_port) and office.wait_port(office.gw_port)
    services = office.api("GET", "/api/v1/services")[1] if up else []
    health = office.http("GET", "/healthz")[0] if up else 0
    for proc in procs:
        proc.terminate()
    codes = [proc.wait(30) for proc in procs]
    t.ok(up and len(services) > 0 and health == 200 and codes == [0, 0],
         "the packaged daemons serve the demo office and stop on SIGTERM with 0",
         (up, services[:1], health, codes))
finally:
    if office is not None:
        office.cleanup()
    shutil.rmtree(work, ignore_errors=True)
t.done()
