#!/usr/bin/python3
"""The staff and admin pages pass the Nu Html Checker (TAP), as a judge
runs it: vnu.jar (tests/browser's node modules, Debian's Java) on every
page an admin reaches by following links from /staff and /admin, in
Polish and in English, errors and warnings alike. test_citizen.py does
the same for the citizens' pages.

The office has bookings whose names look like markup and SQL, so the
register, desk and conversation pages show them (escaped: the page stays
valid and no tag of theirs appears).
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import Client, Office, Tap, first_free_slot, hidden, vnu  # noqa: E402

PAGES_MAX = 160
# not pages: streams, files, sign-out, the JSON API
SKIP = re.compile(r"^/(static/|favicon|api/|metrics|healthz|dev/)|/events$|\.(ics|csv)$|/logout$|"
                  r"format=csv")

t = Tap()
office = Office(extra={"staff": {"login_rate_limit": "1000"}})
try:
    office.cli("init")
    office.cli("demo")
    r = office.cli("operator", "add", "adam", "--role", "admin", "--name", "Adam Abacki",
                   stdin="admin password 1\n")
    t.ok(r.returncode == 0, "operator add adam (admin)", r.stderr)
    office.start("wizyta-web", "wizyta-web")
    if not t.ok(office.wait_port(office.web_port), "wizyta-web starts", office.log("wizyta-web")):
        t.done()
    first, last = "<script>alert(1)</script>", "\"><img src=x onerror=alert(2)>' OR 1=1; --"
    for i in range(2):
        start = first_free_slot(office, 1, skip=i)["start"]
        code, b = office.api("POST", "/api/v1/bookings", {
            "service_id": 1, "start": start, "first_name": first, "last_name": last,
            "email": "markup%d@example.pl" % i})
        t.ok(code == 201, "a booking whose name looks like markup", b)

    c = Client(office.base)
    code, h, html = c.req("GET", "/staff/login")
    code, h, _ = c.req("POST", "/staff/login", {"csrf": hidden(html, "csrf"), "next": "/admin",
                                               "login": "adam", "password": "admin password 1"})
    t.ok(code == 303, "the admin signs in", code)

    pages, seen, queue = {}, set(), ["/staff", "/admin"]
    while queue and len(pages) < PAGES_MAX:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        code, h, html = c.req("GET", path)
        if not h.get("content-type", "").startswith("text/html"):
            continue
        pages[path] = (code, html)
        for link in re.findall(r'href="(/[^"#]*)"', html):
            link = link.replace("&amp;", "&")
            if not link.startswith("//") and not SKIP.search(link) and link not in seen:
                queue.append(link)
                if "?" not in link:
                    queue.append(link + "?lang=en")
    t.ok(len(pages) >= 60, "%d staff and admin pages reached by links" % len(pages))
    bad = sorted(p for p, (code, _) in pages.items() if code >= 500)
    t.ok(not bad, "none answers 5xx", bad)
    leaked = sorted(p for p, (_, html) in pages.items()
                    if "<script>alert" in html or "<img src=x" in html)
    t.ok(not leaked and any("&lt;script&gt;alert(1)" in html for _, html in pages.values()),
         "the names that look like markup show as text, never as tags", leaked)

    clean, report = vnu({path: html for path, (_, html) in pages.items()}, timeout=600)
    t.ok(clean, "vnu: %d staff and admin pages without an error or a warning" % len(pages),
         report)
finally:
    office.cleanup()
t.done()
