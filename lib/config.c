/*
 * config.c: the INI reader. One table lists every section.key with its type,
 * default and where it lands in struct config, so adding a key is one line
 * here and one paragraph in doc/wizyta.conf.5.
 *
 * Invariant: after config_load() succeeds every string field is non-NULL.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

enum config_type { CONF_STRING, CONF_UINT, CONF_BOOL, CONF_DURATION, CONF_TLS, CONF_SIZE };

struct config_key {
	const char *section;
	const char *key;
	enum config_type type;
	size_t offset;
	const char *default_value;
	const char *choices;	/* for CONF_STRING: "a|b|c" or NULL */
};

#define K(sec, key, type, field, def, choices) \
	{ sec, key, type, offsetof(struct config, field), def, choices }

static const struct config_key config_keys[] = {
	K("database", "path", CONF_STRING, database_path, "/var/lib/wizyta/wizyta.db", NULL),

	K("office", "name", CONF_STRING, office_name, "Urząd Miasta", NULL),
	K("office", "timezone", CONF_STRING, office_timezone, "Europe/Warsaw", NULL),
	K("office", "address", CONF_STRING, office_address, "", NULL),
	K("office", "phone", CONF_STRING, office_phone, "", NULL),
	K("office", "hours", CONF_STRING, office_hours, "", NULL),

	K("web", "listen", CONF_STRING, web_listen, "127.0.0.1:8080", NULL),
	K("web", "base_url", CONF_STRING, web_base_url, "http://localhost:8080", NULL),
	K("web", "threads", CONF_UINT, web_threads, "4", NULL),
	K("web", "trusted_proxies", CONF_STRING, web_trusted_proxies, "", NULL),
	K("web", "rate_limit", CONF_UINT, web_rate_limit, "30", NULL),
	K("web", "max_open_per_contact", CONF_UINT, web_max_open_per_contact, "3", NULL),
	K("web", "dev_mailbox", CONF_BOOL, web_dev_mailbox, "yes", NULL),

	K("gateway", "listen", CONF_STRING, gateway_listen, "127.0.0.1:8081", NULL),
	K("gateway", "poll_interval", CONF_DURATION, gateway_poll_ms, "0", NULL),

	K("mail", "transport", CONF_STRING, mail_transport, "maildir", "smtp|maildir|none"),
	K("mail", "smtp_host", CONF_STRING, smtp_host, "127.0.0.1", NULL),
	K("mail", "smtp_port", CONF_UINT, smtp_port, "25", NULL),
	K("mail", "smtp_tls", CONF_TLS, smtp_tls, "none", NULL),
	K("mail", "smtp_user", CONF_STRING, smtp_user, "", NULL),
	K("mail", "smtp_password", CONF_STRING, smtp_password, "", NULL),
	K("mail", "smtp_timeout", CONF_DURATION, smtp_timeout, "30s", NULL),
	K("mail", "from", CONF_STRING, mail_from, "Urząd Miasta <wizyta@urzad.example>", NULL),
	K("mail", "reply_address", CONF_STRING, mail_reply_address, "wizyta@urzad.example", NULL),
	K("mail", "inbound", CONF_STRING, mail_inbound, "maildir", "imap|maildir|none"),
	K("mail", "imap_host", CONF_STRING, imap_host, "127.0.0.1", NULL),
	K("mail", "imap_port", CONF_UINT, imap_port, "143", NULL),
	K("mail", "imap_tls", CONF_TLS, imap_tls, "none", NULL),
	K("mail", "imap_user", CONF_STRING, imap_user, "", NULL),
	K("mail", "imap_password", CONF_STRING, imap_password, "", NULL),
	K("mail", "imap_mailbox", CONF_STRING, imap_mailbox, "INBOX", NULL),
	K("mail", "imap_processed_mailbox", CONF_STRING, imap_processed_mailbox, "", NULL),
	K("mail", "imap_poll_interval", CONF_DURATION, imap_poll_interval, "60s", NULL),
	K("mail", "imap_timeout", CONF_DURATION, imap_timeout, "30s", NULL),
	K("mail", "maildir", CONF_STRING, mail_maildir, "/var/lib/wizyta/mail", NULL),
	K("mail", "tls_ca_file", CONF_STRING, tls_ca_file, "", NULL),
	K("mail", "max_size", CONF_SIZE, mail_max_size, "10M", NULL),

	K("sms", "provider", CONF_STRING, sms_provider, "none", "none|kannel|http|spool"),
	K("sms", "url", CONF_STRING, sms_url, "http://127.0.0.1:13013/cgi-bin/sendsms", NULL),
	K("sms", "user", CONF_STRING, sms_user, "", NULL),
	K("sms", "password", CONF_STRING, sms_password, "", NULL),
	K("sms", "sender", CONF_STRING, sms_sender, "URZAD", NULL),
	K("sms", "callback_secret", CONF_STRING, sms_callback_secret, "", NULL),
	K("sms", "spool", CONF_STRING, sms_spool, "/var/lib/wizyta/sms", NULL),
	K("sms", "transliterate", CONF_BOOL, sms_transliterate, "yes", NULL),
	K("sms", "rate", CONF_UINT, sms_rate, "0", NULL),
	K("sms", "http_method", CONF_STRING, sms_http_method, "POST", "GET|POST"),
	K("sms", "http_content_type", CONF_STRING, sms_http_content_type, "form", "form|json"),
	K("sms", "http_body", CONF_STRING, sms_http_body, "to={to}&from={from}&text={text}", NULL),
	K("sms", "http_auth_header", CONF_STRING, sms_http_auth_header, "", NULL),
	K("sms", "http_success_regex", CONF_STRING, sms_http_success_regex, "", NULL),
	K("sms", "http_id_regex", CONF_STRING, sms_http_id_regex, "", NULL),

	K("booking", "confirm_within", CONF_DURATION, confirm_within, "30m", NULL),
	K("booking", "reminder_before", CONF_DURATION, reminder_before, "24h", NULL),
	K("booking", "horizon", CONF_DURATION, booking_horizon, "60d", NULL),
	K("booking", "lead_time", CONF_DURATION, booking_lead_time, "1h", NULL),

	K("delivery", "retry_initial", CONF_DURATION, retry_initial, "30s", NULL),
	K("delivery", "retry_max_age", CONF_DURATION, retry_max_age, "2d", NULL),
};

