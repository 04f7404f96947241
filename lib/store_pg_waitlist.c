/*
 * store_pg_waitlist.c: the waitlist's rows (store.h; the rules are
 * lib/waitlist.h's), the twin of store_sqlite_waitlist.c, which says how
 * a position is counted. The database decides what must never happen
 * twice, here with several writers at once: the unique indexes of
 * migration 8 (one e-mail or phone once in a line; one open offer per
 * person; lower(): SQLite's COLLATE NOCASE) and the status guards of the
 * transitions (`AND status = $n`: under read committed the second writer
 * waits for the first, then finds the status changed).
 */
#include <stdlib.h>
#include <string.h>

#include "store_pg_internal.h"
#include "waitlist.h"

#define ENTRY_COLUMNS                                                          \
	"w.id, w.reference, w.token, w.service_id, w.day, w.window_from,"      \
	" w.window_to, w.status, w.first_name, w.last_name, w.email, w.phone," \
	" w.language, w.source, w.client_hash, COALESCE(w.booking_id, 0),"     \
	" w.offers, w.created_at, w.ended_at, s.name, s.name_en,"              \
	" COALESCE(b.reference, ''),"                                          \
	" CASE WHEN b.status = 'pending' THEN b.confirm_by ELSE 0 END,"        \
	" CASE WHEN w.status IN " WAITLIST_ACTIVE_SQL " THEN (SELECT count(*)" \
	"   FROM waitlist x WHERE x.service_id = w.service_id AND"             \
	"   x.day = w.day AND x.status IN " WAITLIST_ACTIVE_SQL                \
	"   AND x.id <= w.id) ELSE 0 END"
#define ENTRY_FROM                                                             \
	" FROM waitlist w JOIN services s ON s.id = w.service_id"              \
	" LEFT JOIN bookings b ON b.id = w.booking_id"
/* an e-mail ($a) or phone ($b) that is not "" matches */
#define CONTACT_MATCH(a, b)                                                    \
	" ((" a " <> '' AND lower(email) = lower(" a "))"                      \
	"   OR (" b " <> '' AND phone = " b "))"

static void
entry_read(const PGresult *res, int row, void *out)
{
	struct waitlist_entry *e = out;
	char text[16];

	memset(e, 0, sizeof *e);
	e->id = pq_int(res, row, 0);
	pq_text(res, row, 1, e->reference, sizeof e->reference);
	pq_text(res, row, 2, e->token, sizeof e->token);
	e->service_id = pq_int(res, row, 3);
	e->day = pq_date(res, row, 4);
	e->window_from = (int)pq_int(res, row, 5);
	e->window_to = (int)pq_int(res, row, 6);
	pq_text(res, row, 7, text, sizeof text);
	if (waitlist_status_parse(text, &e->status) != 0)
		e->status = WAITLIST_ENDED; /* unreachable: CHECKed */
	pq_text(res, row, 8, e->first_name, sizeof e->first_name);
	pq_text(res, row, 9, e->last_name, sizeof e->last_name);
	pq_text(res, row, 10, e->email, sizeof e->email);
	pq_text(res, row, 11, e->phone, sizeof e->phone);
	pq_text(res, row, 12, e->language, sizeof e->language);
	pq_text(res, row, 13, e->source, sizeof e->source);
	pq_text(res, row, 14, e->client_hash, sizeof e->client_hash);
	e->booking_id = pq_int(res, row, 15);
	e->offers = (unsigned)pq_int(res, row, 16);
	e->created_at = (time_t)pq_int(res, row, 17);
	e->ended_at = (time_t)pq_int(res, row, 18);
	pq_text(res, row, 19, e->service_name, sizeof e->service_name);
	pq_text(res, row, 20, e->service_name_en, sizeof e->service_name_en);
	pq_text(res, row, 21, e->offer_reference, sizeof e->offer_reference);
	e->offer_until = (time_t)pq_int(res, row, 22);
	e->position = (unsigned)pq_int(res, row, 23);
}

