#!/usr/bin/python3
"""A citizen with only a phone, over real Kannel (issue "SMS channel"):

book → confirmation SMS at Kannel's fake SMSC (one GSM-7 segment) → "tak"
injected through the fake SMSC reaches wizytad via smsbox → booked →
access-code SMS → delivery reports mark it delivered → Kannel down for a
while loses nothing → STOP ends SMS to the number → a wrong callback
secret gets 403. Kannel is started once for the whole file.
"""
import os
import re
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "peers"))
from wizyta_harness import (BUILD, Office, Tap, first_free_slot,  # noqa: E402
                            personal_data_in_logs, wait_for)
import kannel_peers  # noqa: E402

t = Tap()
if not kannel_peers.installed():
    t.skip_all("kannel is not installed (apt-get install kannel kannel-extras)")

office = Office(confirm_within="30m")
secret = office.secret
service_url = ("http://127.0.0.1:%d/sms/inbound?secret=%s&from=%%p&to=%%P&text=%%a"
               "&id=%%I&ts=%%t" % (office.gw_port, secret))
kannel = kannel_peers.KannelPeers(os.path.join(office.dir, "kannel"), service_url)
try:
    kannel.start()
    office.configure({
        "sms": {"provider": "kannel",
                "url": "http://127.0.0.1:%d/cgi-bin/sendsms" % kannel.ports["sendsms"],
                "user": kannel_peers.SEND_USER, "password": kannel_peers.SEND_PASSWORD,
                # a numeric sender: phones can reply (two-way SMS)
                "sender": "48500100200", "transliterate": "yes"},
        "mail": {"transport": "none", "inbound": "none"},
        "delivery": {"retry_initial": "1s"},
    })
    t.ok(office.cli("init").returncode == 0 and office.cli("demo").returncode == 0,
         "init and demo")
    t.ok(office.start_all() and office.wait_port(office.gw_port),
         "wizytad (callbacks) and wizyta-web start", office.log("wizytad"))

    code, services = office.api("GET", "/api/v1/services")
    service = services[0]
    slot = first_free_slot(office, service["id"])
    booking = {"service_id": service["id"], "start": slot["start"], "first_name": "Zażółć",
               "last_name": "Gęślą", "phone": "600-700-800"}
    code, b = office.api("POST", "/api/v1/bookings", booking)
    t.ok(code == 201, "booking with only a phone → 201", b)
    ref = b.get("reference", "")

    def sms_with(word, n_before=0):
        msgs = kannel.wait_messages(n_before + 1, 20)
        for m in msgs[n_before:]:
            if word in m.get("text", ""):
                return m
        return None
    m = sms_with(ref)
    t.ok(m is not None and m["to"].endswith("48600700800"),
         "the confirmation SMS reaches the SMSC", kannel.sink.messages)
    text = (m or {}).get("text", "")
    t.ok("TAK" in text and "NIE" in text, "it says TAK / NIE", text)
    def plain(x):
        """Polish letters as the transliterating channel sends them."""
        x = x.replace("ł", "l").replace("Ł", "L")
        return "".join(c for c in unicodedata.normalize("NFD", x)
                       if not unicodedata.combining(c))
    t.ok(plain(service["name"])[:12] in text, "it names the service", text)
    t.ok(re.search(r"https?://\S+/b/%s/confirm\?t=[0-9a-f]+" % ref, text) is not None,
         "it carries the confirm link", text)
    t.ok(m is not None and m.get("from", "").lstrip("+") == "48500100200",
         "it comes from the numeric sender phones can answer", m)
    t.ok(len(text) <= 160 and all(ord(c) < 128 for c in text),
         "it fits one GSM-7 segment (transliterated, %d chars)" % len(text), text)

    seen = len(kannel.sink.messages)
    kannel.inject("48600700800", "48500100200", "tak")
    booked = wait_for(lambda: office.api("GET", "/api/v1/bookings/" + ref)[1]
                      .get("status") == "booked", 20)
    t.ok(booked, "an inbound 'tak' through smsbox confirms the booking", office.log("wizytad"))
    code_sms = wait_for(lambda: [x for x in kannel.sink.messages[seen:]
                                 if re.search(r"\b\d{6}\b", x.get("text", ""))], 20)
    t.ok(code_sms, "the access-code SMS follows", kannel.sink.messages[seen:])

    delivered = wait_for(lambda: re.search(r"sms\s.*delivered=([1-9])",
                                           office.cli("status").stdout), 20)
    t.ok(delivered, "delivery reports mark SMS delivered", office.cli("status").stdout)

    # Kannel's sendsms down for a while: nothing is lost
    kannel.stop_smsbox()
    slot2 = first_free_slot(office, service["id"], skip=1)
    code, b2 = office.api("POST", "/api/v1/bookings", dict(booking, start=slot2["start"],
                                                            phone="+48 600 700 801"))
    t.ok(code == 201, "a booking while Kannel is down", b2)
    retrying = wait_for(lambda: "retrying" in office.cli("status").stdout, 15)
    t.ok(retrying, "status shows the SMS channel retrying", office.cli("status").stdout)
    seen = len(kannel.sink.messages)
    kannel.start_smsbox()
    got = wait_for(lambda: [x for x in kannel.sink.messages[seen:]
                            if b2.get("reference", "?") in x.get("text", "")], 40)
    t.ok(got, "Kannel back: the queued SMS arrives", office.cli("status").stdout)

    # STOP is honoured everywhere
    kannel.inject("48600700801", "48500100200", "STOP")
    time.sleep(0.5)
    wait_for(lambda: "opted out" in office.log("wizytad") or
             "opt-out" in office.log("wizytad"), 20)
    slot3 = first_free_slot(office, service["id"], skip=2)
    code, b3 = office.api("POST", "/api/v1/bookings", dict(booking, start=slot3["start"],
                                                            phone="600700801"))
    t.ok(code == 422 and b3.get("error") == "phone_opted_out" and
         b3.get("field") == "phone",
         "after STOP a booking only by SMS is refused, saying why (422 phone_opted_out)", b3)
    sms_before = len(kannel.sink.messages)
    time.sleep(1)
    t.ok(not [x for x in kannel.sink.messages[sms_before:] if "48600700801" in x.get("to", "")],
         "and no SMS goes to that number", kannel.sink.messages[sms_before:])

    # toll fraud: a satellite or premium number never gets an SMS
    code, b4 = office.api("POST", "/api/v1/bookings", dict(booking, start=slot3["start"],
                                                            phone="+881 6 1234 5678"))
    t.ok(code == 422 and b4.get("error") == "phone_premium",
         "a satellite number is refused at booking (422 phone_premium)", b4)
    code, b4 = office.api("POST", "/api/v1/bookings", dict(booking, start=slot3["start"],
                                                            phone="701 234 567"))
    t.ok(code == 422 and b4.get("error") == "phone_premium",
         "a Polish premium-rate number is refused at booking", b4)

    # whatever queued it, an SMS to such a number is never sent
    fill = subprocess.run([os.path.join(BUILD, "bench", "outbox_fill"), "-c", office.conf,
                           "-n", "1", "-k", "sms", "-t", "+8816123456789", "-f", "/dev/stdin"],
                          input="premium-test", capture_output=True, text=True)
    failed = wait_for(lambda: re.search(r"phone_premium", office.cli("status").stdout), 15)
    t.ok(fill.returncode == 0 and failed and
         not [x for x in kannel.sink.messages if "premium-test" in x.get("text", "")],
         "an SMS queued to a satellite number is failed unsent (phone_premium)",
         office.cli("status").stdout)

    # wizyta status says whether citizens can answer by SMS, and why not
    st = office.cli("status").stdout
    t.ok("two-way" in st and "48500100200" in st, "status: SMS replies are two-way", st)
    other = os.path.join(office.dir, "alnum.conf")
    with open(office.conf) as src, open(other, "w") as dst:
        dst.write(src.read().replace("sender = 48500100200", "sender = URZAD"))
    st = subprocess.run([os.path.join(BUILD, "wizyta"), "-c", other, "status"],
                        capture_output=True, text=True).stdout
    t.ok("one-way" in st and "alphanumeric" in st and "numeric sender" in st,
         "status: an alphanumeric sender makes SMS one-way, and says what two-way needs", st)

    # a wrong secret is refused
    url = "http://127.0.0.1:%d/sms/inbound?secret=wrong&from=%%2B48600700800&text=tak" % \
        office.gw_port
    try:
        urllib.request.urlopen(url, timeout=10)
        status = 200
    except urllib.error.HTTPError as e:
        status = e.code
    t.ok(status == 403, "a wrong callback secret → 403", status)
    t.ok(office.api("GET", "/api/v1/bookings/" + ref)[1].get("status") == "booked",
         "and changes nothing")

    codes = office.stop_all()
    t.ok(codes.get("wizytad") == 0, "wizytad exits 0 on SIGTERM", codes)
    leaks = personal_data_in_logs(office, ["Zażółć", "Gęślą", "600-700-800",
                                           "+48 600 700 801"])
    t.ok(not leaks, "no name or phone number in the logs", leaks)
finally:
    kannel.stop()
    office.cleanup()
t.done()
