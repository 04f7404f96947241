/*
 * store_pg.c: the PostgreSQL backend of store.h — the connection, the
 * bind-and-run helpers (store_pg_internal.h), transactions, migrations,
 * locks and the change token. The functions of each area live in
 * store_pg_AREA.c beside their SQLite twins.
 *
 * Several wizyta-web and wizytad processes share one database, at
 * PostgreSQL's default isolation (read committed: each statement sees what
 * was committed when it began). What SQLite got from having one writer at
 * a time, this backend gets from the database itself:
 *   - a place is never given twice: store_busy_count first takes an
 *     advisory lock on the desk's day (held to the end of the transaction)
 *     and only then counts, in a statement of its own, so it sees every
 *     booking committed before it got the lock;
 *   - a booking read inside a write transaction is locked (FOR UPDATE):
 *     what the domain decides from it holds until it commits;
 *   - access codes are unique per day by a unique index; the outbox, the
 *     desk queue and the gateways' scheduler are taken with FOR UPDATE
 *     SKIP LOCKED or advisory locks (store_pg_outbox.c, store_pg_staff.c);
 *   - a deadlock or a serialisation failure is ERROR_TEMPORARY "retry":
 *     the domain runs the transaction again (store_retry_wanted).
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "store_pg_internal.h"
#include "store_pg_schema.h"
#include "store_schema.h"

/* one schema history for both backends */
_Static_assert(sizeof pg_migrations / sizeof pg_migrations[0] ==
                   sizeof store_migrations / sizeof store_migrations[0],
    "every SQLite migration (store_schema.h) needs its PostgreSQL twin"
    " (store_pg_schema.h)");

/* ---- errors ------------------------------------------------------------- */

static bool
state_is(const char *state, const char *prefix)
{
	return state != NULL && strncmp(state, prefix, strlen(prefix)) == 0;
}

int
pq_fail(
    struct store *s, const PGresult *res, struct error *err, const char *what)
{
	struct pgsql_store *q = pgsql_of(s);
	const char *state =
	    res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res != NULL ? PQresultErrorMessage(res) : "";
	char text[200];
	size_t len;

	if (msg == NULL || msg[0] == '\0')
		msg = PQerrorMessage(q->conn);
	/* one line: libpq ends its messages with a newline */
	snprintf(text, sizeof text, "%s", msg != NULL ? msg : "failed");
	len = strcspn(text, "\n");
	text[len] = '\0';
	if (state_is(state, "23"))
		return error_set(
		    err, ERROR_CONFLICT, "database: %s: %s", what, text);
	if (state_is(state, "40001") || state_is(state, "40P01"))
		return error_set_code(err, ERROR_TEMPORARY, "retry", NULL,
		    "database: %s: %s (the transaction may be run again)", what,
		    text);
	if (state_is(state, "55P03") || state_is(state, "57014"))
		return error_set(
		    err, ERROR_TEMPORARY, "database: %s: %s", what, text);
	/* disk full, out of resources, read-only, I/O: nothing the caller
	 * did, and nothing a retry fixes soon */
	if (state_is(state, "53") || state_is(state, "58") ||
	    state_is(state, "25006")) {
		s->storage_failed = true;
		return error_set_code(err, ERROR_IO, "unavailable", NULL,
		    "database: %s: %s (is the disk full or read-only?)", what,
		    text);
	}
	if (state == NULL || state_is(state, "08") || state_is(state, "57P")) {
		if (PQstatus(q->conn) != CONNECTION_OK)
			return error_set_code(err, ERROR_IO, "unavailable",
			    NULL, "database: %s: the server is unreachable: %s",
			    what, text);
	}
	return error_set(err, ERROR_IO, "database: %s: %s", what, text);
}

/* ---- connection --------------------------------------------------------- */

/* session settings every statement relies on: text dates as YYYY-MM-DD,
 * UTF-8 both ways, and time zone UTC (the store never asks the server for
 * local time: the office's zone is the domain's) */
