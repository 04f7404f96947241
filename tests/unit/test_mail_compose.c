/*
 * test_mail_compose.c: mail_compose() output parsed back with libetpan's
 * MIME parser (an independent reader), checking headers, structure,
 * decoded bodies and the line rules of RFC 5322 2.1.1, RFC 2045 6.7 and
 * RFC 2047 2 / 5.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libetpan/libetpan.h>

#include "mail_compose.h"
#include "utf8.h"

static const char subject_pl[] =
    "Potwierdź wizytę K7Q2M9PX w Urzędzie Miasta — Wydział Komunikacji, "
    "rejestracja pojazdów, żółć gęślą jaźń";
static const char text_pl[] =
    "Dzień dobry,\n"
    "prosimy o potwierdzenie wizyty: odpowiedz TAK lub NIE.\n"
    "Linia z końcową spacją \n"
    "a=b oraz długa linia, która na pewno przekroczy siedemdziesiąt sześć "
    "znaków po zakodowaniu, bo ma dużo polskich liter: ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ\n"
    ".kropka na początku\n"
    "From the office\n";
static const char html_pl[] = "<p>Dzień dobry, <b>potwierdź</b> wizytę.</p>\n";
static const char ics_text[] =
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n";

static void
spec_init(struct mail_spec *m)
{
	memset(m, 0, sizeof *m);
	m->from = "Urząd Miasta <wizyta@urzad.example>";
	m->to = "jan@example.pl";
	m->reply_to = "wizyta+K7Q2M9PX@urzad.example";
	m->subject = subject_pl;
	m->message_id = "abc.123@urzad.example";
	m->in_reply_to = "prev.1@urzad.example";
	m->language = "pl";
	m->text = text_pl;
	m->html = html_pl;
	m->date = 1796000000;
}

/* header_get: the unfolded raw value of the first header `name`, or NULL. */
static char *
header_get(const char *msg, const char *name)
{
	size_t nlen = strlen(name);
	const char *p = msg;

	while (*p != '\0' && !(p[0] == '\r' && p[1] == '\n')) {
		const char *eol = strstr(p, "\r\n");

		if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			struct buf v = BUF_INIT;
			const char *q = p + nlen + 1;

			while (*q == ' ')
				q++;
			for (;;) {
				eol = strstr(q, "\r\n");
				buf_append(&v, q, (size_t)(eol - q));
				if (eol[2] != ' ' && eol[2] != '\t')
					break;
				q = eol + 2; /* unfold: drop CRLF, keep WSP */
			}
			if (v.len > 0 &&
			    v.data[0] == ' ') { /* folded at once */
				char *t = strdup(v.data + 1);

				buf_free(&v);
				return t;
			}
			return buf_steal(&v);
		}
		p = eol + 2;
	}
	return NULL;
}

static char *
decode_words(const char *raw)
{
	size_t idx = 0;
	char *out = NULL;

	assert_int_equal(mailmime_encoded_phrase_parse(
	                     "us-ascii", raw, strlen(raw), &idx, "utf-8", &out),
	    MAILIMF_NO_ERROR);
	return out;
}

/* crlf: text with \n line ends as it comes out of QP decoding; the last
 * CRLF belongs to the boundary delimiter (RFC 2046 5.1.1). */
static char *
crlf(const char *text)
{
	struct buf b = BUF_INIT;

	for (; *text != '\0'; text++) {
		if (*text == '\n')
			buf_putc(&b, '\r');
		buf_putc(&b, *text);
	}
	if (b.len >= 2)
		b.len -= 2;
	b.data[b.len] = '\0';
	return buf_steal(&b);
}

/* Every line ends in CRLF, has no bare CR/LF, header lines stay within
 * 78, body lines within 76 (QP / base64). */
static void
check_lines(const char *msg)
{
	const char *p = msg;
	bool in_header = true;

	while (*p != '\0') {
		const char *eol = strstr(p, "\r\n");
		size_t n;

		assert_non_null(eol);
		n = (size_t)(eol - p);
		assert_null(memchr(p, '\n', n));
		assert_null(memchr(p, '\r', n));
		if (n == 0)
			in_header = false;
		else if (strncmp(p, "--=_", 4) == 0 ||
		         strncmp(p, "Content-", 8) == 0)
			in_header = true; /* a part's header */
		if (in_header)
			assert_true(n <= 78);
		else
			assert_true(n <= 76);
		p = eol + 2;
	}
}

