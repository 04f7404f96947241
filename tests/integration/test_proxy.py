#!/usr/bin/python3
"""wizyta-web behind a real nginx with TLS: X-Forwarded-For is believed
from the proxy and from nowhere else (TAP).

The nginx site is the one wizyta ships (dist/nginx/wizyta.conf), with only
its ports, name and certificate (self-signed, made here) changed, started
on loopback; [web] trusted_proxies = 127.0.0.1, nginx's address towards
wizyta-web. Clients connect from other loopback addresses (127.0.0.5 …),
so the address wizyta-web believes shows in the audit log of a failed
sign-in: through nginx it is the client's; straight to wizyta-web, a forged
X-Forwarded-For is ignored; a forged one sent through nginx is replaced.
The site, its live stream and the http → https redirect work through the
proxy; /metrics is not served there.
"""
import http.client
import os
import re
import shutil
import ssl
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wizyta_harness import Office, Tap, free_port  # noqa: E402

t = Tap()
SRC = os.environ.get("top_srcdir") or os.path.join(os.path.dirname(__file__), "..", "..")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
office = Office(extra={"web": {"trusted_proxies": "127.0.0.1"},
                       "staff": {"login_rate_limit": "1000", "login_failures": "0"}})
ngx = os.path.join(office.dir, "nginx")
https_port, http_port = free_port(), free_port()
nginx = None


def site_conf():
    """dist/nginx/wizyta.conf on this test's ports, name and certificate"""
    with open(os.path.join(SRC, "dist", "nginx", "wizyta.conf")) as f:
        conf = f.read()
    conf = conf.replace("server 127.0.0.1:8080;", "server 127.0.0.1:%d;" % office.web_port)
    conf = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", conf)
    conf = conf.replace("listen 80;", "listen 127.0.0.1:%d;" % http_port)
    conf = conf.replace("listen 443 ssl http2;", "listen 127.0.0.1:%d ssl http2;" % https_port)
    conf = conf.replace("wizyta.urzad.example", "localhost")
    conf = re.sub(r"ssl_certificate [^;]+;", "ssl_certificate %s/cert.pem;" % ngx, conf)
    conf = re.sub(r"ssl_certificate_key [^;]+;", "ssl_certificate_key %s/key.pem;" % ngx, conf)
    return conf


def request(port, path, source, tls=True, method="GET", headers=None, body=None):
    """(status, headers, text) from source (a loopback address)"""
    if tls:
        ctx = ssl.create_default_context(cafile=os.path.join(ngx, "cert.pem"))
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=20,
                                           source_address=(source, 0))
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20,
                                          source_address=(source, 0))
    try:
        conn.request(method, path, body=body, headers=dict(headers or {}, Host="localhost"))
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, \
            r.read().decode("utf-8", "replace")
    finally:
        conn.close()


def failed_sign_in(port, source, tls=True, forwarded=None):
    """a wrong password for 'nobody': the address wizyta-web believed"""
    csrf = os.urandom(16).hex()
    headers = {"Cookie": "csrf=" + csrf, "Content-Type": "application/x-www-form-urlencoded"}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    body = urllib.parse.urlencode({"csrf": csrf, "login": "nobody", "password": "wrong one"})
    before = audit_max()
    code, _, _ = request(port, "/staff/login", source, tls, "POST", headers, body)
    rows = query("SELECT address FROM audit WHERE id > ? AND action = 'login.failed'", before)
    return code, rows[0][0] if rows else None


def query(sql, *args):
    return office.sql(sql, args)


def audit_max():
    return query("SELECT COALESCE(max(id), 0) FROM audit")[0][0]


