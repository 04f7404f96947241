/*
 * notify.c: turning a booking change into outbox rows.
 *
 * The whole message is rendered here, at the moment of the change, and
 * stored in the outbox: what the citizen receives describes the change that
 * caused it, whatever happens later, and wizytad only has to deliver bytes.
 * An SMS to a number that sent STOP, or that SMS may never go to (premium
 * rate, satellite, a country outside sms.countries: phone.h), is written as
 * "suppressed" so staff can see it was not sent.
 *
 * Threading: every e-mail after a booking's first carries In-Reply-To and
 * References to the first one's Message-ID (RFC 5322 3.6.4), so a mail
 * client shows the booking as one conversation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "email.h"
#include "ics.h"
#include "mail_compose.h"
#include "notify.h"
#include "notify_text.h"
#include "phone.h"
#include "plural.h"
#include "sms_text.h"
#include "token.h"
#include "utf8.h"

static const char *const notify_kind_names[NOTIFY_KIND_COUNT] = {
    "confirm_request",
    "access_code",
    "cancelled",
    "expired",
    "rescheduled",
    "reminder",
    "reply_help",
    "which_booking",
    "reschedule_help",
    "late_noted",
    "question_noted",
    "delay",
    "waitlist_joined",
    "waitlist_left",
    "waitlist_offer",
    "offer_declined",
    "offer_lapsed",
    "offer_gone",
    "moved",
    "move_kept",
};

const char *
notify_kind_name(enum notify_kind kind)
{
	return (unsigned)kind < NOTIFY_KIND_COUNT ? notify_kind_names[kind] : "unknown";
}

int
notify_kind_parse(const char *name, enum notify_kind *out)
{
	int i;

	for (i = 0; i < NOTIFY_KIND_COUNT; i++)
		if (strcmp(notify_kind_names[i], name) == 0) {
			*out = (enum notify_kind)i;
			return 0;
		}
	return -1;
}

static const char *const weekdays_pl[] = { "poniedziałek", "wtorek", "środa",
	"czwartek", "piątek", "sobota", "niedziela" };
static const char *const weekdays_en[] = { "Monday", "Tuesday", "Wednesday",
	"Thursday", "Friday", "Saturday", "Sunday" };
static const char *const months_pl[] = { "stycznia", "lutego", "marca", "kwietnia",
	"maja", "czerwca", "lipca", "sierpnia", "września", "października",
	"listopada", "grudnia" };
static const char *const months_en[] = { "January", "February", "March", "April",
	"May", "June", "July", "August", "September", "October", "November",
	"December" };

const char *
notify_month(int month, const char *language)
{
	unsigned i = (unsigned)(month - 1) % 12;

	return strcmp(language, "en") == 0 ? months_en[i] : months_pl[i];
}

void
notify_format_date(struct date d, const char *language, struct buf *out)
{
	bool en = strcmp(language, "en") == 0;
	unsigned weekday = (unsigned)(date_weekday(d) - 1) % 7;

	buf_printf(out, "%s, %d %s %d",
	    (en ? weekdays_en : weekdays_pl)[weekday], d.day,
	    notify_month(d.month, language), d.year);
}

void
notify_format_when(time_t t, const char *language, struct buf *out)
{
	int minute = otime_minute_of_day(t);

	notify_format_date(date_of(t), language, out);
	buf_printf(out, ", %02d:%02d", minute / 60, minute % 60);
}

void
notify_path(const struct booking *b, const char *action, struct buf *out)
{
	buf_printf(out, "/b/%s%s%s?t=%s", b->reference, action[0] ? "/" : "", action,
	    b->token);
}

void
notify_link(const struct config *c, const struct booking *b, const char *action,
    struct buf *out)
{
	const char *base = c->web_base_url;
	size_t len = strlen(base);

	while (len > 0 && base[len - 1] == '/')
		len--;
	buf_append(out, base, len);
	notify_path(b, action, out);
	if (strcmp(b->language, "en") == 0)
		buf_puts(out, "&lang=en");
}

struct notify_vars {
	const char *name[NOTIFY_VARIABLES_MAX];
	struct buf value[NOTIFY_VARIABLES_MAX];
	size_t n;
	int64_t waitlist_id; /* the outbox rows are about this entry */
};

static struct buf *
var_add(struct notify_vars *v, const char *name)
{
	v->name[v->n] = name;
	buf_init(&v->value[v->n]);
	return &v->value[v->n++];
}

/* var_find: an added variable's value, to fill it later */
static struct buf *
var_find(struct notify_vars *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->name[i], name) == 0)
			return &v->value[i];
	return var_add(v, name);
}

static void
vars_free(struct notify_vars *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		buf_free(&v->value[i]);
}

/* expand: copy text, replacing {name} by its value; unknown names stay. */
static void
expand(const char *text, struct notify_vars *v, struct buf *out)
{
	const char *p = text;

	while (*p != '\0') {
		const char *close;
		size_t i, len;

		if (*p != '{' || (close = strchr(p, '}')) == NULL) {
			buf_putc(out, *p++);
			continue;
		}
		len = (size_t)(close - p - 1);
		for (i = 0; i < v->n; i++)
			if (strlen(v->name[i]) == len && strncmp(v->name[i], p + 1, len) == 0)
				break;
		if (i == v->n) {
			buf_putc(out, *p++);
			continue;
		}
		buf_puts(out, buf_cstr(&v->value[i]));
		p = close + 1;
	}
}

/* text_to_html: the HTML part is the text part, escaped, with paragraphs
 * and links: one source of words, two presentations. */
