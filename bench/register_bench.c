/*
 * register_bench.c: the booking register's search at 100,000 bookings
 * (lib/register.h: register_search — the query typed as staff type it,
 * folded and normalised, one keyset page of 50 read through the store with
 * the service's and desk's names joined, each row's schedule check) against
 * the equivalent plain indexed SQLite query written straight in C on the
 * same database file (a prepared SELECT of the booking's own columns over
 * the same index, ORDER BY start_at, id LIMIT 51, each row copied into a
 * small struct): what the register costs above the index it walks.
 *
 * Four searches, each with parameters drawn afresh for every query:
 *   name    a surname prefix (4 letters, no diacritics: "kowa")
 *   code    an access code (6 digits)
 *   phone   a phone number, as typed ("600 123 456")
 *   range   a week's dates and a status (booked ahead, done behind)
 * and one figure of the keyset itself:
 *   deep    the 20th page of a month's bookings against its first page,
 *           both through the register (an OFFSET page would read every
 *           row before it: the 20th would cost about 20 first pages)
 * Each figure is a ratio (register searches/s ÷ baseline queries/s, or
 * 20th page/s ÷ first page/s), the median of RUNS runs in which the two
 * sides alternate which goes first.
 *
 *   register_bench [-n BOOKINGS] [-q QUERIES] [-r RUNS] [-d DIR]
 *
 * Exits 1 when a median ratio misses its target (bench/README.md says
 * why each target is what it is).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "bench_util.h"
#include "booking.h"
#include "config.h"
#include "fold.h"
#include "log.h"
#include "office_time.h"
#include "register.h"
#include "store.h"

#define MAX_RUNS 31

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "register_bench: %s: %s\n", what, why);
	exit(2);
}

static const char *const first_names[] = {"Anna", "Maria", "Katarzyna",
    "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna", "Elżbieta",
    "Zofia", "Jan", "Andrzej", "Piotr", "Krzysztof", "Stanisław", "Tomasz",
    "Paweł", "Józef", "Marcin", "Łukasz", "Michał", "Grzegorz", "Jerzy",
    "Tadeusz", "Adam", "Zbigniew", "Ryszard", "Dariusz", "Henryk", "Jolanta"};
static const char *const last_names[] = {"Nowak", "Kowalski", "Wiśniewski",
    "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski", "Zieliński", "Szymański",
    "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur", "Wojciechowski",
    "Kwiatkowski", "Krawczyk", "Kaczmarek", "Piotrowski", "Grabowski", "Zając",
    "Pawłowski", "Michalski", "Król", "Wieczorek", "Jabłoński", "Wróbel",
    "Nowakowski", "Majewski", "Olszewski", "Stępień", "Malinowski", "Jaworski",
    "Adamczyk", "Dudek", "Nowicki", "Pawlak", "Górski", "Witkowski", "Walczak",
    "Sikora", "Baran", "Rutkowski", "Michalak", "Szewczyk", "Ostrowski",
    "Tomaszewski", "Pietrzak", "Marciniak", "Wróblewski", "Zalewski",
    "Jakubowski", "Jasiński", "Zawadzki", "Sadowski", "Bąk", "Chmielewski",
    "Włodarczyk", "Borkowski", "Czarnecki", "Sawicki", "Sokołowski", "Urbański",
    "Kubiak", "Maciejewski", "Szczepański", "Kucharski", "Wilk", "Kalinowski",
    "Lis", "Mazurek", "Wysocki", "Adamski", "Kaźmierczak", "Wasilewski",
    "Sobczak", "Czerwiński", "Andrzejewski", "Cieślak", "Głowacki",
    "Zakrzewski", "Kołodziej", "Sikorski", "Krajewski", "Gajewski", "Szymczak",
    "Szulc", "Baranowski", "Laskowski", "Brzeziński", "Makowski", "Ziółkowski",
    "Przybylski", "Domański", "Nowacki", "Borowski", "Błaszczyk", "Chojnacki",
    "Ciesielski", "Mróz"};
#define NFIRST (sizeof first_names / sizeof first_names[0])
#define NLAST (sizeof last_names / sizeof last_names[0])

struct office {
	char path[512];
	time_t first_day; /* midnight of the first day with bookings */
	int days;
	int64_t services[3];
	long n;
};

/* n bookings over `days` working days around now: the past done, no-show,
 * cancelled or expired; the future booked, pending or cancelled */
