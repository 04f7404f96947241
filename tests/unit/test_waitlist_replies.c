/*
 * test_waitlist_replies.c: replies about the waitlist (replies_waitlist.h)
 * through the gateway's reply handling, over a real SQLite file:
 *   - an SMS from a number with an open booking and an open offer: a bare
 *     NIE or TAK answers the newest question, the offer, and never the
 *     older booking; a booking made after the offer wins instead;
 *   - a TAK after the hold gets the kind "already gone" answer, and does
 *     not confirm the person's other booking;
 *   - NIE to the joined message (by SMS, by e-mail to the entry's plus
 *     address) leaves the line; TAK to it answers with the position, or
 *     takes the offer when one is open;
 *   - an e-mail reply to the offer after its hold: "already gone".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "booking.h"
#include "buf.h"
#include "log.h"
#include "office_time.h"
#include "replies.h"
#include "reply.h"
#include "store.h"
#include "testdb.h"
#include "waitlist.h"

#define MONDAY_9 "2026-12-07T09:00"
#define TUESDAY "2026-12-08"

struct fixture {
	struct testdb db;
	time_t now;
	unsigned seq;
	int64_t ids[4]; /* the full short Tuesday */
};

static int64_t
book(struct fixture *f, const char *start, const char *email, const char *phone,
    bool confirm)
{
	struct booking b = testdb_book(&f->db, start, email, phone, f->now);

	if (confirm)
		testdb_apply(
		    &f->db, &b, ACTION_CONFIRM, &f->db.citizen, f->now);
	return b.id;
}

static int
setup(void **state)
{
	struct fixture *f = testdb_new(sizeof *f, "wlreplies", true);
	struct error err;
	struct date d;
	int i;

	if (f == NULL)
		return -1;
	log_set_level(LOG_LEVEL_ERROR);
	error_clear(&err);
	if (reply_rules_init(&err) != 0)
		return -1;
	testdb_set(&f->db.config->mail_reply_address, "wizyta@urzad.example");
	f->db.config->booking_lead_time = 0;
	f->now = testdb_local(MONDAY_9);
	/* a full Tuesday of four places */
	assert_int_equal(date_parse(TUESDAY, &d), 0);
	if (store_exception_add(f->db.store, f->db.desk, d, 9 * 60, 10 * 60,
	        "short", &err) != 0)
		return -1;
	for (i = 0; i < 4; i++) {
		char start[32], email[32];

		snprintf(start, sizeof start, "%sT09:%02d", TUESDAY, i * 15);
		snprintf(email, sizeof email, "p%d@example.pl", i);
		f->ids[i] = book(f, start, email, NULL, true);
	}
	*state = f;
	return 0;
}

static struct waitlist_entry
join(struct fixture *f, const char *email, const char *phone)
{
	struct waitlist_request r;
	struct waitlist_entry e;
	struct error err;

	memset(&r, 0, sizeof r);
	r.service_id = f->db.service;
	r.date = TUESDAY;
	r.first_name = "Ala";
	r.last_name = "Nowak";
	r.email = email;
	r.phone = phone;
	error_clear(&err);
	if (waitlist_join(f->db.store, f->db.config, &r, &f->db.citizen, f->now,
	        &e, &err) != 0)
		fail_msg("join: %s", err.msg);
	return e;
}

/* free_place: cancel one of Tuesday's bookings (the line gets it) */
static void
free_place(struct fixture *f, int i)
{
	struct booking b = testdb_booking(&f->db, f->ids[i]);

	testdb_apply(&f->db, &b, ACTION_CANCEL, &f->db.citizen, f->now);
}

/* receive: one inbound message, handled at `at`; its inbox note */
static void
receive(struct fixture *f, const char *channel, const char *sender,
    const char *raw, time_t at, char note[256])
{
	struct error err;
	char key[32];
	unsigned handled;
	bool dup;

	error_clear(&err);
	snprintf(key, sizeof key, "wl:%u", ++f->seq);
	assert_int_equal(store_inbox_add(f->db.store, channel, key, sender, raw,
	                     strlen(raw), at, &dup, &err),
	    0);
	assert_int_equal(
	    replies_process(f->db.store, f->db.config, at, &handled, &err), 0);
	assert_int_equal(handled, 1);
	/* the newest row's note (what staff read) */
	testdb_sql_text(f->db.path,
	    "SELECT note FROM inbox ORDER BY id DESC LIMIT 1", note, 256);
}

