/*
 * config.c: the INI reader. One table lists every section.key with its type,
 * default, where it lands in struct config and what values are good (a
 * range for numbers and durations, a check for strings: hosts, ports,
 * URLs, paths, addresses, secrets), so adding a key is one line here and
 * one paragraph in doc/wizyta.conf.5. config_check() then looks at keys
 * that only make sense together.
 *
 * Every mistake stops the program with one line "FILE:LINE: what is
 * wrong": a bad value, an unknown or repeated key or section, a missing
 * companion key. Values are never echoed (they may be passwords). A UTF-8
 * byte-order mark at the start of the file is skipped.
 *
 * Invariant: after config_load() succeeds every string field is non-NULL
 * and every value is within its documented range.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "email.h"
#include "office_time.h"
#include "utf8.h"

enum config_type {
	CONF_STRING,
	CONF_UINT,
	CONF_BOOL,
	CONF_DURATION,
	CONF_TLS,
	CONF_SIZE,
	CONF_REMINDERS, /* struct reminder_list: "24h,2h:sms" */
	CONF_CHANNELS,  /* enum channel_policy */
	CONF_HOURS,     /* "21:00-08:00" or "" (sms_quiet) */
};

/* check_fn: NULL when the value is good, otherwise what is expected. */
typedef const char *(*check_fn)(const char *value);

struct config_key {
	const char *section;
	const char *key;
	enum config_type type;
	size_t offset;
	const char *default_value;
	const char *choices; /* for CONF_STRING: "a|b|c" or NULL */
	int64_t min, max;    /* UINT, DURATION (seconds), SIZE (bytes) */
	check_fn check;      /* for CONF_STRING, or NULL */
};

static const char *check_path(const char *);
static const char *check_path_or_empty(const char *);
static const char *check_text(const char *);
static const char *check_listen(const char *);
static const char *check_base_url(const char *);
static const char *check_sms_url(const char *);
static const char *check_host(const char *);
static const char *check_addresses(const char *);
static const char *check_from(const char *);
static const char *check_reply_address(const char *);
static const char *check_mailbox(const char *);
static const char *check_sender(const char *);
static const char *check_secret(const char *);
static const char *check_header(const char *);
static const char *check_countries(const char *);
static const char *check_any(const char *);
static void database_locator(struct config *);
static const char *check_price(const char *);
static const char *check_time_of_day(const char *);

#define DAY (86400LL)
#define K(sec, key, type, field, def, choices, min, max, check)                \
	{                                                                      \
		sec, key, type, offsetof(struct config, field), def, choices,  \
		    min, max, check                                            \
	}
#define S(sec, key, field, def, check)                                         \
	K(sec, key, CONF_STRING, field, def, NULL, 0, 0, check)
#define C(sec, key, field, def, choices)                                       \
	K(sec, key, CONF_STRING, field, def, choices, 0, 0, NULL)
#define U(sec, key, field, def, min, max)                                      \
	K(sec, key, CONF_UINT, field, def, NULL, min, max, NULL)
#define D(sec, key, field, def, min, max)                                      \
	K(sec, key, CONF_DURATION, field, def, NULL, min, max, NULL)
#define B(sec, key, field, def)                                                \
	K(sec, key, CONF_BOOL, field, def, NULL, 0, 0, NULL)
#define T(sec, key, field, def)                                                \
	K(sec, key, CONF_TLS, field, def, NULL, 0, 0, NULL)
#define P(key, class)                                                          \
	K("channels", key, CONF_CHANNELS, channels[class], "both", NULL, 0, 0, \
	    NULL)

/* Countries SMS may go to by default: the EU and EEA, Switzerland, the
 * United Kingdom and Ukraine (calling codes, ITU-T E.164). */
#define SMS_COUNTRIES_DEFAULT                                                  \
	"48 43 32 359 385 357 420 45 372 358 33 49 30 36 353 39"               \
	" 371 370 352 356 31 351 40 421 386 34 46 354 423 47 41 44 380"

