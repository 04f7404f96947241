/*
 * sms_callbacks.c: the provider-callback HTTP listener (see
 * sms_callbacks.h), on libmicrohttpd with an epoll thread pool.
 *
 * We open the listening socket ourselves so "address in use" is a clear
 * start-up error instead of MHD's NULL, then hand it to MHD.
 *
 * The listener only collects a request as it was sent (the raw target
 * through MHD's URI log callback, the headers, the body) and
 * sms_callbacks_answer does the rest — the same code the fuzz target runs.
 * Query strings and form bodies are decoded as form data ('+' is a blank,
 * %XX a byte), which is what Kannel's URL encoding produces; every value
 * must then be UTF-8.
 *
 * Logs name the path, the outcome, the outbox id for DLRs and the
 * provider's message id for inbound SMS; never the number, the text or
 * the secret.
 */
#include <errno.h>
#include <iconv.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "buf.h"
#include "conn_guard_mhd.h"
#include "log.h"
#include "phone.h"
#include "sms_callbacks.h"
#include "url.h"
#include "utf8.h"

#define SMS_CALLBACK_BODY_MAX (16 * 1024)
#define SMS_CALLBACK_THREADS 2
#define SMS_FIELD_MAX 128 /* to, id, ts: a number, an id, a time */

struct sms_callbacks {
	struct MHD_Daemon *daemon;
	struct conn_guard *guard;
	const struct config *config;
	struct sms_sink sink;
	bool sink_off; /* no provider calls: only the pages */
	struct gateway_pages pages;
	unsigned port;
};

/* One request in flight (libmicrohttpd's per-request context). */
struct callback_request {
	char *target; /* as sent */
	bool head_seen;
	struct buf body;
	bool too_big;
};

/* ---- reading a callback ------------------------------------------------- */

/* What sms_callbacks_answer made of a callback. */
struct parsed {
	const struct sms_callback *in;
	char path[32];
	struct buf query; /* the raw query string */
	bool form;        /* the body is x-www-form-urlencoded */
};

static const char *
header_get(const struct sms_callback *in, const char *name)
{
	size_t i;

	for (i = 0; i < in->nheaders; i++)
		if (strcasecmp(in->headers[i].name, name) == 0)
			return in->headers[i].value;
	return NULL;
}

/* pairs_lookup: the decoded value of key in "a=1&b=2" (n bytes) into out;
 * 0 when present. */
static int
pairs_lookup(const char *data, size_t n, const char *key, struct buf *out)
{
	const char *p, *end, *amp, *eq;
	size_t klen = strlen(key);

	if (data == NULL)
		return -1;
	p = data;
	end = data + n;
	while (p < end) {
		if ((amp = memchr(p, '&', (size_t)(end - p))) == NULL)
			amp = end;
		eq = memchr(p, '=', (size_t)(amp - p));
		if (eq != NULL && (size_t)(eq - p) == klen &&
		    memcmp(p, key, klen) == 0) {
			buf_reset(out);
			buf_append(out, eq + 1, (size_t)(amp - eq - 1));
			out->len = url_decode(out->data, out->len);
			return 0;
		}
		p = amp + 1;
	}
	return -1;
}

/* field: query argument, else form field, else header; into out. */
static int
field(const struct parsed *p, const char *name, const char *header,
    struct buf *out)
{
	const char *v;

	buf_reset(out);
	if (pairs_lookup(p->query.data, p->query.len, name, out) == 0)
		return 0;
	if (p->form &&
	    pairs_lookup(p->in->body, p->in->body_len, name, out) == 0)
		return 0;
	if (header != NULL && (v = header_get(p->in, header)) != NULL) {
		buf_puts(out, v);
		return 0;
	}
	return -1;
}

/* text_field: field(), and the value is UTF-8 of at most max bytes
 * (0 = any); 0 ok, -1 absent, -2 malformed */
