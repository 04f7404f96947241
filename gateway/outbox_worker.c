/*
 * outbox_worker.c: the delivery loop of one channel.
 *
 * Claiming leases rows for LEASE_SECONDS; if this process dies mid-batch
 * the lease runs out (or start-up releases it) and the rows not yet
 * recorded are sent again. Every channel reports each outcome the moment
 * it knows it (channel.h), and it is committed there and then, so after
 * kill -9 at most the one message per channel that the server had just
 * accepted is sent twice; none is lost. (tests/integration/test_kill_burst.py
 * measures it against the real SMTP server and Kannel.)
 *
 * An SMS to a number SMS must never go to (phone_sms_allowed: premium
 * rate, satellite, a country outside sms.countries) is failed here without
 * being sent, whatever queued it; one that can wait and comes due in the
 * quiet hours ([sms] quiet_hours, an admin's setting) goes back to the
 * queue until they end.
 *
 * Each round takes the configuration snapshot in force (config_live.h):
 * an admin's change of retries, countries or quiet hours applies at the
 * next round. The channel keeps the configuration it was opened with.
 *
 * New rows are noticed by waiting for a commit (store_wait) at most a
 * poll interval (100 ms by default): on SQLite a read of a counter in
 * shared memory, on PostgreSQL LISTEN/NOTIFY; no socket between the web and
 * the gateway that could be lost. A confirmation request therefore leaves
 * within a fraction of a second.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config_live.h"
#include "fallback.h"
#include "log.h"
#include "metrics.h"
#include "notify.h"
#include "outbox_worker.h"
#include "phone.h"
#include "store.h"
#include "token.h"

#define BATCH_MAX 50
#define LEASE_SECONDS 300
#define BACKOFF_MAX_SECONDS 3600

long
outbox_backoff(long initial, unsigned attempts, unsigned random)
{
	long delay = initial > 0 ? initial : 1;
	unsigned i;

	for (i = 1; i < attempts && delay < BACKOFF_MAX_SECONDS; i++)
		delay *= 2;
	if (delay > BACKOFF_MAX_SECONDS)
		delay = BACKOFF_MAX_SECONDS;
	/* ±20% jitter so a server coming back is not hit by every row at once */
	return delay - delay / 5 + (long)(random % (unsigned)(delay * 2 / 5 + 1));
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* health_report: remember the channel's state for `wizyta status`, writing
 * only when it changes. */
static void
health_report(struct store *s, const char *channel, char *last, size_t size,
    const char *state)
{
	char key[32];
	struct error err;

	if (strcmp(last, state) == 0)
		return;
	snprintf(last, size, "%s", state);
	snprintf(key, sizeof key, "health.%s", channel);
	error_clear(&err);
	if (store_kv_set(s, key, state, &err) != 0)
		log_warn("health not recorded channel=%s: %s", channel, err.msg);
}