static const struct config_key config_keys[] = {
    C("database", "backend", database_backend, "sqlite", "sqlite|postgresql"),
    S("database", "path", database_path, "/var/lib/wizyta/wizyta.db",
        check_path),
    S("database", "conninfo", database_conninfo, "", check_any),

    S("office", "name", office_name, "Urząd Miasta", check_text),
    S("office", "timezone", office_timezone, "Europe/Warsaw", check_text),
    S("office", "address", office_address, "", check_any),
    S("office", "phone", office_phone, "", check_any),
    S("office", "hours", office_hours, "", check_any),

    S("web", "listen", web_listen, "127.0.0.1:8080", check_listen),
    S("web", "base_url", web_base_url, "http://localhost:8080", check_base_url),
    U("web", "threads", web_threads, "4", 1, 256),
    S("web", "trusted_proxies", web_trusted_proxies, "", check_addresses),
    U("web", "rate_limit", web_rate_limit, "30", 0, 1000000),
    U("web", "max_open_per_contact", web_max_open_per_contact, "3", 0, 1000),
    U("web", "event_streams", web_event_streams, "1000", 1, 20000),
    B("web", "dev_mailbox", web_dev_mailbox, "no"),
    U("web", "max_connections", web_max_connections, "1000", 1, 1000000),
    U("web", "max_connections_per_address", web_max_connections_per_address,
        "64", 0, 1000000),
    D("web", "request_timeout", web_request_timeout, "20s", 1, 3600),

    S("gateway", "listen", gateway_listen, "127.0.0.1:8081", check_listen),
    D("gateway", "poll_interval", gateway_poll_ms, "0", 0, 60),
    U("gateway", "max_connections", gateway_max_connections, "256", 1, 1000000),
    U("gateway", "max_connections_per_address",
        gateway_max_connections_per_address, "32", 0, 1000000),
    D("gateway", "request_timeout", gateway_request_timeout, "20s", 1, 3600),

    C("mail", "transport", mail_transport, "maildir", "smtp|maildir|none"),
    S("mail", "smtp_host", smtp_host, "127.0.0.1", check_host),
    U("mail", "smtp_port", smtp_port, "25", 1, 65535),
    T("mail", "smtp_tls", smtp_tls, "none"),
    S("mail", "smtp_user", smtp_user, "", check_any),
    S("mail", "smtp_password", smtp_password, "", check_any),
    D("mail", "smtp_timeout", smtp_timeout, "30s", 1, 3600),
    S("mail", "from", mail_from, "Urząd Miasta <wizyta@urzad.example>",
        check_from),
    S("mail", "reply_address", mail_reply_address, "wizyta@urzad.example",
        check_reply_address),
    C("mail", "inbound", mail_inbound, "maildir", "imap|maildir|none"),
    S("mail", "imap_host", imap_host, "127.0.0.1", check_host),
    U("mail", "imap_port", imap_port, "143", 1, 65535),
    T("mail", "imap_tls", imap_tls, "none"),
    S("mail", "imap_user", imap_user, "", check_any),
    S("mail", "imap_password", imap_password, "", check_any),
    S("mail", "imap_mailbox", imap_mailbox, "INBOX", check_mailbox),
    S("mail", "imap_processed_mailbox", imap_processed_mailbox, "", check_any),
    D("mail", "imap_poll_interval", imap_poll_interval, "60s", 1, DAY),
    D("mail", "imap_timeout", imap_timeout, "30s", 1, 3600),
    S("mail", "maildir", mail_maildir, "/var/lib/wizyta/mail", check_path),
    S("mail", "tls_ca_file", tls_ca_file, "", check_path_or_empty),
    K("mail", "max_size", CONF_SIZE, mail_max_size, "10M", NULL, 1024,
        1024LL << 20, NULL),

    C("sms", "provider", sms_provider, "none", "none|kannel|http|spool"),
    S("sms", "url", sms_url, "http://127.0.0.1:13013/cgi-bin/sendsms",
        check_sms_url),
    S("sms", "user", sms_user, "", check_any),
    S("sms", "password", sms_password, "", check_any),
    S("sms", "sender", sms_sender, "URZAD", check_sender),
    S("sms", "callback_secret", sms_callback_secret, "", check_secret),
    S("sms", "spool", sms_spool, "/var/lib/wizyta/sms", check_path),
    B("sms", "transliterate", sms_transliterate, "yes"),
    U("sms", "rate", sms_rate, "0", 0, 10000),
    S("sms", "countries", sms_countries, SMS_COUNTRIES_DEFAULT,
        check_countries),
    C("sms", "http_method", sms_http_method, "POST", "GET|POST"),
    C("sms", "http_content_type", sms_http_content_type, "form", "form|json"),
    S("sms", "http_body", sms_http_body, "to={to}&from={from}&text={text}",
        check_any),
    S("sms", "http_auth_header", sms_http_auth_header, "", check_header),
    S("sms", "http_success_regex", sms_http_success_regex, "", check_any),
    S("sms", "http_id_regex", sms_http_id_regex, "", check_any),

    D("booking", "confirm_within", confirm_within, "30m", 10, 7 * DAY),
    K("booking", "reminder_before", CONF_REMINDERS, reminders, "24h", NULL, 60,
        30 * DAY, NULL),
    D("booking", "horizon", booking_horizon, "60d", DAY, 730 * DAY),
    D("booking", "lead_time", booking_lead_time, "1h", 0, 30 * DAY),
    U("booking", "max_pending_per_address", max_pending_per_address, "3", 0,
        10000),
    U("booking", "max_pending_per_network", max_pending_per_network, "10", 0,
        100000),
    U("booking", "pressure_share", pressure_share, "30", 0, 100),
    D("booking", "pressure_confirm_within", pressure_confirm_within, "5m", 10,
        7 * DAY),
    U("booking", "max_pending_share", max_pending_share, "60", 0, 100),

    D("staff", "session_idle", staff_session_idle, "30m", 60, DAY),
    D("staff", "session_max", staff_session_max, "12h", 60, 30 * DAY),
    U("staff", "login_failures", staff_login_failures, "5", 0, 1000),
    D("staff", "login_lockout", staff_login_lockout, "15m", 1, DAY),
    U("staff", "login_rate_limit", staff_login_rate_limit, "10", 0, 1000000),

    D("reception", "check_in_early", reception_check_in_early, "1h", 0, DAY),
    D("reception", "check_in_late", reception_check_in_late, "30m", 0, DAY),
    D("reception", "no_show_after", reception_no_show_after, "5m", 0, DAY),
    U("reception", "max_inside", reception_max_inside, "0", 0, 100000),
    B("reception", "day_list_names", reception_day_list_names, "no"),

    D("delay", "notice_after", delay_notice_after, "20m", 0, 4 * 3600),
    D("delay", "notice_step", delay_notice_step, "15m", 0, 4 * 3600),
    D("delay", "notice_ahead", delay_notice_ahead, "2h", 0, DAY),
    D("waitlist", "hold", waitlist_hold, "15m", 60, DAY),
    U("waitlist", "max_per_contact", waitlist_max_per_contact, "3", 0, 1000),
    U("waitlist", "max_per_address", waitlist_max_per_address, "10", 0, 100000),

    D("delivery", "retry_initial", retry_initial, "30s", 1, 3600),
    D("delivery", "retry_max_age", retry_max_age, "2d", 60, 30 * DAY),

    P("confirmation", MESSAGE_CONFIRMATION),
    P("access_code", MESSAGE_ACCESS_CODE),
    P("reminder", MESSAGE_REMINDER),
    P("reschedule", MESSAGE_RESCHEDULE),
    P("expiry", MESSAGE_EXPIRY),
    P("cancellation", MESSAGE_CANCELLATION),
    K("sms", "quiet_hours", CONF_HOURS, sms_quiet, "", NULL, 0, 0, NULL),
    S("sms", "segment_price", sms_segment_price, "0.08", check_price),

    U("privacy", "retain_days", privacy_retain_days, "30", 1, 3650),
    S("privacy", "purge_at", privacy_purge_at, "03:00", check_time_of_day),

    S("metrics", "token", metrics_token, "", check_secret),
};

#define NKEYS (sizeof config_keys / sizeof config_keys[0])

/* where each key and section was set in the file (0 = not set) */
struct config_lines {
	unsigned key[NKEYS];
	struct {
		char name[64];
		unsigned line;
	} section[16];
	size_t nsections;
};

#undef K
#undef S
#undef C
#undef U
#undef D
#undef B
#undef T
#undef P

static const char *const policy_names[CHANNEL_POLICY_COUNT] = {
    "both", "email", "sms", "email_first", "sms_first"};
static const char *const class_names[MESSAGE_CLASS_COUNT] = {"confirmation",
    "access_code", "reminder", "reschedule", "expiry", "cancellation"};

const char *
channel_policy_name(enum channel_policy p)
{
	return (unsigned)p < CHANNEL_POLICY_COUNT ? policy_names[p] : "both";
}

int
channel_policy_parse(const char *name)
{
	int i;

	for (i = 0; i < CHANNEL_POLICY_COUNT; i++)
		if (strcmp(policy_names[i], name) == 0)
			return i;
	return -1;
}

const char *
message_class_name(enum message_class m)
{
	return (unsigned)m < MESSAGE_CLASS_COUNT ? class_names[m] : "";
}

