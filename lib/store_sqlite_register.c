/*
 * store_sqlite_register.c: the register's side of the SQLite store
 * (store.h, "the register"): the search, a move's answer and the
 * reminders it withdraws, and what a booking's conversation is made of.
 *
 * The search is one of nine statements, each pinned to the index that
 * drives it (INDEXED BY: a plan that cannot silently turn into a table
 * scan when the statistics change; a missing index is an error, not a
 * slow register). The booking table is the outer loop (CROSS JOIN) and the
 * rows come in (start_at, id) order, so a page is LIMIT rows after a
 * keyset cursor. The other filters are "?N IS NULL OR …" checks on the
 * rows the driving range yields. The C side (store_register_search)
 * chooses the driving filter; lib/register.c says why in which order.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "store_sqlite_internal.h"

/* ---- wizyta_fold() ------------------------------------------------------ */

static void
fold_function(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *v;
	struct buf out = BUF_INIT;

	(void)argc;
	if ((v = sqlite3_value_text(argv[0])) == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	text_fold((const char *)v, &out);
	sqlite3_result_text(
	    ctx, buf_cstr(&out), (int)out.len, SQLITE_TRANSIENT);
	buf_free(&out);
}

void
sq_functions_add(sqlite3 *db)
{
	sqlite3_create_function_v2(db, "wizyta_fold", 1,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
	    fold_function, NULL, NULL, NULL);
}

/* ---- the search --------------------------------------------------------- */

/* the rows the driving range yields must pass every other filter */
#define REG_WORD_MATCH(w, e)                                                   \
	"(b.first_fold >= " w " AND b.first_fold < " e ")"                     \
	" OR (b.last_fold >= " w " AND b.last_fold < " e ")"
#define REG_TEXT_MATCH                                                         \
	"(" REG_WORD_MATCH(                                                    \
	    "?16", "?17") " OR (b.email COLLATE NOCASE >= ?16 AND b.email "    \
	                  "COLLATE NOCASE < ?17)"                              \
	                  " OR b.reference = ?20 OR b.access_code = ?21 OR "   \
	                  "b.phone = ?22)"
#define REG_RESIDUAL                                                           \
	" AND (?3 IS NULL OR b.status = ?3)"                                   \
	" AND (?4 IS NULL OR b.service_id = ?4)"                               \
	" AND (?5 IS NULL OR b.desk_id = ?5)"                                  \
	" AND (?6 IS NULL OR b.source = ?6)"                                   \
	" AND (?7 IS NULL OR (b.first_fold >= ?7 AND b.first_fold < ?8))"      \
	" AND (?9 IS NULL OR (b.last_fold >= ?9 AND b.last_fold < ?10))"       \
	" AND (?11 IS NULL OR (b.email COLLATE NOCASE >= ?11"                  \
	"  AND b.email COLLATE NOCASE < ?12))"                                 \
	" AND (?13 IS NULL OR b.phone = ?13)"                                  \
	" AND (?14 IS NULL OR b.access_code = ?14)"                            \
	" AND (?15 IS NULL OR b.reference = ?15)"                              \
	" AND (?16 IS NULL OR " REG_TEXT_MATCH ")"                             \
	" AND (?18 IS NULL OR " REG_WORD_MATCH("?18", "?19") ")"
#define REG_AFTER                                                              \
	" AND (?23 IS NULL OR b.start_at > ?23"                                \
	"  OR (b.start_at = ?23 AND b.id > ?24))"                              \
	" ORDER BY b.start_at, b.id LIMIT ?25"
#define REG_BEFORE                                                             \
	" AND (?23 IS NULL OR b.start_at < ?23"                                \
	"  OR (b.start_at = ?23 AND b.id < ?24))"                              \
	" ORDER BY b.start_at DESC, b.id DESC LIMIT ?25"
#define REG_FROM(index)                                                        \
	" FROM bookings b " index                                              \
	" CROSS JOIN services s ON s.id = b.service_id"                        \
	" CROSS JOIN desks d ON d.id = b.desk_id WHERE "
/* the time range: an index range where time drives, a check elsewhere */
#define REG_TIME " b.start_at >= ?1 AND b.start_at < ?2"
#define REG_TIME_CHECK " +b.start_at >= ?1 AND +b.start_at < ?2"
#define REG_SQL(index, drive, time, order)                                     \
	"SELECT " BOOKING_COLUMNS REG_FROM(index) drive                        \
	    " AND" time REG_RESIDUAL order

enum reg_drive {
	DRIVE_REFERENCE,
	DRIVE_CODE,
	DRIVE_PHONE,
	DRIVE_EMAIL,
	DRIVE_LAST,
	DRIVE_FIRST,
	DRIVE_TEXT,
	DRIVE_STATUS,
	DRIVE_TIME,
	DRIVE_COUNT
};

#define REG_PAIR(index, drive, time)                                           \
	{                                                                      \
		REG_SQL(index, drive, time, REG_AFTER),                        \
		    REG_SQL(index, drive, time, REG_BEFORE)                    \
	}

/* [drive][0 forward, 1 backward] */
static const char *const register_sql[DRIVE_COUNT][2] = {
    /* UNIQUE: the planner never misses it */
    [DRIVE_REFERENCE] = REG_PAIR("", "b.reference = ?15", REG_TIME_CHECK),
    [DRIVE_CODE] = REG_PAIR("INDEXED BY bookings_access_code",
        "b.access_code = ?14", REG_TIME_CHECK),
    [DRIVE_PHONE] =
        REG_PAIR("INDEXED BY bookings_phone", "b.phone = ?13", REG_TIME_CHECK),
    [DRIVE_EMAIL] = REG_PAIR("INDEXED BY bookings_email_nocase",
        "b.email COLLATE NOCASE >= ?11 AND b.email COLLATE NOCASE < ?12",
        REG_TIME_CHECK),
    [DRIVE_LAST] = REG_PAIR("INDEXED BY bookings_last_fold",
        "b.last_fold >= ?9 AND b.last_fold < ?10", REG_TIME_CHECK),
    [DRIVE_FIRST] = REG_PAIR("INDEXED BY bookings_first_fold",
        "b.first_fold >= ?7 AND b.first_fold < ?8", REG_TIME_CHECK),
    /* several indexes at once (SQLite's OR optimisation): no pin */
    [DRIVE_TEXT] = REG_PAIR("", REG_TEXT_MATCH, REG_TIME_CHECK),
    [DRIVE_STATUS] =
        REG_PAIR("INDEXED BY bookings_status_time", "b.status = ?3", REG_TIME),
    [DRIVE_TIME] = REG_PAIR("INDEXED BY bookings_time", "1", REG_TIME),
};

static bool
given(const char *v)
{
	return v != NULL && v[0] != '\0';
}

/* a text filter and its prefix end: NULL, NULL when not given */
static void
prefix_args(const char *v, struct buf *end, struct sq_arg *a, struct sq_arg *b)
{
	if (!given(v)) {
		*a = *b = SQ_NULL;
		return;
	}
	text_fold_prefix_end(v, end);
	*a = SQ_TEXT(v);
	*b = SQ_TEXT(buf_cstr(end));
}

static struct sq_arg
text_arg(const char *v)
{
	return given(v) ? SQ_TEXT(v) : SQ_NULL;
}

/* the time range spans at most a week: walking it beats a name range */
#define SHORT_RANGE (7 * 86400)

static enum reg_drive
register_drive(const struct register_filter *f)
{
	bool short_range =
	    f->from > 0 && f->to > 0 && f->to - f->from <= SHORT_RANGE;

	if (given(f->reference))
		return DRIVE_REFERENCE;
	if (given(f->code))
		return DRIVE_CODE;
	if (given(f->phone))
		return DRIVE_PHONE;
	if (!short_range) {
		if (given(f->email))
			return DRIVE_EMAIL;
		if (given(f->last))
			return DRIVE_LAST;
		if (given(f->first))
			return DRIVE_FIRST;
		if (given(f->word))
			return DRIVE_TEXT;
	}
	return f->status >= 0 ? DRIVE_STATUS : DRIVE_TIME;
}

/* the values of a filter, in the statements' order; the prefix ends
 * live in ends[5] */
static void
register_args(
    const struct register_filter *f, struct buf ends[5], struct sq_arg a[25])
{
	int64_t from = f->from, to = f->to > 0 ? f->to : INT64_MAX;
	bool cursor = f->cursor_id > 0;

	/* the cursor narrows the walked range itself, not only the rows */
	if (cursor && !f->backward && f->cursor_start > from)
		from = f->cursor_start;
	if (cursor && f->backward && f->cursor_start < to)
		to = f->cursor_start + 1;
	a[0] = SQ_INT(from);
	a[1] = SQ_INT(to);
	a[2] =
	    f->status >= 0
	        ? SQ_TEXT(booking_status_name((enum booking_status)f->status))
	        : SQ_NULL;
	a[3] = SQ_ID(f->service_id);
	a[4] = SQ_ID(f->desk_id);
	a[5] = text_arg(f->source);
	prefix_args(f->first, &ends[0], &a[6], &a[7]);
	prefix_args(f->last, &ends[1], &a[8], &a[9]);
	prefix_args(f->email, &ends[2], &a[10], &a[11]);
	a[12] = text_arg(f->phone);
	a[13] = text_arg(f->code);
	a[14] = text_arg(f->reference);
	prefix_args(f->word, &ends[3], &a[15], &a[16]);
	prefix_args(f->word2, &ends[4], &a[17], &a[18]);
	a[19] = text_arg(f->text_reference);
	a[20] = text_arg(f->text_code);
	a[21] = text_arg(f->text_phone);
	a[22] = cursor ? SQ_INT(f->cursor_start) : SQ_NULL;
	a[23] = cursor ? SQ_INT(f->cursor_id) : SQ_NULL;
	a[24] = SQ_INT(f->limit > 0 && f->limit <= 1000 ? f->limit : 50);
}

static void
ends_free(struct buf ends[5])
{
	for (size_t i = 0; i < 5; i++)
		buf_free(&ends[i]);
}

int
store_register_search(struct store *s, const struct register_filter *f,
    struct booking **out, size_t *n, struct error *err)
{
	struct buf ends[5] = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT};
	struct sq_arg a[25];
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	register_args(f, ends, a);
	st = sq_query_args(s, err,
	    register_sql[register_drive(f)][f->backward ? 1 : 0], a, 25);
	rc = st == NULL ? -1
	                : collect_rows(s, st, sizeof **out, booking_read, NULL,
	                      (void **)out, n, err);
	ends_free(ends);
	if (rc == 0 && f->backward)
		for (size_t i = 0; i < *n / 2; i++) {
			struct booking t = (*out)[i];

			(*out)[i] = (*out)[*n - 1 - i];
			(*out)[*n - 1 - i] = t;
		}
	return rc;
}

