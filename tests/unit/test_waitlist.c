/*
 * test_waitlist.c: the waitlist of a full day (lib/waitlist.h) over a real
 * SQLite file: joining only a full day (and why not), positions, a freed
 * place offered to the first fitting person in the transaction that freed
 * it, TAK, NIE, silence, a late TAK, windows, leaving, booking otherwise,
 * two lines, the lead time and the hold, moves, the gateway's timer, the
 * purge of personal data — and the races, each decided by the database
 * with 64 threads on their own connections: places freeing at once (a
 * person on two lines among them), TAK against the hold's end, TAK against
 * booking otherwise.
 *
 * The office: one 15-minute service, one desk of capacity 1, Monday to
 * Friday 08:00-16:00 (testdb_catalog); tests shorten a day with an
 * exception. `now` is Monday 2026-12-07 09:00 unless said otherwise.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "booking.h"
#include "log.h"
#include "office_time.h"
#include "report.h"
#include "store.h"
#include "testdb.h"
#include "waitlist.h"

#define MONDAY_9 "2026-12-07T09:00"
#define TUESDAY "2026-12-08"
#define WEDNESDAY "2026-12-09"

struct fixture {
	struct testdb db;
	struct actor staff;
	time_t now;
};

static int
setup(void **state)
{
	struct fixture *f = testdb_new(sizeof *f, "waitlist", true);
	struct error err;

	if (f == NULL)
		return -1;
	f->db.config->booking_lead_time = 0;
	f->db.config->waitlist_max_per_contact = 0;
	f->db.config->waitlist_max_per_address = 0;
	error_clear(&err);
	if (testdb_operator(f->db.store, "anna", ROLE_STAFF, &f->staff, &err) !=
	    0)
		return -1;
	f->now = testdb_local(MONDAY_9);
	*state = f;
	return 0;
}

/* short_day: the desk opens only [opens, closes) that day */
static void
short_day(struct fixture *f, const char *day, int opens, int closes)
{
	struct error err;
	struct date d;

	error_clear(&err);
	assert_int_equal(date_parse(day, &d), 0);
	if (store_exception_add(
	        f->db.store, f->db.desk, d, opens, closes, "short", &err) != 0)
		fail_msg("exception: %s", err.msg);
}

/* book: a citizen's booking, confirmed when asked; its id */
static int64_t
book_as(struct fixture *f, struct store *s, const char *start,
    const char *email, bool confirm, time_t now)
{
	struct booking_request r = testdb_request(&f->db, start, email, NULL);
	struct booking b = testdb_create(&f->db, s, &r, &f->db.citizen, now);
	struct error err;

	error_clear(&err);
	if (confirm &&
	    booking_apply(s, f->db.config, b.reference, ACTION_CONFIRM,
	        &f->db.citizen, now, NULL, &err) != 0)
		fail_msg("confirm %s: %s", start, err.msg);
	return b.id;
}

static int64_t
book(struct fixture *f, const char *start, const char *email)
{
	return book_as(f, f->db.store, start, email, true, f->now);
}

/* fill: every place of a day from..to (minutes), 15 minutes apart */
static void
fill(struct fixture *f, const char *day, int from, int to)
{
	int m;

	for (m = from; m < to; m += 15) {
		char start[OTIME_LOCAL_LEN], email[64];

		snprintf(
		    start, sizeof start, "%sT%02d:%02d", day, m / 60, m % 60);
		snprintf(
		    email, sizeof email, "holder.%s.%d@example.pl", day, m);
		book(f, start, email);
	}
}

/* full_hour: Tuesday open only 09:00-10:00, its four places booked (ids) */
static void
full_hour(struct fixture *f, int64_t ids[4])
{
	int k;

	short_day(f, TUESDAY, 9 * 60, 10 * 60);
	for (k = 0; k < 4; k++) {
		char start[32], email[32];

		snprintf(start, sizeof start, "%sT09:%02d", TUESDAY, k * 15);
		snprintf(email, sizeof email, "p%d@example.pl", k);
		ids[k] = book(f, start, email);
	}
}

static int
join_full(struct fixture *f, struct store *s, const char *day,
    const char *email, const char *phone, const char *from, const char *to,
    struct waitlist_entry *e, struct error *err)
{
	struct waitlist_request r;

	memset(&r, 0, sizeof r);
	r.service_id = f->db.service;
	r.date = day;
	r.from = from;
	r.to = to;
	r.first_name = "Ala";
	r.last_name = "Nowak";
	r.email = email;
	r.phone = phone;
	r.client = "192.0.2.44";
	error_clear(err);
	return waitlist_join(
	    s, f->db.config, &r, &f->db.citizen, f->now, e, err);
}

static struct waitlist_entry
join(struct fixture *f, const char *day, const char *email, const char *from,
    const char *to)
{
	struct waitlist_entry e;
	struct error err;

	if (join_full(f, f->db.store, day, email, NULL, from, to, &e, &err) !=
	    0)
		fail_msg("join %s: %s (%s)", email, err.msg, err.code);
	return e;
}

static void
apply(struct fixture *f, int64_t id, enum booking_action action,
    const struct actor *who, time_t now)
{
	struct booking b = testdb_booking(&f->db, id);

	testdb_apply(&f->db, &b, action, who, now);
}

/* outbox_kinds: the kinds of the messages about a booking (0: about no
 * booking), newest first, joined by spaces; e.g. "waitlist_offer" twice */
static size_t
count_kind(struct fixture *f, int64_t booking_id, const char *kind)
{
	return testdb_outbox_count(f->db.store, booking_id, NULL, kind, NULL);
}

static unsigned
free_slots(struct fixture *f, const char *day)
{
	struct slot *slots;
	struct error err;
	struct date d;
	size_t n;

	error_clear(&err);
	assert_int_equal(date_parse(day, &d), 0);
	if (booking_slots(f->db.store, f->db.config, f->db.service, d, f->now,
	        &slots, &n, &err) != 0)
		fail_msg("slots: %s", err.msg);
	free(slots);
	return (unsigned)n;
}

/* live_at: live bookings holding the desk at a start */
static unsigned
live_at(struct fixture *f, struct store *s, time_t start)
{
	struct error err;
	unsigned n = 0;

	error_clear(&err);
	if (store_busy_count(s, f->db.desk, start, start + 900, 0, &n, &err) !=
	    0)
		fail_msg("busy: %s", err.msg);
	return n;
}

/* ---- joining ----------------------------------------------------------- */

