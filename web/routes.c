/*
 * routes.c: the list of route tables, the matcher, and the one place that
 * decides who may open a route. Each page group defines its own table
 * beside its handlers; adding a page never touches another group's file.
 * HEAD is answered as GET (the body is dropped by the server).
 *
 * Before a handler runs, routes_dispatch:
 *   1. finds the route (404; 405 with Allow listing the path's methods);
 *   2. turns the Bearer token or the session cookie into rq->account and
 *      rq->actor (session.c; a bad token is 401);
 *   3. checks the route's role: nobody signed in → 401 (JSON under /api/,
 *      else 303 to /staff/login?next=…), a role too low → 403;
 *   4. checks CSRF for unsafe methods: a form's csrf field against the
 *      cookie (ROUTE_FORM), and for the API only when a browser's session
 *      cookie authenticates it — then the X-CSRF-Token header must carry
 *      the csrf cookie's value (staff pages expose it in
 *      <meta name="csrf-token">). A Bearer call carries no ambient
 *      credential and is not checked; neither is an anonymous API call.
 */
#include <stdio.h>
#include <string.h>

#include "events.h"
#include "http.h"
#include "page.h"
#include "security.h"
#include "session.h"
#include "staff.h"
#include "token.h"
#include "url.h"

/* first match wins: a page's own table before the placeholders of
 * staff_routes (staff.c) */
static const struct route *const tables[] = {
    api_routes,
    staff_api_routes,
    events_routes,
    board_routes,
    desk_routes,
    register_slot_routes,
    register_routes,
    register_booking_routes,
    audit_routes,
    accounts_routes,
    catalogue_routes,
    calendar_routes,
    settings_routes,
    templates_routes,
    replies_routes,
    ops_routes,
    privacy_routes,
    book_routes,
    waitlist_routes, staff_waitlist_routes,
    ticket_routes,
    find_routes,
    static_routes,
    devmail_routes,
    login_routes,
    reception_routes, day_list_routes, reports_routes,
    staff_routes,
};

#define NTABLES (sizeof tables / sizeof tables[0])

/* match pattern against path; captures point into scratch */
static bool
route_match(const char *pattern, const char *path, struct request *rq,
    char *scratch, size_t scratch_size)
{
	const char *p = pattern, *s = path;
	char *w = scratch, *end = scratch + scratch_size;

	rq->ncaptures = 0;
	for (;;) {
		if (*p == '*') {
			size_t n = strlen(s);

			if (w + n + 1 > end ||
			    rq->ncaptures == HTTP_MAX_CAPTURES)
				return false;
			memcpy(w, s, n + 1);
			rq->captures[rq->ncaptures++] = w;
			return true;
		}
		if (p[0] == '{' && p[1] == '}') {
			size_t n = strcspn(s, "/");

			if (n == 0 || w + n + 1 > end ||
			    rq->ncaptures == HTTP_MAX_CAPTURES)
				return false;
			memcpy(w, s, n);
			w[n] = '\0';
			rq->captures[rq->ncaptures++] = w;
			w += n + 1;
			s += n;
			p += 2;
			continue;
		}
		if (*p != *s)
			return false;
		if (*p == '\0')
			return true;
		p++;
		s++;
	}
}

static bool
is_api(const char *path)
{
	return strncmp(path, "/api/", 5) == 0;
}

