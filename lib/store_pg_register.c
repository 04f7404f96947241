/*
 * store_pg_register.c: the register's side of the PostgreSQL store, the
 * twin of store_sqlite_register.c (which says how a search walks one
 * index range in time order and pages by keyset; the drive and the values
 * are store_register.c's, the same for both).
 *
 * What differs from SQLite:
 *   - PostgreSQL has no INDEXED BY: the planner chooses the index by its
 *     statistics. Each statement is still written so that its driving
 *     filter is a plain range on one index (the other filters are
 *     "$N IS NULL OR …", which a plan for the given values drops), and
 *     bench/register_bench measures it at 100k bookings.
 *   - store_register_explain is EXPLAIN (COSTS OFF) of the statement with
 *     the search's values, in a transaction of its own with sequential
 *     scans priced out (enable_seqscan off): on a small table a scan is
 *     cheaper and the planner rightly takes it, so the plan shown is the
 *     one a large table gets — which index the search walks (the names
 *     are SQLite's; "BitmapOr" where SQLite says MULTI-INDEX OR).
 *   - The folded names compare byte by byte (COLLATE "C", migration 9),
 *     the e-mail as lower(email) in that order (SQLite's NOCASE).
 *   - A message's and a reply's bytes (bytea) are read as text in C,
 *     mended to valid UTF-8, not cast in SQL (a cast refuses bad bytes).
 */
#include <stdlib.h>
#include <string.h>

#include "store_pg_internal.h"
#include "store_register.h"

/* ---- the search --------------------------------------------------------- */

#define PG_EMAIL "lower(b.email) COLLATE \"C\""
#define PG_WORD_MATCH(w, e)                                                    \
	"(b.first_fold >= " w " AND b.first_fold < " e ")"                     \
	" OR (b.last_fold >= " w " AND b.last_fold < " e ")"
#define PG_TEXT_MATCH                                                          \
	"(" PG_WORD_MATCH("$16", "$17") " OR (" PG_EMAIL " >= lower($16)"      \
	                                " AND " PG_EMAIL " < lower($17))"      \
	                                " OR b.reference = $20"                \
	                                " OR b.access_code = $21"              \
	                                " OR b.phone = $22)"
#define PG_RESIDUAL                                                            \
	" AND ($3::text IS NULL OR b.status = $3)"                             \
	" AND ($4::bigint IS NULL OR b.service_id = $4)"                       \
	" AND ($5::bigint IS NULL OR b.desk_id = $5)"                          \
	" AND ($6::text IS NULL OR b.source = $6)"                             \
	" AND ($7::text IS NULL OR (b.first_fold >= $7"                        \
	"  AND b.first_fold < $8))"                                            \
	" AND ($9::text IS NULL OR (b.last_fold >= $9 AND b.last_fold < $10))" \
	" AND ($11::text IS NULL OR (" PG_EMAIL " >= lower($11)"               \
	"  AND " PG_EMAIL " < lower($12)))"                                    \
	" AND ($13::text IS NULL OR b.phone = $13)"                            \
	" AND ($14::text IS NULL OR b.access_code = $14)"                      \
	" AND ($15::text IS NULL OR b.reference = $15)"                        \
	" AND ($16::text IS NULL OR " PG_TEXT_MATCH ")"                        \
	" AND ($18::text IS NULL OR " PG_WORD_MATCH("$18", "$19") ")"
/* the keyset and the order on the time t: b.start_at where time drives,
 * else (b.start_at + 0), which no index answers: the planner cannot walk
 * bookings_time in order instead of the driving filter's index (what
 * INDEXED BY and the unary + do in SQLite) */
#define PG_AFTER(t)                                                            \
	" AND ($23::bigint IS NULL OR " t " > $23"                             \
	"  OR (" t " = $23 AND b.id > $24))"                                   \
	" ORDER BY " t ", b.id LIMIT $25"
#define PG_BEFORE(t)                                                           \
	" AND ($23::bigint IS NULL OR " t " < $23"                             \
	"  OR (" t " = $23 AND b.id < $24))"                                   \
	" ORDER BY " t " DESC, b.id DESC LIMIT $25"
#define PG_TIME "b.start_at"
#define PG_TIME_CHECK "(b.start_at + 0)"
#define PG_REG_SQL(drive, t, order)                                            \
	"SELECT " PG_BOOKING_COLUMNS PG_BOOKING_FROM " WHERE " drive " AND " t \
	" >= $1 AND " t " < $2" PG_RESIDUAL order
#define PG_EXPLAIN "EXPLAIN (COSTS OFF) "
/* [0 forward, 1 backward, 2 and 3: their EXPLAIN] */
#define PG_REG_SET(drive, t)                                                   \
	{                                                                      \
		PG_REG_SQL(drive, t, PG_AFTER(t)),                             \
		    PG_REG_SQL(drive, t, PG_BEFORE(t)),                        \
		    PG_EXPLAIN PG_REG_SQL(drive, t, PG_AFTER(t)),              \
		    PG_EXPLAIN PG_REG_SQL(drive, t, PG_BEFORE(t))              \
	}

