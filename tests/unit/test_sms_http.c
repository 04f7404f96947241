/*
 * test_sms_http.c: the SMS channels and the callback listener against
 * in-process HTTP peers: a fake provider (libmicrohttpd) records what the
 * kannel and http channels send and answers as told; libcurl plays the
 * provider calling sms_callbacks with a fake in-memory sink.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <microhttpd.h>

#include "buf.h"
#include "channel.h"
#include "config.h"
#include "log.h"
#include "sms_callbacks.h"

/* ---- a fake provider ---- */

struct fake {
	struct MHD_Daemon *d;
	unsigned port;
	pthread_mutex_t lock;
	/* what to answer */
	unsigned status;
	const char *answer;
	/* what the last request was */
	char method[8];
	struct buf uri, body, auth, ctype;
	struct buf args; /* "name=value\n" decoded query arguments */
	unsigned requests;
};

static struct fake fake;

static enum MHD_Result
fake_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	buf_printf(cls, "%s=%s\n", key, value != NULL ? value : "");
	return MHD_YES;
}

static void *
fake_uri_log(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	(void)c;
	pthread_mutex_lock(&fake.lock);
	buf_reset(&fake.uri);
	buf_puts(&fake.uri, uri);
	pthread_mutex_unlock(&fake.lock);
	return NULL;
}

static enum MHD_Result
fake_access(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *data, size_t *size,
    void **con_cls)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	const char *v;

	(void)cls;
	(void)url;
	(void)version;
	if (*con_cls == NULL) {
		*con_cls = &fake;
		pthread_mutex_lock(&fake.lock);
		buf_reset(&fake.body);
		pthread_mutex_unlock(&fake.lock);
		return MHD_YES;
	}
	pthread_mutex_lock(&fake.lock);
	if (*size > 0) {
		buf_append(&fake.body, data, *size);
		*size = 0;
		pthread_mutex_unlock(&fake.lock);
		return MHD_YES;
	}
	snprintf(fake.method, sizeof fake.method, "%s", method);
	buf_reset(&fake.args);
	MHD_get_connection_values(
	    c, MHD_GET_ARGUMENT_KIND, fake_arg, &fake.args);
	buf_reset(&fake.auth);
	if ((v = MHD_lookup_connection_value(
	         c, MHD_HEADER_KIND, "Authorization")) != NULL)
		buf_puts(&fake.auth, v);
	buf_reset(&fake.ctype);
	if ((v = MHD_lookup_connection_value(
	         c, MHD_HEADER_KIND, "Content-Type")) != NULL)
		buf_puts(&fake.ctype, v);
	fake.requests++;
	r = MHD_create_response_from_buffer(
	    strlen(fake.answer), (void *)fake.answer, MHD_RESPMEM_MUST_COPY);
	ret = MHD_queue_response(c, fake.status, r);
	MHD_destroy_response(r);
	pthread_mutex_unlock(&fake.lock);
	return ret;
}

/* fake_arg_value: a decoded query argument of the last request. */
static const char *
fake_arg_value(const char *name, struct buf *out)
{
	const char *p = buf_cstr(&fake.args), *nl;
	size_t n = strlen(name);

	buf_reset(out);
	while (*p != '\0') {
		nl = strchr(p, '\n');
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			buf_append(out, p + n + 1, (size_t)(nl - p - n - 1));
			return buf_cstr(out);
		}
		p = nl + 1;
	}
	return NULL;
}

static int
setup_fake(void **state)
{
	const union MHD_DaemonInfo *info;

	(void)state;
	memset(&fake, 0, sizeof fake);
	pthread_mutex_init(&fake.lock, NULL);
	fake.d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL,
	    NULL, fake_access, NULL, MHD_OPTION_URI_LOG_CALLBACK, fake_uri_log,
	    (void *)NULL, MHD_OPTION_SOCK_ADDR, NULL, MHD_OPTION_END);
	if (fake.d == NULL)
		return -1;
	info = MHD_get_daemon_info(fake.d, MHD_DAEMON_INFO_BIND_PORT);
	fake.port = info->port;
	return 0;
}