static const char PG_INSERT[] =
    "INSERT INTO waitlist (reference, token, service_id, day, window_from,"
    " window_to, status, first_name, last_name, email, phone, language,"
    " source, client_hash, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, 'waiting', $7, $8, $9, $10, $11, $12,"
    " $13, $14) RETURNING id";
static const char PG_ONCE[] =
    "SELECT count(*) FROM waitlist WHERE service_id = $1 AND day = $2"
    " AND status IN " WAITLIST_ACTIVE_SQL " AND" CONTACT_MATCH("$3", "$4");

static int
already_waiting(struct error *err)
{
	return error_set_code(err, ERROR_CONFLICT, "already_waiting", NULL,
	    "This e-mail address or phone number is already on this"
	    " waitlist.");
}

int
pgsql_waitlist_insert(
    struct store *s, struct waitlist_entry *e, struct error *err)
{
	char day[DATE_LEN];
	unsigned n = 0;

	date_format(e->day, day);
	/* the unique indexes decide; asking first names the conflict */
	if (pq_one(pq_query(s, err, PG_ONCE, PQ_INT(e->service_id),
	               PQ_TEXT(day), PQ_TEXT(e->email), PQ_TEXT(e->phone)),
	        pq_read_count, &n, err, "count") != 0)
		return -1;
	if (n > 0)
		return already_waiting(err);
	if (pq_one(pq_query(s, err, PG_INSERT, PQ_TEXT(e->reference),
	               PQ_TEXT(e->token), PQ_INT(e->service_id), PQ_TEXT(day),
	               PQ_INT(e->window_from), PQ_INT(e->window_to),
	               PQ_TEXT(e->first_name), PQ_TEXT(e->last_name),
	               PQ_TEXT(e->email), PQ_TEXT(e->phone),
	               PQ_TEXT(e->language), PQ_TEXT(e->source),
	               PQ_TEXT(e->client_hash), PQ_INT(e->created_at)),
	        pq_read_id, &e->id, err, "waitlist") == 0)
		return 0;
	/* another process put the same person in line meanwhile */
	if (err != NULL && err->kind == ERROR_CONFLICT &&
	    strstr(err->msg, "waitlist_once") != NULL)
		return already_waiting(err);
	return -1;
}

static const char PG_GET[] =
    "SELECT " ENTRY_COLUMNS ENTRY_FROM " WHERE w.id = $1";
static const char PG_BY_REF[] =
    "SELECT " ENTRY_COLUMNS ENTRY_FROM " WHERE w.reference = $1";
/* the newest entry an offer belongs to (an offer has one) */
static const char PG_BY_OFFER[] =
    "SELECT " ENTRY_COLUMNS ENTRY_FROM
    " WHERE w.booking_id = $1 ORDER BY w.id DESC LIMIT 1";

int
pgsql_waitlist_get(
    struct store *s, int64_t id, struct waitlist_entry *e, struct error *err)
{
	return pq_one(pq_query(s, err, PG_GET, PQ_INT(id)), entry_read, e, err,
	    "waitlist");
}

int
pgsql_waitlist_by_reference(struct store *s, const char *reference,
    struct waitlist_entry *e, struct error *err)
{
	return pq_one(pq_query(s, err, PG_BY_REF, PQ_TEXT(reference)),
	    entry_read, e, err, "waitlist");
}

int
pgsql_waitlist_by_offer(struct store *s, int64_t booking_id,
    struct waitlist_entry *e, struct error *err)
{
	return pq_one(pq_query(s, err, PG_BY_OFFER, PQ_INT(booking_id)),
	    entry_read, e, err, "waitlist");
}

static const char PG_LINE[] =
    "SELECT " ENTRY_COLUMNS ENTRY_FROM " WHERE w.service_id = $1 AND w.day = "
    "$2 AND w.status IN " WAITLIST_ACTIVE_SQL " ORDER BY w.id";
