/*
 * sms_callbacks.c: the provider-callback HTTP listener (see
 * sms_callbacks.h), on libmicrohttpd with an epoll thread pool.
 *
 * We open the listening socket ourselves so "address in use" is a clear
 * start-up error instead of MHD's NULL, then hand it to MHD.
 * Query strings are decoded as form data ('+' is a blank, %XX a byte),
 * which is what Kannel's URL encoding produces.
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
#include "log.h"
#include "phone.h"
#include "sms_callbacks.h"
#include "url.h"

#define SMS_CALLBACK_BODY_MAX (16 * 1024)
#define SMS_CALLBACK_THREADS 2

struct sms_callbacks {
	struct MHD_Daemon *daemon;
	const struct config *config;
	struct sms_sink sink;
	unsigned port;
};

/* One request in flight. */
struct callback_request {
	struct buf body;
	int too_big;
};

static size_t
callbacks_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return url_decode(s, strlen(s));
}

/* form_lookup: the decoded value of key in an x-www-form-urlencoded body
 * into out; 0 when present. */
static int
form_lookup(const struct buf *body, const char *key, struct buf *out)
{
	const char *p, *end, *amp, *eq;
	size_t klen = strlen(key);

	if (body->data == NULL)
		return -1;
	p = body->data;
	end = body->data + body->len;
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

static int
is_form(struct MHD_Connection *conn)
{
	const char *ct = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);

	return ct != NULL &&
	       strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0;
}

/* field: query argument, else form field, else header; into out. */
static int
field(struct MHD_Connection *conn, const struct callback_request *req,
    const char *name, const char *header, struct buf *out)
{
	const char *v;

	buf_reset(out);
	if ((v = MHD_lookup_connection_value(
	         conn, MHD_GET_ARGUMENT_KIND, name)) != NULL) {
		buf_puts(out, v);
		return 0;
	}
	if (is_form(conn) && form_lookup(&req->body, name, out) == 0)
		return 0;
	if (header != NULL && (v = MHD_lookup_connection_value(
	                           conn, MHD_HEADER_KIND, header)) != NULL) {
		buf_puts(out, v);
		return 0;
	}
	return -1;
}

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

/* body_charset: the charset of a text/plain body: the Content-Type
 * parameter, else UTF-16BE when Kannel says X-Kannel-Coding: 2 (UCS-2),
 * else UTF-8. */
static void
body_charset(struct MHD_Connection *conn, char *out, size_t size)
{
	const char *ct, *cs, *coding;
	size_t n;

	snprintf(out, size, "UTF-8");
	ct = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
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
	coding = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, "X-Kannel-Coding");
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
		return 0;
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
	return rc;
}

static enum MHD_Result
handle_inbound(struct sms_callbacks *cb, struct MHD_Connection *conn,
    struct callback_request *req)
{
	struct buf from = BUF_INIT, to = BUF_INIT, text = BUF_INIT,
	           id = BUF_INIT, ts = BUF_INIT;
	char e164[32];
	struct error err;
	enum MHD_Result ret;

	error_clear(&err);
	(void)field(conn, req, "to", "X-Kannel-To", &to);
	(void)field(conn, req, "id", NULL, &id);
	(void)field(conn, req, "ts", "X-Kannel-Time", &ts);
	if (field(conn, req, "from", "X-Kannel-From", &from) != 0) {
		log_warn("sms inbound refused: no sender path=/sms/inbound");
		ret = answer(conn, MHD_HTTP_BAD_REQUEST, "missing from\n");
		goto out;
	}
	if (field(conn, req, "text", NULL, &text) != 0) {
		if (is_form(conn) || req->body.data == NULL) {
			log_warn(
			    "sms inbound refused: no text path=/sms/inbound");
			ret = answer(
			    conn, MHD_HTTP_BAD_REQUEST, "missing text\n");
			goto out;
		}
		/* text/plain POST (Kannel post-url): the body is the text */
		char charset[64];

		body_charset(conn, charset, sizeof charset);
		if (body_to_utf8(
		        charset, req->body.data, req->body.len, &text) != 0) {
			log_warn("sms inbound refused: body not in its charset "
			         "path=/sms/inbound");
			ret =
			    answer(conn, MHD_HTTP_BAD_REQUEST, "bad charset\n");
			goto out;
		}
	}
	if (phone_normalize(buf_cstr(&from), e164, sizeof e164, &err) != 0) {
		log_warn("sms inbound refused: sender is not a phone number "
		         "provider_id=%s",
		    buf_cstr(&id));
		ret = answer(conn, MHD_HTTP_BAD_REQUEST, "bad from\n");
		goto out;
	}
	error_clear(&err);
	if (cb->sink.inbound(cb->sink.ctx, e164, buf_cstr(&to), buf_cstr(&text),
	        buf_cstr(&id), buf_cstr(&ts), &err) != 0) {
		log_error("sms inbound not stored provider_id=%s reason=\"%s\"",
		    buf_cstr(&id), err.msg);
		ret = answer(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "not stored, try again\n");
		goto out;
	}
	log_info("sms inbound stored provider_id=%s", buf_cstr(&id));
	ret = answer(conn, MHD_HTTP_OK, "OK\n");
out:
	buf_free(&from);
	buf_free(&to);
	buf_free(&text);
	buf_free(&id);
	buf_free(&ts);
	return ret;
}

