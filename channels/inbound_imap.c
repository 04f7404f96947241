/*
 * inbound_imap.c: citizens' replies from an IMAP mailbox (RFC 3501) with
 * libetpan, woken by IDLE (RFC 2177) when the server offers it.
 *
 * Invariants:
 * - The password is sent only over a plain connection the operator chose
 *   (imap_tls=none) or after tls_verify_chain() accepted the server's
 *   certificate: libetpan itself verifies nothing.
 * - Messages are read with BODY.PEEK[] (RFC 3501 6.4.5), so reading never
 *   sets \Seen. Only after sink->store() returned 0 is \Seen set (and the
 *   message copied or moved to imap_processed_mailbox), and then the UID
 *   is remembered as "imap.last_uid". Nothing is ever expunged.
 * - "imap.uidvalidity" guards the UIDs (RFC 3501 2.3.1.1): when it changes,
 *   we start over from UID 1; the sink is idempotent.
 * - The connection is kept across poll() calls; any error closes it and
 *   the next poll() reconnects. Every network call has a timeout.
 */
#include <libetpan/libetpan.h>

#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "inbound.h"
#include "log.h"
#include "tls_verify.h"

/* RFC 2177: servers may drop an IDLE after 30 minutes; re-issue sooner. */
#define IDLE_MAX_MS (28 * 60 * 1000)
#define IMAP_IO_TIMEOUT_DEFAULT 30

struct imap_state {
	mailimap *imap; /* NULL when not connected */
	int has_idle;
	int has_move;
	uint32_t uidvalidity;
};

static int
imap_open(struct inbound *in, const struct config *c, struct error *err)
{
	struct imap_state *st = calloc(1, sizeof *st);

	if (st == NULL)
		return error_set(err, ERROR_INTERNAL, "imap: out of memory");
	in->config = c;
	in->state = st;
	return 0;
}

static void
imap_disconnect(struct imap_state *st)
{
	if (st->imap == NULL)
		return;
	if (st->imap->imap_stream != NULL)
		mailimap_logout(st->imap);
	mailimap_free(st->imap);
	st->imap = NULL;
}

static void
imap_close(struct inbound *in)
{
	struct imap_state *st = in->state;

	if (st == NULL)
		return;
	imap_disconnect(st);
	free(st);
	in->state = NULL;
}

static int
ok(int r)
{
	return r == MAILIMAP_NO_ERROR || r == MAILIMAP_NO_ERROR_AUTHENTICATED ||
	       r == MAILIMAP_NO_ERROR_NON_AUTHENTICATED;
}

/* imap_reply: the server's last response text, for err (never a body). */
static const char *
imap_reply(mailimap *imap)
{
	return imap != NULL && imap->imap_response != NULL ? imap->imap_response
	                                                   : "";
}

/* The certificate the server presented, checked before any credential. */
static int
imap_verify(struct imap_state *st, const struct config *c, struct error *err)
{
	carray *chain = mailstream_get_certificate_chain(st->imap->imap_stream);
	struct tls_der *der;
	unsigned int i, n;
	int rc;

	if (chain == NULL)
		return error_set(err, ERROR_TEMPORARY,
		    "imap: TLS: no certificate from %s", c->imap_host);
	n = carray_count(chain);
	der = calloc(n > 0 ? n : 1, sizeof *der);
	if (der == NULL) {
		mailstream_certificate_chain_free(chain);
		return error_set(err, ERROR_INTERNAL, "imap: out of memory");
	}
	for (i = 0; i < n; i++) {
		MMAPString *s = carray_get(chain, i);

		der[i].data = (const unsigned char *)s->str;
		der[i].len = s->len;
	}
	rc = tls_verify_chain(der, n, c->imap_host, c->tls_ca_file, err);
	free(der);
	mailstream_certificate_chain_free(chain);
	return rc;
}

