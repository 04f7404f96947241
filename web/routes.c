/*
 * routes.c: the list of route tables and the matcher. Each page group
 * defines its own table beside its handlers; adding a page never touches
 * another group's file. HEAD is answered as GET (the body is dropped by
 * the server).
 */
#include <stdio.h>
#include <string.h>

#include "http.h"
#include "page.h"

static const struct route *const tables[] = {
    api_routes,
    book_routes,
    ticket_routes,
    find_routes,
    static_routes,
    devmail_routes,
};

/* match pattern against path; captures point into the request's path copy */
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

/* allow_add: one method into an Allow list, once; GET brings HEAD (answered
 * as GET) */
static void
allow_add(char *allow, size_t size, const char *method)
{
	size_t len = strlen(allow);
	const char *p;

	for (p = allow; (p = strstr(p, method)) != NULL; p++)
		if ((p == allow || p[-1] == ' ') &&
		    (p[strlen(method)] == ',' || p[strlen(method)] == '\0'))
			return;
	snprintf(allow + len, size - len, "%s%s", len > 0 ? ", " : "", method);
	if (strcmp(method, "GET") == 0)
		allow_add(allow, size, "HEAD");
}

void
routes_dispatch(struct request *rq, struct response *rs)
{
	static __thread char scratch[1024];
	const char *method =
	    strcmp(rq->method, "HEAD") == 0 ? "GET" : rq->method;
	char allow[64] = "";
	size_t t;
	const struct route *r;

	for (t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (r = tables[t]; r->pattern != NULL; r++) {
			if (!route_match(r->pattern, rq->path, rq, scratch,
			        sizeof scratch))
				continue;
			if (strcmp(r->method, method) != 0) {
				/* the methods this path does take: 405's
				 * Allow (RFC 9110 15.5.6) */
				allow_add(allow, sizeof allow, r->method);
				continue;
			}
			r->handler(rq, rs);
			return;
		}
	if (strncmp(rq->path, "/api/", 5) == 0) {
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
