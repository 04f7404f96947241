/*
 * store_pg_internal.h: what the PostgreSQL store files share — the
 * connection struct, the prepared-statement cache and one bind-and-run
 * helper, the twin of store_sqlite_internal.h. Only lib/store_pg*.c
 * include this (and with it <libpq-fe.h>).
 *
 * The files mirror the SQLite ones area by area: store_pg.c (connection,
 * transactions, migrations, locks, the change token), store_pg_catalogue.c,
 * store_pg_bookings.c, store_pg_outbox.c (outbox, inbox, kv, opt-outs),
 * store_pg_staff.c, store_pg_admin.c, store_pg_live.c, store_pg_delay.c,
 * store_pg_reception.c, store_pg_reports.c, store_pg_settings.c,
 * store_pg_waitlist.c, store_pg_register.c.
 *
 * Writing a store function:
 *
 *	static const char PG_NOTE_SET[] =
 *	    "UPDATE bookings SET note = $1 WHERE id = $2";
 *
 *	int
 *	pgsql_booking_set_note(struct store *s, int64_t id, const char *note,
 *	    struct error *err)
 *	{
 *		return pq_exec(s, err, PG_NOTE_SET, PQ_TEXT(note), PQ_INT(id));
 *	}
 *
 * Every statement is prepared once per connection (keyed by the address of
 * its static SQL string) and run with PQexecPrepared: values travel apart
 * from the SQL, never pasted into it. Integers and text go as text (the
 * server types them from the statement: a "1" becomes a boolean where the
 * column is one), blobs as binary with their length (PQ_BLOB), so any byte
 * goes through; text that is not valid UTF-8 (a server's reply quoted in
 * an error) is mended to U+FFFD rather than refused. The number of values
 * is checked by the server against the statement's $n (a mismatch is an
 * error, never a misbind). Rows: pq_query() returns the result; read it
 * with pq_one() (exactly one row, else ERROR_NOT_FOUND) or pq_rows() (a
 * malloc'd array); both free the result.
 */
#ifndef WIZYTA_STORE_PG_INTERNAL_H
#define WIZYTA_STORE_PG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <libpq-fe.h>

#include "store_backend.h"
#include "utf8.h"

#define PQ_PREPARED_MAX 512

/* the PostgreSQL connection: struct store first (store_backend.h) */
struct pgsql_store {
	struct store base;
	PGconn *conn;
	char *conninfo; /* to connect again after the server went away */
	struct {
		const char *sql; /* identity: the static SQL string */
	} prepared[PQ_PREPARED_MAX];
	size_t nprepared;
	unsigned depth;    /* store_begin nesting: 1 = the transaction */
	bool in_read;      /* store_read_begin */
	bool listening;    /* LISTEN wizyta (store_wait, store_changes_wait) */
	char schema[64];   /* ours, read when listening: whose notices count */
	int64_t notified;  /* notifications received (store_wait) */
	int64_t last_rows; /* rows the last statement changed (pq_changes) */
	unsigned jobs;     /* job locks held (bit per job, store_job_lock) */
};

static inline struct pgsql_store *
pgsql_of(struct store *s)
{
	if (s->ops != &store_pgsql_ops)
		abort();
	return (struct pgsql_store *)s;
}

/* every function of store_ops_list.h, as pgsql_NAME */
#define STORE_OP(ret, fn, params, args) ret pgsql_##fn params;
#define STORE_VOID(fn, params, args) void pgsql_##fn params;
#include "store_ops_list.h"
#undef STORE_OP
#undef STORE_VOID

/* one value to send */
struct pq_arg {
	char type; /* 'i' integer, 's' text, 'b' bytes, 'n' NULL */
	int64_t i;
	const char *s;
	size_t len; /* 'b' */
};

#define PQ_INT(x) ((struct pq_arg){.type = 'i', .i = (int64_t)(x)})
#define PQ_TEXT(x) ((struct pq_arg){.type = 's', .s = (x)})
#define PQ_BLOB(p, n) ((struct pq_arg){.type = 'b', .s = (p), .len = (n)})
#define PQ_NULL ((struct pq_arg){.type = 'n'})
/* PQ_ID: an optional reference: 0 sends NULL */
#define PQ_ID(x) ((x) > 0 ? PQ_INT(x) : PQ_NULL)
#define PQ_BOOL(x) PQ_INT((x) ? 1 : 0)
#define PQ_ARGS(...)                                                           \
	(const struct pq_arg[]){__VA_ARGS__},                                  \
	    sizeof((const struct pq_arg[]){__VA_ARGS__}) /                     \
	        sizeof(struct pq_arg)

