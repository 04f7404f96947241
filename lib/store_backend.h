/*
 * store_backend.h: the store as an interface, for lib/store*.c only.
 *
 * A backend is a table of functions (struct store_ops), chosen at run time
 * by store_open from the database's locator, the way channels are chosen
 * (channels/channel.h). Every public store_NAME of store.h is a one-line
 * dispatch through s->ops (store.c); the tables, the dispatchers and the
 * backends' declarations are all made from one list, store_ops_list.h, so
 * they cannot disagree, and a backend that lacks a function does not link.
 *
 * Each backend's connection struct starts with struct store (the base):
 * sqlite_of(s) and pgsql_of(s) get it back, and check that the store is
 * theirs (a function of one backend called with the other's store aborts at
 * once instead of misreading memory).
 */
#ifndef WIZYTA_STORE_BACKEND_H
#define WIZYTA_STORE_BACKEND_H

#include "store.h"

struct store_ops {
	const char *backend; /* "sqlite", "postgresql" */
#define STORE_OP(ret, fn, params, args) ret(*fn) params;
#define STORE_VOID(fn, params, args) void(*fn) params;
#include "store_ops_list.h"
#undef STORE_OP
#undef STORE_VOID
};

/* the part every backend's connection starts with */
struct store {
	const struct store_ops *ops;
	bool storage_failed; /* a write met a full or read-only disk */
};

extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_pgsql_ops;

/* store_ops_missing: the name of the first function the table lacks, or
 * NULL when it is complete (store_open refuses an incomplete backend). */
const char *store_ops_missing(const struct store_ops *);

/* store_token_moved: the STORE_CHANGED_* that differ between *token and
 * now; when any does, *token becomes now (store_changes_wait on either
 * backend) */
int store_token_moved(struct store_token *token, struct store_token now);
/* store_offsets_text: the reminders' offsets as a list the database
 * reads, between open and close: "[86400,7200]" (SQLite's json_each),
 * "{86400,7200}" (a PostgreSQL array), appended to out */
struct buf;
void store_offsets_text(
    struct buf *out, const int64_t *offsets, size_t n, char open, char close);

/* outbox_status_parse: the status of a stored name (store.c) */
enum outbox_status outbox_status_parse(const char *name);

/* the backends' openers (store_open chooses) */
struct store *sqlite_open(const char *path, struct error *);
struct store *pgsql_open(const char *conninfo, struct error *);
/* pgsql_describe: "PostgreSQL dbname=… host=… port=…", no password */
void pgsql_describe(const char *conninfo, char *out, size_t size);

#endif