static int
text_field(const struct parsed *p, const char *name, const char *header,
    size_t max, struct buf *out)
{
	if (field(p, name, header, out) != 0)
		return -1;
	if ((max > 0 && out->len > max) || !utf8_valid(buf_cstr(out), out->len))
		return -2;
	return 0;
}

/* secret_equal: constant time in the length of the given value. */
static int
secret_equal(const char *given, const char *want)
{
	size_t gl = strlen(given), wl = strlen(want), i;
	unsigned char diff = (unsigned char)(gl != wl);

	for (i = 0; i < gl; i++)
		diff |= (unsigned char)given[i] ^
		        (unsigned char)want[wl > 0 ? i % wl : 0];
	return wl > 0 && diff == 0;
}

/* body_charset: the charset of a text/plain body: the Content-Type
 * parameter, else UTF-16BE when Kannel says X-Kannel-Coding: 2 (UCS-2),
 * else UTF-8. */
static void
body_charset(const struct sms_callback *in, char *out, size_t size)
{
	const char *ct, *cs, *coding;
	size_t n;

	snprintf(out, size, "UTF-8");
	ct = header_get(in, "Content-Type");
	if (ct != NULL && (cs = strcasestr(ct, "charset=")) != NULL) {
		cs += 8;
		if (*cs == '"')
			cs++;
		n = strcspn(cs, "\"; ");
		if (n > 0 && n < size) {
			memcpy(out, cs, n);
			out[n] = '\0';
		}
		return;
	}
	coding = header_get(in, "X-Kannel-Coding");
	if (coding != NULL && strcmp(coding, "2") == 0)
		snprintf(out, size, "UTF-16BE");
}

/* body_to_utf8: 0 and the body as UTF-8 in out, -1 when the charset is
 * unknown or the bytes are not in it. */
static int
body_to_utf8(const char *charset, const char *in, size_t n, struct buf *out)
{
	char chunk[1024], *src = (char *)in, *dst;
	size_t left = n, room;
	iconv_t cd;
	int rc = 0;

	if (strcasecmp(charset, "UTF-8") == 0 ||
	    strcasecmp(charset, "US-ASCII") == 0) {
		buf_append(out, in, n);
		return utf8_valid(buf_cstr(out), out->len) ? 0 : -1;
	}
	if ((cd = iconv_open("UTF-8", charset)) == (iconv_t)-1)
		return -1;
	while (left > 0) {
		dst = chunk;
		room = sizeof chunk;
		if (iconv(cd, &src, &left, &dst, &room) == (size_t)-1 &&
		    errno != E2BIG) {
			rc = -1;
			break;
		}
		buf_append(out, chunk, sizeof chunk - room);
	}
	iconv_close(cd);
	/* a NUL (U+0000) converts, and is not text */
	return rc == 0 && utf8_valid(buf_cstr(out), out->len) ? 0 : -1;
}

