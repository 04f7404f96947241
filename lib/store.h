/*
 * store.h: the only door to the database. Every SQL statement of wizyta
 * lives behind this header, in one of two backends chosen at run time by
 * store_open: SQLite (lib/store_sqlite*.c, the embedded default: one file,
 * one machine) and PostgreSQL (lib/store_pg*.c: several wizyta-web and
 * wizytad processes on one database). Callers never see which one: they
 * call the same functions (store_backend.h tells how the dispatch works).
 *
 * One struct store per thread. Writers wrap their work in store_begin() …
 * store_commit(). The domain (booking.c) owns those transactions; state
 * change and the outbox rows it causes commit together or not at all.
 * What makes "is the slot still free?" and "insert the booking" one step is
 * the backend's business: SQLite serialises writers (BEGIN IMMEDIATE);
 * PostgreSQL, at its default isolation (read committed), locks the desk's
 * day while it counts (store_busy_count), a booking row read inside a
 * write transaction, and guards codes and queues by constraints and
 * SKIP LOCKED (store_pg.c tells which guards what).
 *
 * Reads fill caller-owned structs; lists are malloc'd arrays the caller
 * frees with free() (or the named _free for ones that own more memory).
 */
#ifndef WIZYTA_STORE_H
#define WIZYTA_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "actor.h"
#include "buf.h"
#include "booking_state.h"
#include "error.h"
#include "office_time.h"
#include "slot.h"

/* the schema version this program writes: the number of migrations */
int store_schema_latest(void);
#define STORE_SCHEMA_VERSION (store_schema_latest())

struct store;

struct unit {
	int64_t id;
	char name[128];
	bool retired; /* kept for history; offers nothing */
};

struct service {
	int64_t id;
	int64_t unit_id;
	char unit[128];
	char name[128];
	char name_en[128];
	char description[512];	/* what to bring (Polish) */
	char description_en[512];
	unsigned duration_minutes;
	bool active; /* false: retired, offered to nobody */
	/* its own rules (store_sqlite_admin.c; booking.c honours them) */
	unsigned capacity; /* people per slot; 0 = the desk's capacity */
	unsigned max_open_per_person; /* open bookings of one contact for it;
	                                 0 = no limit of its own */
	/* seconds; 0 = the office's ([booking] lead_time, horizon,
	 * confirm_within), so a zeroed struct follows the office */
	int64_t lead_time;
	int64_t horizon;
	int64_t confirm_within;
	bool staff_only; /* not offered to citizens; staff book it */
	bool waitlist;   /* citizens may join a full day's waitlist (issue 16,
	                    lib/waitlist.h); on by default */
};

struct desk {			/* a service point: room + desk */
	int64_t id;
	char room[48];		/* "Pokój 1" */
	char name[96];		/* "Pokój 1 stanowisko 1" */
	unsigned capacity;
	int64_t room_id; /* 0 on add: the room named `room` (made if new) */
	bool retired;    /* serves nobody; kept for history */
};

/* a dated exception to the weekly hours */
struct calendar_exception {
	int64_t id;
	int64_t desk_id; /* 0 = every desk */
	struct date day;
	int opens, closes; /* minutes of the day; opens -1 = closed */
	char reason[128];
	char desk_name[96]; /* joined for display ("" = every desk) */
};

struct booking {
	int64_t id;
	char reference[16];
	int64_t service_id;
	int64_t desk_id;
	time_t start, end;
	enum booking_status status;
	char first_name[64];
	char last_name[64];
	char email[256];	/* "" when none */
	char phone[20];		/* E.164 or "" */
	char language[3];	/* "pl" | "en" */
	char access_code[8];	/* "" until confirmed */
	char token[24];		/* secret in the citizen's links (never shown to staff) */
	char source[16];	/* "web", "api", "staff" */
	char note[256];		/* staff annotation */
	time_t created_at;
	time_t confirm_by;  /* pending expires then */
	time_t reminded_at; /* 0 = not yet */
	unsigned sequence;  /* iCalendar SEQUENCE: bumps on reschedule */
	/* the desk's day: 0 until it happens */
	time_t checked_in_at; /* became waiting */
	time_t called_at;     /* last called */
	time_t started_at;    /* became in_service */
	time_t ended_at;      /* reached a final status */
	/* the live delay notices (lib/delay.h): the last step the citizen
	 * was told of, and the delay that notice gave (seconds); both 0 until
	 * a notice, and again after a move to another time */
	unsigned delay_step;
	int64_t delay_notified;
	/* the office's last move (booking_reschedule by an operator) and the
	 * citizen's answer to it: "" (none), "asked", "kept" (TAK, or the
	 * link), "declined" (cancelled while asked) */
	time_t moved_at;
	char move_answer[12];
	/* keyed hashes of the booking client's address and network, while
	 * pending (client_addr.h); written, never read back */
	char client_hash[33];
	char client_net[33];
	/* joined for display */
	char service_name[128];
	char service_name_en[128];
	char desk_name[96];
	char room[48];
};

struct booking_filter {		/* every field optional ("" / 0 / -1) */
	struct date from, to;	/* year 0 = open */
	int64_t desk_id;
	int64_t service_id;
	int status;		/* enum booking_status or -1 */
	bool live_only;
	const char *text;	/* matches name, e-mail, phone, code, reference */
	unsigned limit;		/* 0 = 500 */
};

enum outbox_status {
	OUTBOX_QUEUED,		/* waiting for its next attempt */
	OUTBOX_SENDING,		/* claimed by a worker (lease) */
	OUTBOX_SENT,		/* accepted by the server/provider */
	OUTBOX_DELIVERED,	/* SMS delivery report: delivered */
	OUTBOX_FAILED,		/* permanent failure or bounce */
	OUTBOX_DEAD,		/* temporary failures until retry_max_age */
	OUTBOX_SUPPRESSED,	/* not sent: e.g. the number said STOP */
};

struct outbox_message {
	int64_t id;
	int64_t booking_id;	/* 0 when about no booking */
	char channel[8];	/* "email" | "sms" */
	char kind[24];		/* "confirm_request", "access_code", … */
	char recipient[256];
	char message_id[160];	/* e-mail Message-ID without <>, or "" */
	char *payload;		/* owned; freed by outbox_message_free */
	size_t payload_len;
	enum outbox_status status;
	unsigned attempts;
	time_t created_at;
	time_t next_attempt_at;
	time_t sent_at;
	char last_error[256];
	char provider_id[128];
	int64_t waitlist_id; /* about a waitlist entry (not a booking), or 0:
	                        written, not read back by store_outbox_* */
};

