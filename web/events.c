/*
 * events.c: Server-Sent Events for the live pages (events.h).
 *
 *   GET /board/events[?desk=ID|?room=NAME]   public: board rows
 *   GET /staff/desk/events[?desk=ID]         staff: the desk panel's rows
 *
 * An event is "id: BOOT.SEQ" and "data: [rows]" — the rows that changed,
 * as board.h defines them (a row whose status is not one a board shows has
 * left the board). "event: snapshot" carries the whole board (on connect,
 * or when the missed events are no longer kept); "event: waits" the
 * estimated waits per service. BOOT is this start's number: an id of
 * another start means "send everything again". "retry:" tells browsers
 * when to reconnect; ": keep-alive" comments every KEEPALIVE_SECONDS keep
 * proxies from closing idle streams and find clients that went away.
 *
 * One lock guards the hub: the streams, their pending bytes, the kept
 * events and the current snapshots. The notifier appends to each stream's
 * buffer and resumes it when it was paused; the connection's pull copies
 * out and pauses when the buffer is empty. A stream whose client reads
 * slower than BACKLOG_MAX of events accumulate is closed (its browser
 * reconnects and gets a snapshot).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "board.h"
#include "config_live.h"
#include "events.h"
#include "log.h"
#include "office_time.h"
#include "store.h"
#include "token.h"

#define RING 512
#define KEEPALIVE_SECONDS 15
#define BACKLOG_MAX (512 * 1024)
#define RETRY_MS 2000
#define WAIT_MS 250 /* how long the notifier waits before it looks at stop */
#define DAY_MAX 20000

enum feed { FEED_BOARD, FEED_STAFF, FEED_COUNT };

struct stream {
	struct http_stream *hs;
	enum feed feed;
	int64_t desk_id; /* filters: 0 / "" = all */
	char room[48];
	struct buf out; /* pending bytes, from sent on */
	size_t sent;
	bool paused, closing;
	struct stream *prev, *next;
};

struct event {
	uint64_t seq;
	enum feed feed;
	const char *name; /* NULL (rows), "waits" */
	json_t *data;
};

static struct {
	pthread_mutex_t lock;
	struct stream *streams;
	unsigned count, max;
	uint64_t seq;
	char boot[20];
	struct event ring[RING];
	json_t *snap[FEED_COUNT];
	json_t *waits;
	struct date day;
	bool stopping;
	/* the notifier */
	const struct web *web;
	struct store *store;
	struct store_token token;
	pthread_t thread;
	bool running;
	atomic_bool stop;
	time_t last_keepalive;
} hub = {.lock = PTHREAD_MUTEX_INITIALIZER};

unsigned
events_streams_open(void)
{
	unsigned n;

	pthread_mutex_lock(&hub.lock);
	n = hub.count;
	pthread_mutex_unlock(&hub.lock);
	return n;
}

/* ---- streams (hub.lock held) --------------------------------------------- */

static void
wake(struct stream *st)
{
	if (st->paused && st->hs != NULL) {
		st->paused = false;
		http_stream_resume(st->hs);
	}
}

static void
put_event(struct buf *out, uint64_t seq, const char *name, json_t *data)
{
	char *text = json_dumps(data, JSON_COMPACT);

	if (text == NULL)
		abort();
	buf_printf(out, "id: %s.%llu\n", hub.boot, (unsigned long long)seq);
	if (name != NULL)
		buf_printf(out, "event: %s\n", name);
	buf_printf(out, "data: %s\n\n", text);
	free(text);
}

static bool
filtered(const struct stream *st)
{
	return st->desk_id > 0 || st->room[0] != '\0';
}

/* filter: the rows of data this stream shows (a new reference) */
static json_t *
filter(const struct stream *st, json_t *rows)
{
	json_t *out, *row;
	size_t i;

	if (!filtered(st))
		return json_incref(rows);
	out = json_array();
	json_array_foreach(rows, i, row)
	{
		if (board_row_matches(row, st->desk_id, st->room))
			json_array_append(out, row);
	}
	return out;
}

