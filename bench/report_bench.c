/*
 * report_bench.c: what reception and the reports cost, each as a ratio to
 * a plain SQLite baseline measured in the same run on the same database
 * (not a test; `make bench` runs it; bench/README.md).
 *
 *   1. The visits report over a month holding 100 000 bookings (5
 *      services, 4 desks, every status, desk times set): report_build()
 *      by day and service — the store's scan through its covering index,
 *      the roll-up, the names — against the equivalent plain aggregate
 *      query in C (one GROUP BY day, service_id computing the same
 *      figures, prepared once, every row stepped and copied). For scale
 *      it also prints the plain query without the covering index
 *      (INDEXED BY bookings_queue): what migration 4's index buys.
 *   2. Check-in throughput: reception_check_in() by access code with an
 *      occupancy limit on (the code lookup, the clock's rule, the count of
 *      people inside and the queue in the transaction, the transition, the
 *      booking event, the audit row) against a plain transaction of one
 *      UPDATE … SET status = 'waiting' per person, both with WAL and
 *      synchronous=FULL like the store.
 *
 * Medians of several interleaved rounds; exits 1 when a ratio misses its
 * target (REPORT_TARGET, CHECKIN_TARGET), 2 when it cannot run.
 *
 *   bench/report_bench [-n BOOKINGS] [-r ROUNDS] [-c CHECKINS] [-k]
 *
 * -k keeps the database and prints its path (EXPLAIN QUERY PLAN in it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench_util.h"
#include "actor.h"
#include "config.h"
#include "log.h"
#include "reception.h"
#include "report.h"
#include "store.h"

#define REPORT_TARGET 1.5  /* report / plain aggregate query */
#define CHECKIN_TARGET 3.0 /* plain UPDATE transactions / check-ins, per s */

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "report_bench: %s: %s\n", what, why);
	exit(2);
}

static void
exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		die(sql, msg ? msg : "?");
}

/* the office: 5 services, 4 desks, Monday to Friday (through the store) */
static void
catalog(struct store *s, int64_t services[5], int64_t desks[4])
{
	struct error err;
	int64_t unit;
	int i;

	error_clear(&err);
	if (store_begin(s, &err) != 0 ||
	    store_unit_add(s, "Wydział Komunikacji", &unit, &err) != 0)
		die("catalog", err.msg);
	for (i = 0; i < 4; i++) {
		struct desk d;

		memset(&d, 0, sizeof d);
		snprintf(d.room, sizeof d.room, "Pokój %d", i / 2 + 1);
		snprintf(d.name, sizeof d.name, "Pokój %d stanowisko %d",
		    i / 2 + 1, i % 2 + 1);
		d.capacity = 1;
		if (store_desk_add(s, &d, &desks[i], &err) != 0)
			die("desk", err.msg);
	}
	for (i = 0; i < 5; i++) {
		struct service sv;

		memset(&sv, 0, sizeof sv);
		sv.unit_id = unit;
		snprintf(sv.name, sizeof sv.name, "Usługa %d", i + 1);
		sv.duration_minutes = 10;
		sv.active = true;
		if (store_service_add(s, &sv, &services[i], &err) != 0)
			die("service", err.msg);
	}
	if (store_commit(s, &err) != 0)
		die("catalog", err.msg);
}

/* fill: n bookings over December 2026 with every status and desk times
 * (plain SQL: a bench's data, not the product's path) */