static void
text_to_html(const char *text, const char *language, struct buf *out)
{
	const char *p = text;

	buf_printf(out, "<!DOCTYPE html>\r\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
	    "</head><body style=\"font-family:sans-serif;font-size:16px;line-height:1.5\">"
	    "<p>", language);
	while (*p != '\0') {
		if (strncmp(p, "https://", 8) == 0 || strncmp(p, "http://", 7) == 0) {
			size_t n = strcspn(p, " \n\t<>\"");

			buf_puts(out, "<a href=\"");
			buf_put_html(out, p, n);
			buf_puts(out, "\">");
			buf_put_html(out, p, n);
			buf_puts(out, "</a>");
			p += n;
		} else if (p[0] == '\n' && p[1] == '\n') {
			buf_puts(out, "</p>\r\n<p>");
			p += 2;
		} else if (p[0] == '\n') {
			buf_puts(out, "<br>\r\n");
			p++;
		} else {
			buf_put_html(out, p, 1);
			p++;
		}
	}
	buf_puts(out, "</p></body></html>\r\n");
}

/* office_lines: "Adres urzędu: …\n" and the phone and opening note, each
 * only when configured ([office] address, phone, hours) */
static void
office_lines(const struct config *c, const char *language, struct buf *out)
{
	bool en = strcmp(language, "en") == 0;

	if (c->office_address[0] != '\0')
		buf_printf(out, "%s: %s\n", en ? "Office address" : "Adres urzędu",
		    c->office_address);
	if (c->office_hours[0] != '\0')
		buf_printf(out, "%s: %s\n", en ? "Opening hours" : "Godziny otwarcia",
		    c->office_hours);
	if (c->office_phone[0] != '\0')
		buf_printf(out, "%s: %s\n", en ? "Telephone" : "Telefon", c->office_phone);
}

/* delay_vars: {delay} (minutes) and {expected} (HH:MM) of a delay notice;
 * empty for the other kinds */
static void
delay_vars(struct notify_vars *v, const struct booking *b, int64_t told)
{
	struct buf *delay = var_add(v, "delay"),
	           *expected = var_add(v, "expected");
	int minute;

	if (told <= 0)
		return;
	minute = otime_minute_of_day(b->start + (time_t)told);
	buf_printf(delay, "%lld", (long long)(told / 60));
	buf_printf(expected, "%02d:%02d", (minute / 60) % 24, minute % 60);
}

/* reason_vars: a cancellation's reason on a line of its own in each
 * language, and in an SMS cut to REASON_SMS_MAX bytes (a UTF-8 boundary) */
#define REASON_SMS_MAX 60

static void
reason_vars(struct notify_vars *v, const char *reason)
{
	struct buf *sms;
	size_t keep;

	if (reason == NULL || reason[0] == '\0') {
		var_add(v, "reason_line_pl");
		var_add(v, "reason_line_en");
		var_add(v, "reason_sms");
		return;
	}
	buf_printf(var_add(v, "reason_line_pl"), "Powód: %s\n", reason);
	buf_printf(var_add(v, "reason_line_en"), "Reason: %s\n", reason);
	sms = var_add(v, "reason_sms");
	keep = strlen(reason);
	if (keep > REASON_SMS_MAX) {
		keep = REASON_SMS_MAX;
		while (keep > 0 && ((unsigned char)reason[keep] & 0xc0) == 0x80)
			keep--;
	}
	buf_append(sms, reason, keep);
	buf_puts(sms, keep < strlen(reason) ? "... " : ". ");
}

static void
vars_fill(struct notify_vars *v, const struct config *c,
    const struct booking *b, const char *old_when, const char *reason, bool en)
{
	struct date d = date_of(b->start);
	int minute = otime_minute_of_day(b->start);
	char within[48];
	long long hold;
	const char *base = c->web_base_url;

	buf_puts(var_add(v, "office"), c->office_name);
	buf_puts(var_add(v, "service"), en && b->service_name_en[0] ?
	    b->service_name_en : b->service_name);
	notify_format_when(b->start, en ? "en" : "pl", var_add(v, "when"));
	buf_printf(var_add(v, "day"), "%02d.%02d", d.day, d.month);
	buf_printf(var_add(v, "time"), "%02d:%02d", minute / 60, minute % 60);
	buf_puts(var_add(v, "desk"), b->desk_name);
	buf_puts(var_add(v, "reference"), b->reference);
	buf_puts(var_add(v, "code"), b->access_code);
	if (b->access_code[0] != '\0') {
		buf_printf(var_add(v, "code_line_pl"), "Kod dostępu: %s\n", b->access_code);
		buf_printf(var_add(v, "code_line_en"), "Access code: %s\n", b->access_code);
		buf_printf(var_add(v, "code_sms"), "%s %s. ", en ? "Code" : "Kod",
		    b->access_code);
	} else {
		var_add(v, "code_line_pl");
		var_add(v, "code_line_en");
		var_add(v, "code_sms");
	}
	notify_link(c, b, "confirm", var_add(v, "confirm_url"));
	notify_link(c, b, "cancel", var_add(v, "cancel_url"));
	notify_link(c, b, "", var_add(v, "ticket_url"));
	notify_link(c, b, "reschedule", var_add(v, "reschedule_url"));
	buf_printf(var_add(v, "office_url"), "%s/%s", base, en ? "?lang=en" : "");
	/* the booking's own hold (what it really was given), in the two
	 * cases the texts need: "w ciągu 1 godziny", "wygaśnie za godzinę" */
	hold = b->confirm_by > b->created_at && b->created_at > 0 ?
	    (long long)(b->confirm_by - b->created_at) : (long long)c->confirm_within;
	plural_duration_case(hold, en ? "en" : "pl", PLURAL_GENITIVE, within,
	    sizeof within);
	buf_puts(var_add(v, "within_for"), within);
	plural_duration_case(hold, en ? "en" : "pl", PLURAL_ACCUSATIVE, within,
	    sizeof within);
	buf_puts(var_add(v, "within_in"), within);
	buf_puts(var_add(v, "old_when"), old_when != NULL ? old_when : "");
	/* an offer's hold ends then (the waitlist: "do godziny 10:15") */
	minute = otime_minute_of_day(b->confirm_by);
	buf_printf(var_add(v, "until"), "%02d:%02d", minute / 60, minute % 60);
	notify_format_date(d, en ? "en" : "pl", var_add(v, "date"));
	/* a waitlist entry's own (notify_waitlist fills them) */
	var_add(v, "position");
	var_add(v, "window");
	var_add(v, "leave_url");
	office_lines(c, "pl", var_add(v, "office_lines_pl"));
	office_lines(c, "en", var_add(v, "office_lines_en"));
	reason_vars(v, reason);
	/* a move of a booking still waiting for its confirmation: TAK
	 * confirms it too */
	if (b->status == BOOKING_PENDING) {
		struct buf confirm = BUF_INIT;

		notify_link(c, b, "confirm", &confirm);
		buf_printf(var_add(v, "pending_line_pl"),
		    "Rezerwacja nie jest jeszcze potwierdzona: odpowiedź TAK ją"
		    " potwierdzi (albo otwórz: %s).\n\n",
		    buf_cstr(&confirm));
		buf_printf(var_add(v, "pending_line_en"),
		    "The booking is not confirmed yet: replying YES confirms it"
		    " (or open: %s).\n\n",
		    buf_cstr(&confirm));
		buf_free(&confirm);
	} else {
		var_add(v, "pending_line_pl");
		var_add(v, "pending_line_en");
	}
}

