/*
 * pages_register.c: *Rejestr rezerwacji* — the booking register, as a
 * page and as the API of CONTRACT.md:
 *
 *   GET  /staff/register?FILTERS             search, a keyset page of rows
 *   POST /staff/register/{ref}/confirm       Potwierdź ✔ (back=…)
 *   GET  /staff/register/{ref}/cancel        Usuń 🗑: the reason to give
 *   POST /staff/register/{ref}/cancel        cancel, the citizen is told
 *   POST /staff/register/{ref}/note          Adnotacja 💬
 *   GET  /api/v1/staff/bookings?FILTERS      the same search as JSON
 *
 * FILTERS (register_query_read): first_name, last_name, code, service_id,
 * from, to (or date), desk_id, email, phone, status, schedule (yes|no:
 * *Rezerwacja zgodna z terminarzem*), source (web|api|staff|waitlist: *Rodzaj
 * rezerwacji*), q (free text), limit, after, before (keyset cursors).
 * The API answers CONTRACT's array; the neighbouring pages are in the
 * Link header (rel="next", rel="prev"), never an offset.
 *
 * Every action is a form that works without JavaScript and comes back
 * (303) to the page it came from (the form's "back") with what happened.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "booking.h"
#include "log.h"
#include "page.h"
#include "pages_register.h"
#include "staff.h"
#include "token.h"
#include "url.h"

/* ---- what the files share ---------------------------------------------- */

static bool
read_id(struct request *rq, const char *name, int64_t *out)
{
	const char *v = http_query(rq, name);

	*out = 0;
	return v == NULL || v[0] == '\0' || http_parse_id(v, out);
}

static bool
read_date(struct request *rq, const char *name, struct date *out)
{
	const char *v = http_query(rq, name);

	memset(out, 0, sizeof *out);
	return v == NULL || v[0] == '\0' || date_parse(v, out) == 0;
}

bool
register_query_read(
    struct request *rq, struct register_query *q, const char **bad)
{
	const char *v;
	struct date day;

	register_query_init(q);
	q->first_name = http_query(rq, "first_name");
	q->last_name = http_query(rq, "last_name");
	q->code = http_query(rq, "code");
	q->email = http_query(rq, "email");
	q->phone = http_query(rq, "phone");
	q->q = http_query(rq, "q");
	q->source = http_query(rq, "source");
	q->after = http_query(rq, "after");
	q->before = http_query(rq, "before");
	if (!read_date(rq, "date", &day)) {
		*bad = "date";
		return false;
	}
	if (day.year != 0)
		q->from = q->to = day;
	if (!read_date(rq, "from", &day)) {
		*bad = "from";
		return false;
	}
	if (day.year != 0)
		q->from = day;
	if (!read_date(rq, "to", &day)) {
		*bad = "to";
		return false;
	}
	if (day.year != 0)
		q->to = day;
	if (!read_id(rq, "service_id", &q->service_id)) {
		*bad = "service_id";
		return false;
	}
	if (!read_id(rq, "desk_id", &q->desk_id)) {
		*bad = "desk_id";
		return false;
	}
	if ((v = http_query(rq, "status")) != NULL && v[0] != '\0' &&
	    strcmp(v, "all") != 0) {
		enum booking_status st;

		if (booking_status_parse(v, &st) != 0) {
			*bad = "status";
			return false;
		}
		q->status = (int)st;
	}
	if ((v = http_query(rq, "schedule")) != NULL && v[0] != '\0' &&
	    strcmp(v, "all") != 0) {
		if (strcmp(v, "yes") == 0)
			q->schedule = 1;
		else if (strcmp(v, "no") == 0)
			q->schedule = 0;
		else {
			*bad = "schedule";
			return false;
		}
	}
	if ((v = http_query(rq, "limit")) != NULL && v[0] != '\0') {
		char *end;
		long n = strtol(v, &end, 10);

		if (*end != '\0' || n < 1 || n > REGISTER_LIMIT_MAX) {
			*bad = "limit";
			return false;
		}
		q->limit = (unsigned)n;
	}
	return true;
}

