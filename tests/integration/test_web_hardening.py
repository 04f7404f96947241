#!/usr/bin/python3
"""wizyta-web as a hostile visitor sees it (TAP; issue 9, "must not crash"
and "must not expose"):

- bytes that are not UTF-8 anywhere in a request (path, query, form,
  cookie, header, JSON) get 400/404, never a dead server;
- a link built from the request path stays on the site (//evil.example);
- the API refuses a write that is not application/json (415, JSON error);
- cookies are Secure and HSTS is sent when base_url is https, not otherwise;
- /dev/mailbox is off by default; when on, it says so once at start and
  answers loopback clients only (not one behind a trusted proxy, not a
  request forwarded by an untrusted one);
- under umask 000 the database, -wal, -shm, mail and SMS files are 0600
  and their directories 0700;
- a delivery report naming an e-mail message changes nothing.
"""
import os
import re
import sqlite3
import stat
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import Office, Tap, first_free_slot, raw_http, wait_for  # noqa: E402

t = Tap()
os.umask(0)  # the programs must not rely on the caller's umask


def get(office, target, headers=b"", method=b"GET", body=b"", source="127.0.0.1"):
    req = (method + b" " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" +
           headers + b"Content-Length: %d\r\n\r\n" % len(body) + body)
    try:
        return raw_http(office.web_port, req, source)
    except OSError:
        return 0, {}, b""


def alive(office):
    """Whether wizyta-web still serves; a dead one is restarted so that the
    remaining checks still run."""
    try:
        code, _, _ = get(office, b"/")
    except OSError:
        code = 0
    if code == 200 and office.procs["wizyta-web"].poll() is None:
        return True
    office.stop("wizyta-web")
    office.start("wizyta-web", "wizyta-web")
    office.wait_port(office.web_port)
    return False


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


