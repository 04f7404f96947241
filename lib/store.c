/*
 * store.c: the public face of the store (store.h). store_open reads the
 * locator and opens the backend it names; every other store_NAME is a
 * dispatch through the backend's table, made from store_ops_list.h. What
 * does not depend on the backend (names of statuses, freeing lists) lives
 * here once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "store_backend.h"

/* the dispatchers: one line of the list, one function */
#define STORE_OP(ret, fn, params, args)                                        \
	ret store_##fn params                                                  \
	{                                                                      \
		return s->ops->fn args;                                        \
	}
#define STORE_VOID(fn, params, args)                                           \
	void store_##fn params                                                 \
	{                                                                      \
		if (s != NULL)                                                 \
			s->ops->fn args;                                       \
	}
#include "store_ops_list.h"
#undef STORE_OP
#undef STORE_VOID

const char *
store_ops_missing(const struct store_ops *ops)
{
	if (ops == NULL || ops->backend == NULL)
		return "backend";
#define STORE_OP(ret, fn, params, args)                                        \
	if (ops->fn == NULL)                                                   \
		return #fn;
#define STORE_VOID(fn, params, args) STORE_OP(void, fn, params, args)
#include "store_ops_list.h"
#undef STORE_OP
#undef STORE_VOID
	return NULL;
}

/* pg_conninfo: the libpq connection string of a PostgreSQL locator, or
 * NULL when the locator names an SQLite file */
static const char *
pg_conninfo(const char *locator)
{
	static const char *const schemes[] = {"postgresql:", "postgres:"};
	size_t i;

	for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
		size_t len = strlen(schemes[i]);

		if (strncmp(locator, schemes[i], len) != 0)
			continue;
		/* postgresql://… is a libpq URI as it stands */
		return strncmp(locator + len, "//", 2) == 0 ? locator
		                                            : locator + len;
	}
	return NULL;
}

bool
store_locator_is_postgresql(const char *locator)
{
	return locator != NULL && pg_conninfo(locator) != NULL;
}

struct store *
store_open(const char *locator, struct error *err)
{
	const struct store_ops *ops;
	const char *conninfo, *missing;
	struct store *s;

	if (locator == NULL || locator[0] == '\0') {
		error_set(err, ERROR_INVALID, "no database configured");
		return NULL;
	}
	conninfo = pg_conninfo(locator);
	ops = conninfo != NULL ? &store_pgsql_ops : &store_sqlite_ops;
	/* a backend missing a function would crash the first caller of it:
	 * refuse it here, with its name (tests/unit/test_store_ops) */
	if ((missing = store_ops_missing(ops)) != NULL) {
		error_set(err, ERROR_INTERNAL,
		    "the %s store lacks %s: this build is broken",
		    ops->backend != NULL ? ops->backend : "?", missing);
		return NULL;
	}
	s = conninfo != NULL ? pgsql_open(conninfo, err)
	                     : sqlite_open(locator, err);
	return s;
}

const char *
store_locator_display(const char *locator, char *out, size_t size)
{
	const char *conninfo;

	if (locator == NULL)
		locator = "";
	if ((conninfo = pg_conninfo(locator)) == NULL)
		snprintf(out, size, "%s", locator);
	else
		pgsql_describe(conninfo, out, size);
	return out;
}

const char *
store_backend(const struct store *s)
{
	return s != NULL ? s->ops->backend : "none";
}

bool
store_take_storage_failure(struct store *s)
{
	bool failed = s != NULL && s->storage_failed;

	if (s != NULL)
		s->storage_failed = false;
	return failed;
}

bool
store_retry_wanted(const struct error *err)
{
	return err != NULL && err->kind == ERROR_TEMPORARY &&
	       strcmp(err->code, "retry") == 0;
}

/* ---- what both backends share ------------------------------------------ */

static const char *const outbox_status_names[] = {
    "queued",
    "sending",
    "sent",
    "delivered",
    "failed",
    "dead",
    "suppressed",
};

const char *
outbox_status_name(enum outbox_status st)
{
	return (unsigned)st < sizeof outbox_status_names /
	                          sizeof outbox_status_names[0]
	           ? outbox_status_names[st]
	           : "unknown";
}

enum outbox_status
outbox_status_parse(const char *name)
{
	size_t i;

	for (i = 0;
	     i < sizeof outbox_status_names / sizeof outbox_status_names[0];
	     i++)
		if (strcmp(outbox_status_names[i], name) == 0)
			return (enum outbox_status)i;
	return OUTBOX_FAILED;
}

void
outbox_message_free(struct outbox_message *m)
{
	if (m == NULL)
		return;
	free(m->payload);
	m->payload = NULL;
}

void
outbox_list_free(struct outbox_message *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		outbox_message_free(&list[i]);
	free(list);
}

void
inbox_message_free(struct inbox_message *m)
{
	if (m == NULL)
		return;
	free(m->raw);
	m->raw = NULL;
}

void
inbox_list_free(struct inbox_message *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		inbox_message_free(&list[i]);
	free(list);
}

void
said_list_free(struct said *list, size_t n)
{
	for (size_t i = 0; list != NULL && i < n; i++)
		free(list[i].text);
	free(list);
}

void
heard_list_free(struct heard *list, size_t n)
{
	for (size_t i = 0; list != NULL && i < n; i++)
		free(list[i].words);
	free(list);
}

void
setting_rows_free(struct setting_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(rows[i].value);
	free(rows);
}

int
store_token_moved(struct store_token *token, struct store_token now)
{
	int changed =
	    (now.bookings != token->bookings ? STORE_CHANGED_BOOKINGS : 0) |
	    (now.settings != token->settings ? STORE_CHANGED_SETTINGS : 0);

	if (changed != 0)
		*token = now;
	return changed;
}

void
store_offsets_text(
    struct buf *out, const int64_t *offsets, size_t n, char open, char close)
{
	size_t i;

	buf_putc(out, open);
	for (i = 0; i < n; i++)
		buf_printf(out, "%s%lld", i ? "," : "", (long long)offsets[i]);
	buf_putc(out, close);
}
