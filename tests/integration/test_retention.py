#!/usr/bin/python3
"""Personal data is erased [privacy] retain_days after the visit (TAP).

At a chosen clock (libfaketime: Tuesday 2026-12-08 08:00) a citizen books
two visits, gets every message by e-mail and SMS, replies by e-mail and by
SMS, staff write a note with her name, serve the first visit and she
cancels the second. Another citizen books for late January. Then wizytad
starts 33 days later, after [privacy] purge_at: its daily purge erases the
first citizen's name, e-mail, phone, messages and replies — the bytes are
in none of the database file, its write-ahead log, a backup made afterwards
or the mail and SMS files — while the second citizen's stay, and every
figure a report counts (the visits report itself) is what it was. Then the second citizen asks: their
data is exported as JSON, erasure is refused while their visit is live,
and done once it is cancelled; all of it in the audit log. Last, `wizyta
purge` with both daemons running erases a third citizen's January visit at
once: gone from the database files and from a backup made afterwards.
On PostgreSQL the rebuild is VACUUM FULL of the tables an erasure writes.
"""
import json
import os
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import POSTGRESQL, Office, Tap, faketime, wait_for  # noqa: E402

t = Tap()
DAY = "2026-12-08"
T0 = "@2026-12-08 08:00:00"
T1 = "@2027-01-10 04:00:00"  # 33 days on, after purge_at 03:00
ZENOBIA = {"first_name": "Zenobia", "last_name": "Purgowska",
           "email": "zenobia.purgowska@example.test", "phone": "+48 601 234 567"}
KAZIMIERZ = {"first_name": "Kazimierz", "last_name": "Zostający",
             "email": "kazimierz.zostajacy@example.test", "phone": "+48 602 345 678"}
TEODORA = {"first_name": "Teodora", "last_name": "Czyścińska",
           "email": "teodora.czyscinska@example.test", "phone": "+48 603 456 789"}
T2 = "@2027-02-25 12:00:00"  # five weeks after her visit of 2027-01-20
# what must be gone from every file: as the citizen typed it and as stored
GONE = [b"Zenobia", b"Purgowska", b"zenobia.purgowska@example.test",
        b"+48601234567", b"601234567", b"601 234 567"]
VISITS = "/api/v1/reports/visits?from=2026-12-08&to=2026-12-09&format=json"
REPORT_SQL = ("SELECT id, reference, service_id, desk_id, day, status, start_at, end_at,"
              " checked_in_at, called_at, started_at, ended_at, language, source"
              " FROM bookings ORDER BY id")

office = Office(extra={"reception": {"check_in_early": "12h", "no_show_after": "0"},
                       "staff": {"login_rate_limit": "1000"},
                       "privacy": {"retain_days": "30", "purge_at": "03:00"}})
db = office.sections["database"].get("path")


def files_holding(needles, paths):
    """(file, needle) for every needle found in the files' bytes."""
    found = []
    for path in paths:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            continue
        for n in needles:
            if n in data or n.lower() in data.lower():
                found.append((os.path.basename(path), n.decode()))
    return found


def database_files():
    """The files that hold the office's database: the SQLite file, its WAL
    and -shm; on PostgreSQL every file of the database's directory
    (base/OID: tables, their TOAST, indexes) once a checkpoint wrote the
    server's buffers to them (the server's own write-ahead log is shared by
    every database and recycled by its checkpoints)."""
    if not POSTGRESQL:
        return [p for p in (db, db + "-wal", db + "-shm") if os.path.exists(p)]
    office.sql("CHECKPOINT")
    [(data, oid, stats)] = office.sql(
        "SELECT current_setting('data_directory'), oid::text,"
        " pg_relation_filenode('pg_statistic')::text"
        " FROM pg_database WHERE datname = current_database()")
    top = os.path.join(data, "base", oid)
    # but pg_statistic's: the rebuild renews the statistics (checked
    # through pg_stats), yet the replaced rows stay in that catalog's file
    # until the server reuses their space, and rewriting a catalog takes a
    # superuser (README "PostgreSQL")
    return [os.path.join(top, n) for n in sorted(os.listdir(top))
            if n.split(".")[0].split("_")[0] != stats]


def mail_and_sms_files():
    out = []
    for top in (office.maildir, office.spool):
        for root, _, names in os.walk(top):
            out += [os.path.join(root, n) for n in names]
    return out


