/*
 * store_pg_settings.c: the rules admins tune at run time, as the
 * PostgreSQL store keeps them (store.h, lib/settings.h), the twin of
 * store_sqlite_settings.c: one row per setting an admin changed, the
 * settings generation every change bumps (part of the change token; its
 * trigger NOTIFYs, store_pg_live.c), an operator's own contact for test
 * messages, and putting an SMS back through the quiet hours.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "store_pg_internal.h"

static const char PG_SETTINGS_LIST[] =
    "SELECT name, value, changed_at, changed_by FROM settings ORDER BY name";
static const char PG_SETTINGS_GENERATION[] =
    "SELECT COALESCE(max(generation), 0) FROM settings_generation";
static const char PG_SETTING_PUT[] =
    "INSERT INTO settings (name, value, changed_at, changed_by)"
    " VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO UPDATE SET"
    " value = $2, changed_at = $3, changed_by = $4";
static const char PG_SETTING_DELETE[] = "DELETE FROM settings WHERE name = $1";
static const char PG_SETTINGS_BUMP[] =
    "UPDATE settings_generation SET generation = generation + 1";
static const char PG_OPERATOR_CONTACT[] =
    "SELECT email, phone FROM operators WHERE id = $1";
static const char PG_OPERATOR_CONTACT_SET[] =
    "UPDATE operators SET email = $1, phone = $2 WHERE id = $3";
/* lease_owner too: the row is nobody's until it is claimed again */
static const char PG_OUTBOX_DEFER[] =
    "UPDATE outbox SET status = 'queued', next_attempt_at = $1,"
    " lease_until = 0, lease_owner = 0, attempts = greatest(attempts - 1, 0)"
    " WHERE id = $2 AND status = 'sending'";

static void
setting_read(const PGresult *res, int row, void *out)
{
	struct setting_row *r = out;
	struct buf text = BUF_INIT;

	pq_text(res, row, 0, r->name, sizeof r->name);
	/* what comes back out goes into JSON and pages: valid UTF-8 */
	utf8_sanitize(
	    &text, PQgetvalue(res, row, 1), (size_t)PQgetlength(res, row, 1));
	r->value = buf_steal(&text);
	r->changed_at = (time_t)pq_int(res, row, 2);
	pq_text(res, row, 3, r->changed_by, sizeof r->changed_by);
}

int
pgsql_settings_generation(
    struct store *s, int64_t *generation, struct error *err)
{
	return pq_one(pq_query0(s, err, PG_SETTINGS_GENERATION), pq_read_id,
	    generation, err, "settings generation");
}

int
pgsql_settings_list(struct store *s, struct setting_row **out, size_t *n,
    int64_t *generation, struct error *err)
{
	int rc = -1;

	*out = NULL;
	*n = 0;
	/* the rows and the generation from one snapshot (store_sqlite_
	 * settings.c says why) */
	if (pgsql_read_begin(s, err) != 0)
		return -1;
	if (pgsql_settings_generation(s, generation, err) == 0)
		rc = pq_rows(pq_query0(s, err, PG_SETTINGS_LIST), sizeof **out,
		    setting_read, (void **)out, n, err);
	pgsql_read_end(s);
	return rc;
}

int
pgsql_setting_put(struct store *s, const char *name, const char *value,
    time_t now, const char *by, struct error *err)
{
	return pq_exec(s, err, PG_SETTING_PUT, PQ_TEXT(name), PQ_TEXT(value),
	    PQ_INT(now), PQ_TEXT(by));
}

int
pgsql_setting_delete(struct store *s, const char *name, struct error *err)
{
	return pq_exec(s, err, PG_SETTING_DELETE, PQ_TEXT(name));
}

int
pgsql_settings_bump(struct store *s, struct error *err)
{
	return pq_exec0(s, err, PG_SETTINGS_BUMP);
}

struct contact {
	char *email, *phone;
};

static void
contact_read(const PGresult *res, int row, void *out)
{
	struct contact *c = out;

	pq_text(res, row, 0, c->email, 256);
	pq_text(res, row, 1, c->phone, 20);
}

int
pgsql_operator_contact_get(struct store *s, int64_t operator_id,
    char email[256], char phone[20], struct error *err)
{
	struct contact c = {email, phone};

	return pq_one(
	    pq_query(s, err, PG_OPERATOR_CONTACT, PQ_INT(operator_id)),
	    contact_read, &c, err, "operator");
}

int
pgsql_operator_contact_set(struct store *s, int64_t operator_id,
    const char *email, const char *phone, struct error *err)
{
	if (pq_exec(s, err, PG_OPERATOR_CONTACT_SET, PQ_TEXT(email),
	        PQ_TEXT(phone), PQ_INT(operator_id)) != 0)
		return -1;
	if (pq_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, "no such operator");
	return 0;
}

int
pgsql_outbox_defer(struct store *s, int64_t id, time_t until, struct error *err)
{
	return pq_exec(s, err, PG_OUTBOX_DEFER, PQ_INT(until), PQ_INT(id));
}