static const char PG_SESSION[] =
    "SET DateStyle = 'ISO, YMD'; SET client_encoding = 'UTF8';"
    " SET TimeZone = 'UTC'; SET lock_timeout = '30s'";

static int
session_setup(struct pgsql_store *q, struct error *err)
{
	PGresult *res = PQexec(q->conn, PG_SESSION);
	int rc = 0;

	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pq_fail(&q->base, res, err, "session");
	PQclear(res);
	q->nprepared = 0;
	q->listening = false;
	q->jobs = 0;
	return rc;
}

/* the notices a server sends (a NOTICE about an existing object) are not
 * for our logs */
static void
quiet_notices(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

struct store *
pgsql_open(const char *conninfo, struct error *err)
{
	struct pgsql_store *q;
	char where[256];

	if ((q = calloc(1, sizeof *q)) == NULL)
		abort();
	q->base.ops = &store_pgsql_ops;
	if ((q->conninfo = strdup(conninfo)) == NULL)
		abort();
	q->conn = PQconnectdb(conninfo);
	if (q->conn == NULL || PQstatus(q->conn) != CONNECTION_OK) {
		char text[200];

		snprintf(text, sizeof text, "%s",
		    q->conn != NULL ? PQerrorMessage(q->conn)
		                    : "out of memory");
		text[strcspn(text, "\n")] = '\0';
		error_set_code(err, ERROR_IO, "unavailable", NULL,
		    "database %s: cannot connect: %s",
		    (pgsql_describe(conninfo, where, sizeof where), where),
		    text);
		pgsql_close(&q->base);
		return NULL;
	}
	PQsetNoticeProcessor(q->conn, quiet_notices, NULL);
	if (session_setup(q, err) != 0) {
		pgsql_close(&q->base);
		return NULL;
	}
	return &q->base;
}

void
pgsql_close(struct store *s)
{
	struct pgsql_store *q;

	if (s == NULL)
		return;
	q = pgsql_of(s);
	if (q->conn != NULL)
		PQfinish(q->conn);
	free(q->conninfo);
	free(q);
}

void
pgsql_describe(const char *conninfo, char *out, size_t size)
{
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL), *o;
	struct buf b = BUF_INIT;

	buf_puts(&b, "PostgreSQL");
	for (o = opts; o != NULL && o->keyword != NULL; o++)
		if (o->val != NULL && o->val[0] != '\0' &&
		    (strcmp(o->keyword, "dbname") == 0 ||
		        strcmp(o->keyword, "host") == 0 ||
		        strcmp(o->keyword, "hostaddr") == 0 ||
		        strcmp(o->keyword, "port") == 0 ||
		        strcmp(o->keyword, "user") == 0))
			buf_printf(&b, " %s=%s", o->keyword, o->val);
	PQconninfoFree(opts);
	snprintf(out, size, "%s", buf_cstr(&b));
	buf_free(&b);
}

/* reconnect: the server went away (a restart, a failover): outside a
 * transaction, connect again before the next statement rather than fail
 * every request of this thread until the process restarts */
static void
reconnect(struct pgsql_store *q)
{
	if (q->depth > 0 || q->in_read || PQstatus(q->conn) == CONNECTION_OK)
		return;
	PQreset(q->conn);
	if (PQstatus(q->conn) == CONNECTION_OK)
		(void)session_setup(q, NULL);
}

/* ---- bind and run ------------------------------------------------------- */

/* prepared: the name of sql's prepared statement on this connection,
 * preparing it the first time */
static int
prepared(
    struct pgsql_store *q, const char *sql, char name[16], struct error *err)
{
	PGresult *res;
	size_t i;

	for (i = 0; i < q->nprepared; i++)
		if (q->prepared[i].sql == sql) {
			snprintf(name, 16, "w%u", (unsigned)i % 100000u);
			return 0;
		}
	if (q->nprepared == PQ_PREPARED_MAX)
		abort(); /* more statements than slots: raise PQ_PREPARED_MAX */
	snprintf(name, 16, "w%u", (unsigned)q->nprepared % 100000u);
	res = PQprepare(q->conn, name, sql, 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		pq_fail(&q->base, res, err, "prepare");
		PQclear(res);
		return -1;
	}
	PQclear(res);
	q->prepared[q->nprepared++].sql = sql;
	return 0;
}

