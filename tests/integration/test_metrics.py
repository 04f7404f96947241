#!/usr/bin/python3
"""/metrics and /healthz of both daemons, read by a real Prometheus parser (TAP).

Citizens book, fail to book (404, 422), a board holds a live stream,
wizytad sends the outbox and reads an SMS reply; then both /metrics are
parsed with prometheus_client's text_string_to_metric_families (Debian
python3-prometheus-client): every family well formed, the counts what
happened, the latency histogram cumulative and ending at +Inf = count.
Who may read them: a client on this machine that came straight, not a
request forwarded or from a trusted proxy; with [metrics] token, only the
Bearer token. /healthz says ok, and 503 "failing" while the database's file
system is full (a tmpfs in this test's own mount namespace).
"""
import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import (POSTGRESQL, Office, Tap, fill_disk, first_free_slot,  # noqa: E402
                            private_mounts, raw_http, wait_for)

# our own mount namespace: the tmpfs below vanishes with this process
MOUNTS = private_mounts()

from prometheus_client.parser import text_string_to_metric_families  # noqa: E402
from sse_client import SSE  # noqa: E402

t = Tap()
TOKEN = "metrics-" + os.urandom(12).hex()


def get(port, path, headers=None, source="127.0.0.1"):
    head = "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" % path
    for k, v in (headers or {}).items():
        head += "%s: %s\r\n" % (k, v)
    code, h, body = raw_http(port, (head + "\r\n").encode(), source=source)
    return code, h, body.decode("utf-8", "replace")


def families(text):
    """{name: family} from the exposition text, by the real parser."""
    return {f.name: f for f in text_string_to_metric_families(text)}


def sample(fams, family, name=None, **labels):
    for s in fams[family].samples if family in fams else []:
        if (name is None or s.name == name) and all(s.labels.get(k) == v
                                                   for k, v in labels.items()):
            return s.value
    return None