static void
office_fill(struct office *o, time_t now)
{
	struct config *c;
	struct store *s;
	struct error err;
	struct service sv;
	struct desk desk;
	int64_t unit, desks[4];
	struct date day0 = date_add_days(date_of(now), -o->days / 2);
	char conf[600];
	FILE *f;
	long i, per_day;
	int d, k, from, to;

	snprintf(conf, sizeof conf, "%s.conf", o->path);
	if ((f = fopen(conf, "w")) == NULL)
		die(conf, "cannot write");
	fprintf(f, "[database]\npath = %s\n", o->path);
	fclose(f);
	error_clear(&err);
	if ((c = config_load(conf, &err)) == NULL ||
	    (s = store_open(o->path, &err)) == NULL ||
	    store_migrate(s, &from, &to, &err) != 0)
		die("store", err.msg);
	if (store_begin(s, &err) != 0 ||
	    store_unit_add(s, "Wydział Komunikacji", &unit, &err) != 0)
		die("unit", err.msg);
	for (k = 0; k < 4; k++) {
		memset(&desk, 0, sizeof desk);
		snprintf(desk.room, sizeof desk.room, "Pokój %d", k / 2 + 1);
		snprintf(desk.name, sizeof desk.name, "Pokój %d stanowisko %d",
		    k / 2 + 1, k % 2 + 1);
		desk.capacity = 1;
		if (store_desk_add(s, &desk, &desks[k], &err) != 0)
			die("desk", err.msg);
	}
	for (k = 0; k < 3; k++) {
		memset(&sv, 0, sizeof sv);
		sv.unit_id = unit;
		snprintf(sv.name, sizeof sv.name, "Usługa %d", k + 1);
		sv.duration_minutes = 10;
		sv.active = true;
		if (store_service_add(s, &sv, &o->services[k], &err) != 0)
			die("service", err.msg);
		for (d = 1; d <= 5; d++)
			if (store_hours_add(s, desks[k + (k == 2)],
			        o->services[k], d, 8 * 60, 16 * 60, &err) != 0)
				die("hours", err.msg);
	}
	if (otime_make(day0, 0, &o->first_day) != 0)
		die("day", "cannot make");
	per_day = o->n / o->days + 1;
	for (i = 0; i < o->n; i++) {
		struct booking b;
		struct date day = date_add_days(day0, (int)(i / per_day));
		long slot = i % per_day;
		unsigned r = (unsigned)(i * 2654435761u);

		memset(&b, 0, sizeof b);
		k = (int)(slot % 3);
		b.service_id = o->services[k];
		b.desk_id = desks[k + (k == 2)];
		/* weekends hold no visits: Saturday's go to Friday's desks */
		while (date_weekday(day) > 5)
			day = date_add_days(day, -1);
		if (otime_make(
		        day, 8 * 60 + (int)(slot / 3 % 48) * 10, &b.start) != 0)
			die("start", "cannot make");
		b.end = b.start + 600;
		snprintf(b.reference, sizeof b.reference, "R%09d", (int)i);
		snprintf(b.token, sizeof b.token, "%016d", (int)i);
		snprintf(b.first_name, sizeof b.first_name, "%s",
		    first_names[r % NFIRST]);
		snprintf(b.last_name, sizeof b.last_name, "%s",
		    last_names[(r / NFIRST) % NLAST]);
		snprintf(b.email, sizeof b.email, "osoba%ld@example.pl", i);
		snprintf(
		    b.phone, sizeof b.phone, "+48%09d", (int)(600000000 + i));
		snprintf(b.language, sizeof b.language, "pl");
		snprintf(b.source, sizeof b.source, "%s",
		    r % 10 == 0   ? "staff"
		    : r % 10 == 1 ? "api"
		                  : "web");
		b.created_at = b.start - 7 * 86400;
		b.confirm_by = b.created_at + 1800;
		if (b.start < now)
			b.status = r % 20 < 14   ? BOOKING_DONE
			           : r % 20 < 15 ? BOOKING_NO_SHOW
			           : r % 20 < 18 ? BOOKING_CANCELLED
			                         : BOOKING_EXPIRED;
		else
			b.status = r % 10 < 7   ? BOOKING_BOOKED
			           : r % 10 < 8 ? BOOKING_PENDING
			                        : BOOKING_CANCELLED;
		if (b.status != BOOKING_PENDING && b.status != BOOKING_EXPIRED)
			snprintf(b.access_code, sizeof b.access_code, "%06ld",
			    (i * 7919) % 1000000);
		if (store_booking_insert(s, &b, &err) != 0)
			die("insert", err.msg);
	}
	if (store_commit(s, &err) != 0)
		die("commit", err.msg);
	store_close(s);
	config_free(c);
}