static int
imap_connect(struct imap_state *st, const struct config *c, struct error *err)
{
	struct mailimap_capability_data *caps = NULL;
	time_t io = c->imap_timeout > 0 ? (time_t)c->imap_timeout
	                                : IMAP_IO_TIMEOUT_DEFAULT;
	int r;

	st->imap = mailimap_new(0, NULL);
	if (st->imap == NULL)
		return error_set(err, ERROR_INTERNAL, "imap: out of memory");
	mailimap_set_timeout(st->imap, io);
	if (c->imap_tls == TLS_TLS)
		r = mailimap_ssl_connect(
		    st->imap, c->imap_host, (uint16_t)c->imap_port);
	else
		r = mailimap_socket_connect(
		    st->imap, c->imap_host, (uint16_t)c->imap_port);
	if (!ok(r)) {
		error_set(err, ERROR_TEMPORARY,
		    "imap: cannot connect to %s:%u (%d)", c->imap_host,
		    c->imap_port, r);
		goto fail;
	}
	if (c->imap_tls == TLS_STARTTLS) {
		/* RFC 3501 6.2.1; required, never "if available" */
		r = mailimap_socket_starttls(st->imap);
		if (!ok(r)) {
			error_set(err, ERROR_TEMPORARY,
			    "imap: STARTTLS refused or not offered by %s:%u "
			    "(%d)",
			    c->imap_host, c->imap_port, r);
			goto fail;
		}
	}
	if (c->imap_tls != TLS_NONE && imap_verify(st, c, err) != 0)
		goto fail;
	r = mailimap_login(st->imap, c->imap_user, c->imap_password);
	if (!ok(r)) {
		error_set(err, ERROR_TEMPORARY, "imap: login refused: %.120s",
		    imap_reply(st->imap));
		goto fail;
	}
	/* the capabilities before login may differ (RFC 3501 6.2.3) */
	r = mailimap_capability(st->imap, &caps);
	if (!ok(r)) {
		error_set(
		    err, ERROR_TEMPORARY, "imap: CAPABILITY failed (%d)", r);
		goto fail;
	}
	mailimap_capability_data_free(caps);
	st->has_idle = mailimap_has_idle(st->imap);
	st->has_move = mailimap_has_extension(st->imap, "MOVE");
	r = mailimap_select(st->imap, c->imap_mailbox);
	if (!ok(r)) {
		error_set(err, ERROR_TEMPORARY,
		    "imap: SELECT %s failed: %.120s", c->imap_mailbox,
		    imap_reply(st->imap));
		goto fail;
	}
	st->uidvalidity = st->imap->imap_selection_info != NULL
	                      ? st->imap->imap_selection_info->sel_uidvalidity
	                      : 0;
	log_info("imap: connected host=%s mailbox=%s idle=%s uidvalidity=%u",
	    c->imap_host, c->imap_mailbox, st->has_idle ? "yes" : "no",
	    st->uidvalidity);
	return 0;
fail:
	imap_disconnect(st);
	return -1;
}

static uint32_t
state_u32(const struct inbound_sink *sink, const char *key)
{
	char value[32];

	if (sink->state_get == NULL ||
	    sink->state_get(sink->ctx, key, value, sizeof value) != 0)
		return 0;
	value[sizeof value - 1] = '\0';
	return (uint32_t)strtoul(value, NULL, 10);
}

static int
state_put_u32(const struct inbound_sink *sink, const char *key, uint32_t v)
{
	char value[32];

	snprintf(value, sizeof value, "%u", v);
	return sink->state_set != NULL ? sink->state_set(sink->ctx, key, value)
	                               : 0;
}

/* One UID and its size from a FETCH response. */
struct imap_uid {
	uint32_t uid;
	uint32_t size;
};

