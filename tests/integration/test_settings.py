#!/usr/bin/python3
"""The rules admins tune at run time (issue 13), against the real programs:
wizyta-web twice on one database, wizytad, Kannel with its fake SMSC for
SMS and the maildir for e-mail (TAP).

- GET/PUT /api/v1/admin/settings as CONTRACT.md says: any subset, 422
  naming the bad field (an unknown template variable named), null puts the
  file's value back, nothing changes on an error, every change audited
  before → after;
- a change made through one wizyta-web applies in the other and in
  wizytad within 2 s, without a restart (the second web's slots follow a
  new lead time; wizytad's log says it loaded the generation);
- channel policy `sms` sends the confirmation only by SMS (real Kannel);
- a template edit shows in the next message (SMS and e-mail);
- an admin's reply phrase is refused when it breaks the labelled corpus,
  and once saved wizytad reads a citizen's SMS with it;
- the pages work without JavaScript (error summaries, preview, test
  message to the admin's own address, reply try box);
- staff and reception get 403 on every one of these addresses;
- SIGHUP: both daemons live on, the office's name changes, a listen
  address waits for a restart (one line), a broken file changes nothing;
- an admin changes confirm_within through the API and the next booking
  expires on the new time, both daemons running at a chosen clock
  (libfaketime), while a booking made before keeps its 30 minutes.
"""
import email
import email.policy
import os
import re
import signal
import sqlite3
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "peers"))
from wizyta_harness import (Client, Office, Tap, faketime, free_port,  # noqa: E402
                            hidden, wait_for)
import kannel_peers  # noqa: E402

t = Tap()
if not kannel_peers.installed():
    t.skip_all("kannel is not installed (apt-get install kannel kannel-extras)")

PASSWORD = "a long password 123"
office = Office(extra={"staff": {"login_rate_limit": "1000"}})
service_url = ("http://127.0.0.1:%d/sms/inbound?secret=%s&from=%%p&to=%%P&text=%%a"
               "&id=%%I&ts=%%t" % (office.gw_port, office.secret))
