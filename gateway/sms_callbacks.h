/*
 * sms_callbacks.h: wizytad's listener for SMS provider callbacks on
 * [gateway] listen (CONTRACT.md "Provider callbacks"):
 *
 *   GET|POST /sms/inbound?secret=S&from=%p&to=%P&text=%a&id=%I&ts=%t
 *   GET|POST /sms/dlr?secret=S&msg=<outbox id>&status=%d&reply=%A
 *
 * Parameter names are Kannel's placeholders, so a Kannel sms-service and
 * dlr-url point here directly. A POST may carry the fields form-encoded,
 * or the text as a text/plain body with Kannel's X-Kannel-From, -To,
 * -Time headers.
 *
 * Answers: 403 for a wrong or missing secret (compared in constant
 * time), 400 for missing or malformed fields (every field must be UTF-8
 * once decoded: the sink and everything after it only ever see UTF-8),
 * 413 for a body over 16 KiB, 200 only once the sink says the callback is
 * durably stored, 500 otherwise so the provider retries.
 *
 * Connections: at most [gateway] max_connections, at most
 * max_connections_per_address from one address, and each must deliver its
 * request within request_timeout (lib/conn_guard.c).
 */
#ifndef WIZYTA_SMS_CALLBACKS_H
#define WIZYTA_SMS_CALLBACKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "config.h"
#include "error.h"

/* Where callbacks go. Called from the listener's pool threads, possibly
 * concurrently: the functions must be thread-safe. Return 0 once durably
 * stored (or already known: providers repeat callbacks), -1 with err
 * otherwise. */
struct sms_sink {
	void *ctx;
	/* from_e164 is normalised ("+48600700800"); to, provider_id, ts may
	 * be "" when the provider did not send them. */
	int (*inbound)(void *ctx, const char *from_e164, const char *to,
	    const char *text, const char *provider_id, const char *ts,
	    struct error *err);
	/* status: Kannel dlr-mask bit (1 delivered, 2 undelivered, 4
	 * buffered, 8 SMSC ack, 16 SMSC reject); reply may be "". */
	int (*dlr)(void *ctx, int64_t outbox_id, int status, const char *reply,
	    struct error *err);
};

struct sms_callbacks;

/* One callback as received, before any decoding: what the listener hands
 * to sms_callbacks_answer, and what the fuzz target builds from raw bytes
 * (fuzz/fuzz_sms_callbacks.c). */
struct sms_callback_header {
	const char *name, *value;
};

struct sms_callback {
	const char *method;
	const char *target; /* "/sms/inbound?secret=…", percent-encoded */
	const struct sms_callback_header *headers;
	size_t nheaders;
	const char *body; /* may be NULL when body_len is 0 */
	size_t body_len;
	bool body_too_large;
};

/* sms_callbacks_answer: decode, check and hand one callback to the sink;
 * the HTTP status and a short static text for the answer body. */
unsigned sms_callbacks_answer(const struct config *, const struct sms_sink *,
    const struct sms_callback *, const char **text);

/* sms_callbacks_start: listen on config->gateway_listen ("host:port"; port
 * 0 picks a free one) and serve until stopped. NULL with err when the
 * address is bad or in use, or callback_secret is empty. The sink is
 * copied; the config must outlive the listener. */
struct sms_callbacks *sms_callbacks_start(
    const struct config *, const struct sms_sink *, struct error *);
/* Other pages of the same listener, answered to GET before any body is
 * read: wizytad's /metrics and /healthz (gateway/gateway_status.c). */
struct gateway_pages {
	const char *const *paths; /* NULL-terminated, e.g. "/metrics" */
	void *ctx;
	/* answer: the status; body and content_type filled. client is the
	 * TCP peer, forwarded whether the request carried forwarding
	 * headers, authorization its Authorization header or NULL. */
	unsigned (*answer)(void *ctx, const char *path, const char *client,
	    bool forwarded, const char *authorization, struct buf *body,
	    const char **content_type);
};

/* sms_callbacks_start_with: sms_callbacks_start with pages beside the
 * callbacks (pages may be NULL). sink NULL: no SMS provider calls here
 * (provider none, or no callback_secret): the listener serves the pages
 * and answers 404 to /sms/…. */
struct sms_callbacks *sms_callbacks_start_with(const struct config *,
    const struct sms_sink *, const struct gateway_pages *, struct error *);
/* sms_callbacks_port: the port actually bound. */
unsigned sms_callbacks_port(const struct sms_callbacks *);
/* sms_callbacks_stop: finish requests in flight, close, free. NULL ok. */
void sms_callbacks_stop(struct sms_callbacks *);

#endif
