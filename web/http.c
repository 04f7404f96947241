/*
 * http.c: requests and answers, and the libmicrohttpd glue — the only file
 * that includes <microhttpd.h>.
 *
 * One daemon, MHD_USE_EPOLL_INTERNAL_THREAD with a pool of web_threads
 * threads. Each pool thread lazily opens its own database connection
 * (a store handle belongs to one thread); the connections are listed so
 * http_stop() closes them all after the threads are gone.
 *
 * libmicrohttpd hands over the request as sent: its unescape callback is
 * the identity, so the path and the query arguments arrive still
 * percent-encoded and are decoded here, by the same code the fuzz target
 * runs (http_request_new … http_request_handle). Cookies are read from the
 * Cookie header here too. Whatever is not valid UTF-8 never reaches a
 * handler (see http.h).
 *
 * A request is read whole before it is handled: bodies are collected up to
 * HTTP_BODY_MAX (more is answered 413 without reading further into memory).
 * Every answer gets the security headers; pages get the CSRF cookie.
 *
 * Connections: at most [web] max_connections, at most
 * max_connections_per_address from one address (trusted proxies are not
 * counted), and each must deliver its request within request_timeout
 * (lib/conn_guard.c): a slow client cannot hold the site.
 *
 * A full or read-only disk: a handler's 500 that followed a storage failure
 * of this thread's store becomes a 503 saying bookings are paused (JSON for
 * the API), and the first such failure is logged once until a write works
 * again.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "config_live.h"
#include "conn_guard_mhd.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "page.h"
#include "security.h"
#include "token.h"
#include "url.h"
#include "utf8.h"

static struct MHD_Daemon *daemon_handle;
static struct conn_guard *guard;
static atomic_int in_flight;
static atomic_bool storage_down; /* logged once until a write works */

/* every pool thread's store, closed at stop */
static pthread_mutex_t stores_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store **stores;
static size_t nstores;
static __thread struct store *thread_store;
static __thread bool thread_store_failed;
/* this thread's view of the server: the shared state with the
 * configuration snapshot this thread holds (config_live.h), taken afresh
 * before each request is handled */
static __thread struct web thread_web;

static const struct web *
web_view(const struct web *w)
{
	const struct config *c = config_live_refresh();

	if (c == NULL)
		return w; /* no snapshots (the fuzz target): the one config */
	thread_web = *w;
	thread_web.config = c;
	return &thread_web;
}

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
	if ((s = store_open(rq->web->config->database, &err)) == NULL) {
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

/* ---- name/value lists -------------------------------------------------- */

static void
pairs_add(struct http_pairs *l, const char *name, size_t nlen,
    const char *value, size_t vlen)
{
	struct http_pair *p;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 8;
		if ((l->items = realloc(l->items, l->cap * sizeof *l->items)) ==
		    NULL)
			abort();
	}
	p = &l->items[l->n++];
	p->name = strndup(name, nlen);
	p->value = value != NULL ? strndup(value, vlen) : NULL;
	if (p->name == NULL || (value != NULL && p->value == NULL))
		abort();
}

static const char *
pairs_get(const struct http_pairs *l, const char *name, bool anycase)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if ((anycase ? strcasecmp(l->items[i].name, name)
		             : strcmp(l->items[i].name, name)) == 0)
			return l->items[i].value != NULL ? l->items[i].value
			                                 : "";
	return NULL;
}

static void
pairs_free(struct http_pairs *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->items[i].name);
		free(l->items[i].value);
	}
	free(l->items);
	memset(l, 0, sizeof *l);
}

/* ---- building a request ------------------------------------------------ */

struct request *
http_request_new(const struct web *w, const char *method, const char *raw_path,
    const char *peer, time_t now)
{
	struct request *rq = calloc(1, sizeof *rq);

	if (rq == NULL || (rq->method = strdup(method)) == NULL ||
	    (rq->raw_path = strdup(raw_path)) == NULL)
		abort();
	rq->web = w;
	rq->path = "/";
	rq->lang = "pl";
	rq->now = now;
	snprintf(rq->peer, sizeof rq->peer, "%s", peer != NULL ? peer : "");
	buf_init(&rq->body);
	return rq;
}