struct outbox_stats {
	unsigned queued, sending, sent, delivered, failed, dead, suppressed;
	time_t oldest_queued;	/* 0 when none */
	time_t last_sent;	/* the newest sent or delivered, 0 when none */
};

/* one line of a booking's history (booking_events) */
struct booking_event {
	int64_t id;
	int64_t booking_id;
	time_t at;
	char actor[64];		/* "citizen:sms", "staff:LOGIN", "system" … */
	char action[32];	/* "create", "confirm", "reply_late" … */
	char detail[256];
};

struct inbox_message {
	int64_t id;
	char channel[8];	/* "email" | "sms" */
	char sender[256];	/* SMS: E.164 number; e-mail: "" until read */
	char *raw;		/* owned */
	size_t raw_len;
	time_t received_at;
	char status[12];	/* "new", "processed", "ignored" */
	int64_t booking_id;
	char verdict[16];
	char note[256];
};

/* an operator's account (not "struct operator": clang-format reads that as
 * the C++ keyword and mangles every use) */
struct account {
	int64_t id;
	char login[64];
	char display_name[128];
	enum role role;          /* reception, staff or admin */
	char password_hash[160]; /* only store_operator_by_login fills it */
	int64_t desk_id;         /* the clerk's current desk, 0 = none */
	bool disabled;           /* may not sign in; sessions and tokens stop */
	time_t created_at;
};

/* one row of the audit log (lib/audit.h writes them) */
struct audit_entry {
	int64_t id;
	time_t at;
	int64_t
	    operator_id; /* 0: not an operator (an unknown login, the CLI) */
	char login[64];
	char role[16];
	char channel[8];    /* actor_channel_name() */
	char action[32];    /* "booking.check_in", "login.failed", … */
	int64_t booking_id; /* 0 = about no booking */
	char reference[16]; /* the booking's, joined for display */
	char before[64];    /* e.g. the status before → after */
	char after[64];
	char detail[160];
	char address[64]; /* the client's address (web and API) */
};

struct audit_filter {          /* every field optional (0 / "") */
	time_t from, to;       /* at in [from, to) */
	const char *login;     /* who */
	const char *reference; /* which booking */
	int64_t before_id;     /* paging: rows older than this id */
	unsigned limit;        /* 0 = 200 */
};

/* failed sign-ins of one login (hashed) */
struct login_failures {
	unsigned failures;
	time_t first_at;
	time_t locked_until;
};

/* lifecycle */
/* store_open: the database a locator names: a file path (SQLite), or
 * "postgresql:" followed by a libpq connection string ("postgresql:host=…
 * port=… dbname=… user=…") or a libpq URI ("postgresql://user@host/db").
 * config.h makes the locator from [database] (config->database). */
struct store *store_open(const char *locator, struct error *);
/* store_locator_is_postgresql: the locator names a PostgreSQL database */
bool store_locator_is_postgresql(const char *locator);
/* store_locator_display: the locator fit for a message or a status line:
 * the file, or "PostgreSQL dbname=… host=… port=…" without the password */
const char *store_locator_display(const char *locator, char *out, size_t size);
/* store_backend: "sqlite" or "postgresql" (for status lines and logs) */
const char *store_backend(const struct store *);
void store_close(struct store *);
/* store_migrate: create or upgrade; refuses a database newer than us. */
int store_migrate(struct store *, int *from, int *to, struct error *);
/* store_check_schema: for daemons: the schema must be exactly ours. */
int store_check_schema(struct store *, struct error *);
/* store_copy: an SQLite office (from, at this program's schema) copied
 * whole into an empty PostgreSQL database (to, migrated first), in one
 * transaction from one snapshot; ids kept, sequences past them; refuses a
 * target that holds data (store_copy.c; wizyta migrate-to-postgresql). */
struct store_copy_report {
	unsigned tables;
	long long rows;
};
int store_copy(struct store *from, struct store *to, struct store_copy_report *,
    struct error *);
/* store_check_writable: a real write (kv "write_check.WHO" = now), so that a
 * read-only file or directory or a full disk stops a program at start with
 * one clear line instead of failing every booking later. */
int store_check_writable(
    struct store *, const char *who, time_t now, struct error *);
/* store_take_storage_failure: whether a statement failed since the last call
 * because the disk is full, read-only or failing (those errors also carry the
 * code "unavailable"); clears the flag. NULL is allowed (false). */
bool store_take_storage_failure(struct store *);
/* store_lock_process: only one process called WHO may use this database
 * at a time, until store_close: SQLite takes an flock on PATH.WHO.lock
 * (ERROR_CONFLICT "another WHO already serves PATH"); PostgreSQL takes
 * none, several share the database (their work is split by the store's
 * locks: store_outbox_claim, store_job_lock). */
int store_lock_process(struct store *, const char *who, struct error *);
/* store_job_lock: try to become the one process doing a job ("scheduler":
 * replies, expiry, reminders) until store_job_unlock or store_close;
 * *mine false when another process holds it (do nothing this round). A
 * process killed while holding it lets go with its connection. SQLite:
 * always mine (one process: store_lock_process). */
int store_job_lock(struct store *, const char *job, bool *mine, struct error *);
void store_job_unlock(struct store *, const char *job);
/* store_begin: a write transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL:
 * BEGIN, read committed); inside a transaction a savepoint, so a
 * domain call made within a caller's transaction joins it (its commit
 * releases the savepoint, its rollback undoes only its own work).
 * ERROR_TEMPORARY with code "retry" (PostgreSQL: a deadlock or a
 * serialisation failure) means: roll back and run the whole transaction
 * again (store_retry_wanted). */
int store_begin(struct store *, struct error *);
int store_commit(struct store *, struct error *);
void store_rollback(struct store *);
/* store_retry_wanted: err says the transaction lost a race the database
 * broke (deadlock, serialisation failure) and may simply be run again */
bool store_retry_wanted(const struct error *);
/* store_read_begin / store_read_end: several reads in one snapshot (a
 * day's windows and bookings agree) and one lock cycle instead of one per
 * statement. Nothing happens inside a write transaction. */
