/*
 * store_pg_outbox.c: the outbox, the inbox, the key/value memory and SMS
 * opt-outs (store.h), the twin of that part of store_sqlite.c.
 *
 * Several gateways deliver from one outbox. A claim is one statement that
 * picks due rows FOR UPDATE SKIP LOCKED and leases them: two gateways
 * claiming at once take different rows, and neither waits for the other.
 * The lease names its holder (lease_owner: the backend pid of the claiming
 * connection), so a row leased by a gateway whose connection is gone — a
 * kill -9 — is taken over by the next claim at once, not after its lease;
 * a live gateway's rows are never taken before their lease ends.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_pg_internal.h"

/* ---- outbox ------------------------------------------------------------- */

static const char PG_OUTBOX_ADD[] =
    "INSERT INTO outbox (booking_id, channel, kind, recipient, message_id,"
    " payload, status, created_at, next_attempt_at, waitlist_id)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";

int
pgsql_outbox_add(struct store *s, struct outbox_message *m, struct error *err)
{
	return pq_one(
	    pq_query(s, err, PG_OUTBOX_ADD, PQ_ID(m->booking_id),
	        PQ_TEXT(m->channel), PQ_TEXT(m->kind), PQ_TEXT(m->recipient),
	        PQ_TEXT(m->message_id), PQ_BLOB(m->payload, m->payload_len),
	        PQ_TEXT(outbox_status_name(m->status)), PQ_INT(m->created_at),
	        PQ_INT(m->next_attempt_at), PQ_ID(m->waitlist_id)),
	    pq_read_id, &m->id, err, "message");
}

#define OUTBOX_COLUMNS                                                         \
	"id, COALESCE(booking_id, 0), channel, kind, recipient, message_id,"   \
	" payload, status, attempts, created_at, next_attempt_at, sent_at,"    \
	" last_error, provider_id"

static void
outbox_read(const PGresult *res, int row, void *out)
{
	struct outbox_message *m = out;
	char status[16];

	memset(m, 0, sizeof *m);
	m->id = pq_int(res, row, 0);
	m->booking_id = pq_int(res, row, 1);
	pq_text(res, row, 2, m->channel, sizeof m->channel);
	pq_text(res, row, 3, m->kind, sizeof m->kind);
	pq_text(res, row, 4, m->recipient, sizeof m->recipient);
	pq_text(res, row, 5, m->message_id, sizeof m->message_id);
	m->payload = pq_bytes(res, row, 6, &m->payload_len);
	pq_text(res, row, 7, status, sizeof status);
	m->status = outbox_status_parse(status);
	m->attempts = (unsigned)pq_int(res, row, 8);
	m->created_at = pq_int(res, row, 9);
	m->next_attempt_at = pq_int(res, row, 10);
	m->sent_at = pq_int(res, row, 11);
	pq_text(res, row, 12, m->last_error, sizeof m->last_error);
	pq_text(res, row, 13, m->provider_id, sizeof m->provider_id);
}

static int
by_id(const void *a, const void *b)
{
	int64_t x = ((const struct outbox_message *)a)->id,
	        y = ((const struct outbox_message *)b)->id;

	return (x > y) - (x < y);
}

/* due: queued and due, or leased and either past its lease or held by a
 * connection that is gone */
static const char PG_OUTBOX_CLAIM[] =
    "UPDATE outbox SET status = 'sending', lease_until = $3,"
    " lease_owner = pg_backend_pid(), attempts = attempts + 1"
    " WHERE id IN (SELECT o.id FROM outbox o WHERE o.channel = $1"
    "  AND ((o.status = 'queued' AND o.next_attempt_at <= $2)"
    "   OR (o.status = 'sending' AND (o.lease_until <= $2"
    "    OR NOT EXISTS (SELECT 1 FROM pg_stat_activity a"
    "     WHERE a.pid = o.lease_owner))))"
    "  ORDER BY o.id LIMIT $4 FOR UPDATE SKIP LOCKED)"
    " RETURNING " OUTBOX_COLUMNS;

int
pgsql_outbox_claim(struct store *s, const char *channel, time_t now,
    time_t lease_until, size_t max, struct outbox_message **out, size_t *n,
    struct error *err)
{
	if (pq_rows(pq_query(s, err, PG_OUTBOX_CLAIM, PQ_TEXT(channel),
	                PQ_INT(now), PQ_INT(lease_until), PQ_INT(max)),
	        sizeof **out, outbox_read, (void **)out, n, err) != 0)
		return -1;
	/* RETURNING has no order: the oldest first, as SQLite's */
	if (*n > 1)
		qsort(*out, *n, sizeof **out, by_id);
	return 0;
}