json_t *
register_booking_json(const struct booking *b, int schedule_ok)
{
	json_t *v = api_staff_booking_json(b);
	char at[OTIME_LOCAL_LEN];

	json_object_set_new(v, "email", json_string(b->email));
	json_object_set_new(v, "phone", json_string(b->phone));
	json_object_set_new(v, "source", json_string(b->source));
	otime_format(b->created_at, at);
	json_object_set_new(v, "created_at", json_string(at));
	if (b->move_answer[0] != '\0') {
		otime_format(b->moved_at, at);
		json_object_set_new(v, "move",
		    json_pack(
		        "{s:s, s:s}", "answer", b->move_answer, "at", at));
	} else
		json_object_set_new(v, "move", json_null());
	if (schedule_ok >= 0)
		json_object_set_new(
		    v, "schedule_ok", json_boolean(schedule_ok != 0));
	return v;
}

const char *
register_back(struct request *rq, const char *fallback)
{
	const char *back = http_form(rq, "back");

	if (back[0] != '\0' && url_local_path(back) &&
	    strncmp(back, "/staff/register", 15) == 0 &&
	    (back[15] == '\0' || back[15] == '?' || back[15] == '/'))
		return back;
	return fallback;
}

void
register_redirect(struct response *rs, const char *back, const char *done,
    const struct error *err)
{
	struct buf to = BUF_INIT;
	const char *hash = strchr(back, '#');
	size_t len = hash != NULL ? (size_t)(hash - back) : strlen(back);

	buf_append(&to, back, len);
	buf_putc(&to, memchr(back, '?', len) != NULL ? '&' : '?');
	if (err != NULL)
		buf_printf(&to, "err=%s", err->code[0] ? err->code : "generic");
	else
		buf_printf(&to, "done=%s", done);
	if (hash != NULL)
		buf_puts(&to, hash);
	http_redirect(rs, buf_cstr(&to));
	buf_free(&to);
}

/* a word of [a-z_], not too long: safe to make a catalog key of */
static bool
plain_word(const char *v, size_t max)
{
	const char *p;

	for (p = v; *p != '\0'; p++)
		if (!islower((unsigned char)*p) && *p != '_')
			return false;
	return p > v && (size_t)(p - v) < max;
}

void
register_flash(struct request *rq, json_t *ctx)
{
	const char *done = http_query(rq, "done"),
	           *code = http_query(rq, "err");
	char key[48];

	if (done != NULL && plain_word(done, 24)) {
		snprintf(key, sizeof key, "reg_done_%s", done);
		if (page_t(rq, key)[0] != '\0')
			json_object_set_new(
			    ctx, "done", json_string(page_t(rq, key)));
	}
	if (code != NULL) {
		struct error e;

		error_clear(&e);
		if (plain_word(code, 40))
			error_set_code(&e, ERROR_INVALID, code, NULL, "-");
		json_object_set_new(
		    ctx, "error", json_string(page_error_text(rq, &e)));
	}
}

const char *
register_status_label(struct request *rq, enum booking_status st)
{
	return strcmp(rq->lang, "en") == 0 ? booking_status_label_en(st)
	                                   : booking_status_label_pl(st);
}

void
register_day_text(time_t t, char out[16])
{
	struct date d = date_of(t);

	snprintf(out, 16, "%02d.%02d.%04d", d.day % 100, d.month % 100,
	    d.year % 10000);
}

void
register_time_text(time_t t, char out[8])
{
	int m = otime_minute_of_day(t);

	snprintf(out, 8, "%02d:%02d", (m / 60) % 24, m % 60);
}

/* ---- the page ------------------------------------------------------------ */

/* query_copy: the register's address as asked, without done, err and
 * the cursors (where its forms come back to, and the pages' links) */
static void
query_copy(
    struct request *rq, const char *path, bool keep_cursor, struct buf *out)
{
	size_t i;
	bool first = true;

	buf_puts(out, path);
	for (i = 0; i < rq->args.n; i++) {
		const struct http_pair *a = &rq->args.items[i];
		bool cursor = strcmp(a->name, "after") == 0 ||
		              strcmp(a->name, "before") == 0;

		if (strcmp(a->name, "done") == 0 ||
		    strcmp(a->name, "err") == 0 || (cursor && !keep_cursor) ||
		    a->value == NULL || a->value[0] == '\0')
			continue;
		buf_putc(out, first ? '?' : '&');
		first = false;
		url_encode(out, a->name);
		buf_putc(out, '=');
		url_encode(out, a->value);
	}
}

