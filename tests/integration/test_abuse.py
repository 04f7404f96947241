#!/usr/bin/python3
"""The abuse limits on unconfirmed bookings over HTTP (issue 9, "Must not
be abusable"; README "Abuse limits"): behind a trusted proxy, pending
bookings are counted per client address and per /24, in the database, and
the API answers 429 with a stable code once a limit bites.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from wizyta_harness import Office, Tap, first_free_slot  # noqa: E402

t = Tap()
office = Office()
try:
    office.configure({"web": {"trusted_proxies": "127.0.0.1"},
                      "booking": {"max_pending_per_address": "2",
                                  "max_pending_per_network": "3"}})
    t.ok(office.cli("init").returncode == 0 and office.cli("demo").returncode == 0,
         "init and demo")
    t.ok(office.start_all(), "wizytad and wizyta-web start", office.log("wizyta-web"))
    service = office.api("GET", "/api/v1/services")[1][0]
    serial = iter(range(100))

    def book(client):
        slot = first_free_slot(office, service["id"])
        body = {"service_id": service["id"], "start": slot["start"], "first_name": "Jan",
                "last_name": "Kowalski", "email": "jan%d@example.pl" % next(serial)}
        return office.api("POST", "/api/v1/bookings", body,
                          headers={"X-Forwarded-For": client})

    codes = [book("203.0.113.5")[0] for _ in range(2)]
    code, answer = book("203.0.113.5")
    t.ok(codes == [201, 201] and code == 429 and
         answer.get("error") == "too_many_pending_address",
         "a third unconfirmed booking from one address → 429 too_many_pending_address",
         (codes, code, answer))
    code, answer = book("203.0.113.6")
    t.ok(code == 201, "a neighbour in the same /24 may book", answer)
    code, answer = book("203.0.113.77")
    t.ok(code == 429 and answer.get("error") == "too_many_pending_network",
         "then the /24 is full → 429 too_many_pending_network", answer)
    code, answer = book("198.51.100.1")
    t.ok(code == 201, "another network is not affected", answer)
    codes = office.stop_all()
    t.ok(codes.get("wizyta-web") == 0, "wizyta-web exits 0", codes)
finally:
    office.cleanup()
t.done()