static void
fill(sqlite3 *db, int n, const int64_t services[5], const int64_t desks[4])
{
	static const char *const statuses[] = {"done", "done", "done", "done",
	    "done", "done", "no_show", "cancelled", "expired", "booked",
	    "pending", "waiting", "called", "in_service"};
	sqlite3_stmt *st;
	int i;

	if (sqlite3_prepare_v2(db,
	        "INSERT INTO bookings (reference, service_id, desk_id, "
	        "start_at,"
	        " end_at, day, status, first_name, last_name, token, "
	        "created_at,"
	        " access_code, checked_in_at, called_at, started_at, ended_at)"
	        " VALUES (?, ?, ?, ?, ?, ?, ?, 'Jan', 'Kowalski', 'x', 0, ?, "
	        "?, ?,"
	        " ?, ?)",
	        -1, &st, NULL) != SQLITE_OK)
		die("prepare", sqlite3_errmsg(db));
	exec(db, "BEGIN");
	srand(12);
	for (i = 0; i < n; i++) {
		struct date day = {2026, 12, 1 + i % 31};
		const char *status = statuses[rand() % 14];
		int minute = 8 * 60 + (rand() % 48) * 10;
		time_t start, in = 0, call = 0, begin = 0, end = 0;
		char ref[16], text[DATE_LEN], code[16];
		bool desk_day = strcmp(status, "done") == 0 ||
		                strcmp(status, "called") == 0 ||
		                strcmp(status, "in_service") == 0 ||
		                strcmp(status, "waiting") == 0;

		otime_make(day, minute, &start);
		if (desk_day) {
			in = start - 600 + rand() % 600;
			call =
			    strcmp(status, "waiting") ? in + rand() % 1800 : 0;
			begin = strcmp(status, "done") == 0 ||
			                strcmp(status, "in_service") == 0
			            ? call + 30
			            : 0;
			end = strcmp(status, "done") == 0
			          ? begin + 300 + rand() % 900
			          : 0;
		}
		snprintf(ref, sizeof ref, "B%09d", i);
		snprintf(code, sizeof code, "%06d", i % 1000000);
		date_format(day, text);
		sqlite3_bind_text(st, 1, ref, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, services[rand() % 5]);
		sqlite3_bind_int64(st, 3, desks[rand() % 4]);
		sqlite3_bind_int64(st, 4, start);
		sqlite3_bind_int64(st, 5, start + 600);
		sqlite3_bind_text(st, 6, text, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 7, status, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 9, in);
		sqlite3_bind_int64(st, 10, call);
		sqlite3_bind_int64(st, 11, begin);
		sqlite3_bind_int64(st, 12, end);
		if (sqlite3_step(st) != SQLITE_DONE)
			die("insert", sqlite3_errmsg(db));
		sqlite3_reset(st);
	}
	exec(db, "COMMIT");
	exec(db, "ANALYZE");
	sqlite3_finalize(st);
}

/* the equivalent plain aggregate: the same figures by day and service */
#define PLAIN_SQL(indexed)                                                     \
	"SELECT day, service_id, sum(status <> 'expired'),"                    \
	" sum(status IN ('booked', 'waiting', 'called', 'in_service', 'done'," \
	" 'no_show')), sum(status = 'pending'),"                               \
	" sum(status IN ('booked', 'waiting', 'called', 'in_service')),"       \
	" sum(status = 'done'), sum(status = 'no_show'),"                      \
	" sum(status = 'cancelled'), sum(status = 'expired'),"                 \
	" coalesce(sum(CASE WHEN checked_in_at > 0 AND called_at >="           \
	" checked_in_at THEN called_at - checked_in_at END), 0),"              \
	" count(CASE WHEN checked_in_at > 0 AND called_at >= checked_in_at"    \
	" THEN 1 END), coalesce(sum(CASE WHEN status = 'done' AND started_at"  \
	" > 0 AND ended_at >= started_at THEN ended_at - started_at END), 0)," \
	" count(CASE WHEN status = 'done' AND started_at > 0 AND ended_at >="  \
	" started_at THEN 1 END) FROM bookings " indexed                       \
	" WHERE day BETWEEN ?1 AND ?2 GROUP BY day, service_id"

struct plain_row {
	char day[DATE_LEN];
	int64_t service_id;
	int64_t v[12];
};

static size_t
plain(sqlite3_stmt *st, struct plain_row *rows, size_t max, int64_t *planned)
{
	size_t n = 0;
	int i;

	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, "2026-12-01", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, "2026-12-31", -1, SQLITE_STATIC);
	*planned = 0;
	while (sqlite3_step(st) == SQLITE_ROW && n < max) {
		snprintf(rows[n].day, sizeof rows[n].day, "%s",
		    (const char *)sqlite3_column_text(st, 0));
		rows[n].service_id = sqlite3_column_int64(st, 1);
		for (i = 0; i < 12; i++)
			rows[n].v[i] = sqlite3_column_int64(st, 2 + i);
		*planned += rows[n].v[0];
		n++;
	}
	return n;
}