static bool
is_safe(const char *method)
{
	return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

/* allow_add: a method into the Allow list once (GET brings HEAD) */
static void
allow_add(char *allow, size_t size, const char *method)
{
	char item[16];
	size_t n = strlen(allow);

	snprintf(item, sizeof item, "%s", method);
	if (strstr(allow, item) != NULL)
		return;
	snprintf(allow + n, size - n, "%s%s%s", n ? ", " : "", method,
	    strcmp(method, "GET") == 0 ? ", HEAD" : "");
}

static void
not_found(struct request *rq, struct response *rs, const char *allow)
{
	if (is_api(rq->path)) {
		if (allow[0] != '\0')
			http_json_error(rs, 405, "method_not_allowed",
			    "This resource does not take this method: see "
			    "the Allow header.",
			    NULL);
		else
			http_json_error(
			    rs, 404, "not_found", "No such resource.", NULL);
	} else if (allow[0] != '\0')
		page_message(
		    rq, rs, 405, "err_method_title", "err_method_text");
	else
		page_message(
		    rq, rs, 404, "err_notfound_title", "err_notfound_text");
	if (allow[0] != '\0')
		http_header_add(rs, "Allow", allow);
}

/* nobody signed in: the API says so, a page goes to the sign-in form and
 * comes back (a GET) afterwards */
static void
unauthorized(struct request *rq, struct response *rs)
{
	struct buf next = BUF_INIT, location = BUF_INIT;

	if (rq->session_ended)
		session_cookie_clear(rq, rs);
	if (is_api(rq->path)) {
		if (rq->session_ended)
			http_json_error(rs, 401, "session_expired",
			    "The session has ended: sign in again.", NULL);
		else
			http_json_error(rs, 401, "unauthorized",
			    "Sign in, or send Authorization: Bearer TOKEN.",
			    NULL);
		http_header_add(
		    rs, "WWW-Authenticate", "Bearer realm=\"wizyta\"");
		return;
	}
	if (is_safe(rq->method))
		http_self_url(rq, "lang", NULL, &next);
	else
		buf_puts(&next, rq->path);
	buf_puts(&location, "/staff/login?next=");
	url_encode(&location, buf_cstr(&next));
	if (rq->session_ended)
		buf_puts(&location, "&ended=1");
	http_redirect(rs, buf_cstr(&location));
	buf_free(&next);
	buf_free(&location);
}

static void
forbidden(struct request *rq, struct response *rs, enum role needed)
{
	char msg[128];

	if (is_api(rq->path)) {
		snprintf(msg, sizeof msg,
		    "This needs the %s role; yours is %s.", role_name(needed),
		    role_name(rq->account->role));
		http_json_error(rs, 403, "forbidden", msg, NULL);
	} else
		staff_forbidden(rq, rs);
}

/* csrf_refused: the request is unsafe and its CSRF proof is missing */
static bool
csrf_refused(struct request *rq, const struct route *r)
{
	const char *h;

	if (is_safe(rq->method))
		return false;
	if (r->flags & ROUTE_FORM)
		return !csrf_ok(rq);
	if (!is_api(rq->path) || rq->auth != AUTH_SESSION)
		return false;
	h = http_header(rq, "X-CSRF-Token");
	return rq->csrf_new || h == NULL || !token_equal(h, rq->csrf);
}

void
routes_dispatch(struct request *rq, struct response *rs)
{
	static __thread char scratch[1024];
	const char *method =
	    strcmp(rq->method, "HEAD") == 0 ? "GET" : rq->method;
	const struct route *found = NULL, *r;
	char allow[64] = "";
	size_t t;

	for (t = 0; t < NTABLES && found == NULL; t++)
		for (r = tables[t]; r->pattern != NULL; r++) {
			if (!route_match(r->pattern, rq->path, rq, scratch,
			        sizeof scratch))
				continue;
			if (strcmp(r->method, method) == 0) {
				found = r;
				break;
			}
			allow_add(allow, sizeof allow, r->method);
		}
	if (found == NULL) {
		not_found(rq, rs, allow);
		return;
	}
	/* the captures are the found route's: the search stopped there */
	if (found->flags & ROUTE_SELF_AUTH) {
		found->handler(rq, rs);
		return;
	}
	if (session_authenticate(rq, rs, is_api(rq->path)) != 0)
		return;
	if (found->role > ROLE_PUBLIC && rq->account == NULL) {
		unauthorized(rq, rs);
		return;
	}
	if (rq->account != NULL && rq->account->role < found->role) {
		forbidden(rq, rs, found->role);
		return;
	}
	if (csrf_refused(rq, found)) {
		if (is_api(rq->path))
			http_json_error(rs, 403, "csrf",
			    "A browser session needs the X-CSRF-Token header.",
			    NULL);
		else
			page_message(rq, rs, 400, "err_csrf_title", "err_csrf");
		return;
	}
	found->handler(rq, rs);
}

int
routes_role(const char *path)
{
	struct request rq;
	char scratch[1024];
	const struct route *r;
	size_t t;

	memset(&rq, 0, sizeof rq);
	for (t = 0; t < NTABLES; t++)
		for (r = tables[t]; r->pattern != NULL; r++)
			if (strcmp(r->method, "GET") == 0 &&
			    route_match(
			        r->pattern, path, &rq, scratch, sizeof scratch))
				return (int)r->role;
	return -1;
}

static bool
prefixed(const char *pattern, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(pattern, prefix, n) == 0 &&
	       (pattern[n] == '\0' || pattern[n] == '/');
}

int
routes_check(char *why, size_t size)
{
	const struct route *r;
	size_t t;

	for (t = 0; t < NTABLES; t++)
		for (r = tables[t]; r->pattern != NULL; r++) {
			const char *p = r->pattern;
			bool api = is_api(p);

			if (!api && !is_safe(r->method) &&
			    !(r->flags & ROUTE_FORM)) {
				snprintf(why, size,
				    "%s %s: a form POST needs"
				    " ROUTE_FORM (CSRF)",
				    r->method, p);
				return -1;
			}
			if ((r->flags & ROUTE_SELF_AUTH) &&
			    (!is_safe(r->method) || r->role != ROLE_PUBLIC)) {
				snprintf(why, size,
				    "%s %s: a route that checks its own"
				    " credentials is a public GET",
				    r->method, p);
				return -1;
			}
			if (api && (r->flags & ROUTE_FORM)) {
				snprintf(why, size,
				    "%s %s: API routes are not"
				    " forms",
				    r->method, p);
				return -1;
			}
			if ((prefixed(p, "/admin") ||
			        prefixed(p, "/api/v1/admin")) &&
			    r->role != ROLE_ADMIN) {
				snprintf(why, size,
				    "%s %s: admin paths need"
				    " ROLE_ADMIN",
				    r->method, p);
				return -1;
			}
			if ((prefixed(p, "/staff") ||
			        prefixed(p, "/api/v1/staff")) &&
			    r->role == ROLE_PUBLIC &&
			    strcmp(p, "/staff/login") != 0 &&
			    strcmp(p, "/staff/password") != 0) {
				snprintf(why, size,
				    "%s %s: staff paths are not"
				    " public",
				    r->method, p);
				return -1;
			}
		}
	return 0;
}