static void
send_to(struct stream *st, const struct event *ev, const char *shared)
{
	json_t *rows;

	if (st->feed != ev->feed || st->closing)
		return;
	if (ev->name != NULL || !filtered(st)) {
		/* waits are per service: every board gets them */
		if (shared != NULL)
			buf_puts(&st->out, shared);
		else
			put_event(&st->out, ev->seq, ev->name, ev->data);
	} else {
		rows = filter(st, ev->data);
		if (json_array_size(rows) > 0)
			put_event(&st->out, ev->seq, ev->name, rows);
		json_decref(rows);
	}
	if (st->out.len - st->sent > BACKLOG_MAX) {
		log_warn("events: a client reads too slowly: stream closed");
		buf_reset(&st->out);
		st->sent = 0;
		st->closing = true;
	}
	wake(st);
}

static void
send_snapshot(struct stream *st)
{
	json_t *rows;

	if (st->feed == FEED_BOARD)
		rows = board_rows(hub.snap[FEED_BOARD], st->desk_id, st->room);
	else {
		json_t *row;
		const char *key;

		rows = json_array();
		json_object_foreach(hub.snap[FEED_STAFF], key, row)
		{
			if (board_row_matches(row, st->desk_id, NULL))
				json_array_append(rows, row);
		}
	}
	put_event(&st->out, hub.seq, "snapshot", rows);
	json_decref(rows);
	if (st->feed == FEED_BOARD && hub.waits != NULL)
		put_event(&st->out, hub.seq, "waits", hub.waits);
}

/* replay: the kept events after last_id; false when they are not kept */
static bool
replay(struct stream *st, const char *last_id)
{
	char boot[sizeof hub.boot];
	const char *dot;
	unsigned long long seq;
	char *end;
	uint64_t s;

	if (last_id == NULL || (dot = strchr(last_id, '.')) == NULL ||
	    (size_t)(dot - last_id) >= sizeof boot)
		return false;
	snprintf(boot, sizeof boot, "%.*s", (int)(dot - last_id), last_id);
	seq = strtoull(dot + 1, &end, 10);
	if (strcmp(boot, hub.boot) != 0 || *end != '\0' || seq > hub.seq ||
	    hub.seq - seq >= RING)
		return false;
	for (s = seq + 1; s <= hub.seq; s++)
		send_to(st, &hub.ring[s % RING], NULL);
	return true;
}

static void
publish(enum feed feed, const char *name, json_t *data)
{
	struct event *ev;
	struct stream *st;
	struct buf shared = BUF_INIT;

	hub.seq++;
	ev = &hub.ring[hub.seq % RING];
	json_decref(ev->data);
	ev->seq = hub.seq;
	ev->feed = feed;
	ev->name = name;
	ev->data = json_incref(data);
	put_event(&shared, ev->seq, name, data);
	for (st = hub.streams; st != NULL; st = st->next)
		send_to(st, ev, buf_cstr(&shared));
	buf_free(&shared);
}

static long
stream_pull(void *cls, char *buf, size_t max)
{
	struct stream *st = cls;
	size_t n;

	pthread_mutex_lock(&hub.lock);
	if (st->sent < st->out.len) {
		n = st->out.len - st->sent;
		if (n > max)
			n = max;
		memcpy(buf, st->out.data + st->sent, n);
		st->sent += n;
		if (st->sent == st->out.len) {
			buf_reset(&st->out);
			st->sent = 0;
		}
		pthread_mutex_unlock(&hub.lock);
		return (long)n;
	}
	if (st->closing) {
		pthread_mutex_unlock(&hub.lock);
		return -1;
	}
	st->paused = true;
	http_stream_pause(st->hs);
	pthread_mutex_unlock(&hub.lock);
	return 0;
}

static void
stream_done(void *cls)
{
	struct stream *st = cls;

	pthread_mutex_lock(&hub.lock);
	if (st->prev != NULL)
		st->prev->next = st->next;
	else
		hub.streams = st->next;
	if (st->next != NULL)
		st->next->prev = st->prev;
	hub.count--;
	pthread_mutex_unlock(&hub.lock);
	buf_free(&st->out);
	free(st);
}