int
config_parse_duration(const char *text, int64_t *seconds)
{
	char *end;
	long long n;
	int64_t unit = 1;

	if (!isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	n = strtoll(text, &end, 10);
	if (errno != 0 || n < 0)
		return -1;
	if (strcmp(end, "") == 0 || strcmp(end, "s") == 0)
		unit = 1;
	else if (strcmp(end, "m") == 0)
		unit = 60;
	else if (strcmp(end, "h") == 0)
		unit = 3600;
	else if (strcmp(end, "d") == 0)
		unit = 86400;
	else
		return -1;
	if (n > INT64_MAX / unit / 1000)
		return -1;
	*seconds = (int64_t)n * unit;
	return 0;
}

static int
config_parse_size(const char *text, int64_t *bytes)
{
	char *end;
	long long n;
	int64_t unit = 1;

	if (!isdigit((unsigned char)text[0]))
		return -1;
	errno = 0;
	n = strtoll(text, &end, 10);
	if (errno != 0 || n < 0)
		return -1;
	if (strcmp(end, "") == 0)
		unit = 1;
	else if (strcmp(end, "K") == 0 || strcmp(end, "k") == 0)
		unit = 1024;
	else if (strcmp(end, "M") == 0)
		unit = 1024 * 1024;
	else
		return -1;
	if (n > INT64_MAX / unit)
		return -1;
	*bytes = (int64_t)n * unit;
	return 0;
}

static int
config_parse_choice(const char *value, const char *choices)
{
	size_t len = strlen(value);
	const char *p = choices;

	while (*p != '\0') {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);

		if (n == len && strncmp(p, value, n) == 0)
			return 0;
		if (bar == NULL)
			break;
		p = bar + 1;
	}
	return -1;
}

/* ---- value checks: NULL = good, else what was expected ---------------- */

/* printable: valid UTF-8 without control characters */
static bool
printable(const char *s)
{
	return utf8_text_valid(s, strlen(s));
}

static const char *
check_any(const char *v)
{
	return printable(v) ? NULL
	                    : "text without control characters (valid UTF-8)";
}

/* a price per SMS segment: "0.08", "0,08", "1" (at most 4 decimals) */
static const char *
check_price(const char *v)
{
	size_t whole = strspn(v, "0123456789"), frac = 0;

	if (whole > 0 && whole <= 6 && (v[whole] == '.' || v[whole] == ','))
		frac = strspn(v + whole + 1, "0123456789");
	if (whole == 0 || whole > 6 ||
	    (v[whole] != '\0' &&
	        (frac == 0 || frac > 4 || v[whole + 1 + frac] != '\0')))
		return "a price such as 0.08 (the currency is the office's)";
	return NULL;
}

static const char *
check_text(const char *v)
{
	if (v[0] == '\0' || strlen(v) > 120 || !printable(v))
		return "a non-empty text of at most 120 bytes without control "
		       "characters";
	return NULL;
}

static const char *
check_path(const char *v)
{
	if (v[0] != '/' || !printable(v))
		return "an absolute path (starting with /)";
	return NULL;
}

static const char *
check_path_or_empty(const char *v)
{
	return v[0] == '\0' ? NULL : check_path(v);
}

/* host_ok: a DNS name (RFC 1123 labels), an IPv4 or IPv6 literal */
static bool
host_ok(const char *h, size_t n)
{
	char text[256];
	unsigned char addr[16];
	size_t i, label = 0;

	if (n == 0 || n >= sizeof text)
		return false;
	memcpy(text, h, n);
	text[n] = '\0';
	if (inet_pton(AF_INET, text, addr) == 1 ||
	    inet_pton(AF_INET6, text, addr) == 1)
		return true;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '.') {
			if (label == 0 || text[i - 1] == '-')
				return false;
			label = 0;
		} else if (isalnum(c) || (c == '-' && label > 0)) {
			if (++label > 63)
				return false;
		} else
			return false;
	}
	return label > 0 && text[n - 1] != '-' &&
	       !isdigit((unsigned char)text[n - 1]);
}

static const char *
check_host(const char *v)
{
	if (v[0] == '\0' || host_ok(v, strlen(v)))
		return NULL;
	return "a host name or an IP address";
}

/* port_ok: 1-65535, digits only */
static bool
port_ok(const char *p, size_t n)
{
	unsigned long port = 0;
	size_t i;

	if (n == 0 || n > 5)
		return false;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return false;
		port = port * 10 + (unsigned long)(p[i] - '0');
	}
	return port >= 1 && port <= 65535;
}

/* authority: "host:port", "[v6]:port"; an empty host listens everywhere
 * (listen) but is refused in URLs */
static bool
authority_ok(const char *v, size_t n, bool need_port, bool empty_host_ok)
{
	const char *colon = NULL, *host = v;
	size_t hlen, i;

	if (n > 0 && v[0] == '[') {
		const char *close = memchr(v, ']', n);
		unsigned char addr[16];
		char text[64];

		if (close == NULL || (size_t)(close - v - 1) >= sizeof text)
			return false;
		memcpy(text, v + 1, (size_t)(close - v - 1));
		text[close - v - 1] = '\0';
		if (inet_pton(AF_INET6, text, addr) != 1)
			return false;
		i = (size_t)(close - v) + 1;
		if (i == n)
			return !need_port;
		return v[i] == ':' && port_ok(v + i + 1, n - i - 1);
	}
	for (i = 0; i < n; i++)
		if (v[i] == ':')
			colon = v + i;
	if (colon == NULL)
		return !need_port && host_ok(host, n);
	hlen = (size_t)(colon - v);
	if (!port_ok(colon + 1, n - hlen - 1))
		return false;
	return (hlen == 0 && empty_host_ok) || host_ok(host, hlen);
}

static const char *
check_listen(const char *v)
{
	if (authority_ok(v, strlen(v), true, true))
		return NULL;
	return "host:port with a port from 1 to 65535 (e.g. 127.0.0.1:8080 or "
	       "[::1]:8080)";
}

/* url_ok: http:// or https://, a host, an optional port and path; with
 * query allowed (the SMS provider's URL) or not (base_url) */
static bool
url_ok(const char *v, bool query_ok)
{
	const char *rest, *end;
	size_t n;

	if (strncmp(v, "https://", 8) == 0)
		rest = v + 8;
	else if (strncmp(v, "http://", 7) == 0)
		rest = v + 7;
	else
		return false;
	n = strcspn(rest, "/?#");
	if (!authority_ok(rest, n, false, false))
		return false;
	for (end = rest + n; *end != '\0'; end++) {
		unsigned char c = (unsigned char)*end;

		if (c <= ' ' || c >= 0x7f || strchr("\"<>\\^`{|}", c) != NULL)
			return false;
		if (c == '#' || (c == '?' && !query_ok))
			return false;
	}
	return true;
}

static const char *
check_base_url(const char *v)
{
	if (url_ok(v, false))
		return NULL;
	return "an http:// or https:// address of the site, such as"
	       " https://wizyta.urzad.example (no query or fragment)";
}

static const char *
check_sms_url(const char *v)
{
	if (url_ok(v, true))
		return NULL;
	return "an http:// or https:// URL";
}

static const char *
check_addresses(const char *v)
{
	const char *p = v;

	while (*p != '\0') {
		unsigned char addr[16];
		char text[64];
		size_t n;

		while (*p == ' ' || *p == ',')
			p++;
		n = strcspn(p, " ,");
		if (n == 0)
			break;
		if (n >= sizeof text)
			return "IP addresses separated by blanks";
		memcpy(text, p, n);
		text[n] = '\0';
		if (inet_pton(AF_INET, text, addr) != 1 &&
		    inet_pton(AF_INET6, text, addr) != 1)
			return "IP addresses separated by blanks";
		p += n;
	}
	return NULL;
}