#define PQ_ARGS_MAX 32

PGresult *
pq_query_args(struct store *s, struct error *err, const char *sql,
    const struct pq_arg *args, size_t n)
{
	struct pgsql_store *q = pgsql_of(s);
	const char *values[PQ_ARGS_MAX];
	int lengths[PQ_ARGS_MAX], formats[PQ_ARGS_MAX];
	char numbers[PQ_ARGS_MAX][24], name[16];
	struct buf mended[PQ_ARGS_MAX];
	ExecStatusType status;
	PGresult *res;
	size_t i;

	if (n > PQ_ARGS_MAX)
		abort(); /* a statement with more values: raise PQ_ARGS_MAX */
	reconnect(q);
	if (prepared(q, sql, name, err) != 0)
		return NULL;
	for (i = 0; i < n; i++) {
		mended[i] = (struct buf)BUF_INIT;
		lengths[i] = 0;
		formats[i] = 0;
		switch (args[i].type) {
		case 'i':
			snprintf(numbers[i], sizeof numbers[i], "%lld",
			    (long long)args[i].i);
			values[i] = numbers[i];
			break;
		case 's': {
			const char *v = args[i].s != NULL ? args[i].s : "";
			size_t len = strlen(v);

			if (utf8_valid(v, len))
				values[i] = v;
			else {
				utf8_sanitize(&mended[i], v, len);
				values[i] = buf_cstr(&mended[i]);
			}
			break;
		}
		case 'b':
			values[i] = args[i].s != NULL ? args[i].s : "";
			lengths[i] = (int)args[i].len;
			formats[i] = 1;
			break;
		default: values[i] = NULL; break;
		}
	}
	res =
	    PQexecPrepared(q->conn, name, (int)n, values, lengths, formats, 0);
	for (i = 0; i < n; i++)
		buf_free(&mended[i]);
	status = PQresultStatus(res);
	if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
		/* the statement is the best "what" there is */
		char what[64];

		snprintf(what, sizeof what, "%.60s", sql);
		pq_fail(s, res, err, what);
		PQclear(res);
		return NULL;
	}
	q->last_rows = strtoll(PQcmdTuples(res), NULL, 10);
	return res;
}

int
pq_exec_args(struct store *s, struct error *err, const char *sql,
    const struct pq_arg *args, size_t n)
{
	PGresult *res = pq_query_args(s, err, sql, args, n);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

PGresult *
pq_query0(struct store *s, struct error *err, const char *sql)
{
	return pq_query_args(s, err, sql, NULL, 0);
}

int
pq_exec0(struct store *s, struct error *err, const char *sql)
{
	return pq_exec_args(s, err, sql, NULL, 0);
}

int64_t
pq_changes(struct store *s)
{
	return pgsql_of(s)->last_rows;
}

int
pq_one(PGresult *res, pq_read_fn read, void *out, struct error *err,
    const char *what)
{
	int rc = 0;

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		rc = error_set(err, ERROR_NOT_FOUND, "no such %s", what);
	else
		read(res, 0, out);
	PQclear(res);
	return rc;
}

int
pq_rows(PGresult *res, size_t size, pq_read_fn read, void **out, size_t *n,
    struct error *err)
{
	int rows, i;
	char *list = NULL;

	(void)err;
	*out = NULL;
	*n = 0;
	if (res == NULL)
		return -1;
	rows = PQntuples(res);
	if (rows > 0 && (list = calloc((size_t)rows, size)) == NULL)
		abort();
	for (i = 0; i < rows; i++)
		read(res, i, list + (size_t)i * size);
	PQclear(res);
	*out = list;
	*n = (size_t)rows;
	return 0;
}

/* ---- column readers ----------------------------------------------------- */

int64_t
pq_int(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return 0;
	return strtoll(PQgetvalue(res, row, col), NULL, 10);
}

bool
pq_bool(const PGresult *res, int row, int col)
{
	const char *v = PQgetvalue(res, row, col);

	/* a boolean reads "t"; a count or a flag computed as integer "1" */
	return !PQgetisnull(res, row, col) &&
	       (v[0] == 't' || (v[0] >= '1' && v[0] <= '9'));
}

void
pq_text(const PGresult *res, int row, int col, char *dst, size_t size)
{
	utf8_copy(dst, size,
	    PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col));
}