int store_read_begin(struct store *, struct error *);
void store_read_end(struct store *);
/* store_change_token: a value that moves whenever a write was committed,
 * by this connection or any other process, and only then (for caches of
 * what was read: the same token means the same data). Cheap: SQLite reads
 * its change counters; PostgreSQL hashes its current snapshot (one round
 * trip). -1 on failure. */
int64_t store_change_token(struct store *);
/* store_wait: wait at most timeout_ms (0: just look) until another process
 * may have committed something the daemons act on (a message queued, a
 * reply recorded, a booking changed); 1 when it may have, 0 on timeout.
 * The first call answers 1. SQLite polls its change counter every 20 ms;
 * PostgreSQL LISTENs (triggers NOTIFY) and sleeps on the socket. It may
 * wake for nothing: callers look, and find nothing to do. */
int store_wait(struct store *, int timeout_ms, struct error *);

/* catalogue */
int store_unit_add(struct store *, const char *name, int64_t *id, struct error *);
int store_units_list(struct store *, struct unit **, size_t *, struct error *);
int store_service_add(struct store *, const struct service *, int64_t *id, struct error *);
int store_service_get(struct store *, int64_t id, struct service *, struct error *);
int store_services_list(struct store *, bool active_only, struct service **, size_t *, struct error *);
int store_desk_add(struct store *, const struct desk *, int64_t *id, struct error *);
/* store_desks_list: the desks in service; _all: the retired ones too, last */
int store_desks_list(struct store *, struct desk **, size_t *, struct error *);
int store_desks_list_all(
    struct store *, struct desk **, size_t *, struct error *);
int store_hours_add(struct store *, int64_t desk_id, int64_t service_id, int weekday,
    int opens, int closes, struct error *);
/* an exception for one date: desk_id 0 = every desk; opens < 0 = closed,
 * otherwise it replaces the weekly hours and opens holidays */
int store_exception_add(struct store *, int64_t desk_id, struct date, int opens,
    int closes, const char *reason, struct error *);
int store_exception_insert(struct store *, const struct calendar_exception *,
    int64_t *id, struct error *);
int store_desk_get(struct store *, int64_t id, struct desk *, struct error *);
/* store_windows_for_day: opening windows of each desk for the service on
 * that date, after exceptions (holidays are the caller's business: *open_on_holiday
 * says whether an exception explicitly opens the day). */
int store_windows_for_day(struct store *, int64_t service_id, struct date,
    struct slot_window **, size_t *, bool *open_on_holiday, struct error *);
int store_busy_between(struct store *, time_t from, time_t to, struct slot_busy **,
    size_t *, struct error *);
int store_busy_count(struct store *, int64_t desk_id, time_t start, time_t end,
    int64_t except_booking_id, unsigned *count, struct error *);

/* bookings */
int store_booking_insert(struct store *, struct booking *, struct error *);
int store_booking_get(struct store *, int64_t id, struct booking *, struct error *);
int store_booking_by_reference(struct store *, const char *reference, struct booking *,
    struct error *);
int store_booking_by_code(struct store *, const char *code, struct date,
    struct booking *, struct error *);
int store_booking_set_status(struct store *, int64_t id, enum booking_status, struct error *);
int store_booking_set_code(struct store *, int64_t id, const char *code, struct error *);
int store_booking_set_reminded(struct store *, int64_t id, time_t at, struct error *);
int store_booking_set_note(struct store *, int64_t id, const char *note, struct error *);
int store_booking_move(struct store *, int64_t id, int64_t desk_id, time_t start,
    time_t end, struct error *);
int store_code_in_use(struct store *, const char *code, struct date, bool *, struct error *);
/* store_code_holders: how many live bookings of the day hold the code. */
int store_code_holders(struct store *, const char *code, struct date, unsigned *,
    struct error *);
int store_bookings_search(struct store *, const struct booking_filter *,
    struct booking **, size_t *, struct error *);
int store_bookings_expired(struct store *, time_t now, int64_t **ids, size_t *,
    struct error *);
/* store_bookings_to_remind: booked visits still ahead for which one of the
 * reminders (seconds before the start) is due and came after the last
 * reminder, or after the booking was made when there was none */
int store_bookings_to_remind(struct store *, time_t now, const int64_t *before,
    size_t nbefore, int64_t **ids, size_t *, struct error *);
int store_bookings_open_by_contact(struct store *, const char *email, const char *phone,
    time_t now, unsigned *count, struct error *);
int store_bookings_open_by_phone(struct store *, const char *phone, struct booking **,
    size_t *, struct error *);
/* store_bookings_pending_by_client: live pending bookings (confirm_by after
 * now) made from that client address hash and from that network hash. */
int store_bookings_pending_by_client(struct store *, const char *client_hash,
    const char *client_net, time_t now, unsigned *by_host, unsigned *by_net,
    struct error *);
/* store_bookings_pending_for_day: live pending bookings of a service on a
 * local day. */
int store_bookings_pending_for_day(struct store *, int64_t service_id,
    struct date, time_t now, unsigned *count, struct error *);
int store_event_add(struct store *, int64_t booking_id, time_t at, const char *actor,
    const char *action, const char *detail, struct error *);
/* store_events_for_booking: the booking's history, oldest first (free the
 * list with free()) */
int store_events_for_booking(struct store *, int64_t booking_id,
    struct booking_event **, size_t *, struct error *);

/* outbox */
int store_outbox_add(struct store *, struct outbox_message *, struct error *);
/* claim up to max due rows of a channel (queued and due, or sending with
 * an expired lease) and lease them until lease_until */
int store_outbox_claim(struct store *, const char *channel, time_t now,
    time_t lease_until, size_t max, struct outbox_message **, size_t *, struct error *);
/* store_outbox_release_leases: at gateway start-up, a row left "sending" by
 * a killed gateway goes back to the queue (at most that one message may be
 * delivered twice: the price of never losing it). */
int store_outbox_release_leases(struct store *, struct error *);
int store_outbox_get(struct store *, int64_t id, struct outbox_message *, struct error *);
int store_outbox_mark_sent(struct store *, int64_t id, time_t at, const char *provider_id,
    const char *detail, struct error *);
int store_outbox_mark_retry(struct store *, int64_t id, time_t next_at, const char *detail,
    struct error *);
int store_outbox_mark_final(struct store *, int64_t id, enum outbox_status,
    const char *detail, struct error *);
int store_outbox_by_message_id(struct store *, const char *message_id,
    struct outbox_message *, struct error *);
