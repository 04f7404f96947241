#!/usr/bin/python3
"""kannel_peers.py: a real Kannel (bearerbox + smsbox) for wizyta's tests.

Everything lives in one directory: kannel.conf, logs, ports.json,
pids.json and sink.jsonl. Two fake SMSCs on free loopback ports:

  sink    outbound messages land here; a small TCP client (ours) holds it
          and records every line in sink.jsonl (fakesmsc's line protocol:
          "FROM TO text MSG" or "FROM TO data URLENCODED" / "udh ...").
          Kannel queues outbound messages until a client holds it, so we
          wait until the admin status page shows it online.
  inject  only reached by messages with smsc-id "inject" (none are), so it
          only ever carries inbound messages that we write to it.

smsbox's sms-service sends every inbound message to the URL the caller
gives (Kannel placeholders allowed: %p %P %a %I %t ...) and replies
nothing (max-messages = 0).

When run as root, bearerbox and smsbox run as the kannel user (setpriv),
so the directory is handed to that user.

Use from Python:
    with KannelPeers(dir, service_url) as k:
        k.ports["sendsms"]; k.inject("+48600700800", "8081", "TAK")
        k.wait_messages(1)
or from anything else (the C integration tests):
    kannel_peers.py start DIR --service-url URL   # prints ports.json, returns
    kannel_peers.py inject DIR FROM TO TEXT
    kannel_peers.py smsbox-stop DIR | smsbox-start DIR
    kannel_peers.py stop DIR
'start' leaves a background holder process that keeps the sink client;
'stop' ends it and both boxes by pid.
"""

import argparse
import json
import os
import pwd
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

from ports import free_port  # noqa: E402,F401

BEARERBOX = "/usr/sbin/bearerbox"
SMSBOX = "/usr/sbin/smsbox"
FAKESMSC = "/usr/lib/kannel/test/fakesmsc"
ADMIN_PASSWORD = "peers-admin"
SEND_USER = "wizyta"
SEND_PASSWORD = "secret"


def installed():
    return all(os.access(p, os.X_OK) for p in (BEARERBOX, SMSBOX))




def kannel_user():
    """(uid, gid) to run the boxes as, or None when not root."""
    if os.geteuid() != 0:
        return None
    try:
        pw = pwd.getpwnam("kannel")
    except KeyError:
        return None
    return pw.pw_uid, pw.pw_gid


def write_config(d, ports, service_url):
    conf = f"""# written by tests/peers/kannel_peers.py
group = core
admin-port = {ports['admin']}
admin-password = {ADMIN_PASSWORD}
admin-allow-ip = 127.0.0.1
smsbox-port = {ports['smsbox']}
box-allow-ip = 127.0.0.1
log-file = "{d}/bearerbox.log"
log-level = 1
access-log = "{d}/bearerbox-access.log"
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = sink
port = {ports['sink']}
connect-allow-ip = 127.0.0.1

group = smsc
smsc = fake
smsc-id = inject
port = {ports['inject']}
connect-allow-ip = 127.0.0.1
allowed-smsc-id = inject

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {ports['smsbox']}
sendsms-port = {ports['sendsms']}
sendsms-chars = "0123456789 +-"
log-file = "{d}/smsbox.log"
log-level = 1
access-log = "{d}/smsbox-access.log"
mo-recode = true

group = sendsms-user
username = {SEND_USER}
password = {SEND_PASSWORD}
max-messages = 10
concatenation = true

group = sms-service
keyword = default
catch-all = true
max-messages = 0
omit-empty = true
get-url = "{service_url}"
"""
    path = os.path.join(d, "kannel.conf")
    with open(path, "w") as f:
        f.write(conf)
    return path


def unquote_bytes(s):
    """Kannel's octstr_url_encode writes a blank as '+'."""
    return urllib.parse.unquote_to_bytes(s.replace("+", " "))