/* decode_component: a query or form name or value, decoded in place; false
 * when the bytes are not UTF-8 (or hold a NUL) once decoded. */
static bool
decode_component(char *s, size_t *len)
{
	size_t n = strlen(s);

	*len = url_decode(s, n);
	return utf8_valid(s, *len);
}

static void
add_decoded(struct request *rq, struct http_pairs *to, const char *name,
    size_t nlen, const char *value, size_t vlen, const char *what)
{
	char *n = strndup(name, nlen), *v = NULL;
	size_t dn, dv = 0;

	if (n == NULL || (value != NULL && (v = strndup(value, vlen)) == NULL))
		abort();
	if (!decode_component(n, &dn) ||
	    (v != NULL && !decode_component(v, &dv)))
		rq->bad = what;
	else
		pairs_add(to, n, dn, v, dv);
	free(n);
	free(v);
}

void
http_request_add_arg(struct request *rq, const char *name, const char *value)
{
	add_decoded(rq, &rq->args, name, strlen(name), value,
	    value != NULL ? strlen(value) : 0, "query");
}

/* split_pairs: "a=1&b&c=3" into decoded pairs */
static void
split_pairs(struct request *rq, struct http_pairs *to, const char *s,
    size_t len, const char *what)
{
	const char *end = s + len, *amp, *eq;

	while (s < end) {
		if ((amp = memchr(s, '&', (size_t)(end - s))) == NULL)
			amp = end;
		if (amp > s) {
			eq = memchr(s, '=', (size_t)(amp - s));
			if (eq != NULL)
				add_decoded(rq, to, s, (size_t)(eq - s), eq + 1,
				    (size_t)(amp - eq - 1), what);
			else
				add_decoded(rq, to, s, (size_t)(amp - s), NULL,
				    0, what);
		}
		s = amp + 1;
	}
}

void
http_request_add_query(struct request *rq, const char *query)
{
	split_pairs(rq, &rq->args, query, strlen(query), "query");
}

/* cookies_parse: "a=1; b=2" (RFC 6265 5.4); a quoted value loses its
 * quotes. Values stay as sent (cookies are not percent-decoded). */
static void
cookies_parse(struct request *rq, const char *v)
{
	while (*v != '\0') {
		size_t n = strcspn(v, ";"), k, vl;
		const char *eq, *val;

		while (n > 0 && (*v == ' ' || *v == '\t')) {
			v++;
			n--;
		}
		eq = memchr(v, '=', n);
		if (eq != NULL && eq > v) {
			k = (size_t)(eq - v);
			while (k > 0 && (v[k - 1] == ' ' || v[k - 1] == '\t'))
				k--;
			val = eq + 1;
			vl = n - (size_t)(val - v);
			while (vl > 0 &&
			       (val[vl - 1] == ' ' || val[vl - 1] == '\t'))
				vl--;
			if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
				val++;
				vl -= 2;
			}
			if (k > 0)
				pairs_add(&rq->cookies, v, k, val, vl);
		}
		v += n;
		if (*v == ';')
			v++;
	}
}

void
http_request_add_header(struct request *rq, const char *name, const char *value)
{
	/* a header that is not UTF-8 (obs-text, RFC 9110 5.5) is ignored */
	if (!utf8_valid(name, strlen(name)) ||
	    !utf8_valid(value, strlen(value)))
		return;
	pairs_add(&rq->headers, name, strlen(name), value, strlen(value));
	if (strcasecmp(name, "Cookie") == 0)
		cookies_parse(rq, value);
}

void
http_request_add_body(struct request *rq, const void *data, size_t len)
{
	if (rq->body_too_large || rq->body.len + len > HTTP_BODY_MAX)
		rq->body_too_large = true;
	else
		buf_append(&rq->body, data, len);
}

void
http_request_free(struct request *rq)
{
	if (rq == NULL)
		return;
	pairs_free(&rq->args);
	pairs_free(&rq->headers);
	pairs_free(&rq->cookies);
	buf_free(&rq->body);
	json_decref(rq->form);
	free(rq->method);
	free(rq->raw_path);
	free(rq->path_owned);
	free(rq);
}

void
http_response_init(struct response *rs)
{
	memset(rs, 0, sizeof *rs);
	buf_init(&rs->body);
	rs->status = 200;
}

