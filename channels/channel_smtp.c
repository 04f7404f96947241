/*
 * channel_smtp.c: the e-mail channel over SMTP (RFC 5321) with libesmtp.
 *
 * One batch is one SMTP session: every message of the batch is added to a
 * single smtp_session_t and sent by a single smtp_start_session(), so the
 * connection, STARTTLS (RFC 3207) and AUTH (RFC 4954) are paid once.
 *
 * libesmtp reports success from smtp_start_session() even when nothing was
 * sent, so the result of every message is read from its own transfer
 * status and its recipient's status, never from the session's return:
 *   2xx everywhere                          SEND_OK
 *   5xx for the recipient or the message    SEND_PERMANENT
 *   4xx, not sent at all (refused, timeout,
 *   TLS missing or certificate refused)     SEND_TEMPORARY
 * The server's reply text goes into detail; the body never does.
 *
 * TLS: the certificate must chain to the system store or tls_ca_file, and
 * OpenSSL checks it names smtp_host (X509_VERIFY_PARAM host / IP). A failed
 * check refuses the session in libesmtp's certificate event, before AUTH,
 * so the password is never sent over an unverified channel.
 *
 * smtp_tls=tls (implicit TLS, RFC 8314 3.3) is not in libesmtp 1.1, so we
 * open and verify the TLS connection ourselves (SSL_VERIFY_PEER + host
 * check, before libesmtp exists) and let libesmtp talk plain SMTP to a
 * one-shot loopback relay (tls_tunnel_*) that a thread pumps into it.
 */
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <auth-client.h>
#include <libesmtp.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channel.h"
#include "log.h"

struct smtp_state {
	char server[320]; /* "host:port" for smtp_set_server */
	SSL_CTX *ssl_ctx; /* NULL when smtp_tls = none */
};

/* What one session learnt from libesmtp's callbacks. */
struct smtp_session_info {
	const struct config *config;
	struct channel *channel; /* to report each message as it is sent */
	smtp_message_t *handles; /* the batch, in the caller's order */
	size_t n;
	char tls_problem[160]; /* why the certificate was refused, or "" */
	char last_reply[200];  /* the last reply line the server sent */
	char auth_reply[200];  /* the server's refusal of AUTH, or "" */
	int auth_failed;       /* a 535 / 534 / 538 answer to AUTH */
	unsigned port;         /* the port libesmtp connects to */
	int nodelay;           /* session_nodelay done */
};

/* One message's payload, read by libesmtp in one chunk. */
struct smtp_payload {
	const char *data;
	size_t len;
	int done;
};

static pthread_once_t auth_once = PTHREAD_ONCE_INIT;

static void
auth_init_once(void)
{
	auth_client_init();
}

static void
smtp_close(struct channel *ch)
{
	struct smtp_state *st = ch->state;

	if (st == NULL)
		return;
	if (st->ssl_ctx != NULL)
		SSL_CTX_free(st->ssl_ctx);
	free(st);
	ch->state = NULL;
}

/* The TLS context: peer verification against the system store or the
 * configured CA, and the host name (or IP) checked by OpenSSL itself. */