static const char PG_OF_DAY[] =
    "SELECT " ENTRY_COLUMNS ENTRY_FROM
    " WHERE w.day = $2 AND ($1::bigint = 0 OR w.service_id = $1::bigint)"
    " ORDER BY s.name, w.service_id, w.id";

static int
entries(
    PGresult *res, struct waitlist_entry **out, size_t *n, struct error *err)
{
	return pq_rows(res, sizeof **out, entry_read, (void **)out, n, err);
}

int
pgsql_waitlist_line(struct store *s, int64_t service_id, struct date day,
    struct waitlist_entry **out, size_t *n, struct error *err)
{
	char text[DATE_LEN];

	date_format(day, text);
	return entries(
	    pq_query(s, err, PG_LINE, PQ_INT(service_id), PQ_TEXT(text)), out,
	    n, err);
}

int
pgsql_waitlist_of_day(struct store *s, int64_t service_id, struct date day,
    struct waitlist_entry **out, size_t *n, struct error *err)
{
	char text[DATE_LEN];

	date_format(day, text);
	return entries(
	    pq_query(s, err, PG_OF_DAY, PQ_INT(service_id), PQ_TEXT(text)), out,
	    n, err);
}

static const char PG_WAITING_DAYS[] =
    "SELECT DISTINCT service_id, day FROM waitlist WHERE day >= $1"
    " AND status = 'waiting' ORDER BY day, service_id";

static void
day_read(const PGresult *res, int row, void *out)
{
	struct waitlist_day *d = out;

	d->service_id = pq_int(res, row, 0);
	d->day = pq_date(res, row, 1);
}

int
pgsql_waitlist_waiting(struct store *s, struct date from,
    struct waitlist_day **out, size_t *n, struct error *err)
{
	char text[DATE_LEN];

	date_format(from, text);
	return pq_rows(pq_query(s, err, PG_WAITING_DAYS, PQ_TEXT(text)),
	    sizeof **out, day_read, (void **)out, n, err);
}

static const char PG_ACTIVE_BY_PHONE[] =
    "SELECT " ENTRY_COLUMNS ENTRY_FROM
    " WHERE w.phone = $1 AND w.phone <> '' AND w.status IN " WAITLIST_ACTIVE_SQL
    " ORDER BY w.id DESC";

int
pgsql_waitlist_active_by_phone(struct store *s, const char *phone,
    struct waitlist_entry **out, size_t *n, struct error *err)
{
	return entries(
	    pq_query(s, err, PG_ACTIVE_BY_PHONE, PQ_TEXT(phone)), out, n, err);
}

static const char PG_COUNT_CONTACT[] =
    "SELECT count(*) FROM waitlist WHERE status IN " WAITLIST_ACTIVE_SQL
    " AND" CONTACT_MATCH("$1", "$2");
static const char PG_COUNT_CLIENT[] =
    "SELECT count(*) FROM waitlist WHERE client_hash = $1 AND status"
    " IN " WAITLIST_ACTIVE_SQL;

int
pgsql_waitlist_count_contact(struct store *s, const char *email,
    const char *phone, unsigned *count, struct error *err)
{
	return pq_one(
	    pq_query(s, err, PG_COUNT_CONTACT, PQ_TEXT(email), PQ_TEXT(phone)),
	    pq_read_count, count, err, "count");
}

int
pgsql_waitlist_count_client(struct store *s, const char *client_hash,
    unsigned *count, struct error *err)
{
	return pq_one(pq_query(s, err, PG_COUNT_CLIENT, PQ_TEXT(client_hash)),
	    pq_read_count, count, err, "count");
}

/* out of line: the client's hash is no longer needed (client_addr.h) */
static const char PG_TRANSITION[] =
    "UPDATE waitlist SET status = $1::text,"
    " ended_at = CASE WHEN $1::text IN " WAITLIST_ACTIVE_SQL
    "   THEN 0 ELSE $2::bigint END,"
    " client_hash = CASE WHEN $1::text IN " WAITLIST_ACTIVE_SQL
    "   THEN client_hash ELSE '' END"
    " WHERE id = $3 AND status = $4";