office = Office(extra={"web": {"trusted_proxies": "127.0.0.2"}})
db_dir = office.dir
try:
    office.start_both(t)
    sid = office.api("GET", "/api/v1/services")[1][0]["id"]
    booked = 0
    for n in range(5):
        slot = first_free_slot(office, sid, skip=n)
        code, b = office.api("POST", "/api/v1/bookings", {
            "service_id": sid, "start": slot["start"], "first_name": "Metryka",
            "last_name": "Licznik", "email": "metryka%d@example.test" % n,
            "phone": "+48 600 900 %03d" % n})
        booked += code == 201
    office.api("GET", "/api/v1/bookings/NOSUCHREF")
    office.api("POST", "/api/v1/bookings", {"service_id": sid})
    board = SSE(office.web_port, "/board/events")
    wait_for(lambda: office.api("GET", "/api/v1/services")[0] == 200, 5)
    query = urllib.parse.urlencode({"secret": office.secret, "from": "+48600900000",
                                    "to": "48500100200", "text": "TAK", "id": "m-1"})
    with urllib.request.urlopen("http://127.0.0.1:%d/sms/inbound?%s" %
                                (office.gw_port, query), timeout=10) as r:
        r.read()
    t.ok(booked == 5 and board.status == 200, "5 bookings, a 404, a 422, a board streaming")

    def sent():
        code, _, text = get(office.gw_port, "/metrics")
        fams = families(text) if code == 200 else {}
        return (sample(fams, "wizyta_deliveries", outcome="sent", channel="email") or 0) >= 5 \
            and (sample(fams, "wizyta_deliveries", outcome="sent", channel="sms") or 0) >= 5 \
            and (sample(fams, "wizyta_replies", channel="sms", verdict="confirm") or 0) >= 1
    t.ok(wait_for(sent, 30), "wizytad sends both channels and reads the reply")

    # ---- wizyta-web
    code, headers, text = get(office.web_port, "/metrics")
    t.ok(code == 200 and headers.get("content-type", "").startswith("text/plain; version=0.0.4"),
         "wizyta-web /metrics: 200 text/plain; version=0.0.4", (code, headers))
    try:
        fams = families(text)
        t.ok(True, "prometheus_client parses all of it (%d families)" % len(fams))
    except Exception as e:  # the parser's own error is the diagnosis
        fams = {}
        t.ok(False, "prometheus_client parses all of it", "%r\n%s" % (e, text[:2000]))
    t.ok(fams.get("wizyta_http_requests") and fams["wizyta_http_requests"].type == "counter" and
         sample(fams, "wizyta_http_requests", code="201") == 5 and
         sample(fams, "wizyta_http_requests", code="404") >= 1 and
         sample(fams, "wizyta_http_requests", code="422") >= 1,
         "HTTP requests by status: 5 × 201, the 404 and the 422",
         [s for s in fams.get("wizyta_http_requests", type("", (), {"samples": []})).samples])
    h = fams.get("wizyta_http_request_duration_seconds")
    buckets = [(s.labels["le"], s.value) for s in (h.samples if h else [])
               if s.name.endswith("_bucket")]
    count = sample(fams, "wizyta_http_request_duration_seconds",
                   "wizyta_http_request_duration_seconds_count")
    total = sample(fams, "wizyta_http_request_duration_seconds",
                   "wizyta_http_request_duration_seconds_sum")
    t.ok(h is not None and h.type == "histogram" and buckets[-1][0] == "+Inf" and
         all(a[1] <= b[1] for a, b in zip(buckets, buckets[1:])) and
         buckets[-1][1] == count and count >= 7 and total > 0,
         "a latency histogram: cumulative buckets, +Inf = count (%s), a sum" % count, buckets)
    t.ok(sample(fams, "wizyta_sse_clients") == 1, "one live screen connected",
         sample(fams, "wizyta_sse_clients"))
    t.ok(sample(fams, "wizyta_bookings", status="pending") == 4 and
         sample(fams, "wizyta_bookings", status="booked") == 1 and
         len(fams["wizyta_bookings"].samples) == 9,
         "bookings by status, every status (4 pending, 1 confirmed by SMS)",
         fams.get("wizyta_bookings") and fams["wizyta_bookings"].samples)
    t.ok(sample(fams, "wizyta_outbox_backlog", channel="email") is not None and
         sample(fams, "wizyta_outbox_oldest_age_seconds", channel="sms") is not None and
         sample(fams, "wizyta_outbox_messages", channel="email", status="sent") >= 5,
         "the outbox: backlog, oldest age and messages by status, per channel")
    t.ok(sample(fams, "wizyta_channel_up", channel="email") == 1,
         "the channels' health as wizytad reported it")
    board.close()

    # ---- wizytad
    code, headers, text = get(office.gw_port, "/metrics")
    fams = families(text) if code == 200 else {}
    t.ok(code == 200 and fams["wizyta_deliveries"].type == "counter" and
         sample(fams, "wizyta_deliveries", channel="sms", outcome="sent") >= 5 and
         sample(fams, "wizyta_replies", channel="sms", verdict="confirm") == 1 and
         sample(fams, "wizyta_bookings", status="booked") == 1,
         "wizytad /metrics: deliveries by channel and outcome, replies by verdict, bookings",
         text[:1500])
    for name, port in (("wizyta-web", office.web_port), ("wizytad", office.gw_port)):
        code, headers, body = get(port, "/healthz")
        h = json.loads(body) if code == 200 else {}
        t.ok(code == 200 and h.get("status") == "ok" and h.get("database") == "ok" and
             h.get("channels", {}).get("email") == "ok",
             "%s /healthz: 200, database and channels ok" % name, (code, body))

    # ---- who may look
    code, _, _ = get(office.web_port, "/metrics", {"X-Forwarded-For": "127.0.0.1"})
    t.ok(code == 403, "a request with X-Forwarded-For: 403, even from loopback", code)
    code, _, _ = get(office.web_port, "/metrics", source="127.0.0.2")
    t.ok(code == 403, "a request from the trusted proxy: 403 (the proxy never makes it public)",
         code)
    code, _, _ = get(office.gw_port, "/healthz", {"Forwarded": "for=127.0.0.1"})
    t.ok(code == 403, "wizytad too: forwarded → 403", code)
    office.stop_all()
    office.configure({"metrics": {"token": TOKEN}})
    office.start_all()
    office.wait_port(office.gw_port)
    for name, port in (("wizyta-web", office.web_port), ("wizytad", office.gw_port)):
        plain = get(port, "/metrics")[0]
        wrong = get(port, "/metrics", {"Authorization": "Bearer " + TOKEN[:-1] + "x"})[0]
        code, _, text = get(port, "/metrics", {"Authorization": "Bearer " + TOKEN})
        t.ok(plain == 403 and wrong == 403 and code == 200 and families(text),
             "%s with [metrics] token: only the Bearer token reads it" % name,
             (plain, wrong, code))
    code, _, _ = get(office.web_port, "/healthz", {"Authorization": "Bearer " + TOKEN,
                                                   "X-Forwarded-For": "203.0.113.9"})
    t.ok(code == 200, "the token works through a proxy too", code)

    # ---- /healthz when the database cannot be written (a full disk under
    # an SQLite file; PostgreSQL's server is not ours to fill)
    if MOUNTS and not POSTGRESQL:
        office.stop_all()
        db = office.sections["database"]["path"]
        keep = db + ".keep"
        db_dir = os.path.join(office.dir, "db")
        os.makedirs(db_dir)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=700", "tmpfs", db_dir],
                       check=True)
        office.configure({"database": {"path": os.path.join(db_dir, "wizyta.db")}})
        subprocess.run(["cp", db, os.path.join(db_dir, "wizyta.db")], check=True)
        office.start("wizyta-web", "wizyta-web")
        office.wait_port(office.web_port)
        filler = os.path.join(db_dir, "filler")
        fill_disk(filler)
        code, _, body = get(office.web_port, "/healthz", {"Authorization": "Bearer " + TOKEN})
        t.ok(code == 503 and json.loads(body).get("database") == "failing",
             "a full disk: /healthz 503, database failing", (code, body))
        os.unlink(filler)
        code, _, body = get(office.web_port, "/healthz", {"Authorization": "Bearer " + TOKEN})
        t.ok(code == 200, "room again: 200", (code, body))
        office.stop_all()
        subprocess.run(["umount", db_dir])
    office.personal("Metryka", "Licznik", *["metryka%d@example.test" % n for n in range(5)],
                    "+48600900000")
finally:
    office.stop_all()
    if MOUNTS and db_dir != office.dir:
        subprocess.run(["umount", "-R", db_dir], capture_output=True)
    office.cleanup()
t.done()
