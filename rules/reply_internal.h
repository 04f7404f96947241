/*
 * reply_internal.h: the pieces reply_read_mail() is built from, shared only
 * inside rules/ (and by its unit tests). Nothing here includes libetpan or
 * PCRE2: those stay in the one file that needs each.
 *
 * Invariants: every function writes valid UTF-8 without NUL bytes into its
 * output buf (sanitising its input if needed), and does work bounded by the
 * input length it was given.
 */
#ifndef WIZYTA_REPLY_INTERNAL_H
#define WIZYTA_REPLY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "reply.h"

/* Limits that keep the work on hostile input bounded. */
#define REPLY_MAX_MAIL (4u * 1024 * 1024) /* bytes of a mail we parse */
#define REPLY_MAX_TEXT (64u * 1024)       /* bytes of own words kept */
#define REPLY_MAX_PART_TEXT (512u * 1024) /* bytes of one decoded part */
#define REPLY_MAX_PARTS 64                /* MIME parts visited */
#define REPLY_MAX_DEPTH 8                 /* MIME nesting followed */
#define REPLY_MAX_READ (2u * 1024)   /* bytes of own words read for the
                                        answer; a longer text is a letter
                                        for staff */
#define REPLY_MAX_READ_LINES 50      /* lines of own words, likewise */
#define REPLY_AUTO_SCAN (2u * 1024)  /* bytes of a letter searched for an
                                        autoresponder's words */

/* reply_text.c: UTF-8, charsets, folding */
bool reply_utf8_valid(const char *, size_t);
/* append in to out, invalid sequences as U+FFFD, NUL and other C0
 * controls except \t \n \r dropped */
void reply_utf8_sanitize(const char *in, size_t len, struct buf *out);
/* convert from charset (NULL/"" = guess) to UTF-8, never failing: unknown
 * charsets and invalid bytes degrade to a best guess / U+FFFD */
void reply_charset_to_utf8(
    const char *charset, const char *in, size_t len, struct buf *out);
/* lower-case, Polish letters without diacritics (ą→a … ż→z), combining
 * marks dropped, no-break spaces as spaces, typographic quotes as ASCII */
void reply_fold(const char *utf8, size_t len, struct buf *out);
/* a booking reference as a separate token (see reply_rules.c) */
bool reply_find_reference(const char *text, size_t len, char out[16]);
/* cut utf8 text to at most max bytes on a character boundary */
size_t reply_utf8_cut(const char *, size_t len, size_t max);

/* reply_rules.c: the rule set of one reading (acquired at its start,
 * released at its end, so an installed replacement never frees rules in
 * use) and the scratch space to match with */
struct rules_run;
/* NULL only when the built-in table does not compile */
struct rules_run *rules_run_begin(void);
/* rules_run_with: a reading with a set that is not installed (an admin's
 * phrases being tried); the caller keeps the set until the run ends */
struct rules_run *rules_run_with(struct reply_rules *);
void rules_run_end(struct rules_run *);

/* reply_intent.c: the decision on the citizen's words */
void reply_decide_run(struct rules_run *, const char *utf8, size_t len,
    struct reply_decision *out);

/* reply_html.c: HTML (UTF-8) to plain text, quoted parts dropped */
void reply_html_to_text(const char *html, size_t len, struct buf *out);

/* reply_quote.c: the citizen's own words of a plain text reply */
void reply_own_words(
    struct rules_run *, const char *text, size_t len, struct buf *out);

/* reply_header.c: RFC 5322 header fields read from raw bytes */
size_t reply_header_end(const char *raw, size_t len, size_t *body);
/* the nth (0-based) field called name, unfolded (RFC 5322 2.2.3) */
bool reply_header_get(const char *hdr, size_t len, const char *name,
    unsigned nth, struct buf *value);
/* the address of a mailbox value ("Jan <jan@x.pl>" → "jan@x.pl") */
void reply_header_address(const char *value, char *out, size_t size);
/* copy "<id>" tokens of a msg-id list; returns how many */
size_t reply_header_msgids(const char *value, char ids[][256], size_t max);

/* reply_rules.c: the rows of the table, by kind. Verdict-stage kinds
 * first (the words of a reply, see reply_intent.c), then the quote cutter's
 * kinds, then subjects. */
enum rule_kind {
	RULE_CONFIRM,
	RULE_CANCEL,
	RULE_LATE,
	RULE_RESCHEDULE,
	RULE_QUESTION,
	RULE_STOP,
	RULE_AUTO,
	RULE_HEDGE,
	RULE_CONTRAST,
	RULE_NEGATION,
	RULE_NEUTRAL,
	RULE_VERDICT_STAGE_END, /* not a kind: the verdict stage ends here */
	RULE_QUOTE_LINE = RULE_VERDICT_STAGE_END,
	RULE_QUOTE_CUT,
	RULE_QUOTE_ATTRIBUTION,
	RULE_QUOTE_ATTRIBUTION_START,
	RULE_QUOTE_HEADER_FROM,
	RULE_QUOTE_HEADER_OTHER,
	RULE_QUOTE_OURS,
	RULE_AUTO_SUBJECT,
	RULE_KIND_COUNT
};
const char *rule_kind_name(enum rule_kind);

/* one match of a verdict-stage row: bytes [start, end) of the text */
struct rule_hit {
	enum rule_kind kind;
	const char *name;
	size_t start, end;
};
/* rules_claim: every verdict-stage row (or only the rows of kind only,
 * when it is not RULE_KIND_COUNT), top to bottom, over text (folded, valid
 * UTF-8); a row's matches claim their bytes and later rows never match
 * claimed bytes. Returns the number of hits written (at most max). */
size_t rules_claim(struct rules_run *, const char *text, size_t len,
    enum rule_kind only, struct rule_hit *hits, size_t max);

enum quote_kind {
	QUOTE_NONE,
	QUOTE_LINE, /* "> quoted" */
	QUOTE_CUT,  /* "-- ", "-----Original Message-----", "Sent from" */
	QUOTE_ATTRIBUTION,       /* "… napisał(a):", "On … wrote:" */
	QUOTE_ATTRIBUTION_START, /* "W dniu …" (the colon may be on the next
	                            line) */
	QUOTE_HEADER_FROM,  /* "Od: …" / "From: …" opening a header block */
	QUOTE_HEADER_OTHER, /* "Wysłano:", "Sent:", "Do:", "Temat:" … */
	QUOTE_OURS, /* a line of our own message, unquoted by the client */
};
/* classify one folded line */
enum quote_kind reply_quote_kind(
    struct rules_run *, const char *folded, size_t len);
/* subject lines of out-of-office replies ("Automatyczna odpowiedź: …") */
bool reply_subject_is_auto(struct rules_run *, const char *utf8, size_t len);

#endif
