/*
 * test_notify.c: the messages a booking change writes into the outbox.
 * Every kind in both languages: each placeholder is filled, each SMS fits
 * one GSM-7 segment once transliterated (the promise of notify_text.h, with
 * the demo's longest desk name), the channels follow the configuration;
 * plus the date wording and the citizen's links.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "booking.h"
#include "buf.h"
#include "log.h"
#include "notify.h"
#include "office_time.h"
#include "sms_text.h"
#include "store.h"
#include "testdb.h"

struct fixture {
	/* without the catalogue (its own, below); testdb_config's SMS is
	 * two-way: a numeric sender and callbacks (config_sms_two_way) */
	struct testdb db;
	struct booking booking;
};

static int
setup(void **state)
{
	struct fixture *f = testdb_new(sizeof *f, "notify", false);
	struct booking_request r;
	struct actor citizen = actor_citizen(VIA_WEB, NULL);
	struct service sv;
	struct desk d;
	struct error err;
	int64_t unit, service, desk;

	if (f == NULL)
		return -1;
	error_clear(&err);
	memset(&sv, 0, sizeof sv);
	snprintf(sv.name, sizeof sv.name, "Wymiana dowodu rejestracyjnego");
	snprintf(
	    sv.name_en, sizeof sv.name_en, "Vehicle registration certificate");
	sv.duration_minutes = 15;
	sv.active = true;
	memset(&d, 0, sizeof d);
	snprintf(d.room, sizeof d.room, "Pokój 1");
	snprintf(d.name, sizeof d.name, "Pokój 1 stanowisko 1");
	d.capacity = 1;
	if (store_unit_add(f->db.store, "Wydział Komunikacji", &unit, &err) !=
	    0)
		goto fail;
	sv.unit_id = unit;
	if (store_service_add(f->db.store, &sv, &service, &err) != 0 ||
	    store_desk_add(f->db.store, &d, &desk, &err) != 0 ||
	    store_hours_add(
	        f->db.store, desk, service, 2, 8 * 60, 16 * 60, &err) != 0)
		goto fail;
	memset(&r, 0, sizeof r);
	r.service_id = service;
	r.start = "2026-12-08T12:00";
	r.first_name = "Grzegorz";
	r.last_name = "Brzęczyszczykiewicz";
	r.email = "grzegorz@example.pl";
	r.phone = "600700800";
	if (booking_create(f->db.store, f->db.config, &r, &citizen,
	        testdb_local("2026-12-07T09:00"), &f->booking, &err) != 0)
		goto fail;
	*state = f;
	return 0;
fail:
	print_error("setup: %s\n", err.msg);
	return -1;
}

/* placeholder_left: a "{name}" notify.c should have filled. */
static const char *
placeholder_left(const char *text)
{
	const char *p = text;

	while ((p = strchr(p, '{')) != NULL) {
		const char *q = p + 1;

		while ((*q >= 'a' && *q <= 'z') || *q == '_')
			q++;
		if (*q == '}' && q > p + 1)
			return p;
		p++;
	}
	return NULL;
}

/* newest: the newest outbox row of a channel; caller frees with
 * outbox_list_free(row, 1). */
static struct outbox_message *
newest(struct fixture *f, const char *channel)
{
	struct outbox_message *list;
	struct error err;
	size_t n;

	error_clear(&err);
	if (store_outbox_list(
	        f->db.store, channel, f->booking.id, 1, &list, &n, &err) != 0)
		fail_msg("outbox: %s", err.msg);
	assert_int_equal(n, 1);
	return list;
}