def files_clean(needles, backup_name, clock):
    """Two TAP lines: none of the needles in the database's files, nor in
    a backup made now (at clock)."""
    files = database_files()
    held = files_holding(needles, files)
    t.ok(not held, "the database's table and index files hold none of her bytes" if POSTGRESQL
         else "the database, its WAL and -shm hold none of her bytes",
         (held, [(x, os.path.getsize(x)) for x in files]))
    backup = os.path.join(office.dir, backup_name)
    p = office.cli("backup", backup, env=faketime(clock))
    if POSTGRESQL:
        t.ok(p.returncode != 0 and "pg_dump -Fc" in p.stderr and not os.path.exists(backup),
             "wizyta backup leaves a PostgreSQL database to pg_dump -Fc, naming it",
             (p.returncode, p.stdout, p.stderr))
        return
    t.ok(p.returncode == 0 and not files_holding(needles, [backup]),
         "a backup made afterwards holds none of them", (p.stdout, p.stderr))


def query(sql, *args):
    """Rows of sql on either backend (office.sql). A boolean expression
    comes back as 0/1 from SQLite and False/True from PostgreSQL: equal in
    Python's comparisons."""
    return office.sql(sql, args)


def planner_statistics_naming(word):
    """How many columns' statistics (pg_stats: the most common values and
    the histogram ANALYZE samples) hold word, in any case."""
    return office.sql("SELECT count(*) FROM pg_stats WHERE schemaname = 'public' AND"
                      " (coalesce(most_common_vals::text, '') ||"
                      " coalesce(histogram_bounds::text, '')) ILIKE ?",
                      ("%" + word + "%",))[0][0]


def scrape_bookings():
    code, _, text = office.http("GET", "/metrics")
    return sorted(line for line in text.splitlines() if line.startswith("wizyta_bookings{"))


