/*
 * board.c: the day's queue for the live pages (board.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "booking_state.h"
#include "office_time.h"

bool
board_status_visible(const char *status)
{
	return strcmp(status, "booked") == 0 ||
	       strcmp(status, "waiting") == 0 ||
	       strcmp(status, "called") == 0 ||
	       strcmp(status, "in_service") == 0;
}

bool
board_visible(const struct booking *b)
{
	return b->access_code[0] != '\0' &&
	       board_status_visible(booking_status_name(b->status));
}

static void
clock_text(time_t t, bool seconds, char *out, size_t size)
{
	int m;

	if (t == 0) {
		snprintf(out, size, "%s", "");
		return;
	}
	m = otime_minute_of_day(t) % (24 * 60);
	if (m < 0)
		m = 0;
	if (seconds) /* zones differ from UTC by whole minutes */
		snprintf(out, size, "%02d:%02d:%02d", m / 60, m % 60,
		    (int)(((t % 60) + 60) % 60));
	else
		snprintf(out, size, "%02d:%02d", m / 60, m % 60);
}

json_t *
board_public_row(const struct booking *b)
{
	char hhmm[16], called[16];

	clock_text(b->start, false, hhmm, sizeof hhmm);
	clock_text(b->called_at, true, called, sizeof called);
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:I, s:s}",
	    "code", b->access_code, "time", hhmm, "status",
	    booking_status_name(b->status), "label",
	    booking_status_label_pl(b->status), "label_en",
	    booking_status_label_en(b->status), "desk", b->desk_name, "desk_id",
	    (json_int_t)b->desk_id, "room", b->room, "service_id",
	    (json_int_t)b->service_id, "called_at", called);
}

json_t *
board_staff_row(const struct booking *b, time_t late_at)
{
	char start[OTIME_LOCAL_LEN], called[16], late[16];

	otime_format(b->start, start);
	clock_text(b->called_at, true, called, sizeof called);
	clock_text(late_at, false, late, sizeof late);
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:I}",
	    "reference", b->reference, "code", b->access_code, "status",
	    booking_status_name(b->status), "start", start, "desk_id",
	    (json_int_t)b->desk_id, "called_at", called, "late_at", late,
	    "delay_notified", (json_int_t)(b->delay_notified / 60));
}

