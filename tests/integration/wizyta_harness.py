"""wizyta_harness: start wizyta programs for integration tests.

Each test gets a temporary directory with its own config, database, maildir
and spool, free loopback ports, and the programs from the build tree
($top_builddir). Everything it starts it stops by pid. Output is TAP.
Standard library only (and Debian's python3-psycopg2 on the PostgreSQL
run); run with /usr/bin/python3.

The database is an SQLite file in the directory, or, on the suite's
PostgreSQL run (WIZYTA_TEST_BACKEND=postgresql, tests/pg_run.sh), a
database of its own on the run's server (WIZYTA_TEST_PG). Tests that look
into it use Office.sql, which speaks to either.
"""
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "peers"))
from ports import free_port  # noqa: E402,F401

BUILD = os.environ.get("top_builddir") or os.path.abspath(
    os.path.join(os.path.dirname(__file__), "..", ".."))

TOP = os.path.abspath(os.environ.get("top_srcdir") or
                      os.path.join(os.path.dirname(__file__), "..", ".."))
VNU = os.path.join(TOP, "tests", "browser", "node_modules", "vnu-jar", "build", "dist", "vnu.jar")

POSTGRESQL = os.environ.get("WIZYTA_TEST_BACKEND") == "postgresql"


def vnu(pages, warnings=True, timeout=300):
    """The Nu Html Checker (vnu.jar of tests/browser) on pages, a dict
    name -> html: (ok, report). ok when vnu ran and found no error — and,
    with warnings, no warning either (a judge's run shows them beside the
    errors); report lists the first twenty, by page name and line."""
    import glob
    with tempfile.TemporaryDirectory() as d:
        names = {}
        for i, (name, html) in enumerate(sorted(pages.items())):
            names["p%03d.html" % i] = name
            with open(os.path.join(d, "p%03d.html" % i), "w") as f:
                f.write(html)
        r = subprocess.run(["java", "-jar", VNU, "--format", "json"] +
                           ([] if warnings else ["--errors-only"]) +
                           sorted(glob.glob(os.path.join(d, "*.html"))),
                           capture_output=True, text=True, timeout=timeout)
    try:
        messages = [m for m in json.loads(r.stderr or r.stdout or "{}").get("messages", [])
                    if m.get("type") != "info" or m.get("subType") == "warning"]
    except ValueError:
        messages = [{"message": (r.stderr or r.stdout)[:2000]}]
    report = "\n".join("%s:%s: %s" % (
        names.get(os.path.basename(urllib.parse.urlparse(m.get("url", "")).path), m.get("url")),
        m.get("lastLine"), m.get("message")) for m in messages[:20])
    return os.path.exists(VNU) and r.returncode == 0 and not messages, report


def pg_connect(conninfo):
    import psycopg2  # Debian's python3-psycopg2: only the PostgreSQL run
    con = psycopg2.connect(conninfo)
    con.autocommit = True
    return con


def pg_conninfo(dbname):
    """The run's server (WIZYTA_TEST_PG), database dbname."""
    words = [w for w in os.environ["WIZYTA_TEST_PG"].split() if not w.startswith("dbname=")]
    return " ".join(words + ["dbname=" + dbname])


# Every Office of this test and the Tap that reports: when an office is
# cleaned up (or the test ends), the logs of its programs are searched for
# the personal data the test gave them (names, e-mail addresses, phone
# numbers: registered by Office.http/api, Client.req and Office.personal,
# and whatever its database holds however it came: database_personal):
# none may be there (README "Logs"). One TAP line per office. The browser
# tests run the same search (scan-logs below, tests/browser/lib.js).
_offices = []
_tap = None
PII_FIELDS = ("first_name", "last_name", "email", "phone", "contact")


