#!/usr/bin/python3
"""Staff sign-in, roles and CSRF against a real wizyta-web (TAP).

Sign-in and sign-out with the session cookie's attributes; the session
rotates at sign-in (and the CSRF cookie with it); `next` only leads within
the site; a wrong password and an unknown login get the same answer;
lockout after [staff] login_failures, also for unknown logins; the
per-address rate limit; disabled accounts; the idle and the absolute
timeout at a chosen clock (libfaketime, wizyta-web restarted with another
offset: sessions live in the database); CSRF refused centrally for forms and
for API calls made with the session cookie; 401 vs 403 on every role
boundary, for pages and for the API; API tokens added and revoked with the
CLI; 405 with Allow from the route tables; the audit log, which holds no
password and no token.
"""
import copy
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import Client, Office, Tap, faketime, hidden  # noqa: E402

t = Tap()
PASSWORDS = {"adam": "admin password 1", "basia": "staff password 2", "celina": "reception pw 3"}
ROLES = {"adam": "admin", "basia": "staff", "celina": "reception"}


def sign_in(c, login, password=None, next_path=None):
    path = "/staff/login" + ("?next=" + next_path if next_path else "")
    code, h, html = c.req("GET", path)
    form = {"csrf": hidden(html, "csrf"), "next": hidden(html, "next"), "login": login,
            "password": PASSWORDS.get(login, "x") if password is None else password}
    return c.req("POST", "/staff/login", form)


def error_text(html):
    m = re.search(r'<div class="errors"[^>]*>(.*?)</div>', html, re.S)
    return m.group(1) if m else ""


office = Office(extra={"staff": {"login_rate_limit": "1000", "login_failures": "3",
                                 "login_lockout": "15m", "session_idle": "30m",
                                 "session_max": "1h"}})
