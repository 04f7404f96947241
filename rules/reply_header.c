/*
 * reply_header.c: reading RFC 5322 header fields straight from the raw
 * bytes — the fields libetpan's MIME tree does not carry in a form we need
 * (Delivered-To, X-Original-To, Auto-Submitted, Precedence, Return-Path,
 * the fields of a DSN, a returned message's Message-ID).
 *
 * Invariants: work is linear in the header length; values are unfolded
 * (RFC 5322 section 2.2.3: CRLF followed by WSP is removed) and capped at
 * MAX_VALUE bytes; nothing here allocates except the caller's buf.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "reply_internal.h"

#define MAX_VALUE (16u * 1024)

size_t
reply_header_end(const char *raw, size_t len, size_t *body)
{
	size_t i = 0, eol;

	/* the header ends at the first empty line (RFC 5322 section 2.1) */
	while (i < len) {
		const char *nl = memchr(raw + i, '\n', len - i);

		eol = nl == NULL ? len : (size_t)(nl - raw);
		if (eol == i || (eol == i + 1 && raw[i] == '\r')) {
			*body = eol < len ? eol + 1 : len;
			return i;
		}
		i = eol < len ? eol + 1 : len;
	}
	*body = len;
	return len;
}

bool
reply_header_get(const char *hdr, size_t len, const char *name, unsigned nth,
    struct buf *value)
{
	size_t nlen = strlen(name), i = 0, eol, j;
	const char *nl;
	bool found = false;

	buf_reset(value);
	while (i < len) {
		nl = memchr(hdr + i, '\n', len - i);
		eol = nl == NULL ? len : (size_t)(nl - hdr);
		if (found) {
			/* a continuation line belongs to the field */
			if (hdr[i] != ' ' && hdr[i] != '\t')
				break;
			j = eol;
			if (j > i && hdr[j - 1] == '\r')
				j--;
			if (value->len + (j - i) <= MAX_VALUE)
				buf_append(value, hdr + i, j - i);
		} else if (eol - i > nlen &&
		           strncasecmp(hdr + i, name, nlen) == 0) {
			j = i + nlen;
			while (j < eol && (hdr[j] == ' ' || hdr[j] == '\t'))
				j++;
			if (j < eol && hdr[j] == ':') {
				if (nth == 0) {
					size_t e = eol;

					if (e > j + 1 && hdr[e - 1] == '\r')
						e--;
					found = true;
					if (e - (j + 1) <= MAX_VALUE)
						buf_append(value, hdr + j + 1,
						    e - (j + 1));
				} else
					nth--;
			}
		}
		i = eol < len ? eol + 1 : len;
	}
	if (!found)
		return false;
	buf_reserve(value, 0); /* an empty value is "", never NULL */
	/* trim */
	i = 0;
	while (i < value->len && isspace((unsigned char)value->data[i]))
		i++;
	j = value->len;
	while (j > i && isspace((unsigned char)value->data[j - 1]))
		j--;
	memmove(value->data, value->data + i, j - i);
	value->len = j - i;
	value->data[value->len] = '\0';
	return true;
}

static void
copy_trimmed(const char *p, size_t n, char *out, size_t size)
{
	while (n > 0 && isspace((unsigned char)*p)) {
		p++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)p[n - 1]))
		n--;
	if (n >= size)
		n = 0; /* an address this long is not one */
	memcpy(out, p, n);
	out[n] = '\0';
}

void
reply_header_address(const char *value, char *out, size_t size)
{
	const char *lt, *gt, *at, *s, *e;

	out[0] = '\0';
	/* name-addr: the last "<…@…>" (RFC 5322 section 3.4) */
	for (s = value; (lt = strchr(s, '<')) != NULL; s = lt + 1) {
		gt = strchr(lt + 1, '>');
		if (gt == NULL)
			break;
		at = memchr(lt + 1, '@', (size_t)(gt - lt - 1));
		if (at != NULL)
			copy_trimmed(lt + 1, (size_t)(gt - lt - 1), out, size);
	}
	if (out[0] != '\0')
		return;
	/* addr-spec: the first word holding an "@" */
	if ((at = strchr(value, '@')) == NULL)
		return;
	for (s = at; s > value && strchr(" \t\r\n,;:<\"(", s[-1]) == NULL; s--)
		;
	for (e = at; *e != '\0' && strchr(" \t\r\n,;>\")", *e) == NULL; e++)
		;
	copy_trimmed(s, (size_t)(e - s), out, size);
}

size_t
reply_header_msgids(const char *value, char ids[][256], size_t max)
{
	const char *lt, *gt, *s = value;
	size_t n = 0, l;

	while (n < max && (lt = strchr(s, '<')) != NULL) {
		if ((gt = strchr(lt + 1, '>')) == NULL)
			break;
		l = (size_t)(gt - lt - 1);
		if (l > 0 && l < 256 && memchr(lt + 1, ' ', l) == NULL) {
			memcpy(ids[n], lt + 1, l);
			ids[n][l] = '\0';
			n++;
		}
		s = gt + 1;
	}
	return n;
}
