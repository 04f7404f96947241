#!/usr/bin/python3
"""mail_peers.py: a real Dovecot (IMAP + LMTP) and a small real SMTP server
in front of it, for wizyta's e-mail tests and benchmarks.

Everything lives in one directory DIR: dovecot.conf, passwd, Maildirs,
logs, the TLS files it writes (ca.pem, server.pem/.key signed by that CA,
rogue.pem/.key self-signed: a certificate the CA does not sign), ports.json,
pids.json, smtp.jsonl (one line per SMTP event: auth, mail, rcpt, data).
All servers listen on free 127.0.0.1 ports.

Why this SMTP server: offices run Postfix or Exim in front of Dovecot, but
what the channel must survive is SMTP itself (2xx/4xx/5xx, AUTH, STARTTLS),
not a queue manager. aiosmtpd (Debian's python3-aiosmtpd) is a real RFC 5321
server that starts in a fraction of a second without a spool or root, lets
the test switch it to "451 try later" for a while (a file `tempfail` in
DIR), and reports whether AUTH happened, which a Postfix would only tell
through its logs. It relays every accepted recipient to Dovecot's LMTP in
its own transaction (smtplib.LMTP reads a single reply after DATA), so
mail really lands in the user's Maildir and IMAP sees it.

Servers (all but smtp_plain answer 530 to MAIL without AUTH, like a
submission port):
  smtp        STARTTLS (CA-signed cert) + AUTH PLAIN/LOGIN, 550 for users
              Dovecot does not know, 451 while DIR/tempfail exists
  smtp_rogue  the same, but its STARTTLS certificate is self-signed
  smtps       the same with implicit TLS (RFC 8314), CA-signed
  smtp_plain  no TLS at all (STARTTLS not offered), AUTH optional
  imap        Dovecot IMAP (STARTTLS offered when tls=True), IDLE
  imaps       Dovecot IMAP with implicit TLS (when tls=True)
  lmtp        Dovecot LMTP, recipient_delimiter = +

Users (passwd-file): wizyta/secret and jan/secret, mail for
user@example.test or user+detail@example.test.

Python:
    with MailPeers(tmpdir) as p:
        p.ports["smtp"], p.ports["imap"], p.ca_file
CLI (shell or C tests):
    mail_peers.py start DIR [--no-tls]   # prints ports.json, then KEY=VALUE lines
    mail_peers.py stop DIR
    mail_peers.py tempfail DIR on|off
    mail_peers.py smtpd DIR NAME         # internal: one SMTP server
'start' returns once every server answers its greeting; 'stop' ends
exactly the pids it recorded.
"""

import argparse
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time

from ports import free_port  # noqa: E402,F401

DOVECOT = "/usr/sbin/dovecot"
USERS = {"wizyta": "secret", "jan": "secret"}
DOMAIN = "example.test"
# an internationalised domain the SMTP front also takes, in its A-label
# form (RFC 5890), delivering to the same mailboxes: the tests of IDN
# addresses read what arrives for "jan@żółw.test" in jan's INBOX
IDN_DOMAIN = "żółw.test"
IDN_DOMAIN_ASCII = IDN_DOMAIN.encode("idna").decode("ascii")


def installed():
    """(ok, reason): can the peers run here?"""
    if not os.access(DOVECOT, os.X_OK):
        return False, "dovecot not installed (dovecot-imapd dovecot-lmtpd)"
    if not os.path.exists("/usr/lib/dovecot/lmtp"):
        return False, "dovecot-lmtpd not installed"
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        return False, "python3-aiosmtpd not installed"
    if shutil.which("openssl") is None:
        return False, "openssl not installed"
    return True, ""




