/*
 * store_sqlite_privacy.c: erasing citizens' personal data (store.h
 * "personal data"; when and why: lib/retention.h, lib/person.h).
 *
 * Where personal data lives, and what erasing leaves:
 *   bookings        first_name, last_name (and their folded forms, the
 *                   register's search), email, phone, note, the client
 *                   hashes → ""; erased_at = when. Status, service, desk,
 *                   day, times, language, source and reference stay: the
 *                   reports count them.
 *   booking_events  detail → "" (a staff note's text, a reply's note);
 *                   who did what and when stays.
 *   outbox          recipient, payload, text (what staff read),
 *                   last_error (servers echo the address) → ""; a message
 *                   still queued is suppressed.
 *   inbox           raw, sender, words (the citizen's own) → "", dedup_key →
 * "erased:<id>" (an e-mail Message-ID may carry the sender's address). waitlist
 * first_name, last_name, email, phone, client hash → "" once the line's day is
 * before the cutoff's (and it is no longer in line), with the messages about
 * the entry (outbox.waitlist_id): store_waitlist_purge_*. sessions expired ones
 * and those of disabled operators go; login_failures  old ones go. The audit
 * log holds no citizen's data by design (audit.h) and stays.
 *
 * A booking is due when its visit ended before the cutoff; a cancelled or
 * expired one when it ended before it (ended_at, else its last event, else
 * when it was made): a cancellation does not wait for the visit's day.
 * Every statement reads "due" the same way inside the caller's
 * transaction, and bookings are marked last, so the statements agree.
 *
 * The connection runs with secure_delete (store_open): the old bytes of
 * what these statements overwrite are zeroed in their pages.
 */
#include <stdlib.h>
#include <string.h>

#include "store_sqlite_internal.h"

/* the bookings due for erasure at cutoff ?1 */
#define DUE_BOOKINGS                                                           \
	"SELECT b.id FROM bookings b WHERE b.erased_at = 0 AND CASE"           \
	" WHEN b.status IN ('cancelled', 'expired') THEN COALESCE("            \
	"  NULLIF(b.ended_at, 0), (SELECT MAX(e.at) FROM booking_events e"     \
	"  WHERE e.booking_id = b.id), b.created_at)"                          \
	" ELSE MAX(b.end_at, b.ended_at) END < ?1"

/* the bookings of one person: ?1 e-mail (any ASCII case), ?2 phone */
#define PERSON_BOOKINGS                                                        \
	"SELECT b.id FROM bookings b WHERE (?1 <> '' AND"                      \
	" lower(b.email) = lower(?1)) OR (?2 <> '' AND b.phone = ?2)"

/* what erasing a message leaves (a queued one is never sent) */
#define OUTBOX_ERASE                                                           \
	"UPDATE outbox SET recipient = '', payload = X'', last_error = '',"    \
	" text = '', status = CASE WHEN status = 'queued' THEN 'suppressed'"   \
	" ELSE status END WHERE (recipient <> '' OR length(payload) > 0 OR"    \
	" last_error <> '' OR text <> '') AND "
#define INBOX_ERASE                                                            \
	"UPDATE inbox SET raw = X'', sender = '', words = '',"                 \
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

static const char SQL_DUE_OUTBOX[] =
    OUTBOX_ERASE "(booking_id IN (" DUE_BOOKINGS ") OR (booking_id IS NULL AND"
                 " waitlist_id IS NULL AND created_at < ?1))";
static const char SQL_DUE_INBOX[] =
    INBOX_ERASE "(booking_id IN (" DUE_BOOKINGS ") OR (booking_id IS NULL AND"
                " received_at < ?1))";
static const char SQL_DUE_EVENTS[] =
    EVENTS_ERASE "booking_id IN (" DUE_BOOKINGS ")";
static const char SQL_DUE_BOOKINGS[] =
    BOOKINGS_ERASE("?2") "id IN (" DUE_BOOKINGS ")";
static const char SQL_SESSIONS_PURGE[] =
    "DELETE FROM sessions WHERE expires_at < ?1 OR operator_id IN"
    " (SELECT id FROM operators WHERE disabled = 1)";
static const char SQL_LOGIN_FAILURES_PURGE[] =
    "DELETE FROM login_failures WHERE first_at < ?1 AND locked_until < ?2";

