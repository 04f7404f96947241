/* url.c: percent-encoding and form decoding. */
#include <string.h>

#include "url.h"

int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void
url_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~')
			buf_putc(b, (char)*p);
		else {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 15]);
		}
	}
}

static size_t
decode(char *s, size_t n, int plus_is_blank)
{
	size_t r, w = 0;
	int hi, lo;

	for (r = 0; r < n && s[r] != '\0'; r++) {
		if (s[r] == '+' && plus_is_blank)
			s[w++] = ' ';
		else if (s[r] == '%' && r + 2 < n &&
		         (hi = hex_value((unsigned char)s[r + 1])) >= 0 &&
		         (lo = hex_value((unsigned char)s[r + 2])) >= 0) {
			s[w++] = (char)(hi * 16 + lo);
			r += 2;
		} else
			s[w++] = s[r];
	}
	s[w] = '\0';
	return w;
}

size_t
url_decode(char *s, size_t n)
{
	return decode(s, n, 1);
}

size_t
url_decode_path(char *s, size_t n)
{
	return decode(s, n, 0);
}

bool
url_local_path(const char *s)
{
	const unsigned char *p;

	if (s == NULL || s[0] != '/' || s[1] == '/' || strlen(s) > 1024)
		return false;
	/* browsers read a backslash as a slash: "/\\evil" is "//evil" */
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '\\')
			return false;
	return true;
}
