/* testdb.c: throw-away database directories for unit tests, and what the
 * database tests ask of it. With WIZYTA_TEST_BACKEND=postgresql (the
 * suite's PostgreSQL run, tests/pg_run.sh) each database is a schema of its
 * own on the run's server instead of an SQLite file, and the same tests run
 * against the PostgreSQL store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "log.h"
#include "office_time.h"
#include "testdb.h"

#define SCHEMA_KEY "search_path="

bool
testdb_postgresql(void)
{
	const char *backend = getenv("WIZYTA_TEST_BACKEND");

	return backend != NULL && strcmp(backend, "postgresql") == 0;
}

static void
quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* pg_admin: one statement on the run's server (libpq's PG* defaults,
 * tests/pg_run.sh); a name made here, never input, goes into it */
static int
pg_admin(const char *sql)
{
	PGconn *c = PQconnectdb(getenv("WIZYTA_TEST_PG"));
	PGresult *res;
	int rc = -1;

	if (c != NULL && PQstatus(c) == CONNECTION_OK) {
		PQsetNoticeProcessor(c, quiet, NULL);
		res = PQexec(c, sql);
		if (PQresultStatus(res) == PGRES_COMMAND_OK)
			rc = 0;
		else
			print_error("testdb: %s: %s", sql, PQerrorMessage(c));
		PQclear(res);
	} else
		print_error("testdb: no PostgreSQL server: %s",
		    c != NULL ? PQerrorMessage(c) : "out of memory");
	PQfinish(c);
	return rc;
}

int
testdb_make(
    const char *name, char *dir, size_t dir_size, char *path, size_t path_size)
{
	static unsigned made;
	char sql[128], schema[64];
	size_t i;

	snprintf(dir, dir_size, "/tmp/wizyta-%s-XXXXXX", name);
	if (mkdtemp(dir) == NULL)
		return -1;
	if (!testdb_postgresql()) {
		snprintf(path, path_size, "%s/wizyta.db", dir);
		return 0;
	}
	/* unique on the server: the process and a count (lower case: the
	 * search_path of the locator is not quoted) */
	snprintf(
	    schema, sizeof schema, "t_%s_%ld_%u", name, (long)getpid(), made++);
	for (i = 0; schema[i] != '\0'; i++)
		if (schema[i] >= 'A' && schema[i] <= 'Z')
			schema[i] = (char)(schema[i] - 'A' + 'a');
	snprintf(sql, sizeof sql, "CREATE SCHEMA \"%s\"", schema);
	if (pg_admin(sql) != 0) {
		rmdir(dir);
		return -1;
	}
	if ((size_t)snprintf(path, path_size,
	        "postgresql:options=-c" SCHEMA_KEY "%s", schema) >= path_size)
		abort(); /* the fixture's path buffer is too small */
	return 0;
}

void
testdb_remove(const char *dir, const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	char file[512];
	size_t i;

	if (testdb_postgresql() && strstr(path, SCHEMA_KEY) != NULL) {
		char sql[128];

		snprintf(sql, sizeof sql, "DROP SCHEMA \"%s\" CASCADE",
		    strstr(path, SCHEMA_KEY) + strlen(SCHEMA_KEY));
		(void)pg_admin(sql);
		rmdir(dir);
		return;
	}

	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
		unlink(file);
	}
	rmdir(dir);
}

/* pg_conninfo: the libpq connection string of a test locator */
static const char *
pg_conninfo(const char *path)
{
	return strncmp(path, "postgresql:", 11) == 0 ? path + 11 : NULL;
}

/* one_row: run sql on the database of path in a connection of its own;
 * the first column of the first row into out (when not NULL) */
static void
one_row(const char *path, const char *sql, char *out, size_t size)
{
	const char *conninfo = pg_conninfo(path);

	if (out != NULL && size > 0)
		out[0] = '\0';
	if (conninfo != NULL) {
		PGconn *c = PQconnectdb(conninfo);
		PGresult *res;

		if (PQstatus(c) != CONNECTION_OK)
			fail_msg("testdb: %s", PQerrorMessage(c));
		PQsetNoticeProcessor(c, quiet, NULL);
		res = PQexec(c, sql);
		if (PQresultStatus(res) != PGRES_COMMAND_OK &&
		    PQresultStatus(res) != PGRES_TUPLES_OK)
			fail_msg("testdb: %s: %s", sql, PQerrorMessage(c));
		if (out != NULL && PQntuples(res) > 0)
			snprintf(out, size, "%s", PQgetvalue(res, 0, 0));
		PQclear(res);
		PQfinish(c);
	} else {
		sqlite3 *db;
		sqlite3_stmt *st;
		const char *tail = sql;

		if (sqlite3_open(path, &db) != SQLITE_OK)
			fail_msg("testdb: %s: %s", path, sqlite3_errmsg(db));
		sqlite3_busy_timeout(db, 5000);
		while (tail != NULL && *tail != '\0') {
			if (sqlite3_prepare_v2(db, tail, -1, &st, &tail) !=
			    SQLITE_OK)
				fail_msg(
				    "testdb: %s: %s", sql, sqlite3_errmsg(db));
			if (st == NULL)
				break;
			if (sqlite3_step(st) == SQLITE_ROW && out != NULL &&
			    out[0] == '\0')
				snprintf(out, size, "%s",
				    (const char *)sqlite3_column_text(st, 0));
			if (sqlite3_finalize(st) != SQLITE_OK)
				fail_msg(
				    "testdb: %s: %s", sql, sqlite3_errmsg(db));
		}
		sqlite3_close(db);
	}
}

