/*
 * store_sqlite.c: the SQLite backend of store.h.
 *
 * WAL mode (readers never block the writer), a busy timeout so concurrent
 * processes wait instead of failing, foreign keys on, synchronous=FULL so a
 * committed booking and its outbox rows survive power loss. Writers use
 * BEGIN IMMEDIATE: the write lock is taken before the first read, which is
 * what makes "check the slot, then insert" atomic across processes.
 *
 * Statements are prepared once per connection and cached by name
 * (stmt_get); every value is bound, never pasted into SQL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "store_schema.h"
#include "store_sqlite_internal.h"

/* storage_failure: SQLite's answer when the disk is full, read-only or
 * failing: nothing the caller did, and nothing a retry fixes soon. */
static bool
storage_failure(int code)
{
	switch (code & 0xff) {
	case SQLITE_FULL:
	case SQLITE_READONLY:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM: return true;
	default: return false;
	}
}

/* fail_with: err from SQLite's last answer on s (what says what we did). */
static int
fail_with(struct store *s, struct error *err, const char *what, const char *msg)
{
	int code = sqlite3_extended_errcode(sqlite_of(s)->db);
	enum error_kind kind = ERROR_IO;

	if (storage_failure(code)) {
		s->storage_failed = true;
		return error_set_code(err, ERROR_IO, "unavailable", NULL,
		    "database: %s: %s (is the disk full or read-only?)", what,
		    msg);
	}
	if ((code & 0xff) == SQLITE_CONSTRAINT)
		kind = ERROR_CONFLICT;
	else if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		kind = ERROR_TEMPORARY;
	return error_set(err, kind, "database: %s: %s", what, msg);
}

int
store_fail(struct store *s, struct error *err, const char *what)
{
	return fail_with(s, err, what, sqlite3_errmsg(sqlite_of(s)->db));
}

/* stmt_get: the cached, reset statement for a static SQL string. */
sqlite3_stmt *
stmt_get(struct store *s, const char *sql, struct error *err)
{
	sqlite3_stmt *stmt;
	size_t i;

	for (i = 0; i < sqlite_of(s)->ncache; i++)
		if (sqlite_of(s)->cache[i].sql == sql) {
			sqlite3_reset(sqlite_of(s)->cache[i].stmt);
			sqlite3_clear_bindings(sqlite_of(s)->cache[i].stmt);
			return sqlite_of(s)->cache[i].stmt;
		}
	if (sqlite3_prepare_v3(sqlite_of(s)->db, sql, -1,
	        SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK) {
		store_fail(s, err, "prepare");
		return NULL;
	}
	if (sqlite_of(s)->ncache < STMT_CACHE) {
		sqlite_of(s)->cache[sqlite_of(s)->ncache].sql = sql;
		sqlite_of(s)->cache[sqlite_of(s)->ncache].stmt = stmt;
		sqlite_of(s)->ncache++;
	} else
		abort();	/* more statements than slots: raise STMT_CACHE */
	return stmt;
}

/* step_done: run a statement that returns no rows. */
int
step_done(
    struct store *s, sqlite3_stmt *st, struct error *err, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, err, what);
	return 0;
}

sqlite3_stmt *
sq_query_args(struct store *s, struct error *err, const char *sql,
    const struct sq_arg *args, size_t n)
{
	sqlite3_stmt *st = stmt_get(s, sql, err);
	size_t i;

	if (st == NULL)
		return NULL;
	if ((size_t)sqlite3_bind_parameter_count(st) != n) {
		error_set(err, ERROR_INTERNAL,
		    "database: %zu values for %d"
		    " placeholders",
		    n, sqlite3_bind_parameter_count(st));
		return NULL;
	}
	for (i = 0; i < n; i++) {
		int at = (int)i + 1;

		switch (args[i].type) {
		case 'i': sqlite3_bind_int64(st, at, args[i].i); break;
		case 's': bind_text(st, at, args[i].s); break;
		default: sqlite3_bind_null(st, at); break;
		}
	}
	return st;
}

int
sq_exec_args(struct store *s, struct error *err, const char *sql,
    const struct sq_arg *args, size_t n)
{
	sqlite3_stmt *st = sq_query_args(s, err, sql, args, n);

	if (st == NULL)
		return -1;
	/* the statement itself says what failed */
	return step_done(s, st, err, sql);
}

int
sq_one(struct store *s, sqlite3_stmt *st, void (*read)(sqlite3_stmt *, void *),
    void *out, struct error *err, const char *what)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		read(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return error_set(err, ERROR_NOT_FOUND, "no such %s", what);
	return rc == SQLITE_ROW ? 0 : store_fail(s, err, what);
}

int
sq_changes(struct store *s)
{
	return sqlite3_changes(sqlite_of(s)->db);
}

int64_t
sq_last_id(struct store *s)
{
	return sqlite3_last_insert_rowid(sqlite_of(s)->db);
}

static int
exec_sql(struct store *s, const char *sql, struct error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(sqlite_of(s)->db, sql, NULL, NULL, &msg) !=
	    SQLITE_OK) {
		fail_with(s, err, "exec", msg ? msg : "failed");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* collect_rows: every row of a prepared statement, read by `read` into a
 * growing array of `size`-byte elements. On failure `release` (may be NULL)
 * frees what the read elements own. */
int
collect_rows(struct store *s, sqlite3_stmt *st, size_t size,
    void (*read)(sqlite3_stmt *, void *), void (*release)(void *, size_t),
    void **out, size_t *n, struct error *err)
{
	char *list = NULL;
	size_t count = 0, cap = 0;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap) {
			cap = cap ? cap * 2 : 16;
			if ((list = realloc(list, cap * size)) == NULL)
				abort();
		}
		read(st, list + count * size);
		count++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		if (release != NULL)
			release(list, count);
		else
			free(list);
		return store_fail(s, err, "read rows");
	}
	*out = list;
	*n = count;
	return 0;
}

/* create_private: a new database file is created 0600 whatever the umask
 * (SQLite would make it 0644, and gives -wal and -shm the database's mode):
 * it holds citizens' details and operators' password hashes. */
static int
create_private(const char *path, struct error *err)
{
	int fd;

	if (path[0] == '\0' || path[0] == ':' || strncmp(path, "file:", 5) == 0)
		return 0;
	fd = open(
	    path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		struct stat st;
		int saved = errno;

		/* it exists (a read-only directory may say EACCES or EROFS) */
		if (saved == EEXIST || stat(path, &st) == 0)
			return 0;
		return error_set(err, ERROR_IO, "database %s: cannot create: %s",
		    path, strerror(saved));
	}
	if (fchmod(fd, 0600) != 0) {
		error_set(err, ERROR_IO, "database %s: chmod: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

struct store *
sqlite_open(const char *path, struct error *err)
{
	struct sqlite_store *q;
	struct store *s;

	if (create_private(path, err) != 0)
		return NULL;
	if ((q = calloc(1, sizeof *q)) == NULL)
		abort();
	q->base.ops = &store_sqlite_ops;
	q->lock_fd = -1;
	q->waited_version = -1;
	s = &q->base;
	if ((q->path = strdup(path)) == NULL)
		abort();
	if (sqlite3_open_v2(path, &q->db,
	        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	            SQLITE_OPEN_NOMUTEX,
	        NULL) != SQLITE_OK) {
		error_set(err, ERROR_IO, "database %s: %s", path,
		    q->db ? sqlite3_errmsg(q->db) : "cannot open");
		sqlite_close(s);
		return NULL;
	}
	sqlite3_busy_timeout(q->db, 10000);
	sqlite3_extended_result_codes(q->db, 1);
	sq_functions_add(q->db); /* wizyta_fold() for migrations and inserts */
	/* secure_delete: what is deleted or overwritten is zeroed in its
	 * page, so erased personal data stays in no free space (retention.h) */
	if (exec_sql(s,
	        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
	        " PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;",
	        err) != 0) {
		char why[256];

		snprintf(why, sizeof why, "%s", err != NULL ? err->msg : "");
		if (s->storage_failed)
			error_set_code(err, ERROR_IO, "unavailable", NULL,
			    "database %s: cannot set up: %s", path, why);
		else
			error_set(err, ERROR_IO,
			    "database %s: cannot set up: %s", path, why);
		sqlite_close(s);
		return NULL;
	}
	return s;
}

void
sqlite_close(struct store *s)
{
	struct sqlite_store *q;
	size_t i;

	if (s == NULL)
		return;
	q = sqlite_of(s);
	for (i = 0; i < q->ncache; i++)
		sqlite3_finalize(q->cache[i].stmt);
	sqlite3_close(q->db);
	if (q->lock_fd >= 0)
		close(q->lock_fd);
	free(q->path);
	free(q);
}

/* One process of a kind per database file: the lock is the file's, so it
 * holds across every connection and goes with the process, however it
 * ends. */
int
sqlite_lock_process(struct store *s, const char *who, struct error *err)
{
	struct sqlite_store *q = sqlite_of(s);
	char path[4200];
	int fd;

	if (q->lock_fd >= 0)
		return 0;
	snprintf(path, sizeof path, "%s.%s.lock", q->path, who);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return error_set(
		    err, ERROR_IO, "%s: %s", path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		return error_set(err, ERROR_CONFLICT,
		    "another %s already serves %s", who, q->path);
	}
	q->lock_fd = fd;
	return 0;
}

/* one process per database (sqlite_lock_process): every job is its own */
int
sqlite_job_lock(struct store *s, const char *job, bool *mine, struct error *err)
{
	(void)s;
	(void)job;
	(void)err;
	*mine = true;
	return 0;
}

void
sqlite_job_unlock(struct store *s, const char *job)
{
	(void)s;
	(void)job;
}

static int
schema_version(struct store *s, int *version, struct error *err)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(sqlite_of(s)->db, "PRAGMA user_version", -1, &st,
	        NULL) != SQLITE_OK)
		return store_fail(s, err, "user_version");
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return store_fail(s, err, "user_version");
	}
	*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

int
store_schema_latest(void)
{
	return (int)(sizeof store_migrations / sizeof store_migrations[0]);
}

/* foreign_keys_ok: PRAGMA foreign_key_check finds no dangling reference. */
static int
foreign_keys_ok(struct store *s, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(sqlite_of(s)->db, "PRAGMA foreign_key_check", -1,
	        &st, NULL) != SQLITE_OK)
		return store_fail(s, err, "foreign_key_check");
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return error_set(err, ERROR_INTERNAL,
		    "migration left a dangling"
		    " foreign key: not committed");
	return rc == SQLITE_DONE ? 0 : store_fail(s, err, "foreign_key_check");
}