/* an ASCII address as email.h checks it */
static bool
address_ok(const char *addr)
{
	char ascii[EMAIL_MAX + 1];

	return email_ascii(addr, ascii, sizeof ascii, NULL) == 0 &&
	       strcmp(ascii, addr) == 0;
}

static const char *
check_from(const char *v)
{
	const char *lt = strchr(v, '<');
	char addr[EMAIL_MAX + 1];
	size_t n;

	if (!printable(v))
		return "Name <local@domain> or local@domain";
	if (lt == NULL)
		return address_ok(v) ? NULL
		                     : "Name <local@domain> or local@domain"
		                       " (ASCII; an internationalised domain "
		                       "in its xn-- form)";
	n = strlen(lt + 1);
	if (n < 2 || lt[n] != '>' || n - 1 > EMAIL_MAX || strchr(lt + 1, '<') ||
	    memchr(v, '>', (size_t)(lt - v)) != NULL)
		return "Name <local@domain> or local@domain";
	memcpy(addr, lt + 1, n - 1);
	addr[n - 1] = '\0';
	if (!address_ok(addr))
		return "Name <local@domain> with a valid ASCII address (an"
		       " internationalised domain in its xn-- form)";
	return NULL;
}

static const char *
check_reply_address(const char *v)
{
	const char *at = strrchr(v, '@');

	if (!address_ok(v))
		return "local@domain, a valid ASCII address (an "
		       "internationalised"
		       " domain in its xn-- form)";
	if (memchr(v, '+', (size_t)(at - v)) != NULL)
		return "local@domain without '+' (wizyta adds +REFERENCE "
		       "itself)";
	return NULL;
}

static const char *
check_mailbox(const char *v)
{
	if (v[0] == '\0' || !printable(v))
		return "a mailbox name such as INBOX";
	return NULL;
}

/* sender: what phones show as the originator. Numeric (a long number or
 * short code, optionally with +) can be answered; alphanumeric cannot
 * (GSM 03.40: at most 11 characters). */
static const char *
check_sender(const char *v)
{
	size_t n = strlen(v), i, digits = 0;

	if (n == 0 || config_sender_numeric(v))
		return NULL;
	for (i = 0; i < n; i++) {
		if (isdigit((unsigned char)v[i]))
			digits++;
		else if (!isalpha((unsigned char)v[i]) && v[i] != ' ' &&
		         v[i] != '.' && v[i] != '-')
			break;
	}
	if (i == n && n <= 11 && digits < n)
		return NULL;
	return "a number (3 to 15 digits, optionally with +: phones can reply "
	       "to it)"
	       " or up to 11 letters and digits (phones cannot reply to those)";
}

static const char *
check_secret(const char *v)
{
	size_t n = strlen(v), i;

	if (n == 0)
		return NULL;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)v[i]) &&
		    strchr("-._~", v[i]) == NULL)
			break;
	if (n >= 16 && i == n)
		return NULL;
	return "at least 16 characters of letters, digits and - . _ ~ (it is "
	       "put"
	       " into URLs; generate one with: openssl rand -hex 16)";
}

/* check_time_of_day: "HH:MM", 00:00 to 23:59 */
static const char *
check_time_of_day(const char *v)
{
	if (strlen(v) == 5 && isdigit((unsigned char)v[0]) &&
	    isdigit((unsigned char)v[1]) && v[2] == ':' &&
	    isdigit((unsigned char)v[3]) && isdigit((unsigned char)v[4]) &&
	    (v[0] - '0') * 10 + (v[1] - '0') < 24 && v[3] < '6')
		return NULL;
	return "a time of day as HH:MM (00:00 to 23:59)";
}

static const char *
check_header(const char *v)
{
	const char *colon = strchr(v, ':'), *p;

	if (v[0] == '\0')
		return NULL;
	if (colon == NULL || colon == v || colon[1] != ' ' || colon[2] == '\0')
		return "a whole header line such as Authorization: Bearer "
		       "TOKEN";
	for (p = v; p < colon; p++)
		if (!isalnum((unsigned char)*p) && *p != '-')
			return "a whole header line such as Authorization: "
			       "Bearer TOKEN";
	for (; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p == 0x7f)
			return "a whole header line such as Authorization: "
			       "Bearer TOKEN";
	return NULL;
}

static const char *
check_countries(const char *v)
{
	const char *p = v;
	int count = 0;

	if (strcmp(v, "any") == 0)
		return NULL;
	while (*p != '\0') {
		size_t n;

		while (*p == ' ')
			p++;
		n = strspn(p, "0123456789");
		if (n == 0 && *p == '\0')
			break;
		/* the only one-digit calling codes are 1 and 7 (E.164) */
		if (n == 0 || n > 3 || p[0] == '0' ||
		    (p[n] != ' ' && p[n] != '\0') ||
		    (n == 1 && p[0] != '1' && p[0] != '7'))
			return "calling codes such as 48 49 380 separated by "
			       "blanks, or any";
		count++;
		p += n;
	}
	return count > 0 ? NULL
	                 : "calling codes such as 48 49 380 separated by "
	                   "blanks, or any";
}

bool
config_sender_numeric(const char *sender)
{
	size_t n = strspn(sender + (sender[0] == '+'), "0123456789");

	return n >= 3 && n <= 15 && sender[(sender[0] == '+') + n] == '\0';
}

/* parse_reminders: "24h, 2h:sms" (or "0", "none", ""): durations from min
 * to max, each optionally with its channels, longest first, no two alike */
static int
parse_reminders(
    const char *value, int64_t min, int64_t max, struct reminder_list *out)
{
	struct reminder_list l;
	const char *p = value;
	unsigned i, j;

	memset(&l, 0, sizeof l);
	if (strcmp(value, "") == 0 || strcmp(value, "0") == 0 ||
	    strcmp(value, "none") == 0) {
		*out = l;
		return 0;
	}
	for (;;) {
		char item[64], *colon;
		size_t n;
		int64_t before;
		int policy = -1;

		while (*p == ' ')
			p++;
		n = strcspn(p, ",");
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n == 0 || n >= sizeof item || l.n == REMINDERS_MAX)
			return -1;
		memcpy(item, p, n);
		item[n] = '\0';
		if ((colon = strchr(item, ':')) != NULL) {
			*colon = '\0';
			if ((policy = channel_policy_parse(colon + 1)) < 0)
				return -1;
		}
		if (config_parse_duration(item, &before) != 0 || before < min ||
		    before > max)
			return -1;
		for (i = 0; i < l.n; i++)
			if (l.item[i].before == before)
				return -1;
		/* keep them longest first */
		for (i = 0; i < l.n && l.item[i].before > before; i++)
			;
		for (j = l.n; j > i; j--)
			l.item[j] = l.item[j - 1];
		l.item[i].before = before;
		l.item[i].policy = policy;
		l.n++;
		p += strcspn(p, ",");
		if (*p == '\0')
			break;
		p++;
	}
	*out = l;
	return 0;
}

