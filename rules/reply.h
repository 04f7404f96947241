/*
 * reply.h: reading a citizen's reply (e-mail or SMS) into what it means.
 *
 * reply_read_mail() parses an RFC 5322/MIME message (libetpan stays inside
 * rules/), picks the citizen's own words (text/plain preferred, HTML turned
 * into text, any charset converted to UTF-8, quoted text and signatures cut),
 * finds which booking it is about, tells auto-replies and bounces apart, and
 * reads the words with the PCRE2 rule table (rules/reply_rules.table,
 * decided by rules/reply_intent.c). An SMS goes straight to reply_decide():
 * both channels read the same words the same way.
 */
#ifndef WIZYTA_REPLY_H
#define WIZYTA_REPLY_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* What a clerk reading the reply would do. */
enum reply_verdict {
	REPLY_UNCLEAR,	  /* no answer we may act on: staff read it */
	REPLY_CONFIRM,	  /* TAK, Potwierdzam, będę, przyjdę, YES, ok … */
	REPLY_CANCEL,	  /* NIE, Anuluję, nie przyjdę, nieaktualne, NO … */
	REPLY_LATE,	  /* coming, but late: "spóźnię się 10 minut" */
	REPLY_RESCHEDULE, /* asks for another time: "proszę o inny termin" */
	REPLY_QUESTION,	  /* asks something, answers nothing */
	REPLY_STOP,	  /* SMS "STOP": no more SMS to this number */
	REPLY_AUTO,	  /* auto-reply / out-of-office: never acts, never
			     answered */
	REPLY_BOUNCE,	  /* delivery status notification (DSN) */
};
#define REPLY_VERDICT_COUNT (REPLY_BOUNCE + 1)

/* reply_decide's answer about one text. */
struct reply_decision {
	enum reply_verdict verdict;
	bool asks;	     /* a question beside the answer: staff answer it */
	char reference[16];  /* a booking reference in the text, or "" */
	char rules[160];     /* the rules that decided ("confirm:tak
				cancel:nie"), for notes and misses; no
				personal data */
};

struct reply_reading {
	enum reply_verdict verdict;
	bool asks;		/* see struct reply_decision */
	char rules[160];
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
 * not mail at all; odd but readable mail gives REPLY_UNCLEAR. */
int reply_read_mail(const char *raw, size_t len, const char *reply_local,
    struct reply_reading *out, struct error *err);
void reply_reading_free(struct reply_reading *);

/* reply_decide: read the citizen's own words (an SMS as it came, or the
 * text reply_read_mail extracted). Any bytes: invalid UTF-8 is replaced. */
void reply_decide(const char *utf8, size_t len, struct reply_decision *out);

/* reply_classify_text: reply_decide's verdict; reference[16] (or NULL)
 * gets a reference found in the text ("TAK K7Q2M9") or "". */
enum reply_verdict reply_classify_text(const char *utf8, size_t len,
    char reference[16]);

/* "confirm", "cancel", "late", "reschedule", "question", "stop",
 * "unclear", "auto", "bounce": the inbox verdict staff see */
const char *reply_verdict_name(enum reply_verdict);
/* the verdict of a name, or -1 */
int reply_verdict_parse(const char *name);

/*
 * The rule table. The built-in rows (rules/reply_rules.table, compiled into
 * the binary) are always there; a set can be extended at run time with rows
 * in the same syntax (an admin's phrases from the database), which are
 * tried before the built-in ones. Readings use the installed set; a new set
 * replaces it for readings that start later, while readings in flight
 * finish on the old one.
 */
struct reply_rules;

/* reply_rules_init: compile the built-in table once (JIT) and install it;
 * call at start-up. Fails only if the table itself is broken. */
int reply_rules_init(struct error *);
/* reply_rules_new: a set holding the built-in rows, ready to extend */
struct reply_rules *reply_rules_new(struct error *);
/* reply_rules_add: one line of the table syntax ("confirm moje  \bbede
 * na pewno\b", or "define NAME PATTERN"); origin names it in errors
 * ("database row 12"). ERROR_INVALID with the PCRE2 message on a bad row. */
int reply_rules_add(struct reply_rules *, const char *line, const char *origin,
    struct error *);
/* reply_rules_install: make the set the one later readings use; takes
 * ownership (the old set is freed when its last reading ends). */
void reply_rules_install(struct reply_rules *);
/* reply_rules_free: a set that was never installed (NULL is fine) */
void reply_rules_free(struct reply_rules *);
/* reply_decide_with: reply_decide with a set that is not installed */
void reply_decide_with(struct reply_rules *, const char *utf8, size_t len,
    struct reply_decision *out);

/*
 * An admin's reply phrases (lib/settings.h "reply_phrases": lines
 * "INTENT<TAB>PHRASE", INTENT one of confirm, cancel, late, reschedule,
 * question, stop) become rows tried before the built-in table: the phrase
 * as whole words, folded like the citizen's text (case and Polish
 * diacritics do not matter), named "admin1", "admin2"… in notes. A negation
 * no row explains still makes a reply unclear.
 *
 * The labelled corpus (tests/fixtures/reply-corpus, compiled in) guards
 * them: reply_corpus_check() reads every case with a candidate set and
 * lists the cases it breaks — a verdict that acts (confirm, cancel, late,
 * reschedule, stop) other than the case's label, or a case the built-in
 * rules read right that the candidate reads otherwise. An admin's phrases
 * are saved only when none breaks.
 */
/* reply_phrases_rules: the built-in set with the phrases; NULL and err
 * (field "reply_phrases") on a line that is not INTENT<TAB>PHRASE */
struct reply_rules *reply_phrases_rules(const char *phrases, struct error *);
struct reply_corpus_break {
	char text[160];   /* the case, cut */
	char file[24];    /* "pl.cancel" */
	char label[16];   /* what it means */
	char read_as[16]; /* what the candidate reads */
	char rules[64];   /* the rules that decided */
};
/* reply_corpus_check: the cases set breaks, at most max into out (NULL:
 * only count); how many break. *cases (may be NULL) gets the corpus size. */
size_t reply_corpus_check(struct reply_rules *set,
    struct reply_corpus_break *out, size_t max, size_t *cases);

#endif
