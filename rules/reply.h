/*
 * reply.h: reading a citizen's reply (e-mail or SMS) into what it means.
 *
 * reply_read_mail() parses an RFC 5322/MIME message (libetpan stays inside
 * rules/), picks the citizen's own words (text/plain preferred, HTML turned
 * into text, any charset converted to UTF-8, quoted text and signatures cut),
 * finds which booking it is about, tells auto-replies and bounces apart, and
 * classifies the words with the PCRE2 rule table (reply_rules.c).
 */
#ifndef WIZYTA_REPLY_H
#define WIZYTA_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

enum reply_verdict {
	REPLY_UNKNOWN,		/* words we cannot read as yes or no */
	REPLY_CONFIRM,		/* TAK, T, Potwierdzam, YES, ok … */
	REPLY_CANCEL,		/* NIE, N, Anuluję, rezygnuję, NO, cancel … */
	REPLY_STOP,		/* SMS "STOP": no more SMS to this number */
	REPLY_AUTO,		/* auto-reply / out-of-office: never acts */
	REPLY_BOUNCE,		/* delivery status notification (DSN) */
};

struct reply_reading {
	enum reply_verdict verdict;
	char reference[16];	/* from the plus address or subject, or "" */
	bool reference_from_address; /* found in To/Cc/Delivered-To/X-Original-To
				   (our Reply-To), not just in the subject */
	char message_id[256];	/* this message's Message-ID without <>, or "" */
	char in_reply_to[256];	/* In-Reply-To without <>, or "" */
	char **references;	/* References message ids without <>, NULL-ended */
	char from[256];		/* sender address (never logged) */
	char *text;		/* the citizen's own words, UTF-8, trimmed */
	/* for REPLY_BOUNCE: what bounced, when the report says */
	char bounced_message_id[256];
	char bounced_recipient[256];
	bool bounce_permanent;	/* Status 5.x.x / Action: failed */
};

/* reply_read_mail: reply_local is the local part of reply_address
 * ("wizyta": wizyta+REF@domain carries REF). Fails only on input that is
 * not mail at all; odd but readable mail gives REPLY_UNKNOWN. */
int reply_read_mail(const char *raw, size_t len, const char *reply_local,
    struct reply_reading *out, struct error *err);
void reply_reading_free(struct reply_reading *);

/* reply_classify_text: classify the citizen's own words (an SMS, or the
 * text reply_read_mail extracted). Also returns in reference[16] a
 * reference found in the text ("TAK K7Q2M9"), or "". */
enum reply_verdict reply_classify_text(const char *utf8, size_t len,
    char reference[16]);

const char *reply_verdict_name(enum reply_verdict);

/* reply_rules_init: compile the rule table once (JIT); call at start-up
 * before threads. reply_classify_text calls it lazily if needed. */
int reply_rules_init(struct error *);

#endif
