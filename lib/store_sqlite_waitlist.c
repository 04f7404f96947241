/*
 * store_sqlite_waitlist.c: the waitlist's rows (store.h; the rules are
 * lib/waitlist.h's). An entry's position is counted, not stored: the
 * entries in line before it in the same (service, day) line, itself
 * included, so a person leaving moves everyone behind them up at once.
 *
 * The database decides what must never happen twice: the unique indexes
 * of the waitlist's migration (one e-mail or phone once in a line; one open
 * offer per person) and the status guards of the transitions (`AND status =
 * ?`).
 */
#include <stdlib.h>
#include <string.h>

#include "booking_state.h"
#include "store_sqlite_internal.h"
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

static void
entry_read(sqlite3_stmt *st, void *row)
{
	struct waitlist_entry *e = row;
	char text[16];

	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(st, 0);
	col_copy(st, 1, e->reference, sizeof e->reference);
	col_copy(st, 2, e->token, sizeof e->token);
	e->service_id = sqlite3_column_int64(st, 3);
	col_copy(st, 4, text, sizeof text);
	if (date_parse(text, &e->day) != 0)
		memset(&e->day, 0, sizeof e->day); /* unreachable: ours */
	e->window_from = sqlite3_column_int(st, 5);
	e->window_to = sqlite3_column_int(st, 6);
	col_copy(st, 7, text, sizeof text);
	if (waitlist_status_parse(text, &e->status) != 0)
		e->status = WAITLIST_ENDED; /* unreachable: CHECKed */
	col_copy(st, 8, e->first_name, sizeof e->first_name);
	col_copy(st, 9, e->last_name, sizeof e->last_name);
	col_copy(st, 10, e->email, sizeof e->email);
	col_copy(st, 11, e->phone, sizeof e->phone);
	col_copy(st, 12, e->language, sizeof e->language);
	col_copy(st, 13, e->source, sizeof e->source);
	col_copy(st, 14, e->client_hash, sizeof e->client_hash);
	e->booking_id = sqlite3_column_int64(st, 15);
	e->offers = (unsigned)sqlite3_column_int(st, 16);
	e->created_at = sqlite3_column_int64(st, 17);
	e->ended_at = sqlite3_column_int64(st, 18);
	col_copy(st, 19, e->service_name, sizeof e->service_name);
	col_copy(st, 20, e->service_name_en, sizeof e->service_name_en);
	col_copy(st, 21, e->offer_reference, sizeof e->offer_reference);
	e->offer_until = sqlite3_column_int64(st, 22);
	e->position = (unsigned)sqlite3_column_int(st, 23);
}

static const char SQL_INSERT[] =
    "INSERT INTO waitlist (reference, token, service_id, day, window_from,"
    " window_to, status, first_name, last_name, email, phone, language,"
    " source, client_hash, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_ONCE[] =
    "SELECT count(*) FROM waitlist WHERE service_id = ?1 AND day = ?2"
    " AND status IN " WAITLIST_ACTIVE_SQL
    " AND ((?3 <> '' AND email = ?3 COLLATE NOCASE)"
    "   OR (?4 <> '' AND phone = ?4))";

static void
count_read(sqlite3_stmt *st, void *row)
{
	*(unsigned *)row = (unsigned)sqlite3_column_int(st, 0);
}

int
sqlite_waitlist_insert(
    struct store *s, struct waitlist_entry *e, struct error *err)
{
	char day[DATE_LEN];
	sqlite3_stmt *st;
	unsigned n = 0;