static SSL_CTX *
smtp_ssl_ctx(const struct config *c, struct error *err)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	X509_VERIFY_PARAM *param;
	unsigned char ip[16];

	if (ctx == NULL) {
		error_set(err, ERROR_INTERNAL, "smtp: SSL_CTX_new failed");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/* libesmtp 1.1.0 reads a TLS 1.3 NewSessionTicket that arrives
	 * after the handshake as "SMTP server dropped connection" now and
	 * then (about 1 session in 20 here, against Python's ssl server);
	 * TLS 1.2 has no post-handshake messages. */
	SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
	if (c->tls_ca_file != NULL && c->tls_ca_file[0] != '\0') {
		if (SSL_CTX_load_verify_locations(ctx, c->tls_ca_file, NULL) !=
		    1) {
			SSL_CTX_free(ctx);
			error_set(err, ERROR_INVALID,
			    "smtp: cannot load tls_ca_file %s", c->tls_ca_file);
			return NULL;
		}
	} else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
		SSL_CTX_free(ctx);
		error_set(err, ERROR_INTERNAL, "smtp: no system CA store");
		return NULL;
	}
	/* libesmtp reads the verify result after the handshake and raises
	 * SMTP_EV_INVALID_PEER_CERTIFICATE, where we refuse with a reason. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	param = SSL_CTX_get0_param(ctx);
	if (inet_pton(AF_INET, c->smtp_host, ip) == 1 ||
	    inet_pton(AF_INET6, c->smtp_host, ip) == 1)
		X509_VERIFY_PARAM_set1_ip_asc(param, c->smtp_host);
	else
		X509_VERIFY_PARAM_set1_host(param, c->smtp_host, 0);
	return ctx;
}

static int
smtp_open(struct channel *ch, const struct config *c, struct error *err)
{
	struct smtp_state *st;

	pthread_once(&auth_once, auth_init_once);
	st = calloc(1, sizeof *st);
	if (st == NULL)
		return error_set(err, ERROR_INTERNAL, "smtp: out of memory");
	if (strchr(c->smtp_host, ':') != NULL) /* an IPv6 literal */
		snprintf(st->server, sizeof st->server, "[%s]:%u", c->smtp_host,
		    c->smtp_port);
	else
		snprintf(st->server, sizeof st->server, "%s:%u", c->smtp_host,
		    c->smtp_port);
	if (c->smtp_tls != TLS_NONE) {
		st->ssl_ctx = smtp_ssl_ctx(c, err);
		if (st->ssl_ctx == NULL) {
			free(st);
			return -1;
		}
	}
	ch->state = st;
	return 0;
}

/* smtp_message_cb: libesmtp's reader; len == NULL means rewind. The
 * payload already has CRLF line ends, as libesmtp requires. */
static const char *
smtp_message_cb(void **ctx, int *len, void *arg)
{
	struct smtp_payload *p = arg;

	(void)ctx;
	if (len == NULL) {
		p->done = 0;
		return NULL;
	}
	if (p->done) {
		*len = 0;
		return NULL;
	}
	p->done = 1;
	*len = (int)p->len;
	return p->data;
}

static void result_of(smtp_message_t, const struct smtp_session_info *,
    const char *, struct send_status *);

/*
 * session_nodelay: TCP_NODELAY on libesmtp's socket to the server (port).
 *
 * libesmtp writes the end of a message (the last body bytes, then ".\r\n")
 * and the next pipelined commands as several small writes and then waits
 * for the reply. With Nagle's algorithm on, every small write waits for
 * the server's ACK of the previous one, and the server delays that ACK
 * (up to 40 ms on Linux) because it has nothing to answer yet: one such
 * stall per message caps a plain-TCP session at ~20-25 messages/s against
 * any server (measured: 21 msg/s where the same server takes 383 msg/s).
 * libesmtp does not hand out its socket, so at the greeting we look for it: a
 * TCP socket of this process connected to the server's port without
 * TCP_NODELAY. Only this worker thread talks to that port; setting the
 * option on another socket to it would be harmless anyway.
 */
static void
session_nodelay(unsigned port)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int one = 1;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		struct sockaddr_storage peer;
		socklen_t len = sizeof peer;
		int fd, type = 0, nodelay = 0;
		socklen_t tlen = sizeof type, nlen = sizeof nodelay;
		unsigned peer_port;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		fd = atoi(e->d_name);
		if (fd == dirfd(d) ||
		    getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) != 0 ||
		    type != SOCK_STREAM ||
		    getpeername(fd, (struct sockaddr *)&peer, &len) != 0)
			continue;
		if (peer.ss_family == AF_INET)
			peer_port =
			    ntohs(((struct sockaddr_in *)&peer)->sin_port);
		else if (peer.ss_family == AF_INET6)
			peer_port =
			    ntohs(((struct sockaddr_in6 *)&peer)->sin6_port);
		else
			continue;
		if (peer_port == port &&
		    getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, &nlen) ==
		        0 &&
		    !nodelay)
			setsockopt(
			    fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	}
	closedir(d);
}

