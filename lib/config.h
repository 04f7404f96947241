/*
 * config.h: the INI configuration of all three programs (CONTRACT.md keys plus
 * the documented extras of wizyta.conf(5)).
 *
 * config_load() fills every field with its default, then applies the file.
 * An unknown or repeated section or key, a value out of its range, keys that
 * do not go together or an unreadable file fail with one line naming file,
 * line and what is wrong. Strings are owned by the config.
 */
#ifndef WIZYTA_CONFIG_H
#define WIZYTA_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

enum tls_mode { TLS_NONE, TLS_STARTTLS, TLS_TLS };

/* which channel carries a kind of message ([channels]): both, one of them,
 * or one first and the other only when the first is missing (no such
 * contact) or fails */
enum channel_policy {
	CHANNELS_BOTH,
	CHANNELS_EMAIL,
	CHANNELS_SMS,
	CHANNELS_EMAIL_FIRST,
	CHANNELS_SMS_FIRST,
};
#define CHANNEL_POLICY_COUNT (CHANNELS_SMS_FIRST + 1)

/* the kinds of message a channel policy names (CONTRACT.md "Admin") */
enum message_class {
	MESSAGE_CONFIRMATION,
	MESSAGE_ACCESS_CODE,
	MESSAGE_REMINDER,
	MESSAGE_RESCHEDULE,
	MESSAGE_EXPIRY,
	MESSAGE_CANCELLATION,
};
#define MESSAGE_CLASS_COUNT (MESSAGE_CANCELLATION + 1)

/* reminders before a visit: "24h,2h:sms" — each when (seconds before the
 * start) and, optionally, its own channels (-1: [channels] reminder);
 * longest first, no two alike */
#define REMINDERS_MAX 8
struct reminder {
	int64_t before;
	int policy; /* enum channel_policy, or -1 */
};
struct reminder_list {
	struct reminder item[REMINDERS_MAX];
	unsigned n; /* 0: no reminders */
};

/* a run-time text from the database (lib/settings.c): a message template
 * an admin changed ("templates.reminder.pl.sms") or the admin's reply
 * phrases ("reply_phrases") */
struct config_text {
	char *name;
	char *value;
};

struct config_lines;

struct config {
	char *path;                 /* the file it was read from */
	struct config_lines *lines; /* where each key was set (config_where) */

	/* [database] */
	char *database_backend;  /* sqlite | postgresql */
	char *database_path;     /* the SQLite file */
	char *database_conninfo; /* libpq: "host=… dbname=…" or a URI */
	char *database;          /* what store_open takes (store.h): made
	                            from the three above */

	/* [office] */
	char *office_name;     /* "Urząd Miasta" */
	char *office_timezone; /* "Europe/Warsaw" */
	char *office_address;  /* where citizens come, or "" */
	char *office_phone;    /* for questions, or "" */
	char *office_hours;    /* opening note ("pn–pt 8:00–16:00"), or "" */

	/* [web] */
	char *web_listen; /* host:port */
	char *web_base_url;
	unsigned web_threads;
	char *web_trusted_proxies; /* space-separated addresses */
	unsigned
	    web_rate_limit; /* booking/lookup requests per minute per client */
	unsigned web_max_open_per_contact;
	unsigned web_event_streams; /* live screens (SSE) open at once */
	bool web_dev_mailbox;          /* serve /dev/mailbox (loopback only) */
	unsigned web_max_connections; /* at once, in all */
	unsigned web_max_connections_per_address; /* 0 = no limit */
	int64_t web_request_timeout; /* seconds for a whole request to arrive */

	/* [gateway] */
	char *gateway_listen;
	int64_t
	    gateway_poll_ms; /* how often the outbox is checked for new rows */
	unsigned gateway_max_connections;
	unsigned gateway_max_connections_per_address; /* 0 = no limit */
	int64_t gateway_request_timeout;               /* seconds */