def wait_greeting(port, prefix, timeout=20.0, cafile=None):
    """The server's greeting, not just an open port (implicit TLS when
    cafile is given)."""
    import ssl
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                if cafile is not None:
                    ctx = ssl.create_default_context(cafile=cafile)
                    s = ctx.wrap_socket(s, server_hostname="localhost")
                data = s.recv(512)
                if data.startswith(prefix):
                    return
                last = data
        except OSError as e:
            last = e
        time.sleep(0.1)
    raise RuntimeError("port %d: no %r greeting (%r)" % (port, prefix, last))


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_certs(d):
    """A CA, a server cert it signs (localhost + 127.0.0.1), a rogue one."""
    san = "subjectAltName=DNS:localhost,IP:127.0.0.1"
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
            "-subj", "/CN=wizyta test CA", "-keyout", "ca.key", "-out",
            "ca.pem", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=d)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-keyout", "server.key", "-out", "server.csr", cwd=d)
    with open(os.path.join(d, "server.ext"), "w") as f:
        f.write(san + "\nbasicConstraints=CA:FALSE\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey",
            "ca.key", "-CAcreateserial", "-days", "30", "-out", "server.pem",
            "-extfile", "server.ext", cwd=d)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
            "-subj", "/CN=localhost", "-keyout", "rogue.key", "-out",
            "rogue.pem", "-addext", san, cwd=d)


def mail_owner():
    """uid/gid the mail belongs to: ours, or nobody when we are root
    (Dovecot refuses root as a mail user)."""
    if os.getuid() != 0:
        return os.getuid(), os.getgid()
    pw = pwd.getpwnam("nobody")
    return pw.pw_uid, pw.pw_gid


DOVECOT_CONF = """\
instance_name = wizyta-peers-{imap}
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
info_log_path = {d}/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = {ssl}
{ssl_files}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_username_format = %Ln
mail_location = maildir:~/Maildir
recipient_delimiter = +
lmtp_save_to_detail_mailbox = no
first_valid_uid = {uid}
first_valid_gid = {gid}
default_internal_user = dovecot
default_login_user = dovenull
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {d}/passwd
}}
userdb {{
  driver = passwd-file
  args = {d}/passwd
}}
namespace inbox {{
  inbox = yes
  mailbox Processed {{
    auto = create
  }}
}}
protocol lmtp {{
  postmaster_address = postmaster@{domain}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {imap}
  }}
  inet_listener imaps {{
    port = {imaps_port}
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = 127.0.0.1
    port = {lmtp}
  }}
}}
service anvil {{
  chroot =
}}
"""


