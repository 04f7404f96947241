/*
 * test_config.c: config_load on a complete file and on every kind of
 * mistake an operator makes (tests/fixtures/config/), and the duration
 * syntax. Each error must be one line naming the file and the line.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

static void
fixture_path(const char *name, char *out, size_t size)
{
	const char *top = getenv("top_srcdir");

	snprintf(
	    out, size, "%s/tests/fixtures/config/%s", top ? top : ".", name);
}

static void
test_good_file(void **state)
{
	char path[1024];
	struct error err;
	struct config *c;
	char local[64], domain[64];

	(void)state;
	fixture_path("good.conf", path, sizeof path);
	error_clear(&err);
	c = config_load(path, &err);
	if (c == NULL)
		fail_msg("good.conf refused: %s", err.msg);
	assert_string_equal(c->path, path);
	assert_string_equal(c->database_path, "/tmp/wizyta-test/wizyta.db");
	assert_string_equal(c->office_name, "Urząd Gminy Testowo");
	assert_string_equal(c->office_timezone, "Europe/Warsaw");
	/* a trailing comment after blanks is dropped */
	assert_string_equal(c->web_listen, "127.0.0.1:18080");
	assert_string_equal(c->web_base_url, "https://wizyta.testowo.example/");
	assert_int_equal(c->web_threads, 8);
	assert_string_equal(c->web_trusted_proxies, "127.0.0.1 ::1");
	assert_int_equal(c->web_rate_limit, 60);
	assert_int_equal(c->web_max_open_per_contact, 5);
	assert_false(c->web_dev_mailbox);
	assert_string_equal(c->gateway_listen, "127.0.0.1:18081");
	assert_int_equal(c->gateway_poll_ms, 2000); /* kept in milliseconds */
	assert_string_equal(c->mail_transport, "smtp");
	assert_string_equal(c->smtp_host, "smtp.testowo.example");
	assert_int_equal(c->smtp_port, 587);
	assert_int_equal(c->smtp_tls, TLS_STARTTLS);
	assert_string_equal(c->smtp_user, "wizyta");
	/* '#' inside a value stays; the comment after blanks goes */
	assert_string_equal(c->smtp_password, "pa#ss#word");
	assert_int_equal(c->smtp_timeout, 60);
	assert_string_equal(
	    c->mail_from, "Urząd Gminy <wizyta@testowo.example>");
	assert_string_equal(c->mail_reply_address, "wizyta@testowo.example");
	assert_string_equal(c->mail_inbound, "imap");
	assert_string_equal(c->imap_host, "imap.testowo.example");
	assert_int_equal(c->imap_port, 993);
	assert_int_equal(c->imap_tls, TLS_TLS);
	assert_string_equal(c->imap_user, "wizyta");
	/* wizyta.conf(5): '#' after a blank starts a comment, even right
	 * after "= ", so this value is empty */
	assert_string_equal(c->imap_password, "");
	assert_string_equal(c->imap_mailbox, "INBOX");
	assert_string_equal(c->imap_processed_mailbox, "Processed");
	assert_int_equal(c->imap_poll_interval, 300);
	assert_string_equal(c->mail_maildir, "/tmp/wizyta-test/mail");
	assert_string_equal(c->tls_ca_file, "/etc/ssl/certs/test-ca.pem");
	assert_int_equal(c->mail_max_size, 512 * 1024);
	assert_string_equal(c->sms_provider, "kannel");
	assert_string_equal(
	    c->sms_url, "http://127.0.0.1:13013/cgi-bin/sendsms");
	assert_string_equal(c->sms_user, "kannel");
	assert_string_equal(c->sms_password, "s3cret");
	assert_string_equal(c->sms_sender, "+48500100200");
	assert_string_equal(
	    c->sms_callback_secret, "3f9c2a7d-secret-for-tests");
	assert_string_equal(c->sms_countries, "48 380");
	assert_string_equal(c->sms_spool, "/tmp/wizyta-test/sms");
	assert_false(c->sms_transliterate);
	assert_int_equal(c->sms_rate, 10);
	assert_string_equal(c->sms_http_method, "GET");
	assert_string_equal(c->sms_http_content_type, "json");
	assert_string_equal(
	    c->sms_http_body, "{\"to\":\"{to}\",\"text\":\"{text}\"}");
	assert_string_equal(
	    c->sms_http_auth_header, "Authorization: Bearer xyz");
	assert_string_equal(c->sms_http_success_regex, "^OK");
	assert_string_equal(c->sms_http_id_regex, "id=([0-9]+)");
	assert_int_equal(c->confirm_within, 2 * 3600);
	/* a list, longest first, one with its own channels */
	assert_int_equal(c->reminders.n, 2);
	assert_int_equal(c->reminders.item[0].before, 2 * 86400);
	assert_int_equal(c->reminders.item[0].policy, -1);
	assert_int_equal(c->reminders.item[1].before, 3 * 3600);
	assert_int_equal(c->reminders.item[1].policy, CHANNELS_SMS);
	assert_int_equal(c->channels[MESSAGE_CONFIRMATION], CHANNELS_SMS_FIRST);
	assert_int_equal(c->channels[MESSAGE_REMINDER], CHANNELS_EMAIL);
	assert_int_equal(c->channels[MESSAGE_EXPIRY], CHANNELS_BOTH);
	assert_int_equal(c->sms_quiet.from, 21 * 60 + 30);
	assert_int_equal(c->sms_quiet.to, 7 * 60 + 45);
	assert_string_equal(c->sms_segment_price, "0,07");
	assert_int_equal(c->booking_horizon, 30 * 86400);
	assert_int_equal(c->booking_lead_time, 30);
	assert_int_equal(c->max_pending_per_address, 2);
	assert_int_equal(c->max_pending_per_network, 8);
	assert_int_equal(c->pressure_share, 20);
	assert_int_equal(c->pressure_confirm_within, 600);
	assert_int_equal(c->max_pending_share, 50);
	assert_int_equal(c->retry_initial, 10);
	assert_int_equal(c->retry_max_age, 86400);

	assert_int_equal(
	    config_reply_parts(c, local, sizeof local, domain, sizeof domain),
	    0);
	assert_string_equal(local, "wizyta");
	assert_string_equal(domain, "testowo.example");

	/* where each key was set, for errors found after loading */
	{
		char where[1200], want[1200];

		snprintf(want, sizeof want, "%s:12", path);
		assert_string_equal(
		    config_where(c, "web", "listen", where, sizeof where),
		    want);
		/* not in the file: its section's line */
		snprintf(want, sizeof want, "%s:7", path);
		assert_string_equal(
		    config_where(c, "office", NULL, where, sizeof where), want);
		assert_int_equal(config_line(c, "web", "threads"), 14);
	}
	/* a numeric sender with callbacks: citizens can answer by SMS */
	assert_true(config_sms_two_way(c, NULL));
	config_free(c);
}