static int
parse_int64(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (*s == '\0')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static enum MHD_Result
handle_dlr(struct sms_callbacks *cb, struct MHD_Connection *conn,
    struct callback_request *req)
{
	struct buf msg = BUF_INIT, status = BUF_INIT, reply = BUF_INIT;
	long long id, st;
	struct error err;
	enum MHD_Result ret;

	error_clear(&err);
	if (field(conn, req, "msg", NULL, &msg) != 0 ||
	    field(conn, req, "status", NULL, &status) != 0 ||
	    parse_int64(buf_cstr(&msg), 1, INT64_MAX, &id) != 0 ||
	    parse_int64(buf_cstr(&status), 0, 0xFFFF, &st) != 0) {
		log_warn("sms dlr refused: missing or bad msg/status "
		         "path=/sms/dlr");
		ret = answer(
		    conn, MHD_HTTP_BAD_REQUEST, "missing msg or status\n");
		goto out;
	}
	(void)field(conn, req, "reply", NULL, &reply);
	if (cb->sink.dlr(cb->sink.ctx, (int64_t)id, (int)st, buf_cstr(&reply),
	        &err) != 0) {
		log_error("sms dlr not stored outbox=%lld status=%lld "
		          "reason=\"%s\"",
		    id, st, err.msg);
		ret = answer(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "not stored, try again\n");
		goto out;
	}
	log_info("sms dlr stored outbox=%lld status=%lld", id, st);
	ret = answer(conn, MHD_HTTP_OK, "OK\n");
out:
	buf_free(&msg);
	buf_free(&status);
	buf_free(&reply);
	return ret;
}

static enum MHD_Result
callbacks_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct sms_callbacks *cb = cls;
	struct callback_request *req = *con_cls;
	struct buf secret = BUF_INIT;
	int inbound, ok;

	(void)version;
	if (req == NULL) {
		if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0)
			return answer(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
			    "method not allowed\n");
		if (strcmp(url, "/sms/inbound") != 0 &&
		    strcmp(url, "/sms/dlr") != 0)
			return answer(conn, MHD_HTTP_NOT_FOUND, "not found\n");
		if ((req = calloc(1, sizeof *req)) == NULL)
			abort();
		*con_cls = req;
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (req->body.len + *upload_data_size > SMS_CALLBACK_BODY_MAX)
			req->too_big = 1;
		else
			buf_append(&req->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (req->too_big) {
		log_warn("sms callback refused: body over %d bytes path=%s",
		    SMS_CALLBACK_BODY_MAX, url);
		return answer(
		    conn, MHD_HTTP_CONTENT_TOO_LARGE, "body too large\n");
	}
	ok = field(conn, req, "secret", NULL, &secret) == 0 &&
	     secret_equal(buf_cstr(&secret), cb->config->sms_callback_secret);
	buf_free(&secret);
	if (!ok) {
		log_warn(
		    "sms callback refused: wrong or missing secret path=%s",
		    url);
		return answer(conn, MHD_HTTP_FORBIDDEN, "forbidden\n");
	}
	inbound = strcmp(url, "/sms/inbound") == 0;
	return inbound ? handle_inbound(cb, conn, req)
	               : handle_dlr(cb, conn, req);
}

static void
callbacks_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct callback_request *req = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (req == NULL)
		return;
	buf_free(&req->body);
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
	struct sms_callbacks *cb;
	unsigned flags;
	int fd, ipv6 = 0;

	if (c->sms_callback_secret == NULL ||
	    c->sms_callback_secret[0] == '\0') {
		error_set(err, ERROR_INVALID,
		    "%s: [sms] callback_secret must be "
		    "set to receive SMS callbacks",
		    c->path);
		return NULL;
	}
	if ((cb = calloc(1, sizeof *cb)) == NULL)
		abort();
	cb->config = c;
	cb->sink = *sink;
	if ((fd = callbacks_listen(c, &cb->port, &ipv6, err)) < 0) {
		free(cb);
		return NULL;
	}
	flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	if (ipv6)
		flags |= MHD_USE_IPv6;
	cb->daemon = MHD_start_daemon(flags, 0, NULL, NULL, callbacks_access,
	    cb, MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)SMS_CALLBACK_THREADS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)256,
	    MHD_OPTION_UNESCAPE_CALLBACK, callbacks_unescape, (void *)NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, callbacks_completed, (void *)NULL,
	    MHD_OPTION_END);
	if (cb->daemon == NULL) {
		close(fd);
		free(cb);
		error_set(err, ERROR_IO, "cannot start the HTTP listener");
		return NULL;
	}
	log_info("sms callbacks listening address=%s port=%u",
	    c->gateway_listen, cb->port);
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
	free(cb);
}
