/*
 * reply_quote.c: the citizen's own words of a plain-text reply — what is
 * left when the quoted mail, the attribution line and the signature are
 * cut away.
 *
 * Each line is folded (reply_fold) and classified by the quote rules of
 * reply_rules.c; then, top to bottom:
 *  - "> …" lines (RFC 3676 section 4.5 quoting) are dropped, wherever they
 *    are, so top-posted, bottom-posted and interleaved replies all work;
 *  - an attribution ("W dniu … napisał(a):", "On … wrote:", also split
 *    over two lines) is dropped when ">" lines follow it, and cuts the rest
 *    when they do not (the quote is not prefixed);
 *  - "-- " (RFC 3676 section 4.3), "-----Original Message-----",
 *    "-----Wiadomość oryginalna-----", an Outlook rule of underscores,
 *    "Sent from my iPhone", "Wysłane z iPhone'a", "Pobierz Outlook dla
 *    systemu iOS" … cut the rest;
 *  - an Outlook header block — "Od:"/"From:" followed within a few lines by
 *    "Wysłano:"/"Sent:"/"Do:"/"To:"/"Temat:"/"Subject:" — cuts the rest.
 * The result is trimmed and capped at REPLY_MAX_TEXT bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "reply_internal.h"

#define MAX_LINES 4000 /* lines examined; the answer is near the top */

struct line {
	const char *p;
	size_t len;
	enum quote_kind kind;
	bool blank;
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

static size_t
split_lines(const char *text, size_t len, struct line *lines, size_t max)
{
	struct buf folded = BUF_INIT;
	const char *p = text, *end = text + len, *eol;
	size_t n = 0, l;

	while (p < end && n < max) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		l = (size_t)(eol - p);
		if (l > 0 && p[l - 1] == '\r')
			l--;
		lines[n].p = p;
		lines[n].len = l;
		lines[n].blank = is_blank(p, l);
		lines[n].kind = QUOTE_NONE;
		if (!lines[n].blank && l < 2000) {
			buf_reset(&folded);
			reply_fold(p, l, &folded);
			lines[n].kind =
			    reply_quote_kind(folded.data, folded.len);
		}
		n++;
		p = eol + 1;
	}
	buf_free(&folded);
	return n;
}

/* the next non-blank line after i, or n */
static size_t
next_nonblank(const struct line *lines, size_t n, size_t i)
{
	for (i++; i < n && lines[i].blank; i++)
		;
	return i;
}

void
reply_own_words(const char *text, size_t len, struct buf *out)
{
	struct line *lines;
	struct buf own = BUF_INIT;
	size_t n, i, k, next, start, end_len, last_start = 0, last_index = 0;
	bool cut = false, kept = false;

	lines = calloc(MAX_LINES, sizeof *lines);
	if (lines == NULL)
		abort();
	n = split_lines(text, len, lines, MAX_LINES);
	for (i = 0; i < n && !cut; i++) {
		switch (lines[i].kind) {
		case QUOTE_LINE: continue;
		case QUOTE_CUT: cut = true; continue;
		case QUOTE_ATTRIBUTION_START:
			/* "W dniu 24.11.2025 o 10:15, Urząd <…>" + "pisze:" */
			next = i + 1;
			if (next < n && lines[next].kind == QUOTE_ATTRIBUTION) {
				k = next_nonblank(lines, n, next);
				if (k < n && lines[k].kind == QUOTE_LINE)
					i = next; /* drop both lines */
				else
					cut = true;
				continue;
			}
			break;
		case QUOTE_ATTRIBUTION:
			/* a wrapped attribution ("pon., 24 lis 2025 o 10:15
			 * Urząd Miasta <…>" + "napisał(a):"): its first half
			 * was taken for own words, take it back */
			if (kept && last_index + 1 == i && lines[i].len < 24)
				own.len = last_start;
			k = next_nonblank(lines, n, i);
			if (k >= n || lines[k].kind != QUOTE_LINE)
				cut = true;
			continue;
		case QUOTE_HEADER_FROM:
			for (k = i + 1; k < n && k <= i + 4; k++)
				if (lines[k].kind == QUOTE_HEADER_OTHER) {
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
		buf_append(&own, lines[i].p, lines[i].len);
		buf_putc(&own, '\n');
	}
	free(lines);
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
