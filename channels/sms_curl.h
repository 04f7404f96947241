/*
 * sms_curl.h: what the HTTP SMS channels (channel_kannel.c,
 * channel_http_sms.c) share: one libcurl easy handle per channel, kept
 * across batches so the provider's connection is reused; URL and JSON
 * escaping; the delivery-report URL; the per-channel rate limit; and the
 * mapping of an HTTP answer to a send_result.
 *
 * Only these two channels and sms_curl.c include <curl/curl.h>.
 */
#ifndef WIZYTA_SMS_CURL_H
#define WIZYTA_SMS_CURL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "url.h"
#include "channel.h"
#include "config.h"
#include "error.h"

#define SMS_CONNECT_TIMEOUT_MS 5000L
#define SMS_TIMEOUT_MS 15000L
#define SMS_ANSWER_MAX (64 * 1024)

struct sms_curl {
	void *curl;                /* CURL *, owned by one thread */
	char errbuf[256];          /* >= CURL_ERROR_SIZE */
	struct buf answer;         /* the provider's answer body */
	long status;               /* its HTTP status */
	unsigned rate;             /* messages per second, 0 = unlimited */
	struct timespec next_slot; /* CLOCK_MONOTONIC: earliest next send */
};

int sms_curl_open(struct sms_curl *, const struct config *, struct error *);
void sms_curl_close(struct sms_curl *);

/* sms_curl_perform: one request. 0 when an HTTP answer arrived (status
 * and answer set); -1 when none did (refused, timeout, TLS), with the
 * reason in detail. headers is a struct curl_slist * or NULL; body NULL
 * means GET. */
int sms_curl_perform(struct sms_curl *, const char *url, void *headers,
    const char *body, size_t body_len, char *detail, size_t detail_size);

/* sms_curl_rate_wait: sleep until the next send is allowed. */
void sms_curl_rate_wait(struct sms_curl *);

/* sms_answer_result: classify an HTTP status (2xx OK; 401/403/407/408/429
 * and 5xx temporary: fixing a password or waiting helps; other 4xx
 * permanent: the message itself is refused). */
enum send_result sms_answer_result(long status);
/* sms_answer_detail: "HTTP 202: 0: Accepted for delivery", one line. */
void sms_answer_detail(
    char *detail, size_t size, long status, const char *answer);

/* Escaping for query strings / form bodies (RFC 3986 unreserved kept)
 * and for JSON strings (RFC 8259 section 7). */
void sms_json_escape(struct buf *, const char *);

/* sms_dlr_url: "http://<gateway listen>/sms/dlr?secret=S&msg=ID"; the
 * Kannel channel appends "&status=%d&reply=%A". */
void sms_dlr_url(struct buf *, const struct config *, int64_t outbox_id);

/* sms_text_prepare: the payload as a string, transliterated when the
 * config asks; the caller frees. */
char *sms_text_prepare(const struct config *, const struct outgoing *);

#endif
