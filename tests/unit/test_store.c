/*
 * test_store.c: the SQLite store's schema handling (fresh database,
 * migrate twice, a newer database, an uninitialised one) and a few of its
 * promises the domain relies on: calendar exceptions, the outbox lease,
 * inbox dedup, opt-outs and the key/value memory. Every test works in its
 * own mkdtemp directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "office_time.h"
#include "store.h"
#include "store_schema.h"
#include "testdb.h"

struct fixture {
	char dir[64];
	char path[128];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct error err;

	if (f == NULL)
		return -1;
	if (testdb_make("store", f->dir, sizeof f->dir, f->path, sizeof f->path) != 0)
		return -1;
	error_clear(&err);
	if (otime_init("Europe/Warsaw", &err) != 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	testdb_remove(f->dir, f->path);
	free(f);
	return 0;
}

static struct store *
open_migrated(const char *path)
{
	struct error err;
	struct store *s;
	int from, to;

	error_clear(&err);
	if ((s = store_open(path, &err)) == NULL)
		fail_msg("store_open: %s", err.msg);
	if (store_migrate(s, &from, &to, &err) != 0)
		fail_msg("store_migrate: %s", err.msg);
	return s;
}

static void
set_user_version(const char *path, int version)
{
	sqlite3 *db;
	char sql[64];

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void
test_fresh_database(void **state)
{
	struct fixture *f = *state;
	struct error err;
	struct store *s;
	int from = -1, to = -1;

	error_clear(&err);
	assert_non_null(s = store_open(f->path, &err));
	assert_int_equal(store_migrate(s, &from, &to, &err), 0);
	assert_int_equal(from, 0);
	assert_int_equal(to, STORE_SCHEMA_VERSION);
	assert_true(to >= 3);
	assert_int_equal(store_check_schema(s, &err), 0);
	/* again: nothing to do */
	assert_int_equal(store_migrate(s, &from, &to, &err), 0);
	assert_int_equal(from, STORE_SCHEMA_VERSION);
	assert_int_equal(to, STORE_SCHEMA_VERSION);
	store_close(s);
	/* and again from another connection, after a reopen */
	assert_non_null(s = store_open(f->path, &err));
	assert_int_equal(store_check_schema(s, &err), 0);
	assert_int_equal(store_migrate(s, &from, &to, &err), 0);
	assert_int_equal(from, STORE_SCHEMA_VERSION);
	assert_int_equal(to, STORE_SCHEMA_VERSION);
	store_close(s);
	store_close(NULL);
}

static void
test_uninitialised_database(void **state)
{
	struct fixture *f = *state;
	struct error err;
	struct store *s;

	error_clear(&err);
	assert_non_null(s = store_open(f->path, &err));
	assert_int_equal(store_check_schema(s, &err), -1);
	assert_int_equal(err.kind, ERROR_INVALID);
	if (strstr(err.msg, "init") == NULL)
		fail_msg("'%s' does not say to run init", err.msg);
	store_close(s);
}

static void
test_newer_database(void **state)
{
	struct fixture *f = *state;
	struct error err;
	struct store *s;
	int from = -1, to = -1;

	store_close(open_migrated(f->path));
	set_user_version(f->path, 99);
	error_clear(&err);
	assert_non_null(s = store_open(f->path, &err));
	assert_int_equal(store_migrate(s, &from, &to, &err), -1);
	assert_int_equal(err.kind, ERROR_INVALID);
	assert_non_null(strstr(err.msg, "99"));
	assert_non_null(strstr(err.msg, "newer"));
	error_clear(&err);
	assert_int_equal(store_check_schema(s, &err), -1);
	assert_non_null(strstr(err.msg, "99"));
	assert_non_null(strstr(err.msg, "upgrade wizyta"));
	/* the refused migration left nothing half-done: a transaction can
	 * start, and the version is untouched */
	assert_int_equal(store_begin(s, &err), 0);
	store_rollback(s);
	store_close(s);
	{
		sqlite3 *db;
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st,
		    NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 99);
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
}