static const char *const register_sql[DRIVE_COUNT][4] = {
    [DRIVE_REFERENCE] = PG_REG_SET("b.reference = $15", PG_TIME_CHECK),
    [DRIVE_CODE] = PG_REG_SET("b.access_code = $14", PG_TIME_CHECK),
    [DRIVE_PHONE] = PG_REG_SET("b.phone = $13", PG_TIME_CHECK),
    [DRIVE_EMAIL] = PG_REG_SET(
        PG_EMAIL " >= lower($11) AND " PG_EMAIL " < lower($12)", PG_TIME_CHECK),
    [DRIVE_LAST] =
        PG_REG_SET("b.last_fold >= $9 AND b.last_fold < $10", PG_TIME_CHECK),
    [DRIVE_FIRST] =
        PG_REG_SET("b.first_fold >= $7 AND b.first_fold < $8", PG_TIME_CHECK),
    [DRIVE_TEXT] = PG_REG_SET(PG_TEXT_MATCH, PG_TIME_CHECK),
    [DRIVE_STATUS] = PG_REG_SET("b.status = $3", PG_TIME),
    [DRIVE_TIME] = PG_REG_SET("true", PG_TIME),
};

/* the statement of a search (explain: its EXPLAIN) and its values as
 * PostgreSQL takes them */
static const char *
register_statement(const struct register_filter *f, bool explain,
    struct buf ends[REG_ENDS], struct pq_arg a[REG_VALUES])
{
	struct reg_value v[REG_VALUES];

	register_values(f, ends, v);
	for (size_t i = 0; i < REG_VALUES; i++)
		a[i] = (struct pq_arg){
		    .type = v[i].type, .i = v[i].i, .s = v[i].s};
	return register_sql[register_drive(f)]
	                   [(explain ? 2 : 0) + (f->backward ? 1 : 0)];
}

int
pgsql_register_search(struct store *s, const struct register_filter *f,
    struct booking **out, size_t *n, struct error *err)
{
	struct buf ends[REG_ENDS];
	struct pq_arg a[REG_VALUES];
	const char *sql = register_statement(f, false, ends, a);
	int rc;

	*out = NULL;
	*n = 0;
	rc = pq_rows(pq_query_args(s, err, sql, a, REG_VALUES), sizeof **out,
	    pq_read_booking, (void **)out, n, err);
	register_ends_free(ends);
	if (rc == 0 && f->backward)
		register_reverse(*out, *n);
	return rc;
}

static const char PG_NO_SEQSCAN[] =
    "SELECT set_config('enable_seqscan', 'off', true)";

int
pgsql_register_explain(struct store *s, const struct register_filter *f,
    struct buf *plan, struct error *err)
{
	struct buf ends[REG_ENDS];
	struct pq_arg a[REG_VALUES];
	const char *sql = register_statement(f, true, ends, a);
	PGresult *res = NULL;
	int rc = -1;

	/* set_config(…, true) lasts until the end of this transaction (or
	 * savepoint, rolled back below): nothing else sees it */
	if (pgsql_begin(s, err) != 0)
		goto out;
	if (pq_exec0(s, err, PG_NO_SEQSCAN) == 0 &&
	    (res = pq_query_args(s, err, sql, a, REG_VALUES)) != NULL) {
		for (int i = 0; i < PQntuples(res); i++)
			buf_printf(plan, "%s\n", PQgetvalue(res, i, 0));
		PQclear(res);
		rc = 0;
	}
	pgsql_rollback(s);
out:
	register_ends_free(ends);
	return rc;
}

static const char PG_BOOKING_KEPT[] =
    "SELECT 1 FROM bookings_kept WHERE booking_id = $1 AND start_at = $2";

int
pgsql_booking_kept(struct store *s, int64_t booking_id, time_t start,
    bool *kept, struct error *err)
{
	PGresult *res = pq_query(
	    s, err, PG_BOOKING_KEPT, PQ_INT(booking_id), PQ_INT(start));

	*kept = false;
	if (res == NULL)
		return -1;
	*kept = PQntuples(res) > 0;
	PQclear(res);
	return 0;
}

/* ---- moves and their answers -------------------------------------------- */

static const char PG_SET_MOVE[] =
    "UPDATE bookings SET moved_at = CASE WHEN $1::bigint > 0 THEN $1"
    " ELSE moved_at END, move_answer = $2 WHERE id = $3";

int
pgsql_booking_set_move(struct store *s, int64_t id, time_t moved_at,
    const char *answer, struct error *err)
{
	return pq_exec(
	    s, err, PG_SET_MOVE, PQ_INT(moved_at), PQ_TEXT(answer), PQ_INT(id));
}

static const char PG_OUTBOX_WITHDRAW[] =
    "UPDATE outbox SET status = 'suppressed', last_error = $1"
    " WHERE booking_id = $2 AND kind = $3 AND status = 'queued'";