static void
test_every_kind_both_languages(void **state)
{
	struct fixture *f = *state;
	static const char *const languages[] = {"pl", "en"};
	struct booking b = f->booking;
	size_t l;
	int kind;

	snprintf(b.access_code, sizeof b.access_code, "482913");
	for (l = 0; l < 2; l++)
		for (kind = 0; kind < NOTIFY_KIND_COUNT; kind++) {
			struct outbox_message *mail, *sms;
			struct sms_measure m;
			struct error err;
			const char *left;
			char *plain;

			snprintf(
			    b.language, sizeof b.language, "%s", languages[l]);
			error_clear(&err);
			if (notify_booking_moved(f->db.store, f->db.config, &b,
			        kind, NOTIFY_ALL, NULL,
			        testdb_local("2026-12-08T10:00"),
			        testdb_local("2026-12-07T09:05"), &err) != 0)
				fail_msg("%s/%s: %s", notify_kind_name(kind),
				    languages[l], err.msg);
			mail = newest(f, "email");
			sms = newest(f, "sms");
			assert_string_equal(mail->kind, notify_kind_name(kind));
			assert_string_equal(sms->kind, notify_kind_name(kind));
			if ((left = placeholder_left(sms->payload)) != NULL)
				fail_msg("%s/%s SMS: unfilled %.20s",
				    notify_kind_name(kind), languages[l], left);
			if ((left = placeholder_left(mail->payload)) != NULL)
				fail_msg("%s/%s e-mail: unfilled %.20s",
				    notify_kind_name(kind), languages[l], left);
			plain = sms_transliterate(sms->payload);
			sms_measure(plain, &m);
			if (m.encoding != SMS_GSM7 || m.segments != 1)
				fail_msg("%s/%s SMS is %u segment(s), %s: %s",
				    notify_kind_name(kind), languages[l],
				    m.segments,
				    m.encoding == SMS_GSM7 ? "GSM-7" : "UCS-2",
				    plain);
			free(plain);
			/* every SMS names the booking or its code */
			assert_true(strstr(sms->payload, b.reference) != NULL ||
			            strstr(sms->payload, "482913") != NULL);
			outbox_list_free(mail, 1);
			outbox_list_free(sms, 1);
		}
}

static void
test_channels_follow_config(void **state)
{
	struct fixture *f = *state;
	struct outbox_message *list;
	struct error err;
	size_t before, after;

	error_clear(&err);
	assert_int_equal(store_outbox_list(f->db.store, NULL, f->booking.id,
	                     100, &list, &before, &err),
	    0);
	outbox_list_free(list, before);

	/* only the channels asked for */
	assert_int_equal(notify_booking(f->db.store, f->db.config, &f->booking,
	                     NOTIFY_CANCELLED, NOTIFY_SMS, NULL,
	                     testdb_local("2026-12-07T10:00"), &err),
	    0);
	assert_int_equal(store_outbox_list(f->db.store, NULL, f->booking.id,
	                     100, &list, &after, &err),
	    0);
	assert_int_equal(after, before + 1);
	assert_string_equal(list[0].channel, "sms");
	outbox_list_free(list, after);

	/* an office without SMS or without mail writes only the other */
	testdb_set(&f->db.config->sms_provider, "none");
	assert_int_equal(notify_booking(f->db.store, f->db.config, &f->booking,
	                     NOTIFY_CANCELLED, NOTIFY_ALL, NULL,
	                     testdb_local("2026-12-07T10:00"), &err),
	    0);
	assert_int_equal(store_outbox_list(f->db.store, NULL, f->booking.id,
	                     100, &list, &after, &err),
	    0);
	assert_int_equal(after, before + 2);
	assert_string_equal(list[0].channel, "email");
	outbox_list_free(list, after);
	testdb_set(&f->db.config->sms_provider, "kannel");
	testdb_set(&f->db.config->mail_transport, "none");
	assert_int_equal(notify_booking(f->db.store, f->db.config, &f->booking,
	                     NOTIFY_CANCELLED, NOTIFY_ALL, NULL,
	                     testdb_local("2026-12-07T10:00"), &err),
	    0);
	assert_int_equal(store_outbox_list(f->db.store, NULL, f->booking.id,
	                     100, &list, &after, &err),
	    0);
	assert_int_equal(after, before + 3);
	assert_string_equal(list[0].channel, "sms");
	outbox_list_free(list, after);

	assert_int_equal(notify_booking(f->db.store, f->db.config, &f->booking,
	                     NOTIFY_KIND_COUNT, NOTIFY_ALL, NULL,
	                     testdb_local("2026-12-07T10:00"), &err),
	    -1);
}