try:
    office.start_web(t)
    os.makedirs(os.path.join(ngx, "tmp"))
    p = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=localhost", "-addext",
                        "subjectAltName=DNS:localhost,IP:127.0.0.1",
                        "-keyout", os.path.join(ngx, "key.pem"),
                        "-out", os.path.join(ngx, "cert.pem")], capture_output=True, text=True)
    with open(os.path.join(ngx, "site.conf"), "w") as f:
        f.write(site_conf())
    with open(os.path.join(ngx, "nginx.conf"), "w") as f:
        f.write("""user root;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{ worker_connections 128; }}
http {{
    access_log {d}/access.log;
    client_body_temp_path {d}/tmp/body;
    proxy_temp_path {d}/tmp/proxy;
    fastcgi_temp_path {d}/tmp/fastcgi;
    uwsgi_temp_path {d}/tmp/uwsgi;
    scgi_temp_path {d}/tmp/scgi;
    include {d}/site.conf;
}}
""".format(d=ngx))
    p = subprocess.run([NGINX, "-t", "-p", ngx, "-c", os.path.join(ngx, "nginx.conf")],
                       capture_output=True, text=True)
    t.ok(p.returncode == 0, "nginx -t accepts the shipped site (ports and certificate"
         " changed)", p.stderr)
    nginx = subprocess.Popen([NGINX, "-p", ngx, "-c", os.path.join(ngx, "nginx.conf"),
                              "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    if not t.ok(office.wait_port(https_port), "nginx listens with TLS on loopback"):
        t.done()

    code, headers, page = request(https_port, "/", "127.0.0.5")
    t.ok(code == 200 and "<html" in page,
         "the site answers over TLS through nginx", (code, page[:200]))
    code, headers, _ = request(http_port, "/find?x=1", "127.0.0.5", tls=False)
    t.ok(code == 301 and headers.get("location") == "https://localhost/find?x=1",
         "plain http is redirected to https", (code, headers))

    code, address = failed_sign_in(https_port, "127.0.0.5")
    t.ok(address == "127.0.0.5",
         "through nginx, wizyta-web believes the client's address (X-Forwarded-For)",
         (code, address))
    code, address = failed_sign_in(https_port, "127.0.0.6", forwarded="10.9.9.9")
    t.ok(address == "127.0.0.6",
         "a client's own X-Forwarded-For through nginx is replaced by what nginx saw",
         (code, address))
    code, address = failed_sign_in(office.web_port, "127.0.0.7", tls=False,
                                   forwarded="10.9.9.9")
    t.ok(address == "127.0.0.7",
         "straight to wizyta-web, X-Forwarded-For from an untrusted peer is ignored",
         (code, address))
    code, address = failed_sign_in(office.web_port, "127.0.0.1", tls=False,
                                   forwarded="10.9.9.9")
    t.ok(address == "10.9.9.9",
         "from the trusted proxy's address it is believed (the setting is what decides)",
         (code, address))

    # the live stream passes nginx unbuffered: the snapshot arrives at once
    ctx = ssl.create_default_context(cafile=os.path.join(ngx, "cert.pem"))
    conn = http.client.HTTPSConnection("127.0.0.1", https_port, context=ctx, timeout=10,
                                       source_address=("127.0.0.5", 0))
    started = time.time()
    conn.request("GET", "/board/events", headers={"Host": "localhost",
                                                 "Accept": "text/event-stream"})
    r = conn.getresponse()
    line = b""
    while not line.startswith(b"data:") and time.time() - started < 10:
        line = r.fp.readline()
    conn.close()
    t.ok(r.status == 200 and line.startswith(b"data:"),
         "a board's event stream comes through nginx (%.2fs to the first event)" %
         (time.time() - started), (r.status, line[:100]))
    code, _, _ = request(https_port, "/metrics", "127.0.0.1")
    t.ok(code == 404, "/metrics is not served through the proxy", code)
    code, _, _ = request(office.web_port, "/metrics", "127.0.0.1", tls=False)
    t.ok(code == 403, "nor to the proxy's own address on wizyta-web (a trusted proxy)", code)
finally:
    if nginx is not None:
        nginx.terminate()
        try:
            nginx.wait(10)
        except subprocess.TimeoutExpired:
            nginx.kill()
    office.cleanup()
t.done()
