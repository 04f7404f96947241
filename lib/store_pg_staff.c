/*
 * store_pg_staff.c: operators, web sessions, API tokens, failed sign-ins,
 * the audit log and the desk queue (store.h), the twin of
 * store_sqlite_staff.c.
 *
 * The desk queue's guarantees are the database's: a transition is an
 * UPDATE … WHERE status = <from> (under read committed a second writer
 * waits for the first, then finds the status changed and changes nothing),
 * and call-next picks the first waiting person FOR UPDATE SKIP LOCKED, so
 * two desks calling at once never take the same person and neither comes
 * back empty while others wait.
 *
 * Failed sign-ins are counted under a lock on the login's hash: parallel
 * guesses at one login are counted one after the other, not lost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pg_internal.h"

/* ---- operators ---------------------------------------------------------- */

static const char PG_OPERATOR_ADD[] =
    "INSERT INTO operators (login, display_name, role, password_hash,"
    " desk_id, disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
    " RETURNING id";

int
pgsql_operator_add(
    struct store *s, const struct account *op, int64_t *id, struct error *err)
{
	return pq_one(
	    pq_query(s, err, PG_OPERATOR_ADD, PQ_TEXT(op->login),
	        PQ_TEXT(op->display_name), PQ_TEXT(role_name(op->role)),
	        PQ_TEXT(op->password_hash), PQ_ID(op->desk_id),
	        PQ_BOOL(op->disabled), PQ_INT(op->created_at)),
	    pq_read_id, id, err, "operator");
}

static void
account_read_with_hash(const PGresult *res, int row, void *out)
{
	struct account *op = out;

	pq_read_account(res, row, out);
	pq_text(res, row, 7, op->password_hash, sizeof op->password_hash);
}

static const char PG_OPERATOR_BY_LOGIN[] =
    "SELECT " PG_ACCOUNT_COLUMNS
    ", o.password_hash FROM operators o WHERE o.login = $1";
static const char PG_OPERATOR_GET[] =
    "SELECT " PG_ACCOUNT_COLUMNS " FROM operators o WHERE o.id = $1";
static const char PG_OPERATORS[] =
    "SELECT " PG_ACCOUNT_COLUMNS " FROM operators o ORDER BY o.login";

int
pgsql_operator_by_login(
    struct store *s, const char *login, struct account *op, struct error *err)
{
	return pq_one(pq_query(s, err, PG_OPERATOR_BY_LOGIN, PQ_TEXT(login)),
	    account_read_with_hash, op, err, "operator");
}

int
pgsql_operator_get(
    struct store *s, int64_t id, struct account *op, struct error *err)
{
	return pq_one(pq_query(s, err, PG_OPERATOR_GET, PQ_INT(id)),
	    pq_read_account, op, err, "operator");
}

int
pgsql_operators_list(
    struct store *s, struct account **out, size_t *n, struct error *err)
{
	return pq_rows(pq_query0(s, err, PG_OPERATORS), sizeof **out,
	    pq_read_account, (void **)out, n, err);
}

static const char PG_OPERATOR_SET_PASSWORD[] =
    "UPDATE operators SET password_hash = $1 WHERE id = $2";
static const char PG_OPERATOR_SET_DESK[] =
    "UPDATE operators SET desk_id = $1 WHERE id = $2";
static const char PG_OPERATOR_SET_DISABLED[] =
    "UPDATE operators SET disabled = $1 WHERE id = $2";
static const char PG_OPERATOR_SESSIONS_END[] =
    "DELETE FROM sessions WHERE operator_id = $1";

int
pgsql_operator_set_password(
    struct store *s, int64_t id, const char *hash, struct error *err)
{
	return pq_exec(
	    s, err, PG_OPERATOR_SET_PASSWORD, PQ_TEXT(hash), PQ_INT(id));
}

int
pgsql_operator_set_desk(
    struct store *s, int64_t id, int64_t desk_id, struct error *err)
{
	return pq_exec(
	    s, err, PG_OPERATOR_SET_DESK, PQ_ID(desk_id), PQ_INT(id));
}

int
pgsql_operator_set_disabled(
    struct store *s, int64_t id, bool disabled, struct error *err)
{
	if (pq_exec(s, err, PG_OPERATOR_SET_DISABLED, PQ_BOOL(disabled),
	        PQ_INT(id)) != 0)
		return -1;
	if (pq_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, "no such operator");
	return disabled ? pq_exec(s, err, PG_OPERATOR_SESSIONS_END, PQ_INT(id))
	                : 0;
}

