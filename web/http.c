/*
 * http.c: libmicrohttpd glue — the only file that includes <microhttpd.h>.
 *
 * One daemon, MHD_USE_EPOLL_INTERNAL_THREAD with a pool of web_threads
 * threads. Each pool thread lazily opens its own database connection
 * (a store handle belongs to one thread); the connections are listed so
 * http_stop() closes them all after the threads are gone.
 *
 * A request is read whole before it is handled: bodies are collected up to
 * HTTP_BODY_MAX (more is answered 413 without reading further into memory).
 * Every answer gets the security headers; pages get the CSRF cookie.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http.h"
#include "log.h"
#include "security.h"
#include "token.h"
#include "url.h"

static struct MHD_Daemon *daemon_handle;
static atomic_int in_flight;

/* every pool thread's store, closed at stop */
static pthread_mutex_t stores_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store **stores;
static size_t nstores;
static __thread struct store *thread_store;
static __thread bool thread_store_failed;

struct store *
http_store(struct request *rq)
{
	struct error err;
	struct store *s, **grown;

	if (thread_store != NULL)
		return thread_store;
	if (thread_store_failed)
		return NULL;
	error_clear(&err);
	if ((s = store_open(rq->web->config->database_path, &err)) == NULL) {
		log_error("cannot open the database: %s", err.msg);
		return NULL;
	}
	pthread_mutex_lock(&stores_lock);
	grown = realloc(stores, (nstores + 1) * sizeof *stores);
	if (grown == NULL) {
		pthread_mutex_unlock(&stores_lock);
		store_close(s);
		thread_store_failed = true;
		return NULL;
	}
	stores = grown;
	stores[nstores++] = s;
	pthread_mutex_unlock(&stores_lock);
	thread_store = s;
	return s;
}

const char *
http_query(struct request *rq, const char *name)
{
	return MHD_lookup_connection_value(
	    rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *
http_header(struct request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

const char *
http_cookie(struct request *rq, const char *name)
{
	return MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, name);
}

struct self_url {
	const char *skip;
	struct buf *out;
	bool first;
};

static enum MHD_Result
self_url_arg(
    void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct self_url *su = cls;

	(void)kind;
	if (strcmp(key, su->skip) == 0)
		return MHD_YES;
	buf_putc(su->out, su->first ? '?' : '&');
	su->first = false;
	url_encode(su->out, key);
	if (value != NULL) {
		buf_putc(su->out, '=');
		url_encode(su->out, value);
	}
	return MHD_YES;
}

void
http_self_url(
    struct request *rq, const char *name, const char *value, struct buf *out)
{
	struct self_url su = {name, out, true};

	buf_puts(out, rq->path);
	if (strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0)
		MHD_get_connection_values(
		    rq->conn, MHD_GET_ARGUMENT_KIND, self_url_arg, &su);
	if (value != NULL) {
		buf_putc(out, su.first ? '?' : '&');
		url_encode(out, name);
		buf_putc(out, '=');
		url_encode(out, value);
	}
}

static void
form_parse(struct request *rq)
{
	char *copy, *p, *next, *eq;

	rq->form = json_object();
	if (rq->body.len == 0 || (copy = strdup(buf_cstr(&rq->body))) == NULL)
		return;
	for (p = copy; p != NULL && *p != '\0'; p = next) {
		if ((next = strchr(p, '&')) != NULL)
			*next++ = '\0';
		if ((eq = strchr(p, '=')) == NULL)
			continue;
		*eq++ = '\0';
		url_decode(p, strlen(p));
		url_decode(eq, strlen(eq));
		/* the first value wins; invalid UTF-8 is dropped */
		if (json_object_get(rq->form, p) == NULL)
			json_object_set_new(rq->form, p, json_string(eq));
	}
	free(copy);
}

const char *
http_form(struct request *rq, const char *name)
{
	const char *v;

	if (rq->form == NULL)
		form_parse(rq);
	v = json_string_value(json_object_get(rq->form, name));
	return v != NULL ? v : "";
}

void
http_header_add(struct response *rs, const char *name, const char *value)
{
	if (rs->nheaders == HTTP_MAX_HEADERS)
		return;
	rs->headers[rs->nheaders][0] = strdup(name);
	rs->headers[rs->nheaders][1] = strdup(value);
	if (rs->headers[rs->nheaders][0] == NULL ||
	    rs->headers[rs->nheaders][1] == NULL)
		abort();
	rs->nheaders++;
}

void
http_redirect(struct response *rs, const char *location)
{
	rs->status = 303;
	rs->content_type = "text/plain; charset=utf-8";
	http_header_add(rs, "Location", location);
	buf_reset(&rs->body);
	buf_puts(&rs->body, "See Other\n");
}

void
http_json(struct response *rs, unsigned status, json_t *v)
{
	char *text;

	rs->status = status;
	rs->content_type = "application/json";
	buf_reset(&rs->body);
	text = json_dumps(v, JSON_COMPACT);
	json_decref(v);
	if (text == NULL)
		abort();
	buf_puts(&rs->body, text);
	buf_putc(&rs->body, '\n');
	free(text);
}

void
http_json_error(struct response *rs, unsigned status, const char *code,
    const char *message, const char *field)
{
	json_t *v = json_pack("{s:s, s:s}", "error", code, "message", message);

	if (field != NULL && field[0] != '\0')
		json_object_set_new(v, "field", json_string(field));
	http_json(rs, status, v);
}

static void
request_free(struct request *rq)
{
	buf_free(&rq->body);
	json_decref(rq->form);
	free(rq);
}

static bool
csrf_cookie_valid(const char *v)
{
	size_t i;

	if (v == NULL || strlen(v) != 32)
		return false;
	for (i = 0; i < 32; i++)
		if (hex_value(v[i]) < 0)
			return false;
	return true;
}

static void
request_prepare(struct request *rq, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;
	char peer[64] = "";
	const char *lang, *cookie;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci != NULL && ci->client_addr != NULL) {
		const struct sockaddr *sa = ci->client_addr;

		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET,
			    &((const struct sockaddr_in *)(const void *)sa)
			         ->sin_addr,
			    peer, sizeof peer);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
			    &((const struct sockaddr_in6 *)(const void *)sa)
			         ->sin6_addr,
			    peer, sizeof peer);
	}
	client_address(peer, http_header(rq, "X-Forwarded-For"),
	    rq->web->config->web_trusted_proxies, rq->client,
	    sizeof rq->client);

	lang = http_query(rq, "lang");
	if (lang == NULL ||
	    (strcmp(lang, "en") != 0 && strcmp(lang, "pl") != 0))
		lang = http_cookie(rq, "lang");
	rq->lang = lang != NULL && strcmp(lang, "en") == 0 ? "en" : "pl";

	cookie = http_cookie(rq, "csrf");
	if (csrf_cookie_valid(cookie))
		snprintf(rq->csrf, sizeof rq->csrf, "%s", cookie);
	else {
		token_hex(rq->csrf, 16);
		rq->csrf_new = true;
	}
}