static void
this_page(struct request *rq, struct buf *out)
{
	query_copy(rq, "/staff/register", true, out);
}

/* page_link: path with the filters and one cursor (name=cursor) */
static void
page_link(struct request *rq, const char *path, const char *name,
    const char *cursor, struct buf *out)
{
	size_t start = out->len;

	query_copy(rq, path, false, out);
	buf_printf(out,
	    "%c%s=", strchr(buf_cstr(out) + start, '?') != NULL ? '&' : '?',
	    name);
	url_encode(out, cursor);
}

static json_t *
page_link_json(struct request *rq, const char *name, const char *cursor)
{
	struct buf b = BUF_INIT;
	json_t *v;

	page_link(rq, "/staff/register", name, cursor, &b);
	v = json_string(buf_cstr(&b));
	buf_free(&b);
	return v;
}

/* the <select> options: value, label, selected */
static json_t *
option(const char *value, const char *label, const char *current)
{
	return json_pack("{s:s, s:s, s:b}", "value", value, "label", label,
	    "selected", current != NULL && strcmp(current, value) == 0);
}

static int
choices(struct request *rq, struct store *s, json_t *ctx, struct error *err)
{
	static const char *const sources[] = {
	    "web", "api", "staff", "waitlist"};
	const char *cur;
	struct service *sv = NULL;
	struct desk *desks = NULL;
	json_t *list;
	size_t n, i;
	char id[24], key[48];
	bool en = strcmp(rq->lang, "en") == 0;

	if (store_services_list(s, false, &sv, &n, err) != 0)
		return -1;
	cur = http_query(rq, "service_id");
	list = json_array();
	json_array_append_new(list, option("", page_t(rq, "reg_any"), cur));
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "%lld", (long long)sv[i].id);
		json_array_append_new(list,
		    option(id,
		        en && sv[i].name_en[0] ? sv[i].name_en : sv[i].name,
		        cur));
	}
	free(sv);
	json_object_set_new(ctx, "services", list);
	if (store_desks_list(s, &desks, &n, err) != 0)
		return -1;
	cur = http_query(rq, "desk_id");
	list = json_array();
	json_array_append_new(list, option("", page_t(rq, "reg_any"), cur));
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof id, "%lld", (long long)desks[i].id);
		json_array_append_new(list, option(id, desks[i].name, cur));
	}
	free(desks);
	json_object_set_new(ctx, "desks", list);
	cur = http_query(rq, "status");
	list = json_array();
	json_array_append_new(list, option("", page_t(rq, "reg_any"), cur));
	for (i = 0; i < BOOKING_STATUS_COUNT; i++)
		json_array_append_new(
		    list, option(booking_status_name((enum booking_status)i),
		              register_status_label(rq, (enum booking_status)i),
		              cur));
	json_object_set_new(ctx, "statuses", list);
	cur = http_query(rq, "schedule");
	list = json_array();
	json_array_append_new(list, option("", page_t(rq, "reg_any"), cur));
	json_array_append_new(
	    list, option("yes", page_t(rq, "reg_schedule_yes"), cur));
	json_array_append_new(
	    list, option("no", page_t(rq, "reg_schedule_no"), cur));
	json_object_set_new(ctx, "schedules", list);
	cur = http_query(rq, "source");
	list = json_array();
	json_array_append_new(list, option("", page_t(rq, "reg_any"), cur));
	for (i = 0; i < sizeof sources / sizeof sources[0]; i++) {
		snprintf(key, sizeof key, "reg_source_%s", sources[i]);
		json_array_append_new(
		    list, option(sources[i], page_t(rq, key), cur));
	}
	json_object_set_new(ctx, "sources", list);
	return 0;
}

