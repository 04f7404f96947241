/*
 * conn_guard.c: per-address connection limits and request deadlines (see
 * conn_guard.h for the why).
 *
 * The tracked connections are a doubly linked list under one mutex: the
 * listeners hold at most a few thousand, and an accept counts its
 * address's entries by walking it, which costs less than the accept.
 * Shutting a socket down happens under the same mutex, and the listener
 * forgets a connection (conn_guard_closed) before it closes the fd, so the
 * sweeper can never touch a descriptor that was closed and reused.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn_guard.h"
#include "log.h"

#define ADDRESS_MAX 64
#define QUIET_SLOTS 32

struct conn_guard_entry {
	struct conn_guard_entry *prev, *next;
	char key[ADDRESS_MAX]; /* the address, or an IPv6 /64 */
	int fd;
	time_t deadline; /* 0 = none (a request is being handled) */
	bool shut;
};

struct conn_guard {
	char name[32];
	unsigned per_address;
	unsigned request_seconds;
	char *exempt;
	pthread_mutex_t lock;
	struct conn_guard_entry *head;
	unsigned count;
	/* one log line per address per CONN_GUARD_QUIET seconds */
	struct {
		char address[ADDRESS_MAX];
		time_t at;
	} quiet[QUIET_SLOTS];
	time_t deadline_logged;
	unsigned deadline_shut; /* since the last line */
	/* the sweeper */
	pthread_t thread;
	bool running;
	pthread_cond_t wake;
};

static time_t
monotonic_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

void
conn_guard_address(const struct sockaddr *sa, char *out, size_t size)
{
	out[0] = '\0';
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		inet_ntop(AF_INET, &in->sin_addr, out, (socklen_t)size);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr))
			inet_ntop(AF_INET, &in6->sin6_addr.s6_addr[12], out,
			    (socklen_t)size);
		else
			inet_ntop(
			    AF_INET6, &in6->sin6_addr, out, (socklen_t)size);
	}
}

/* limit_key: what the per-address limit counts: the address, and for IPv6
 * its /64 (one subscriber gets a whole /64: counting single addresses
 * would give one client 2^64 allowances) */
static void
limit_key(const struct sockaddr *sa, char *out, size_t size)
{
	const struct sockaddr_in6 *in6 = (const void *)sa;
	struct in6_addr prefix;
	char text[INET6_ADDRSTRLEN];

	if (sa == NULL || sa->sa_family != AF_INET6 ||
	    IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr) ||
	    IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr)) {
		conn_guard_address(sa, out, size);
		return;
	}
	memset(&prefix, 0, sizeof prefix);
	memcpy(&prefix, &in6->sin6_addr, 8);
	inet_ntop(AF_INET6, &prefix, text, sizeof text);
	snprintf(out, size, "%s/64", text);
}

bool
address_listed(const char *address, const char *list)
{
	size_t n = strlen(address);
	const char *p = list;

	if (n == 0 || list == NULL)
		return false;
	while (*p != '\0') {
		size_t len;

		while (*p == ' ' || *p == ',')
			p++;
		len = strcspn(p, " ,");
		if (len == n && memcmp(p, address, n) == 0)
			return true;
		p += len;
	}
	return false;
}

static void *
sweeper(void *arg)
{
	struct conn_guard *g = arg;

	pthread_mutex_lock(&g->lock);
	while (g->running) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&g->wake, &g->lock, &until);
		if (!g->running)
			break;
		pthread_mutex_unlock(&g->lock);
		conn_guard_sweep(g, monotonic_now());
		pthread_mutex_lock(&g->lock);
	}
	pthread_mutex_unlock(&g->lock);
	return NULL;
}

struct conn_guard *
conn_guard_new(const char *name, unsigned per_address, unsigned request_seconds,
    const char *exempt_list)
{
	struct conn_guard *g = calloc(1, sizeof *g);

	if (g == NULL || (g->exempt = strdup(
	                      exempt_list != NULL ? exempt_list : "")) == NULL)
		abort();
	snprintf(g->name, sizeof g->name, "%s", name);
	g->per_address = per_address;
	g->request_seconds = request_seconds;
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->wake, NULL);
	if (request_seconds > 0) {
		g->running = true;
		if (pthread_create(&g->thread, NULL, sweeper, g) != 0)
			abort();
	}
	return g;
}

void
conn_guard_free(struct conn_guard *g)
{
	struct conn_guard_entry *e, *next;

	if (g == NULL)
		return;
	if (g->running) {
		pthread_mutex_lock(&g->lock);
		g->running = false;
		pthread_cond_signal(&g->wake);
		pthread_mutex_unlock(&g->lock);
		pthread_join(g->thread, NULL);
	}
	for (e = g->head; e != NULL; e = next) {
		next = e->next;
		free(e);
	}
	pthread_cond_destroy(&g->wake);
	pthread_mutex_destroy(&g->lock);
	free(g->exempt);
	free(g);
}

/* log_bite: the one line for an address that reached its limit (under
 * the lock). */