	date_format(e->day, day);
	/* the unique indexes decide; asking first names the conflict */
	if ((st = sq_query(s, err, SQL_ONCE, SQ_INT(e->service_id),
	         SQ_TEXT(day), SQ_TEXT(e->email), SQ_TEXT(e->phone))) == NULL ||
	    sq_one(s, st, count_read, &n, err, "count") != 0)
		return -1;
	if (n > 0)
		return error_set_code(err, ERROR_CONFLICT, "already_waiting",
		    NULL,
		    "This e-mail address or phone number is already on this"
		    " waitlist.");
	if (sq_exec(s, err, SQL_INSERT, SQ_TEXT(e->reference),
	        SQ_TEXT(e->token), SQ_INT(e->service_id), SQ_TEXT(day),
	        SQ_INT(e->window_from), SQ_INT(e->window_to),
	        SQ_TEXT(e->first_name), SQ_TEXT(e->last_name),
	        SQ_TEXT(e->email), SQ_TEXT(e->phone), SQ_TEXT(e->language),
	        SQ_TEXT(e->source), SQ_TEXT(e->client_hash),
	        SQ_INT(e->created_at)) != 0)
		return -1;
	e->id = sq_last_id(s);
	return 0;
}

static const char SQL_GET[] =
    "SELECT " ENTRY_COLUMNS ENTRY_FROM " WHERE w.id = ?";
static const char SQL_BY_REF[] =
    "SELECT " ENTRY_COLUMNS ENTRY_FROM " WHERE w.reference = ?";
/* the newest entry an offer belongs to (an offer has one) */
static const char SQL_BY_OFFER[] =
    "SELECT " ENTRY_COLUMNS ENTRY_FROM
    " WHERE w.booking_id = ? ORDER BY w.id DESC LIMIT 1";

int
sqlite_waitlist_get(
    struct store *s, int64_t id, struct waitlist_entry *e, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_GET, SQ_INT(id));

	return st == NULL ? -1 : sq_one(s, st, entry_read, e, err, "waitlist");
}

int
sqlite_waitlist_by_reference(struct store *s, const char *reference,
    struct waitlist_entry *e, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_BY_REF, SQ_TEXT(reference));

	return st == NULL ? -1 : sq_one(s, st, entry_read, e, err, "waitlist");
}

int
sqlite_waitlist_by_offer(struct store *s, int64_t booking_id,
    struct waitlist_entry *e, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_BY_OFFER, SQ_INT(booking_id));

	return st == NULL ? -1 : sq_one(s, st, entry_read, e, err, "waitlist");
}

static const char SQL_LINE[] =
    "SELECT " ENTRY_COLUMNS ENTRY_FROM
    " WHERE w.service_id = ? AND w.day = ? AND w.status IN " WAITLIST_ACTIVE_SQL
    " ORDER BY w.id";
static const char SQL_OF_DAY[] =
    "SELECT " ENTRY_COLUMNS ENTRY_FROM
    " WHERE w.day = ?2 AND (?1 = 0 OR w.service_id = ?1)"
    " ORDER BY s.name, w.service_id, w.id";

static int
entries(struct store *s, sqlite3_stmt *st, struct waitlist_entry **out,
    size_t *n, struct error *err)
{
	if (st == NULL)
		return -1;
	return collect_rows(
	    s, st, sizeof **out, entry_read, NULL, (void **)out, n, err);
}

int
sqlite_waitlist_line(struct store *s, int64_t service_id, struct date day,
    struct waitlist_entry **out, size_t *n, struct error *err)
{
	char text[DATE_LEN];

	date_format(day, text);
	return entries(s,
	    sq_query(s, err, SQL_LINE, SQ_INT(service_id), SQ_TEXT(text)), out,
	    n, err);
}

int
sqlite_waitlist_of_day(struct store *s, int64_t service_id, struct date day,
    struct waitlist_entry **out, size_t *n, struct error *err)
{
	char text[DATE_LEN];

	date_format(day, text);
	return entries(s,
	    sq_query(s, err, SQL_OF_DAY, SQ_INT(service_id), SQ_TEXT(text)),
	    out, n, err);
}

static const char SQL_WAITING_DAYS[] =
    "SELECT DISTINCT service_id, day FROM waitlist WHERE day >= ?"
    " AND status = 'waiting' ORDER BY day, service_id";

static void
day_read(sqlite3_stmt *st, void *row)
{
	struct waitlist_day *d = row;
	char text[DATE_LEN];

	d->service_id = sqlite3_column_int64(st, 0);
	col_copy(st, 1, text, sizeof text);
	if (date_parse(text, &d->day) != 0)
		memset(&d->day, 0, sizeof d->day);
}