/* ---- sessions ----------------------------------------------------------- */

static const char PG_SESSION_ADD[] =
    "INSERT INTO sessions (token_hash, operator_id, created_at, last_seen_at,"
    " expires_at) VALUES ($1, $2, $3, $3, $4)";
static const char PG_SESSION_OPERATOR[] =
    "SELECT " PG_ACCOUNT_COLUMNS " FROM sessions s JOIN operators o"
    " ON o.id = s.operator_id WHERE s.token_hash = $1 AND s.expires_at > $2"
    " AND s.last_seen_at > $3 AND NOT o.disabled";
/* a minute's precision is enough for an idle timeout, and saves a write
 * per request */
static const char PG_SESSION_TOUCH[] =
    "UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1"
    " AND last_seen_at < $2::bigint - 60";
static const char PG_SESSION_DELETE[] =
    "DELETE FROM sessions WHERE token_hash = $1";
static const char PG_SESSIONS_PRUNE[] =
    "DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2";

int
pgsql_session_add(struct store *s, const char *token_hash, int64_t operator_id,
    time_t now, time_t expires, struct error *err)
{
	return pq_exec(s, err, PG_SESSION_ADD, PQ_TEXT(token_hash),
	    PQ_INT(operator_id), PQ_INT(now), PQ_INT(expires));
}

int
pgsql_session_operator(struct store *s, const char *token_hash, time_t now,
    time_t idle_since, struct account *op, struct error *err)
{
	if (pq_one(pq_query(s, err, PG_SESSION_OPERATOR, PQ_TEXT(token_hash),
	               PQ_INT(now), PQ_INT(idle_since)),
	        pq_read_account, op, err, "session") != 0)
		return -1;
	return pq_exec(
	    s, err, PG_SESSION_TOUCH, PQ_TEXT(token_hash), PQ_INT(now));
}

int
pgsql_session_delete(struct store *s, const char *token_hash, struct error *err)
{
	return pq_exec(s, err, PG_SESSION_DELETE, PQ_TEXT(token_hash));
}

int
pgsql_sessions_prune(
    struct store *s, time_t now, time_t idle_since, struct error *err)
{
	return pq_exec(
	    s, err, PG_SESSIONS_PRUNE, PQ_INT(now), PQ_INT(idle_since));
}

/* ---- API tokens --------------------------------------------------------- */

static const char PG_API_TOKEN_ADD[] =
    "INSERT INTO api_tokens (operator_id, token_hash, created_at)"
    " VALUES ($1, $2, $3) RETURNING id";
static const char PG_API_TOKEN_OPERATOR[] =
    "SELECT " PG_ACCOUNT_COLUMNS " FROM api_tokens t JOIN operators o"
    " ON o.id = t.operator_id WHERE t.token_hash = $1 AND t.revoked_at = 0"
    " AND NOT o.disabled";
static const char PG_API_TOKEN_TOUCH[] =
    "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1"
    " AND last_used_at < $2::bigint - 60";
static const char PG_API_TOKENS_REVOKE[] =
    "UPDATE api_tokens SET revoked_at = $1 WHERE operator_id = $2"
    " AND revoked_at = 0";

int
pgsql_api_token_add(struct store *s, int64_t operator_id,
    const char *token_hash, time_t now, int64_t *id, struct error *err)
{
	int64_t made;

	if (pq_one(pq_query(s, err, PG_API_TOKEN_ADD, PQ_INT(operator_id),
	               PQ_TEXT(token_hash), PQ_INT(now)),
	        pq_read_id, &made, err, "token") != 0)
		return -1;
	if (id != NULL)
		*id = made;
	return 0;
}

int
pgsql_api_token_operator(struct store *s, const char *token_hash, time_t now,
    struct account *op, struct error *err)
{
	if (pq_one(pq_query(s, err, PG_API_TOKEN_OPERATOR, PQ_TEXT(token_hash)),
	        pq_read_account, op, err, "token") != 0)
		return -1;
	return pq_exec(
	    s, err, PG_API_TOKEN_TOUCH, PQ_TEXT(token_hash), PQ_INT(now));
}

int
pgsql_api_tokens_revoke(struct store *s, int64_t operator_id, time_t now,
    unsigned *count, struct error *err)
{
	if (pq_exec(s, err, PG_API_TOKENS_REVOKE, PQ_INT(now),
	        PQ_INT(operator_id)) != 0)
		return -1;
	*count = (unsigned)pq_changes(s);
	return 0;
}