static char *
part_decoded(struct mailmime *part, size_t *len)
{
	struct mailmime_data *d = part->mm_data.mm_single;
	char *out = NULL, *copy;
	size_t idx = 0;

	assert_int_equal(part->mm_type, MAILMIME_SINGLE);
	assert_int_equal(
	    mailmime_part_parse(d->dt_data.dt_text.dt_data,
	        d->dt_data.dt_text.dt_length, &idx, d->dt_encoding, &out, len),
	    MAILIMF_NO_ERROR);
	copy = malloc(*len + 1);
	memcpy(copy, out, *len);
	copy[*len] = '\0';
	mmap_string_unref(out);
	return copy;
}

static void
check_type(struct mailmime *part, const char *sub)
{
	struct mailmime_content *ct = part->mm_content_type;

	assert_non_null(ct);
	assert_string_equal(ct->ct_subtype, sub);
}

static struct mailmime *
child(struct mailmime *mp, int i)
{
	clist *l = mp->mm_data.mm_multipart.mm_mp_list;

	assert_int_equal(mp->mm_type, MAILMIME_MULTIPLE);
	return clist_nth_data(l, i);
}

static void
test_headers(void **state)
{
	struct mail_spec m;
	struct buf out = BUF_INIT;
	struct error err;
	char *v, *d;

	(void)state;
	spec_init(&m);
	assert_int_equal(mail_compose(&m, &out, &err), 0);
	check_lines(out.data);

	v = header_get(out.data, "Subject");
	d = decode_words(v);
	assert_string_equal(d, subject_pl);
	free(d);
	free(v);

	v = header_get(out.data, "From");
	assert_non_null(strstr(v, "<wizyta@urzad.example>"));
	assert_null(strchr(v, (char)0xc4)); /* no raw UTF-8 */
	d = decode_words(v);
	assert_string_equal(d, "Urząd Miasta <wizyta@urzad.example>");
	free(d);
	free(v);

	v = header_get(out.data, "Reply-To");
	assert_string_equal(v, "wizyta+K7Q2M9PX@urzad.example");
	free(v);
	v = header_get(out.data, "Message-ID");
	assert_string_equal(v, "<abc.123@urzad.example>");
	free(v);
	v = header_get(out.data, "In-Reply-To");
	assert_string_equal(v, "<prev.1@urzad.example>");
	free(v);
	v = header_get(out.data, "References");
	assert_string_equal(v, "<prev.1@urzad.example>");
	free(v);
	v = header_get(out.data, "Auto-Submitted");
	assert_string_equal(v, "auto-generated");
	free(v);
	v = header_get(out.data, "MIME-Version");
	assert_string_equal(v, "1.0");
	free(v);
	v = header_get(out.data, "Content-Language");
	assert_string_equal(v, "pl");
	free(v);
	v = header_get(out.data, "Date"); /* RFC 5322 3.3 */
	assert_non_null(v);
	assert_true(strlen(v) >= 29);
	assert_int_equal(v[3], ',');
	assert_true(v[strlen(v) - 5] == '+' || v[strlen(v) - 5] == '-');
	free(v);
	buf_free(&out);
}

/* Each encoded-word must decode to whole UTF-8 characters by itself. */
static void
test_words_never_split_utf8(void **state)
{
	const char *samples[] = {subject_pl, "ż", "aż", "ążćęłńóśź",
	    "Zażółć gęślą jaźń Zażółć gęślą jaźń Zażółć gęślą jaźń "
	    "😀😀😀😀😀😀😀😀😀😀😀"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		struct buf out = BUF_INIT;
		const char *p;

		/* a value at column 0: lines of at most 76 */
		mail_encode_header_words(samples[i], &out);
		buf_puts(&out, "\r\n");
		check_lines(out.data);
		for (p = out.data; (p = strstr(p, "=?UTF-8?B?")) != NULL;) {
			const char *end = strstr(p + 10, "?=");
			char *dec = NULL;
			size_t idx = 0, dlen = 0;

			assert_non_null(end);
			assert_true(end + 2 - p <= 75);
			assert_int_equal(
			    mailmime_base64_body_parse(p + 10,
			        (size_t)(end - p - 10), &idx, &dec, &dlen),
			    0);
			assert_true(utf8_valid(dec, dlen));
			mmap_string_unref(dec);
			p = end + 2;
		}
		{
			struct buf u = BUF_INIT;
			char *v, *d;

			for (p = out.data; *p != '\0'; p++) /* unfold */
				if (*p != '\r' && *p != '\n')
					buf_putc(&u, *p);
			v = buf_steal(&u);
			d = decode_words(v);

			assert_string_equal(d, samples[i]);
			free(d);
			free(v);
		}
		buf_free(&out);
	}
}