int
sqlite_waitlist_waiting(struct store *s, struct date from,
    struct waitlist_day **out, size_t *n, struct error *err)
{
	char text[DATE_LEN];
	sqlite3_stmt *st;

	date_format(from, text);
	if ((st = sq_query(s, err, SQL_WAITING_DAYS, SQ_TEXT(text))) == NULL)
		return -1;
	return collect_rows(
	    s, st, sizeof **out, day_read, NULL, (void **)out, n, err);
}

static const char SQL_ACTIVE_BY_PHONE[] =
    "SELECT " ENTRY_COLUMNS ENTRY_FROM
    " WHERE w.phone = ? AND w.phone <> '' AND w.status IN " WAITLIST_ACTIVE_SQL
    " ORDER BY w.id DESC";

int
sqlite_waitlist_active_by_phone(struct store *s, const char *phone,
    struct waitlist_entry **out, size_t *n, struct error *err)
{
	return entries(s, sq_query(s, err, SQL_ACTIVE_BY_PHONE, SQ_TEXT(phone)),
	    out, n, err);
}

static const char SQL_COUNT_CONTACT[] =
    "SELECT count(*) FROM waitlist WHERE status IN " WAITLIST_ACTIVE_SQL
    " AND ((?1 <> '' AND email = ?1 COLLATE NOCASE)"
    "   OR (?2 <> '' AND phone = ?2))";
static const char SQL_COUNT_CLIENT[] =
    "SELECT count(*) FROM waitlist WHERE client_hash = ? AND status "
    "IN " WAITLIST_ACTIVE_SQL;

int
sqlite_waitlist_count_contact(struct store *s, const char *email,
    const char *phone, unsigned *count, struct error *err)
{
	sqlite3_stmt *st =
	    sq_query(s, err, SQL_COUNT_CONTACT, SQ_TEXT(email), SQ_TEXT(phone));

	return st == NULL ? -1 : sq_one(s, st, count_read, count, err, "count");
}

int
sqlite_waitlist_count_client(struct store *s, const char *client_hash,
    unsigned *count, struct error *err)
{
	sqlite3_stmt *st =
	    sq_query(s, err, SQL_COUNT_CLIENT, SQ_TEXT(client_hash));

	return st == NULL ? -1 : sq_one(s, st, count_read, count, err, "count");
}

/* out of line: the client's hash is no longer needed (client_addr.h) */
static const char SQL_TRANSITION[] =
    "UPDATE waitlist SET status = ?1,"
    " ended_at = CASE WHEN ?1 IN " WAITLIST_ACTIVE_SQL " THEN 0 ELSE ?2 END,"
    " client_hash = CASE WHEN ?1 IN " WAITLIST_ACTIVE_SQL
    "   THEN client_hash ELSE '' END"
    " WHERE id = ?3 AND status = ?4";

int
sqlite_waitlist_transition(struct store *s, int64_t id,
    enum waitlist_status from, enum waitlist_status to, time_t now,
    struct error *err)
{
	if (sq_exec(s, err, SQL_TRANSITION, SQ_TEXT(waitlist_status_name(to)),
	        SQ_INT(now), SQ_INT(id),
	        SQ_TEXT(waitlist_status_name(from))) != 0)
		return -1;
	if (sq_changes(s) == 0)
		return error_set_code(err, ERROR_CONFLICT, "changed", NULL,
		    "The waitlist entry changed meanwhile.");
	return 0;
}

static const char SQL_SET_OFFER[] =
    "UPDATE waitlist SET status = 'offered', booking_id = ?1,"
    " offers = offers + 1 WHERE id = ?2 AND status = 'waiting'";

int
sqlite_waitlist_set_offer(
    struct store *s, int64_t id, int64_t booking_id, struct error *err)
{
	if (sq_exec(s, err, SQL_SET_OFFER, SQ_INT(booking_id), SQ_INT(id)) != 0)
		return -1;
	if (sq_changes(s) == 0)
		return error_set_code(err, ERROR_CONFLICT, "changed", NULL,
		    "The waitlist entry changed meanwhile.");
	return 0;
}

