/*
 * conn_guard.h: per-address connection limits and a deadline for the whole
 * request, for both HTTP listeners (wizyta-web and wizytad's provider
 * callbacks). No libmicrohttpd here: http.c and sms_callbacks.c call it from
 * their accept-policy and connection callbacks.
 *
 * Slowloris: a client that opens many connections and sends a header line
 * now and then holds one server slot per connection for ever (an idle
 * timeout never fires), until nobody else is served. So:
 *
 *  - an address (an IPv6 /64) may hold at most per_address connections
 *    at once (the addresses in exempt, e.g. our trusted reverse proxies,
 *    are not counted): one more is refused at accept;
 *  - a connection must deliver a whole request (head and body) within
 *    request_seconds of being opened or of the end of its previous request,
 *    else it is shut down (the server then closes it as a client abort).
 *
 * Each limit logs one line when it starts to bite — per address for the
 * connection limit — and then keeps quiet for CONN_GUARD_QUIET seconds:
 * never a line per connection.
 */
#ifndef WIZYTA_CONN_GUARD_H
#define WIZYTA_CONN_GUARD_H

#include <stdbool.h>
#include <sys/socket.h>
#include <time.h>

#define CONN_GUARD_QUIET 600

struct conn_guard;
struct conn_guard_entry;

/* conn_guard_new: name is the listener in log lines ("web"); 0 turns a
 * limit off. A deadline sweeper thread runs while request_seconds > 0. */
struct conn_guard *conn_guard_new(const char *name, unsigned per_address,
    unsigned request_seconds, const char *exempt);
/* conn_guard_free: stops the sweeper; NULL is allowed. */
void conn_guard_free(struct conn_guard *);

/* conn_guard_admit: whether a new connection from addr may be accepted. */
bool conn_guard_admit(struct conn_guard *, const struct sockaddr *);
/* conn_guard_opened: track an accepted connection (its socket fd); the
 * returned entry is handed back to the calls below. */
struct conn_guard_entry *conn_guard_opened(
    struct conn_guard *, const struct sockaddr *, int fd);
/* conn_guard_request_read: the request is in: no deadline while it is
 * handled and answered. */
void conn_guard_request_read(struct conn_guard *, struct conn_guard_entry *);
/* conn_guard_request_done: answered; the next request's deadline starts. */
void conn_guard_request_done(struct conn_guard *, struct conn_guard_entry *);
/* conn_guard_closed: forget the connection (before its fd is closed). */
void conn_guard_closed(struct conn_guard *, struct conn_guard_entry *);

/* conn_guard_sweep: shut down the connections whose deadline passed at now
 * (CLOCK_MONOTONIC seconds); the sweeper calls it every second. Returns how
 * many it shut down. */
unsigned conn_guard_sweep(struct conn_guard *, time_t now);
/* conn_guard_count: connections tracked (tests, status). */
unsigned conn_guard_count(struct conn_guard *);

/* address_listed: address is one of the blank- or comma-separated list
 * (trusted proxies). */
bool address_listed(const char *address, const char *list);

/* conn_guard_address: addr as text ("192.0.2.7", "2001:db8::1"; an
 * IPv4-mapped IPv6 address as IPv4), "" when unknown. */
void conn_guard_address(const struct sockaddr *, char *out, size_t size);

#endif