static size_t
kinds(struct fixture *f, int64_t booking_id, const char *kind,
    const char *channel)
{
	return testdb_outbox_count(
	    f->db.store, booking_id, channel, kind, NULL);
}

static size_t
entry_kinds(struct fixture *f, int64_t id, const char *kind)
{
	struct outbox_message *list;
	struct error err;
	size_t n, i, found = 0;

	error_clear(&err);
	assert_int_equal(
	    store_waitlist_messages(f->db.store, id, &list, &n, &err), 0);
	for (i = 0; i < n; i++)
		if (strcmp(list[i].kind, kind) == 0)
			found++;
	free(list);
	return found;
}

static void
test_sms_nie_goes_to_the_offer(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala, ola;
	int64_t mine;
	char note[256];

	/* Ala has a booking of her own (Wednesday, pending) and waits */
	mine = book(f, "2026-12-09T10:00", NULL, "600 700 800", false);
	ala = join(f, NULL, "600 700 800");
	ola = join(f, NULL, "600 700 801");
	f->now += 60;
	free_place(f, 1);
	ala = testdb_entry(&f->db, ala.id);
	assert_int_equal(ala.status, WAITLIST_OFFERED);
	assert_int_equal(kinds(f, ala.booking_id, "waitlist_offer", "sms"), 1);
	receive(f, "sms", "+48600700800", "Nie", f->now + 60, note);
	/* the offer is declined, her own booking is untouched */
	assert_int_equal(
	    testdb_booking(&f->db, ala.booking_id).status, BOOKING_CANCELLED);
	assert_int_equal(testdb_booking(&f->db, mine).status, BOOKING_PENDING);
	assert_int_equal(testdb_entry(&f->db, ola.id).status, WAITLIST_OFFERED);
	/* Ola's TAK takes hers */
	receive(f, "sms", "+48600700801", "tak", f->now + 120, note);
	assert_int_equal(
	    testdb_booking(&f->db, testdb_entry(&f->db, ola.id).booking_id)
	        .status,
	    BOOKING_BOOKED);
}

static void
test_sms_late_tak(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala;
	struct booking offer;
	int64_t mine;
	char note[256];

	mine = book(f, "2026-12-09T10:00", NULL, "600 700 800", false);
	ala = join(f, NULL, "600 700 800");
	f->now += 60;
	free_place(f, 2);
	offer = testdb_booking(&f->db, testdb_entry(&f->db, ala.id).booking_id);
	/* the hold passes before her TAK is read */
	receive(f, "sms", "+48600700800", "TAK", offer.confirm_by + 30, note);
	assert_int_equal(
	    testdb_booking(&f->db, offer.id).status, BOOKING_PENDING);
	assert_int_equal(kinds(f, offer.id, "offer_gone", "sms"), 1);
	assert_non_null(strstr(note, "gone"));
	/* her other pending booking did not take the TAK */
	assert_int_equal(testdb_booking(&f->db, mine).status, BOOKING_PENDING);
	/* the expiry runs: a second late TAK within the hour is not
	 * answered twice */
	receive(f, "sms", "+48600700800", "tak", offer.confirm_by + 90, note);
	assert_int_equal(kinds(f, offer.id, "offer_gone", "sms"), 1);
}

static void
test_sms_newer_booking_wins(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala;
	int64_t mine;
	char note[256];

	ala = join(f, NULL, "600 700 800");
	free_place(f, 0);
	ala = testdb_entry(&f->db, ala.id);
	/* she books another day after the offer came: her TAK is about
	 * that, the newest question */
	f->now += 120;
	mine = book(f, "2026-12-10T10:00", NULL, "600 700 800", false);
	receive(f, "sms", "+48600700800", "tak ", f->now + 60, note);
	assert_int_equal(
	    testdb_booking(&f->db, ala.booking_id).status, BOOKING_PENDING);
	/* two pending bookings for one TAK: asked which (the bookings'
	 * rule); a reference picks exactly */
	assert_int_equal(testdb_booking(&f->db, mine).status, BOOKING_PENDING);
	{
		char text[64];

		/* in brackets: a reference drawn without a digit counts only
		 * there (rules/reply_reference.c) */
		snprintf(text, sizeof text, "TAK [%s]",
		    testdb_booking(&f->db, ala.booking_id).reference);
		receive(f, "sms", "+48600700800", text, f->now + 90, note);
	}
	assert_int_equal(
	    testdb_booking(&f->db, ala.booking_id).status, BOOKING_BOOKED);
}

