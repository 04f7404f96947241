/*
 * pg_baseline.c: the baselines of pg_bench.py — plain libpq transactions
 * of the shape of one booking and of one slots answer, in C, with nothing
 * around them: no HTTP, no validation, no message composition, statements
 * prepared once per connection. CONNS processes, each on a connection of
 * its own, run N transactions between them at once (wizyta-web's threads
 * each hold a connection: the same concurrency).
 *
 *   book   BEGIN; the advisory lock of the desk's day (what store_busy_count
 *          takes); count the live bookings on the desk at that time; insert
 *          the booking (its folded names by wizyta_fold, as the store), its
 *          event and one outbox row with a 3 KB payload; COMMIT. Each at
 *          its own quarter hour, from 2031 on.
 *   slots  BEGIN REPEATABLE READ READ ONLY; the service; its desks' hours
 *          for the weekday; the day's calendar exceptions; the day's busy
 *          bookings; COMMIT — the reads of one slots answer, rotating over
 *          the services and the next 40 weekdays as the bench's requests.
 *
 *   pg_baseline CONNINFO book|slots N CONNS   → prints "per_second X"
 *
 * The database is an office's (wizyta init + demo): the same schema,
 * indexes and triggers as the store's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(PGconn *c, const char *what)
{
	fprintf(stderr, "pg_baseline: %s: %s", what, PQerrorMessage(c));
	exit(1);
}

static void
prepare(PGconn *c, const char *name, const char *sql)
{
	PGresult *r = PQprepare(c, name, sql, 0, NULL);

	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		die(c, name);
	PQclear(r);
}

/* run a prepared statement; NULL when it failed (the caller rolls back) */
static PGresult *
run(PGconn *c, const char *name, int n, const char *const *v,
    const int *len, const int *fmt)
{
	PGresult *r = PQexecPrepared(c, name, n, v, len, fmt, 0);
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		PQclear(r);
		return NULL;
	}
	return r;
}

static int
simple(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;

	PQclear(r);
	return ok ? 0 : -1;
}

static long long
one_int(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	long long v;

	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) < 1)
		die(c, sql);
	v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

#define LIVE "('pending', 'booked', 'waiting', 'called', 'in_service')"

static void
prepare_book(PGconn *c)
{
	prepare(c, "lock",
	    "SELECT pg_advisory_xact_lock(($1::bigint % 2147483647)::integer,"
	    " ($2::bigint / 86400)::integer)");
	prepare(c, "busy",
	    "SELECT count(*) FROM bookings WHERE desk_id = $1 AND start_at < $2"
	    " AND end_at > $3 AND status IN " LIVE);
	prepare(c, "booking",
	    "INSERT INTO bookings (reference, service_id, desk_id, start_at,"
	    " end_at, day, status, first_name, last_name, email, phone,"
	    " language, access_code, source, note, created_at, confirm_by,"
	    " sequence, token, client_hash, client_net, first_fold, last_fold)"
	    " VALUES ($1, $2, $3, $4, $5, to_timestamp($4::bigint)::date, 'pending',"
	    " $6, $7, $8, '', 'pl', '', 'web', '', $9, $9::bigint + 1800, 0, $10, '',"
	    " '', wizyta_fold($6), wizyta_fold($7)) RETURNING id");
	prepare(c, "event",
	    "INSERT INTO booking_events (booking_id, at, actor, action, detail)"
	    " VALUES ($1, $2, 'citizen (web)', 'create', '')");
	prepare(c, "outbox",
	    "INSERT INTO outbox (booking_id, channel, kind, recipient,"
	    " message_id, payload, status, created_at, next_attempt_at)"
	    " VALUES ($1, 'email', 'confirm_request', $2, $3, $4, 'queued', $5,"
	    " $5)");
}