/* ---- failed sign-ins ---------------------------------------------------- */

static const char PG_LOGIN_FAILURES_GET[] =
    "SELECT failures, first_at, locked_until FROM login_failures"
    " WHERE login_hash = $1";
static const char PG_LOGIN_FAILURES_SET[] =
    "INSERT INTO login_failures (login_hash, failures, first_at, locked_until)"
    " VALUES ($1, $2, $3, $4) ON CONFLICT (login_hash) DO UPDATE SET"
    " failures = $2, first_at = $3, locked_until = $4";
static const char PG_LOGIN_FAILURES_CLEAR[] =
    "DELETE FROM login_failures WHERE login_hash = $1";
static const char PG_LOGIN_FAILURES_PRUNE[] =
    "DELETE FROM login_failures WHERE first_at < $1 AND locked_until <= $2";

static void
failures_read(const PGresult *res, int row, void *out)
{
	struct login_failures *f = out;

	f->failures = (unsigned)pq_int(res, row, 0);
	f->first_at = pq_int(res, row, 1);
	f->locked_until = pq_int(res, row, 2);
}

int
pgsql_login_failures_get(struct store *s, const char *login_hash,
    struct login_failures *f, struct error *err)
{
	struct error e;
	char lock[96];

	memset(f, 0, sizeof *f);
	/* read, add one, write back: one guess at a time per login (the lock
	 * holds to the end of the caller's transaction) */
	snprintf(lock, sizeof lock, "login:%s", login_hash);
	if (pq_lock_name(s, lock, err) != 0)
		return -1;
	error_clear(&e);
	if (pq_one(pq_query(s, &e, PG_LOGIN_FAILURES_GET, PQ_TEXT(login_hash)),
	        failures_read, f, &e, "failures") == 0 ||
	    e.kind == ERROR_NOT_FOUND)
		return 0;
	if (err != NULL)
		*err = e;
	return -1;
}

int
pgsql_login_failures_set(struct store *s, const char *login_hash,
    const struct login_failures *f, struct error *err)
{
	return pq_exec(s, err, PG_LOGIN_FAILURES_SET, PQ_TEXT(login_hash),
	    PQ_INT(f->failures), PQ_INT(f->first_at), PQ_INT(f->locked_until));
}

int
pgsql_login_failures_clear(
    struct store *s, const char *login_hash, struct error *err)
{
	return pq_exec(s, err, PG_LOGIN_FAILURES_CLEAR, PQ_TEXT(login_hash));
}

int
pgsql_login_failures_prune(
    struct store *s, time_t window_start, time_t now, struct error *err)
{
	return pq_exec(
	    s, err, PG_LOGIN_FAILURES_PRUNE, PQ_INT(window_start), PQ_INT(now));
}

/* ---- the audit log ------------------------------------------------------ */

static const char PG_AUDIT_ADD[] =
    "INSERT INTO audit (at, operator_id, login, role, channel, action,"
    " booking_id, before, after, detail, address)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";

int
pgsql_audit_add(struct store *s, const struct audit_entry *e, struct error *err)
{
	return pq_exec(s, err, PG_AUDIT_ADD, PQ_INT(e->at),
	    PQ_ID(e->operator_id), PQ_TEXT(e->login), PQ_TEXT(e->role),
	    PQ_TEXT(e->channel), PQ_TEXT(e->action), PQ_ID(e->booking_id),
	    PQ_TEXT(e->before), PQ_TEXT(e->after), PQ_TEXT(e->detail),
	    PQ_TEXT(e->address));
}

/* a fixed statement: each filter is sent or neutralised by its empty value */
static const char PG_AUDIT_LIST[] =
    "SELECT a.id, a.at, COALESCE(a.operator_id, 0), a.login, a.role,"
    " a.channel, a.action, COALESCE(a.booking_id, 0),"
    " COALESCE(b.reference, ''), a.before, a.after, a.detail, a.address"
    " FROM audit a LEFT JOIN bookings b ON b.id = a.booking_id"
    " WHERE ($1::bigint = 0 OR a.at >= $1::bigint)"
    " AND ($2::bigint = 0 OR a.at < $2::bigint)"
    " AND ($3::text = '' OR a.login = $3::text)"
    " AND ($4::text = '' OR b.reference = $4::text)"
    " AND ($5::bigint = 0 OR a.id < $5::bigint) ORDER BY a.id DESC LIMIT $6";