/* the newest e-mail row of one kind about the fixture's booking */
static struct outbox_message *
newest_mail_of(struct fixture *f, const char *kind)
{
	struct outbox_message *list, *one;
	struct error err;
	size_t n, i;

	error_clear(&err);
	if (store_outbox_list(
	        f->db.store, "email", f->booking.id, 100, &list, &n, &err) != 0)
		fail_msg("outbox: %s", err.msg);
	for (i = 0; i < n; i++)
		if (strcmp(list[i].kind, kind) == 0)
			break;
	if (i == n)
		fail_msg("no %s e-mail", kind);
	if ((one = malloc(sizeof *one)) == NULL)
		abort();
	*one = list[i];
	list[i].payload = NULL;
	outbox_list_free(list, n);
	return one;
}

static void
test_reply_threads(void **state)
{
	struct fixture *f = *state;
	static const enum notify_kind later[] = {NOTIFY_ACCESS_CODE,
	    NOTIFY_RESCHEDULED, NOTIFY_CANCELLED, NOTIFY_EXPIRED,
	    NOTIFY_REMINDER};
	struct outbox_message *first, *mail;
	char want[400];
	struct error err;
	size_t i;

	/* the booking's first e-mail (the confirmation request) starts the
	 * conversation */
	first = newest_mail_of(f, "confirm_request");
	assert_null(strstr(first->payload, "In-Reply-To:"));
	assert_null(strstr(first->payload, "References:"));
	/* every later message answers it, so mail clients show one thread */
	for (i = 0; i < sizeof later / sizeof later[0]; i++) {
		error_clear(&err);
		assert_int_equal(notify_booking(f->db.store, f->db.config,
		                     &f->booking, later[i], NOTIFY_EMAIL, NULL,
		                     testdb_local("2026-12-07T10:00"), &err),
		    0);
		mail = newest_mail_of(f, notify_kind_name(later[i]));
		snprintf(want, sizeof want, "In-Reply-To: <%s>\r\n",
		    first->message_id);
		if (strstr(mail->payload, want) == NULL)
			fail_msg(
			    "%s lacks %s", notify_kind_name(later[i]), want);
		snprintf(want, sizeof want, "References: <%s>\r\n",
		    first->message_id);
		if (strstr(mail->payload, want) == NULL)
			fail_msg(
			    "%s lacks %s", notify_kind_name(later[i]), want);
		outbox_list_free(mail, 1);
	}
	/* a help reply answers the citizen's message, in the same thread */
	assert_int_equal(
	    notify_booking(f->db.store, f->db.config, &f->booking,
	        NOTIFY_REPLY_HELP, NOTIFY_EMAIL, "abc.123@mail.example",
	        testdb_local("2026-12-07T10:00"), &err),
	    0);
	mail = newest_mail_of(f, "reply_help");
	assert_non_null(
	    strstr(mail->payload, "In-Reply-To: <abc.123@mail.example>\r\n"));
	snprintf(want, sizeof want,
	    "References: <%s>\r\n <abc.123@mail.example>\r\n",
	    first->message_id);
	if (strstr(mail->payload, want) == NULL) {
		snprintf(want, sizeof want,
		    "References: <%s> <abc.123@mail.example>\r\n",
		    first->message_id);
		if (strstr(mail->payload, want) == NULL)
			fail_msg("reply_help lacks the References chain");
	}
	outbox_list_free(mail, 1);
	outbox_list_free(first, 1);
}

/* The confirmation request by SMS: the service, the time and the confirm
 * link, in one GSM-7 segment, with a realistic address of the site and the
 * demo's longest service names; TAK/NIE only when phones can answer. */