static void
smtp_event_cb(smtp_session_t session, int event, void *arg, ...)
{
	struct smtp_session_info *info = arg;
	va_list ap;
	int *ok;

	(void)session;
	va_start(ap, arg);
	switch (event) {
	case SMTP_EV_INVALID_PEER_CERTIFICATE: {
		long result = va_arg(ap, long);

		ok = va_arg(ap, int *);
		*ok = 0;
		snprintf(info->tls_problem, sizeof info->tls_problem,
		    "TLS certificate refused: %s",
		    X509_verify_cert_error_string(result));
		break;
	}
	case SMTP_EV_NO_PEER_CERTIFICATE:
		ok = va_arg(ap, int *);
		*ok = 0;
		snprintf(info->tls_problem, sizeof info->tls_problem,
		    "TLS: the server sent no certificate");
		break;
	case SMTP_EV_WRONG_PEER_CERTIFICATE:
		/* libesmtp's own name check knows no IP addresses; OpenSSL
		 * has already checked the name or IP (smtp_ssl_ctx), and a
		 * mismatch arrived as an invalid certificate above. */
		ok = va_arg(ap, int *);
		*ok = info->tls_problem[0] == '\0';
		break;
	case SMTP_EV_NO_CLIENT_CERTIFICATE:
		ok = va_arg(ap, int *);
		*ok = 1; /* we present none; the server may not ask */
		break;
	case SMTP_EV_UNUSABLE_CA_LIST:
		snprintf(info->tls_problem, sizeof info->tls_problem,
		    "TLS: unusable CA list");
		break;
	case SMTP_EV_MESSAGESENT: {
		/* the server has answered this message's DATA: an accepted one
		 * is recorded now, so a crash later in the batch cannot send
		 * it again */
		smtp_message_t m = va_arg(ap, smtp_message_t);
		struct send_status st;
		size_t i;

		for (i = 0; i < info->n; i++)
			if (info->handles[i] == m) {
				memset(&st, 0, sizeof st);
				result_of(m, info, "", &st);
				if (st.result == SEND_OK)
					channel_report(info->channel, i, &st);
				break;
			}
		break;
	}
	case SMTP_EV_EXTNA_STARTTLS:
		snprintf(info->tls_problem, sizeof info->tls_problem,
		    "TLS required (smtp_tls=starttls) but the server does not "
		    "offer STARTTLS");
		break;
	default: break;
	}
	va_end(ap);
}

/* smtp_monitor_cb: remember the server's last reply line (for detail when
 * nothing was sent) and whether AUTH was refused. Never logs: the client's
 * side carries the AUTH exchange. */
static void
smtp_monitor_cb(const char *buf, int len, int writing, void *arg)
{
	struct smtp_session_info *info = arg;
	size_t n;

	/* the greeting: the socket is connected now (libesmtp's own
	 * SMTP_EV_CONNECT comes before connect(2)) */
	if (!info->nodelay) {
		session_nodelay(info->port);
		info->nodelay = 1;
	}
	if (writing != SMTP_CB_READING || len <= 0)
		return;
	n = (size_t)len;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	if (n >= sizeof info->last_reply)
		n = sizeof info->last_reply - 1;
	memcpy(info->last_reply, buf, n);
	info->last_reply[n] = '\0';
	if (strncmp(buf, "535", 3) == 0 || strncmp(buf, "534", 3) == 0 ||
	    strncmp(buf, "538", 3) == 0) {
		info->auth_failed = 1;
		memcpy(info->auth_reply, info->last_reply,
		    sizeof info->auth_reply);
	}
}

static int
smtp_auth_interact(
    auth_client_request_t request, char **result, int fields, void *arg)
{
	const struct config *c = arg;
	int i;

	for (i = 0; i < fields; i++) {
		if (request[i].flags & AUTH_USER)
			result[i] = c->smtp_user;
		else if (request[i].flags & AUTH_PASS)
			result[i] = c->smtp_password;
		else if (request[i].flags & AUTH_REALM)
			result[i] = (char *)"";
		else
			return 0;
	}
	return 1;
}