int
notify_ics(const struct config *c, const struct booking *b, const char *method,
    time_t now, struct buf *out, struct error *err)
{
	char local[128], domain[128], attendee[256]; /* struct booking's email */
	struct buf uid = BUF_INIT, organizer = BUF_INIT, summary = BUF_INIT;
	struct buf location = BUF_INIT, description = BUF_INIT, name = BUF_INIT;
	struct ics_event ev;
	bool en = strcmp(b->language, "en") == 0;
	/* a visit that will not happen: the same answer from the mail and the
	 * site, one SEQUENCE above the last time it was on */
	bool off = strcmp(method, "CANCEL") == 0 ||
	    b->status == BOOKING_CANCELLED || b->status == BOOKING_EXPIRED;

	if (config_reply_parts(c, local, sizeof local, domain, sizeof domain) != 0)
		return error_set(err, ERROR_INVALID, "mail.reply_address is not local@domain");
	buf_printf(&uid, "%s@%s", b->reference, domain);
	buf_printf(&organizer, "%s@%s", local, domain);
	buf_printf(&summary, "%s: %s", c->office_name, en && b->service_name_en[0] ?
	    b->service_name_en : b->service_name);
	buf_puts(&location, b->desk_name);
	if (c->office_address[0] != '\0')
		buf_printf(&location, ", %s", c->office_address);
	if (b->access_code[0] != '\0' && !off)
		buf_printf(&description, "%s: %s\n", en ? "Access code" : "Kod dostępu",
		    b->access_code);
	buf_printf(&description, "%s: %s", en ? "Booking reference" : "Numer rezerwacji",
	    b->reference);
	buf_printf(&name, "%s %s", b->first_name, b->last_name);
	/* the A-label form, as on the envelope (email.h) */
	if (b->email[0] == '\0' || email_ascii(b->email, attendee, sizeof attendee, NULL) != 0)
		snprintf(attendee, sizeof attendee, "%s", b->email);
	memset(&ev, 0, sizeof ev);
	ev.uid = buf_cstr(&uid);
	ev.method = method;
	ev.sequence = b->sequence + (off ? 1 : 0);
	ev.cancelled = off;
	ev.start = b->start;
	ev.end = b->end;
	ev.stamp = now;
	ev.tzid = c->office_timezone;
	ev.summary = buf_cstr(&summary);
	ev.location = buf_cstr(&location);
	ev.description = buf_cstr(&description);
	ev.organizer = buf_cstr(&organizer);
	ev.organizer_name = c->office_name;
	ev.attendee = attendee;
	ev.attendee_name = buf_cstr(&name);
	ics_render(&ev, out);
	buf_free(&uid);
	buf_free(&organizer);
	buf_free(&summary);
	buf_free(&location);
	buf_free(&description);
	buf_free(&name);
	return 0;
}

static int
queue_email(struct store *s, const struct config *c, const struct booking *b,
    enum notify_kind kind, const char *row_kind, const struct notify_text *t,
    struct notify_vars *v, const char *in_reply_to, time_t now,
    struct error *err)
{
	struct buf subject = BUF_INIT, text = BUF_INIT, html = BUF_INIT, ics = BUF_INIT;
	struct buf reply_to = BUF_INIT, message = BUF_INIT;
	struct buf references = BUF_INIT;
	char local[128], domain[128], random[17], message_id[160], first[160];
	char to[EMAIL_MAX + 1];
	struct outbox_message m;
	struct mail_spec spec;
	bool en = strcmp(b->language, "en") == 0;
	int rc = -1;

	if (config_reply_parts(c, local, sizeof local, domain, sizeof domain) != 0)
		return error_set(err, ERROR_INVALID, "mail.reply_address is not local@domain");
	/* the A-label form: every server takes it without SMTPUTF8 (email.h) */
	if (email_ascii(b->email, to, sizeof to, err) != 0)
		return -1;
	if (store_outbox_first_message_id(s, b->id, first, sizeof first, err) !=
	    0)
		return -1;
	if (first[0] != '\0')
		buf_puts(&references, first);
	if (in_reply_to != NULL && in_reply_to[0] != '\0')
		buf_printf(&references, "%s%s", first[0] != '\0' ? " " : "",
		    in_reply_to);
	token_hex(random, 8);
	snprintf(message_id, sizeof message_id, "%s.%s@%.100s", random, b->reference,
	    domain);
	expand(t->subject, v, &subject);
	buf_printf(&subject, " [%s]", b->reference);
	expand(t->body, v, &text);
	text_to_html(buf_cstr(&text), en ? "en" : "pl", &html);
	buf_printf(&reply_to, "%s+%s@%s", local, b->reference, domain);