static void
bench_report(struct store *s, sqlite3 *db, int rounds, int n, int *failed)
{
	struct report_query q;
	struct plain_row *rows = calloc(4096, sizeof *rows);
	sqlite3_stmt *st, *unindexed;
	double *a = calloc((size_t)rounds, sizeof *a),
	       *b = calloc((size_t)rounds, sizeof *b),
	       *c = calloc((size_t)rounds, sizeof *c), ra, rb, rc;
	int64_t planned = 0;
	size_t nrows = 0;
	int i;

	if (rows == NULL || a == NULL || b == NULL || c == NULL)
		die("memory", "out of memory");
	if (sqlite3_prepare_v2(db, PLAIN_SQL(""), -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, PLAIN_SQL("INDEXED BY bookings_queue"), -1,
	        &unindexed, NULL) != SQLITE_OK)
		die("prepare", sqlite3_errmsg(db));
	memset(&q, 0, sizeof q);
	q.from = (struct date){2026, 12, 1};
	q.to = (struct date){2026, 12, 31};
	q.group = REPORT_BY_DAY_SERVICE;
	for (i = -1; i < rounds; i++) { /* round -1 warms the caches */
		struct report r;
		struct error err;
		double t0;

		error_clear(&err);
		t0 = bench_now();
		if (report_build(s, &q, &r, &err) != 0)
			die("report", err.msg);
		if (i >= 0)
			a[i] = bench_now() - t0;
		if (r.total.planned + r.total.expired != (unsigned)n)
			die("report", "the totals do not add up");
		report_free(&r);
		t0 = bench_now();
		nrows = plain(st, rows, 4096, &planned);
		if (i >= 0)
			b[i] = bench_now() - t0;
		t0 = bench_now();
		plain(unindexed, rows, 4096, &planned);
		if (i >= 0)
			c[i] = bench_now() - t0;
	}
	ra = bench_median(a, rounds);
	rb = bench_median(b, rounds);
	rc = bench_median(c, rounds);
	printf("visits report, a month of %d bookings by day and service (%zu "
	       "rows):\n"
	       "  report_build %.1f ms, plain GROUP BY %.1f ms: ratio %.2f "
	       "(target <= %.1f) %s\n"
	       "  (the plain query without the covering index: %.1f ms, %.1fx "
	       "slower)\n",
	    n, nrows, ra * 1e3, rb * 1e3, ra / rb, REPORT_TARGET,
	    ra / rb <= REPORT_TARGET ? "ok" : "MISSED", rc * 1e3, rc / rb);
	if (ra / rb > REPORT_TARGET)
		*failed = 1;
	sqlite3_finalize(st);
	sqlite3_finalize(unindexed);
	free(rows);
	free(a);
	free(b);
	free(c);
}

/* today's people to check in: booked, each with its own code */
static void
people(sqlite3 *db, int n, const int64_t services[5], const int64_t desks[4],
    int64_t first_id)
{
	sqlite3_stmt *st;
	struct date day = {2026, 12, 8};
	time_t start;
	int i;

	otime_make(day, 9 * 60, &start);
	if (sqlite3_prepare_v2(db,
	        "INSERT INTO bookings (id, reference, service_id, desk_id,"
	        " start_at, end_at, day, status, first_name, last_name, token,"
	        " created_at, access_code) VALUES (?, ?, ?, ?, ?, ?, "
	        "'2026-12-08',"
	        " 'booked', 'Jan', 'Kowalski', 'x', 0, ?)",
	        -1, &st, NULL) != SQLITE_OK)
		die("prepare", sqlite3_errmsg(db));
	exec(db, "BEGIN");
	/* the month's codes of that day are moved out of the way */
	exec(db,
	    "UPDATE bookings SET access_code = '' WHERE day = '2026-12-08'");
	for (i = 0; i < n; i++) {
		char ref[16], code[16];

		snprintf(ref, sizeof ref, "P%09d", i);
		snprintf(code, sizeof code, "%06d", 100000 + i);
		sqlite3_bind_int64(st, 1, first_id + i);
		sqlite3_bind_text(st, 2, ref, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 3, services[i % 5]);
		sqlite3_bind_int64(st, 4, desks[i % 4]);
		sqlite3_bind_int64(st, 5, start);
		sqlite3_bind_int64(st, 6, start + 600);
		sqlite3_bind_text(st, 7, code, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_DONE)
			die("insert", sqlite3_errmsg(db));
		sqlite3_reset(st);
	}
	exec(db, "COMMIT");
	sqlite3_finalize(st);
}