static unsigned
handle_inbound(
    const struct sms_sink *sink, const struct parsed *p, const char **answer)
{
	struct buf from = BUF_INIT, to = BUF_INIT, text = BUF_INIT,
	           id = BUF_INIT, ts = BUF_INIT;
	char e164[32];
	struct error err;
	unsigned status;
	int rc;

	error_clear(&err);
	if (text_field(p, "to", "X-Kannel-To", SMS_FIELD_MAX, &to) == -2 ||
	    text_field(p, "id", NULL, SMS_FIELD_MAX, &id) == -2 ||
	    text_field(p, "ts", "X-Kannel-Time", SMS_FIELD_MAX, &ts) == -2) {
		log_warn("sms inbound refused: to, id or ts not UTF-8 or too"
		         " long path=/sms/inbound");
		*answer = "bad to, id or ts\n";
		status = MHD_HTTP_BAD_REQUEST;
		goto out;
	}
	if ((rc = text_field(
	         p, "from", "X-Kannel-From", SMS_FIELD_MAX, &from)) != 0) {
		log_warn("sms inbound refused: %s sender path=/sms/inbound",
		    rc == -1 ? "no" : "a malformed");
		*answer = rc == -1 ? "missing from\n" : "bad from\n";
		status = MHD_HTTP_BAD_REQUEST;
		goto out;
	}
	if ((rc = text_field(p, "text", NULL, 0, &text)) == -1) {
		char charset[64];

		if (p->form || p->in->body == NULL) {
			log_warn(
			    "sms inbound refused: no text path=/sms/inbound");
			*answer = "missing text\n";
			status = MHD_HTTP_BAD_REQUEST;
			goto out;
		}
		/* text/plain POST (Kannel post-url): the body is the text */
		body_charset(p->in, charset, sizeof charset);
		if (body_to_utf8(
		        charset, p->in->body, p->in->body_len, &text) != 0)
			rc = -2;
		else
			rc = 0;
	}
	if (rc != 0) {
		log_warn("sms inbound refused: text not UTF-8 (or not in its "
		         "charset) path=/sms/inbound");
		*answer = "bad charset\n";
		status = MHD_HTTP_BAD_REQUEST;
		goto out;
	}
	if (phone_normalize(buf_cstr(&from), e164, sizeof e164, &err) != 0) {
		log_warn("sms inbound refused: sender is not a phone number "
		         "provider_id=%s",
		    buf_cstr(&id));
		*answer = "bad from\n";
		status = MHD_HTTP_BAD_REQUEST;
		goto out;
	}
	error_clear(&err);
	if (sink->inbound(sink->ctx, e164, buf_cstr(&to), buf_cstr(&text),
	        buf_cstr(&id), buf_cstr(&ts), &err) != 0) {
		log_error("sms inbound not stored provider_id=%s reason=\"%s\"",
		    buf_cstr(&id), err.msg);
		*answer = "not stored, try again\n";
		status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		goto out;
	}
	log_info("sms inbound stored provider_id=%s", buf_cstr(&id));
	*answer = "OK\n";
	status = MHD_HTTP_OK;
out:
	buf_free(&from);
	buf_free(&to);
	buf_free(&text);
	buf_free(&id);
	buf_free(&ts);
	return status;
}

static int
parse_int64(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static unsigned
handle_dlr(
    const struct sms_sink *sink, const struct parsed *p, const char **answer)
{
	struct buf msg = BUF_INIT, status = BUF_INIT, reply = BUF_INIT,
	           clean = BUF_INIT;
	long long id, st;
	struct error err;
	unsigned code;

	error_clear(&err);
	if (field(p, "msg", NULL, &msg) != 0 ||
	    field(p, "status", NULL, &status) != 0 ||
	    parse_int64(buf_cstr(&msg), 1, INT64_MAX, &id) != 0 ||
	    parse_int64(buf_cstr(&status), 0, 0xFFFF, &st) != 0) {
		log_warn("sms dlr refused: missing or bad msg/status "
		         "path=/sms/dlr");
		*answer = "missing msg or status\n";
		code = MHD_HTTP_BAD_REQUEST;
		goto out;
	}
	/* the SMSC's own words: kept, but only ever as UTF-8 */
	(void)field(p, "reply", NULL, &reply);
	utf8_sanitize(&clean, buf_cstr(&reply), reply.len);
	if (sink->dlr(
	        sink->ctx, (int64_t)id, (int)st, buf_cstr(&clean), &err) != 0) {
		log_error("sms dlr not stored outbox=%lld status=%lld "
		          "reason=\"%s\"",
		    id, st, err.msg);
		*answer = "not stored, try again\n";
		code = MHD_HTTP_INTERNAL_SERVER_ERROR;
		goto out;
	}
	log_info("sms dlr stored outbox=%lld status=%lld", id, st);
	*answer = "OK\n";
	code = MHD_HTTP_OK;
out:
	buf_free(&msg);
	buf_free(&status);
	buf_free(&reply);
	buf_free(&clean);
	return code;
}

/* target_path: the path of a request target, decoded; false when it is not
 * one of ours (then the caller answers 404) */
static bool
target_path(const char *target, char *path, size_t size)
{
	size_t n = strcspn(target, "?");
	struct buf b = BUF_INIT;
	bool ok;

	buf_append(&b, target, n);
	b.len = url_decode_path(b.data != NULL ? b.data : (char *)"", b.len);
	ok = b.len < size && (strcmp(buf_cstr(&b), "/sms/inbound") == 0 ||
	                         strcmp(buf_cstr(&b), "/sms/dlr") == 0);
	snprintf(path, size, "%s", ok ? buf_cstr(&b) : "");
	buf_free(&b);
	return ok;
}

/* refusal: the checks a request meets before its body is read */
static unsigned
refusal(const char *method, const char *target, const char **text)
{
	char path[32];

	if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0) {
		*text = "method not allowed\n";
		return MHD_HTTP_METHOD_NOT_ALLOWED;
	}
	if (!target_path(target, path, sizeof path)) {
		*text = "not found\n";
		return MHD_HTTP_NOT_FOUND;
	}
	return 0;
}