static time_t
mark_of(const struct booking_mark *marks, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (marks[mid].booking_id == id)
			return marks[mid].at;
		if (marks[mid].booking_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

json_t *
board_snapshot(const struct booking *b, size_t n,
    const struct booking_mark *marks, size_t nmarks, bool staff)
{
	json_t *snap = json_object();
	char key[24];
	size_t i;

	for (i = 0; i < n; i++) {
		if (!staff && b[i].access_code[0] == '\0')
			continue;
		snprintf(key, sizeof key, "%lld", (long long)b[i].id);
		json_object_set_new(snap, key,
		    staff ? board_staff_row(
		                &b[i], mark_of(marks, nmarks, b[i].id))
		          : board_public_row(&b[i]));
	}
	return snap;
}

bool
board_row_matches(json_t *row, int64_t desk_id, const char *room)
{
	const char *r;

	if (desk_id > 0 &&
	    json_integer_value(json_object_get(row, "desk_id")) != desk_id)
		return false;
	if (room != NULL && room[0] != '\0' &&
	    ((r = json_string_value(json_object_get(row, "room"))) == NULL ||
	        strcmp(r, room) != 0))
		return false;
	return true;
}

static int
row_order(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int c = strcmp(json_string_value(json_object_get(x, "time")),
	    json_string_value(json_object_get(y, "time")));

	return c != 0 ? c
	              : strcmp(json_string_value(json_object_get(x, "desk")),
	                    json_string_value(json_object_get(y, "desk")));
}

json_t *
board_rows(json_t *snapshot, int64_t desk_id, const char *room)
{
	json_t *out = json_array(), **rows, *v;
	const char *key;
	size_t n = 0, i;

	rows = calloc(json_object_size(snapshot) + 1, sizeof *rows);
	if (rows == NULL)
		abort();
	json_object_foreach(snapshot, key, v)
	{
		const char *status =
		    json_string_value(json_object_get(v, "status"));

		if (status != NULL && board_status_visible(status) &&
		    board_row_matches(v, desk_id, room))
			rows[n++] = v;
	}
	qsort(rows, n, sizeof *rows, row_order);
	for (i = 0; i < n; i++)
		json_array_append(out, rows[i]);
	free(rows);
	return out;
}

json_t *
board_diff(json_t *before, json_t *now)
{
	json_t *out = json_array(), *v, *old;
	const char *key;

	json_object_foreach(now, key, v)
	{
		old = before != NULL ? json_object_get(before, key) : NULL;
		if (old == NULL || !json_equal(old, v))
			json_array_append(out, v);
	}
	if (before == NULL)
		return out;
	json_object_foreach(before, key, v)
	{
		if (json_object_get(now, key) == NULL) {
			json_t *gone = json_deep_copy(v);

			json_object_set_new(
			    gone, "status", json_string("gone"));
			json_array_append_new(out, gone);
		}
	}
	return out;
}

struct wait_acc {
	int64_t service_id;
	const struct booking *any; /* for the names and the slot length */
	unsigned waiting, visible;
	long served_seconds;
	unsigned served;
	int64_t desks[16]; /* distinct desks that called or served it */
	unsigned ndesks;
};

static void
wait_add_desk(struct wait_acc *w, int64_t desk)
{
	unsigned i;

	for (i = 0; i < w->ndesks; i++)
		if (w->desks[i] == desk)
			return;
	if (w->ndesks < sizeof w->desks / sizeof w->desks[0])
		w->desks[w->ndesks++] = desk;
}

json_t *
board_waits(const struct booking *b, size_t n)
{
	struct wait_acc *acc;
	json_t *out = json_array();
	size_t i, j, nacc = 0;

	if ((acc = calloc(n + 1, sizeof *acc)) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		struct wait_acc *w = NULL;

		for (j = 0; j < nacc; j++)
			if (acc[j].service_id == b[i].service_id)
				w = &acc[j];
		if (w == NULL) {
			w = &acc[nacc++];
			w->service_id = b[i].service_id;
			w->any = &b[i];
		}
		if (board_visible(&b[i]))
			w->visible++;
		switch (b[i].status) {
		case BOOKING_WAITING: w->waiting++; break;
		case BOOKING_CALLED:
		case BOOKING_IN_SERVICE: wait_add_desk(w, b[i].desk_id); break;
		case BOOKING_DONE:
			wait_add_desk(w, b[i].desk_id);
			if (b[i].started_at > 0 &&
			    b[i].ended_at > b[i].started_at) {
				w->served_seconds +=
				    (long)(b[i].ended_at - b[i].started_at);
				w->served++;
			}
			break;
		default: break;
		}
	}
	for (j = 0; j < nacc; j++) {
		struct wait_acc *w = &acc[j];
		long avg, slot = (long)(w->any->end - w->any->start), total;

		if (w->visible == 0)
			continue;
		avg = w->served > 0 ? w->served_seconds / (long)w->served
		                    : (slot > 0 ? slot : 15 * 60);
		total = (long)w->waiting * avg /
		        (long)(w->ndesks > 0 ? w->ndesks : 1);
		json_array_append_new(out,
		    json_pack("{s:I, s:s, s:s, s:i, s:I, s:b}", "service_id",
		        (json_int_t)w->service_id, "service",
		        w->any->service_name, "service_en",
		        w->any->service_name_en[0] ? w->any->service_name_en
		                                   : w->any->service_name,
		        "waiting", (int)w->waiting, "minutes",
		        (json_int_t)((total + 59) / 60), "measured",
		        w->served > 0));
	}
	free(acc);
	return out;
}