char *
pq_bytes(const PGresult *res, int row, int col, size_t *len)
{
	unsigned char *raw;
	size_t n = 0;
	char *out;

	raw = PQgetisnull(res, row, col)
	          ? NULL
	          : PQunescapeBytea(
	                (const unsigned char *)PQgetvalue(res, row, col), &n);
	if ((out = malloc(n + 1)) == NULL)
		abort();
	if (n > 0)
		memcpy(out, raw, n);
	out[n] = '\0';
	PQfreemem(raw);
	*len = n;
	return out;
}

struct date
pq_date(const PGresult *res, int row, int col)
{
	struct date d;

	memset(&d, 0, sizeof d);
	if (PQgetisnull(res, row, col) ||
	    date_parse(PQgetvalue(res, row, col), &d) != 0)
		memset(&d, 0, sizeof d);
	return d;
}

void
pq_date_text(struct date d, char out[DATE_LEN])
{
	if (d.year == 0)
		out[0] = '\0';
	else
		date_format(d, out);
}

void
pq_read_id(const PGresult *res, int row, void *out)
{
	*(int64_t *)out = pq_int(res, row, 0);
}

void
pq_read_count(const PGresult *res, int row, void *out)
{
	*(unsigned *)out = (unsigned)pq_int(res, row, 0);
}

void
pq_read_account(const PGresult *res, int row, void *out)
{
	struct account *a = out;
	char role[16];

	memset(a, 0, sizeof *a);
	a->id = pq_int(res, row, 0);
	pq_text(res, row, 1, a->login, sizeof a->login);
	pq_text(res, row, 2, a->display_name, sizeof a->display_name);
	pq_text(res, row, 3, role, sizeof role);
	if (role_parse(role, &a->role) != 0)
		a->role = ROLE_PUBLIC; /* unreachable: CHECKed */
	a->desk_id = pq_int(res, row, 4);
	a->disabled = pq_bool(res, row, 5);
	a->created_at = pq_int(res, row, 6);
}

/* ---- schema ------------------------------------------------------------- */

/* exec_simple: SQL of several statements (a migration), by the simple
 * query protocol: no values ever go into it */
static int
exec_simple(
    struct store *s, const char *sql, struct error *err, const char *what)
{
	PGresult *res = PQexec(pgsql_of(s)->conn, sql);
	int rc = 0;

	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = pq_fail(s, res, err, what);
	PQclear(res);
	return rc;
}

static const char PG_VERSION_TABLE[] =
    "CREATE TABLE IF NOT EXISTS wizyta_schema (version integer NOT NULL)";
static const char PG_HAS_VERSION[] =
    "SELECT to_regclass('wizyta_schema') IS NOT NULL";
static const char PG_VERSION_GET[] =
    "SELECT COALESCE(max(version), 0) FROM wizyta_schema";
static const char PG_VERSION_CLEAR[] = "DELETE FROM wizyta_schema";
static const char PG_VERSION_SET[] =
    "INSERT INTO wizyta_schema (version) VALUES ($1)";
/* two `wizyta init` at once: the second waits, then finds nothing to do */
static const char PG_MIGRATE_LOCK[] =
    "SELECT pg_advisory_xact_lock(2003335278, 1)";

static void
read_bool(const PGresult *res, int row, void *out)
{
	*(bool *)out = pq_bool(res, row, 0);
}