int store_outbox_stats(struct store *, const char *channel, struct outbox_stats *,
    struct error *);
int store_outbox_list(struct store *, const char *channel, int64_t booking_id,
    unsigned limit, struct outbox_message **, size_t *, struct error *);
int store_outbox_recent_kind(struct store *, int64_t booking_id, const char *kind,
    time_t since, bool *found, struct error *);
/* store_outbox_first_message_id: the Message-ID of the booking's first
 * e-mail (what later messages thread to), "" when it has none. */
int store_outbox_first_message_id(
    struct store *, int64_t booking_id, char *out, size_t size, struct error *);
void outbox_message_free(struct outbox_message *);	/* frees payload only */
void outbox_list_free(struct outbox_message *, size_t n);
const char *outbox_status_name(enum outbox_status);

/* inbox: recorded once before it is acted on */
int store_inbox_add(struct store *, const char *channel, const char *dedup_key,
    const char *sender, const char *raw, size_t len, time_t at, bool *duplicate,
    struct error *);
/* store_inbox_next: the oldest "new" message; ERROR_NOT_FOUND when none */
int store_inbox_next(struct store *, struct inbox_message *, struct error *);
int store_inbox_mark(struct store *, int64_t id, const char *status, int64_t booking_id,
    const char *verdict, const char *note, struct error *);
int store_inbox_for_booking(struct store *, int64_t booking_id, struct inbox_message **,
    size_t *, struct error *);
int store_inbox_get(
    struct store *, int64_t id, struct inbox_message *, struct error *);
void inbox_message_free(struct inbox_message *);
void inbox_list_free(struct inbox_message *, size_t n);

/* small key/value memory (IMAP UIDVALIDITY, last UID) */
int store_kv_get(struct store *, const char *key, char *value, size_t size);
int store_kv_set(struct store *, const char *key, const char *value, struct error *);

/* SMS opt-out (STOP) */
int store_sms_optout_add(struct store *, const char *phone, time_t at, struct error *);
int store_sms_optout_has(struct store *, const char *phone, bool *, struct error *);

/* operators and their web sessions, API tokens and sign-in failures
 * (store_sqlite_staff.c). Token arguments are always SHA-256 hashes: the
 * database never holds a usable session or API token. */
int store_operator_add(
    struct store *, const struct account *, int64_t *id, struct error *);
int store_operator_by_login(
    struct store *, const char *login, struct account *, struct error *);
int store_operator_get(
    struct store *, int64_t id, struct account *, struct error *);
int store_operators_list(
    struct store *, struct account **, size_t *, struct error *);
int store_operator_set_password(
    struct store *, int64_t id, const char *hash, struct error *);
int store_operator_set_desk(
    struct store *, int64_t id, int64_t desk_id, struct error *);
/* store_operator_set_disabled: also ends the operator's sessions */
int store_operator_set_disabled(
    struct store *, int64_t id, bool disabled, struct error *);
int store_session_add(struct store *, const char *token_hash,
    int64_t operator_id, time_t now, time_t expires, struct error *);
/* store_session_operator: the enabled operator of a session that is neither
 * past its absolute expiry nor idle since before idle_since; ERROR_NOT_FOUND
 * otherwise. The session's last use moves to now (at most once a minute). */
int store_session_operator(struct store *, const char *token_hash, time_t now,
    time_t idle_since, struct account *, struct error *);
int store_session_delete(
    struct store *, const char *token_hash, struct error *);
/* store_sessions_prune: forget sessions expired or idle (housekeeping) */
int store_sessions_prune(
    struct store *, time_t now, time_t idle_since, struct error *);
int store_api_token_add(struct store *, int64_t operator_id,
    const char *token_hash, time_t now, int64_t *id, struct error *);
/* store_api_token_operator: the enabled operator of a live token */
int store_api_token_operator(struct store *, const char *token_hash, time_t now,
    struct account *, struct error *);
int store_api_tokens_revoke(struct store *, int64_t operator_id, time_t now,
    unsigned *count, struct error *);
/* failed sign-ins: a row per login hash; _get gives zeros when none */
int store_login_failures_get(struct store *, const char *login_hash,
    struct login_failures *, struct error *);
int store_login_failures_set(struct store *, const char *login_hash,
    const struct login_failures *, struct error *);
int store_login_failures_clear(
    struct store *, const char *login_hash, struct error *);
/* store_login_failures_prune: rows whose window and lock are both over */
int store_login_failures_prune(
    struct store *, time_t window_start, time_t now, struct error *);

/* the audit log */
int store_audit_add(struct store *, const struct audit_entry *, struct error *);
/* store_audit_list: newest first */
int store_audit_list(struct store *, const struct audit_filter *,
    struct audit_entry **, size_t *, struct error *);

/* the register (store_sqlite_register.c) */
/*
 * A register search is one index range walked in time order, whatever the
 * filters: the store drives it by the most selective filter given
 * (reference, code, phone, e-mail prefix, surname prefix, first-name
 * prefix, the free text, a status, else the time), checks the others on
 * the rows that range yields, and pages by keyset — the rows after (or
 * before) the last one shown, never OFFSET — so a page costs the same on
 * the first day and at 100k bookings.
 */
struct register_filter { /* every field optional ("" / 0 / -1) */
	time_t from, to; /* start in [from, to); 0 = open */
	int status;      /* enum booking_status or -1 */
	int64_t service_id;
	int64_t desk_id;
	const char *source;    /* "web", "api", "staff", "waitlist" */
	const char *first;     /* folded (text_fold) first-name prefix */
	const char *last;      /* folded surname prefix */
	const char *email;     /* e-mail prefix, any case */
	const char *phone;     /* E.164, exact */
	const char *code;      /* access code, exact */
	const char *reference; /* exact */
	/* free text (CONTRACT's q): word is a folded prefix of the first or
	 * last name or of the e-mail; text_* are what the same text is as a
	 * reference, a code or a phone (NULL when it cannot be one) */
	const char *word;
	const char *word2; /* a second word: a first or last name prefix */
	const char *text_reference, *text_code, *text_phone;
	/* keyset: rows after (start, id) in time order, or before it */
	time_t cursor_start;
	int64_t cursor_id; /* 0 = from the start (or the end, backward) */
	bool backward;
	unsigned limit; /* 1-1000; 0 = 50 */
};
/* store_register_search: a page in time order (also when backward). */
int store_register_search(struct store *, const struct register_filter *,
    struct booking **, size_t *, struct error *);