/* run one erasing statement and add what it changed to *count */
#define ERASE(sql, count, ...)                                                 \
	do {                                                                   \
		if (sq_exec(s, err, sql, __VA_ARGS__) != 0)                    \
			return -1;                                             \
		(count) += (unsigned)sq_changes(s);                            \
	} while (0)

int
sqlite_purge_before(struct store *s, time_t cutoff, time_t now,
    struct purge_counts *c, struct error *err)
{
	ERASE(SQL_DUE_OUTBOX, c->outbox, SQ_INT(cutoff));
	ERASE(SQL_DUE_INBOX, c->inbox, SQ_INT(cutoff));
	ERASE(SQL_DUE_EVENTS, c->events, SQ_INT(cutoff));
	ERASE(SQL_DUE_BOOKINGS, c->bookings, SQ_INT(cutoff), SQ_INT(now));
	ERASE(SQL_SESSIONS_PURGE, c->sessions, SQ_INT(now));
	ERASE(
	    SQL_LOGIN_FAILURES_PURGE, c->sessions, SQ_INT(cutoff), SQ_INT(now));
	return 0;
}

/* one person: ?1 e-mail, ?2 phone, ?3 the e-mail's ASCII (A-label) form,
 * as the outbox addresses it */
#define LOOSE_OUTBOX                                                           \
	"booking_id IS NULL AND ((?1 <> '' AND lower(recipient)"               \
	" IN (lower(?1), lower(?3))) OR (?2 <> '' AND recipient = ?2))"
/* a reply by e-mail names its sender only inside the raw message */
#define LOOSE_INBOX                                                            \
	"booking_id IS NULL AND ((?2 <> '' AND sender = ?2) OR"                \
	" (?1 <> '' AND (instr(lower(CAST(raw AS TEXT)), lower(?1)) > 0 OR"    \
	" instr(lower(CAST(raw AS TEXT)), lower(?3)) > 0)))"

static const char SQL_PERSON_OUTBOX[] =
    OUTBOX_ERASE "(booking_id IN (" PERSON_BOOKINGS ") OR (" LOOSE_OUTBOX "))";
static const char SQL_PERSON_INBOX[] =
    INBOX_ERASE "(booking_id IN (" PERSON_BOOKINGS ") OR (" LOOSE_INBOX "))";
static const char SQL_PERSON_EVENTS[] =
    EVENTS_ERASE "booking_id IN (" PERSON_BOOKINGS ")";
/* the bookings themselves last: their e-mail and phone find the rest */
static const char SQL_PERSON_BOOKINGS[] =
    BOOKINGS_ERASE("?3") "id IN (" PERSON_BOOKINGS ")";
static const char SQL_PERSON_OPTOUT[] =
    "DELETE FROM sms_optout WHERE ?1 <> '' AND phone = ?1";

int
sqlite_purge_contact(struct store *s, const char *email,
    const char *email_ascii, const char *phone, time_t now,
    struct purge_counts *c, struct error *err)
{
	const char *ascii = email_ascii[0] != '\0' ? email_ascii : email;

	ERASE(SQL_PERSON_OUTBOX, c->outbox, SQ_TEXT(email), SQ_TEXT(phone),
	    SQ_TEXT(ascii));
	ERASE(SQL_PERSON_INBOX, c->inbox, SQ_TEXT(email), SQ_TEXT(phone),
	    SQ_TEXT(ascii));
	ERASE(SQL_PERSON_EVENTS, c->events, SQ_TEXT(email), SQ_TEXT(phone));
	ERASE(SQL_PERSON_BOOKINGS, c->bookings, SQ_TEXT(email), SQ_TEXT(phone),
	    SQ_INT(now));
	ERASE(SQL_PERSON_OPTOUT, c->optouts, SQ_TEXT(phone));
	return 0;
}

static const char SQL_PERSON_LIST[] =
    "SELECT b.id, b.erased_at FROM bookings b WHERE (?1 <> '' AND"
    " lower(b.email) = lower(?1)) OR (?2 <> '' AND b.phone = ?2)"
    " ORDER BY b.start_at, b.id";

