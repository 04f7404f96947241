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
#define REPLY_MAX_CLASSIFY_LINES 12       /* lines looked at for the answer */

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

/* reply_html.c: HTML (UTF-8) to plain text, quoted parts dropped */
void reply_html_to_text(const char *html, size_t len, struct buf *out);

/* reply_quote.c: the citizen's own words of a plain text reply */
void reply_own_words(const char *text, size_t len, struct buf *out);

/* reply_header.c: RFC 5322 header fields read from raw bytes */
size_t reply_header_end(const char *raw, size_t len, size_t *body);
/* the nth (0-based) field called name, unfolded (RFC 5322 2.2.3) */
bool reply_header_get(const char *hdr, size_t len, const char *name,
    unsigned nth, struct buf *value);
/* the address of a mailbox value ("Jan <jan@x.pl>" → "jan@x.pl") */
void reply_header_address(const char *value, char *out, size_t size);
/* copy "<id>" tokens of a msg-id list; returns how many */
size_t reply_header_msgids(const char *value, char ids[][256], size_t max);

/* reply_rules.c: pattern tables shared by the quote cutter */
enum quote_kind {
	QUOTE_NONE,
	QUOTE_LINE, /* "> quoted" */
	QUOTE_CUT,  /* "-- ", "-----Original Message-----", "Sent from" */
	QUOTE_ATTRIBUTION,       /* "… napisał(a):", "On … wrote:" */
	QUOTE_ATTRIBUTION_START, /* "W dniu …" (the colon may be on the next
	                            line) */
	QUOTE_HEADER_FROM,  /* "Od: …" / "From: …" opening a header block */
	QUOTE_HEADER_OTHER, /* "Wysłano:", "Sent:", "Do:", "Temat:" … */
};
/* classify one folded line */
enum quote_kind reply_quote_kind(const char *folded, size_t len);
/* subject lines of out-of-office replies ("Automatyczna odpowiedź: …") */
bool reply_subject_is_auto(const char *utf8, size_t len);

#endif