/* store_register_explain: SQLite's plan of the statement a search would
 * run, a line per step (tests check each filter walks its index) */
int store_register_explain(struct store *, const struct register_filter *,
    struct buf *plan, struct error *);
/* store_booking_kept: did an admin keep the booking where it is although
 * the hours no longer cover it (store_booking_keep, calendar.h)? */
int store_booking_kept(struct store *, int64_t booking_id, time_t start,
    bool *kept, struct error *);
/* store_booking_set_move: the move's time (0 keeps it) and its answer */
int store_booking_set_move(struct store *, int64_t id, time_t moved_at,
    const char *answer, struct error *);
/* store_outbox_withdraw: the booking's messages of kind not yet taken by
 * a worker (queued) become suppressed, with why; *count how many. A
 * message being delivered right now (leased) cannot be taken back. */
int store_outbox_withdraw(struct store *, int64_t booking_id, const char *kind,
    const char *why, unsigned *count, struct error *);
/* store_outbox_set_text: what the message says, for staff (the text part
 * with the subject; an SMS as sent); also notes the newest booking event,
 * the one that caused the message (said.after_event) */
int store_outbox_set_text(
    struct store *, int64_t id, const char *text, struct error *);
/* store_outbox_mark_fallback: the booking's newest message of kind on
 * channel replaces message failed_id (fallback.c) */
int store_outbox_mark_fallback(struct store *, int64_t booking_id,
    const char *channel, const char *kind, int64_t failed_id, struct error *);
/* store_inbox_set_words: the citizen's own words of a reply */
int store_inbox_set_words(
    struct store *, int64_t id, const char *words, struct error *);

/* a booking's conversation, as staff read it */
struct said { /* one message sent */
	int64_t id;
	char channel[8]; /* "email" | "sms" */
	char kind[24];   /* notify_kind_name() */
	char status[12]; /* outbox_status_name() */
	char recipient[256];
	time_t created_at, sent_at;
	char last_error[256]; /* why it failed, was withdrawn, … */
	int64_t fallback_of;  /* the failed message it replaces, or 0 */
	int64_t after_event;  /* the newest booking event when written */
	char *text;           /* owned */
};
struct heard { /* one reply read */
	int64_t id;
	char channel[8];
	time_t received_at;
	char status[12]; /* "new", "processed", "ignored" */
	char verdict[16];
	char note[256];
	char *words; /* owned: the citizen's own words */
};
int store_conversation_said(struct store *, int64_t booking_id, struct said **,
    size_t *, struct error *);
int store_conversation_heard(struct store *, int64_t booking_id,
    struct heard **, size_t *, struct error *);
void said_list_free(struct said *, size_t);
void heard_list_free(struct heard *, size_t);
/* the rules admins tune at run time (store_sqlite_settings.c, lib/settings.h)
 */
struct setting_row {
	char name[96];
	char *value; /* owned */
	time_t changed_at;
	char changed_by[64];
};
/* store_settings_list: every setting an admin changed, by name, and the
 * settings generation they make, read in one snapshot */
int store_settings_list(struct store *, struct setting_row **, size_t *,
    int64_t *generation, struct error *);
void setting_rows_free(struct setting_row *, size_t n);
int store_settings_generation(struct store *, int64_t *, struct error *);
int store_setting_put(struct store *, const char *name, const char *value,
    time_t now, const char *by, struct error *);
int store_setting_delete(struct store *, const char *name, struct error *);
/* store_settings_bump: the generation moves (inside the writer's
 * transaction): every daemon reloads */
int store_settings_bump(struct store *, struct error *);
/* an operator's own contact, for admins' test messages ("" when none) */
int store_operator_contact_get(struct store *, int64_t operator_id,
    char email[256], char phone[20], struct error *);
int store_operator_contact_set(struct store *, int64_t operator_id,
    const char *email, const char *phone, struct error *);
/* store_outbox_defer: a claimed row goes back to the queue until `until`
 * without counting an attempt (an SMS held through the quiet hours) */
int store_outbox_defer(
    struct store *, int64_t id, time_t until, struct error *);
/* the office's structure as admins edit it (store_sqlite_admin.c) */
struct room {
	int64_t id;
	char name[48];
	bool retired;
};

struct opening_hours { /* one weekly window of a desk */
	int64_t id;
	int64_t desk_id;
	int64_t service_id; /* 0 = every service the desk serves */
	int weekday;        /* 1 = Monday … 7 = Sunday */
	int opens, closes;  /* minutes of the day, closes exclusive */
};

struct holiday_override { /* how the office keeps one day */
	struct date day;
	bool closed; /* true: closed (a day off); false: open on a holiday */
	char name[96];
};

struct api_token_info {
	int64_t id;
	time_t created_at, last_used_at, revoked_at; /* 0 = never */
};

int store_unit_get(struct store *, int64_t id, struct unit *, struct error *);
/* store_unit_update: name and retired */
int store_unit_update(struct store *, const struct unit *, struct error *);
/* store_unit_services: how many active services the unit offers */
int store_unit_services(
    struct store *, int64_t unit_id, unsigned *count, struct error *);
/* store_service_update: every field but id */
int store_service_update(
    struct store *, const struct service *, struct error *);
int store_room_add(
    struct store *, const char *name, int64_t *id, struct error *);
int store_room_get(struct store *, int64_t id, struct room *, struct error *);
/* store_room_update: name (its desks' room names follow) and retired */
int store_room_update(struct store *, const struct room *, struct error *);
int store_rooms_list(struct store *, struct room **, size_t *, struct error *);
/* store_room_desks: how many desks in service the room holds */
int store_room_desks(
    struct store *, int64_t room_id, unsigned *count, struct error *);
/* store_desk_update: room (by room_id), name, capacity, retired */
int store_desk_update(struct store *, const struct desk *, struct error *);
/* the services a desk serves: ids ascending */
int store_desk_services(
    struct store *, int64_t desk_id, int64_t **ids, size_t *n, struct error *);
int store_desk_services_set(struct store *, int64_t desk_id, const int64_t *ids,
    size_t n, struct error *);
/* the desks serving a service: ids ascending */
int store_service_desks(struct store *, int64_t service_id, int64_t **ids,
    size_t *n, struct error *);
