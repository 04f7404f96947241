/*
 * store_pg_bookings.c: bookings and their history (store.h), the twin of
 * the bookings part of store_sqlite.c.
 *
 * A booking read by id, reference or code inside a write transaction is
 * locked (FOR UPDATE OF b): the domain reads, decides and writes, and under
 * read committed nothing may change the row in between — what SQLite's
 * single writer gave for free. Access codes are unique per day by an index
 * (store_pg_schema.h): a code taken meanwhile is ERROR_CONFLICT "code_taken"
 * from store_booking_set_code, inside a savepoint so that the transaction
 * goes on and the domain draws another.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "store_pg_internal.h"

#define LIVE_STATUSES BOOKING_LIVE_SQL

static const char PG_BOOKING_INSERT[] =
    "INSERT INTO bookings (reference, service_id, desk_id, start_at, end_at,"
    " day, status, first_name, last_name, email, phone, language,"
    " access_code, source, note, created_at, confirm_by, sequence, token,"
    " client_hash, client_net, first_fold, last_fold) VALUES ($1, $2, $3,"
    " $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,"
    " $19, $20, $21, wizyta_fold($8), wizyta_fold($9))"
    " ON CONFLICT (reference) DO NOTHING RETURNING id";

int
pgsql_booking_insert(struct store *s, struct booking *b, struct error *err)
{
	char day[DATE_LEN];
	struct error e;

	date_format(date_of(b->start), day);
	error_clear(&e);
	/* a reference drawn twice (2^-50 a pair) returns no row: a conflict
	 * the domain answers by drawing again, the transaction intact */
	if (pq_one(pq_query(s, &e, PG_BOOKING_INSERT, PQ_TEXT(b->reference),
	               PQ_INT(b->service_id), PQ_INT(b->desk_id),
	               PQ_INT(b->start), PQ_INT(b->end), PQ_TEXT(day),
	               PQ_TEXT(booking_status_name(b->status)),
	               PQ_TEXT(b->first_name), PQ_TEXT(b->last_name),
	               PQ_TEXT(b->email), PQ_TEXT(b->phone),
	               PQ_TEXT(b->language), PQ_TEXT(b->access_code),
	               PQ_TEXT(b->source), PQ_TEXT(b->note),
	               PQ_INT(b->created_at), PQ_INT(b->confirm_by),
	               PQ_INT(b->sequence), PQ_TEXT(b->token),
	               PQ_TEXT(b->client_hash), PQ_TEXT(b->client_net)),
	        pq_read_id, &b->id, &e, "booking") == 0)
		return 0;
	if (e.kind == ERROR_NOT_FOUND)
		return error_set(err, ERROR_CONFLICT,
		    "database: booking insert: the reference is taken");
	if (err != NULL)
		*err = e;
	return -1;
}

void
pq_read_booking(const PGresult *res, int row, void *out)
{
	struct booking *b = out;
	char status[16];

	memset(b, 0, sizeof *b);
	b->id = pq_int(res, row, 0);
	pq_text(res, row, 1, b->reference, sizeof b->reference);
	b->service_id = pq_int(res, row, 2);
	b->desk_id = pq_int(res, row, 3);
	b->start = pq_int(res, row, 4);
	b->end = pq_int(res, row, 5);
	pq_text(res, row, 6, status, sizeof status);
	if (booking_status_parse(status, &b->status) != 0)
		b->status = BOOKING_CANCELLED; /* unreachable: CHECKed */
	pq_text(res, row, 7, b->first_name, sizeof b->first_name);
	pq_text(res, row, 8, b->last_name, sizeof b->last_name);
	pq_text(res, row, 9, b->email, sizeof b->email);
	pq_text(res, row, 10, b->phone, sizeof b->phone);
	pq_text(res, row, 11, b->language, sizeof b->language);
	pq_text(res, row, 12, b->access_code, sizeof b->access_code);
	pq_text(res, row, 13, b->source, sizeof b->source);
	pq_text(res, row, 14, b->note, sizeof b->note);
	b->created_at = pq_int(res, row, 15);
	b->confirm_by = pq_int(res, row, 16);
	b->reminded_at = pq_int(res, row, 17);
	b->sequence = (unsigned)pq_int(res, row, 18);
	pq_text(res, row, 19, b->service_name, sizeof b->service_name);
	pq_text(res, row, 20, b->service_name_en, sizeof b->service_name_en);
	pq_text(res, row, 21, b->desk_name, sizeof b->desk_name);
	pq_text(res, row, 22, b->room, sizeof b->room);
	pq_text(res, row, 23, b->token, sizeof b->token);
	b->checked_in_at = pq_int(res, row, 24);
	b->called_at = pq_int(res, row, 25);
	b->started_at = pq_int(res, row, 26);
	b->ended_at = pq_int(res, row, 27);
	b->delay_step = (unsigned)pq_int(res, row, 28);
	b->delay_notified = pq_int(res, row, 29);
	b->moved_at = pq_int(res, row, 30);
	pq_text(res, row, 31, b->move_answer, sizeof b->move_answer);
}

