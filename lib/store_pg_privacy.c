/*
 * store_pg_privacy.c: erasing citizens' personal data, the figures for
 * monitoring, and what IT does to the database as a whole — the twins of
 * store_sqlite_privacy.c, store_sqlite_metrics.c and store_sqlite_ops.c
 * (store.h "personal data", "figures for monitoring").
 *
 * The erasure clears what the SQLite one clears, column for column (the
 * list is store_sqlite_privacy.c's head comment), and reads "due" the
 * same way: GREATEST where SQLite says MAX of two values, bytea for BLOB.
 * A reply by e-mail names its sender only inside the raw message: it is
 * searched as escape-encoded bytes (every byte outside ASCII as \ooo, on
 * both sides) lowered in ASCII only, as SQLite's instr(lower(raw)) does,
 * and without refusing a raw message that is not valid UTF-8.
 *
 * Backup: PostgreSQL's own tools make it (pg_dump -Fc, README
 * "PostgreSQL"); store_backup refuses with the code "backup_postgresql".
 *
 * Compact: an UPDATE leaves the old row versions in the table's files
 * until they are vacuumed, and a plain VACUUM only marks their space
 * free. VACUUM FULL writes each table that held personal data into new
 * files and removes the old ones, so what an erasure overwrote is in no
 * file of the database any more. It locks each table for the time of its
 * rewrite (milliseconds to seconds); a table another transaction holds
 * longer than lock_timeout is "busy" and the rebuild waits for another
 * time, as SQLite's VACUUM does. The write-ahead log's segments are
 * recycled by the server's checkpoints (store_wal_truncate does nothing
 * here); WAL archives and replicas are the office's to expire.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store_pg_internal.h"

/* the bookings due for erasure at cutoff $1 */
#define DUE_BOOKINGS                                                           \
	"SELECT b.id FROM bookings b WHERE b.erased_at = 0 AND CASE"           \
	" WHEN b.status IN ('cancelled', 'expired') THEN COALESCE("            \
	"  NULLIF(b.ended_at, 0), (SELECT MAX(e.at) FROM booking_events e"     \
	"  WHERE e.booking_id = b.id), b.created_at)"                          \
	" ELSE GREATEST(b.end_at, b.ended_at) END < $1::bigint"

/* the bookings of one person: $1 e-mail (any ASCII case), $2 phone */
#define PERSON_BOOKINGS                                                        \
	"SELECT b.id FROM bookings b WHERE ($1::text <> '' AND"                \
	" lower(b.email) = lower($1::text)) OR ($2::text <> '' AND"            \
	" b.phone = $2::text)"

/* what erasing a message leaves (a queued one is never sent) */
#define OUTBOX_ERASE                                                           \
	"UPDATE outbox SET recipient = '', payload = ''::bytea,"               \
	" last_error = '', text = '', status = CASE WHEN status = 'queued'"    \
	" THEN 'suppressed' ELSE status END WHERE (recipient <> '' OR"         \
	" length(payload) > 0 OR last_error <> '' OR text <> '') AND "
#define INBOX_ERASE                                                            \
	"UPDATE inbox SET raw = ''::bytea, sender = '', words = '',"           \
	" dedup_key = 'erased:' || id,"                                        \
	" status = CASE WHEN status = 'new' THEN 'ignored' ELSE status END"    \
	" WHERE (length(raw) > 0 OR sender <> '' OR words <> '') AND "
#define EVENTS_ERASE                                                           \
	"UPDATE booking_events SET detail = '' WHERE detail <> '' AND "
/* now: the placeholder of the time of erasure */
#define BOOKINGS_ERASE(now)                                                    \
	"UPDATE bookings SET first_name = '', last_name = '', email = '',"     \
	" phone = '', note = '', client_hash = '', client_net = '',"           \
	" first_fold = '', last_fold = '', erased_at = " now " WHERE "

static const char PG_DUE_OUTBOX[] =
    OUTBOX_ERASE "(booking_id IN (" DUE_BOOKINGS ") OR (booking_id IS NULL AND"
                 " waitlist_id IS NULL AND created_at < $1::bigint))";
static const char PG_DUE_INBOX[] =
    INBOX_ERASE "(booking_id IN (" DUE_BOOKINGS ") OR (booking_id IS NULL AND"
                " received_at < $1::bigint))";
static const char PG_DUE_EVENTS[] =
    EVENTS_ERASE "booking_id IN (" DUE_BOOKINGS ")";
static const char PG_DUE_BOOKINGS[] =
    BOOKINGS_ERASE("$2::bigint") "id IN (" DUE_BOOKINGS ")";