static void
test_sms_confirmation(void **state)
{
	struct fixture *f = *state;
	static const char *const languages[] = {"pl", "en"};
	static const char *const senders[] = {"48500100200", "URZAD"};
	struct booking b = f->booking;
	struct buf link = BUF_INIT;
	size_t l, k;

	testdb_set(&f->db.config->web_base_url,
	    "https://rezerwacje.urzad-miasta.example");
	for (k = 0; k < 2; k++)
		for (l = 0; l < 2; l++) {
			struct outbox_message *sms;
			struct sms_measure m;
			struct error err;
			bool two_way = k == 0, en = l == 1;
			char *plain;

			testdb_set(&f->db.config->sms_sender, senders[k]);
			assert_int_equal(
			    config_sms_two_way(f->db.config, NULL), two_way);
			snprintf(
			    b.language, sizeof b.language, "%s", languages[l]);
			error_clear(&err);
			assert_int_equal(
			    notify_booking(f->db.store, f->db.config, &b,
			        NOTIFY_CONFIRM_REQUEST, NOTIFY_SMS, NULL,
			        testdb_local("2026-12-07T09:00"), &err),
			    0);
			sms = newest(f, "sms");
			plain = sms_transliterate(sms->payload);
			sms_measure(plain, &m);
			if (m.encoding != SMS_GSM7 || m.segments != 1)
				fail_msg("%s/%s: %u segment(s): %s", senders[k],
				    languages[l], m.segments, plain);
			buf_reset(&link);
			notify_link(f->db.config, &b, "confirm", &link);
			if (strstr(sms->payload, buf_cstr(&link)) == NULL)
				fail_msg("%s/%s lacks the link %s: %s",
				    senders[k], languages[l], buf_cstr(&link),
				    sms->payload);
			/* the service (perhaps shortened), the day and the time
			 */
			if (strstr(sms->payload,
			        en ? "Vehicle registr" : "Wymiana dowodu") ==
			        NULL ||
			    strstr(sms->payload, "08.12 12:00") == NULL)
				fail_msg("%s/%s lacks the service or time: %s",
				    senders[k], languages[l], sms->payload);
			/* a reply is asked for only where it can come back */
			if ((strstr(sms->payload, en ? "YES" : "TAK") !=
			        NULL) != two_way)
				fail_msg("%s/%s: %s", senders[k], languages[l],
				    sms->payload);
			free(plain);
			outbox_list_free(sms, 1);
		}
	buf_free(&link);
}

static void
test_format_when(void **state)
{
	struct buf out = BUF_INIT;

	(void)state;
	notify_format_when(testdb_local("2026-12-08T12:00"), "pl", &out);
	assert_string_equal(buf_cstr(&out), "wtorek, 8 grudnia 2026, 12:00");
	buf_reset(&out);
	notify_format_when(testdb_local("2026-12-08T12:00"), "en", &out);
	assert_string_equal(buf_cstr(&out), "Tuesday, 8 December 2026, 12:00");
	buf_reset(&out);
	notify_format_when(testdb_local("2026-03-29T03:05"), "pl", &out);
	assert_string_equal(buf_cstr(&out), "niedziela, 29 marca 2026, 03:05");
	buf_reset(&out);
	notify_format_when(testdb_local("2026-10-25T02:30"), "pl", &out);
	assert_string_equal(
	    buf_cstr(&out), "niedziela, 25 października 2026, 02:30");
	buf_free(&out);
}

static void
test_links(void **state)
{
	struct fixture *f = *state;
	struct booking b = f->booking;
	struct buf out = BUF_INIT;
	char want[256];

	testdb_set(
	    &f->db.config->web_base_url, "https://wizyta.urzad.example//");
	notify_link(f->db.config, &b, "confirm", &out);
	snprintf(want, sizeof want,
	    "https://wizyta.urzad.example/b/%s/confirm?t=%s", b.reference,
	    b.token);
	assert_string_equal(buf_cstr(&out), want);
	buf_reset(&out);
	notify_link(f->db.config, &b, "", &out);
	snprintf(want, sizeof want, "https://wizyta.urzad.example/b/%s?t=%s",
	    b.reference, b.token);
	assert_string_equal(buf_cstr(&out), want);
	buf_reset(&out);
	snprintf(b.language, sizeof b.language, "en");
	notify_link(f->db.config, &b, "cancel", &out);
	snprintf(want, sizeof want,
	    "https://wizyta.urzad.example/b/%s/cancel?t=%s&lang=en",
	    b.reference, b.token);
	assert_string_equal(buf_cstr(&out), want);
	buf_free(&out);
	assert_true(strlen(b.token) >= 16);
}