static void
test_sms_to_the_entry(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala;
	char note[256];

	ala = join(f, NULL, "600 700 800");
	/* TAK without an offer: her place in line again */
	receive(f, "sms", "+48600700800", "tak", f->now + 60, note);
	assert_int_equal(testdb_entry(&f->db, ala.id).status, WAITLIST_WAITING);
	assert_int_equal(entry_kinds(f, ala.id, "waitlist_joined"), 2);
	assert_non_null(strstr(note, "still in line at 1"));
	/* NIE: out of the line */
	receive(f, "sms", "+48600700800", "nie", f->now + 120, note);
	assert_int_equal(testdb_entry(&f->db, ala.id).status, WAITLIST_LEFT);
	assert_int_equal(entry_kinds(f, ala.id, "waitlist_left"), 1);
}

static char *
mail(const char *to_ref, const char *from, const char *body, unsigned n)
{
	struct buf m = BUF_INIT;

	buf_printf(&m,
	    "From: Ala <%s>\r\n"
	    "To: wizyta+%s@urzad.example\r\n"
	    "Subject: Re: Lista [%s]\r\n"
	    "Message-ID: <w%u@example.pl>\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
	    from, to_ref, to_ref, n, body);
	return buf_steal(&m);
}

static void
test_mail_to_the_entry(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala, ola;
	char note[256], *raw;

	ala = join(f, "ala@example.pl", NULL);
	ola = join(f, "ola@example.pl", NULL);
	/* TAK to the joined message while her offer is open: taken */
	free_place(f, 3);
	ala = testdb_entry(&f->db, ala.id);
	raw = mail(ala.reference, "ala@example.pl", "Tak, biorę.", 1);
	receive(f, "email", "", raw, f->now + 60, note);
	free(raw);
	assert_int_equal(
	    testdb_booking(&f->db, ala.booking_id).status, BOOKING_BOOKED);
	assert_int_equal(kinds(f, ala.booking_id, "access_code", "email"), 1);
	/* NIE to the joined message: out of the line */
	raw = mail(ola.reference, "ola@example.pl", "Nie, dziękuję", 2);
	receive(f, "email", "", raw, f->now + 90, note);
	free(raw);
	assert_int_equal(testdb_entry(&f->db, ola.id).status, WAITLIST_LEFT);
}

static void
test_mail_late_tak_to_the_offer(void **state)
{
	struct fixture *f = *state;
	struct waitlist_entry ala;
	struct booking offer;
	char note[256], *raw;
	unsigned n;
	struct error err;

	ala = join(f, "ala@example.pl", NULL);
	free_place(f, 0);
	offer = testdb_booking(&f->db, testdb_entry(&f->db, ala.id).booking_id);
	error_clear(&err);
	assert_int_equal(booking_expire_due(f->db.store, f->db.config,
	                     offer.confirm_by + 1, &n, &err),
	    0);
	raw = mail(offer.reference, "ala@example.pl", "TAK", 3);
	receive(f, "email", "", raw, offer.confirm_by + 60, note);
	free(raw);
	assert_int_equal(
	    testdb_booking(&f->db, offer.id).status, BOOKING_EXPIRED);
	assert_int_equal(kinds(f, offer.id, "offer_gone", "email"), 1);
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, testdb_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_sms_nie_goes_to_the_offer),
	    T(test_sms_late_tak),
	    T(test_sms_newer_booking_wins),
	    T(test_sms_to_the_entry),
	    T(test_mail_to_the_entry),
	    T(test_mail_late_tak_to_the_offer),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