/* Foreign keys are off while migrating (a table rebuild drops the parent
 * table for a moment; the pragma cannot change inside a transaction) and
 * checked as a whole before the commit. */
int
sqlite_migrate(struct store *s, int *from, int *to, struct error *err)
{
	int version, latest = store_schema_latest();
	char sql[64];

	if (exec_sql(s, "PRAGMA foreign_keys=OFF", err) != 0)
		return -1;
	if (store_begin(s, err) != 0)
		goto fail_quiet;
	if (schema_version(s, &version, err) != 0)
		goto fail;
	*from = version;
	if (version > latest) {
		error_set(err, ERROR_INVALID, "the database has schema version %d, newer"
		    " than this wizyta (%d): upgrade wizyta, do not downgrade data",
		    version, latest);
		goto fail;
	}
	for (; version < latest; version++) {
		if (exec_sql(s, store_migrations[version], err) != 0)
			goto fail;
		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version + 1);
		if (exec_sql(s, sql, err) != 0)
			goto fail;
	}
	*to = version;
	if (foreign_keys_ok(s, err) != 0 || store_commit(s, err) != 0)
		goto fail;
	return exec_sql(s, "PRAGMA foreign_keys=ON", err);
fail:
	store_rollback(s);
fail_quiet:
	exec_sql(s, "PRAGMA foreign_keys=ON", NULL);
	return -1;
}

int
sqlite_check_schema(struct store *s, struct error *err)
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

int
sqlite_check_writable(
    struct store *s, const char *who, time_t now, struct error *err)
{
	char key[64], value[32];

	if (sqlite3_db_readonly(sqlite_of(s)->db, "main") == 1)
		return error_set_code(err, ERROR_IO, "unavailable", NULL,
		    "database: the file is read-only for this user");
	/* a real write: a full disk or a read-only directory (no -wal) only
	 * shows when something is written */
	snprintf(key, sizeof key, "write_check.%s", who);
	snprintf(value, sizeof value, "%lld", (long long)now);
	return store_kv_set(s, key, value, err);
}

/*
 * Transactions nest: a domain call (booking_reschedule, booking_apply)
 * made inside a caller's transaction (a calendar change that moves the
 * bookings it strands) runs in a savepoint, so the caller's change, the
 * moves and their messages commit together or not at all.
 */
int
sqlite_begin(struct store *s, struct error *err)
{
	if (sqlite_of(s)->depth > 0) {
		if (exec_sql(s, "SAVEPOINT nested", err) != 0)
			return -1;
		sqlite_of(s)->depth++;
		return 0;
	}
	if (exec_sql(s, "BEGIN IMMEDIATE", err) != 0)
		return -1;
	sqlite_of(s)->in_transaction = true;
	sqlite_of(s)->depth = 1;
	return 0;
}

int
sqlite_commit(struct store *s, struct error *err)
{
	if (exec_sql(s, sqlite_of(s)->depth > 1 ? "RELEASE nested" : "COMMIT",
	        err) != 0) {
		store_rollback(s);
		return -1;
	}
	if (sqlite_of(s)->depth > 0)
		sqlite_of(s)->depth--;
	sqlite_of(s)->in_transaction = sqlite_of(s)->depth > 0;
	return 0;
}

void
sqlite_rollback(struct store *s)
{
	if (sqlite_of(s)->depth > 1) {
		sqlite3_exec(sqlite_of(s)->db,
		    "ROLLBACK TO nested; RELEASE nested", NULL, NULL, NULL);
		sqlite_of(s)->depth--;
		return;
	}
	if (sqlite_of(s)->in_transaction ||
	    !sqlite3_get_autocommit(sqlite_of(s)->db))
		sqlite3_exec(sqlite_of(s)->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite_of(s)->in_transaction = false;
	sqlite_of(s)->depth = 0;
}

static const char SQL_READ_BEGIN[] = "BEGIN";
static const char SQL_READ_END[] = "COMMIT";

int
sqlite_read_begin(struct store *s, struct error *err)
{
	sqlite3_stmt *st;

	if (sqlite_of(s)->in_transaction || sqlite_of(s)->in_read)
		return 0;
	if ((st = stmt_get(s, SQL_READ_BEGIN, err)) == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_fail(s, err, "begin a read");
	sqlite3_reset(st);
	sqlite_of(s)->in_read = true;
	return 0;
}

void
sqlite_read_end(struct store *s)
{
	sqlite3_stmt *st;

	if (!sqlite_of(s)->in_read)
		return;
	sqlite_of(s)->in_read = false;
	if ((st = stmt_get(s, SQL_READ_END, NULL)) == NULL ||
	    sqlite3_step(st) != SQLITE_DONE)
		sqlite3_exec(sqlite_of(s)->db, "ROLLBACK", NULL, NULL, NULL);
	if (st != NULL)
		sqlite3_reset(st);
}

static const char SQL_DATA_VERSION[] = "PRAGMA data_version";

int64_t
sqlite_data_version(struct store *s)
{
	sqlite3_stmt *st = stmt_get(s, SQL_DATA_VERSION, NULL);
	int64_t v = -1;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return v;
}

int64_t
sqlite_change_token(struct store *s)
{
	int64_t version = sqlite_data_version(s);

	/* data_version counts other connections' commits, total_changes our
	 * own rows: together they move on any write */
	if (version < 0)
		return -1;
	return (
	    int64_t)((((uint64_t)version << 32) ^
	                 (uint64_t)sqlite3_total_changes64(sqlite_of(s)->db)) &
	             (uint64_t)INT64_MAX);
}

/* ---- catalogue ---------------------------------------------------------- */

static const char SQL_UNIT_ADD[] = "INSERT INTO units (name) VALUES (?)";

int
sqlite_unit_add(
    struct store *s, const char *name, int64_t *id, struct error *err)
{
	if (sq_exec(s, err, SQL_UNIT_ADD, SQ_TEXT(name)) != 0)
		return -1;
	*id = sq_last_id(s);
	return 0;
}

static const char SQL_UNITS[] =
    "SELECT id, name, retired FROM units ORDER BY retired, name";

static void
unit_read(sqlite3_stmt *st, void *row)
{
	struct unit *u = row;

	u->id = sqlite3_column_int64(st, 0);
	col_copy(st, 1, u->name, sizeof u->name);
	u->retired = sqlite3_column_int(st, 2) != 0;
}

int
sqlite_units_list(
    struct store *s, struct unit **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_UNITS, err);

	if (st == NULL)
		return -1;
	return collect_rows(s, st, sizeof **out, unit_read, NULL, (void **)out, n, err);
}

static const char SQL_SERVICE_ADD[] =
    "INSERT INTO services (unit_id, name, name_en, description, description_en,"
    " duration_minutes, active, capacity, max_open_per_person, lead_time,"
    " horizon, confirm_within, staff_only, waitlist)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

/* a per-service duration: NULL when it follows the office's (0) */
#define SQ_SPAN(x) SQ_ID(x)

int
sqlite_service_add(
    struct store *s, const struct service *sv, int64_t *id, struct error *err)
{
	if (sq_exec(s, err, SQL_SERVICE_ADD, SQ_INT(sv->unit_id),
	        SQ_TEXT(sv->name), SQ_TEXT(sv->name_en),
	        SQ_TEXT(sv->description), SQ_TEXT(sv->description_en),
	        SQ_INT(sv->duration_minutes), SQ_INT(sv->active),
	        SQ_INT(sv->capacity), SQ_INT(sv->max_open_per_person),
	        SQ_SPAN(sv->lead_time), SQ_SPAN(sv->horizon),
	        SQ_SPAN(sv->confirm_within), SQ_INT(sv->staff_only),
	        SQ_INT(sv->waitlist)) != 0)
		return -1;
	*id = sq_last_id(s);
	return 0;
}

#define SERVICE_COLUMNS                                                        \
	"s.id, s.unit_id, u.name, s.name, s.name_en, s.description,"           \
	" s.description_en, s.duration_minutes, s.active, s.capacity,"         \
	" s.max_open_per_person, COALESCE(s.lead_time, 0),"                    \
	" COALESCE(s.horizon, 0), COALESCE(s.confirm_within, 0),"              \
	" s.staff_only, s.waitlist"

static void
service_read(sqlite3_stmt *st, void *row)
{
	struct service *sv = row;

	sv->id = sqlite3_column_int64(st, 0);
	sv->unit_id = sqlite3_column_int64(st, 1);
	col_copy(st, 2, sv->unit, sizeof sv->unit);
	col_copy(st, 3, sv->name, sizeof sv->name);
	col_copy(st, 4, sv->name_en, sizeof sv->name_en);
	col_copy(st, 5, sv->description, sizeof sv->description);
	col_copy(st, 6, sv->description_en, sizeof sv->description_en);
	sv->duration_minutes = (unsigned)sqlite3_column_int(st, 7);
	sv->active = sqlite3_column_int(st, 8) != 0;
	sv->capacity = (unsigned)sqlite3_column_int(st, 9);
	sv->max_open_per_person = (unsigned)sqlite3_column_int(st, 10);
	sv->lead_time = sqlite3_column_int64(st, 11);
	sv->horizon = sqlite3_column_int64(st, 12);
	sv->confirm_within = sqlite3_column_int64(st, 13);
	sv->staff_only = sqlite3_column_int(st, 14) != 0;
	sv->waitlist = sqlite3_column_int(st, 15) != 0;
}

static const char SQL_SERVICE_GET[] = "SELECT " SERVICE_COLUMNS
    " FROM services s JOIN units u ON u.id = s.unit_id WHERE s.id = ?";

int
sqlite_service_get(
    struct store *s, int64_t id, struct service *sv, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_SERVICE_GET, SQ_INT(id));

	if (st == NULL)
		return -1;
	return sq_one(s, st, service_read, sv, err, "service");
}

