/*
 * reply_html.c: the text of an HTML-only reply, without what the client
 * quoted.
 *
 * A small one-pass tokenizer, not a DOM: tags are dropped, block tags
 * become line breaks, entities are decoded, white space collapses as a
 * browser would show it. Whole elements are skipped when they hold quoted
 * or invisible text: <blockquote>, <head>, <style>, <script>, <title>,
 * Gmail's class="gmail_quote" / "gmail_attr", Thunderbird's
 * "moz-cite-prefix", Yahoo's "yahoo_quoted". Outlook puts the quoted mail
 * after (not inside) id="divRplyFwdMsg" / id="appendonsend" /
 * <hr id="stopSpelling"> / OLK_SRC_BODY_SECTION, so those cut the rest.
 *
 * Invariants: linear in the input; nesting is only counted, never stored
 * on a stack; output is valid UTF-8 (input is UTF-8 already, entities are
 * encoded, stray bytes sanitised).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reply_internal.h"

static const struct {
	const char *name;
	uint32_t cp;
} entities[] = {
    {"nbsp", 0xa0},
    {"amp", '&'},
    {"lt", '<'},
    {"gt", '>'},
    {"quot", '"'},
    {"apos", '\''},
    {"shy", 0xad},
    {"copy", 0xa9},
    {"ndash", 0x2013},
    {"mdash", 0x2014},
    {"hellip", 0x2026},
    {"bdquo", 0x201e},
    {"rdquo", 0x201d},
    {"ldquo", 0x201c},
    {"rsquo", 0x2019},
    {"lsquo", 0x2018},
    {"laquo", 0xab},
    {"raquo", 0xbb},
    {"oacute", 0xf3},
    {"Oacute", 0xd3},
    {"aogon", 0x105},
    {"Aogon", 0x104},
    {"eogon", 0x119},
    {"Eogon", 0x118},
    {"cacute", 0x107},
    {"Cacute", 0x106},
    {"lstrok", 0x142},
    {"Lstrok", 0x141},
    {"nacute", 0x144},
    {"Nacute", 0x143},
    {"sacute", 0x15b},
    {"Sacute", 0x15a},
    {"zacute", 0x17a},
    {"Zacute", 0x179},
    {"zdot", 0x17c},
    {"Zdot", 0x17b},
    {"euro", 0x20ac},
    {"zwnj", 0x200c},
    {"zwj", 0x200d},
    {"ensp", 0x2002},
    {"emsp", 0x2003},
    {"thinsp", 0x2009},
};

static void
put_cp(struct buf *out, uint32_t cp)
{
	char u[4];

	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		buf_putc(out, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		buf_append(out, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		buf_append(out, u, 3);
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		buf_append(out, u, 4);
	}
}

/* decode the entity at s (just after '&'); returns bytes used or 0 */
static size_t
decode_entity(const char *s, size_t len, struct buf *out)
{
	uint32_t cp = 0;
	size_t i = 0, k, n;
	int base = 10, digits = 0;

	if (len > 0 && s[0] == '#') {
		i = 1;
		if (i < len && (s[i] == 'x' || s[i] == 'X')) {
			base = 16;
			i++;
		}
		for (; i < len && digits < 8 &&
		       (base == 16 ? isxdigit((unsigned char)s[i])
		                   : isdigit((unsigned char)s[i]));
		     i++, digits++)
			cp = cp * (uint32_t)base +
			     (uint32_t)(isdigit((unsigned char)s[i])
			                    ? s[i] - '0'
			                    : (tolower((unsigned char)s[i]) -
			                          'a' + 10));
		if (digits == 0)
			return 0;
		if (i < len && s[i] == ';')
			i++;
		put_cp(out, cp);
		return i;
	}
	for (n = 0; n < len && n < 10 && isalnum((unsigned char)s[n]); n++)
		;
	for (k = 0; k < sizeof entities / sizeof entities[0]; k++)
		if (strlen(entities[k].name) == n &&
		    strncmp(entities[k].name, s, n) == 0) {
			put_cp(out, entities[k].cp);
			return n < len && s[n] == ';' ? n + 1 : n;
		}
	return 0;
}

static bool
name_is(const char *name, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcasecmp(name, *list) == 0)
			return true;
	return false;
}

static const char *const block_tags[] = {"br", "p", "div", "tr", "li", "h1",
    "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "hr", "pre", "dt", "dd",
    "section", "article", "header", "footer", "address", NULL};
static const char *const void_tags[] = {"br", "hr", "img", "meta", "link",
    "input", "col", "area", "base", "wbr", "source", NULL};
static const char *const skip_tags[] = {"blockquote", "head", "style", "script",
    "title", "template", "xml", "o:p_never", NULL};

/* case-insensitive substring search in the attribute text */
static bool
attrs_have(const char *a, size_t n, const char *needle)
{
	size_t m = strlen(needle), i;

	for (i = 0; i + m <= n; i++)
		if (strncasecmp(a + i, needle, m) == 0)
			return true;
	return false;
}