void
testdb_sql(const char *path, const char *sql)
{
	one_row(path, sql, NULL, 0);
}

long long
testdb_sql_int(const char *path, const char *sql)
{
	char value[64];

	value[0] = '\0';
	one_row(path, sql, value, sizeof value);
	return strtoll(value, NULL, 10);
}

void
testdb_sql_text(const char *path, const char *sql, char *out, size_t size)
{
	out[0] = '\0';
	one_row(path, sql, out, size);
}

int
testdb_catalog(
    struct store *s, int64_t *service, int64_t *desk, struct error *err)
{
	struct service sv;
	struct desk d;
	int64_t unit;
	int day;

	memset(&sv, 0, sizeof sv);
	snprintf(sv.name, sizeof sv.name, "Rejestracja pojazdu");
	snprintf(sv.name_en, sizeof sv.name_en, "Vehicle registration");
	sv.duration_minutes = 15;
	sv.active = true;
	sv.waitlist = true;
	memset(&d, 0, sizeof d);
	snprintf(d.room, sizeof d.room, "Pokój 1");
	snprintf(d.name, sizeof d.name, "Pokój 1 stanowisko 1");
	d.capacity = 1;
	if (store_begin(s, err) != 0)
		return -1;
	if (store_unit_add(s, "Wydział Komunikacji", &unit, err) != 0)
		goto fail;
	sv.unit_id = unit;
	if (store_service_add(s, &sv, service, err) != 0 ||
	    store_desk_add(s, &d, desk, err) != 0)
		goto fail;
	for (day = 1; day <= 5; day++)
		if (store_hours_add(
		        s, *desk, *service, day, 8 * 60, 16 * 60, err) != 0)
			goto fail;
	return store_commit(s, err);
fail:
	store_rollback(s);
	return -1;
}

void
testdb_set(char **field, const char *value)
{
	free(*field);
	if ((*field = strdup(value)) == NULL)
		abort();
}

struct config *
testdb_config(void)
{
	struct config *c = config_defaults();

	testdb_set(&c->sms_provider, "kannel");
	testdb_set(&c->sms_sender, "48500100200");
	testdb_set(&c->sms_callback_secret, "0123456789abcdef0123");
	c->web_max_open_per_contact = 0;
	c->max_pending_per_address = 0;
	c->max_pending_per_network = 0;
	c->pressure_share = 0;
	c->max_pending_share = 0;
	return c;
}

int
testdb_operator(struct store *s, const char *login, enum role role,
    struct actor *out, struct error *err)
{
	struct account a;

	memset(&a, 0, sizeof a);
	snprintf(a.login, sizeof a.login, "%s", login);
	snprintf(a.display_name, sizeof a.display_name, "%s", login);
	snprintf(a.password_hash, sizeof a.password_hash, "x");
	a.role = role;
	if (store_operator_add(s, &a, &a.id, err) != 0)
		return -1;
	*out = actor_operator(&a, VIA_API, "192.0.2.9");
	return 0;
}

size_t
testdb_audit_count(struct store *s, const char *action, int64_t booking_id,
    struct audit_entry *last)
{
	struct audit_filter filter;
	struct audit_entry *list;
	struct error err;
	size_t n, i, found = 0;

	memset(&filter, 0, sizeof filter);
	filter.limit = 1000;
	error_clear(&err);
	if (store_audit_list(s, &filter, &list, &n, &err) != 0)
		fail_msg("audit: %s", err.msg);
	/* newest first: walk back so *last ends as the newest */
	for (i = n; i-- > 0;)
		if (strcmp(list[i].action, action) == 0 &&
		    (booking_id == 0 || list[i].booking_id == booking_id)) {
			found++;
			if (last != NULL)
				*last = list[i];
		}
	free(list);
	return found;
}