/* what the form shows back: every filter as typed */
static void
form_values(struct request *rq, json_t *ctx)
{
	static const char *const names[] = {"first_name", "last_name", "code",
	    "email", "phone", "q", "from", "to"};
	json_t *f = json_object();
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *v = http_query(rq, names[i]);

		json_object_set_new(
		    f, names[i], json_string(v != NULL ? v : ""));
	}
	json_object_set_new(ctx, "f", f);
}

/* the move's answer, in staff's words, or "" */
static const char *
move_label(struct request *rq, const struct booking *b)
{
	char key[40];

	if (b->move_answer[0] == '\0')
		return "";
	snprintf(key, sizeof key, "reg_move_%s", b->move_answer);
	return page_t(rq, key);
}

static json_t *
row_json(struct request *rq, const struct register_row *r)
{
	const struct booking *b = &r->booking;
	char day[16], at[8], link[64];
	bool en = strcmp(rq->lang, "en") == 0;
	json_t *v;

	register_day_text(b->start, day);
	register_time_text(b->start, at);
	v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
	              " s:s, s:s, s:b}",
	    "reference", b->reference, "day", day, "time", at, "code",
	    b->access_code, "first_name", b->first_name, "last_name",
	    b->last_name, "email", b->email, "phone", b->phone, "service",
	    en && b->service_name_en[0] ? b->service_name_en : b->service_name,
	    "desk", b->desk_name, "status", booking_status_name(b->status),
	    "label", register_status_label(rq, b->status), "fits", r->fits);
	snprintf(link, sizeof link, "/staff/register/%s", b->reference);
	json_object_set_new(v, "link", json_string(link));
	if (b->note[0] != '\0')
		json_object_set_new(v, "note", json_string(b->note));
	if (b->move_answer[0] != '\0')
		json_object_set_new(v, "move", json_string(move_label(rq, b)));
	json_object_set_new(
	    v, "confirmable", json_boolean(b->status == BOOKING_PENDING));
	json_object_set_new(v, "cancellable",
	    json_boolean(booking_action_legal(b->status, ACTION_CANCEL)));
	json_object_set_new(
	    v, "movable", json_boolean(booking_status_open(b->status)));
	return v;
}

static void
register_page(struct request *rq, struct response *rs)
{
	json_t *ctx = staff_context(rq, "/staff/register"), *rows;
	struct register_query q;
	struct register_page page;
	struct store *s = http_store(rq);
	struct buf back = BUF_INIT;
	struct error err;
	const char *bad = NULL;
	unsigned status = 200;
	size_t i;

	error_clear(&err);
	memset(&page, 0, sizeof page);
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "menu_register")));
	if (s == NULL || choices(rq, s, ctx, &err) != 0) {
		json_decref(ctx);
		staff_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	register_flash(rq, ctx);
	form_values(rq, ctx);
	if (!register_query_read(rq, &q, &bad)) {
		char key[48];

		snprintf(key, sizeof key, "reg_bad_%s", bad);
		json_object_set_new(ctx, "error", json_string(page_t(rq, key)));
		json_object_set_new(ctx, "bad", json_string(bad));
		status = 400;
	} else {
		/* the register opens on what is ahead: from today */
		if (rq->args.n == 0) {
			char today[DATE_LEN];

			q.from = date_of(rq->now);
			date_format(q.from, today);
			json_object_set_new(json_object_get(ctx, "f"), "from",
			    json_string(today));
		}
		if (register_search(s, &q, &page, &err) != 0) {
			if (err.kind != ERROR_INVALID) {
				log_error("register: %s", err.msg);
				json_decref(ctx);
				staff_message(
				    rq, rs, 503, "err_db_title", "err_db_text");
				return;
			}
			json_object_set_new(ctx, "error",
			    json_string(page_error_text(rq, &err)));
			json_object_set_new(ctx, "bad", json_string(err.field));
			status = 422;
		}
	}
	rows = json_array();
	for (i = 0; i < page.n; i++)
		json_array_append_new(rows, row_json(rq, &page.rows[i]));
	json_object_set_new(ctx, "rows", rows);
	json_object_set_new(ctx, "searched", json_boolean(status == 200));
	if (page.next[0] != '\0')
		json_object_set_new(
		    ctx, "next", page_link_json(rq, "after", page.next));
	if (page.prev[0] != '\0')
		json_object_set_new(
		    ctx, "prev", page_link_json(rq, "before", page.prev));
	json_object_set_new(
	    ctx, "scan_stopped", json_boolean(page.scan_stopped));
	json_object_set_new(ctx, "paged",
	    json_boolean(page.next[0] != '\0' || page.prev[0] != '\0'));
	this_page(rq, &back);
	json_object_set_new(ctx, "back", json_string(buf_cstr(&back)));
	{
		struct buf enc = BUF_INIT;

		url_encode(&enc, buf_cstr(&back));
		json_object_set_new(ctx, "back_q", json_string(buf_cstr(&enc)));
		buf_free(&enc);
	}
	buf_free(&back);
	register_page_free(&page);
	staff_render(rq, rs, status, "register", ctx);
}