/* one booking's transaction; 0 when it committed */
static int
book_one(PGconn *c, long long service, long long desk, long long start,
    long long seq)
{
	static char payload[3072];
	char s_service[24], s_desk[24], s_start[24], s_end[24], s_now[24];
	char ref[24], token[32], email[48], msgid[64], id[24];
	const char *v[10];
	int len[10] = {0}, fmt[10] = {0};
	PGresult *r;

	if (payload[0] == '\0')
		memset(payload, 'x', sizeof payload);
	snprintf(s_service, sizeof s_service, "%lld", service);
	snprintf(s_desk, sizeof s_desk, "%lld", desk);
	snprintf(s_start, sizeof s_start, "%lld", start);
	snprintf(s_end, sizeof s_end, "%lld", start + 900);
	snprintf(s_now, sizeof s_now, "%lld", (long long)time(NULL));
	snprintf(ref, sizeof ref, "B%09lld", seq);
	snprintf(token, sizeof token, "t%015lld", seq);
	snprintf(email, sizeof email, "bench%lld@example.pl", seq);
	snprintf(msgid, sizeof msgid, "<%s@bench.example>", ref);
	if (simple(c, "BEGIN") != 0)
		return -1;
	v[0] = s_desk;
	v[1] = s_start;
	if ((r = run(c, "lock", 2, v, NULL, NULL)) == NULL)
		goto fail;
	PQclear(r);
	v[1] = s_end;
	v[2] = s_start;
	if ((r = run(c, "busy", 3, v, NULL, NULL)) == NULL)
		goto fail;
	if (strtol(PQgetvalue(r, 0, 0), NULL, 10) != 0) {
		PQclear(r);
		goto fail;
	}
	PQclear(r);
	v[0] = ref;
	v[1] = s_service;
	v[2] = s_desk;
	v[3] = s_start;
	v[4] = s_end;
	v[5] = "Bench";
	v[6] = "Mark";
	v[7] = email;
	v[8] = s_now;
	v[9] = token;
	if ((r = run(c, "booking", 10, v, NULL, NULL)) == NULL)
		goto fail;
	snprintf(id, sizeof id, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	v[0] = id;
	v[1] = s_now;
	if ((r = run(c, "event", 2, v, NULL, NULL)) == NULL)
		goto fail;
	PQclear(r);
	v[0] = id;
	v[1] = email;
	v[2] = msgid;
	v[3] = payload;
	len[3] = (int)sizeof payload;
	fmt[3] = 1;
	v[4] = s_now;
	if ((r = run(c, "outbox", 5, v, len, fmt)) == NULL)
		goto fail;
	PQclear(r);
	return simple(c, "COMMIT");
fail:
	simple(c, "ROLLBACK");
	return -1;
}

static void
prepare_slots(PGconn *c)
{
	prepare(c, "service",
	    "SELECT s.id, s.name, s.name_en, s.duration_minutes, s.active,"
	    " u.name FROM services s JOIN units u ON u.id = s.unit_id"
	    " WHERE s.id = $1");
	prepare(c, "hours",
	    "SELECT h.desk_id, d.name, d.capacity, h.opens, h.closes"
	    " FROM opening_hours h"
	    " JOIN desks d ON d.id = h.desk_id AND NOT d.retired"
	    " JOIN desk_services ds ON ds.desk_id = h.desk_id"
	    "  AND ds.service_id = $1"
	    " WHERE h.weekday = $2 AND (h.service_id = $1"
	    "  OR h.service_id IS NULL) ORDER BY h.desk_id, h.opens");
	prepare(c, "exceptions",
	    "SELECT COALESCE(desk_id, 0), opens, closes FROM"
	    " calendar_exceptions WHERE day = $1 ORDER BY id");
	prepare(c, "day_busy",
	    "SELECT desk_id, start_at, end_at FROM bookings WHERE start_at < $1"
	    " AND start_at >= $2::bigint - 86400 AND end_at > $2 AND status"
	    " IN " LIVE);
}

/* one slots answer's reads; 0 when they ran */
static int
slots_one(PGconn *c, long long service, time_t day)
{
	char s_service[24], s_weekday[4], s_day[16], s_from[24], s_to[24];
	const char *v[2];
	const char *names[] = {"service", "hours", "exceptions", "day_busy"};
	struct tm tm;
	PGresult *r;
	int i, wd;

	gmtime_r(&day, &tm);
	wd = tm.tm_wday == 0 ? 7 : tm.tm_wday;
	snprintf(s_service, sizeof s_service, "%lld", service);
	snprintf(s_weekday, sizeof s_weekday, "%d", wd);
	strftime(s_day, sizeof s_day, "%Y-%m-%d", &tm);
	snprintf(s_from, sizeof s_from, "%lld", (long long)day);
	snprintf(s_to, sizeof s_to, "%lld", (long long)day + 86400);
	if (simple(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") != 0)
		return -1;
	for (i = 0; i < 4; i++) {
		switch (i) {
		case 0: v[0] = s_service; break;
		case 1:
			v[0] = s_service;
			v[1] = s_weekday;
			break;
		case 2: v[0] = s_day; break;
		default:
			v[0] = s_to;
			v[1] = s_from;
			break;
		}
		if ((r = run(c, names[i], i == 0 || i == 2 ? 1 : 2, v, NULL,
		         NULL)) == NULL) {
			simple(c, "ROLLBACK");
			return -1;
		}
		PQclear(r);
	}
	return simple(c, "COMMIT");
}

int
main(int argc, char **argv)
{
	long n, conns, k;
	int go[2], done[2], ready[2];
	int book;
	double t0, dt;
	long ok = 0;

	if (argc != 5 || (n = strtol(argv[3], NULL, 10)) <= 0 ||
	    (conns = strtol(argv[4], NULL, 10)) <= 0 || conns > 64 ||
	    (strcmp(argv[2], "book") != 0 && strcmp(argv[2], "slots") != 0)) {
		fprintf(stderr, "usage: pg_baseline CONNINFO book|slots N CONNS\n");
		return 2;
	}
	book = strcmp(argv[2], "book") == 0;
	if (pipe(go) != 0 || pipe(done) != 0 || pipe(ready) != 0)
		return 1;
	for (k = 0; k < conns; k++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (pid == 0) {
			PGconn *c = PQconnectdb(argv[1]);
			long long service, desk, nservices, base, seq0;
			long i, mine = n / conns + (k < n % conns), good = 0;
			char byte;
			time_t today = time(NULL) / 86400 * 86400;

			if (PQstatus(c) != CONNECTION_OK)
				die(c, "connect");
			service = one_int(c, "SELECT min(service_id) FROM"
			                     " desk_services");
			desk = one_int(c, "SELECT min(desk_id) FROM desk_services"
			                  " WHERE service_id = (SELECT"
			                  " min(service_id) FROM desk_services)");
			nservices = one_int(c, "SELECT count(*) FROM services");
			/* each run's times after the last one's */
			base = one_int(c, "SELECT GREATEST(1924992000,"
			                  " COALESCE(max(start_at), 0) + 900)"
			                  " FROM bookings");
			seq0 = one_int(c, "SELECT COALESCE(max(id), 0) FROM"
			                  " bookings");
			if (book)
				prepare_book(c);
			else
				prepare_slots(c);
			/* ready; then wait for the start (the pipe's end) */
			close(go[1]);
			if (write(ready[1], "r", 1) != 1 ||
			    read(go[0], &byte, 1) < 0)
				_exit(1);
			for (i = 0; i < mine; i++) {
				long long j = k + i * conns;

				if (book ? book_one(c, service, desk,
				               base + j * 900,
				               seq0 * 1000 + j + 1) == 0
				         : slots_one(c, service + j % nservices,
				               today + 86400 * (1 + j % 56)) == 0)
					good++;
			}
			PQfinish(c);
			if (write(done[1], &good, sizeof good) != sizeof good)
				_exit(1);
			_exit(0);
		}
	}
	/* a worker that dies closes its ends: the reads below then fail
	 * instead of waiting for ever */
	close(ready[1]);
	close(done[1]);
	/* every child connected and prepared: start them together */
	for (k = 0; k < conns; k++) {
		char byte;

		if (read(ready[0], &byte, 1) != 1) {
			fprintf(stderr, "pg_baseline: a worker failed\n");
			return 1;
		}
	}
	close(go[0]);
	t0 = now_seconds();
	close(go[1]);
	for (k = 0; k < conns; k++) {
		long good;

		if (read(done[0], &good, sizeof good) != sizeof good) {
			fprintf(stderr, "pg_baseline: a worker failed\n");
			return 1;
		}
		ok += good;
	}
	dt = now_seconds() - t0;
	while (wait(NULL) > 0)
		;
	if (ok < n) {
		fprintf(stderr, "pg_baseline: %ld of %ld transactions failed\n",
		    n - ok, n);
		return 1;
	}
	printf("per_second %.1f\n", (double)ok / dt);
	return 0;
}
