/*
 * test_retention.c: erasing personal data at an injected clock
 * (lib/retention.h, lib/person.h, store_sqlite_privacy.c) over a real
 * SQLite file: one desk, open Monday to Friday 08:00-16:00, bookings made
 * on Monday 2026-12-07 09:00.
 *
 * Covered: when the daily purge is due; a visit's data goes exactly
 * retain_days after its end and not a minute before; a cancellation
 * counts from when it was cancelled, even before the visit's day; a visit
 * nobody closed goes after its day like the others; a future visit stays;
 * what goes (names, contacts, note, messages, replies, history details,
 * queued messages suppressed) and what stays (status, times, reference);
 * a second purge finds nothing; the audit row; a person's export and
 * erasure, refused while a visit is live or while an operator account
 * holds the contact as its own (which the export shows).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "accounts.h"
#include "booking.h"
#include "log.h"
#include "office_time.h"
#include "person.h"
#include "retention.h"
#include "store.h"
#include "testdb.h"
#include "waitlist.h"

struct fixture {
	struct testdb db;
	struct actor cli, staff;
};

static int
setup(void **state)
{
	struct fixture *f = testdb_new(sizeof *f, "retention", true);
	struct error err;

	if (f == NULL)
		return -1;
	f->db.config->privacy_retain_days = 30;
	/* the maildir is the test's (nothing delivers into it here) */
	free(f->db.config->mail_maildir);
	if (asprintf(&f->db.config->mail_maildir, "%s/mail", f->db.dir) < 0)
		return -1;
	error_clear(&err);
	if (testdb_operator(f->db.store, "anna", ROLE_STAFF, &f->staff, &err) !=
	    0)
		return -1;
	f->cli = actor_cli();
	*state = f;
	return 0;
}

#define MONDAY_9 "2026-12-07T09:00"

static struct booking
book(struct fixture *f, const char *start, const char *first, const char *email,
    const char *phone)
{
	struct booking_request r = testdb_request(&f->db, start, email, phone);

	r.first_name = first;
	r.last_name = "Testowa";
	return testdb_create(
	    &f->db, f->db.store, &r, &f->db.citizen, testdb_local(MONDAY_9));
}

static struct purge_counts
purge_at(struct fixture *f, const char *when)
{
	struct retention_report r;
	struct error err;

	error_clear(&err);
	if (retention_purge(f->db.store, f->db.config, &f->db.system,
	        testdb_local(when), &r, &err) != 0)
		fail_msg("purge at %s: %s", when, err.msg);
	assert_true(r.compacted);
	return r.erased;
}

static void
test_due(void **state)
{
	struct fixture *f = *state;

	(void)f;
	/* never purged: at once, whatever the hour */
	assert_true(
	    retention_due(f->db.config, testdb_local("2026-12-08T01:00"), ""));
	/* once a day, after purge_at (03:00) */
	assert_false(retention_due(
	    f->db.config, testdb_local("2026-12-08T02:59"), "2026-12-07"));
	assert_true(retention_due(
	    f->db.config, testdb_local("2026-12-08T03:00"), "2026-12-07"));
	assert_false(retention_due(
	    f->db.config, testdb_local("2026-12-08T23:00"), "2026-12-08"));
	/* a day missed (down at 03:00): at start, before purge_at too */
	assert_true(retention_due(
	    f->db.config, testdb_local("2026-12-09T01:00"), "2026-12-07"));
	/* a clock that went back does not purge again */
	assert_false(retention_due(
	    f->db.config, testdb_local("2026-12-08T10:00"), "2026-12-09"));
}