static void
audit_read(const PGresult *res, int row, void *out)
{
	struct audit_entry *e = out;

	memset(e, 0, sizeof *e);
	e->id = pq_int(res, row, 0);
	e->at = pq_int(res, row, 1);
	e->operator_id = pq_int(res, row, 2);
	pq_text(res, row, 3, e->login, sizeof e->login);
	pq_text(res, row, 4, e->role, sizeof e->role);
	pq_text(res, row, 5, e->channel, sizeof e->channel);
	pq_text(res, row, 6, e->action, sizeof e->action);
	e->booking_id = pq_int(res, row, 7);
	pq_text(res, row, 8, e->reference, sizeof e->reference);
	pq_text(res, row, 9, e->before, sizeof e->before);
	pq_text(res, row, 10, e->after, sizeof e->after);
	pq_text(res, row, 11, e->detail, sizeof e->detail);
	pq_text(res, row, 12, e->address, sizeof e->address);
}

int
pgsql_audit_list(struct store *s, const struct audit_filter *f,
    struct audit_entry **out, size_t *n, struct error *err)
{
	return pq_rows(
	    pq_query(s, err, PG_AUDIT_LIST, PQ_INT(f->from), PQ_INT(f->to),
	        PQ_TEXT(f->login), PQ_TEXT(f->reference), PQ_INT(f->before_id),
	        PQ_INT(f->limit ? f->limit : 200)),
	    sizeof **out, audit_read, (void **)out, n, err);
}

/* ---- the desk queue ----------------------------------------------------- */

/* $5: `to` is final; the client hashes go as soon as a booking is no
 * longer pending (as store_booking_set_status) */
static const char PG_BOOKING_TRANSITION[] =
    "UPDATE bookings SET status = $3,"
    " client_hash = CASE WHEN $3 = 'pending' THEN client_hash ELSE '' END,"
    " client_net = CASE WHEN $3 = 'pending' THEN client_net ELSE '' END,"
    " checked_in_at = CASE WHEN $3 = 'waiting' THEN $4 ELSE checked_in_at"
    " END, called_at = CASE WHEN $3 = 'called' THEN $4 ELSE called_at END,"
    " started_at = CASE WHEN $3 = 'in_service' THEN $4 ELSE started_at END,"
    " ended_at = CASE WHEN $5::boolean THEN $4 ELSE ended_at END"
    " WHERE id = $1 AND status = $2";

int
pgsql_booking_transition(struct store *s, int64_t id, enum booking_status from,
    enum booking_status to, time_t now, struct error *err)
{
	if (pq_exec(s, err, PG_BOOKING_TRANSITION, PQ_INT(id),
	        PQ_TEXT(booking_status_name(from)),
	        PQ_TEXT(booking_status_name(to)), PQ_INT(now),
	        PQ_BOOL(!booking_status_live(to))) != 0)
		return -1;
	if (pq_changes(s) == 0)
		return error_set_code(err, ERROR_CONFLICT, "changed", NULL,
		    "The booking was changed meanwhile.");
	return 0;
}

/* The queue of a desk: today's waiting people booked at it or for a service
 * it serves, in the order of their booked time, then of their arrival; a
 * person another desk is calling right now is skipped, not waited for. */
static const char PG_BOOKING_CALL_NEXT[] =
    "UPDATE bookings SET status = 'called', called_at = $3, desk_id = $1"
    " WHERE id = (SELECT b.id FROM bookings b WHERE b.day = $2"
    "   AND b.status = 'waiting' AND (b.desk_id = $1 OR b.service_id IN"
    "   (SELECT ds.service_id FROM desk_services ds WHERE ds.desk_id = $1))"
    "   ORDER BY b.start_at, b.checked_in_at, b.id LIMIT 1"
    "   FOR UPDATE OF b SKIP LOCKED)"
    " AND status = 'waiting' RETURNING id";

int
pgsql_booking_call_next(struct store *s, int64_t desk_id, struct date day,
    time_t now, int64_t *id, struct error *err)
{
	char text[DATE_LEN];

	date_format(day, text);
	return pq_one(pq_query(s, err, PG_BOOKING_CALL_NEXT, PQ_INT(desk_id),
	                  PQ_TEXT(text), PQ_INT(now)),
	    pq_read_id, id, err, "waiting booking");
}
