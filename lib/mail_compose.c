/*
 * mail_compose.c: the RFC 5322 / MIME (RFC 2045-2049) messages wizyta sends.
 *
 * Shape: multipart/alternative (text/plain, text/html; UTF-8,
 * quoted-printable), inside multipart/mixed with a text/calendar part
 * (RFC 6047) when there is an event. Boundaries start with "=_": that pair
 * can never occur in quoted-printable or base64 output, so no body can end
 * a part early. Header words outside ASCII are RFC 2047 "B" encoded-words
 * of at most 75 characters, split only between UTF-8 characters.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mail_compose.h"
#include "token.h"

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void
base64_append(struct buf *out, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		buf_putc(out, b64[p[i] >> 2]);
		buf_putc(out, b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)]);
		buf_putc(out, b64[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)]);
		buf_putc(out, b64[p[i + 2] & 63]);
	}
	if (n - i == 1) {
		buf_putc(out, b64[p[i] >> 2]);
		buf_putc(out, b64[(p[i] & 3) << 4]);
		buf_puts(out, "==");
	} else if (n - i == 2) {
		buf_putc(out, b64[p[i] >> 2]);
		buf_putc(out, b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)]);
		buf_putc(out, b64[(p[i + 1] & 15) << 2]);
		buf_putc(out, '=');
	}
}

static bool
needs_encoding(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x7f || (unsigned char)*s < 0x20)
			return true;
	return false;
}

/*
 * encode_words: RFC 2047 (section 5, rule 3) "B" encoded-words for a
 * header value that starts at column col. Every line holding an
 * encoded-word stays within 76 characters (RFC 2047 section 2), lines are
 * folded with CRLF SP (RFC 5322 2.2.3), and a word never ends inside a
 * UTF-8 sequence (RFC 2047 section 5: each word must be decodable alone).
 * Plain ASCII is folded at blanks before column 78 (RFC 5322 2.1.1).
 * Returns the column after the last character written.
 */
static size_t
encode_words(const char *utf8, size_t col, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)utf8;
	size_t len = strlen(utf8), pos = 0;

	if (!needs_encoding(utf8)) {
		while (len - pos + col > 78) {
			size_t cut = pos + (78 - col > 1 ? 78 - col : 1);

			while (cut > pos && p[cut] != ' ')
				cut--;
			if (cut == pos) { /* one long word: next blank */
				cut = pos + 1;
				while (cut < len && p[cut] != ' ')
					cut++;
				if (cut == len)
					break;
			}
			buf_append(out, p + pos, cut - pos);
			buf_puts(out, "\r\n");
			pos = cut; /* the blank starts the next line */
			col = 0;
		}
		buf_append(out, p + pos, len - pos);
		return col + len - pos;
	}
	while (pos < len) {
		size_t room, n;

		/* 12 = strlen("=?UTF-8?B??="); 4 base64 chars per 3 octets */
		if (col + 12 + 8 > 76) {
			buf_puts(out, "\r\n ");
			col = 1;
		}
		/* an encoded-word is at most 75 characters (RFC 2047 2) */
		room = ((76 - col > 75 ? 75 : 76 - col) - 12) / 4 * 3;
		n = len - pos > room ? room : len - pos;
		while (n > 1 && pos + n < len && (p[pos + n] & 0xc0) == 0x80)
			n--;
		buf_puts(out, "=?UTF-8?B?");
		base64_append(out, p + pos, n);
		buf_puts(out, "?=");
		col += 12 + (n + 2) / 3 * 4;
		pos += n;
		if (pos < len) {
			buf_puts(out, "\r\n ");
			col = 1;
		}
	}
	return col;
}

/* mail_encode_header_words: encode_words for a value at column 0. */
void
mail_encode_header_words(const char *utf8, struct buf *out)
{
	(void)encode_words(utf8, 0, out);
}

/* A header line "Name: value" with an unstructured value (Subject). */
static void
header_unstructured(struct buf *out, const char *name, const char *value)
{
	buf_printf(out, "%s: ", name);
	(void)encode_words(value, strlen(name) + 2, out);
	buf_puts(out, "\r\n");
}

/* An address header: "Display Name <addr>" or a bare address; the display
 * name is encoded when not plain ASCII, quoted when it has specials
 * (RFC 5322 3.4, 3.2.4). */
static int
header_address(
    struct buf *out, const char *name, const char *value, struct error *err)
{
	const char *lt = strchr(value, '<');
	const char *p;
	size_t col = strlen(name) + 2;

