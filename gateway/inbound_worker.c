/*
 * inbound_worker.c: poll → store → mark, forever, with backoff on errors.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "inbound_worker.h"
#include "log.h"

#define POLL_MS 1000
#define BACKOFF_MAX_S 60

static void
report(struct intake *in, const char *state, char *last, size_t size)
{
	struct error err;

	if (strcmp(state, last) == 0)
		return;
	snprintf(last, size, "%s", state);
	error_clear(&err);
	pthread_mutex_lock(&in->lock);
	if (store_kv_set(in->store, "health.inbound", state, &err) != 0)
		log_warn("health not recorded: %s", err.msg);
	pthread_mutex_unlock(&in->lock);
}

/* seen: kv "health.inbound_at" = now after a good poll, at most once a
 * minute, for `wizyta status` ("last read") */
static void
seen(struct intake *in, time_t *last)
{
	time_t now = time(NULL);
	struct error err;
	char value[24];

	if (now - *last < 60)
		return;
	*last = now;
	snprintf(value, sizeof value, "%lld", (long long)now);
	error_clear(&err);
	pthread_mutex_lock(&in->lock);
	if (store_kv_set(in->store, "health.inbound_at", value, &err) != 0)
		log_warn("health not recorded: %s", err.msg);
	pthread_mutex_unlock(&in->lock);
}

static void *
inbound_worker_main(void *arg)
{
	struct inbound_worker *w = arg;
	struct inbound_sink sink;
	struct inbound in;
	struct error err;
	char last[320] = "", state[320];
	int backoff = 1;
	time_t last_seen = 0;

	intake_mail_sink(w->intake, &sink);
	memset(&in, 0, sizeof in);
	in.ops = w->ops;
	in.config = w->config;
	error_clear(&err);
	if (w->ops->open(&in, w->config, &err) != 0) {
		log_error("inbound %s cannot open: %s", w->ops->name, err.msg);
		snprintf(state, sizeof state, "error: %.300s", err.msg);
		report(w->intake, state, last, sizeof last);
		return NULL;
	}
	log_info("inbound started source=%s", w->ops->name);
	while (atomic_load(w->running)) {
		error_clear(&err);
		if (w->ops->poll(&in, &sink, POLL_MS, &err) == 0) {
			backoff = 1;
			report(w->intake, "ok", last, sizeof last);
			seen(w->intake, &last_seen);
			continue;
		}
		snprintf(state, sizeof state, "retrying: %.300s", err.msg);
		if (strcmp(state, last) != 0)
			log_warn("inbound %s: %s (retrying with backoff)",
			    w->ops->name, err.msg);
		report(w->intake, state, last, sizeof last);
		for (int i = 0; i < backoff * 10 && atomic_load(w->running);
		     i++) {
			struct timespec ts = {0, 100 * 1000 * 1000};

			nanosleep(&ts, NULL);
		}
		backoff =
		    backoff * 2 > BACKOFF_MAX_S ? BACKOFF_MAX_S : backoff * 2;
	}
	w->ops->close(&in);
	log_info("inbound stopped source=%s", w->ops->name);
	return NULL;
}

int
inbound_worker_start(struct inbound_worker *w, struct error *err)
{
	if (pthread_create(&w->thread, NULL, inbound_worker_main, w) != 0)
		return error_set(
		    err, ERROR_INTERNAL, "cannot start the inbound worker");
	return 0;
}

void
inbound_worker_join(struct inbound_worker *w)
{
	pthread_join(w->thread, NULL);
}