kannel = kannel_peers.KannelPeers(os.path.join(office.dir, "kannel"), service_url)
web2 = None
try:
    kannel.start()
    office.configure({
        "office": {"name": "Urząd Miasta Testowo"},
        "sms": {"provider": "kannel",
                "url": "http://127.0.0.1:%d/cgi-bin/sendsms" % kannel.ports["sendsms"],
                "user": kannel_peers.SEND_USER, "password": kannel_peers.SEND_PASSWORD,
                "sender": "48500100200", "transliterate": "yes"},
    })
    office.cli("init")
    office.cli("demo")
    tokens = {}
    for login, role in (("ala", "admin"), ("ewa", "staff"), ("rita", "reception")):
        office.cli("operator", "add", login, "--role", role, stdin=PASSWORD + "\n")
        tokens[login] = office.cli("token", "add", login).stdout.strip()
    t.ok(office.start_all() and office.wait_port(office.gw_port),
         "wizytad and wizyta-web start", office.log("wizytad"))
    db = office.sections["database"]["path"]

    def call(login, method, path, body=None, port=None):
        base = office.base
        if port is not None:
            office.base = "http://127.0.0.1:%d" % port
        try:
            return office.api(method, path, body,
                              headers={"Authorization": "Bearer " + tokens[login]})
        finally:
            office.base = base

    def audit(action):
        code, rows = call("ala", "GET", "/api/v1/admin/audit?limit=1000")
        return [r for r in rows if r["action"] == action] if code == 200 else []

    services = office.api("GET", "/api/v1/services")[1]
    sid = services[0]["id"]

    def free_slots(port=None, days=21):
        import datetime
        day = datetime.date.today()
        out = []
        base = office.base
        if port is not None:
            office.base = "http://127.0.0.1:%d" % port
        try:
            for i in range(days):
                d = (day + datetime.timedelta(days=i)).isoformat()
                code, slots = office.api("GET", "/api/v1/services/%d/slots?date=%s" % (sid, d))
                if code == 200:
                    out += slots
        finally:
            office.base = base
        return out

    booked = set()

    def book(n, **contact):
        for slot in free_slots():
            if slot["start"] in booked:
                continue
            booked.add(slot["start"])
            body = dict({"service_id": sid, "start": slot["start"], "first_name": "Anna",
                         "last_name": "Nowak%d" % n}, **contact)
            code, b = office.api("POST", "/api/v1/bookings", body)
            if code == 201:
                return b
        return {}

    def outbox(ref):
        con = sqlite3.connect(db, timeout=10)
        rows = con.execute("SELECT o.channel, o.kind, o.payload FROM outbox o JOIN bookings b"
                           " ON b.id = o.booking_id WHERE b.reference = ?", (ref,)).fetchall()
        con.close()
        return rows

    # --- staff and reception: 403 everywhere here; nobody: 401 -------------
    api_routes = [("GET", "/api/v1/admin/settings", None),
                  ("PUT", "/api/v1/admin/settings", {"confirm_within": "5m"}),
                  ("POST", "/api/v1/admin/templates/preview", {"kind": "reminder", "lang": "pl"}),
                  ("POST", "/api/v1/admin/templates/test", {"kind": "reminder", "lang": "pl"}),
                  ("GET", "/api/v1/admin/me/contact", None),
                  ("PUT", "/api/v1/admin/me/contact", {"email": "x@example.pl"}),
                  ("POST", "/api/v1/admin/reply-phrases/try", {"text": "tak"})]
    pages = [("GET", "/admin/rules"), ("POST", "/admin/rules"), ("GET", "/admin/templates"),
             ("GET", "/admin/templates/reminder/pl"), ("POST", "/admin/templates/reminder/pl"),
             ("GET", "/admin/replies"), ("POST", "/admin/replies")]
    bad = []
    for login in ("ewa", "rita"):
        for method, path, body in api_routes:
            code, _ = call(login, method, path, body)
            if code != 403:
                bad.append((login, method, path, code))
        for method, path in pages:
            code, _, _ = Client(office.base).req(
                method, path, form={} if method == "POST" else None,
                headers={"Authorization": "Bearer " + tokens[login]})
            if code != 403:
                bad.append((login, method, path, code))
    for method, path, body in api_routes:
        code, _ = office.api(method, path, body)
        if code != 401:
            bad.append(("nobody", method, path, code))
    t.ok(not bad, "staff and reception get 403 on every settings address, nobody 401", bad)

    # --- GET: every setting in force, the file's defaults ------------------
    code, s = call("ala", "GET", "/api/v1/admin/settings")
    t.ok(code == 200 and s["confirm_within"] == "30m" and s["reminder_before"] == "24h"
         and s["channels"] == {k: "both" for k in ("confirmation", "access_code", "reminder",
                                                  "reschedule", "expiry", "cancellation")}
         and s["changed"] == [], "GET /api/v1/admin/settings: CONTRACT.md's shape, the file's values", s)
    t.ok("{service}" in s["templates"]["confirm_request"]["pl"]["subject"]
         and "sms_oneway" in s["templates"]["confirm_request"]["en"]
         and s["reply_phrases"] == [] and isinstance(s["max_pending_per_address"], int),
         "with the templates (Polish and English), the reply phrases, counts as numbers",
         {k: v for k, v in s.items() if k != "templates"})
    # every kind of message is a template, the register's too
    kinds = ("confirm_request", "access_code", "cancelled", "expired", "rescheduled", "reminder",
             "reply_help", "which_booking", "reschedule_help", "late_noted", "question_noted",
             "delay", "waitlist_joined", "waitlist_left", "waitlist_offer", "offer_declined",
             "offer_lapsed", "offer_gone", "moved", "move_kept")
    t.ok(sorted(s["templates"]) == sorted(kinds)
         and all(set(s["templates"][k]) == {"pl", "en"} for k in kinds)
         and "{reason_line_pl}" in s["templates"]["cancelled"]["pl"]["body"]
         and "TAK" in s["templates"]["moved"]["pl"]["sms"],
         "every kind of message in the templates, the office's move and its answer too",
         sorted(s["templates"]))

    # --- PUT: 422 naming the field; nothing changes on an error -------------
    cases = [({"confirm_within": "soon"}, "setting_invalid", "confirm_within"),
             ({"channels": {"confirmation": "pigeon"}}, "setting_invalid", "channels.confirmation"),
             ({"channels": {"fax": "sms"}}, "unknown_setting", "channels.fax"),
             ({"bogus": 1}, "unknown_setting", "bogus"),
             ({"max_pending_per_address": "three"}, "setting_invalid", "max_pending_per_address"),
             ({"reminder_before": "24h,24h"}, "setting_invalid", "reminder_before"),
             ({"templates": {"reminder": {"pl": {"sms": "Jutro o {godzina}"}}}},
              "template_variable", "templates.reminder.pl.sms"),
             ({"confirm_within": "45m", "lead_time": "90d"}, "setting_invalid", "lead_time")]
    wrong = []
    for body, code_want, field in cases:
        code, e = call("ala", "PUT", "/api/v1/admin/settings", body)
        if code != 422 or e.get("error") != code_want or e.get("field") != field:
            wrong.append((body, code, e))
    t.ok(not wrong, "PUT: 422 with the code and the field for each bad value", wrong)
    code, e = call("ala", "PUT", "/api/v1/admin/settings",
                   {"templates": {"reminder": {"pl": {"sms": "Jutro o {godzina}"}}}})
    t.ok("{godzina}" in e.get("message", ""), "an unknown variable is named", e)
    code, s = call("ala", "GET", "/api/v1/admin/settings")
    t.ok(s["confirm_within"] == "30m" and s["changed"] == [], "nothing changed meanwhile", s["changed"])

    code, s = call("ala", "PUT", "/api/v1/admin/settings",
                   {"confirm_within": "2700", "reminder_before": "24h, 2h:sms"})
    t.ok(code == 200 and s["confirm_within"] == "45m" and s["reminder_before"] == "24h,2h:sms"
         and sorted(s["changed"]) == ["confirm_within", "reminder_before"],
         "PUT a subset: 200, the whole object, the values as the file writes them", s.get("changed"))
    rows = audit("settings.change")
    t.ok(any(r["detail"] == "confirm_within" and r["before"] == "30m" and r["after"] == "45m"
             and r["operator"] == "ala" for r in rows), "audited: confirm_within 30m → 45m by ala", rows)
    code, s = call("ala", "PUT", "/api/v1/admin/settings", {"confirm_within": None})
    t.ok(code == 200 and s["confirm_within"] == "30m" and s["changed"] == ["reminder_before"],
         "null puts the file's value back", s.get("changed"))

    # --- one change, every process within 2 s --------------------------------
    conf2 = os.path.join(office.dir, "web2.conf")
    port2 = free_port()
    with open(office.conf) as f:
        text = f.read()
    with open(conf2, "w") as f:
        f.write(text.replace("listen = 127.0.0.1:%d" % office.web_port,
                             "listen = 127.0.0.1:%d" % port2))
    log2 = open(os.path.join(office.dir, "web2.log"), "a")
    import subprocess
    from wizyta_harness import BUILD
    web2 = subprocess.Popen([os.path.join(BUILD, "wizyta-web"), "-c", conf2],
                            stdout=log2, stderr=subprocess.STDOUT)
    t.ok(office.wait_port(port2), "a second wizyta-web on the same database starts")
    before = len(free_slots(port2, days=3))
    generation_lines = office.log("wizytad").count("settings loaded")
    start = time.time()
    code, _ = call("ala", "PUT", "/api/v1/admin/settings", {"lead_time": "3d"})
    gone = wait_for(lambda: len(free_slots(port2, days=3)) == 0, timeout=10, step=0.05)
    web_latency = time.time() - start
    seen = wait_for(lambda: office.log("wizytad").count("settings loaded") > generation_lines,
                    timeout=10, step=0.05)
    gw_latency = time.time() - start
    print("# settings change → the other wizyta-web %.0f ms, wizytad %.0f ms"
          % (web_latency * 1000, gw_latency * 1000))
    t.ok(code == 200 and before > 0 and gone and web_latency < 2,
         "a new lead time saved through one wizyta-web empties the other's next days"
         " within 2 s (%.0f ms), its slots cache no obstacle" % (web_latency * 1000))
    t.ok(seen and gw_latency < 2, "wizytad loads the change within 2 s (%.0f ms)"
         % (gw_latency * 1000), office.log("wizytad")[-600:])
    call("ala", "PUT", "/api/v1/admin/settings", {"lead_time": None})
    t.ok(wait_for(lambda: len(free_slots(port2, days=3)) > 0, timeout=10),
         "and back: the slots return")

    # --- channel policy sms: the confirmation only by SMS (real Kannel) -------
    code, s = call("ala", "PUT", "/api/v1/admin/settings", {"channels": {"confirmation": "sms"}})
    t.ok(code == 200 and s["channels"]["confirmation"] == "sms", "channels.confirmation = sms")
    n_sms = len(kannel.sink.messages)
    b = book(1, email="anna1@example.pl", phone="600 700 801")
    ref = b.get("reference", "")

    def sms_for(r, after=0):
        for m in kannel.wait_messages(after + 1, 20)[after:]:
            if r in m.get("text", ""):
                return m
        return None
    m = sms_for(ref, n_sms)
    t.ok(m is not None and "TAK" in m["text"], "the confirmation request arrives at Kannel's SMSC", m)
    rows = outbox(ref)
    t.ok([r[:2] for r in rows] == [("sms", "confirm_request")],
         "and only by SMS: no e-mail although the citizen gave an address", [r[:2] for r in rows])
    call("ala", "PUT", "/api/v1/admin/settings", {"channels": {"confirmation": None}})

    # --- a template edit shows in the next message ---------------------------
    code, s = call("ala", "PUT", "/api/v1/admin/settings", {"templates": {"confirm_request": {"pl": {
        "sms": "Wizyta {day} {time}, {service}. Odpisz TAK lub NIE. Nr {reference}",
        "subject": "Prosimy potwierdzić: {service}"}}}})
    t.ok(code == 200 and "templates.confirm_request.pl.sms" in s["changed"], "templates saved", s)
    n_sms = len(kannel.sink.messages)
    b = book(2, email="anna2@example.pl", phone="600 700 802")
    ref2 = b.get("reference", "")
    m = sms_for(ref2, n_sms)
    t.ok(m is not None and m["text"].startswith("Wizyta ") and ("Nr " + ref2) in m["text"],
         "the next SMS says the admin's words", m)

    def mail_for(r):
        for raw in office.outbox_files():
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            if r in str(msg["Subject"]):
                return msg
        return None
    msg = wait_for(lambda: mail_for(ref2), timeout=15)
    t.ok(msg is not None and str(msg["Subject"]).startswith("Prosimy potwierdzić: ")
         and str(msg["Subject"]).endswith("[%s]" % ref2),
         "and the next e-mail's subject too", msg and msg["Subject"])

    # --- reply phrases: the corpus guards them; wizytad reads with them --------
    code, e = call("ala", "PUT", "/api/v1/admin/settings",
                   {"reply_phrases": [{"phrase": "nie", "intent": "confirm"}]})
    t.ok(code == 422 and e.get("error") == "phrase_breaks_corpus" and e.get("field") == "reply_phrases"
         and e.get("broken", 0) > 0 and e["cases"][0]["read_as"] == "confirm",
         "\"nie\" meaning confirm is refused: %d labelled replies would act wrongly"
         % e.get("broken", 0), e)
    code, r = call("ala", "POST", "/api/v1/admin/reply-phrases/try", {"text": "W porzo!"})
    t.ok(code == 200 and r["verdict"] != "confirm", "before: \"W porzo!\" is not read as a confirmation", r)
    start = time.time()
    code, s = call("ala", "PUT", "/api/v1/admin/settings",
                   {"reply_phrases": [{"phrase": "w porzo", "intent": "confirm"}]})
    print("# saving a phrase, the labelled corpus read again: %.0f ms" % ((time.time() - start) * 1000))
    t.ok(code == 200 and s["reply_phrases"] == [{"phrase": "w porzo", "intent": "confirm"}],
         "a phrase that breaks nothing is saved", s.get("reply_phrases"))
    code, r = call("ala", "POST", "/api/v1/admin/reply-phrases/try", {"text": "W porzo!"})
    t.ok(code == 200 and r["verdict"] == "confirm" and "admin1" in r["rules"],
         "the try box reads it as a confirmation", r)
    time.sleep(1)  # wizytad installs the new rules (well within 2 s)
    kannel.inject("48600700802", "48500100200", "W porzo!")
    status = wait_for(lambda: (office.api("GET", "/api/v1/bookings/" + ref2)[1] or {})
                      .get("status") == "booked", timeout=20)
    t.ok(status, "a citizen's SMS \"W porzo!\" confirms the booking in wizytad",
         office.api("GET", "/api/v1/bookings/" + ref2))

    # --- the pages without JavaScript ----------------------------------------
    c = Client(office.base)
    code, h, html = c.req("GET", "/staff/login")
    code, h, _ = c.req("POST", "/staff/login", {"csrf": hidden(html, "csrf"), "next": "",
                                                "login": "ala", "password": PASSWORD})
    code, h, html = c.req("GET", "/admin")
    t.ok(code == 200 and 'href="/admin/rules"' in html and 'href="/admin/templates"' in html
         and 'href="/admin/replies"' in html, "the settings home links the three pages")
    code, h, html = c.req("GET", "/admin/rules")
    form = {k: v for k, v in re.findall(r'name="([a-z_.]+)" value="([^"]*)"', html)}
    form.update({k: v for k, v in re.findall(
        r'<select id="f-[^"]+" name="([a-z_.]+)".*?<option value="([a-z_]+)" selected', html)})
    form["confirm_within"] = "wkrótce"
    form["pressure_share"] = "200"
    code, h, html2 = c.req("POST", "/admin/rules", form)
    summary = re.search(r'<div class="errors".*?</div>', html2, re.S)
    t.ok(code == 422 and summary is not None and 'href="#f-confirm_within"' in summary.group(0)
         and 'href="#f-pressure_share"' in summary.group(0) and 'aria-invalid="true"' in html2,
         "a bad form: 422, one summary naming both fields, the fields marked", code)
    form["confirm_within"] = "20m"
    form["pressure_share"] = "0"
    code, h, _ = c.req("POST", "/admin/rules", form)
    code2, _, html3 = c.req("GET", h.get("location", "/admin/rules"))
    t.ok(code == 303 and 'value="20m"' in html3 and 'role="status"' in html3,
         "a good one: saved, and the page says so", (code, h.get("location")))
    t.ok(call("ala", "GET", "/api/v1/admin/settings")[1]["confirm_within"] == "20m",
         "the API sees the page's change")
    code, h, html = c.req("GET", "/admin/templates")
    t.ok(code == 200 and all('href="/admin/templates/%s/%s"' % (k, lang) in html
                             for k in kinds for lang in ("pl", "en"))
         and "kind_" not in html,
         "the templates page lists every kind in both languages, each named in words")
    code, h, html = c.req("GET", "/admin/templates/moved/pl")
    t.ok(code == 200 and "{pending_line_pl}" in html and "{reason_line_pl}" in html,
         "the office's move: its editor, its variables named", code)
    code, h, html = c.req("GET", "/admin/templates/reminder/pl")
    csrf = hidden(html, "csrf")
    code, h, html = c.req("POST", "/admin/templates/reminder/pl", {
        "csrf": csrf, "action": "preview", "subject": "Przypomnienie",
        "body": "Jutro {when}.", "sms": "Jutro o {godzina} w {desk}"})
    t.ok(code == 422 and "{godzina}" in html and 'href="#f-sms"' in html,
         "the editor: an unknown variable is named in the summary", code)
    code, h, html = c.req("POST", "/admin/templates/reminder/pl", {
        "csrf": csrf, "action": "preview", "subject": "Przypomnienie",
        "body": "Jutro {when}.", "sms": "Zażółć gęślą jaźń: jutro {time}, {desk}. Kod {code}"})
    t.ok(code == 200 and "Kod 482916" in html and "GSM-7" in html and "koszt" in html,
         "the preview: the sample booking filled in, segments, alphabet and cost", code)
    code, h, html = c.req("POST", "/admin/templates/reminder/pl", {
        "csrf": csrf, "action": "test", "subject": "Przypomnienie próbne {reference}",
        "body": "Jutro {when}.", "sms": "Jutro {time}",
        "contact_email": "ala@urzad.example", "contact_phone": ""})
    t.ok(code == 200 and "kolejce" in html and "Przypomnienie próbne {reference}" in html,
         "send me a test: queued, the unsaved draft still on the page", code)
    msg = wait_for(lambda: next((m for m in (email.message_from_bytes(r, policy=email.policy.default)
                                             for r in office.outbox_files())
                                 if "Przypomnienie próbne" in str(m["Subject"])), None), timeout=15)
    t.ok(msg is not None and msg["To"] == "ala@urzad.example",
         "the unsaved draft reaches the admin's own address through the outbox", msg and msg["To"])
    t.ok(audit("settings.test_message") != [], "the test message is audited")
    code, h, html = c.req("GET", "/admin/replies")
    csrf = hidden(html, "csrf")
    code, h, html = c.req("POST", "/admin/replies", {"csrf": csrf, "action": "add",
                                                     "phrase": "NIE", "intent": "confirm"})
    t.ok(code == 422 and "<table" in html and "potwierdzenie" in html,
         "a phrase that breaks the corpus: refused, the replies it breaks listed", code)
    code, h, html = c.req("POST", "/admin/replies", {"csrf": csrf, "action": "try",
                                                     "text": "w porzo"})
    t.ok(code == 200 and "potwierdzenie" in html, "the try box says how a reply is read")

    # --- SIGHUP ---------------------------------------------------------------
    office.configure({"office": {"name": "Urząd Gminy Próbnej"}})
    with open(office.conf) as f:
        good = f.read()
    office.procs["wizyta-web"].send_signal(signal.SIGHUP)
    office.procs["wizytad"].send_signal(signal.SIGHUP)
    renamed = wait_for(lambda: "Urząd Gminy Próbnej" in office.http("GET", "/")[2], timeout=5)
    t.ok(renamed and office.procs["wizyta-web"].poll() is None and office.procs["wizytad"].poll() is None,
         "SIGHUP: both live on, and the office's new name is on the site")
    # wizytad's own words: an unclear reply is answered with help, signed
    t.ok(call("ala", "POST", "/api/v1/admin/reply-phrases/try",
              {"text": "Hmm, zobaczymy."})[1].get("verdict") == "unclear", "(an unclear reply)")
    office.deliver_reply((
        "From: Anna Nowak <anna1@example.pl>\r\nTo: wizyta+%s@urzad.example\r\n"
        "Subject: Re: wizyta\r\nMessage-ID: <sighup-1@example.pl>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        "Hmm, zobaczymy.\r\n" % ref).encode())
    msg = wait_for(lambda: next((m for m in (email.message_from_bytes(r, policy=email.policy.default)
                                             for r in office.outbox_files())
                                 if ref in str(m["Subject"])
                                 and "rozpozna" in str(m["Subject"])), None), timeout=15)
    t.ok(msg is not None and "Urząd Gminy Próbnej" in msg.get_body(("plain",)).get_content(),
         "and wizytad's answer to a reply signs with it, without a restart",
         msg and msg["Subject"])
    with open(office.conf, "w") as f:
        f.write(good.replace("listen = 127.0.0.1:%d" % office.web_port,
                             "listen = 127.0.0.1:%d" % free_port()))
    office.procs["wizyta-web"].send_signal(signal.SIGHUP)
    line = wait_for(lambda: [l for l in office.log("wizyta-web").splitlines()
                             if "web.listen" in l and "restart" in l], timeout=5)
    t.ok(line and len(line) == 1 and office.wait_port(office.web_port, 2),
         "a new listen address: one line says a restart is needed; it still listens", line)
    with open(office.conf, "w") as f:
        f.write(good + "\nthis is no line of a configuration\n")
    for name in ("wizyta-web", "wizytad"):
        office.procs[name].send_signal(signal.SIGHUP)
    lines = wait_for(lambda: [l for l in office.log("wizyta-web").splitlines()
                              if "SIGHUP" in l and "kept" in l], timeout=5)
    t.ok(lines and len(lines) == 1 and "Urząd Gminy Próbnej" in office.http("GET", "/")[2]
         and office.procs["wizyta-web"].poll() is None and office.procs["wizytad"].poll() is None,
         "a broken file: one line, the configuration in force kept", lines)
    with open(office.conf, "w") as f:
        f.write(good)

    # --- confirm_within through the API, the next booking expires on it ---------
    office.stop("wizyta-web")
    office.stop("wizytad")
    web2.send_signal(signal.SIGTERM)
    web2.wait(20)
    web2 = None
    NOW = "@2026-12-08 08:00:00"
    office.start("wizytad", "wizytad", env=faketime(NOW))
    office.start("wizyta-web", "wizyta-web", env=faketime(NOW))
    t.ok(office.wait_port(office.web_port), "both daemons at " + NOW)
    call("ala", "PUT", "/api/v1/admin/settings", {"confirm_within": None})
    code, slots = office.api("GET", "/api/v1/services/%d/slots?date=2026-12-08" % sid)
    early = late = {}
    if code == 200 and len(slots) > 2:
        early = office.api("POST", "/api/v1/bookings", {
            "service_id": sid, "start": slots[-1]["start"], "first_name": "Piotr",
            "last_name": "Przedtem", "email": "p@example.pl"})[1]
        code, s = call("ala", "PUT", "/api/v1/admin/settings", {"confirm_within": "2m"})
        t.ok(code == 200 and s["confirm_within"] == "2m", "confirm_within = 2m through the API")
        late = office.api("POST", "/api/v1/bookings", {
            "service_id": sid, "start": slots[-2]["start"], "first_name": "Paweł",
            "last_name": "Potem", "email": "pp@example.pl"})[1]
    con = sqlite3.connect(db, timeout=10)
    holds = dict(con.execute("SELECT reference, confirm_by - created_at FROM bookings"
                             " WHERE reference IN (?, ?)",
                             (early.get("reference", ""), late.get("reference", ""))).fetchall())
    con.close()
    t.ok(holds.get(late.get("reference")) == 120 and holds.get(early.get("reference")) == 1800,
         "the next booking is held 2 minutes, the one before keeps 30", holds)
    office.stop("wizyta-web")
    office.stop("wizytad")
    LATER = "@2026-12-08 08:03:00"
    office.start("wizytad", "wizytad", env=faketime(LATER))
    office.start("wizyta-web", "wizyta-web", env=faketime(LATER))
    office.wait_port(office.web_port)
    expired = wait_for(lambda: office.api("GET", "/api/v1/bookings/" + late.get("reference", "x"))[1]
                       .get("status") == "expired", timeout=20)
    t.ok(expired, "at 08:03 wizytad has expired the next booking on the new time")
    t.ok(office.api("GET", "/api/v1/bookings/" + early.get("reference", "x"))[1].get("status")
         == "pending", "while the one made before is still pending")
    msg = wait_for(lambda: next((m for m in (email.message_from_bytes(r, policy=email.policy.default)
                                             for r in office.outbox_files())
                                 if late.get("reference", "?") in str(m["Subject"])
                                 and "wygas" in str(m["Subject"]).lower()), None), timeout=15)
    t.ok(msg is not None and "2 minut" in msg.get_body(("plain",)).get_content(),
         "its expiry e-mail says it was not confirmed within 2 minutes", msg and msg["Subject"])
    codes = office.stop_all()
    t.ok(codes == {"wizyta-web": 0, "wizytad": 0}, "both stop cleanly", codes)
finally:
    if web2 is not None:
        web2.send_signal(signal.SIGTERM)
        try:
            web2.wait(20)
        except Exception:
            web2.kill()
    office.stop_all()
    kannel.stop()
    office.cleanup()
t.done()