/* weekly hours: desk 0 = every desk's; by desk, weekday, opens */
int store_hours_list(struct store *, int64_t desk_id, struct opening_hours **,
    size_t *, struct error *);
/* store_hours_set: replace the desk's whole week */
int store_hours_set(struct store *, int64_t desk_id,
    const struct opening_hours *, size_t n, struct error *);
/* exceptions from one day to another, both included (year 0 = open) */
int store_exceptions_list(struct store *, struct date from, struct date to,
    struct calendar_exception **, size_t *, struct error *);
int store_exception_get(
    struct store *, int64_t id, struct calendar_exception *, struct error *);
int store_exception_delete(struct store *, int64_t id, struct error *);
/* holidays as the office keeps them: the overrides of one year */
int store_holidays_list(struct store *, int year, struct holiday_override **,
    size_t *, struct error *);
/* store_holiday_get: *found false when the day has no override */
int store_holiday_get(struct store *, struct date, struct holiday_override *,
    bool *found, struct error *);
int store_holiday_set(
    struct store *, const struct holiday_override *, struct error *);
int store_holiday_clear(struct store *, struct date, struct error *);
/* store_bookings_upcoming: pending and booked bookings starting at or
 * after from, but those an admin kept outside the hours at their time;
 * by service, then start */
int store_bookings_upcoming(
    struct store *, time_t from, struct booking **, size_t *, struct error *);
/* store_booking_keep: keep the booking where it is (start) although the
 * hours no longer cover it */
int store_booking_keep(struct store *, int64_t booking_id, time_t start,
    time_t now, struct error *);
/* store_bookings_open_for_service: the open bookings of one contact for
 * one service (max_open_per_person) */
int store_bookings_open_for_service(struct store *, int64_t service_id,
    const char *email, const char *phone, time_t now, unsigned *count,
    struct error *);
/* operators, as admins edit them */
int store_operator_update(struct store *, const struct account *,
    struct error *); /* display_name, role */
/* store_operator_sessions_end: sign the operator out everywhere */
int store_operator_sessions_end(
    struct store *, int64_t operator_id, struct error *);
/* store_admins_active: enabled admins */
int store_admins_active(struct store *, unsigned *count, struct error *);
/* one-time links to choose a password: adding one drops the operator's
 * older links; _operator finds the enabled operator of a live link */
int store_password_link_add(struct store *, int64_t operator_id,
    const char *token_hash, time_t now, time_t expires, struct error *);
int store_password_link_operator(struct store *, const char *token_hash,
    time_t now, struct account *, struct error *);
int store_password_links_clear(
    struct store *, int64_t operator_id, struct error *);
int store_api_tokens_list(struct store *, int64_t operator_id,
    struct api_token_info **, size_t *, struct error *);
/* store_api_token_revoke: one live token of the operator; ERROR_NOT_FOUND
 * when it has no such live token */
int store_api_token_revoke(struct store *, int64_t operator_id,
    int64_t token_id, time_t now, struct error *);

/* the desk queue (store_sqlite_staff.c) */
/* store_booking_transition: from → to, stamping the desk timestamp of `to`
 * with now; ERROR_CONFLICT when the booking is no longer in `from` (someone
 * else changed it first: the guard is the database's, not the caller's). */
int store_booking_transition(struct store *, int64_t id,
    enum booking_status from, enum booking_status to, time_t now,
    struct error *);
/* store_booking_call_next: atomically turn the next person waiting today for
 * this desk (booked at it, or for a service it serves) into `called` at this
 * desk; *id is theirs. ERROR_NOT_FOUND when nobody waits. */
int store_booking_call_next(struct store *, int64_t desk_id, struct date day,
    time_t now, int64_t *id, struct error *);

/* the live delay notices (store_sqlite_delay.c) */
/* store_booking_mark_delay: the citizen of a booked visit at start was
 * told of step (delay_notified the delay it gave); ERROR_CONFLICT when the
 * booking is no longer booked at that time or was already told of that
 * step or a later one — the guard against a second notice is the
 * database's. */
int store_booking_mark_delay(struct store *, int64_t id, time_t start,
    unsigned step, int64_t delay_notified, struct error *);

/* the live pages (store_sqlite_live.c) */
/* store_changes_wait: wait at most timeout_ms until a booking may have
 * changed since *token (a booking event was written, by any process) or
 * the settings did (store_settings_bump); the STORE_CHANGED_* that moved
 * and the new *token when something did, 0 on timeout. Start with
 * STORE_TOKEN_START (the first call answers both at once). One thread
 * polls it for every screen (wizyta-web's notifier); SQLite looks when
 * data_version moves, a PostgreSQL store would wait on LISTEN. */
struct store_token {
	int64_t bookings, settings;
};
#define STORE_TOKEN_START ((struct store_token){-1, -1})
#define STORE_CHANGED_BOOKINGS 1
#define STORE_CHANGED_SETTINGS 2
int store_changes_wait(
    struct store *, struct store_token *, int timeout_ms, struct error *);
/* the latest booking event of one action for each booking of a day */
struct booking_mark {
	int64_t booking_id;
	time_t at;
};
/* store_day_marks: sorted by booking id ("reply_late": the citizen said
 * they will be late) */
int store_day_marks(struct store *, struct date, const char *action,
    struct booking_mark **, size_t *, struct error *);
/* store_desk_waiting: how many people call-next could call at this desk
 * that day (the same choice as store_booking_call_next) */
int store_desk_waiting(struct store *, int64_t desk_id, struct date,
    unsigned *count, struct error *);
/* the building's door (store_sqlite_reception.c; lib/reception.h) */
struct reception_room {
	unsigned inside; /* bookings of today or of the visit's day that are
	                    waiting, called or in_service */
	unsigned ahead;  /* booked bookings queued outside since `since`
	                    before this one (all of them when it is not) */
	time_t queued_at; /* this one's marker when set since `since`, else 0 */
};
struct queue_entry {
	int64_t booking_id;
	time_t queued_at;
};
int store_reception_room(struct store *, int64_t booking_id,
    struct date today, struct date visit_day, time_t since,
    struct reception_room *, struct error *);
int store_reception_inside(
    struct store *, struct date today, unsigned *, struct error *);
/* store_booking_queue_mark: queued outside at `at`, unless already queued
 * since `since`; store_booking_queue_clear: out of the queue */
int store_booking_queue_mark(struct store *, int64_t id, time_t at,
    time_t since, struct error *);
