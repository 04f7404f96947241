/*
 * metrics.c: counters, the exposition format and /healthz (metrics.h).
 *
 * The text format
 * (https://prometheus.io/docs/instrumenting/exposition_formats/): per family a
 * "# HELP name text" and a "# TYPE name counter|gauge| histogram" line, then
 * "name{label="value",…} number" samples; a histogram has cumulative
 * _bucket{le="…"} samples ending with le="+Inf", then _sum and _count. Label
 * values escape \, " and newline.
 */
#include <libgen.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "booking_state.h"
#include "metrics.h"

/* ---- HTTP answers ------------------------------------------------------- */

#define STATUS_MIN 100
#define STATUS_MAX 599

/* upper bounds of the latency buckets, in seconds */
static const double http_buckets[] = {
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1,
    2.5,
    5,
    10,
};
#define NBUCKETS (sizeof http_buckets / sizeof http_buckets[0])

static atomic_ullong http_status[STATUS_MAX - STATUS_MIN + 1];
static atomic_ullong http_bucket[NBUCKETS]; /* not cumulative: per bucket */
static atomic_ullong http_count;
static atomic_ullong http_sum_us; /* microseconds */

void
metrics_http_observe(unsigned status, double seconds)
{
	size_t i;

	if (status < STATUS_MIN || status > STATUS_MAX)
		status = 500;
	if (seconds < 0)
		seconds = 0;
	atomic_fetch_add(&http_status[status - STATUS_MIN], 1);
	for (i = 0; i < NBUCKETS && seconds > http_buckets[i]; i++)
		;
	if (i < NBUCKETS)
		atomic_fetch_add(&http_bucket[i], 1);
	atomic_fetch_add(&http_count, 1);
	atomic_fetch_add(&http_sum_us, (unsigned long long)(seconds * 1e6));
}

