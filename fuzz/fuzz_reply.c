/*
 * fuzz_reply.c: libFuzzer target over the whole reply reader — MIME parse,
 * charset conversion, HTML to text, quote cutting, header scanning and the
 * rule table — plus reply_classify_text on the raw bytes (the SMS path).
 * A confirm or cancel needs words: an empty own text never acts.
 *
 * Build and run: make fuzz (fuzz/local.mk; FUZZ_SECONDS=60 by default).
 * Inputs worth keeping go to fuzz/corpus/reply/, replayed under make check
 * (fuzz/replay.sh, tests/unit/test_reply_corpus). Figures: fuzz/README.md.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "reply.h"

#define SMS_MAX 320

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reply_reading r;
	struct error err;
	char ref[16];
	enum reply_verdict v;

	if (reply_read_mail((const char *)data, size, "wizyta", &r, &err) ==
	    0) {
		if (r.verdict > REPLY_BOUNCE || r.text == NULL ||
		    strlen(r.reference) >= sizeof r.reference ||
		    strlen(r.rules) >= sizeof r.rules)
			__builtin_trap();
		if (r.text[0] == '\0' &&
		    (r.verdict == REPLY_CONFIRM || r.verdict == REPLY_CANCEL))
			__builtin_trap();
	}
	reply_reading_free(&r);
	/* the SMS path at the sizes an SMS has (two segments); the same
	 * reading of longer texts runs above, on the mail's own words */
	v = reply_classify_text(
	    (const char *)data, size < SMS_MAX ? size : SMS_MAX, ref);
	if (v > REPLY_BOUNCE || strlen(ref) >= sizeof ref)
		__builtin_trap();
	return 0;
}