	/* [mail] */
	char *mail_transport; /* smtp | maildir | none */
	char *smtp_host;
	unsigned smtp_port;
	enum tls_mode smtp_tls;
	char *smtp_user;
	char *smtp_password;
	int64_t smtp_timeout;     /* seconds */
	char *mail_from;          /* display name <addr> */
	char *mail_reply_address; /* local@domain; replies go to
	                             local+REF@domain */
	char *mail_inbound;       /* imap | maildir | none */
	char *imap_host;
	unsigned imap_port;
	enum tls_mode imap_tls;
	char *imap_user;
	char *imap_password;
	char *imap_mailbox;
	char *imap_processed_mailbox; /* "" = only flag \Seen */
	int64_t imap_poll_interval;   /* seconds, when the server has no IDLE */
	int64_t imap_timeout;         /* seconds, per network operation */
	char *mail_maildir;
	char *tls_ca_file; /* extra CA for SMTP/IMAP/HTTPS; "" = system store */
	int64_t
	    mail_max_size; /* bytes; larger inbound mail is stored truncated */

	/* [sms] */
	char *sms_provider; /* none | kannel | http | spool */
	char *sms_url;
	char *sms_user;
	char *sms_password;
	char *sms_sender;
	char *sms_callback_secret;
	char *sms_spool;             /* directory for provider = spool */
	bool sms_transliterate;      /* ą→a … to stay in GSM-7 */
	unsigned sms_rate;           /* messages per second, 0 = unlimited */
	char *sms_countries;         /* calling codes SMS may go to, or "any" */
	char *sms_http_method;       /* GET | POST */
	char *sms_http_content_type; /* form | json */
	char *
	    sms_http_body; /* template with {to} {from} {text} {id} {dlr_url} */
	char *sms_http_auth_header;   /* e.g. "Authorization: Bearer xyz" */
	char *sms_http_success_regex; /* matched against the answer body */
	char *sms_http_id_regex;      /* first group = provider's message id */

	/* [booking]. The keys lib/settings.c names are only defaults: admins
	 * change them in the database, and a snapshot of config_live.h carries
	 * the database's values in these same fields. */
	int64_t confirm_within;         /* seconds */
	struct reminder_list reminders; /* reminder_before */
	int64_t booking_horizon; /* seconds: how far ahead slots are offered */
	int64_t booking_lead_time; /* seconds: earliest slot from now */

	/* [staff]: signing in (web/README.md "Staff sign-in") */
	int64_t
	    staff_session_idle; /* seconds without a request, then signed out */
	int64_t staff_session_max; /* seconds after sign-in, then signed out */
	unsigned staff_login_failures; /* failed sign-ins of one login before a
	                                  lockout; 0 = never */
	int64_t staff_login_lockout;   /* seconds a lockout lasts (and the
	                                  failures' window) */
	unsigned staff_login_rate_limit; /* sign-in attempts per minute per
	                                    client address */

	/* [reception]: the clock's guards on the desk's day (lib/booking.c) */
	int64_t reception_check_in_early; /* check-in opens this long before the
	                                     visit */
	int64_t
	    reception_check_in_late; /* and closes this long after its start */
	int64_t reception_no_show_after; /* no-show only this long after the
	                                    start */
	unsigned reception_max_inside; /* people inside (waiting, called, in
	                                  service) at most; 0 = no limit */
	bool reception_day_list_names; /* the printed day list names people */
	/* [delay]: live delay notices (lib/delay.h) */
	int64_t delay_notice_after; /* tell when this late; 0 = never */
	int64_t delay_notice_step;  /* and again each time it grows this
	                               much more; 0 = only once */
	int64_t delay_notice_ahead; /* only visits starting within this */
	/* abuse limits on unconfirmed (pending) bookings; 0 = off */
	unsigned max_pending_per_address; /* per client address */
	unsigned max_pending_per_network; /* per /24 (IPv4) or /64 (IPv6) */
	unsigned pressure_share; /* % of a service's places of a day pending… */
	int64_t pressure_confirm_within; /* …then new holds are this short */
	unsigned max_pending_share; /* % pending beyond which new ones wait */

	/* [waitlist] (lib/waitlist.h) */
	int64_t waitlist_hold; /* seconds a freed place is held for the person
	                          it is offered to */
	unsigned waitlist_max_per_contact; /* lines one e-mail or phone stands
	                                      in at once; 0 = no limit */
	unsigned waitlist_max_per_address; /* lines joined from one client
	                                      address; 0 = no limit */

	/* [delivery] */
	int64_t retry_initial; /* seconds: first backoff */
	int64_t retry_max_age; /* seconds: then a dead letter */

