/*
 * test_channel_sms_kannel.c: the Kannel channel and the callback listener
 * against a real Kannel (bearerbox + smsbox + two fake SMSCs, started
 * once for the file by tests/peers/kannel_peers.py):
 *
 *   channel_kannel sends → the sink SMSC sees the number and the text;
 *   the fake SMSC's delivery reports (8, then 1) reach sms_callbacks;
 *   an SMS injected into the other fake SMSC reaches sms_callbacks
 *   through smsbox's sms-service; smsbox down → SEND_TEMPORARY, back →
 *   SEND_OK; a wrong secret → 403.
 *
 * Skips (TAP "1..0 # SKIP") only when Kannel is not installed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "buf.h"
#include "channel.h"
#include "config.h"
#include "log.h"
#include "sms_callbacks.h"

#define PYTHON "/usr/bin/python3"
#define SECRET "t3st secret/+"
#define SECRET_Q "t3st%20secret%2F%2B"

struct recorded {
	pthread_mutex_t lock;
	unsigned inbound;
	char from[32], to[32], text[512], id[128];
	unsigned dlrs;
	int64_t dlr_outbox[16];
	int dlr_status[16];
};

static struct recorded rec = {.lock = PTHREAD_MUTEX_INITIALIZER};
static struct config *cfg;
static struct sms_callbacks *callbacks;
static char dir[] = "/tmp/wizyta-kannel-XXXXXX";
static char peers_dir[64], peers_script[1024];
static unsigned callback_port;

static int
rec_inbound(void *ctx, const char *from, const char *to, const char *text,
    const char *id, const char *ts, struct error *err)
{
	(void)ctx;
	(void)ts;
	(void)err;
	pthread_mutex_lock(&rec.lock);
	rec.inbound++;
	snprintf(rec.from, sizeof rec.from, "%s", from);
	snprintf(rec.to, sizeof rec.to, "%s", to);
	snprintf(rec.text, sizeof rec.text, "%s", text);
	snprintf(rec.id, sizeof rec.id, "%s", id);
	pthread_mutex_unlock(&rec.lock);
	return 0;
}

static int
rec_dlr(
    void *ctx, int64_t outbox, int status, const char *reply, struct error *err)
{
	(void)ctx;
	(void)reply;
	(void)err;
	pthread_mutex_lock(&rec.lock);
	if (rec.dlrs < 16) {
		rec.dlr_outbox[rec.dlrs] = outbox;
		rec.dlr_status[rec.dlrs] = status;
	}
	rec.dlrs++;
	pthread_mutex_unlock(&rec.lock);
	return 0;
}

/* run: fork/exec argv, wait, return the exit status (no shell). */
static int
run(char *const argv[], struct buf *out)
{
	int fds[2], status;
	pid_t pid;
	char chunk[512];
	ssize_t n;

	if (pipe(fds) != 0)
		return -1;
	if ((pid = fork()) == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], chunk, sizeof chunk)) > 0)
		if (out != NULL)
			buf_append(out, chunk, (size_t)n);
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int
peers(const char *cmd, const char *a, const char *b, const char *c)
{
	char *argv[] = {PYTHON, peers_script, (char *)cmd, peers_dir, (char *)a,
	    (char *)b, (char *)c, NULL};

	return run(argv, NULL);
}

static unsigned
json_port(const char *json, const char *name)
{
	char key[32];
	const char *p;

	snprintf(key, sizeof key, "\"%s\": ", name);
	if ((p = strstr(json, key)) == NULL)
		return 0;
	return (unsigned)strtoul(p + strlen(key), NULL, 10);
}

static void
set_str(char **field, const char *value)
{
	free(*field);
	if ((*field = strdup(value)) == NULL)
		abort();
}