static int
changed(struct store *s, struct error *err)
{
	if (pq_changes(s) == 0)
		return error_set_code(err, ERROR_CONFLICT, "changed", NULL,
		    "The waitlist entry changed meanwhile.");
	return 0;
}

int
pgsql_waitlist_transition(struct store *s, int64_t id,
    enum waitlist_status from, enum waitlist_status to, time_t now,
    struct error *err)
{
	if (pq_exec(s, err, PG_TRANSITION, PQ_TEXT(waitlist_status_name(to)),
	        PQ_INT(now), PQ_INT(id),
	        PQ_TEXT(waitlist_status_name(from))) != 0)
		return -1;
	return changed(s, err);
}

static const char PG_SET_OFFER[] =
    "UPDATE waitlist SET status = 'offered', booking_id = $1,"
    " offers = offers + 1 WHERE id = $2 AND status = 'waiting'";

int
pgsql_waitlist_set_offer(
    struct store *s, int64_t id, int64_t booking_id, struct error *err)
{
	if (pq_exec(s, err, PG_SET_OFFER, PQ_INT(booking_id), PQ_INT(id)) != 0)
		return -1;
	return changed(s, err);
}

/* one statement: the rows it changes are the ones it returns */
static const char PG_SUPERSEDE[] =
    "UPDATE waitlist SET status = 'superseded', ended_at = $6,"
    " client_hash = '' WHERE status = 'waiting' AND service_id = $3"
    " AND ($4::text = '' OR day = NULLIF($4::text, '')::date) AND id <> $5"
    " AND" CONTACT_MATCH("$1", "$2") " RETURNING id";

static int
by_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int
pgsql_waitlist_supersede(struct store *s, const char *email, const char *phone,
    int64_t service_id, struct date day, int64_t except, time_t now,
    int64_t **ids, size_t *n, struct error *err)
{
	char text[DATE_LEN] = "";

	*ids = NULL;
	*n = 0;
	if ((email == NULL || email[0] == '\0') &&
	    (phone == NULL || phone[0] == '\0'))
		return 0;
	if (day.year != 0)
		date_format(day, text);
	if (pq_rows(pq_query(s, err, PG_SUPERSEDE, PQ_TEXT(email),
	                PQ_TEXT(phone), PQ_INT(service_id), PQ_TEXT(text),
	                PQ_INT(except), PQ_INT(now)),
	        sizeof **ids, pq_read_id, (void **)ids, n, err) != 0)
		return -1;
	/* RETURNING has no order: by id, as SQLite's */
	if (*n > 1)
		qsort(*ids, *n, sizeof **ids, by_id);
	return 0;
}

static const char PG_END_BEFORE[] =
    "UPDATE waitlist SET status = 'ended', ended_at = $2, client_hash = ''"
    " WHERE day < $1 AND status = 'waiting'";

int
pgsql_waitlist_end_before(struct store *s, struct date day, time_t now,
    unsigned *count, struct error *err)
{
	char text[DATE_LEN];

	date_format(day, text);
	if (pq_exec(s, err, PG_END_BEFORE, PQ_TEXT(text), PQ_INT(now)) != 0)
		return -1;
	*count = (unsigned)pq_changes(s);
	return 0;
}

static const char PG_OFFER_TAKEN[] =
    "UPDATE bookings SET offer_taken = true WHERE id = $1"
    " AND source = 'waitlist'";

int
pgsql_waitlist_offer_taken(
    struct store *s, int64_t booking_id, struct error *err)
{
	return pq_exec(s, err, PG_OFFER_TAKEN, PQ_INT(booking_id));
}

static const char PG_OPEN_OFFER[] =
    "SELECT id FROM bookings WHERE source = 'waitlist' AND status = 'pending'"
    " AND" CONTACT_MATCH("$1", "$2") " LIMIT 1";