static void
format_reminders(const struct reminder_list *l, char *out, size_t size)
{
	size_t len = 0;
	unsigned i;

	if (size == 0)
		return;
	out[0] = '\0';
	if (l->n == 0) {
		snprintf(out, size, "0");
		return;
	}
	for (i = 0; i < l->n && len < size; i++) {
		char d[32];

		config_format_duration(l->item[i].before, d, sizeof d);
		len += (size_t)snprintf(out + len, size - len, "%s%s%s%s",
		    i > 0 ? "," : "", d, l->item[i].policy >= 0 ? ":" : "",
		    l->item[i].policy >= 0
		        ? channel_policy_name(
		              (enum channel_policy)l->item[i].policy)
		        : "");
	}
}

/* parse_hours: "21:00-08:00" (over midnight), "13:00-14:00", or "" /
 * "none" for none */
static int
parse_hours(const char *value, int *from, int *to)
{
	char a[8], b[8];
	const char *dash = strchr(value, '-');

	if (strcmp(value, "") == 0 || strcmp(value, "none") == 0) {
		*from = *to = -1;
		return 0;
	}
	if (dash == NULL || dash - value != 5 || strlen(dash + 1) != 5)
		return -1;
	memcpy(a, value, 5);
	a[5] = '\0';
	memcpy(b, dash + 1, 6);
	if (otime_parse_hhmm(a, from) != 0 || otime_parse_hhmm(b, to) != 0 ||
	    *from == *to)
		return -1;
	return 0;
}

/* config_apply: store one value; a description of what is wrong in why. */
static int
config_apply(struct config *c, const struct config_key *k, const char *value,
    const char **why)
{
	void *field = (char *)c + k->offset;
	static char range[320];
	char *end;
	unsigned long long u;
	int64_t n;

	switch (k->type) {
	case CONF_STRING: {
		char *copy;

		if (k->choices != NULL &&
		    config_parse_choice(value, k->choices) != 0) {
			*why = k->choices;
			return -1;
		}
		if (k->check != NULL && (*why = k->check(value)) != NULL)
			return -1;
		if ((copy = strdup(value)) == NULL)
			abort();
		free(*(char **)field);
		*(char **)field = copy;
		return 0;
	}
	case CONF_UINT:
		errno = 0;
		u = strtoull(value, &end, 10);
		if (!isdigit((unsigned char)value[0]) || *end != '\0' ||
		    errno != 0 || u < (unsigned long long)k->min ||
		    u > (unsigned long long)k->max) {
			snprintf(range, sizeof range,
			    "a whole number from %lld to %lld",
			    (long long)k->min, (long long)k->max);
			*why = range;
			return -1;
		}
		*(unsigned *)field = (unsigned)u;
		return 0;
	case CONF_BOOL:
		if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0 ||
		    strcmp(value, "on") == 0 || strcmp(value, "1") == 0)
			*(bool *)field = true;
		else if (strcmp(value, "no") == 0 ||
		         strcmp(value, "false") == 0 ||
		         strcmp(value, "off") == 0 || strcmp(value, "0") == 0)
			*(bool *)field = false;
		else {
			*why = "yes or no";
			return -1;
		}
		return 0;
	case CONF_DURATION: {
		char lo[32], hi[32];

		if (config_parse_duration(value, &n) != 0 || n < k->min ||
		    n > k->max) {
			config_format_duration(k->min, lo, sizeof lo);
			config_format_duration(k->max, hi, sizeof hi);
			snprintf(range, sizeof range,
			    "a duration from %s to %s, such as"
			    " 30s, 30m, 24h or 2d",
			    lo, hi);
			*why = range;
			return -1;
		}
		/* gateway_poll_ms is the one duration kept in milliseconds */
		if (k->offset == offsetof(struct config, gateway_poll_ms))
			n *= 1000;
		*(int64_t *)field = n;
		return 0;
	}
	case CONF_SIZE:
		if (config_parse_size(value, &n) != 0 || n < k->min ||
		    n > k->max) {
			snprintf(range, sizeof range,
			    "a size from %lldK to %lldM, such as"
			    " 512K or 10M",
			    (long long)k->min / 1024,
			    (long long)k->max / 1024 / 1024);
			*why = range;
			return -1;
		}
		*(int64_t *)field = n;
		return 0;
	case CONF_REMINDERS: {
		char lo[32], hi[32];

		if (parse_reminders(value, k->min, k->max, field) != 0) {
			config_format_duration(k->min, lo, sizeof lo);
			config_format_duration(k->max, hi, sizeof hi);
			snprintf(range, sizeof range,
			    "durations from %s to %s separated by commas, each"
			    " optionally with :email, :sms or :both "
			    "(24h,2h:sms),"
			    " at most %d, no two alike; or 0 for none",
			    lo, hi, REMINDERS_MAX);
			*why = range;
			return -1;
		}
		return 0;
	}
	case CONF_CHANNELS: {
		int p = channel_policy_parse(value);

		if (p < 0) {
			*why = "both|email|sms|email_first|sms_first";
			return -1;
		}
		*(enum channel_policy *)field = (enum channel_policy)p;
		return 0;
	}
	case CONF_HOURS: {
		int from, to;

		if (parse_hours(value, &from, &to) != 0) {
			*why =
			    "HH:MM-HH:MM such as 21:00-08:00 (office time), or"
			    " nothing for none";
			return -1;
		}
		((int *)field)[0] = from;
		((int *)field)[1] = to;
		return 0;
	}
	case CONF_TLS:
		if (strcmp(value, "none") == 0)
			*(enum tls_mode *)field = TLS_NONE;
		else if (strcmp(value, "starttls") == 0)
			*(enum tls_mode *)field = TLS_STARTTLS;
		else if (strcmp(value, "tls") == 0)
			*(enum tls_mode *)field = TLS_TLS;
		else {
			*why = "none|starttls|tls";
			return -1;
		}
		return 0;
	}
	*why = "an unsupported type";
	return -1;
}

void
config_format_duration(int64_t seconds, char *out, size_t size)
{
	/* a day is "24h", as people say it; two and more are days */
	if (seconds >= 2 * 86400 && seconds % 86400 == 0)
		snprintf(out, size, "%lldd", (long long)(seconds / 86400));
	else if (seconds != 0 && seconds % 3600 == 0)
		snprintf(out, size, "%lldh", (long long)(seconds / 3600));
	else if (seconds != 0 && seconds % 60 == 0)
		snprintf(out, size, "%lldm", (long long)(seconds / 60));
	else
		snprintf(out, size, "%llds", (long long)seconds);
}

static const struct config_key *
config_find_key(const char *section, const char *key, int *section_known)
{
	size_t i;

	*section_known = 0;
	for (i = 0; i < NKEYS; i++) {
		if (strcmp(config_keys[i].section, section) != 0)
			continue;
		*section_known = 1;
		if (strcmp(config_keys[i].key, key) == 0)
			return &config_keys[i];
	}
	return NULL;
}

static size_t
key_index(const char *section, const char *key)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(config_keys[i].section, section) == 0 &&
		    strcmp(config_keys[i].key, key) == 0)
			return i;
	abort(); /* a name not in the table is a bug */
}

