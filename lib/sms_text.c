/*
 * sms_text.c: what an SMS costs (3GPP TS 23.038, formerly GSM 03.38) and
 * how to keep Polish text inside the 7-bit alphabet.
 *
 * A text is GSM-7 when every character is in the default alphabet (one
 * septet) or its extension table (escape + character: two septets).
 * Otherwise it goes as UCS-2/UTF-16, counted in 16-bit units, so a
 * character outside the BMP (an emoji) costs two. A single segment holds
 * 160 septets / 70 units; a concatenated one loses 7 septets / 3 units to
 * the user data header (TS 23.040 9.2.3.24.1), leaving 153 / 67. Phones
 * never split an escape sequence or a surrogate pair across segments, so
 * segments are counted by filling them character by character.
 *
 * Invariant: sms_measure never reads past the NUL and never fails; an
 * invalid UTF-8 byte counts as one UCS-2 unit (it would be sent as U+FFFD).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sms_text.h"
#include "utf8.h"

/* The default alphabet outside printable ASCII (TS 23.038 6.2.1). */
static const uint32_t gsm7_basic_extra[] = {
    0x00A3,
    0x00A5,
    0x00E8,
    0x00E9,
    0x00F9,
    0x00EC,
    0x00F2,
    0x00C7,
    0x000A,
    0x00D8,
    0x00F8,
    0x000D,
    0x00C5,
    0x00E5,
    0x0394,
    0x03A6,
    0x0393,
    0x039B,
    0x03A9,
    0x03A0,
    0x03A8,
    0x03A3,
    0x0398,
    0x039E,
    0x00C6,
    0x00E6,
    0x00DF,
    0x00C9,
    0x00A4,
    0x00A1,
    0x00C4,
    0x00D6,
    0x00D1,
    0x00DC,
    0x00A7,
    0x00BF,
    0x00E4,
    0x00F6,
    0x00F1,
    0x00FC,
    0x00E0,
};

/* The extension table (TS 23.038 6.2.1.1): escape + one septet. */
static const uint32_t gsm7_extension[] = {
    0x000C,
    '^',
    '{',
    '}',
    '\\',
    '[',
    '~',
    ']',
    '|',
    0x20AC,
};

/* utf8_next: decode one code point; invalid input yields -1 and advances
 * one byte. */
static int32_t
utf8_next(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	uint32_t cp;
	size_t n = utf8_decode(p, strnlen((const char *)p, 4), &cp);

	if (n == 0) {
		*pp = p + 1;
		return -1;
	}
	*pp = p + n;
	return (int32_t)cp;
}

static int
in_table(const uint32_t *table, size_t n, int32_t cp)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (table[i] == (uint32_t)cp)
			return 1;
	return 0;
}

/* gsm7_septets: 1 or 2 for a GSM-7 character, 0 when there is none. */
static unsigned
gsm7_septets(int32_t cp)
{
	if (cp < 0)
		return 0;
	if (in_table(gsm7_extension,
	        sizeof gsm7_extension / sizeof gsm7_extension[0], cp))
		return 2;
	if (cp == '`')
		return 0;
	if ((cp >= 0x20 && cp <= 0x7E) ||
	    in_table(gsm7_basic_extra,
	        sizeof gsm7_basic_extra / sizeof gsm7_basic_extra[0], cp))
		return 1;
	return 0;
}

/* segments: fill parts of `per` units, never splitting one character. */
struct seg_fill {
	size_t total;
	size_t in_part;
	unsigned parts;
};

static void
seg_add(struct seg_fill *f, unsigned cost, size_t per)
{
	f->total += cost;
	if (f->in_part + cost > per) {
		f->parts++;
		f->in_part = 0;
	}
	f->in_part += cost;
}

void
sms_measure(const char *utf8, struct sms_measure *out)
{
	const unsigned char *p;
	struct seg_fill f = {0, 0, 1};
	int gsm = 1;
	int32_t cp;

	for (p = (const unsigned char *)utf8; *p != '\0';) {
		cp = utf8_next(&p);
		if (gsm7_septets(cp) == 0) {
			gsm = 0;
			break;
		}
	}
	if (gsm) {
		for (p = (const unsigned char *)utf8; *p != '\0';)
			seg_add(&f, gsm7_septets(utf8_next(&p)), 153);
		out->encoding = SMS_GSM7;
		out->units = f.total;
		out->segments = f.total <= 160 ? 1 : f.parts;
		return;
	}
	for (p = (const unsigned char *)utf8; *p != '\0';) {
		cp = utf8_next(&p);
		seg_add(&f, cp > 0xFFFF ? 2 : 1, 67);
	}
	out->encoding = SMS_UCS2;
	out->units = f.total;
	out->segments = f.total <= 70 ? 1 : f.parts;
}

/* What Polish offices' texts contain that GSM-7 lacks. */
static const struct {
	uint32_t cp;
	const char *ascii;
} sms_translit[] = {
    {0x0104, "A"},
    {0x0105, "a"}, /* Ą ą */
    {0x0106, "C"},
    {0x0107, "c"}, /* Ć ć */
    {0x0118, "E"},
    {0x0119, "e"}, /* Ę ę */
    {0x0141, "L"},
    {0x0142, "l"}, /* Ł ł */
    {0x0143, "N"},
    {0x0144, "n"}, /* Ń ń */
    {0x00D3, "O"},
    {0x00F3, "o"}, /* Ó ó */
    {0x015A, "S"},
    {0x015B, "s"}, /* Ś ś */
    {0x0179, "Z"},
    {0x017A, "z"}, /* Ź ź */
    {0x017B, "Z"},
    {0x017C, "z"}, /* Ż ż */
    {0x201E, "\""},
    {0x201D, "\""}, /* „ ” */
    {0x201C, "\""},
    {0x00AB, "\""}, /* “ « */
    {0x00BB, "\""},
    {0x201F, "\""}, /* » ‟ */
    {0x201A, "'"},
    {0x2018, "'"}, /* ‚ ‘ */
    {0x2019, "'"},
    {0x2032, "'"}, /* ’ ′ */
    {0x2039, "'"},
    {0x203A, "'"}, /* ‹ › */
    {0x2010, "-"},
    {0x2011, "-"}, /* hyphens */
    {0x2012, "-"},
    {0x2013, "-"}, /* figure dash, – */
    {0x2014, "-"},
    {0x2015, "-"}, /* — ― */
    {0x2212, "-"},
    {0x00AD, ""},    /* minus, soft hyphen */
    {0x2026, "..."}, /* … */
    {0x00A0, " "},
    {0x202F, " "}, /* no-break spaces */
    {0x2009, " "},
    {0x2007, " "}, /* thin, figure space */
    {0x2022, "-"},
    {0x00B7, "."}, /* • · */
    {'`', "'"},
};

char *
sms_transliterate(const char *utf8)
{
	struct buf b = BUF_INIT;
	const unsigned char *p, *start;
	int32_t cp;
	size_t i;

	for (p = (const unsigned char *)utf8; *p != '\0';) {
		start = p;
		cp = utf8_next(&p);
		for (i = 0; i < sizeof sms_translit / sizeof sms_translit[0];
		     i++)
			if ((int32_t)sms_translit[i].cp == cp)
				break;
		if (i < sizeof sms_translit / sizeof sms_translit[0])
			buf_puts(&b, sms_translit[i].ascii);
		else
			buf_append(&b, start, (size_t)(p - start));
	}
	return buf_steal(&b);
}