int
pgsql_waitlist_open_offer(struct store *s, const char *email, const char *phone,
    int64_t *booking_id, struct error *err)
{
	*booking_id = 0;
	if (pq_one(
	        pq_query(s, err, PG_OPEN_OFFER, PQ_TEXT(email), PQ_TEXT(phone)),
	        pq_read_id, booking_id, err, "offer") == 0)
		return 0;
	if (err != NULL && err->kind == ERROR_NOT_FOUND) {
		error_clear(err);
		return 0;
	}
	return -1;
}

static const char PG_LATEST_OFFER[] =
    "SELECT id FROM bookings WHERE source = 'waitlist' AND phone = $1"
    " AND phone <> '' AND created_at >= $2 ORDER BY created_at DESC, id DESC"
    " LIMIT 1";

int
pgsql_waitlist_latest_offer(struct store *s, const char *phone, time_t since,
    struct booking *b, struct error *err)
{
	int64_t id;

	if (pq_one(pq_query(
	               s, err, PG_LATEST_OFFER, PQ_TEXT(phone), PQ_INT(since)),
	        pq_read_id, &id, err, "offer") != 0)
		return -1;
	return pgsql_booking_get(s, id, b, err);
}

/* store_sqlite_waitlist.c says what is counted */
static const char PG_FIGURES[] =
    "SELECT w.day, w.service_id, s.name, count(*), sum(w.offers),"
    " count(*) FILTER (WHERE w.status = 'booked'),"
    " count(*) FILTER (WHERE w.status = 'declined'),"
    " count(*) FILTER (WHERE w.status = 'lapsed'),"
    " count(*) FILTER (WHERE w.status = 'left')"
    " FROM waitlist w JOIN services s ON s.id = w.service_id"
    " WHERE w.day BETWEEN $1 AND $2 GROUP BY w.day, w.service_id, s.name"
    " ORDER BY w.day, s.name";

static void
figures_read(const PGresult *res, int row, void *out)
{
	struct waitlist_figures *f = out;

	memset(f, 0, sizeof *f);
	f->day = pq_date(res, row, 0);
	f->service_id = pq_int(res, row, 1);
	pq_text(res, row, 2, f->service, sizeof f->service);
	f->joined = (unsigned)pq_int(res, row, 3);
	f->offered = (unsigned)pq_int(res, row, 4);
	f->refilled = (unsigned)pq_int(res, row, 5);
	f->declined = (unsigned)pq_int(res, row, 6);
	f->lapsed = (unsigned)pq_int(res, row, 7);
	f->left = (unsigned)pq_int(res, row, 8);
}

int
pgsql_waitlist_figures(struct store *s, struct date from, struct date to,
    struct waitlist_figures **out, size_t *n, struct error *err)
{
	char a[DATE_LEN], b[DATE_LEN];

	date_format(from, a);
	date_format(to, b);
	return pq_rows(pq_query(s, err, PG_FIGURES, PQ_TEXT(a), PQ_TEXT(b)),
	    sizeof **out, figures_read, (void **)out, n, err);
}

static const char PG_MESSAGES[] =
    "SELECT id, channel, kind, recipient, status, attempts, created_at,"
    " sent_at, last_error FROM outbox WHERE waitlist_id = $1 ORDER BY id";

static void
message_read(const PGresult *res, int row, void *out)
{
	struct outbox_message *m = out;
	char status[16];

	memset(m, 0, sizeof *m);
	m->id = pq_int(res, row, 0);
	pq_text(res, row, 1, m->channel, sizeof m->channel);
	pq_text(res, row, 2, m->kind, sizeof m->kind);
	pq_text(res, row, 3, m->recipient, sizeof m->recipient);
	pq_text(res, row, 4, status, sizeof status);
	m->status = outbox_status_parse(status);
	m->attempts = (unsigned)pq_int(res, row, 5);
	m->created_at = (time_t)pq_int(res, row, 6);
	m->sent_at = (time_t)pq_int(res, row, 7);
	pq_text(res, row, 8, m->last_error, sizeof m->last_error);
}