def decode_line(line):
    """One fakesmsc line → dict(from, to, type, text)."""
    parts = line.split(" ", 3)
    if len(parts) < 4:
        return {"raw": line}
    frm, to, kind, rest = parts
    msg = {"from": frm, "to": to, "type": kind}
    if kind == "text":
        # Kannel keeps 7-bit text as UTF-8 internally
        raw = rest.encode("latin-1")
        try:
            msg["text"] = raw.decode("utf-8")
        except UnicodeDecodeError:
            msg["text"] = rest
    elif kind in ("ucs-2", "ucs2"):
        raw = unquote_bytes(rest)
        msg["hex"] = raw.hex()
        msg["text"] = raw.decode("utf-16-be", "replace")
    elif kind == "data":
        raw = unquote_bytes(rest)
        msg["hex"] = raw.hex()
        text = None
        if len(raw) % 2 == 0 and b"\x00" in raw:
            try:
                text = raw.decode("utf-16-be")
            except UnicodeDecodeError:
                text = None
        if text is None:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("latin-1")
        msg["text"] = text
    elif kind == "udh":
        udh, _, data = rest.partition(" ")
        msg["udh"] = unquote_bytes(udh).hex()
        msg["text"] = unquote_bytes(data).decode("latin-1")
    else:
        msg["text"] = rest
    return msg


class SinkClient(threading.Thread):
    """Holds the outbound fake SMSC and records its lines."""

    def __init__(self, port, log_path=None):
        super().__init__(daemon=True)
        self.port = port
        self.log_path = log_path
        self.messages = []
        self.cond = threading.Condition()
        self.stopping = False
        self.sock = None

    def run(self):
        while not self.stopping:
            try:
                self.sock = socket.create_connection(("127.0.0.1", self.port), 2)
            except OSError:
                time.sleep(0.1)
                continue
            self.sock.settimeout(None)
            pending = b""
            while not self.stopping:
                try:
                    chunk = self.sock.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                pending += chunk
                while b"\n" in pending:
                    line, pending = pending.split(b"\n", 1)
                    self.record(line.decode("latin-1"))
            try:
                self.sock.close()
            except OSError:
                pass
            time.sleep(0.1)

    def record(self, line):
        msg = decode_line(line)
        with self.cond:
            self.messages.append(msg)
            if self.log_path:
                with open(self.log_path, "a") as f:
                    f.write(json.dumps(msg, ensure_ascii=False) + "\n")
            self.cond.notify_all()

    def stop(self):
        self.stopping = True
        if self.sock is not None:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def status_text(admin_port):
    url = f"http://127.0.0.1:{admin_port}/status.txt?password={ADMIN_PASSWORD}"
    with urllib.request.urlopen(url, timeout=2) as r:
        return r.read().decode("utf-8", "replace")


def port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), 0.5):
            return True
    except OSError:
        return False


def inject(port, frm, to, text, timeout=10):
    """Write one inbound SMS into the inject fake SMSC. Non-ASCII text goes
    as 'data' (URL-encoded UTF-8 bytes)."""
    if all(32 <= ord(c) <= 126 for c in text):
        line = f"{frm} {to} text {text}\n"
    else:
        line = f"{frm} {to} data {urllib.parse.quote(text.encode('utf-8'))}\n"
    deadline = time.time() + timeout
    while True:
        try:
            s = socket.create_connection(("127.0.0.1", port), 2)
            break
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.1)
    with s:
        s.sendall(line.encode("latin-1"))
        # give bearerbox time to read the line before our EOF
        time.sleep(0.5)