/* each read of one booking twice: plain, and locking the row for a write
 * transaction (see top) */
#define ONE_BOOKING(where)                                                     \
	"SELECT " PG_BOOKING_COLUMNS PG_BOOKING_FROM " WHERE " where
#define LOCKED " FOR UPDATE OF b"

static const char PG_BOOKING_GET[] = ONE_BOOKING("b.id = $1");
static const char PG_BOOKING_GET_LOCKED[] = ONE_BOOKING("b.id = $1") LOCKED;
static const char PG_BOOKING_BY_REF[] = ONE_BOOKING("b.reference = $1");
static const char PG_BOOKING_BY_REF_LOCKED[] =
    ONE_BOOKING("b.reference = $1") LOCKED;
#define BY_CODE                                                                \
	"b.day = $1 AND b.access_code = $2 AND b.status IN " LIVE_STATUSES
static const char PG_BOOKING_BY_CODE[] = ONE_BOOKING(BY_CODE);
static const char PG_BOOKING_BY_CODE_LOCKED[] = ONE_BOOKING(BY_CODE) LOCKED;

static bool
writing(struct store *s)
{
	return pgsql_of(s)->depth > 0;
}

int
pgsql_booking_get(
    struct store *s, int64_t id, struct booking *b, struct error *err)
{
	return pq_one(pq_query(s, err,
	                  writing(s) ? PG_BOOKING_GET_LOCKED : PG_BOOKING_GET,
	                  PQ_INT(id)),
	    pq_read_booking, b, err, "booking");
}

int
pgsql_booking_by_reference(struct store *s, const char *reference,
    struct booking *b, struct error *err)
{
	return pq_one(
	    pq_query(s, err,
	        writing(s) ? PG_BOOKING_BY_REF_LOCKED : PG_BOOKING_BY_REF,
	        PQ_TEXT(reference)),
	    pq_read_booking, b, err, "booking");
}

int
pgsql_booking_by_code(struct store *s, const char *code, struct date day,
    struct booking *b, struct error *err)
{
	char text[DATE_LEN];

	date_format(day, text);
	return pq_one(
	    pq_query(s, err,
	        writing(s) ? PG_BOOKING_BY_CODE_LOCKED : PG_BOOKING_BY_CODE,
	        PQ_TEXT(text), PQ_TEXT(code)),
	    pq_read_booking, b, err, "booking");
}

/* the client hashes serve the limits on pending bookings only: they go as
 * soon as a booking is no longer pending */
static const char PG_BOOKING_SET_STATUS[] =
    "UPDATE bookings SET status = $1, client_hash = CASE WHEN $1 = 'pending'"
    " THEN client_hash ELSE '' END, client_net = CASE WHEN $1 = 'pending'"
    " THEN client_net ELSE '' END WHERE id = $2";

int
pgsql_booking_set_status(
    struct store *s, int64_t id, enum booking_status status, struct error *err)
{
	return pq_exec(s, err, PG_BOOKING_SET_STATUS,
	    PQ_TEXT(booking_status_name(status)), PQ_INT(id));
}

static const char PG_CODE_SAVEPOINT[] = "SAVEPOINT code";
static const char PG_CODE_RELEASE[] = "RELEASE SAVEPOINT code";
static const char PG_CODE_UNDO[] = "ROLLBACK TO SAVEPOINT code";
static const char PG_BOOKING_SET_CODE[] =
    "UPDATE bookings SET access_code = $1 WHERE id = $2";

