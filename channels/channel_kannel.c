/*
 * channel_kannel.c: SMS through Kannel's smsbox sendsms interface
 * (Kannel user guide, "Sending SMS messages" / "Delivery reports").
 *
 * One GET per message on one kept-alive connection:
 *   sms_url?username&password&from&to&text&charset=UTF-8[&coding=2]
 *          &dlr-mask=31&dlr-url=<gateway>/sms/dlr?secret&msg=ID&status=%d&reply=%A
 * The text always travels as UTF-8 (charset=UTF-8); coding=2 (UCS-2) is
 * asked only when the text does not fit GSM-7, so Kannel never silently
 * drops Polish letters. dlr-mask 31 = delivered, undelivered, buffered,
 * SMSC ack, SMSC reject.
 *
 * Kannel answers 202 "0: Accepted for delivery" (or "3: Queued for later
 * delivery"): SEND_OK. 4xx (missing or invalid number, denied) is
 * permanent except authorization failures; 5xx, refused connections and
 * timeouts are temporary. Kannel gives no message id here: DLRs carry
 * the outbox id in their URL instead.
 */
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "buf.h"
#include "channel.h"
#include "log.h"
#include "sms_curl.h"
#include "sms_text.h"

static int
kannel_open(struct channel *ch, const struct config *c, struct error *err)
{
	struct sms_curl *h;

	if (c->sms_url == NULL || (strncmp(c->sms_url, "http://", 7) != 0 &&
	                              strncmp(c->sms_url, "https://", 8) != 0))
		return error_set(err, ERROR_INVALID,
		    "%s: [sms] url must be an http:// or https:// URL",
		    c->path);
	if ((h = calloc(1, sizeof *h)) == NULL)
		abort();
	if (sms_curl_open(h, c, err) != 0) {
		free(h);
		return -1;
	}
	ch->config = c;
	ch->state = h;
	return 0;
}

static void
kannel_url(struct buf *url, const struct config *c, const struct outgoing *m,
    const char *text, const struct sms_measure *measure)
{
	struct buf dlr = BUF_INIT;

	buf_puts(url, c->sms_url);
	buf_putc(url, strchr(c->sms_url, '?') != NULL ? '&' : '?');
	buf_puts(url, "username=");
	url_encode(url, c->sms_user);
	buf_puts(url, "&password=");
	url_encode(url, c->sms_password);
	if (c->sms_sender[0] != '\0') {
		buf_puts(url, "&from=");
		url_encode(url, c->sms_sender);
	}
	buf_puts(url, "&to=");
	url_encode(url, m->recipient);
	buf_puts(url, "&text=");
	url_encode(url, text);
	buf_puts(url, "&charset=UTF-8");
	if (measure->encoding == SMS_UCS2)
		buf_puts(url, "&coding=2");
	buf_puts(url, "&dlr-mask=31&dlr-url=");
	sms_dlr_url(&dlr, c, m->id);
	buf_puts(&dlr, "&status=%d&reply=%A");
	url_encode(url, buf_cstr(&dlr));
	buf_free(&dlr);
}

static void
kannel_send_one(struct sms_curl *h, const struct config *c,
    const struct outgoing *m, struct send_status *st)
{
	struct buf url = BUF_INIT;
	struct sms_measure measure;
	char *text;

	text = sms_text_prepare(c, m);
	sms_measure(text, &measure);
	kannel_url(&url, c, m, text, &measure);
	free(text);
	sms_curl_rate_wait(h);
	if (sms_curl_perform(h, buf_cstr(&url), NULL, NULL, 0, st->detail,
	        sizeof st->detail) != 0) {
		st->result = SEND_TEMPORARY;
		log_warn(
		    "sms not sent outbox=%lld channel=kannel result=temporary "
		    "reason=\"%s\"",
		    (long long)m->id, st->detail);
	} else {
		st->result = sms_answer_result(h->status);
		/* a 2xx that is not "0:" / "3:" is not an acceptance */
		if (st->result == SEND_OK && h->status != 202 &&
		    strncmp(buf_cstr(&h->answer), "0:", 2) != 0 &&
		    strncmp(buf_cstr(&h->answer), "3:", 2) != 0)
			st->result = SEND_TEMPORARY;
		sms_answer_detail(st->detail, sizeof st->detail, h->status,
		    buf_cstr(&h->answer));
		if (st->result == SEND_OK)
			log_info("sms sent outbox=%lld channel=kannel "
			         "encoding=%s segments=%u",
			    (long long)m->id,
			    measure.encoding == SMS_GSM7 ? "gsm7" : "ucs2",
			    measure.segments);
		else
			log_warn("sms not sent outbox=%lld channel=kannel "
			         "result=%s reason=\"%s\"",
			    (long long)m->id,
			    st->result == SEND_PERMANENT ? "permanent"
			                                 : "temporary",
			    st->detail);
	}
	buf_free(&url);
}

static int
kannel_send_batch(struct channel *ch, const struct outgoing *msgs, size_t n,
    struct send_status *status)
{
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&status[i], 0, sizeof status[i]);
		kannel_send_one(ch->state, ch->config, &msgs[i], &status[i]);
		/* recorded now: a crash later in the batch cannot send it
		 * again (the worker's lease covers the whole batch) */
		channel_report(ch, i, &status[i]);
	}
	return 0;
}

static void
kannel_close(struct channel *ch)
{
	if (ch->state == NULL)
		return;
	sms_curl_close(ch->state);
	free(ch->state);
	ch->state = NULL;
}

const struct channel_ops channel_kannel_ops = {
    .name = "kannel",
    .kind = CHANNEL_SMS,
    .open = kannel_open,
    .send_batch = kannel_send_batch,
    .close = kannel_close,
};