	for (p = value; *p != '\0'; p++)
		if (*p == '\r' || *p == '\n' || (unsigned char)*p < 0x20)
			return error_set(err, ERROR_INVALID,
			    "%s: control character in address", name);
	if (lt == NULL) {
		if (needs_encoding(value))
			return error_set(
			    err, ERROR_INVALID, "%s: non-ASCII address", name);
		buf_printf(out, "%s: %s\r\n", name, value);
		return 0;
	} else {
		const char *gt = strchr(lt, '>');
		struct buf display = BUF_INIT;
		size_t n = (size_t)(lt - value), addr_len;

		if (gt == NULL || gt[1] != '\0')
			return error_set(
			    err, ERROR_INVALID, "%s: malformed address", name);
		addr_len = (size_t)(gt - lt) + 1;
		for (p = lt; p <= gt; p++)
			if ((unsigned char)*p >= 0x7f)
				return error_set(err, ERROR_INVALID,
				    "%s: non-ASCII address", name);
		while (n > 0 && value[n - 1] == ' ')
			n--;
		buf_printf(out, "%s: ", name);
		buf_append(&display, value, n);
		if (n == 0)
			;
		else if (needs_encoding(buf_cstr(&display)))
			col = encode_words(buf_cstr(&display), col, out);
		else if (strpbrk(buf_cstr(&display), "()<>[]:;@\\,.\"") !=
		         NULL) {
			buf_putc(out, '"');
			for (p = buf_cstr(&display); *p != '\0'; p++) {
				if (*p == '"' || *p == '\\')
					buf_putc(out, '\\');
				buf_putc(out, *p);
			}
			buf_putc(out, '"');
			col += n + 2;
		} else {
			buf_puts(out, buf_cstr(&display));
			col += n;
		}
		if (n > 0)
			buf_puts(out, col + 1 + addr_len > 78 ? "\r\n " : " ");
		buf_append(out, lt, addr_len);
		buf_free(&display);
	}
	buf_puts(out, "\r\n");
	return 0;
}

/* quoted_printable: RFC 2045 6.7; input lines end in \n (or \r\n), output
 * lines in CRLF, at most 76 characters, trailing blanks encoded. */
static void
quoted_printable(const char *text, struct buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)text;
	size_t col = 0;

	for (; *p != '\0'; p++) {
		unsigned char c = *p;
		char enc[4];
		size_t w;
		bool line_end = p[1] == '\n' ||
		                (p[1] == '\r' && p[2] == '\n') || p[1] == '\0';

		if (c == '\r' && p[1] == '\n')
			continue;
		if (c == '\n') {
			buf_puts(out, "\r\n");
			col = 0;
			continue;
		}
		if ((c >= 33 && c <= 126 && c != '=') ||
		    ((c == ' ' || c == '\t') && !line_end)) {
			enc[0] = (char)c;
			w = 1;
		} else {
			enc[0] = '=';
			enc[1] = hex[c >> 4];
			enc[2] = hex[c & 15];
			w = 3;
		}
		/* a soft break keeps every line within 76 with its "=" */
		if (col + w > 75) {
			buf_puts(out, "=\r\n");
			col = 0;
		}
		buf_append(out, enc, w);
		col += w;
	}
	if (col > 0)
		buf_puts(out, "\r\n");
}

static void
base64_lines(const char *data, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t len = strlen(data), pos;

	for (pos = 0; pos < len; pos += 57) {
		base64_append(out, p + pos, len - pos > 57 ? 57 : len - pos);
		buf_puts(out, "\r\n");
	}
}

static void
part_text(struct buf *out, const char *type, const char *body)
{
	buf_printf(out,
	    "Content-Type: %s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
	    type);
	quoted_printable(body, out);
}

