/*
 * tx_baseline.c: the baseline of web_bench.py's bookings/s — the raw SQLite
 * transaction that one booking is, in C, with nothing around it: no HTTP,
 * no validation, no message composition, one connection, prepared
 * statements reused.
 *
 * The same shape as booking_create: BEGIN IMMEDIATE; count the live
 * bookings on the desk at that time (the slot check); insert the booking,
 * its event and one outbox row with a 3 KB payload (a composed e-mail);
 * COMMIT. The same schema (created through lib/store, so the same indexes
 * and triggers), WAL and synchronous=FULL like the store, on the same disk.
 *
 *   tx_baseline DIR N      → prints "tx_per_second X"
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "error.h"
#include "store.h"

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
check(int rc, sqlite3 *db, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(
		    stderr, "tx_baseline: %s: %s\n", what, sqlite3_errmsg(db));
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	char path[4096], payload[3072], ref[32];
	struct store *s;
	struct error err;
	sqlite3 *db;
	sqlite3_stmt *busy, *booking, *event, *outbox;
	long n, i;
	int from, to;
	double t0, dt;
	time_t base = 1893456000; /* 2030-01-01 */

	if (argc != 3 || (n = strtol(argv[2], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: tx_baseline DIR N\n");
		return 2;
	}
	snprintf(path, sizeof path, "%s/tx_baseline.db", argv[1]);
	remove(path);
	error_clear(&err);
	if ((s = store_open(path, &err)) == NULL ||
	    store_migrate(s, &from, &to, &err) != 0) {
		fprintf(stderr, "tx_baseline: %s\n", err.msg);
		return 1;
	}
	store_close(s);
	memset(payload, 'x', sizeof payload);
	check(sqlite3_open(path, &db), db, "open");
	check(sqlite3_exec(db,
	          "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	          " PRAGMA foreign_keys=ON;"
	          "INSERT INTO units (name) VALUES ('u');"
	          "INSERT INTO services (unit_id, name, duration_minutes)"
	          " VALUES (1, 's', 10);"
	          "INSERT INTO desks (room, name, capacity) VALUES ('r', 'd', "
	          "1);",
	          NULL, NULL, NULL),
	    db, "setup");
	check(sqlite3_prepare_v2(db,
	          "SELECT count(*) FROM bookings WHERE desk_id = 1 AND"
	          " start_at < ? AND end_at > ? AND status IN ('pending',"
	          " 'booked', 'waiting', 'called', 'in_service')",
	          -1, &busy, NULL),
	    db, "prepare busy");
	check(sqlite3_prepare_v2(db,
	          "INSERT INTO bookings (reference, service_id, desk_id,"
	          " start_at, end_at, day, status, first_name, last_name,"
	          " email, phone, language, access_code, source, note,"
	          " created_at, confirm_by, sequence, token) VALUES (?, 1, 1,"
	          " ?, ?, '2030-01-01', 'pending', 'Bench', 'Mark',"
	          " 'bench@example.pl', '', 'pl', '', 'api', '', ?, ?, 0,"
	          " '0123456789abcdef')",
	          -1, &booking, NULL),
	    db, "prepare booking");
	check(sqlite3_prepare_v2(db,
	          "INSERT INTO booking_events (booking_id, at, actor, action,"
	          " detail) VALUES (?, ?, 'citizen', 'create', 'api')",
	          -1, &event, NULL),
	    db, "prepare event");
	check(sqlite3_prepare_v2(db,
	          "INSERT INTO outbox (booking_id, channel, kind, recipient,"
	          " message_id, payload, status, created_at, next_attempt_at)"
	          " VALUES (?, 'email', 'confirm_request', 'bench@example.pl',"
	          " ?, ?, 'queued', ?, ?)",
	          -1, &outbox, NULL),
	    db, "prepare outbox");
	t0 = now_seconds();
	for (i = 0; i < n; i++) {
		time_t start = base + (time_t)i * 600;
		sqlite3_int64 id;

		snprintf(ref, sizeof ref, "B%09ld", i);
		check(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), db,
		    "begin");
		sqlite3_bind_int64(busy, 1, start + 600);
		sqlite3_bind_int64(busy, 2, start);
		check(sqlite3_step(busy), db, "busy");
		sqlite3_reset(busy);
		sqlite3_bind_text(booking, 1, ref, -1, SQLITE_STATIC);
		sqlite3_bind_int64(booking, 2, start);
		sqlite3_bind_int64(booking, 3, start + 600);
		sqlite3_bind_int64(booking, 4, start);
		sqlite3_bind_int64(booking, 5, start + 1800);
		check(sqlite3_step(booking), db, "booking");
		sqlite3_reset(booking);
		id = sqlite3_last_insert_rowid(db);
		sqlite3_bind_int64(event, 1, id);
		sqlite3_bind_int64(event, 2, start);
		check(sqlite3_step(event), db, "event");
		sqlite3_reset(event);
		sqlite3_bind_int64(outbox, 1, id);
		sqlite3_bind_text(outbox, 2, ref, -1, SQLITE_STATIC);
		sqlite3_bind_blob(
		    outbox, 3, payload, sizeof payload, SQLITE_STATIC);
		sqlite3_bind_int64(outbox, 4, start);
		sqlite3_bind_int64(outbox, 5, start);
		check(sqlite3_step(outbox), db, "outbox");
		sqlite3_reset(outbox);
		check(
		    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), db, "commit");
	}
	dt = now_seconds() - t0;
	printf("tx_per_second %.1f\n", (double)n / dt);
	sqlite3_finalize(busy);
	sqlite3_finalize(booking);
	sqlite3_finalize(event);
	sqlite3_finalize(outbox);
	sqlite3_close(db);
	remove(path);
	return 0;
}