void
http_response_free(struct response *rs)
{
	size_t i;

	buf_free(&rs->body);
	for (i = 0; i < rs->nheaders; i++) {
		free(rs->headers[i][0]);
		free(rs->headers[i][1]);
	}
	rs->nheaders = 0;
}

/* ---- accessors ---------------------------------------------------------- */

const char *
http_query(struct request *rq, const char *name)
{
	return pairs_get(&rq->args, name, false);
}

const char *
http_header(struct request *rq, const char *name)
{
	return pairs_get(&rq->headers, name, true);
}

const char *
http_cookie(struct request *rq, const char *name)
{
	return pairs_get(&rq->cookies, name, false);
}

/* path_encode: a decoded path as a link: each segment percent-encoded,
 * and one leading '/' however many were sent ("//host/x" in a link is
 * another site) */
static void
path_encode(struct buf *out, const char *path)
{
	const char *p = path;

	while (*p == '/')
		p++;
	buf_putc(out, '/');
	while (*p != '\0') {
		size_t n = strcspn(p, "/");
		char *segment = strndup(p, n);

		if (segment == NULL)
			abort();
		url_encode(out, segment);
		free(segment);
		p += n;
		if (*p == '/') {
			buf_putc(out, '/');
			p++;
		}
	}
}

void
http_self_url(
    struct request *rq, const char *name, const char *value, struct buf *out)
{
	bool first = true;
	size_t i;

	path_encode(out, rq->path);
	if (strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0)
		for (i = 0; i < rq->args.n; i++) {
			const struct http_pair *a = &rq->args.items[i];

			if (strcmp(a->name, name) == 0)
				continue;
			buf_putc(out, first ? '?' : '&');
			first = false;
			url_encode(out, a->name);
			if (a->value != NULL) {
				buf_putc(out, '=');
				url_encode(out, a->value);
			}
		}
	if (value != NULL) {
		buf_putc(out, first ? '?' : '&');
		url_encode(out, name);
		buf_putc(out, '=');
		url_encode(out, value);
	}
}

const char *
http_form(struct request *rq, const char *name)
{
	const char *v = json_string_value(json_object_get(rq->form, name));

	return v != NULL ? v : "";
}

/* ---- answers ------------------------------------------------------------ */

void
http_header_add(struct response *rs, const char *name, const char *value)
{
	if (rs->nheaders == HTTP_MAX_HEADERS) {
		log_error("http: more than %d headers, %s dropped",
		    HTTP_MAX_HEADERS, name);
		return;
	}
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
	char *text = v != NULL ? json_dumps(v, JSON_COMPACT) : NULL;

	json_decref(v);
	buf_reset(&rs->body);
	rs->content_type = "application/json";
	if (text == NULL) {
		/* a json_pack that failed: a bug, never the client's doing */
		log_error("http: an answer could not be built as JSON");
		rs->status = 500;
		buf_puts(&rs->body, "{\"error\":\"internal\",\"message\":"
		                    "\"Internal error.\"}\n");
		return;
	}
	rs->status = status;
	buf_puts(&rs->body, text);
	buf_putc(&rs->body, '\n');
	free(text);
}

void
http_json_error(struct response *rs, unsigned status, const char *code,
    const char *message, const char *field)
{
	json_t *v = json_pack("{s:s, s:s}", "error", code, "message", message);

	if (v != NULL && field != NULL && field[0] != '\0')
		json_object_set_new(v, "field", json_string(field));
	http_json(rs, status, v);
}

json_t *
json_text(const char *s, size_t len)
{
	struct buf b = BUF_INIT;
	json_t *v;

	if (utf8_valid(s, len))
		return json_stringn(s, len);
	utf8_sanitize(&b, s, len);
	v = json_stringn(buf_cstr(&b), b.len);
	buf_free(&b);
	return v;
}

static bool
is_api(const struct request *rq)
{
	/* the raw path too: an unreadable API path still gets JSON */
	return strncmp(rq->path, "/api/", 5) == 0 ||
	       strncmp(rq->raw_path, "/api/", 5) == 0;
}

