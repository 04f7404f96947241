/*
 * static.c: the embedded assets lookup and /static/NAME (the stylesheet,
 * the favicon). Static files are immutable per build: they are served with
 * an ETag and a day of public caching; a matching If-None-Match gets 304.
 */
#include <stdio.h>
#include <string.h>

#include "assets.h"
#include "http.h"
#include "page.h"

const struct asset *
asset_find(const char *name)
{
	const struct asset *a;

	for (a = assets; a->name != NULL; a++)
		if (strcmp(a->name, name) == 0)
			return a;
	return NULL;
}

static const char *
content_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
	    {".css", "text/css; charset=utf-8"},
	    {".js", "text/javascript; charset=utf-8"},
	    {".svg", "image/svg+xml"},
	    {".json", "application/json"},
	    {".txt", "text/plain; charset=utf-8"},
	    {".png", "image/png"},
	    {".ico", "image/x-icon"},
	};
	size_t i, n = strlen(name);

	for (i = 0; i < sizeof types / sizeof types[0]; i++) {
		size_t e = strlen(types[i].ext);

		if (n > e && strcmp(name + n - e, types[i].ext) == 0)
			return types[i].type;
	}
	return "application/octet-stream";
}

static void
serve_asset(struct request *rq, struct response *rs, const char *name)
{
	char etag[32];
	const struct asset *a;
	const char *inm;
	unsigned h = 2166136261u;
	size_t i;

	if (strstr(name, "..") != NULL || (a = asset_find(name)) == NULL) {
		page_message(
		    rq, rs, 404, "err_notfound_title", "err_notfound_text");
		return;
	}
	for (i = 0; i < a->len; i++)
		h = (h ^ a->data[i]) * 16777619u;
	snprintf(etag, sizeof etag, "\"%08x\"", h);
	rs->cacheable = true;
	http_header_add(rs, "Cache-Control", "public, max-age=86400");
	http_header_add(rs, "ETag", etag);
	rs->content_type = content_type(name);
	inm = http_header(rq, "If-None-Match");
	if (inm != NULL && strcmp(inm, etag) == 0) {
		rs->status = 304;
		return;
	}
	rs->static_data = a->data;
	rs->static_len = a->len;
}

static void
static_file(struct request *rq, struct response *rs)
{
	char name[160];

	snprintf(name, sizeof name, "static/%s", rq->captures[0]);
	serve_asset(rq, rs, name);
}

/* browsers ask for /favicon.ico whatever the page says */
static void
favicon(struct request *rq, struct response *rs)
{
	serve_asset(rq, rs, "static/favicon.ico");
}

const struct route static_routes[] = {
    {"GET", "/static/*", static_file, ROLE_PUBLIC, 0},
    {"GET", "/favicon.ico", favicon, ROLE_PUBLIC, 0},
    {0},
};