	memset(&spec, 0, sizeof spec);
	spec.from = c->mail_from;
	spec.to = to;
	spec.reply_to = buf_cstr(&reply_to);
	spec.subject = buf_cstr(&subject);
	spec.message_id = message_id;
	/* answering the citizen's own message: to it; otherwise to our first */
	spec.in_reply_to = in_reply_to != NULL && in_reply_to[0] != '\0'
	                       ? in_reply_to
	                   : first[0] != '\0' ? first
	                                      : NULL;
	spec.references = references.len > 0 ? buf_cstr(&references) : NULL;
	spec.language = en ? "en" : "pl";
	spec.text = buf_cstr(&text);
	spec.html = buf_cstr(&html);
	spec.date = now;
	if (kind == NOTIFY_ACCESS_CODE || kind == NOTIFY_RESCHEDULED ||
	    kind == NOTIFY_MOVED ||
	    (kind == NOTIFY_CANCELLED && b->access_code[0] != '\0')) {
		spec.ics_method = kind == NOTIFY_CANCELLED ? "CANCEL" : "REQUEST";
		if (notify_ics(c, b, spec.ics_method, now, &ics, err) != 0)
			goto out;
		spec.ics = buf_cstr(&ics);
	}
	if (mail_compose(&spec, &message, err) != 0)
		goto out;

	memset(&m, 0, sizeof m);
	m.booking_id = b->id;
	m.waitlist_id = v->waitlist_id;
	snprintf(m.channel, sizeof m.channel, "email");
	snprintf(m.kind, sizeof m.kind, "%s", row_kind);
	snprintf(m.recipient, sizeof m.recipient, "%s", to);
	snprintf(m.message_id, sizeof m.message_id, "%s", message_id);
	m.payload = message.data;
	m.payload_len = message.len;
	m.status = OUTBOX_QUEUED;
	m.created_at = now;
	m.next_attempt_at = now;
	if ((rc = store_outbox_add(s, &m, err)) == 0) {
		/* what staff read in the conversation: the subject and the text
		 * part, not the MIME message */
		struct buf said = BUF_INIT;

		buf_printf(
		    &said, "%s\n\n%s", buf_cstr(&subject), buf_cstr(&text));
		rc = store_outbox_set_text(s, m.id, buf_cstr(&said), err);
		buf_free(&said);
	}
out:
	buf_free(&subject);
	buf_free(&text);
	buf_free(&html);
	buf_free(&ics);
	buf_free(&reply_to);
	buf_free(&message);
	buf_free(&references);
	return rc;
}

/* sms_segments: what the text costs as it will be sent (channels
 * transliterate the same way: sms_text_prepare); 0 when it is UCS-2 */
static unsigned
sms_segments(const struct config *c, const char *text)
{
	struct sms_measure m;
	char *plain = c->sms_transliterate ? sms_transliterate(text) : NULL;

	sms_measure(plain != NULL ? plain : text, &m);
	free(plain);
	return m.encoding == SMS_GSM7 ? m.segments : 0;
}

/* sms_fit: expand, shortening {service} (whole characters, with "...")
 * while the text would take more than one GSM-7 segment; a long base_url
 * can still make it two. */
static void
sms_fit(const struct config *c, const char *template, struct notify_vars *v,
    struct buf *out)
{
	struct buf *service = NULL;
	size_t i, keep;

	expand(template, v, out);
	for (i = 0; i < v->n; i++)
		if (strcmp(v->name[i], "service") == 0)
			service = &v->value[i];
	if (service == NULL || strstr(template, "{service}") == NULL)
		return;
	keep = service->len;
	while (sms_segments(c, buf_cstr(out)) > 1 && keep > 8) {
		struct buf shorter = BUF_INIT, full;

		/* one character less each round, cut at a UTF-8 boundary */
		do
			keep--;
		while (keep > 0 &&
		       ((unsigned char)service->data[keep] & 0xc0) == 0x80);
		buf_append(&shorter, service->data, keep);
		while (shorter.len > 0 && shorter.data[shorter.len - 1] == ' ')
			shorter.len--;
		buf_puts(&shorter, "...");
		/* expand with the shorter name, keeping the full one */
		full = *service;
		*service = shorter;
		buf_reset(out);
		expand(template, v, out);
		*service = full;
		buf_free(&shorter);
	}
}

static int
queue_sms(struct store *s, const struct config *c, const struct booking *b,
    enum notify_kind kind, const char *row_kind, const struct notify_text *t,
    struct notify_vars *v, time_t now, struct error *err)
{
	struct outbox_message m;
	struct buf text = BUF_INIT;
	bool opted_out;
	const char *template =
	    t->sms_oneway != NULL && !config_sms_two_way(c, NULL)
	        ? t->sms_oneway
	        : t->sms;
	time_t morning;
	int rc;

