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
 * Everything a handler reads is valid UTF-8 without NUL: the path, the
 * query and a form body are decoded and checked before any handler runs
 * (bad bytes: 400), and a header or cookie that is not UTF-8 is treated as
 * absent. jansson refuses invalid UTF-8, so this is what keeps every
 * json_pack of request text from failing.
 *
 * The request is built from raw parts by http_request_new/_add_*; the
 * server does it with what libmicrohttpd parsed, the fuzz target
 * (fuzz/fuzz_http.c) with raw bytes, and both run http_request_handle.
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
#define HTTP_MAX_HEADERS 24

struct ratelimit;

struct web { /* read-only after start-up except limits */
	const struct config *config;
	unsigned char key[32]; /* signs form stamps; random per start */
	struct ratelimit *limits;
	struct ratelimit *login_limits; /* sign-in attempts per address */
	json_t *catalog[2];             /* i18n: [0] pl, [1] en */
	bool dev_mailbox; /* /dev/mailbox is served (to loopback only) */
	bool https;       /* base_url is https: Secure cookies, HSTS */
};

struct http_pair {
	char *name, *value; /* owned; value NULL for a bare "?name" */
};

struct http_pairs {
	struct http_pair *items;
	size_t n, cap;
};

struct request {
	const struct web *web;
	void *conn; /* the server's connection: http.c only */
	char *method;
	const char *path; /* decoded, without the query */
	char *path_owned;
	char *raw_path; /* as sent, still percent-encoded */
	const char *captures[HTTP_MAX_CAPTURES];
	size_t ncaptures;
	struct http_pairs args;    /* the query, decoded */
	struct http_pairs headers; /* as sent */
	struct http_pairs cookies; /* from the Cookie headers */
	struct buf body;
	bool body_too_large;
	const char *bad;  /* why the request cannot be read, or NULL */
	json_t *form;     /* urlencoded body */
	char peer[64];    /* the TCP peer */
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
	bool scripts;   /* the page runs /static scripts (CSP script-src 'self') */
	struct http_stream *stream; /* set by http_stream_open */
};

typedef void (*route_handler)(struct request *, struct response *);

/* route flags */
#define ROUTE_FORM                                                             \
	0x1 /* an HTML form POST: its csrf field must match the                \
	       cookie (every non-API POST needs it: the server                 \
	       refuses to start otherwise) */
#define ROUTE_SELF_AUTH                                                        \
	0x2 /* the handler decides who may see it (/metrics: a Bearer token of \
	       its own, not an operator's): no session or API token is read */

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
extern const struct route register_routes[], register_booking_routes[],
    register_slot_routes[];                   /* pages_register*.c */
extern const struct route accounts_routes[];  /* admin_accounts.c */
extern const struct route catalogue_routes[]; /* admin_catalogue.c */
extern const struct route calendar_routes[];  /* admin_calendar.c */
extern const struct route reception_routes[]; /* pages_reception.c */
extern const struct route day_list_routes[];  /* pages_day_list.c */
extern const struct route reports_routes[];   /* pages_reports.c */
extern const struct route board_routes[];     /* pages_board.c */
extern const struct route desk_routes[];      /* pages_desk.c */
extern const struct route ops_routes[];       /* metrics.c */
extern const struct route privacy_routes[];   /* pages_privacy.c */
/* the rules admins tune at run time */
extern const struct route settings_routes[];  /* admin_settings.c */
extern const struct route templates_routes[]; /* admin_templates.c */
extern const struct route replies_routes[];   /* admin_replies.c */
extern const struct route waitlist_routes[];  /* pages_waitlist.c */
extern const struct route staff_waitlist_routes[]; /* staff_waitlist.c */

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

/* Building and running a request (the server, the fuzz target). raw_path
 * is the request target's path, still percent-encoded; peer the TCP peer's
 * address. */
struct request *http_request_new(const struct web *, const char *method,
    const char *raw_path, const char *peer, time_t now);
/* one query argument as sent (percent-encoded; value NULL when bare) */
void http_request_add_arg(
    struct request *, const char *name, const char *value);
/* a whole raw query string ("a=1&b=2"), split into arguments */
void http_request_add_query(struct request *, const char *query);
void http_request_add_header(
    struct request *, const char *name, const char *value);
/* body bytes; beyond HTTP_BODY_MAX the request is answered 413 */
void http_request_add_body(struct request *, const void *, size_t);
/* http_request_handle: decode and check what was added, then route it;
 * rs must be http_response_init'ed. The answer is complete (security
 * headers, cookies) when it returns. */
void http_request_handle(struct request *, struct response *);
void http_request_free(struct request *);
void http_response_init(struct response *);
void http_response_free(struct response *);

/* request accessors */
const char *http_query(struct request *, const char *name); /* or NULL */
const char *http_header(struct request *, const char *name);
const char *http_cookie(struct request *, const char *name);
/* http_form: a field of an application/x-www-form-urlencoded body, or "". */
const char *http_form(struct request *, const char *name);
/* http_self_url: this request's path and query with one argument replaced
 * (value NULL removes it), percent-encoded again, and always a path on
 * this site ("//evil.example/x" becomes "/evil.example/x"). */
void http_self_url(
    struct request *, const char *name, const char *value, struct buf *);
/* http_store: this thread's database connection (opened lazily), or NULL. */
struct store *http_store(struct request *);

/* response helpers */
void http_header_add(struct response *, const char *name, const char *value);
void http_redirect(struct response *, const char *location); /* 303 */
/* http_json: steals v; a NULL v (a failed json_pack) answers 500 */
void http_json(struct response *, unsigned status, json_t *);
void http_json_error(struct response *, unsigned status, const char *code,
    const char *message, const char *field);

/*
 * Long answers written as they come (Server-Sent Events), without a thread
 * per connection: a handler calls http_stream_open() instead of filling
 * the body. The server then asks pull(cls, buf, max) for bytes whenever
 * the client can take them: it answers how many it wrote (> 0); or calls
 * http_stream_pause() and answers 0 when it has nothing now — the
 * connection then sleeps, costing no thread, until http_stream_resume()
 * (any thread, once per pause); or answers -1 to end the answer. done(cls)
 * runs once when the connection is over (whoever resumes streams must
 * forget this one then). Streams have no idle timeout: the caller writes
 * keep-alives.
 */
struct http_stream;
typedef long (*http_stream_pull)(void *cls, char *buf, size_t max);
struct http_stream *http_stream_open(struct request *, struct response *,
    http_stream_pull, void (*done)(void *cls), void *cls);
void http_stream_pause(struct http_stream *);
void http_stream_resume(struct http_stream *);

/* the server; http_stop also closes every thread's store */
int http_start(struct web *, int listen_fd, struct error *);
void http_stop(void);

/* json_text: a JSON string of any bytes (invalid UTF-8 becomes U+FFFD):
 * for text read from files or mail, which no boundary check has seen. */
json_t *json_text(const char *s, size_t len);

/* http_parse_id: a positive decimal id from a path or form ("0", "01", "1x" are
 * not ids). */
bool http_parse_id(const char *text, int64_t *id);

#endif