/* pq_exec: run a statement that returns no rows (or whose rows are not
 * wanted); pq_changes() then tells how many rows it changed. */
#define pq_exec(s, err, sql, ...)                                              \
	pq_exec_args(s, err, sql, PQ_ARGS(__VA_ARGS__))
/* pq_query: run a statement and return its rows, NULL with err filled on
 * failure. Free with PQclear, or pass to pq_one / pq_rows which do. */
#define pq_query(s, err, sql, ...)                                             \
	pq_query_args(s, err, sql, PQ_ARGS(__VA_ARGS__))

int pq_exec_args(struct store *, struct error *, const char *sql,
    const struct pq_arg *, size_t n);
PGresult *pq_query_args(struct store *, struct error *, const char *sql,
    const struct pq_arg *, size_t n);
/* pq_exec0, pq_query0: a statement without values */
int pq_exec0(struct store *, struct error *, const char *sql);
PGresult *pq_query0(struct store *, struct error *, const char *sql);

/* a row reader: row `row` of res into *out */
typedef void (*pq_read_fn)(const PGresult *, int row, void *out);

/* pq_one: the first row of res read by read(res, 0, out); no row is
 * ERROR_NOT_FOUND with "no such WHAT". Clears res; a NULL res (the query
 * failed, err is filled) is -1. */
int pq_one(PGresult *res, pq_read_fn read, void *out, struct error *,
    const char *what);
/* pq_rows: every row into a malloc'd array of size-byte elements (NULL
 * and 0 when none). Clears res. */
int pq_rows(PGresult *res, size_t size, pq_read_fn read, void **out, size_t *n,
    struct error *);
/* pq_changes: rows changed by the last statement of this connection */
int64_t pq_changes(struct store *);
/* pq_fail: err from the connection's or result's error; the SQLSTATE
 * decides the kind (constraint: ERROR_CONFLICT; deadlock, serialisation:
 * ERROR_TEMPORARY "retry"; disk full, read-only: ERROR_IO "unavailable") */
int pq_fail(struct store *, const PGresult *, struct error *, const char *what);

/* column readers: NULL reads as 0, "", false */
int64_t pq_int(const PGresult *, int row, int col);
bool pq_bool(const PGresult *, int row, int col);
/* pq_text: valid UTF-8, cut on a character boundary to fit (col_copy) */
void pq_text(const PGresult *, int row, int col, char *dst, size_t size);
/* pq_bytes: a bytea column as a malloc'd copy with a NUL after it */
char *pq_bytes(const PGresult *, int row, int col, size_t *len);
/* pq_date: a date column (year 0 when NULL) */
struct date pq_date(const PGresult *, int row, int col);

/* shared readers */
void pq_read_id(const PGresult *, int row, void *out);      /* int64_t */
void pq_read_count(const PGresult *, int row, void *out);   /* unsigned */
void pq_read_account(const PGresult *, int row, void *out); /* account */
void pq_read_booking(const PGresult *, int row, void *out); /* booking */
void pq_read_service(const PGresult *, int row, void *out); /* service */

/* the columns pq_read_booking reads, and where from */
#define PG_BOOKING_COLUMNS                                                     \
	"b.id, b.reference, b.service_id, b.desk_id, b.start_at, b.end_at,"    \
	" b.status, b.first_name, b.last_name, b.email, b.phone, b.language,"  \
	" b.access_code, b.source, b.note, b.created_at, b.confirm_by,"        \
	" b.reminded_at, b.sequence, s.name, s.name_en, d.name, d.room,"       \
	" b.token, b.checked_in_at, b.called_at, b.started_at, b.ended_at,"    \
	" b.delay_step, b.delay_notified, b.moved_at, b.move_answer"
#define PG_BOOKING_FROM                                                        \
	" FROM bookings b JOIN services s ON s.id = b.service_id"              \
	" JOIN desks d ON d.id = b.desk_id"
/* the columns pq_read_account reads (never the password hash) */
#define PG_ACCOUNT_COLUMNS                                                     \
	"o.id, o.login, o.display_name, o.role, COALESCE(o.desk_id, 0),"       \
	" o.disabled, o.created_at"

/* pq_date_text: "YYYY-MM-DD" of a date, for a PQ_TEXT; year 0 gives ""
 * (send PQ_NULL for an open end instead) */
void pq_date_text(struct date, char out[DATE_LEN]);

/* advisory locks: a desk's day (store_busy_count) and named ones (the
 * scheduler, a login's failures) */
int pq_lock_desk_days(
    struct store *, int64_t desk_id, time_t start, time_t end, struct error *);
int pq_lock_name(struct store *, const char *name, struct error *);

#endif