static const char PG_SESSIONS_PURGE[] =
    "DELETE FROM sessions WHERE expires_at < $1 OR operator_id IN"
    " (SELECT id FROM operators WHERE disabled)";
static const char PG_LOGIN_FAILURES_PURGE[] =
    "DELETE FROM login_failures WHERE first_at < $1 AND locked_until < $2";

/* run one erasing statement and add what it changed to *count */
#define ERASE(sql, count, ...)                                                 \
	do {                                                                   \
		if (pq_exec(s, err, sql, __VA_ARGS__) != 0)                    \
			return -1;                                             \
		(count) += (unsigned)pq_changes(s);                            \
	} while (0)

int
pgsql_purge_before(struct store *s, time_t cutoff, time_t now,
    struct purge_counts *c, struct error *err)
{
	ERASE(PG_DUE_OUTBOX, c->outbox, PQ_INT(cutoff));
	ERASE(PG_DUE_INBOX, c->inbox, PQ_INT(cutoff));
	ERASE(PG_DUE_EVENTS, c->events, PQ_INT(cutoff));
	ERASE(PG_DUE_BOOKINGS, c->bookings, PQ_INT(cutoff), PQ_INT(now));
	ERASE(PG_SESSIONS_PURGE, c->sessions, PQ_INT(now));
	ERASE(
	    PG_LOGIN_FAILURES_PURGE, c->sessions, PQ_INT(cutoff), PQ_INT(now));
	return 0;
}

/* one person: $1 e-mail, $2 phone, $3 the e-mail's ASCII (A-label) form,
 * as the outbox addresses it */
#define LOOSE_OUTBOX                                                           \
	"booking_id IS NULL AND (($1::text <> '' AND lower(recipient)"         \
	" IN (lower($1::text), lower($3::text))) OR ($2::text <> '' AND"       \
	" recipient = $2::text))"
/* raw bytes as ASCII text, lowered as SQLite's lower() does (ASCII) */
#define RAW_TEXT "lower(encode(raw, 'escape'))"
#define NEEDLE(p) "lower(encode(convert_to(" p "::text, 'UTF8'), 'escape'))"
/* a reply by e-mail names its sender only inside the raw message */
#define LOOSE_INBOX                                                            \
	"booking_id IS NULL AND (($2::text <> '' AND sender = $2::text) OR"    \
	" ($1::text <> '' AND (strpos(" RAW_TEXT                               \
	", " NEEDLE("$1") ") > 0 OR"                                           \
	                  " strpos(" RAW_TEXT ", " NEEDLE("$3") ") > 0)))"

static const char PG_PERSON_OUTBOX[] =
    OUTBOX_ERASE "(booking_id IN (" PERSON_BOOKINGS ") OR (" LOOSE_OUTBOX "))";
static const char PG_PERSON_INBOX[] =
    INBOX_ERASE "(booking_id IN (" PERSON_BOOKINGS ") OR (" LOOSE_INBOX "))";
static const char PG_PERSON_EVENTS[] =
    EVENTS_ERASE "booking_id IN (" PERSON_BOOKINGS ")";
/* the bookings themselves last: their e-mail and phone find the rest */
static const char PG_PERSON_BOOKINGS[] =
    BOOKINGS_ERASE("$3::bigint") "id IN (" PERSON_BOOKINGS ")";
static const char PG_PERSON_OPTOUT[] =
    "DELETE FROM sms_optout WHERE $1::text <> '' AND phone = $1::text";

int
pgsql_purge_contact(struct store *s, const char *email, const char *email_ascii,
    const char *phone, time_t now, struct purge_counts *c, struct error *err)
{
	const char *ascii = email_ascii[0] != '\0' ? email_ascii : email;

	ERASE(PG_PERSON_OUTBOX, c->outbox, PQ_TEXT(email), PQ_TEXT(phone),
	    PQ_TEXT(ascii));
	ERASE(PG_PERSON_INBOX, c->inbox, PQ_TEXT(email), PQ_TEXT(phone),
	    PQ_TEXT(ascii));
	ERASE(PG_PERSON_EVENTS, c->events, PQ_TEXT(email), PQ_TEXT(phone));
	ERASE(PG_PERSON_BOOKINGS, c->bookings, PQ_TEXT(email), PQ_TEXT(phone),
	    PQ_INT(now));
	ERASE(PG_PERSON_OPTOUT, c->optouts, PQ_TEXT(phone));
	return 0;
}

static const char PG_PERSON_LIST[] =
    "SELECT b.id, b.erased_at FROM bookings b WHERE ($1::text <> '' AND"
    " lower(b.email) = lower($1::text)) OR ($2::text <> '' AND"
    " b.phone = $2::text) ORDER BY b.start_at, b.id";