/* what a query asks, both sides: one of the four searches */
enum search { NAME, CODE, PHONE, RANGE, NSEARCH };
static const char *const search_names[NSEARCH] = {
    "name prefix", "access code", "phone", "week + status"};

struct ask {
	char prefix[16]; /* folded, 4 letters */
	char code[8];
	char phone_typed[24], phone[20];
	struct date from, to;
	time_t from_t, to_t;
	int status;
};

static void
ask_draw(const struct office *o, enum search what, unsigned seed, time_t now,
    struct ask *a)
{
	long i = (long)(seed % (unsigned)o->n);
	struct buf fold = BUF_INIT;

	memset(a, 0, sizeof a[0]);
	switch (what) {
	case NAME:
		text_fold(last_names[seed % NLAST], &fold);
		snprintf(a->prefix, sizeof a->prefix, "%.4s", buf_cstr(&fold));
		break;
	case CODE:
		snprintf(
		    a->code, sizeof a->code, "%06ld", (i * 7919) % 1000000);
		break;
	case PHONE:
		snprintf(a->phone_typed, sizeof a->phone_typed,
		    "%03ld %03ld %03ld", (600000000 + i) / 1000000,
		    (600000000 + i) / 1000 % 1000, (600000000 + i) % 1000);
		snprintf(
		    a->phone, sizeof a->phone, "+48%09d", (int)(600000000 + i));
		break;
	default:
		a->from = date_add_days(date_of(o->first_day),
		    (int)(seed % (unsigned)(o->days - 7)));
		a->to = date_add_days(a->from, 6);
		otime_make(a->from, 0, &a->from_t);
		otime_make(date_add_days(a->to, 1), 0, &a->to_t);
		a->status = a->from_t < now ? BOOKING_DONE : BOOKING_BOOKED;
		break;
	}
	buf_free(&fold);
}

/* the register's side: one search as the page and the API run it */
static size_t
register_side(struct store *s, enum search what, const struct ask *a)
{
	struct register_query q;
	struct register_page page;
	struct error err;
	size_t n;

	register_query_init(&q);
	switch (what) {
	case NAME: q.last_name = a->prefix; break;
	case CODE: q.code = a->code; break;
	case PHONE: q.phone = a->phone_typed; break;
	default:
		q.from = a->from;
		q.to = a->to;
		q.status = a->status;
		break;
	}
	error_clear(&err);
	if (register_search(s, &q, &page, &err) != 0)
		die("register_search", err.msg);
	n = page.n;
	register_page_free(&page);
	return n;
}

/* the baseline: the same index, the booking's own columns, LIMIT 51 */
struct row {
	long long id, start;
	char reference[16], status[16], first[64], last[64], email[256],
	    phone[20], code[8];
	long long service, desk;
};

#define BASE_COLUMNS                                                           \
	"SELECT id, reference, start_at, status, first_name, last_name,"       \
	" email, phone, access_code, service_id, desk_id FROM bookings"
static const char *const base_sql[NSEARCH] = {
    BASE_COLUMNS " INDEXED BY bookings_last_fold WHERE last_fold >= ?1"
                 " AND last_fold < ?2 ORDER BY start_at, id LIMIT 51",
    BASE_COLUMNS " INDEXED BY bookings_access_code WHERE access_code = ?1"
                 " ORDER BY start_at, id LIMIT 51",
    BASE_COLUMNS " INDEXED BY bookings_phone WHERE phone = ?1"
                 " ORDER BY start_at, id LIMIT 51",
    BASE_COLUMNS " INDEXED BY bookings_status_time WHERE status = ?1 AND"
                 " start_at >= ?2 AND start_at < ?3 ORDER BY start_at, id"
                 " LIMIT 51",
};

static void
copy_text(sqlite3_stmt *st, int col, char *dst, size_t size)
{
	const unsigned char *v = sqlite3_column_text(st, col);

	snprintf(dst, size, "%s", v != NULL ? (const char *)v : "");
}

