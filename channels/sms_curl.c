/*
 * sms_curl.c: the HTTP plumbing under the Kannel and generic HTTP SMS
 * channels. See sms_curl.h.
 *
 * TLS is always verified (libcurl's default, set explicitly so nobody
 * turns it off by accident); [mail] tls_ca_file, when set, is the CA
 * bundle, so one private CA serves SMTP, IMAP and the SMS provider.
 * No redirects are followed: a provider that redirects is misconfigured.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "sms_curl.h"
#include "sms_text.h"
#include "url.h"

static size_t
sms_curl_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct sms_curl *h = arg;
	size_t n = size * nmemb;

	/* keep at most SMS_ANSWER_MAX; the rest is read and dropped */
	if (h->answer.len < SMS_ANSWER_MAX)
		buf_append(&h->answer, data,
		    n < SMS_ANSWER_MAX - h->answer.len
		        ? n
		        : SMS_ANSWER_MAX - h->answer.len);
	return n;
}

int
sms_curl_open(struct sms_curl *h, const struct config *c, struct error *err)
{
	CURL *curl;

	memset(h, 0, sizeof *h);
	buf_init(&h->answer);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return error_set(
		    err, ERROR_INTERNAL, "curl_global_init failed");
	if ((curl = curl_easy_init()) == NULL)
		return error_set(err, ERROR_INTERNAL, "curl_easy_init failed");
	h->curl = curl;
	h->rate = c->sms_rate;
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(
	    curl, CURLOPT_CONNECTTIMEOUT_MS, SMS_CONNECT_TIMEOUT_MS);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, SMS_TIMEOUT_MS);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, h->errbuf);
	if (curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https") !=
	    CURLE_OK) {
		sms_curl_close(h);
		return error_set(err, ERROR_INTERNAL,
		    "libcurl refuses CURLOPT_PROTOCOLS_STR");
	}
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->tls_ca_file != NULL && c->tls_ca_file[0] != '\0')
		curl_easy_setopt(curl, CURLOPT_CAINFO, c->tls_ca_file);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "wizyta/" PACKAGE_VERSION);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, sms_curl_write);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, h);
	return 0;
}

void
sms_curl_close(struct sms_curl *h)
{
	if (h->curl != NULL)
		curl_easy_cleanup(h->curl);
	h->curl = NULL;
	buf_free(&h->answer);
}

int
sms_curl_perform(struct sms_curl *h, const char *url, void *headers,
    const char *body, size_t body_len, char *detail, size_t detail_size)
{
	CURL *curl = h->curl;
	CURLcode rc;

	buf_reset(&h->answer);
	h->status = 0;
	h->errbuf[0] = '\0';
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(
	    curl, CURLOPT_HTTPHEADER, (struct curl_slist *)headers);
	if (body != NULL) {
		curl_easy_setopt(curl, CURLOPT_POST, 1L);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(
		    curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	} else
		curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
	rc = curl_easy_perform(curl);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, (struct curl_slist *)NULL);
	if (rc != CURLE_OK) {
		snprintf(detail, detail_size, "%s",
		    h->errbuf[0] != '\0' ? h->errbuf : curl_easy_strerror(rc));
		return -1;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &h->status);
	return 0;
}

void
sms_curl_rate_wait(struct sms_curl *h)
{
	struct timespec now, wait;
	long step;

	if (h->rate == 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (h->next_slot.tv_sec > now.tv_sec ||
	    (h->next_slot.tv_sec == now.tv_sec &&
	        h->next_slot.tv_nsec > now.tv_nsec)) {
		wait.tv_sec = h->next_slot.tv_sec - now.tv_sec;
		wait.tv_nsec = h->next_slot.tv_nsec - now.tv_nsec;
		if (wait.tv_nsec < 0) {
			wait.tv_sec--;
			wait.tv_nsec += 1000000000L;
		}
		while (nanosleep(&wait, &wait) != 0 && errno == EINTR)
			;
	} else
		h->next_slot = now;
	step = 1000000000L / (long)h->rate;
	h->next_slot.tv_nsec += step;
	while (h->next_slot.tv_nsec >= 1000000000L) {
		h->next_slot.tv_sec++;
		h->next_slot.tv_nsec -= 1000000000L;
	}
}

enum send_result
sms_answer_result(long status)
{
	if (status >= 200 && status < 300)
		return SEND_OK;
	if (status == 401 || status == 403 || status == 407 || status == 408 ||
	    status == 429)
		return SEND_TEMPORARY;
	if (status >= 400 && status < 500)
		return SEND_PERMANENT;
	return SEND_TEMPORARY;
}

void
sms_answer_detail(char *detail, size_t size, long status, const char *answer)
{
	size_t n;
	int w;
	char *p;

	w = snprintf(detail, size, "HTTP %ld: ", status);
	if (w < 0 || (size_t)w >= size)
		return;
	n = (size_t)w;
	snprintf(detail + n, size - n, "%s", answer);
	/* one line for the log: control characters become blanks */
	for (p = detail + n; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	n = strlen(detail);
	while (n > 0 && detail[n - 1] == ' ')
		detail[--n] = '\0';
}

void
sms_json_escape(struct buf *b, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		default:
			if (*p < 0x20)
				buf_printf(b, "\\u%04x", *p);
			else
				buf_putc(b, (char)*p);
		}
	}
}

void
sms_dlr_url(struct buf *b, const struct config *c, int64_t outbox_id)
{
	const char *listen = c->gateway_listen;

	/* a wildcard listen address is reached through loopback */
	if (strncmp(listen, "0.0.0.0:", 8) == 0) {
		buf_puts(b, "http://127.0.0.1");
		listen += 7;
	} else if (listen[0] == ':')
		buf_puts(b, "http://127.0.0.1");
	else
		buf_puts(b, "http://");
	buf_puts(b, listen);
	buf_puts(b, "/sms/dlr?secret=");
	url_encode(b, c->sms_callback_secret);
	buf_printf(b, "&msg=%lld", (long long)outbox_id);
}

char *
sms_text_prepare(const struct config *c, const struct outgoing *m)
{
	struct buf b = BUF_INIT;
	char *t;

	/* the payload may lack a NUL; an embedded NUL ends the text */
	buf_append(&b, m->payload != NULL ? m->payload : "",
	    m->payload != NULL ? m->payload_len : 0);
	if (!c->sms_transliterate)
		return buf_steal(&b);
	t = sms_transliterate(buf_cstr(&b));
	buf_free(&b);
	return t;
}