static int
group_setup(void **state)
{
	struct sms_sink sink = {NULL, rec_inbound, rec_dlr};
	struct buf out = BUF_INIT, url = BUF_INIT;
	struct error err;
	const char *srcdir = getenv("top_srcdir");
	char listen[64], sms_url[128];
	unsigned sendsms;
	int rc;

	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(peers_dir, sizeof peers_dir, "%s/kannel", dir);
	snprintf(peers_script, sizeof peers_script,
	    "%s/tests/peers/kannel_peers.py", srcdir != NULL ? srcdir : ".");
	cfg = config_defaults();
	set_str(&cfg->sms_callback_secret, SECRET);
	set_str(&cfg->gateway_listen, "127.0.0.1:0");
	if ((callbacks = sms_callbacks_start(cfg, &sink, &err)) == NULL) {
		fprintf(stderr, "# sms_callbacks_start: %s\n", err.msg);
		return -1;
	}
	callback_port = sms_callbacks_port(callbacks);
	snprintf(listen, sizeof listen, "127.0.0.1:%u", callback_port);
	set_str(&cfg->gateway_listen, listen); /* for the dlr-url */

	buf_printf(&url,
	    "http://127.0.0.1:%u/sms/inbound?secret=%s"
	    "&from=%%p&to=%%P&text=%%a&id=%%I&ts=%%t",
	    callback_port, SECRET_Q);
	{
		char *argv[] = {PYTHON, peers_script, "start", peers_dir,
		    "--service-url", url.data, NULL};

		rc = run(argv, &out);
	}
	buf_free(&url);
	if (rc != 0 || (sendsms = json_port(buf_cstr(&out), "sendsms")) == 0) {
		fprintf(stderr, "# kannel_peers start failed (%d): %s\n", rc,
		    buf_cstr(&out));
		buf_free(&out);
		return -1;
	}
	buf_free(&out);
	snprintf(sms_url, sizeof sms_url, "http://127.0.0.1:%u/cgi-bin/sendsms",
	    sendsms);
	set_str(&cfg->sms_url, sms_url);
	set_str(&cfg->sms_user, "wizyta");
	set_str(&cfg->sms_password, "secret");
	set_str(&cfg->sms_sender, "URZAD");
	return 0;
}

static int
group_teardown(void **state)
{
	char *rm[] = {"/bin/rm", "-rf", dir, NULL};

	(void)state;
	peers("stop", NULL, NULL, NULL);
	sms_callbacks_stop(callbacks);
	config_free(cfg);
	if (getenv("WIZYTA_KEEP_TMP") == NULL)
		run(rm, NULL);
	return 0;
}

static void
send_one(int64_t id, const char *to, const char *text, struct send_status *st)
{
	struct channel ch = { .ops = &channel_kannel_ops, .config = cfg };
	struct outgoing m = {id, to, NULL, text, strlen(text)};
	struct error err;

	if (channel_kannel_ops.open(&ch, cfg, &err) != 0)
		fail_msg("open: %s", err.msg);
	assert_int_equal(channel_kannel_ops.send_batch(&ch, &m, 1, st), 0);
	channel_kannel_ops.close(&ch);
}

/* sink_has: wait until the sink SMSC's log holds needle. */
static int
sink_has(const char *needle, int seconds)
{
	char path[128], data[65536];
	struct timespec ts = {0, 100 * 1000 * 1000};
	int i;

	snprintf(path, sizeof path, "%s/sink.jsonl", peers_dir);
	for (i = 0; i < seconds * 10; i++) {
		FILE *fp = fopen(path, "r");

		if (fp != NULL) {
			size_t n = fread(data, 1, sizeof data - 1, fp);

			data[n] = '\0';
			fclose(fp);
			if (strstr(data, needle) != NULL)
				return 1;
		}
		nanosleep(&ts, NULL);
	}
	return 0;
}

