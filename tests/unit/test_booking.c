/*
 * test_booking.c: the booking domain over a real SQLite file, with a small
 * demo-like catalogue built here: one unit, one 15-minute service, one desk
 * of capacity 1, open Monday to Friday 08:00-16:00.
 *
 * Covered: create (pending + one outbox row per contact channel, the
 * e-mail's headers, the SMS's size), the slot taken twice, holidays,
 * invalid fields, confirm (access code), illegal transitions, expiry,
 * reschedule, contact checks, STOP-ed numbers, and two connections racing
 * for one slot. `now` is always passed in, so nothing here waits.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>

#include "audit.h"
#include "booking.h"
#include "log.h"
#include "office_time.h"
#include "sms_text.h"
#include "store.h"
#include "token.h"
#include "testdb.h"

struct fixture {
	struct testdb db;
	/* who else asks: actors of operators in the database (the audit
	 * log's foreign key wants them real) */
	struct actor reception, anna, admin;
};

static int
setup(void **state)
{
	struct fixture *f = testdb_new(sizeof *f, "booking", true);
	struct error err;

	if (f == NULL)
		return -1;
	error_clear(&err);
	if (testdb_operator(
	        f->db.store, "ola", ROLE_RECEPTION, &f->reception, &err) != 0 ||
	    testdb_operator(f->db.store, "anna", ROLE_STAFF, &f->anna, &err) !=
	        0 ||
	    testdb_operator(f->db.store, "adam", ROLE_ADMIN, &f->admin, &err) !=
	        0) {
		print_error("setup: %s\n", err.msg);
		return -1;
	}
	*state = f;
	return 0;
}

/* book: create or fail the test. now = Monday 2026-12-07 09:00. */
#define MONDAY_9 "2026-12-07T09:00"

static struct booking
book(struct fixture *f, const char *start, const char *email, const char *phone)
{
	return testdb_book(&f->db, start, email, phone, testdb_local(MONDAY_9));
}

/* outbox: the rows about one booking, oldest first. */
static struct outbox_message *
outbox(struct fixture *f, int64_t booking_id, size_t *n)
{
	struct outbox_message *list = NULL, tmp;
	struct error err;
	size_t i;

	error_clear(&err);
	if (store_outbox_list(
	        f->db.store, NULL, booking_id, 100, &list, n, &err) != 0)
		fail_msg("outbox list: %s", err.msg);
	for (i = 0; i < *n / 2; i++) {
		tmp = list[i];
		list[i] = list[*n - 1 - i];
		list[*n - 1 - i] = tmp;
	}
	return list;
}

/* outbox_count: how many rows about one booking (0 = all). */
static size_t
outbox_count(struct fixture *f, int64_t booking_id)
{
	struct outbox_message *list;
	size_t n;

	list = outbox(f, booking_id, &n);
	outbox_list_free(list, n);
	return n;
}

static const struct outbox_message *
find_row(const struct outbox_message *list, size_t n, const char *channel,
    const char *kind)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i].channel, channel) == 0 &&
		    strcmp(list[i].kind, kind) == 0)
			return &list[i];
	fail_msg("no %s %s row", channel, kind);
	return NULL;
}

static bool
slot_listed(struct fixture *f, const char *start)
{
	struct slot *slots;
	struct date day;
	struct error err;
	char text[DATE_LEN];
	size_t n, i;
	bool found = false;
	time_t t = testdb_local(start);

	memcpy(text, start, 10);
	text[10] = '\0';
	assert_int_equal(date_parse(text, &day), 0);
	error_clear(&err);
	if (booking_slots(f->db.store, f->db.config, f->db.service, day,
	        testdb_local(MONDAY_9), &slots, &n, &err) != 0)
		fail_msg("slots: %s", err.msg);
	for (i = 0; i < n; i++)
		found |= slots[i].start == t;
	free(slots);
	return found;
}

/* header: the unfolded value of a header field of an RFC 5322 message. */
static void
header(const char *message, const char *name, char *out, size_t size)
{
	const char *end = strstr(message, "\r\n\r\n"), *p = message;
	size_t len = strlen(name), o = 0;

	out[0] = '\0';
	assert_non_null(end);
	while (p < end) {
		if (strncasecmp(p, name, len) == 0 && p[len] == ':') {
			p += len + 1;
			while (*p == ' ')
				p++;
			while (p < end + 2 && o + 1 < size) {
				if (p[0] == '\r' && p[1] == '\n') {
					if (p[2] != ' ' && p[2] != '\t')
						break;
					p += 2; /* folding */
					continue;
				}
				out[o++] = *p++;
			}
			out[o] = '\0';
			return;
		}
		p = strstr(p, "\r\n") + 2;
	}
	fail_msg("no %s header", name);
}

static int
b64(char c)
{
	const char *abc =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = strchr(abc, c);

	return c != '\0' && p != NULL ? (int)(p - abc) : -1;
}

/* calendar_of: the decoded text/calendar part (base64) of an e-mail. */
static void
calendar_of(const char *message, char *out, size_t size)
{
	const char *p = strstr(message, "Content-Type: text/calendar");
	unsigned acc = 0;
	int bits = 0, v;
	size_t o = 0;

	assert_non_null(p);
	p = strstr(p, "\r\n\r\n");
	assert_non_null(p);
	for (p += 4; *p != '\0' && *p != '-' && o + 1 < size; p++) {
		if ((v = b64(*p)) < 0)
			continue;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[o] = '\0';
}

/* decode_words: RFC 2047 =?UTF-8?B?...?= words (and plain text) to UTF-8;
 * whitespace between adjacent encoded words is dropped (6.2). */
static void
decode_words(const char *in, char *out, size_t size)
{
	size_t o = 0;
	const char *p = in;
	bool last_encoded = false;

	while (*p != '\0' && o + 4 < size) {
		if (strncasecmp(p, "=?UTF-8?B?", 10) == 0) {
			unsigned acc = 0;
			int bits = 0, v;

			p += 10;
			while (*p != '\0' && *p != '?') {
				if ((v = b64(*p++)) < 0)
					continue;
				acc = (acc << 6) | (unsigned)v;
				bits += 6;
				if (bits >= 8) {
					bits -= 8;
					out[o++] = (char)((acc >> bits) & 0xff);
				}
			}
			if (strncmp(p, "?=", 2) == 0)
				p += 2;
			last_encoded = true;
			continue;
		}
		if (last_encoded && (*p == ' ' || *p == '\t')) {
			const char *q = p;

			while (*q == ' ' || *q == '\t')
				q++;
			if (strncasecmp(q, "=?UTF-8?B?", 10) == 0) {
				p = q;
				continue;
			}
		}
		last_encoded = false;
		out[o++] = *p++;
	}
	out[o] = '\0';
}

static void
test_create(void **state)
{
	struct fixture *f = *state;
	struct booking b = book(
	    f, "2026-12-08T12:00", "jan.kowalski@example.pl", "600 700 800");
	struct booking stored;
	struct outbox_message *rows;
	const struct outbox_message *mail, *sms;
	char value[512], subject[512], want[192];
	struct sms_measure measure;
	struct error err;
	char *plain;
	size_t n;

	assert_int_equal(b.status, BOOKING_PENDING);
	assert_true(token_reference_valid(b.reference));
	assert_string_equal(b.phone, "+48600700800");
	assert_string_equal(b.email, "jan.kowalski@example.pl");
	assert_string_equal(b.desk_name, "Pokój 1 stanowisko 1");
	assert_int_equal(b.desk_id, f->db.desk);
	assert_int_equal(b.start, testdb_local("2026-12-08T12:00"));
	assert_int_equal(b.end - b.start, 15 * 60);
	assert_int_equal(b.confirm_by, testdb_local(MONDAY_9) + 30 * 60);
	assert_string_equal(b.access_code, "");
	assert_int_equal(b.sequence, 0);
	error_clear(&err);
	assert_int_equal(
	    store_booking_by_reference(f->db.store, b.reference, &stored, &err),
	    0);
	assert_int_equal(stored.id, b.id);
	assert_int_equal(stored.status, BOOKING_PENDING);
	assert_false(slot_listed(f, "2026-12-08T12:00"));
	assert_true(slot_listed(f, "2026-12-08T12:15"));

	rows = outbox(f, b.id, &n);
	assert_int_equal(n, 2); /* one per contact channel */
	mail = find_row(rows, n, "email", "confirm_request");
	sms = find_row(rows, n, "sms", "confirm_request");
	assert_int_equal(mail->status, OUTBOX_QUEUED);
	assert_int_equal(sms->status, OUTBOX_QUEUED);
	assert_string_equal(mail->recipient, "jan.kowalski@example.pl");
	assert_string_equal(sms->recipient, "+48600700800");

	/* the e-mail: Reply-To local+REF@domain, REF in the subject, our
	 * Message-ID remembered in the row, auto-generated (RFC 3834) */
	header(mail->payload, "Reply-To", value, sizeof value);
	snprintf(want, sizeof want, "wizyta+%s@urzad.example", b.reference);
	if (strstr(value, want) == NULL)
		fail_msg("Reply-To '%s' lacks %s", value, want);
	header(mail->payload, "Subject", value, sizeof value);
	decode_words(value, subject, sizeof subject);
	snprintf(want, sizeof want, "[%s]", b.reference);
	if (strstr(subject, want) == NULL)
		fail_msg("Subject '%s' lacks %s", subject, want);
	assert_non_null(strstr(subject, "Rejestracja pojazdu"));
	header(mail->payload, "Message-ID", value, sizeof value);
	assert_true(strlen(mail->message_id) > 0);
	snprintf(want, sizeof want, "<%s>", mail->message_id);
	assert_string_equal(value, want);
	assert_non_null(strstr(mail->message_id, "@urzad.example"));
	header(mail->payload, "Auto-Submitted", value, sizeof value);
	assert_string_equal(value, "auto-generated");
	header(mail->payload, "To", value, sizeof value);
	assert_non_null(strstr(value, "jan.kowalski@example.pl"));
	/* no calendar before the visit is confirmed */
	assert_null(strstr(mail->payload, "text/calendar"));

	/* the SMS: the service, TAK/NIE and the confirm link (with the
	 * reference), one GSM-7 segment */
	assert_non_null(strstr(sms->payload, "Rejestracja pojazdu"));
	assert_non_null(strstr(sms->payload, "TAK"));
	assert_non_null(strstr(sms->payload, "NIE"));
	assert_non_null(strstr(sms->payload, b.reference));
	assert_non_null(strstr(sms->payload, "/confirm?t="));
	assert_non_null(strstr(sms->payload, "12:00"));
	plain = sms_transliterate(sms->payload);
	sms_measure(plain, &measure);
	if (measure.encoding != SMS_GSM7 || measure.segments != 1)
		fail_msg("SMS '%s' is %u segment(s) of %s", plain,
		    measure.segments,
		    measure.encoding == SMS_GSM7 ? "GSM-7" : "UCS-2");
	free(plain);
	outbox_list_free(rows, n);
}

static void
test_email_only_and_phone_only(void **state)
{
	struct fixture *f = *state;
	struct booking a = book(f, "2026-12-08T10:00", "anna@example.pl", NULL);
	struct booking b = book(f, "2026-12-08T10:15", "", "+48 601 000 111");
	struct outbox_message *rows;
	size_t n;

	rows = outbox(f, a.id, &n);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].channel, "email");
	outbox_list_free(rows, n);
	rows = outbox(f, b.id, &n);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].channel, "sms");
	assert_string_equal(rows[0].recipient, "+48601000111");
	outbox_list_free(rows, n);
}