int
pgsql_booking_set_code(
    struct store *s, int64_t id, const char *code, struct error *err)
{
	struct error e;

	if (!writing(s))
		return pq_exec(
		    s, err, PG_BOOKING_SET_CODE, PQ_TEXT(code), PQ_INT(id));
	if (pq_exec0(s, err, PG_CODE_SAVEPOINT) != 0)
		return -1;
	error_clear(&e);
	if (pq_exec(s, &e, PG_BOOKING_SET_CODE, PQ_TEXT(code), PQ_INT(id)) == 0)
		return pq_exec0(s, err, PG_CODE_RELEASE);
	if (pq_exec0(s, err, PG_CODE_UNDO) != 0 ||
	    pq_exec0(s, err, PG_CODE_RELEASE) != 0)
		return -1;
	if (e.kind == ERROR_CONFLICT)
		return error_set_code(err, ERROR_CONFLICT, "code_taken", NULL,
		    "database: this access code was taken meanwhile");
	if (err != NULL)
		*err = e;
	return -1;
}

static const char PG_BOOKING_SET_REMINDED[] =
    "UPDATE bookings SET reminded_at = $1 WHERE id = $2";
static const char PG_BOOKING_SET_NOTE[] =
    "UPDATE bookings SET note = $1 WHERE id = $2";
static const char PG_BOOKING_MOVE[] =
    "UPDATE bookings SET desk_id = $1, start_at = $2, end_at = $3, day = $4,"
    " sequence = sequence + 1, reminded_at = 0, delay_step = 0,"
    " delay_notified = 0 WHERE id = $5";

int
pgsql_booking_set_reminded(
    struct store *s, int64_t id, time_t at, struct error *err)
{
	return pq_exec(s, err, PG_BOOKING_SET_REMINDED, PQ_INT(at), PQ_INT(id));
}

int
pgsql_booking_set_note(
    struct store *s, int64_t id, const char *note, struct error *err)
{
	return pq_exec(s, err, PG_BOOKING_SET_NOTE, PQ_TEXT(note), PQ_INT(id));
}

int
pgsql_booking_move(struct store *s, int64_t id, int64_t desk_id, time_t start,
    time_t end, struct error *err)
{
	char day[DATE_LEN];

	date_format(date_of(start), day);
	return pq_exec(s, err, PG_BOOKING_MOVE, PQ_INT(desk_id), PQ_INT(start),
	    PQ_INT(end), PQ_TEXT(day), PQ_INT(id));
}

static const char PG_CODE_HOLDERS[] =
    "SELECT count(*) FROM bookings WHERE day = $1 AND access_code = $2"
    " AND status IN " LIVE_STATUSES;

int
pgsql_code_holders(struct store *s, const char *code, struct date day,
    unsigned *count, struct error *err)
{
	char text[DATE_LEN];

	date_format(day, text);
	return pq_one(
	    pq_query(s, err, PG_CODE_HOLDERS, PQ_TEXT(text), PQ_TEXT(code)),
	    pq_read_count, count, err, "count");
}

int
pgsql_code_in_use(struct store *s, const char *code, struct date day,
    bool *used, struct error *err)
{
	unsigned count;

	if (pgsql_code_holders(s, code, day, &count, err) != 0)
		return -1;
	*used = count > 0;
	return 0;
}

/* The register's search: a fixed statement where each filter is either
 * sent or neutralised by its NULL, so the SQL never varies with input.
 * ILIKE: SQLite's LIKE ignores ASCII case. */
static const char PG_BOOKINGS_SEARCH[] =
    "SELECT " PG_BOOKING_COLUMNS PG_BOOKING_FROM
    " WHERE ($1::date IS NULL OR b.day >= $1::date)"
    " AND ($2::date IS NULL OR b.day <= $2::date)"
    " AND ($3::bigint IS NULL OR b.desk_id = $3::bigint)"
    " AND ($4::bigint IS NULL OR b.service_id = $4::bigint)"
    " AND ($5::text IS NULL OR b.status = $5::text)"
    " AND (NOT $6::boolean OR b.status IN " LIVE_STATUSES ")"
    " AND ($7::text IS NULL OR b.first_name ILIKE $7 OR b.last_name ILIKE $7"
    "      OR (b.first_name || ' ' || b.last_name) ILIKE $7"
    "      OR b.email ILIKE $7 OR b.phone ILIKE $7 OR b.access_code = $8"
    "      OR b.reference = $8)"
    " ORDER BY b.start_at, d.name LIMIT $9";

