/*
 * intake.c: recording inbound mail, SMS and delivery reports in the store.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gnutls/crypto.h>

#include "buf.h"
#include "fallback.h"
#include "intake.h"
#include "log.h"
#include "metrics.h"

int
intake_open(struct intake *in, const struct config *c, struct error *err)
{
	memset(in, 0, sizeof *in);
	in->config = c;
	if ((in->store = store_open(c->database, err)) == NULL)
		return -1;
	pthread_mutex_init(&in->lock, NULL);
	return 0;
}

void
intake_close(struct intake *in)
{
	if (in->store == NULL)
		return;
	store_close(in->store);
	pthread_mutex_destroy(&in->lock);
	in->store = NULL;
}

static void
sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char digest[32];
	size_t i;

	gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, digest);
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

/* The Message-ID of the header section (RFC 5322 3.6.4), unfolded, <>
 * stripped; "" when absent or unreadable. */
static void
header_message_id(const char *raw, size_t len, char *out, size_t size)
{
	size_t i = 0;

	out[0] = '\0';
	while (i < len) {
		size_t end = i;

		while (end < len && raw[end] != '\n')
			end++;
		if (end == i || (end == i + 1 && raw[i] == '\r'))
			return;		/* blank line: end of headers */
		if (end - i > 11 && strncasecmp(raw + i, "Message-ID:", 11) == 0) {
			size_t p = i + 11, n = 0;

			/* the id may be folded onto the next line */
			while (p < len && n + 1 < size) {
				char c = raw[p];

				if (c == '\n' && !(p + 1 < len && (raw[p + 1] == ' ' ||
				    raw[p + 1] == '\t')))
					break;
				if (!isspace((unsigned char)c) && c != '<' && c != '>')
					out[n++] = c;
				p++;
			}
			out[n] = '\0';
			return;
		}
		i = end + 1;
	}
}

void
intake_mail_dedup_key(const char *raw, size_t len, char *out, size_t size)
{
	char id[256], hex[65];

	header_message_id(raw, len, id, sizeof id);
	if (id[0] != '\0' && strchr(id, '@') != NULL) {
		snprintf(out, size, "mid:%s", id);
		return;
	}
	sha256_hex(raw, len, hex);
	snprintf(out, size, "sha256:%s", hex);
}

static int
mail_store(void *ctx, const struct inbound_message *msg, struct error *err)
{
	struct intake *in = ctx;
	char key[300];
	bool duplicate;
	int rc;

	intake_mail_dedup_key(msg->raw, msg->len, key, sizeof key);
	pthread_mutex_lock(&in->lock);
	rc = store_inbox_add(in->store, "email", key, "", msg->raw, msg->len, time(NULL),
	    &duplicate, err);
	pthread_mutex_unlock(&in->lock);
	if (rc == 0)
		log_info("inbound mail stored source=%s %s", msg->source,
		    duplicate ? "duplicate=yes" : "duplicate=no");
	return rc;
}

static int
mail_state_get(void *ctx, const char *key, char *value, size_t size)
{
	struct intake *in = ctx;
	int rc;

	pthread_mutex_lock(&in->lock);
	rc = store_kv_get(in->store, key, value, size);
	pthread_mutex_unlock(&in->lock);
	return rc;
}

static int
mail_state_set(void *ctx, const char *key, const char *value)
{
	struct intake *in = ctx;
	struct error err;
	int rc;

	error_clear(&err);
	pthread_mutex_lock(&in->lock);
	rc = store_kv_set(in->store, key, value, &err);
	pthread_mutex_unlock(&in->lock);
	return rc;
}

void
intake_mail_sink(struct intake *in, struct inbound_sink *sink)
{
	sink->ctx = in;
	sink->store = mail_store;
	sink->state_get = mail_state_get;
	sink->state_set = mail_state_set;
}

static int
sms_inbound(void *ctx, const char *from, const char *to, const char *text,
    const char *provider_id, const char *ts, struct error *err)
{
	struct intake *in = ctx;
	struct buf material = BUF_INIT;
	char key[160], hex[65];
	bool duplicate;
	int rc;

	(void)to;
	if (provider_id[0] != '\0')
		snprintf(key, sizeof key, "id:%.150s", provider_id);
	else {
		/* no provider id: the same sender, text and time is the same SMS */
		buf_printf(&material, "%s\n%s\n%s", from, ts, text);
		sha256_hex(material.data, material.len, hex);
		snprintf(key, sizeof key, "sha256:%s", hex);
		buf_free(&material);
	}
	pthread_mutex_lock(&in->lock);
	rc = store_inbox_add(in->store, "sms", key, from, text, strlen(text), time(NULL),
	    &duplicate, err);
	pthread_mutex_unlock(&in->lock);
	if (rc == 0)
		log_info("inbound sms stored duplicate=%s", duplicate ? "yes" : "no");
	return rc;
}

static int
sms_dlr(void *ctx, int64_t outbox_id, int status, const char *reply, struct error *err)
{
	struct intake *in = ctx;
	struct outbox_message m;
	char detail[256];
	int rc = 0;

	snprintf(detail, sizeof detail, "dlr %d %.200s", status, reply);
	pthread_mutex_lock(&in->lock);
	if (store_outbox_get(in->store, outbox_id, &m, err) != 0) {
		pthread_mutex_unlock(&in->lock);
		/* an unknown id will never become known: accept and forget */
		if (err->kind == ERROR_NOT_FOUND) {
			log_warn("dlr for unknown message=%lld", (long long)outbox_id);
			return 0;
		}
		return -1;
	}
	/* a delivery report is about an SMS: the id of an e-mail (a guess,
	 * a typo, a forged report) changes nothing, like an unknown id */
	if (strcmp(m.channel, "sms") != 0) {
		pthread_mutex_unlock(&in->lock);
		log_warn("dlr for a message that is not an SMS message=%lld "
		         "channel=%s",
		    (long long)outbox_id, m.channel);
		outbox_message_free(&m);
		return 0;
	}
	if (status & 1) {
		rc = store_outbox_mark_final(in->store, outbox_id, OUTBOX_DELIVERED, detail, err);
		if (rc == 0)
			metrics_delivery("sms", "delivered");
	} else if (status & (2 | 16)) {
		rc = store_outbox_mark_final(in->store, outbox_id, OUTBOX_FAILED, detail, err);
		if (rc == 0)
			metrics_delivery("sms", "undelivered");
		if (rc == 0 && m.status != OUTBOX_FAILED)
			fallback_other_channel(in->store, in->config, &m, time(NULL));
	}
	/* 4 (buffered) and 8 (SMSC ack) are progress, not an outcome */
	pthread_mutex_unlock(&in->lock);
	if (rc == 0)
		log_info("dlr message=%lld status=%d", (long long)outbox_id, status);
	outbox_message_free(&m);
	return rc;
}

void
intake_sms_sink(struct intake *in, struct sms_sink *sink)
{
	sink->ctx = in;
	sink->inbound = sms_inbound;
	sink->dlr = sms_dlr;
}