office = Office()
secure = None
try:
    t.ok(office.cli("init").returncode == 0 and office.cli("demo").returncode == 0,
         "init and demo")
    t.ok(office.start_all(), "wizytad and wizyta-web start", office.log("wizyta-web"))

    # --- bytes that are not UTF-8 ------------------------------------------
    cases = [
        (b"/%ff", b"", b"GET", b""),
        (b"/static/%c0%ae%c0%ae/etc/passwd", b"", b"GET", b""),
        (b"/b/%ff", b"", b"GET", b""),
        (b"/services/%ff", b"", b"GET", b""),
        (b"/b/%ed%a0%80", b"", b"GET", b""),          # a surrogate
        (b"/\xff\xfe", b"", b"GET", b""),             # raw bytes
        (b"/x%00y", b"", b"GET", b""),
        (b"/api/v1/services/%ff/slots?date=2030-01-07", b"", b"GET", b""),
        (b"/api/v1/bookings/%ff", b"", b"GET", b""),
        (b"/?lang=%ff", b"", b"GET", b""),
        (b"/?%ff=1", b"", b"GET", b""),
        (b"/find?x=%c3", b"", b"GET", b""),
        (b"/", b"Cookie: lang=\xff; csrf=\xfe\xff\r\n", b"GET", b""),
        (b"/", b"X-Forwarded-For: \xff\r\nUser-Agent: \xc0\xae\r\n", b"GET", b""),
        (b"/find", b"Content-Type: application/x-www-form-urlencoded\r\n", b"POST",
         b"reference=%ff&contact=%c0"),
        (b"/find", b"Content-Type: application/x-www-form-urlencoded\r\n", b"POST",
         b"reference=a\x00b"),
        (b"/api/v1/bookings", b"Content-Type: application/json\r\n", b"POST",
         b'{"service_id": 1, "first_name": "\xff"}'),
        (b"/api/v1/bookings/ABC/cancel", b"Content-Type: application/json\r\n", b"POST",
         b'{"contact": "\xed\xa0\x80"}'),
    ]
    for target, headers, method, body in cases:
        code, _, answer = get(office, target, headers, method, body)
        log = office.log("wizyta-web")[-2000:]
        lives = alive(office)
        # a header or cookie that is not UTF-8 is ignored: the page is served
        t.ok((code in (400, 403, 404) or (headers and code == 200)) and lives,
             "%s %r → %d, and the server lives on" % (method.decode(), target + body, code),
             (code, answer[:300], log))
    code, headers, answer = get(office, b"/%ff")
    t.ok(code == 400 and b"<html" in answer and headers.get("content-type", "").startswith(
        "text/html"), "an unreadable page address gets a 400 page", answer[:300])
    code, headers, answer = get(office, b"/api/v1/bookings/%ff")
    t.ok(code == 400 and b'"error"' in answer, "the API answers 400 in its JSON shape", answer)

    # --- links built from the request path stay on the site -----------------
    for target in (b"//evil.example/login", b"///evil.example/login", b"/%2F/evil.example/x",
                   b"/\\evil.example/login"):
        code, _, answer = get(office, target)
        links = re.findall(rb'href="([^"]*)"', answer)
        offsite = [l for l in links if l.startswith(b"//") or l.startswith(b"/\\") or
                   b"://" in l]
        switch = [l for l in links if b"lang=en" in l]
        t.ok(code == 404 and switch and not offsite,
             "404 for %r links only to this site (%r)" % (target, switch[:1]), links)

    # --- API writes are JSON -------------------------------------------------
    for ctype in (b"text/plain", b"application/x-www-form-urlencoded",
                  b"multipart/form-data; boundary=x", b"application/json; charset=latin1",
                  b"application/jsonx"):
        code, headers, answer = get(office, b"/api/v1/bookings",
                                    b"Content-Type: " + ctype + b"\r\nOrigin: http://evil\r\n",
                                    b"POST", b'{"service_id": 1}')
        t.ok(code == 415 and b'"error":"unsupported_media_type"' in answer and
             b'"message"' in answer,
             "API POST with Content-Type %s → 415 with the JSON error" % ctype.decode(), answer)
    code, _, answer = get(office, b"/api/v1/bookings", b"", b"POST", b'{"service_id": 1}')
    t.ok(code == 415, "API POST with a body and no Content-Type → 415", answer)
    for ctype in (b"application/json", b"application/json; charset=utf-8",
                  b"Application/JSON;charset=UTF-8"):
        code, _, answer = get(office, b"/api/v1/bookings", b"Content-Type: " + ctype + b"\r\n",
                              b"POST", b'{"service_id": 1}')
        t.ok(code == 422, "API POST with Content-Type %s is read (422 here)" % ctype.decode(),
             answer)

    # --- no HSTS, no Secure over plain http -----------------------------------
    code, headers, _ = get(office, b"/")
    t.ok("strict-transport-security" not in headers and
         "secure" not in headers.get("set-cookie", "").lower(),
         "http base_url: no HSTS, cookies without Secure", headers)

    # --- the dev mailbox is off by default -----------------------------------
    code, _, _ = get(office, b"/dev/mailbox")
    t.ok(code == 404 and "dev_mailbox" not in office.log("wizyta-web").replace(
        "dev_mailbox=", ""), "/dev/mailbox is off by default (404), nothing said",
        office.log("wizyta-web"))

    # --- a booking: files and their modes -------------------------------------
    code, services = office.api("GET", "/api/v1/services")
    slot = first_free_slot(office, services[0]["id"])
    code, b = office.api("POST", "/api/v1/bookings", {
        "service_id": services[0]["id"], "start": slot["start"], "first_name": "Jan",
        "last_name": "Nowak", "email": "jan.nowak@example.pl", "phone": "600 700 900"})
    t.ok(code == 201, "a booking with e-mail and phone", b)
    ref = b.get("reference", "")
    mails = wait_for(lambda: office.outbox_files(), 20)
    smses = wait_for(lambda: office.spool_files(), 20)
    db = office.sections["database"]["path"]
    files = [db, db + "-wal", db + "-shm"]
    outbox_new = os.path.join(office.maildir, "outbox", "new")
    files += [os.path.join(outbox_new, n) for n in os.listdir(outbox_new)] if mails else []
    files += [os.path.join(office.spool, n) for n in os.listdir(office.spool)
              if not n.startswith(".")] if smses else []
    t.ok(mails and smses and len(files) >= 5, "mail and SMS written", files)
    bad = [(f, oct(mode(f))) for f in files if os.path.exists(f) and mode(f) != 0o600]
    t.ok(not bad and all(os.path.exists(f) for f in files[:3]),
         "database, -wal, -shm, mail and SMS files are 0600 under umask 000", bad)
    dirs = [office.maildir, os.path.join(office.maildir, "outbox"), outbox_new, office.spool]
    bad = [(d, oct(mode(d))) for d in dirs if mode(d) != 0o700]
    t.ok(not bad, "mail and spool directories are 0700 under umask 000", bad)

    # --- a delivery report names an e-mail message -----------------------------
    con = sqlite3.connect(db, timeout=10)
    row = con.execute("SELECT o.id, o.status FROM outbox o JOIN bookings b ON b.id ="
                      " o.booking_id WHERE b.reference = ? AND o.channel = 'email'",
                      (ref,)).fetchone()
    con.close()
    t.ok(row is not None and row[1] == "sent", "the e-mail row is sent", row)
    if row is not None:
        target = ("/sms/dlr?secret=%s&msg=%d&status=16&reply=NACK" % (
            office.secret, row[0])).encode()
        code, _, answer = raw_http(office.gw_port, b"GET " + target +
                                   b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        t.ok(code == 200, "the provider's report is acknowledged (200)", answer)
        con = sqlite3.connect(db, timeout=10)
        after = con.execute("SELECT status FROM outbox WHERE id = ?", (row[0],)).fetchone()
        n_sms = con.execute("SELECT count(*) FROM outbox o JOIN bookings b ON b.id ="
                            " o.booking_id WHERE b.reference = ? AND o.channel = 'sms'",
                            (ref,)).fetchone()[0]
        con.close()
        t.ok(after == ("sent",), "a DLR for an e-mail message leaves it as it was", after)
        t.ok(n_sms == 1, "and queues no fallback SMS", n_sms)
    t.ok(office.procs["wizytad"].poll() is None, "wizytad lives on", office.log("wizytad"))
    office.stop_all()

    # --- https: Secure cookies, HSTS; the dev mailbox on -------------------------
    secure = Office(extra={"web": {"dev_mailbox": "yes", "trusted_proxies": "127.0.0.1"}})
    secure.configure({"web": {"base_url": "https://wizyta.urzad.example"}})
    secure.cli("init")
    secure.start("wizyta-web", "wizyta-web")
    t.ok(secure.wait_port(secure.web_port), "an https site starts", secure.log("wizyta-web"))
    code, headers, _ = get(secure, b"/")
    cookies = headers.get("set-cookie", "").split("\n")
    t.ok(headers.get("strict-transport-security", "").startswith("max-age=") and
         cookies and all("; Secure" in c for c in cookies if c),
         "https base_url: HSTS, and every cookie is Secure", headers)
    code, headers, _ = get(secure, b"/?lang=en")
    cookies = [c for c in headers.get("set-cookie", "").split("\n") if c]
    t.ok(len(cookies) == 2 and all("; Secure" in c for c in cookies),
         "the language cookie too", cookies)
    log = secure.log("wizyta-web")
    said = [line for line in log.splitlines() if "dev_mailbox is on" in line]
    t.ok(len(said) == 1 and "loopback" in said[0], "one line at start says the dev mailbox is"
         " on and loopback-only", log)
    code, _, _ = get(secure, b"/dev/mailbox")
    t.ok(code == 200, "dev mailbox: a loopback client is served", code)
    code, _, _ = get(secure, b"/dev/mailbox", b"X-Forwarded-For: 203.0.113.9\r\n")
    t.ok(code == 404, "dev mailbox: a client behind the trusted proxy is not loopback (404)",
         code)
    code, _, _ = get(secure, b"/dev/mailbox", b"X-Forwarded-For: 127.0.0.1, 198.51.100.4\r\n")
    t.ok(code == 404, "dev mailbox: the right-most untrusted hop counts (404)", code)
    secure.stop_all()
    secure.configure({"web": {"trusted_proxies": ""}})
    secure.start("wizyta-web", "wizyta-web")
    secure.wait_port(secure.web_port)
    code, _, _ = get(secure, b"/dev/mailbox", b"X-Forwarded-For: 203.0.113.9\r\n")
    t.ok(code == 404, "dev mailbox: a request forwarded by an untrusted proxy on this"
         " machine is refused (404)", code)
    code, _, _ = get(secure, b"/dev/mailbox", b"X-Real-IP: 203.0.113.9\r\n")
    t.ok(code == 404, "dev mailbox: X-Real-IP too (404)", code)
    code, _, _ = get(secure, b"/dev/mailbox")
    t.ok(code == 200, "dev mailbox: a direct loopback client is served", code)
    codes = secure.stop_all()
    t.ok(codes.get("wizyta-web") == 0, "wizyta-web exits 0", codes)
finally:
    office.cleanup()
    if secure is not None:
        secure.cleanup()
t.done()