other = None
try:
    office.cli("init")
    office.cli("demo")
    for login, role in ROLES.items():
        r = office.cli("operator", "add", login, "--role", role, "--name", login.title() + " Testowa",
                       stdin=PASSWORDS[login] + "\n")
        t.ok(r.returncode == 0, "operator add %s (%s)" % (login, role), r.stderr)
    office.start("wizyta-web", "wizyta-web")
    if not t.ok(office.wait_port(office.web_port), "wizyta-web starts", office.log("wizyta-web")):
        t.done()

    # ---- tokens from the CLI: one line on stdout, notes on stderr
    tokens = {}
    for login in ROLES:
        r = office.cli("token", "add", login)
        lines = r.stdout.splitlines()
        t.ok(r.returncode == 0 and len(lines) == 1 and re.fullmatch(r"wizyta_[0-9a-f]{64}", lines[0])
             and "shown only now" in r.stderr,
             "token add %s: the token alone on stdout, notes on stderr" % login, (r.stdout, r.stderr))
        tokens[login] = lines[0] if lines else ""
    r = office.cli("token", "add", "nobody")
    t.ok(r.returncode == 1 and r.stdout == "" and "No operator" in r.stderr,
         "token add for an unknown login fails without printing a token", (r.stdout, r.stderr))

    def bearer(login):
        return {"Authorization": "Bearer " + tokens[login]}

    code, me = office.api("GET", "/api/v1/staff/me", headers=bearer("celina"))
    t.ok(code == 200 and me["login"] == "celina" and me["role"] == "reception" and me["via"] == "token",
         "Bearer TOKEN: GET /api/v1/staff/me", me)
    code, err = office.api("GET", "/api/v1/staff/me", headers={"Authorization": "Bearer wizyta_" + "0" * 64})
    t.ok(code == 401 and err["error"] == "invalid_token", "a bad token → 401 invalid_token", (code, err))
    code, err = office.api("GET", "/api/v1/staff/me")
    t.ok(code == 401 and err["error"] == "unauthorized", "no credentials → 401 unauthorized", (code, err))

    # ---- 401 vs 403 on every role boundary, API (tokens) and pages (sessions)
    api_routes = [("GET", "/api/v1/staff/me", "reception"),
                  ("POST", "/api/v1/bookings/ZZZZZZZZZZ/status", "reception"),
                  ("POST", "/api/v1/bookings/ZZZZZZZZZZ/notes", "staff"),
                  ("POST", "/api/v1/desks/1/call-next", "staff"),
                  ("GET", "/api/v1/admin/audit", "admin")]
    rank = {"reception": 1, "staff": 2, "admin": 3}
    for method, path, needs in api_routes:
        body = {"status": "waiting", "text": "x"} if method == "POST" else None
        codes = {"nobody": office.api(method, path, body)[0]}
        for login, role in ROLES.items():
            codes[role] = office.api(method, path, body, headers=bearer(login))[0]
        want_ok = {role: rank[role] >= rank[needs] for role in rank}
        good = codes["nobody"] == 401 and all(
            (codes[role] not in (401, 403)) if want_ok[role] else codes[role] == 403 for role in rank)
        t.ok(good, "%s %s (%s): 401 without credentials, 403 below the role" % (method, path, needs), codes)

    sessions = {}
    for login in ROLES:
        c = Client(office.base)
        code, h, html = sign_in(c, login)
        sessions[login] = c
        cookie = [x for x in c.set_cookies if x.startswith("wizyta_session=")]
        t.ok(code == 303 and h.get("location") == "/staff" and cookie and "HttpOnly" in cookie[0] and
             "SameSite=Strict" in cookie[0] and "Secure" not in cookie[0] and "Max-Age" not in cookie[0],
             "%s signs in: 303 to /staff, the cookie HttpOnly, SameSite=Strict (no Secure on http)" % login,
             (code, h.get("location"), c.set_cookies))
    page_routes = [("/staff", "reception"), ("/staff/reception", "reception"), ("/staff/boards", "reception"),
                   ("/staff/desk", "staff"), ("/staff/register", "staff"), ("/staff/reports", "staff"),
                   ("/admin", "admin"), ("/admin/audit", "admin")]
    anonymous = Client(office.base)
    for path, needs in page_routes:
        code, h, _ = anonymous.req("GET", path)
        codes = {"nobody": (code, h.get("location"))}
        for login, role in ROLES.items():
            codes[role] = sessions[login].req("GET", path)[0]
        good = codes["nobody"] == (303, "/staff/login?next=" + path.replace("/", "%2F")) and all(
            codes[role] == (200 if rank[role] >= rank[needs] else 403) for role in rank)
        t.ok(good, "GET %s (%s): sign-in redirect, 403 below the role" % (path, needs), codes)

    # ---- the staff frame: the operator, Wyloguj, the menu of the role
    code, h, html = sessions["celina"].req("GET", "/staff")
    t.ok(code == 200 and "Celina Testowa" in html and "Wyloguj" in html and "Recepcja" in html and
         "Tablice informacyjne" in html and "Rejestr rezerwacji" not in html and "Ustawienia" not in html and
         'name="csrf-token"' in html, "reception's frame: name, Wyloguj, only reception's panels", html)
    code, h, html = sessions["adam"].req("GET", "/staff?lang=en")
    t.ok(code == 200 and 'lang="en"' in html and "Sign out" in html and "Booking register" in html and
         "Settings" in html, "the admin's frame in English: every panel", html)
    sessions["adam"].req("GET", "/staff?lang=pl")
    code, h, html = sessions["celina"].req("GET", "/staff/desk")
    t.ok(code == 403 and "Brak uprawnień" in html and "Wyloguj" in html,
         "the 403 page keeps the staff frame", html)

    # ---- `next` leads within the site only
    c = Client(office.base)
    code, h, html = sign_in(c, "basia", next_path="/staff/register")
    t.ok(code == 303 and h.get("location") == "/staff/register", "next=/staff/register is followed", h)
    for evil in ["//evil.example/", "https://evil.example/", "/%5Cevil.example", "/\\evil.example"]:
        c = Client(office.base)
        code, h, _ = c.req("GET", "/staff/login?next=" + evil)
        code, h, html = sign_in(c, "basia", next_path=evil)
        t.ok(code == 303 and h.get("location") in ("/staff", "/%5Cevil.example"),
             "next=%s does not leave the site" % evil, h.get("location"))

    # ---- a wrong password and an unknown login: the same answer
    c = Client(office.base)
    code1, _, html1 = sign_in(c, "basia", "wrong password")
    code2, _, html2 = sign_in(c, "nikt", "wrong password")
    t.ok(code1 == 422 and code2 == 422 and error_text(html1) == error_text(html2) and
         "Nieprawidłowy login lub hasło" in html1,
         "wrong password and unknown login: the same 422 page", (code1, code2, error_text(html1)))
    t.ok('aria-invalid="true"' in html1 and 'role="alert"' in html1 and 'autocomplete="current-password"' in html1,
         "the error is announced and tied to the fields", html1)

    # ---- the session rotates at sign-in, and so does the CSRF cookie
    c = Client(office.base)
    c.req("GET", "/staff/login")
    csrf_before = c.cookie("csrf")
    sign_in(c, "basia")
    first = c.cookie("wizyta_session")
    t.ok(c.cookie("csrf") not in (None, csrf_before), "a new CSRF cookie at sign-in",
         (csrf_before, c.cookie("csrf")))
    # signed in, the form redirects: post it again as a stale tab would
    code, h, _ = c.req("POST", "/staff/login", {"csrf": c.cookie("csrf"), "login": "basia",
                                                "password": PASSWORDS["basia"], "next": ""})
    second = c.cookie("wizyta_session")
    t.ok(first and second and first != second, "signing in again gives a new session", (first, second))
    old = copy.copy(next(x for x in c.jar if x.name == "wizyta_session"))
    old.value = first
    stale = Client(office.base)
    stale.jar.set_cookie(old)
    code, h, _ = stale.req("GET", "/staff")
    t.ok(code == 303 and "ended=1" in h.get("location", ""), "the previous session ended at sign-in", (code, h))

    # ---- CSRF, centrally
    c = sessions["basia"]
    code, h, html = c.req("GET", "/staff")
    csrf = re.search(r'name="csrf-token" content="([0-9a-f]+)"', html).group(1)
    code, h, html = c.req("POST", "/staff/logout", {"csrf": "0" * 32})
    t.ok(code == 400 and "wygasł" in html, "sign-out without the CSRF field → 400", code)
    t.ok(c.req("GET", "/staff")[0] == 200, "... and the session still works")
    code, h, html = c.req("POST", "/find", {"reference": "X", "contact": "y"})
    t.ok(code == 400, "a citizen form without CSRF → 400 (the router, not the page)", code)
    code, h, html = c.req("POST", "/api/v1/bookings/ZZZZZZZZZZ/notes", body={"text": "x"})
    t.ok(code == 403 and '"csrf"' in html, "an API call with the session cookie and no X-CSRF-Token → 403 csrf",
         (code, html))
    code, h, html = c.req("POST", "/api/v1/bookings/ZZZZZZZZZZ/notes", body={"text": "x"},
                          headers={"X-CSRF-Token": "f" * 32})
    t.ok(code == 403, "... with a wrong X-CSRF-Token → 403", code)
    code, h, html = c.req("POST", "/api/v1/bookings/ZZZZZZZZZZ/notes", body={"text": "x"},
                          headers={"X-CSRF-Token": csrf})
    t.ok(code == 404, "... with the page's token it reaches the handler (404: no such booking)", (code, html))
    code, me = office.api("POST", "/api/v1/bookings/ZZZZZZZZZZ/notes", {"text": "x"}, headers=bearer("basia"))
    t.ok(code == 404, "a Bearer call needs no CSRF token", (code, me))

    # ---- 405 with Allow from the tables
    code, h, html = c.req("GET", "/staff/logout")
    t.ok(code == 405 and h.get("allow") == "POST", "GET /staff/logout → 405, Allow: POST", h.get("allow"))
    code, h, html = c.req("DELETE", "/api/v1/staff/me")
    t.ok(code == 405 and h.get("allow") == "GET, HEAD" and '"method_not_allowed"' in html,
         "DELETE /api/v1/staff/me → 405 JSON, Allow: GET, HEAD", (code, h.get("allow")))
    code, h, html = c.req("PUT", "/staff/login")
    t.ok(code == 405 and h.get("allow") == "GET, HEAD, POST", "PUT /staff/login → Allow: GET, HEAD, POST",
         h.get("allow"))

    # ---- sign-out
    c = sessions["basia"]
    code, h, html = c.req("GET", "/staff")
    code, h, _ = c.req("POST", "/staff/logout", {"csrf": hidden(html, "csrf")})
    t.ok(code == 303 and h.get("location") == "/staff/login" and c.cookie("wizyta_session") is None,
         "Wyloguj: 303 to the form, the cookie cleared", (code, h, c.set_cookies))
    code, h, _ = c.req("GET", "/staff/register?x=1")
    t.ok(code == 303 and h.get("location") == "/staff/login?next=%2Fstaff%2Fregister%3Fx%3D1",
         "after sign-out a panel asks to sign in again (and comes back)", h.get("location"))

    # ---- lockout after 3 failures, known login or not
    c = Client(office.base)
    results = [sign_in(c, "celina", "wrong password") for _ in range(3)]
    code, h, html = results[-1]
    t.ok([r[0] for r in results] == [422, 422, 429] and "Zbyt wiele nieudanych" in html and
         "15 min" in html and h.get("retry-after"), "the third failure locks the login (429, Retry-After)",
         [r[0] for r in results])
    code, h, html = sign_in(c, "celina")
    t.ok(code == 429, "locked: even the right password waits", code)
    unknown = [sign_in(c, "ktos-inny", "wrong password")[0] for _ in range(3)]
    t.ok(unknown == [422, 422, 429], "an unknown login locks the same way (no enumeration)", unknown)
    t.ok(sessions["celina"].req("GET", "/staff")[0] == 200, "a lockout does not end open sessions")

    # ---- disabled accounts
    r = office.cli("operator", "disable", "celina")
    t.ok(r.returncode == 0, "operator disable", r.stderr)
    code, h, _ = sessions["celina"].req("GET", "/staff")
    t.ok(code == 303, "disabling ends the account's sessions", code)
    code, _ = office.api("GET", "/api/v1/staff/me", headers=bearer("celina"))
    t.ok(code == 401, "... and stops its tokens", code)
    office.cli("operator", "enable", "celina")
    code, _ = office.api("GET", "/api/v1/staff/me", headers=bearer("celina"))
    t.ok(code == 200, "enable: the token works again", code)
    office.cli("operator", "disable", "adam")
    c = Client(office.base)
    code1, _, html1 = sign_in(c, "adam", "wrong password")
    code2, _, html2 = sign_in(c, "adam")
    t.ok(code1 == 422 and code2 == 403 and "wyłączone" in html2,
         "a disabled account: a wrong password learns nothing, the right one learns why", (code1, code2))
    office.cli("operator", "enable", "adam")
    sessions["adam"] = Client(office.base)
    sign_in(sessions["adam"], "adam")

    # ---- token revoke
    r = office.cli("token", "revoke", "basia")
    t.ok(r.returncode == 0 and "1 token of basia revoked" in r.stderr, "token revoke", r.stderr)
    code, _ = office.api("GET", "/api/v1/staff/me", headers=bearer("basia"))
    t.ok(code == 401, "a revoked token → 401", code)

    # ---- the audit log: sign-ins, failures, lockouts, tokens; no secrets
    code, rows = office.api("GET", "/api/v1/admin/audit?limit=1000", headers=bearer("adam"))
    actions = [r["action"] for r in rows] if code == 200 else []
    t.ok(code == 200 and all(a in actions for a in ["login.ok", "login.failed", "login.locked", "login.disabled",
                                                    "logout", "token.add", "token.revoke", "operator.disable"]),
         "the audit log has sign-ins, failures, lockouts, sign-outs, tokens", sorted(set(actions)))
    text = str(rows)
    t.ok(not any(p in text for p in PASSWORDS.values()) and not any(tok in text for tok in tokens.values())
         and "ktos-inny" not in text and "nikt" not in text,
         "... and no password, no token, no unknown login", text[:400])
    code, rows = office.api("GET", "/api/v1/admin/audit?operator=celina&from=2000-01-01&to=2100-01-01",
                            headers=bearer("adam"))
    t.ok(code == 200 and rows and all(r["operator"] == "celina" for r in rows),
         "audit filtered by operator and dates", rows[:3])
    code, err = office.api("GET", "/api/v1/admin/audit?from=yesterday", headers=bearer("adam"))
    t.ok(code == 400 and err.get("field") == "from", "a bad date → 400 naming the field", err)
    code, h, html = sessions["adam"].req("GET", "/admin/audit?operator=celina")
    t.ok(code == 200 and "login.locked" in html and "<caption" in html, "the audit page for admins", html[-800:])

    # ---- timeouts at a chosen clock: sessions are in the database
    c = Client(office.base)
    sign_in(c, "basia")

    def at(offset):
        office.stop("wizyta-web")
        office.start("wizyta-web", "wizyta-web", env=faketime("+%d" % offset))
        office.wait_port(office.web_port)
        return c.req("GET", "/staff")

    t.ok(at(25 * 60)[0] == 200, "25 min later: still signed in")
    t.ok(at(50 * 60)[0] == 200, "50 min later (active at 25): still signed in")
    code, h, _ = at(61 * 60)
    t.ok(code == 303 and "ended=1" in h.get("location", ""),
         "61 min later: session_max (1h) ended it although it was active", (code, h.get("location")))
    code, h, html = c.req("GET", h.get("location", "/staff/login"))
    t.ok(code == 200 and "Sesja wygasła" in html, "the form says the session ended", html[-800:])
    sign_in(c, "basia")
    code, h, _ = at(61 * 60 + 31 * 60)
    t.ok(code == 303, "31 min without a request: session_idle (30m) ended it", code)
    office.stop("wizyta-web")

    # ---- sign-in attempts per address
    other = Office(extra={"staff": {"login_rate_limit": "3"}})
    other.cli("init")
    other.start("wizyta-web", "wizyta-web")
    other.wait_port(other.web_port)
    c = Client(other.base)
    codes = [sign_in(c, "user%d" % i, "wrong password")[0] for i in range(4)]
    code, h, html = sign_in(c, "user9", "wrong password")
    t.ok(codes == [422, 422, 422, 429] and "z tego adresu" in html and h.get("retry-after"),
         "[staff] login_rate_limit per address: 429 with Retry-After", codes)
finally:
    office.cleanup()
    if other is not None:
        other.cleanup()
t.done()
