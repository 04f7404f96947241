/*
 * fuzz_sms_callbacks.c: libFuzzer target over wizytad's provider callbacks
 * (/sms/inbound, /sms/dlr) — the target, query and form decoding, Kannel's
 * headers, charsets of text/plain bodies, the secret, every field check —
 * through sms_callbacks_answer, the function the listener calls.
 *
 * Input: a raw HTTP request (fuzz/fuzz_input.h); the secret is "s3cret".
 * The sink is a fake that checks what reaches it: a sender in E.164 and
 * every string valid UTF-8. It fails (500) when the text starts with '!',
 * so that path is reached too. Build and run: make fuzz (fuzz/local.mk).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_input.h"
#include "log.h"
#include "sms_callbacks.h"
#include "utf8.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct config *config;

static void
check_text(const char *s)
{
	if (!utf8_valid(s, strlen(s)))
		__builtin_trap();
}

static int
sink_inbound(void *ctx, const char *from, const char *to, const char *text,
    const char *provider_id, const char *ts, struct error *err)
{
	size_t i;

	(void)ctx;
	if (from[0] != '+' || strlen(from) < 8)
		__builtin_trap();
	for (i = 1; from[i] != '\0'; i++)
		if (from[i] < '0' || from[i] > '9')
			__builtin_trap();
	check_text(to);
	check_text(text);
	check_text(provider_id);
	check_text(ts);
	if (text[0] == '!')
		return error_set(err, ERROR_IO, "the fake sink says no");
	return 0;
}

static int
sink_dlr(void *ctx, int64_t outbox_id, int status, const char *reply,
    struct error *err)
{
	(void)ctx;
	(void)err;
	if (outbox_id < 1 || status < 0 || status > 0xffff)
		__builtin_trap();
	check_text(reply);
	return 0;
}

static const struct sms_sink sink = {NULL, sink_inbound, sink_dlr};

static void
cleanup(void)
{
	config_free(config);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	atexit(cleanup);
	(void)argc;
	(void)argv;
	log_init("fuzz_sms_callbacks", LOG_LEVEL_OFF);
	config = config_defaults();
	free(config->sms_callback_secret);
	if ((config->sms_callback_secret = strdup("s3cret")) == NULL)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sms_callback_header headers[FUZZ_MAX_HEADERS];
	struct fuzz_request in;
	struct sms_callback cb;
	const char *text = NULL;
	unsigned status;
	size_t i;

	if (fuzz_request_read(data, size, &in) != 0) {
		fuzz_request_free(&in);
		return 0;
	}
	for (i = 0; i < in.nheaders; i++) {
		headers[i].name = in.names[i];
		headers[i].value = in.values[i];
	}
	memset(&cb, 0, sizeof cb);
	cb.method = in.method;
	cb.target = in.target;
	cb.headers = headers;
	cb.nheaders = in.nheaders;
	cb.body = in.body_len > 0 ? in.body : NULL;
	cb.body_len = in.body_len;
	cb.body_too_large = in.body_len > 16 * 1024;
	status = sms_callbacks_answer(config, &sink, &cb, &text);
	if (status < 200 || status > 599 || text == NULL)
		__builtin_trap();
	fuzz_request_free(&in);
	return 0;
}