/* ---- the row actions ---------------------------------------------------- */

static bool
reference_of(struct request *rq)
{
	return token_reference_valid(rq->captures[0]);
}

/* action_store: the database for an action on the path's booking, or
 * NULL with err saying why not (no such reference, no database) */
static struct store *
action_store(struct request *rq, struct error *err)
{
	struct store *s = NULL;

	error_clear(err);
	if (!reference_of(rq))
		error_set_code(err, ERROR_NOT_FOUND, "unknown_booking", NULL,
		    "No such booking.");
	else if ((s = http_store(rq)) == NULL)
		error_set_code(err, ERROR_IO, "unavailable", NULL, "-");
	return s;
}

static void
register_confirm(struct request *rq, struct response *rs)
{
	const char *back = register_back(rq, "/staff/register");
	struct error err;
	struct store *s = action_store(rq, &err);

	if (s != NULL &&
	    booking_apply(s, rq->web->config, rq->captures[0], ACTION_CONFIRM,
	        &rq->actor, rq->now, NULL, &err) == 0) {
		register_redirect(rs, back, "confirmed", NULL);
		return;
	}
	register_redirect(rs, back, NULL, &err);
}

static void
cancel_render(struct request *rq, struct response *rs, const struct booking *b,
    const char *back, const char *reason, const struct error *err)
{
	json_t *ctx = staff_context(rq, "/staff/register");
	char day[16], at[8];

	register_day_text(b->start, day);
	register_time_text(b->start, at);
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "reg_cancel_title")));
	json_object_set_new(ctx, "booking",
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "reference",
	        b->reference, "day", day, "time", at, "first_name",
	        b->first_name, "last_name", b->last_name, "service",
	        b->service_name, "desk", b->desk_name));
	json_object_set_new(ctx, "back", json_string(back));
	json_object_set_new(ctx, "reason", json_string(reason));
	json_object_set_new(ctx, "told_email", json_boolean(b->email[0]));
	json_object_set_new(ctx, "told_sms", json_boolean(b->phone[0]));
	if (err != NULL)
		json_object_set_new(
		    ctx, "error", json_string(page_error_text(rq, err)));
	staff_render(rq, rs, err != NULL ? 422 : 200, "register_cancel", ctx);
}

bool
register_path_booking(struct request *rq, struct response *rs, struct store **s,
    struct booking *b)
{
	struct error err;

	error_clear(&err);
	if ((*s = http_store(rq)) == NULL) {
		staff_message(rq, rs, 503, "err_db_title", "err_db_text");
		return false;
	}
	if (!reference_of(rq) ||
	    store_booking_by_reference(*s, rq->captures[0], b, &err) != 0) {
		if (err.kind == ERROR_IO || err.kind == ERROR_INTERNAL)
			staff_message(
			    rq, rs, 503, "err_db_title", "err_db_text");
		else
			staff_message(rq, rs, 404, "reg_unknown_title",
			    "reg_unknown_text");
		return false;
	}
	return true;
}

static void
register_cancel_page(struct request *rq, struct response *rs)
{
	const char *back = http_query(rq, "back");
	struct booking b;
	struct store *s;

	if (!register_path_booking(rq, rs, &s, &b))
		return;
	if (back == NULL || !url_local_path(back) ||
	    strncmp(back, "/staff/register", 15) != 0)
		back = "/staff/register";
	if (!booking_action_legal(b.status, ACTION_CANCEL)) {
		struct error err;

		error_clear(&err);
		error_set_code(&err, ERROR_CONFLICT, "wrong_state", NULL, "-");
		register_redirect(rs, back, NULL, &err);
		return;
	}
	cancel_render(rq, rs, &b, back, "", NULL);
}

