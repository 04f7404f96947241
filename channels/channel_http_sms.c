/*
 * channel_http_sms.c: a generic HTTP SMS provider, described entirely by
 * the [sms] http_* keys, so a new provider is configuration, not code:
 *
 *   url                 where to send (GET: the body becomes the query)
 *   http_method         GET | POST
 *   http_content_type   form | json: how placeholder values are escaped
 *   http_body           template with {to} {from} {text} {id} {dlr_url}
 *   http_auth_header    one extra header, e.g. "Authorization: Bearer x"
 *   http_success_regex  PCRE2; when set it must match the answer body
 *   http_id_regex       PCRE2; its first group is the provider's id
 *
 * Each placeholder value is URL-encoded for form bodies and JSON-escaped
 * for json bodies; the template's own text is sent as written. An unknown
 * {name} is kept literally.
 *
 * Results: 2xx (and the success regex, when set, matches) is SEND_OK; a
 * 2xx whose body does not match is SEND_TEMPORARY (the provider said no
 * without saying why, so we retry until retry_max_age rather than lose
 * the message); other statuses as sms_answer_result().
 */
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <curl/curl.h>
#include <pcre2.h>

#include "buf.h"
#include "channel.h"
#include "log.h"
#include "sms_curl.h"
#include "sms_text.h"

struct http_sms {
	struct sms_curl h;
	pcre2_code *success_re; /* NULL when not configured */
	pcre2_code *id_re;
	pcre2_match_data *match;
	struct curl_slist *headers;
	int json;
	int post;
};

static pcre2_code *
http_sms_compile(const struct config *c, const char *key, const char *pattern,
    struct error *err)
{
	pcre2_code *re;
	PCRE2_SIZE offset;
	int code;
	PCRE2_UCHAR why[128];

	re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_UCP, &code, &offset, NULL);
	if (re == NULL) {
		pcre2_get_error_message(code, why, sizeof why);
		error_set(err, ERROR_INVALID,
		    "%s: [sms] %s: bad regular expression at offset %zu: %s",
		    c->path, key, (size_t)offset, (const char *)why);
		return NULL;
	}
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

static void http_sms_close(struct channel *);

static int
http_sms_open(struct channel *ch, const struct config *c, struct error *err)
{
	struct http_sms *s;

	if (c->sms_url == NULL || (strncmp(c->sms_url, "http://", 7) != 0 &&
	                              strncmp(c->sms_url, "https://", 8) != 0))
		return error_set(err, ERROR_INVALID,
		    "%s: [sms] url must be an http:// or https:// URL",
		    c->path);
	if ((s = calloc(1, sizeof *s)) == NULL)
		abort();
	ch->config = c;
	ch->state = s;
	s->json = strcmp(c->sms_http_content_type, "json") == 0;
	s->post = strcmp(c->sms_http_method, "POST") == 0;
	if (sms_curl_open(&s->h, c, err) != 0)
		goto fail;
	if (c->sms_http_success_regex[0] != '\0' &&
	    (s->success_re = http_sms_compile(c, "http_success_regex",
	         c->sms_http_success_regex, err)) == NULL)
		goto fail;
	if (c->sms_http_id_regex[0] != '\0' &&
	    (s->id_re = http_sms_compile(
	         c, "http_id_regex", c->sms_http_id_regex, err)) == NULL)
		goto fail;
	if ((s->match = pcre2_match_data_create(10, NULL)) == NULL)
		abort();
	if (s->post)
		s->headers = curl_slist_append(s->headers,
		    s->json
		        ? "Content-Type: application/json; charset=utf-8"
		        : "Content-Type: application/x-www-form-urlencoded");
	if (c->sms_http_auth_header[0] != '\0') {
		if (strchr(c->sms_http_auth_header, ':') == NULL ||
		    strpbrk(c->sms_http_auth_header, "\r\n") != NULL) {
			error_set(err, ERROR_INVALID,
			    "%s: [sms] http_auth_header "
			    "must be one 'Name: value' header",
			    c->path);
			goto fail;
		}
		s->headers =
		    curl_slist_append(s->headers, c->sms_http_auth_header);
	}
	return 0;
fail:
	http_sms_close(ch);
	return -1;
}

/* http_sms_expand: the body template with each placeholder's value
 * escaped for the body's format. GET always uses form escaping. */
static void
http_sms_expand(struct buf *out, const char *tmpl, int json, const char *to,
    const char *from, const char *text, int64_t id, const char *dlr_url)
{
	char idtext[24];
	const char *p, *close, *value;
	size_t n;

	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	for (p = tmpl; *p != '\0';) {
		if (*p != '{' || (close = strchr(p, '}')) == NULL) {
			buf_putc(out, *p++);
			continue;
		}
		n = (size_t)(close - p - 1);
		value = NULL;
		if (n == 2 && strncmp(p + 1, "to", 2) == 0)
			value = to;
		else if (n == 4 && strncmp(p + 1, "from", 4) == 0)
			value = from;
		else if (n == 4 && strncmp(p + 1, "text", 4) == 0)
			value = text;
		else if (n == 2 && strncmp(p + 1, "id", 2) == 0)
			value = idtext;
		else if (n == 7 && strncmp(p + 1, "dlr_url", 7) == 0)
			value = dlr_url;
		if (value == NULL) {
			buf_putc(out, *p++);
			continue;
		}
		if (json)
			sms_json_escape(out, value);
		else
			url_encode(out, value);
		p = close + 1;
	}
}