struct config *
config_defaults(void)
{
	struct config *c;
	const char *why;
	size_t i;

	if ((c = calloc(1, sizeof *c)) == NULL ||
	    (c->lines = calloc(1, sizeof *c->lines)) == NULL)
		abort();
	for (i = 0; i < NKEYS; i++)
		if (config_apply(c, &config_keys[i],
		        config_keys[i].default_value, &why) != 0)
			abort(); /* a bad default is a bug */
	/* poll_interval "0" means the built-in 100 ms */
	if (c->gateway_poll_ms == 0)
		c->gateway_poll_ms = 100;
	if ((c->path = strdup("(defaults)")) == NULL)
		abort();
	database_locator(c);
	return c;
}

static char *
config_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* Strip a trailing "# comment" that follows whitespace; '#' inside a value
 * such as a password stays when it is not preceded by a blank. */
static void
config_strip_comment(char *s)
{
	char *p;

	if (s[0] == '#' || s[0] == ';') {
		s[0] = '\0';
		return;
	}
	for (p = s + 1; *p != '\0'; p++)
		if (*p == '#' && isspace((unsigned char)p[-1])) {
			*p = '\0';
			return;
		}
}

static unsigned
section_line(const struct config *c, const char *section)
{
	size_t i;

	for (i = 0; i < c->lines->nsections; i++)
		if (strcmp(c->lines->section[i].name, section) == 0)
			return c->lines->section[i].line;
	return 0;
}

unsigned
config_line(const struct config *c, const char *section, const char *key)
{
	unsigned line =
	    key != NULL ? c->lines->key[key_index(section, key)] : 0;

	return line != 0 ? line : section_line(c, section);
}

const char *
config_where(const struct config *c, const char *section, const char *key,
    char *out, size_t size)
{
	unsigned line = config_line(c, section, key);

	if (line != 0)
		snprintf(out, size, "%s:%u", c->path, line);
	else
		snprintf(out, size, "%s", c->path);
	return out;
}

/* fail_at: one line "FILE:LINE: what", the line being that of the key
 * (or of its section, or of the file when neither is written). */
static int fail_at(const struct config *c, const char *section, const char *key,
    struct error *err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int
fail_at(const struct config *c, const char *section, const char *key,
    struct error *err, const char *fmt, ...)
{
	char where[1100], what[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return error_set(err, ERROR_INVALID, "%s: %s",
	    config_where(c, section, key, where, sizeof where), what);
}

static bool
is(const char *value, const char *want)
{
	return strcmp(value, want) == 0;
}

/* database_locator: what store_open opens (store.h): the SQLite file, or
 * "postgresql:" and the connection string */
static void
database_locator(struct config *c)
{
	size_t n;

	free(c->database);
	if (!is(c->database_backend, "postgresql")) {
		if ((c->database = strdup(c->database_path)) == NULL)
			abort();
		return;
	}
	n = strlen("postgresql:") + strlen(c->database_conninfo) + 1;
	if ((c->database = malloc(n)) == NULL)
		abort();
	snprintf(c->database, n, "postgresql:%s", c->database_conninfo);
}

/* config_check: what no single value shows: keys that must go together. */
static int
config_check(const struct config *c, struct error *err)
{
	bool postgresql = is(c->database_backend, "postgresql");

	if (postgresql && c->database_conninfo[0] == '\0')
		return fail_at(c, "database", "backend", err,
		    "database.backend = postgresql needs database.conninfo"
		    " (\"host=… port=… dbname=… user=…\" or a postgresql:// "
		    "URI)");
	if (!postgresql && c->database_conninfo[0] != '\0')
		return fail_at(c, "database", "conninfo", err,
		    "database.conninfo is for backend = postgresql (the"
		    " SQLite file is database.path)");
	if (postgresql && c->lines->key[key_index("database", "path")] != 0)
		return fail_at(c, "database", "path", err,
		    "database.path is for backend = sqlite: with postgresql,"
		    " database.conninfo replaces it");
	bool sms_http =
	    is(c->sms_provider, "kannel") || is(c->sms_provider, "http");

	if (sms_http && c->sms_callback_secret[0] == '\0')
		return fail_at(c, "sms", "provider", err,
		    "sms.provider = %s needs"
		    " sms.callback_secret (at least 16 characters): inbound "
		    "SMS and"
		    " delivery reports carry it, and without it replies and "
		    "reports"
		    " would be refused",
		    c->sms_provider);
	if (is(c->sms_provider, "http") &&
	    (strstr(c->sms_http_body, "{to}") == NULL ||
	        strstr(c->sms_http_body, "{text}") == NULL))
		return fail_at(c, "sms", "http_body", err,
		    "sms.http_body must contain"
		    " {to} and {text}");
	if (is(c->mail_transport, "smtp") && c->smtp_host[0] == '\0')
		return fail_at(c, "mail", "smtp_host", err,
		    "mail.transport = smtp"
		    " needs mail.smtp_host");
	if (is(c->mail_inbound, "imap") &&
	    (c->imap_host[0] == '\0' || c->imap_user[0] == '\0'))
		return fail_at(c, "mail",
		    c->imap_host[0] == '\0' ? "imap_host" : "inbound", err,
		    "mail.inbound = imap needs mail.imap_host and"
		    " mail.imap_user");
	if (c->booking_lead_time >= c->booking_horizon)
		return fail_at(c, "booking",
		    config_line(c, "booking", "lead_time") ? "lead_time"
		                                           : "horizon",
		    err,
		    "booking.lead_time must be shorter"
		    " than booking.horizon");
	/* written in the file, the shorter hold must be shorter; left at its
	 * default it is simply capped by confirm_within where it is used */
	if (c->pressure_confirm_within > c->confirm_within &&
	    c->lines->key[key_index("booking", "pressure_confirm_within")] != 0)
		return fail_at(c, "booking", "pressure_confirm_within", err,
		    "booking.pressure_confirm_within must not be longer than"
		    " booking.confirm_within");
	if (c->max_pending_share > 0 &&
	    c->pressure_share > c->max_pending_share)
		return fail_at(c, "booking", "pressure_share", err,
		    "booking."
		    "pressure_share must not be above "
		    "booking.max_pending_share");
	/* a notice says "about N min" in whole 5 minutes (lib/delay.h) */
	if (c->delay_notice_after != 0 && c->delay_notice_after < 300)
		return fail_at(c, "delay", "notice_after", err,
		    "delay.notice_after must be 0 (no notices) or at least 5m");
	if (c->delay_notice_step != 0 && c->delay_notice_step < 300)
		return fail_at(c, "delay", "notice_step", err,
		    "delay.notice_step must be 0 (one notice) or at least 5m");
	if (c->retry_initial > c->retry_max_age)
		return fail_at(c, "delivery", "retry_initial", err,
		    "delivery."
		    "retry_initial must not be longer than "
		    "delivery.retry_max_age");
	if (is(c->web_listen, c->gateway_listen))
		return fail_at(c, "gateway", "listen", err,
		    "gateway.listen is the"
		    " same address as web.listen: give each program its own "
		    "port");
	return 0;
}

struct config *
config_load(const char *path, struct error *err)
{
	struct config *c;
	FILE *fp;
	char line[4096], section[64] = "";
	unsigned lineno = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		error_set(err, ERROR_INVALID, "%s: cannot read: %s", path,
		    strerror(errno));
		return NULL;
	}
	c = config_defaults();
	free(c->path);
	if ((c->path = strdup(path)) == NULL)
		abort();
	while (fgets(line, sizeof line, fp) != NULL) {
		char *s = line, *eq, *key, *value;
		const struct config_key *k;
		const char *why = "";
		size_t ki;
		int known;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			error_set(err, ERROR_INVALID, "%s:%u: line too long",
			    path, lineno);
			goto fail;
		}
		/* a UTF-8 byte-order mark (Windows editors) is no content */
		if (lineno == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
			s += 3;
		config_strip_comment(s);
		s = config_trim(s);
		if (*s == '\0')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');
			unsigned first;

			if (close == NULL || close[1] != '\0' ||
			    (size_t)(close - s - 1) >= sizeof section) {
				error_set(err, ERROR_INVALID,
				    "%s:%u: malformed section header", path,
				    lineno);
				goto fail;
			}
			*close = '\0';
			snprintf(
			    section, sizeof section, "%s", config_trim(s + 1));
			config_find_key(section, "", &known);
			if (!known) {
				error_set(err, ERROR_INVALID,
				    "%s:%u: unknown section [%s]", path, lineno,
				    section);
				goto fail;
			}
			if ((first = section_line(c, section)) != 0) {
				error_set(err, ERROR_INVALID,
				    "%s:%u: section [%s] appears"
				    " twice (first at line %u): keep its keys "
				    "in one place",
				    path, lineno, section, first);
				goto fail;
			}
			if (c->lines->nsections <
			    sizeof c->lines->section /
			        sizeof c->lines->section[0]) {
				snprintf(
				    c->lines->section[c->lines->nsections].name,
				    sizeof c->lines->section[0].name, "%s",
				    section);
				c->lines->section[c->lines->nsections++].line =
				    lineno;
			}
			continue;
		}
		if ((eq = strchr(s, '=')) == NULL) {
			error_set(err, ERROR_INVALID,
			    "%s:%u: expected key = value", path, lineno);
			goto fail;
		}
		*eq = '\0';
		key = config_trim(s);
		value = config_trim(eq + 1);
		if (section[0] == '\0') {
			error_set(err, ERROR_INVALID,
			    "%s:%u: key '%s' outside any [section]", path,
			    lineno, key);
			goto fail;
		}
		if ((k = config_find_key(section, key, &known)) == NULL) {
			error_set(err, ERROR_INVALID,
			    "%s:%u: unknown key '%s' in [%s]", path, lineno,
			    key, section);
			goto fail;
		}
		ki = (size_t)(k - config_keys);
		if (c->lines->key[ki] != 0) {
			error_set(err, ERROR_INVALID,
			    "%s:%u: %s.%s is set twice (first"
			    " at line %u)",
			    path, lineno, section, key, c->lines->key[ki]);
			goto fail;
		}
		c->lines->key[ki] = lineno;
		if (config_apply(c, k, value, &why) != 0) {
			/* never echo the value: it may be a password */
			error_set(err, ERROR_INVALID,
			    "%s:%u: bad value for %s.%s: expected %s", path,
			    lineno, section, key, why);
			goto fail;
		}
	}
	if (ferror(fp)) {
		error_set(err, ERROR_IO, "%s: read error", path);
		goto fail;
	}
	fclose(fp);
	if (c->gateway_poll_ms == 0)
		c->gateway_poll_ms = 100;
	database_locator(c);
	if (config_check(c, err) != 0) {
		config_free(c);
		return NULL;
	}
	return c;
fail:
	fclose(fp);
	config_free(c);
	return NULL;
}