unsigned
sms_callbacks_answer(const struct config *c, const struct sms_sink *sink,
    const struct sms_callback *in, const char **text)
{
	struct parsed p;
	struct buf secret = BUF_INIT;
	const char *q, *ct;
	unsigned status;
	bool ok;

	if ((status = refusal(in->method, in->target, text)) != 0)
		return status;
	if (in->body_too_large) {
		log_warn("sms callback refused: body over %d bytes",
		    SMS_CALLBACK_BODY_MAX);
		*text = "body too large\n";
		return MHD_HTTP_CONTENT_TOO_LARGE;
	}
	memset(&p, 0, sizeof p);
	p.in = in;
	(void)target_path(in->target, p.path, sizeof p.path);
	buf_init(&p.query);
	if ((q = strchr(in->target, '?')) != NULL)
		buf_puts(&p.query, q + 1);
	ct = header_get(in, "Content-Type");
	p.form = ct != NULL &&
	         strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0;
	ok = field(&p, "secret", NULL, &secret) == 0 &&
	     secret_equal(buf_cstr(&secret), c->sms_callback_secret);
	buf_free(&secret);
	if (!ok) {
		log_warn(
		    "sms callback refused: wrong or missing secret path=%s",
		    p.path);
		*text = "forbidden\n";
		status = MHD_HTTP_FORBIDDEN;
	} else if (strcmp(p.path, "/sms/inbound") == 0)
		status = handle_inbound(sink, &p, text);
	else
		status = handle_dlr(sink, &p, text);
	buf_free(&p.query);
	return status;
}

/* ---- libmicrohttpd ------------------------------------------------------ */