static void
person_booking_read(const PGresult *res, int row, void *out)
{
	struct person_booking *p = out;

	p->id = pq_int(res, row, 0);
	p->erased_at = (time_t)pq_int(res, row, 1);
}

int
pgsql_person_bookings(struct store *s, const char *email, const char *phone,
    struct person_booking **out, size_t *n, struct error *err)
{
	return pq_rows(
	    pq_query(s, err, PG_PERSON_LIST, PQ_TEXT(email), PQ_TEXT(phone)),
	    sizeof **out, person_booking_read, (void **)out, n, err);
}

static const char PG_PERSON_ACCOUNTS[] =
    "SELECT " PG_ACCOUNT_COLUMNS ", o.email, o.phone FROM operators o"
    " WHERE ($1::text <> '' AND lower(o.email) = lower($1::text))"
    " OR ($2::text <> '' AND o.phone = $2::text) ORDER BY o.login";

/* the account's columns as everywhere, then its own contact */
static void
person_account_read(const PGresult *res, int row, void *out)
{
	struct person_account *a = out;

	pq_read_account(res, row, &a->account);
	pq_text(res, row, 7, a->email, sizeof a->email);
	pq_text(res, row, 8, a->phone, sizeof a->phone);
}

int
pgsql_person_accounts(struct store *s, const char *email, const char *phone,
    struct person_account **out, size_t *n, struct error *err)
{
	return pq_rows(pq_query(s, err, PG_PERSON_ACCOUNTS, PQ_TEXT(email),
	                   PQ_TEXT(phone)),
	    sizeof **out, person_account_read, (void **)out, n, err);
}

static const char PG_LOOSE_OUTBOX_IDS[] =
    "SELECT id FROM outbox WHERE " LOOSE_OUTBOX " ORDER BY id";
static const char PG_LOOSE_INBOX_IDS[] =
    "SELECT id FROM inbox WHERE " LOOSE_INBOX " ORDER BY id";

int
pgsql_person_loose(struct store *s, const char *email, const char *email_ascii,
    const char *phone, int64_t **outbox_ids, size_t *noutbox,
    int64_t **inbox_ids, size_t *ninbox, struct error *err)
{
	const char *ascii = email_ascii[0] != '\0' ? email_ascii : email;

	*outbox_ids = *inbox_ids = NULL;
	*noutbox = *ninbox = 0;
	if (pq_rows(pq_query(s, err, PG_LOOSE_OUTBOX_IDS, PQ_TEXT(email),
	                PQ_TEXT(phone), PQ_TEXT(ascii)),
	        sizeof **outbox_ids, pq_read_id, (void **)outbox_ids, noutbox,
	        err) != 0)
		return -1;
	if (pq_rows(pq_query(s, err, PG_LOOSE_INBOX_IDS, PQ_TEXT(email),
	                PQ_TEXT(phone), PQ_TEXT(ascii)),
	        sizeof **inbox_ids, pq_read_id, (void **)inbox_ids, ninbox,
	        err) != 0) {
		free(*outbox_ids);
		*outbox_ids = NULL;
		*noutbox = 0;
		return -1;
	}
	return 0;
}

static const char PG_OPTOUT_AT[] = "SELECT at FROM sms_optout WHERE phone = $1";

static void
time_read(const PGresult *res, int row, void *out)
{
	*(time_t *)out = (time_t)pq_int(res, row, 0);
}

int
pgsql_sms_optout_at(
    struct store *s, const char *phone, time_t *at, struct error *err)
{
	struct error none;

	*at = 0;
	error_clear(&none);
	if (pq_one(pq_query(s, &none, PG_OPTOUT_AT, PQ_TEXT(phone)), time_read,
	        at, &none, "opt-out") != 0 &&
	    none.kind != ERROR_NOT_FOUND) {
		if (err != NULL)
			*err = none;
		return -1;
	}
	return 0;
}

/* ---- figures for monitoring --------------------------------------------- */

static const char PG_COUNT_BOOKINGS[] =
    "SELECT status, '', count(*) FROM bookings GROUP BY status";
static const char PG_COUNT_REPLIES[] =
    "SELECT channel, CASE WHEN verdict <> '' THEN verdict ELSE status END,"
    " count(*) FROM inbox GROUP BY 1, 2";

static void
count_read(const PGresult *res, int row, void *out)
{
	struct store_count *c = out;

	memset(c, 0, sizeof *c);
	pq_text(res, row, 0, c->label, sizeof c->label);
	pq_text(res, row, 1, c->label2, sizeof c->label2);
	c->count = pq_int(res, row, 2);
}

