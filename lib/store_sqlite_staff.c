/*
 * store_sqlite_staff.c: the staff side of the SQLite store — operators,
 * web sessions, API tokens, failed sign-ins, the audit log and the desk
 * queue (store.h). Written with the sq_* helpers of
 * store_sqlite_internal.h: one line of binding per statement.
 *
 * Sessions and API tokens are looked up by the SHA-256 of the token the
 * client holds; the tokens themselves never reach the database.
 *
 * The desk queue's guarantees are the database's, not the caller's luck:
 * a transition is an UPDATE … WHERE status = <from> checked by the rows it
 * changed, and call-next is one UPDATE … WHERE id = (the first waiting)
 * AND status = 'waiting' RETURNING id. Inside BEGIN IMMEDIATE SQLite runs
 * them one at a time; a PostgreSQL store must pick the row with FOR UPDATE
 * SKIP LOCKED in the subquery so that two desks never take the same person
 * and neither comes back empty while others wait.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite_internal.h"

/* ---- operators ---------------------------------------------------------- */

static const char SQL_OPERATOR_ADD[] =
    "INSERT INTO operators (login, display_name, role, password_hash, desk_id,"
    " disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";

int
sqlite_operator_add(
    struct store *s, const struct account *op, int64_t *id, struct error *err)
{
	if (sq_exec(s, err, SQL_OPERATOR_ADD, SQ_TEXT(op->login),
	        SQ_TEXT(op->display_name), SQ_TEXT(role_name(op->role)),
	        SQ_TEXT(op->password_hash), SQ_ID(op->desk_id),
	        SQ_INT(op->disabled), SQ_INT(op->created_at)) != 0)
		return -1;
	*id = sq_last_id(s);
	return 0;
}

/* the account without its password hash, which only sign-in reads
 * (SQ_ACCOUNT_COLUMNS, store_sqlite_internal.h) */
void
sq_read_account(sqlite3_stmt *st, void *row)
{
	struct account *op = row;
	char role[16];

	memset(op, 0, sizeof *op);
	op->id = sqlite3_column_int64(st, 0);
	col_copy(st, 1, op->login, sizeof op->login);
	col_copy(st, 2, op->display_name, sizeof op->display_name);
	col_copy(st, 3, role, sizeof role);
	if (role_parse(role, &op->role) != 0)
		op->role = ROLE_PUBLIC; /* unreachable: CHECKed */
	op->desk_id = sqlite3_column_int64(st, 4);
	op->disabled = sqlite3_column_int(st, 5) != 0;
	op->created_at = sqlite3_column_int64(st, 6);
}

static void
operator_read_with_hash(sqlite3_stmt *st, void *row)
{
	struct account *op = row;

	sq_read_account(st, row);
	col_copy(st, 7, op->password_hash, sizeof op->password_hash);
}

static const char SQL_OPERATOR_BY_LOGIN[] =
    "SELECT " SQ_ACCOUNT_COLUMNS
    ", o.password_hash FROM operators o WHERE o.login = ?";
static const char SQL_OPERATOR_GET[] =
    "SELECT " SQ_ACCOUNT_COLUMNS " FROM operators o WHERE o.id = ?";
static const char SQL_OPERATORS[] =
    "SELECT " SQ_ACCOUNT_COLUMNS " FROM operators o ORDER BY o.login";

int
sqlite_operator_by_login(
    struct store *s, const char *login, struct account *op, struct error *err)
{
	sqlite3_stmt *st =
	    sq_query(s, err, SQL_OPERATOR_BY_LOGIN, SQ_TEXT(login));

	if (st == NULL)
		return -1;
	return sq_one(s, st, operator_read_with_hash, op, err, "operator");
}

int
sqlite_operator_get(
    struct store *s, int64_t id, struct account *op, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_OPERATOR_GET, SQ_INT(id));

	if (st == NULL)
		return -1;
	return sq_one(s, st, sq_read_account, op, err, "operator");
}

int
sqlite_operators_list(
    struct store *s, struct account **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_OPERATORS, err);

	if (st == NULL)
		return -1;
	return collect_rows(
	    s, st, sizeof **out, sq_read_account, NULL, (void **)out, n, err);
}

static const char SQL_OPERATOR_SET_PASSWORD[] =
    "UPDATE operators SET password_hash = ? WHERE id = ?";
static const char SQL_OPERATOR_SET_DESK[] =
    "UPDATE operators SET desk_id = ? WHERE id = ?";
static const char SQL_OPERATOR_SET_DISABLED[] =
    "UPDATE operators SET disabled = ? WHERE id = ?";
static const char SQL_OPERATOR_SESSIONS_END[] =
    "DELETE FROM sessions WHERE operator_id = ?";