static void
family(struct buf *out, const char *name, const char *type, const char *help)
{
	buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void
metrics_write_http(struct buf *out)
{
	unsigned long long cumulative = 0, count;
	unsigned code;
	size_t i;

	family(out, "wizyta_http_requests_total", "counter",
	    "HTTP requests answered, by status code.");
	for (code = STATUS_MIN; code <= STATUS_MAX; code++) {
		unsigned long long n =
		    atomic_load(&http_status[code - STATUS_MIN]);

		if (n > 0)
			buf_printf(out,
			    "wizyta_http_requests_total{code=\"%u\"} %llu\n",
			    code, n);
	}
	/* the count is read first: the buckets may only have grown since,
	 * and +Inf must not be below any bucket */
	family(out, "wizyta_http_request_duration_seconds", "histogram",
	    "Time from a whole request read to its answer ready.");
	count = atomic_load(&http_count);
	for (i = 0; i < NBUCKETS; i++) {
		cumulative += atomic_load(&http_bucket[i]);
		if (cumulative > count)
			count = cumulative;
		buf_printf(out,
		    "wizyta_http_request_duration_seconds_bucket{le=\"%g\"} "
		    "%llu\n",
		    http_buckets[i], cumulative);
	}
	buf_printf(out,
	    "wizyta_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
	    "wizyta_http_request_duration_seconds_sum %.6f\n"
	    "wizyta_http_request_duration_seconds_count %llu\n",
	    count, (double)atomic_load(&http_sum_us) / 1e6, count);
}

/* ---- deliveries -----------------------------------------------------------
 */

static const char *const channels[] = {"email", "sms"};
static const char *const outcomes[] = {
    "sent",
    "retry",
    "failed",
    "dead",
    "delivered",
    "undelivered",
    "suppressed",
};
#define NCHANNELS (sizeof channels / sizeof channels[0])
#define NOUTCOMES (sizeof outcomes / sizeof outcomes[0])

static atomic_ullong deliveries[NCHANNELS][NOUTCOMES];

static int
index_of(const char *const *list, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return (int)i;
	return -1;
}

void
metrics_delivery(const char *channel, const char *outcome)
{
	int c = index_of(channels, NCHANNELS, channel);
	int o = index_of(outcomes, NOUTCOMES, outcome);

	if (c >= 0 && o >= 0)
		atomic_fetch_add(&deliveries[c][o], 1);
}

void
metrics_write_deliveries(struct buf *out)
{
	size_t c, o;

	family(out, "wizyta_deliveries_total", "counter",
	    "Delivery attempts' outcomes since wizytad started, by channel"
	    " (retry: a temporary failure; delivered/undelivered: an SMS"
	    " delivery report).");
	for (c = 0; c < NCHANNELS; c++)
		for (o = 0; o < NOUTCOMES; o++)
			buf_printf(out,
			    "wizyta_deliveries_total{channel=\"%s\","
			    "outcome=\"%s\"} %llu\n",
			    channels[c], outcomes[o],
			    atomic_load(&deliveries[c][o]));
}

/* ---- from the database -------------------------------------------------- */

void
metrics_write_gauge(
    struct buf *out, const char *name, const char *help, double value)
{
	family(out, name, "gauge", help);
	buf_printf(out, "%s %.17g\n", name, value);
}

/* label: a label value escaped as the format says */
static void
label(struct buf *out, const char *v)
{
	for (; *v != '\0'; v++) {
		if (*v == '\\' || *v == '"')
			buf_printf(out, "\\%c", *v);
		else if (*v == '\n')
			buf_puts(out, "\\n");
		else
			buf_putc(out, *v);
	}
}

static int
write_bookings(struct store *s, struct buf *out, struct error *err)
{
	long long by_status[BOOKING_EXPIRED + 1];
	struct store_count *rows = NULL;
	size_t n = 0, i;
	int st;

	if (store_counts(s, STORE_COUNT_BOOKINGS, &rows, &n, err) != 0)
		return -1;
	memset(by_status, 0, sizeof by_status);
	for (i = 0; i < n; i++) {
		enum booking_status status;

		if (booking_status_parse(rows[i].label, &status) == 0)
			by_status[status] = rows[i].count;
	}
	free(rows);
	/* every status, zeros included: a series that vanishes is harder to
	 * alert on than one at 0 */
	family(out, "wizyta_bookings", "gauge",
	    "Bookings in the database by status (erased ones included: "
	    "erasure keeps the status).");
	for (st = 0; st <= BOOKING_EXPIRED; st++)
		buf_printf(out, "wizyta_bookings{status=\"%s\"} %lld\n",
		    booking_status_name((enum booking_status)st),
		    by_status[st]);
	return 0;
}

static int
write_outbox(struct store *s, time_t now, struct buf *out, struct error *err)
{
	struct outbox_stats st[NCHANNELS];
	size_t c, k;

	for (c = 0; c < NCHANNELS; c++)
		if (store_outbox_stats(s, channels[c], &st[c], err) != 0)
			return -1;
	family(out, "wizyta_outbox_backlog", "gauge",
	    "Messages waiting to be sent (queued or being sent), by channel.");
	for (c = 0; c < NCHANNELS; c++)
		buf_printf(out, "wizyta_outbox_backlog{channel=\"%s\"} %u\n",
		    channels[c], st[c].queued + st[c].sending);
	family(out, "wizyta_outbox_oldest_age_seconds", "gauge",
	    "Age of the oldest queued message, by channel (0 when none).");
	for (c = 0; c < NCHANNELS; c++)
		buf_printf(out,
		    "wizyta_outbox_oldest_age_seconds{channel=\"%s\"} %lld\n",
		    channels[c],
		    st[c].oldest_queued > 0 && now > st[c].oldest_queued
		        ? (long long)(now - st[c].oldest_queued)
		        : 0LL);
	family(out, "wizyta_outbox_messages", "gauge",
	    "Messages in the outbox by channel and status (dead: gave up "
	    "after retry_max_age).");
	for (c = 0; c < NCHANNELS; c++) {
		const unsigned v[] = {st[c].queued, st[c].sending, st[c].sent,
		    st[c].delivered, st[c].failed, st[c].dead,
		    st[c].suppressed};

		for (k = 0; k < sizeof v / sizeof v[0]; k++)
			buf_printf(out,
			    "wizyta_outbox_messages{channel=\"%s\","
			    "status=\"%s\"} %u\n",
			    channels[c],
			    outbox_status_name((enum outbox_status)k), v[k]);
	}
	return 0;
}

static int
write_replies(struct store *s, struct buf *out, struct error *err)
{
	struct store_count *rows = NULL;
	size_t n = 0, i;

	if (store_counts(s, STORE_COUNT_REPLIES, &rows, &n, err) != 0)
		return -1;
	family(out, "wizyta_replies_total", "counter",
	    "Replies and delivery notices received, by channel and verdict.");
	for (i = 0; i < n; i++) {
		buf_puts(out, "wizyta_replies_total{channel=\"");
		label(out, rows[i].label);
		buf_puts(out, "\",verdict=\"");
		label(out, rows[i].label2);
		buf_printf(out, "\"} %lld\n", rows[i].count);
	}
	free(rows);
	return 0;
}

static void
write_channels(struct store *s, struct buf *out)
{
	static const char *const names[] = {"email", "sms", "inbound"};
	char key[32], value[512];
	size_t i;

	family(out, "wizyta_channel_up", "gauge",
	    "1 when wizytad last found the channel working, 0 when not, -1 "
	    "when it has not reported.");
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		int up = -1;

		snprintf(key, sizeof key, "health.%s", names[i]);
		if (store_kv_get(s, key, value, sizeof value) == 0)
			up = strcmp(value, "ok") == 0;
		buf_printf(out, "wizyta_channel_up{channel=\"%s\"} %d\n",
		    names[i], up);
	}
}