static void
test_purge_when_and_what(void **state)
{
	struct fixture *f = *state;
	struct booking visit, cancelled, future, old_msgs;
	struct outbox_message *msgs = NULL;
	struct booking_event *events = NULL;
	struct purge_counts n;
	struct error err;
	size_t count = 0, i;

	/* a visit Tuesday 10:00-10:15, confirmed and never closed */
	visit = book(f, "2026-12-08T10:00", "Wiktoria", "wiktoria@example.pl",
	    "+48 601 000 001");
	error_clear(&err);
	assert_int_equal(booking_apply(f->db.store, f->db.config,
	                     visit.reference, ACTION_CONFIRM, &f->db.citizen,
	                     testdb_local(MONDAY_9), &visit, &err),
	    0);
	assert_int_equal(booking_add_note(f->db.store, f->db.config,
	                     visit.reference, "Wiktoria przyniesie paszport",
	                     &f->staff, testdb_local(MONDAY_9), NULL, &err),
	    0);
	/* a visit in February, cancelled on Monday 10:00 */
	cancelled =
	    book(f, "2027-02-01T08:00", "Celina", "celina@example.pl", NULL);
	assert_int_equal(booking_apply(f->db.store, f->db.config,
	                     cancelled.reference, ACTION_CANCEL, &f->db.citizen,
	                     testdb_local("2026-12-07T10:00"), NULL, &err),
	    0);
	/* a visit on 20 January, live */
	future = book(f, "2027-01-20T08:00", "Feliks", "feliks@example.pl",
	    "+48 601 000 003");
	old_msgs = testdb_booking(&f->db, visit.id);

	/* 30 days after the visit's end (08.12 10:15), to the minute */
	n = purge_at(f, "2027-01-06T10:00");
	assert_int_equal(n.bookings, 0);
	n = purge_at(f, "2027-01-07T10:14");
	assert_int_equal(n.bookings, 1); /* the cancellation (07.12 10:00) */
	assert_string_equal(
	    testdb_booking(&f->db, cancelled.id).first_name, "");
	assert_string_equal(
	    testdb_booking(&f->db, visit.id).first_name, "Wiktoria");
	n = purge_at(f, "2027-01-07T10:16");
	assert_int_equal(n.bookings, 1);
	assert_true(n.outbox >= 2); /* confirm request and access code */
	assert_true(n.events >= 1); /* the note's text */

	visit = testdb_booking(&f->db, visit.id);
	assert_string_equal(visit.first_name, "");
	assert_string_equal(visit.last_name, "");
	assert_string_equal(visit.email, "");
	assert_string_equal(visit.phone, "");
	assert_string_equal(visit.note, "");
	/* what reports count stays */
	assert_int_equal(visit.status, BOOKING_BOOKED);
	assert_int_equal(visit.start, old_msgs.start);
	assert_int_equal(visit.service_id, f->db.service);
	assert_string_equal(visit.reference, old_msgs.reference);
	assert_int_equal(store_outbox_list(f->db.store, NULL, visit.id, 100,
	                     &msgs, &count, &err),
	    0);
	assert_true(count >= 2);
	for (i = 0; i < count; i++) {
		assert_string_equal(msgs[i].recipient, "");
		assert_int_equal(msgs[i].payload_len, 0);
		assert_string_equal(msgs[i].last_error, "");
	}
	outbox_list_free(msgs, count);
	assert_int_equal(store_events_for_booking(
	                     f->db.store, visit.id, &events, &count, &err),
	    0);
	for (i = 0; i < count; i++)
		assert_string_equal(events[i].detail, "");
	free(events);
	/* the January visit is whole; a second purge erases nothing */
	assert_string_equal(
	    testdb_booking(&f->db, future.id).first_name, "Feliks");
	n = purge_at(f, "2027-01-07T10:17");
	assert_int_equal(n.bookings + n.outbox + n.inbox + n.events, 0);
	/* the daemon's runs that erased something are audited, counts only */
	assert_int_equal(
	    testdb_audit_count(f->db.store, "privacy.purge", 0, NULL), 2);
}

static void
test_queued_message_suppressed(void **state)
{
	struct fixture *f = *state;
	struct outbox_message *msgs = NULL;
	struct booking b;
	struct error err;
	size_t count = 0, i;

	/* the confirmation request was never sent (no wizytad): erasing
	 * its recipient must also stop it from going out */
	b = book(f, "2026-12-08T11:00", "Stefan", "stefan@example.pl", NULL);
	error_clear(&err);
	assert_int_equal(
	    booking_apply(f->db.store, f->db.config, b.reference, ACTION_CANCEL,
	        &f->db.citizen, testdb_local("2026-12-07T09:30"), NULL, &err),
	    0);
	(void)purge_at(f, "2027-01-07T09:31");
	assert_int_equal(store_outbox_list(
	                     f->db.store, NULL, b.id, 100, &msgs, &count, &err),
	    0);
	assert_true(count >= 1);
	for (i = 0; i < count; i++)
		assert_int_equal(msgs[i].status, OUTBOX_SUPPRESSED);
	outbox_list_free(msgs, count);
}

