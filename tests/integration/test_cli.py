#!/usr/bin/python3
"""The operator's side, as a sysadmin meets it (wizyta(1), wizytad(8),
wizyta-web(8)):

- every program answers -h/--help on stdout with exit 0, and a wrong call
  (no arguments, an unknown option, a stray argument, no -c) with what is
  wrong on stderr and exit 2;
- a command group without its subcommand (wizyta operator) lists the
  group's subcommands (exit 2; with --help on stdout, exit 0), an unknown
  subcommand is named; COMMAND --help needs no configuration;
- the commands `wizyta -h` lists are those doc/wizyta.1 documents;
- operators are people too: person export lists an operator account whose
  own contact is the person's, person erase refuses naming the login until
  `wizyta operator contact LOGIN --clear`;
- wizyta status tells whether wizytad runs (never, running, stopped) and
  when each channel last sent.
"""
import json
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from wizyta_harness import BUILD, Office, Tap, first_free_slot, wait_for  # noqa: E402

SRC = os.environ.get("top_srcdir") or os.path.join(HERE, "..", "..")
t = Tap()


def run(program, *args, stdin=None):
    return subprocess.run([os.path.join(BUILD, program)] + list(args), input=stdin,
                          capture_output=True, text=True, timeout=60)


# ---- calls that need no configuration -------------------------------------
for program in ("wizyta", "wizytad", "wizyta-web"):
    for flag in ("-h", "--help"):
        p = run(program, flag)
        t.ok(p.returncode == 0 and p.stdout.startswith("usage: " + program) and p.stderr == "",
             "%s %s: the usage on stdout, exit 0" % (program, flag), (p.returncode, p.stdout, p.stderr))
    p = run(program)
    t.ok(p.returncode == 2 and p.stdout == "" and "usage: " + program in p.stderr,
         "%s without arguments: the usage on stderr, exit 2" % program, (p.returncode, p.stderr))
    p = run(program, "--bogus")
    t.ok(p.returncode == 2 and p.stdout == "" and "bogus" in p.stderr,
         "%s --bogus: named on stderr, exit 2" % program, (p.returncode, p.stderr))
for program in ("wizytad", "wizyta-web"):
    p = run(program, "-c", "/etc/wizyta/wizyta.conf", "stray")
    t.ok(p.returncode == 2 and "unexpected 'stray'" in p.stderr,
         "%s: a stray argument is named, exit 2" % program, p.stderr)

p = run("wizyta", "status")
t.ok(p.returncode == 2 and "-c FILE" in p.stderr and p.stdout == "",
     "wizyta status without -c says a configuration is needed", p.stderr)
p = run("wizyta", "-c")
t.ok(p.returncode == 2 and "-c needs" in p.stderr, "wizyta -c without its file says so", p.stderr)

help_text = run("wizyta", "--help").stdout
commands = re.findall(r"^  ([a-z][a-z-]*(?: [a-z]+)?)(?: |$)", help_text, re.M)
groups = sorted({c.split()[0] for c in commands if " " in c})
t.ok(groups == ["operator", "person", "token"], "the command groups", groups)
for group in groups:
    subs = [c for c in commands if c.startswith(group + " ")]
    p = run("wizyta", group)
    t.ok(p.returncode == 2 and p.stdout == "" and "unknown command" not in p.stderr and
         all(s in p.stderr for s in subs),
         "wizyta %s without a subcommand lists %s (stderr, exit 2)" % (group, ", ".join(subs)),
         (p.returncode, p.stderr))
    p = run("wizyta", group, "--help")
    t.ok(p.returncode == 0 and p.stderr == "" and all(s in p.stdout for s in subs),
         "wizyta %s --help lists them on stdout, exit 0" % group, (p.returncode, p.stdout, p.stderr))
    p = run("wizyta", "-c", "/nonexistent.conf", group, "frobnicate")
    t.ok(p.returncode == 2 and "unknown subcommand 'frobnicate'" in p.stderr and subs[0] in p.stderr,
         "wizyta %s frobnicate: the unknown subcommand named, the group listed" % group, p.stderr)
p = run("wizyta", "-c", "/nonexistent.conf", "frobnicate")
t.ok(p.returncode == 2 and "unknown command 'frobnicate'" in p.stderr, "an unknown command is named",
     p.stderr)
bad = []
for command in commands:
    p = run("wizyta", "-c", "/nonexistent.conf", *command.split(), "--help")
    if not (p.returncode == 0 and p.stdout.startswith("usage: wizyta -c FILE " + command)):
        bad.append((command, p.returncode, p.stdout, p.stderr))