static size_t
baseline_side(sqlite3_stmt **stmts, enum search what, const struct ask *a)
{
	sqlite3_stmt *st = stmts[what];
	struct row rows[51];
	struct buf end = BUF_INIT;
	size_t n = 0;
	int rc;

	sqlite3_reset(st);
	switch (what) {
	case NAME:
		text_fold_prefix_end(a->prefix, &end);
		sqlite3_bind_text(st, 1, a->prefix, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, buf_cstr(&end), -1, SQLITE_TRANSIENT);
		break;
	case CODE: sqlite3_bind_text(st, 1, a->code, -1, SQLITE_STATIC); break;
	case PHONE:
		sqlite3_bind_text(st, 1, a->phone, -1, SQLITE_STATIC);
		break;
	default:
		sqlite3_bind_text(st, 1,
		    booking_status_name((enum booking_status)a->status), -1,
		    SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, a->from_t);
		sqlite3_bind_int64(st, 3, a->to_t);
		break;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < 51) {
		struct row *r = &rows[n++];

		r->id = sqlite3_column_int64(st, 0);
		copy_text(st, 1, r->reference, sizeof r->reference);
		r->start = sqlite3_column_int64(st, 2);
		copy_text(st, 3, r->status, sizeof r->status);
		copy_text(st, 4, r->first, sizeof r->first);
		copy_text(st, 5, r->last, sizeof r->last);
		copy_text(st, 6, r->email, sizeof r->email);
		copy_text(st, 7, r->phone, sizeof r->phone);
		copy_text(st, 8, r->code, sizeof r->code);
		r->service = sqlite3_column_int64(st, 9);
		r->desk = sqlite3_column_int64(st, 10);
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		die("baseline", sqlite3_errstr(rc));
	buf_free(&end);
	return n > 50 ? 50 : n;
}

/* the 20th page and the first, through the register */
static double
deep_pages(struct store *s, const struct office *o, time_t now, int pages,
    long queries)
{
	double first = 0, deep = 0;
	long i;

	for (i = 0; i < queries; i++) {
		struct register_query q;
		struct register_page page;
		struct error err;
		char cursor[REGISTER_CURSOR_LEN];
		double t0;
		int p;

		register_query_init(&q);
		q.from = date_add_days(date_of(o->first_day),
		    (int)((unsigned)(i * 40503u) % (unsigned)(o->days - 31)));
		q.to = date_add_days(q.from, 30);
		error_clear(&err);
		for (p = 0; p < pages; p++) {
			t0 = bench_now();
			if (register_search(s, &q, &page, &err) != 0)
				die("deep", err.msg);
			t0 = bench_now() - t0;
			if (p == 0)
				first += t0;
			if (p == pages - 1)
				deep += t0;
			if (page.next[0] == '\0')
				die("deep", "a month ran out of pages");
			snprintf(cursor, sizeof cursor, "%s", page.next);
			q.after = cursor;
			register_page_free(&page);
		}
	}
	(void)now;
	return first / deep; /* 20th pages/s ÷ first pages/s */
}

int
main(int argc, char **argv)
{
	/* about half the medians measured here (bench/README.md): the
	 * machine's noise, not the code, should never miss them */
	static const double target[NSEARCH + 1] = {0.4, 0.3, 0.3, 0.2, 0.5};
	double reg[NSEARCH][MAX_RUNS], base[NSEARCH][MAX_RUNS];
	double ratio[NSEARCH + 1][MAX_RUNS];
	const char *dir = "/var/tmp";
	struct office o;
	struct store *s;
	struct error err;
	sqlite3 *db;
	sqlite3_stmt *stmts[NSEARCH];
	long queries = 300, i;
	int runs = 5, r, k, ch, missed = 0;
	time_t now = time(NULL);
	char cmd[2200];

	memset(&o, 0, sizeof o);
	o.n = 100000;
	while ((ch = getopt(argc, argv, "n:q:r:d:")) != -1)
		switch (ch) {
		case 'n': o.n = strtol(optarg, NULL, 10); break;
		case 'q': queries = strtol(optarg, NULL, 10); break;
		case 'r': runs = atoi(optarg); break;
		case 'd': dir = optarg; break;
		default:
			fprintf(stderr, "usage: register_bench [-n BOOKINGS] "
			                "[-q QUERIES] [-r RUNS] [-d DIR]\n");
			return 2;
		}
	if (o.n < 10000 || o.n > 5000000 || queries < 10 || runs < 1 ||
	    runs > MAX_RUNS)
		die("arguments", "-n 10000…5000000, -q ≥ 10, -r 1…31");
	log_init("register_bench", LOG_LEVEL_WARN);
	error_clear(&err);
	if (otime_init("Europe/Warsaw", &err) != 0)
		die("zone", err.msg);
	snprintf(o.path, sizeof o.path, "%s/register-bench-%ld.db", dir,
	    (long)getpid());
	o.days = 365;
	printf("register: %ld bookings over %d days, %ld queries of each "
	       "kind, %d runs, in %s\n",
	    o.n, o.days, queries, runs, o.path);
	fflush(stdout);
	{
		double t0 = bench_now();

		office_fill(&o, now);
		printf("  filled in %.1f s\n", bench_now() - t0);
	}
	if ((s = store_open(o.path, &err)) == NULL)
		die("store", err.msg);
	if (sqlite3_open_v2(o.path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK)
		die("baseline", sqlite3_errmsg(db));
	for (k = 0; k < NSEARCH; k++)
		if (sqlite3_prepare_v2(db, base_sql[k], -1, &stmts[k], NULL) !=
		    SQLITE_OK)
			die("prepare", sqlite3_errmsg(db));
	for (r = 0; r < runs; r++) {
		for (k = 0; k < NSEARCH; k++) {
			double t_reg = 0, t_base = 0, t0;
			size_t rows_reg = 0, rows_base = 0;

			for (i = 0; i < queries; i++) {
				struct ask a;

				ask_draw(&o, (enum search)k,
				    (unsigned)(i * 2246822519u + (unsigned)r),
				    now, &a);
				/* alternate which side goes first */
				if ((i + r) % 2) {
					t0 = bench_now();
					rows_base += baseline_side(
					    stmts, (enum search)k, &a);
					t_base += bench_now() - t0;
				}
				t0 = bench_now();
				rows_reg +=
				    register_side(s, (enum search)k, &a);
				t_reg += bench_now() - t0;
				if ((i + r) % 2 == 0) {
					t0 = bench_now();
					rows_base += baseline_side(
					    stmts, (enum search)k, &a);
					t_base += bench_now() - t0;
				}
			}
			if (rows_reg != rows_base)
				die(search_names[k], "the two sides found "
				                     "different rows");
			reg[k][r] = (double)queries / t_reg;
			base[k][r] = (double)queries / t_base;
			ratio[k][r] = reg[k][r] / base[k][r];
			printf("  run %d %-14s register %7.0f/s (%5.0f µs), "
			       "baseline %8.0f/s, ratio %.2f, %zu rows\n",
			    r + 1, search_names[k], reg[k][r], 1e6 / reg[k][r],
			    base[k][r], ratio[k][r], rows_reg);
		}
		ratio[NSEARCH][r] = deep_pages(s, &o, now, 20, queries / 10);
		printf("  run %d %-14s 20th page / first page %.2f\n", r + 1,
		    "keyset pages", ratio[NSEARCH][r]);
		fflush(stdout);
	}
	for (k = 0; k < NSEARCH; k++)
		sqlite3_finalize(stmts[k]);
	sqlite3_close(db);
	store_close(s);
	snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm' '%s.conf'",
	    o.path, o.path, o.path, o.path);
	if (system(cmd) != 0)
		fprintf(
		    stderr, "register_bench: could not remove %s\n", o.path);
	for (k = 0; k <= NSEARCH; k++) {
		double m = bench_median(ratio[k], runs);
		bool met = m >= target[k];

		missed += !met;
		if (k < NSEARCH)
			printf("register %-14s %7.0f searches/s (%4.0f µs) vs "
			       "%8.0f/s: ratio %.2f (median), target >= %.2f: "
			       "%s\n",
			    search_names[k], bench_median(reg[k], runs),
			    1e6 / bench_median(reg[k], runs),
			    bench_median(base[k], runs), m, target[k],
			    met ? "met" : "MISSED");
		else
			printf("register %-14s 20th page / first page %.2f "
			       "(median), target >= %.2f: %s\n",
			    "keyset pages", m, target[k],
			    met ? "met" : "MISSED");
	}
	return missed ? 1 : 0;
}