static void
test_defaults(void **state)
{
	struct config *c = config_defaults();
	char local[64], domain[64];

	(void)state;
	assert_string_equal(c->path, "(defaults)");
	assert_string_equal(c->mail_transport, "maildir");
	assert_string_equal(c->sms_provider, "none");
	assert_int_equal(c->smtp_tls, TLS_NONE);
	assert_int_equal(c->confirm_within, 30 * 60);
	assert_int_equal(c->reminders.n, 1);
	assert_int_equal(c->reminders.item[0].before, 24 * 3600);
	assert_int_equal(c->sms_quiet.from, -1); /* no quiet hours */
	assert_int_equal(c->channels[MESSAGE_CONFIRMATION], CHANNELS_BOTH);
	assert_int_equal(c->gateway_poll_ms, 100);
	assert_true(c->sms_transliterate);
	assert_int_equal(
	    config_reply_parts(c, local, sizeof local, domain, sizeof domain),
	    0);
	assert_string_equal(local, "wizyta");
	assert_string_equal(domain, "urzad.example");
	/* a reply address without a local part or domain is refused */
	free(c->mail_reply_address);
	c->mail_reply_address = strdup("@urzad.example");
	assert_int_equal(
	    config_reply_parts(c, local, sizeof local, domain, sizeof domain),
	    -1);
	free(c->mail_reply_address);
	c->mail_reply_address = strdup("wizyta@");
	assert_int_equal(
	    config_reply_parts(c, local, sizeof local, domain, sizeof domain),
	    -1);
	config_free(c);
	config_free(NULL);
}

/* expect_error: loading fixture `name` fails with "PATH:LINE: ..." holding
 * `what`, and never echoes `secret` (a value that may be a password). */