class MailPeers:
    def __init__(self, directory, tls=True):
        self.dir = os.path.abspath(directory)
        self.tls = tls
        self.ports = {}
        self.pids = {}
        self.ca_file = os.path.join(self.dir, "tls", "ca.pem")

    # -- start / stop -----------------------------------------------------
    def wizyta_mail(self, inbound=True):
        """The [mail] section that points wizyta at these servers: SMTP with
        STARTTLS + AUTH as user wizyta, replies over IMAP (or none), the
        test CA for both."""
        mail = {"transport": "smtp", "smtp_host": "127.0.0.1",
                "smtp_port": str(self.ports["smtp"]), "smtp_tls": "starttls",
                "smtp_user": "wizyta", "smtp_password": USERS["wizyta"],
                "smtp_timeout": "10s",
                "from": "Urząd Miasta <wizyta@%s>" % DOMAIN,
                "reply_address": "wizyta@%s" % DOMAIN,
                "inbound": "none", "tls_ca_file": self.ca_file}
        if inbound:
            mail.update({"inbound": "imap", "imap_host": "127.0.0.1",
                         "imap_port": str(self.ports["imap"]), "imap_tls": "starttls",
                         "imap_user": "wizyta", "imap_password": USERS["wizyta"]})
        return mail

    def start(self):
        ok, why = installed()
        if not ok:
            raise RuntimeError(why)
        # a server that did not come up is stopped, not left running after
        # the test; a port lost between free_port() and the bind gets one
        # more try on new ports
        for attempt in (1, 2):
            try:
                return self._start()
            except (RuntimeError, OSError):
                self.stop()
                if attempt == 2:
                    raise

    def _start(self):
        os.makedirs(self.dir, exist_ok=True)
        tls_dir = os.path.join(self.dir, "tls")
        os.makedirs(tls_dir, exist_ok=True)
        make_certs(tls_dir)
        self.ports = {"imap": free_port(), "lmtp": free_port(),
                      "imaps": free_port(), "smtp": free_port(),
                      "smtp_rogue": free_port(), "smtps": free_port(),
                      "smtp_plain": free_port()}
        self._start_dovecot()
        wait_greeting(self.ports["imap"], b"* OK")
        if self.tls:
            wait_greeting(self.ports["imaps"], b"* OK", cafile=self.ca_file)
        wait_greeting(self.ports["lmtp"], b"220")
        for name in ("smtp", "smtp_rogue", "smtps", "smtp_plain"):
            self._start_smtpd(name)
            wait_greeting(self.ports[name], b"220",
                          cafile=self.ca_file if name == "smtps" else None)
        self._save()
        return self

    def _start_dovecot(self):
        d = os.path.join(self.dir, "dovecot")
        os.makedirs(d, exist_ok=True)
        uid, gid = mail_owner()
        with open(os.path.join(d, "passwd"), "w") as f:
            for user, pw in USERS.items():
                home = os.path.join(self.dir, "mail", user)
                os.makedirs(home, exist_ok=True)
                os.chown(home, uid, gid)
                f.write("%s:{PLAIN}%s:%d:%d::%s::\n" % (user, pw, uid, gid, home))
        os.chmod(os.path.join(self.dir, "mail"), 0o755)
        tls_dir = os.path.join(self.dir, "tls")
        ssl_files = ""
        if self.tls:
            ssl_files = ("ssl_cert = <%s/server.pem\nssl_key = <%s/server.key\n"
                         "ssl_dh = </usr/share/dovecot/dh.pem\n" % (tls_dir, tls_dir))
        conf = os.path.join(d, "dovecot.conf")
        with open(conf, "w") as f:
            f.write(DOVECOT_CONF.format(d=d, ssl="yes" if self.tls else "no",
                                        ssl_files=ssl_files, uid=uid, gid=gid,
                                        domain=DOMAIN,
                                        imaps_port=self.ports["imaps"] if self.tls else 0,
                                        **self.ports))
        if os.getuid() == 0:
            # dovecot drops privileges: every parent must be traversable
            p = self.dir
            while p != "/":
                os.chmod(p, os.stat(p).st_mode | 0o001)
                p = os.path.dirname(p)
            for f in ("server.key", "server.pem", "ca.pem"):
                os.chmod(os.path.join(tls_dir, f), 0o644)
        log = open(os.path.join(d, "stderr.log"), "ab")
        proc = subprocess.Popen([DOVECOT, "-F", "-c", conf], stdout=log,
                                stderr=log, stdin=subprocess.DEVNULL,
                                start_new_session=True)
        self.pids["dovecot"] = proc.pid

    def _start_smtpd(self, name):
        log = open(os.path.join(self.dir, name + ".log"), "ab")
        self._save()
        proc = subprocess.Popen([sys.executable, os.path.abspath(__file__),
                                 "smtpd", self.dir, name], stdout=log,
                                stderr=log, stdin=subprocess.DEVNULL,
                                start_new_session=True)
        self.pids[name] = proc.pid

    def _save(self):
        with open(os.path.join(self.dir, "ports.json"), "w") as f:
            json.dump(self.ports, f)
        with open(os.path.join(self.dir, "pids.json"), "w") as f:
            json.dump(self.pids, f)

    def stop(self):
        stop_pids(self.pids)
        self.pids = {}
        self._save()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- controls for tests ----------------------------------------------
    def tempfail(self, on):
        set_tempfail(self.dir, on)

    def events(self):
        return read_events(self.dir)

    def inbox(self, user="jan"):
        """Every message in user's INBOX (read over IMAP with STARTTLS, not
        marked seen), as email.message objects of the default policy."""
        import email
        import email.policy
        import imaplib
        import ssl
        ctx = ssl.create_default_context(cafile=self.ca_file)
        m = imaplib.IMAP4("127.0.0.1", self.ports["imap"])
        m.starttls(ssl_context=ctx)
        m.login(user, USERS[user])
        m.select("INBOX", readonly=True)
        _, data = m.search(None, "ALL")
        out = []
        for num in data[0].split():
            _, parts = m.fetch(num, "(BODY.PEEK[])")
            out.append(email.message_from_bytes(parts[0][1], policy=email.policy.default))
        m.logout()
        return out

    def submit(self, raw, to, user="jan"):
        """Send raw to `to` as user's mail client would: STARTTLS, AUTH."""
        import smtplib
        import ssl
        ctx = ssl.create_default_context(cafile=self.ca_file)
        with smtplib.SMTP("127.0.0.1", self.ports["smtp"], timeout=20) as s:
            s.starttls(context=ctx)
            s.login(user, USERS[user])
            s.sendmail("%s@%s" % (user, DOMAIN), [to], raw)


