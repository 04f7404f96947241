/* fold.c: search folding of names (fold.h). */
#include <string.h>

#include "fold.h"
#include "utf8.h"

/* the base letter of U+00C0..U+017F; '*' keeps the character (× ÷) */
static const char latin[] =
    /* U+00C0 À … U+00DF ß */
    "aaaaaaaceeeeiiiidnooooo*ouuuuyts"
    /* U+00E0 à … U+00FF ÿ */
    "aaaaaaaceeeeiiiidnooooo*ouuuuyty"
    /* U+0100 Ā … U+017F ſ (Latin Extended-A) */
    "aaaaaacccccccc"
    "dddd"
    "eeeeeeeeee"
    "gggggggg"
    "hhhh"
    "iiiiiiiiii"
    "jjjj"
    "kkk"
    "llllllllll"
    "nnnnnnn"
    "nn"
    "oooooooo"
    "rrrrrr"
    "ssssssss"
    "tttttt"
    "uuuuuuuuuuuu"
    "ww"
    "yyy"
    "zzzzzz"
    "s";

_Static_assert(sizeof latin - 1 == 0x180 - 0xC0, "one letter per code point");

void
text_fold(const char *s, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, n;
	uint32_t cp;

	while (i < len) {
		if (p[i] < 0x80) {
			unsigned char c = p[i++];

			buf_putc(
			    out, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
			continue;
		}
		if ((n = utf8_decode(p + i, len - i, &cp)) == 0) {
			i++;
			continue;
		}
		if (cp >= 0xC0 && cp < 0x180 && latin[cp - 0xC0] != '*')
			buf_putc(out, latin[cp - 0xC0]);
		else
			buf_append(out, p + i, n);
		i += n;
	}
}

void
text_fold_prefix_end(const char *prefix, struct buf *out)
{
	buf_puts(out, prefix);
	buf_puts(out, "\xf4\x8f\xbf\xbf"); /* U+10FFFF: above every letter */
}