static void
test_person(void **state)
{
	struct fixture *f = *state;
	struct person_contact p;
	struct retention_report n;
	struct booking live;
	struct error err;
	unsigned found;
	json_t *doc = NULL, *list;

	live = book(f, "2026-12-09T09:00", "Paweł", "pawel@example.pl",
	    "+48 601 000 009");
	error_clear(&err);
	assert_int_equal(person_contact_parse("nonsense", &p, &err), -1);
	assert_string_equal(err.code, "contact_invalid");
	error_clear(&err);
	assert_int_equal(person_contact_parse("601-000-009", &p, &err), 0);
	assert_string_equal(p.phone, "+48601000009");
	assert_int_equal(person_export(f->db.store, &p, &f->cli,
	                     testdb_local(MONDAY_9), &doc, &err),
	    0);
	list = json_object_get(doc, "bookings");
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(list, 0), "first_name")),
	    "Paweł");
	json_decref(doc);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "person.export", 0, NULL), 1);

	/* live: refused, naming the booking */
	assert_int_equal(person_erase(f->db.store, &p, &f->cli,
	                     testdb_local(MONDAY_9), &n, &found, &err),
	    -1);
	assert_string_equal(err.code, "live_bookings");
	assert_non_null(strstr(err.msg, live.reference));
	assert_string_equal(
	    testdb_booking(&f->db, live.id).first_name, "Paweł");
	/* by e-mail in another case, after the visit's day */
	error_clear(&err);
	assert_int_equal(person_contact_parse("PAWEL@example.pl", &p, &err), 0);
	assert_int_equal(
	    person_erase(f->db.store, &p, &f->cli,
	        testdb_local("2026-12-10T09:00"), &n, &found, &err),
	    0);
	assert_int_equal(found, 1);
	assert_int_equal(n.erased.bookings, 1);
	assert_true(n.compacted);
	assert_string_equal(testdb_booking(&f->db, live.id).first_name, "");
	assert_string_equal(testdb_booking(&f->db, live.id).phone, "");
	assert_int_equal(
	    testdb_audit_count(f->db.store, "person.erase", 0, NULL), 1);
}

/* operators are people too: an account whose own contact is the person's
 * is in the export, and the erasure refuses (naming the login) until the
 * account's contact is cleared; then it goes on as for anyone */
static void
test_person_operator(void **state)
{
	struct fixture *f = *state;
	struct person_contact p;
	struct retention_report n;
	struct booking b;
	struct error err;
	unsigned found;
	json_t *doc = NULL, *list, *one;
	time_t later = testdb_local("2026-12-10T09:00");

	b = book(f, "2026-12-08T10:00", "Anna", "anna@example.pl", "");
	error_clear(&err);
	assert_int_equal(account_contact_set(f->db.store, f->staff.operator_id,
	                     "Anna@Example.PL", "602 000 111", &f->cli,
	                     testdb_local(MONDAY_9), &err),
	    0);
	assert_int_equal(person_contact_parse("anna@example.pl", &p, &err), 0);
	assert_int_equal(
	    person_export(f->db.store, &p, &f->cli, later, &doc, &err), 0);
	list = json_object_get(doc, "operator_accounts");
	assert_int_equal(json_array_size(list), 1);
	one = json_array_get(list, 0);
	assert_string_equal(
	    json_string_value(json_object_get(one, "login")), "anna");
	assert_string_equal(
	    json_string_value(json_object_get(one, "role")), "staff");
	assert_string_equal(json_string_value(json_object_get(one, "email")),
	    "Anna@example.pl");
	assert_string_equal(
	    json_string_value(json_object_get(one, "phone")), "+48602000111");
	assert_int_equal(json_array_size(json_object_get(doc, "bookings")), 1);
	json_decref(doc);
	/* by the phone alone: the account, no booking */
	assert_int_equal(person_contact_parse("+48602000111", &p, &err), 0);
	assert_int_equal(
	    person_export(f->db.store, &p, &f->cli, later, &doc, &err), 0);
	assert_int_equal(
	    json_array_size(json_object_get(doc, "operator_accounts")), 1);
	assert_int_equal(json_array_size(json_object_get(doc, "bookings")), 0);
	json_decref(doc);
	/* someone else: no account */
	assert_int_equal(person_contact_parse("jan@example.pl", &p, &err), 0);
	assert_int_equal(
	    person_export(f->db.store, &p, &f->cli, later, &doc, &err), 0);
	assert_int_equal(
	    json_array_size(json_object_get(doc, "operator_accounts")), 0);
	json_decref(doc);

	/* the erasure refuses, names the login, changes nothing */
	assert_int_equal(person_contact_parse("ANNA@example.pl", &p, &err), 0);
	assert_int_equal(
	    person_erase(f->db.store, &p, &f->cli, later, &n, &found, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	assert_string_equal(err.code, "operator_account");
	assert_non_null(strstr(err.msg, "anna --clear"));
	assert_string_equal(testdb_booking(&f->db, b.id).first_name, "Anna");
	assert_int_equal(
	    testdb_audit_count(f->db.store, "person.erase", 0, NULL), 0);

	/* the account's contact cleared (audited): the erasure goes on */
	error_clear(&err);
	assert_int_equal(account_contact_set(f->db.store, f->staff.operator_id,
	                     "", NULL, &f->cli, later, &err),
	    0);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "operator.contact", 0, NULL), 2);
	assert_int_equal(
	    person_erase(f->db.store, &p, &f->cli, later, &n, &found, &err), 0);
	assert_int_equal(n.erased.bookings, 1);
	assert_string_equal(testdb_booking(&f->db, b.id).first_name, "");
}