static void
expect_error(
    const char *name, unsigned line, const char *what, const char *secret)
{
	char path[1024], prefix[1100];
	struct error err;
	struct config *c;

	fixture_path(name, path, sizeof path);
	error_clear(&err);
	c = config_load(path, &err);
	if (c != NULL) {
		config_free(c);
		fail_msg("%s accepted", name);
	}
	assert_int_equal(err.kind, ERROR_INVALID);
	snprintf(prefix, sizeof prefix, "%s:%u: ", path, line);
	if (strncmp(err.msg, prefix, strlen(prefix)) != 0)
		fail_msg(
		    "%s: '%s' does not start with '%s'", name, err.msg, prefix);
	if (strstr(err.msg, what) == NULL)
		fail_msg("%s: '%s' does not say '%s'", name, err.msg, what);
	assert_null(strchr(err.msg, '\n'));
	if (secret != NULL && strstr(err.msg, secret) != NULL)
		fail_msg("%s: '%s' echoes the value", name, err.msg);
}

static void expect_error(
    const char *name, unsigned line, const char *what, const char *secret);

/* A UTF-8 byte-order mark at the start is accepted, and is no content. */
static void
test_bom(void **state)
{
	char path[1024];
	struct error err;
	struct config *c;

	(void)state;
	fixture_path("bom.conf", path, sizeof path);
	error_clear(&err);
	if ((c = config_load(path, &err)) == NULL)
		fail_msg("bom.conf refused: %s", err.msg);
	assert_int_equal(c->confirm_within, 45 * 60);
	config_free(c);
}

/*
 * Every refuse_*.conf fixture ends with "# expect LINE: TEXT": loading it
 * fails with one line "PATH:LINE: ..." that holds TEXT. Adding a case is
 * adding a file.
 */
static void
test_refusals(void **state)
{
	char dir[1024];
	struct dirent *e;
	DIR *d;
	int count = 0;

	(void)state;
	fixture_path("", dir, sizeof dir);
	assert_non_null(d = opendir(dir));
	while ((e = readdir(d)) != NULL) {
		char path[1300], line[512], last[512] = "", what[512];
		unsigned want_line;
		FILE *fp;

		if (strncmp(e->d_name, "refuse_", 7) != 0)
			continue;
		snprintf(path, sizeof path, "%s%s", dir, e->d_name);
		assert_non_null(fp = fopen(path, "r"));
		while (fgets(line, sizeof line, fp) != NULL)
			if (strncmp(line, "# expect ", 9) == 0)
				snprintf(last, sizeof last, "%s", line + 9);
		fclose(fp);
		last[strcspn(last, "\n")] = '\0';
		if (sscanf(last, "%u: %511[^\n]", &want_line, what) != 2)
			fail_msg(
			    "%s: no '# expect LINE: TEXT' line", e->d_name);
		expect_error(e->d_name, want_line, what, NULL);
		count++;
	}
	closedir(d);
	assert_true(count >= 20);
}

static void
test_unknown_section(void **state)
{
	(void)state;
	expect_error("bad_section.conf", 4, "unknown section [nosuch]", NULL);
}

static void
test_unknown_key(void **state)
{
	(void)state;
	expect_error("bad_key.conf", 6, "unknown key 'lisen' in [web]", NULL);
}

static void
test_bad_values(void **state)
{
	(void)state;
	expect_error("bad_duration.conf", 3,
	    "bad value for booking.confirm_within", "3x");
	expect_error("bad_negative.conf", 3,
	    "bad value for booking.reminder_before", NULL);
	expect_error("bad_bool.conf", 2,
	    "bad value for web.dev_mailbox: expected yes or no", "maybe");
	expect_error("bad_tls.conf", 3,
	    "bad value for mail.smtp_tls: expected "
	    "none|starttls|tls",
	    "ssl");
	expect_error("bad_choice.conf", 2,
	    "bad value for sms.provider: expected "
	    "none|kannel|http|spool",
	    "pigeon");
	expect_error(
	    "bad_uint.conf", 2, "bad value for mail.smtp_port", "hunter2");
}

static void
test_syntax_errors(void **state)
{
	(void)state;
	expect_error("no_equals.conf", 3, "expected key = value", NULL);
	expect_error("outside_section.conf", 2, "outside any [section]", NULL);
	expect_error("bad_header.conf", 1, "malformed section header", NULL);
}