/* at start-up: only the rows of gateways that are gone (their backend has
 * ended); other gateways may be delivering theirs right now */
static const char PG_OUTBOX_RELEASE[] =
    "UPDATE outbox SET status = 'queued', lease_until = 0, lease_owner = 0"
    " WHERE status = 'sending' AND NOT EXISTS (SELECT 1 FROM"
    " pg_stat_activity a WHERE a.pid = outbox.lease_owner)";

int
pgsql_outbox_release_leases(struct store *s, struct error *err)
{
	return pq_exec0(s, err, PG_OUTBOX_RELEASE);
}

static const char PG_OUTBOX_GET[] =
    "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE id = $1";
static const char PG_OUTBOX_BY_MSGID[] =
    "SELECT " OUTBOX_COLUMNS " FROM outbox"
    " WHERE message_id = $1 AND message_id <> '' ORDER BY id LIMIT 1";

int
pgsql_outbox_get(
    struct store *s, int64_t id, struct outbox_message *m, struct error *err)
{
	return pq_one(pq_query(s, err, PG_OUTBOX_GET, PQ_INT(id)), outbox_read,
	    m, err, "message");
}

int
pgsql_outbox_by_message_id(struct store *s, const char *message_id,
    struct outbox_message *m, struct error *err)
{
	return pq_one(pq_query(s, err, PG_OUTBOX_BY_MSGID, PQ_TEXT(message_id)),
	    outbox_read, m, err, "message");
}

/* Only a row still leased changes: a message a late worker finished after
 * its lease was taken over keeps the newer outcome. */
static const char PG_OUTBOX_SENT[] =
    "UPDATE outbox SET status = 'sent', sent_at = $1, provider_id = $2,"
    " last_error = $3, lease_until = 0 WHERE id = $4 AND status = 'sending'";
static const char PG_OUTBOX_RETRY[] =
    "UPDATE outbox SET status = 'queued', next_attempt_at = $1,"
    " last_error = $2, lease_until = 0 WHERE id = $3 AND status = 'sending'";
static const char PG_OUTBOX_FINAL[] =
    "UPDATE outbox SET status = $1, last_error = $2, lease_until = 0"
    " WHERE id = $3";

int
pgsql_outbox_mark_sent(struct store *s, int64_t id, time_t at,
    const char *provider_id, const char *detail, struct error *err)
{
	return pq_exec(s, err, PG_OUTBOX_SENT, PQ_INT(at), PQ_TEXT(provider_id),
	    PQ_TEXT(detail), PQ_INT(id));
}

int
pgsql_outbox_mark_retry(struct store *s, int64_t id, time_t next_at,
    const char *detail, struct error *err)
{
	return pq_exec(s, err, PG_OUTBOX_RETRY, PQ_INT(next_at),
	    PQ_TEXT(detail), PQ_INT(id));
}

int
pgsql_outbox_mark_final(struct store *s, int64_t id, enum outbox_status status,
    const char *detail, struct error *err)
{
	return pq_exec(s, err, PG_OUTBOX_FINAL,
	    PQ_TEXT(outbox_status_name(status)), PQ_TEXT(detail), PQ_INT(id));
}

static const char PG_OUTBOX_STATS[] =
    "SELECT status, count(*), min(created_at), COALESCE(max(sent_at), 0)"
    " FROM outbox WHERE ($1::text IS NULL OR channel = $1::text)"
    " GROUP BY status";

int
pgsql_outbox_stats(struct store *s, const char *channel,
    struct outbox_stats *stats, struct error *err)
{
	PGresult *res;
	int row;