static void
open_stream(struct request *rq, struct response *rs, enum feed feed)
{
	const char *desk = http_query(rq, "desk"),
	           *room = http_query(rq, "room");
	struct stream *st;
	int64_t desk_id = 0;

	if (desk != NULL && desk[0] != '\0' && !http_parse_id(desk, &desk_id)) {
		http_json_error(
		    rs, 422, "invalid", "desk must be an id.", "desk");
		return;
	}
	if (room != NULL && strlen(room) >= sizeof st->room) {
		http_json_error(
		    rs, 422, "invalid", "room is too long.", "room");
		return;
	}
	pthread_mutex_lock(&hub.lock);
	if (hub.stopping || hub.count >= hub.max) {
		pthread_mutex_unlock(&hub.lock);
		if (!hub.stopping)
			log_warn("events: %u streams open: web.event_streams "
			         "reached",
			    hub.max);
		http_json_error(rs, 503, "busy",
		    "Too many live screens: try again later.", NULL);
		http_header_add(rs, "Retry-After", "10");
		return;
	}
	if ((st = calloc(1, sizeof *st)) == NULL)
		abort();
	st->feed = feed;
	st->desk_id = desk_id;
	if (room != NULL)
		snprintf(st->room, sizeof st->room, "%s", room);
	buf_init(&st->out);
	buf_printf(&st->out, "retry: %d\n\n", RETRY_MS);
	if (!replay(st, http_header(rq, "Last-Event-ID")))
		send_snapshot(st);
	if ((st->hs = http_stream_open(rq, rs, stream_pull, stream_done, st)) ==
	    NULL) {
		pthread_mutex_unlock(&hub.lock);
		buf_free(&st->out);
		free(st);
		http_json_error(rs, 503, "busy", "No live screens here.", NULL);
		return;
	}
	st->next = hub.streams;
	if (hub.streams != NULL)
		hub.streams->prev = st;
	hub.streams = st;
	hub.count++;
	pthread_mutex_unlock(&hub.lock);
	rs->content_type = "text/event-stream";
	/* reverse proxies must pass events on at once */
	http_header_add(rs, "X-Accel-Buffering", "no");
}

static void
board_events(struct request *rq, struct response *rs)
{
	open_stream(rq, rs, FEED_BOARD);
}

static void
desk_events(struct request *rq, struct response *rs)
{
	open_stream(rq, rs, FEED_STAFF);
}

/* ---- the notifier -------------------------------------------------------- */

/* refresh: read the day; publish what changed. Snapshots are only touched
 * under the lock (row objects are shared with the streams' events). */
static void
refresh(time_t now)
{
	struct booking_filter f;
	struct booking *day = NULL;
	struct booking_mark *marks = NULL;
	size_t n = 0, nmarks = 0;
	struct error err;
	json_t *snap[FEED_COUNT], *waits, *changed;
	int i;

	memset(&f, 0, sizeof f);
	f.from = f.to = date_of(now);
	f.status = -1;
	f.limit = DAY_MAX;
	error_clear(&err);
	if (store_bookings_search(hub.store, &f, &day, &n, &err) != 0 ||
	    store_day_marks(
	        hub.store, f.from, "reply_late", &marks, &nmarks, &err) != 0) {
		log_warn("events: cannot read the day: %s", err.msg);
		free(day);
		free(marks);
		return;
	}
	snap[FEED_BOARD] = board_snapshot(day, n, NULL, 0, false);
	snap[FEED_STAFF] = board_snapshot(day, n, marks, nmarks, true);
	waits = board_waits(day, n);
	free(day);
	free(marks);

	pthread_mutex_lock(&hub.lock);
	hub.day = f.from;
	for (i = 0; i < FEED_COUNT; i++) {
		changed = board_diff(hub.snap[i], snap[i]);
		if (json_array_size(changed) > 0 && hub.snap[i] != NULL)
			publish((enum feed)i, NULL, changed);
		json_decref(changed);
		json_decref(hub.snap[i]);
		hub.snap[i] = snap[i];
	}
	if (hub.waits == NULL || !json_equal(hub.waits, waits)) {
		if (hub.waits != NULL)
			publish(FEED_BOARD, "waits", waits);
		json_decref(hub.waits);
		hub.waits = waits;
	} else
		json_decref(waits);
	pthread_mutex_unlock(&hub.lock);
}

