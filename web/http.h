/*
 * http.h: one HTTP request and its answer, the route table, and the
 * server-wide state every handler may read (config, signing key, limits).
 *
 * Handlers never touch libmicrohttpd: they read a struct request (method,
 * path captures, query, cookies, the whole body already read within
 * HTTP_BODY_MAX) and fill a struct response. http.c is the only file that
 * includes <microhttpd.h>. Each request owns its memory and frees it when
 * the connection reports completion.
 *
 * Routes are tables: every page group defines its own `const struct route
 * NAME_routes[]` (ending with a zero entry) beside the handlers, and
 * routes.c lists the tables. A pattern matches segment by segment; "{}"
 * captures one segment, a trailing "*" captures the rest.
 */
#ifndef WIZYTA_WEB_HTTP_H
#define WIZYTA_WEB_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "buf.h"
#include "config.h"
#include "store.h"

#define HTTP_BODY_MAX (16 * 1024)
#define HTTP_MAX_CAPTURES 4
#define HTTP_MAX_HEADERS 12

struct ratelimit;

struct web { /* read-only after start-up except limits */
	const struct config *config;
	unsigned char key[32]; /* signs form stamps; random per start */
	struct ratelimit *limits;
	json_t *catalog[2]; /* i18n: [0] pl, [1] en */
	bool dev_mailbox;   /* /dev/mailbox is served */
};

struct request {
	const struct web *web;
	void *conn; /* the MHD connection: http.c only */
	const char *method;
	const char *path; /* without the query */
	const char *captures[HTTP_MAX_CAPTURES];
	size_t ncaptures;
	struct buf body;
	bool body_too_large;
	json_t *form;     /* urlencoded body, parsed on demand */
	char client[64];  /* client address (after trusted proxies) */
	const char *lang; /* "pl" or "en" */
	char csrf[65];    /* this client's CSRF cookie value */
	bool csrf_new;    /* set the cookie in the answer */
	time_t now;
};

struct response {
	unsigned status;
	const char *content_type;
	struct buf body;
	const unsigned char *static_data; /* served as is when set */
	size_t static_len;
	char *headers[HTTP_MAX_HEADERS][2]; /* owned name, value */
	size_t nheaders;
	bool cacheable; /* else "Cache-Control: no-store" */
};

typedef void (*route_handler)(struct request *, struct response *);

struct route {
	const char *method;  /* "GET", "POST" */
	const char *pattern; /* "/api/v1/services/{}/slots" */
	route_handler handler;
};

/* the tables, each defined in the file that implements its routes */
extern const struct route api_routes[];
extern const struct route book_routes[];
extern const struct route ticket_routes[];
extern const struct route find_routes[];
extern const struct route static_routes[];
extern const struct route devmail_routes[];

/* routes_dispatch: find the route and run it; 404 / 405 otherwise. */
void routes_dispatch(struct request *, struct response *);

/* request accessors */
const char *http_query(struct request *, const char *name); /* or NULL */
const char *http_header(struct request *, const char *name);
const char *http_cookie(struct request *, const char *name);
/* http_form: a field of an application/x-www-form-urlencoded body, or "". */
const char *http_form(struct request *, const char *name);
/* http_self_url: this request's path and query with one argument replaced
 * (value NULL removes it). */
void http_self_url(
    struct request *, const char *name, const char *value, struct buf *);
/* http_store: this thread's database connection (opened lazily), or NULL. */
struct store *http_store(struct request *);

/* response helpers */
void http_header_add(struct response *, const char *name, const char *value);
void http_redirect(struct response *, const char *location);  /* 303 */
void http_json(struct response *, unsigned status, json_t *); /* steals */
void http_json_error(struct response *, unsigned status, const char *code,
    const char *message, const char *field);

/* the server */
int http_start(struct web *, int listen_fd, struct error *);
void http_stop(void);

/* url_decode in place of a form/query component ('+' is a space). */

/* http_parse_id: a positive decimal id from a path or form ("0", "01", "1x" are
 * not ids). */
bool http_parse_id(const char *text, int64_t *id);

#endif