static const char SQL_SERVICES_ALL[] = "SELECT " SERVICE_COLUMNS
    " FROM services s JOIN units u ON u.id = s.unit_id ORDER BY u.name, s.name";
static const char SQL_SERVICES_ACTIVE[] = "SELECT " SERVICE_COLUMNS
    " FROM services s JOIN units u ON u.id = s.unit_id WHERE s.active"
    " ORDER BY u.name, s.name";

int
sqlite_services_list(struct store *s, bool active_only, struct service **out,
    size_t *n, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, active_only ? SQL_SERVICES_ACTIVE :
	    SQL_SERVICES_ALL, err);

	if (st == NULL)
		return -1;
	return collect_rows(s, st, sizeof **out, service_read, NULL, (void **)out, n, err);
}

/* a desk added by room name (the demo, older callers) finds or makes its
 * room; desks.room is the room's name, kept in step with rooms.name */
static const char SQL_ROOM_ENSURE[] =
    "INSERT INTO rooms (name) VALUES (?1) ON CONFLICT (name) DO NOTHING";
static const char SQL_DESK_ADD[] =
    "INSERT INTO desks (room, name, capacity, room_id, retired)"
    " SELECT r.name, ?2, ?3, r.id, ?4 FROM rooms r"
    " WHERE (?1 > 0 AND r.id = ?1) OR (?1 = 0 AND r.name = ?5)";

int
sqlite_desk_add(
    struct store *s, const struct desk *d, int64_t *id, struct error *err)
{
	if (d->room_id == 0 &&
	    sq_exec(s, err, SQL_ROOM_ENSURE, SQ_TEXT(d->room)) != 0)
		return -1;
	if (sq_exec(s, err, SQL_DESK_ADD, SQ_INT(d->room_id), SQ_TEXT(d->name),
	        SQ_INT(d->capacity ? d->capacity : 1), SQ_INT(d->retired),
	        SQ_TEXT(d->room)) != 0)
		return -1;
	if (sq_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, "no such room");
	*id = sq_last_id(s);
	return 0;
}

static const char SQL_DESKS[] =
    "SELECT id, room, name, capacity, COALESCE(room_id, 0), retired"
    " FROM desks WHERE retired = 0 ORDER BY name";
static const char SQL_DESKS_ALL[] =
    "SELECT id, room, name, capacity, COALESCE(room_id, 0), retired"
    " FROM desks ORDER BY retired, name";

static void
desk_read(sqlite3_stmt *st, void *row)
{
	struct desk *d = row;

	d->id = sqlite3_column_int64(st, 0);
	col_copy(st, 1, d->room, sizeof d->room);
	col_copy(st, 2, d->name, sizeof d->name);
	d->capacity = (unsigned)sqlite3_column_int(st, 3);
	d->room_id = sqlite3_column_int64(st, 4);
	d->retired = sqlite3_column_int(st, 5) != 0;
}

int
sqlite_desks_list(
    struct store *s, struct desk **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_DESKS, err);

	if (st == NULL)
		return -1;
	return collect_rows(s, st, sizeof **out, desk_read, NULL, (void **)out, n, err);
}

int
sqlite_desks_list_all(
    struct store *s, struct desk **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_DESKS_ALL, err);

	if (st == NULL)
		return -1;
	return collect_rows(s, st, sizeof **out, desk_read, NULL, (void **)out, n, err);
}

static const char SQL_DESK_GET[] =
    "SELECT id, room, name, capacity, COALESCE(room_id, 0), retired"
    " FROM desks WHERE id = ?";

int
sqlite_desk_get(struct store *s, int64_t id, struct desk *d, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_DESK_GET, SQ_INT(id));

	if (st == NULL)
		return -1;
	return sq_one(s, st, desk_read, d, err, "desk");
}

static const char SQL_HOURS_ADD[] =
    "INSERT INTO opening_hours (desk_id, service_id, weekday, opens, closes)"
    " VALUES (?, ?, ?, ?, ?)";
static const char SQL_DESK_SERVICE_ADD[] =
    "INSERT OR IGNORE INTO desk_services (desk_id, service_id) VALUES (?, ?)";

int
sqlite_hours_add(struct store *s, int64_t desk_id, int64_t service_id,
    int weekday, int opens, int closes, struct error *err)
{
	/* hours for a service mean the desk serves it */
	if (service_id > 0 && sq_exec(s, err, SQL_DESK_SERVICE_ADD,
	                          SQ_INT(desk_id), SQ_INT(service_id)) != 0)
		return -1;
	return sq_exec(s, err, SQL_HOURS_ADD, SQ_INT(desk_id),
	    SQ_ID(service_id), SQ_INT(weekday), SQ_INT(opens), SQ_INT(closes));
}

static const char SQL_EXCEPTION_ADD[] =
    "INSERT INTO calendar_exceptions (desk_id, day, opens, closes, reason)"
    " VALUES (?, ?, ?, ?, ?)";

int
sqlite_exception_insert(struct store *s, const struct calendar_exception *e,
    int64_t *id, struct error *err)
{
	char text[DATE_LEN];

	date_format(e->day, text);
	if (sq_exec(s, err, SQL_EXCEPTION_ADD, SQ_ID(e->desk_id), SQ_TEXT(text),
	        e->opens >= 0 ? SQ_INT(e->opens) : SQ_NULL,
	        e->opens >= 0 ? SQ_INT(e->closes) : SQ_NULL,
	        SQ_TEXT(e->reason)) != 0)
		return -1;
	if (id != NULL)
		*id = sq_last_id(s);
	return 0;
}