int
sqlite_operator_set_password(
    struct store *s, int64_t id, const char *hash, struct error *err)
{
	return sq_exec(
	    s, err, SQL_OPERATOR_SET_PASSWORD, SQ_TEXT(hash), SQ_INT(id));
}

int
sqlite_operator_set_desk(
    struct store *s, int64_t id, int64_t desk_id, struct error *err)
{
	return sq_exec(
	    s, err, SQL_OPERATOR_SET_DESK, SQ_ID(desk_id), SQ_INT(id));
}

int
sqlite_operator_set_disabled(
    struct store *s, int64_t id, bool disabled, struct error *err)
{
	if (sq_exec(s, err, SQL_OPERATOR_SET_DISABLED, SQ_INT(disabled),
	        SQ_INT(id)) != 0)
		return -1;
	if (sq_changes(s) == 0)
		return error_set(err, ERROR_NOT_FOUND, "no such operator");
	return disabled ? sq_exec(s, err, SQL_OPERATOR_SESSIONS_END, SQ_INT(id))
	                : 0;
}

/* ---- sessions ----------------------------------------------------------- */

static const char SQL_SESSION_ADD[] =
    "INSERT INTO sessions (token_hash, operator_id, created_at, last_seen_at,"
    " expires_at) VALUES (?1, ?2, ?3, ?3, ?4)";
static const char SQL_SESSION_OPERATOR[] =
    "SELECT " SQ_ACCOUNT_COLUMNS " FROM sessions s JOIN operators o"
    " ON o.id = s.operator_id WHERE s.token_hash = ?1 AND s.expires_at > ?2"
    " AND s.last_seen_at > ?3 AND o.disabled = 0";
/* a minute's precision is enough for an idle timeout, and saves a write
 * per request */
static const char SQL_SESSION_TOUCH[] =
    "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1"
    " AND last_seen_at < ?2 - 60";
static const char SQL_SESSION_DELETE[] =
    "DELETE FROM sessions WHERE token_hash = ?";
static const char SQL_SESSIONS_PRUNE[] =
    "DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?";

int
sqlite_session_add(struct store *s, const char *token_hash, int64_t operator_id,
    time_t now, time_t expires, struct error *err)
{
	return sq_exec(s, err, SQL_SESSION_ADD, SQ_TEXT(token_hash),
	    SQ_INT(operator_id), SQ_INT(now), SQ_INT(expires));
}

int
sqlite_session_operator(struct store *s, const char *token_hash, time_t now,
    time_t idle_since, struct account *op, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_SESSION_OPERATOR,
	    SQ_TEXT(token_hash), SQ_INT(now), SQ_INT(idle_since));

	if (st == NULL ||
	    sq_one(s, st, sq_read_account, op, err, "session") != 0)
		return -1;
	return sq_exec(
	    s, err, SQL_SESSION_TOUCH, SQ_TEXT(token_hash), SQ_INT(now));
}

int
sqlite_session_delete(
    struct store *s, const char *token_hash, struct error *err)
{
	return sq_exec(s, err, SQL_SESSION_DELETE, SQ_TEXT(token_hash));
}

int
sqlite_sessions_prune(
    struct store *s, time_t now, time_t idle_since, struct error *err)
{
	return sq_exec(
	    s, err, SQL_SESSIONS_PRUNE, SQ_INT(now), SQ_INT(idle_since));
}

/* ---- API tokens --------------------------------------------------------- */

static const char SQL_API_TOKEN_ADD[] =
    "INSERT INTO api_tokens (operator_id, token_hash, created_at) VALUES (?, "
    "?, ?)";
static const char SQL_API_TOKEN_OPERATOR[] =
    "SELECT " SQ_ACCOUNT_COLUMNS " FROM api_tokens t JOIN operators o"
    " ON o.id = t.operator_id WHERE t.token_hash = ? AND t.revoked_at = 0"
    " AND o.disabled = 0";
static const char SQL_API_TOKEN_TOUCH[] =
    "UPDATE api_tokens SET last_used_at = ?2 WHERE token_hash = ?1"
    " AND last_used_at < ?2 - 60";
static const char SQL_API_TOKENS_REVOKE[] =
    "UPDATE api_tokens SET revoked_at = ? WHERE operator_id = ? AND revoked_at "
    "= 0";

int
sqlite_api_token_add(struct store *s, int64_t operator_id,
    const char *token_hash, time_t now, int64_t *id, struct error *err)
{
	if (sq_exec(s, err, SQL_API_TOKEN_ADD, SQ_INT(operator_id),
	        SQ_TEXT(token_hash), SQ_INT(now)) != 0)
		return -1;
	if (id != NULL)
		*id = sq_last_id(s);
	return 0;
}