static int
teardown_fake(void **state)
{
	(void)state;
	MHD_stop_daemon(fake.d);
	buf_free(&fake.uri);
	buf_free(&fake.body);
	buf_free(&fake.auth);
	buf_free(&fake.ctype);
	buf_free(&fake.args);
	pthread_mutex_destroy(&fake.lock);
	return 0;
}

static void
set_str(char **field, const char *value)
{
	free(*field);
	*field = strdup(value);
	assert_non_null(*field);
}

static struct config *
sms_config(const char *path)
{
	struct config *c = config_defaults();
	char url[128];

	snprintf(url, sizeof url, "http://127.0.0.1:%u%s", fake.port, path);
	set_str(&c->sms_url, url);
	set_str(&c->sms_user, "wizyta");
	set_str(&c->sms_password, "p&ss word");
	set_str(&c->sms_sender, "URZAD");
	set_str(&c->sms_callback_secret, "s3cret/+=");
	set_str(&c->gateway_listen, "127.0.0.1:8081");
	return c;
}

static void
send_one(const struct channel_ops *ops, struct config *c, int64_t id,
    const char *to, const char *text, struct send_status *st)
{
	struct channel ch = { .ops = ops, .config = c };
	struct outgoing m = {id, to, NULL, text, strlen(text)};
	struct error err;

	error_clear(&err);
	if (ops->open(&ch, c, &err) != 0)
		fail_msg("open: %s", err.msg);
	assert_int_equal(ops->send_batch(&ch, &m, 1, st), 0);
	ops->close(&ch);
}

/* ---- kannel ---- */

static void
test_kannel_sendsms(void **state)
{
	struct config *c = sms_config("/cgi-bin/sendsms");
	struct send_status st;
	struct buf v = BUF_INIT;

	(void)state;
	fake.status = 202;
	fake.answer = "0: Accepted for delivery";
	c->sms_transliterate = false;
	send_one(&channel_kannel_ops, c, 42, "+48600700800",
	    "Potwierdź wizytę: TAK", &st);
	assert_int_equal(st.result, SEND_OK);
	assert_string_equal(st.detail, "HTTP 202: 0: Accepted for delivery");
	assert_string_equal(fake.method, "GET");
	assert_string_equal(fake_arg_value("username", &v), "wizyta");
	assert_string_equal(fake_arg_value("password", &v), "p&ss word");
	assert_string_equal(fake_arg_value("from", &v), "URZAD");
	assert_string_equal(fake_arg_value("to", &v), "+48600700800");
	assert_string_equal(
	    fake_arg_value("text", &v), "Potwierdź wizytę: TAK");
	assert_string_equal(fake_arg_value("charset", &v), "UTF-8");
	assert_string_equal(fake_arg_value("coding", &v), "2");
	assert_string_equal(fake_arg_value("dlr-mask", &v), "31");
	assert_string_equal(fake_arg_value("dlr-url", &v),
	    "http://127.0.0.1:8081/sms/dlr?secret=s3cret%2F%2B%3D&msg=42"
	    "&status=%d&reply=%A");
	/* transliterated: GSM-7, no coding */
	c->sms_transliterate = true;
	send_one(&channel_kannel_ops, c, 43, "+48600700800",
	    "Potwierdź wizytę: TAK", &st);
	assert_int_equal(st.result, SEND_OK);
	assert_string_equal(
	    fake_arg_value("text", &v), "Potwierdz wizyte: TAK");
	assert_null(fake_arg_value("coding", &v));
	buf_free(&v);
	config_free(c);
}