int
sqlite_exception_add(struct store *s, int64_t desk_id, struct date day,
    int opens, int closes, const char *reason, struct error *err)
{
	struct calendar_exception e;

	memset(&e, 0, sizeof e);
	e.desk_id = desk_id;
	e.day = day;
	e.opens = opens;
	e.closes = closes;
	snprintf(e.reason, sizeof e.reason, "%s", reason ? reason : "");
	return store_exception_insert(s, &e, NULL, err);
}

/* A desk's hours for one service: the rows naming the service, or, when
 * that weekday has none, the desk's rows for all its services. Only desks
 * in service that serve it (desk_services). */
static const char SQL_WINDOWS_WEEKLY[] =
    "SELECT h.desk_id, d.name, d.capacity, h.opens, h.closes FROM "
    "opening_hours h"
    " JOIN desks d ON d.id = h.desk_id AND d.retired = 0"
    " JOIN desk_services ds ON ds.desk_id = h.desk_id AND ds.service_id = ?1"
    " WHERE h.weekday = ?2 AND (h.service_id = ?1 OR (h.service_id IS NULL"
    "  AND NOT EXISTS (SELECT 1 FROM opening_hours x WHERE x.desk_id = "
    "h.desk_id"
    "  AND x.weekday = h.weekday AND x.service_id = ?1)))"
    " ORDER BY h.desk_id, h.opens";
static const char SQL_SERVICE_DESKS[] =
    "SELECT d.id, d.name, d.capacity FROM desk_services ds"
    " JOIN desks d ON d.id = ds.desk_id AND d.retired = 0"
    " WHERE ds.service_id = ? ORDER BY d.id";
static const char SQL_EXCEPTIONS_DAY[] =
    "SELECT COALESCE(desk_id, 0), opens, closes FROM calendar_exceptions"
    " WHERE day = ? ORDER BY desk_id IS NOT NULL, id";

static void
window_push(struct slot_window **list, size_t *n, int64_t desk, const char *name,
    unsigned capacity, int opens, int closes)
{
	struct slot_window *w;

	if ((*list = realloc(*list, (*n + 1) * sizeof **list)) == NULL)
		abort();
	w = &(*list)[(*n)++];
	w->desk_id = desk;
	snprintf(w->desk_name, sizeof w->desk_name, "%s", name);
	w->capacity = capacity;
	w->opens = opens;
	w->closes = closes;
}

/* desks_of_service: every desk that ever opens for the service (an
 * exception opens them on a day they are normally closed) */
static int
desks_of_service(struct store *s, int64_t service_id, struct slot_window **desks,
    size_t *ndesks, struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = stmt_get(s, SQL_SERVICE_DESKS, err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, service_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		window_push(desks, ndesks, sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    (unsigned)sqlite3_column_int(st, 2), 0, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return store_fail(s, err, "desks of a service");
	return 0;
}

/* Exceptions: one for every desk (desk 0) replaces or closes the whole day;
 * a desk's own exception then replaces or closes that desk alone. */
int
sqlite_windows_for_day(struct store *s, int64_t service_id, struct date day,
    struct slot_window **out, size_t *n, bool *open_on_holiday,
    struct error *err)
{
	struct slot_window *list = NULL, *desks = NULL;
	size_t count = 0, ndesks = 0, i, j;
	char text[DATE_LEN];
	sqlite3_stmt *st;
	bool desks_loaded = false;
	int rc;

	*open_on_holiday = false;
	if ((st = stmt_get(s, SQL_WINDOWS_WEEKLY, err)) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, service_id);
	sqlite3_bind_int(st, 2, date_weekday(day));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		window_push(&list, &count, sqlite3_column_int64(st, 0),
		    (const char *)sqlite3_column_text(st, 1),
		    (unsigned)sqlite3_column_int(st, 2), sqlite3_column_int(st, 3),
		    sqlite3_column_int(st, 4));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;

	/* then the day's exceptions; the service's desks are read only for
	 * an exception that opens some (most days have none: one query
	 * saved) */
	if ((st = stmt_get(s, SQL_EXCEPTIONS_DAY, err)) == NULL)
		goto fail_quiet;
	date_format(day, text);
	bind_text(st, 1, text);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t desk = sqlite3_column_int64(st, 0);
		bool closed = sqlite3_column_type(st, 1) == SQLITE_NULL;
		int opens = sqlite3_column_int(st, 1), closes = sqlite3_column_int(st, 2);
		size_t kept = 0;

		if (!desks_loaded && !closed) {
			if (desks_of_service(s, service_id, &desks, &ndesks, err) != 0) {
				sqlite3_reset(st);
				goto fail_quiet;
			}
			desks_loaded = true;
		}
		/* drop the windows this exception replaces */
		for (i = 0; i < count; i++)
			if (desk != 0 && list[i].desk_id != desk)
				list[kept++] = list[i];
		count = kept;
		if (closed)
			continue;
		*open_on_holiday = true;
		for (j = 0; j < ndesks; j++)
			if (desk == 0 || desks[j].desk_id == desk)
				window_push(&list, &count, desks[j].desk_id,
				    desks[j].desk_name, desks[j].capacity, opens, closes);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	free(desks);
	*out = list;
	*n = count;
	return 0;
fail:
	store_fail(s, err, "opening windows");
fail_quiet:
	free(list);
	free(desks);
	return -1;
}

/* the one definition of which statuses hold a place: booking_state.h */
#define LIVE_STATUSES BOOKING_LIVE_SQL

/* start_at bounded from below too, so the bookings_time index reads only
 * the day, not every booking since the office opened (no visit is longer
 * than a day: services last at most 480 minutes) */
static const char SQL_BUSY_BETWEEN[] =
    "SELECT desk_id, start_at, end_at FROM bookings WHERE start_at < ?1 AND"
    " start_at >= ?2 - 86400 AND end_at > ?2 AND status IN " LIVE_STATUSES;

static void
busy_read(sqlite3_stmt *st, void *row)
{
	struct slot_busy *b = row;

	b->desk_id = sqlite3_column_int64(st, 0);
	b->start = sqlite3_column_int64(st, 1);
	b->end = sqlite3_column_int64(st, 2);
}

int
sqlite_busy_between(struct store *s, time_t from, time_t to,
    struct slot_busy **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_BUSY_BETWEEN, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, to);
	sqlite3_bind_int64(st, 2, from);
	return collect_rows(s, st, sizeof **out, busy_read, NULL, (void **)out, n, err);
}

static const char SQL_BUSY_COUNT[] =
    "SELECT count(*) FROM bookings WHERE desk_id = ? AND start_at < ? AND"
    " end_at > ? AND id <> ? AND status IN " LIVE_STATUSES;

int
sqlite_busy_count(struct store *s, int64_t desk_id, time_t start, time_t end,
    int64_t except_booking_id, unsigned *count, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_BUSY_COUNT, err);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, desk_id);
	sqlite3_bind_int64(st, 2, end);
	sqlite3_bind_int64(st, 3, start);
	sqlite3_bind_int64(st, 4, except_booking_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*count = (unsigned)sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : store_fail(s, err, "busy count");
}

/* ---- bookings ----------------------------------------------------------- */

static const char SQL_BOOKING_INSERT[] =
    "INSERT INTO bookings (reference, service_id, desk_id, start_at, end_at, "
    "day,"
    " status, first_name, last_name, email, phone, language, access_code, "
    "source,"
    " note, created_at, confirm_by, sequence, token, client_hash, client_net,"
    " first_fold, last_fold)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " wizyta_fold(?8), wizyta_fold(?9))";

int
sqlite_booking_insert(struct store *s, struct booking *b, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_BOOKING_INSERT, err);
	char day[DATE_LEN];

	if (st == NULL)
		return -1;
	date_format(date_of(b->start), day);
	bind_text(st, 1, b->reference);
	sqlite3_bind_int64(st, 2, b->service_id);
	sqlite3_bind_int64(st, 3, b->desk_id);
	sqlite3_bind_int64(st, 4, b->start);
	sqlite3_bind_int64(st, 5, b->end);
	bind_text(st, 6, day);
	bind_text(st, 7, booking_status_name(b->status));
	bind_text(st, 8, b->first_name);
	bind_text(st, 9, b->last_name);
	bind_text(st, 10, b->email);
	bind_text(st, 11, b->phone);
	bind_text(st, 12, b->language);
	bind_text(st, 13, b->access_code);
	bind_text(st, 14, b->source);
	bind_text(st, 15, b->note);
	sqlite3_bind_int64(st, 16, b->created_at);
	sqlite3_bind_int64(st, 17, b->confirm_by);
	sqlite3_bind_int(st, 18, (int)b->sequence);
	bind_text(st, 19, b->token);
	bind_text(st, 20, b->client_hash);
	bind_text(st, 21, b->client_net);
	if (step_done(s, st, err, "booking insert") != 0)
		return -1;
	b->id = sqlite3_last_insert_rowid(sqlite_of(s)->db);
	return 0;
}