static int
wait_count(unsigned *counter, unsigned want, int seconds)
{
	struct timespec ts = {0, 50 * 1000 * 1000};
	unsigned have;
	int i;

	for (i = 0; i < seconds * 20; i++) {
		pthread_mutex_lock(&rec.lock);
		have = *counter;
		pthread_mutex_unlock(&rec.lock);
		if (have >= want)
			return 1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

static void
test_send_gsm7_and_dlr(void **state)
{
	struct send_status st;
	unsigned before, i;
	int saw8 = 0, saw1 = 0;

	(void)state;
	pthread_mutex_lock(&rec.lock);
	before = rec.dlrs;
	pthread_mutex_unlock(&rec.lock);
	cfg->sms_transliterate = true;
	send_one(101, "+48600700800",
	    "Wizyta „Paszport” 08.12 12:00, pokój 1. Potwierdź: TAK", &st);
	assert_int_equal(st.result, SEND_OK);
	assert_non_null(strstr(st.detail, "Accepted"));
	assert_true(sink_has(
	    "\"to\": \"+48600700800\", \"type\": \"text\", "
	    "\"text\": \"Wizyta \\\"Paszport\\\" 08.12 12:00, pokoj 1. "
	    "Potwierdz: TAK\"",
	    20));
	assert_true(wait_count(&rec.dlrs, before + 2, 20));
	pthread_mutex_lock(&rec.lock);
	for (i = before; i < rec.dlrs && i < 16; i++) {
		assert_int_equal(rec.dlr_outbox[i], 101);
		if (rec.dlr_status[i] == 8)
			saw8 = 1;
		if (rec.dlr_status[i] == 1)
			saw1 = 1;
	}
	pthread_mutex_unlock(&rec.lock);
	assert_true(saw8 && saw1);
}

static void
test_send_ucs2(void **state)
{
	struct send_status st;

	(void)state;
	cfg->sms_transliterate = false;
	send_one(102, "+48600700801", "Zażółć gęślą jaźń", &st);
	assert_int_equal(st.result, SEND_OK);
	assert_true(
	    sink_has("\"to\": \"+48600700801\", \"type\": \"ucs-2\"", 20));
	assert_true(sink_has("\"text\": \"Zażółć gęślą jaźń\"", 5));
	cfg->sms_transliterate = true;
}

static void
test_inbound(void **state)
{
	unsigned before;

	(void)state;
	pthread_mutex_lock(&rec.lock);
	before = rec.inbound;
	pthread_mutex_unlock(&rec.lock);
	assert_int_equal(peers("inject", "600700800", "8081", "TAK"), 0);
	assert_true(wait_count(&rec.inbound, before + 1, 20));
	pthread_mutex_lock(&rec.lock);
	assert_string_equal(rec.from, "+48600700800");
	assert_string_equal(rec.to, "8081");
	assert_string_equal(rec.text, "TAK");
	assert_true(strlen(rec.id) > 0);
	pthread_mutex_unlock(&rec.lock);

	assert_int_equal(
	    peers("inject", "+48600700802", "8081", "Anuluję, dziękuję"), 0);
	assert_true(wait_count(&rec.inbound, before + 2, 20));
	pthread_mutex_lock(&rec.lock);
	assert_string_equal(rec.from, "+48600700802");
	assert_string_equal(rec.text, "Anuluję, dziękuję");
	pthread_mutex_unlock(&rec.lock);
}

static void
test_kannel_down_then_back(void **state)
{
	struct send_status st;

	(void)state;
	assert_int_equal(peers("smsbox-stop", NULL, NULL, NULL), 0);
	send_one(103, "+48600700803", "Przypomnienie o wizycie", &st);
	assert_int_equal(st.result, SEND_TEMPORARY);
	assert_true(strlen(st.detail) > 0);
	assert_int_equal(peers("smsbox-start", NULL, NULL, NULL), 0);
	send_one(103, "+48600700803", "Przypomnienie o wizycie", &st);
	assert_int_equal(st.result, SEND_OK);
	assert_true(sink_has("\"to\": \"+48600700803\"", 20));
}

static void
test_kannel_refuses(void **state)
{
	struct send_status st;

	(void)state;
	/* Kannel's own refusal: a number with letters */
	send_one(104, "+48ABC", "x", &st);
	assert_int_equal(st.result, SEND_PERMANENT);
	fprintf(stderr, "# kannel said: %s\n", st.detail);
}

static long
http_status(const char *path_query)
{
	char url[512];
	long status = 0;
	CURL *curl = curl_easy_init();

	snprintf(url, sizeof url, "http://127.0.0.1:%u%s", callback_port,
	    path_query);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, fwrite);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, stderr);
	if (curl_easy_perform(curl) == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(curl);
	return status;
}

static void
test_wrong_secret(void **state)
{
	(void)state;
	assert_int_equal(
	    http_status("/sms/dlr?secret=wrong&msg=1&status=1"), 403);
	assert_int_equal(
	    http_status("/sms/inbound?from=600700800&text=TAK"), 403);
	assert_int_equal(
	    http_status("/sms/dlr?secret=" SECRET_Q "&msg=1&status=1"), 200);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_send_gsm7_and_dlr),
	    cmocka_unit_test(test_send_ucs2),
	    cmocka_unit_test(test_inbound),
	    cmocka_unit_test(test_kannel_refuses),
	    cmocka_unit_test(test_kannel_down_then_back),
	    cmocka_unit_test(test_wrong_secret),
	};

	if (access("/usr/sbin/bearerbox", X_OK) != 0 ||
	    access("/usr/sbin/smsbox", X_OK) != 0 ||
	    access(PYTHON, X_OK) != 0) {
		printf("1..0 # SKIP kannel (bearerbox, smsbox) or %s not "
		       "installed\n",
		    PYTHON);
		return 0;
	}
	log_init("test_channel_sms_kannel", LOG_LEVEL_WARN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