int store_booking_queue_clear(struct store *, int64_t id, struct error *);
/* store_reception_queue: booked bookings queued since `since`, in order */
int store_reception_queue(struct store *, time_t since,
    struct queue_entry **, size_t *, struct error *);

/* the visits report's one scan (store_sqlite_reports.c; lib/report.h):
 * the figures of every (day, service, desk[, hour of the visit's start])
 * of bookings whose day is in [from, to]; service_id and desk_id 0 = all */
struct report_cell;
int store_report_cells(struct store *, struct date from, struct date to,
    int64_t service_id, int64_t desk_id, bool by_hour,
    struct report_cell **, size_t *, struct error *);

/* personal data: retention, export and erasure (store_sqlite_privacy.c;
 * the rules are lib/retention.h's and lib/person.h's) */
struct purge_counts {
	unsigned bookings; /* names, contacts and notes erased */
	unsigned events;   /* booking history details erased */
	unsigned outbox;   /* messages' recipients, texts and echoes erased */
	unsigned inbox;    /* replies' senders and words erased */
	unsigned sessions; /* staff sessions and sign-in failures forgotten */
	unsigned optouts;  /* SMS opt-outs removed (erasure on request) */
	unsigned waitlist; /* waitlist entries' names and contacts erased
	                      (store_waitlist_purge_*) */
};
/* store_purge_before: inside store_begin, erase the personal data of every
 * booking whose visit ended before cutoff — or, cancelled or expired, whose
 * end came before it — with its messages, replies and history details;
 * messages and replies tied to no booking and older than cutoff; expired
 * staff sessions and those of disabled operators; sign-in failures older
 * than cutoff. What reports count (status, service, desk, day, times)
 * stays. Counts are added to *counts. */
int store_purge_before(struct store *, time_t cutoff, time_t now,
    struct purge_counts *, struct error *);
/* store_purge_contact: inside store_begin, the same for every booking of
 * one person (email and/or phone, "" for none, as stored) whatever its
 * age, and the messages and replies to or from them tied to no booking,
 * and the phone's SMS opt-out. */
int store_purge_contact(struct store *, const char *email,
    const char *email_ascii, const char *phone, time_t now,
    struct purge_counts *, struct error *);
/* one booking of a person, as store_person_bookings finds them */
struct person_booking {
	int64_t id;
	time_t erased_at; /* 0 = personal data still held */
};
/* store_person_bookings: the bookings with this e-mail (any ASCII case)
 * or phone, oldest first (free with free()). */
int store_person_bookings(struct store *, const char *email, const char *phone,
    struct person_booking **, size_t *, struct error *);
/* store_person_loose: the ids of the outbox and inbox rows tied to no
 * booking that went to or came from this person (free both with free()). */
int store_person_loose(struct store *, const char *email,
    const char *email_ascii, const char *phone, int64_t **outbox_ids,
    size_t *noutbox, int64_t **inbox_ids, size_t *ninbox, struct error *);
/* an operator account whose own contact (the e-mail or phone an admin gave
 * for test messages) is a person's: operators are people too, and
 * person_export shows it, person_erase refuses over it */
struct person_account {
	struct account account; /* without the password hash */
	char email[256];        /* as stored ("" when none) */
	char phone[20];
};
/* store_person_accounts: the operator accounts whose own e-mail (any
 * ASCII case) or phone is this, by login (free with free()). */
int store_person_accounts(struct store *, const char *email,
    const char *phone, struct person_account **, size_t *, struct error *);
/* store_sms_optout_at: when the phone said STOP (0: never) */
int store_sms_optout_at(
    struct store *, const char *phone, time_t *at, struct error *);
/* store_wal_truncate: copy the write-ahead log into the database file and
 * cut it to zero bytes, so that what an erasure overwrote is in neither
 * file (free pages are zeroed as they are freed: the store runs with
 * secure_delete). ERROR_CONFLICT (code "busy") while another connection
 * still reads an older snapshot: try again later. */
int store_wal_truncate(struct store *, struct error *);
/* store_compact: after an erasure: VACUUM (every page rebuilt from the
 * rows as they are now, so no stale bytes are left in a page's free space
 * or on the free list, whatever secure_delete missed) and then
 * store_wal_truncate. Writers wait meanwhile (seconds for a large
 * database). ERROR_CONFLICT "busy" as store_wal_truncate. */
int store_compact(struct store *, struct error *);
/* store_backup: a consistent copy of the whole database into a new file
 * dest (created 0600; an existing file is refused), made with SQLite's
 * online backup from one read snapshot, so writers go on meanwhile; the
 * copy is checked (integrity_check) and fsync'ed before it is renamed into
 * place. *pages gets its size in pages, *page_size their size. */
int store_backup(struct store *, const char *dest, long *pages, long *page_size,
    struct error *);

/* figures for monitoring (store_sqlite_metrics.c, lib/metrics.h) */
struct store_count {
	char label[24];  /* a status, a channel */
	char label2[24]; /* a verdict, or "" */
	long long count;
};
enum store_count_kind {
	STORE_COUNT_BOOKINGS, /* by status */
	STORE_COUNT_REPLIES,  /* inbox by channel and verdict (or status while
	                         it has none) */
};
/* store_counts: the rows of one kind (free with free()) */
int store_counts(struct store *, enum store_count_kind, struct store_count **,
    size_t *, struct error *);
/* the waitlist of a full day (store_sqlite_waitlist.c; the rules are
 * lib/waitlist.h's). An entry is a person in line for one service on one
 * day, within an optional window of the day; its offer is a pending
 * booking of source "waitlist" held for them (bookings.source). Entries
 * hold personal data (names, e-mail, phone): [privacy] erases them with
 * store_waitlist_purge_before. */
enum waitlist_status {
	WAITLIST_WAITING,    /* in line */
	WAITLIST_OFFERED,    /* holds an offer (booking_id) */
	WAITLIST_BOOKED,     /* took the offer: the freed place is re-filled */
	WAITLIST_DECLINED,   /* said NIE to the offer */
	WAITLIST_LAPSED,     /* let the offer's hold pass */
	WAITLIST_LEFT,       /* left the line (link, reply, API, staff) */
	WAITLIST_ENDED,      /* the day passed */
	WAITLIST_SUPERSEDED, /* got a visit otherwise: booked that day, or
	                        took an offer of the same service */
	WAITLIST_STATUS_COUNT
};
/* the statuses that stand in line, for the store's SQL */
#define WAITLIST_ACTIVE_SQL "('waiting', 'offered')"