	memset(stats, 0, sizeof *stats);
	if ((res = pq_query(s, err, PG_OUTBOX_STATS,
	         channel != NULL ? PQ_TEXT(channel) : PQ_NULL)) == NULL)
		return -1;
	for (row = 0; row < PQntuples(res); row++) {
		unsigned count = (unsigned)pq_int(res, row, 1);
		enum outbox_status status =
		    outbox_status_parse(PQgetvalue(res, row, 0));

		if ((status == OUTBOX_SENT || status == OUTBOX_DELIVERED) &&
		    pq_int(res, row, 3) > stats->last_sent)
			stats->last_sent = (time_t)pq_int(res, row, 3);
		switch (status) {
		case OUTBOX_QUEUED:
			stats->queued = count;
			stats->oldest_queued = pq_int(res, row, 2);
			break;
		case OUTBOX_SENDING: stats->sending = count; break;
		case OUTBOX_SENT: stats->sent = count; break;
		case OUTBOX_DELIVERED: stats->delivered = count; break;
		case OUTBOX_FAILED: stats->failed = count; break;
		case OUTBOX_DEAD: stats->dead = count; break;
		case OUTBOX_SUPPRESSED: stats->suppressed = count; break;
		}
	}
	PQclear(res);
	return 0;
}

static const char PG_OUTBOX_LIST[] =
    "SELECT " OUTBOX_COLUMNS " FROM outbox"
    " WHERE ($1::text IS NULL OR channel = $1::text)"
    " AND ($2::bigint = 0 OR booking_id = $2::bigint)"
    " ORDER BY id DESC LIMIT $3";

int
pgsql_outbox_list(struct store *s, const char *channel, int64_t booking_id,
    unsigned limit, struct outbox_message **out, size_t *n, struct error *err)
{
	return pq_rows(pq_query(s, err, PG_OUTBOX_LIST,
	                   channel != NULL ? PQ_TEXT(channel) : PQ_NULL,
	                   PQ_INT(booking_id), PQ_INT(limit ? limit : 100)),
	    sizeof **out, outbox_read, (void **)out, n, err);
}

static const char PG_OUTBOX_RECENT_KIND[] =
    "SELECT count(*) FROM (SELECT 1 FROM outbox WHERE booking_id = $1"
    " AND kind = $2 AND created_at >= $3 LIMIT 1) x";

int
pgsql_outbox_recent_kind(struct store *s, int64_t booking_id, const char *kind,
    time_t since, bool *found, struct error *err)
{
	unsigned count = 0;

	if (pq_one(pq_query(s, err, PG_OUTBOX_RECENT_KIND, PQ_INT(booking_id),
	               PQ_TEXT(kind), PQ_INT(since)),
	        pq_read_count, &count, err, "count") != 0)
		return -1;
	*found = count > 0;
	return 0;
}

static const char PG_OUTBOX_FIRST_MSGID[] =
    "SELECT message_id FROM outbox WHERE booking_id = $1"
    " AND channel = 'email' AND message_id <> '' ORDER BY id LIMIT 1";

struct text_out {
	char *out;
	size_t size;
};

static void
text_read(const PGresult *res, int row, void *out)
{
	struct text_out *t = out;

	pq_text(res, row, 0, t->out, t->size);
}

int
pgsql_outbox_first_message_id(struct store *s, int64_t booking_id, char *out,
    size_t size, struct error *err)
{
	struct text_out t = {out, size};
	struct error e;

	out[0] = '\0';
	error_clear(&e);
	if (pq_one(pq_query(s, &e, PG_OUTBOX_FIRST_MSGID, PQ_INT(booking_id)),
	        text_read, &t, &e, "message") == 0 ||
	    e.kind == ERROR_NOT_FOUND)
		return 0;
	if (err != NULL)
		*err = e;
	return -1;
}

/* ---- inbox -------------------------------------------------------------- */

static const char PG_INBOX_ADD[] =
    "INSERT INTO inbox (channel, dedup_key, sender, raw, received_at)"
    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (channel, dedup_key) DO NOTHING";

int
pgsql_inbox_add(struct store *s, const char *channel, const char *dedup_key,
    const char *sender, const char *raw, size_t len, time_t at, bool *duplicate,
    struct error *err)
{
	if (pq_exec(s, err, PG_INBOX_ADD, PQ_TEXT(channel), PQ_TEXT(dedup_key),
	        PQ_TEXT(sender), PQ_BLOB(raw, len), PQ_INT(at)) != 0)
		return -1;
	*duplicate = pq_changes(s) == 0;
	return 0;
}

#define INBOX_COLUMNS                                                          \
	"id, channel, sender, raw, received_at, status,"                       \
	" COALESCE(booking_id, 0), verdict, note"

