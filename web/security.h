/*
 * security.h: what protects the citizen forms and the API from abuse.
 *
 *  - CSRF: double-submit. Every client gets a random `csrf` cookie
 *    (HttpOnly, SameSite=Strict); every form carries the same value in a
 *    hidden field, and a POST whose field differs is refused.
 *  - Form stamps: the booking form carries "time.mac" (HMAC-SHA256 under a
 *    per-process key): a form sent sooner than FORM_MIN_SECONDS after it
 *    was shown, or with the honeypot field filled, is a bot.
 *  - Rate limits: a fixed one-minute window per client address and bucket
 *    ("book", "lookup"), web_rate_limit requests each.
 *  - Client address: X-Forwarded-For is believed only when the peer is one
 *    of web_trusted_proxies; then the right-most untrusted hop is the client.
 */
#ifndef WIZYTA_WEB_SECURITY_H
#define WIZYTA_WEB_SECURITY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "http.h"

#define FORM_MIN_SECONDS 3
#define FORM_MAX_SECONDS (6 * 3600)

/* csrf_ok: a POST's `csrf` field matches the client's cookie. */
bool csrf_ok(struct request *);

/* stamp_make / stamp_check: signed form-display time. stamp_check gives
 * 0 ok, -1 forged or stale, 1 too fast. */
void stamp_make(const struct web *, time_t now, char *out, size_t size);
int stamp_check(const struct web *, const char *stamp, time_t now);

/* sign_hex: hex HMAC-SHA256 of text under the process key (64 chars). */
void sign_hex(const struct web *, const char *text, char out[65]);

struct ratelimit *ratelimit_new(unsigned per_minute);
void ratelimit_free(struct ratelimit *);
/* ratelimit_hit: count one request; false (and *retry_after seconds) when
 * the client is over the limit. */
bool ratelimit_hit(struct ratelimit *, const char *bucket, const char *client,
    time_t now, unsigned *retry_after);
/* rate_limited: ratelimit_hit for this request; on refusal fills a 429
 * (JSON when json, else a page) and returns true. */
bool rate_limited(
    struct request *, struct response *, const char *bucket, bool json);

/* client_address: the client's address given the peer and X-Forwarded-For. */
void client_address(const char *peer, const char *forwarded_for,
    const char *trusted_proxies, char *out, size_t size);

/* security_headers: CSP, frame-ancestors, nosniff, Referrer-Policy; and
 * Strict-Transport-Security when the site is served over https. */
void security_headers(const struct web *, struct response *);

#endif