static void
register_cancel(struct request *rq, struct response *rs)
{
	const char *back = register_back(rq, "/staff/register");
	const char *reason = http_form(rq, "reason");
	struct booking b;
	struct store *s;
	struct error err;

	if (!register_path_booking(rq, rs, &s, &b))
		return;
	error_clear(&err);
	if (booking_cancel_because(s, rq->web->config, b.reference, reason,
	        &rq->actor, rq->now, NULL, &err) == 0) {
		register_redirect(rs, back, "cancelled", NULL);
		return;
	}
	if (err.kind == ERROR_INVALID) /* the reason: say so beside it */
		cancel_render(rq, rs, &b, back, reason, &err);
	else
		register_redirect(rs, back, NULL, &err);
}

static void
register_note(struct request *rq, struct response *rs)
{
	char fallback[64];
	const char *back;
	struct error err;
	struct store *s = action_store(rq, &err);

	snprintf(fallback, sizeof fallback, "/staff/register/%s#note",
	    reference_of(rq) ? rq->captures[0] : "");
	back = register_back(rq, fallback);
	if (s != NULL &&
	    booking_add_note(s, rq->web->config, rq->captures[0],
	        http_form(rq, "text"), &rq->actor, rq->now, NULL, &err) == 0) {
		register_redirect(rs, back, "noted", NULL);
		return;
	}
	register_redirect(rs, back, NULL, &err);
}

/* ---- the API ------------------------------------------------------------- */

static void
link_header(
    struct request *rq, struct response *rs, const struct register_page *page)
{
	struct buf link = BUF_INIT;

	if (page->next[0] != '\0') {
		buf_putc(&link, '<');
		page_link(
		    rq, "/api/v1/staff/bookings", "after", page->next, &link);
		buf_puts(&link, ">; rel=\"next\"");
	}
	if (page->prev[0] != '\0') {
		buf_puts(&link, link.len > 0 ? ", <" : "<");
		page_link(
		    rq, "/api/v1/staff/bookings", "before", page->prev, &link);
		buf_puts(&link, ">; rel=\"prev\"");
	}
	if (link.len > 0)
		http_header_add(rs, "Link", buf_cstr(&link));
	buf_free(&link);
}

static void
api_register(struct request *rq, struct response *rs)
{
	struct register_query q;
	struct register_page page;
	struct store *s;
	struct error err;
	const char *bad = NULL;
	char msg[96];
	json_t *list;
	size_t i;

	if (!register_query_read(rq, &q, &bad)) {
		snprintf(
		    msg, sizeof msg, "Query parameter %s is not valid.", bad);
		http_json_error(rs, 400, "malformed", msg, bad);
		return;
	}
	if ((s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (register_search(s, &q, &page, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	list = json_array();
	for (i = 0; i < page.n; i++)
		json_array_append_new(
		    list, register_booking_json(
		              &page.rows[i].booking, page.rows[i].fits));
	link_header(rq, rs, &page);
	if (page.scan_stopped)
		http_header_add(rs, "X-Scan-Stopped", "1");
	register_page_free(&page);
	http_json(rs, 200, list);
}

const struct route register_routes[] = {
    {"GET", "/staff/register", register_page, ROLE_STAFF, 0},
    {"POST", "/staff/register/{}/confirm", register_confirm, ROLE_STAFF,
        ROUTE_FORM},
    {"GET", "/staff/register/{}/cancel", register_cancel_page, ROLE_STAFF, 0},
    {"POST", "/staff/register/{}/cancel", register_cancel, ROLE_STAFF,
        ROUTE_FORM},
    {"POST", "/staff/register/{}/note", register_note, ROLE_STAFF, ROUTE_FORM},
    {"GET", "/api/v1/staff/bookings", api_register, ROLE_STAFF, 0},
    {0},
};