static void
test_kannel_errors(void **state)
{
	struct config *c = sms_config("/cgi-bin/sendsms");
	struct send_status st;

	(void)state;
	fake.status = 400;
	fake.answer = "Invalid number";
	send_one(&channel_kannel_ops, c, 1, "+48600700800", "x", &st);
	assert_int_equal(st.result, SEND_PERMANENT);
	assert_string_equal(st.detail, "HTTP 400: Invalid number");
	fake.status = 403;
	fake.answer = "Authorization failed for sendsms";
	send_one(&channel_kannel_ops, c, 1, "+48600700800", "x", &st);
	assert_int_equal(st.result, SEND_TEMPORARY);
	fake.status = 503;
	fake.answer = "Sending failed.";
	send_one(&channel_kannel_ops, c, 1, "+48600700800", "x", &st);
	assert_int_equal(st.result, SEND_TEMPORARY);
	/* nobody listening */
	set_str(&c->sms_url, "http://127.0.0.1:1/cgi-bin/sendsms");
	send_one(&channel_kannel_ops, c, 1, "+48600700800", "x", &st);
	assert_int_equal(st.result, SEND_TEMPORARY);
	assert_true(strlen(st.detail) > 0);
	config_free(c);
}

/* ---- generic http ---- */

static void
test_http_form_post(void **state)
{
	struct config *c = sms_config("/api/send");
	struct send_status st;

	(void)state;
	set_str(&c->sms_http_body, "to={to}&sender={from}&msg={text}&ref={id}&"
	                           "cb={dlr_url}&x={unknown}");
	set_str(&c->sms_http_auth_header, "Authorization: Bearer xyz");
	set_str(&c->sms_http_success_regex, "\"status\":\\s*\"ok\"");
	set_str(&c->sms_http_id_regex, "\"id\":\\s*\"([^\"]+)\"");
	fake.status = 200;
	fake.answer = "{\"status\": \"ok\", \"id\": \"abc-123\"}";
	send_one(&channel_http_sms_ops, c, 7, "+48600700800", "A&B=C ż", &st);
	assert_int_equal(st.result, SEND_OK);
	assert_string_equal(st.provider_id, "abc-123");
	assert_string_equal(fake.method, "POST");
	assert_string_equal(buf_cstr(&fake.auth), "Bearer xyz");
	assert_string_equal(
	    buf_cstr(&fake.ctype), "application/x-www-form-urlencoded");
	assert_string_equal(buf_cstr(&fake.body),
	    "to=%2B48600700800&sender=URZAD&msg=A%26B%3DC%20z&ref=7"
	    "&cb=http%3A%2F%2F127.0.0.1%3A8081%2Fsms%2Fdlr%3Fsecret%3D"
	    "s3cret%252F%252B%253D%26msg%3D7&x={unknown}");
	/* 2xx but the body says no */
	fake.answer = "{\"status\": \"error\"}";
	send_one(&channel_http_sms_ops, c, 8, "+48600700800", "x", &st);
	assert_int_equal(st.result, SEND_TEMPORARY);
	assert_string_equal(st.provider_id, "");
	config_free(c);
}

static void
test_http_json_and_get(void **state)
{
	struct config *c = sms_config("/api/send?key=k");
	struct send_status st;
	struct buf v = BUF_INIT;

	(void)state;
	set_str(&c->sms_http_content_type, "json");
	set_str(&c->sms_http_body,
	    "{\"to\": \"{to}\", \"text\": \"{text}\", \"id\": {id}}");
	c->sms_transliterate = false;
	fake.status = 201;
	fake.answer = "queued";
	send_one(&channel_http_sms_ops, c, 9, "+48600700800",
	    "Cytat \"x\"\\ i\nnowa linia ż\x01", &st);
	assert_int_equal(st.result, SEND_OK);
	assert_string_equal(
	    buf_cstr(&fake.ctype), "application/json; charset=utf-8");
	assert_string_equal(buf_cstr(&fake.body),
	    "{\"to\": \"+48600700800\", \"text\": \"Cytat \\\"x\\\"\\\\ i\\n"
	    "nowa linia ż\\u0001\", \"id\": 9}");
	/* GET: the template becomes the query, form-escaped */
	set_str(&c->sms_http_method, "GET");
	set_str(&c->sms_http_content_type, "form");
	set_str(&c->sms_http_body, "to={to}&text={text}");
	send_one(&channel_http_sms_ops, c, 10, "+48600700800", "a b&c", &st);
	assert_int_equal(st.result, SEND_OK);
	assert_string_equal(fake.method, "GET");
	assert_string_equal(fake_arg_value("key", &v), "k");
	assert_string_equal(fake_arg_value("to", &v), "+48600700800");
	assert_string_equal(fake_arg_value("text", &v), "a b&c");
	/* statuses */
	fake.status = 422;
	send_one(&channel_http_sms_ops, c, 11, "+48600700800", "x", &st);
	assert_int_equal(st.result, SEND_PERMANENT);
	fake.status = 500;
	send_one(&channel_http_sms_ops, c, 12, "+48600700800", "x", &st);
	assert_int_equal(st.result, SEND_TEMPORARY);
	fake.status = 429;
	send_one(&channel_http_sms_ops, c, 13, "+48600700800", "x", &st);
	assert_int_equal(st.result, SEND_TEMPORARY);
	buf_free(&v);
	config_free(c);
}

