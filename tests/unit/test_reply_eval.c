/*
 * test_reply_eval.c: the labelled reply corpus (tests/fixtures/reply-corpus/)
 * read over both channels, with precision and recall per intent and per
 * channel and every miss listed.
 *
 * Each case is read
 *  - as an SMS, the text as it is (reply_decide), and
 *  - as four e-mail replies through the whole MIME path (reply_read_mail):
 *    top-posted, bottom-posted, interleaved and HTML-only, each quoting
 *    our own confirmation request — the real one, made by lib/notify.c and
 *    lib/mail_compose.c for a booking in a throw-away database, in the
 *    case's language; it says both TAK and NIE. The client styles (Gmail,
 *    Thunderbird, Apple Mail, Outlook) rotate from case to case.
 * Targets, per channel (TAP, so `make check` fails when one is missed):
 *  - zero wrong actions: no verdict that acts (confirm, cancel, late,
 *    reschedule, stop) other than the case's label — a confirm read as a
 *    cancel, a cancel as a confirm, any action on an unclear reply or on
 *    an autoresponder;
 *  - at least 97% of clear answers (confirm, cancel, late, reschedule,
 *    question, stop) read as labelled.
 * Figures go to the TAP log as comments; -v prints every case.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "booking.h"
#include "buf.h"
#include "config.h"
#include "log.h"
#include "office_time.h"
#include "reply.h"
#include "store.h"
#include "testdb.h"

#define TARGET_CLEAR 0.97
#define MIN_PL 500
#define MIN_EN 100
#define MIN_UNCLEAR 100

enum channel {
	CH_SMS,
	CH_MAIL_TOP,
	CH_MAIL_BOTTOM,
	CH_MAIL_INTERLEAVED,
	CH_MAIL_HTML,
	CH_COUNT
};
static const char *const channel_names[CH_COUNT] = {
    "sms", "mail-top", "mail-bottom", "mail-interleaved", "mail-html"};

struct ecase {
	char file[32];
	bool en;
	int label; /* enum reply_verdict */
	char *text;
};

struct ours {
	char reference[16];
	char message_id[200];
	struct buf subject; /* the raw (encoded) Subject value */
	struct buf text;    /* the text/plain part, decoded */
	struct buf html;    /* the inside of the HTML part's <body> */
};

static struct ecase *cases;
static size_t ncases;
static bool verbose;

static void
add_case(const char *file, bool en, int label, struct buf *text)
{
	size_t n = text->len;

	while (n > 0 && (text->data[n - 1] == '\n' || text->data[n - 1] == ' '))
		n--;
	if (n == 0)
		return;
	cases = realloc(cases, (ncases + 1) * sizeof *cases);
	if (cases == NULL)
		abort();
	snprintf(cases[ncases].file, sizeof cases[ncases].file, "%s", file);
	cases[ncases].en = en;
	cases[ncases].label = label;
	cases[ncases].text = strndup(text->data, n);
	ncases++;
}

/* one corpus file: cases separated by "%%" lines, "# " comments */
static int
load_file(const char *dir, const char *name)
{
	char path[1200], line[4096];
	const char *dot = strchr(name, '.');
	struct buf text = BUF_INIT;
	FILE *f;
	int label;

	if (dot == NULL || (label = reply_verdict_parse(dot + 1)) < 0) {
		printf("# %s: not LANGUAGE.INTENT\n", name);
		return -1;
	}
	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "# ", 2) == 0 || strcmp(line, "#\n") == 0)
			continue;
		if (strcmp(line, "%%\n") == 0) {
			add_case(
			    name, strncmp(name, "en.", 3) == 0, label, &text);
			buf_reset(&text);
			continue;
		}
		buf_puts(&text, line);
	}
	add_case(name, strncmp(name, "en.", 3) == 0, label, &text);
	buf_free(&text);
	fclose(f);
	return 0;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