static void
test_ascii_subject_folds(void **state)
{
	struct mail_spec m;
	struct buf out = BUF_INIT;
	struct error err;
	char *v;
	const char *s =
	    "Confirm your visit K7Q2M9PX at the City Office, "
	    "Department of Transport, vehicle registration desk number seven";

	(void)state;
	spec_init(&m);
	m.subject = s;
	m.in_reply_to = NULL;
	m.html = NULL;
	assert_int_equal(mail_compose(&m, &out, &err), 0);
	check_lines(out.data);
	v = header_get(out.data, "Subject");
	assert_string_equal(v, s);
	free(v);
	assert_null(header_get(out.data, "In-Reply-To"));
	assert_null(header_get(out.data, "References"));
	buf_free(&out);
}

static void
test_alternative_bodies(void **state)
{
	struct mail_spec m;
	struct buf out = BUF_INIT;
	struct error err;
	struct mailmime *root, *mime, *p;
	char *body, *want;
	size_t len;

	(void)state;
	spec_init(&m);
	assert_int_equal(mail_compose(&m, &out, &err), 0);
	check_lines(out.data);
	root = NULL;
	{
		size_t idx = 0;

		assert_int_equal(
		    mailmime_parse(out.data, out.len, &idx, &root), 0);
	}
	mime = root->mm_data.mm_message.mm_msg_mime;
	check_type(mime, "alternative");
	p = child(mime, 0);
	check_type(p, "plain");
	assert_string_equal(
	    mailmime_content_charset_get(p->mm_content_type), "UTF-8");
	assert_int_equal(p->mm_data.mm_single->dt_encoding,
	    MAILMIME_MECHANISM_QUOTED_PRINTABLE);
	body = part_decoded(p, &len);
	want = crlf(text_pl);
	assert_string_equal(body, want);
	free(body);
	free(want);
	p = child(mime, 1);
	check_type(p, "html");
	body = part_decoded(p, &len);
	want = crlf(html_pl);
	assert_string_equal(body, want);
	free(body);
	free(want);
	/* RFC 2045 6.7 (3): a blank at a line end is encoded */
	assert_non_null(strstr(out.data, "spacj=C4=85=20\r\n"));
	assert_non_null(strstr(out.data, "a=3Db"));
	mailmime_free(root);
	buf_free(&out);
}

static void
test_calendar_part(void **state)
{
	struct mail_spec m;
	struct buf out = BUF_INIT;
	struct error err;
	struct mailmime *root, *mime, *p;
	size_t idx = 0, len;
	char *body;

	(void)state;
	spec_init(&m);
	m.ics = ics_text;
	m.ics_method = "CANCEL";
	assert_int_equal(mail_compose(&m, &out, &err), 0);
	check_lines(out.data);
	assert_int_equal(mailmime_parse(out.data, out.len, &idx, &root), 0);
	mime = root->mm_data.mm_message.mm_msg_mime;
	check_type(mime, "mixed");
	check_type(child(mime, 0), "alternative");
	check_type(child(child(mime, 0), 0), "plain");
	check_type(child(child(mime, 0), 1), "html");
	p = child(mime, 1);
	check_type(p, "calendar");
	assert_string_equal(
	    mailmime_content_param_get(p->mm_content_type, "method"), "CANCEL");
	assert_string_equal(
	    mailmime_content_charset_get(p->mm_content_type), "UTF-8");
	assert_non_null(strstr(out.data,
	    "Content-Disposition: attachment; filename=\"wizyta.ics\""));
	body = part_decoded(p, &len);
	assert_string_equal(body, ics_text);
	free(body);
	mailmime_free(root);
	buf_free(&out);
}