struct http_stream {
	struct MHD_Connection *conn;
	http_stream_pull pull;
	void (*done)(void *);
	void *cls;
};

struct http_stream *
http_stream_open(struct request *rq, struct response *rs,
    http_stream_pull pull, void (*done)(void *), void *cls)
{
	struct http_stream *hs = calloc(1, sizeof *hs);

	if (hs == NULL)
		abort();
	hs->conn = rq->conn;
	hs->pull = pull;
	hs->done = done;
	hs->cls = cls;
	rs->stream = hs;
	/* no idle timeout: the stream's keep-alives find dead clients */
	MHD_set_connection_option(
	    rq->conn, MHD_CONNECTION_OPTION_TIMEOUT, (unsigned int)0);
	return hs;
}

void
http_stream_pause(struct http_stream *hs)
{
	MHD_suspend_connection(hs->conn);
}

void
http_stream_resume(struct http_stream *hs)
{
	MHD_resume_connection(hs->conn);
}

static ssize_t
stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct http_stream *hs = cls;
	long n;

	(void)pos;
	n = hs->pull(hs->cls, buf, max);
	return n < 0 ? MHD_CONTENT_READER_END_OF_STREAM : (ssize_t)n;
}

static void
stream_free(void *cls)
{
	struct http_stream *hs = cls;

	hs->done(hs->cls);
	free(hs);
}