void
booking_read(sqlite3_stmt *st, void *row)
{
	struct booking *b = row;
	char status[16];

	memset(b, 0, sizeof *b);
	b->id = sqlite3_column_int64(st, 0);
	col_copy(st, 1, b->reference, sizeof b->reference);
	b->service_id = sqlite3_column_int64(st, 2);
	b->desk_id = sqlite3_column_int64(st, 3);
	b->start = sqlite3_column_int64(st, 4);
	b->end = sqlite3_column_int64(st, 5);
	col_copy(st, 6, status, sizeof status);
	if (booking_status_parse(status, &b->status) != 0)
		b->status =
		    BOOKING_CANCELLED; /* unreachable: CHECKed (migration 3) */
	col_copy(st, 7, b->first_name, sizeof b->first_name);
	col_copy(st, 8, b->last_name, sizeof b->last_name);
	col_copy(st, 9, b->email, sizeof b->email);
	col_copy(st, 10, b->phone, sizeof b->phone);
	col_copy(st, 11, b->language, sizeof b->language);
	col_copy(st, 12, b->access_code, sizeof b->access_code);
	col_copy(st, 13, b->source, sizeof b->source);
	col_copy(st, 14, b->note, sizeof b->note);
	b->created_at = sqlite3_column_int64(st, 15);
	b->confirm_by = sqlite3_column_int64(st, 16);
	b->reminded_at = sqlite3_column_int64(st, 17);
	b->sequence = (unsigned)sqlite3_column_int(st, 18);
	col_copy(st, 19, b->service_name, sizeof b->service_name);
	col_copy(st, 20, b->service_name_en, sizeof b->service_name_en);
	col_copy(st, 21, b->desk_name, sizeof b->desk_name);
	col_copy(st, 22, b->room, sizeof b->room);
	col_copy(st, 23, b->token, sizeof b->token);
	b->checked_in_at = sqlite3_column_int64(st, 24);
	b->called_at = sqlite3_column_int64(st, 25);
	b->started_at = sqlite3_column_int64(st, 26);
	b->ended_at = sqlite3_column_int64(st, 27);
	b->delay_step = (unsigned)sqlite3_column_int(st, 28);
	b->delay_notified = sqlite3_column_int64(st, 29);
	b->moved_at = sqlite3_column_int64(st, 30);
	col_copy(st, 31, b->move_answer, sizeof b->move_answer);
}

/* booking_one: run a statement expected to return at most one booking. */
static int
booking_one(struct store *s, sqlite3_stmt *st, struct booking *b, struct error *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		booking_read(st, b);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return error_set(err, ERROR_NOT_FOUND, "no such booking");
	if (rc != SQLITE_ROW)
		return store_fail(s, err, "booking get");
	return 0;
}

static const char SQL_BOOKING_GET[] = "SELECT " BOOKING_COLUMNS BOOKING_FROM
    " WHERE b.id = ?";

int
sqlite_booking_get(
    struct store *s, int64_t id, struct booking *b, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_BOOKING_GET, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return booking_one(s, st, b, err);
}

static const char SQL_BOOKING_BY_REF[] = "SELECT " BOOKING_COLUMNS BOOKING_FROM
    " WHERE b.reference = ?";

int
sqlite_booking_by_reference(struct store *s, const char *reference,
    struct booking *b, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_BOOKING_BY_REF, err);

	if (st == NULL)
		return -1;
	bind_text(st, 1, reference);
	return booking_one(s, st, b, err);
}

static const char SQL_BOOKING_BY_CODE[] = "SELECT " BOOKING_COLUMNS BOOKING_FROM
    " WHERE b.day = ? AND b.access_code = ? AND b.status IN " LIVE_STATUSES;

int
sqlite_booking_by_code(struct store *s, const char *code, struct date day,
    struct booking *b, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_BOOKING_BY_CODE, err);
	char text[DATE_LEN];

	if (st == NULL)
		return -1;
	date_format(day, text);
	bind_text(st, 1, text);
	bind_text(st, 2, code);
	return booking_one(s, st, b, err);
}

/* the client hashes serve the limits on pending bookings only: they go as
 * soon as a booking is no longer pending */
static const char SQL_BOOKING_SET_STATUS[] =
    "UPDATE bookings SET status = ?1, client_hash = CASE WHEN ?1 = 'pending'"
    " THEN client_hash ELSE '' END, client_net = CASE WHEN ?1 = 'pending'"
    " THEN client_net ELSE '' END WHERE id = ?2";

int
sqlite_booking_set_status(
    struct store *s, int64_t id, enum booking_status status, struct error *err)
{
	return sq_exec(s, err, SQL_BOOKING_SET_STATUS,
	    SQ_TEXT(booking_status_name(status)), SQ_INT(id));
}

static const char SQL_BOOKING_SET_CODE[] = "UPDATE bookings SET access_code = ? WHERE id = ?";

int
sqlite_booking_set_code(
    struct store *s, int64_t id, const char *code, struct error *err)
{
	return sq_exec(s, err, SQL_BOOKING_SET_CODE, SQ_TEXT(code), SQ_INT(id));
}

static const char SQL_BOOKING_SET_REMINDED[] = "UPDATE bookings SET reminded_at = ? WHERE id = ?";

int
sqlite_booking_set_reminded(
    struct store *s, int64_t id, time_t at, struct error *err)
{
	return sq_exec(
	    s, err, SQL_BOOKING_SET_REMINDED, SQ_INT(at), SQ_INT(id));
}

static const char SQL_BOOKING_SET_NOTE[] = "UPDATE bookings SET note = ? WHERE id = ?";

int
sqlite_booking_set_note(
    struct store *s, int64_t id, const char *note, struct error *err)
{
	return sq_exec(s, err, SQL_BOOKING_SET_NOTE, SQ_TEXT(note), SQ_INT(id));
}

static const char SQL_BOOKING_MOVE[] =
    "UPDATE bookings SET desk_id = ?, start_at = ?, end_at = ?, day = ?,"
    " sequence = sequence + 1, reminded_at = 0, delay_step = 0,"
    " delay_notified = 0 WHERE id = ?";

int
sqlite_booking_move(struct store *s, int64_t id, int64_t desk_id, time_t start,
    time_t end, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_BOOKING_MOVE, err);
	char day[DATE_LEN];

	if (st == NULL)
		return -1;
	date_format(date_of(start), day);
	sqlite3_bind_int64(st, 1, desk_id);
	sqlite3_bind_int64(st, 2, start);
	sqlite3_bind_int64(st, 3, end);
	bind_text(st, 4, day);
	sqlite3_bind_int64(st, 5, id);
	return step_done(s, st, err, "booking move");
}

static const char SQL_CODE_IN_USE[] =
    "SELECT 1 FROM bookings WHERE day = ? AND access_code = ? AND status IN "
    LIVE_STATUSES " LIMIT 1";

int
sqlite_code_in_use(struct store *s, const char *code, struct date day,
    bool *used, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_CODE_IN_USE, err);
	char text[DATE_LEN];
	int rc;

	if (st == NULL)
		return -1;
	date_format(day, text);
	bind_text(st, 1, text);
	bind_text(st, 2, code);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, err, "code check");
	*used = rc == SQLITE_ROW;
	return 0;
}

static const char SQL_CODE_HOLDERS[] =
    "SELECT count(*) FROM bookings WHERE day = ? AND access_code = ? AND status IN "
    LIVE_STATUSES;

int
sqlite_code_holders(struct store *s, const char *code, struct date day,
    unsigned *count, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_CODE_HOLDERS, err);
	char text[DATE_LEN];
	int rc;

	if (st == NULL)
		return -1;
	date_format(day, text);
	bind_text(st, 1, text);
	bind_text(st, 2, code);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*count = (unsigned)sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : store_fail(s, err, "code holders");
}

static int
collect_bookings(struct store *s, sqlite3_stmt *st, struct booking **out, size_t *n,
    struct error *err)
{
	return collect_rows(s, st, sizeof **out, booking_read, NULL, (void **)out, n, err);
}

/* The register's search: a fixed statement where each filter is either
 * bound or neutralised by its NULL, so the SQL never varies with input. */