load_corpus(const char *dir)
{
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;
	DIR *d;
	int rc = 0;

	if ((d = opendir(dir)) == NULL) {
		printf("# cannot open %s\n", dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.') {
			names = realloc(names, (n + 1) * sizeof *names);
			names[n++] = strdup(de->d_name);
		}
	closedir(d);
	qsort(names, n, sizeof *names, compare_names);
	for (i = 0; i < n; i++) {
		if (load_file(dir, names[i]) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

/* quoted-printable (RFC 2045 6.7) of our own mail, decoded */
static void
qp_decode(const char *p, size_t n, struct buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '=' && i + 2 < n && p[i + 1] == '\r' &&
		    p[i + 2] == '\n') {
			i += 2;
		} else if (p[i] == '=' && i + 2 < n) {
			char hex[3] = {p[i + 1], p[i + 2], 0};

			buf_putc(out, (char)strtol(hex, NULL, 16));
			i += 2;
		} else if (p[i] != '\r')
			buf_putc(out, p[i]);
	}
}

static int
mime_part(const char *mail, const char *type, struct buf *out)
{
	char marker[128];
	const char *p, *end;

	snprintf(marker, sizeof marker,
	    "Content-Type: %s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
	    type);
	if ((p = strstr(mail, marker)) == NULL)
		return -1;
	p += strlen(marker);
	if ((end = strstr(p, "\r\n--")) == NULL)
		end = p + strlen(p);
	qp_decode(p, (size_t)(end - p), out);
	return 0;
}

static int
header_value(const char *mail, const char *name, struct buf *out)
{
	const char *p = strstr(mail, name), *e;

	if (p == NULL)
		return -1;
	p += strlen(name);
	/* unfolded: continuation lines joined */
	for (;;) {
		e = strstr(p, "\r\n");
		buf_append(out, p, (size_t)(e - p));
		if (e[2] != ' ' && e[2] != '\t')
			break;
		p = e + 2;
	}
	return 0;
}

/* the confirmation request of a new booking in language lang */
static int
make_ours(struct store *s, struct config *c, const char *lang,
    const char *start, int64_t service, struct ours *o)
{
	struct outbox_message *list = NULL;
	struct booking_request r;
	struct actor citizen = actor_citizen(VIA_WEB, NULL);
	struct booking b;
	struct buf html = BUF_INIT;
	struct error err;
	const char *body, *end;
	time_t now;
	size_t n = 0, i;
	int rc = -1;

	error_clear(&err);
	memset(&r, 0, sizeof r);
	r.service_id = service;
	r.start = start;
	r.first_name = "Grzegorz";
	r.last_name = "Brzęczyszczykiewicz";
	r.email = "grzegorz@example.pl";
	r.language = lang;
	if (otime_parse("2026-12-07T09:00", &now) != 0 ||
	    booking_create(s, c, &r, &citizen, now, &b, &err) != 0 ||
	    store_outbox_list(s, "email", b.id, 10, &list, &n, &err) != 0) {
		printf("# booking: %s\n", err.msg);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (strcmp(list[i].kind, "confirm_request") != 0)
			continue;
		snprintf(o->reference, sizeof o->reference, "%s", b.reference);
		snprintf(o->message_id, sizeof o->message_id, "%s",
		    list[i].message_id);
		if (header_value(
		        list[i].payload, "\r\nSubject: ", &o->subject) != 0 ||
		    mime_part(list[i].payload, "text/plain", &o->text) != 0 ||
		    mime_part(list[i].payload, "text/html", &html) != 0)
			break;
		body = strstr(buf_cstr(&html), "<body");
		body = body != NULL ? strchr(body, '>') : NULL;
		end = strstr(buf_cstr(&html), "</body>");
		if (body == NULL || end == NULL)
			break;
		buf_append(&o->html, body + 1, (size_t)(end - body - 1));
		rc = 0;
	}
	outbox_list_free(list, n);
	buf_free(&html);
	if (rc != 0)
		printf("# no confirmation request found for %s\n", lang);
	return rc;
}

/* text with \n line ends as CRLF lines, each prefixed */
static void
put_lines(struct buf *out, const char *text, const char *prefix)
{
	const char *p = text, *eol;

	while (*p != '\0') {
		eol = strchr(p, '\n');
		if (eol == NULL)
			eol = p + strlen(p);
		buf_puts(out, prefix);
		if (prefix[0] == '>' && eol == p)
			out->len--; /* an empty quoted line is ">" */
		buf_append(out, p, (size_t)(eol - p));
		buf_puts(out, "\r\n");
		p = *eol != '\0' ? eol + 1 : eol;
	}
}

static void
put_html_text(struct buf *out, const char *text)
{
	const char *p;

	for (p = text; *p != '\0'; p++)
		switch (*p) {
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '&': buf_puts(out, "&amp;"); break;
		case '\n': buf_puts(out, "<br>\r\n"); break;
		default: buf_putc(out, *p);
		}
}

/* the attribution line of client style k before a "> " quote */
static const char *
attribution(unsigned k, bool en)
{
	static const char *const pl[] = {
	    "W dniu wt., 7 gru 2026 o 09:00 Urząd Miasta "
	    "<wizyta@urzad.example> napisał(a):",
	    "W dniu 07.12.2026 o 09:00, Urząd Miasta pisze:",
	    "Wiadomość napisana przez Urząd Miasta <wizyta@urzad.example> w "
	    "dniu 7 gru 2026, o godz. 09:00:",
	    "pon., 7 gru 2026 o 09:00 Urząd Miasta <wizyta@urzad.example>\r\n"
	    "napisał(a):"};
	static const char *const en_[] = {
	    "On Mon, 7 Dec 2026 at 09:00, City Office <wizyta@urzad.example> "
	    "wrote:",
	    "On 07/12/2026 09:00, City Office wrote:",
	    "On 7 Dec 2026, at 09:00, City Office <wizyta@urzad.example> "
	    "wrote:",
	    "Mon, 7 Dec 2026 at 09:00 City Office <wizyta@urzad.example>\r\n"
	    "wrote:"};

	return (en ? en_ : pl)[k % 4];
}

static void
mail_headers(struct buf *m, const struct ours *o, size_t id, bool html)
{
	buf_printf(m,
	    "Return-Path: <obywatel@example.pl>\r\n"
	    "From: Obywatel <obywatel@example.pl>\r\n"
	    "To: Urząd Miasta <wizyta+%s@urzad.example>\r\n"
	    "Subject: Re: %s\r\n"
	    "Date: Mon, 07 Dec 2026 09:10:00 +0100\r\n"
	    "Message-ID: <eval.%zu@example.pl>\r\n"
	    "In-Reply-To: <%s>\r\n"
	    "References: <%s>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/%s; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\n",
	    o->reference, buf_cstr((struct buf *)&o->subject), id,
	    o->message_id, o->message_id, html ? "html" : "plain");
}

/* Outlook desktop: the original after a rule and a header block, not
 * quoted at all */
static void
outlook_block(struct buf *m, const struct ours *o, bool en)
{
	buf_puts(m, "________________________________\r\n");
	buf_puts(m, en ? "From: City Office <wizyta@urzad.example>\r\n"
	                 "Sent: Monday, December 7, 2026 9:00 AM\r\n"
	                 "To: obywatel@example.pl\r\n"
	                 "Subject: Please confirm your visit\r\n\r\n"
	               : "Od: Urząd Miasta <wizyta@urzad.example>\r\n"
	                 "Wysłane: poniedziałek, 7 grudnia 2026 09:00\r\n"
	                 "Do: obywatel@example.pl\r\n"
	                 "Temat: Potwierdź wizytę\r\n\r\n");
	put_lines(m, buf_cstr((struct buf *)&o->text), "");
}

static void
wrap_mail(enum channel ch, const struct ecase *c, const struct ours *o,
    size_t id, struct buf *m)
{
	const char *ours = buf_cstr((struct buf *)&o->text);
	unsigned style = (unsigned)(id % 5);
	const char *split;

	mail_headers(m, o, id, ch == CH_MAIL_HTML);
	switch (ch) {
	case CH_MAIL_TOP:
		put_lines(m, c->text, "");
		if (style == 4) {
			buf_puts(m, "\r\n");
			outlook_block(m, o, c->en);
			break;
		}
		if (style == 2)
			buf_puts(m, c->en ? "\r\nSent from my iPhone\r\n"
			                  : "\r\nWysłane z iPhone'a\r\n");
		buf_printf(m, "\r\n%s\r\n", attribution(style, c->en));
		put_lines(m, ours, "> ");
		break;
	case CH_MAIL_BOTTOM:
		buf_printf(m, "%s\r\n", attribution(style, c->en));
		put_lines(m, ours, "> ");
		buf_puts(m, "\r\n");
		put_lines(m, c->text, "");
		break;
	case CH_MAIL_INTERLEAVED:
		/* the answer right under our "reply TAK / NIE" paragraph,
		 * more of our mail quoted below it */
		if (style % 2 == 0)
			buf_puts(m, c->en ? "Answers below.\r\n\r\n"
			                  : "Odpowiadam poniżej.\r\n\r\n");
		buf_printf(m, "%s\r\n", attribution(style, c->en));
		split = strstr(ours, "/confirm?");
		split = split != NULL ? strchr(split, '\n') : NULL;
		if (split == NULL)
			split = ours + strlen(ours);
		{
			char *head = strndup(ours, (size_t)(split - ours));

			put_lines(m, head, "> ");
			free(head);
		}
		buf_puts(m, "\r\n");
		put_lines(m, c->text, "");
		buf_puts(m, "\r\n");
		put_lines(m, *split != '\0' ? split + 1 : split, "> ");
		break;
	case CH_MAIL_HTML:
		if (style % 4 == 0) { /* Gmail */
			buf_puts(m, "<div dir=\"ltr\">");
			put_html_text(m, c->text);
			buf_printf(m,
			    "</div><br><div class=\"gmail_quote\"><div "
			    "dir=\"ltr\" class=\"gmail_attr\">%s<br></div>"
			    "<blockquote class=\"gmail_quote\" "
			    "style=\"margin:0px 0px 0px 0.8ex\">%s</blockquote>"
			    "</div>\r\n",
			    attribution(0, c->en),
			    buf_cstr((struct buf *)&o->html));
		} else if (style % 4 == 1) { /* Outlook on the web */
			buf_puts(m, "<html><head><style>p{margin:0}</style>"
			            "</head><body><div style=\"font-family:"
			            "Calibri\">");
			put_html_text(m, c->text);
			buf_printf(m,
			    "</div><hr style=\"display:inline-block\" "
			    "tabindex=\"-1\"><div id=\"divRplyFwdMsg\" "
			    "dir=\"ltr\"><b>Od:</b> Urząd Miasta<br><b>Wysłane:"
			    "</b> 7 grudnia 2026 "
			    "09:00</div>%s</body></html>\r\n",
			    buf_cstr((struct buf *)&o->html));
		} else if (style % 4 == 2) { /* Apple Mail */
			buf_puts(m, "<html><body dir=\"auto\"><div>");
			put_html_text(m, c->text);
			buf_printf(m,
			    "</div><div><br><blockquote type=\"cite\">%s<br>"
			    "%s</blockquote></div></body></html>\r\n",
			    attribution(2, c->en),
			    buf_cstr((struct buf *)&o->html));
		} else { /* Thunderbird */
			buf_puts(m, "<html><body><p>");
			put_html_text(m, c->text);
			buf_printf(m,
			    "</p><div class=\"moz-cite-prefix\">%s<br></div>"
			    "<blockquote type=\"cite\" cite=\"mid:%s\">%s"
			    "</blockquote></body></html>\r\n",
			    attribution(1, c->en), o->message_id,
			    buf_cstr((struct buf *)&o->html));
		}
		break;
	default: break;
	}
}

struct counts {
	unsigned tp[REPLY_VERDICT_COUNT];  /* label v, read v */
	unsigned got[REPLY_VERDICT_COUNT]; /* read v */
	unsigned n[REPLY_VERDICT_COUNT];   /* label v */
	unsigned wrong, wrong_narrow, clear, clear_ok;
};

static bool
acts(int v)
{
	return v == REPLY_CONFIRM || v == REPLY_CANCEL || v == REPLY_LATE ||
	       v == REPLY_RESCHEDULE || v == REPLY_STOP;
}

static bool
clear_label(int v)
{
	return acts(v) || v == REPLY_QUESTION;
}

static void
flat(const char *text, char *out, size_t size)
{
	size_t i, j = 0;

	for (i = 0; text[i] != '\0' && j + 4 < size; i++)
		if (text[i] == '\n') {
			out[j++] = ' ';
			out[j++] = '/';
			out[j++] = ' ';
		} else
			out[j++] = text[i];
	out[j] = '\0';
}

/* one reading, counted; misses listed */
static void
count(struct counts *k, enum channel ch, const struct ecase *c, int got,
    const char *rules, bool show)
{
	bool wrong = acts(got) && got != c->label;
	char shown[300];

	k->n[c->label]++;
	k->got[got]++;
	if (got == c->label)
		k->tp[got]++;
	if (wrong)
		k->wrong++;
	/* the issue's own measure: confirm read as cancel or back, or any
	 * action on what must stay unclear (or an autoresponder) */
	if ((c->label == REPLY_CONFIRM && got == REPLY_CANCEL) ||
	    (c->label == REPLY_CANCEL && got == REPLY_CONFIRM) ||
	    ((c->label == REPLY_UNCLEAR || c->label == REPLY_AUTO) &&
	        acts(got)))
		k->wrong_narrow++;
	if (clear_label(c->label)) {
		k->clear++;
		if (got == c->label)
			k->clear_ok++;
	}
	if (show && (got != c->label || verbose)) {
		flat(c->text, shown, sizeof shown);
		printf("# %s %-7s %s %s -> %s: \"%s\" [%s]\n",
		    got == c->label ? "  "
		    : wrong         ? "!!"
		                    : "--",
		    channel_names[ch], c->file, reply_verdict_name(c->label),
		    reply_verdict_name(got), shown, rules);
	}
}

static void
report(const char *title, const struct counts *k)
{
	int v;

	printf("# %s: %u cases; clear answers read %u/%u (%.1f%%); wrong "
	       "actions %u (confirm<->cancel or acting on unclear/auto: %u)\n",
	    title, k->clear + k->n[REPLY_UNCLEAR] + k->n[REPLY_AUTO],
	    k->clear_ok, k->clear,
	    k->clear ? 100.0 * k->clear_ok / k->clear : 100.0, k->wrong,
	    k->wrong_narrow);
	printf("#   %-11s %6s %9s %7s\n", "intent", "cases", "precision",
	    "recall");
	for (v = 0; v < REPLY_VERDICT_COUNT; v++) {
		if (k->n[v] == 0 && k->got[v] == 0)
			continue;
		printf("#   %-11s %6u %8.1f%% %6.1f%%\n", reply_verdict_name(v),
		    k->n[v], k->got[v] ? 100.0 * k->tp[v] / k->got[v] : 100.0,
		    k->n[v] ? 100.0 * k->tp[v] / k->n[v] : 100.0);
	}
}

static int
setup_office(struct store **s, struct config **c, int64_t *service, char *dir,
    size_t dsize, char *path, size_t psize)
{
	struct error err;
	int64_t desk;
	int from, to;

	error_clear(&err);
	log_init("test_reply_eval", LOG_LEVEL_WARN);
	if (otime_init("Europe/Warsaw", &err) != 0 ||
	    testdb_make("eval", dir, dsize, path, psize) != 0 ||
	    (*s = store_open(path, &err)) == NULL ||
	    store_migrate(*s, &from, &to, &err) != 0 ||
	    testdb_catalog(*s, service, &desk, &err) != 0) {
		printf("# setup: %s\n", err.msg);
		return -1;
	}
	*c = config_defaults();
	return 0;
}

int
main(int argc, char **argv)
{
	const char *top = getenv("top_srcdir");
	struct counts per[CH_COUNT], all_mail;
	struct ours ours[2];
	struct store *s = NULL;
	struct config *c = NULL;
	char dir[128], path[256], corpus[1024];
	int64_t service;
	unsigned pl = 0, en = 0, unclear = 0, test = 0;
	size_t i;
	int ch, failed = 0;

	verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
	printf("1..%d\n", 2 * CH_COUNT + 1);
	snprintf(corpus, sizeof corpus, "%s/tests/fixtures/reply-corpus",
	    top != NULL ? top : ".");
	memset(ours, 0, sizeof ours);
	memset(per, 0, sizeof per);
	memset(&all_mail, 0, sizeof all_mail);
	if (load_corpus(corpus) != 0 ||
	    setup_office(
	        &s, &c, &service, dir, sizeof dir, path, sizeof path) != 0 ||
	    make_ours(s, c, "pl", "2026-12-08T12:00", service, &ours[0]) != 0 ||
	    make_ours(s, c, "en", "2026-12-08T12:15", service, &ours[1]) != 0) {
		printf("Bail out! cannot set up the evaluation\n");
		return 1;
	}
	for (i = 0; i < ncases; i++) {
		const struct ecase *k = &cases[i];
		struct reply_decision d;

		k->en ? en++ : pl++;
		if (k->label == REPLY_UNCLEAR)
			unclear++;
		reply_decide(k->text, strlen(k->text), &d);
		count(&per[CH_SMS], CH_SMS, k, d.verdict, d.rules, true);
		for (ch = CH_MAIL_TOP; ch < CH_COUNT; ch++) {
			struct buf m = BUF_INIT;
			struct reply_reading r;
			struct error err;
			int got = REPLY_UNCLEAR;

			wrap_mail((enum channel)ch, k, &ours[k->en], i, &m);
			if (reply_read_mail(
			        m.data, m.len, "wizyta", &r, &err) == 0) {
				got = r.verdict;
				if (strcmp(r.reference,
				        ours[k->en].reference) != 0)
					printf("# %s: reference %s, want %s\n",
					    channel_names[ch], r.reference,
					    ours[k->en].reference);
			} else
				printf(
				    "# %s: %s\n", channel_names[ch], err.msg);
			count(
			    &per[ch], (enum channel)ch, k, got, r.rules, true);
			count(&all_mail, (enum channel)ch, k, got, "", false);
			reply_reading_free(&r);
			buf_free(&m);
		}
	}
	printf("# corpus: %u Polish, %u English, %u that must stay unclear\n",
	    pl, en, unclear);
	for (ch = 0; ch < CH_COUNT; ch++)
		report(channel_names[ch], &per[ch]);
	report("e-mail (all four)", &all_mail);
	printf("%s %u - corpus size: >= %d Polish, >= %d English, >= %d "
	       "unclear\n",
	    pl >= MIN_PL && en >= MIN_EN && unclear >= MIN_UNCLEAR ? "ok"
	                                                           : "not ok",
	    ++test, MIN_PL, MIN_EN, MIN_UNCLEAR);
	failed += !(pl >= MIN_PL && en >= MIN_EN && unclear >= MIN_UNCLEAR);
	for (ch = 0; ch < CH_COUNT; ch++) {
		const struct counts *k = &per[ch];
		bool ok_wrong = k->wrong == 0;
		bool ok_clear = k->clear_ok >= TARGET_CLEAR * k->clear;

		printf("%s %u - %s: zero wrong actions (%u)\n",
		    ok_wrong ? "ok" : "not ok", ++test, channel_names[ch],
		    k->wrong);
		printf("%s %u - %s: >= 97%% of clear answers read (%.1f%%)\n",
		    ok_clear ? "ok" : "not ok", ++test, channel_names[ch],
		    k->clear ? 100.0 * k->clear_ok / k->clear : 100.0);
		failed += !ok_wrong + !ok_clear;
	}
	for (i = 0; i < 2; i++) {
		buf_free(&ours[i].subject);
		buf_free(&ours[i].text);
		buf_free(&ours[i].html);
	}
	for (i = 0; i < ncases; i++)
		free(cases[i].text);
	free(cases);
	store_close(s);
	config_free(c);
	testdb_remove(dir, path);
	return failed > 0;
}