static const char SQL_SUPERSEDED[] =
    "SELECT id FROM waitlist WHERE status = 'waiting' AND service_id = ?3"
    " AND (?4 = '' OR day = ?4) AND id <> ?5"
    " AND ((?1 <> '' AND email = ?1 COLLATE NOCASE)"
    "   OR (?2 <> '' AND phone = ?2))";
static const char SQL_SUPERSEDE[] =
    "UPDATE waitlist SET status = 'superseded', ended_at = ?2,"
    " client_hash = '' WHERE id = ?1 AND status = 'waiting'";

static void
id_read(sqlite3_stmt *st, void *row)
{
	*(int64_t *)row = sqlite3_column_int64(st, 0);
}

int
sqlite_waitlist_supersede(struct store *s, const char *email, const char *phone,
    int64_t service_id, struct date day, int64_t except, time_t now,
    int64_t **ids, size_t *n, struct error *err)
{
	char text[DATE_LEN] = "";
	sqlite3_stmt *st;
	size_t i;

	*ids = NULL;
	*n = 0;
	if ((email == NULL || email[0] == '\0') &&
	    (phone == NULL || phone[0] == '\0'))
		return 0;
	if (day.year != 0)
		date_format(day, text);
	if ((st = sq_query(s, err, SQL_SUPERSEDED, SQ_TEXT(email),
	         SQ_TEXT(phone), SQ_INT(service_id), SQ_TEXT(text),
	         SQ_INT(except))) == NULL ||
	    collect_rows(
	        s, st, sizeof **ids, id_read, NULL, (void **)ids, n, err) != 0)
		return -1;
	for (i = 0; i < *n; i++)
		if (sq_exec(s, err, SQL_SUPERSEDE, SQ_INT((*ids)[i]),
		        SQ_INT(now)) != 0) {
			free(*ids);
			*ids = NULL;
			*n = 0;
			return -1;
		}
	return 0;
}

static const char SQL_END_BEFORE[] =
    "UPDATE waitlist SET status = 'ended', ended_at = ?2, client_hash = ''"
    " WHERE day < ?1 AND status = 'waiting'";

int
sqlite_waitlist_end_before(struct store *s, struct date day, time_t now,
    unsigned *count, struct error *err)
{
	char text[DATE_LEN];

	date_format(day, text);
	if (sq_exec(s, err, SQL_END_BEFORE, SQ_TEXT(text), SQ_INT(now)) != 0)
		return -1;
	*count = (unsigned)sq_changes(s);
	return 0;
}

static const char SQL_OFFER_TAKEN[] =
    "UPDATE bookings SET offer_taken = 1 WHERE id = ? AND source = 'waitlist'";

int
sqlite_waitlist_offer_taken(
    struct store *s, int64_t booking_id, struct error *err)
{
	return sq_exec(s, err, SQL_OFFER_TAKEN, SQ_INT(booking_id));
}

static const char SQL_OPEN_OFFER[] =
    "SELECT id FROM bookings WHERE source = 'waitlist' AND status = 'pending'"
    " AND ((?1 <> '' AND email = ?1 COLLATE NOCASE)"
    "   OR (?2 <> '' AND phone = ?2)) LIMIT 1";

int
sqlite_waitlist_open_offer(struct store *s, const char *email, const char *phone,
    int64_t *booking_id, struct error *err)
{
	sqlite3_stmt *st =
	    sq_query(s, err, SQL_OPEN_OFFER, SQ_TEXT(email), SQ_TEXT(phone));

	*booking_id = 0;
	if (st == NULL)
		return -1;
	if (sq_one(s, st, id_read, booking_id, err, "offer") == 0)
		return 0;
	if (err != NULL && err->kind == ERROR_NOT_FOUND) {
		error_clear(err);
		return 0;
	}
	return -1;
}