static void
test_unreadable(void **state)
{
	char dir[] = "/tmp/wizyta-config-XXXXXX", path[128];
	struct error err;
	struct config *c;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));

	/* a file that does not exist */
	snprintf(path, sizeof path, "%s/missing.conf", dir);
	error_clear(&err);
	assert_null(config_load(path, &err));
	assert_int_equal(err.kind, ERROR_INVALID);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "cannot read"));

	/* a file without read permission (root reads it anyway) */
	snprintf(path, sizeof path, "%s/secret.conf", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("[database]\npath = /tmp/x.db\n", fp);
	fclose(fp);
	assert_int_equal(chmod(path, 0), 0);
	if (geteuid() != 0) {
		error_clear(&err);
		assert_null(config_load(path, &err));
		assert_non_null(strstr(err.msg, path));
		assert_non_null(strstr(err.msg, "cannot read"));
	}
	unlink(path);

	/* a directory opens but cannot be read */
	error_clear(&err);
	c = config_load(dir, &err);
	assert_null(c);
	assert_non_null(strstr(err.msg, dir));
	assert_int_equal(rmdir(dir), 0);
}

static void
test_empty_file_is_defaults(void **state)
{
	char dir[] = "/tmp/wizyta-config-XXXXXX", path[128];
	struct error err;
	struct config *c;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/empty.conf", dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("# nothing but comments\n\n   \n; and this\n[booking]\n", fp);
	fclose(fp);
	error_clear(&err);
	c = config_load(path, &err);
	if (c == NULL)
		fail_msg("refused: %s", err.msg);
	assert_int_equal(c->confirm_within, 1800);
	assert_string_equal(c->database_path, "/var/lib/wizyta/wizyta.db");
	assert_int_equal(c->gateway_poll_ms, 100);
	config_free(c);
	unlink(path);
	rmdir(dir);
}

static void
expect_duration(const char *text, int64_t want)
{
	int64_t got = -42;

	if (config_parse_duration(text, &got) != 0)
		fail_msg("'%s' refused", text);
	if (got != want)
		fail_msg("'%s' = %lld, want %lld", text, (long long)got,
		    (long long)want);
}

static void
expect_bad_duration(const char *text)
{
	int64_t got = -42;

	if (config_parse_duration(text, &got) == 0)
		fail_msg("'%s' accepted as %lld", text, (long long)got);
	assert_int_equal(got, -42); /* untouched on failure */
}

static void
test_durations(void **state)
{
	(void)state;
	expect_duration("30", 30);
	expect_duration("30s", 30);
	expect_duration("30m", 1800);
	expect_duration("24h", 86400);
	expect_duration("2d", 172800);
	expect_duration("0", 0);
	expect_bad_duration("3x");
	expect_bad_duration("-1");
	expect_bad_duration("");
	expect_bad_duration("m");
	expect_bad_duration(" 30m");
	expect_bad_duration("30 m");
	expect_bad_duration("30M");
	expect_bad_duration("1.5h");
	expect_bad_duration("30mm");
	expect_bad_duration("99999999999999999999");
	expect_bad_duration("9223372036854775807d");
}

/* the keys admins also change at run time: their syntax (config_set, the
 * database's settings read the same way), written back (config_format),
 * deep copies, and what SIGHUP may change */
