#!/usr/bin/python3
"""wizyta-web's HTML side over plain HTTP (TAP): what a browser test cannot
see easily. Security headers and no-store on pages; static files cached
with ETag/304; the booking form refuses a missing CSRF pair, a filled
honeypot, a too-fast or forged stamp; a message link GET never changes a
booking (mail scanners), a bare reference or a wrong token shows nothing;
X-Forwarded-For counts only from a trusted proxy; Polish plural forms.
"""
import os
import re
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import Client, Office, Tap, first_free_slot, hidden  # noqa: E402

t = Tap()


office = Office(extra={"web": {"trusted_proxies": "127.0.0.1", "rate_limit": "1000"}})
proxied = None
try:
    office.start_web(t)
    c = Client(office.base)

    code, h, html = c.req("GET", "/")
    csp = h.get("content-security-policy", "")
    t.ok(code == 200 and "frame-ancestors 'none'" in csp and "script-src" not in csp and
         "default-src 'none'" in csp and h.get("x-content-type-options") == "nosniff" and
         h.get("referrer-policy") == "no-referrer" and h.get("cache-control") == "no-store",
         "pages: CSP without script, frame-ancestors, nosniff, no-referrer, no-store", h)
    t.ok('<html lang="pl">' in html and 'href="#main"' in html and "<script" not in html,
         "pages: lang attribute, skip link, no script", html[:400])
    t.ok("csrf=" in h.get("set-cookie", "") and "HttpOnly" in h.get("set-cookie", "") and
         "SameSite=Strict" in h.get("set-cookie", ""), "a new client gets an HttpOnly SameSite CSRF cookie",
         h.get("set-cookie"))
    t.ok("15 minut" in html and "5 minut" in html, "durations in Polish plural forms", html)

    code, h, css = c.req("GET", "/static/style.css")
    t.ok(code == 200 and h.get("content-type", "").startswith("text/css") and
         "max-age" in h.get("cache-control", "") and h.get("etag"), "the stylesheet is cacheable with an ETag", h)
    code2, h2, _ = c.req("GET", "/static/style.css", headers={"If-None-Match": h.get("etag", "")})
    t.ok(code2 == 304, "If-None-Match → 304", code2)
    code, h, _ = c.req("GET", "/static/../web/http.c")
    t.ok(code == 404, "no path traversal into the sources", code)

    code, h, html = c.req("GET", "/?lang=en")
    t.ok('<html lang="en">' in html and "lang=en" in h.get("set-cookie", ""),
         "?lang=en switches to English and sets a cookie", h)
    code, h, html = c.req("GET", "/")
    t.ok('<html lang="en">' in html, "the language cookie is kept", html[:200])
    c.req("GET", "/?lang=pl")

    services = office.api("GET", "/api/v1/services")[1]
    sid = [s for s in services if s["name"] == "Rejestracja pojazdu"][0]["id"]
    slot = first_free_slot(office, sid)
    # a time that can never be booked: no form, the reason, the way back
    import datetime
    day = slot["start"][:10]
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    sunday = datetime.date.today() + datetime.timedelta(days=(6 - datetime.date.today().weekday()) or 7)
    off_grid = "%s%02d" % (slot["start"][:14], int(slot["start"][14:16]) + 2)
    for start, words, name in [
            (yesterday + "T10:00", "już minął", "a past time"),
            (sunday.isoformat() + "T10:00", "nie przyjmuje", "a Sunday"),
            (off_grid, "nie zaczyna się", "an off-grid time (%s)" % off_grid[11:])]:
        code, h, html = c.req("GET", "/book?service=%d&start=%s" % (sid, urllib.parse.quote(start)))
        t.ok(code == 422 and words in html and 'name="first_name"' not in html and
             ("/services/%d/%s" % (sid, start[:10])) in html,
             "the form is not shown for %s: 422, why, and a link back to the day" % name,
             (code, html[-700:]))
    code, h, html = c.req("GET", "/book?service=%d&start=%s" % (sid, urllib.parse.quote(slot["start"])))
    t.ok(code == 200 and 'aria-describedby="f-email-hint' in html and 'for="f-consent"' in html and
         "RODO" in html, "the form: labels, hints tied with aria-describedby, RODO clause", html)
    form = {"csrf": hidden(html, "csrf"), "stamp": hidden(html, "stamp"), "service": str(sid),
            "start": slot["start"], "first_name": "Ewa", "last_name": "Nowak",
            "email": "ewa@example.pl", "phone": "", "consent": "yes", "website": ""}

    code, h, html = c.req("POST", "/book", dict(form))
    t.ok(code == 400 and "szybko" in html, "a form sent within 3 s is refused (too fast)", (code, html[-600:]))
    time.sleep(3.2)
    code, h, html = c.req("POST", "/book", dict(form, csrf="0" * 32))
    t.ok(code == 400 and "wygasł" in html, "a wrong CSRF value is refused", code)
    code, h, html = c.req("POST", "/book", dict(form, stamp="1.deadbeef"))
    t.ok(code == 400, "a forged stamp is refused", code)
    code, h, html = c.req("POST", "/book", dict(form, website="http://spam.example"))
    t.ok(code == 400, "a filled honeypot is refused", code)
    code, h, html = c.req("POST", "/book", dict(form, consent="", first_name=""))
    t.ok(code == 422 and 'aria-invalid="true"' in html and "f-first_name-error" in html and
         "f-consent-error" in html, "missing name and consent: 422, every error shown at once", html)
    code, h, html = c.req("POST", "/book", dict(form, phone="123", email=""))
    t.ok(code == 422 and "telefonu" in html, "a bad phone: 422 with a Polish explanation", code)
    code, h, html = c.req("POST", "/book", dict(form, email="a..b@x..pl"))
    t.ok(code == 422 and "Nieprawidłowy adres e-mail" in html and "Invalid" not in html,
         "a bad e-mail: 422 with the Polish text of err_email_invalid", html[-800:])
    code, h, html = c.req("POST", "/book?lang=en", dict(form, email=".a@x.pl"))
    t.ok(code == 422 and "not valid" in html, "… and the English one on an English page", code)
    c.req("GET", "/?lang=pl")
    stranger = Client(office.base)
    code, h, html = stranger.req("POST", "/book", dict(form))
    t.ok(code == 400, "a POST without the CSRF cookie is refused", code)

    code, h, html = c.req("POST", "/book", dict(form))
    loc = h.get("location", "")
    m = re.match(r"^/b/([A-Z0-9]+)/sent\?t=([0-9a-f]+)$", loc)
    t.ok(code == 303 and m, "a good form → 303 to /b/REF/sent?t=…", (code, loc, html[-400:]))
    ref, token = m.groups() if m else ("", "")
    code, h, html = c.req("GET", loc)
    t.ok(code == 200 and "ewa@example.pl" in html and "30 minut" in html,
         "the sent page names the address and the time to confirm", html)

    code, h, html = c.req("POST", "/book", dict(form, email="inna@example.pl"))
    t.ok(code in (303, 409), "the same time again: another desk or a 409 page", code)
    if code == 303:
        code, h, html = c.req("POST", "/book", dict(form, email="trzecia@example.pl"))
    t.ok(code == 409 and "zajęty" in html and 'type="radio"' in html and 'name="start"' in html,
         "slot taken → 409 page offering the nearest free times", html[-800:])

    for path in ["/b/%s" % ref, "/b/%s?t=%s" % (ref, "0" * 16), "/b/%s/confirm?t=" % ref,
                 "/b/%s/wizyta.ics?t=%s" % (ref, token[:-1] + "x")]:
        code, h, html = c.req("GET", path)
        t.ok(code == 404 and "Link" in html, "no token or a wrong one → 404: " + path, code)
    code, h, html = c.req("GET", "/b/%s/confirm?t=%s" % (ref, token))
    status = office.api("GET", "/api/v1/bookings/" + ref)[1]["status"]
    t.ok(code == 200 and 'method="post"' in html and status == "pending",
         "GET on the confirm link only shows a button (scanners)", status)
    code, h, html = c.req("GET", "/b/%s/cancel?t=%s" % (ref, token))
    status = office.api("GET", "/api/v1/bookings/" + ref)[1]["status"]
    t.ok(code == 200 and status == "pending", "GET on the cancel link changes nothing", status)
    code, h, html = stranger.req("POST", "/b/%s/confirm" % ref, {"t": token, "csrf": "1" * 32})
    t.ok(code == 400 and office.api("GET", "/api/v1/bookings/" + ref)[1]["status"] == "pending",
         "a confirm POST without the CSRF pair is refused", code)
    code, h, html = c.req("GET", "/b/%s/confirm?t=%s" % (ref, token))
    code, h, html = c.req("POST", "/b/%s/confirm" % ref, {"t": token, "csrf": hidden(html, "csrf")})
    t.ok(code == 303 and office.api("GET", "/api/v1/bookings/" + ref)[1]["status"] == "booked",
         "the button POST confirms", (code, h.get("location")))
    code, h, html = c.req("GET", h.get("location", "/"))
    t.ok(re.search(r'class="code"[^>]*>\d{6}<', html) and "<svg" in html and "Pokój" in html,
         "the ticket: access code, QR, room and desk", html)
    code, h, ics = c.req("GET", "/b/%s/wizyta.ics?t=%s" % (ref, token))
    t.ok(code == 200 and "BEGIN:VEVENT" in ics and "attachment" in h.get("content-disposition", ""),
         ".ics download", h)

    code, h, html = c.req("GET", "/find")
    code, h, html = c.req("POST", "/find", {"csrf": hidden(html, "csrf"), "reference": ref.lower(),
                                             "contact": "EWA@example.pl"})
    t.ok(code == 303 and h.get("location") == "/b/%s?t=%s" % (ref, token),
         "find my booking: reference in any case + e-mail → the ticket link", h.get("location"))
    code, h, html = c.req("POST", "/find", {"csrf": hidden(html, "csrf") or form["csrf"],
                                             "reference": ref, "contact": "600700800"})
    t.ok(code == 404 and 'role="alert"' in html, "find with a wrong contact → 404 with an error", code)

    # X-Forwarded-For from a trusted proxy: the client is the right-most untrusted hop
    office.stop("wizyta-web")
    proxied = Office(extra={"web": {"trusted_proxies": "127.0.0.1 10.0.0.1", "rate_limit": "2"}})
    proxied.cli("init")
    proxied.cli("demo")
    proxied.start("wizyta-web", "wizyta-web")
    proxied.wait_port(proxied.web_port)

    def lookup(xff):
        return proxied.api("GET", "/api/v1/bookings/ZZZZZZZZZZ", headers={"X-Forwarded-For": xff})[0]
    codes = [lookup("198.51.100.1"), lookup("203.0.113.9, 198.51.100.1, 10.0.0.1"),
             lookup("198.51.100.1")]
    t.ok(codes == [404, 404, 429], "behind a trusted proxy each client has its own limit", codes)
    t.ok(lookup("198.51.100.2") == 404, "another client behind the proxy is not limited")
finally:
    office.cleanup()
    if proxied is not None:
        proxied.cleanup()
t.done()