int
pgsql_counts(struct store *s, enum store_count_kind kind,
    struct store_count **out, size_t *n, struct error *err)
{
	return pq_rows(pq_query0(s, err,
	                   kind == STORE_COUNT_BOOKINGS ? PG_COUNT_BOOKINGS
	                                                : PG_COUNT_REPLIES),
	    sizeof **out, count_read, (void **)out, n, err);
}

/* ---- the database as a whole --------------------------------------------- */

int
pgsql_backup(struct store *s, const char *dest, long *pages, long *page_size,
    struct error *err)
{
	(void)s;
	(void)dest;
	*pages = *page_size = 0;
	return error_set_code(err, ERROR_INVALID, "backup_postgresql", NULL,
	    "wizyta backup copies an SQLite database; this office's database "
	    "is PostgreSQL: back it up with pg_dump -Fc (README "
	    "\"PostgreSQL\")");
}

int
pgsql_wal_truncate(struct store *s, struct error *err)
{
	/* the server's checkpoints recycle its write-ahead log */
	(void)s;
	(void)err;
	return 0;
}

/* every table an erasure overwrites, rewritten by store_compact, its
 * statistics renewed: autovacuum's ANALYZE samples column values (names,
 * addresses) into pg_stats, which VACUUM FULL alone leaves as they were */
static const char *const erased_tables[] = {"bookings", "booking_events",
    "outbox", "inbox", "waitlist", "sessions", "login_failures", "sms_optout"};

/* simple: one statement outside any transaction (VACUUM refuses one) */
static int
simple(struct pgsql_store *q, const char *sql, struct error *err)
{
	PGresult *res = PQexec(q->conn, sql);
	const char *state =
	    res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	int rc = 0;

	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		if (state != NULL && strcmp(state, "55P03") == 0)
			rc = error_set_code(err, ERROR_CONFLICT, "busy", NULL,
			    "a table is held by another transaction: the "
			    "rebuild waits for another time");
		else
			rc = pq_fail(&q->base, res, err, "compact");
	}
	PQclear(res);
	return rc;
}

/* The transactions id the erasure is behind of: every transaction that
 * committed before now is below it */
static const char PG_HORIZON[] =
    "SELECT pg_snapshot_xmax(pg_current_snapshot())::xid::text";
/* the other sessions of the database whose snapshot is older: VACUUM FULL
 * must keep every row version they may still see, the erased values too */
static const char PG_OLDER_SNAPSHOTS[] =
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    " AND backend_type = 'client backend'"
    " AND (age(backend_xmin) > age($1::xid) OR age(backend_xid) > "
    "age($1::xid))";

#define OLDER_SNAPSHOTS_WAIT_MS 10000

static void
horizon_read(const PGresult *res, int row, void *out)
{
	pq_text(res, row, 0, out, 24);
}

/* older_snapshots_wait: 0 once no other session can see what came
 * before now; ERROR_CONFLICT "busy" when one still could after a while
 * (a long report, a stuck client): the rebuild is then left for later */
static int
older_snapshots_wait(struct store *s, struct error *err)
{
	char horizon[24];
	unsigned older = 0;
	int waited;

	if (pq_one(pq_query0(s, err, PG_HORIZON), horizon_read, horizon, err,
	        "horizon") != 0)
		return -1;
	for (waited = 0;; waited += 100) {
		if (pq_one(
		        pq_query(s, err, PG_OLDER_SNAPSHOTS, PQ_TEXT(horizon)),
		        pq_read_count, &older, err, "snapshots") != 0)
			return -1;
		if (older == 0)
			return 0;
		if (waited >= OLDER_SNAPSHOTS_WAIT_MS)
			return error_set_code(err, ERROR_CONFLICT, "busy", NULL,
			    "%u other session(s) still see the data from before"
			    " the erasure: the rebuild waits for another time",
			    older);
		usleep(100 * 1000);
	}
}

int
pgsql_compact(struct store *s, struct error *err)
{
	struct pgsql_store *q = pgsql_of(s);
	char sql[64];
	size_t i;
	int rc = 0;

	if (q->depth > 0 || q->in_read)
		return error_set(
		    err, ERROR_INTERNAL, "compact in a transaction");
	if (older_snapshots_wait(s, err) != 0)
		return -1;
	if (simple(q, "SET lock_timeout = '10s'", err) != 0)
		return -1;
	for (i = 0; rc == 0 && i < sizeof erased_tables / sizeof *erased_tables;
	     i++) {
		snprintf(sql, sizeof sql, "VACUUM (FULL, ANALYZE) %s",
		    erased_tables[i]);
		rc = simple(q, sql, err);
	}
	(void)simple(q, "RESET lock_timeout", NULL);
	return rc;
}
