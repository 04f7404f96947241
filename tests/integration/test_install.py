#!/usr/bin/python3
"""make install into a temporary root: programs, systemd units, man pages (TAP).

The units must be what an office's IT expects of a daemon's unit: their own
user, a state directory, a read-only system, no privileges, restart on
failure, readiness by sd_notify; systemd-analyze verify passes them (with
the man pages they name found in the temporary root: PID 1 need not be
systemd) and a broken copy fails it; the sysusers.d and tmpfiles.d entries
create the user and its 0700 directory in the root. Every CLI command of
`wizyta -h` has its paragraph in wizyta(1) and every configuration key in
wizyta.conf(5); groff reads the pages without a warning. Both daemons tell
a NOTIFY_SOCKET READY=1 once they serve and STOPPING=1 on SIGTERM.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import BUILD, Office, Tap  # noqa: E402

t = Tap()
SRC = os.environ.get("top_srcdir") or os.path.join(os.path.dirname(__file__), "..", "..")
root = tempfile.mkdtemp(prefix="wizyta-install-")
office = None


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)


def makevar(name):
    """A variable of the build's Makefile (prefix, bindir, …), expanded."""
    p = run(["make", "-s", "-C", BUILD, "--no-print-directory", "-f", "Makefile",
             "-f", "-", "show"], input="show:\n\t@echo $(%s)\n" % name, env=clean_env())
    return p.stdout.strip()


def clean_env():
    # this test runs inside `make check`: a child make must not join its
    # jobserver
    return {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}