int
pgsql_outbox_withdraw(struct store *s, int64_t booking_id, const char *kind,
    const char *why, unsigned *count, struct error *err)
{
	if (pq_exec(s, err, PG_OUTBOX_WITHDRAW, PQ_TEXT(why),
	        PQ_INT(booking_id), PQ_TEXT(kind)) != 0)
		return -1;
	if (count != NULL)
		*count = (unsigned)pq_changes(s);
	return 0;
}

/* the newest event this transaction can see: its own, written just
 * before the message (another transaction's later event is not visible
 * until it commits, and then orders after) */
static const char PG_OUTBOX_TEXT[] =
    "UPDATE outbox SET text = $1, after_event = (SELECT COALESCE(max(id), 0)"
    " FROM booking_events) WHERE id = $2";

int
pgsql_outbox_set_text(
    struct store *s, int64_t id, const char *text, struct error *err)
{
	return pq_exec(s, err, PG_OUTBOX_TEXT, PQ_TEXT(text), PQ_INT(id));
}

static const char PG_OUTBOX_FALLBACK[] =
    "UPDATE outbox SET fallback_of = $1 WHERE id = (SELECT max(id) FROM"
    " outbox WHERE booking_id = $2 AND channel = $3 AND kind = $4)";

int
pgsql_outbox_mark_fallback(struct store *s, int64_t booking_id,
    const char *channel, const char *kind, int64_t failed_id, struct error *err)
{
	return pq_exec(s, err, PG_OUTBOX_FALLBACK, PQ_INT(failed_id),
	    PQ_INT(booking_id), PQ_TEXT(channel), PQ_TEXT(kind));
}

static const char PG_INBOX_WORDS[] =
    "UPDATE inbox SET words = $1 WHERE id = $2";

int
pgsql_inbox_set_words(
    struct store *s, int64_t id, const char *words, struct error *err)
{
	return pq_exec(s, err, PG_INBOX_WORDS, PQ_TEXT(words), PQ_INT(id));
}

/* ---- the conversation --------------------------------------------------- */

/* owned valid UTF-8: the text column, or where it is NULL the bytes of
 * the bytea one after it */
static char *
text_or_bytes(const PGresult *res, int row, int col)
{
	struct buf b = BUF_INIT;

	if (PQgetisnull(res, row, col + 1))
		buf_puts(&b, PQgetvalue(res, row, col));
	else {
		size_t len;
		char *raw = pq_bytes(res, row, col + 1, &len);

		utf8_sanitize(&b, raw, len);
		free(raw);
	}
	return buf_steal(&b);
}

/* an SMS says what its payload says; an older e-mail row, nothing */
static const char PG_SAID[] =
    "SELECT id, channel, kind, status, recipient, created_at, sent_at,"
    " last_error, fallback_of, after_event, text,"
    " CASE WHEN text = '' AND channel = 'sms' THEN payload END"
    " FROM outbox WHERE booking_id = $1 ORDER BY id";

static void
said_read(const PGresult *res, int row, void *out)
{
	struct said *m = out;

	memset(m, 0, sizeof *m);
	m->id = pq_int(res, row, 0);
	pq_text(res, row, 1, m->channel, sizeof m->channel);
	pq_text(res, row, 2, m->kind, sizeof m->kind);
	pq_text(res, row, 3, m->status, sizeof m->status);
	pq_text(res, row, 4, m->recipient, sizeof m->recipient);
	m->created_at = pq_int(res, row, 5);
	m->sent_at = pq_int(res, row, 6);
	pq_text(res, row, 7, m->last_error, sizeof m->last_error);
	m->fallback_of = pq_int(res, row, 8);
	m->after_event = pq_int(res, row, 9);
	m->text = text_or_bytes(res, row, 10);
}

int
pgsql_conversation_said(struct store *s, int64_t booking_id, struct said **out,
    size_t *n, struct error *err)
{
	return pq_rows(pq_query(s, err, PG_SAID, PQ_INT(booking_id)),
	    sizeof **out, said_read, (void **)out, n, err);
}

/* an SMS reply is its own words; an older e-mail row has none recorded */
static const char PG_HEARD[] =
    "SELECT id, channel, received_at, status, verdict, note, words,"
    " CASE WHEN words = '' AND channel = 'sms' THEN raw END"
    " FROM inbox WHERE booking_id = $1 ORDER BY id";

static void
heard_read(const PGresult *res, int row, void *out)
{
	struct heard *m = out;

	memset(m, 0, sizeof *m);
	m->id = pq_int(res, row, 0);
	pq_text(res, row, 1, m->channel, sizeof m->channel);
	m->received_at = pq_int(res, row, 2);
	pq_text(res, row, 3, m->status, sizeof m->status);
	pq_text(res, row, 4, m->verdict, sizeof m->verdict);
	pq_text(res, row, 5, m->note, sizeof m->note);
	m->words = text_or_bytes(res, row, 6);
}

int
pgsql_conversation_heard(struct store *s, int64_t booking_id,
    struct heard **out, size_t *n, struct error *err)
{
	return pq_rows(pq_query(s, err, PG_HEARD, PQ_INT(booking_id)),
	    sizeof **out, heard_read, (void **)out, n, err);
}
