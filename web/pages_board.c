/*
 * pages_board.c: Tablice informacyjne — the public boards for the waiting
 * room's TVs and the desks' small displays, their JSON, and the staff
 * page that lists them.
 *
 *   GET /board[?desk=ID|?room=NAME]   the queue: code, time, status, desk
 *   GET /board/desk/{id}              one desk's current code
 *   GET /api/v1/board[?desk=|?room=]  the same rows as JSON (CONTRACT.md)
 *   GET /api/v1/board/waits           estimated waits per service
 *   GET /staff/boards                 links to every board (reception)
 *
 * Never a name, e-mail or phone: rows are board.h's public rows. The pages
 * work without JavaScript (they reload themselves every REFRESH_SECONDS);
 * with it, board.js listens to /board/events and changes only what
 * changed, highlights a call and chimes where the screen allows sound.
 * Polish first, English beneath, readable from across a hall.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "board.h"
#include "page.h"
#include "staff.h"
#include "url.h"

#define REFRESH_SECONDS 20

struct board_query {
	int64_t desk_id;
	const char *room; /* NULL = all */
	struct desk desk; /* when desk_id */
};

/* today's bookings; NULL after answering 503 */
static struct booking *
today(struct request *rq, struct response *rs, size_t *n)
{
	struct booking_filter f;
	struct booking *day = NULL;
	struct store *s;
	struct error err;

	if ((s = api_store(rq, rs)) == NULL)
		return NULL;
	memset(&f, 0, sizeof f);
	f.from = f.to = date_of(rq->now);
	f.status = -1;
	f.limit = 20000;
	error_clear(&err);
	if (store_bookings_search(s, &f, &day, n, &err) != 0) {
		api_error(rs, &err);
		return NULL;
	}
	if (day == NULL) /* an empty day: a valid pointer all the same */
		day = calloc(1, sizeof *day);
	return day;
}

static bool
desk_found(struct request *rq, struct board_query *q)
{
	struct store *s = http_store(rq);
	struct error err;

	error_clear(&err);
	return s != NULL && api_desk_get(s, q->desk_id, &q->desk, &err) == 0;
}

/* query: ?desk= and ?room=; false after answering 404/422 */
static bool
board_query(
    struct request *rq, struct response *rs, struct board_query *q, bool json)
{
	const char *desk = http_query(rq, "desk");

	memset(q, 0, sizeof *q);
	q->room = http_query(rq, "room");
	if (q->room != NULL && q->room[0] == '\0')
		q->room = NULL;
	if (desk == NULL || desk[0] == '\0')
		return true;
	if (!http_parse_id(desk, &q->desk_id) || !desk_found(rq, q)) {
		if (json)
			http_json_error(
			    rs, 404, "unknown_desk", "No such desk.", "desk");
		else
			page_message(rq, rs, 404, "err_notfound_title",
			    "err_notfound_text");
		return false;
	}
	return true;
}

static json_t *
rows_of(const struct booking *day, size_t n, const struct board_query *q)
{
	json_t *snap = board_snapshot(day, n, NULL, 0, false);
	json_t *rows = board_rows(snap, q->desk_id, q->room);

	json_decref(snap);
	return rows;
}

static void
api_board(struct request *rq, struct response *rs)
{
	struct board_query q;
	struct booking *day;
	size_t n = 0;

	if (!board_query(rq, rs, &q, true) || (day = today(rq, rs, &n)) == NULL)
		return;
	http_json(rs, 200, rows_of(day, n, &q));
	free(day);
}

static void
api_board_waits(struct request *rq, struct response *rs)
{
	struct booking *day;
	size_t n = 0;

	if ((day = today(rq, rs, &n)) == NULL)
		return;
	http_json(rs, 200, board_waits(day, n));
	free(day);
}

/* waits_view: the waits with their minutes as words, both languages */
static json_t *
waits_view(struct request *rq, json_t *waits)
{
	json_t *w;
	size_t i;
	char text[48];
	const char *lang = rq->lang;

	json_array_foreach(waits, i, w)
	{
		long m =
		    (long)json_integer_value(json_object_get(w, "minutes"));

		rq->lang = "pl";
		page_minutes(rq, m, text, sizeof text);
		json_object_set_new(w, "minutes_pl", json_string(text));
		rq->lang = "en";
		page_minutes(rq, m, text, sizeof text);
		json_object_set_new(w, "minutes_en", json_string(text));
		rq->lang = lang;
	}
	return waits;
}

static void
board_render(struct request *rq, struct response *rs, const char *name,
    json_t *ctx, const char *events)
{
	char refresh[16], clock[16];
	int m = otime_minute_of_day(rq->now);

	snprintf(refresh, sizeof refresh, "%d", REFRESH_SECONDS);
	snprintf(clock, sizeof clock, "%02d:%02d", m / 60, m % 60);
	json_object_set_new(ctx, "refresh", json_string(refresh));
	json_object_set_new(ctx, "clock", json_string(clock));
	json_object_set_new(ctx, "events", json_string(events));
	/* Polish first, English beneath: both catalogs */
	json_object_set(ctx, "t_en", rq->web->catalog[1]);
	rs->scripts = true;
	page_render_in(rq, rs, 200, name, "board_layout", ctx);
}