	if (store_sms_optout_has(s, b->phone, &opted_out, err) != 0)
		return -1;
	sms_fit(c, template, v, &text);
	memset(&m, 0, sizeof m);
	m.booking_id = b->id;
	m.waitlist_id = v->waitlist_id;
	snprintf(m.channel, sizeof m.channel, "sms");
	snprintf(m.kind, sizeof m.kind, "%s", row_kind);
	snprintf(m.recipient, sizeof m.recipient, "%s", b->phone);
	m.payload = text.data != NULL ? text.data : (char *)"";
	m.payload_len = text.len;
	/* never to a number that said STOP, nor to a toll-fraud range */
	m.status = opted_out || phone_sms_allowed(
	                            b->phone, c->sms_countries, NULL) != 0
	               ? OUTBOX_SUPPRESSED
	               : OUTBOX_QUEUED;
	m.created_at = now;
	m.next_attempt_at = now;
	/* what can wait for the morning waits through the quiet hours */
	(void)kind;
	if (notify_kind_waits(row_kind) &&
	    notify_quiet_until(c, now, &morning)) {
		m.next_attempt_at = morning;
		/* one that would come only when the visit starts (a 2h reminder
		 * of an 8:00 visit, quiet until 8:00) is not sent at all */
		if (b->start > 0 && morning >= b->start)
			m.status = OUTBOX_SUPPRESSED;
	}
	if ((rc = store_outbox_add(s, &m, err)) == 0)
		rc = store_outbox_set_text(s, m.id, buf_cstr(&text), err);
	buf_free(&text);
	return rc;
}

/* ---- templates ------------------------------------------------------------
 */

static const char *const part_names[NOTIFY_PART_COUNT] = {
    "subject", "body", "sms", "sms_oneway"};

const char *
notify_part_name(enum notify_part part)
{
	return (unsigned)part < NOTIFY_PART_COUNT ? part_names[part] : "";
}

int
notify_part_parse(const char *name, enum notify_part *out)
{
	int i;

	for (i = 0; i < NOTIFY_PART_COUNT; i++)
		if (strcmp(part_names[i], name) == 0) {
			*out = (enum notify_part)i;
			return 0;
		}
	return -1;
}

const char *
notify_template_default(enum notify_kind kind, bool en, enum notify_part part)
{
	const struct notify_text *t;

	if ((unsigned)kind >= NOTIFY_KIND_COUNT)
		return NULL;
	t = &notify_texts[kind][en ? 1 : 0];
	switch (part) {
	case NOTIFY_PART_SUBJECT: return t->subject;
	case NOTIFY_PART_BODY: return t->body;
	case NOTIFY_PART_SMS: return t->sms;
	case NOTIFY_PART_SMS_ONEWAY: return t->sms_oneway;
	default: return NULL;
	}
}

void
notify_template_name(enum notify_kind kind, bool en, enum notify_part part,
    char *out, size_t size)
{
	snprintf(out, size, "templates.%s.%s.%s", notify_kind_name(kind),
	    en ? "en" : "pl", notify_part_name(part));
}

const char *
notify_template(const struct config *c, enum notify_kind kind, bool en,
    enum notify_part part)
{
	const char *text, *builtin = notify_template_default(kind, en, part);
	char name[96];

	if (builtin == NULL)
		return NULL;
	notify_template_name(kind, en, part, name, sizeof name);
	text = c != NULL ? config_text(c, name) : NULL;
	return text != NULL ? text : builtin;
}

/* text_for: the words in force for a kind: an admin's, else the built-in;
 * a draft's parts (the editor's preview and test) win over both */
static void
text_for(const struct config *c, enum notify_kind kind, bool en,
    const struct notify_draft *draft, struct notify_text *t)
{
	const char **part[NOTIFY_PART_COUNT] = {
	    &t->subject, &t->body, &t->sms, &t->sms_oneway};
	int i;

	for (i = 0; i < NOTIFY_PART_COUNT; i++) {
		*part[i] = notify_template(c, kind, en, (enum notify_part)i);
		if (draft != NULL && draft->part[i] != NULL && *part[i] != NULL)
			*part[i] = draft->part[i];
	}
}

/* the variables of every message: one list, the one vars_fill fills */
static size_t
variables(const char **names, size_t max)
{
	struct notify_vars v;
	struct booking b;
	struct config *c = config_defaults();
	size_t i;

	memset(&b, 0, sizeof b);
	v.n = 0;
	v.waitlist_id = 0;
	vars_fill(&v, c, &b, "", NULL, false);
	delay_vars(&v, &b, 0);
	for (i = 0; i < v.n && i < max; i++)
		names[i] = v.name[i];
	vars_free(&v);
	config_free(c);
	return i;
}

size_t
notify_variables(const char **names, size_t max)
{
	return variables(names, max);
}

static bool
is_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
	       ch == '_';
}

int
notify_template_check(enum notify_part part, const char *text,
    const char *field, struct error *err)
{
	static const size_t max[NOTIFY_PART_COUNT] = {200, 8000, 1000, 1000};
	const char *known[NOTIFY_VARIABLES_MAX], *p;
	size_t nknown = variables(known, NOTIFY_VARIABLES_MAX),
	       len = strlen(text), i;

	if (len == 0)
		return error_set_code(err, ERROR_INVALID, "template_empty",
		    field,
		    "%s: a message cannot be empty (reset it to get the"
		    " built-in text back).",
		    field);
	if (len > max[part])
		return error_set_code(err, ERROR_INVALID, "template_too_long",
		    field, "%s: at most %zu bytes.", field, max[part]);
	for (p = text; *p != '\0'; p++) {
		unsigned char ch = (unsigned char)*p;

		/* one line for a subject; lines for the rest, no other
		 * control characters */
		if ((ch < 0x20 &&
		        (ch != '\n' || part == NOTIFY_PART_SUBJECT)) ||
		    ch == 0x7f)
			return error_set_code(err, ERROR_INVALID,
			    "template_invalid", field, "%s: %s.", field,
			    part == NOTIFY_PART_SUBJECT
			        ? "one line of text without control characters"
			        : "text without control characters but line"
			          " breaks");
	}
	if (!utf8_valid(text, len))
		return error_set_code(err, ERROR_INVALID, "template_invalid",
		    field, "%s: not valid UTF-8.", field);
	/* {name}: a variable the messages know; other braces stay as typed */
	for (p = text; (p = strchr(p, '{')) != NULL; p++) {
		size_t n = 0;

		while (is_name_char(p[1 + n]))
			n++;
		if (n == 0 || p[1 + n] != '}')
			continue;
		for (i = 0; i < nknown; i++)
			if (strlen(known[i]) == n &&
			    strncmp(known[i], p + 1, n) == 0)
				break;
		if (i == nknown)
			return error_set_code(err, ERROR_INVALID,
			    "template_variable", field,
			    "%s: no such variable {%.*s}.", field, (int)n,
			    p + 1);
	}
	return 0;
}