static void
test_unopenable(void **state)
{
	struct error err;

	(void)state;
	error_clear(&err);
	assert_null(store_open("/nonexistent-dir/for/wizyta.db", &err));
	assert_int_equal(err.kind, ERROR_IO);
	assert_non_null(strstr(err.msg, "/nonexistent-dir/for/wizyta.db"));
}

/* a transaction inside a transaction is a savepoint: the inner one's
 * rollback undoes only its own work, the outer commit keeps the rest */
static void
test_nested_transaction_savepoint(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_migrated(f->path);
	struct unit *units = NULL;
	struct error err;
	int64_t id;
	size_t n;

	error_clear(&err);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_unit_add(s, "Kept", &id, &err), 0);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_unit_add(s, "Undone", &id, &err), 0);
	store_rollback(s);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_unit_add(s, "Released", &id, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_units_list(s, &units, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(units[0].name, "Kept");
	assert_string_equal(units[1].name, "Released");
	free(units);
	/* an outer rollback undoes the inner commit too */
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_unit_add(s, "Gone", &id, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	store_rollback(s);
	assert_int_equal(store_units_list(s, &units, &n, &err), 0);
	assert_int_equal(n, 2);
	free(units);
	store_close(s);
}

static void
test_windows_and_exceptions(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_migrated(f->path);
	struct service sv;
	struct desk d1, d2;
	int64_t unit, service, desk1, desk2;
	struct slot_window *w = NULL;
	struct date tuesday = { 2026, 12, 8 }, wednesday = { 2026, 12, 9 };
	struct date holiday = { 2026, 11, 11 }, thursday = { 2026, 12, 10 };
	size_t n;
	bool open;
	struct error err;
	int day;

	error_clear(&err);
	assert_int_equal(store_unit_add(s, "Wydział Komunikacji", &unit, &err), 0);
	memset(&sv, 0, sizeof sv);
	sv.unit_id = unit;
	snprintf(sv.name, sizeof sv.name, "Rejestracja pojazdu");
	sv.duration_minutes = 15;
	sv.active = true;
	assert_int_equal(store_service_add(s, &sv, &service, &err), 0);
	memset(&d1, 0, sizeof d1);
	snprintf(d1.room, sizeof d1.room, "Pokój 1");
	snprintf(d1.name, sizeof d1.name, "Pokój 1 stanowisko 1");
	d1.capacity = 1;
	d2 = d1;
	snprintf(d2.name, sizeof d2.name, "Pokój 1 stanowisko 2");
	d2.capacity = 2;
	assert_int_equal(store_desk_add(s, &d1, &desk1, &err), 0);
	assert_int_equal(store_desk_add(s, &d2, &desk2, &err), 0);
	for (day = 1; day <= 5; day++) {
		assert_int_equal(store_hours_add(s, desk1, service, day, 480, 960, &err), 0);
		assert_int_equal(store_hours_add(s, desk2, service, day, 600, 720, &err), 0);
	}

	assert_int_equal(store_windows_for_day(s, service, tuesday, &w, &n, &open,
	    &err), 0);
	assert_int_equal(n, 2);
	assert_false(open);
	assert_int_equal(w[0].desk_id, desk1);
	assert_int_equal(w[0].opens, 480);
	assert_int_equal(w[0].closes, 960);
	assert_int_equal(w[0].capacity, 1);
	assert_string_equal(w[0].desk_name, "Pokój 1 stanowisko 1");
	assert_int_equal(w[1].desk_id, desk2);
	assert_int_equal(w[1].capacity, 2);
	free(w);

	/* the whole office closed on Wednesday */
	assert_int_equal(store_exception_add(s, 0, wednesday, -1, 0, "inwentaryzacja",
	    &err), 0);
	assert_int_equal(store_windows_for_day(s, service, wednesday, &w, &n, &open,
	    &err), 0);
	assert_int_equal(n, 0);
	assert_false(open);
	free(w);

	/* desk 2 alone closed on Thursday */
	assert_int_equal(store_exception_add(s, desk2, thursday, -1, 0, "szkolenie",
	    &err), 0);
	assert_int_equal(store_windows_for_day(s, service, thursday, &w, &n, &open,
	    &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(w[0].desk_id, desk1);
	free(w);

	/* a holiday opened by an exception for every desk */
	assert_int_equal(store_exception_add(s, 0, holiday, 540, 660, "dyżur", &err), 0);
	assert_int_equal(store_windows_for_day(s, service, holiday, &w, &n, &open,
	    &err), 0);
	assert_true(open);
	assert_int_equal(n, 2);
	assert_int_equal(w[0].opens, 540);
	assert_int_equal(w[1].closes, 660);
	free(w);
	store_close(s);
}

static void
test_outbox_lease(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_migrated(f->path);
	struct outbox_message m, *got = NULL;
	struct outbox_stats stats;
	struct error err;
	size_t n;
	int64_t id;

	error_clear(&err);
	memset(&m, 0, sizeof m);
	snprintf(m.channel, sizeof m.channel, "sms");
	snprintf(m.kind, sizeof m.kind, "reply_help");
	snprintf(m.recipient, sizeof m.recipient, "+48600700800");
	m.payload = (char *)"Odpisz TAK lub NIE";
	m.payload_len = strlen(m.payload);
	m.status = OUTBOX_QUEUED;
	m.created_at = 1000;
	m.next_attempt_at = 1000;
	assert_int_equal(store_outbox_add(s, &m, &err), 0);
	id = m.id;
	assert_true(id > 0);

	/* not due yet */
	assert_int_equal(store_outbox_claim(s, "sms", 999, 1060, 10, &got, &n, &err), 0);
	assert_int_equal(n, 0);
	free(got);
	/* due, claimed, leased: a second claim during the lease gets nothing */
	assert_int_equal(store_outbox_claim(s, "sms", 1000, 1060, 10, &got, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(got[0].id, id);
	assert_int_equal(got[0].payload_len, strlen("Odpisz TAK lub NIE"));
	assert_memory_equal(got[0].payload, "Odpisz TAK lub NIE", got[0].payload_len);
	outbox_list_free(got, n);
	assert_int_equal(store_outbox_claim(s, "sms", 1030, 1090, 10, &got, &n, &err), 0);
	assert_int_equal(n, 0);
	free(got);
	/* other channels never see it */
	assert_int_equal(store_outbox_claim(s, "email", 5000, 5060, 10, &got, &n, &err), 0);
	assert_int_equal(n, 0);
	free(got);
	/* an expired lease (a killed worker) makes it due again */
	assert_int_equal(store_outbox_claim(s, "sms", 1061, 1121, 10, &got, &n, &err), 0);
	assert_int_equal(n, 1);
	outbox_list_free(got, n);
	assert_int_equal(store_outbox_mark_sent(s, id, 1062, "kannel-1", "", &err), 0);
	assert_int_equal(store_outbox_claim(s, "sms", 9999, 10059, 10, &got, &n, &err), 0);
	assert_int_equal(n, 0);
	free(got);
	assert_int_equal(store_outbox_stats(s, "sms", &stats, &err), 0);
	assert_int_equal(stats.sent, 1);
	assert_int_equal(stats.queued, 0);
	store_close(s);
}

static void
test_inbox_optout_kv(void **state)
{
	struct fixture *f = *state;
	struct store *s = open_migrated(f->path);
	struct inbox_message in;
	struct error err;
	char value[32];
	bool dup = true, has = true;

	error_clear(&err);
	assert_int_equal(store_inbox_add(s, "sms", "kannel:1", "+48600700800", "TAK", 3,
	    100, &dup, &err), 0);
	assert_false(dup);
	assert_int_equal(store_inbox_add(s, "sms", "kannel:1", "+48600700800", "TAK", 3,
	    101, &dup, &err), 0);
	assert_true(dup);
	assert_int_equal(store_inbox_next(s, &in, &err), 0);
	assert_string_equal(in.sender, "+48600700800");
	assert_int_equal(in.raw_len, 3);
	assert_memory_equal(in.raw, "TAK", 3);
	assert_int_equal(store_inbox_mark(s, in.id, "processed", 0, "confirm", "", &err), 0);
	inbox_message_free(&in);
	assert_int_equal(store_inbox_next(s, &in, &err), -1);
	assert_int_equal(err.kind, ERROR_NOT_FOUND);

	error_clear(&err);
	assert_int_equal(store_sms_optout_has(s, "+48600700800", &has, &err), 0);
	assert_false(has);
	assert_int_equal(store_sms_optout_add(s, "+48600700800", 100, &err), 0);
	assert_int_equal(store_sms_optout_has(s, "+48600700800", &has, &err), 0);
	assert_true(has);

	assert_int_equal(store_kv_get(s, "imap.uidvalidity", value, sizeof value), -1);
	assert_int_equal(store_kv_set(s, "imap.uidvalidity", "12345", &err), 0);
	assert_int_equal(store_kv_set(s, "imap.uidvalidity", "67890", &err), 0);
	assert_int_equal(store_kv_get(s, "imap.uidvalidity", value, sizeof value), 0);
	assert_string_equal(value, "67890");
	store_close(s);
}

/* An office upgrading: a database of schema 1 with a booking, its events
 * and its outbox row comes through migrations 2 and 3 (which rebuilds
 * bookings to CHECK the statuses) whole, references intact. */
static void
test_upgrade_from_1(void **state)
{
	struct fixture *f = *state;
	struct booking b;
	struct error err;
	struct store *s;
	sqlite3 *db;
	int from = -1, to = -1;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, store_migrations[0], NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db,
	        "PRAGMA user_version = 1;"
	        "INSERT INTO units (id, name) VALUES (1, 'Wydział');"
	        "INSERT INTO services (id, unit_id, name, duration_minutes)"
	        " VALUES (1, 1, 'Usługa', 15);"
	        "INSERT INTO desks (id, room, name) VALUES (1, 'Pokój 1', "
	        "'P1');"
	        "INSERT INTO bookings (id, reference, service_id, desk_id,"
	        " start_at, end_at, day, status, first_name, last_name, email,"
	        " token, created_at) VALUES (7, 'ABCDEFGHJK', 1, 1, 1796720400,"
	        " 1796721300, '2026-12-08', 'booked', 'Jan', 'Kowalski',"
	        " 'jan@example.pl', 'feed', 1796600000);"
	        "INSERT INTO booking_events (booking_id, at, actor, action)"
	        " VALUES (7, 1796600000, 'citizen', 'create');"
	        "INSERT INTO outbox (booking_id, channel, kind, recipient, "
	        "payload,"
	        " created_at, next_attempt_at) VALUES (7, 'email', "
	        "'access_code',"
	        " 'jan@example.pl', 'x', 1, 1);"
	        "INSERT INTO operators (login, role, password_hash, created_at)"
	        " VALUES ('anna', 'staff', 'x', 1);",
	        NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);

	error_clear(&err);
	assert_non_null(s = store_open(f->path, &err));
	assert_int_equal(store_migrate(s, &from, &to, &err), 0);
	assert_int_equal(from, 1);
	assert_int_equal(to, STORE_SCHEMA_VERSION);
	assert_int_equal(
	    store_booking_by_reference(s, "ABCDEFGHJK", &b, &err), 0);
	assert_int_equal(b.id, 7);
	assert_int_equal(b.status, BOOKING_BOOKED);
	assert_string_equal(b.email, "jan@example.pl");
	assert_int_equal(b.checked_in_at, 0);
	/* foreign keys are back on, and still point at the rebuilt table */
	assert_int_equal(store_event_add(s, 7, 1, "x", "y", "", &err), 0);
	assert_int_equal(store_event_add(s, 99, 1, "x", "y", "", &err), -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	/* and the statuses are CHECKed now */
	assert_int_equal(
	    store_booking_set_status(s, 7, BOOKING_STATUS_COUNT, &err), -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	{
		struct account a;

		assert_int_equal(
		    store_operator_by_login(s, "anna", &a, &err), 0);
		assert_int_equal(a.role, ROLE_STAFF);
		assert_false(a.disabled);
	}
	store_close(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        test_fresh_database, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_uninitialised_database, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_newer_database, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unopenable, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_upgrade_from_1, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_nested_transaction_savepoint, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_windows_and_exceptions, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_outbox_lease, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_inbox_optout_kv, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