static enum MHD_Result
answer(struct MHD_Connection *conn, unsigned status, const char *text)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(
	    strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(
	    r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* page_of: the page a request target asks for, or NULL */
static const char *
page_of(const struct sms_callbacks *cb, const char *target)
{
	size_t n = strcspn(target, "?"), i;

	for (i = 0; cb->pages.paths != NULL && cb->pages.paths[i] != NULL; i++)
		if (strlen(cb->pages.paths[i]) == n &&
		    strncmp(cb->pages.paths[i], target, n) == 0)
			return cb->pages.paths[i];
	return NULL;
}

static enum MHD_Result
page_answer(struct sms_callbacks *cb, struct MHD_Connection *conn,
    const char *method, const char *path)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const char *type = "text/plain; charset=utf-8";
	struct buf body = BUF_INIT;
	struct MHD_Response *r;
	enum MHD_Result ret;
	char client[64] = "";
	bool forwarded;
	unsigned status;
	size_t len;

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return answer(
		    conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
	if (ci != NULL)
		conn_guard_address(ci->client_addr, client, sizeof client);
	forwarded = MHD_lookup_connection_value(
	                conn, MHD_HEADER_KIND, "X-Forwarded-For") != NULL ||
	            MHD_lookup_connection_value(
	                conn, MHD_HEADER_KIND, "Forwarded") != NULL ||
	            MHD_lookup_connection_value(
	                conn, MHD_HEADER_KIND, "X-Real-IP") != NULL;
	status = cb->pages.answer(cb->pages.ctx, path, client, forwarded,
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization"),
	    &body, &type);
	len = body.len;
	r = MHD_create_response_from_buffer(len,
	    len ? buf_steal(&body) : (void *)"",
	    len ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	buf_free(&body);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* the request target as sent, before MHD splits and unescapes it */
static void *
callbacks_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct callback_request *req = calloc(1, sizeof *req);

	(void)cls;
	(void)conn;
	if (req == NULL || (req->target = strdup(uri)) == NULL)
		abort();
	buf_init(&req->body);
	return req;
}

struct header_list {
	struct sms_callback_header *items;
	size_t n, cap;
};

static enum MHD_Result
collect_header(
    void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct header_list *l = cls;

	(void)kind;
	if (key == NULL)
		return MHD_YES;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		if ((l->items = realloc(l->items, l->cap * sizeof *l->items)) ==
		    NULL)
			abort();
	}
	l->items[l->n].name = key;
	l->items[l->n].value = value != NULL ? value : "";
	l->n++;
	return MHD_YES;
}

static enum MHD_Result
callbacks_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct sms_callbacks *cb = cls;
	struct callback_request *req = *con_cls;
	struct header_list headers = {NULL, 0, 0};
	struct sms_callback in;
	const char *text;
	unsigned status;
	enum MHD_Result ret;

	(void)version;
	(void)url;
	if (req == NULL)
		return MHD_NO; /* the URI log callback always sets it */
	if (!req->head_seen) {
		const char *page = page_of(cb, req->target);

		req->head_seen = true;
		if (page != NULL)
			return page_answer(cb, conn, method, page);
		if (cb->sink_off)
			return answer(conn, MHD_HTTP_NOT_FOUND, "not found\n");
		/* refuse before reading a body */
		if ((status = refusal(method, req->target, &text)) != 0)
			return answer(conn, status, text);
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (req->body.len + *upload_data_size > SMS_CALLBACK_BODY_MAX)
			req->too_big = true;
		else
			buf_append(&req->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	conn_guard_request_read(cb->guard, conn_guard_mhd_entry(conn));
	MHD_get_connection_values(
	    conn, MHD_HEADER_KIND, collect_header, &headers);
	memset(&in, 0, sizeof in);
	in.method = method;
	in.target = req->target;
	in.headers = headers.items;
	in.nheaders = headers.n;
	in.body = req->body.data;
	in.body_len = req->body.len;
	in.body_too_large = req->too_big;
	status = sms_callbacks_answer(cb->config, &cb->sink, &in, &text);
	free(headers.items);
	ret = answer(conn, status, text);
	return ret;
}

static void
callbacks_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct sms_callbacks *cb = cls;
	struct callback_request *req = *con_cls;

	(void)toe;
	conn_guard_request_done(cb->guard, conn_guard_mhd_entry(conn));
	if (req == NULL)
		return;
	buf_free(&req->body);
	free(req->target);
	free(req);
	*con_cls = NULL;
}

/* callbacks_listen: a bound, listening, non-blocking socket for
 * "host:port", or -1 with err. */
static int
callbacks_listen(
    const struct config *c, unsigned *port, int *ipv6, struct error *err)
{
	struct addrinfo hints, *res = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	char host[256], *colon;
	const char *h;
	int fd, one = 1, rc;

	snprintf(host, sizeof host, "%s", c->gateway_listen);
	if ((colon = strrchr(host, ':')) == NULL || colon[1] == '\0')
		return error_set(err, ERROR_INVALID, "expected host:port");
	*colon = '\0';
	h = host;
	if (h[0] == '[' && colon > host + 1 && colon[-1] == ']') {
		colon[-1] = '\0';
		h++;
	}
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(
	         h[0] != '\0' ? h : NULL, colon + 1, &hints, &res)) != 0)
		return error_set(err, ERROR_INVALID, "%s", gai_strerror(rc));
	fd = socket(res->ai_family,
	    res->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, res->ai_protocol);
	if (fd < 0) {
		error_set(err, ERROR_IO, "%s", strerror(errno));
		freeaddrinfo(res);
		return -1;
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, res->ai_addr, res->ai_addrlen) != 0 ||
	    listen(fd, 64) != 0) {
		error_set(err, ERROR_IO, "cannot listen: %s", strerror(errno));
		close(fd);
		freeaddrinfo(res);
		return -1;
	}
	*ipv6 = res->ai_family == AF_INET6;
	freeaddrinfo(res);
	*port = 0;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
		if (ss.ss_family == AF_INET)
			*port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		else if (ss.ss_family == AF_INET6)
			*port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	return fd;
}