static void
test_kind_names(void **state)
{
	int kind;

	(void)state;
	for (kind = 0; kind < NOTIFY_KIND_COUNT; kind++) {
		enum notify_kind back = NOTIFY_KIND_COUNT;

		assert_int_equal(
		    notify_kind_parse(notify_kind_name(kind), &back), 0);
		assert_int_equal(back, kind);
	}
	assert_string_equal(
	    notify_kind_name(NOTIFY_CONFIRM_REQUEST), "confirm_request");
	assert_string_equal(
	    notify_kind_name(NOTIFY_ACCESS_CODE), "access_code");
	assert_string_equal(notify_kind_name(NOTIFY_KIND_COUNT), "unknown");
	{
		enum notify_kind k = NOTIFY_REMINDER;

		assert_int_equal(notify_kind_parse("nope", &k), -1);
		assert_int_equal(k, NOTIFY_REMINDER);
	}
}

/* qp_decode: the text parts of a composed e-mail, quoted-printable decoded
 * (enough for our own output: soft breaks and =XX). Caller frees. */
static char *
qp_decode(const char *in)
{
	char *out = malloc(strlen(in) + 1), *w = out;

	if (out == NULL)
		abort();
	while (*in != '\0') {
		if (in[0] == '=' && in[1] == '\r' && in[2] == '\n')
			in += 3;
		else if (in[0] == '=' && in[1] == '\n')
			in += 2;
		else if (in[0] == '=' && isxdigit((unsigned char)in[1]) &&
		         isxdigit((unsigned char)in[2])) {
			char hex[3] = {in[1], in[2], '\0'};

			*w++ = (char)strtol(hex, NULL, 16);
			in += 3;
		} else
			*w++ = *in++;
	}
	*w = '\0';
	return out;
}

/* phrase_after: every occurrence of lead in text must be followed by want
 * (the duration in the case that lead governs); at least `need` must be. */
static void
phrase_after(const char *text, const char *lead, const char *want, int need,
    const char *what)
{
	const char *p = text;
	int found = 0;

	while ((p = strstr(p, lead)) != NULL) {
		p += strlen(lead);
		/* "za" is also an ordinary word: only a number or a unit counts
		 */
		if (strcmp(lead, "za ") == 0 && !isdigit((unsigned char)*p) &&
		    strncmp(p, "minut", 5) != 0 &&
		    strncmp(p, "godzin", 6) != 0 &&
		    strncmp(p, "dzie", 4) != 0 && strncmp(p, "sekund", 6) != 0)
			continue;
		if (strncmp(p, want, strlen(want)) != 0 ||
		    isalnum((unsigned char)p[strlen(want)]))
			fail_msg("%s: \"%s%.24s\", want \"%s%s\"", what, lead,
			    p, lead, want);
		found++;
	}
	if (found < need)
		fail_msg("%s: no \"%s%s\" in %s", what, lead, want, text);
}

/* Every duration phrase of every message, e-mail and SMS, Polish and
 * English, for 1, 2, 5, 22 and 30 minutes, hours and days: "w ciągu" takes
 * the genitive ("1 godziny", "2 godzin"), "za" the accusative ("godzinę",
 * "2 godziny"); the booking's own hold is what is named. */