void
reply_html_to_text(const char *html, size_t len, struct buf *out)
{
	struct buf raw = BUF_INIT;
	char name[16], skip_name[16] = "";
	const char *attrs;
	size_t i = 0, j, n, attrs_len, used;
	unsigned skip_depth = 0;
	bool closing, self_closing, space = false, pre = false;

	while (i < len) {
		if (html[i] != '<') {
			if (skip_depth > 0) {
				i++;
				continue;
			}
			if (html[i] == '&' &&
			    (used = decode_entity(
			         html + i + 1, len - i - 1, &raw)) > 0) {
				i += used + 1;
				space = false;
				continue;
			}
			if (!pre && strchr(" \t\r\n\f", html[i]) != NULL) {
				if (!space)
					buf_putc(&raw, ' ');
				space = true;
			} else {
				buf_putc(&raw, html[i]);
				space = false;
			}
			i++;
			continue;
		}
		/* comments and declarations: skipped whole */
		if (len - i >= 4 && strncmp(html + i, "<!--", 4) == 0) {
			for (j = i + 4;
			     j + 3 <= len && strncmp(html + j, "-->", 3) != 0;
			     j++)
				;
			i = j + 3 <= len ? j + 3 : len;
			continue;
		}
		j = i + 1;
		closing = j < len && html[j] == '/';
		if (closing)
			j++;
		for (n = 0; j < len && n < sizeof name - 1 &&
		            (isalnum((unsigned char)html[j]) || html[j] == ':');
		     j++)
			name[n++] = html[j];
		name[n] = '\0';
		if (n == 0 &&
		    !(j < len && (html[j] == '!' || html[j] == '?'))) {
			/* a lone "<" is text */
			if (skip_depth == 0)
				buf_putc(&raw, '<');
			i++;
			space = false;
			continue;
		}
		while (j < len &&
		       (isalnum((unsigned char)html[j]) || html[j] == ':'))
			j++; /* overlong names */
		attrs = html + j;
		/* to the end of the tag, respecting quoted attribute values */
		{
			char quote = 0;

			for (; j < len; j++) {
				if (quote) {
					if (html[j] == quote)
						quote = 0;
				} else if (html[j] == '"' || html[j] == '\'')
					quote = html[j];
				else if (html[j] == '>')
					break;
			}
		}
		attrs_len = (size_t)(html + j - attrs);
		self_closing = attrs_len > 0 && attrs[attrs_len - 1] == '/';
		i = j < len ? j + 1 : len;
		if (n == 0)
			continue; /* <!DOCTYPE …>, <?xml …?> */

		if (skip_depth > 0) {
			if (strcasecmp(name, skip_name) == 0 && !self_closing &&
			    !name_is(name, void_tags)) {
				if (closing)
					skip_depth--;
				else
					skip_depth++;
			}
			continue;
		}
		if (!closing &&
		    (attrs_have(attrs, attrs_len, "divRplyFwdMsg") ||
		        attrs_have(attrs, attrs_len, "appendonsend") ||
		        attrs_have(attrs, attrs_len, "stopSpelling") ||
		        attrs_have(attrs, attrs_len, "OLK_SRC_BODY_SECTION")))
			break;
		if (!closing && !self_closing && !name_is(name, void_tags) &&
		    (name_is(name, skip_tags) ||
		        attrs_have(attrs, attrs_len, "gmail_quote") ||
		        attrs_have(attrs, attrs_len, "gmail_attr") ||
		        attrs_have(attrs, attrs_len, "moz-cite-prefix") ||
		        attrs_have(attrs, attrs_len, "yahoo_quoted") ||
		        attrs_have(attrs, attrs_len, "type=\"cite\"") ||
		        attrs_have(attrs, attrs_len, "type=cite"))) {
			snprintf(skip_name, sizeof skip_name, "%s", name);
			skip_depth = 1;
			buf_putc(&raw, '\n');
			continue;
		}
		if (strcasecmp(name, "pre") == 0)
			pre = !closing;
		if (name_is(name, block_tags) ||
		    strcasecmp(name, "blockquote") == 0) {
			buf_putc(&raw, '\n');
			space = true;
		} else if (strcasecmp(name, "td") == 0 ||
		           strcasecmp(name, "th") == 0) {
			buf_putc(&raw, ' ');
			space = true;
		}
	}
	/* trim each line and keep at most one empty line in a row */
	{
		const char *p = raw.data ? raw.data : "", *end = p + raw.len,
		           *eol;
		struct buf clean = BUF_INIT;
		unsigned blank = 0;
		size_t a, b;

		while (p < end) {
			eol = memchr(p, '\n', (size_t)(end - p));
			if (eol == NULL)
				eol = end;
			a = 0;
			b = (size_t)(eol - p);
			while (a < b && (p[a] == ' ' || p[a] == '\t'))
				a++;
			while (b > a && (p[b - 1] == ' ' || p[b - 1] == '\t'))
				b--;
			if (a == b) {
				if (++blank == 1 && clean.len > 0)
					buf_putc(&clean, '\n');
			} else {
				blank = 0;
				buf_append(&clean, p + a, b - a);
				buf_putc(&clean, '\n');
			}
			p = eol + 1;
		}
		reply_utf8_sanitize(
		    clean.data ? clean.data : "", clean.len, out);
		buf_free(&clean);
	}
	buf_free(&raw);
}