static void
record_outcome(struct outbox_worker *w, struct store *s, struct outbox_message *m,
    const struct send_status *st, time_t now, char *health, size_t health_size)
{
	struct error err;
	char state[320];
	int rc = 0;

	error_clear(&err);
	switch (st->result) {
	case SEND_OK:
		rc = store_outbox_mark_sent(s, m->id, now, st->provider_id, st->detail, &err);
		log_info("sent message=%lld booking=%lld channel=%s kind=%s attempt=%u",
		    (long long)m->id, (long long)m->booking_id, w->channel_name, m->kind,
		    m->attempts);
		snprintf(state, sizeof state, "ok");
		health_report(s, w->channel_name, health, health_size, state);
		break;
	case SEND_TEMPORARY: {
		char clean[256];

		/* the server's answer may quote the address: the health state
		 * (kv, wizyta status) is not a place for it */
		log_clean(st->detail, clean, sizeof clean);
		snprintf(state, sizeof state, "retrying: %.250s", clean);
		health_report(s, w->channel_name, health, health_size, state);
		if (now - m->created_at >= w->current->retry_max_age) {
			rc = store_outbox_mark_final(s, m->id, OUTBOX_DEAD, st->detail, &err);
			log_error("dead letter message=%lld booking=%lld channel=%s after %u"
			    " attempts: %s", (long long)m->id, (long long)m->booking_id,
			    w->channel_name, m->attempts, st->detail);
			if (rc == 0)
				fallback_other_channel(s, w->current, m, now);
		} else {
			unsigned r;
			long delay;

			token_random(&r, sizeof r);
			delay = outbox_backoff(
			    (long)w->current->retry_initial, m->attempts, r);
			rc = store_outbox_mark_retry(s, m->id, now + delay, st->detail, &err);
			log_warn("retry message=%lld channel=%s in %lds attempt=%u: %s",
			    (long long)m->id, w->channel_name, delay, m->attempts, st->detail);
		}
		break;
	}
	case SEND_PERMANENT:
		rc = store_outbox_mark_final(s, m->id, OUTBOX_FAILED, st->detail, &err);
		log_error("failed message=%lld booking=%lld channel=%s: %s",
		    (long long)m->id, (long long)m->booking_id, w->channel_name, st->detail);
		if (rc == 0)
			fallback_other_channel(s, w->current, m, now);
		break;
	}
	if (rc == 0)
		metrics_delivery(w->channel_name,
		    st->result == SEND_OK          ? "sent"
		    : st->result == SEND_PERMANENT ? "failed"
		    : now - m->created_at >= w->current->retry_max_age
		        ? "dead"
		        : "retry");
	if (rc != 0)
		log_error("outcome not recorded message=%lld: %s (the lease will expire and"
		    " the message will be retried)", (long long)m->id, err.msg);
}

/* One batch in flight: what the progress callback needs to record an
 * outcome the moment the channel knows it. The channel sees only the
 * messages it may send; map[] leads from its index back to msgs[]. */
struct batch {
	struct outbox_worker *worker;
	struct store *store;
	struct outbox_message *msgs;
	size_t *map;
	bool *recorded;
	size_t n; /* handed to the channel */
	char *health;
	size_t health_size;
};

static void
batch_progress(void *ctx, size_t i, const struct send_status *st)
{
	struct batch *b = ctx;

	if (i >= b->n || b->recorded[i])
		return;
	record_outcome(b->worker, b->store, &b->msgs[b->map[i]], st, time(NULL),
	    b->health, b->health_size);
	b->recorded[i] = true;
}

/* sms_refused: fail, unsent, an SMS to a number none may go to */
static bool
sms_refused(struct outbox_worker *w, struct store *s, struct outbox_message *m)
{
	struct error why, err;

	error_clear(&why);
	if (strcmp(w->channel_name, "sms") != 0 ||
	    phone_sms_allowed(m->recipient, w->current->sms_countries, &why) ==
	        0)
		return false;
	error_clear(&err);
	if (store_outbox_mark_final(s, m->id, OUTBOX_FAILED, why.code, &err) !=
	    0)
		log_error("outcome not recorded message=%lld: %s",
		    (long long)m->id, err.msg);
	log_warn("sms refused message=%lld booking=%lld: %s (not sent)",
	    (long long)m->id, (long long)m->booking_id, why.code);
	return true;
}

/* sms_held: an SMS that can wait, claimed in the quiet hours (a retry
 * that came due at night, or quiet hours an admin just set): back to the
 * queue until they end, no attempt counted */
static bool
sms_held(struct outbox_worker *w, struct store *s, struct outbox_message *m,
    time_t now)
{
	struct error err;
	time_t until;

	if (strcmp(w->channel_name, "sms") != 0 ||
	    !notify_kind_waits(m->kind) ||
	    !notify_quiet_until(w->current, now, &until))
		return false;
	error_clear(&err);
	if (store_outbox_defer(s, m->id, until, &err) != 0)
		log_error("outcome not recorded message=%lld: %s",
		    (long long)m->id, err.msg);
	else
		log_info(
		    "sms held for the quiet hours message=%lld booking=%lld"
		    " until=%lld",
		    (long long)m->id, (long long)m->booking_id,
		    (long long)until);
	return true;
}

static void
deliver_batch(struct outbox_worker *w, struct store *s, struct channel *ch,
    struct outbox_message *msgs, size_t n, char *health, size_t health_size)
{
	struct outgoing *out = calloc(n, sizeof *out);
	struct send_status *status = calloc(n, sizeof *status);
	struct batch batch = {w, s, msgs, calloc(n, sizeof(size_t)),
	    calloc(n, sizeof(bool)), 0, health, health_size};
	char envelope[256];
	size_t i, k;