static void
format_date(time_t t, struct buf *out)
{
	static const char *const days[] = {
	    "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	long off;

	localtime_r(&t, &tm);
	off = tm.tm_gmtoff / 60;
	buf_printf(out, "Date: %s, %d %s %d %02d:%02d:%02d %c%02ld%02ld\r\n",
	    days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
	    off < 0 ? '-' : '+', (off < 0 ? -off : off) / 60,
	    (off < 0 ? -off : off) % 60);
}

static int
check_id(const char *name, const char *id, struct error *err)
{
	const char *p;

	for (p = id; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' ||
		    (unsigned char)*p >= 0x7f)
			return error_set(
			    err, ERROR_INVALID, "%s: invalid message id", name);
	return 0;
}

/* header_references: "References: <a> <b>" from blank-separated ids, each
 * checked, folded before 78 columns (RFC 5322 3.6.4, 2.2.3); nothing for
 * NULL or "" */
static int
header_references(struct buf *out, const char *refs, struct error *err)
{
	const char *p = refs;
	size_t col = 11;
	char id[256];

	if (refs == NULL || refs[0] == '\0')
		return 0;
	buf_puts(out, "References:");
	while (*p != '\0') {
		size_t n;

		while (*p == ' ')
			p++;
		if ((n = strcspn(p, " ")) == 0)
			break;
		if (n >= sizeof id)
			return error_set(
			    err, ERROR_INVALID, "References: id too long");
		memcpy(id, p, n);
		id[n] = '\0';
		if (check_id("References", id, err) != 0)
			return -1;
		if (col > 11 && col + n + 3 > 78) {
			buf_puts(out, "\r\n");
			col = 0;
		}
		buf_printf(out, " <%s>", id);
		col += n + 3;
		p += n;
	}
	buf_puts(out, "\r\n");
	return 0;
}

int
mail_compose(const struct mail_spec *m, struct buf *out, struct error *err)
{
	char alt[40], mixed[40];
	size_t start = out->len;

	if (m->from == NULL || m->to == NULL || m->subject == NULL ||
	    m->message_id == NULL || m->text == NULL)
		return error_set(
		    err, ERROR_INTERNAL, "mail_compose: missing field");
	if (check_id("Message-ID", m->message_id, err) != 0 ||
	    (m->in_reply_to != NULL &&
	        check_id("In-Reply-To", m->in_reply_to, err) != 0))
		return -1;
	snprintf(alt, sizeof alt, "=_alt_");
	token_hex(alt + 6, 12);
	snprintf(mixed, sizeof mixed, "=_mix_");
	token_hex(mixed + 6, 12);

	format_date(m->date, out);
	if (header_address(out, "From", m->from, err) != 0 ||
	    header_address(out, "To", m->to, err) != 0 ||
	    (m->reply_to != NULL &&
	        header_address(out, "Reply-To", m->reply_to, err) != 0)) {
		out->len = start;
		return -1;
	}
	header_unstructured(out, "Subject", m->subject);
	buf_printf(out, "Message-ID: <%s>\r\n", m->message_id);
	if (m->in_reply_to != NULL && m->in_reply_to[0] != '\0')
		buf_printf(out, "In-Reply-To: <%s>\r\n", m->in_reply_to);
	if (header_references(out,
	        m->references != NULL && m->references[0] != '\0'
	            ? m->references
	            : m->in_reply_to,
	        err) != 0) {
		out->len = start;
		return -1;
	}
	/* RFC 3834: say we are automatic, so well-behaved responders stay quiet
	 */
	buf_puts(out, "Auto-Submitted: auto-generated\r\n");
	buf_puts(out, "X-Auto-Response-Suppress: All\r\n");
	buf_printf(
	    out, "Content-Language: %s\r\n", m->language ? m->language : "pl");
	buf_puts(out, "MIME-Version: 1.0\r\n");
	if (m->ics != NULL)
		buf_printf(out,
		    "Content-Type: multipart/mixed;\r\n boundary=\"%s\"\r\n\r\n"
		    "This is a MIME message.\r\n--%s\r\n",
		    mixed, mixed);
	if (m->html != NULL) {
		buf_printf(out,
		    "Content-Type: multipart/alternative;\r\n "
		    "boundary=\"%s\"\r\n\r\n",
		    alt);
		if (m->ics == NULL)
			buf_puts(out, "This is a MIME message.\r\n");
		buf_printf(out, "--%s\r\n", alt);
		part_text(out, "text/plain", m->text);
		buf_printf(out, "--%s\r\n", alt);
		part_text(out, "text/html", m->html);
		buf_printf(out, "--%s--\r\n", alt);
	} else
		part_text(out, "text/plain", m->text);
	if (m->ics != NULL) {
		const char *method = m->ics_method ? m->ics_method : "PUBLISH";

		buf_printf(out, "--%s\r\n", mixed);
		buf_printf(out,
		    "Content-Type: text/calendar; charset=UTF-8; method=%s\r\n"
		    "Content-Disposition: attachment; "
		    "filename=\"wizyta.ics\"\r\n"
		    "Content-Transfer-Encoding: base64\r\n\r\n",
		    method);
		base64_lines(m->ics, out);
		buf_printf(out, "--%s--\r\n", mixed);
	}
	return 0;
}