static enum MHD_Result
send_response(struct request *rq, struct response *rs)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	const char *q;
	char cookie[160];
	size_t i;

	if (rs->stream != NULL) {
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN,
		    8 * 1024, stream_read, rs->stream, stream_free);
		if (r == NULL)
			stream_free(rs->stream);
		rs->stream = NULL;
	} else if (rs->static_data != NULL)
		r = MHD_create_response_from_buffer(rs->static_len,
		    (void *)(uintptr_t)rs->static_data, MHD_RESPMEM_PERSISTENT);
	else
		r = MHD_create_response_from_buffer(rs->body.len,
		    rs->body.len ? rs->body.data : (void *)"",
		    MHD_RESPMEM_MUST_COPY);
	if (r == NULL)
		return MHD_NO;
	security_headers(rs);
	if (rs->content_type != NULL)
		MHD_add_response_header(r, "Content-Type", rs->content_type);
	if (!rs->cacheable)
		MHD_add_response_header(r, "Cache-Control", "no-store");
	for (i = 0; i < rs->nheaders; i++)
		MHD_add_response_header(
		    r, rs->headers[i][0], rs->headers[i][1]);
	if (rs->content_type != NULL &&
	    strncmp(rs->content_type, "text/html", 9) == 0) {
		if (rq->csrf_new) {
			snprintf(cookie, sizeof cookie,
			    "csrf=%s; Path=/; HttpOnly; SameSite=Strict",
			    rq->csrf);
			MHD_add_response_header(r, "Set-Cookie", cookie);
		}
		q = http_query(rq, "lang");
		if (q != NULL &&
		    (strcmp(q, "en") == 0 || strcmp(q, "pl") == 0)) {
			snprintf(cookie, sizeof cookie,
			    "lang=%s; Path=/; Max-Age=31536000; SameSite=Lax",
			    q);
			MHD_add_response_header(r, "Set-Cookie", cookie);
		}
	}
	ret = MHD_queue_response(rq->conn, rs->status, r);
	MHD_destroy_response(r);
	return ret;
}

static void
response_free(struct response *rs)
{
	size_t i;

	buf_free(&rs->body);
	for (i = 0; i < rs->nheaders; i++) {
		free(rs->headers[i][0]);
		free(rs->headers[i][1]);
	}
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct request *rq = *con_cls;
	struct response rs;
	enum MHD_Result ret;

	(void)version;
	if (rq == NULL) {
		if ((rq = calloc(1, sizeof *rq)) == NULL)
			return MHD_NO;
		rq->web = cls;
		rq->conn = conn;
		rq->method = method;
		rq->path = url;
		rq->now = time(NULL);
		buf_init(&rq->body);
		*con_cls = rq;
		atomic_fetch_add(&in_flight, 1);
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		if (rq->body.len + *upload_data_size > HTTP_BODY_MAX)
			rq->body_too_large = true;
		else
			buf_append(&rq->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	memset(&rs, 0, sizeof rs);
	buf_init(&rs.body);
	rs.status = 200;
	request_prepare(rq, conn);
	if (rq->body_too_large) {
		http_json_error(
		    &rs, 413, "too_large", "Request body too large.", NULL);
		http_header_add(&rs, "Connection", "close");
	} else
		routes_dispatch(rq, &rs);
	ret = send_response(rq, &rs);
	response_free(&rs);
	return ret;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	if (*con_cls != NULL) {
		request_free(*con_cls);
		*con_cls = NULL;
		atomic_fetch_sub(&in_flight, 1);
	}
}

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;

	(void)cls;
	buf_vprintf(&b, fmt, ap);
	while (b.len > 0 && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	log_warn("http: %s", buf_cstr(&b));
	buf_free(&b);
}

int
http_start(struct web *w, int listen_fd, struct error *err)
{
	unsigned threads = w->config->web_threads ? w->config->web_threads : 1;

	daemon_handle = MHD_start_daemon(
	    MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG |
	        MHD_ALLOW_SUSPEND_RESUME,
	    0,
	    NULL, NULL, on_request, w,
	    /* first, so that MHD never logs through its own default logger */
	    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
	    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)listen_fd,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)60,
	    /* live screens hold their connections: room for them besides */
	    MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned int)(1000 + w->config->web_event_streams), MHD_OPTION_END);
	if (daemon_handle == NULL)
		return error_set(err, ERROR_IO, "cannot start the HTTP server");
	return 0;
}

void
http_stop(void)
{
	MHD_socket fd;
	int waited;
	size_t i;

	if (daemon_handle == NULL)
		return;
	/* stop accepting, let requests in flight finish (at most 10 s) */
	fd = MHD_quiesce_daemon(daemon_handle);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	for (waited = 0; atomic_load(&in_flight) > 0 && waited < 1000; waited++)
		usleep(10000);
	MHD_stop_daemon(daemon_handle);
	daemon_handle = NULL;
	pthread_mutex_lock(&stores_lock);
	for (i = 0; i < nstores; i++)
		store_close(stores[i]);
	free(stores);
	stores = NULL;
	nstores = 0;
	pthread_mutex_unlock(&stores_lock);
}

bool
http_parse_id(const char *text, int64_t *id)
{
	char *end;
	long long v;

	if (text == NULL || *text < '1' || *text > '9')
		return false;
	v = strtoll(text, &end, 10);
	if (*end != '\0' || v <= 0)
		return false;
	*id = v;
	return true;
}