class KannelPeers:
    def __init__(self, directory, service_url, record=True):
        self.dir = os.path.abspath(directory)
        self.service_url = service_url
        self.ports = {}
        self.procs = {}
        self.sink = None
        self.record = record
        self.conf = None

    # -- processes --
    def _spawn(self, name, binary):
        user = kannel_user()
        cmd = [binary, self.conf]
        if user is not None:
            cmd = ["setpriv", f"--reuid={user[0]}", f"--regid={user[1]}",
                   "--clear-groups"] + cmd
        out = open(os.path.join(self.dir, f"{name}.out"), "ab")
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()
        self.procs[name] = p
        self._save_pids()
        return p

    def _save_pids(self):
        pids = {k: p.pid for k, p in self.procs.items()}
        path = os.path.join(self.dir, "pids.json")
        old = {}
        if os.path.exists(path):
            with open(path) as f:
                old = json.load(f)
        old.update(pids)
        with open(path, "w") as f:
            json.dump(old, f)

    def _wait(self, what, check, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for name, p in self.procs.items():
                if p.poll() is not None:
                    raise RuntimeError(f"{name} exited ({p.returncode}); see "
                                       f"{self.dir}/{name}.out and logs")
            try:
                if check():
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"timed out waiting for {what}; see {self.dir}")

    def start(self):
        # a box that did not come up is stopped, not left running after the
        # test (it outlived failed runs); a port lost to another program
        # between free_port() and the bind gets one more try on new ports
        for attempt in (1, 2):
            try:
                return self._start()
            except RuntimeError:
                self.stop()
                if attempt == 2:
                    raise

    def _start(self):
        os.makedirs(self.dir, exist_ok=True)
        self.ports = {k: free_port() for k in
                      ("admin", "smsbox", "sendsms", "sink", "inject")}
        self.conf = write_config(self.dir, self.ports, self.service_url)
        user = kannel_user()
        if user is not None:
            os.chown(self.dir, user[0], user[1])
            os.chmod(self.dir, 0o755)
            for name in os.listdir(self.dir):
                os.chown(os.path.join(self.dir, name), user[0], user[1])
            # every parent must be traversable by the kannel user
            parent = os.path.dirname(self.dir)
            while parent not in ("/", ""):
                st = os.stat(parent)
                if not st.st_mode & 0o001:
                    os.chmod(parent, st.st_mode | 0o001)
                parent = os.path.dirname(parent)
        with open(os.path.join(self.dir, "ports.json"), "w") as f:
            json.dump(self.ports, f)
        self._spawn("bearerbox", BEARERBOX)
        self._wait("bearerbox admin port", lambda: port_open(self.ports["admin"]))
        self.sink = SinkClient(self.ports["sink"],
                               os.path.join(self.dir, "sink.jsonl")
                               if self.record else None)
        self.sink.start()
        self.start_smsbox()
        self._wait("sink SMSC online",
                   lambda: self._smsc_online("sink"))
        return self

    def _smsc_online(self, smsc_id):
        for line in status_text(self.ports["admin"]).splitlines():
            if line.strip().startswith(smsc_id + "[") and "(online" in line:
                return True
        return False

    def start_smsbox(self):
        self._spawn("smsbox", SMSBOX)
        self._wait("smsbox sendsms port", lambda: port_open(self.ports["sendsms"]))
        self._wait("smsbox connected",
                   lambda: "smsbox:" in status_text(self.ports["admin"])
                   and "on-line" in status_text(self.ports["admin"]).split(
                       "Box connections")[-1])

    def stop_smsbox(self):
        p = self.procs.pop("smsbox", None)
        if p is not None:
            stop_pid(p.pid)
            p.wait(10)

    def stop(self):
        for name in ("smsbox", "bearerbox"):
            p = self.procs.pop(name, None)
            if p is not None:
                stop_pid(p.pid)
                try:
                    p.wait(15)
                except subprocess.TimeoutExpired:
                    os.kill(p.pid, signal.SIGKILL)
                    p.wait()
        if self.sink is not None:
            self.sink.stop()
            self.sink = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- messages --
    def inject(self, frm, to, text):
        inject(self.ports["inject"], frm, to, text)

    def wizyta_sms(self, sender="48500100200"):
        """The [sms] section that points wizyta at this Kannel's sendsms
        (a numeric sender: phones can answer, two-way SMS)."""
        return {"provider": "kannel",
                "url": "http://127.0.0.1:%d/cgi-bin/sendsms" % self.ports["sendsms"],
                "user": SEND_USER, "password": SEND_PASSWORD, "sender": sender,
                "transliterate": "yes"}

    def wait_messages(self, n, timeout=20):
        deadline = time.time() + timeout
        with self.sink.cond:
            while len(self.sink.messages) < n:
                left = deadline - time.time()
                if left <= 0:
                    break
                self.sink.cond.wait(left)
            return list(self.sink.messages)