try:
    p = run(["make", "-s", "-C", BUILD, "install", "DESTDIR=" + root], env=clean_env())
    if not t.ok(p.returncode == 0, "make install DESTDIR=%s" % root, p.stderr[-3000:]):
        t.done()
    bindir, mandir, unitdir, sysconfdir = (makevar(v) for v in (
        "bindir", "mandir", "systemdsystemunitdir", "sysconfdir"))
    sysusersdir, tmpfilesdir, pkgdatadir = (makevar(v) for v in (
        "sysusersdir", "tmpfilesdir", "pkgdatadir"))
    installed = lambda *parts: os.path.join(root + parts[0], *parts[1:])  # noqa: E731
    want = [installed(bindir, p) for p in ("wizyta", "wizytad", "wizyta-web")] + \
        [installed(unitdir, u) for u in ("wizytad.service", "wizyta-web.service")] + \
        [installed(mandir, m) for m in ("man1/wizyta.1", "man5/wizyta.conf.5",
                                        "man8/wizytad.8", "man8/wizyta-web.8")] + \
        [installed(sysusersdir, "wizyta.conf"), installed(tmpfilesdir, "wizyta.conf"),
         installed(pkgdatadir, "wizyta.conf.example"),
         installed(pkgdatadir, "nginx", "wizyta.conf")]
    missing = [w for w in want if not os.path.isfile(w)]
    t.ok(not missing, "programs, units, man pages, sysusers.d, tmpfiles.d and examples are"
         " installed (%d files)" % len(want), missing)
    p = run([installed(bindir, "wizyta"), "-h"])
    t.ok(p.returncode == 0 and "person export" in p.stdout, "the installed wizyta runs",
         p.stdout + p.stderr)

    # ---- the units
    units = {}
    for u in ("wizytad", "wizyta-web"):
        with open(installed(unitdir, u + ".service")) as f:
            units[u] = f.read()
    for u, text in units.items():
        keys = {}
        for line in text.splitlines():
            if "=" in line and not line.startswith("#"):
                k, _, v = line.partition("=")
                keys.setdefault(k, []).append(v)
        expect = {
            "Type": "notify", "User": "wizyta", "Group": "wizyta", "StateDirectory": "wizyta",
            "StateDirectoryMode": "0700", "ProtectSystem": "strict", "NoNewPrivileges": "yes",
            "Restart": "on-failure", "UMask": "0077", "ProtectHome": "yes",
            "PrivateTmp": "yes", "CapabilityBoundingSet": "",
            "ExecStart": "%s/%s -c %s/wizyta/wizyta.conf" % (bindir, u, sysconfdir),
            "ExecReload": "/bin/kill -HUP $MAINPID", "WantedBy": "multi-user.target",
        }
        wrong = {k: (keys.get(k), v) for k, v in expect.items() if keys.get(k) != [v]}
        t.ok(not wrong, "%s.service: own user, state directory, read-only system, no"
             " privileges, restart on failure, sd_notify, reload by SIGHUP" % u, wrong)
    verify = os.path.join(root, "verify")
    os.makedirs(verify)
    for u, text in units.items():
        # the ExecStart binaries of the temporary root, not of this machine
        with open(os.path.join(verify, u + ".service"), "w") as f:
            f.write(text.replace(bindir + "/", root + bindir + "/"))
    env = dict(os.environ, MANPATH=root + mandir, SYSTEMD_LOG_COLOR="0")
    p = run(["systemd-analyze", "verify"] + [os.path.join(verify, u + ".service") for u in units],
            env=env)
    t.ok(p.returncode == 0 and not p.stdout.strip() and not p.stderr.strip(),
         "systemd-analyze verify passes both units (and finds the man pages they name)",
         p.stdout + p.stderr)
    with open(os.path.join(verify, "broken.service"), "w") as f:
        f.write(units["wizytad"].replace("ProtectSystem=strict", "ProtectSystem=strictly")
                .replace("Documentation=man:wizytad(8)", "Documentation=man:wizytadd(8)"))
    p = run(["systemd-analyze", "verify", os.path.join(verify, "broken.service")], env=env)
    t.ok(p.returncode != 0 and "strictly" in p.stderr and "wizytadd" in p.stderr,
         "and refuses a broken copy (the check can fail)", p.stderr)
    for u in units:
        p = run(["systemd-analyze", "security", "--offline=yes",
                 os.path.join(verify, u + ".service")], env=env)
        m = re.search(r"Overall exposure level for \S+: ([\d.]+) (\w+)", p.stdout + p.stderr)
        t.ok(m and float(m.group(1)) <= 2.0,
             "systemd-analyze security rates %s.service %s" % (u, m and m.group(0)),
             p.stdout[-800:])
    os.makedirs(os.path.join(root, "etc"), exist_ok=True)
    p1 = run(["systemd-sysusers", "--root=" + root, installed(sysusersdir, "wizyta.conf")])
    p2 = run(["systemd-tmpfiles", "--root=" + root, "--create",
              installed(tmpfilesdir, "wizyta.conf")])
    with open(os.path.join(root, "etc", "passwd")) as f:
        user = [l for l in f.read().splitlines() if l.startswith("wizyta:")]
    st = os.stat(os.path.join(root, "var", "lib", "wizyta"))
    t.ok(p1.returncode == 0 and p2.returncode == 0 and user and
         user[0].split(":")[2] == str(st.st_uid) and (st.st_mode & 0o777) == 0o700,
         "sysusers.d creates the wizyta user, tmpfiles.d its 0700 /var/lib/wizyta",
         (p1.stderr, p2.stderr, user, oct(st.st_mode)))

    # ---- the man pages
    pages = {m: installed(mandir, m) for m in ("man1/wizyta.1", "man5/wizyta.conf.5",
                                                "man8/wizytad.8", "man8/wizyta-web.8")}
    for name, path in pages.items():
        p = run(["groff", "-k", "-t", "-man", "-Tutf8", "-ww", "-z", path])
        t.ok(p.returncode == 0 and not p.stderr.strip(), "groff reads %s without a warning"
             % name, p.stderr)
    text = {}
    for name, path in pages.items():
        p = run(["groff", "-k", "-t", "-man", "-rHY=0", "-Tutf8", "-P", "-cbou", path],
                env=dict(os.environ, LANG="C.UTF-8"))
        text[name] = re.sub(r"\s+", " ", p.stdout.replace("\u2010", "-").replace("\u2212", "-"))
    p = run([os.path.join(BUILD, "wizyta"), "-h"])
    names = []
    for line in p.stdout.splitlines():
        if not line.startswith("  ") or line.startswith("      "):
            continue
        words = []
        for w in line.split():  # the name: the leading lower-case words
            if not (w.replace("-", "").isalpha() and w.islower()):
                break
            words.append(w)
        names.append(" ".join(words))
    undocumented = [n for n in names if not n or n not in text["man1/wizyta.1"]]
    t.ok(len(names) >= 12 and not undocumented,
         "wizyta(1) describes every command of wizyta -h (%d)" % len(names),
         (undocumented, names))
    with open(os.path.join(SRC, "lib", "config.c")) as f:
        keys = re.findall(r'\b[SCUDBTK]\(\s*"(\w+)",\s*"(\w+)"', f.read())
    conf5 = text["man5/wizyta.conf.5"]
    missing = [(s, k) for s, k in keys if "[%s]" % s not in conf5 or
               not re.search(r"(^|[\s,])%s([\s,]|$)" % re.escape(k), conf5)]
    t.ok(len(keys) > 60 and not missing,
         "wizyta.conf(5) describes every key of the configuration (%d)" % len(keys), missing)
    for page, words in (("man8/wizytad.8", ["SIGTERM", "SIGHUP", "/metrics", "/healthz",
                                            "Type=notify", "StateDirectory"]),
                        ("man8/wizyta-web.8", ["REVERSE PROXY", "trusted_proxies",
                                               "X-Forwarded-For", "/metrics", "/privacy"]),
                        ("man1/wizyta.1", ["BACKUP AND RESTORE", "PERSONAL DATA",
                                           "retain_days"])):
        absent = [w for w in words if w not in text[page]]
        t.ok(not absent, "%s covers %s" % (page, ", ".join(words)), absent)

    # ---- readiness and stopping through NOTIFY_SOCKET
    office = Office()
    office.cli("init")
    sock_path = os.path.join(office.dir, "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(sock_path)
    sock.settimeout(30)
    for name in ("wizytad", "wizyta-web"):
        office.start(name, name, env={"NOTIFY_SOCKET": sock_path})
        try:
            first = sock.recv(4096).decode()
        except socket.timeout:
            first = ""
        port = office.web_port if name == "wizyta-web" else office.gw_port
        serving = office.wait_port(port, 1)
        proc = office.procs[name]
        proc.send_signal(signal.SIGTERM)
        try:
            second = sock.recv(4096).decode()
        except socket.timeout:
            second = ""
        code = proc.wait(30)
        office.procs.pop(name)
        t.ok("READY=1" in first.split("\n") and serving and second == "STOPPING=1" and code == 0,
             "%s says READY=1 when it serves, STOPPING=1 on SIGTERM, and exits 0" % name,
             (first, serving, second, code, office.log(name)[-500:]))
    sock.close()
finally:
    if office is not None:
        office.cleanup()
    shutil.rmtree(root, ignore_errors=True)
t.done()