int
sqlite_api_token_operator(struct store *s, const char *token_hash, time_t now,
    struct account *op, struct error *err)
{
	sqlite3_stmt *st =
	    sq_query(s, err, SQL_API_TOKEN_OPERATOR, SQ_TEXT(token_hash));

	if (st == NULL || sq_one(s, st, sq_read_account, op, err, "token") != 0)
		return -1;
	return sq_exec(
	    s, err, SQL_API_TOKEN_TOUCH, SQ_TEXT(token_hash), SQ_INT(now));
}

int
sqlite_api_tokens_revoke(struct store *s, int64_t operator_id, time_t now,
    unsigned *count, struct error *err)
{
	if (sq_exec(s, err, SQL_API_TOKENS_REVOKE, SQ_INT(now),
	        SQ_INT(operator_id)) != 0)
		return -1;
	*count = (unsigned)sq_changes(s);
	return 0;
}

/* ---- failed sign-ins ---------------------------------------------------- */

static const char SQL_LOGIN_FAILURES_GET[] =
    "SELECT failures, first_at, locked_until FROM login_failures"
    " WHERE login_hash = ?";
static const char SQL_LOGIN_FAILURES_SET[] =
    "INSERT INTO login_failures (login_hash, failures, first_at, locked_until)"
    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (login_hash) DO UPDATE SET"
    " failures = ?2, first_at = ?3, locked_until = ?4";
static const char SQL_LOGIN_FAILURES_CLEAR[] =
    "DELETE FROM login_failures WHERE login_hash = ?";
static const char SQL_LOGIN_FAILURES_PRUNE[] =
    "DELETE FROM login_failures WHERE first_at < ? AND locked_until <= ?";

static void
failures_read(sqlite3_stmt *st, void *row)
{
	struct login_failures *f = row;

	f->failures = (unsigned)sqlite3_column_int(st, 0);
	f->first_at = sqlite3_column_int64(st, 1);
	f->locked_until = sqlite3_column_int64(st, 2);
}

int
sqlite_login_failures_get(struct store *s, const char *login_hash,
    struct login_failures *f, struct error *err)
{
	sqlite3_stmt *st =
	    sq_query(s, err, SQL_LOGIN_FAILURES_GET, SQ_TEXT(login_hash));
	struct error e;

	memset(f, 0, sizeof *f);
	if (st == NULL)
		return -1;
	error_clear(&e);
	if (sq_one(s, st, failures_read, f, &e, "failures") == 0 ||
	    e.kind == ERROR_NOT_FOUND)
		return 0;
	if (err != NULL)
		*err = e;
	return -1;
}

int
sqlite_login_failures_set(struct store *s, const char *login_hash,
    const struct login_failures *f, struct error *err)
{
	return sq_exec(s, err, SQL_LOGIN_FAILURES_SET, SQ_TEXT(login_hash),
	    SQ_INT(f->failures), SQ_INT(f->first_at), SQ_INT(f->locked_until));
}

int
sqlite_login_failures_clear(
    struct store *s, const char *login_hash, struct error *err)
{
	return sq_exec(s, err, SQL_LOGIN_FAILURES_CLEAR, SQ_TEXT(login_hash));
}

int
sqlite_login_failures_prune(
    struct store *s, time_t window_start, time_t now, struct error *err)
{
	return sq_exec(s, err, SQL_LOGIN_FAILURES_PRUNE, SQ_INT(window_start),
	    SQ_INT(now));
}

/* ---- the audit log ------------------------------------------------------ */

static const char SQL_AUDIT_ADD[] =
    "INSERT INTO audit (at, operator_id, login, role, channel, action,"
    " booking_id, before, after, detail, address)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

int
sqlite_audit_add(
    struct store *s, const struct audit_entry *e, struct error *err)
{
	return sq_exec(s, err, SQL_AUDIT_ADD, SQ_INT(e->at),
	    SQ_ID(e->operator_id), SQ_TEXT(e->login), SQ_TEXT(e->role),
	    SQ_TEXT(e->channel), SQ_TEXT(e->action), SQ_ID(e->booking_id),
	    SQ_TEXT(e->before), SQ_TEXT(e->after), SQ_TEXT(e->detail),
	    SQ_TEXT(e->address));
}

/* a fixed statement: each filter is bound or neutralised by its empty value */
static const char SQL_AUDIT_LIST[] =
    "SELECT a.id, a.at, COALESCE(a.operator_id, 0), a.login, a.role,"
    " a.channel, a.action, COALESCE(a.booking_id, 0),"
    " COALESCE(b.reference, ''), a.before, a.after, a.detail, a.address"
    " FROM audit a LEFT JOIN bookings b ON b.id = a.booking_id"
    " WHERE (?1 = 0 OR a.at >= ?1) AND (?2 = 0 OR a.at < ?2)"
    " AND (?3 = '' OR a.login = ?3) AND (?4 = '' OR b.reference = ?4)"
    " AND (?5 = 0 OR a.id < ?5) ORDER BY a.id DESC LIMIT ?6";