static void
board_page(struct request *rq, struct response *rs)
{
	struct board_query q;
	struct booking *day;
	struct buf events = BUF_INIT;
	json_t *ctx, *rows;
	size_t n = 0;

	if (!board_query(rq, rs, &q, false) ||
	    (day = today(rq, rs, &n)) == NULL)
		return;
	rq->lang = "pl"; /* both languages on one screen */
	ctx = page_context(rq);
	rows = rows_of(day, n, &q);
	json_object_set_new(
	    ctx, "has_rows", json_boolean(json_array_size(rows)));
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(ctx, "waits", waits_view(rq, board_waits(day, n)));
	free(day);
	buf_puts(&events, "/board/events");
	if (q.desk_id > 0) {
		buf_printf(&events, "?desk=%lld", (long long)q.desk_id);
		json_object_set_new(ctx, "place", json_string(q.desk.name));
	} else if (q.room != NULL) {
		buf_puts(&events, "?room=");
		url_encode(&events, q.room);
		json_object_set_new(ctx, "place", json_string(q.room));
	}
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "board_title")));
	board_render(rq, rs, "board", ctx, buf_cstr(&events));
	buf_free(&events);
}

/* the current code at a desk: the latest called or in service */
static void
desk_display(struct request *rq, struct response *rs)
{
	struct board_query q;
	struct booking *day;
	struct buf events = BUF_INIT;
	json_t *ctx, *rows, *row, *current = NULL;
	size_t n = 0, i;

	memset(&q, 0, sizeof q);
	if (!http_parse_id(rq->captures[0], &q.desk_id) ||
	    !desk_found(rq, &q)) {
		page_message(
		    rq, rs, 404, "err_notfound_title", "err_notfound_text");
		return;
	}
	if ((day = today(rq, rs, &n)) == NULL)
		return;
	rows = rows_of(day, n, &q);
	free(day);
	json_array_foreach(rows, i, row)
	{
		const char *st =
		    json_string_value(json_object_get(row, "status"));

		if ((strcmp(st, "called") == 0 ||
		        strcmp(st, "in_service") == 0) &&
		    (current == NULL ||
		        strcmp(json_string_value(
		                   json_object_get(row, "called_at")),
		            json_string_value(
		                json_object_get(current, "called_at"))) > 0))
			current = row;
	}
	rq->lang = "pl";
	ctx = page_context(rq);
	json_object_set_new(ctx, "place", json_string(q.desk.name));
	if (current != NULL)
		json_object_set(ctx, "current", current);
	json_decref(rows);
	buf_printf(&events, "/board/events?desk=%lld", (long long)q.desk_id);
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "board_desk_title")));
	board_render(rq, rs, "board_desk", ctx, buf_cstr(&events));
	buf_free(&events);
}

/* /staff/boards: every board's address, to open on the hall's screens */
static void
boards_list(struct request *rq, struct response *rs)
{
	struct desk *desks = NULL;
	struct store *s;
	struct error err;
	json_t *ctx, *rooms = json_array(), *list = json_array();
	size_t n = 0, i, j;

	if ((s = http_store(rq)) == NULL) {
		json_decref(rooms);
		json_decref(list);
		staff_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	error_clear(&err);
	if (store_desks_list(s, &desks, &n, &err) != 0)
		n = 0;
	for (i = 0; i < n; i++) {
		struct buf href = BUF_INIT;

		for (j = 0; j < i; j++)
			if (strcmp(desks[j].room, desks[i].room) == 0)
				break;
		if (j == i && desks[i].room[0] != '\0') {
			buf_puts(&href, "/board?room=");
			url_encode(&href, desks[i].room);
			json_array_append_new(
			    rooms, json_pack("{s:s, s:s}", "name",
			               desks[i].room, "href", buf_cstr(&href)));
		}
		buf_free(&href);
		json_array_append_new(
		    list, json_pack("{s:s, s:I}", "name", desks[i].name, "id",
		              (json_int_t)desks[i].id));
	}
	free(desks);
	ctx = staff_context(rq, "/staff/boards");
	json_object_set_new(ctx, "rooms", rooms);
	json_object_set_new(ctx, "desks", list);
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "menu_boards")));
	staff_render(rq, rs, 200, "boards", ctx);
}

const struct route board_routes[] = {
    {"GET", "/board", board_page, ROLE_PUBLIC, 0},
    {"GET", "/board/desk/{}", desk_display, ROLE_PUBLIC, 0},
    {"GET", "/api/v1/board", api_board, ROLE_PUBLIC, 0},
    {"GET", "/api/v1/board/waits", api_board_waits, ROLE_PUBLIC, 0},
    {"GET", "/staff/boards", boards_list, ROLE_RECEPTION, 0},
    {0},
};