int
pgsql_waitlist_messages(struct store *s, int64_t waitlist_id,
    struct outbox_message **out, size_t *n, struct error *err)
{
	return pq_rows(pq_query(s, err, PG_MESSAGES, PQ_INT(waitlist_id)),
	    sizeof **out, message_read, (void **)out, n, err);
}

/* the line is over: names and contacts go, the figures stay; the messages
 * about the entries lose their recipients and texts (one still queued is
 * never sent: suppressed, as lib/store_pg_privacy.c does) */
#define PURGE_OUTBOX                                                           \
	"UPDATE outbox SET recipient = '', payload = ''::bytea,"               \
	" last_error = '', text = '', status = CASE WHEN status = 'queued'"    \
	" THEN 'suppressed' ELSE status END"
static const char PG_PURGE_OUTBOX[] = PURGE_OUTBOX
    " WHERE waitlist_id IN (SELECT id FROM waitlist WHERE day < $1"
    "   AND erased_at = 0 AND status NOT IN " WAITLIST_ACTIVE_SQL ")";
static const char PG_PURGE[] =
    "UPDATE waitlist SET first_name = '', last_name = '', email = '',"
    " phone = '', client_hash = '', erased_at = $2"
    " WHERE day < $1 AND erased_at = 0 AND status NOT IN " WAITLIST_ACTIVE_SQL;
static const char PG_PURGE_CONTACT_OUTBOX[] = PURGE_OUTBOX
    " WHERE waitlist_id IN (SELECT id FROM waitlist WHERE" CONTACT_MATCH(
        "$1", "$2") ")";
static const char PG_PURGE_CONTACT[] =
    "UPDATE waitlist SET first_name = '', last_name = '', email = '',"
    " phone = '', client_hash = '', erased_at = $3,"
    " status = CASE WHEN status IN " WAITLIST_ACTIVE_SQL
    "   THEN 'left' ELSE status END,"
    " ended_at = CASE WHEN ended_at = 0 THEN $3::bigint ELSE ended_at END"
    " WHERE" CONTACT_MATCH("$1", "$2");

static const char PG_OF_CONTACT[] =
    "SELECT " ENTRY_COLUMNS ENTRY_FROM " WHERE"
    " (($1 <> '' AND lower(w.email) = lower($1)) OR ($2 <> '' AND"
    " w.phone = $2)) ORDER BY w.id";

int
pgsql_waitlist_of_contact(struct store *s, const char *email, const char *phone,
    struct waitlist_entry **out, size_t *n, struct error *err)
{
	return entries(
	    pq_query(s, err, PG_OF_CONTACT, PQ_TEXT(email), PQ_TEXT(phone)),
	    out, n, err);
}

int
pgsql_waitlist_purge_contact(struct store *s, const char *email,
    const char *phone, time_t now, unsigned *count, struct error *err)
{
	*count = 0;
	if ((email == NULL || email[0] == '\0') &&
	    (phone == NULL || phone[0] == '\0'))
		return 0;
	if (pq_exec(s, err, PG_PURGE_CONTACT_OUTBOX, PQ_TEXT(email),
	        PQ_TEXT(phone)) != 0 ||
	    pq_exec(s, err, PG_PURGE_CONTACT, PQ_TEXT(email), PQ_TEXT(phone),
	        PQ_INT(now)) != 0)
		return -1;
	*count = (unsigned)pq_changes(s);
	return 0;
}

int
pgsql_waitlist_purge_before(struct store *s, struct date day, time_t now,
    unsigned *count, struct error *err)
{
	char text[DATE_LEN];

	date_format(day, text);
	if (pq_exec(s, err, PG_PURGE_OUTBOX, PQ_TEXT(text)) != 0 ||
	    pq_exec(s, err, PG_PURGE, PQ_TEXT(text), PQ_INT(now)) != 0)
		return -1;
	*count = (unsigned)pq_changes(s);
	return 0;
}