time_t
testdb_local(const char *text)
{
	time_t t;

	if (otime_parse(text, &t) != 0)
		fail_msg("bad local time %s", text);
	return t;
}

int
testdb_open(struct testdb *t, const char *name, bool catalog)
{
	struct error err;
	int from, to;

	memset(t, 0, sizeof *t);
	log_init(name, LOG_LEVEL_WARN);
	error_clear(&err);
	if (otime_init("Europe/Warsaw", &err) != 0)
		goto fail;
	if (testdb_make(name, t->dir, sizeof t->dir, t->path, sizeof t->path) !=
	    0) {
		error_set(&err, ERROR_INTERNAL, "no database %s", name);
		goto fail;
	}
	if ((t->store = store_open(t->path, &err)) == NULL ||
	    store_migrate(t->store, &from, &to, &err) != 0 ||
	    (catalog &&
	        testdb_catalog(t->store, &t->service, &t->desk, &err) != 0))
		goto fail;
	t->config = testdb_config();
	t->citizen = actor_citizen(VIA_WEB, "192.0.2.1");
	t->system = actor_system();
	return 0;
fail:
	print_error("setup: %s\n", err.msg);
	return -1;
}

void
testdb_close(struct testdb *t)
{
	store_close(t->store);
	config_free(t->config);
	testdb_remove(t->dir, t->path);
}

void *
testdb_new(size_t size, const char *name, bool catalog)
{
	struct testdb *t = calloc(1, size);

	if (t == NULL || testdb_open(t, name, catalog) != 0) {
		free(t);
		return NULL;
	}
	return t;
}

int
testdb_setup(void **state)
{
	return (*state = testdb_new(sizeof(struct testdb), "unit", true)) ==
	               NULL
	           ? -1
	           : 0;
}

int
testdb_teardown(void **state)
{
	testdb_close(*state);
	free(*state);
	return 0;
}

struct booking_request
testdb_request(const struct testdb *t, const char *start, const char *email,
    const char *phone)
{
	struct booking_request r;

	memset(&r, 0, sizeof r);
	r.service_id = t->service;
	r.start = start;
	r.first_name = "Jan";
	r.last_name = "Kowalski";
	r.email = email;
	r.phone = phone;
	return r;
}

struct booking
testdb_create(struct testdb *t, struct store *s,
    const struct booking_request *r, const struct actor *who, time_t now)
{
	struct booking b;
	struct error err;

	error_clear(&err);
	if (booking_create(s, t->config, r, who, now, &b, &err) != 0)
		fail_msg("booking %s refused: %s (%s)", r->start, err.msg,
		    err.field);
	return b;
}

struct booking
testdb_book(struct testdb *t, const char *start, const char *email,
    const char *phone, time_t now)
{
	struct booking_request r = testdb_request(t, start, email, phone);

	return testdb_create(t, t->store, &r, &t->citizen, now);
}

void
testdb_apply(struct testdb *t, struct booking *b, enum booking_action action,
    const struct actor *who, time_t now)
{
	struct error err;

	error_clear(&err);
	if (booking_apply(t->store, t->config, b->reference, action, who, now,
	        b, &err) != 0)
		fail_msg("%s %s: %s", booking_action_name(action), b->reference,
		    err.msg);
}

struct booking
testdb_booking(struct testdb *t, int64_t id)
{
	struct booking b;
	struct error err;

	error_clear(&err);
	if (store_booking_get(t->store, id, &b, &err) != 0)
		fail_msg("booking %lld: %s", (long long)id, err.msg);
	return b;
}

struct waitlist_entry
testdb_entry(struct testdb *t, int64_t id)
{
	struct waitlist_entry e;
	struct error err;

	error_clear(&err);
	if (store_waitlist_get(t->store, id, &e, &err) != 0)
		fail_msg("entry %lld: %s", (long long)id, err.msg);
	return e;
}

size_t
testdb_outbox_count(struct store *s, int64_t booking_id, const char *channel,
    const char *kind, struct outbox_message *newest)
{
	struct outbox_message *list;
	struct error err;
	size_t n, i, count = 0;

	error_clear(&err);
	if (store_outbox_list(s, channel, booking_id, 10000, &list, &n, &err) !=
	    0)
		fail_msg("outbox: %s", err.msg);
	/* newest first */
	for (i = 0; i < n; i++)
		if (kind == NULL || strcmp(list[i].kind, kind) == 0) {
			if (count++ == 0 && newest != NULL) {
				*newest = list[i];
				list[i].payload = NULL;
			}
		}
	outbox_list_free(list, n);
	return count;
}