static void
msg_att_read(struct mailimap_msg_att *att, uint32_t *uid, uint32_t *size,
    const char **body, size_t *body_len)
{
	clistiter *it;

	for (it = clist_begin(att->att_list); it != NULL; it = clist_next(it)) {
		struct mailimap_msg_att_item *item = clist_content(it);
		struct mailimap_msg_att_static *s;

		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
			continue;
		s = item->att_data.att_static;
		switch (s->att_type) {
		case MAILIMAP_MSG_ATT_UID: *uid = s->att_data.att_uid; break;
		case MAILIMAP_MSG_ATT_RFC822_SIZE:
			if (size != NULL)
				*size = s->att_data.att_rfc822_size;
			break;
		case MAILIMAP_MSG_ATT_BODY_SECTION:
			if (body != NULL &&
			    s->att_data.att_body_section != NULL) {
				*body =
				    s->att_data.att_body_section->sec_body_part;
				*body_len =
				    s->att_data.att_body_section->sec_length;
			}
			break;
		default: break;
		}
	}
}

/* imap_list_new: UIDs above last (RFC 3501 6.4.8: "n:*" also returns the
 * highest message when it is below n, so filter), in ascending order. */
static int
imap_list_new(struct imap_state *st, uint32_t last, struct imap_uid **out,
    size_t *n, struct error *err)
{
	struct mailimap_set *set = mailimap_set_new_interval(last + 1, 0);
	struct mailimap_fetch_type *ft =
	    mailimap_fetch_type_new_fetch_att_list_empty();
	clist *result = NULL;
	clistiter *it;
	size_t cap = 0;
	int r;

	*out = NULL;
	*n = 0;
	mailimap_fetch_type_new_fetch_att_list_add(
	    ft, mailimap_fetch_att_new_uid());
	mailimap_fetch_type_new_fetch_att_list_add(
	    ft, mailimap_fetch_att_new_rfc822_size());
	r = mailimap_uid_fetch(st->imap, set, ft, &result);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (!ok(r))
		return error_set(
		    err, ERROR_TEMPORARY, "imap: UID FETCH failed (%d)", r);
	for (it = clist_begin(result); it != NULL; it = clist_next(it)) {
		uint32_t uid = 0, size = 0;

		msg_att_read(clist_content(it), &uid, &size, NULL, NULL);
		if (uid <= last)
			continue;
		if (*n == cap) {
			struct imap_uid *grown;

			cap = cap ? cap * 2 : 16;
			grown = realloc(*out, cap * sizeof **out);
			if (grown == NULL) {
				mailimap_fetch_list_free(result);
				free(*out);
				*out = NULL;
				return error_set(
				    err, ERROR_INTERNAL, "imap: out of memory");
			}
			*out = grown;
		}
		(*out)[*n].uid = uid;
		(*out)[*n].size = size;
		(*n)++;
	}
	mailimap_fetch_list_free(result);
	/* servers answer in sequence order, which is UID order; be sure */
	for (size_t i = 1; i < *n; i++)
		for (size_t j = i; j > 0 && (*out)[j - 1].uid > (*out)[j].uid;
		     j--) {
			struct imap_uid t = (*out)[j];

			(*out)[j] = (*out)[j - 1];
			(*out)[j - 1] = t;
		}
	return 0;
}

/* imap_mark_done: \Seen (RFC 3501 6.4.6, silent) and the processed
 * mailbox: MOVE (RFC 6851) when offered, else COPY; never EXPUNGE. */
static int
imap_mark_done(struct imap_state *st, const struct config *c, uint32_t uid,
    struct error *err)
{
	struct mailimap_flag_list *flags = mailimap_flag_list_new_empty();
	struct mailimap_store_att_flags *store;
	struct mailimap_set *set;
	int r;