static void
inbox_read(const PGresult *res, int row, void *out)
{
	struct inbox_message *m = out;

	memset(m, 0, sizeof *m);
	m->id = pq_int(res, row, 0);
	pq_text(res, row, 1, m->channel, sizeof m->channel);
	pq_text(res, row, 2, m->sender, sizeof m->sender);
	m->raw = pq_bytes(res, row, 3, &m->raw_len);
	m->received_at = pq_int(res, row, 4);
	pq_text(res, row, 5, m->status, sizeof m->status);
	m->booking_id = pq_int(res, row, 6);
	pq_text(res, row, 7, m->verdict, sizeof m->verdict);
	pq_text(res, row, 8, m->note, sizeof m->note);
}

static const char PG_INBOX_NEXT[] = "SELECT " INBOX_COLUMNS " FROM inbox"
                                    " WHERE status = 'new' ORDER BY id LIMIT 1";
static const char PG_INBOX_MARK[] =
    "UPDATE inbox SET status = $1, booking_id = NULLIF($2::bigint, 0),"
    " verdict = $3, note = $4 WHERE id = $5";
static const char PG_INBOX_GET[] = "SELECT " INBOX_COLUMNS " FROM inbox"
                                   " WHERE id = $1";
static const char PG_INBOX_FOR_BOOKING[] =
    "SELECT " INBOX_COLUMNS " FROM inbox WHERE booking_id = $1 ORDER BY id";

int
pgsql_inbox_next(struct store *s, struct inbox_message *m, struct error *err)
{
	struct error e;

	error_clear(&e);
	if (pq_one(pq_query0(s, &e, PG_INBOX_NEXT), inbox_read, m, &e,
	        "message") == 0)
		return 0;
	if (e.kind == ERROR_NOT_FOUND)
		return error_set(err, ERROR_NOT_FOUND, "inbox empty");
	if (err != NULL)
		*err = e;
	return -1;
}

int
pgsql_inbox_get(
    struct store *s, int64_t id, struct inbox_message *m, struct error *err)
{
	return pq_one(pq_query(s, err, PG_INBOX_GET, PQ_INT(id)), inbox_read, m,
	    err, "inbox message");
}

int
pgsql_inbox_mark(struct store *s, int64_t id, const char *status,
    int64_t booking_id, const char *verdict, const char *note,
    struct error *err)
{
	return pq_exec(s, err, PG_INBOX_MARK, PQ_TEXT(status),
	    PQ_INT(booking_id), PQ_TEXT(verdict), PQ_TEXT(note), PQ_INT(id));
}

int
pgsql_inbox_for_booking(struct store *s, int64_t booking_id,
    struct inbox_message **out, size_t *n, struct error *err)
{
	return pq_rows(
	    pq_query(s, err, PG_INBOX_FOR_BOOKING, PQ_INT(booking_id)),
	    sizeof **out, inbox_read, (void **)out, n, err);
}

/* ---- key/value, opt-out ------------------------------------------------- */

static const char PG_KV_GET[] = "SELECT value FROM kv WHERE key = $1";
static const char PG_KV_SET[] =
    "INSERT INTO kv (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE"
    " SET value = excluded.value";

int
pgsql_kv_get(struct store *s, const char *key, char *value, size_t size)
{
	struct text_out t = {value, size};

	return pq_one(pq_query(s, NULL, PG_KV_GET, PQ_TEXT(key)), text_read, &t,
	    NULL, "key");
}

int
pgsql_kv_set(
    struct store *s, const char *key, const char *value, struct error *err)
{
	return pq_exec(s, err, PG_KV_SET, PQ_TEXT(key), PQ_TEXT(value));
}

static const char PG_OPTOUT_ADD[] =
    "INSERT INTO sms_optout (phone, at) VALUES ($1, $2)"
    " ON CONFLICT (phone) DO NOTHING";
static const char PG_OPTOUT_HAS[] =
    "SELECT count(*) FROM sms_optout WHERE phone = $1";

int
pgsql_sms_optout_add(
    struct store *s, const char *phone, time_t at, struct error *err)
{
	return pq_exec(s, err, PG_OPTOUT_ADD, PQ_TEXT(phone), PQ_INT(at));
}

int
pgsql_sms_optout_has(
    struct store *s, const char *phone, bool *has, struct error *err)
{
	unsigned count = 0;

	if (pq_one(pq_query(s, err, PG_OPTOUT_HAS, PQ_TEXT(phone)),
	        pq_read_count, &count, err, "count") != 0)
		return -1;
	*has = count > 0;
	return 0;
}