/* Boundaries are random and cannot occur inside QP / base64 content. */
static void
test_boundaries(void **state)
{
	struct mail_spec m;
	struct buf a = BUF_INIT, b = BUF_INIT;
	struct error err;
	char *ca, *cb, *ba, *bb;
	const char *p;
	int n = 0;

	(void)state;
	spec_init(&m);
	m.ics = ics_text;
	m.ics_method = "REQUEST";
	m.text = "--=_ boundary look-alike\n=_alt_ =_mix_\n";
	assert_int_equal(mail_compose(&m, &a, &err), 0);
	assert_int_equal(mail_compose(&m, &b, &err), 0);
	ca = header_get(a.data, "Content-Type");
	cb = header_get(b.data, "Content-Type");
	assert_string_not_equal(ca, cb);
	ba = strstr(ca, "boundary=\"") + 10;
	bb = strchr(ba, '"');
	*bb = '\0';
	/* the boundary appears only as delimiter lines: preamble/start/end */
	for (p = a.data; (p = strstr(p, ba)) != NULL; p++)
		n++;
	assert_int_equal(n, 1 + 2 + 1); /* header, 2 parts, close */
	free(ca);
	free(cb);
	buf_free(&a);
	buf_free(&b);
}

static void
test_rejects_header_injection(void **state)
{
	struct mail_spec m;
	struct buf out = BUF_INIT;
	struct error err;

	(void)state;
	spec_init(&m);
	m.to = "jan@example.pl\r\nBcc: x@example.pl";
	assert_int_equal(mail_compose(&m, &out, &err), -1);
	spec_init(&m);
	m.message_id = "a b@c";
	assert_int_equal(mail_compose(&m, &out, &err), -1);
	spec_init(&m);
	m.subject = "Hi\r\nBcc: x@example.pl";
	buf_reset(&out);
	assert_int_equal(mail_compose(&m, &out, &err), 0);
	assert_null(header_get(out.data, "Bcc"));
	buf_free(&out);
}

/* A later message of a conversation: In-Reply-To the message it answers,
 * References the whole chain, folded within 78 columns; an id that could
 * break the header is refused. */
static void
test_references(void **state)
{
	struct mail_spec m;
	struct buf out = BUF_INIT;
	struct error err;
	char *v;

	(void)state;
	spec_init(&m);
	m.in_reply_to = "c1.client@mail.example";
	m.references =
	    "0123456789abcdef.K7Q2M9PX@urzad.example"
	    " c1.client@mail.example 0123456789abcdef.K7Q2M9P2@urzad.example";
	error_clear(&err);
	assert_int_equal(mail_compose(&m, &out, &err), 0);
	check_lines(out.data);
	v = header_get(out.data, "In-Reply-To");
	assert_string_equal(v, "<c1.client@mail.example>");
	free(v);
	v = header_get(out.data, "References");
	assert_string_equal(v, "<0123456789abcdef.K7Q2M9PX@urzad.example> "
	                       "<c1.client@mail.example> "
	                       "<0123456789abcdef.K7Q2M9P2@urzad.example>");
	free(v);
	/* without a chain, References repeats In-Reply-To (RFC 5322 3.6.4) */
	buf_reset(&out);
	m.references = NULL;
	assert_int_equal(mail_compose(&m, &out, &err), 0);
	v = header_get(out.data, "References");
	assert_string_equal(v, "<c1.client@mail.example>");
	free(v);
	/* nothing to thread to: neither header */
	buf_reset(&out);
	m.in_reply_to = NULL;
	assert_int_equal(mail_compose(&m, &out, &err), 0);
	assert_null(header_get(out.data, "References"));
	assert_null(header_get(out.data, "In-Reply-To"));
	buf_reset(&out);
	m.references = "a@b\r\nBcc: x@example.pl";
	assert_int_equal(mail_compose(&m, &out, &err), -1);
	assert_int_equal(out.len, 0);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_references),
	    cmocka_unit_test(test_headers),
	    cmocka_unit_test(test_words_never_split_utf8),
	    cmocka_unit_test(test_ascii_subject_folds),
	    cmocka_unit_test(test_alternative_bodies),
	    cmocka_unit_test(test_calendar_part),
	    cmocka_unit_test(test_boundaries),
	    cmocka_unit_test(test_rejects_header_injection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