/* ---- channels and quiet hours ---------------------------------------------
 */

enum channel_policy
notify_policy(const struct config *c, enum notify_kind kind)
{
	switch (kind) {
	case NOTIFY_CONFIRM_REQUEST: return c->channels[MESSAGE_CONFIRMATION];
	case NOTIFY_ACCESS_CODE: return c->channels[MESSAGE_ACCESS_CODE];
	case NOTIFY_REMINDER: return c->channels[MESSAGE_REMINDER];
	case NOTIFY_RESCHEDULED:
	case NOTIFY_MOVED: return c->channels[MESSAGE_RESCHEDULE];
	case NOTIFY_EXPIRED: return c->channels[MESSAGE_EXPIRY];
	case NOTIFY_CANCELLED: return c->channels[MESSAGE_CANCELLATION];
	default: return CHANNELS_BOTH;
	}
}

unsigned
notify_policy_pick(enum channel_policy policy, bool email, bool sms)
{
	switch (policy) {
	case CHANNELS_EMAIL: return email ? NOTIFY_EMAIL : 0;
	case CHANNELS_SMS: return sms ? NOTIFY_SMS : 0;
	case CHANNELS_EMAIL_FIRST:
		return email ? NOTIFY_EMAIL : sms ? NOTIFY_SMS : 0;
	case CHANNELS_SMS_FIRST:
		return sms ? NOTIFY_SMS : email ? NOTIFY_EMAIL : 0;
	default: return (email ? NOTIFY_EMAIL : 0) | (sms ? NOTIFY_SMS : 0);
	}
}

bool
notify_email_usable(const struct config *c, const struct booking *b)
{
	return b->email[0] != '\0' && strcmp(c->mail_transport, "none") != 0;
}

bool
notify_sms_usable(const struct config *c, const struct booking *b)
{
	return b->phone[0] != '\0' && strcmp(c->sms_provider, "none") != 0;
}

int
notify_channels_for(struct store *s, const struct config *c,
    enum channel_policy policy, const struct booking *b, unsigned *mask,
    struct error *err)
{
	bool sms = notify_sms_usable(c, b), opted_out = false;

	/* where the SMS is the first choice, a number that said STOP is as
	 * good as none: the e-mail goes instead. Elsewhere the SMS row is
	 * written "suppressed", so staff see it was not sent. */
	if (sms && policy == CHANNELS_SMS_FIRST &&
	    store_sms_optout_has(s, b->phone, &opted_out, err) != 0)
		return -1;
	*mask = notify_policy_pick(
	    policy, notify_email_usable(c, b), sms && !opted_out);
	return 0;
}

bool
notify_kind_waits(const char *kind)
{
	/* what the citizen did not just ask for, and what is no less true in
	 * the morning; the answers to their own actions (the confirmation
	 * request, the access code, a cancellation, the answers to replies)
	 * go at once; so does the office's move ("moved"): news the citizen
	 * has not heard, asking TAK or NIE, that may concern the next
	 * morning (held, it could come too late and be suppressed) */
	return strcmp(kind, "reminder") == 0 ||
	       strcmp(kind, "rescheduled") == 0 || strcmp(kind, "expired") == 0;
}

bool
notify_quiet_until(const struct config *c, time_t now, time_t *until)
{
	int from = c->sms_quiet.from, to = c->sms_quiet.to, minute, tries;
	struct date day = date_of(now);
	bool quiet;

	if (from < 0)
		return false;
	minute = otime_minute_of_day(now);
	quiet = from < to ? minute >= from && minute < to
	                  : minute >= from || minute < to;
	if (!quiet)
		return false;
	if (minute >= to)
		day = date_add_days(day, 1);
	/* the end of the quiet hours, office-local: a time that does not
	 * exist that day (the spring DST gap) is the first minute after it */
	for (tries = 0; tries < 120; tries++)
		if (otime_make(day, to + tries, until) == 0)
			return true;
	*until = now + 3600;
	return true;
}

int
notify_booking(struct store *s, const struct config *c, const struct booking *b,
    enum notify_kind kind, unsigned channels, const char *in_reply_to, time_t now,
    struct error *err)
{
	return notify_booking_with(
	    s, c, b, kind, channels, in_reply_to, NULL, now, err);
}

int
notify_booking_moved(struct store *s, const struct config *c, const struct booking *b,
    enum notify_kind kind, unsigned channels, const char *in_reply_to, time_t old_start,
    time_t now, struct error *err)
{
	struct notify_extra x = {.old_start = old_start};

	return notify_booking_with(
	    s, c, b, kind, channels, in_reply_to, &x, now, err);
}

int
notify_booking_delay(struct store *s, const struct config *c,
    const struct booking *b, unsigned channels, int64_t told, time_t now,
    struct error *err)
{
	struct notify_extra x = {.told = told};

	return notify_booking_with(
	    s, c, b, NOTIFY_DELAY, channels, NULL, &x, now, err);
}