int
pgsql_bookings_search(struct store *s, const struct booking_filter *f,
    struct booking **out, size_t *n, struct error *err)
{
	char from[DATE_LEN], to[DATE_LEN];
	struct buf like = BUF_INIT;
	bool text = f->text != NULL && f->text[0] != '\0';
	int rc;

	pq_date_text(f->from, from);
	pq_date_text(f->to, to);
	if (text)
		buf_printf(&like, "%%%s%%", f->text);
	rc = pq_rows(pq_query(s, err, PG_BOOKINGS_SEARCH,
	                 f->from.year != 0 ? PQ_TEXT(from) : PQ_NULL,
	                 f->to.year != 0 ? PQ_TEXT(to) : PQ_NULL,
	                 PQ_ID(f->desk_id), PQ_ID(f->service_id),
	                 f->status >= 0 ? PQ_TEXT(booking_status_name(
	                                      (enum booking_status)f->status))
	                                : PQ_NULL,
	                 PQ_BOOL(f->live_only),
	                 text ? PQ_TEXT(buf_cstr(&like)) : PQ_NULL,
	                 text ? PQ_TEXT(f->text) : PQ_NULL,
	                 PQ_INT(f->limit ? f->limit : 500)),
	    sizeof **out, pq_read_booking, (void **)out, n, err);
	buf_free(&like);
	return rc;
}

static const char PG_BOOKINGS_EXPIRED[] =
    "SELECT id FROM bookings WHERE status = 'pending' AND confirm_by <= $1"
    " ORDER BY confirm_by LIMIT 200";
/* $2: the reminders' offsets as an array ("{86400,7200}"); owed as in
 * store_sqlite.c: the reminder's moment came, and came after the last
 * reminder (or after the booking was made) */
static const char PG_BOOKINGS_TO_REMIND[] =
    "SELECT b.id FROM bookings b WHERE b.status = 'booked'"
    " AND b.start_at > $1 AND EXISTS (SELECT 1 FROM unnest($2::bigint[]) j"
    "  WHERE b.start_at - j <= $1"
    "  AND b.start_at - j > greatest(b.reminded_at, b.created_at))"
    " ORDER BY b.start_at LIMIT 200";

int
pgsql_bookings_expired(
    struct store *s, time_t now, int64_t **ids, size_t *n, struct error *err)
{
	return pq_rows(pq_query(s, err, PG_BOOKINGS_EXPIRED, PQ_INT(now)),
	    sizeof **ids, pq_read_id, (void **)ids, n, err);
}

int
pgsql_bookings_to_remind(struct store *s, time_t now, const int64_t *before,
    size_t nbefore, int64_t **ids, size_t *n, struct error *err)
{
	struct buf list = BUF_INIT;
	int rc;

	store_offsets_text(&list, before, nbefore, '{', '}');
	rc = pq_rows(pq_query(s, err, PG_BOOKINGS_TO_REMIND, PQ_INT(now),
	                 PQ_TEXT(buf_cstr(&list))),
	    sizeof **ids, pq_read_id, (void **)ids, n, err);
	buf_free(&list);
	return rc;
}

/* lower(): SQLite's COLLATE NOCASE (an index on lower(email) serves it) */
static const char PG_BOOKINGS_OPEN_CONTACT[] =
    "SELECT count(*) FROM bookings WHERE (($1 <> '' AND lower(email) ="
    " lower($1)) OR ($2 <> '' AND phone = $2)) AND status IN " BOOKING_OPEN_SQL
    " AND end_at > $3";
static const char PG_BOOKINGS_OPEN_PHONE[] =
    "SELECT " PG_BOOKING_COLUMNS PG_BOOKING_FROM
    " WHERE b.phone = $1 AND b.status IN " BOOKING_OPEN_SQL
    " ORDER BY b.start_at";