/* http_sms_match: does re match subject? With want_id, copy group 1. */
static int
http_sms_match(struct http_sms *s, pcre2_code *re, const char *subject,
    char *id, size_t id_size)
{
	PCRE2_SIZE *ov;
	size_t n;
	int rc;

	rc = pcre2_match(
	    re, (PCRE2_SPTR)subject, strlen(subject), 0, 0, s->match, NULL);
	if (rc < 0)
		return 0; /* no match, or invalid UTF-8 in the answer */
	if (id != NULL && rc >= 2) {
		ov = pcre2_get_ovector_pointer(s->match);
		if (ov[2] != PCRE2_UNSET) {
			n = ov[3] - ov[2];
			if (n >= id_size)
				n = id_size - 1;
			memcpy(id, subject + ov[2], n);
			id[n] = '\0';
		}
	}
	return 1;
}

static void
http_sms_send_one(struct http_sms *s, const struct config *c,
    const struct outgoing *m, struct send_status *st)
{
	struct buf body = BUF_INIT, url = BUF_INIT, dlr = BUF_INIT;
	struct sms_measure measure;
	const char *answer;
	char *text;
	int rc;

	text = sms_text_prepare(c, m);
	sms_measure(text, &measure);
	sms_dlr_url(&dlr, c, m->id);
	http_sms_expand(&body, c->sms_http_body, s->post && s->json,
	    m->recipient, c->sms_sender, text, m->id, buf_cstr(&dlr));
	free(text);
	buf_puts(&url, c->sms_url);
	if (!s->post && body.len > 0) {
		buf_putc(&url, strchr(c->sms_url, '?') != NULL ? '&' : '?');
		buf_append(&url, body.data, body.len);
	}
	sms_curl_rate_wait(&s->h);
	rc = sms_curl_perform(&s->h, buf_cstr(&url), s->headers,
	    s->post ? buf_cstr(&body) : NULL, body.len, st->detail,
	    sizeof st->detail);
	buf_free(&body);
	buf_free(&url);
	buf_free(&dlr);
	if (rc != 0) {
		st->result = SEND_TEMPORARY;
		log_warn(
		    "sms not sent outbox=%lld channel=http result=temporary "
		    "reason=\"%s\"",
		    (long long)m->id, st->detail);
		return;
	}
	answer = buf_cstr(&s->h.answer);
	st->result = sms_answer_result(s->h.status);
	if (st->result == SEND_OK && s->success_re != NULL &&
	    !http_sms_match(s, s->success_re, answer, NULL, 0))
		st->result = SEND_TEMPORARY;
	if (st->result == SEND_OK && s->id_re != NULL)
		(void)http_sms_match(s, s->id_re, answer, st->provider_id,
		    sizeof st->provider_id);
	sms_answer_detail(st->detail, sizeof st->detail, s->h.status, answer);
	if (st->result == SEND_OK)
		log_info("sms sent outbox=%lld channel=http encoding=%s "
		         "segments=%u",
		    (long long)m->id,
		    measure.encoding == SMS_GSM7 ? "gsm7" : "ucs2",
		    measure.segments);
	else
		log_warn("sms not sent outbox=%lld channel=http result=%s "
		         "status=%ld",
		    (long long)m->id,
		    st->result == SEND_PERMANENT ? "permanent" : "temporary",
		    s->h.status);
}

static int
http_sms_send_batch(struct channel *ch, const struct outgoing *msgs, size_t n,
    struct send_status *status)
{
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&status[i], 0, sizeof status[i]);
		http_sms_send_one(ch->state, ch->config, &msgs[i], &status[i]);
		/* recorded now: a crash later in the batch cannot send it
		 * again (the worker's lease covers the whole batch) */
		channel_report(ch, i, &status[i]);
	}
	return 0;
}

static void
http_sms_close(struct channel *ch)
{
	struct http_sms *s = ch->state;

	if (s == NULL)
		return;
	sms_curl_close(&s->h);
	pcre2_code_free(s->success_re);
	pcre2_code_free(s->id_re);
	pcre2_match_data_free(s->match);
	curl_slist_free_all(s->headers);
	free(s);
	ch->state = NULL;
}

const struct channel_ops channel_http_sms_ops = {
    .name = "http",
    .kind = CHANNEL_SMS,
    .open = http_sms_open,
    .send_batch = http_sms_send_batch,
    .close = http_sms_close,
};