struct waitlist_entry {
	int64_t id;
	char reference[16]; /* the same alphabet as a booking's */
	char token[24];     /* secret of the citizen's links */
	int64_t service_id;
	struct date day;
	int window_from, window_to; /* minutes of the day: [from, to) */
	enum waitlist_status status;
	char first_name[64];
	char last_name[64];
	char email[256];
	char phone[20];
	char language[3];
	char source[16];      /* "web", "api", "staff" */
	char client_hash[33]; /* the joining client's address, keyed hash */
	int64_t booking_id;   /* the current or last offer, 0 = none yet */
	unsigned offers;      /* offers made to this entry */
	time_t created_at;
	time_t ended_at; /* 0 while in line */
	/* read, not written */
	unsigned position; /* 1 = next in line; 0 when not in line */
	char service_name[128];
	char service_name_en[128];
	char offer_reference[16]; /* the offer's booking, "" when none */
	time_t offer_until;       /* its hold, 0 when none */
};

/* a (service, day) with people waiting */
struct waitlist_day {
	int64_t service_id;
	struct date day;
};

/* the waitlist's figures of one day and service */
struct waitlist_figures {
	struct date day;
	int64_t service_id;
	char service[128];
	unsigned joined;   /* entries made */
	unsigned offered;  /* offers made */
	unsigned refilled; /* offers taken: freed places re-filled */
	unsigned declined, lapsed, left;
};

/* store_waitlist_insert: fills e->id; ERROR_CONFLICT "already_waiting"
 * when the same e-mail or phone already stands in that line (a unique
 * index decides), or on a reference collision */
int store_waitlist_insert(
    struct store *, struct waitlist_entry *, struct error *);
/* by id, by reference, by its offer's booking: with the position */
int store_waitlist_get(
    struct store *, int64_t id, struct waitlist_entry *, struct error *);
int store_waitlist_by_reference(struct store *, const char *reference,
    struct waitlist_entry *, struct error *);
int store_waitlist_by_offer(struct store *, int64_t booking_id,
    struct waitlist_entry *, struct error *);
/* store_waitlist_line: the entries in line for a service on a day, first
 * first (free with free()) */
int store_waitlist_line(struct store *, int64_t service_id, struct date,
    struct waitlist_entry **, size_t *, struct error *);
/* store_waitlist_of_day: every entry of a day (service 0: of every
 * service), whatever its status, in line order, with its offer */
int store_waitlist_of_day(struct store *, int64_t service_id, struct date,
    struct waitlist_entry **, size_t *, struct error *);
/* store_waitlist_waiting: the (service, day)s from `from` on where someone
 * waits (not holding an offer) */
int store_waitlist_waiting(struct store *, struct date from,
    struct waitlist_day **, size_t *, struct error *);
/* store_waitlist_active_by_phone: the entries in line of a phone, newest
 * first */
int store_waitlist_active_by_phone(struct store *, const char *phone,
    struct waitlist_entry **, size_t *, struct error *);
/* counts of entries in line: of one contact (e-mail or phone, either may
 * be ""), and joined from one client address hash */
int store_waitlist_count_contact(struct store *, const char *email,
    const char *phone, unsigned *, struct error *);
int store_waitlist_count_client(
    struct store *, const char *client_hash, unsigned *, struct error *);
/* store_waitlist_transition: from → to (ended_at = now when `to` is not in
 * line); ERROR_CONFLICT when the entry is no longer in `from` */
int store_waitlist_transition(struct store *, int64_t id,
    enum waitlist_status from, enum waitlist_status to, time_t now,
    struct error *);
/* store_waitlist_set_offer: waiting → offered with this booking */
int store_waitlist_set_offer(
    struct store *, int64_t id, int64_t booking_id, struct error *);
/* store_waitlist_supersede: the contact's entries still waiting for the
 * service (on that day; year 0: any day) but `except` become superseded;
 * their ids (free with free()) */
int store_waitlist_supersede(struct store *, const char *email,
    const char *phone, int64_t service_id, struct date, int64_t except,
    time_t now, int64_t **ids, size_t *n, struct error *);
/* store_waitlist_end_before: entries waiting for a day before `day` end;
 * how many */
int store_waitlist_end_before(
    struct store *, struct date, time_t now, unsigned *count, struct error *);
/* store_waitlist_offer_taken: the offer (a booking) was taken: a freed
 * place re-filled (the visits report's refilled) */
int store_waitlist_offer_taken(
    struct store *, int64_t booking_id, struct error *);
/* store_waitlist_open_offer: the pending offer (a booking of source
 * waitlist) this e-mail or phone holds, 0 when none */
int store_waitlist_open_offer(struct store *, const char *email,
    const char *phone, int64_t *booking_id, struct error *);
/* store_waitlist_latest_offer: the newest offer to a phone made at or
 * after since, whatever became of it; ERROR_NOT_FOUND when none */
int store_waitlist_latest_offer(struct store *, const char *phone, time_t since,
    struct booking *, struct error *);
/* store_waitlist_figures: per day and service of [from, to], the days
 * with entries only (free with free()) */
int store_waitlist_figures(struct store *, struct date from, struct date to,
    struct waitlist_figures **, size_t *, struct error *);
/* store_waitlist_messages: the messages about an entry (outbox rows with
 * its waitlist_id), oldest first; payloads are not read */
int store_waitlist_messages(struct store *, int64_t waitlist_id,
    struct outbox_message **, size_t *, struct error *);
/* store_waitlist_purge_before: inside store_begin, erase the names and
 * contacts of every entry whose day is before `day` (the line is over)
 * and the messages about them; *count how many entries */
int store_waitlist_purge_before(
    struct store *, struct date, time_t now, unsigned *count, struct error *);
/* store_waitlist_purge_contact: inside store_begin, the same for every
 * entry of one person (email and/or phone as stored, "" for none) whatever
 * its day — erasure on request: an entry still in line leaves it first */
int store_waitlist_purge_contact(struct store *, const char *email,
    const char *phone, time_t now, unsigned *count, struct error *);
/* store_waitlist_of_contact: every entry of one person (email and/or
 * phone as stored), oldest first, for person export (free with free()) */
int store_waitlist_of_contact(struct store *, const char *email,
    const char *phone, struct waitlist_entry **, size_t *, struct error *);

#endif
