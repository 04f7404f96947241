"""sse_client: a Server-Sent Events client on a plain socket (standard
library only), for the live pages' tests and bench/sse_bench.py.

    s = SSE(port, "/board/events", {"Last-Event-ID": "abc.3"})
    s.status, s.headers        # the answer's head
    ev = s.next(timeout=10)    # {"event": "message", "id", "data", "at"}
    s.close()

A reader thread decodes the chunked body and the event stream; each event
is stamped with time.monotonic() when its last line arrived. Comments
(": keep-alive") are counted, "retry:" is kept.
"""
import json
import queue
import socket
import threading
import time


class SSE:
    def __init__(self, port, path, headers=None, host="127.0.0.1"):
        self.sock = socket.create_connection((host, port), timeout=30)
        head = "GET %s HTTP/1.1\r\nHost: %s\r\nAccept: text/event-stream\r\n" % (path, host)
        for k, v in (headers or {}).items():
            head += "%s: %s\r\n" % (k, v)
        self.sock.sendall((head + "\r\n").encode())
        self.f = self.sock.makefile("rb")
        status = self.f.readline().decode("latin-1").split(" ", 2)
        self.status = int(status[1]) if len(status) > 1 else 0
        self.headers = {}
        while True:
            line = self.f.readline().decode("latin-1").rstrip("\r\n")
            if not line:
                break
            k, _, v = line.partition(":")
            self.headers[k.strip().lower()] = v.strip()
        self.events = queue.Queue()
        self.comments = 0
        self.retry = None
        self.last_id = None  # of the last event read, as a browser keeps it
        self.ended = threading.Event()
        self.body = b""
        if self.status != 200:
            n = int(self.headers.get("content-length", "0"))
            self.body = self.f.read(n) if n else b""
            self.ended.set()
            return
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _chunks(self):
        chunked = self.headers.get("transfer-encoding", "").lower() == "chunked"
        while True:
            if not chunked:
                data = self.f.read1(65536)
                if not data:
                    return
                yield data
                continue
            size = self.f.readline()
            if not size:
                return
            n = int(size.split(b";")[0].strip() or b"0", 16)
            if n == 0:
                return
            data = self.f.read(n)
            self.f.readline()
            yield data

    def _read(self):
        buf = b""
        ev = {}
        try:
            self.sock.settimeout(None)
            for data in self._chunks():
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    line = line.decode("utf-8").rstrip("\r")
                    if line == "":
                        if "data" in ev:
                            ev.setdefault("event", "message")
                            ev["at"] = time.monotonic()
                            self.last_id = ev.get("id", self.last_id)
                            self.events.put(ev)
                        ev = {}
                    elif line.startswith(":"):
                        self.comments += 1
                    else:
                        k, _, v = line.partition(":")
                        v = v[1:] if v.startswith(" ") else v
                        if k == "data":
                            ev["data"] = ev["data"] + "\n" + v if "data" in ev else v
                        elif k == "retry":
                            self.retry = int(v)
                        elif k in ("id", "event"):
                            ev[k] = v
        except (OSError, ValueError):
            pass
        finally:
            self.ended.set()

    def next(self, timeout=10, event=None):
        """The next event (of that name, skipping others), or None."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            try:
                ev = self.events.get(timeout=left)
            except queue.Empty:
                return None
            if event is None or ev["event"] == event:
                return ev

    def next_rows(self, timeout=10, want=None):
        """Rows of the next unnamed events until want(rows) holds; the
        matching event (its "rows" parsed), or None."""
        end = time.monotonic() + timeout
        while True:
            ev = self.next(max(0.01, end - time.monotonic()), "message")
            if ev is None:
                return None
            ev["rows"] = json.loads(ev["data"])
            if want is None or want(ev["rows"]):
                return ev

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()