/* a reply tied to no booking names its sender only in its raw message
 * (any ASCII case, beside bytes that are not UTF-8): person_loose finds it
 * and the erasure on request clears it, on either backend */
static void
test_loose_reply(void **state)
{
	struct fixture *f = *state;
	static const char raw[] = "From: Ola <OLA@Example.PL>\r\nSubject: "
	                          "\xff\xfe TAK\r\n\r\nTAK\r\n";
	static const char other[] = "From: <ktos@example.pl>\r\n\r\nNIE\r\n";
	struct purge_counts c;
	struct inbox_message m;
	struct error err;
	int64_t *out_ids = NULL, *in_ids = NULL;
	size_t nout = 0, nin = 0;
	bool duplicate;

	error_clear(&err);
	assert_int_equal(
	    store_inbox_add(f->db.store, "email", "<a@mx>", "", raw,
	        sizeof raw - 1, testdb_local(MONDAY_9), &duplicate, &err),
	    0);
	assert_int_equal(
	    store_inbox_add(f->db.store, "email", "<b@mx>", "", other,
	        sizeof other - 1, testdb_local(MONDAY_9), &duplicate, &err),
	    0);
	assert_int_equal(store_person_loose(f->db.store, "ola@example.pl", "",
	                     "", &out_ids, &nout, &in_ids, &nin, &err),
	    0);
	assert_int_equal(nout, 0);
	assert_int_equal(nin, 1);
	memset(&c, 0, sizeof c);
	assert_int_equal(store_begin(f->db.store, &err), 0);
	assert_int_equal(store_purge_contact(f->db.store, "ola@example.pl", "",
	                     "", testdb_local(MONDAY_9), &c, &err),
	    0);
	assert_int_equal(store_commit(f->db.store, &err), 0);
	assert_int_equal(c.inbox, 1);
	assert_int_equal(store_inbox_get(f->db.store, in_ids[0], &m, &err), 0);
	assert_int_equal(m.raw_len, 0);
	inbox_message_free(&m);
	free(out_ids);
	free(in_ids);
	/* the other reply is untouched */
	assert_int_equal(store_person_loose(f->db.store, "ktos@example.pl", "",
	                     "", &out_ids, &nout, &in_ids, &nin, &err),
	    0);
	assert_int_equal(nin, 1);
	free(out_ids);
	free(in_ids);
}

/* in line for a day (as waitlist_join writes it; the rules of joining are
 * test_waitlist's) */
static int64_t
in_line(
    struct fixture *f, const char *day, const char *first, const char *email)
{
	static unsigned n;
	struct waitlist_entry e;
	struct error err;

	memset(&e, 0, sizeof e);
	snprintf(e.reference, sizeof e.reference, "WLRET%u", ++n);
	snprintf(e.token, sizeof e.token, "token%u", n);
	e.service_id = f->db.service;
	assert_int_equal(date_parse(day, &e.day), 0);
	e.window_to = 1440;
	e.status = WAITLIST_WAITING;
	snprintf(e.first_name, sizeof e.first_name, "%s", first);
	snprintf(e.last_name, sizeof e.last_name, "Czekająca");
	snprintf(e.email, sizeof e.email, "%s", email);
	snprintf(e.language, sizeof e.language, "pl");
	snprintf(e.source, sizeof e.source, "web");
	e.created_at = testdb_local(MONDAY_9);
	error_clear(&err);
	if (store_waitlist_insert(f->db.store, &e, &err) != 0)
		fail_msg("waitlist: %s", err.msg);
	return e.id;
}