	mailimap_flag_list_add(flags, mailimap_flag_new_seen());
	store = mailimap_store_att_flags_new_add_flags_silent(flags);
	set = mailimap_set_new_single(uid);
	r = mailimap_uid_store(st->imap, set, store);
	mailimap_store_att_flags_free(store);
	if (!ok(r)) {
		mailimap_set_free(set);
		return error_set(err, ERROR_TEMPORARY,
		    "imap: STORE \\Seen failed uid=%u", uid);
	}
	if (c->imap_processed_mailbox != NULL &&
	    c->imap_processed_mailbox[0] != '\0') {
		if (st->has_move)
			r = mailimap_uid_move(
			    st->imap, set, c->imap_processed_mailbox);
		else
			r = mailimap_uid_copy(
			    st->imap, set, c->imap_processed_mailbox);
		if (!ok(r)) {
			mailimap_set_free(set);
			return error_set(err, ERROR_TEMPORARY,
			    "imap: %s to %s failed uid=%u",
			    st->has_move ? "MOVE" : "COPY",
			    c->imap_processed_mailbox, uid);
		}
	}
	mailimap_set_free(set);
	return 0;
}

/* imap_fetch_one: BODY.PEEK[] (or its first mail_max_size octets) of one
 * UID, handed to the sink. Returns 1 stored, 0 the sink said "later",
 * -1 connection error. */
static int
imap_fetch_one(struct imap_state *st, const struct config *c,
    const struct inbound_sink *sink, const struct imap_uid *u,
    struct error *err)
{
	struct mailimap_set *set = mailimap_set_new_single(u->uid);
	struct mailimap_fetch_type *ft =
	    mailimap_fetch_type_new_fetch_att_list_empty();
	struct mailimap_section *section = mailimap_section_new(NULL);
	uint32_t max = c->mail_max_size > 0 && c->mail_max_size < UINT32_MAX
	                   ? (uint32_t)c->mail_max_size
	                   : UINT32_MAX;
	struct inbound_message m;
	clist *result = NULL;
	char source_id[64];
	const char *body = NULL;
	size_t body_len = 0;
	uint32_t uid = 0;
	struct error serr;
	int r, rc;

	mailimap_fetch_type_new_fetch_att_list_add(
	    ft, mailimap_fetch_att_new_uid());
	if (u->size > max)
		mailimap_fetch_type_new_fetch_att_list_add(
		    ft, mailimap_fetch_att_new_body_peek_section_partial(
		            section, 0, max));
	else
		mailimap_fetch_type_new_fetch_att_list_add(
		    ft, mailimap_fetch_att_new_body_peek_section(section));
	r = mailimap_uid_fetch(st->imap, set, ft, &result);
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (!ok(r))
		return error_set(err, ERROR_TEMPORARY,
		    "imap: UID FETCH uid=%u failed (%d)", u->uid, r);
	if (clist_begin(result) != NULL)
		msg_att_read(clist_content(clist_begin(result)), &uid, NULL,
		    &body, &body_len);
	if (uid != u->uid || body == NULL) {
		/* gone meanwhile (another client expunged it): skip it */
		mailimap_fetch_list_free(result);
		log_warn("imap: uid=%u vanished before fetch", u->uid);
		return 1;
	}
	if (u->size > max)
		log_warn("imap: uid=%u size=%u over max_size, stored truncated",
		    u->uid, u->size);
	snprintf(
	    source_id, sizeof source_id, "imap:%u:%u", st->uidvalidity, u->uid);
	m.raw = body;
	m.len = body_len;
	m.source = "imap";
	m.source_id = source_id;
	error_clear(&serr);
	rc = sink->store(sink->ctx, &m, &serr);
	mailimap_fetch_list_free(result);
	if (rc != 0) {
		log_warn("imap: uid=%u not stored, stays unseen: %s", u->uid,
		    serr.msg);
		return 0;
	}
	if (imap_mark_done(st, c, u->uid, err) != 0)
		return -1;
	return 1;
}

/* imap_fetch_new: every message above the remembered UID, in order; stops
 * at the first one the sink cannot take, so none is skipped. Returns how
 * many were stored, or -1. */