	/* [channels]: which channel carries each kind of message */
	enum channel_policy channels[MESSAGE_CLASS_COUNT];
	/* [sms] quiet_hours: no SMS that can wait (reminders, moves, expiry
	 * notices) from `from` to `to`, office-local minutes of the day
	 * (from > to: over midnight); from -1: none */
	struct {
		int from, to;
	} sms_quiet;
	char *sms_segment_price; /* "0.08": what one segment costs, shown to
	                            admins */

	/* from the database only (lib/settings.c): template overrides and
	 * reply phrases, sorted by name; NULL / 0 when none */
	struct config_text *texts;
	size_t ntexts;
	/* config_live.h: which snapshot this is (0: not one) and the
	 * database settings generation it carries */
	uint64_t serial;
	int64_t settings_generation;

	/* [privacy]: erasing citizens' personal data (lib/retention.h) */
	unsigned privacy_retain_days; /* days after a visit (or its end) */
	char *privacy_purge_at;       /* "HH:MM" office time, daily */

	/* [metrics]: /metrics and /healthz of both daemons */
	char *metrics_token; /* Bearer token; "" = loopback clients only */
};

/* config_load: defaults + file. Returns NULL and fills err on any problem. */
struct config *config_load(const char *path, struct error *err);
/* config_defaults: a config with only the defaults (tests, demo). */
struct config *config_defaults(void);
/* config_dup: a deep copy (texts included) */
struct config *config_dup(const struct config *);
void config_free(struct config *);

/* config_set: one key's value as the file would give it ("booking",
 * "confirm_within", "45m"); -1 and *why (what is expected) when the value
 * is not good. For the database's settings (lib/settings.c), which are the
 * same typed values as their keys. */
int config_set(struct config *, const char *section, const char *key,
    const char *value, const char **why);
/* config_format: a key's current value as the file would write it ("45m",
 * "24h,2h:sms", "yes", "21:00-08:00"); false for an unknown key */
bool config_format(const struct config *, const char *section, const char *key,
    char *out, size_t size);
/* config_text: the run-time text of that name, or NULL */
const char *config_text(const struct config *, const char *name);
/* config_text_set: set (value NULL: remove) a run-time text */
void config_text_set(struct config *, const char *name, const char *value);

/* config_live_key: may SIGHUP change this key in a running program? No
 * for what was bound, opened or sized at start (listen addresses, the
 * database, the transports and their servers): those need a restart. */
bool config_live_key(const char *section, const char *key);
/* config_carry_restart_keys: for SIGHUP: give next the running values of
 * every key that only a restart can change and that differs; their names
 * ("web.listen database.path") go to changed (empty when none). */
void config_carry_restart_keys(struct config *next,
    const struct config *running, char *changed, size_t size);

/* the names of the channel policies and message classes */
const char *channel_policy_name(enum channel_policy);
int channel_policy_parse(const char *name); /* -1 when unknown */
const char *message_class_name(enum message_class);

/* parse_duration: "30", "30s", "30m", "24h", "2d" → seconds. */
int config_parse_duration(const char *text, int64_t *seconds);
/* config_format_duration: 1800 → "30m", 90 → "90s". */
void config_format_duration(int64_t seconds, char *out, size_t size);
/* The reply_address split at '@' ("wizyta", "urzad.example"). */
int config_reply_parts(const struct config *, char *local, size_t local_size,
    char *domain, size_t domain_size);

/* config_where: "FILE:LINE" of a key (key NULL: of the section), falling
 * back to its section's line, then to "FILE": for errors found after
 * loading (a port in use, an unknown time zone). Returns out. */
const char *config_where(const struct config *, const char *section,
    const char *key, char *out, size_t size);
unsigned config_line(
    const struct config *, const char *section, const char *key);

/* config_sender_numeric: can phones answer this SMS sender? A number of 3
 * to 15 digits (a long number or a short code, optionally with +) can be
 * answered; an alphanumeric sender ("URZAD") cannot. */
bool config_sender_numeric(const char *sender);
/* config_sms_two_way: can a citizen answer our SMS, so that asking for TAK
 * or NIE makes sense? Needs a numeric sender and an inbound path (the
 * provider's callbacks, or the spool's dev mailbox). Otherwise false, and
 * *why (may be NULL) says why in words for `wizyta status`. */
bool config_sms_two_way(const struct config *, const char **why);

#endif