static void
read_int(const PGresult *res, int row, void *out)
{
	*(int *)out = (int)pq_int(res, row, 0);
}

static int
schema_version(struct store *s, int *version, struct error *err)
{
	bool has = false;

	*version = 0;
	if (pq_one(pq_query0(s, err, PG_HAS_VERSION), read_bool, &has, err,
	        "schema") != 0)
		return -1;
	if (!has)
		return 0;
	return pq_one(pq_query0(s, err, PG_VERSION_GET), read_int, version, err,
	    "schema");
}

int
pgsql_migrate(struct store *s, int *from, int *to, struct error *err)
{
	int version, latest = store_schema_latest();
	char what[32];

	if (pgsql_begin(s, err) != 0)
		return -1;
	if (pq_exec0(s, err, PG_MIGRATE_LOCK) != 0 ||
	    pq_exec0(s, err, PG_VERSION_TABLE) != 0 ||
	    schema_version(s, &version, err) != 0)
		goto fail;
	*from = version;
	if (version > latest) {
		error_set(err, ERROR_INVALID,
		    "the database has schema version %d, newer"
		    " than this wizyta (%d): upgrade wizyta, do not downgrade "
		    "data",
		    version, latest);
		goto fail;
	}
	for (; version < latest; version++) {
		snprintf(what, sizeof what, "migration %d", version + 1);
		if (exec_simple(s, pg_migrations[version], err, what) != 0)
			goto fail;
	}
	if (pq_exec0(s, err, PG_VERSION_CLEAR) != 0 ||
	    pq_exec(s, err, PG_VERSION_SET, PQ_INT(version)) != 0)
		goto fail;
	*to = version;
	return pgsql_commit(s, err);
fail:
	pgsql_rollback(s);
	return -1;
}

int
pgsql_check_schema(struct store *s, struct error *err)
{
	int version;

	if (schema_version(s, &version, err) != 0)
		return -1;
	if (version == store_schema_latest())
		return 0;
	if (version > store_schema_latest())
		return error_set(err, ERROR_INVALID,
		    "database schema %d is newer than"
		    " this program (%d): upgrade wizyta",
		    version, store_schema_latest());
	return error_set(err, ERROR_INVALID,
	    "database schema %d is older than this"
	    " program (%d): run `wizyta -c FILE init` first",
	    version, store_schema_latest());
}

static const char PG_WRITE_CHECK[] =
    "INSERT INTO kv (key, value) VALUES ($1, $2)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value";

int
pgsql_check_writable(
    struct store *s, const char *who, time_t now, struct error *err)
{
	char key[64], value[32];

	/* a real write: a read-only replica or a user without the right to
	 * write shows only when something is written */
	snprintf(key, sizeof key, "write_check.%s", who);
	snprintf(value, sizeof value, "%lld", (long long)now);
	return pq_exec(s, err, PG_WRITE_CHECK, PQ_TEXT(key), PQ_TEXT(value));
}

/* ---- transactions ------------------------------------------------------- */

/* run: a statement without values that must succeed (BEGIN, COMMIT …) */
static int
run(struct store *s, const char *sql, struct error *err)
{
	return exec_simple(s, sql, err, sql);
}

int
pgsql_begin(struct store *s, struct error *err)
{
	struct pgsql_store *q = pgsql_of(s);
	char sql[40];

	if (q->depth > 0) {
		snprintf(sql, sizeof sql, "SAVEPOINT nested%u", q->depth);
		if (run(s, sql, err) != 0)
			return -1;
		q->depth++;
		return 0;
	}
	reconnect(q);
	if (run(s, "BEGIN", err) != 0)
		return -1;
	q->depth = 1;
	return 0;
}