static void
audit_read(sqlite3_stmt *st, void *row)
{
	struct audit_entry *e = row;

	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(st, 0);
	e->at = sqlite3_column_int64(st, 1);
	e->operator_id = sqlite3_column_int64(st, 2);
	col_copy(st, 3, e->login, sizeof e->login);
	col_copy(st, 4, e->role, sizeof e->role);
	col_copy(st, 5, e->channel, sizeof e->channel);
	col_copy(st, 6, e->action, sizeof e->action);
	e->booking_id = sqlite3_column_int64(st, 7);
	col_copy(st, 8, e->reference, sizeof e->reference);
	col_copy(st, 9, e->before, sizeof e->before);
	col_copy(st, 10, e->after, sizeof e->after);
	col_copy(st, 11, e->detail, sizeof e->detail);
	col_copy(st, 12, e->address, sizeof e->address);
}

int
sqlite_audit_list(struct store *s, const struct audit_filter *f,
    struct audit_entry **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_AUDIT_LIST, SQ_INT(f->from),
	    SQ_INT(f->to), SQ_TEXT(f->login), SQ_TEXT(f->reference),
	    SQ_INT(f->before_id), SQ_INT(f->limit ? f->limit : 200));

	if (st == NULL)
		return -1;
	return collect_rows(
	    s, st, sizeof **out, audit_read, NULL, (void **)out, n, err);
}

/* ---- the desk queue ----------------------------------------------------- */

/* ?5: `to` is final (booking_status_live decides, not a list here); the
 * client hashes serve the limits on pending bookings only and go as soon
 * as a booking is no longer pending (as store_booking_set_status) */
static const char SQL_BOOKING_TRANSITION[] =
    "UPDATE bookings SET status = ?3,"
    " client_hash = CASE WHEN ?3 = 'pending' THEN client_hash ELSE '' END,"
    " client_net = CASE WHEN ?3 = 'pending' THEN client_net ELSE '' END,"
    " checked_in_at = CASE WHEN ?3 = 'waiting' THEN ?4 ELSE checked_in_at END,"
    " called_at = CASE WHEN ?3 = 'called' THEN ?4 ELSE called_at END,"
    " started_at = CASE WHEN ?3 = 'in_service' THEN ?4 ELSE started_at END,"
    " ended_at = CASE WHEN ?5 THEN ?4 ELSE ended_at END"
    " WHERE id = ?1 AND status = ?2";

int
sqlite_booking_transition(struct store *s, int64_t id, enum booking_status from,
    enum booking_status to, time_t now, struct error *err)
{
	if (sq_exec(s, err, SQL_BOOKING_TRANSITION, SQ_INT(id),
	        SQ_TEXT(booking_status_name(from)),
	        SQ_TEXT(booking_status_name(to)), SQ_INT(now),
	        SQ_INT(!booking_status_live(to))) != 0)
		return -1;
	if (sq_changes(s) == 0)
		return error_set_code(err, ERROR_CONFLICT, "changed", NULL,
		    "The booking was changed meanwhile.");
	return 0;
}

/* The queue of a desk: today's waiting people booked at it or for a service
 * it serves, in the order of their booked time, then of their arrival. */
static const char SQL_BOOKING_CALL_NEXT[] =
    "UPDATE bookings SET status = 'called', called_at = ?3, desk_id = ?1"
    " WHERE id = (SELECT b.id FROM bookings b WHERE b.day = ?2"
    "   AND b.status = 'waiting' AND (b.desk_id = ?1 OR b.service_id IN"
    "   (SELECT ds.service_id FROM desk_services ds WHERE ds.desk_id = ?1))"
    "   ORDER BY b.start_at, b.checked_in_at, b.id LIMIT 1)"
    " AND status = 'waiting' RETURNING id";

static void
id_read_one(sqlite3_stmt *st, void *row)
{
	*(int64_t *)row = sqlite3_column_int64(st, 0);
}

int
sqlite_booking_call_next(struct store *s, int64_t desk_id, struct date day,
    time_t now, int64_t *id, struct error *err)
{
	char text[DATE_LEN];
	sqlite3_stmt *st;

	date_format(day, text);
	st = sq_query(s, err, SQL_BOOKING_CALL_NEXT, SQ_INT(desk_id),
	    SQ_TEXT(text), SQ_INT(now));
	if (st == NULL)
		return -1;
	return sq_one(s, st, id_read_one, id, err, "waiting booking");
}