static void
texts_free(struct config *c)
{
	size_t i;

	for (i = 0; i < c->ntexts; i++) {
		free(c->texts[i].name);
		free(c->texts[i].value);
	}
	free(c->texts);
	c->texts = NULL;
	c->ntexts = 0;
}

void
config_free(struct config *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < NKEYS; i++)
		if (config_keys[i].type == CONF_STRING)
			free(*(char **)((char *)c + config_keys[i].offset));
	texts_free(c);
	free(c->lines);
	free(c->path);
	free(c->database);
	free(c);
}

static char *
dup_or_die(const char *s)
{
	char *copy = strdup(s);

	if (copy == NULL)
		abort();
	return copy;
}

struct config *
config_dup(const struct config *from)
{
	struct config *c;
	size_t i;

	if ((c = malloc(sizeof *c)) == NULL ||
	    (c->lines = malloc(sizeof *c->lines)) == NULL)
		abort();
	{
		struct config_lines *lines = c->lines;

		*c = *from;
		*lines = *from->lines;
		c->lines = lines;
	}
	c->path = dup_or_die(from->path);
	c->database =
	    from->database != NULL ? dup_or_die(from->database) : NULL;
	for (i = 0; i < NKEYS; i++)
		if (config_keys[i].type == CONF_STRING) {
			char **field =
			    (char **)((char *)c + config_keys[i].offset);

			*field = dup_or_die(*field);
		}
	c->texts = NULL;
	c->ntexts = 0;
	for (i = 0; i < from->ntexts; i++)
		config_text_set(c, from->texts[i].name, from->texts[i].value);
	return c;
}

const char *
config_text(const struct config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ntexts; i++)
		if (strcmp(c->texts[i].name, name) == 0)
			return c->texts[i].value;
	return NULL;
}

void
config_text_set(struct config *c, const char *name, const char *value)
{
	size_t i, at;

	for (i = 0; i < c->ntexts; i++)
		if (strcmp(c->texts[i].name, name) == 0)
			break;
	if (i < c->ntexts) {
		free(c->texts[i].value);
		if (value != NULL) {
			c->texts[i].value = dup_or_die(value);
			return;
		}
		free(c->texts[i].name);
		memmove(&c->texts[i], &c->texts[i + 1],
		    (c->ntexts - i - 1) * sizeof c->texts[0]);
		c->ntexts--;
		return;
	}
	if (value == NULL)
		return;
	/* sorted by name, so two snapshots list their texts alike */
	for (at = 0; at < c->ntexts && strcmp(c->texts[at].name, name) < 0;
	     at++)
		;
	if ((c->texts = realloc(
	         c->texts, (c->ntexts + 1) * sizeof c->texts[0])) == NULL)
		abort();
	memmove(&c->texts[at + 1], &c->texts[at],
	    (c->ntexts - at) * sizeof c->texts[0]);
	c->texts[at].name = dup_or_die(name);
	c->texts[at].value = dup_or_die(value);
	c->ntexts++;
}

int
config_set(struct config *c, const char *section, const char *key,
    const char *value, const char **why)
{
	int known;
	const struct config_key *k = config_find_key(section, key, &known);

	if (k == NULL) {
		*why = "a known key";
		return -1;
	}
	return config_apply(c, k, value, why);
}