static const char SQL_BOOKINGS_SEARCH[] = "SELECT " BOOKING_COLUMNS BOOKING_FROM
    " WHERE (?1 IS NULL OR b.day >= ?1) AND (?2 IS NULL OR b.day <= ?2)"
    " AND (?3 IS NULL OR b.desk_id = ?3) AND (?4 IS NULL OR b.service_id = ?4)"
    " AND (?5 IS NULL OR b.status = ?5)"
    " AND (?6 = 0 OR b.status IN " LIVE_STATUSES ")"
    " AND (?7 IS NULL OR b.first_name LIKE ?7 OR b.last_name LIKE ?7"
    "      OR (b.first_name || ' ' || b.last_name) LIKE ?7 OR b.email LIKE ?7"
    "      OR b.phone LIKE ?7 OR b.access_code = ?8 OR b.reference = ?8)"
    " ORDER BY b.start_at, d.name LIMIT ?9";

int
sqlite_bookings_search(struct store *s, const struct booking_filter *f,
    struct booking **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_BOOKINGS_SEARCH, err);
	char from[DATE_LEN], to[DATE_LEN];
	struct buf like = BUF_INIT;
	int rc;

	if (st == NULL)
		return -1;
	if (f->from.year != 0) {
		date_format(f->from, from);
		bind_text(st, 1, from);
	}
	if (f->to.year != 0) {
		date_format(f->to, to);
		bind_text(st, 2, to);
	}
	if (f->desk_id > 0)
		sqlite3_bind_int64(st, 3, f->desk_id);
	if (f->service_id > 0)
		sqlite3_bind_int64(st, 4, f->service_id);
	if (f->status >= 0)
		bind_text(st, 5, booking_status_name((enum booking_status)f->status));
	sqlite3_bind_int(st, 6, f->live_only);
	if (f->text != NULL && f->text[0] != '\0') {
		buf_printf(&like, "%%%s%%", f->text);
		bind_text(st, 7, buf_cstr(&like));
		bind_text(st, 8, f->text);
	}
	sqlite3_bind_int(st, 9, (int)(f->limit ? f->limit : 500));
	rc = collect_bookings(s, st, out, n, err);
	buf_free(&like);
	return rc;
}

static void
id_read(sqlite3_stmt *st, void *row)
{
	*(int64_t *)row = sqlite3_column_int64(st, 0);
}

/* collect_ids: the first column of every row. */
static int
collect_ids(struct store *s, sqlite3_stmt *st, int64_t **out, size_t *n,
    struct error *err)
{
	return collect_rows(s, st, sizeof **out, id_read, NULL, (void **)out, n, err);
}

static const char SQL_BOOKINGS_EXPIRED[] =
    "SELECT id FROM bookings WHERE status = 'pending' AND confirm_by <= ?"
    " ORDER BY confirm_by LIMIT 200";

int
sqlite_bookings_expired(
    struct store *s, time_t now, int64_t **ids, size_t *n, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_BOOKINGS_EXPIRED, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	return collect_ids(s, st, ids, n, err);
}

/* ?3: the reminders' offsets as a JSON array ("[86400,7200]"). A reminder
 * is due from start - offset on; it is owed when that moment came after
 * the last reminder (or after the booking was made, when none was sent):
 * so changing the list never repeats one a booking already had, and a
 * booking made after a reminder's moment does not get that one */
static const char SQL_BOOKINGS_TO_REMIND[] =
    "SELECT b.id FROM bookings b WHERE b.status = 'booked'"
    " AND b.start_at > ?1 AND EXISTS (SELECT 1 FROM json_each(?2) j"
    "  WHERE b.start_at - j.value <= ?1"
    "  AND b.start_at - j.value > MAX(b.reminded_at, b.created_at))"
    " ORDER BY b.start_at LIMIT 200";

int
sqlite_bookings_to_remind(struct store *s, time_t now, const int64_t *before,
    size_t nbefore, int64_t **ids, size_t *n, struct error *err)
{
	struct buf list = BUF_INIT;
	sqlite3_stmt *st;
	int rc;

	store_offsets_text(&list, before, nbefore, '[', ']');
	st = sq_query(s, err, SQL_BOOKINGS_TO_REMIND, SQ_INT(now),
	    SQ_TEXT(buf_cstr(&list)));
	rc = st != NULL ? collect_ids(s, st, ids, n, err) : -1;
	buf_free(&list);
	return rc;
}

static const char SQL_BOOKINGS_OPEN_CONTACT[] =
    "SELECT count(*) FROM bookings WHERE ((?1 <> '' AND email = ?1 COLLATE "
    "NOCASE)"
    " OR (?2 <> '' AND phone = ?2)) AND status IN " BOOKING_OPEN_SQL
    " AND end_at > ?3";

int
sqlite_bookings_open_by_contact(struct store *s, const char *email,
    const char *phone, time_t now, unsigned *count, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_BOOKINGS_OPEN_CONTACT, err);
	int rc;

	if (st == NULL)
		return -1;
	bind_text(st, 1, email);
	bind_text(st, 2, phone);
	sqlite3_bind_int64(st, 3, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*count = (unsigned)sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : store_fail(s, err, "open bookings");
}

static const char SQL_BOOKINGS_OPEN_PHONE[] =
    "SELECT " BOOKING_COLUMNS BOOKING_FROM
    " WHERE b.phone = ? AND b.status IN " BOOKING_OPEN_SQL " ORDER BY "
    "b.start_at";

int
sqlite_bookings_open_by_phone(struct store *s, const char *phone,
    struct booking **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_BOOKINGS_OPEN_PHONE, err);

	if (st == NULL)
		return -1;
	bind_text(st, 1, phone);
	return collect_bookings(s, st, out, n, err);
}

static const char SQL_PENDING_BY_CLIENT[] =
    "SELECT coalesce(sum(client_hash = ?1), 0), coalesce(sum(client_net = ?2), "
    "0)"
    " FROM bookings WHERE status = 'pending' AND confirm_by > ?3"
    " AND (client_hash = ?1 OR client_net = ?2)";

int
sqlite_bookings_pending_by_client(struct store *s, const char *client_hash,
    const char *client_net, time_t now, unsigned *by_host, unsigned *by_net,
    struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_PENDING_BY_CLIENT, err);
	int rc;

	if (st == NULL)
		return -1;
	bind_text(st, 1, client_hash);
	bind_text(st, 2, client_net);
	sqlite3_bind_int64(st, 3, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*by_host = (unsigned)sqlite3_column_int(st, 0);
		*by_net = (unsigned)sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : store_fail(s, err, "pending by client");
}

static const char SQL_PENDING_FOR_DAY[] =
    "SELECT count(*) FROM bookings WHERE service_id = ? AND day = ?"
    " AND status = 'pending' AND confirm_by > ?";

int
sqlite_bookings_pending_for_day(struct store *s, int64_t service_id,
    struct date day, time_t now, unsigned *count, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_PENDING_FOR_DAY, err);
	char text[DATE_LEN];
	int rc;

	if (st == NULL)
		return -1;
	date_format(day, text);
	sqlite3_bind_int64(st, 1, service_id);
	bind_text(st, 2, text);
	sqlite3_bind_int64(st, 3, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*count = (unsigned)sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : store_fail(s, err, "pending for day");
}

static const char SQL_EVENT_ADD[] =
    "INSERT INTO booking_events (booking_id, at, actor, action, detail)"
    " VALUES (?, ?, ?, ?, ?)";

int
sqlite_event_add(struct store *s, int64_t booking_id, time_t at,
    const char *actor, const char *action, const char *detail,
    struct error *err)
{
	return sq_exec(s, err, SQL_EVENT_ADD, SQ_INT(booking_id), SQ_INT(at),
	    SQ_TEXT(actor), SQ_TEXT(action), SQ_TEXT(detail));
}

static const char SQL_EVENTS_FOR_BOOKING[] =
    "SELECT id, booking_id, at, actor, action, detail FROM booking_events"
    " WHERE booking_id = ? ORDER BY id";

static void
event_read(sqlite3_stmt *st, void *row)
{
	struct booking_event *e = row;

	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(st, 0);
	e->booking_id = sqlite3_column_int64(st, 1);
	e->at = sqlite3_column_int64(st, 2);
	col_copy(st, 3, e->actor, sizeof e->actor);
	col_copy(st, 4, e->action, sizeof e->action);
	col_copy(st, 5, e->detail, sizeof e->detail);
}

int
sqlite_events_for_booking(struct store *s, int64_t booking_id,
    struct booking_event **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_EVENTS_FOR_BOOKING, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, booking_id);
	return collect_rows(
	    s, st, sizeof **out, event_read, NULL, (void **)out, n, err);
}

/* ---- outbox ------------------------------------------------------------- */

static const char SQL_OUTBOX_ADD[] =
    "INSERT INTO outbox (booking_id, channel, kind, recipient, message_id, payload,"
    " status, created_at, next_attempt_at, waitlist_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