static void
bench_checkin(struct store *s, sqlite3 *db, struct config *c, int rounds,
    int per_round, const int64_t services[5], const int64_t desks[4],
    int *failed)
{
	struct account reception;
	struct actor actor;
	sqlite3_stmt *up, *begin, *commit;
	double *a = calloc((size_t)rounds, sizeof *a),
	       *b = calloc((size_t)rounds, sizeof *b), ra, rb;
	time_t now;
	int i, j, total = rounds * per_round;
	int64_t first_plain;
	struct error err;

	if (a == NULL || b == NULL)
		die("memory", "out of memory");
	/* 2 × total people: half checked in by the domain, half by UPDATE */
	people(db, 2 * total, services, desks, 20000000);
	memset(&reception, 0, sizeof reception);
	snprintf(reception.login, sizeof reception.login, "bench");
	snprintf(reception.password_hash, sizeof reception.password_hash, "x");
	reception.role = ROLE_RECEPTION;
	error_clear(&err);
	if (store_operator_add(s, &reception, &reception.id, &err) != 0)
		die("operator", err.msg);
	actor = actor_operator(&reception, VIA_API, "127.0.0.1");
	/* a limit high enough for everyone: the count still runs */
	c->reception_max_inside = 1000000;
	c->reception_check_in_early = 86400;
	otime_make((struct date){2026, 12, 8}, 8 * 60, &now);
	if (sqlite3_prepare_v2(db,
	        "UPDATE bookings SET status = 'waiting', checked_in_at = ?"
	        " WHERE id = ? AND status = 'booked'",
	        -1, &up, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, NULL) !=
	        SQLITE_OK ||
	    sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL) != SQLITE_OK)
		die("prepare", sqlite3_errmsg(db));
	first_plain = 20000000 + total;
	for (i = 0; i < rounds; i++) {
		double t0 = bench_now();

		for (j = 0; j < per_round; j++) {
			struct reception_visit v;
			char code[16];

			snprintf(code, sizeof code, "%06d",
			    100000 + i * per_round + j);
			error_clear(&err);
			if (reception_check_in(
			        s, c, code, &actor, now, &v, &err) != 0)
				die("check-in", err.msg);
		}
		a[i] = (bench_now() - t0) / per_round;
		t0 = bench_now();
		for (j = 0; j < per_round; j++) {
			sqlite3_reset(begin);
			sqlite3_reset(commit);
			sqlite3_reset(up);
			sqlite3_bind_int64(up, 1, now);
			sqlite3_bind_int64(
			    up, 2, first_plain + i * per_round + j);
			if (sqlite3_step(begin) != SQLITE_DONE ||
			    sqlite3_step(up) != SQLITE_DONE ||
			    sqlite3_changes(db) != 1 ||
			    sqlite3_step(commit) != SQLITE_DONE)
				die("update", sqlite3_errmsg(db));
		}
		b[i] = (bench_now() - t0) / per_round;
	}
	ra = bench_median(a, rounds);
	rb = bench_median(b, rounds);
	printf("check-in, %d people per round, %d rounds (limit on, WAL, "
	       "synchronous=FULL):\n"
	       "  reception_check_in %.0f/s, plain UPDATE transaction %.0f/s: "
	       "ratio %.2f (target <= %.1f) %s\n",
	    per_round, rounds, 1 / ra, 1 / rb, ra / rb, CHECKIN_TARGET,
	    ra / rb <= CHECKIN_TARGET ? "ok" : "MISSED");
	if (ra / rb > CHECKIN_TARGET)
		*failed = 1;
	sqlite3_finalize(up);
	sqlite3_finalize(begin);
	sqlite3_finalize(commit);
	free(a);
	free(b);
}

int
main(int argc, char **argv)
{
	char dir[] = "/tmp/wizyta-bench-XXXXXX", path[64], side[80];
	int64_t services[5], desks[4];
	int n = 100000, rounds = 7, checkins = 150, ch, from, to, failed = 0;
	bool keep = false;
	struct config *c;
	struct store *s;
	struct error err;
	sqlite3 *db;

	while ((ch = getopt(argc, argv, "n:r:c:k")) != -1)
		switch (ch) {
		case 'k': keep = true; break;
		case 'n': n = atoi(optarg); break;
		case 'r': rounds = atoi(optarg); break;
		case 'c': checkins = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: report_bench [-n BOOKINGS] [-r "
			                "ROUNDS] [-c CHECKINS] [-k]\n");
			return 2;
		}
	if (n < 1000 || rounds < 1 || checkins < 1)
		die("usage", "-n >= 1000, -r >= 1, -c >= 1");
	log_init("report_bench", LOG_LEVEL_WARN);
	error_clear(&err);
	if (otime_init("Europe/Warsaw", &err) != 0)
		die("time zone", err.msg);
	if (mkdtemp(dir) == NULL)
		die("mkdtemp", "failed");
	snprintf(path, sizeof path, "%s/wizyta.db", dir);
	if ((s = store_open(path, &err)) == NULL ||
	    store_migrate(s, &from, &to, &err) != 0)
		die("store", err.msg);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die("sqlite", sqlite3_errmsg(db));
	sqlite3_busy_timeout(db, 10000);
	exec(db, "PRAGMA synchronous=FULL");
	catalog(s, services, desks);
	fill(db, n, services, desks);
	c = config_defaults();
	bench_report(s, db, rounds, n, &failed);
	bench_checkin(s, db, c, rounds, checkins, services, desks, &failed);
	config_free(c);
	sqlite3_close(db);
	store_close(s);
	if (keep) {
		printf("database kept: %s\n", path);
		return failed;
	}
	for (ch = 0; ch < 4; ch++) {
		snprintf(side, sizeof side, "%s%s", path,
		    (const char *[]){"", "-wal", "-shm", "-journal"}[ch]);
		unlink(side);
	}
	rmdir(dir);
	return failed;
}