static void
person_booking_read(sqlite3_stmt *st, void *row)
{
	struct person_booking *p = row;

	p->id = sqlite3_column_int64(st, 0);
	p->erased_at = sqlite3_column_int64(st, 1);
}

int
sqlite_person_bookings(struct store *s, const char *email, const char *phone,
    struct person_booking **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st =
	    sq_query(s, err, SQL_PERSON_LIST, SQ_TEXT(email), SQ_TEXT(phone));

	if (st == NULL)
		return -1;
	return collect_rows(s, st, sizeof **out, person_booking_read, NULL,
	    (void **)out, n, err);
}

static const char SQL_LOOSE_OUTBOX_IDS[] =
    "SELECT id FROM outbox WHERE " LOOSE_OUTBOX " ORDER BY id";
static const char SQL_LOOSE_INBOX_IDS[] =
    "SELECT id FROM inbox WHERE " LOOSE_INBOX " ORDER BY id";

static void
id_read(sqlite3_stmt *st, void *row)
{
	*(int64_t *)row = sqlite3_column_int64(st, 0);
}

int
sqlite_person_loose(struct store *s, const char *email, const char *email_ascii,
    const char *phone, int64_t **outbox_ids, size_t *noutbox,
    int64_t **inbox_ids, size_t *ninbox, struct error *err)
{
	const char *ascii = email_ascii[0] != '\0' ? email_ascii : email;
	sqlite3_stmt *st;

	*outbox_ids = *inbox_ids = NULL;
	*noutbox = *ninbox = 0;
	st = sq_query(s, err, SQL_LOOSE_OUTBOX_IDS, SQ_TEXT(email),
	    SQ_TEXT(phone), SQ_TEXT(ascii));
	if (st == NULL || collect_rows(s, st, sizeof **outbox_ids, id_read,
	                      NULL, (void **)outbox_ids, noutbox, err) != 0)
		return -1;
	st = sq_query(s, err, SQL_LOOSE_INBOX_IDS, SQ_TEXT(email),
	    SQ_TEXT(phone), SQ_TEXT(ascii));
	if (st == NULL || collect_rows(s, st, sizeof **inbox_ids, id_read, NULL,
	                      (void **)inbox_ids, ninbox, err) != 0) {
		free(*outbox_ids);
		*outbox_ids = NULL;
		*noutbox = 0;
		return -1;
	}
	return 0;
}

static const char SQL_PERSON_ACCOUNTS[] =
    "SELECT " SQ_ACCOUNT_COLUMNS ", o.email, o.phone FROM operators o"
    " WHERE (?1 <> '' AND lower(o.email) = lower(?1))"
    " OR (?2 <> '' AND o.phone = ?2) ORDER BY o.login";

/* the account's columns as everywhere, then its own contact */
static void
person_account_read(sqlite3_stmt *st, void *row)
{
	struct person_account *a = row;

	sq_read_account(st, &a->account);
	col_copy(st, 7, a->email, sizeof a->email);
	col_copy(st, 8, a->phone, sizeof a->phone);
}

int
sqlite_person_accounts(struct store *s, const char *email, const char *phone,
    struct person_account **out, size_t *n, struct error *err)
{
	sqlite3_stmt *st = sq_query(
	    s, err, SQL_PERSON_ACCOUNTS, SQ_TEXT(email), SQ_TEXT(phone));

	if (st == NULL)
		return -1;
	return collect_rows(s, st, sizeof **out, person_account_read, NULL,
	    (void **)out, n, err);
}

static const char SQL_OPTOUT_AT[] = "SELECT at FROM sms_optout WHERE phone = ?";

static void
time_read(sqlite3_stmt *st, void *row)
{
	*(time_t *)row = (time_t)sqlite3_column_int64(st, 0);
}

int
sqlite_sms_optout_at(
    struct store *s, const char *phone, time_t *at, struct error *err)
{
	sqlite3_stmt *st = sq_query(s, err, SQL_OPTOUT_AT, SQ_TEXT(phone));
	struct error none;

	*at = 0;
	if (st == NULL)
		return -1;
	error_clear(&none);
	if (sq_one(s, st, time_read, at, &none, "opt-out") != 0 &&
	    none.kind != ERROR_NOT_FOUND) {
		*err = none;
		return -1;
	}
	return 0;
}