int
pgsql_bookings_open_by_contact(struct store *s, const char *email,
    const char *phone, time_t now, unsigned *count, struct error *err)
{
	return pq_one(pq_query(s, err, PG_BOOKINGS_OPEN_CONTACT, PQ_TEXT(email),
	                  PQ_TEXT(phone), PQ_INT(now)),
	    pq_read_count, count, err, "count");
}

int
pgsql_bookings_open_by_phone(struct store *s, const char *phone,
    struct booking **out, size_t *n, struct error *err)
{
	return pq_rows(pq_query(s, err, PG_BOOKINGS_OPEN_PHONE, PQ_TEXT(phone)),
	    sizeof **out, pq_read_booking, (void **)out, n, err);
}

static const char PG_PENDING_BY_CLIENT[] =
    "SELECT count(*) FILTER (WHERE client_hash = $1),"
    " count(*) FILTER (WHERE client_net = $2)"
    " FROM bookings WHERE status = 'pending' AND confirm_by > $3"
    " AND (client_hash = $1 OR client_net = $2)";

struct two_counts {
	unsigned *a, *b;
};

static void
two_counts_read(const PGresult *res, int row, void *out)
{
	struct two_counts *c = out;

	*c->a = (unsigned)pq_int(res, row, 0);
	*c->b = (unsigned)pq_int(res, row, 1);
}

int
pgsql_bookings_pending_by_client(struct store *s, const char *client_hash,
    const char *client_net, time_t now, unsigned *by_host, unsigned *by_net,
    struct error *err)
{
	struct two_counts c = {by_host, by_net};

	return pq_one(
	    pq_query(s, err, PG_PENDING_BY_CLIENT, PQ_TEXT(client_hash),
	        PQ_TEXT(client_net), PQ_INT(now)),
	    two_counts_read, &c, err, "count");
}

static const char PG_PENDING_FOR_DAY[] =
    "SELECT count(*) FROM bookings WHERE service_id = $1 AND day = $2"
    " AND status = 'pending' AND confirm_by > $3";

int
pgsql_bookings_pending_for_day(struct store *s, int64_t service_id,
    struct date day, time_t now, unsigned *count, struct error *err)
{
	char text[DATE_LEN];

	date_format(day, text);
	return pq_one(pq_query(s, err, PG_PENDING_FOR_DAY, PQ_INT(service_id),
	                  PQ_TEXT(text), PQ_INT(now)),
	    pq_read_count, count, err, "count");
}

/* ---- history ------------------------------------------------------------ */

static const char PG_EVENT_ADD[] =
    "INSERT INTO booking_events (booking_id, at, actor, action, detail)"
    " VALUES ($1, $2, $3, $4, $5)";
static const char PG_EVENTS_FOR_BOOKING[] =
    "SELECT id, booking_id, at, actor, action, detail FROM booking_events"
    " WHERE booking_id = $1 ORDER BY id";

int
pgsql_event_add(struct store *s, int64_t booking_id, time_t at,
    const char *actor, const char *action, const char *detail,
    struct error *err)
{
	return pq_exec(s, err, PG_EVENT_ADD, PQ_INT(booking_id), PQ_INT(at),
	    PQ_TEXT(actor), PQ_TEXT(action), PQ_TEXT(detail));
}

static void
event_read(const PGresult *res, int row, void *out)
{
	struct booking_event *e = out;

	memset(e, 0, sizeof *e);
	e->id = pq_int(res, row, 0);
	e->booking_id = pq_int(res, row, 1);
	e->at = pq_int(res, row, 2);
	pq_text(res, row, 3, e->actor, sizeof e->actor);
	pq_text(res, row, 4, e->action, sizeof e->action);
	pq_text(res, row, 5, e->detail, sizeof e->detail);
}

int
pgsql_events_for_booking(struct store *s, int64_t booking_id,
    struct booking_event **out, size_t *n, struct error *err)
{
	return pq_rows(
	    pq_query(s, err, PG_EVENTS_FOR_BOOKING, PQ_INT(booking_id)),
	    sizeof **out, event_read, (void **)out, n, err);
}