def gone(pid):
    """True when pid no longer runs (a zombie of another parent counts)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (FileNotFoundError, IndexError):
        return True


def stop_pid(pid, timeout=15):
    """SIGTERM one pid, SIGKILL if it lingers. Only pids we started."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.time() + timeout
    while time.time() < deadline:
        if gone(pid):
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
            return
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        except ChildProcessError:
            pass
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# -- command line --

def cli_start(args):
    d = os.path.abspath(args.dir)
    os.makedirs(d, exist_ok=True)
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        # the holder: runs the peers and keeps the sink client
        os.close(ready_r)
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 0)
        log = os.open(os.path.join(d, "holder.log"),
                      os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(log, 1)
        os.dup2(log, 2)
        peers = KannelPeers(d, args.service_url)
        stopping = threading.Event()
        signal.signal(signal.SIGTERM, lambda *a: stopping.set())
        try:
            with open(os.path.join(d, "holder.pid"), "w") as f:
                f.write(str(os.getpid()))
            peers.start()
        except Exception as e:  # report to the parent, then leave
            print(f"kannel_peers: {e}", flush=True)
            os.write(ready_w, f"error {e}\n".encode())
            peers.stop()
            os._exit(1)
        os.write(ready_w, b"ok\n")
        os.close(ready_w)
        while not stopping.wait(0.5):
            pass
        # pids.json may name a smsbox restarted by smsbox-start
        peers.stop()
        with open(os.path.join(d, "pids.json")) as f:
            for name, p in json.load(f).items():
                stop_pid(p)
        os._exit(0)
    os.close(ready_w)
    with os.fdopen(ready_r) as r:
        answer = r.readline().strip()
    if answer != "ok":
        print(answer or "kannel_peers: holder died", file=sys.stderr)
        return 1
    with open(os.path.join(d, "ports.json")) as f:
        print(f.read())
    return 0


def cli_stop(args):
    d = os.path.abspath(args.dir)
    path = os.path.join(d, "holder.pid")
    if os.path.exists(path):
        with open(path) as f:
            stop_pid(int(f.read().strip()), 30)
    pids = os.path.join(d, "pids.json")
    if os.path.exists(pids):
        with open(pids) as f:
            for name, p in json.load(f).items():
                stop_pid(p)
    return 0


def load_ports(d):
    with open(os.path.join(os.path.abspath(d), "ports.json")) as f:
        return json.load(f)


def cli_inject(args):
    inject(load_ports(args.dir)["inject"], args.sender, args.receiver, args.text)
    return 0


def cli_smsbox_stop(args):
    d = os.path.abspath(args.dir)
    with open(os.path.join(d, "pids.json")) as f:
        pids = json.load(f)
    if "smsbox" in pids:
        stop_pid(pids["smsbox"])
    return 0


def cli_smsbox_start(args):
    d = os.path.abspath(args.dir)
    peers = KannelPeers(d, None)
    peers.ports = load_ports(d)
    peers.conf = os.path.join(d, "kannel.conf")
    peers.start_smsbox()
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("start")
    s.add_argument("dir")
    s.add_argument("--service-url", required=True)
    s.set_defaults(fn=cli_start)
    s = sub.add_parser("stop")
    s.add_argument("dir")
    s.set_defaults(fn=cli_stop)
    s = sub.add_parser("inject")
    s.add_argument("dir")
    s.add_argument("sender")
    s.add_argument("receiver")
    s.add_argument("text")
    s.set_defaults(fn=cli_inject)
    s = sub.add_parser("smsbox-stop")
    s.add_argument("dir")
    s.set_defaults(fn=cli_smsbox_stop)
    s = sub.add_parser("smsbox-start")
    s.add_argument("dir")
    s.set_defaults(fn=cli_smsbox_start)
    s = sub.add_parser("installed")
    s.set_defaults(fn=lambda a: 0 if installed() else 1)
    args = ap.parse_args()
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
