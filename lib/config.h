/*
 * config.h: the INI configuration of all three programs (CONTRACT.md keys plus
 * the documented extras of wizyta.conf(5)).
 *
 * config_load() fills every field with its default, then applies the file.
 * An unknown section or key, a bad value or an unreadable file fails with one
 * line naming file, line and what is wrong. Strings are owned by the config.
 */
#ifndef WIZYTA_CONFIG_H
#define WIZYTA_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

enum tls_mode { TLS_NONE, TLS_STARTTLS, TLS_TLS };

struct config {
	char *path;			/* the file it was read from */

	/* [database] */
	char *database_path;

	/* [office] */
	char *office_name;		/* "Urząd Miasta" */
	char *office_timezone;		/* "Europe/Warsaw" */
	char *office_address;		/* where citizens come, or "" */
	char *office_phone;		/* for questions, or "" */
	char *office_hours;		/* opening note ("pn–pt 8:00–16:00"), or "" */

	/* [web] */
	char *web_listen;		/* host:port */
	char *web_base_url;
	unsigned web_threads;
	char *web_trusted_proxies;	/* space-separated addresses */
	unsigned web_rate_limit;	/* booking/lookup requests per minute per client */
	unsigned web_max_open_per_contact;
	bool web_dev_mailbox;		/* show /dev/mailbox when mail transport is maildir */

	/* [gateway] */
	char *gateway_listen;
	int64_t gateway_poll_ms;	/* how often the outbox is checked for new rows */

	/* [mail] */
	char *mail_transport;		/* smtp | maildir | none */
	char *smtp_host;
	unsigned smtp_port;
	enum tls_mode smtp_tls;
	char *smtp_user;
	char *smtp_password;
	int64_t smtp_timeout;		/* seconds */
	char *mail_from;		/* display name <addr> */
	char *mail_reply_address;	/* local@domain; replies go to local+REF@domain */
	char *mail_inbound;		/* imap | maildir | none */
	char *imap_host;
	unsigned imap_port;
	enum tls_mode imap_tls;
	char *imap_user;
	char *imap_password;
	char *imap_mailbox;
	char *imap_processed_mailbox;	/* "" = only flag \Seen */
	int64_t imap_poll_interval;	/* seconds, when the server has no IDLE */
	int64_t imap_timeout;		/* seconds, per network operation */
	char *mail_maildir;
	char *tls_ca_file;		/* extra CA for SMTP/IMAP/HTTPS; "" = system store */
	int64_t mail_max_size;		/* bytes; larger inbound mail is stored truncated */

	/* [sms] */
	char *sms_provider;		/* none | kannel | http | spool */
	char *sms_url;
	char *sms_user;
	char *sms_password;
	char *sms_sender;
	char *sms_callback_secret;
	char *sms_spool;		/* directory for provider = spool */
	bool sms_transliterate;		/* ą→a … to stay in GSM-7 */
	unsigned sms_rate;		/* messages per second, 0 = unlimited */
	char *sms_http_method;		/* GET | POST */
	char *sms_http_content_type;	/* form | json */
	char *sms_http_body;		/* template with {to} {from} {text} {id} {dlr_url} */
	char *sms_http_auth_header;	/* e.g. "Authorization: Bearer xyz" */
	char *sms_http_success_regex;	/* matched against the answer body */
	char *sms_http_id_regex;	/* first group = provider's message id */

	/* [booking] */
	int64_t confirm_within;		/* seconds */
	int64_t reminder_before;	/* seconds */
	int64_t booking_horizon;	/* seconds: how far ahead slots are offered */
	int64_t booking_lead_time;	/* seconds: earliest slot from now */

	/* [delivery] */
	int64_t retry_initial;		/* seconds: first backoff */
	int64_t retry_max_age;		/* seconds: then a dead letter */
};

/* config_load: defaults + file. Returns NULL and fills err on any problem. */
struct config *config_load(const char *path, struct error *err);
/* config_defaults: a config with only the defaults (tests, demo). */
struct config *config_defaults(void);
void config_free(struct config *);

/* parse_duration: "30", "30s", "30m", "24h", "2d" → seconds. */
int config_parse_duration(const char *text, int64_t *seconds);
/* The reply_address split at '@' ("wizyta", "urzad.example"). */
int config_reply_parts(const struct config *, char *local, size_t local_size,
    char *domain, size_t domain_size);

#endif