/* answer_error: a refusal before any handler ran */
static void
answer_error(struct request *rq, struct response *rs, unsigned status,
    const char *code, const char *message, const char *title, const char *text)
{
	if (is_api(rq))
		http_json_error(rs, status, code, message, NULL);
	else
		page_message(rq, rs, status, title, text);
}

/* ---- handling ----------------------------------------------------------- */

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

/* request_decode: the path, client address, language and CSRF cookie */
static void
request_decode(struct request *rq)
{
	const char *lang, *cookie;
	size_t n;

	if ((rq->path_owned = strdup(rq->raw_path)) == NULL)
		abort();
	n = url_decode_path(rq->path_owned, strlen(rq->path_owned));
	if (rq->path_owned[0] != '/' || !utf8_valid(rq->path_owned, n))
		rq->bad = "path";
	else
		rq->path = rq->path_owned;

	client_address(rq->peer, http_header(rq, "X-Forwarded-For"),
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

/* media_type_is: Content-Type names type, with parameters allowed
 * ("application/json; charset=utf-8") */
static bool
media_type_is(const char *ct, const char *type)
{
	size_t n = strlen(type);

	if (ct == NULL || strncasecmp(ct, type, n) != 0)
		return false;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

/* json_body_acceptable: API writes carry JSON. A cross-site page can POST
 * text/plain or a form without asking (no CORS preflight); it cannot send
 * application/json. A charset other than UTF-8 is refused too (RFC 8259
 * 8.1). A POST without body and without Content-Type (call-next) is fine:
 * there is nothing to misread. */
static bool
json_body_acceptable(struct request *rq)
{
	const char *ct = http_header(rq, "Content-Type"), *cs;

	if (ct == NULL)
		return rq->body.len == 0;
	if (!media_type_is(ct, "application/json"))
		return false;
	if ((cs = strcasestr(ct, "charset=")) == NULL)
		return true;
	cs += 8;
	if (*cs == '"')
		cs++;
	return strncasecmp(cs, "utf-8", 5) == 0 ||
	       strncasecmp(cs, "utf8", 4) == 0;
}

static bool
writes(const struct request *rq)
{
	return strcmp(rq->method, "POST") == 0 ||
	       strcmp(rq->method, "PUT") == 0 ||
	       strcmp(rq->method, "PATCH") == 0 ||
	       strcmp(rq->method, "DELETE") == 0;
}

/* response_finish: the headers every answer carries */
static void
response_finish(struct request *rq, struct response *rs)
{
	char cookie[192];
	const char *secure = rq->web->https ? "; Secure" : "";
	const char *q;

	security_headers(rq->web, rs);
	if (rs->content_type != NULL)
		http_header_add(rs, "Content-Type", rs->content_type);
	if (!rs->cacheable)
		http_header_add(rs, "Cache-Control", "no-store");
	if (rs->content_type == NULL ||
	    strncmp(rs->content_type, "text/html", 9) != 0)
		return;
	if (rq->csrf_new) {
		snprintf(cookie, sizeof cookie,
		    "csrf=%s; Path=/; HttpOnly; SameSite=Strict%s", rq->csrf,
		    secure);
		http_header_add(rs, "Set-Cookie", cookie);
	}
	q = http_query(rq, "lang");
	if (q != NULL && (strcmp(q, "en") == 0 || strcmp(q, "pl") == 0)) {
		snprintf(cookie, sizeof cookie,
		    "lang=%s; Path=/; Max-Age=31536000; SameSite=Lax%s", q,
		    secure);
		http_header_add(rs, "Set-Cookie", cookie);
	}
}

/* storage_answer: after a write met a full or read-only disk, the
 * handler's 500 says what is going on, with a 503 */
static void
storage_answer(struct request *rq, struct response *rs)
{
	bool failed = store_take_storage_failure(thread_store);

	if (!failed) {
		/* a write that succeeded: the disk has room again */
		if (rs->status >= 200 && rs->status < 400 &&
		    atomic_load(&storage_down) && writes(rq) &&
		    atomic_exchange(&storage_down, false))
			log_info("database writable again");
		return;
	}
	if (!atomic_exchange(&storage_down, true))
		log_error(
		    "database cannot be written (disk full or read-only?):"
		    " bookings answer 503 until it can");
	if (rs->status != 500 && rs->status != 503)
		return;
	http_response_free(rs);
	http_response_init(rs);
	answer_error(rq, rs, 503, "unavailable",
	    "Bookings cannot be saved at the moment; nothing was changed. "
	    "Try again later.",
	    "err_unavailable_title", "err_unavailable_text");
	http_header_add(rs, "Retry-After", "300");
}

/* form_parse: an application/x-www-form-urlencoded body into rq->form
 * (the first value of a name wins) */
static void
form_parse(struct request *rq)
{
	struct http_pairs fields = {NULL, 0, 0};
	size_t i;

	rq->form = json_object();
	if (rq->body.len == 0)
		return;
	if (memchr(rq->body.data, '\0', rq->body.len) != NULL) {
		rq->bad = "form";
		return;
	}
	split_pairs(rq, &fields, rq->body.data, rq->body.len, "form");
	for (i = 0; i < fields.n; i++)
		if (json_object_get(rq->form, fields.items[i].name) == NULL)
			json_object_set_new(rq->form, fields.items[i].name,
			    json_string(fields.items[i].value != NULL
			                    ? fields.items[i].value
			                    : ""));
	pairs_free(&fields);
}

void
http_request_handle(struct request *rq, struct response *rs)
{
	struct timespec start, end;

	clock_gettime(CLOCK_MONOTONIC, &start);
	request_decode(rq);
	if (rq->bad == NULL && !rq->body_too_large && !is_api(rq) &&
	    media_type_is(http_header(rq, "Content-Type"),
	        "application/x-www-form-urlencoded"))
		form_parse(rq);
	(void)store_take_storage_failure(thread_store);
	if (rq->bad != NULL)
		answer_error(rq, rs, 400, "malformed",
		    "The request is not valid UTF-8 or not a path.",
		    "err_badrequest_title", "err_badrequest_text");
	else if (rq->body_too_large) {
		answer_error(rq, rs, 413, "too_large",
		    "Request body too large.", "err_badrequest_title",
		    "err_badrequest_text");
		http_header_add(rs, "Connection", "close");
	} else if (is_api(rq) && writes(rq) && !json_body_acceptable(rq))
		http_json_error(rs, 415, "unsupported_media_type",
		    "Send the body as Content-Type: application/json "
		    "(UTF-8).",
		    NULL);
	else
		routes_dispatch(rq, rs);
	storage_answer(rq, rs);
	response_finish(rq, rs);
	clock_gettime(CLOCK_MONOTONIC, &end);
	metrics_http_observe(
	    rs->status, (double)(end.tv_sec - start.tv_sec) +
	                    (end.tv_nsec - start.tv_nsec) / 1e9);
}

/* ---- libmicrohttpd ------------------------------------------------------ */

static enum MHD_Result
collect_header(
    void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	if (key != NULL)
		http_request_add_header(cls, key, value != NULL ? value : "");
	return MHD_YES;
}

static enum MHD_Result
collect_arg(
    void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	if (key != NULL)
		http_request_add_arg(cls, key, value);
	return MHD_YES;
}

/* the request target is decoded by http_request_handle, not by the
 * server */
static size_t
unescape_nothing(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	return strlen(s);
}

/* ---- streams (http.h): libmicrohttpd's suspend and resume ---------------- */

struct http_stream {
	struct MHD_Connection *conn;
	http_stream_pull pull;
	void (*done)(void *);
	void *cls;
};

struct http_stream *
http_stream_open(struct request *rq, struct response *rs, http_stream_pull pull,
    void (*done)(void *), void *cls)
{
	struct http_stream *hs;

	if (rq->conn == NULL) /* no connection to keep (the fuzz target) */
		return NULL;
	if ((hs = calloc(1, sizeof *hs)) == NULL)
		abort();
	hs->conn = rq->conn;
	hs->pull = pull;
	hs->done = done;
	hs->cls = cls;
	rs->stream = hs;
	/* no idle timeout: the stream's keep-alives find dead clients (and
	 * conn_guard's request deadline is off until the answer is over) */
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
	for (i = 0; i < rs->nheaders; i++)
		MHD_add_response_header(
		    r, rs->headers[i][0], rs->headers[i][1]);
	ret = MHD_queue_response(rq->conn, rs->status, r);
	MHD_destroy_response(r);
	return ret;
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
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(
		    conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		char peer[64] = "";

		if (ci != NULL)
			conn_guard_address(ci->client_addr, peer, sizeof peer);
		rq = http_request_new(
		    web_view(cls), method, url, peer, time(NULL));
		rq->conn = conn;
		MHD_get_connection_values(
		    conn, MHD_HEADER_KIND, collect_header, rq);
		MHD_get_connection_values(
		    conn, MHD_GET_ARGUMENT_KIND, collect_arg, rq);
		*con_cls = rq;
		atomic_fetch_add(&in_flight, 1);
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		http_request_add_body(rq, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	conn_guard_request_read(guard, conn_guard_mhd_entry(conn));
	/* the newest settings for this request: other requests of this thread
	 * may have come meanwhile, and rq->web is this thread's view */
	rq->web = web_view(cls);
	http_response_init(&rs);
	http_request_handle(rq, &rs);
	ret = send_response(rq, &rs);
	http_response_free(&rs);
	return ret;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)toe;
	if (*con_cls != NULL) {
		http_request_free(*con_cls);
		*con_cls = NULL;
		atomic_fetch_sub(&in_flight, 1);
	}
	conn_guard_request_done(guard, conn_guard_mhd_entry(conn));
}

int
http_start(struct web *w, int listen_fd, struct error *err)
{
	const struct config *c = w->config;
	unsigned threads = c->web_threads ? c->web_threads : 1;

	guard = conn_guard_new("web", c->web_max_connections_per_address,
	    (unsigned)c->web_request_timeout, c->web_trusted_proxies);
	daemon_handle = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD |
	                                     MHD_USE_ITC | MHD_USE_ERROR_LOG |
	                                     MHD_ALLOW_SUSPEND_RESUME,
	    0, conn_guard_mhd_admit, guard, on_request, w,
	    /* first, so that MHD never logs through its own default logger */
	    MHD_OPTION_EXTERNAL_LOGGER, conn_guard_mhd_log, (void *)"http",
	    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)listen_fd,
	    MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_NOTIFY_COMPLETED,
	    on_completed, NULL, MHD_OPTION_NOTIFY_CONNECTION,
	    conn_guard_mhd_notify, guard, MHD_OPTION_UNESCAPE_CALLBACK,
	    unescape_nothing, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned int)60, MHD_OPTION_CONNECTION_LIMIT,
	    /* live screens hold their connections: room for them besides */
	    (unsigned int)((c->web_max_connections > 0 ? c->web_max_connections
	                                               : 1000) +
	                   c->web_event_streams),
	    MHD_OPTION_END);
	if (daemon_handle == NULL) {
		conn_guard_free(guard);
		guard = NULL;
		return error_set(err, ERROR_IO, "cannot start the HTTP server");
	}
	return 0;
}

void
http_stop(void)
{
	MHD_socket fd;
	int waited;
	size_t i;

	if (daemon_handle != NULL) {
		/* stop accepting, let requests in flight finish (at most 10 s)
		 */
		fd = MHD_quiesce_daemon(daemon_handle);
		if (fd != MHD_INVALID_SOCKET)
			close(fd);
		for (waited = 0; atomic_load(&in_flight) > 0 && waited < 1000;
		     waited++)
			usleep(10000);
		MHD_stop_daemon(daemon_handle);
		daemon_handle = NULL;
		conn_guard_free(guard);
		guard = NULL;
	}
	/* without a daemon (the fuzz target) there are stores all the same */
	pthread_mutex_lock(&stores_lock);
	for (i = 0; i < nstores; i++)
		store_close(stores[i]);
	free(stores);
	stores = NULL;
	nstores = 0;
	thread_store = NULL;
	pthread_mutex_unlock(&stores_lock);
}

bool
http_parse_id(const char *text, int64_t *id)
{
	char *end;
	long long v;

	if (text == NULL || *text < '1' || *text > '9')
		return false;
	errno = 0;
	v = strtoll(text, &end, 10);
	if (*end != '\0' || v <= 0 || errno == ERANGE)
		return false;
	*id = v;
	return true;
}