int
notify_booking_with(struct store *s, const struct config *c,
    const struct booking *b, enum notify_kind kind, unsigned channels,
    const char *in_reply_to, const struct notify_extra *x, time_t now,
    struct error *err)
{
	time_t old_start = x != NULL ? x->old_start : 0;
	bool en = strcmp(b->language, "en") == 0;
	struct notify_text t;
	struct notify_vars v;
	struct buf old_when = BUF_INIT;
	int rc = 0;

	if ((unsigned)kind >= NOTIFY_KIND_COUNT)
		return error_set(err, ERROR_INTERNAL, "unknown message kind");
	if ((channels & NOTIFY_BY_POLICY) &&
	    notify_channels_for(
	        s, c, notify_policy(c, kind), b, &channels, err) != 0)
		return -1;
	text_for(c, kind, en, NULL, &t);
	if (old_start != 0)
		notify_format_when(old_start, en ? "en" : "pl", &old_when);
	v.n = 0;
	v.waitlist_id = 0;
	vars_fill(
	    &v, c, b, buf_cstr(&old_when), x != NULL ? x->reason : NULL, en);
	delay_vars(&v, b, x != NULL ? x->told : 0);
	if ((channels & NOTIFY_EMAIL) && notify_email_usable(c, b))
		rc = queue_email(s, c, b, kind, notify_kind_name(kind), &t, &v,
		    in_reply_to, now, err);
	if (rc == 0 && (channels & NOTIFY_SMS) && notify_sms_usable(c, b))
		rc = queue_sms(
		    s, c, b, kind, notify_kind_name(kind), &t, &v, now, err);
	vars_free(&v);
	buf_free(&old_when);
	return rc;
}

/* ---- previews and test messages ------------------------------------------ */

/* sample_reason: a cancellation's reason in previews and test messages,
 * so the editor shows where it goes */
static const char *
sample_reason(enum notify_kind kind, bool en)
{
	if (kind != NOTIFY_CANCELLED)
		return NULL;
	return en ? "The desk is closed that day."
	          : "Stanowisko jest tego dnia nieczynne.";
}

void
notify_sample_booking(
    const struct config *c, bool en, time_t now, struct booking *b)
{
	struct date day = date_add_days(date_of(now), 1);
	time_t start;

	/* the next weekday, 10:00 */
	while (date_weekday(day) > 5)
		day = date_add_days(day, 1);
	if (otime_make(day, 10 * 60, &start) != 0)
		start = now + 86400;
	memset(b, 0, sizeof *b);
	snprintf(b->reference, sizeof b->reference, "K7Q2M9AB3C");
	b->start = start;
	b->end = start + 15 * 60;
	b->status = BOOKING_BOOKED;
	snprintf(b->first_name, sizeof b->first_name, "Jan");
	snprintf(b->last_name, sizeof b->last_name, "Kowalski");
	snprintf(b->email, sizeof b->email, "jan.kowalski@example.pl");
	snprintf(b->phone, sizeof b->phone, "+48600700800");
	snprintf(b->language, sizeof b->language, "%s", en ? "en" : "pl");
	snprintf(b->access_code, sizeof b->access_code, "482916");
	snprintf(b->token, sizeof b->token, "0123456789abcdef");
	snprintf(b->source, sizeof b->source, "web");
	snprintf(b->service_name, sizeof b->service_name,
	    "Wydanie dowodu osobistego");
	snprintf(
	    b->service_name_en, sizeof b->service_name_en, "Identity card");
	snprintf(b->desk_name, sizeof b->desk_name, "Pokój 12 stanowisko 2");
	snprintf(b->room, sizeof b->room, "Pokój 12");
	b->created_at = now;
	b->confirm_by = now + c->confirm_within;
}

/* waitlist_vars: a waitlist entry's own variables: {position}, {window}
 * (", godz. 10:00-12:00" or nothing), {leave_url}, and {ticket_url} its
 * page (/w/REF) rather than a booking's */
static void
waitlist_vars(struct notify_vars *v, const struct config *c,
    const char *reference, const char *token, unsigned position, int from,
    int to, bool en)
{
	const char *base = c->web_base_url;
	size_t len = strlen(base);
	struct buf *url;

	buf_printf(var_find(v, "position"), "%u", position);
	if (from > 0 || to < 24 * 60)
		buf_printf(var_find(v, "window"), ", %s %02d:%02d-%02d:%02d",
		    en ? "between" : "godz.", from / 60, from % 60, to / 60,
		    to % 60);
	while (len > 0 && base[len - 1] == '/')
		len--;
	url = var_find(v, "leave_url");
	buf_append(url, base, len);
	buf_printf(
	    url, "/w/%s/leave?t=%s%s", reference, token, en ? "&lang=en" : "");
	url = var_find(v, "ticket_url");
	buf_reset(url);
	buf_append(url, base, len);
	buf_printf(url, "/w/%s?t=%s%s", reference, token, en ? "&lang=en" : "");
}

/* the waitlist's kinds: about an entry, or an offer held for its hold */
static bool
waitlist_kind(enum notify_kind kind)
{
	return kind >= NOTIFY_WAITLIST_JOINED && kind <= NOTIFY_OFFER_GONE;
}

/* sample_vars: the variables of a preview or test message on the sample
 * booking b: a move's old time the day before, a delay notice 20 minutes
 * late, the waitlist's kinds with the office's hold and an entry second
 * in line for 09:00-12:00 */
static void
sample_vars(struct notify_vars *v, const struct config *c,
    enum notify_kind kind, const struct booking *b, bool en)
{
	struct booking sample = *b;
	struct buf old_when = BUF_INIT;

