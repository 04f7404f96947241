/*
 * session.h: a request's credentials — the staff session cookie and the
 * API's Bearer token — turned into rq->account and rq->actor (lib/auth.h
 * checks them against the database). routes_dispatch calls
 * session_authenticate for every request; pages_login.c sets and clears
 * the cookie.
 *
 * The cookie: SESSION_COOKIE=<64 hex>; Path=/; HttpOnly; SameSite=Strict,
 * and Secure when [web] base_url is https. No Max-Age: it ends with the
 * browser, and the server ends it after [staff] session_idle or
 * session_max, whichever comes first.
 */
#ifndef WIZYTA_WEB_SESSION_H
#define WIZYTA_WEB_SESSION_H

#include "http.h"

#define SESSION_COOKIE "wizyta_session"

/* session_authenticate: fill rq->account, rq->actor and rq->auth from a
 * Bearer token or the session cookie. A request without credentials, or
 * with an ended session (rq->session_ended), is anonymous. Returns -1 after
 * answering: a bad Bearer token (401) or no database (503). */
int session_authenticate(struct request *, struct response *, bool api);
/* session_cookie_set: the cookie of a new session (sign-in). */
void session_cookie_set(struct request *, struct response *, const char *value);
/* session_cookie_clear: tell the browser to forget it. */
void session_cookie_clear(struct request *, struct response *);
/* session_cookie: this request's session cookie value, or NULL. */
const char *session_cookie(struct request *);

#endif