struct sms_callbacks *
sms_callbacks_start(
    const struct config *c, const struct sms_sink *sink, struct error *err)
{
	return sms_callbacks_start_with(c, sink, NULL, err);
}

struct sms_callbacks *
sms_callbacks_start_with(const struct config *c, const struct sms_sink *sink,
    const struct gateway_pages *pages, struct error *err)
{
	struct sms_callbacks *cb;
	unsigned flags;
	int fd, ipv6 = 0;

	if (sink != NULL && (c->sms_callback_secret == NULL ||
	                        c->sms_callback_secret[0] == '\0')) {
		error_set(err, ERROR_INVALID,
		    "%s: [sms] callback_secret must be "
		    "set to receive SMS callbacks",
		    c->path);
		return NULL;
	}
	if ((cb = calloc(1, sizeof *cb)) == NULL)
		abort();
	cb->config = c;
	if (sink != NULL)
		cb->sink = *sink;
	cb->sink_off = sink == NULL;
	if (pages != NULL)
		cb->pages = *pages;
	if ((fd = callbacks_listen(c, &cb->port, &ipv6, err)) < 0) {
		free(cb);
		return NULL;
	}
	cb->guard = conn_guard_new("sms callbacks",
	    c->gateway_max_connections_per_address,
	    (unsigned)c->gateway_request_timeout, "");
	flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	if (ipv6)
		flags |= MHD_USE_IPv6;
	cb->daemon = MHD_start_daemon(flags, 0, conn_guard_mhd_admit, cb->guard,
	    callbacks_access, cb, MHD_OPTION_EXTERNAL_LOGGER,
	    conn_guard_mhd_log, (void *)"sms callbacks",
	    MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)SMS_CALLBACK_THREADS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
	    MHD_OPTION_CONNECTION_LIMIT,
	    (unsigned int)(c->gateway_max_connections > 0
	                       ? c->gateway_max_connections
	                       : 256),
	    MHD_OPTION_URI_LOG_CALLBACK, callbacks_uri, (void *)NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, callbacks_completed, (void *)cb,
	    MHD_OPTION_NOTIFY_CONNECTION, conn_guard_mhd_notify,
	    (void *)cb->guard, MHD_OPTION_END);
	if (cb->daemon == NULL) {
		close(fd);
		conn_guard_free(cb->guard);
		free(cb);
		error_set(err, ERROR_IO, "cannot start the HTTP listener");
		return NULL;
	}
	log_info("%s listening address=%s port=%u "
	         "max_connections_per_address=%u request_timeout=%llds",
	    cb->sink_off ? "gateway pages" : "sms callbacks", c->gateway_listen,
	    cb->port, c->gateway_max_connections_per_address,
	    (long long)c->gateway_request_timeout);
	return cb;
}

unsigned
sms_callbacks_port(const struct sms_callbacks *cb)
{
	return cb->port;
}

void
sms_callbacks_stop(struct sms_callbacks *cb)
{
	if (cb == NULL)
		return;
	MHD_stop_daemon(cb->daemon);
	conn_guard_free(cb->guard);
	free(cb);
}
