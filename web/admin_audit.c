/*
 * admin_audit.c: the audit log for admins (lib/audit.h), as JSON and as a
 * page, with the same filters:
 *
 *   GET /api/v1/admin/audit?from=YYYY-MM-DD&to=YYYY-MM-DD&operator=LOGIN
 *       &booking=REFERENCE&before=ID&limit=N
 *   GET /admin/audit?…the same…
 *
 * from and to are office-local days, both included; newest first; `before`
 * pages back (the id of the oldest row shown), limit 1–1000 (default 200).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "page.h"
#include "staff.h"

struct audit_query {
	struct audit_filter filter;
	const char *from, *to; /* as given, for the form */
};

static const char *
query(struct request *rq, const char *name)
{
	const char *v = http_query(rq, name);

	return v != NULL ? v : "";
}

/* audit_query_parse: the filters of the query string; -1 with the bad
 * parameter's name */
static int
audit_query_parse(struct request *rq, struct audit_query *q, const char **bad)
{
	struct audit_filter *f = &q->filter;
	struct date day;
	const char *v;
	char *end;
	long n;

	memset(q, 0, sizeof *q);
	q->from = query(rq, "from");
	q->to = query(rq, "to");
	f->login = query(rq, "operator");
	f->reference = query(rq, "booking");
	if (q->from[0] != '\0' && (date_parse(q->from, &day) != 0 ||
	                              otime_make(day, 0, &f->from) != 0)) {
		*bad = "from";
		return -1;
	}
	if (q->to[0] != '\0' &&
	    (date_parse(q->to, &day) != 0 ||
	        otime_make(date_add_days(day, 1), 0, &f->to) != 0)) {
		*bad = "to";
		return -1;
	}
	if ((v = http_query(rq, "before")) != NULL &&
	    !http_parse_id(v, &f->before_id)) {
		*bad = "before";
		return -1;
	}
	if ((v = http_query(rq, "limit")) != NULL) {
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < 1 || n > 1000) {
			*bad = "limit";
			return -1;
		}
		f->limit = (unsigned)n;
	}
	return 0;
}

static json_t *
entry_json(const struct audit_entry *e)
{
	char at[OTIME_LOCAL_LEN];

	otime_format(e->at, at);
	return json_pack("{s:I, s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
	                 " s:s, s:s}",
	    "id", (json_int_t)e->id, "at", at, "unix", (json_int_t)e->at,
	    "operator", e->login, "role", e->role, "channel", e->channel,
	    "action", e->action, "booking", e->reference, "before", e->before,
	    "after", e->after, "detail", e->detail, "address", e->address);
}

static void
audit_api(struct request *rq, struct response *rs)
{
	struct audit_entry *list = NULL;
	struct audit_query q;
	struct store *s;
	struct error err;
	const char *bad = "";
	json_t *out;
	size_t n, i;

	if (audit_query_parse(rq, &q, &bad) != 0) {
		http_json_error(rs, 400, "malformed",
		    "Dates are YYYY-MM-DD; before is an id; limit is 1-1000.",
		    bad);
		return;
	}
	if ((s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (store_audit_list(s, &q.filter, &list, &n, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	out = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(out, entry_json(&list[i]));
	free(list);
	http_json(rs, 200, out);
}

static void
audit_page(struct request *rq, struct response *rs)
{
	struct audit_entry *list = NULL;
	struct audit_query q;
	struct store *s;
	struct error err;
	const char *bad = "";
	json_t *ctx = staff_context(rq, "/admin"), *rows = json_array();
	size_t n = 0, i;
	unsigned status = 200;

	error_clear(&err);
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "audit_title")));
	if (audit_query_parse(rq, &q, &bad) != 0) {
		json_object_set_new(
		    ctx, "error", json_string(page_t(rq, "audit_bad_date")));
		status = 400;
	} else if ((s = http_store(rq)) == NULL ||
	           store_audit_list(s, &q.filter, &list, &n, &err) != 0) {
		json_decref(ctx);
		json_decref(rows);
		page_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	for (i = 0; i < n; i++) {
		json_t *row = entry_json(&list[i]);
		char *at =
		    strdup(json_string_value(json_object_get(row, "at")));

		if (at != NULL && strlen(at) > 10)
			at[10] = ' '; /* "2026-12-08 09:15" */
		json_object_set_new(row, "at", json_string(at ? at : ""));
		free(at);
		/* "operator" names the signed-in one in the staff frame */
		json_object_set_new(row, "login", json_string(list[i].login));
		json_array_append_new(rows, row);
	}
	if (n > 0 && n == (q.filter.limit ? q.filter.limit : 200)) {
		char id[24];
		struct buf older = BUF_INIT;

		snprintf(id, sizeof id, "%lld", (long long)list[n - 1].id);
		http_self_url(rq, "before", id, &older);
		json_object_set_new(
		    ctx, "older", json_string(buf_cstr(&older)));
		buf_free(&older);
	}
	free(list);
	json_object_set_new(ctx, "entries", rows);
	json_object_set_new(ctx, "from", json_string(q.from ? q.from : ""));
	json_object_set_new(ctx, "to", json_string(q.to ? q.to : ""));
	json_object_set_new(ctx, "operator_filter",
	    json_string(q.filter.login ? q.filter.login : ""));
	json_object_set_new(ctx, "booking",
	    json_string(q.filter.reference ? q.filter.reference : ""));
	staff_render(rq, rs, status, "audit", ctx);
}

const struct route audit_routes[] = {
    {"GET", "/api/v1/admin/audit", audit_api, ROLE_ADMIN, 0},
    {"GET", "/admin/audit", audit_page, ROLE_ADMIN, 0},
    {0},
};
