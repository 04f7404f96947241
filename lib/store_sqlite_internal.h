/*
 * store_sqlite_internal.h: what the SQLite store files share — the
 * connection struct, the statement cache and one bind-and-step helper.
 * Only lib/store_sqlite*.c include this (and with it <sqlite3.h>).
 *
 * The store is split by area: store_sqlite.c (lifecycle, catalogue,
 * bookings, outbox, inbox), store_sqlite_staff.c (operators, sessions, API
 * tokens, sign-in failures, the audit log, the desk queue),
 * store_sqlite_admin.c (the office's structure as admins edit it),
 * store_sqlite_live.c, store_sqlite_delay.c, store_sqlite_register.c (the
 * register's search, moves and their answers, each booking's
 * conversation). A new area gets its own store_sqlite_AREA.c, and its
 * PostgreSQL twin store_pg_AREA.c.
 *
 * Writing a store function (store_ops_list.h: add its line; the public
 * store_booking_set_note dispatches here):
 *
 *	static const char SQL_NOTE_SET[] =
 *	    "UPDATE bookings SET note = ? WHERE id = ?";
 *
 *	int
 *	sqlite_booking_set_note(struct store *s, int64_t id, const char *note,
 *	    struct error *err)
 *	{
 *		return sq_exec(s, err, SQL_NOTE_SET, SQ_TEXT(note), SQ_INT(id));
 *	}
 *
 * Arguments are typed by their macro (SQ_INT takes any integer, SQ_TEXT a
 * string — NULL binds "", SQ_NULL binds NULL, SQ_ID binds NULL for 0), so a
 * wrong type is a compiler warning, not a silent misbind, and the number of
 * arguments is checked against the statement's placeholders at run time
 * (a mismatch is ERROR_INTERNAL). Rows: sq_query() binds and returns the
 * statement; step it with sq_one() (exactly one row, else ERROR_NOT_FOUND)
 * or collect_rows() (a malloc'd array). SQL strings must be static: the
 * statement cache keys on their address.
 */
#ifndef WIZYTA_STORE_SQLITE_INTERNAL_H
#define WIZYTA_STORE_SQLITE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "store.h"
#include "utf8.h"

#include "store_backend.h"

#define STMT_CACHE 192

/* the SQLite connection: struct store first (store_backend.h) */
struct sqlite_store {
	struct store base;
	sqlite3 *db;
	struct {
		const char *sql; /* identity: the static SQL string */
		sqlite3_stmt *stmt;
	} cache[STMT_CACHE];
	size_t ncache;
	bool in_transaction;
	unsigned depth;         /* store_begin nesting: 1 = the transaction */
	bool in_read;           /* store_read_begin */
	char *path;             /* the database file (store_lock_process) */
	int lock_fd;            /* store_lock_process's flock, or -1 */
	int64_t waited_version; /* data_version at the last store_wait */
};

/* sqlite_of: the SQLite connection of a store (aborts on another
 * backend's: a function of this file called with a PostgreSQL store) */
static inline struct sqlite_store *
sqlite_of(struct store *s)
{
	if (s->ops != &store_sqlite_ops)
		abort();
	return (struct sqlite_store *)s;
}

/* every function of store_ops_list.h, as sqlite_NAME */
#define STORE_OP(ret, fn, params, args) ret sqlite_##fn params;
#define STORE_VOID(fn, params, args) void sqlite_##fn params;
#include "store_ops_list.h"
#undef STORE_OP
#undef STORE_VOID

/* sqlite_data_version: PRAGMA data_version (moves when another
 * connection commits), -1 on failure */
int64_t sqlite_data_version(struct store *);

/* one bound value */
struct sq_arg {
	char type; /* 'i' integer, 's' text, 'n' NULL */
	int64_t i;
	const char *s;
};

#define SQ_INT(x) ((struct sq_arg){.type = 'i', .i = (int64_t)(x)})
#define SQ_TEXT(x) ((struct sq_arg){.type = 's', .s = (x)})
#define SQ_NULL ((struct sq_arg){.type = 'n'})
/* SQ_ID: an optional reference: 0 binds NULL */
#define SQ_ID(x) ((x) > 0 ? SQ_INT(x) : SQ_NULL)
#define SQ_ARGS(...)                                                           \
	(const struct sq_arg[]){__VA_ARGS__},                                  \
	    sizeof((const struct sq_arg[]){__VA_ARGS__}) /                     \
	        sizeof(struct sq_arg)