	if (waitlist_kind(kind))
		sample.confirm_by = sample.created_at + c->waitlist_hold;
	notify_format_when(b->start - 86400, en ? "en" : "pl", &old_when);
	v->n = 0;
	v->waitlist_id = 0;
	vars_fill(
	    v, c, &sample, buf_cstr(&old_when), sample_reason(kind, en), en);
	delay_vars(v, &sample, kind == NOTIFY_DELAY ? 20 * 60 : 0);
	if (kind == NOTIFY_WAITLIST_JOINED || kind == NOTIFY_WAITLIST_LEFT)
		waitlist_vars(v, c, sample.reference, sample.token, 2, 9 * 60,
		    12 * 60, en);
	buf_free(&old_when);
}

void
notify_rendered_free(struct notify_rendered *r)
{
	buf_free(&r->subject);
	buf_free(&r->body);
	buf_free(&r->sms);
	buf_free(&r->sms_oneway);
}

void
notify_render(const struct config *c, enum notify_kind kind,
    const struct booking *b, const struct notify_draft *draft,
    struct notify_rendered *out)
{
	bool en = strcmp(b->language, "en") == 0;
	struct notify_text t;
	struct notify_vars v;

	buf_init(&out->subject);
	buf_init(&out->body);
	buf_init(&out->sms);
	buf_init(&out->sms_oneway);
	out->oneway_sent = false;
	if ((unsigned)kind >= NOTIFY_KIND_COUNT)
		return;
	text_for(c, kind, en, draft, &t);
	sample_vars(&v, c, kind, b, en);
	expand(t.subject, &v, &out->subject);
	buf_printf(&out->subject, " [%s]", b->reference);
	expand(t.body, &v, &out->body);
	sms_fit(c, t.sms, &v, &out->sms);
	if (t.sms_oneway != NULL)
		sms_fit(c, t.sms_oneway, &v, &out->sms_oneway);
	out->oneway_sent = t.sms_oneway != NULL && !config_sms_two_way(c, NULL);
	vars_free(&v);
}

int
notify_test(struct store *s, const struct config *c, enum notify_kind kind,
    bool en, const struct notify_draft *draft, const char *email,
    const char *phone, time_t now, struct error *err)
{
	struct notify_text t;
	struct notify_vars v;
	struct booking b;
	int rc = 0;

	if ((unsigned)kind >= NOTIFY_KIND_COUNT)
		return error_set(err, ERROR_INTERNAL, "unknown message kind");
	notify_sample_booking(c, en, now, &b);
	snprintf(b.email, sizeof b.email, "%s", email != NULL ? email : "");
	snprintf(b.phone, sizeof b.phone, "%s", phone != NULL ? phone : "");
	text_for(c, kind, en, draft, &t);
	sample_vars(&v, c, kind, &b, en);
	/* about no booking (booking_id 0): the outbox says "test" */
	if (notify_email_usable(c, &b))
		rc =
		    queue_email(s, c, &b, kind, "test", &t, &v, NULL, now, err);
	if (rc == 0 && notify_sms_usable(c, &b))
		rc = queue_sms(s, c, &b, kind, "test", &t, &v, now, err);
	vars_free(&v);
	return rc;
}

/*
 * notify_waitlist: a message about a waitlist entry, not a booking. The
 * entry is seen as a booking without an id (the outbox rows belong to no
 * booking, waitlist_id says whose they are): its reference and token,
 * the citizen's names and contacts, the service, and for {within_*} the
 * office's hold (what an offer will give). Its own links: /w/REF?t=.
 */
int
notify_waitlist(struct store *s, const struct config *c,
    const struct waitlist_entry *e, enum notify_kind kind, unsigned channels,
    const char *in_reply_to, time_t now, struct error *err)
{
	bool en = strcmp(e->language, "en") == 0;
	struct notify_text t;
	struct notify_vars v;
	struct booking b;
	int rc = 0;

	if ((unsigned)kind >= NOTIFY_KIND_COUNT)
		return error_set(err, ERROR_INTERNAL, "unknown message kind");
	text_for(c, kind, en, NULL, &t);
	memset(&b, 0, sizeof b);
	snprintf(b.reference, sizeof b.reference, "%s", e->reference);
	snprintf(b.token, sizeof b.token, "%s", e->token);
	b.service_id = e->service_id;
	if (otime_make(e->day, e->window_from, &b.start) != 0)
		b.start = now;
	b.end = b.start;
	b.status = BOOKING_PENDING;
	snprintf(b.first_name, sizeof b.first_name, "%s", e->first_name);
	snprintf(b.last_name, sizeof b.last_name, "%s", e->last_name);
	snprintf(b.email, sizeof b.email, "%s", e->email);
	snprintf(b.phone, sizeof b.phone, "%s", e->phone);
	snprintf(b.language, sizeof b.language, "%s", en ? "en" : "pl");
	snprintf(b.source, sizeof b.source, "%s", e->source);
	snprintf(b.service_name, sizeof b.service_name, "%s", e->service_name);
	snprintf(b.service_name_en, sizeof b.service_name_en, "%s",
	    e->service_name_en);
	b.created_at = e->created_at > 0 ? e->created_at : now;
	b.confirm_by = b.created_at + c->waitlist_hold;
	v.n = 0;
	v.waitlist_id = e->id;
	vars_fill(&v, c, &b, "", NULL, en);
	waitlist_vars(&v, c, e->reference, e->token, e->position,
	    e->window_from, e->window_to, en);
	if ((channels & NOTIFY_EMAIL) && notify_email_usable(c, &b))
		rc = queue_email(s, c, &b, kind, notify_kind_name(kind), &t, &v,
		    in_reply_to, now, err);
	if (rc == 0 && (channels & NOTIFY_SMS) && notify_sms_usable(c, &b))
		rc = queue_sms(
		    s, c, &b, kind, notify_kind_name(kind), &t, &v, now, err);
	vars_free(&v);
	return rc;
}