static void
format_value(
    const struct config *c, const struct config_key *k, char *out, size_t size)
{
	const void *field = (const char *)c + k->offset;

	switch (k->type) {
	case CONF_STRING:
		snprintf(out, size, "%s", *(char *const *)field);
		break;
	case CONF_UINT:
		snprintf(out, size, "%u", *(const unsigned *)field);
		break;
	case CONF_BOOL:
		snprintf(out, size, "%s", *(const bool *)field ? "yes" : "no");
		break;
	case CONF_DURATION: {
		int64_t n = *(const int64_t *)field;

		if (k->offset == offsetof(struct config, gateway_poll_ms))
			n = n % 1000 == 0 ? n / 1000 : 0;
		config_format_duration(n, out, size);
		break;
	}
	case CONF_SIZE:
		snprintf(out, size, "%lld", (long long)*(const int64_t *)field);
		break;
	case CONF_TLS: {
		enum tls_mode m = *(const enum tls_mode *)field;

		snprintf(out, size, "%s",
		    m == TLS_TLS        ? "tls"
		    : m == TLS_STARTTLS ? "starttls"
		                        : "none");
		break;
	}
	case CONF_REMINDERS: format_reminders(field, out, size); break;
	case CONF_CHANNELS:
		snprintf(out, size, "%s",
		    channel_policy_name(*(const enum channel_policy *)field));
		break;
	case CONF_HOURS: {
		const int *h = field;

		if (h[0] < 0)
			snprintf(out, size, "%s", "");
		else
			snprintf(out, size, "%02d:%02d-%02d:%02d", h[0] / 60,
			    h[0] % 60, h[1] / 60, h[1] % 60);
		break;
	}
	}
}

bool
config_format(const struct config *c, const char *section, const char *key,
    char *out, size_t size)
{
	int known;
	const struct config_key *k = config_find_key(section, key, &known);

	if (k == NULL)
		return false;
	format_value(c, k, out, size);
	return true;
}

/* what SIGHUP may change in a running program: a key read afresh each time
 * it is used. Everything else (listen addresses, the database, the
 * transports and their servers and secrets, thread and connection counts,
 * the zone, keys read once at start) needs a restart, and so does any key
 * added later until it is listed here. */
static const char *const live_keys[] = {
    "office.name",
    "office.address",
    "office.phone",
    "office.hours",
    "web.max_open_per_contact",
    "gateway.poll_interval",
    "mail.from",
    "sms.countries",
    "sms.quiet_hours",
    "sms.segment_price",
    "booking.*",
    "channels.*",
    "staff.session_idle",
    "staff.session_max",
    "staff.login_failures",
    "staff.login_lockout",
    "reception.*",
    "delivery.*",
    "privacy.*",
    "waitlist.*",
};

bool
config_live_key(const char *section, const char *key)
{
	size_t i, n = strlen(section);

	for (i = 0; i < sizeof live_keys / sizeof live_keys[0]; i++) {
		const char *l = live_keys[i];

		if (strncmp(l, section, n) != 0 || l[n] != '.')
			continue;
		if (strcmp(l + n + 1, "*") == 0 || strcmp(l + n + 1, key) == 0)
			return true;
	}
	return false;
}

static bool
same_value(
    const struct config *a, const struct config *b, const struct config_key *k)
{
	const void *x = (const char *)a + k->offset,
	           *y = (const char *)b + k->offset;

	switch (k->type) {
	case CONF_STRING:
		return strcmp(*(char *const *)x, *(char *const *)y) == 0;
	case CONF_UINT: return memcmp(x, y, sizeof(unsigned)) == 0;
	case CONF_BOOL: return memcmp(x, y, sizeof(bool)) == 0;
	case CONF_DURATION:
	case CONF_SIZE: return memcmp(x, y, sizeof(int64_t)) == 0;
	case CONF_TLS: return memcmp(x, y, sizeof(enum tls_mode)) == 0;
	case CONF_REMINDERS:
		return memcmp(x, y, sizeof(struct reminder_list)) == 0;
	case CONF_CHANNELS:
		return memcmp(x, y, sizeof(enum channel_policy)) == 0;
	case CONF_HOURS: return memcmp(x, y, 2 * sizeof(int)) == 0;
	}
	return false;
}

void
config_carry_restart_keys(struct config *next, const struct config *running,
    char *changed, size_t size)
{
	size_t i, len = 0;

	if (size > 0)
		changed[0] = '\0';
	for (i = 0; i < NKEYS; i++) {
		const struct config_key *k = &config_keys[i];
		void *field = (char *)next + k->offset;
		const void *was = (const char *)running + k->offset;

		if (config_live_key(k->section, k->key) ||
		    same_value(next, running, k))
			continue;
		if (len < size)
			len += (size_t)snprintf(changed + len, size - len,
			    "%s%s.%s", len > 0 ? " " : "", k->section, k->key);
		switch (k->type) {
		case CONF_STRING:
			free(*(char **)field);
			*(char **)field = dup_or_die(*(char *const *)was);
			break;
		case CONF_UINT: memcpy(field, was, sizeof(unsigned)); break;
		case CONF_BOOL: memcpy(field, was, sizeof(bool)); break;
		case CONF_DURATION:
		case CONF_SIZE: memcpy(field, was, sizeof(int64_t)); break;
		case CONF_TLS: memcpy(field, was, sizeof(enum tls_mode)); break;
		case CONF_REMINDERS:
			memcpy(field, was, sizeof(struct reminder_list));
			break;
		case CONF_CHANNELS:
			memcpy(field, was, sizeof(enum channel_policy));
			break;
		case CONF_HOURS: memcpy(field, was, 2 * sizeof(int)); break;
		}
	}
	/* the locator follows the database keys it is made of */
	database_locator(next);
}

int
config_reply_parts(const struct config *c, char *local, size_t local_size,
    char *domain, size_t domain_size)
{
	const char *at = strrchr(c->mail_reply_address, '@');
	size_t n;

	if (at == NULL || at == c->mail_reply_address || at[1] == '\0')
		return -1;
	n = (size_t)(at - c->mail_reply_address);
	if (n >= local_size || strlen(at + 1) >= domain_size)
		return -1;
	memcpy(local, c->mail_reply_address, n);
	local[n] = '\0';
	snprintf(domain, domain_size, "%s", at + 1);
	return 0;
}

bool
config_sms_two_way(const struct config *c, const char **why)
{
	const char *reason = NULL;

	if (is(c->sms_provider, "none"))
		reason = "no SMS provider";
	else if (!config_sender_numeric(c->sms_sender))
		reason = c->sms_sender[0] == '\0'
		             ? "sms.sender is not set (the"
		               " provider's default may not accept replies)"
		             : "sms.sender is"
		               " alphanumeric: phones cannot reply to it";
	else if (!is(c->sms_provider, "spool") &&
	         c->sms_callback_secret[0] == '\0')
		reason = "no inbound callback (sms.callback_secret)";
	if (why != NULL)
		*why = reason;
	return reason == NULL;
}