	if (out == NULL || status == NULL || batch.recorded == NULL ||
	    batch.map == NULL)
		abort();
	snprintf(
	    envelope, sizeof envelope, "%s", w->current->mail_reply_address);
	for (i = 0; i < n; i++) {
		if (sms_refused(w, s, &msgs[i]) ||
		    sms_held(w, s, &msgs[i], time(NULL)))
			continue;
		k = batch.n++;
		batch.map[k] = i;
		out[k].id = msgs[i].id;
		out[k].recipient = msgs[i].recipient;
		out[k].envelope_from =
		    strcmp(w->channel_name, "email") == 0 ? envelope : NULL;
		out[k].payload = msgs[i].payload;
		out[k].payload_len = msgs[i].payload_len;
		status[k].result = SEND_TEMPORARY;
		snprintf(
		    status[k].detail, sizeof status[k].detail, "not attempted");
	}
	if (batch.n > 0) {
		ch->progress = batch_progress;
		ch->progress_ctx = &batch;
		if (ch->ops->send_batch(ch, out, batch.n, status) != 0)
			log_warn("channel %s could not complete a batch",
			    ch->ops->name);
		ch->progress = NULL;
		ch->progress_ctx = NULL;
		for (k = 0; k < batch.n; k++)
			batch_progress(&batch, k, &status[k]);
	}
	free(batch.recorded);
	free(batch.map);
	free(out);
	free(status);
}

static void *
outbox_worker_main(void *arg)
{
	struct outbox_worker *w = arg;
	struct channel ch;
	struct store *s;
	struct error err;
	char health[320] = "";
	time_t last_claim = 0;
	bool again = true;

	error_clear(&err);
	if ((s = store_open(w->config->database, &err)) == NULL) {
		log_error("worker %s: %s", w->channel_name, err.msg);
		return NULL;
	}
	if (channel_open(&ch, w->ops, w->config, &err) != 0) {
		log_error("channel %s cannot open: %s", w->ops->name, err.msg);
		health_report(s, w->channel_name, health, sizeof health, err.msg);
		store_close(s);
		return NULL;
	}
	log_info("worker started channel=%s transport=%s", w->channel_name, w->ops->name);
	while (atomic_load(w->running)) {
		struct outbox_message *msgs = NULL;
		time_t now = time(NULL);
		size_t n = 0;

		/* the settings in force now (an admin's change, SIGHUP) */
		if ((w->current = config_live_refresh()) == NULL)
			w->current = w->config;
		/* wait for a commit (a new message) at most a poll interval;
		 * nothing new and retries are checked once a second: wait
		 * again */
		if (!again) {
			int changed = store_wait(
			    s, (int)w->current->gateway_poll_ms, &err);

			now = time(NULL);
			if (changed == 0 && now == last_claim)
				continue;
			if (changed < 0)
				sleep_ms(w->current->gateway_poll_ms);
		}
		again = false;
		last_claim = now;
		if (store_outbox_claim(s, w->channel_name, now, now + LEASE_SECONDS, BATCH_MAX,
		    &msgs, &n, &err) != 0) {
			log_warn("worker %s: claim failed: %s", w->channel_name, err.msg);
			sleep_ms(1000);
			continue;
		}
		if (n == 0)
			continue;
		deliver_batch(w, s, &ch, msgs, n, health, sizeof health);
		outbox_list_free(msgs, n);
		/* look again at once: a full batch may mean more are due */
		again = true;
	}
	channel_close(&ch);
	store_close(s);
	log_info("worker stopped channel=%s", w->channel_name);
	return NULL;
}

int
outbox_worker_start(struct outbox_worker *w, struct error *err)
{
	if (pthread_create(&w->thread, NULL, outbox_worker_main, w) != 0)
		return error_set(err, ERROR_INTERNAL, "cannot start the %s worker",
		    w->channel_name);
	return 0;
}

void
outbox_worker_join(struct outbox_worker *w)
{
	pthread_join(w->thread, NULL);
}