static int
imap_fetch_new(struct imap_state *st, const struct config *c,
    const struct inbound_sink *sink, struct error *err)
{
	struct imap_uid *uids = NULL;
	uint32_t last;
	size_t n = 0, i;
	int rc = 0;

	if (state_u32(sink, "imap.uidvalidity") != st->uidvalidity) {
		/* RFC 3501 2.3.1.1: old UIDs mean nothing now */
		log_info("imap: uidvalidity=%u is new, reading from uid 1",
		    st->uidvalidity);
		if (state_put_u32(sink, "imap.last_uid", 0) != 0 ||
		    state_put_u32(sink, "imap.uidvalidity", st->uidvalidity) !=
		        0)
			return error_set(
			    err, ERROR_IO, "imap: cannot save state");
	}
	last = state_u32(sink, "imap.last_uid");
	/* RFC 3501 6.1.2: NOOP lets the server announce new mail on a
	 * connection kept from an earlier poll (Dovecot does not on FETCH) */
	if (mailimap_noop(st->imap) != MAILIMAP_NO_ERROR)
		return error_set(err, ERROR_TEMPORARY, "imap: NOOP failed");
	if (imap_list_new(st, last, &uids, &n, err) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		int r = imap_fetch_one(st, c, sink, &uids[i], err);

		if (r < 0) {
			rc = -1;
			break;
		}
		if (r == 0)
			break; /* the sink wants it again later: keep order */
		if (state_put_u32(sink, "imap.last_uid", uids[i].uid) != 0) {
			rc =
			    error_set(err, ERROR_IO, "imap: cannot save state");
			break;
		}
		log_info("imap: uid=%u stored", uids[i].uid);
		rc++;
	}
	free(uids);
	return rc;
}

/* imap_idle: RFC 2177 IDLE until the server says something or timeout_ms
 * passes. Returns 1 woken, 0 timed out, -1 error. */
static int
imap_idle(struct imap_state *st, int timeout_ms, struct error *err)
{
	struct pollfd pfd;
	int r, woke;

	if (timeout_ms > IDLE_MAX_MS)
		timeout_ms = IDLE_MAX_MS;
	r = mailimap_idle(st->imap);
	if (!ok(r))
		return error_set(
		    err, ERROR_TEMPORARY, "imap: IDLE failed (%d)", r);
	pfd.fd = mailimap_idle_get_fd(st->imap);
	pfd.events = POLLIN;
	pfd.revents = 0;
	r = poll(&pfd, 1, timeout_ms);
	woke = r > 0;
	r = mailimap_idle_done(st->imap);
	if (!ok(r))
		return error_set(
		    err, ERROR_TEMPORARY, "imap: IDLE DONE failed (%d)", r);
	return woke;
}

static int
imap_poll(struct inbound *in, const struct inbound_sink *sink, int timeout_ms,
    struct error *err)
{
	struct imap_state *st = in->state;
	const struct config *c = in->config;
	struct timespec t0, t1;
	int woke, left = timeout_ms;

	if (st->imap == NULL && imap_connect(st, c, err) != 0)
		return -1;
	if (imap_fetch_new(st, c, sink, err) < 0)
		goto fail;
	if (timeout_ms <= 0)
		return 0;
	if (!st->has_idle) {
		poll(NULL, 0, timeout_ms);
		return 0;
	}
	/* IDLE until new mail is stored or the time is up; a wake-up for
	 * something else (a flag change, EXISTS ahead of the commit) idles
	 * again for what is left */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (left > 0) {
		woke = imap_idle(st, left, err);
		if (woke < 0)
			goto fail;
		if (woke) {
			int n = imap_fetch_new(st, c, sink, err);

			if (n < 0)
				goto fail;
			if (n > 0)
				break;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		left = timeout_ms - (int)((t1.tv_sec - t0.tv_sec) * 1000 +
		                          (t1.tv_nsec - t0.tv_nsec) / 1000000);
		if (!woke)
			break;
	}
	return 0;
fail:
	log_warn("imap: %s; reconnecting on the next poll", err->msg);
	imap_disconnect(st);
	return -1;
}

const struct inbound_ops inbound_imap_ops = {
    .name = "imap",
    .open = imap_open,
    .poll = imap_poll,
    .close = imap_close,
};