/* status_detail: "550 5.1.1 <x>: user unknown", trimmed to one line. */
static void
status_detail(struct send_status *st, const char *what, const smtp_status_t *s)
{
	char text[200];
	size_t n;

	snprintf(text, sizeof text, "%s", s->text != NULL ? s->text : "");
	n = strcspn(text, "\r\n");
	text[n] = '\0';
	snprintf(
	    st->detail, sizeof st->detail, "%s: %d %s", what, s->code, text);
}

struct rcpt_result {
	const smtp_status_t *status;
};

static void
rcpt_cb(smtp_recipient_t r, const char *mailbox, void *arg)
{
	struct rcpt_result *rr = arg;

	(void)mailbox;
	rr->status = smtp_recipient_status(r);
}

static void
result_of(smtp_message_t msg, const struct smtp_session_info *info,
    const char *session_error, struct send_status *st)
{
	const smtp_status_t *ms = smtp_message_transfer_status(msg);
	const smtp_status_t *rp = smtp_reverse_path_status(msg);
	struct rcpt_result rr = {NULL};

	smtp_enumerate_recipients(msg, rcpt_cb, &rr);
	if (info->auth_failed &&
	    (ms == NULL || ms->code < 200 || ms->code >= 300)) {
		/* RFC 4954 6: libesmtp goes on without AUTH after a 535; the
		 * server then refuses the mail (530) or closes. Either way it
		 * is the office's password, not the citizen's address. */
		st->result = SEND_TEMPORARY;
		snprintf(st->detail, sizeof st->detail,
		    "not sent: authentication refused: %s", info->auth_reply);
	} else if (rr.status != NULL && rr.status->code >= 500) {
		st->result = SEND_PERMANENT;
		status_detail(st, "RCPT TO", rr.status);
	} else if (rr.status != NULL && rr.status->code >= 400) {
		st->result = SEND_TEMPORARY;
		status_detail(st, "RCPT TO", rr.status);
	} else if (rp != NULL && rp->code >= 400) {
		/* a refused sender or "530 authentication required" is the
		 * office's configuration, not this citizen's address */
		st->result =
		    rp->code >= 500 && rp->code != 530 && !info->auth_failed
		        ? SEND_PERMANENT
		        : SEND_TEMPORARY;
		status_detail(st, "MAIL FROM", rp);
	} else if (ms != NULL && ms->code >= 200 && ms->code < 300 &&
	           rr.status != NULL && rr.status->code >= 200 &&
	           rr.status->code < 300) {
		st->result = SEND_OK;
		status_detail(st, "DATA", ms);
	} else if (ms != NULL && ms->code >= 500) {
		st->result = SEND_PERMANENT;
		status_detail(st, "DATA", ms);
	} else if (ms != NULL && ms->code >= 400) {
		st->result = SEND_TEMPORARY;
		status_detail(st, "DATA", ms);
	} else {
		/* not sent at all: refused, timeout, TLS, AUTH */
		st->result = SEND_TEMPORARY;
		if (info->tls_problem[0] != '\0')
			snprintf(st->detail, sizeof st->detail, "not sent: %s",
			    info->tls_problem);
		else if (info->auth_failed)
			snprintf(st->detail, sizeof st->detail,
			    "not sent: authentication refused: %s",
			    info->last_reply);
		else if (info->last_reply[0] != '\0')
			snprintf(st->detail, sizeof st->detail,
			    "not sent: %s (last reply: %s)", session_error,
			    info->last_reply);
		else
			snprintf(st->detail, sizeof st->detail, "not sent: %s",
			    session_error);
	}
}

/*
 * The implicit-TLS tunnel: libesmtp connects to 127.0.0.1:port (a socket
 * only this process knows, accepting one connection), the thread relays
 * bytes between it and an already verified TLS connection to the server.
 */
struct tls_tunnel {
	int listen_fd;
	int server_fd;
	SSL *ssl;
	int timeout_ms;
	pthread_t thread;
	char addr[64]; /* "127.0.0.1:port" for smtp_set_server */
};