try:
    office.cli("init")
    office.cli("demo")
    office.cli("operator", "add", "basia", "--role", "staff", stdin="a long password 123\n")
    token = office.cli("token", "add", "basia").stdout.strip()
    staff = {"Authorization": "Bearer " + token}
    office.start("wizyta-web", "wizyta-web", env=faketime(T0))
    office.start("wizytad", "wizytad", env=faketime(T0))
    if not t.ok(office.wait_port(office.web_port) and office.wait_port(office.gw_port),
                "wizyta-web and wizytad start at " + T0, office.log("wizytad")):
        t.done()

    services = office.api("GET", "/api/v1/services")[1]
    sid = [s for s in services if s["name"] == "Rejestracja pojazdu"][0]["id"]

    def book(person, date, index=0):
        code, slots = office.api("GET", "/api/v1/services/%d/slots?date=%s" % (sid, date))
        code, b = office.api("POST", "/api/v1/bookings",
                             dict(person, service_id=sid, start=slots[index]["start"]))
        return b.get("reference", "") if code == 201 else ""

    def status(ref, value):
        return office.api("POST", "/api/v1/bookings/%s/status" % ref, {"status": value},
                          headers=staff)

    # ---- Zenobia's visit today, served; her second one, cancelled
    visit = book(ZENOBIA, DAY)
    second = book(ZENOBIA, "2026-12-09")
    later = book(KAZIMIERZ, "2027-01-20")
    third = book(TEODORA, "2027-01-20", 1)
    t.ok(visit and second and later and third, "three citizens book four visits",
         (visit, second, later, third))
    steps = [status(visit, s)[0] for s in ("booked", "waiting", "called", "in_service", "done")]
    t.ok(steps == [200] * 5, "staff confirm, check in, call, serve and finish the first visit",
         steps)
    t.ok(status(later, "booked")[0] == 200 and status(third, "booked")[0] == 200,
         "and confirm the January visits")
    code, _ = office.api("POST", "/api/v1/bookings/%s/notes" % visit,
                         {"text": "Zenobia Purgowska przyniesie dowód, tel. 601 234 567"},
                         headers=staff)
    t.ok(code == 201, "a staff note names her", code)
    code, body = office.api("POST", "/api/v1/bookings/%s/cancel" % second,
                            {"contact": ZENOBIA["email"]})
    t.ok(code == 200, "she cancels the second visit", (code, body))
    office.deliver_reply((
        "From: Zenobia Purgowska <zenobia.purgowska@example.test>\r\n"
        "To: wizyta+%s@urzad.example\r\nSubject: Re: wizyta %s\r\n"
        "Message-ID: <r1.zenobia.purgowska@example.test>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Czy mogę przyjść z dzieckiem? Zenobia Purgowska, tel. 601 234 567\r\n"
        % (visit, visit)).encode())
    query_string = urllib.parse.urlencode({
        "secret": office.secret, "from": "+48601234567", "to": "48500100200",
        "text": "Tu Zenobia Purgowska, będę o czasie", "id": "sms-1"})
    with urllib.request.urlopen("http://127.0.0.1:%d/sms/inbound?%s" %
                                (office.gw_port, query_string), timeout=10) as r:
        t.ok(r.status == 200, "her SMS reply reaches wizytad's callback", r.status)

    def settled():
        rows = query("SELECT count(*) FROM outbox WHERE status IN ('queued', 'sending')")
        inbox = query("SELECT count(*) FROM inbox WHERE status = 'new'")
        return rows[0][0] == 0 and inbox[0][0] == 0 and \
            query("SELECT count(*) FROM inbox")[0][0] >= 2
    t.ok(wait_for(settled, 30), "wizytad sends every message and reads both replies",
         office.log("wizytad")[-2000:])
    held = files_holding(GONE, database_files())
    t.ok({n for _, n in held} >= {"Zenobia", "Purgowska", "zenobia.purgowska@example.test",
                                  "+48601234567"},
         "before: the database files hold her name, e-mail and phone (the scan sees them)",
         held)
    t.ok(files_holding(GONE, mail_and_sms_files()), "and so do the mail and SMS files")
    if POSTGRESQL:
        # what autovacuum does in an office with traffic: the planner's
        # statistics then sample her name and address
        office.sql("ANALYZE")
        t.ok(planner_statistics_naming("zenobia") > 0,
             "the planner's statistics name her (pg_stats, as autovacuum leaves them)")
    report = query(REPORT_SQL)
    metrics = scrape_bookings()
    visits = office.api("GET", VISITS, headers=staff)
    t.ok(visits[0] == 200 and visits[1], "the visits report of those days", visits)
    t.ok(len(metrics) == 9, "/metrics counts bookings by status", metrics)
    office.stop("wizytad")
    office.stop("wizyta-web")

    # ---- 33 days later: wizytad's daily purge
    seen = len(office.log("wizytad"))
    office.start("wizyta-web", "wizyta-web", env=faketime(T1))
    office.start("wizytad", "wizytad", env=faketime(T1))
    office.wait_port(office.web_port)
    purged = wait_for(lambda: "privacy purge" in office.log("wizytad")[seen:], 30)
    t.ok(purged, "wizytad runs the daily purge at start, after purge_at",
         office.log("wizytad")[seen:][-1500:])
    line = [l for l in office.log("wizytad")[seen:].splitlines() if "privacy purge" in l]
    t.ok(line and "bookings=2" in line[0] and "compacted=yes" in line[0],
         "it erases her two bookings and rebuilds the files", line)
    rows = query("SELECT reference, first_name, last_name, email, phone, note, erased_at > 0"
                 " FROM bookings WHERE reference IN (?, ?, ?) ORDER BY start_at",
                 visit, second, later)
    t.ok(rows[:2] == [(visit, "", "", "", "", "", 1), (second, "", "", "", "", "", 1)],
         "her bookings keep no name, e-mail, phone or note", rows)
    folds = query("SELECT first_fold || last_fold FROM bookings WHERE reference IN (?, ?)",
                  visit, second)
    t.ok(folds == [("",), ("",)], "nor the register's folded names", folds)
    t.ok(rows[2][1:5] == ("Kazimierz", "Zostający", "kazimierz.zostajacy@example.test",
                          "+48602345678") and rows[2][6] == 0,
         "the January visit keeps its citizen", rows[2])
    left = query("SELECT count(*) FROM outbox o JOIN bookings b ON b.id = o.booking_id"
                 " WHERE b.reference IN (?, ?) AND (o.recipient <> '' OR length(o.payload) > 0"
                 " OR o.last_error <> '' OR o.text <> '')", visit, second)
    t.ok(left == [(0,)], "her messages keep no recipient, text or server echo", left)
    left = query("SELECT count(*) FROM inbox WHERE length(raw) > 0 OR sender <> ''"
                 " OR words <> ''"
                 " OR dedup_key LIKE ?", "%zenobia%")
    t.ok(left == [(0,)], "her replies keep no sender or words", left)
    left = query("SELECT count(*) FROM booking_events e JOIN bookings b ON b.id = e.booking_id"
                 " WHERE b.reference = ? AND e.detail <> ''", visit)
    t.ok(left == [(0,)], "the booking's history keeps no note text", left)
    files_clean(GONE, "after-purge.db", T1)
    if POSTGRESQL:
        t.ok(planner_statistics_naming("zenobia") == 0 and
             planner_statistics_naming("purgowska") == 0,
             "the rebuild renews the planner's statistics: they name her no more")
    t.ok(not files_holding(GONE, mail_and_sms_files()),
         "the maildir and SMS spool files are gone", files_holding(GONE, mail_and_sms_files()))
    t.ok(query(REPORT_SQL) == report,
         "what reports count is unchanged: status, service, desk, day, times", None)
    t.ok(scrape_bookings() == metrics, "/metrics counts the same bookings", scrape_bookings())
    after = office.api("GET", VISITS, headers=staff)
    t.ok(after == visits, "the visits report of the purged days is what it was", (visits, after))
    audit = query("SELECT channel, detail FROM audit WHERE action = 'privacy.purge'")
    t.ok(len(audit) == 1 and audit[0][0] == "system" and "bookings=2" in audit[0][1],
         "the purge is in the audit log, counts only", audit)
    p = office.cli("status", "--json", env=faketime(T1))
    st = json.loads(p.stdout) if p.returncode == 0 else {}
    t.ok(st.get("privacy", {}).get("last_purge") == "2027-01-10" and
         st["privacy"]["retain_days"] == 30, "wizyta status --json shows the last purge",
         (p.stdout, p.stderr))
    p = office.cli("purge", env=faketime(T1))
    t.ok(p.returncode == 0 and "bookings=0" in p.stdout,
         "wizyta purge at once finds nothing more to erase", (p.stdout, p.stderr))

    # ---- Kazimierz asks for his data, then for its erasure
    p = office.cli("person", "export", "602-345-678", env=faketime(T1))
    doc = json.loads(p.stdout) if p.returncode == 0 else {}
    b = (doc.get("bookings") or [{}])[0]
    t.ok(b.get("reference") == later and b.get("first_name") == "Kazimierz" and
         b.get("email") == KAZIMIERZ["email"] and b.get("erased") is None and
         any(m["kind"] == "confirm_request" and m["recipient"] == KAZIMIERZ["email"] and
             KAZIMIERZ["email"] in m["content"] for m in b.get("messages", [])) and
         [h["action"] for h in b.get("history", [])][:1] == ["create"],
         "person export (by phone, any spelling): his booking, history and messages as JSON",
         p.stdout[:1500] + p.stderr)
    p = office.cli("person", "erase", KAZIMIERZ["email"], env=faketime(T1))
    t.ok(p.returncode == 1 and "live bookings " + later in p.stderr,
         "erasure is refused while his visit is live, naming it", (p.stdout, p.stderr))
    code, _ = office.api("POST", "/api/v1/bookings/%s/cancel" % later,
                         {"contact": KAZIMIERZ["phone"]})
    wait_for(lambda: query("SELECT count(*) FROM outbox WHERE status IN ('queued','sending')")
             == [(0,)], 20)
    p = office.cli("person", "erase", "KAZIMIERZ.zostajacy@example.test", env=faketime(T1))
    t.ok(code == 200 and p.returncode == 0 and "bookings=1" in p.stdout,
         "once cancelled, person erase erases it (the address in any case)",
         (code, p.stdout, p.stderr))
    p = office.cli("person", "export", KAZIMIERZ["email"], env=faketime(T1))
    doc = json.loads(p.stdout) if p.returncode == 0 else {}
    t.ok(doc.get("bookings") == [], "afterwards nothing is found by his address", p.stdout[:500])
    held = files_holding([b"Kazimierz", b"zostajacy@example.test", b"602345678"],
                         database_files())
    t.ok(not held, "and his bytes are in no database file", held)
    audit = query("SELECT action, channel, detail FROM audit WHERE action LIKE ?"
                  " ORDER BY id", "person.%")
    t.ok([a[:2] for a in audit] == [("person.export", "cli"), ("person.erase", "cli"),
                                    ("person.export", "cli")] and
         not any("@" in a[2] or "602" in a[2] for a in audit),
         "export, erase and export are audited as the command line, without the contact", audit)

    # ---- wizyta purge at once, both daemons running: Teodora's visit of
    # 2027-01-20 ended more than retain_days before T2
    teodora = [b"Teodora", "Czyścińska".encode(), b"teodora.czyscinska@example.test",
               b"603456789"]
    t.ok({n for _, n in files_holding(teodora, database_files())} >=
         {"Teodora", "teodora.czyscinska@example.test", "603456789"},
         "before wizyta purge: the database files hold Teodora's name, e-mail and phone")
    p = office.cli("purge", env=faketime(T2))
    t.ok(p.returncode == 0 and "bookings=1" in p.stdout and p.stderr == "",
         "wizyta purge erases her booking at once and rebuilds the files",
         (p.stdout, p.stderr))
    files_clean(teodora, "after-cli-purge.db", T2)
    rows = query("SELECT first_name, email, phone, status FROM bookings WHERE reference = ?",
                 third)
    t.ok(rows == [("", "", "", "booked")], "her booking keeps its status for the reports", rows)
    p = office.cli("person", "erase", "not a contact", env=faketime(T1))
    t.ok(p.returncode == 2 and "neither an e-mail address nor a phone number" in p.stderr,
         "a contact that is neither: a clear error", p.stderr)
    office.personal(*ZENOBIA.values(), *KAZIMIERZ.values(), *TEODORA.values(),
                    "Zostający", "601 234 567")
finally:
    office.cleanup()
t.done()