static const char SQL_LATEST_OFFER[] =
    "SELECT id FROM bookings WHERE source = 'waitlist' AND phone = ?"
    " AND phone <> '' AND created_at >= ? ORDER BY created_at DESC, id DESC"
    " LIMIT 1";

int
sqlite_waitlist_latest_offer(struct store *s, const char *phone, time_t since,
    struct booking *b, struct error *err)
{
	sqlite3_stmt *st =
	    sq_query(s, err, SQL_LATEST_OFFER, SQ_TEXT(phone), SQ_INT(since));
	int64_t id;

	if (st == NULL || sq_one(s, st, id_read, &id, err, "offer") != 0)
		return -1;
	return store_booking_get(s, id, b, err);
}

/* joined: entries of the day; the offers, from their bookings (an entry
 * may be offered more than one place over time: a place it did not take
 * is declined or lapsed, and the entry ends) */
static const char SQL_FIGURES[] =
    "SELECT w.day, w.service_id, s.name, count(*), sum(w.offers),"
    " sum(w.status = 'booked'), sum(w.status = 'declined'),"
    " sum(w.status = 'lapsed'), sum(w.status = 'left')"
    " FROM waitlist w JOIN services s ON s.id = w.service_id"
    " WHERE w.day BETWEEN ? AND ? GROUP BY w.day, w.service_id"
    " ORDER BY w.day, s.name";

static void
figures_read(sqlite3_stmt *st, void *row)
{
	struct waitlist_figures *f = row;
	char text[DATE_LEN];

	memset(f, 0, sizeof *f);
	col_copy(st, 0, text, sizeof text);
	if (date_parse(text, &f->day) != 0)
		memset(&f->day, 0, sizeof f->day);
	f->service_id = sqlite3_column_int64(st, 1);
	col_copy(st, 2, f->service, sizeof f->service);
	f->joined = (unsigned)sqlite3_column_int(st, 3);
	f->offered = (unsigned)sqlite3_column_int(st, 4);
	f->refilled = (unsigned)sqlite3_column_int(st, 5);
	f->declined = (unsigned)sqlite3_column_int(st, 6);
	f->lapsed = (unsigned)sqlite3_column_int(st, 7);
	f->left = (unsigned)sqlite3_column_int(st, 8);
}

int
sqlite_waitlist_figures(struct store *s, struct date from, struct date to,
    struct waitlist_figures **out, size_t *n, struct error *err)
{
	char a[DATE_LEN], b[DATE_LEN];
	sqlite3_stmt *st;

	date_format(from, a);
	date_format(to, b);
	if ((st = sq_query(s, err, SQL_FIGURES, SQ_TEXT(a), SQ_TEXT(b))) ==
	    NULL)
		return -1;
	return collect_rows(
	    s, st, sizeof **out, figures_read, NULL, (void **)out, n, err);
}

static const char SQL_MESSAGES[] =
    "SELECT id, channel, kind, recipient, status, attempts, created_at,"
    " sent_at, last_error FROM outbox WHERE waitlist_id = ? ORDER BY id";

static void
message_read(sqlite3_stmt *st, void *row)
{
	struct outbox_message *m = row;
	char status[16];

	memset(m, 0, sizeof *m);
	m->id = sqlite3_column_int64(st, 0);
	col_copy(st, 1, m->channel, sizeof m->channel);
	col_copy(st, 2, m->kind, sizeof m->kind);
	col_copy(st, 3, m->recipient, sizeof m->recipient);
	col_copy(st, 4, status, sizeof status);
	m->status = OUTBOX_QUEUED;
	for (int i = OUTBOX_QUEUED; i <= OUTBOX_SUPPRESSED; i++)
		if (strcmp(outbox_status_name((enum outbox_status)i), status) ==
		    0)
			m->status = (enum outbox_status)i;
	m->attempts = (unsigned)sqlite3_column_int(st, 5);
	m->created_at = sqlite3_column_int64(st, 6);
	m->sent_at = sqlite3_column_int64(st, 7);
	col_copy(st, 8, m->last_error, sizeof m->last_error);
}