t.ok(commands and not bad, "COMMAND --help for all %d commands: stdout, exit 0, no configuration read"
     % len(commands), bad)

# every command listed is in the manual page, and every one there is listed
with open(os.path.join(SRC, "doc", "wizyta.1")) as f:
    page = f.read()
section = page.split(".SH COMMANDS", 1)[1].split("\n.SH ", 1)[0]
documented = set()
for line in re.findall(r"^\.TP\n(.*)$", section, re.M):
    words = re.sub(r"\\f[BIR]|\\-|\"", " ", line).split()[1:]
    name = [w for w in words[:2] if re.fullmatch(r"[a-z][a-z-]*", w)]
    if name:
        documented.add(" ".join(name[:2] if name[0] in groups else name[:1]))
t.ok(documented == set(commands), "doc/wizyta.1 documents exactly the commands wizyta -h lists",
     (sorted(documented - set(commands)), sorted(set(commands) - documented)))
for program, page in (("wizytad", "wizytad.8"), ("wizyta-web", "wizyta-web.8")):
    with open(os.path.join(SRC, "doc", page)) as f:
        text = f.read()
    options = set(re.findall(r"^  (-[a-z])\b", run(program, "--help").stdout, re.M))
    missing = [o for o in options
               if not re.search(r"^\.B[IR]? \\%s\b" % re.escape(o), text, re.M)]
    t.ok(options and not missing, "doc/%s documents every option of %s --help" % (page, program),
         (options, missing))

# ---- an office --------------------------------------------------------------
office = Office()
p = office.cli("status")
t.ok(p.returncode == 1 and "init" in p.stderr and p.stdout == "",
     "status before init: says to run init, exit 1", p.stderr)
office.cli("init")
office.cli("demo")
p = office.cli("demo", "again")
t.ok(p.returncode == 2 and "no arguments" in p.stderr, "demo with an argument: exit 2", p.stderr)
p = office.cli("operator", "add", "ewa", "--role")
t.ok(p.returncode == 2 and "--role needs a value" in p.stderr, "operator add --role without its value",
     p.stderr)



def on_terminal(args, typed):
    """Run wizyta on a pseudo-terminal, typing each line of typed when
    asked; (exit code, everything the terminal showed)."""
    import pty
    import select
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execv(os.path.join(BUILD, "wizyta"), ["wizyta", "-c", office.conf] + args)
        finally:
            os._exit(127)
    shown, lines, answered = b"", list(typed), 0
    while True:
        ready, _, _ = select.select([fd], [], [], 30)
        if not ready:  # stuck: say so, never hang the suite
            os.kill(pid, 9)
            shown += b"\n[no answer in 30 s: killed]"
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
        # a line typed for each prompt, once it shows (as a person would)
        if lines and shown.count(b"Password") > answered and shown.rstrip().endswith(b":"):
            answered += 1
            os.write(fd, lines.pop(0).encode() + b"\n")
    return os.waitpid(pid, 0)[1] >> 8, shown.decode("utf-8", "replace")


code, shown = on_terminal(["operator", "add", "tola", "--role", "staff"],
                          ["Tajne-Haslo-2026", "Tajne-Haslo-2026"])
t.ok(code == 0 and "Password:" in shown and "Password again:" in shown and "Tajne" not in shown and
     office.sql("SELECT count(*) FROM operators WHERE login = ?", ("tola",))[0][0] == 1,
     "operator add on a terminal: asks twice, echoes nothing, adds", shown)
code, shown = on_terminal(["operator", "add", "tadek", "--role", "staff"],
                          ["Tajne-Haslo-2026", "Inne-Haslo-2026"])
t.ok(code == 1 and "differ" in shown and
     office.sql("SELECT count(*) FROM operators WHERE login = ?", ("tadek",))[0][0] == 0,
     "two different passwords: refused, nothing added", shown)

p = office.cli("status")
t.ok(p.returncode == 0 and re.search(r"wizytad\s+never ran", p.stdout),
     "status: wizytad never ran on this database", p.stdout)

# ---- an operator who is also a citizen --------------------------------------
office.personal("Ewa.Urzednik@example.pl", "+48602000111")
p = office.cli("operator", "contact", "urzednik", "--email", "Ewa.Urzednik@Example.PL",
               "--phone", "602 000 111")
t.ok(p.returncode == 0 and "contact set" in p.stdout, "operator contact sets the account's own contact",
     (p.stdout, p.stderr))