int
sqlite_outbox_add(struct store *s, struct outbox_message *m, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_OUTBOX_ADD, err);

	if (st == NULL)
		return -1;
	if (m->booking_id > 0)
		sqlite3_bind_int64(st, 1, m->booking_id);
	bind_text(st, 2, m->channel);
	bind_text(st, 3, m->kind);
	bind_text(st, 4, m->recipient);
	bind_text(st, 5, m->message_id);
	sqlite3_bind_blob(st, 6, m->payload, (int)m->payload_len, SQLITE_TRANSIENT);
	bind_text(st, 7, outbox_status_name(m->status));
	sqlite3_bind_int64(st, 8, m->created_at);
	sqlite3_bind_int64(st, 9, m->next_attempt_at);
	if (m->waitlist_id > 0)
		sqlite3_bind_int64(st, 10, m->waitlist_id);
	if (step_done(s, st, err, "outbox add") != 0)
		return -1;
	m->id = sqlite3_last_insert_rowid(sqlite_of(s)->db);
	return 0;
}

#define OUTBOX_COLUMNS \
	"id, COALESCE(booking_id, 0), channel, kind, recipient, message_id, payload," \
	" status, attempts, created_at, next_attempt_at, sent_at, last_error, provider_id"

static void
outbox_read(sqlite3_stmt *st, void *row)
{
	struct outbox_message *m = row;
	const void *blob;
	char status[16];
	int len;

	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(st, 0);
	m->booking_id = sqlite3_column_int64(st, 1);
	col_copy(st, 2, m->channel, sizeof m->channel);
	col_copy(st, 3, m->kind, sizeof m->kind);
	col_copy(st, 4, m->recipient, sizeof m->recipient);
	col_copy(st, 5, m->message_id, sizeof m->message_id);
	blob = sqlite3_column_blob(st, 6);
	len = sqlite3_column_bytes(st, 6);
	if ((m->payload = malloc((size_t)len + 1)) == NULL)
		abort();
	if (len > 0)
		memcpy(m->payload, blob, (size_t)len);
	m->payload[len] = '\0';
	m->payload_len = (size_t)len;
	col_copy(st, 7, status, sizeof status);
	m->status = outbox_status_parse(status);
	m->attempts = (unsigned)sqlite3_column_int(st, 8);
	m->created_at = sqlite3_column_int64(st, 9);
	m->next_attempt_at = sqlite3_column_int64(st, 10);
	m->sent_at = sqlite3_column_int64(st, 11);
	col_copy(st, 12, m->last_error, sizeof m->last_error);
	col_copy(st, 13, m->provider_id, sizeof m->provider_id);
}

static void
outbox_release(void *list, size_t n)
{
	outbox_list_free(list, n);
}

static int
collect_outbox(struct store *s, sqlite3_stmt *st, struct outbox_message **out,
    size_t *n, struct error *err)
{
	return collect_rows(s, st, sizeof **out, outbox_read, outbox_release, (void **)out,
	    n, err);
}

static const char SQL_OUTBOX_DUE[] = "SELECT " OUTBOX_COLUMNS " FROM outbox"
    " WHERE channel = ?1 AND ((status = 'queued' AND next_attempt_at <= ?2)"
    " OR (status = 'sending' AND lease_until <= ?2)) ORDER BY id LIMIT ?3";
static const char SQL_OUTBOX_LEASE[] =
    "UPDATE outbox SET status = 'sending', lease_until = ?, attempts = attempts + 1"
    " WHERE id = ?";

int
sqlite_outbox_claim(struct store *s, const char *channel, time_t now,
    time_t lease_until, size_t max, struct outbox_message **out, size_t *n,
    struct error *err)
{
	sqlite3_stmt *st;
	size_t i;

	*out = NULL;
	*n = 0;
	if (store_begin(s, err) != 0)
		return -1;
	if ((st = stmt_get(s, SQL_OUTBOX_DUE, err)) == NULL)
		goto fail;
	bind_text(st, 1, channel);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
	if (collect_outbox(s, st, out, n, err) != 0)
		goto fail;
	for (i = 0; i < *n; i++) {
		if ((st = stmt_get(s, SQL_OUTBOX_LEASE, err)) == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, lease_until);
		sqlite3_bind_int64(st, 2, (*out)[i].id);
		if (step_done(s, st, err, "outbox lease") != 0)
			goto fail;
		(*out)[i].attempts++;
		(*out)[i].status = OUTBOX_SENDING;
	}
	if (store_commit(s, err) != 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	outbox_list_free(*out, *n);
	*out = NULL;
	*n = 0;
	return -1;
}

static const char SQL_OUTBOX_RELEASE[] =
    "UPDATE outbox SET status = 'queued', lease_until = 0 WHERE status = 'sending'";

int
sqlite_outbox_release_leases(struct store *s, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_OUTBOX_RELEASE, err);

	if (st == NULL)
		return -1;
	return step_done(s, st, err, "outbox release");
}

static const char SQL_OUTBOX_GET[] = "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE id = ?";

static int
outbox_one(struct store *s, sqlite3_stmt *st, struct outbox_message *m,
    struct error *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		outbox_read(st, m);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return error_set(err, ERROR_NOT_FOUND, "no such message");
	if (rc != SQLITE_ROW)
		return store_fail(s, err, "outbox get");
	return 0;
}

int
sqlite_outbox_get(
    struct store *s, int64_t id, struct outbox_message *m, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_OUTBOX_GET, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return outbox_one(s, st, m, err);
}

static const char SQL_OUTBOX_BY_MSGID[] = "SELECT " OUTBOX_COLUMNS " FROM outbox"
    " WHERE message_id = ? AND message_id <> '' LIMIT 1";

int
sqlite_outbox_by_message_id(struct store *s, const char *message_id,
    struct outbox_message *m, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_OUTBOX_BY_MSGID, err);

	if (st == NULL)
		return -1;
	bind_text(st, 1, message_id);
	return outbox_one(s, st, m, err);
}

/* Only a row still leased to us changes: a message a late worker finished
 * after its lease was taken over keeps the newer outcome. */
static const char SQL_OUTBOX_SENT[] =
    "UPDATE outbox SET status = 'sent', sent_at = ?, provider_id = ?,"
    " last_error = ?, lease_until = 0 WHERE id = ? AND status = 'sending'";

int
sqlite_outbox_mark_sent(struct store *s, int64_t id, time_t at,
    const char *provider_id, const char *detail, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_OUTBOX_SENT, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, at);
	bind_text(st, 2, provider_id);
	bind_text(st, 3, detail);
	sqlite3_bind_int64(st, 4, id);
	return step_done(s, st, err, "outbox sent");
}

static const char SQL_OUTBOX_RETRY[] =
    "UPDATE outbox SET status = 'queued', next_attempt_at = ?, last_error = ?,"
    " lease_until = 0 WHERE id = ? AND status = 'sending'";

int
sqlite_outbox_mark_retry(struct store *s, int64_t id, time_t next_at,
    const char *detail, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_OUTBOX_RETRY, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, next_at);
	bind_text(st, 2, detail);
	sqlite3_bind_int64(st, 3, id);
	return step_done(s, st, err, "outbox retry");
}

static const char SQL_OUTBOX_FINAL[] =
    "UPDATE outbox SET status = ?, last_error = ?, lease_until = 0 WHERE id = ?";

int
sqlite_outbox_mark_final(struct store *s, int64_t id, enum outbox_status status,
    const char *detail, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_OUTBOX_FINAL, err);

	if (st == NULL)
		return -1;
	bind_text(st, 1, outbox_status_name(status));
	bind_text(st, 2, detail);
	sqlite3_bind_int64(st, 3, id);
	return step_done(s, st, err, "outbox final");
}

static const char SQL_OUTBOX_STATS[] =
    "SELECT status, count(*), min(created_at), max(sent_at) FROM outbox"
    " WHERE (?1 IS NULL OR channel = ?1) GROUP BY status";

int
sqlite_outbox_stats(struct store *s, const char *channel,
    struct outbox_stats *stats, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_OUTBOX_STATS, err);
	int rc;

	if (st == NULL)
		return -1;
	memset(stats, 0, sizeof *stats);
	if (channel != NULL)
		bind_text(st, 1, channel);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		unsigned count = (unsigned)sqlite3_column_int(st, 1);

		switch (outbox_status_parse(name ? name : "")) {
		case OUTBOX_QUEUED:
			stats->queued = count;
			stats->oldest_queued = sqlite3_column_int64(st, 2);
			break;
		case OUTBOX_SENDING: stats->sending = count; break;
		case OUTBOX_SENT: stats->sent = count; break;
		case OUTBOX_DELIVERED: stats->delivered = count; break;
		case OUTBOX_FAILED: stats->failed = count; break;
		case OUTBOX_DEAD: stats->dead = count; break;
		case OUTBOX_SUPPRESSED: stats->suppressed = count; break;
		}
		if (outbox_status_parse(name ? name : "") == OUTBOX_SENT ||
		    outbox_status_parse(name ? name : "") == OUTBOX_DELIVERED) {
			time_t at = (time_t)sqlite3_column_int64(st, 3);

			if (at > stats->last_sent)
				stats->last_sent = at;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : store_fail(s, err, "outbox stats");
}

