/*
 * security.c: CSRF double-submit, signed form stamps, per-client rate
 * limits, the client address behind trusted proxies, and the security
 * headers of every answer (see security.h for the why).
 *
 * The rate-limit table is a fixed-size open hash under one mutex: an entry
 * is (bucket, client, minute, count); a stale minute is simply reused, so
 * memory never grows with the number of clients.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gnutls/crypto.h>

#include "conn_guard.h"
#include "page.h"
#include "security.h"
#include "token.h"

#define RATE_SLOTS 4096
#define RATE_PROBE 8

struct rate_entry {
	char key[80]; /* bucket + ' ' + client */
	long minute;
	unsigned count;
};

struct ratelimit {
	pthread_mutex_t lock;
	unsigned per_minute;
	struct rate_entry slots[RATE_SLOTS];
};

bool
csrf_ok(struct request *rq)
{
	const char *field = http_form(rq, "csrf");

	return !rq->csrf_new && field[0] != '\0' &&
	       token_equal(field, rq->csrf);
}

void
sign_hex(const struct web *w, const char *text, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char mac[32];
	size_t i;

	if (gnutls_hmac_fast(GNUTLS_MAC_SHA256, w->key, sizeof w->key, text,
	        strlen(text), mac) != 0)
		abort();
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[64] = '\0';
}

void
stamp_make(const struct web *w, time_t now, char *out, size_t size)
{
	char text[32], mac[65];

	snprintf(text, sizeof text, "%lld", (long long)now);
	sign_hex(w, text, mac);
	snprintf(out, size, "%s.%s", text, mac);
}

int
stamp_check(const struct web *w, const char *stamp, time_t now)
{
	char text[32], mac[65];
	const char *dot = strchr(stamp, '.');
	long long at;
	size_t n;

	if (dot == NULL || (n = (size_t)(dot - stamp)) == 0 || n >= sizeof text)
		return -1;
	memcpy(text, stamp, n);
	text[n] = '\0';
	sign_hex(w, text, mac);
	if (!token_equal(mac, dot + 1))
		return -1;
	at = strtoll(text, NULL, 10);
	if (now - at > FORM_MAX_SECONDS || at > now + 60)
		return -1;
	return now - at < FORM_MIN_SECONDS ? 1 : 0;
}

struct ratelimit *
ratelimit_new(unsigned per_minute)
{
	struct ratelimit *r = calloc(1, sizeof *r);

	if (r == NULL)
		abort();
	pthread_mutex_init(&r->lock, NULL);
	r->per_minute = per_minute;
	return r;
}

void
ratelimit_free(struct ratelimit *r)
{
	if (r == NULL)
		return;
	pthread_mutex_destroy(&r->lock);
	free(r);
}

static unsigned
hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

bool
ratelimit_hit(struct ratelimit *r, const char *bucket, const char *client,
    time_t now, unsigned *retry_after)
{
	char key[80];
	long minute = (long)(now / 60);
	struct rate_entry *e = NULL, *victim = NULL;
	unsigned h, i;
	bool ok;

	if (r->per_minute == 0)
		return true;
	snprintf(key, sizeof key, "%s %s", bucket, client);
	h = hash(key);
	pthread_mutex_lock(&r->lock);
	for (i = 0; i < RATE_PROBE; i++) {
		struct rate_entry *s = &r->slots[(h + i) % RATE_SLOTS];

		if (strcmp(s->key, key) == 0) {
			e = s;
			break;
		}
		if (victim == NULL &&
		    (s->key[0] == '\0' || s->minute != minute))
			victim = s;
	}
	if (e == NULL) {
		/* the table is full of busy clients: evict the first probe */
		e = victim != NULL ? victim : &r->slots[h % RATE_SLOTS];
		snprintf(e->key, sizeof e->key, "%s", key);
		e->minute = minute;
		e->count = 0;
	}
	if (e->minute != minute) {
		e->minute = minute;
		e->count = 0;
	}
	ok = e->count < r->per_minute;
	if (ok)
		e->count++;
	pthread_mutex_unlock(&r->lock);
	if (!ok && retry_after != NULL)
		*retry_after = (unsigned)(60 - now % 60);
	return ok;
}

bool
rate_limited(
    struct request *rq, struct response *rs, const char *bucket, bool json)
{
	unsigned retry = 60;
	char value[16];

	if (ratelimit_hit(rq->web->limits, bucket, rq->client, rq->now, &retry))
		return false;
	if (json)
		http_json_error(rs, 429, "rate_limited",
		    "Too many requests from this address: try again in a "
		    "minute.",
		    NULL);
	else
		page_message(rq, rs, 429, "err_rate_title", "err_rate_text");
	snprintf(value, sizeof value, "%u", retry);
	http_header_add(rs, "Retry-After", value);
	return true;
}

void
client_address(const char *peer, const char *forwarded_for,
    const char *trusted_proxies, char *out, size_t size)
{
	char copy[512], *hops[16], *p, *next;
	size_t n = 0, len;

	snprintf(out, size, "%s", peer);
	if (forwarded_for == NULL || !address_listed(peer, trusted_proxies))
		return;
	snprintf(copy, sizeof copy, "%s", forwarded_for);
	for (p = copy; p != NULL && n < 16; p = next) {
		if ((next = strchr(p, ',')) != NULL)
			*next++ = '\0';
		while (*p == ' ')
			p++;
		len = strlen(p);
		while (len > 0 && p[len - 1] == ' ')
			p[--len] = '\0';
		if (len > 0)
			hops[n++] = p;
	}
	/* from the right: the first hop that is not one of our proxies */
	while (n > 0) {
		snprintf(out, size, "%s", hops[--n]);
		if (!address_listed(hops[n], trusted_proxies))
			return;
	}
}

void
security_headers(const struct web *w, struct response *rs)
{
	/* RFC 6797: browsers that once saw the site over https never go back
	 * to plain http for a year (the citizen's link carries a secret) */
	if (w->https)
		http_header_add(
		    rs, "Strict-Transport-Security", "max-age=31536000");
	/* scripts only where a page needs them, and only our own files */
	http_header_add(rs, "Content-Security-Policy",
	    rs->scripts ? "default-src 'none'; style-src 'self'; img-src "
	                  "'self' data:; script-src 'self'; connect-src "
	                  "'self'; form-action 'self'; frame-ancestors "
	                  "'none'; base-uri 'none'"
	                : "default-src 'none'; style-src 'self'; img-src "
	                  "'self' data:; form-action 'self'; "
	                  "frame-ancestors 'none'; base-uri 'none'");
	http_header_add(rs, "X-Content-Type-Options", "nosniff");
	http_header_add(rs, "Referrer-Policy", "no-referrer");
	http_header_add(rs, "X-Frame-Options", "DENY");
}