/* sq_exec: run a statement that returns no rows. */
#define sq_exec(s, err, sql, ...)                                              \
	sq_exec_args(s, err, sql, SQ_ARGS(__VA_ARGS__))
/* sq_query: the cached statement, reset and bound, ready to step; NULL
 * with err filled on failure. */
#define sq_query(s, err, sql, ...)                                             \
	sq_query_args(s, err, sql, SQ_ARGS(__VA_ARGS__))

int sq_exec_args(struct store *, struct error *, const char *sql,
    const struct sq_arg *, size_t n);
sqlite3_stmt *sq_query_args(struct store *, struct error *, const char *sql,
    const struct sq_arg *, size_t n);
/* sq_one: step st once; a row is read by read(st, out); no row is
 * ERROR_NOT_FOUND with "no such WHAT". The statement is reset after. */
int sq_one(struct store *, sqlite3_stmt *, void (*read)(sqlite3_stmt *, void *),
    void *out, struct error *, const char *what);
/* sq_changes: rows changed by the last statement of this connection. */
int sq_changes(struct store *);
/* sq_last_id: the rowid of this connection's last INSERT. */
int64_t sq_last_id(struct store *);

/* the older, lower-level helpers (store_sqlite.c) */
int store_fail(struct store *, struct error *, const char *what);
sqlite3_stmt *stmt_get(struct store *, const char *sql, struct error *);
int step_done(struct store *, sqlite3_stmt *, struct error *, const char *what);
int collect_rows(struct store *, sqlite3_stmt *, size_t size,
    void (*read)(sqlite3_stmt *, void *), void (*release)(void *, size_t),
    void **out, size_t *n, struct error *);

/* a booking row as booking_read() takes it: BOOKING_COLUMNS BOOKING_FROM
 * (the service's and the desk's names joined) */
#define BOOKING_COLUMNS                                                        \
	"b.id, b.reference, b.service_id, b.desk_id, b.start_at, b.end_at,"    \
	" b.status, b.first_name, b.last_name, b.email, b.phone, b.language,"  \
	" b.access_code, b.source, b.note, b.created_at, b.confirm_by,"        \
	" b.reminded_at, b.sequence, s.name, s.name_en, d.name, d.room, "      \
	"b.token,"                                                             \
	" b.checked_in_at, b.called_at, b.started_at, b.ended_at,"             \
	" b.delay_step, b.delay_notified, b.moved_at, b.move_answer"
#define BOOKING_FROM                                                           \
	" FROM bookings b JOIN services s ON s.id = b.service_id"              \
	" JOIN desks d ON d.id = b.desk_id"
/* booking_read: one row of BOOKING_COLUMNS into a struct booking */
void booking_read(sqlite3_stmt *, void *row);

/* sq_functions_add: the store's own SQL functions on a new connection:
 * wizyta_fold(text), the search folding of lib/fold.h
 * (store_sqlite_register.c) */
void sq_functions_add(sqlite3 *);

static inline void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	sqlite3_bind_text(st, i, v != NULL ? v : "", -1, SQLITE_TRANSIENT);
}

/* col_copy: a text column into a fixed field. What comes back out of the
 * database goes into JSON and pages: it is made valid UTF-8 and cut on a
 * character boundary, whatever was stored. */
static inline void
col_copy(sqlite3_stmt *st, int col, char *dst, size_t size)
{
	const unsigned char *v = sqlite3_column_text(st, col);

	utf8_copy(dst, size, v != NULL ? (const char *)v : "");
}

/* the columns sq_read_account reads of operators o (never the password
 * hash), and the reader: a struct account */
#define SQ_ACCOUNT_COLUMNS                                                     \
	"o.id, o.login, o.display_name, o.role, COALESCE(o.desk_id, 0),"       \
	" o.disabled, o.created_at"
void sq_read_account(sqlite3_stmt *, void *row);

#endif
