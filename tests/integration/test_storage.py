#!/usr/bin/python3
"""A database that cannot be written (TAP; issue 9, "Disk full /
read-only database").

At start: a read-only directory, a read-only database file and a full
file system each stop wizyta-web and wizytad with one clear line and exit
status 1. While running: when the file system fills up, a booking gets a
503 (a page saying bookings are paused; the API's JSON error with
Retry-After), the log says so once instead of a line per request, and
bookings work again as soon as there is room.

The file systems are real: a read-only bind mount and a small tmpfs, in a
private mount namespace of this test (root, or an unprivileged user
namespace), so nothing outlives it. Without one, the read-only checks use
file modes and the full-disk checks cannot run.
"""
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import (BUILD, Office, Tap, fill_disk,  # noqa: E402
                            first_free_slot, private_mounts, raw_http)

# our own mount namespace: the mounts below vanish with this process
MOUNTS = private_mounts()

t = Tap()


def sh(*args):
    r = subprocess.run(list(args), capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(args), r.stderr))


def start_fails(office, program):
    """program's exit status and output when started on this office"""
    try:
        r = subprocess.run([os.path.join(BUILD, program), "-c", office.conf],
                           capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired as e:
        return None, "still running after 30 s: %r" % (e.stderr,)
    return r.returncode, (r.stdout + r.stderr).strip()


def one_clear_line(out, db):
    return len(out.splitlines()) == 1 and "cannot be written" in out and db in out


def api_book(office, slot, sid, n):
    return office.api("POST", "/api/v1/bookings", {
        "service_id": sid, "start": slot["start"], "first_name": "Anna",
        "last_name": "Zapis", "email": "anna.zapis%d@example.pl" % n})


office = Office()
dbdir = os.path.join(office.dir, "db")
db = os.path.join(dbdir, "wizyta.db")
os.makedirs(dbdir)
office.configure({"database": {"path": db}})
try:
    t.ok(office.cli("init").returncode == 0 and office.cli("demo").returncode == 0,
         "init and demo")

    # --- at start: a read-only directory, a read-only file -------------------
    for what, path, mode in (("directory", dbdir, 0o555), ("file", db, 0o400)):
        if MOUNTS:
            sh("mount", "--bind", path, path)
            sh("mount", "-o", "remount,bind,ro", path)
        else:
            os.chmod(path, mode)
        for program in ("wizyta-web", "wizytad"):
            code, out = start_fails(office, program)
            t.ok(code == 1 and one_clear_line(out, db),
                 "%s refuses a read-only database %s: one line, exit 1" % (program, what),
                 (code, out))
        if MOUNTS:
            sh("umount", path)
        else:
            os.chmod(path, 0o700 if path == dbdir else 0o600)

    if MOUNTS:
        # --- at start: a full file system --------------------------------------
        keep = os.path.join(office.dir, "wizyta.db.copy")
        shutil.copy(db, keep)
        sh("mount", "-t", "tmpfs", "-o", "size=2m,mode=700", "tmpfs", dbdir)
        shutil.copy(keep, db)
        filler = os.path.join(dbdir, "filler")
        fill_disk(filler)
        for program in ("wizyta-web", "wizytad"):
            code, out = start_fails(office, program)
            t.ok(code == 1 and one_clear_line(out, db),
                 "%s refuses a full file system: one line, exit 1" % program, (code, out))

        # --- running: the file system fills up ----------------------------------
        os.unlink(filler)
        office.start("wizyta-web", "wizyta-web")
        t.ok(office.wait_port(office.web_port), "wizyta-web starts with room on the disk",
             office.log("wizyta-web"))
        code, services = office.api("GET", "/api/v1/services")
        sid = services[0]["id"]
        slot = first_free_slot(office, sid)
        # the booking form, shown before the disk fills (a form sent
        # sooner than 3 s after it was shown is a bot's)
        code, headers, html = raw_http(office.web_port, (
            "GET /book?service=%d&start=%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            % (sid, urllib.parse.quote(slot["start"]))).encode())
        html = html.decode()
        cookie = re.search(r"csrf=([0-9a-f]+)", headers.get("set-cookie", ""))
        form = {"csrf": cookie.group(1) if cookie else "", "service": str(sid),
                "start": slot["start"], "first_name": "Anna", "last_name": "Formularz",
                "email": "anna.form@example.pl", "consent": "1"}
        for name in ("stamp",):
            m = re.search(r'name="%s" value="([^"]*)"' % name, html)
            form[name] = m.group(1) if m else ""
        time.sleep(3.2)
        fill_disk(filler)
        answers = [api_book(office, slot, sid, n) for n in range(40)]
        codes = sorted(set(c for c, _ in answers))
        t.ok(codes == [503] and all(b.get("error") == "unavailable" and b.get("message")
                                    for _, b in answers),
             "a full disk: 40 API bookings get 503 {\"error\": \"unavailable\"}", answers[:2])
        body = urllib.parse.urlencode(form).encode()
        code, headers, page = raw_http(office.web_port, (
            b"POST /book HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Cookie: csrf=" + form["csrf"].encode() + b"\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)) + body)
        page = page.decode()
        t.ok(code == 503 and "Rezerwacje chwilowo wstrzymane" in page and
             headers.get("retry-after"),
             "the booking form gets a 503 page saying bookings are paused", (code, page[-800:]))
        code, headers, answer = raw_http(office.web_port, (
            "GET /api/v1/services/%d/slots?date=%s HTTP/1.1\r\nHost: x\r\n"
            "Connection: close\r\n\r\n" % (sid, slot["start"][:10])).encode())
        t.ok(code == 200, "reading still works (slots: 200)", code)
        log = office.log("wizyta-web")
        said = [line for line in log.splitlines() if "cannot be written" in line]
        t.ok(len(said) == 1, "the log says once that the database cannot be written", log)
        t.ok(len(log.splitlines()) <= 8, "41 failed writes make a handful of log lines, not 41"
             " (%d)" % len(log.splitlines()), log)
        os.unlink(filler)
        code, b = api_book(office, slot, sid, 99)
        t.ok(code == 201, "room again: the next booking is 201", b)
        log = office.log("wizyta-web")
        t.ok("writable again" in log, "and the log says the database is writable again", log)
        codes = office.stop_all()
        t.ok(codes.get("wizyta-web") == 0, "wizyta-web exits 0", codes)
        sh("umount", dbdir)
finally:
    office.stop_all()
    if MOUNTS:
        subprocess.run(["umount", "-R", dbdir], capture_output=True)
    office.cleanup()
t.done()