def stop_pids(pids):
    for name, pid in pids.items():
        try:
            os.killpg(pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            pass
    deadline = time.time() + 10
    for pid in pids.values():
        while time.time() < deadline:
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
                if done:
                    break
            except ChildProcessError:
                # not our child (CLI stop): poll for it to vanish
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
            time.sleep(0.05)


def set_tempfail(directory, on):
    path = os.path.join(directory, "tempfail")
    if on:
        open(path, "w").close()
    elif os.path.exists(path):
        os.unlink(path)


def read_events(directory):
    path = os.path.join(directory, "smtp.jsonl")
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


# -- the SMTP server (runs as `mail_peers.py smtpd DIR NAME`) ------------
def run_smtpd(directory, name):
    import asyncio
    import smtplib
    import ssl
    from asyncio import sslproto
    from aiosmtpd.smtp import SMTP, AuthResult, TLSSetupException
    from aiosmtpd.controller import Controller

    with open(os.path.join(directory, "ports.json")) as f:
        ports = json.load(f)
    if os.environ.get("MAIL_PEERS_DEBUG"):
        import logging
        logging.basicConfig(level=logging.DEBUG)
    tls_dir = os.path.join(directory, "tls")
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert = "rogue" if name == "smtp_rogue" else "server"
    ctx.load_cert_chain(os.path.join(tls_dir, cert + ".pem"),
                        os.path.join(tls_dir, cert + ".key"))
    events = os.path.join(directory, "smtp.jsonl")

    def record(**ev):
        ev["server"] = name
        ev["time"] = time.time()
        with open(events, "a") as f:
            f.write(json.dumps(ev) + "\n")

    def tempfail():
        return os.path.exists(os.path.join(directory, "tempfail"))

    def authenticator(server, session, envelope, mechanism, auth_data):
        user = auth_data.login.decode(errors="replace")
        pw = auth_data.password.decode(errors="replace")
        ok = USERS.get(user) == pw
        record(event="auth", mechanism=mechanism, user=user, ok=ok,
               tls=session.ssl is not None)
        # handled=False: aiosmtpd itself answers 235 / 535 (RFC 4954 6)
        return AuthResult(success=ok, handled=False)

    class Relay:
        async def handle_MAIL(self, server, session, envelope, address, options):
            if tempfail():
                record(event="mail", result=451)
                return "451 4.3.0 Try again later (test switch)"
            envelope.mail_from = address
            envelope.mail_options.extend(options)
            record(event="mail", result=250, tls=session.ssl is not None,
                   authenticated=bool(session.authenticated))
            return "250 OK"

        async def handle_RCPT(self, server, session, envelope, address, options):
            local, _, domain = address.partition("@")
            user = local.split("+", 1)[0].lower()
            if domain.lower() not in (DOMAIN, IDN_DOMAIN_ASCII) or user not in USERS:
                record(event="rcpt", result=550)
                return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
            if domain.lower() == IDN_DOMAIN_ASCII:
                record(event="rcpt_idn", address=address)
                address = "%s@%s" % (local, DOMAIN)
            envelope.rcpt_tos.append(address)
            record(event="rcpt", result=250)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            data = envelope.original_content or envelope.content
            for rcpt in envelope.rcpt_tos:
                try:
                    with smtplib.LMTP("127.0.0.1", ports["lmtp"], timeout=30) as l:
                        l.sendmail(envelope.mail_from, [rcpt], data)
                except smtplib.SMTPResponseException as e:
                    record(event="data", result=e.smtp_code)
                    return "%d %s" % (e.smtp_code, e.smtp_error.decode(errors="replace"))
                except (OSError, smtplib.SMTPException) as e:
                    record(event="data", result=451, error=str(e))
                    return "451 4.3.0 LMTP delivery failed"
            record(event="data", result=250, size=len(data),
                   has_date=b"\nDate:" in b"\n" + data,
                   message_id_count=data.count(b"\nMessage-ID:") + data.count(b"\nMessage-Id:"))
            return "250 2.0.0 Delivered"

    class Smtp(SMTP):
        async def smtp_STARTTLS(self, arg):
            # aiosmtpd 1.4 awaits drain() after "220 Ready" and only then
            # swaps in the TLS protocol: a fast client's ClientHello lands
            # in the plain reader meanwhile and the session dies. Write the
            # 220 and swap with no await in between (RFC 3207 4).
            if arg or not self.tls_context:
                return await super().smtp_STARTTLS(arg)
            self._writer.write(b"220 Ready to start TLS\r\n")
            waiter = self.loop.create_future()
            self._tls_protocol = sslproto.SSLProtocol(
                self.loop, self, self.tls_context, waiter, server_side=True)
            self._original_transport = self.transport
            self._original_transport.set_protocol(self._tls_protocol)
            self.transport = self._tls_protocol._app_transport
            self._tls_protocol.connection_made(self._original_transport)
            try:
                await waiter
            except asyncio.CancelledError:
                raise
            except Exception as error:
                raise TLSSetupException() from error

    class Ctl(Controller):
        def factory(self):
            return Smtp(self.handler, **self.SMTP_kwargs)

    if name == "smtps":   # implicit TLS (RFC 8314 3.3), no STARTTLS
        tls_kwargs = {"ssl_context": ctx}
    elif name == "smtp_plain":   # offers no STARTTLS at all
        tls_kwargs = {}
    else:
        tls_kwargs = {"tls_context": ctx}
    controller = Ctl(
        Relay(), hostname="127.0.0.1", port=ports[name],
        server_hostname="localhost", require_starttls=False, **tls_kwargs,
        authenticator=authenticator, auth_require_tls=False,
        auth_required=name != "smtp_plain",
        decode_data=False, server_kwargs={})
    controller.start()
    stop = {"flag": False}

    def on_term(signum, frame):
        stop["flag"] = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    while not stop["flag"]:
        time.sleep(0.2)
    controller.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("start")
    s.add_argument("dir")
    s.add_argument("--no-tls", action="store_true")
    s = sub.add_parser("stop")
    s.add_argument("dir")
    s = sub.add_parser("tempfail")
    s.add_argument("dir")
    s.add_argument("state", choices=["on", "off"])
    s = sub.add_parser("smtpd")
    s.add_argument("dir")
    s.add_argument("name")
    s = sub.add_parser("check")
    a = ap.parse_args()

    if a.cmd == "check":
        ok, why = installed()
        print(why if not ok else "ok")
        return 0 if ok else 1
    if a.cmd == "smtpd":
        run_smtpd(a.dir, a.name)
        return 0
    if a.cmd == "tempfail":
        set_tempfail(a.dir, a.state == "on")
        return 0
    if a.cmd == "stop":
        try:
            with open(os.path.join(a.dir, "pids.json")) as f:
                pids = json.load(f)
        except FileNotFoundError:
            return 0
        stop_pids(pids)
        os.unlink(os.path.join(a.dir, "pids.json"))
        return 0
    peers = MailPeers(a.dir, tls=not a.no_tls)
    try:
        peers.start()
    except Exception as e:
        peers.stop()
        print("mail_peers: %s" % e, file=sys.stderr)
        return 1
    print(json.dumps(peers.ports))
    for k, v in peers.ports.items():
        print("MAIL_PEERS_%s_PORT=%d" % (k.upper(), v))
    print("MAIL_PEERS_CA_FILE=%s" % peers.ca_file)
    print("MAIL_PEERS_DOMAIN=%s" % DOMAIN)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