/* the waitlist's entries: erased retain_days after their day once out of
 * line, and with the person on request (an entry in line leaves it);
 * person export lists them */
static void
test_waitlist(void **state)
{
	struct fixture *f = *state;
	struct retention_report r;
	struct person_contact p;
	struct purge_counts n;
	struct error err;
	unsigned found;
	json_t *doc = NULL, *list;
	int64_t past, ahead;

	past = in_line(f, "2026-12-08", "Hanna", "hanna@example.pl");
	ahead = in_line(f, "2027-01-20", "Igor", "igor@example.pl");
	error_clear(&err);
	/* Hanna's line ended with its day */
	assert_int_equal(
	    store_waitlist_transition(f->db.store, past, WAITLIST_WAITING,
	        WAITLIST_ENDED, testdb_local("2026-12-09T00:05"), &err),
	    0);
	/* 30 days after the day's end (09.12 00:00): not before, then gone */
	n = purge_at(f, "2027-01-07T23:50");
	assert_int_equal(n.waitlist, 0);
	assert_string_equal(testdb_entry(&f->db, past).first_name, "Hanna");
	n = purge_at(f, "2027-01-08T00:10");
	assert_int_equal(n.waitlist, 1);
	assert_string_equal(testdb_entry(&f->db, past).first_name, "");
	assert_string_equal(testdb_entry(&f->db, past).email, "");
	assert_int_equal(testdb_entry(&f->db, past).status, WAITLIST_ENDED);
	assert_string_equal(testdb_entry(&f->db, ahead).first_name, "Igor");

	/* Igor asks: his entry is exported, then erased (out of line) */
	assert_int_equal(person_contact_parse("IGOR@example.pl", &p, &err), 0);
	assert_int_equal(person_export(f->db.store, &p, &f->cli,
	                     testdb_local("2027-01-09T09:00"), &doc, &err),
	    0);
	list = json_object_get(doc, "waitlist");
	assert_int_equal(json_array_size(list), 1);
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(list, 0), "first_name")),
	    "Igor");
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(list, 0), "status")),
	    "waiting");
	json_decref(doc);
	assert_int_equal(
	    person_erase(f->db.store, &p, &f->cli,
	        testdb_local("2027-01-09T09:00"), &r, &found, &err),
	    0);
	assert_int_equal(r.erased.waitlist, 1);
	assert_string_equal(testdb_entry(&f->db, ahead).first_name, "");
	assert_string_equal(testdb_entry(&f->db, ahead).email, "");
	assert_int_equal(testdb_entry(&f->db, ahead).status, WAITLIST_LEFT);
}

/* the rebuild after an erasure waits for no reader forever: while
 * another connection still reads a snapshot from before (its erased rows
 * would be copied into the rebuilt tables) it says busy, to be tried
 * again; once that reader is done it rebuilds */
static void
test_compact_waits_for_older_snapshots(void **state)
{
	struct fixture *f = *state;
	struct store *reader;
	struct error err;
	char value[16];

	error_clear(&err);
	assert_non_null(reader = store_open(f->db.path, &err));
	assert_int_equal(store_read_begin(reader, &err), 0);
	(void)store_kv_get(reader, "privacy.compact_pending", value,
	    sizeof value); /* the snapshot is taken */
	book(f, "2026-12-08T10:00", "Anna", "anna@example.pl", "");
	assert_int_equal(store_compact(f->db.store, &err), -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	assert_string_equal(err.code, "busy");
	store_read_end(reader);
	error_clear(&err);
	assert_int_equal(store_compact(f->db.store, &err), 0);
	store_close(reader);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_due, setup, testdb_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_purge_when_and_what, setup, testdb_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_queued_message_suppressed, setup, testdb_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_person, setup, testdb_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_person_operator, setup, testdb_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_loose_reply, setup, testdb_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_waitlist, setup, testdb_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_compact_waits_for_older_snapshots, setup, testdb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