/* expect_start_refused: booking at start fails with ERROR_INVALID on field
 * "start" with that code, and booking_check_start (the form page) agrees */
static void
expect_start_refused(struct fixture *f, const char *start, const char *code)
{
	struct booking_request r =
	    testdb_request(&f->db, start, "ewa@example.pl", NULL);
	struct booking b;
	struct error err;

	error_clear(&err);
	if (booking_create(f->db.store, f->db.config, &r, &f->db.citizen,
	        testdb_local(MONDAY_9), &b, &err) == 0)
		fail_msg("%s accepted", start);
	if (err.kind != ERROR_INVALID || strcmp(err.code, code) != 0 ||
	    strcmp(err.field, "start") != 0)
		fail_msg("%s: %s %s field '%s' (%s), want invalid %s", start,
		    error_kind_name(err.kind), err.code, err.field, err.msg,
		    code);
	error_clear(&err);
	assert_int_equal(
	    booking_check_start(f->db.store, f->db.config, f->db.service, start,
	        testdb_local(MONDAY_9), &err),
	    -1);
	assert_string_equal(err.code, code);
}

static void
test_slot_taken_twice(void **state)
{
	struct fixture *f = *state;
	struct booking_request r =
	    testdb_request(&f->db, "2026-12-08T12:00", "ewa@example.pl", NULL);
	struct booking b;
	struct error err;

	book(f, "2026-12-08T12:00", "jan@example.pl", NULL);
	error_clear(&err);
	assert_int_equal(booking_create(f->db.store, f->db.config, &r,
	                     &f->db.citizen, testdb_local(MONDAY_9), &b, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	assert_string_equal(err.field, "start");
	/* the refused attempt left nothing behind */
	assert_int_equal(outbox_count(f, 0), 1);
	assert_string_equal(err.code, "slot_taken");
	/* times that are no slot at all say why, as invalid input (422) */
	expect_start_refused(f, "2026-12-08T12:05", "not_a_slot_start");
	expect_start_refused(f, "2026-12-08T08:07", "not_a_slot_start");
	expect_start_refused(f, "2026-12-08T16:00", "office_closed");
	expect_start_refused(f, "2026-12-08T07:00", "office_closed");
	expect_start_refused(
	    f, "2026-12-12T10:00", "office_closed"); /* Saturday */
	expect_start_refused(
	    f, "2026-12-13T10:00", "office_closed"); /* Sunday */
	expect_start_refused(
	    f, "2026-12-07T09:30", "too_soon"); /* lead time 1h */
	expect_start_refused(f, "2026-12-07T08:00", "slot_in_past");
	expect_start_refused(f, "2025-12-08T10:00", "slot_in_past");
	expect_start_refused(f, "2027-03-08T10:00", "outside_horizon");
}

static void
expect_holiday_closed(struct fixture *f, const char *now, struct date holiday,
    const char *start, const char *day_before_start)
{
	struct booking_request r =
	    testdb_request(&f->db, start, "jan@example.pl", NULL);
	struct slot *slots;
	struct booking b;
	struct error err;
	size_t n;

	error_clear(&err);
	assert_int_equal(booking_slots(f->db.store, f->db.config, f->db.service,
	                     holiday, testdb_local(now), &slots, &n, &err),
	    0);
	assert_int_equal(n, 0);
	free(slots);
	assert_int_equal(booking_create(f->db.store, f->db.config, &r,
	                     &f->db.citizen, testdb_local(now), &b, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_INVALID);
	assert_string_equal(err.code, "office_closed");
	/* the working day before is open: the catalogue is not the reason */
	r.start = day_before_start;
	error_clear(&err);
	if (booking_create(f->db.store, f->db.config, &r, &f->db.citizen,
	        testdb_local(now), &b, &err) != 0)
		fail_msg("%s refused: %s", day_before_start, err.msg);
}

static void
test_holidays(void **state)
{
	struct fixture *f = *state;
	struct date nov11 = {2026, 11, 11}, easter_monday = {2026, 4, 6};
	struct date nov10 = {2026, 11, 10};
	struct slot *slots;
	struct error err;
	size_t n;

	/* Wednesday 11 November 2026 */
	expect_holiday_closed(f, "2026-11-02T09:00", nov11, "2026-11-11T10:00",
	    "2026-11-10T10:00");
	error_clear(&err);
	assert_int_equal(
	    booking_slots(f->db.store, f->db.config, f->db.service, nov10,
	        testdb_local("2026-11-02T09:00"), &slots, &n, &err),
	    0);
	assert_int_equal(n, 31); /* 32 less the one just booked */
	free(slots);
	/* Easter Monday 2026 (the Friday before is a working day) */
	expect_holiday_closed(f, "2026-03-30T09:00", easter_monday,
	    "2026-04-06T10:00", "2026-04-03T10:00");
	/* an exception that opens the holiday makes it bookable */
	assert_int_equal(store_exception_add(f->db.store, 0, nov11, 9 * 60,
	                     10 * 60, "dyżur", &err),
	    0);
	assert_int_equal(
	    booking_slots(f->db.store, f->db.config, f->db.service, nov11,
	        testdb_local("2026-11-02T09:00"), &slots, &n, &err),
	    0);
	assert_int_equal(n, 4);
	free(slots);
}

static void
expect_invalid(struct fixture *f, struct booking_request r,
    enum error_kind kind, const char *field)
{
	struct booking b;
	struct error err;

	error_clear(&err);
	if (booking_create(f->db.store, f->db.config, &r, &f->db.citizen,
	        testdb_local(MONDAY_9), &b, &err) != -1)
		fail_msg("accepted %s/%s/%s/%s",
		    r.first_name ? r.first_name : "(null)",
		    r.last_name ? r.last_name : "(null)",
		    r.email ? r.email : "(null)", r.phone ? r.phone : "(null)");
	if (err.kind != kind || strcmp(err.field, field) != 0)
		fail_msg("got %s field '%s' (%s), want %s field '%s'",
		    error_kind_name(err.kind), err.field, err.msg,
		    error_kind_name(kind), field);
	assert_true(strlen(err.msg) > 0);
}

static void
test_invalid_fields(void **state)
{
	struct fixture *f = *state;
	const char *start = "2026-12-08T12:00";
	struct booking_request r;

	/* no contact at all */
	expect_invalid(f, testdb_request(&f->db, start, NULL, NULL),
	    ERROR_INVALID, "email");
	expect_invalid(
	    f, testdb_request(&f->db, start, "", ""), ERROR_INVALID, "email");
	/* bad e-mail addresses */
	expect_invalid(f, testdb_request(&f->db, start, "jan@", NULL),
	    ERROR_INVALID, "email");
	expect_invalid(f, testdb_request(&f->db, start, "jan.example.pl", NULL),
	    ERROR_INVALID, "email");
	expect_invalid(f,
	    testdb_request(&f->db, start, "jan kowalski@example.pl", NULL),
	    ERROR_INVALID, "email");
	expect_invalid(f, testdb_request(&f->db, start, "jan@example", NULL),
	    ERROR_INVALID, "email");
	expect_invalid(f,
	    testdb_request(
	        &f->db, start, "jan@example.pl\r\nBcc: x@y.pl", NULL),
	    ERROR_INVALID, "email");
	expect_invalid(f, testdb_request(&f->db, start, "a@b@example.pl", NULL),
	    ERROR_INVALID, "email");
	/* bad phones */
	expect_invalid(f, testdb_request(&f->db, start, NULL, "12345"),
	    ERROR_INVALID, "phone");
	expect_invalid(f, testdb_request(&f->db, start, NULL, "600 700 80O"),
	    ERROR_INVALID, "phone");
	expect_invalid(f,
	    testdb_request(&f->db, start, "jan@example.pl", "abc"),
	    ERROR_INVALID, "phone");
	/* names: empty, control characters, no letters, invalid UTF-8 */
	r = testdb_request(&f->db, start, "jan@example.pl", NULL);
	r.first_name = "";
	expect_invalid(f, r, ERROR_INVALID, "first_name");
	r.first_name = NULL;
	expect_invalid(f, r, ERROR_INVALID, "first_name");
	r.first_name = "Jan\r\nBcc: x@y.pl";
	expect_invalid(f, r, ERROR_INVALID, "first_name");
	r.first_name = "Jan";
	r.last_name = "";
	expect_invalid(f, r, ERROR_INVALID, "last_name");
	r.last_name = "Kowal\tski";
	expect_invalid(f, r, ERROR_INVALID, "last_name");
	r.last_name = "Kowalski\x7f";
	expect_invalid(f, r, ERROR_INVALID, "last_name");
	r.last_name = "Kowalski\xc5"; /* truncated UTF-8 */
	expect_invalid(f, r, ERROR_INVALID, "last_name");
	r.last_name = "12345";
	expect_invalid(f, r, ERROR_INVALID, "last_name");
	r.last_name =
	    "Bardzo-długie-nazwisko-które-przekracza-dopuszczalną-długość-pola";
	expect_invalid(f, r, ERROR_INVALID, "last_name");
	/* Polish letters are fine */
	r.last_name = "Żółć-Gęślińska";
	r.start = "2026-12-08T13:00";
	{
		struct booking b;
		struct error err;

		error_clear(&err);
		if (booking_create(f->db.store, f->db.config, &r,
		        &f->db.citizen, testdb_local(MONDAY_9), &b, &err) != 0)
			fail_msg("Polish name refused: %s", err.msg);
		assert_string_equal(b.last_name, "Żółć-Gęślińska");
	}
	/* the start, the language, the service */
	r = testdb_request(&f->db, "2026-12-08 12:00", "jan@example.pl", NULL);
	expect_invalid(f, r, ERROR_INVALID, "start");
	r.start = NULL;
	expect_invalid(f, r, ERROR_INVALID, "start");
	r.start = start;
	r.language = "de";
	expect_invalid(f, r, ERROR_INVALID, "language");
	r.language = NULL;
	r.service_id = 999;
	expect_invalid(f, r, ERROR_NOT_FOUND, "service_id");
	/* a phone-only booking where the office sends no SMS */
	testdb_set(&f->db.config->sms_provider, "none");
	expect_invalid(f, testdb_request(&f->db, start, NULL, "600700800"),
	    ERROR_INVALID, "email");
	/* nothing was written but the one good booking's messages */
	assert_int_equal(outbox_count(f, 0), 1);
}

/* booking_request_errors: every field's problem at once, each with its
 * field and code; a good request has none */
static void
test_request_errors_all_at_once(void **state)
{
	struct fixture *f = *state;
	struct booking_request r =
	    testdb_request(&f->db, "2026-12-08T12:00", "a..b@x", "12");
	struct error errs[8];
	size_t n;

	r.first_name = "";
	r.last_name = "1234";
	n = booking_request_errors(f->db.config, &r, errs, 8);
	assert_int_equal(n, 4);
	assert_string_equal(errs[0].field, "first_name");
	assert_string_equal(errs[0].code, "name_missing");
	assert_string_equal(errs[1].field, "last_name");
	assert_string_equal(errs[1].code, "name_no_letters");
	assert_string_equal(errs[2].field, "email");
	assert_string_equal(errs[3].field, "phone");
	/* no contact at all: one error, on the e-mail field */
	r = testdb_request(&f->db, "2026-12-08T12:00", "", "");
	n = booking_request_errors(f->db.config, &r, errs, 8);
	assert_int_equal(n, 1);
	assert_string_equal(errs[0].code, "contact_missing");
	/* room for two: two kept, no overflow */
	r = testdb_request(&f->db, "2026-12-08T12:00", "a..b@x", "12");
	r.first_name = r.last_name = "";
	assert_int_equal(booking_request_errors(f->db.config, &r, errs, 2), 2);
	r = testdb_request(
	    &f->db, "2026-12-08T12:00", "jan@example.pl", "600 700 800");
	assert_int_equal(booking_request_errors(f->db.config, &r, errs, 8), 0);
}

static void
test_confirm(void **state)
{
	struct fixture *f = *state;
	struct booking b =
	    book(f, "2026-12-08T12:00", "jan@example.pl", "600700800");
	struct booking after;
	struct outbox_message *rows;
	const struct outbox_message *mail, *sms;
	struct error err;
	size_t n;

	error_clear(&err);
	assert_int_equal(booking_apply(f->db.store, f->db.config, b.reference,
	                     ACTION_CONFIRM, &f->db.citizen,
	                     testdb_local(MONDAY_9) + 60, &after, &err),
	    0);
	assert_int_equal(after.status, BOOKING_BOOKED);
	assert_true(token_access_code_valid(after.access_code));
	assert_string_equal(after.reference, b.reference);
	assert_int_equal(
	    store_booking_by_reference(f->db.store, b.reference, &after, &err),
	    0);
	assert_int_equal(after.status, BOOKING_BOOKED);
	assert_true(token_access_code_valid(after.access_code));

	rows = outbox(f, b.id, &n);
	assert_int_equal(n, 4);
	mail = find_row(rows, n, "email", "access_code");
	sms = find_row(rows, n, "sms", "access_code");
	assert_non_null(strstr(sms->payload, after.access_code));
	{
		char ics[4096];

		calendar_of(mail->payload, ics, sizeof ics);
		assert_non_null(strstr(ics, "METHOD:REQUEST"));
		assert_non_null(strstr(ics, after.access_code));
		assert_non_null(strstr(ics, "DTSTART"));
	}
	/* the SMS with the code also fits one segment */
	{
		struct sms_measure m;
		char *plain = sms_transliterate(sms->payload);

		sms_measure(plain, &m);
		assert_int_equal(m.encoding, SMS_GSM7);
		assert_int_equal(m.segments, 1);
		free(plain);
	}
	outbox_list_free(rows, n);

	/* confirming twice is a conflict and changes nothing */
	error_clear(&err);
	assert_int_equal(booking_apply(f->db.store, f->db.config, b.reference,
	                     ACTION_CONFIRM, &f->db.citizen,
	                     testdb_local(MONDAY_9) + 120, NULL, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	assert_int_equal(outbox_count(f, b.id), 4);
	/* unknown reference */
	error_clear(&err);
	assert_int_equal(booking_apply(f->db.store, f->db.config, "ZZZZZZZZZZ",
	                     ACTION_CONFIRM, &f->db.citizen,
	                     testdb_local(MONDAY_9), NULL, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_NOT_FOUND);
}

static void
test_illegal_transitions(void **state)
{
	struct fixture *f = *state;
	struct booking b = book(f, "2026-12-08T12:00", "jan@example.pl", NULL);
	struct booking after;
	struct error err;

	error_clear(&err);
	/* pending cannot be checked in, called, started or finished */
	assert_int_equal(booking_apply(f->db.store, f->db.config, b.reference,
	                     ACTION_CHECK_IN, &f->reception,
	                     testdb_local(MONDAY_9), NULL, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	assert_int_equal(
	    booking_apply(f->db.store, f->db.config, b.reference, ACTION_FINISH,
	        &f->anna, testdb_local(MONDAY_9), NULL, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	/* reschedule goes through its own function */
	assert_int_equal(booking_apply(f->db.store, f->db.config, b.reference,
	                     ACTION_RESCHEDULE, &f->anna,
	                     testdb_local(MONDAY_9), NULL, &err),
	    -1);

	assert_int_equal(
	    booking_apply(f->db.store, f->db.config, b.reference, ACTION_CANCEL,
	        &f->db.citizen, testdb_local(MONDAY_9), &after, &err),
	    0);
	assert_int_equal(after.status, BOOKING_CANCELLED);
	assert_int_equal(
	    outbox_count(f, b.id), 2); /* confirm_request + cancelled */
	assert_true(slot_listed(f, "2026-12-08T12:00"));

	error_clear(&err);
	assert_int_equal(booking_apply(f->db.store, f->db.config, b.reference,
	                     ACTION_CONFIRM, &f->db.citizen,
	                     testdb_local(MONDAY_9), NULL, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	assert_string_equal(err.code, "wrong_state");
	assert_non_null(strstr(err.msg, "cancelled"));
	assert_int_equal(
	    store_booking_by_reference(f->db.store, b.reference, &after, &err),
	    0);
	assert_int_equal(after.status, BOOKING_CANCELLED);
	assert_string_equal(after.access_code, "");
	assert_int_equal(outbox_count(f, b.id), 2);

	/* the floor's path on the visit's day: confirm, check in, call,
	 * start, finish */
	b = book(f, "2026-12-08T12:00", "jan@example.pl", NULL);
	assert_int_equal(booking_apply(f->db.store, f->db.config, b.reference,
	                     ACTION_CONFIRM, &f->db.citizen,
	                     testdb_local(MONDAY_9), NULL, &err),
	    0);
	assert_int_equal(booking_apply(f->db.store, f->db.config, b.reference,
	                     ACTION_CHECK_IN, &f->reception,
	                     testdb_local("2026-12-08T11:40"), &after, &err),
	    0);
	assert_int_equal(after.status, BOOKING_WAITING);
	assert_int_equal(after.checked_in_at, testdb_local("2026-12-08T11:40"));
	assert_int_equal(
	    booking_apply(f->db.store, f->db.config, b.reference, ACTION_CALL,
	        &f->anna, testdb_local("2026-12-08T11:58"), &after, &err),
	    0);
	assert_int_equal(after.status, BOOKING_CALLED);
	assert_int_equal(
	    booking_apply(f->db.store, f->db.config, b.reference, ACTION_START,
	        &f->anna, testdb_local("2026-12-08T12:00"), &after, &err),
	    0);
	assert_int_equal(after.status, BOOKING_IN_SERVICE);
	assert_int_equal(after.started_at, testdb_local("2026-12-08T12:00"));
	assert_int_equal(
	    booking_apply(f->db.store, f->db.config, b.reference, ACTION_FINISH,
	        &f->anna, testdb_local("2026-12-08T12:09"), &after, &err),
	    0);
	assert_int_equal(after.status, BOOKING_DONE);
	assert_int_equal(after.ended_at, testdb_local("2026-12-08T12:09"));
	assert_int_equal(
	    booking_apply(f->db.store, f->db.config, b.reference, ACTION_CANCEL,
	        &f->db.citizen, testdb_local("2026-12-08T12:10"), NULL, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
}

static void
test_expiry(void **state)
{
	struct fixture *f = *state;
	time_t now = testdb_local(MONDAY_9);
	struct booking b =
	    book(f, "2026-12-08T12:00", "jan@example.pl", "600700800");
	struct booking after;
	struct outbox_message *rows;
	struct error err;
	unsigned count = 99;
	size_t n;

	error_clear(&err);
	/* one second before confirm_within (30 min): nothing expires */
	assert_int_equal(booking_expire_due(f->db.store, f->db.config,
	                     now + 1799, &count, &err),
	    0);
	assert_int_equal(count, 0);
	/* past the deadline but before the timer ran: confirming is refused */
	assert_int_equal(
	    booking_apply(f->db.store, f->db.config, b.reference,
	        ACTION_CONFIRM, &f->db.citizen, now + 1801, NULL, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	assert_int_equal(booking_expire_due(f->db.store, f->db.config,
	                     now + 1800, &count, &err),
	    0);
	assert_int_equal(count, 1);
	assert_int_equal(
	    store_booking_by_reference(f->db.store, b.reference, &after, &err),
	    0);
	assert_int_equal(after.status, BOOKING_EXPIRED);
	rows = outbox(f, b.id, &n);
	assert_int_equal(n, 4);
	find_row(rows, n, "email", "expired");
	find_row(rows, n, "sms", "expired");
	outbox_list_free(rows, n);
	/* running the timer again does nothing */
	assert_int_equal(booking_expire_due(f->db.store, f->db.config,
	                     now + 7200, &count, &err),
	    0);
	assert_int_equal(count, 0);
	/* the slot is free again, and someone else can take it */
	assert_true(slot_listed(f, "2026-12-08T12:00"));
	book(f, "2026-12-08T12:00", "ewa@example.pl", NULL);
	assert_false(slot_listed(f, "2026-12-08T12:00"));

	/* a confirmed booking never expires */
	b = book(f, "2026-12-08T12:15", "jan@example.pl", NULL);
	assert_int_equal(
	    booking_apply(f->db.store, f->db.config, b.reference,
	        ACTION_CONFIRM, &f->db.citizen, now + 60, NULL, &err),
	    0);
	assert_int_equal(
	    store_booking_by_reference(f->db.store, b.reference, &after, &err),
	    0);
	assert_int_equal(after.status, BOOKING_BOOKED);
}

static void
test_reschedule(void **state)
{
	struct fixture *f = *state;
	struct booking b =
	    book(f, "2026-12-08T12:00", "jan@example.pl", "600700800");
	struct booking after, other;
	struct outbox_message *rows;
	const struct outbox_message *mail;
	struct error err;
	size_t n;

	error_clear(&err);
	assert_int_equal(booking_apply(f->db.store, f->db.config, b.reference,
	                     ACTION_CONFIRM, &f->db.citizen,
	                     testdb_local(MONDAY_9), &b, &err),
	    0);
	other = book(f, "2026-12-09T09:00", "ewa@example.pl", NULL);
	/* into a taken slot: refused, nothing moves */
	assert_int_equal(booking_reschedule(f->db.store, f->db.config,
	                     b.reference, "2026-12-09T09:00", 0, &f->anna,
	                     testdb_local(MONDAY_9), NULL, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	/* into a bad time */
	assert_int_equal(
	    booking_reschedule(f->db.store, f->db.config, b.reference, "jutro",
	        0, &f->anna, testdb_local(MONDAY_9), NULL, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_INVALID);

	error_clear(&err);
	if (booking_reschedule(f->db.store, f->db.config, b.reference,
	        "2026-12-09T13:30", 0, &f->db.citizen, testdb_local(MONDAY_9),
	        &after, &err) != 0)
		fail_msg("reschedule: %s", err.msg);
	assert_string_equal(after.reference, b.reference);
	assert_int_equal(after.id, b.id);
	assert_int_equal(after.status, BOOKING_BOOKED);
	assert_int_equal(after.sequence, 1);
	assert_int_equal(after.start, testdb_local("2026-12-09T13:30"));
	assert_string_equal(after.access_code, b.access_code);
	assert_true(slot_listed(f, "2026-12-08T12:00"));
	assert_false(slot_listed(f, "2026-12-09T13:30"));
	rows = outbox(f, b.id, &n);
	mail = find_row(rows, n, "email", "rescheduled");
	find_row(rows, n, "sms", "rescheduled");
	{
		char ics[4096];

		calendar_of(mail->payload, ics, sizeof ics);
		assert_non_null(strstr(ics, "SEQUENCE:1"));
	}
	outbox_list_free(rows, n);
	/* to the same time and place again: nothing would move, no message
	 * says it did */
	assert_int_equal(booking_reschedule(f->db.store, f->db.config,
	                     b.reference, "2026-12-09T13:30", 0, &f->db.citizen,
	                     testdb_local(MONDAY_9), &after, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	assert_string_equal(err.code, "same_place");
	(void)other;

	/* a cancelled booking cannot move */
	assert_int_equal(
	    booking_apply(f->db.store, f->db.config, b.reference, ACTION_CANCEL,
	        &f->db.citizen, testdb_local(MONDAY_9), NULL, &err),
	    0);
	assert_int_equal(booking_reschedule(f->db.store, f->db.config,
	                     b.reference, "2026-12-10T10:00", 0, &f->db.citizen,
	                     testdb_local(MONDAY_9), NULL, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
}

static void
test_check_contact(void **state)
{
	struct fixture *f = *state;
	struct booking b = book(
	    f, "2026-12-08T12:00", "Jan.Kowalski@Example.pl", "600 700 800");
	struct booking mail_only =
	    book(f, "2026-12-08T12:15", "anna@example.pl", NULL);

	assert_true(booking_check_contact(&b, "+48600700800"));
	assert_true(booking_check_contact(&b, "+48 600-700-800"));
	assert_true(booking_check_contact(&b, "0048 600 700 800"));
	assert_true(booking_check_contact(&b, "600700800"));
	assert_true(booking_check_contact(&b, "48600700800"));
	assert_true(booking_check_contact(&b, "jan.kowalski@example.pl"));
	assert_true(booking_check_contact(&b, "JAN.KOWALSKI@EXAMPLE.PL"));
	assert_false(booking_check_contact(&b, "600700801"));
	assert_false(booking_check_contact(&b, "jan@example.pl"));
	assert_false(booking_check_contact(&b, "jan.kowalski@example.p"));
	assert_false(booking_check_contact(&b, ""));
	assert_false(booking_check_contact(&b, NULL));
	assert_false(booking_check_contact(&b, "not a contact"));
	assert_false(booking_check_contact(&mail_only, "600700800"));
	assert_true(booking_check_contact(&mail_only, "anna@example.pl"));
}

static void
test_opted_out_sms_suppressed(void **state)
{
	struct fixture *f = *state;
	struct booking b;
	struct outbox_message *rows;
	const struct outbox_message *mail, *sms;
	struct error err;
	size_t n;

	error_clear(&err);
	assert_int_equal(store_sms_optout_add(f->db.store, "+48600700800",
	                     testdb_local(MONDAY_9), &err),
	    0);
	b = book(f, "2026-12-08T12:00", "jan@example.pl", "600-700-800");
	rows = outbox(f, b.id, &n);
	assert_int_equal(n, 2);
	mail = find_row(rows, n, "email", "confirm_request");
	sms = find_row(rows, n, "sms", "confirm_request");
	assert_int_equal(mail->status, OUTBOX_QUEUED);
	assert_int_equal(sms->status, OUTBOX_SUPPRESSED);
	outbox_list_free(rows, n);
	/* a suppressed row is never claimed for sending */
	assert_int_equal(
	    store_outbox_claim(f->db.store, "sms",
	        testdb_local(MONDAY_9) + 3600, testdb_local(MONDAY_9) + 3660,
	        10, &rows, &n, &err),
	    0);
	assert_int_equal(n, 0);
	free(rows);
}

static void
test_contact_limit(void **state)
{
	struct fixture *f = *state;
	struct booking_request r;
	struct booking b;
	struct error err;

	f->db.config->web_max_open_per_contact = 2;
	book(f, "2026-12-08T12:00", "jan@example.pl", NULL);
	book(f, "2026-12-08T12:15", "JAN@example.pl", NULL);
	r = testdb_request(&f->db, "2026-12-08T12:30", "jan@example.pl", NULL);
	error_clear(&err);
	assert_int_equal(booking_create(f->db.store, f->db.config, &r,
	                     &f->db.citizen, testdb_local(MONDAY_9), &b, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_LIMIT);
	/* staff may book on the citizen's behalf anyway, booked at once */
	/* staff, on the citizen's behalf */
	r.skip_confirmation = true;
	error_clear(&err);
	assert_int_equal(booking_create(f->db.store, f->db.config, &r, &f->anna,
	                     testdb_local(MONDAY_9), &b, &err),
	    0);
	assert_int_equal(b.status, BOOKING_BOOKED);
	assert_true(token_access_code_valid(b.access_code));
}

/* ---- error codes, addresses, numbers, abuse limits (issue 9) ------------ */

/* expect_code: booking r fails with that kind, code and field, and an
 * English message that does not leak internals */
static void
expect_code(struct fixture *f, struct booking_request r, time_t now,
    enum error_kind kind, const char *code, const char *field)
{
	struct booking b;
	struct error err;
	const char *p;

	error_clear(&err);
	if (booking_create(f->db.store, f->db.config, &r, &f->db.citizen, now,
	        &b, &err) == 0)
		fail_msg("accepted (want %s)", code);
	if (err.kind != kind || strcmp(err.code, code) != 0 ||
	    strcmp(err.field, field) != 0)
		fail_msg("got %s %s field '%s' (%s), want %s %s field '%s'",
		    error_kind_name(err.kind), err.code, err.field, err.msg,
		    error_kind_name(kind), code, field);
	assert_true(strlen(err.msg) > 0);
	/* English: no Polish letters; no ids, no SQL */
	for (p = err.msg; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80)
			fail_msg("%s: non-English message '%s'", code, err.msg);
	assert_null(strstr(err.msg, "database"));
}

static void
test_error_codes(void **state)
{
	struct fixture *f = *state;
	time_t now = testdb_local(MONDAY_9);
	const char *start = "2026-12-08T12:00";
	struct booking_request r;
	struct booking b;
	struct error err;

	r = testdb_request(&f->db, start, "jan@example.pl", NULL);
	r.first_name = "";
	expect_code(f, r, now, ERROR_INVALID, "name_missing", "first_name");
	r.first_name = "Jan\r\nBcc: x@y.pl";
	expect_code(f, r, now, ERROR_INVALID, "name_invalid", "first_name");
	r.first_name = "Jan";
	r.last_name = "12345";
	expect_code(f, r, now, ERROR_INVALID, "name_no_letters", "last_name");
	r.last_name =
	    "Bardzo-długie-nazwisko-które-przekracza-dopuszczalną-długość-pola";
	expect_code(f, r, now, ERROR_INVALID, "name_too_long", "last_name");
	expect_code(f, testdb_request(&f->db, start, NULL, NULL), now,
	    ERROR_INVALID, "contact_missing", "email");
	expect_code(f, testdb_request(&f->db, start, NULL, "12345"), now,
	    ERROR_INVALID, "phone_invalid", "phone");
	r = testdb_request(&f->db, "2026-12-08 12:00", "jan@example.pl", NULL);
	expect_code(f, r, now, ERROR_INVALID, "start_invalid", "start");
	/* the right shape: say what is wrong with it */
	r.start = "2026-02-30T10:00";
	expect_code(f, r, now, ERROR_INVALID, "start_no_such_day", "start");
	r.start = "2027-03-28T02:30"; /* the clocks go from 02:00 to 03:00 */
	expect_code(f, r, now, ERROR_INVALID, "start_clock_change", "start");
	r.start = start;
	r.language = "de";
	expect_code(f, r, now, ERROR_INVALID, "language_invalid", "language");
	/* an unknown service says so without echoing the id */
	r.language = NULL;
	r.service_id = INT64_MAX;
	expect_code(
	    f, r, now, ERROR_NOT_FOUND, "unknown_service", "service_id");
	error_clear(&err);
	assert_int_equal(booking_create(f->db.store, f->db.config, &r,
	                     &f->db.citizen, now, &b, &err),
	    -1);
	assert_null(strstr(err.msg, "9223372036854775807"));
	/* state errors */
	b = book(f, start, "jan@example.pl", NULL);
	error_clear(&err);
	assert_int_equal(
	    booking_apply(f->db.store, f->db.config, b.reference,
	        ACTION_CONFIRM, &f->db.citizen, b.confirm_by + 1, NULL, &err),
	    -1);
	assert_string_equal(err.code, "confirm_expired");
	assert_int_equal(booking_apply(f->db.store, f->db.config, "NOSUCHREF2",
	                     ACTION_CANCEL, &f->db.citizen, now, NULL, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_NOT_FOUND);
	assert_string_equal(err.code, "unknown_booking");
	r = testdb_request(&f->db, start, "ewa@example.pl", NULL);
	expect_code(f, r, now, ERROR_CONFLICT, "slot_taken", "start");
}

static void
test_email_addresses(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {
	    "a..b@x..pl",
	    ".a@x.pl",
	    "a.@x.pl",
	    "a..b@example.pl",
	    "jan@x..pl",
	    "jan@.example.pl",
	    "jan@example.pl.",
	    "jan@-example.pl",
	    "jan@example-.pl",
	    "jan@example",
	    "jan@127.0.0.1",
	    "jan@[192.0.2.1]",
	    "\"jan kowalski\"@example.pl",
	    "jan@exa_mple.pl",
	    "jan@@example.pl",
	    "jan@example.pl\r\nBcc: x@y.pl",
	    "jan@ex ample.pl",
	    "jan@xn--.pl",
	    "",
	};
	const struct outbox_message *mail;
	struct outbox_message *rows;
	char value[512];
	struct booking b;
	size_t i, n;
	time_t now = testdb_local(MONDAY_9);

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct booking_request r =
		    testdb_request(&f->db, "2026-12-08T12:00", bad[i], NULL);

		if (bad[i][0] == '\0')
			continue;
		expect_code(f, r, now, ERROR_INVALID, "email_invalid", "email");
	}
	/* RFC 6531 local parts need SMTPUTF8, which our SMTP path cannot ask
	 * for: a clear refusal of its own */
	expect_code(f,
	    testdb_request(&f->db, "2026-12-08T12:00", "żółw@example.pl", NULL),
	    now, ERROR_INVALID, "email_local_not_ascii", "email");
	/* real addresses: dot-atom specials, plus addresses, blanks around */
	b = book(
	    f, "2026-12-08T10:00", " o'brien+wizyta@mail.example.co.uk ", NULL);
	assert_string_equal(b.email, "o'brien+wizyta@mail.example.co.uk");
	/* an internationalised domain: stored as people write it (lower-case
	 * U-labels), sent to the A-label form every server accepts */
	b = book(f, "2026-12-08T10:15", "Jan.Kowalski@ŻÓŁW.pl", NULL);
	assert_string_equal(b.email, "Jan.Kowalski@żółw.pl");
	rows = outbox(f, b.id, &n);
	mail = find_row(rows, n, "email", "confirm_request");
	assert_string_equal(mail->recipient, "Jan.Kowalski@xn--w-uga1v8h.pl");
	header(mail->payload, "To", value, sizeof value);
	assert_string_equal(value, "Jan.Kowalski@xn--w-uga1v8h.pl");
	outbox_list_free(rows, n);
	/* either form finds the booking */
	assert_true(booking_check_contact(&b, "jan.kowalski@xn--w-uga1v8h.pl"));
	assert_true(booking_check_contact(&b, "JAN.KOWALSKI@żółw.PL"));
	assert_false(booking_check_contact(&b, "jan.kowalsky@żółw.pl"));
	/* the A-label form typed in is the same mailbox, stored alike */
	b = book(f, "2026-12-08T10:30", "anna@xn--w-uga1v8h.pl", NULL);
	assert_string_equal(b.email, "anna@żółw.pl");
}

static void
test_phone_numbers(void **state)
{
	struct fixture *f = *state;
	time_t now = testdb_local(MONDAY_9);
	struct error err;
	struct booking b;

	/* toll fraud: premium, special-rate and satellite numbers get no SMS,
	 * so they are refused at booking, with or without an e-mail */
	expect_code(f,
	    testdb_request(
	        &f->db, "2026-12-08T12:00", NULL, "+881 6 1234 5678"),
	    now, ERROR_INVALID, "phone_premium", "phone");
	expect_code(f,
	    testdb_request(
	        &f->db, "2026-12-08T12:00", "jan@example.pl", "701 234 567"),
	    now, ERROR_INVALID, "phone_premium", "phone");
	expect_code(f,
	    testdb_request(
	        &f->db, "2026-12-08T12:00", NULL, "0048 800 123 456"),
	    now, ERROR_INVALID, "phone_premium", "phone");
	testdb_set(&f->db.config->sms_countries, "48");
	expect_code(f,
	    testdb_request(&f->db, "2026-12-08T12:00", NULL, "+1 202 555 0123"),
	    now, ERROR_INVALID, "phone_country", "phone");
	/* STOP: a phone-only booking could never be confirmed, so it is
	 * refused saying why; with an e-mail it goes ahead */
	error_clear(&err);
	assert_int_equal(
	    store_sms_optout_add(f->db.store, "+48600700800", now, &err), 0);
	expect_code(f,
	    testdb_request(&f->db, "2026-12-08T12:00", NULL, "600 700 800"),
	    now, ERROR_INVALID, "phone_opted_out", "phone");
	b = book(f, "2026-12-08T12:00", "jan@example.pl", "600 700 800");
	assert_int_equal(b.status, BOOKING_PENDING);
}

/* book_from: a booking request from a client address; 0 or the error */
static int
book_from(struct fixture *f, struct store *s, const char *start,
    const char *client, time_t now, struct booking *b, struct error *err)
{
	struct booking_request r;
	char email[64];
	static unsigned serial;

	snprintf(email, sizeof email, "citizen%u@example.pl", ++serial);
	r = testdb_request(&f->db, start, email, NULL);
	r.client = client;
	error_clear(err);
	return booking_create(s, f->db.config, &r, &f->db.citizen, now, b, err);
}

static void
test_pending_limits(void **state)
{
	struct fixture *f = *state;
	time_t now = testdb_local(MONDAY_9);
	struct store *other;
	struct booking b, first;
	struct error err;

	f->db.config->max_pending_per_address = 2;
	f->db.config->max_pending_per_network = 3;
	/* another connection, as another wizyta-web process would have */
	error_clear(&err);
	assert_non_null(other = store_open(f->db.path, &err));

	assert_int_equal(book_from(f, f->db.store, "2026-12-08T08:00",
	                     "192.0.2.10", now, &first, &err),
	    0);
	assert_int_equal(book_from(f, other, "2026-12-08T08:15", "192.0.2.10",
	                     now, &b, &err),
	    0);
	/* a third from the same address: refused, whichever process asks */
	assert_int_equal(book_from(f, f->db.store, "2026-12-08T08:30",
	                     "192.0.2.10", now, &b, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_LIMIT);
	assert_string_equal(err.code, "too_many_pending_address");
	/* its /24 neighbour may book once more, then the network is full */
	assert_int_equal(book_from(f, other, "2026-12-08T08:30", "192.0.2.99",
	                     now, &b, &err),
	    0);
	assert_int_equal(book_from(f, f->db.store, "2026-12-08T08:45",
	                     "192.0.2.200", now, &b, &err),
	    -1);
	assert_string_equal(err.code, "too_many_pending_network");
	/* another network is not affected; IPv4-mapped IPv6 is the same IPv4 */
	assert_int_equal(book_from(f, f->db.store, "2026-12-08T08:45",
	                     "198.51.100.7", now, &b, &err),
	    0);
	assert_int_equal(book_from(f, f->db.store, "2026-12-08T09:00",
	                     "::ffff:192.0.2.10", now, &b, &err),
	    -1);
	assert_string_equal(err.code, "too_many_pending_address");
	/* IPv6: one /64 is one network */
	assert_int_equal(book_from(f, f->db.store, "2026-12-08T09:00",
	                     "2001:db8:1:2::a", now, &b, &err),
	    0);
	assert_int_equal(book_from(f, f->db.store, "2026-12-08T09:15",
	                     "2001:db8:1:2::b", now, &b, &err),
	    0);
	assert_int_equal(book_from(f, f->db.store, "2026-12-08T09:30",
	                     "2001:db8:1:2:ffff::1", now, &b, &err),
	    0);
	assert_int_equal(book_from(f, f->db.store, "2026-12-08T09:45",
	                     "2001:db8:1:2::c", now, &b, &err),
	    -1);
	assert_string_equal(err.code, "too_many_pending_network");
	assert_int_equal(book_from(f, f->db.store, "2026-12-08T09:45",
	                     "2001:db8:1:3::a", now, &b, &err),
	    0);

	/* a confirmed booking no longer counts (and its hashes are gone) */
	assert_int_equal(
	    booking_apply(f->db.store, f->db.config, first.reference,
	        ACTION_CONFIRM, &f->db.citizen, now, NULL, &err),
	    0);
	assert_int_equal(book_from(f, other, "2026-12-08T10:00", "192.0.2.10",
	                     now, &b, &err),
	    0);
	assert_int_equal(book_from(f, other, "2026-12-08T10:15", "192.0.2.10",
	                     now, &b, &err),
	    -1);
	assert_string_equal(err.code, "too_many_pending_address");
	/* nor does one whose time to confirm has passed */
	assert_int_equal(book_from(f, other, "2026-12-08T10:15", "192.0.2.10",
	                     now + f->db.config->confirm_within + 1, &b, &err),
	    0);
	store_close(other);
}

static void
test_pressure(void **state)
{
	struct fixture *f = *state;
	time_t now = testdb_local(MONDAY_9);
	struct booking b;
	struct error err;
	char start[OTIME_LOCAL_LEN];
	int i;

	/* the day holds 32 places (08:00-16:00, 15 minutes, one desk) */
	f->db.config->pressure_share = 10;    /* from the 4th pending: > 3.2 */
	f->db.config->max_pending_share = 20; /* the 7th pending: > 6.4 */
	f->db.config->pressure_confirm_within = 5 * 60;
	for (i = 0; i < 6; i++) {
		snprintf(start, sizeof start, "2026-12-08T%02d:%02d", 8 + i / 4,
		    i % 4 * 15);
		assert_int_equal(
		    book_from(f, f->db.store, start, NULL, now, &b, &err), 0);
		/* under pressure the hold is shorter, and the message says so
		 */
		assert_int_equal(b.confirm_by - now, i < 3 ? 30 * 60 : 5 * 60);
	}
	assert_int_equal(
	    book_from(f, f->db.store, "2026-12-08T12:00", NULL, now, &b, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_LIMIT);
	assert_string_equal(err.code, "day_under_pressure");
	/* another day is not under pressure; nor is this one once the holds
	 * run out */
	assert_int_equal(
	    book_from(f, f->db.store, "2026-12-09T12:00", NULL, now, &b, &err),
	    0);
	assert_int_equal(b.confirm_by - now, 30 * 60);
	assert_int_equal(book_from(f, f->db.store, "2026-12-08T12:00", NULL,
	                     now + 6 * 60, &b, &err),
	    0);
	/* staff bookings are not held back */
	f->db.config->max_pending_share = 1;
	{
		struct booking_request r = testdb_request(
		    &f->db, "2026-12-08T13:00", "x@example.pl", NULL);

		/* staff, on the citizen's behalf */
		error_clear(&err);
		assert_int_equal(booking_create(f->db.store, f->db.config, &r,
		                     &f->anna, now, &b, &err),
		    0);
	}
}

/* ---- two connections racing for one slot ------------------------------- */

struct racer {
	struct fixture *f;
	pthread_barrier_t *barrier;
	const char (*starts)[OTIME_LOCAL_LEN];
	size_t rounds;
	int id;
	unsigned won, lost, other;
	char why[256];
};

static void *
race(void *arg)
{
	struct racer *me = arg;
	struct error err;
	struct store *s;
	size_t i;

	error_clear(&err);
	if ((s = store_open(me->f->db.path, &err)) == NULL) {
		snprintf(me->why, sizeof me->why, "%s", err.msg);
		me->other = (unsigned)me->rounds;
	}
	for (i = 0; i < me->rounds; i++) {
		struct booking_request r;
		struct booking b;
		char email[64];

		pthread_barrier_wait(me->barrier);
		if (s == NULL)
			continue;
		snprintf(
		    email, sizeof email, "racer%d.%zu@example.pl", me->id, i);
		memset(&r, 0, sizeof r);
		r.service_id = me->f->db.service;
		r.start = me->starts[i];
		r.first_name = "Jan";
		r.last_name = "Kowalski";
		r.email = email;
		error_clear(&err);
		if (booking_create(s, me->f->db.config, &r, &me->f->db.citizen,
		        testdb_local(MONDAY_9), &b, &err) == 0)
			me->won++;
		else if (err.kind == ERROR_CONFLICT)
			me->lost++;
		else {
			me->other++;
			snprintf(me->why, sizeof me->why, "%s", err.msg);
		}
	}
	store_close(s);
	return NULL;
}

static void
test_race(void **state)
{
	enum { ROUNDS = 50 };
	struct fixture *f = *state;
	static char starts[ROUNDS][OTIME_LOCAL_LEN];
	struct racer racers[2];
	pthread_barrier_t barrier;
	pthread_t threads[2];
	struct booking_filter filter;
	struct booking *list;
	struct error err;
	size_t i, n;
	int t;

	/* 50 distinct slots: Tuesday and Wednesday, every 15 minutes from 08:00
	 */
	for (i = 0; i < ROUNDS; i++) {
		int minute = 8 * 60 + (int)(i % 25) * 15;

		snprintf(starts[i], sizeof starts[i], "2026-12-%02dT%02d:%02d",
		    i < 25 ? 8 : 9, minute / 60, minute % 60);
	}
	assert_int_equal(pthread_barrier_init(&barrier, NULL, 2), 0);
	for (t = 0; t < 2; t++) {
		memset(&racers[t], 0, sizeof racers[t]);
		racers[t].f = f;
		racers[t].barrier = &barrier;
		racers[t].starts = (const char(*)[OTIME_LOCAL_LEN])starts;
		racers[t].rounds = ROUNDS;
		racers[t].id = t;
		assert_int_equal(
		    pthread_create(&threads[t], NULL, race, &racers[t]), 0);
	}
	for (t = 0; t < 2; t++)
		pthread_join(threads[t], NULL);
	pthread_barrier_destroy(&barrier);
	for (t = 0; t < 2; t++)
		if (racers[t].other != 0)
			fail_msg("racer %d: %u unexpected errors (%s)", t,
			    racers[t].other, racers[t].why);
	assert_int_equal(racers[0].won + racers[1].won, ROUNDS);
	assert_int_equal(racers[0].lost + racers[1].lost, ROUNDS);

	/* and the database agrees: exactly one live booking per slot */
	memset(&filter, 0, sizeof filter);
	filter.status = -1;
	filter.live_only = true;
	filter.limit = 1000;
	error_clear(&err);
	assert_int_equal(
	    store_bookings_search(f->db.store, &filter, &list, &n, &err), 0);
	assert_int_equal(n, ROUNDS);
	for (i = 0; i < ROUNDS; i++) {
		time_t start = testdb_local(starts[i]);
		unsigned count = 0;
		size_t j;

		for (j = 0; j < n; j++)
			count += list[j].start == start;
		if (count != 1)
			fail_msg("%s booked %u times", starts[i], count);
	}
	free(list);
}

/* ---- the desk's day: roles, the clock's guards, the audit ------------- */

/* confirmed: a booking booked (with its code) for start */
static struct booking
confirmed(struct fixture *f, const char *start)
{
	struct booking b = book(f, start, "jan@example.pl", NULL);
	struct error err;

	error_clear(&err);
	if (booking_apply(f->db.store, f->db.config, b.reference,
	        ACTION_CONFIRM, &f->db.citizen, testdb_local(MONDAY_9), &b,
	        &err) != 0)
		fail_msg("confirm: %s", err.msg);
	return b;
}

static void
expect_refused(struct fixture *f, const struct booking *b,
    enum booking_action a, const struct actor *who, const char *at,
    enum error_kind kind, const char *code)
{
	struct error err;

	error_clear(&err);
	if (booking_apply(f->db.store, f->db.config, b->reference, a, who,
	        testdb_local(at), NULL, &err) != -1)
		fail_msg("%s at %s was allowed", booking_action_name(a), at);
	if (err.kind != kind || strcmp(err.code, code) != 0)
		fail_msg("%s at %s: %s/%s (%s), expected %s/%s",
		    booking_action_name(a), at, error_kind_name(err.kind),
		    err.code, err.msg, error_kind_name(kind), code);
}

static void
expect_status(struct fixture *f, const struct booking *b, enum booking_action a,
    const struct actor *who, const char *at, enum booking_status want)
{
	struct booking after;
	struct error err;

	error_clear(&err);
	if (booking_apply(f->db.store, f->db.config, b->reference, a, who,
	        testdb_local(at), &after, &err) != 0)
		fail_msg("%s at %s: %s", booking_action_name(a), at, err.msg);
	assert_int_equal(after.status, want);
}

/* The clock, tested with fixed times (DESIGN-NEXT §2: a Tuesday 12:00 visit
 * used to be checked in on Monday 09:00). Defaults: check-in from 1 h
 * before to 30 min after the start, no-show from 5 min after it. */
static void
test_desk_guards(void **state)
{
	struct fixture *f = *state;
	struct booking b = confirmed(f, "2026-12-08T12:00");
	struct booking later = confirmed(f, "2026-12-09T10:00");
	struct booking late = confirmed(f, "2026-12-08T09:00");

	expect_refused(f, &b, ACTION_CHECK_IN, &f->reception, MONDAY_9,
	    ERROR_CONFLICT, "too_early");
	expect_refused(f, &b, ACTION_CHECK_IN, &f->reception,
	    "2026-12-08T10:59", ERROR_CONFLICT, "too_early");
	expect_refused(f, &late, ACTION_CHECK_IN, &f->reception,
	    "2026-12-08T09:31", ERROR_CONFLICT, "too_late");
	expect_status(f, &late, ACTION_CHECK_IN, &f->reception,
	    "2026-12-08T09:30", BOOKING_WAITING);
	/* a no-show only once the visit has started (+ grace) */
	expect_refused(f, &b, ACTION_NO_SHOW, &f->anna, "2026-12-08T11:00",
	    ERROR_CONFLICT, "too_early");
	expect_refused(f, &b, ACTION_NO_SHOW, &f->anna, "2026-12-08T12:04",
	    ERROR_CONFLICT, "too_early");
	/* a call or a start only on the visit's day */
	expect_refused(f, &later, ACTION_CALL, &f->anna, "2026-12-08T10:00",
	    ERROR_CONFLICT, "not_today");
	expect_status(f, &b, ACTION_CHECK_IN, &f->reception, "2026-12-08T11:00",
	    BOOKING_WAITING);
	expect_status(
	    f, &b, ACTION_CALL, &f->anna, "2026-12-08T12:00", BOOKING_CALLED);
	expect_status(f, &b, ACTION_START, &f->anna, "2026-12-08T12:01",
	    BOOKING_IN_SERVICE);
	/* a finish never before its start (a clock set back, a stale form) */
	expect_refused(f, &b, ACTION_FINISH, &f->anna, "2026-12-08T12:00",
	    ERROR_CONFLICT, "before_start");
	expect_status(
	    f, &b, ACTION_FINISH, &f->anna, "2026-12-08T12:15", BOOKING_DONE);
	/* and the grace of a no-show, configured */
	f->db.config->reception_no_show_after = 0;
	expect_status(f, &later, ACTION_NO_SHOW, &f->anna, "2026-12-09T10:00",
	    BOOKING_NO_SHOW);
}

/* Who may do what is the domain's: reception checks in and nothing else,
 * a citizen never runs the desk, the gateway only expires. Each operator's
 * change writes its audit row, before → after; citizens' do not. */
static void
test_roles_and_audit(void **state)
{
	struct fixture *f = *state;
	struct booking b = confirmed(f, "2026-12-08T12:00");
	struct audit_entry row;
	struct booking after;
	struct error err;

	expect_refused(f, &b, ACTION_CHECK_IN, &f->db.citizen,
	    "2026-12-08T11:30", ERROR_FORBIDDEN, "forbidden");
	expect_refused(f, &b, ACTION_CALL, &f->reception, "2026-12-08T11:30",
	    ERROR_FORBIDDEN, "forbidden");
	expect_refused(f, &b, ACTION_CANCEL, &f->reception, "2026-12-08T11:30",
	    ERROR_FORBIDDEN, "forbidden");
	expect_refused(f, &b, ACTION_EXPIRE, &f->anna, "2026-12-08T11:30",
	    ERROR_FORBIDDEN, "forbidden");
	expect_refused(f, &b, ACTION_CANCEL, &f->db.system, "2026-12-08T11:30",
	    ERROR_FORBIDDEN, "forbidden");
	assert_int_equal(
	    testdb_audit_count(f->db.store, "booking.confirm", b.id, NULL), 0);

	expect_status(f, &b, ACTION_CHECK_IN, &f->reception, "2026-12-08T11:30",
	    BOOKING_WAITING);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "booking.check_in", b.id, &row), 1);
	assert_string_equal(row.login, "ola");
	assert_string_equal(row.role, "reception");
	assert_string_equal(row.channel, "api");
	assert_string_equal(row.before, "booked");
	assert_string_equal(row.after, "waiting");
	assert_string_equal(row.reference, b.reference);
	assert_string_equal(row.address, "192.0.2.9");
	assert_int_equal(row.at, testdb_local("2026-12-08T11:30"));

	/* the register's way: a status, not an action */
	error_clear(&err);
	assert_int_equal(booking_set_status(f->db.store, f->db.config,
	                     b.reference, BOOKING_CALLED, &f->admin,
	                     testdb_local("2026-12-08T11:50"), &after, &err),
	    0);
	assert_int_equal(after.status, BOOKING_CALLED);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "booking.call", b.id, &row), 1);
	assert_string_equal(row.login, "adam");
	assert_int_equal(booking_set_status(f->db.store, f->db.config,
	                     b.reference, BOOKING_EXPIRED, &f->admin,
	                     testdb_local("2026-12-08T11:50"), &after, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_INVALID);
	assert_int_equal(booking_set_status(f->db.store, f->db.config,
	                     b.reference, BOOKING_DONE, &f->anna,
	                     testdb_local("2026-12-08T11:50"), &after, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	assert_string_equal(err.code, "wrong_state");

	/* a note: staff only; the audit keeps its size, not its words */
	error_clear(&err);
	assert_int_equal(
	    booking_add_note(f->db.store, f->db.config, b.reference,
	        "Dzwonił: spóźni się 5 min", &f->reception,
	        testdb_local("2026-12-08T11:51"), NULL, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_FORBIDDEN);
	assert_int_equal(booking_add_note(f->db.store, f->db.config,
	                     b.reference, "Dzwonił: spóźni się 5 min", &f->anna,
	                     testdb_local("2026-12-08T11:51"), &after, &err),
	    0);
	assert_string_equal(after.note, "Dzwonił: spóźni się 5 min");
	assert_int_equal(
	    testdb_audit_count(f->db.store, "booking.note", b.id, &row), 1);
	assert_null(strstr(row.detail, "Dzwonił"));
	assert_int_equal(
	    booking_add_note(f->db.store, f->db.config, b.reference, "a\x01b",
	        &f->anna, testdb_local("2026-12-08T11:51"), NULL, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_INVALID);

	/* the audit's filters */
	{
		struct audit_filter filter;
		struct audit_entry *list;
		size_t n;

		memset(&filter, 0, sizeof filter);
		filter.login = "ola";
		assert_int_equal(
		    store_audit_list(f->db.store, &filter, &list, &n, &err), 0);
		assert_int_equal(n, 1);
		free(list);
		filter.login = "";
		filter.reference = b.reference;
		filter.from = testdb_local("2026-12-08T11:40");
		filter.to = testdb_local("2026-12-08T11:51");
		assert_int_equal(
		    store_audit_list(f->db.store, &filter, &list, &n, &err), 0);
		assert_int_equal(n, 1); /* the call at 11:50 */
		assert_string_equal(list[0].action, "booking.call");
		free(list);
	}
}

/* the statuses CHECKed by the database itself (migration 3) */
static void
test_status_checked(void **state)
{
	struct fixture *f = *state;
	struct booking b = book(f, "2026-12-08T12:00", "jan@example.pl", NULL);
	struct error err;

	error_clear(&err);
	assert_int_equal(store_booking_set_status(
	                     f->db.store, b.id, BOOKING_STATUS_COUNT, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	/* and one definition of "live" */
	assert_true(booking_status_live(BOOKING_PENDING));
	assert_true(booking_status_live(BOOKING_IN_SERVICE));
	assert_false(booking_status_live(BOOKING_DONE));
	assert_false(booking_status_live(BOOKING_CANCELLED));
	assert_false(booking_status_live(BOOKING_STATUS_COUNT));
}

/* ---- call-next: two desks, two connections, one queue ------------------ */

struct caller {
	struct fixture *f;
	pthread_barrier_t *barrier;
	int64_t desk;
	int64_t called[64];
	size_t n;
	unsigned other;
	char why[256];
};

static void *
call_loop(void *arg)
{
	struct caller *me = arg;
	struct error err;
	struct store *s;
	bool empty = false;

	error_clear(&err);
	if ((s = store_open(me->f->db.path, &err)) == NULL) {
		snprintf(me->why, sizeof me->why, "%s", err.msg);
		me->other++;
	}
	/* both desks call in the same instant each round, until both find
	 * nobody (a barrier round per call keeps them in step) */
	for (;;) {
		struct booking b;

		pthread_barrier_wait(me->barrier);
		if (s == NULL || empty) {
			pthread_barrier_wait(me->barrier);
			break;
		}
		error_clear(&err);
		if (booking_call_next(s, me->f->db.config, me->desk,
		        &me->f->anna, testdb_local("2026-12-08T08:00"), &b,
		        &err) == 0) {
			if (me->n < 64)
				me->called[me->n++] = b.id;
			if (b.desk_id != me->desk || b.status != BOOKING_CALLED)
				me->other++;
		} else if (err.kind == ERROR_NOT_FOUND)
			empty = true;
		else {
			me->other++;
			snprintf(me->why, sizeof me->why, "%s", err.msg);
			empty = true;
		}
		pthread_barrier_wait(me->barrier);
	}
	store_close(s);
	return NULL;
}

static void
test_call_next_two_desks(void **state)
{
	enum { PEOPLE = 24 };
	struct fixture *f = *state;
	struct caller callers[2];
	pthread_barrier_t barrier;
	pthread_t threads[2];
	struct booking people[PEOPLE], b;
	struct desk d;
	struct error err;
	int64_t desk2;
	size_t i, j;
	int t, day;

	/* a second desk serving the same service: one shared queue */
	memset(&d, 0, sizeof d);
	snprintf(d.room, sizeof d.room, "Pokój 2");
	snprintf(d.name, sizeof d.name, "Pokój 2 stanowisko 1");
	d.capacity = 1;
	error_clear(&err);
	assert_int_equal(store_desk_add(f->db.store, &d, &desk2, &err), 0);
	for (day = 1; day <= 5; day++)
		assert_int_equal(store_hours_add(f->db.store, desk2,
		                     f->db.service, day, 8 * 60, 16 * 60, &err),
		    0);
	f->db.config->reception_check_in_early = 12 * 3600;
	for (i = 0; i < PEOPLE; i++) {
		char start[OTIME_LOCAL_LEN];
		int minute = 8 * 60 + (int)(i / 2) * 15;

		snprintf(start, sizeof start, "2026-12-08T%02d:%02d",
		    minute / 60, minute % 60);
		people[i] = confirmed(f, start);
		expect_status(f, &people[i], ACTION_CHECK_IN, &f->reception,
		    "2026-12-08T07:00", BOOKING_WAITING);
	}
	/* nobody waits at a desk that serves nothing and has no bookings */
	memset(&d, 0, sizeof d);
	snprintf(d.room, sizeof d.room, "Pokój 9");
	snprintf(d.name, sizeof d.name, "Pokój 9 stanowisko 1");
	d.capacity = 1;
	{
		int64_t idle;

		assert_int_equal(
		    store_desk_add(f->db.store, &d, &idle, &err), 0);
		assert_int_equal(
		    booking_call_next(f->db.store, f->db.config, idle, &f->anna,
		        testdb_local("2026-12-08T08:00"), &b, &err),
		    -1);
		assert_int_equal(err.kind, ERROR_NOT_FOUND);
		assert_string_equal(err.code, "nobody_waiting");
		/* a desk that does not exist is not a desk nobody waits at:
		 * the clerk (or EZD) learns the id is wrong */
		assert_int_equal(
		    booking_call_next(f->db.store, f->db.config, idle + 1000,
		        &f->anna, testdb_local("2026-12-08T08:00"), &b, &err),
		    -1);
		assert_int_equal(err.kind, ERROR_NOT_FOUND);
		assert_string_equal(err.code, "unknown_desk");
	}
	/* reception may not call */
	assert_int_equal(
	    booking_call_next(f->db.store, f->db.config, f->db.desk,
	        &f->reception, testdb_local("2026-12-08T08:00"), &b, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_FORBIDDEN);

	assert_int_equal(pthread_barrier_init(&barrier, NULL, 2), 0);
	for (t = 0; t < 2; t++) {
		memset(&callers[t], 0, sizeof callers[t]);
		callers[t].f = f;
		callers[t].barrier = &barrier;
		callers[t].desk = t == 0 ? f->db.desk : desk2;
		assert_int_equal(
		    pthread_create(&threads[t], NULL, call_loop, &callers[t]),
		    0);
	}
	for (t = 0; t < 2; t++)
		pthread_join(threads[t], NULL);
	pthread_barrier_destroy(&barrier);
	for (t = 0; t < 2; t++)
		if (callers[t].other != 0)
			fail_msg("desk %d: %u unexpected results (%s)", t,
			    callers[t].other, callers[t].why);
	/* everyone called exactly once, by one desk */
	assert_int_equal(callers[0].n + callers[1].n, PEOPLE);
	for (i = 0; i < PEOPLE; i++) {
		unsigned times = 0;

		for (t = 0; t < 2; t++)
			for (j = 0; j < callers[t].n; j++)
				times += callers[t].called[j] == people[i].id;
		if (times != 1)
			fail_msg(
			    "%s called %u times", people[i].reference, times);
		assert_int_equal(
		    store_booking_get(f->db.store, people[i].id, &b, &err), 0);
		assert_int_equal(b.status, BOOKING_CALLED);
		assert_int_equal(b.called_at, testdb_local("2026-12-08T08:00"));
	}
	/* in the queue's order: each desk's calls by booked time */
	for (t = 0; t < 2; t++)
		for (j = 1; j < callers[t].n; j++) {
			struct booking x, y;

			assert_int_equal(
			    store_booking_get(f->db.store,
			        callers[t].called[j - 1], &x, &err),
			    0);
			assert_int_equal(store_booking_get(f->db.store,
			                     callers[t].called[j], &y, &err),
			    0);
			assert_true(x.start <= y.start);
		}
	assert_int_equal(
	    testdb_audit_count(f->db.store, "booking.call", 0, NULL), PEOPLE);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, testdb_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_create),
	    T(test_desk_guards),
	    T(test_roles_and_audit),
	    T(test_status_checked),
	    T(test_call_next_two_desks),
	    T(test_email_only_and_phone_only),
	    T(test_slot_taken_twice),
	    T(test_holidays),
	    T(test_invalid_fields),
	    T(test_request_errors_all_at_once),
	    T(test_confirm),
	    T(test_illegal_transitions),
	    T(test_expiry),
	    T(test_reschedule),
	    T(test_check_contact),
	    T(test_opted_out_sms_suppressed),
	    T(test_contact_limit),
	    T(test_error_codes),
	    T(test_email_addresses),
	    T(test_phone_numbers),
	    T(test_pending_limits),
	    T(test_pressure),
	    T(test_race),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