static void
log_bite(struct conn_guard *g, const char *address, time_t now)
{
	size_t i, oldest = 0;

	for (i = 0; i < QUIET_SLOTS; i++) {
		if (strcmp(g->quiet[i].address, address) == 0) {
			if (now - g->quiet[i].at < CONN_GUARD_QUIET)
				return;
			oldest = i;
			break;
		}
		if (g->quiet[i].at < g->quiet[oldest].at)
			oldest = i;
	}
	snprintf(g->quiet[oldest].address, ADDRESS_MAX, "%s", address);
	g->quiet[oldest].at = now;
	log_warn("%s: connection limit reached address=%s "
	         "max_connections_per_address=%u: more connections from it are "
	         "refused (not logged again for %d s)",
	    g->name, address, g->per_address, CONN_GUARD_QUIET);
}

bool
conn_guard_admit(struct conn_guard *g, const struct sockaddr *sa)
{
	char address[ADDRESS_MAX];
	struct conn_guard_entry *e;
	unsigned n = 0;
	bool ok;

	if (g->per_address == 0)
		return true;
	conn_guard_address(sa, address, sizeof address);
	if (address_listed(address, g->exempt))
		return true;
	limit_key(sa, address, sizeof address);
	pthread_mutex_lock(&g->lock);
	for (e = g->head; e != NULL && n < g->per_address; e = e->next)
		if (!e->shut && strcmp(e->key, address) == 0)
			n++;
	ok = n < g->per_address;
	if (!ok)
		log_bite(g, address, monotonic_now());
	pthread_mutex_unlock(&g->lock);
	return ok;
}

static void
arm(struct conn_guard *g, struct conn_guard_entry *e)
{
	e->deadline =
	    g->request_seconds > 0 ? monotonic_now() + g->request_seconds : 0;
}

struct conn_guard_entry *
conn_guard_opened(struct conn_guard *g, const struct sockaddr *sa, int fd)
{
	struct conn_guard_entry *e = calloc(1, sizeof *e), *other;
	char address[ADDRESS_MAX];
	unsigned n = 0;
	bool counted;

	if (e == NULL)
		abort();
	limit_key(sa, e->key, sizeof e->key);
	e->fd = fd;
	arm(g, e);
	conn_guard_address(sa, address, sizeof address);
	counted = g->per_address > 0 && !address_listed(address, g->exempt);
	pthread_mutex_lock(&g->lock);
	/* admit() and this are two steps, and the server's threads accept at
	 * once: one more than the limit may pass admit(); it stops here */
	for (other = g->head; counted && other != NULL; other = other->next)
		if (!other->shut && strcmp(other->key, e->key) == 0)
			n++;
	if (counted && n >= g->per_address) {
		if (fd >= 0)
			(void)shutdown(fd, SHUT_RDWR);
		e->shut = true;
		log_bite(g, e->key, monotonic_now());
	}
	e->next = g->head;
	if (g->head != NULL)
		g->head->prev = e;
	g->head = e;
	g->count++;
	pthread_mutex_unlock(&g->lock);
	return e;
}

void
conn_guard_request_read(struct conn_guard *g, struct conn_guard_entry *e)
{
	if (e == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	e->deadline = 0;
	pthread_mutex_unlock(&g->lock);
}

void
conn_guard_request_done(struct conn_guard *g, struct conn_guard_entry *e)
{
	if (e == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	arm(g, e);
	pthread_mutex_unlock(&g->lock);
}

void
conn_guard_closed(struct conn_guard *g, struct conn_guard_entry *e)
{
	if (e == NULL)
		return;
	pthread_mutex_lock(&g->lock);
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		g->head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	g->count--;
	pthread_mutex_unlock(&g->lock);
	free(e);
}

unsigned
conn_guard_sweep(struct conn_guard *g, time_t now)
{
	struct conn_guard_entry *e;
	unsigned shut = 0;

	pthread_mutex_lock(&g->lock);
	for (e = g->head; e != NULL; e = e->next) {
		if (e->shut || e->deadline == 0 || e->deadline > now)
			continue;
		/* the server sees end-of-file and closes it as a client abort
		 */
		(void)shutdown(e->fd, SHUT_RDWR);
		e->shut = true;
		shut++;
	}
	g->deadline_shut += shut;
	if (shut > 0 && (g->deadline_logged == 0 ||
	                    now - g->deadline_logged >= CONN_GUARD_QUIET)) {
		log_warn("%s: closed %u connection%s that sent no complete "
		         "request within request_timeout=%us (not logged again "
		         "for %d s)",
		    g->name, g->deadline_shut, g->deadline_shut == 1 ? "" : "s",
		    g->request_seconds, CONN_GUARD_QUIET);
		g->deadline_logged = now;
		g->deadline_shut = 0;
	}
	pthread_mutex_unlock(&g->lock);
	return shut;
}

unsigned
conn_guard_count(struct conn_guard *g)
{
	unsigned n;

	pthread_mutex_lock(&g->lock);
	n = g->count;
	pthread_mutex_unlock(&g->lock);
	return n;
}
