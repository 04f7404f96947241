/* utf8.c: one strict UTF-8 decoder and what is built on it (see utf8.h). */
#include <string.h>

#include "utf8.h"

static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c;
	size_t n, i;

	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

bool
utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		if (p[i] != 0 && p[i] < 0x80) {
			i++; /* the common case, without the call */
			continue;
		}
		if ((n = utf8_decode(p + i, len - i, &cp)) == 0 || cp == 0)
			return false;
		i += n;
	}
	return true;
}

void
utf8_sanitize(struct buf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(p + i, len - i, &cp);
		if (n != 0 && cp != 0) {
			i += n;
			continue;
		}
		buf_append(out, s + run, i - run);
		buf_puts(out, replacement);
		run = ++i;
	}
	buf_append(out, s + run, i - run);
}

void
utf8_copy(char *dst, size_t size, const char *src)
{
	const unsigned char *p = (const unsigned char *)src;
	size_t len = strlen(src), i = 0, w = 0, n;
	uint32_t cp;

	if (size == 0)
		return;
	while (i < len) {
		const char *piece = src + i;

		if ((n = utf8_decode(p + i, len - i, &cp)) == 0) {
			piece = replacement;
			n = 3;
			i++;
		} else
			i += n;
		if (w + n >= size)
			break;
		memcpy(dst + w, piece, n);
		w += n;
	}
	dst[w] = '\0';
}

bool
utf8_text_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	while (len > 0) {
		uint32_t cp;
		size_t n = utf8_decode(p, len, &cp);

		/* C0 and C1 controls, DEL: they could smuggle header lines into
		 * a message or a log */
		if (n == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
			return false;
		p += n;
		len -= n;
	}
	return true;
}
