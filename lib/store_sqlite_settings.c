/*
 * store_sqlite_settings.c: the rules admins tune at run time, as the
 * SQLite store keeps them (store.h, lib/settings.h): one row per setting
 * an admin changed, the settings generation every change bumps (part of
 * the change token, store_sqlite_live.c), an operator's own contact for
 * test messages, and putting an SMS back through the quiet hours.
 */
#include <stdlib.h>
#include <string.h>

#include "store_sqlite_internal.h"

static const char SQL_SETTINGS_LIST[] =
    "SELECT name, value, changed_at, changed_by FROM settings ORDER BY name";
static const char SQL_SETTINGS_GENERATION[] =
    "SELECT COALESCE(MAX(generation), 0) FROM settings_generation";
static const char SQL_SETTING_PUT[] =
    "INSERT INTO settings (name, value, changed_at, changed_by)"
    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (name) DO UPDATE SET"
    " value = ?2, changed_at = ?3, changed_by = ?4";
static const char SQL_SETTING_DELETE[] = "DELETE FROM settings WHERE name = ?";
static const char SQL_SETTINGS_BUMP[] =
    "UPDATE settings_generation SET generation = generation + 1";
static const char SQL_OPERATOR_CONTACT[] =
    "SELECT email, phone FROM operators WHERE id = ?";
static const char SQL_OPERATOR_CONTACT_SET[] =
    "UPDATE operators SET email = ?, phone = ? WHERE id = ?";
static const char SQL_OUTBOX_DEFER[] =
    "UPDATE outbox SET status = 'queued', next_attempt_at = ?,"
    " lease_until = 0, attempts = MAX(attempts - 1, 0)"
    " WHERE id = ? AND status = 'sending'";

static void
setting_read(sqlite3_stmt *st, void *row)
{
	struct setting_row *r = row;
	const unsigned char *v = sqlite3_column_text(st, 1);
	struct buf text = BUF_INIT;

	col_copy(st, 0, r->name, sizeof r->name);
	/* what comes back out goes into JSON and pages: valid UTF-8 */
	utf8_sanitize(&text, v != NULL ? (const char *)v : "",
	    (size_t)sqlite3_column_bytes(st, 1));
	r->value = buf_steal(&text);
	r->changed_at = (time_t)sqlite3_column_int64(st, 2);
	col_copy(st, 3, r->changed_by, sizeof r->changed_by);
}

static void
setting_rows_release(void *list, size_t n)
{
	setting_rows_free(list, n);
}

void
setting_rows_free(struct setting_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(rows[i].value);
	free(rows);
}

static void
int64_read(sqlite3_stmt *st, void *row)
{
	*(int64_t *)row = sqlite3_column_int64(st, 0);
}

int
store_settings_generation(
    struct store *s, int64_t *generation, struct error *err)
{
	sqlite3_stmt *st =
	    sq_query_args(s, err, SQL_SETTINGS_GENERATION, NULL, 0);

	if (st == NULL)
		return -1;
	return sq_one(
	    s, st, int64_read, generation, err, "settings generation");
}

int
store_settings_list(struct store *s, struct setting_row **out, size_t *n,
    int64_t *generation, struct error *err)
{
	sqlite3_stmt *st;
	int rc = -1;

	*out = NULL;
	*n = 0;
	/* the rows and the generation from one snapshot: a reader never pairs
	 * new rows with an old generation (it would reload once more, no
	 * harm) nor old rows with a new one (it would miss a change) */
	if (store_read_begin(s, err) != 0)
		return -1;
	if (store_settings_generation(s, generation, err) != 0)
		goto out;
	if ((st = sq_query_args(s, err, SQL_SETTINGS_LIST, NULL, 0)) == NULL)
		goto out;
	rc = collect_rows(s, st, sizeof **out, setting_read,
	    setting_rows_release, (void **)out, n, err);
out:
	store_read_end(s);
	return rc;
}

int
store_setting_put(struct store *s, const char *name, const char *value,
    time_t now, const char *by, struct error *err)
{
	return sq_exec(s, err, SQL_SETTING_PUT, SQ_TEXT(name), SQ_TEXT(value),
	    SQ_INT(now), SQ_TEXT(by));
}

int
store_setting_delete(struct store *s, const char *name, struct error *err)
{
	return sq_exec(s, err, SQL_SETTING_DELETE, SQ_TEXT(name));
}

int
store_settings_bump(struct store *s, struct error *err)
{
	return sq_exec_args(s, err, SQL_SETTINGS_BUMP, NULL, 0);
}

struct contact {
	char *email, *phone;
};

static void
contact_read(sqlite3_stmt *st, void *row)
{
	struct contact *c = row;

	col_copy(st, 0, c->email, 256);
	col_copy(st, 1, c->phone, 20);
}

int
store_operator_contact_get(struct store *s, int64_t operator_id,
    char email[256], char phone[20], struct error *err)
{
	struct contact c = {email, phone};
	sqlite3_stmt *st =
	    sq_query(s, err, SQL_OPERATOR_CONTACT, SQ_INT(operator_id));

	if (st == NULL)
		return -1;
	return sq_one(s, st, contact_read, &c, err, "operator");
}

int
store_operator_contact_set(struct store *s, int64_t operator_id,
    const char *email, const char *phone, struct error *err)
{
	if (sq_exec(s, err, SQL_OPERATOR_CONTACT_SET, SQ_TEXT(email),
	        SQ_TEXT(phone), SQ_INT(operator_id)) != 0)
		return -1;
	if (sq_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, "no such operator");
	return 0;
}

int
store_outbox_defer(struct store *s, int64_t id, time_t until, struct error *err)
{
	return sq_exec(s, err, SQL_OUTBOX_DEFER, SQ_INT(until), SQ_INT(id));
}