int
store_register_explain(struct store *s, const struct register_filter *f,
    struct buf *plan, struct error *err)
{
	struct buf ends[5] = {BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT};
	struct buf sql = BUF_INIT;
	struct sq_arg a[25];
	sqlite3_stmt *st = NULL;
	int rc = -1, step;

	register_args(f, ends, a);
	buf_printf(&sql, "EXPLAIN QUERY PLAN %s",
	    register_sql[register_drive(f)][f->backward ? 1 : 0]);
	if (sqlite3_prepare_v2(s->db, buf_cstr(&sql), -1, &st, NULL) !=
	    SQLITE_OK) {
		store_fail(s, err, "explain");
		goto out;
	}
	for (int i = 0; i < 25; i++)
		if (a[i].type == 'i')
			sqlite3_bind_int64(st, i + 1, a[i].i);
		else if (a[i].type == 's')
			bind_text(st, i + 1, a[i].s);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		buf_printf(
		    plan, "%s\n", (const char *)sqlite3_column_text(st, 3));
	if (step != SQLITE_DONE) {
		store_fail(s, err, "explain");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	buf_free(&sql);
	ends_free(ends);
	return rc;
}

static const char SQL_BOOKING_KEPT[] =
    "SELECT 1 FROM bookings_kept WHERE booking_id = ? AND start_at = ?";

static void
found_read(sqlite3_stmt *st, void *out)
{
	(void)st;
	*(bool *)out = true;
}

int
store_booking_kept(struct store *s, int64_t booking_id, time_t start,
    bool *kept, struct error *err)
{
	sqlite3_stmt *st = sq_query(
	    s, err, SQL_BOOKING_KEPT, SQ_INT(booking_id), SQ_INT(start));

	*kept = false;
	if (st == NULL)
		return -1;
	if (sq_one(s, st, found_read, kept, err, "kept booking") != 0 &&
	    err->kind != ERROR_NOT_FOUND)
		return -1;
	return 0;
}

/* ---- moves and their answers -------------------------------------------- */

static const char SQL_SET_MOVE[] =
    "UPDATE bookings SET moved_at = CASE WHEN ?1 > 0 THEN ?1 ELSE moved_at"
    " END, move_answer = ?2 WHERE id = ?3";

int
store_booking_set_move(struct store *s, int64_t id, time_t moved_at,
    const char *answer, struct error *err)
{
	return sq_exec(s, err, SQL_SET_MOVE, SQ_INT(moved_at), SQ_TEXT(answer),
	    SQ_INT(id));
}

static const char SQL_OUTBOX_WITHDRAW[] =
    "UPDATE outbox SET status = 'suppressed', last_error = ?"
    " WHERE booking_id = ? AND kind = ? AND status = 'queued'";

int
store_outbox_withdraw(struct store *s, int64_t booking_id, const char *kind,
    const char *why, unsigned *count, struct error *err)
{
	if (sq_exec(s, err, SQL_OUTBOX_WITHDRAW, SQ_TEXT(why),
	        SQ_INT(booking_id), SQ_TEXT(kind)) != 0)
		return -1;
	if (count != NULL)
		*count = (unsigned)sq_changes(s);
	return 0;
}

static const char SQL_OUTBOX_TEXT[] =
    "UPDATE outbox SET text = ?, after_event = (SELECT COALESCE(max(id), 0)"
    " FROM booking_events) WHERE id = ?";

int
store_outbox_set_text(
    struct store *s, int64_t id, const char *text, struct error *err)
{
	return sq_exec(s, err, SQL_OUTBOX_TEXT, SQ_TEXT(text), SQ_INT(id));
}

static const char SQL_OUTBOX_FALLBACK[] =
    "UPDATE outbox SET fallback_of = ?1 WHERE id = (SELECT max(id) FROM"
    " outbox WHERE booking_id = ?2 AND channel = ?3 AND kind = ?4)";

int
store_outbox_mark_fallback(struct store *s, int64_t booking_id,
    const char *channel, const char *kind, int64_t failed_id, struct error *err)
{
	return sq_exec(s, err, SQL_OUTBOX_FALLBACK, SQ_INT(failed_id),
	    SQ_INT(booking_id), SQ_TEXT(channel), SQ_TEXT(kind));
}

static const char SQL_INBOX_WORDS[] = "UPDATE inbox SET words = ? WHERE id = ?";

int
store_inbox_set_words(
    struct store *s, int64_t id, const char *words, struct error *err)
{
	return sq_exec(s, err, SQL_INBOX_WORDS, SQ_TEXT(words), SQ_INT(id));
}

/* ---- the conversation --------------------------------------------------- */

/* owned text of a column, valid UTF-8 */
static char *
col_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *v = sqlite3_column_text(st, col);
	struct buf b = BUF_INIT;