static void
test_http_bad_config(void **state)
{
	struct config *c = sms_config("/api/send");
	struct channel ch = { .ops = &channel_http_sms_ops, .config = c };
	struct error err;

	(void)state;
	set_str(&c->sms_http_success_regex, "(unclosed");
	assert_int_equal(channel_http_sms_ops.open(&ch, c, &err), -1);
	assert_non_null(strstr(err.msg, "http_success_regex"));
	set_str(&c->sms_http_success_regex, "");
	set_str(&c->sms_url, "ftp://example/");
	assert_int_equal(channel_http_sms_ops.open(&ch, c, &err), -1);
	assert_int_equal(channel_kannel_ops.open(&ch, c, &err), -1);
	config_free(c);
}

static void
test_rate(void **state)
{
	struct config *c = sms_config("/cgi-bin/sendsms");
	struct channel ch = { .ops = &channel_kannel_ops, .config = c };
	struct outgoing m[6];
	struct send_status st[6];
	struct timespec a, b;
	struct error err;
	double took;
	size_t i;

	(void)state;
	fake.status = 202;
	fake.answer = "0: Accepted for delivery";
	c->sms_rate = 20;
	for (i = 0; i < 6; i++) {
		m[i].id = (int64_t)i + 1;
		m[i].recipient = "+48600700800";
		m[i].envelope_from = NULL;
		m[i].payload = "x";
		m[i].payload_len = 1;
	}
	assert_int_equal(channel_kannel_ops.open(&ch, c, &err), 0);
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(channel_kannel_ops.send_batch(&ch, m, 6, st), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	channel_kannel_ops.close(&ch);
	for (i = 0; i < 6; i++)
		assert_int_equal(st[i].result, SEND_OK);
	took = (double)(b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	/* 6 messages at 20/s: 5 gaps of 50 ms */
	assert_true(took >= 0.24);
	config_free(c);
}

/* ---- spool ---- */

static void
test_spool(void **state)
{
	struct config *c = config_defaults();
	char dir[] = "/tmp/wizyta-spool-XXXXXX", path[512], content[1024];
	struct send_status st;
	struct dirent *de;
	struct stat sb;
	DIR *d;
	FILE *fp;
	size_t n;
	int files = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/sms", dir);
	set_str(&c->sms_spool, path);
	send_one(&channel_spool_ops, c, 77, "+48600700800",
	    "Wizyta „Paszport” – kod 123456", &st);
	assert_int_equal(st.result, SEND_OK);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_non_null(d = opendir(path));
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		assert_true(de->d_name[0] != '.'); /* no tmp left */
		assert_non_null(strstr(de->d_name, ".77."));
		assert_string_equal(de->d_name, st.provider_id);
		snprintf(path, sizeof path, "%s/sms/%s", dir, de->d_name);
		files++;
	}
	closedir(d);
	assert_int_equal(files, 1);
	assert_non_null(fp = fopen(path, "r"));
	n = fread(content, 1, sizeof content - 1, fp);
	content[n] = '\0';
	fclose(fp);
	assert_string_equal(content, "To: +48600700800\nFrom: URZAD\nId: 77\n"
	                             "Encoding: gsm7\nSegments: 1\n\n"
	                             "Wizyta \"Paszport\" - kod 123456");
	unlink(path);
	snprintf(path, sizeof path, "%s/sms", dir);
	rmdir(path);
	rmdir(dir);
	config_free(c);
}

/* ---- callbacks ---- */

struct fake_sink {
	pthread_mutex_t lock;
	int fail;
	unsigned inbound, dlr;
	char from[32], to[32], text[256], id[64], ts[64], reply[128];
	int64_t outbox;
	int status;
};

static struct fake_sink sink_state;

static int
sink_inbound(void *ctx, const char *from, const char *to, const char *text,
    const char *id, const char *ts, struct error *err)
{
	struct fake_sink *s = ctx;

	pthread_mutex_lock(&s->lock);
	if (s->fail) {
		pthread_mutex_unlock(&s->lock);
		return error_set(err, ERROR_IO, "database is locked");
	}
	s->inbound++;
	snprintf(s->from, sizeof s->from, "%s", from);
	snprintf(s->to, sizeof s->to, "%s", to);
	snprintf(s->text, sizeof s->text, "%s", text);
	snprintf(s->id, sizeof s->id, "%s", id);
	snprintf(s->ts, sizeof s->ts, "%s", ts);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

static int
sink_dlr(
    void *ctx, int64_t outbox, int status, const char *reply, struct error *err)
{
	struct fake_sink *s = ctx;

	pthread_mutex_lock(&s->lock);
	if (s->fail) {
		pthread_mutex_unlock(&s->lock);
		return error_set(err, ERROR_IO, "database is locked");
	}
	s->dlr++;
	s->outbox = outbox;
	s->status = status;
	snprintf(s->reply, sizeof s->reply, "%s", reply);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

/* http_call: status of one request to the listener. */
static long
http_call(unsigned port, const char *path_query, const char *ctype,
    const char *body, const char *header)
{
	struct curl_slist *h = NULL;
	char url[2048], hdr[128];
	long status = 0;
	CURL *curl = curl_easy_init();

	snprintf(url, sizeof url, "http://127.0.0.1:%u%s", port, path_query);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 5000L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, fwrite);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, stderr);
	if (body != NULL) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		snprintf(hdr, sizeof hdr, "Content-Type: %s", ctype);
		h = curl_slist_append(h, hdr);
	}
	if (header != NULL)
		h = curl_slist_append(h, header);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	if (curl_easy_perform(curl) == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	curl_easy_cleanup(curl);
	return status;
}

static void
test_callbacks(void **state)
{
	struct config *c = config_defaults();
	struct sms_sink sink = {&sink_state, sink_inbound, sink_dlr};
	struct sms_callbacks *cb, *cb2;
	struct error err;
	char big[20000], listen[64];
	unsigned port;

	(void)state;
	memset(&sink_state, 0, sizeof sink_state);
	pthread_mutex_init(&sink_state.lock, NULL);
	set_str(&c->gateway_listen, "127.0.0.1:0");
	set_str(&c->sms_callback_secret, "");
	assert_null(sms_callbacks_start(c, &sink, &err)); /* no secret */
	set_str(&c->sms_callback_secret, "s3cret+/");
	assert_non_null(cb = sms_callbacks_start(c, &sink, &err));
	port = sms_callbacks_port(cb);
	assert_true(port > 0);

	/* Kannel's get-url: spaces as '+', the secret escaped */
	assert_int_equal(
	    http_call(port,
	        "/sms/inbound?secret=s3cret%2B%2F"
	        "&from=%2B48600700800&to=8081&text=Tak%2C+potwierdzam+%C5%BC"
	        "&id=abc-1&ts=1700000000",
	        NULL, NULL, NULL),
	    200);
	assert_int_equal(sink_state.inbound, 1);
	assert_string_equal(sink_state.from, "+48600700800");
	assert_string_equal(sink_state.to, "8081");
	assert_string_equal(sink_state.text, "Tak, potwierdzam ż");
	assert_string_equal(sink_state.id, "abc-1");
	assert_string_equal(sink_state.ts, "1700000000");
	/* national number normalised */
	assert_int_equal(http_call(port,
	                     "/sms/inbound?secret=s3cret%2B%2F"
	                     "&from=600700800&text=NIE",
	                     NULL, NULL, NULL),
	    200);
	assert_string_equal(sink_state.from, "+48600700800");
	assert_string_equal(sink_state.to, "");
	/* POST form */
	assert_int_equal(
	    http_call(port, "/sms/inbound", "application/x-www-form-urlencoded",
	        "secret=s3cret%2B%2F&from=0048600700801&text=tak+.", NULL),
	    200);
	assert_string_equal(sink_state.from, "+48600700801");
	assert_string_equal(sink_state.text, "tak .");
	/* POST text/plain with Kannel's headers */
	assert_int_equal(http_call(port, "/sms/inbound?secret=s3cret%2B%2F",
	                     "text/plain; charset=utf-8", "Anuluję",
	                     "X-Kannel-From: +48600700802"),
	    200);
	assert_string_equal(sink_state.from, "+48600700802");
	assert_string_equal(sink_state.text, "Anuluję");
	/* Kannel post-url with a UCS-2 message: UTF-16BE body */
	assert_int_equal(http_call(port, "/sms/inbound?secret=s3cret%2B%2F",
	                     "text/plain; charset=UTF-16BE", "\x01\x7c\x01\x5b",
	                     "X-Kannel-From: 600700800"),
	    200);
	assert_string_equal(sink_state.text, "żś");
	assert_int_equal(http_call(port, "/sms/inbound?secret=s3cret%2B%2F",
	                     "text/plain; charset=NO-SUCH-CHARSET", "x",
	                     "X-Kannel-From: 600700800"),
	    400);
	assert_int_equal(sink_state.inbound, 5);

	/* refusals */
	assert_int_equal(http_call(port,
	                     "/sms/inbound?secret=wrong"
	                     "&from=600700800&text=x",
	                     NULL, NULL, NULL),
	    403);
	assert_int_equal(http_call(port, "/sms/inbound?from=600700800&text=x",
	                     NULL, NULL, NULL),
	    403);
	assert_int_equal(http_call(port,
	                     "/sms/inbound?secret=s3cret%2B%2Fx"
	                     "&from=600700800&text=x",
	                     NULL, NULL, NULL),
	    403);
	assert_int_equal(
	    http_call(port, "/sms/dlr?secret=s3cret&msg=1&status=1", NULL, NULL,
	        NULL),
	    403);
	assert_int_equal(http_call(port,
	                     "/sms/inbound?secret=s3cret%2B%2F"
	                     "&text=x",
	                     NULL, NULL, NULL),
	    400);
	assert_int_equal(http_call(port,
	                     "/sms/inbound?secret=s3cret%2B%2F"
	                     "&from=600700800",
	                     NULL, NULL, NULL),
	    400);
	assert_int_equal(http_call(port,
	                     "/sms/inbound?secret=s3cret%2B%2F"
	                     "&from=ORANGE&text=x",
	                     NULL, NULL, NULL),
	    400);
	assert_int_equal(
	    http_call(port, "/sms/other?secret=s3cret%2B%2F", NULL, NULL, NULL),
	    404);
	/* every field reaches the sink as UTF-8, or not at all */
	assert_int_equal(http_call(port,
	                     "/sms/inbound?secret=s3cret%2B%2F"
	                     "&from=600700800&text=%FF%FE",
	                     NULL, NULL, NULL),
	    400);
	assert_int_equal(http_call(port,
	                     "/sms/inbound?secret=s3cret%2B%2F"
	                     "&from=600700800&text=a%00b",
	                     NULL, NULL, NULL),
	    400);
	assert_int_equal(http_call(port,
	                     "/sms/inbound?secret=s3cret%2B%2F"
	                     "&from=600700800&to=%C0%AE&text=x",
	                     NULL, NULL, NULL),
	    400);
	assert_int_equal(http_call(port,
	                     "/sms/inbound?secret=s3cret%2B%2F"
	                     "&from=600700800&id=%ED%A0%80&text=x",
	                     NULL, NULL, NULL),
	    400);
	assert_int_equal(http_call(port, "/sms/inbound?secret=s3cret%2B%2F",
	                     "text/plain; charset=utf-8", "Anuluj\xe9",
	                     "X-Kannel-From: +48600700802"),
	    400);
	assert_int_equal(
	    http_call(port, "/sms/inbound", "application/x-www-form-urlencoded",
	        "secret=s3cret%2B%2F&from=600700800&text=%C3", NULL),
	    400);
	assert_int_equal(
	    http_call(port, "/sms/%FF?secret=s3cret%2B%2F", NULL, NULL, NULL),
	    404);
	assert_int_equal(sink_state.inbound, 5);
	/* a DLR's free text is kept, made UTF-8 */
	assert_int_equal(http_call(port,
	                     "/sms/dlr?secret=s3cret%2B%2F&msg=7"
	                     "&status=2&reply=NACK%FF",
	                     NULL, NULL, NULL),
	    200);
	assert_string_equal(sink_state.reply, "NACK\xef\xbf\xbd");
	sink_state.dlr = 0;

	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(http_call(port, "/sms/inbound?secret=s3cret%2B%2F",
	                     "text/plain", big, "X-Kannel-From: 600700800"),
	    413);
	assert_int_equal(sink_state.inbound, 5);

	/* delivery reports */
	assert_int_equal(http_call(port,
	                     "/sms/dlr?secret=s3cret%2B%2F&msg=42"
	                     "&status=8&reply=ACK%2F",
	                     NULL, NULL, NULL),
	    200);
	assert_int_equal(sink_state.dlr, 1);
	assert_int_equal(sink_state.outbox, 42);
	assert_int_equal(sink_state.status, 8);
	assert_string_equal(sink_state.reply, "ACK/");
	assert_int_equal(http_call(port,
	                     "/sms/dlr?secret=s3cret%2B%2F&msg=42"
	                     "&status=1",
	                     NULL, NULL, NULL),
	    200);
	assert_int_equal(sink_state.status, 1);
	assert_string_equal(sink_state.reply, "");
	assert_int_equal(http_call(port,
	                     "/sms/dlr?secret=s3cret%2B%2F&msg=x"
	                     "&status=1",
	                     NULL, NULL, NULL),
	    400);
	assert_int_equal(http_call(port, "/sms/dlr?secret=s3cret%2B%2F&msg=4",
	                     NULL, NULL, NULL),
	    400);

	/* the sink cannot store: 500 so the provider retries */
	sink_state.fail = 1;
	assert_int_equal(http_call(port,
	                     "/sms/dlr?secret=s3cret%2B%2F&msg=42"
	                     "&status=1",
	                     NULL, NULL, NULL),
	    500);
	assert_int_equal(http_call(port,
	                     "/sms/inbound?secret=s3cret%2B%2F"
	                     "&from=600700800&text=x",
	                     NULL, NULL, NULL),
	    500);
	sink_state.fail = 0;

	/* the port is taken: a clear error at start */
	snprintf(listen, sizeof listen, "127.0.0.1:%u", port);
	set_str(&c->gateway_listen, listen);
	error_clear(&err);
	assert_null(cb2 = sms_callbacks_start(c, &sink, &err));
	assert_non_null(strstr(err.msg, "in use"));
	set_str(&c->gateway_listen, "nonsense");
	assert_null(sms_callbacks_start(c, &sink, &err));

	sms_callbacks_stop(cb);
	pthread_mutex_destroy(&sink_state.lock);
	config_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kannel_sendsms),
	    cmocka_unit_test(test_kannel_errors),
	    cmocka_unit_test(test_http_form_post),
	    cmocka_unit_test(test_http_json_and_get),
	    cmocka_unit_test(test_http_bad_config),
	    cmocka_unit_test(test_rate),
	    cmocka_unit_test(test_spool),
	    cmocka_unit_test(test_callbacks),
	};

	log_init("test_sms_http", LOG_LEVEL_WARN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup_fake, teardown_fake);
}
