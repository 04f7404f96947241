/*
 * reply_text.c: text hygiene for replies — UTF-8 validation, charset
 * conversion to UTF-8 (iconv), and the diacritic fold the rule table
 * matches against.
 *
 * Invariant: whatever comes in (any bytes, any declared charset), what
 * goes out is valid UTF-8 without NUL, so PCRE2 never sees an unchecked
 * subject. Unknown or lying charsets degrade to a guess, never to an error:
 * a citizen's "TAK" in a mislabelled mail should still be read.
 */
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "reply_internal.h"
#include "utf8.h"

bool
reply_utf8_valid(const char *p, size_t len)
{
	const unsigned char *s = (const unsigned char *)p;
	uint32_t cp;
	size_t i = 0, n;

	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &cp)) == 0)
			return false;
		i += n;
	}
	return true;
}

void
reply_utf8_sanitize(const char *p, size_t len, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)p;
	uint32_t cp;
	size_t i = 0, n, run = 0;

	/* valid text is copied in runs, not a character at a time */
	buf_reserve(out, len);
	while (i < len) {
		if (s[i] >= 0x20 && s[i] < 0x80) {
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (n > 0 &&
		    (cp >= 0x20 || cp == '\t' || cp == '\n' || cp == '\r')) {
			i += n;
			continue;
		}
		buf_append(out, s + run, i - run);
		if (n == 0) {
			buf_append(out, "\xef\xbf\xbd", 3); /* U+FFFD */
			i++;
		} else
			i += n; /* NUL and other C0 controls: dropped */
		run = i;
	}
	buf_append(out, s + run, i - run);
}