static void
keepalive(void)
{
	struct stream *st;

	pthread_mutex_lock(&hub.lock);
	for (st = hub.streams; st != NULL; st = st->next) {
		if (st->closing)
			continue;
		buf_puts(&st->out, ": keep-alive\n\n");
		wake(st);
	}
	pthread_mutex_unlock(&hub.lock);
}

static void *
notifier(void *arg)
{
	struct error err;
	time_t now;
	bool failing = false;
	int rc;

	(void)arg;
	while (!atomic_load(&hub.stop)) {
		error_clear(&err);
		rc = store_changes_wait(hub.store, &hub.token, WAIT_MS, &err);
		if (rc < 0) {
			if (!failing)
				log_warn("events: change token: %s", err.msg);
			failing = true;
			sleep(1);
			continue;
		}
		failing = false;
		now = time(NULL);
		/* an admin changed the settings, in this process or another:
		 * every request after this takes the new snapshot */
		if ((rc & STORE_CHANGED_SETTINGS) &&
		    config_live_sync(hub.store, false, &err) < 0)
			log_warn("events: settings not reloaded: %s", err.msg);
		if ((rc & STORE_CHANGED_BOOKINGS) ||
		    date_compare(date_of(now), hub.day) != 0)
			refresh(now);
		if (now - hub.last_keepalive >= KEEPALIVE_SECONDS) {
			hub.last_keepalive = now;
			keepalive();
		}
	}
	return NULL;
}

int
events_start(const struct web *w, struct error *err)
{
	unsigned char r[8];
	size_t i;

	hub.web = w;
	hub.max = w->config->web_event_streams;
	token_random(r, sizeof r);
	for (i = 0; i < 6; i++)
		snprintf(hub.boot + 2 * i, 3, "%02x", r[i]);
	if ((hub.store = store_open(w->config->database, err)) == NULL)
		return -1;
	hub.token = STORE_TOKEN_START;
	if (store_changes_wait(hub.store, &hub.token, 0, err) < 0 ||
	    config_live_sync(hub.store, true, err) < 0)
		return -1;
	refresh(time(NULL));
	hub.last_keepalive = time(NULL);
	atomic_store(&hub.stop, false);
	if (pthread_create(&hub.thread, NULL, notifier, NULL) != 0)
		return error_set(err, ERROR_IO, "cannot start the notifier");
	hub.running = true;
	return 0;
}

void
events_stop(void)
{
	struct stream *st;

	if (hub.running) {
		atomic_store(&hub.stop, true);
		pthread_join(hub.thread, NULL);
		hub.running = false;
	}
	pthread_mutex_lock(&hub.lock);
	hub.stopping = true;
	for (st = hub.streams; st != NULL; st = st->next) {
		st->closing = true;
		wake(st);
	}
	pthread_mutex_unlock(&hub.lock);
}

void
events_free(void)
{
	size_t i;

	for (i = 0; i < RING; i++) {
		json_decref(hub.ring[i].data);
		hub.ring[i].data = NULL;
	}
	for (i = 0; i < FEED_COUNT; i++) {
		json_decref(hub.snap[i]);
		hub.snap[i] = NULL;
	}
	json_decref(hub.waits);
	hub.waits = NULL;
	store_close(hub.store);
	hub.store = NULL;
}

const struct route events_routes[] = {
    {"GET", "/board/events", board_events, ROLE_PUBLIC, 0},
    {"GET", "/staff/desk/events", desk_events, ROLE_STAFF, 0},
    {0},
};