int
pgsql_commit(struct store *s, struct error *err)
{
	struct pgsql_store *q = pgsql_of(s);
	char sql[48];
	PGresult *res;
	bool ok;

	if (q->depth > 1) {
		snprintf(sql, sizeof sql, "RELEASE SAVEPOINT nested%u",
		    q->depth - 1);
		if (run(s, sql, err) != 0) {
			pgsql_rollback(s);
			return -1;
		}
		q->depth--;
		return 0;
	}
	res = PQexec(q->conn, "COMMIT");
	/* a transaction that failed answers COMMIT with ROLLBACK */
	ok = PQresultStatus(res) == PGRES_COMMAND_OK &&
	     strcmp(PQcmdStatus(res), "COMMIT") == 0;
	if (!ok) {
		if (PQresultStatus(res) == PGRES_COMMAND_OK)
			error_set(err, ERROR_IO,
			    "database: commit: the transaction had failed and"
			    " was rolled back");
		else
			pq_fail(s, res, err, "commit");
	}
	PQclear(res);
	q->depth = 0;
	if (!ok && PQtransactionStatus(q->conn) != PQTRANS_IDLE)
		(void)run(s, "ROLLBACK", NULL);
	return ok ? 0 : -1;
}

void
pgsql_rollback(struct store *s)
{
	struct pgsql_store *q = pgsql_of(s);
	char sql[96];

	if (q->depth > 1) {
		q->depth--;
		snprintf(sql, sizeof sql,
		    "ROLLBACK TO SAVEPOINT nested%u; RELEASE SAVEPOINT "
		    "nested%u",
		    q->depth, q->depth);
		(void)run(s, sql, NULL);
		return;
	}
	q->depth = 0;
	if (PQtransactionStatus(q->conn) != PQTRANS_IDLE)
		(void)run(s, "ROLLBACK", NULL);
}

/* a snapshot for several reads: repeatable read, read only */
int
pgsql_read_begin(struct store *s, struct error *err)
{
	struct pgsql_store *q = pgsql_of(s);

	if (q->depth > 0 || q->in_read)
		return 0;
	reconnect(q);
	if (run(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err) != 0)
		return -1;
	q->in_read = true;
	return 0;
}

void
pgsql_read_end(struct store *s)
{
	struct pgsql_store *q = pgsql_of(s);

	if (!q->in_read)
		return;
	q->in_read = false;
	if (run(s, "COMMIT", NULL) != 0 &&
	    PQtransactionStatus(q->conn) != PQTRANS_IDLE)
		(void)run(s, "ROLLBACK", NULL);
}

/* ---- locks -------------------------------------------------------------- */

/*
 * Advisory locks: the two-key form (int, int) is the desks' days — the
 * desk id and the day's number since the epoch (UTC days: any partition
 * works, as long as everyone uses the same); the one-key form (bigint) is
 * named locks, WIZYTA_NAMED in the high half and a hash of the name below.
 * The two forms never collide (PostgreSQL keeps them apart). Advisory
 * locks belong to the whole database, so both keys also hash the schema:
 * offices kept as schemas of one database take each their own locks (one
 * scheduler each, not one for all).
 */
#define WIZYTA_NAMED 0x77697a79LL /* "wizy" */

/* every day the visit touches, in order: two visits that overlap share a
 * day (the moment they overlap), so they meet on its lock whatever their
 * lengths; taken in ascending order, two of them never deadlock */
static const char PG_LOCK_DESK_DAYS[] =
    "SELECT pg_advisory_xact_lock(hashtext(COALESCE(current_schema(), ''))"
    " # ($1 % 2147483647)::integer, d::integer)"
    " FROM generate_series($2::bigint, $3::bigint) d ORDER BY d";

int
pq_lock_desk_days(struct store *s, int64_t desk_id, time_t start, time_t end,
    struct error *err)
{
	int64_t first = (int64_t)start / 86400,
	        last = (int64_t)(end > start ? end - 1 : start) / 86400;

	if (pgsql_of(s)->depth == 0)
		return 0; /* outside a transaction the lock would end at once */
	return pq_exec(s, err, PG_LOCK_DESK_DAYS, PQ_INT(desk_id),
	    PQ_INT(first), PQ_INT(last));
}

static const char PG_LOCK_NAME[] =
    "SELECT pg_advisory_xact_lock(($1::bigint << 32)"
    " | (hashtext(COALESCE(current_schema(), '') || '.' || $2)::bigint"
    " & 4294967295))";

