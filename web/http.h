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
 *
 * Who may open a route is part of the route: routes_dispatch turns the
 * session cookie or the Bearer token into rq->account and rq->actor,
 * answers 401 (nobody signed in: JSON under /api/, else a redirect to
 * /staff/login?next=…) and 403 (a role too low), and checks CSRF for every
 * unsafe request before the handler runs (web/README.md "Roles and CSRF").
 * Handlers never repeat those checks.
 */
#ifndef WIZYTA_WEB_HTTP_H
#define WIZYTA_WEB_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "actor.h"
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
	struct ratelimit *login_limits; /* sign-in attempts per address */
	json_t *catalog[2];             /* i18n: [0] pl, [1] en */
	bool dev_mailbox;               /* /dev/mailbox is served */
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
	/* who asks, filled by routes_dispatch before the handler runs */
	const struct account *account; /* the signed-in operator, or NULL */
	struct actor actor;            /* that operator, or a citizen */
	enum { AUTH_NONE, AUTH_SESSION, AUTH_BEARER } auth;
	bool session_ended; /* a session cookie came, but its session ended */
	struct account account_data; /* what account points to */
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

/* route flags */
#define ROUTE_FORM                                                             \
	0x1 /* an HTML form POST: its csrf field must match the                \
	       cookie (every non-API POST needs it: the server                 \
	       refuses to start otherwise) */

struct route {
	const char *method;  /* "GET", "POST", "PUT", "DELETE" */
	const char *pattern; /* "/api/v1/services/{}/slots" */
	route_handler handler;
	enum role role; /* the least role that may open it (ROLE_PUBLIC:
	                   anyone); reception < staff < admin */
	unsigned flags; /* ROUTE_* */
};

/* the tables, each defined in the file that implements its routes */
extern const struct route api_routes[];
extern const struct route book_routes[];
extern const struct route ticket_routes[];
extern const struct route find_routes[];
extern const struct route static_routes[];
extern const struct route devmail_routes[];
extern const struct route login_routes[];     /* pages_login.c */
extern const struct route staff_routes[];     /* staff.c */
extern const struct route staff_api_routes[]; /* api_staff.c */
extern const struct route audit_routes[];     /* admin_audit.c */
extern const struct route reception_routes[]; /* pages_reception.c */
extern const struct route day_list_routes[];  /* pages_day_list.c */
extern const struct route reports_routes[];   /* pages_reports.c */

/* routes_dispatch: find the route, check who asks, run it; 404 / 405
 * (with Allow from the tables) otherwise. */
void routes_dispatch(struct request *, struct response *);
/* routes_check: the tables are sound (every non-API POST is a form, staff
 * and admin paths are not public); -1 with why. wizyta-web refuses to
 * start otherwise. */
int routes_check(char *why, size_t size);
/* routes_role: the role a GET of path needs, or -1 when no route serves
 * it (the staff menu shows only what the operator may open). */
int routes_role(const char *path);

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