static void
test_join_only_when_full(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry a, b, e;
	struct outbox_message *msgs;
	struct error err;
	size_t n;

	short_day(f, TUESDAY, 9 * 60, 10 * 60);
	book(f, TUESDAY "T09:00", "p1@example.pl");
	book(f, TUESDAY "T09:15", "p2@example.pl");
	book(f, TUESDAY "T09:30", "p3@example.pl");
	/* 09:45 is free: book it instead */
	assert_int_equal(join_full(f, f->db.store, TUESDAY, "ala@example.pl",
	                     NULL, NULL, NULL, &e, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	assert_string_equal(err.code, "places_free");
	/* but a window the free place is outside of may wait */
	a = join(f, TUESDAY, "ala@example.pl", "09:00", "09:30");
	assert_int_equal(a.position, 1);
	assert_int_equal(a.status, WAITLIST_WAITING);
	assert_int_equal(a.window_from, 9 * 60);
	assert_int_equal(a.window_to, 9 * 60 + 30);
	assert_int_equal(strlen(a.reference), 10);
	book(f, TUESDAY "T09:45", "p4@example.pl");
	b = join(f, TUESDAY, "ola@example.pl", NULL, NULL);
	assert_int_equal(b.position, 2);
	/* once per line, whatever the case of the address */
	assert_int_equal(join_full(f, f->db.store, TUESDAY, "OLA@example.pl",
	                     NULL, NULL, NULL, &e, &err),
	    -1);
	assert_string_equal(err.code, "already_waiting");
	/* the joined message, on the entry (no booking) */
	assert_int_equal(
	    store_waitlist_messages(f->db.store, b.id, &msgs, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(msgs[0].kind, "waitlist_joined");
	assert_string_equal(msgs[0].channel, "email");
	free(msgs);
	/* the person already has a visit that day */
	assert_int_equal(join_full(f, f->db.store, TUESDAY, "p1@example.pl",
	                     NULL, NULL, NULL, &e, &err),
	    -1);
	assert_string_equal(err.code, "already_booked");
	/* a phone joins too (two channels) */
	assert_int_equal(join_full(f, f->db.store, TUESDAY, "", "600 700 800",
	                     NULL, NULL, &e, &err),
	    0);
	assert_string_equal(e.phone, "+48600700800");
	assert_int_equal(e.position, 3);
}

static void
expect_refused(struct fixture *f, const char *day, const char *from,
    const char *to, enum error_kind kind, const char *code, const char *field)
{
	struct waitlist_entry e;
	struct error err;

	assert_int_equal(join_full(f, f->db.store, day, "x@example.pl", NULL,
	                     from, to, &e, &err),
	    -1);
	if (err.kind != kind || strcmp(err.code, code) != 0 ||
	    strcmp(err.field, field) != 0)
		fail_msg("%s %s-%s: got %s (%s) field %s, want %s field %s",
		    day, from ? from : "", to ? to : "", err.code, err.msg,
		    err.field, code, field);
}

static void
test_join_refused(void **state)
{
	struct fixture *f = *state;
	struct service sv;
	struct error err;

	short_day(f, TUESDAY, 9 * 60, 10 * 60);
	fill(f, TUESDAY, 9 * 60, 10 * 60);
	expect_refused(
	    f, "2026-13-01", NULL, NULL, ERROR_INVALID, "date_invalid", "date");
	expect_refused(
	    f, "2026-12-04", NULL, NULL, ERROR_INVALID, "day_past", "date");
	expect_refused(f, "2026-12-12", NULL, NULL, ERROR_INVALID,
	    "office_closed", "date"); /* a Saturday */
	expect_refused(f, "2027-06-01", NULL, NULL, ERROR_INVALID,
	    "outside_horizon", "date");
	expect_refused(
	    f, TUESDAY, "9:00", NULL, ERROR_INVALID, "time_invalid", "from");
	expect_refused(f, TUESDAY, "10:00", "09:00", ERROR_INVALID,
	    "window_invalid", "to");
	expect_refused(f, TUESDAY, "12:00", "14:00", ERROR_INVALID,
	    "window_closed", "from");
	/* today after the last place that could still be offered */
	f->now = testdb_local("2026-12-08T09:50");
	expect_refused(
	    f, TUESDAY, NULL, NULL, ERROR_INVALID, "too_late_to_wait", "date");
	f->now = testdb_local(MONDAY_9);
	/* a service without a waitlist */
	error_clear(&err);
	assert_int_equal(
	    store_service_get(f->db.store, f->db.service, &sv, &err), 0);
	sv.waitlist = false;
	assert_int_equal(store_service_update(f->db.store, &sv, &err), 0);
	expect_refused(
	    f, TUESDAY, NULL, NULL, ERROR_INVALID, "no_waitlist", "service_id");
}

static void
test_join_limits(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry e;
	struct error err;

	short_day(f, TUESDAY, 9 * 60, 10 * 60);
	fill(f, TUESDAY, 9 * 60, 10 * 60);
	short_day(f, WEDNESDAY, 9 * 60, 10 * 60);
	fill(f, WEDNESDAY, 9 * 60, 10 * 60);
	f->db.config->waitlist_max_per_contact = 1;
	join(f, TUESDAY, "ala@example.pl", NULL, NULL);
	assert_int_equal(join_full(f, f->db.store, WEDNESDAY, "ala@example.pl",
	                     NULL, NULL, NULL, &e, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_LIMIT);
	assert_string_equal(err.code, "too_many_waitlists");
	f->db.config->waitlist_max_per_contact = 0;
	/* one client address: the limit counts what it joined */
	f->db.config->waitlist_max_per_address = 2;
	join(f, WEDNESDAY, "ala@example.pl", NULL, NULL);
	assert_int_equal(join_full(f, f->db.store, WEDNESDAY, "ola@example.pl",
	                     NULL, NULL, NULL, &e, &err),
	    -1);
	assert_string_equal(err.code, "too_many_waitlists_address");
	f->db.config->waitlist_max_per_address = 0;
}

/* ---- offers ------------------------------------------------------------ */

/* a full short Tuesday, Ala then Ola in line */
static void
two_in_line(struct fixture *f, int64_t ids[4], struct waitlist_entry *ala,
    struct waitlist_entry *ola)
{
	short_day(f, TUESDAY, 9 * 60, 10 * 60);
	ids[0] = book(f, TUESDAY "T09:00", "p1@example.pl");
	ids[1] = book(f, TUESDAY "T09:15", "p2@example.pl");
	ids[2] = book(f, TUESDAY "T09:30", "p3@example.pl");
	ids[3] = book(f, TUESDAY "T09:45", "p4@example.pl");
	*ala = join(f, TUESDAY, "ala@example.pl", NULL, NULL);
	*ola = join(f, TUESDAY, "ola@example.pl", NULL, NULL);
}

static void
test_cancel_offer_tak(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala, ola;
	struct booking offer;
	int64_t ids[4];

	two_in_line(f, ids, &ala, &ola);
	/* a cancellation: the place is Ala's for the hold, at once */
	apply(f, ids[1], ACTION_CANCEL, &f->db.citizen, f->now);
	ala = testdb_entry(&f->db, ala.id);
	assert_int_equal(ala.status, WAITLIST_OFFERED);
	assert_int_equal(ala.offers, 1);
	offer = testdb_booking(&f->db, ala.booking_id);
	assert_int_equal(offer.status, BOOKING_PENDING);
	assert_string_equal(offer.source, "waitlist");
	assert_int_equal(offer.start, testdb_local(TUESDAY "T09:15"));
	assert_int_equal(offer.confirm_by, f->now + 15 * 60);
	assert_string_equal(offer.email, "ala@example.pl");
	assert_string_equal(ala.offer_reference, offer.reference);
	assert_int_equal(ala.offer_until, offer.confirm_by);
	assert_int_equal(count_kind(f, offer.id, "waitlist_offer"), 1);
	/* invisible to others: no free place */
	assert_int_equal(free_slots(f, TUESDAY), 0);
	assert_int_equal(testdb_entry(&f->db, ola.id).position, 2);
	/* TAK: booked, the access code follows */
	apply(f, offer.id, ACTION_CONFIRM, &f->db.citizen, f->now + 600);
	offer = testdb_booking(&f->db, offer.id);
	assert_int_equal(offer.status, BOOKING_BOOKED);
	assert_int_equal(strlen(offer.access_code), 6);
	assert_int_equal(count_kind(f, offer.id, "access_code"), 1);
	assert_int_equal(testdb_entry(&f->db, ala.id).status, WAITLIST_BOOKED);
	assert_int_equal(testdb_entry(&f->db, ala.id).position, 0);
	assert_int_equal(testdb_entry(&f->db, ola.id).position, 1);
	assert_int_equal(testdb_entry(&f->db, ola.id).status, WAITLIST_WAITING);
}

/* the offer's SMS: "odpowiedz TAK w ciągu 15 minut" where phones can
 * answer; the link where they cannot (an alphanumeric sender), like the
 * confirmation request */
static void
test_offer_sms_two_way_and_one_way(void **state)
{
	struct fixture *f = *state;
	struct outbox_message *list;
	struct waitlist_entry e;
	struct error err;
	size_t n, i;
	int64_t ids[4], offers[2];
	int k;

	full_hour(f, ids);
	assert_int_equal(join_full(f, f->db.store, TUESDAY, "", "600 700 800",
	                     NULL, NULL, &e, &err),
	    0);
	assert_int_equal(join_full(f, f->db.store, TUESDAY, "", "600 700 801",
	                     NULL, NULL, &e, &err),
	    0);
	apply(f, ids[0], ACTION_CANCEL, &f->db.citizen, f->now);
	testdb_set(&f->db.config->sms_sender, "URZAD");
	apply(f, ids[1], ACTION_CANCEL, &f->db.citizen, f->now);
	testdb_set(&f->db.config->sms_sender, "48500100200");
	error_clear(&err);
	assert_int_equal(
	    store_outbox_list(f->db.store, "sms", 0, 100, &list, &n, &err), 0);
	for (i = 0, k = 0; i < n; i++)
		if (strcmp(list[i].kind, "waitlist_offer") == 0 && k < 2)
			offers[k++] = list[i].id;
	assert_int_equal(k, 2);
	/* newest first: the one-way one, then the two-way one */
	for (i = 0; i < n; i++) {
		if (list[i].id == offers[1])
			assert_non_null(
			    strstr(list[i].payload, "TAK w ciagu 15 minut"));
		if (list[i].id == offers[0]) {
			assert_non_null(strstr(list[i].payload, "/confirm?t="));
			assert_null(strstr(list[i].payload, "Odpowiedz TAK"));
			assert_non_null(strstr(list[i].payload, "15 minut"));
		}
	}
	outbox_list_free(list, n);
}

/* an admin's words (settings "templates.KIND.LANG.PART", issue 13) are
 * what the waitlist's messages say, with the entry's variables and the
 * hold in force */
static void
test_admin_words(void **state)
{
	struct fixture *f = *state;
	struct outbox_message *list;
	struct waitlist_entry e;
	struct error err;
	size_t n, i, seen = 0;
	int64_t ids[4];

	config_text_set(f->db.config, "templates.waitlist_joined.pl.sms",
	    "Jestes {position}. w kolejce{window}. Wyjscie: {leave_url}");
	config_text_set(f->db.config, "templates.waitlist_offer.pl.sms",
	    "Wolne {day} {time}, czeka do {until} ({within_for}). {reference}");
	f->db.config->waitlist_hold = 20 * 60;
	full_hour(f, ids);
	assert_int_equal(join_full(f, f->db.store, TUESDAY, "", "600 700 800",
	                     "09:00", "09:30", &e, &err),
	    0);
	apply(f, ids[1], ACTION_CANCEL, &f->db.citizen, f->now);
	error_clear(&err);
	assert_int_equal(
	    store_outbox_list(f->db.store, "sms", 0, 100, &list, &n, &err), 0);
	for (i = 0; i < n; i++) {
		if (strcmp(list[i].kind, "waitlist_joined") == 0) {
			const char *want = "Jestes 1. w kolejce, godz. "
			                   "09:00-09:30. Wyjscie: http";

			if (strncmp(list[i].payload, want, strlen(want)) != 0)
				fail_msg("joined: %s", list[i].payload);
			assert_non_null(strstr(list[i].payload, "/leave?t="));
			seen++;
		}
		if (strcmp(list[i].kind, "waitlist_offer") == 0) {
			const char *want =
			    "Wolne 08.12 09:15, czeka do 09:20 (20 minut). ";

			if (strncmp(list[i].payload, want, strlen(want)) != 0)
				fail_msg("offer: %s", list[i].payload);
			seen++;
		}
	}
	outbox_list_free(list, n);
	assert_int_equal(seen, 2);
}

static void
test_silence_next_and_late_tak(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala, ola;
	struct booking offer, next;
	struct error err;
	unsigned n;
	int64_t ids[4];

	two_in_line(f, ids, &ala, &ola);
	apply(f, ids[0], ACTION_CANCEL, &f->db.citizen, f->now);
	offer = testdb_booking(&f->db, testdb_entry(&f->db, ala.id).booking_id);
	/* the hold passes: the gateway's expiry passes it on */
	error_clear(&err);
	assert_int_equal(booking_expire_due(f->db.store, f->db.config,
	                     offer.confirm_by + 1, &n, &err),
	    0);
	assert_int_equal(n, 1);
	assert_int_equal(
	    testdb_booking(&f->db, offer.id).status, BOOKING_EXPIRED);
	assert_int_equal(count_kind(f, offer.id, "offer_lapsed"), 1);
	assert_int_equal(count_kind(f, offer.id, "expired"), 0);
	assert_int_equal(testdb_entry(&f->db, ala.id).status, WAITLIST_LAPSED);
	ola = testdb_entry(&f->db, ola.id);
	assert_int_equal(ola.status, WAITLIST_OFFERED);
	next = testdb_booking(&f->db, ola.booking_id);
	assert_int_equal(next.start, offer.start);
	assert_int_equal(next.confirm_by, offer.confirm_by + 1 + 15 * 60);
	/* Ala's TAK comes late: refused, nothing changes */
	assert_int_equal(booking_apply(f->db.store, f->db.config,
	                     offer.reference, ACTION_CONFIRM, &f->db.citizen,
	                     offer.confirm_by + 5, NULL, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	assert_int_equal(
	    testdb_booking(&f->db, next.id).status, BOOKING_PENDING);
	/* a TAK just before the hold ends still counts */
	apply(f, next.id, ACTION_CONFIRM, &f->db.citizen, next.confirm_by);
	assert_int_equal(
	    testdb_booking(&f->db, next.id).status, BOOKING_BOOKED);
}

static void
test_nie_next(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala, ola;
	struct booking offer;
	int64_t ids[4];

	two_in_line(f, ids, &ala, &ola);
	apply(f, ids[3], ACTION_CANCEL, &f->db.citizen, f->now);
	offer = testdb_booking(&f->db, testdb_entry(&f->db, ala.id).booking_id);
	/* NIE: declined, Ola is offered the same place */
	apply(f, offer.id, ACTION_CANCEL, &f->db.citizen, f->now + 60);
	assert_int_equal(
	    testdb_booking(&f->db, offer.id).status, BOOKING_CANCELLED);
	assert_int_equal(count_kind(f, offer.id, "offer_declined"), 1);
	assert_int_equal(count_kind(f, offer.id, "cancelled"), 0);
	assert_int_equal(
	    testdb_entry(&f->db, ala.id).status, WAITLIST_DECLINED);
	ola = testdb_entry(&f->db, ola.id);
	assert_int_equal(ola.status, WAITLIST_OFFERED);
	assert_int_equal(
	    testdb_booking(&f->db, ola.booking_id).start, offer.start);
	/* staff cancelling an offer: the ordinary cancellation notice, and
	 * nobody left to offer it to */
	apply(f, ola.booking_id, ACTION_CANCEL, &f->staff, f->now + 120);
	assert_int_equal(count_kind(f, ola.booking_id, "cancelled"), 1);
	assert_int_equal(free_slots(f, TUESDAY), 1);
}

static void
test_window_decides(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala, ola;
	int64_t ids[4];

	short_day(f, TUESDAY, 9 * 60, 10 * 60);
	ids[0] = book(f, TUESDAY "T09:00", "p1@example.pl");
	ids[1] = book(f, TUESDAY "T09:15", "p2@example.pl");
	ids[2] = book(f, TUESDAY "T09:30", "p3@example.pl");
	ids[3] = book(f, TUESDAY "T09:45", "p4@example.pl");
	ala = join(f, TUESDAY, "ala@example.pl", "09:30", "10:00");
	ola = join(f, TUESDAY, "ola@example.pl", NULL, NULL);
	/* 09:15 is outside Ala's window: Ola, behind her, gets it */
	apply(f, ids[1], ACTION_CANCEL, &f->db.citizen, f->now);
	assert_int_equal(testdb_entry(&f->db, ala.id).status, WAITLIST_WAITING);
	assert_int_equal(testdb_entry(&f->db, ola.id).status, WAITLIST_OFFERED);
	/* 09:30 fits Ala */
	apply(f, ids[2], ACTION_CANCEL, &f->db.citizen, f->now);
	ala = testdb_entry(&f->db, ala.id);
	assert_int_equal(ala.status, WAITLIST_OFFERED);
	assert_int_equal(testdb_booking(&f->db, ala.booking_id).start,
	    testdb_local(TUESDAY "T09:30"));
}

static void
test_leave(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala, ola, out;
	struct outbox_message *msgs;
	struct error err;
	size_t n;
	int64_t ids[4];

	two_in_line(f, ids, &ala, &ola);
	error_clear(&err);
	assert_int_equal(waitlist_leave(f->db.store, f->db.config,
	                     ala.reference, &f->db.citizen, f->now, &out, &err),
	    0);
	assert_int_equal(out.status, WAITLIST_LEFT);
	assert_int_equal(testdb_entry(&f->db, ola.id).position, 1);
	assert_int_equal(
	    store_waitlist_messages(f->db.store, ala.id, &msgs, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(msgs[1].kind, "waitlist_left");
	free(msgs);
	/* twice is no error */
	assert_int_equal(waitlist_leave(f->db.store, f->db.config,
	                     ala.reference, &f->db.citizen, f->now, &out, &err),
	    0);
	/* leaving with an offer in hand passes it on */
	apply(f, ids[2], ACTION_CANCEL, &f->db.citizen, f->now);
	ola = testdb_entry(&f->db, ola.id);
	assert_int_equal(ola.status, WAITLIST_OFFERED);
	assert_int_equal(waitlist_leave(f->db.store, f->db.config,
	                     ola.reference, &f->db.citizen, f->now, &out, &err),
	    0);
	assert_int_equal(out.status, WAITLIST_DECLINED);
	assert_int_equal(
	    testdb_booking(&f->db, ola.booking_id).status, BOOKING_CANCELLED);
	assert_int_equal(free_slots(f, TUESDAY), 1);
	/* an unknown reference */
	assert_int_equal(waitlist_leave(f->db.store, f->db.config, "ABCDEFGH23",
	                     &f->db.citizen, f->now, &out, &err),
	    -1);
	assert_string_equal(err.code, "unknown_waitlist");
	/* the gateway's timer may not */
	assert_int_equal(waitlist_leave(f->db.store, f->db.config,
	                     ola.reference, &f->db.system, f->now, &out, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_FORBIDDEN);
}

static void
test_booking_otherwise(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala;
	struct booking offer;
	int64_t ids[4], mine;

	short_day(f, TUESDAY, 9 * 60, 10 * 60);
	ids[0] = book(f, TUESDAY "T09:00", "p1@example.pl");
	ids[1] = book(f, TUESDAY "T09:15", "p2@example.pl");
	ids[2] = book(f, TUESDAY "T09:30", "p3@example.pl");
	ids[3] = book(f, TUESDAY "T09:45", "p4@example.pl");
	ala = join(f, TUESDAY, "ala@example.pl", NULL, NULL);
	apply(f, ids[1], ACTION_CANCEL, &f->db.citizen, f->now);
	offer = testdb_booking(&f->db, testdb_entry(&f->db, ala.id).booking_id);
	/* a second place frees; nobody else waits: anyone may book it */
	apply(f, ids[3], ACTION_CANCEL, &f->db.citizen, f->now);
	assert_int_equal(free_slots(f, TUESDAY), 1);
	/* Ala books it herself: her offer is released, her line ended */
	mine = book(f, TUESDAY "T09:45", "ala@example.pl");
	assert_int_equal(
	    testdb_booking(&f->db, offer.id).status, BOOKING_CANCELLED);
	assert_int_equal(count_kind(f, offer.id, "cancelled"), 0);
	assert_int_equal(
	    testdb_entry(&f->db, ala.id).status, WAITLIST_SUPERSEDED);
	assert_int_equal(testdb_booking(&f->db, mine).status, BOOKING_BOOKED);
	assert_int_equal(free_slots(f, TUESDAY), 1);
}

static void
test_two_lines_in_turns(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry tue, wed, ola;
	int64_t tue_ids[4], wed_ids[4];

	short_day(f, TUESDAY, 9 * 60, 10 * 60);
	short_day(f, WEDNESDAY, 9 * 60, 10 * 60);
	for (int i = 0; i < 4; i++) {
		char start[OTIME_LOCAL_LEN], email[32];

		snprintf(start, sizeof start, "%sT09:%02d", TUESDAY, i * 15);
		snprintf(email, sizeof email, "t%d@example.pl", i);
		tue_ids[i] = book(f, start, email);
		snprintf(start, sizeof start, "%sT09:%02d", WEDNESDAY, i * 15);
		snprintf(email, sizeof email, "w%d@example.pl", i);
		wed_ids[i] = book(f, start, email);
	}
	tue = join(f, TUESDAY, "ala@example.pl", NULL, NULL);
	wed = join(f, WEDNESDAY, "ala@example.pl", NULL, NULL);
	ola = join(f, WEDNESDAY, "ola@example.pl", NULL, NULL);
	apply(f, tue_ids[0], ACTION_CANCEL, &f->db.citizen, f->now);
	apply(f, wed_ids[0], ACTION_CANCEL, &f->db.citizen, f->now);
	/* one open offer at a time: Wednesday's goes to Ola */
	assert_int_equal(testdb_entry(&f->db, tue.id).status, WAITLIST_OFFERED);
	assert_int_equal(testdb_entry(&f->db, wed.id).status, WAITLIST_WAITING);
	assert_int_equal(testdb_entry(&f->db, ola.id).status, WAITLIST_OFFERED);
	/* Ala takes Tuesday's: her Wednesday line ends */
	apply(f, testdb_entry(&f->db, tue.id).booking_id, ACTION_CONFIRM,
	    &f->db.citizen, f->now);
	assert_int_equal(
	    testdb_entry(&f->db, wed.id).status, WAITLIST_SUPERSEDED);
}

static void
test_lead_time_and_hold(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala;
	int64_t ids[4];

	f->db.config->booking_lead_time = 3600;
	f->now = testdb_local("2026-12-08T07:00");
	short_day(f, TUESDAY, 9 * 60, 10 * 60);
	ids[0] = book_as(f, f->db.store, TUESDAY "T09:00", "p1@example.pl",
	    true, testdb_local(MONDAY_9));
	ids[1] = book_as(f, f->db.store, TUESDAY "T09:15", "p2@example.pl",
	    true, testdb_local(MONDAY_9));
	ids[2] = book_as(f, f->db.store, TUESDAY "T09:30", "p3@example.pl",
	    true, testdb_local(MONDAY_9));
	ids[3] = book_as(f, f->db.store, TUESDAY "T09:45", "p4@example.pl",
	    true, testdb_local(MONDAY_9));
	ala = join(f, TUESDAY, "ala@example.pl", NULL, NULL);
	/* at 08:00 a place at 09:00 is within lead time + hold (75 min): it
	 * stays free for whoever books it; 09:15 is just far enough */
	apply(f, ids[0], ACTION_CANCEL, &f->db.citizen,
	    testdb_local(TUESDAY "T08:00"));
	assert_int_equal(testdb_entry(&f->db, ala.id).status, WAITLIST_WAITING);
	apply(f, ids[1], ACTION_CANCEL, &f->db.citizen,
	    testdb_local(TUESDAY "T08:00"));
	ala = testdb_entry(&f->db, ala.id);
	assert_int_equal(ala.status, WAITLIST_OFFERED);
	assert_int_equal(testdb_booking(&f->db, ala.booking_id).start,
	    testdb_local(TUESDAY "T09:15"));
	f->db.config->booking_lead_time = 0;
}

static void
test_move_frees_old_place(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala, ola;
	struct booking b;
	struct error err;
	int64_t ids[4];

	two_in_line(f, ids, &ala, &ola);
	b = testdb_booking(&f->db, ids[2]);
	error_clear(&err);
	assert_int_equal(
	    booking_reschedule(f->db.store, f->db.config, b.reference,
	        WEDNESDAY "T11:00", 0, &f->db.citizen, f->now, NULL, &err),
	    0);
	ala = testdb_entry(&f->db, ala.id);
	assert_int_equal(ala.status, WAITLIST_OFFERED);
	b = testdb_booking(&f->db, ala.booking_id);
	assert_int_equal(b.start, testdb_local(TUESDAY "T09:30"));
	/* an offer itself is taken or passed, not moved */
	assert_int_equal(
	    booking_reschedule(f->db.store, f->db.config, b.reference,
	        WEDNESDAY "T12:00", 0, &f->db.citizen, f->now, NULL, &err),
	    -1);
	assert_string_equal(err.code, "offer_not_movable");
}

static void
test_timer(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala, old;
	struct error err;
	struct date d;
	unsigned ended, offered;

	short_day(f, TUESDAY, 9 * 60, 10 * 60);
	fill(f, TUESDAY, 9 * 60, 10 * 60);
	ala = join(f, TUESDAY, "ala@example.pl", NULL, NULL);
	/* more hours that day, without any booking changing: the timer
	 * offers the new place to the line first */
	assert_int_equal(date_parse(TUESDAY, &d), 0);
	error_clear(&err);
	assert_int_equal(store_exception_add(f->db.store, f->db.desk, d,
	                     10 * 60, 10 * 60 + 15, "longer", &err),
	    0);
	assert_int_equal(waitlist_due(f->db.store, f->db.config, f->now, &ended,
	                     &offered, &err),
	    0);
	assert_int_equal(offered, 1);
	assert_int_equal(ended, 0);
	ala = testdb_entry(&f->db, ala.id);
	assert_int_equal(ala.status, WAITLIST_OFFERED);
	assert_int_equal(testdb_booking(&f->db, ala.booking_id).start,
	    testdb_local(TUESDAY "T10:00"));
	/* the day passes: the line ends */
	old = join(f, TUESDAY, "ola@example.pl", NULL, NULL);
	assert_int_equal(
	    waitlist_due(f->db.store, f->db.config,
	        testdb_local("2026-12-09T00:01"), &ended, &offered, &err),
	    0);
	assert_int_equal(ended, 1);
	assert_int_equal(testdb_entry(&f->db, old.id).status, WAITLIST_ENDED);
}

/* through the SMS quiet hours no offer is made: the freed place stays free
 * and the timer offers it to the line when the hours end */
static void
test_quiet_hours_wait(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala;
	struct error err;
	unsigned ended, offered;
	int64_t ids[4];
	time_t night = testdb_local("2026-12-07T22:00");

	f->db.config->sms_quiet.from = 21 * 60;
	f->db.config->sms_quiet.to = 8 * 60;
	full_hour(f, ids);
	ala = join(f, TUESDAY, "ala@example.pl", NULL, NULL);
	apply(f, ids[1], ACTION_CANCEL, &f->db.citizen, night);
	assert_int_equal(testdb_entry(&f->db, ala.id).status, WAITLIST_WAITING);
	assert_int_equal(free_slots(f, TUESDAY), 1);
	error_clear(&err);
	assert_int_equal(waitlist_due(f->db.store, f->db.config, night + 1800,
	                     &ended, &offered, &err),
	    0);
	assert_int_equal(offered, 0);
	assert_int_equal(testdb_entry(&f->db, ala.id).status, WAITLIST_WAITING);
	/* the hours end: the place is Ala's for the hold */
	assert_int_equal(
	    waitlist_due(f->db.store, f->db.config,
	        testdb_local(TUESDAY "T08:00"), &ended, &offered, &err),
	    0);
	assert_int_equal(offered, 1);
	ala = testdb_entry(&f->db, ala.id);
	assert_int_equal(ala.status, WAITLIST_OFFERED);
	assert_int_equal(testdb_booking(&f->db, ala.booking_id).start,
	    testdb_local(TUESDAY "T09:15"));
}

static void
test_purge(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala, ola;
	struct outbox_message *msgs;
	struct error err;
	struct date d;
	unsigned ended, offered, n;
	size_t nm;

	short_day(f, TUESDAY, 9 * 60, 10 * 60);
	fill(f, TUESDAY, 9 * 60, 10 * 60);
	ala = join(f, TUESDAY, "ala@example.pl", NULL, NULL);
	ola = join(f, TUESDAY, "ola@example.pl", NULL, NULL);
	error_clear(&err);
	assert_int_equal(
	    waitlist_due(f->db.store, f->db.config,
	        testdb_local("2026-12-09T00:01"), &ended, &offered, &err),
	    0);
	assert_int_equal(date_parse("2026-12-09", &d), 0);
	assert_int_equal(store_begin(f->db.store, &err), 0);
	assert_int_equal(store_waitlist_purge_before(f->db.store, d,
	                     testdb_local("2026-12-09T00:02"), &n, &err),
	    0);
	assert_int_equal(store_commit(f->db.store, &err), 0);
	assert_int_equal(n, 2);
	ala = testdb_entry(&f->db, ala.id);
	assert_string_equal(ala.first_name, "");
	assert_string_equal(ala.last_name, "");
	assert_string_equal(ala.email, "");
	assert_string_equal(ala.phone, "");
	assert_int_equal(
	    store_waitlist_messages(f->db.store, ola.id, &msgs, &nm, &err), 0);
	assert_int_equal(nm, 1);
	assert_string_equal(msgs[0].recipient, "");
	free(msgs);
	/* the figures stay */
	{
		struct waitlist_figures *fig;
		size_t nf;

		assert_int_equal(date_parse(TUESDAY, &d), 0);
		assert_int_equal(
		    store_waitlist_figures(f->db.store, d, d, &fig, &nf, &err),
		    0);
		assert_int_equal(nf, 1);
		assert_int_equal(fig[0].joined, 2);
		free(fig);
	}
}

static void
test_purge_contact(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala, ola;
	struct outbox_message *msgs;
	struct error err;
	unsigned n;
	size_t nm;

	short_day(f, TUESDAY, 9 * 60, 10 * 60);
	fill(f, TUESDAY, 9 * 60, 10 * 60);
	ala = join(f, TUESDAY, "ala@example.pl", NULL, NULL);
	ola = join(f, TUESDAY, "ola@example.pl", NULL, NULL);
	/* erasure on request: Ala's entry leaves the line, forgotten */
	error_clear(&err);
	assert_int_equal(store_begin(f->db.store, &err), 0);
	assert_int_equal(store_waitlist_purge_contact(f->db.store,
	                     "ALA@example.pl", "", f->now, &n, &err),
	    0);
	assert_int_equal(store_commit(f->db.store, &err), 0);
	assert_int_equal(n, 1);
	ala = testdb_entry(&f->db, ala.id);
	assert_int_equal(ala.status, WAITLIST_LEFT);
	assert_string_equal(ala.email, "");
	assert_string_equal(ala.first_name, "");
	assert_int_equal(testdb_entry(&f->db, ola.id).position, 1);
	assert_string_equal(
	    testdb_entry(&f->db, ola.id).email, "ola@example.pl");
	assert_int_equal(
	    store_waitlist_messages(f->db.store, ala.id, &msgs, &nm, &err), 0);
	assert_int_equal(nm, 1);
	assert_string_equal(msgs[0].recipient, "");
	free(msgs);
}

static void
test_figures(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala, ola;
	struct waitlist_figures *fig;
	struct error err;
	struct date d;
	size_t n;
	int64_t ids[4];

	two_in_line(f, ids, &ala, &ola);
	apply(f, ids[0], ACTION_CANCEL, &f->db.citizen, f->now);
	apply(f, testdb_entry(&f->db, ala.id).booking_id, ACTION_CANCEL,
	    &f->db.citizen, f->now);
	apply(f, testdb_entry(&f->db, ola.id).booking_id, ACTION_CONFIRM,
	    &f->db.citizen, f->now);
	error_clear(&err);
	assert_int_equal(date_parse(TUESDAY, &d), 0);
	assert_int_equal(
	    store_waitlist_figures(f->db.store, d, d, &fig, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(fig[0].joined, 2);
	assert_int_equal(fig[0].offered, 2);
	assert_int_equal(fig[0].refilled, 1);
	assert_int_equal(fig[0].declined, 1);
	assert_string_equal(fig[0].service, "Rejestracja pojazdu");
	free(fig);
}

/* the visits report (lib/report.h): offers not taken are no visits;
 * taken, they are, and count as refilled */
static struct report_figures
report_of(struct fixture *f, const char *day)
{
	struct report_query q;
	struct report_figures total;
	struct report r;
	struct error err;

	memset(&q, 0, sizeof q);
	assert_int_equal(date_parse(day, &q.from), 0);
	q.to = q.from;
	q.group = REPORT_BY_DAY_SERVICE;
	error_clear(&err);
	if (report_build(f->db.store, &q, &r, &err) != 0)
		fail_msg("report: %s", err.msg);
	total = r.total;
	report_free(&r);
	return total;
}

static void
test_report_counts_offers(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala, ola;
	struct report_figures t;
	int64_t ids[4];

	two_in_line(f, ids, &ala, &ola);
	apply(f, ids[1], ACTION_CANCEL, &f->db.citizen, f->now);
	apply(f, ids[2], ACTION_CANCEL, &f->db.citizen, f->now);
	/* Ala and Ola hold offers: four visits planned, two cancelled */
	t = report_of(f, TUESDAY);
	assert_int_equal(t.planned, 4);
	assert_int_equal(t.cancelled, 2);
	assert_int_equal(t.pending, 0);
	assert_int_equal(t.refilled, 0);
	/* Ala takes hers, Ola passes: one place re-filled, Ola's offer no
	 * cancellation of a visit */
	apply(f, testdb_entry(&f->db, ala.id).booking_id, ACTION_CONFIRM,
	    &f->db.citizen, f->now);
	apply(f, testdb_entry(&f->db, ola.id).booking_id, ACTION_CANCEL,
	    &f->db.citizen, f->now);
	t = report_of(f, TUESDAY);
	assert_int_equal(t.planned, 5);
	assert_int_equal(t.confirmed, 3);
	assert_int_equal(t.cancelled, 2);
	assert_int_equal(t.refilled, 1);
	assert_int_equal(t.planned, t.pending + t.confirmed + t.cancelled);
}

/* ---- races: 64 threads, each on its own connection ---------------------- */

#define RACERS 64

struct racer {
	struct fixture *f;
	pthread_barrier_t *barrier;
	int id;
	int64_t booking; /* what this racer acts on */
	enum booking_action action;
	time_t now;
	const char *start; /* booking otherwise: this place */
	const char *email;
	bool expire; /* run the gateway's expiry instead */
	int ok;
	char why[256];
};

static void *
race(void *arg)
{
	struct racer *me = arg;
	struct error err;
	struct store *s;
	unsigned n;

	error_clear(&err);
	s = store_open(me->f->db.path, &err);
	pthread_barrier_wait(me->barrier);
	if (s == NULL) {
		snprintf(me->why, sizeof me->why, "open: %.200s", err.msg);
		me->ok = -1;
		return NULL;
	}
	if (me->expire) {
		me->ok = booking_expire_due(
		             s, me->f->db.config, me->now, &n, &err) == 0
		             ? (int)n
		             : -1;
	} else if (me->start != NULL) {
		struct booking_request r;
		struct booking b;

		memset(&r, 0, sizeof r);
		r.service_id = me->f->db.service;
		r.start = me->start;
		r.first_name = "Ala";
		r.last_name = "Nowak";
		r.email = me->email;
		me->ok = booking_create(s, me->f->db.config, &r,
		             &me->f->db.citizen, me->now, &b, &err) == 0
		             ? 1
		             : 0;
	} else {
		struct booking b;

		if (store_booking_get(s, me->booking, &b, &err) == 0)
			me->ok = booking_apply(s, me->f->db.config, b.reference,
			             me->action, &me->f->db.citizen, me->now,
			             NULL, &err) == 0
			             ? 1
			             : 0;
		else
			me->ok = -1;
	}
	if (me->ok <= 0 && err.kind != ERROR_CONFLICT && err.kind != ERROR_NONE)
		snprintf(
		    me->why, sizeof me->why, "%.200s (%d)", err.msg, err.kind);
	store_close(s);
	return NULL;
}

/* run: the racers released together; fails on an error that is not a
 * conflict the database decided */
static void
run(struct racer *r, size_t n)
{
	pthread_barrier_t barrier;
	pthread_t threads[RACERS];
	size_t i;

	assert_true(n <= RACERS);
	assert_int_equal(pthread_barrier_init(&barrier, NULL, (unsigned)n), 0);
	for (i = 0; i < n; i++) {
		r[i].barrier = &barrier;
		r[i].id = (int)i;
		assert_int_equal(
		    pthread_create(&threads[i], NULL, race, &r[i]), 0);
	}
	for (i = 0; i < n; i++)
		pthread_join(threads[i], NULL);
	pthread_barrier_destroy(&barrier);
	for (i = 0; i < n; i++)
		if (r[i].why[0] != '\0')
			fail_msg("racer %zu: %s", i, r[i].why);
}

/* open_offers: how many open offers each of the people holds (the
 * database's unique index forbids two; counted anyway) */
static unsigned
open_offers(struct fixture *f, const char *email)
{
	struct booking_filter filter;
	struct booking *list;
	struct error err;
	size_t n, i;
	unsigned found = 0;

	memset(&filter, 0, sizeof filter);
	filter.status = BOOKING_PENDING;
	filter.text = email;
	filter.limit = 5000;
	error_clear(&err);
	if (store_bookings_search(f->db.store, &filter, &list, &n, &err) != 0)
		fail_msg("search: %s", err.msg);
	for (i = 0; i < n; i++)
		if (strcmp(list[i].source, "waitlist") == 0 &&
		    strcmp(list[i].email, email) == 0)
			found++;
	free(list);
	return found;
}

/* every place of the two days holds at most one live booking */
static void
no_double_booking(struct fixture *f, const char *day)
{
	int m;

	for (m = 8 * 60; m < 16 * 60; m += 15) {
		char start[OTIME_LOCAL_LEN];

		snprintf(
		    start, sizeof start, "%sT%02d:%02d", day, m / 60, m % 60);
		if (live_at(f, f->db.store, testdb_local(start)) > 1)
			fail_msg("%s holds %u live bookings", start,
			    live_at(f, f->db.store, testdb_local(start)));
	}
}

static void
test_race_places_freeing_at_once(void **state)
{
	struct fixture *f = *state;
	static struct racer r[RACERS];
	int64_t ids[RACERS];
	char email[64];
	unsigned offers = 0;
	int i;

	/* two full days, 32 places each; ten people stand in both lines,
	 * forty more in each */
	for (i = 0; i < RACERS; i++) {
		char start[OTIME_LOCAL_LEN];
		int m = 8 * 60 + (i % 32) * 15;

		snprintf(start, sizeof start, "%sT%02d:%02d",
		    i < 32 ? TUESDAY : WEDNESDAY, m / 60, m % 60);
		snprintf(email, sizeof email, "holder%d@example.pl", i);
		ids[i] = book(f, start, email);
	}
	for (i = 0; i < 10; i++) {
		snprintf(email, sizeof email, "both%d@example.pl", i);
		join(f, TUESDAY, email, NULL, NULL);
		join(f, WEDNESDAY, email, NULL, NULL);
	}
	for (i = 0; i < 40; i++) {
		snprintf(email, sizeof email, "tue%d@example.pl", i);
		join(f, TUESDAY, email, NULL, NULL);
		snprintf(email, sizeof email, "wed%d@example.pl", i);
		join(f, WEDNESDAY, email, NULL, NULL);
	}
	/* all 64 places freed at the same moment */
	memset(r, 0, sizeof r);
	for (i = 0; i < RACERS; i++) {
		r[i].f = f;
		r[i].booking = ids[i];
		r[i].action = ACTION_CANCEL;
		r[i].now = f->now;
	}
	run(r, RACERS);
	for (i = 0; i < RACERS; i++)
		assert_int_equal(r[i].ok, 1);
	/* every freed place is held for exactly one person, nobody holds
	 * two, nothing is free for others */
	no_double_booking(f, TUESDAY);
	no_double_booking(f, WEDNESDAY);
	for (i = 0; i < 10; i++) {
		snprintf(email, sizeof email, "both%d@example.pl", i);
		assert_true(open_offers(f, email) <= 1);
		offers += open_offers(f, email);
	}
	for (i = 0; i < 40; i++) {
		snprintf(email, sizeof email, "tue%d@example.pl", i);
		assert_true(open_offers(f, email) <= 1);
		offers += open_offers(f, email);
		snprintf(email, sizeof email, "wed%d@example.pl", i);
		assert_true(open_offers(f, email) <= 1);
		offers += open_offers(f, email);
	}
	assert_int_equal(offers, RACERS);
	assert_int_equal(free_slots(f, TUESDAY), 0);
	assert_int_equal(free_slots(f, WEDNESDAY), 0);
}

static void
test_race_tak_as_hold_ends(void **state)
{
	struct fixture *f = *state;
	static struct racer r[RACERS];
	struct waitlist_entry line[48];
	int64_t ids[32];
	time_t end;
	unsigned confirmed = 0, booked = 0, expired = 0, next = 0;
	char email[64];
	int i;

	/* 32 offers made at the same moment, 16 more people waiting */
	for (i = 0; i < 32; i++) {
		char start[OTIME_LOCAL_LEN];
		int m = 8 * 60 + i * 15;

		snprintf(start, sizeof start, "%sT%02d:%02d", TUESDAY, m / 60,
		    m % 60);
		snprintf(email, sizeof email, "holder%d@example.pl", i);
		ids[i] = book(f, start, email);
	}
	for (i = 0; i < 48; i++) {
		snprintf(email, sizeof email, "line%d@example.pl", i);
		line[i] = join(f, TUESDAY, email, NULL, NULL);
	}
	for (i = 0; i < 32; i++)
		apply(f, ids[i], ACTION_CANCEL, &f->db.citizen, f->now);
	end = f->now + f->db.config->waitlist_hold;
	/* at the hold's last second: 32 TAKs against 32 expiry runs */
	memset(r, 0, sizeof r);
	for (i = 0; i < RACERS; i++) {
		r[i].f = f;
		r[i].now = end;
		if (i % 2 == 0) {
			r[i].booking =
			    testdb_entry(&f->db, line[i / 2].id).booking_id;
			r[i].action = ACTION_CONFIRM;
		} else
			r[i].expire = true;
	}
	run(r, RACERS);
	for (i = 0; i < RACERS; i += 2)
		confirmed += r[i].ok == 1;
	for (i = 0; i < 32; i++) {
		struct waitlist_entry e = testdb_entry(&f->db, line[i].id);
		struct booking b = testdb_booking(&f->db, e.booking_id);

		if (b.status == BOOKING_BOOKED) {
			booked++;
			assert_int_equal(e.status, WAITLIST_BOOKED);
		} else {
			/* never both: an offer that expired was not taken */
			assert_int_equal(b.status, BOOKING_EXPIRED);
			assert_int_equal(e.status, WAITLIST_LAPSED);
			expired++;
		}
	}
	assert_int_equal(booked, confirmed);
	assert_int_equal(booked + expired, 32);
	/* each expired place went to one of the 16 still waiting */
	for (i = 32; i < 48; i++)
		next +=
		    testdb_entry(&f->db, line[i].id).status == WAITLIST_OFFERED;
	assert_int_equal(next, expired < 16 ? expired : 16);
	no_double_booking(f, TUESDAY);
}

static void
test_race_booking_otherwise_while_holding(void **state)
{
	struct fixture *f = *state;
	static struct racer r[RACERS];
	static char starts[32][32];
	static char emails[32][64];
	struct waitlist_entry line[32];
	int64_t ids[64];
	unsigned withdrawn = 0;
	int i;

	/* a full 16-hour Tuesday of 64 places; 32 people each hold an offer
	 * and 32 more places are free (nobody else waits) */
	short_day(f, TUESDAY, 0, 16 * 60);
	for (i = 0; i < 64; i++) {
		char start[OTIME_LOCAL_LEN], email[64];
		int m = i * 15;

		snprintf(start, sizeof start, "%sT%02d:%02d", TUESDAY, m / 60,
		    m % 60);
		snprintf(email, sizeof email, "holder%d@example.pl", i);
		ids[i] = book(f, start, email);
	}
	for (i = 0; i < 32; i++) {
		snprintf(emails[i], sizeof emails[i], "line%d@example.pl", i);
		line[i] = join(f, TUESDAY, emails[i], NULL, NULL);
	}
	for (i = 0; i < 64; i++)
		apply(f, ids[i], ACTION_CANCEL, &f->db.citizen, f->now);
	/* each of the 32: their TAK against their own booking of a free
	 * place the same day */
	memset(r, 0, sizeof r);
	for (i = 0; i < 32; i++) {
		struct booking held;
		int m;

		line[i] = testdb_entry(&f->db, line[i].id);
		assert_int_equal(line[i].status, WAITLIST_OFFERED);
		held = testdb_booking(&f->db, line[i].booking_id);
		m = otime_minute_of_day(held.start);
		assert_true(m < 8 * 60);
		snprintf(starts[i], sizeof starts[i], "%sT%02d:%02d", TUESDAY,
		    (m + 8 * 60) / 60, (m + 8 * 60) % 60);
		r[2 * i].f = f;
		r[2 * i].now = f->now + 60;
		r[2 * i].booking = line[i].booking_id;
		r[2 * i].action = ACTION_CONFIRM;
		r[2 * i + 1].f = f;
		r[2 * i + 1].now = f->now + 60;
		r[2 * i + 1].start = starts[i];
		r[2 * i + 1].email = emails[i];
	}
	run(r, RACERS);
	for (i = 0; i < 32; i++) {
		struct booking held =
		    testdb_booking(&f->db, line[i].booking_id);

		/* the normal booking always succeeds (its place is free);
		 * the TAK only when it came first */
		assert_int_equal(r[2 * i + 1].ok, 1);
		if (r[2 * i].ok == 1) {
			assert_int_equal(held.status, BOOKING_BOOKED);
			assert_int_equal(
			    testdb_entry(&f->db, line[i].id).status,
			    WAITLIST_BOOKED);
		} else {
			assert_int_equal(held.status, BOOKING_CANCELLED);
			assert_int_equal(
			    testdb_entry(&f->db, line[i].id).status,
			    WAITLIST_SUPERSEDED);
			withdrawn++;
		}
		assert_int_equal(live_at(f, f->db.store, held.start),
		    held.status == BOOKING_BOOKED ? 1 : 0);
	}
	/* a withdrawn offer's place is free again (nobody waits) */
	assert_int_equal(free_slots(f, TUESDAY), withdrawn);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, testdb_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_join_only_when_full),
	    T(test_join_refused),
	    T(test_join_limits),
	    T(test_cancel_offer_tak),
	    T(test_offer_sms_two_way_and_one_way),
	    T(test_admin_words),
	    T(test_silence_next_and_late_tak),
	    T(test_nie_next),
	    T(test_window_decides),
	    T(test_leave),
	    T(test_booking_otherwise),
	    T(test_two_lines_in_turns),
	    T(test_lead_time_and_hold),
	    T(test_move_frees_old_place),
	    T(test_timer),
	    T(test_quiet_hours_wait),
	    T(test_purge),
	    T(test_purge_contact),
	    T(test_figures),
	    T(test_report_counts_offers),
	    T(test_race_places_freeing_at_once),
	    T(test_race_tak_as_hold_ends),
	    T(test_race_booking_otherwise_while_holding),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