class Tap:
    """Minimal TAP producer: plan at the end, so tests can be added freely."""

    def __init__(self):
        global _tap
        self.n = 0
        self.failed = 0
        self.finished = False
        _tap = self

    def ok(self, cond, name, diag=None):
        self.n += 1
        print(("ok %d - %s" if cond else "not ok %d - %s") % (self.n, name), flush=True)
        if not cond:
            self.failed += 1
            if diag is not None:
                for line in str(diag).splitlines()[:40]:
                    print("# " + line, flush=True)
        return cond

    def skip_all(self, why):
        print("1..0 # SKIP " + why, flush=True)
        sys.exit(0)

    def done(self):
        for office in list(_offices):
            office.check_logs()
        self.finished = True
        print("1..%d" % self.n, flush=True)
        sys.exit(1 if self.failed else 0)


class Office:
    """A wizyta installation in a temporary directory."""

    def __init__(self, extra=None, confirm_within="30m"):
        self.dir = tempfile.mkdtemp(prefix="wizyta-it-")
        self.web_port = free_port()
        self.gw_port = free_port()
        self.secret = "test-secret-" + os.urandom(6).hex()
        self.base = "http://127.0.0.1:%d" % self.web_port
        self.maildir = os.path.join(self.dir, "mail")
        self.spool = os.path.join(self.dir, "sms")
        if POSTGRESQL:
            # a database of its own on the run's server, dropped by cleanup
            self.pg_dbname = "wizyta_it_" + os.urandom(6).hex()
            admin = pg_connect(os.environ["WIZYTA_TEST_PG"])
            admin.cursor().execute('CREATE DATABASE "%s"' % self.pg_dbname)
            admin.close()
            database = {"backend": "postgresql", "conninfo": pg_conninfo(self.pg_dbname)}
        else:
            self.pg_dbname = None
            database = {"path": os.path.join(self.dir, "wizyta.db")}
        sections = {
            "database": database,
            "web": {"listen": "127.0.0.1:%d" % self.web_port, "base_url": self.base,
                    "rate_limit": "100000", "max_open_per_contact": "0"},
            "gateway": {"listen": "127.0.0.1:%d" % self.gw_port},
            "mail": {"transport": "maildir", "inbound": "maildir", "maildir": self.maildir,
                     "reply_address": "wizyta@urzad.example"},
            "sms": {"provider": "spool", "spool": self.spool,
                    # numeric: phones can answer it (two-way SMS)
                    "sender": "48500100200", "callback_secret": self.secret},
            # every request comes from 127.0.0.1: the abuse limits on
            # unconfirmed bookings are off unless a test turns them on
            "booking": {"confirm_within": confirm_within, "lead_time": "0",
                        "max_pending_per_address": "0", "max_pending_per_network": "0",
                        "pressure_share": "0", "max_pending_share": "0"},
        }
        self.sections = sections
        self.conf = os.path.join(self.dir, "wizyta.conf")
        self.configure(extra)
        self.procs = {}
        self.logs = {}
        self.pii = set()      # personal data the test gave this office
        self.logs_checked = False
        _offices.append(self)

    def personal(self, *values):
        """Register personal data the programs must never log."""
        for v in values:
            # a name of one or two letters ("A", "Li") is no needle: it is
            # in every log as a word
            if isinstance(v, str) and len(v.strip()) >= 3:
                self.pii.add(v.strip())

    def personal_from(self, fields):
        """Register the personal fields of a request body or form."""
        if isinstance(fields, dict):
            self.personal(*[fields.get(k) for k in PII_FIELDS])

    def check_logs(self, tap=None):
        """One TAP line: no registered personal data in the logs of this
        office's programs (run by cleanup() and Tap.done())."""
        tap = tap or _tap
        if self.logs_checked or tap is None or tap.finished or not self.logs:
            return
        self.logs_checked = True
        needles = self.pii | self.database_personal()
        found = personal_data_in_logs(self, sorted(needles))
        tap.ok(not found, "the logs (%s) carry none of the %d personal values the test gave"
               % (", ".join(sorted(self.logs)), len(needles)), found[:10])

    def database_personal(self):
        """database_personal of this office's database, on either backend
        (an empty set when it is gone)."""
        if self.pg_dbname is None:
            return database_personal(self.sections["database"]["path"])
        values = set()
        for table, columns in PERSONAL_COLUMNS:
            for column in columns:
                try:
                    rows = self.sql("SELECT DISTINCT %s FROM %s" % (column, table))
                except Exception:  # a dropped database, an older schema
                    continue
                values |= {v.strip() for (v,) in rows
                           if isinstance(v, str) and len(v.strip()) >= 3}
        return values

    def configure(self, extra=None):
        """Merge extra {section: {key: value}} into the config and write it."""
        for sec, kv in (extra or {}).items():
            self.sections.setdefault(sec, {}).update(kv)
        with open(self.conf, "w") as f:
            for sec, kv in self.sections.items():
                f.write("[%s]\n" % sec)
                for k, v in kv.items():
                    f.write("%s = %s\n" % (k, v))

    def cli(self, *args, stdin=None, env=None):
        """Run wizyta -c CONF ARGS; env adds variables (e.g. faketime(...))."""
        return subprocess.run([os.path.join(BUILD, "wizyta"), "-c", self.conf] + list(args),
                              input=stdin, capture_output=True, text=True, timeout=60,
                              env=dict(os.environ, **(env or {})))

    def start(self, name, program, env=None):
        """Start a program; env adds variables (e.g. faketime(...))."""
        log = open(os.path.join(self.dir, name + ".log"), "a")
        self.logs[name] = log.name
        full = dict(os.environ, **(env or {}))
        self.procs[name] = subprocess.Popen([os.path.join(BUILD, program), "-c", self.conf],
                                            stdout=log, stderr=subprocess.STDOUT, env=full)

    def log(self, name):
        try:
            with open(self.logs[name]) as f:
                return f.read()
        except (KeyError, OSError):
            return ""

    def wait_port(self, port, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            try:
                socket.create_connection(("127.0.0.1", port), 0.5).close()
                return True
            except OSError:
                time.sleep(0.05)
        return False

    def start_all(self):
        self.start("wizytad", "wizytad")
        self.start("wizyta-web", "wizyta-web")
        return self.wait_port(self.web_port)

    def stop(self, name, sig=signal.SIGTERM, timeout=20):
        p = self.procs.pop(name, None)
        if p is None:
            return None
        p.send_signal(sig)
        try:
            return p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            return p.wait()

    def stop_all(self):
        codes = {}
        for name in list(self.procs):
            codes[name] = self.stop(name)
        return codes

    def http(self, method, path, body=None, raw=None, headers=None):
        """One JSON request: (status, headers, text), errors included."""
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        self.personal_from(body)
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, dict(r.headers), r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read().decode("utf-8", "replace")

    def api(self, method, path, body=None, raw=None, headers=None):
        status, _, text = self.http(method, path, body, raw, headers)
        try:
            return status, json.loads(text) if text else None
        except ValueError:
            return status, text

    def start_web(self, tap):
        """init + demo + wizyta-web, or the test ends here."""
        self.cli("init")
        self.cli("demo")
        self.start("wizyta-web", "wizyta-web")
        if not tap.ok(self.wait_port(self.web_port), "wizyta-web starts", self.log("wizyta-web")):
            tap.done()

    def start_both(self, tap):
        """init + demo + wizytad and wizyta-web, both listening, or the
        test ends here."""
        self.cli("init")
        self.cli("demo")
        if not tap.ok(self.start_all() and self.wait_port(self.gw_port),
                      "wizyta-web and wizytad start",
                      self.log("wizyta-web") + self.log("wizytad")):
            tap.done()

    def outbox_files(self):
        d = os.path.join(self.maildir, "outbox", "new")
        try:
            names = sorted(os.listdir(d))
        except OSError:
            return []
        out = []
        for n in names:
            with open(os.path.join(d, n), "rb") as f:
                out.append(f.read())
        return out

    def spool_files(self):
        try:
            names = sorted(n for n in os.listdir(self.spool) if not n.startswith("."))
        except OSError:
            return []
        out = []
        for n in names:
            with open(os.path.join(self.spool, n), "rb") as f:
                out.append(f.read().decode("utf-8", "replace"))
        return out

    def deliver_reply(self, raw_bytes):
        """Put a reply into the inbound maildir the way an MDA would."""
        base = os.path.join(self.maildir, "inbound")
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(base, sub), exist_ok=True)
        name = "%d.%s.test" % (time.time_ns(), os.urandom(4).hex())
        tmp = os.path.join(base, "tmp", name)
        with open(tmp, "wb") as f:
            f.write(raw_bytes)
        os.rename(tmp, os.path.join(base, "new", name))

    def sql(self, query, params=()):
        """Run SQL on the office's database, as another process would, and
        return its rows (a list of tuples; [] for a statement without).
        Write it once for both backends: ? for each value, no SQLite-only
        functions (compute times in Python)."""
        if self.pg_dbname is not None:
            con = pg_connect(pg_conninfo(self.pg_dbname))
            try:
                cur = con.cursor()
                cur.execute(query.replace("?", "%s"), tuple(params))
                if cur.description is None:
                    return []
                # bytea arrives as a memoryview: bytes, as SQLite's BLOB
                return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                        for row in cur.fetchall()]
            finally:
                con.close()
        import sqlite3
        con = sqlite3.connect(self.sections["database"]["path"], timeout=30)
        try:
            with con:
                return con.execute(query, tuple(params)).fetchall()
        finally:
            con.close()

    def break_database(self):
        """The database is gone from under the running programs: the SQLite
        file is no database any more; the PostgreSQL database is dropped
        (its connections cut)."""
        if self.pg_dbname is not None:
            admin = pg_connect(os.environ["WIZYTA_TEST_PG"])
            admin.cursor().execute('DROP DATABASE "%s" WITH (FORCE)' % self.pg_dbname)
            admin.close()
            return
        path = self.sections["database"]["path"]
        for suffix in ("", "-wal", "-shm"):
            try:
                os.remove(path + suffix)
            except OSError:
                pass
        with open(path, "w") as f:
            f.write("not a database\n" * 100)

    def cleanup(self):
        self.stop_all()
        self.check_logs()
        subprocess.run(["rm", "-rf", self.dir])
        if self.pg_dbname is not None:
            admin = pg_connect(os.environ["WIZYTA_TEST_PG"])
            admin.cursor().execute('DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % self.pg_dbname)
            admin.close()
            self.pg_dbname = None


def raw_http(port, request, source="127.0.0.1", timeout=30):
    """Send request (bytes, sent exactly as given) to 127.0.0.1:port from
    the loopback address source; (status, {lower-case header: value},
    body bytes), status 0 when the server closed without an answer."""
    s = socket.create_connection(("127.0.0.1", port), timeout, (source, 0))
    try:
        s.sendall(request)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
            head, sep, body = data.partition(b"\r\n\r\n")
            if sep:
                m = [l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")]
                if m and len(body) >= int(m[0].split(b":")[1]):
                    break
    except (ConnectionResetError, socket.timeout):
        pass
    finally:
        s.close()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        return 0, {}, data
    headers = {}
    for line in lines[1:]:
        k, _, v = line.decode("latin-1").partition(":")
        k = k.strip().lower()
        headers[k] = headers[k] + "\n" + v.strip() if k in headers else v.strip()
    return status, headers, body


def personal_data_in_logs(office, needles, extra_files=()):
    """The (file, needle) pairs where a piece of personal data (an e-mail
    address, a name, a phone number in any spacing) shows up in the logs of
    the office's programs: there must be none."""
    found = []
    files = list(office.logs.values()) + list(extra_files)
    for path in files:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
        except OSError:
            continue
        # every run of digits, however spaced (600 700 800, +48-600-700-800)
        runs = ["".join(c for c in r if c.isdigit())
                for r in re.findall(r"\+?\d[\d \-()]*\d", text)]
        for n in needles:
            # a name matches as a word ("Ewa" is not in "ewaluacja"); an
            # address or a number anywhere
            if "@" in n or any(c.isdigit() for c in n):
                hit = n.lower() in text.lower()
            else:
                hit = re.search(r"(?<!\w)%s(?!\w)" % re.escape(n), text, re.I) is not None
            if hit:
                found.append((os.path.basename(path), n))
            d = "".join(c for c in n if c.isdigit())
            if len(d) >= 9 and any(d[-9:] in r for r in runs):
                found.append((os.path.basename(path), n))
    return found


# where a database keeps personal data (citizens', and operators' own
# contacts); a table or column an older schema lacks is skipped
PERSONAL_COLUMNS = (
    ("bookings", ("first_name", "last_name", "email", "phone")),
    ("outbox", ("recipient",)),
    ("inbox", ("sender",)),
    ("sms_optout", ("phone",)),
    ("operators", ("email", "phone")),
    ("waitlist", ("first_name", "last_name", "email", "phone")),
)


def database_personal(db):
    """Every name, e-mail address and phone number in the database at db
    (read-only; an empty set when there is none)."""
    import sqlite3
    values = set()
    if not os.path.exists(db):
        return values
    try:
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10)
    except sqlite3.Error:
        return values
    try:
        for table, columns in PERSONAL_COLUMNS:
            for column in columns:
                try:
                    rows = con.execute("SELECT DISTINCT %s FROM %s" % (column, table))
                except sqlite3.Error:
                    continue
                for (v,) in rows:
                    # a name of one or two letters is no needle (as personal())
                    if isinstance(v, str) and len(v.strip()) >= 3:
                        values.add(v.strip())
    finally:
        con.close()
    return values


class _Logs:
    """An office's log files alone, for personal_data_in_logs."""

    def __init__(self, paths):
        self.logs = {os.path.basename(p): p for p in paths}


def scan_logs_main(argv):
    """wizyta_harness.py scan-logs DB LOG... [-- NEEDLE...]: the personal
    data of the database (and the needles given) found in the logs, as
    JSON [[file, value], ...] (the browser tests' check)."""
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    needles = database_personal(argv[0]) | {n for n in extra if len(n.strip()) >= 3}
    found = personal_data_in_logs(_Logs(argv[1:]), sorted(needles))
    print(json.dumps({"values": len(needles), "found": found}, ensure_ascii=False))
    return 0


def private_mounts():
    """Run this test in a mount namespace of its own (as root, or in an
    unprivileged user namespace), so that what it mounts (a read-only bind,
    a small tmpfs) vanishes with it: call before anything else, it re-runs
    the script there. True when the test runs in one, False when none
    could be made (then it must do without mounts)."""
    if os.environ.get("WIZYTA_TEST_MOUNTNS") is None:
        os.environ["WIZYTA_TEST_MOUNTNS"] = "1"
        for ns in (["--mount"], ["--user", "--map-root-user", "--mount"]):
            if subprocess.run(["unshare"] + ns + ["--propagation", "private", "true"],
                              capture_output=True).returncode == 0:
                os.execvp("unshare", ["unshare"] + ns + ["--propagation", "private",
                                                         sys.executable] + sys.argv)
        os.environ["WIZYTA_TEST_MOUNTNS"] = "0"
    return os.environ["WIZYTA_TEST_MOUNTNS"] == "1"


def fill_disk(path):
    """Fill the file system of path: a file that grows until ENOSPC;
    unbuffered, so that closing it has nothing left to write (a buffered
    close raised ENOSPC again)."""
    with open(path, "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
        try:
            os.fsync(f.fileno())
        except OSError:
            pass


FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"


def faketime(spec):
    """Environment that runs a program at a chosen clock (libfaketime):
    "+1800" shifts it 30 minutes ahead, "@2026-12-08 08:00:00" starts it
    there and lets it run, "2026-12-08 09:00:00" stops it there (for a
    check at a minute's edge: a loaded machine is slow), office time
    (Europe/Warsaw). Restart a program with another spec to move time
    on."""
    asan = os.environ.get("ASAN_OPTIONS", "")
    return {"LD_PRELOAD": FAKETIME_LIB, "FAKETIME": spec, "DONT_FAKE_MONOTONIC": "1",
            "TZ": "Europe/Warsaw",
            "ASAN_OPTIONS": (asan + ":" if asan else "") + "verify_asan_link_order=0"}


class Client:
    """A cookie-keeping HTTP client that does not follow redirects, like a
    browser without JavaScript. req() answers (status, headers, text)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base):
        self.base = base
        self.set_cookies = []  # every Set-Cookie of the last answer
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), self.NoRedirect())

    def req(self, method, path, form=None, headers=None, body=None):
        for office in _offices:
            if self.base == office.base:
                office.personal_from(form)
                office.personal_from(body)
        data = None
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
        elif body is not None:
            data = json.dumps(body).encode()
        r = urllib.request.Request(self.base + path, data=data, method=method)
        if form is not None:
            r.add_header("Content-Type", "application/x-www-form-urlencoded")
        elif body is not None:
            r.add_header("Content-Type", "application/json")
        for k, v in (headers or {}).items():
            r.add_header(k, v)
        try:
            with self.opener.open(r, timeout=30) as resp:
                self.set_cookies = resp.headers.get_all("Set-Cookie") or []
                return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            self.set_cookies = e.headers.get_all("Set-Cookie") or []
            return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read().decode("utf-8", "replace")

    def cookie(self, name):
        for c in self.jar:
            if c.name == name:
                return c.value
        return None


def hidden(html, name):
    """The value of a hidden form field."""
    m = re.search(r'name="%s" value="([^"]*)"' % name, html)
    return m.group(1) if m else ""


def wait_for(fn, timeout=15, step=0.1):
    end = time.time() + timeout
    while True:
        v = fn()
        if v or time.time() > end:
            return v
        time.sleep(step)


def first_free_slot(office, service_id, days=21, skip=0):
    """The first bookable slot of a service in the next weeks."""
    import datetime
    day = datetime.date.today()
    for i in range(days):
        d = (day + datetime.timedelta(days=i)).isoformat()
        code, slots = office.api("GET", "/api/v1/services/%d/slots?date=%s" % (service_id, d))
        if code == 200 and len(slots) > skip:
            return slots[skip]
    return None


def one_place(office, services):
    """(service id, start) of a slot with exactly one free place, for a
    race; None when the office has none."""
    for s in services:
        d = first_free_slot(office, s["id"], skip=3)
        if not d:
            continue
        code, slots = office.api("GET", "/api/v1/services/%d/slots?date=%s"
                                 % (s["id"], d["start"][:10]))
        starts = [x["start"] for x in slots]
        for x in slots:
            if starts.count(x["start"]) == 1 and x["free"] == 1:
                return (s["id"], x["start"])
    return None


def race(bases, place, n=64):
    """n clients, released at once, each POST a booking of place (service
    id, start) to bases[i % len(bases)] (the site's http://host:port):
    the list of their status codes."""
    import threading
    results = []
    lock = threading.Lock()
    barrier = threading.Barrier(n)

    def racer(i):
        body = {"service_id": place[0], "start": place[1], "first_name": "Racer",
                "last_name": "Nr%d" % i, "email": "racer%d@example.pl" % i}
        req = urllib.request.Request(bases[i % len(bases)] + "/api/v1/bookings",
                                     data=json.dumps(body).encode(), method="POST")
        req.add_header("Content-Type", "application/json")
        barrier.wait()
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                code = r.status
        except urllib.error.HTTPError as e:
            code = e.code
        with lock:
            results.append(code)
    threads = [threading.Thread(target=racer, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return results


if __name__ == "__main__" and sys.argv[1:2] == ["scan-logs"]:
    sys.exit(scan_logs_main(sys.argv[2:]))