static const char SQL_OUTBOX_LIST[] = "SELECT " OUTBOX_COLUMNS " FROM outbox"
    " WHERE (?1 IS NULL OR channel = ?1) AND (?2 = 0 OR booking_id = ?2)"
    " ORDER BY id DESC LIMIT ?3";

int
sqlite_outbox_list(struct store *s, const char *channel, int64_t booking_id,
    unsigned limit, struct outbox_message **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_OUTBOX_LIST, err);

	if (st == NULL)
		return -1;
	if (channel != NULL)
		bind_text(st, 1, channel);
	sqlite3_bind_int64(st, 2, booking_id);
	sqlite3_bind_int(st, 3, (int)(limit ? limit : 100));
	return collect_outbox(s, st, out, n, err);
}

static const char SQL_OUTBOX_RECENT_KIND[] =
    "SELECT 1 FROM outbox WHERE booking_id = ? AND kind = ? AND created_at >= ? LIMIT 1";

int
sqlite_outbox_recent_kind(struct store *s, int64_t booking_id, const char *kind,
    time_t since, bool *found, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_OUTBOX_RECENT_KIND, err);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, booking_id);
	bind_text(st, 2, kind);
	sqlite3_bind_int64(st, 3, since);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, err, "outbox recent");
	*found = rc == SQLITE_ROW;
	return 0;
}

static const char SQL_OUTBOX_FIRST_MSGID[] =
    "SELECT message_id FROM outbox WHERE booking_id = ? AND channel = 'email'"
    " AND message_id <> '' ORDER BY id LIMIT 1";

int
sqlite_outbox_first_message_id(struct store *s, int64_t booking_id, char *out,
    size_t size, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_OUTBOX_FIRST_MSGID, err);
	int rc;

	if (st == NULL)
		return -1;
	out[0] = '\0';
	sqlite3_bind_int64(st, 1, booking_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		col_copy(st, 0, out, size);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, err, "outbox first message id");
	return 0;
}

/* ---- inbox -------------------------------------------------------------- */

static const char SQL_INBOX_ADD[] =
    "INSERT INTO inbox (channel, dedup_key, sender, raw, received_at)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel, dedup_key) DO NOTHING";

int
sqlite_inbox_add(struct store *s, const char *channel, const char *dedup_key,
    const char *sender, const char *raw, size_t len, time_t at, bool *duplicate,
    struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_INBOX_ADD, err);

	if (st == NULL)
		return -1;
	bind_text(st, 1, channel);
	bind_text(st, 2, dedup_key);
	bind_text(st, 3, sender);
	sqlite3_bind_blob(st, 4, raw, (int)len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, at);
	if (step_done(s, st, err, "inbox add") != 0)
		return -1;
	*duplicate = sqlite3_changes(sqlite_of(s)->db) == 0;
	return 0;
}

#define INBOX_COLUMNS \
	"id, channel, sender, raw, received_at, status, COALESCE(booking_id, 0)," \
	" verdict, note"

static void
inbox_read(sqlite3_stmt *st, void *row)
{
	struct inbox_message *m = row;
	const void *blob;
	int len;

	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(st, 0);
	col_copy(st, 1, m->channel, sizeof m->channel);
	col_copy(st, 2, m->sender, sizeof m->sender);
	blob = sqlite3_column_blob(st, 3);
	len = sqlite3_column_bytes(st, 3);
	if ((m->raw = malloc((size_t)len + 1)) == NULL)
		abort();
	if (len > 0)
		memcpy(m->raw, blob, (size_t)len);
	m->raw[len] = '\0';
	m->raw_len = (size_t)len;
	m->received_at = sqlite3_column_int64(st, 4);
	col_copy(st, 5, m->status, sizeof m->status);
	m->booking_id = sqlite3_column_int64(st, 6);
	col_copy(st, 7, m->verdict, sizeof m->verdict);
	col_copy(st, 8, m->note, sizeof m->note);
}

static const char SQL_INBOX_GET[] = "SELECT " INBOX_COLUMNS " FROM inbox"
                                    " WHERE id = ?";

int
sqlite_inbox_get(
    struct store *s, int64_t id, struct inbox_message *m, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_INBOX_GET, SQ_INT(id));

	if (st == NULL)
		return -1;
	return sq_one(s, st, inbox_read, m, err, "inbox message");
}

static const char SQL_INBOX_NEXT[] = "SELECT " INBOX_COLUMNS " FROM inbox"
    " WHERE status = 'new' ORDER BY id LIMIT 1";

int
sqlite_inbox_next(struct store *s, struct inbox_message *m, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_INBOX_NEXT, err);
	int rc;

	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		inbox_read(st, m);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return error_set(err, ERROR_NOT_FOUND, "inbox empty");
	return rc == SQLITE_ROW ? 0 : store_fail(s, err, "inbox next");
}

static const char SQL_INBOX_MARK[] =
    "UPDATE inbox SET status = ?, booking_id = NULLIF(?, 0), verdict = ?, note = ?"
    " WHERE id = ?";

int
sqlite_inbox_mark(struct store *s, int64_t id, const char *status,
    int64_t booking_id, const char *verdict, const char *note,
    struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_INBOX_MARK, err);

	if (st == NULL)
		return -1;
	bind_text(st, 1, status);
	sqlite3_bind_int64(st, 2, booking_id);
	bind_text(st, 3, verdict);
	bind_text(st, 4, note);
	sqlite3_bind_int64(st, 5, id);
	return step_done(s, st, err, "inbox mark");
}

static const char SQL_INBOX_FOR_BOOKING[] = "SELECT " INBOX_COLUMNS " FROM inbox"
    " WHERE booking_id = ? ORDER BY id";

static void
inbox_release(void *list, size_t n)
{
	inbox_list_free(list, n);
}

int
sqlite_inbox_for_booking(struct store *s, int64_t booking_id,
    struct inbox_message **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_INBOX_FOR_BOOKING, err);

	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, booking_id);
	return collect_rows(s, st, sizeof **out, inbox_read, inbox_release, (void **)out, n,
	    err);
}

/* ---- key/value, opt-out ------------------------------------------------- */

static const char SQL_KV_GET[] = "SELECT value FROM kv WHERE key = ?";
static const char SQL_KV_SET[] =
    "INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET"
    " value = excluded.value";

int
sqlite_kv_get(struct store *s, const char *key, char *value, size_t size)
{
	sqlite3_stmt *st = stmt_get(s, SQL_KV_GET, NULL);
	int rc;

	if (st == NULL)
		return -1;
	bind_text(st, 1, key);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		col_copy(st, 0, value, size);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

int
sqlite_kv_set(
    struct store *s, const char *key, const char *value, struct error *err)
{
	return sq_exec(s, err, SQL_KV_SET, SQ_TEXT(key), SQ_TEXT(value));
}

static const char SQL_OPTOUT_ADD[] =
    "INSERT INTO sms_optout (phone, at) VALUES (?, ?) ON CONFLICT (phone) DO NOTHING";
static const char SQL_OPTOUT_HAS[] = "SELECT 1 FROM sms_optout WHERE phone = ?";

int
sqlite_sms_optout_add(
    struct store *s, const char *phone, time_t at, struct error *err)
{
	return sq_exec(s, err, SQL_OPTOUT_ADD, SQ_TEXT(phone), SQ_INT(at));
}

int
sqlite_sms_optout_has(
    struct store *s, const char *phone, bool *has, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_OPTOUT_HAS, err);
	int rc;

	if (st == NULL)
		return -1;
	bind_text(st, 1, phone);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(s, err, "opt-out check");
	*has = rc == SQLITE_ROW;
	return 0;
}

/* ---- the backend's table ------------------------------------------------ */

const struct store_ops store_sqlite_ops = {
    .backend = "sqlite",
#define STORE_OP(ret, fn, params, args) .fn = sqlite_##fn,
#define STORE_VOID(fn, params, args) .fn = sqlite_##fn,
#include "store_ops_list.h"
#undef STORE_OP
#undef STORE_VOID
};