	if (v != NULL)
		utf8_sanitize(
		    &b, (const char *)v, (size_t)sqlite3_column_bytes(st, col));
	return buf_steal(&b);
}

/* an SMS says what its payload says; an older e-mail row, nothing */
static const char SQL_SAID[] =
    "SELECT id, channel, kind, status, recipient, created_at, sent_at,"
    " last_error, fallback_of, after_event,"
    " CASE WHEN text <> '' OR channel <> 'sms' THEN text"
    "  ELSE CAST(payload AS TEXT) END"
    " FROM outbox WHERE booking_id = ? ORDER BY id";

static void
said_read(sqlite3_stmt *st, void *row)
{
	struct said *m = row;

	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(st, 0);
	col_copy(st, 1, m->channel, sizeof m->channel);
	col_copy(st, 2, m->kind, sizeof m->kind);
	col_copy(st, 3, m->status, sizeof m->status);
	col_copy(st, 4, m->recipient, sizeof m->recipient);
	m->created_at = sqlite3_column_int64(st, 5);
	m->sent_at = sqlite3_column_int64(st, 6);
	col_copy(st, 7, m->last_error, sizeof m->last_error);
	m->fallback_of = sqlite3_column_int64(st, 8);
	m->after_event = sqlite3_column_int64(st, 9);
	m->text = col_dup(st, 10);
}