int
metrics_write_store(const struct config *c, struct store *s, time_t now,
    struct buf *out, struct error *err)
{
	char value[64];
	long long at = 0;
	int rc;

	if (store_read_begin(s, err) != 0)
		return -1;
	rc = write_bookings(s, out, err) != 0 ||
	             write_outbox(s, now, out, err) != 0 ||
	             write_replies(s, out, err) != 0
	         ? -1
	         : 0;
	if (rc == 0) {
		long long disk = metrics_disk_free(c);

		write_channels(s, out);
		/* only when known: a -1 would fire every "disk almost full"
		 * alert of an office on PostgreSQL (whose disk is the
		 * server's, watched where the server runs) */
		if (disk >= 0)
			metrics_write_gauge(out,
			    "wizyta_database_disk_free_bytes",
			    "Bytes free on the database's file system (SQLite "
			    "only).",
			    (double)disk);
		if (store_kv_get(
		        s, "privacy.last_purge_at", value, sizeof value) == 0)
			at = atoll(value);
		metrics_write_gauge(out,
		    "wizyta_privacy_last_purge_timestamp_seconds",
		    "When personal data past retain_days was last erased (Unix "
		    "time; 0: never).",
		    (double)at);
	}
	store_read_end(s);
	return rc;
}

/* ---- who may look, and /healthz ----------------------------------------- */

static bool
loopback(const char *address)
{
	return strncmp(address, "127.", 4) == 0 ||
	       strcmp(address, "::1") == 0 ||
	       strncmp(address, "::ffff:127.", 11) == 0;
}

/* token_equal: constant time in the length of the expected token */
static bool
token_equal(const char *given, const char *want)
{
	size_t n = strlen(want), m = strlen(given), i;
	unsigned char diff = (unsigned char)(n != m);

	for (i = 0; i < n; i++)
		diff |= (unsigned char)(want[i] ^ (i < m ? given[i] : 0));
	return diff == 0;
}

bool
metrics_allowed(const struct config *c, const char *client, bool forwarded,
    const char *authorization)
{
	if (c->metrics_token[0] != '\0')
		return authorization != NULL &&
		       strncmp(authorization, "Bearer ", 7) == 0 &&
		       token_equal(authorization + 7, c->metrics_token);
	return !forwarded && loopback(client);
}

long long
metrics_disk_free(const struct config *c)
{
	char dir[4200];
	struct statvfs vfs;

	/* PostgreSQL's files are the server's, maybe on another machine */
	if (strcmp(c->database_backend, "sqlite") != 0)
		return -1;
	snprintf(dir, sizeof dir, "%s", c->database_path);
	if (statvfs(dirname(dir), &vfs) != 0)
		return -1;
	return (long long)vfs.f_bavail * (long long)vfs.f_frsize;
}

unsigned
metrics_health(const struct config *c, struct store *s, const char *who,
    time_t now, struct buf *out)
{
	long long disk = metrics_disk_free(c);
	static const char *const names[] = {"email", "sms", "inbound"};
	struct error err;
	char key[32], value[512];
	bool db_ok, degraded = false, first;
	size_t i;

	error_clear(&err);
	db_ok = s != NULL && store_check_writable(s, who, now, &err) == 0 &&
	        (disk < 0 || disk >= METRICS_DISK_MIN);
	for (i = 0; db_ok && i < sizeof names / sizeof names[0]; i++) {
		snprintf(key, sizeof key, "health.%s", names[i]);
		if (store_kv_get(s, key, value, sizeof value) == 0 &&
		    strcmp(value, "ok") != 0)
			degraded = true;
	}
	/* a channel that fails degrades, it does not fail: the site still
	 * takes bookings and the outbox keeps their messages */
	buf_printf(out,
	    "{\"status\": \"%s\", \"database\": \"%s\", \"channels\": {",
	    !db_ok     ? "failing"
	    : degraded ? "degraded"
	               : "ok",
	    db_ok ? "ok" : "failing");
	for (i = 0, first = true; db_ok && i < sizeof names / sizeof names[0];
	     i++) {
		snprintf(key, sizeof key, "health.%s", names[i]);
		if (store_kv_get(s, key, value, sizeof value) != 0)
			continue;
		buf_printf(out, "%s\"%s\": \"%s\"", first ? "" : ", ", names[i],
		    strcmp(value, "ok") == 0 ? "ok" : "failing");
		first = false;
	}
	/* null when unknown (PostgreSQL), as for a missing figure */
	if (disk >= 0)
		buf_printf(out, "}, \"disk_free_bytes\": %lld}\n", disk);
	else
		buf_puts(out, "}, \"disk_free_bytes\": null}\n");
	return db_ok ? 200 : 503;
}