/* connect_timeout: TCP to host:port within timeout_ms; -1 with err. */
static int
connect_timeout(
    const char *host, unsigned port, int timeout_ms, char *why, size_t why_size)
{
	struct addrinfo hints, *res = NULL, *ai;
	char service[16];
	int fd = -1, r;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	snprintf(service, sizeof service, "%u", port);
	if ((r = getaddrinfo(host, service, &hints, &res)) != 0) {
		snprintf(why, why_size, "cannot resolve %s: %s", host,
		    gai_strerror(r));
		return -1;
	}
	snprintf(why, why_size, "cannot connect to %s:%u", host, port);
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		struct pollfd pfd;
		int soerr = 0;
		socklen_t len = sizeof soerr;

		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd < 0)
			continue;
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		r = connect(fd, ai->ai_addr, ai->ai_addrlen);
		if (r != 0 && errno == EINPROGRESS) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			r = poll(&pfd, 1, timeout_ms) == 1 &&
			            getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr,
			                &len) == 0 &&
			            soerr == 0
			        ? 0
			        : -1;
			if (soerr != 0)
				errno = soerr;
		}
		if (r == 0) {
			int one = 1;

			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
			/* small writes relayed at once (see session_nodelay) */
			setsockopt(
			    fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
			break;
		}
		snprintf(why, why_size, "cannot connect to %s:%u: %s", host,
		    port, errno == EINPROGRESS ? "timeout" : strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

static void *
tls_tunnel_run(void *arg)
{
	struct tls_tunnel *t = arg;
	struct pollfd pfd[2];
	char buf[16384];
	int client;

	pfd[0].fd = t->listen_fd;
	pfd[0].events = POLLIN;
	if (poll(pfd, 1, t->timeout_ms) != 1)
		return NULL;
	client = accept4(t->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (client < 0)
		return NULL;
	for (;;) {
		int n;

		pfd[0].fd = client;
		pfd[0].events = POLLIN;
		pfd[1].fd = t->server_fd;
		pfd[1].events = POLLIN;
		pfd[0].revents = pfd[1].revents = 0;
		if (SSL_pending(t->ssl) == 0 &&
		    poll(pfd, 2, t->timeout_ms) <= 0)
			break; /* idle past the timeout, or an error */
		if (SSL_pending(t->ssl) > 0 ||
		    (pfd[1].revents & (POLLIN | POLLHUP))) {
			n = SSL_read(t->ssl, buf, sizeof buf);
			if (n <= 0) {
				int e = SSL_get_error(t->ssl, n);

				if (e == SSL_ERROR_WANT_READ ||
				    e == SSL_ERROR_WANT_WRITE)
					continue; /* a TLS 1.3 ticket, no data
					           */
				break;
			}
			if (write(client, buf, (size_t)n) != n)
				break;
		}
		if (pfd[0].revents & (POLLIN | POLLHUP)) {
			n = (int)read(client, buf, sizeof buf);
			if (n <= 0 || SSL_write(t->ssl, buf, n) != n)
				break;
		}
	}
	close(client);
	return NULL;
}

/* tls_tunnel_open: TLS to the server, verified, and the loopback relay.
 * On failure why says so and nothing was sent to the server. */
static int
tls_tunnel_open(struct tls_tunnel *t, SSL_CTX *ctx, const struct config *c,
    int timeout_ms, char *why, size_t why_size)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	struct timeval tv;
	unsigned char ip[16];
	long vr;

	memset(t, 0, sizeof *t);
	t->listen_fd = t->server_fd = -1;
	t->timeout_ms = timeout_ms;
	t->server_fd = connect_timeout(
	    c->smtp_host, c->smtp_port, timeout_ms, why, why_size);
	if (t->server_fd < 0)
		return -1;
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	setsockopt(t->server_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(t->server_fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	t->ssl = SSL_new(ctx);
	if (t->ssl == NULL)
		goto fail_msg;
	/* here OpenSSL itself refuses a bad chain or name (RFC 6125) */
	SSL_set_verify(t->ssl, SSL_VERIFY_PEER, NULL);
	if (inet_pton(AF_INET, c->smtp_host, ip) != 1 &&
	    inet_pton(AF_INET6, c->smtp_host, ip) != 1)
		SSL_set_tlsext_host_name(t->ssl, c->smtp_host);
	SSL_set_fd(t->ssl, t->server_fd);
	if (SSL_connect(t->ssl) != 1) {
		vr = SSL_get_verify_result(t->ssl);
		if (vr != X509_V_OK)
			snprintf(why, why_size, "TLS certificate refused: %s",
			    X509_verify_cert_error_string(vr));
		else
			snprintf(why, why_size,
			    "TLS handshake with %s:%u failed", c->smtp_host,
			    c->smtp_port);
		goto fail;
	}
	t->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (t->listen_fd < 0 ||
	    bind(t->listen_fd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    listen(t->listen_fd, 1) != 0 ||
	    getsockname(t->listen_fd, (struct sockaddr *)&sin, &len) != 0)
		goto fail_msg;
	snprintf(t->addr, sizeof t->addr, "127.0.0.1:%u", ntohs(sin.sin_port));
	if (pthread_create(&t->thread, NULL, tls_tunnel_run, t) != 0)
		goto fail_msg;
	return 0;
fail_msg:
	snprintf(why, why_size, "TLS tunnel setup failed: %s", strerror(errno));
fail:
	if (t->ssl != NULL)
		SSL_free(t->ssl);
	if (t->listen_fd >= 0)
		close(t->listen_fd);
	close(t->server_fd);
	t->ssl = NULL;
	t->listen_fd = t->server_fd = -1;
	return -1;
}

static void
tls_tunnel_close(struct tls_tunnel *t)
{
	if (t->ssl == NULL)
		return;
	shutdown(t->listen_fd, SHUT_RDWR);
	shutdown(t->server_fd, SHUT_RDWR); /* wakes the thread's poll */
	pthread_join(t->thread, NULL);
	SSL_free(t->ssl);
	close(t->listen_fd);
	close(t->server_fd);
	t->ssl = NULL;
}

static void
fail_all(size_t n, struct send_status *status, const char *detail)
{
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&status[i], 0, sizeof status[i]);
		status[i].result = SEND_TEMPORARY;
		snprintf(
		    status[i].detail, sizeof status[i].detail, "%s", detail);
	}
}

static int
smtp_send_batch(struct channel *ch, const struct outgoing *msgs, size_t n,
    struct send_status *status)
{
	struct smtp_state *st = ch->state;
	const struct config *c = ch->config;
	struct smtp_session_info info;
	struct smtp_payload *payloads = NULL;
	smtp_message_t *handles = NULL;
	smtp_session_t session = NULL;
	auth_context_t auth = NULL;
	char session_error[128] = "connection failed";
	struct tls_tunnel tunnel;
	long timeout_ms = (long)c->smtp_timeout * 1000;
	size_t i;

	if (n == 0)
		return 0;
	memset(&info, 0, sizeof info);
	info.config = c;
	info.channel = ch;
	info.n = n;
	if (timeout_ms <= 0)
		timeout_ms = 30000;
	tunnel.ssl = NULL;
	if (c->smtp_tls == TLS_TLS) {
		char why[200];

		if (tls_tunnel_open(&tunnel, st->ssl_ctx, c, (int)timeout_ms,
		        why, sizeof why) != 0) {
			char detail[256];

			snprintf(detail, sizeof detail, "not sent: %s", why);
			fail_all(n, status, detail);
			log_warn("smtp: batch=%zu %s", n, detail);
			return 0;
		}
	}
	payloads = calloc(n, sizeof *payloads);
	handles = calloc(n, sizeof *handles);
	info.handles = handles;
	session = smtp_create_session();
	if (payloads == NULL || handles == NULL || session == NULL) {
		fail_all(n, status, "out of memory");
		goto out;
	}
	smtp_set_server(session, tunnel.ssl != NULL ? tunnel.addr : st->server);
	info.port =
	    tunnel.ssl != NULL
	        ? (unsigned)strtoul(strchr(tunnel.addr, ':') + 1, NULL, 10)
	        : c->smtp_port;
	smtp_set_eventcb(session, smtp_event_cb, &info);
	smtp_set_monitorcb(session, smtp_monitor_cb, &info, 0);
	smtp_set_timeout(session,
	    Timeout_GREETING | Timeout_OVERRIDE_RFC2822_MINIMUM, timeout_ms);
	smtp_set_timeout(session,
	    Timeout_ENVELOPE | Timeout_OVERRIDE_RFC2822_MINIMUM, timeout_ms);
	smtp_set_timeout(session,
	    Timeout_DATA | Timeout_OVERRIDE_RFC2822_MINIMUM, timeout_ms);
	smtp_set_timeout(session,
	    Timeout_TRANSFER | Timeout_OVERRIDE_RFC2822_MINIMUM, timeout_ms);
	smtp_set_timeout(session,
	    Timeout_DATA2 | Timeout_OVERRIDE_RFC2822_MINIMUM, timeout_ms);
	if (c->smtp_tls == TLS_STARTTLS) {
		/* RFC 3207: required, never "if available" */
		smtp_starttls_enable(session, Starttls_REQUIRED);
		smtp_starttls_set_ctx(session, st->ssl_ctx);
	} else
		smtp_starttls_enable(session, Starttls_DISABLED);
	if (c->smtp_user != NULL && c->smtp_user[0] != '\0') {
		auth = auth_create_context();
		if (auth == NULL) {
			fail_all(n, status, "out of memory");
			goto out;
		}
		/* PLAIN / LOGIN send the password as is: only after STARTTLS
		 * succeeded (libesmtp authenticates after TLS), or when the
		 * operator chose smtp_tls=none. */
		auth_set_mechanism_flags(auth, AUTH_PLUGIN_PLAIN, 0);
		auth_set_interact_cb(auth, smtp_auth_interact, (void *)c);
		smtp_auth_set_context(session, auth);
	}
	for (i = 0; i < n; i++) {
		smtp_message_t m = smtp_add_message(session);

		memset(&status[i], 0, sizeof status[i]);
		if (m == NULL) {
			fail_all(n, status, "out of memory");
			goto out;
		}
		handles[i] = m;
		payloads[i].data = msgs[i].payload;
		payloads[i].len = msgs[i].payload_len;
		smtp_set_reverse_path(m, msgs[i].envelope_from);
		smtp_add_recipient(m, msgs[i].recipient);
		/* the payload carries Date and Message-ID (RFC 5322 3.6);
		 * libesmtp only adds them when they are missing */
		smtp_set_messagecb(m, smtp_message_cb, &payloads[i]);
	}
	if (!smtp_start_session(session)) {
		char ebuf[128];

		snprintf(session_error, sizeof session_error, "%s",
		    smtp_strerror(smtp_errno(), ebuf, sizeof ebuf));
	} else if (smtp_errno() != 0) {
		char ebuf[128];

		snprintf(session_error, sizeof session_error, "%s",
		    smtp_strerror(smtp_errno(), ebuf, sizeof ebuf));
	}
	for (i = 0; i < n; i++) {
		result_of(handles[i], &info, session_error, &status[i]);
		/* detail may quote the address: only its first word (the
		 * command or "not") goes to the log */
		log_info("smtp: outbox=%lld result=%s reply=%.*s",
		    (long long)msgs[i].id,
		    status[i].result == SEND_OK          ? "ok"
		    : status[i].result == SEND_TEMPORARY ? "temporary"
		                                         : "permanent",
		    (int)strcspn(status[i].detail, "<@"), status[i].detail);
	}
out:
	if (session != NULL)
		smtp_destroy_session(session);
	tls_tunnel_close(&tunnel);
	if (auth != NULL)
		auth_destroy_context(auth);
	free(payloads);
	free(handles);
	return 0;
}

const struct channel_ops channel_smtp_ops = {
    .name = "smtp",
    .kind = CHANNEL_EMAIL,
    .open = smtp_open,
    .send_batch = smtp_send_batch,
    .close = smtp_close,
};