p = office.cli("operator", "contact", "urzednik")
t.ok(p.returncode == 0 and "email=Ewa.Urzednik@example.pl phone=+48602000111" in p.stdout,
     "operator contact LOGIN shows it, normalised", p.stdout)
p = office.cli("operator", "contact", "urzednik", "--email", "no-at-sign")
t.ok(p.returncode == 2 and "@" in p.stderr, "a wrong e-mail address is refused, exit 2", p.stderr)
p = office.cli("operator", "contact", "nobody")
t.ok(p.returncode == 1 and "no operator with that login" in p.stderr, "an unknown login is named",
     p.stderr)

p = office.cli("person", "export", "ewa.urzednik@example.pl")
doc = json.loads(p.stdout) if p.returncode == 0 else {}
accounts = doc.get("operator_accounts", [])
t.ok(len(accounts) == 1 and accounts[0]["login"] == "urzednik" and accounts[0]["role"] == "staff" and
     accounts[0]["phone"] == "+48602000111" and "password" not in json.dumps(accounts),
     "person export lists the operator account whose contact it is (no password hash)", p.stdout[-600:])
p = office.cli("person", "export", "+48 602 000 111")
t.ok(p.returncode == 0 and len(json.loads(p.stdout)["operator_accounts"]) == 1,
     "found by the phone too", p.stdout[-300:])
p = office.cli("person", "erase", "602000111")
t.ok(p.returncode == 1 and "urzednik" in p.stderr and "operator contact urzednik --clear" in p.stderr
     and p.stdout == "", "person erase refuses, naming the account and what to do", p.stderr)
rows = office.sql("SELECT email, phone FROM operators WHERE login = ?", ("urzednik",))
t.ok(rows == [("Ewa.Urzednik@example.pl", "+48602000111")], "the account is unchanged", rows)
p = office.cli("operator", "contact", "urzednik", "--clear")
t.ok(p.returncode == 0 and "cleared" in p.stdout, "operator contact --clear", p.stdout)
p = office.cli("person", "erase", "602000111")
t.ok(p.returncode == 0 and p.stdout.startswith("erased "), "then the erasure runs", (p.stdout, p.stderr))
rows = office.sql("SELECT action, detail FROM audit WHERE action IN"
                  " ('operator.contact', 'person.export', 'person.erase') ORDER BY id")
t.ok([r[0] for r in rows] == ["operator.contact", "person.export", "person.export",
                              "operator.contact", "person.erase"] and
     "accounts=1" in rows[1][1] and not any("602" in r[1] or "@" in r[1] for r in rows),
     "all audited, with counts and never the contact", rows)

# ---- status with wizytad running and stopped --------------------------------
office.start_both(t)
ok = wait_for(lambda: re.search(r"wizytad\s+running", office.cli("status").stdout), 20, 0.2)
t.ok(ok, "status: wizytad running", office.cli("status").stdout)
code, services = office.api("GET", "/api/v1/services")
sid = services[0]["id"] if code == 200 else 0
slot = first_free_slot(office, sid) or {"start": ""}
code, b = office.api("POST", "/api/v1/bookings",
                     {"service_id": sid, "start": slot["start"], "first_name": "Jan",
                      "last_name": "Statusowy", "email": "jan.status@example.pl"})
t.ok(code == 201, "a booking", (code, b))
sent = wait_for(lambda: re.search(r"email\s+ok; last sent \d{4}-\d\d-\d\d \d\d:\d\d \(\d+s ago\)",
                                  office.cli("status").stdout), 20, 0.2)
t.ok(sent, "status: the e-mail channel ok, with when it last sent", office.cli("status").stdout)
p = office.cli("status", "--json")
doc = json.loads(p.stdout)
t.ok(doc["gateway"]["wizytad"] == "running" and isinstance(doc["gateway"]["seen_age"], int) and
     isinstance(doc["outbox"]["email"]["last_sent_age"], int) and
     doc["outbox"]["sms"]["last_sent_age"] is None,
     "status --json: gateway running, last_sent_age per channel", doc.get("gateway"))
office.stop("wizytad")
p = office.cli("status")
t.ok(re.search(r"wizytad\s+stopped \d{4}-", p.stdout) and "systemctl start wizytad" in p.stdout,
     "status: wizytad stopped, and what to do", p.stdout)
t.ok(json.loads(office.cli("status", "--json").stdout)["gateway"]["wizytad"] == "stopped",
     "status --json: stopped", "")
office.stop_all()
t.done()