static void
said_release(void *list, size_t n)
{
	said_list_free(list, n);
}

int
store_conversation_said(struct store *s, int64_t booking_id, struct said **out,
    size_t *n, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_SAID, SQ_INT(booking_id));

	if (st == NULL)
		return -1;
	return collect_rows(
	    s, st, sizeof **out, said_read, said_release, (void **)out, n, err);
}

void
said_list_free(struct said *list, size_t n)
{
	for (size_t i = 0; list != NULL && i < n; i++)
		free(list[i].text);
	free(list);
}

/* an SMS reply is its own words; an older e-mail row has none recorded */
static const char SQL_HEARD[] =
    "SELECT id, channel, received_at, status, verdict, note,"
    " CASE WHEN words <> '' OR channel <> 'sms' THEN words"
    "  ELSE CAST(raw AS TEXT) END"
    " FROM inbox WHERE booking_id = ? ORDER BY id";

static void
heard_read(sqlite3_stmt *st, void *row)
{
	struct heard *m = row;

	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(st, 0);
	col_copy(st, 1, m->channel, sizeof m->channel);
	m->received_at = sqlite3_column_int64(st, 2);
	col_copy(st, 3, m->status, sizeof m->status);
	col_copy(st, 4, m->verdict, sizeof m->verdict);
	col_copy(st, 5, m->note, sizeof m->note);
	m->words = col_dup(st, 6);
}

static void
heard_release(void *list, size_t n)
{
	heard_list_free(list, n);
}

int
store_conversation_heard(struct store *s, int64_t booking_id,
    struct heard **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_HEARD, SQ_INT(booking_id));

	if (st == NULL)
		return -1;
	return collect_rows(s, st, sizeof **out, heard_read, heard_release,
	    (void **)out, n, err);
}

void
heard_list_free(struct heard *list, size_t n)
{
	for (size_t i = 0; list != NULL && i < n; i++)
		free(list[i].words);
	free(list);
}