static void
test_duration_phrases(void **state)
{
	static const struct {
		long long seconds;
		const char *genitive, *accusative, *en;
	} holds[] = {
	    {60, "1 minuty", "minutę", "1 minute"},
	    {2 * 60, "2 minut", "2 minuty", "2 minutes"},
	    {5 * 60, "5 minut", "5 minut", "5 minutes"},
	    {22 * 60, "22 minut", "22 minuty", "22 minutes"},
	    {30 * 60, "30 minut", "30 minut", "30 minutes"},
	    {3600, "1 godziny", "godzinę", "1 hour"},
	    {2 * 3600, "2 godzin", "2 godziny", "2 hours"},
	    {5 * 3600, "5 godzin", "5 godzin", "5 hours"},
	    {22 * 3600, "22 godzin", "22 godziny", "22 hours"},
	    {30 * 3600, "30 godzin", "30 godzin", "30 hours"},
	    {86400, "1 dnia", "dzień", "1 day"},
	    {2 * 86400, "2 dni", "2 dni", "2 days"},
	    {5 * 86400, "5 dni", "5 dni", "5 days"},
	    {22 * 86400, "22 dni", "22 dni", "22 days"},
	    {30 * 86400, "30 dni", "30 dni", "30 days"},
	};
	struct fixture *f = *state;
	struct booking b = f->booking;
	size_t i;
	int kind, l;

	/* the config says otherwise: the booking's own hold wins */
	f->db.config->confirm_within = 7 * 60;
	for (i = 0; i < sizeof holds / sizeof holds[0]; i++)
		for (l = 0; l < 2; l++)
			for (kind = 0; kind < NOTIFY_KIND_COUNT; kind++) {
				struct outbox_message *mail, *sms;
				struct error err;
				char what[96], *text, *ascii_gen, *ascii_acc;
				bool en = l == 1;
				int need_for = kind == NOTIFY_EXPIRED,
				    need_in = kind == NOTIFY_CONFIRM_REQUEST;

				snprintf(b.language, sizeof b.language,
				    en ? "en" : "pl");
				b.confirm_by =
				    b.created_at + (time_t)holds[i].seconds;
				error_clear(&err);
				if (notify_booking(f->db.store, f->db.config,
				        &b, kind, NOTIFY_ALL, NULL,
				        testdb_local("2026-12-07T09:05"),
				        &err) != 0)
					fail_msg("%s", err.msg);
				mail = newest(f, "email");
				sms = newest(f, "sms");
				text = qp_decode(mail->payload);
				snprintf(what, sizeof what,
				    "%s/%s e-mail, %lld s",
				    notify_kind_name(kind), b.language,
				    holds[i].seconds);
				if (en) {
					phrase_after(text, "within ",
					    holds[i].en, need_for, what);
					phrase_after(text, "expires in ",
					    holds[i].en, need_in, what);
				} else {
					phrase_after(text, "w ciągu ",
					    holds[i].genitive, need_for, what);
					phrase_after(text, "za ",
					    holds[i].accusative, need_in, what);
				}
				snprintf(what, sizeof what, "%s/%s SMS, %lld s",
				    notify_kind_name(kind), b.language,
				    holds[i].seconds);
				ascii_gen =
				    sms_transliterate(holds[i].genitive);
				ascii_acc =
				    sms_transliterate(holds[i].accusative);
				if (en) {
					phrase_after(sms->payload, "within ",
					    holds[i].en, 0, what);
					phrase_after(sms->payload,
					    "expires in ", holds[i].en, 0,
					    what);
				} else {
					/* SMS texts may be written with or
					 * without diacritics: compare them
					 * transliterated */
					char *plain =
					    sms_transliterate(sms->payload);

					phrase_after(plain, "w ciagu ",
					    ascii_gen, 0, what);
					phrase_after(
					    plain, "za ", ascii_acc, 0, what);
					free(plain);
				}
				free(ascii_gen);
				free(ascii_acc);
				free(text);
				outbox_list_free(mail, 1);
				outbox_list_free(sms, 1);
			}
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, testdb_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_every_kind_both_languages),
	    T(test_channels_follow_config),
	    T(test_reply_threads),
	    T(test_sms_confirmation),
	    T(test_format_when),
	    T(test_links),
	    T(test_kind_names),
	    T(test_duration_phrases),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
