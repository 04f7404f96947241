/*
 * reply_quote.c: the citizen's own words of a plain-text reply — what is
 * left when the quoted mail, the attribution line and the signature are
 * cut away.
 *
 * Each line is folded (reply_fold) and classified by the quote rows of
 * rules/reply_rules.table; then, top to bottom:
 *  - "> …" lines (RFC 3676 section 4.5 quoting) are dropped, wherever they
 *    are and however long, so top-posted, bottom-posted and interleaved
 *    replies all work;
 *  - lines of our own message that a client copied without "> " ("Aby
 *    potwierdzić wizytę, odpowiedz … TAK", which also says NIE) are dropped
 *    the same way: they are our words, not the citizen's;
 *  - an attribution ("W dniu … napisał(a):", "On … wrote:", also split
 *    over two lines) is dropped when ">" lines follow it, and cuts the rest
 *    when they do not (the quote is not prefixed);
 *  - "-- " (RFC 3676 section 4.3), "-----Original Message-----",
 *    "-----Wiadomość oryginalna-----", an Outlook rule of underscores,
 *    "Sent from my iPhone", "Wysłane z iPhone'a", "Pobierz Outlook dla
 *    systemu iOS" … cut the rest;
 *  - an Outlook header block — "Od:"/"From:" followed within a few lines by
 *    "Wysłano:"/"Sent:"/"Do:"/"To:"/"Temat:"/"Subject:" — cuts the rest.
 * The result is trimmed and capped at REPLY_MAX_TEXT bytes and
 * MAX_OWN_LINES lines.
 *
 * Work is linear in the input: a line is classified at most once and only
 * when it is reached (nothing after a cut is looked at); a line longer
 * than MAX_CLASSIFIED is only checked for the "> " that quotes it.
 */
#include <stdlib.h>
#include <string.h>

#include "reply_internal.h"

#define MAX_LINES 4000      /* lines examined; the answer is near the top */
#define MAX_CLASSIFIED 2000 /* longer lines are text or quote, nothing else */
#define MAX_OWN_LINES                                                          \
	400 /* own lines kept: far more than an answer, and                    \
	       every one costs a look at the quote rows */

struct line {
	const char *p;
	size_t len;
	enum quote_kind kind;
	bool known; /* kind computed */
	bool blank;
};

struct lines {
	struct line *v;
	size_t n;
	struct rules_run *run;
	struct buf folded; /* scratch */
};

static bool
is_blank(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return false;
	return true;
}

/* a line starting (after blanks) with ">": quoted, at any length */
static bool
starts_quoted(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && (p[i] == ' ' || p[i] == '\t'); i++)
		;
	return i < n && p[i] == '>';
}

static void
split_lines(const char *text, size_t len, struct lines *ls)
{
	const char *p = text, *end = text + len, *eol;
	size_t cap = 0, l;

	while (p < end && ls->n < MAX_LINES) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		l = (size_t)(eol - p);
		if (l > 0 && p[l - 1] == '\r')
			l--;
		if (ls->n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((ls->v = realloc(ls->v, cap * sizeof *ls->v)) ==
			    NULL)
				abort();
		}
		memset(&ls->v[ls->n], 0, sizeof ls->v[ls->n]);
		ls->v[ls->n].p = p;
		ls->v[ls->n].len = l;
		ls->v[ls->n].blank = is_blank(p, l);
		ls->n++;
		p = eol + 1;
	}
}

/* the kind of line i, classified on first use */
static enum quote_kind
kind_of(struct lines *ls, size_t i)
{
	struct line *l = &ls->v[i];

	if (l->known)
		return l->kind;
	l->known = true;
	l->kind = QUOTE_NONE;
	if (l->blank)
		return l->kind;
	if (starts_quoted(l->p, l->len))
		l->kind = QUOTE_LINE;
	else if (l->len < MAX_CLASSIFIED) {
		buf_reset(&ls->folded);
		reply_fold(l->p, l->len, &ls->folded);
		l->kind = reply_quote_kind(
		    ls->run, buf_cstr(&ls->folded), ls->folded.len);
	}
	return l->kind;
}

/* the next non-blank line after i, or n */
static size_t
next_nonblank(const struct lines *ls, size_t i)
{
	for (i++; i < ls->n && ls->v[i].blank; i++)
		;
	return i;
}

/* the kinds of the lines ahead of an attribution: is it followed by a
 * "> " quote (drop it) or by an unprefixed one (cut)? */
static bool
quote_follows(struct lines *ls, size_t i)
{
	size_t k = next_nonblank(ls, i);

	return k < ls->n && kind_of(ls, k) == QUOTE_LINE;
}

void
reply_own_words(
    struct rules_run *run, const char *text, size_t len, struct buf *out)
{
	struct lines ls;
	struct buf own = BUF_INIT;
	size_t i, k, start, end_len, last_start = 0, last_index = 0;
	size_t kept_lines = 0;
	bool cut = false, kept = false;

	memset(&ls, 0, sizeof ls);
	ls.run = run;
	split_lines(text, len, &ls);
	for (i = 0; i < ls.n && !cut && own.len <= REPLY_MAX_TEXT &&
	            kept_lines < MAX_OWN_LINES;
	     i++) {
		switch (kind_of(&ls, i)) {
		case QUOTE_LINE:
		case QUOTE_OURS: continue;
		case QUOTE_CUT: cut = true; continue;
		case QUOTE_ATTRIBUTION_START:
			/* "W dniu 24.11.2025 o 10:15, Urząd <…>" + "pisze:" */
			if (i + 1 < ls.n &&
			    kind_of(&ls, i + 1) == QUOTE_ATTRIBUTION) {
				if (quote_follows(&ls, i + 1))
					i++; /* drop both lines */
				else
					cut = true;
				continue;
			}
			break;
		case QUOTE_ATTRIBUTION:
			/* a wrapped attribution ("pon., 24 lis 2025 o 10:15
			 * Urząd Miasta <…>" + "napisał(a):"): its first half
			 * was taken for own words, take it back */
			if (kept && last_index + 1 == i && ls.v[i].len < 24)
				own.len = last_start;
			if (!quote_follows(&ls, i))
				cut = true;
			continue;
		case QUOTE_HEADER_FROM:
			for (k = i + 1; k < ls.n && k <= i + 4; k++)
				if (kind_of(&ls, k) == QUOTE_HEADER_OTHER) {
					cut = true;
					break;
				}
			if (cut)
				continue;
			break;
		default: break;
		}
		last_start = own.len;
		last_index = i;
		kept = true;
		kept_lines++;
		buf_append(&own, ls.v[i].p, ls.v[i].len);
		buf_putc(&own, '\n');
	}
	free(ls.v);
	buf_free(&ls.folded);
	/* trim blank lines and spaces around the whole */
	start = 0;
	while (start < own.len && memchr(" \t\r\n", own.data[start], 4) != NULL)
		start++;
	end_len = own.len;
	while (end_len > start &&
	       memchr(" \t\r\n", own.data[end_len - 1], 4) != NULL)
		end_len--;
	if (end_len > start) {
		end_len = start + reply_utf8_cut(own.data + start,
		                      end_len - start, REPLY_MAX_TEXT);
		reply_utf8_sanitize(own.data + start, end_len - start, out);
	}
	buf_free(&own);
}