#undef K

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

/* config_apply: store one value; a description of what is wrong in why. */
static int
config_apply(struct config *c, const struct config_key *k, const char *value,
    const char **why)
{
	void *field = (char *)c + k->offset;
	char *end;
	unsigned long u;

	switch (k->type) {
	case CONF_STRING: {
		char *copy;

		if (k->choices != NULL && config_parse_choice(value, k->choices) != 0) {
			*why = k->choices;
			return -1;
		}
		if ((copy = strdup(value)) == NULL)
			abort();
		free(*(char **)field);
		*(char **)field = copy;
		return 0;
	}
	case CONF_UINT:
		errno = 0;
		u = strtoul(value, &end, 10);
		if (!isdigit((unsigned char)value[0]) || *end != '\0' ||
		    errno != 0 || u > 65535 * 1024UL) {
			*why = "a whole number";
			return -1;
		}
		*(unsigned *)field = (unsigned)u;
		return 0;
	case CONF_BOOL:
		if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0 ||
		    strcmp(value, "on") == 0 || strcmp(value, "1") == 0)
			*(bool *)field = true;
		else if (strcmp(value, "no") == 0 || strcmp(value, "false") == 0 ||
		    strcmp(value, "off") == 0 || strcmp(value, "0") == 0)
			*(bool *)field = false;
		else {
			*why = "yes or no";
			return -1;
		}
		return 0;
	case CONF_DURATION: {
		int64_t s;

		if (config_parse_duration(value, &s) != 0) {
			*why = "a duration such as 30s, 30m, 24h or 2d";
			return -1;
		}
		/* gateway_poll_ms is the one duration kept in milliseconds */
		if (k->offset == offsetof(struct config, gateway_poll_ms))
			s *= 1000;
		*(int64_t *)field = s;
		return 0;
	}
	case CONF_SIZE:
		if (config_parse_size(value, (int64_t *)field) != 0) {
			*why = "a size such as 512K or 10M";
			return -1;
		}
		return 0;
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

static const struct config_key *
config_find_key(const char *section, const char *key, int *section_known)
{
	size_t i;

	*section_known = 0;
	for (i = 0; i < sizeof config_keys / sizeof config_keys[0]; i++) {
		if (strcmp(config_keys[i].section, section) != 0)
			continue;
		*section_known = 1;
		if (strcmp(config_keys[i].key, key) == 0)
			return &config_keys[i];
	}
	return NULL;
}

struct config *
config_defaults(void)
{
	struct config *c;
	const char *why;
	size_t i;

	if ((c = calloc(1, sizeof *c)) == NULL)
		abort();
	for (i = 0; i < sizeof config_keys / sizeof config_keys[0]; i++)
		if (config_apply(c, &config_keys[i],
		    config_keys[i].default_value, &why) != 0)
			abort();	/* a bad default is a bug */
	/* poll_interval "0" means the built-in 100 ms */
	if (c->gateway_poll_ms == 0)
		c->gateway_poll_ms = 100;
	if ((c->path = strdup("(defaults)")) == NULL)
		abort();
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
		char *s, *eq, *key, *value;
		const struct config_key *k;
		const char *why = "";
		int known;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			error_set(err, ERROR_INVALID, "%s:%u: line too long", path, lineno);
			goto fail;
		}
		config_strip_comment(line);
		s = config_trim(line);
		if (*s == '\0')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');

			if (close == NULL || close[1] != '\0' ||
			    (size_t)(close - s - 1) >= sizeof section) {
				error_set(err, ERROR_INVALID,
				    "%s:%u: malformed section header", path, lineno);
				goto fail;
			}
			*close = '\0';
			snprintf(section, sizeof section, "%s", config_trim(s + 1));
			config_find_key(section, "", &known);
			if (!known) {
				error_set(err, ERROR_INVALID,
				    "%s:%u: unknown section [%s]", path, lineno, section);
				goto fail;
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
			    "%s:%u: key '%s' outside any [section]", path, lineno, key);
			goto fail;
		}
		if ((k = config_find_key(section, key, &known)) == NULL) {
			error_set(err, ERROR_INVALID, "%s:%u: unknown key '%s' in [%s]",
			    path, lineno, key, section);
			goto fail;
		}
		if (config_apply(c, k, value, &why) != 0) {
			/* never echo the value: it may be a password */
			error_set(err, ERROR_INVALID,
			    "%s:%u: bad value for %s.%s: expected %s", path, lineno,
			    section, key, why);
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
	return c;
fail:
	fclose(fp);
	config_free(c);
	return NULL;
}

void
config_free(struct config *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < sizeof config_keys / sizeof config_keys[0]; i++)
		if (config_keys[i].type == CONF_STRING)
			free(*(char **)((char *)c + config_keys[i].offset));
	free(c->path);
	free(c);
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