static void
test_run_time_keys(void **state)
{
	struct config *c = config_defaults(), *d, *next;
	const char *why = NULL;
	char text[256], changed[256];

	(void)state;
	assert_int_equal(
	    config_set(c, "booking", "reminder_before", "2h, 24h:sms", &why),
	    0);
	assert_true(
	    config_format(c, "booking", "reminder_before", text, sizeof text));
	assert_string_equal(text, "24h:sms,2h"); /* longest first */
	assert_int_equal(
	    config_set(c, "booking", "reminder_before", "0", &why), 0);
	assert_int_equal(c->reminders.n, 0);
	assert_true(
	    config_format(c, "booking", "reminder_before", text, sizeof text));
	assert_string_equal(text, "0");
	/* the same moment twice, a channel nobody knows, under a minute,
	 * too many */
	assert_int_equal(
	    config_set(c, "booking", "reminder_before", "2h,120m", &why), -1);
	assert_non_null(strstr(why, "no two alike"));
	assert_int_equal(
	    config_set(c, "booking", "reminder_before", "2h:fax", &why), -1);
	assert_int_equal(
	    config_set(c, "booking", "reminder_before", "30s", &why), -1);
	assert_int_equal(config_set(c, "booking", "reminder_before",
	                     "1h,2h,3h,4h,5h,6h,7h,8h,9h", &why),
	    -1);
	assert_int_equal(
	    config_set(c, "booking", "reminder_before", "2h,", &why), -1);

	assert_int_equal(
	    config_set(c, "sms", "quiet_hours", "22:00-06:30", &why), 0);
	assert_true(config_format(c, "sms", "quiet_hours", text, sizeof text));
	assert_string_equal(text, "22:00-06:30");
	assert_int_equal(config_set(c, "sms", "quiet_hours", "", &why), 0);
	assert_int_equal(c->sms_quiet.from, -1);
	assert_int_equal(
	    config_set(c, "sms", "quiet_hours", "22:00-22:00", &why), -1);
	assert_int_equal(
	    config_set(c, "sms", "quiet_hours", "25:00-06:00", &why), -1);
	assert_int_equal(config_set(c, "sms", "quiet_hours", "22-6", &why), -1);
	assert_int_equal(
	    config_set(c, "channels", "expiry", "email_first", &why), 0);
	assert_int_equal(c->channels[MESSAGE_EXPIRY], CHANNELS_EMAIL_FIRST);
	assert_int_equal(config_set(c, "channels", "expiry", "fax", &why), -1);
	assert_string_equal(why, "both|email|sms|email_first|sms_first");
	assert_int_equal(
	    config_set(c, "sms", "segment_price", "0.1234", &why), 0);
	assert_int_equal(
	    config_set(c, "sms", "segment_price", "0.12345", &why), -1);
	assert_int_equal(
	    config_set(c, "sms", "segment_price", "abc", &why), -1);
	assert_int_equal(
	    config_set(c, "booking", "confirm_within", "2700", &why), 0);
	assert_true(
	    config_format(c, "booking", "confirm_within", text, sizeof text));
	assert_string_equal(text, "45m");
	assert_int_equal(config_set(c, "booking", "nope", "1", &why), -1);

	/* a deep copy: texts and strings are its own */
	config_text_set(c, "templates.reminder.pl.sms", "Jutro {time}");
	config_text_set(c, "reply_phrases", "confirm\tjasne\n");
	d = config_dup(c);
	config_text_set(c, "templates.reminder.pl.sms", NULL);
	assert_null(config_text(c, "templates.reminder.pl.sms"));
	assert_string_equal(
	    config_text(d, "templates.reminder.pl.sms"), "Jutro {time}");
	assert_string_equal(d->texts[0].name, "reply_phrases"); /* sorted */
	assert_int_equal(d->ntexts, 2);
	assert_int_equal(d->channels[MESSAGE_EXPIRY], CHANNELS_EMAIL_FIRST);

	/* SIGHUP: what was bound or opened at start keeps its running value
	 * and is named; the rest comes from the file */
	assert_true(config_live_key("booking", "confirm_within"));
	assert_true(config_live_key("office", "name"));
	assert_true(config_live_key("channels", "expiry"));
	assert_true(config_live_key("waitlist", "hold"));
	assert_false(config_live_key("web", "listen"));
	assert_false(config_live_key("database", "path"));
	assert_false(config_live_key("sms", "provider"));
	assert_false(config_live_key("officex", "name"));
	next = config_defaults();
	free(next->web_listen);
	next->web_listen = strdup("127.0.0.1:9999");
	free(next->database_path);
	next->database_path = strdup("/elsewhere/w.db");
	free(next->office_name);
	next->office_name = strdup("Urząd Gminy");
	config_carry_restart_keys(next, d, changed, sizeof changed);
	assert_string_equal(changed, "database.path web.listen");
	assert_string_equal(next->web_listen, d->web_listen);
	assert_string_equal(next->database_path, d->database_path);
	assert_string_equal(next->office_name, "Urząd Gminy");
	config_carry_restart_keys(next, d, changed, sizeof changed);
	assert_string_equal(changed, "");
	config_free(next);
	config_free(d);
	config_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_file),
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_bom),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_unknown_section),
	    cmocka_unit_test(test_unknown_key),
	    cmocka_unit_test(test_bad_values),
	    cmocka_unit_test(test_syntax_errors),
	    cmocka_unit_test(test_unreadable),
	    cmocka_unit_test(test_empty_file_is_defaults),
	    cmocka_unit_test(test_durations),
	    cmocka_unit_test(test_run_time_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