int
pq_lock_name(struct store *s, const char *name, struct error *err)
{
	if (pgsql_of(s)->depth == 0)
		return 0;
	return pq_exec(
	    s, err, PG_LOCK_NAME, PQ_INT(WIZYTA_NAMED), PQ_TEXT(name));
}

int
pgsql_lock_process(struct store *s, const char *who, struct error *err)
{
	/* several processes of every kind may share a PostgreSQL database:
	 * what they must not do twice is guarded by the store's locks */
	(void)s;
	(void)who;
	(void)err;
	return 0;
}

/* the jobs one process at a time does (a bit each in q->jobs) */
static const char *const jobs[] = {"scheduler"};

static int
job_index(const char *job)
{
	size_t i;

	for (i = 0; i < sizeof jobs / sizeof jobs[0]; i++)
		if (strcmp(jobs[i], job) == 0)
			return (int)i;
	abort(); /* a job not in the list is a bug */
}

static const char PG_JOB_TRY[] =
    "SELECT pg_try_advisory_lock(($1::bigint << 32)"
    " | (hashtext(COALESCE(current_schema(), '') || '.' || $2)::bigint"
    " & 4294967295))";
static const char PG_JOB_UNLOCK[] =
    "SELECT pg_advisory_unlock(($1::bigint << 32)"
    " | (hashtext(COALESCE(current_schema(), '') || '.' || $2)::bigint"
    " & 4294967295))";

/* session locks, not transaction ones: a job runs many transactions */
int
pgsql_job_lock(struct store *s, const char *job, bool *mine, struct error *err)
{
	struct pgsql_store *q = pgsql_of(s);
	unsigned bit = 1u << job_index(job);

	*mine = false;
	if (q->jobs & bit) {
		*mine = true;
		return 0;
	}
	if (pq_one(pq_query(
	               s, err, PG_JOB_TRY, PQ_INT(WIZYTA_NAMED), PQ_TEXT(job)),
	        read_bool, mine, err, "job lock") != 0)
		return -1;
	if (*mine)
		q->jobs |= bit;
	return 0;
}

void
pgsql_job_unlock(struct store *s, const char *job)
{
	struct pgsql_store *q = pgsql_of(s);
	unsigned bit = 1u << job_index(job);

	if (!(q->jobs & bit))
		return;
	q->jobs &= ~bit;
	(void)pq_exec(
	    s, NULL, PG_JOB_UNLOCK, PQ_INT(WIZYTA_NAMED), PQ_TEXT(job));
}

/* ---- the change token --------------------------------------------------- */

/* The snapshot names exactly which transactions have completed: it moves
 * when any commits, and only then (pg_current_snapshot: xmin, xmax and the
 * ones in progress). A round trip, but no LISTEN: a connection that
 * listened without reading would hold up every notification. */
static const char PG_CHANGE_TOKEN[] = "SELECT pg_current_snapshot()::text";

static void
read_token(const PGresult *res, int row, void *out)
{
	const unsigned char *p = (const unsigned char *)PQgetvalue(res, row, 0);
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *p != '\0'; p++)
		h = (h ^ *p) * 1099511628211ULL;
	*(int64_t *)out = (int64_t)(h & (uint64_t)INT64_MAX);
}

int64_t
pgsql_change_token(struct store *s)
{
	int64_t token = -1;

	if (pq_one(pq_query0(s, NULL, PG_CHANGE_TOKEN), read_token, &token,
	        NULL, "token") != 0)
		return -1;
	return token;
}

/* ---- the backend's table ------------------------------------------------ */

const struct store_ops store_pgsql_ops = {
    .backend = "postgresql",
#define STORE_OP(ret, fn, params, args) .fn = pgsql_##fn,
#define STORE_VOID(fn, params, args) .fn = pgsql_##fn,
#include "store_ops_list.h"
#undef STORE_OP
#undef STORE_VOID
};