int
sqlite_waitlist_messages(struct store *s, int64_t waitlist_id,
    struct outbox_message **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_MESSAGES, SQ_INT(waitlist_id));

	if (st == NULL)
		return -1;
	return collect_rows(
	    s, st, sizeof **out, message_read, NULL, (void **)out, n, err);
}

/* the line is over: names and contacts go, the figures stay; the messages
 * about the entries lose their recipients and texts (one still queued is
 * never sent: suppressed, as lib/store_sqlite_privacy.c does) */
#define PURGE_OUTBOX                                                           \
	"UPDATE outbox SET recipient = '', payload = X'', last_error = '',"    \
	" text = '', status = CASE WHEN status = 'queued' THEN 'suppressed' "  \
	"ELSE status"                                                          \
	" END"
static const char SQL_PURGE_OUTBOX[] = PURGE_OUTBOX
    " WHERE waitlist_id IN (SELECT id FROM waitlist WHERE day < ?1"
    "   AND erased_at = 0 AND status NOT IN " WAITLIST_ACTIVE_SQL ")";
static const char SQL_PURGE[] =
    "UPDATE waitlist SET first_name = '', last_name = '', email = '',"
    " phone = '', client_hash = '', erased_at = ?2"
    " WHERE day < ?1 AND erased_at = 0 AND status NOT IN " WAITLIST_ACTIVE_SQL;

#define CONTACT_MATCH                                                          \
	" ((?1 <> '' AND email = ?1 COLLATE NOCASE) OR (?2 <> '' AND phone = " \
	"?2))"
static const char SQL_PURGE_CONTACT_OUTBOX[] = PURGE_OUTBOX
    " WHERE waitlist_id IN (SELECT id FROM waitlist WHERE" CONTACT_MATCH ")";
static const char SQL_PURGE_CONTACT[] =
    "UPDATE waitlist SET first_name = '', last_name = '', email = '',"
    " phone = '', client_hash = '', erased_at = ?3,"
    " status = CASE WHEN status IN " WAITLIST_ACTIVE_SQL
    "   THEN 'left' ELSE status END,"
    " ended_at = CASE WHEN ended_at = 0 THEN ?3 ELSE ended_at END"
    " WHERE" CONTACT_MATCH;

static const char SQL_OF_CONTACT[] =
    "SELECT " ENTRY_COLUMNS ENTRY_FROM " WHERE"
    " ((?1 <> '' AND w.email = ?1 COLLATE NOCASE) OR (?2 <> '' AND"
    " w.phone = ?2)) ORDER BY w.id";

int
sqlite_waitlist_of_contact(struct store *s, const char *email, const char *phone,
    struct waitlist_entry **out, size_t *n, struct error *err)
{
	return entries(s,
	    sq_query(s, err, SQL_OF_CONTACT, SQ_TEXT(email), SQ_TEXT(phone)),
	    out, n, err);
}

int
sqlite_waitlist_purge_contact(struct store *s, const char *email,
    const char *phone, time_t now, unsigned *count, struct error *err)
{
	*count = 0;
	if ((email == NULL || email[0] == '\0') &&
	    (phone == NULL || phone[0] == '\0'))
		return 0;
	if (sq_exec(s, err, SQL_PURGE_CONTACT_OUTBOX, SQ_TEXT(email),
	        SQ_TEXT(phone)) != 0 ||
	    sq_exec(s, err, SQL_PURGE_CONTACT, SQ_TEXT(email), SQ_TEXT(phone),
	        SQ_INT(now)) != 0)
		return -1;
	*count = (unsigned)sq_changes(s);
	return 0;
}

int
sqlite_waitlist_purge_before(struct store *s, struct date day, time_t now,
    unsigned *count, struct error *err)
{
	char text[DATE_LEN];

	date_format(day, text);
	if (sq_exec(s, err, SQL_PURGE_OUTBOX, SQ_TEXT(text)) != 0 ||
	    sq_exec(s, err, SQL_PURGE, SQ_TEXT(text), SQ_INT(now)) != 0)
		return -1;
	*count = (unsigned)sq_changes(s);
	return 0;
}