size_t
reply_utf8_cut(const char *p, size_t len, size_t max)
{
	const unsigned char *s = (const unsigned char *)p;

	if (len <= max)
		return len;
	while (max > 0 && (s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

static bool
charset_is(const char *charset, const char *name)
{
	return strcasecmp(charset, name) == 0;
}

/*
 * glibc loads a charset's converter (a shared object) on iconv_open and
 * unloads it when its last descriptor closes, so converting one mail at a
 * time would load and unload ISO-8859-2 for every mail. Holding one unused
 * descriptor per charset keeps its converter loaded; at most MAX_PINNED
 * charsets (a mailbox sees a handful), under a lock, never used for
 * converting, so threads never share a descriptor's state.
 */
#define MAX_PINNED 16

static pthread_mutex_t pinned_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	char name[40];
	iconv_t cd;
} pinned[MAX_PINNED];
static size_t npinned;

static void
pin_charset(const char *charset)
{
	size_t i;
	iconv_t cd;

	if (strlen(charset) >= sizeof pinned[0].name)
		return;
	pthread_mutex_lock(&pinned_lock);
	for (i = 0; i < npinned; i++)
		if (strcasecmp(pinned[i].name, charset) == 0)
			break;
	if (i == npinned && npinned < MAX_PINNED &&
	    (cd = iconv_open("UTF-8", charset)) != (iconv_t)-1) {
		snprintf(
		    pinned[npinned].name, sizeof pinned[0].name, "%s", charset);
		pinned[npinned].cd = cd;
		npinned++;
	}
	pthread_mutex_unlock(&pinned_lock);
}

static bool
iconv_to_utf8(const char *charset, const char *in, size_t len, struct buf *out)
{
	iconv_t cd;
	char tmp[4096];
	char *src = (char *)(uintptr_t)in, *dst;
	size_t left = len, room, rc;

	if ((cd = iconv_open("UTF-8", charset)) == (iconv_t)-1)
		return false;
	pin_charset(charset);
	while (left > 0) {
		dst = tmp;
		room = sizeof tmp;
		rc = iconv(cd, &src, &left, &dst, &room);
		buf_append(out, tmp, (size_t)(dst - tmp));
		if (rc != (size_t)-1)
			continue;
		if (errno == E2BIG)
			continue;
		/* EILSEQ or EINVAL (truncated): replace one byte, go on */
		buf_append(out, "\xef\xbf\xbd", 3);
		src++;
		left--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	dst = tmp;
	room = sizeof tmp;
	if (iconv(cd, NULL, NULL, &dst, &room) != (size_t)-1)
		buf_append(out, tmp, (size_t)(dst - tmp));
	iconv_close(cd);
	return true;
}

void
reply_charset_to_utf8(
    const char *charset, const char *in, size_t len, struct buf *out)
{
	struct buf tmp = BUF_INIT;

	/* UTF-8, US-ASCII, no label: take valid UTF-8 as it is; 8-bit text
	 * that is not UTF-8 in a Polish mailbox is nearly always
	 * windows-1250 (mislabelled Outlook/webmail output). */
	if (charset == NULL || *charset == '\0' ||
	    charset_is(charset, "utf-8") || charset_is(charset, "utf8") ||
	    charset_is(charset, "us-ascii") || charset_is(charset, "ascii") ||
	    charset_is(charset, "unknown-8bit") ||
	    charset_is(charset, "x-unknown")) {
		if (reply_utf8_valid(in, len))
			charset = "UTF-8";
		else
			charset = "WINDOWS-1250";
	} else if (charset_is(charset, "iso-8859-1") &&
	           !reply_utf8_valid(in, len)) {
		/* Polish text claiming Latin-1 is really Latin-2 / cp1250 */
		charset = "WINDOWS-1250";
	}
	if (charset_is(charset, "UTF-8") ||
	    !iconv_to_utf8(charset, in, len, &tmp)) {
		buf_reset(&tmp);
		if (!charset_is(charset, "UTF-8") && !reply_utf8_valid(in, len))
			iconv_to_utf8("WINDOWS-1250", in, len, &tmp);
		else
			buf_append(&tmp, in, len);
	}
	reply_utf8_sanitize(tmp.data ? tmp.data : "", tmp.len, out);
	buf_free(&tmp);
}

/* the fold of one code point, or NULL to copy it unchanged */
static const char *
fold_cp(uint32_t cp)
{
	switch (cp) {
	case 0x0104:
	case 0x0105: return "a";
	case 0x0106:
	case 0x0107: return "c";
	case 0x0118:
	case 0x0119: return "e";
	case 0x0141:
	case 0x0142: return "l";
	case 0x0143:
	case 0x0144: return "n";
	case 0x00d3:
	case 0x00f3: return "o";
	case 0x015a:
	case 0x015b: return "s";
	case 0x0179:
	case 0x017a:
	case 0x017b:
	case 0x017c: return "z";
	case 0x00a0:
	case 0x2007:
	case 0x202f:
	case 0x2009: return " ";
	case 0x2018:
	case 0x2019:
	case 0x02bc:
	case 0x00b4: return "'";
	case 0x201c:
	case 0x201d:
	case 0x201e: return "\"";
	case 0x2013:
	case 0x2014: return "-";
	case 0x200b:
	case 0x200c:
	case 0x200d:
	case 0xfeff: return "";
	default: return NULL;
	}
}

void
reply_fold(const char *p, size_t len, struct buf *out)
{
	const unsigned char *s = (const unsigned char *)p;
	const char *f;
	uint32_t cp;
	size_t i = 0, n, run = 0;

	/* unchanged text is copied in runs; only what folds is rewritten */
	buf_reserve(out, len);
	while (i < len) {
		if (s[i] < 0x80 && (s[i] < 'A' || s[i] > 'Z') && s[i] != 0) {
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (n > 0 && cp >= 0x80 && !(cp >= 0x0300 && cp <= 0x036f) &&
		    (f = fold_cp(cp)) == NULL) {
			i += n;
			continue;
		}
		buf_append(out, s + run, i - run);
		if (n == 0) {
			buf_append(out, "\xef\xbf\xbd", 3);
			n = 1;
		} else if (cp >= 'A' && cp <= 'Z')
			buf_putc(out, (char)(cp - 'A' + 'a'));
		else if (cp == 0 || (cp >= 0x0300 && cp <= 0x036f))
			; /* NUL; combining marks: "a\u0328" (macOS NFD) is "a"
			   */
		else
			buf_puts(out, fold_cp(cp));
		i += n;
		run = i;
	}
	buf_append(out, s + run, i - run);
}
