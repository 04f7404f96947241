/*
 * pages_login.c: /staff/login and /staff/logout (lib/auth.h does the
 * checking; this file is the form and the cookies).
 *
 *   GET  /staff/login?next=/staff/desk   the form (signed in: go on)
 *   POST /staff/login                    sign in: a new session cookie, a
 *                                        new CSRF cookie, 303 to next
 *   POST /staff/logout                   end the session, 303 to the form
 *
 * The answer to a wrong password and to an unknown login is the same page
 * with the same status (422). A locked login is 429 with Retry-After, a
 * disabled account 403 (only after its right password), too many attempts
 * from one address 429 ([staff] login_rate_limit per minute). `next` is
 * followed only when it is a path on this site (url_local_path).
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "log.h"
#include "page.h"
#include "security.h"
#include "session.h"
#include "staff.h"
#include "token.h"
#include "url.h"

#define STAFF_HOME "/staff"

/* where to go after signing in */
static const char *
next_of(struct request *rq)
{
	const char *next = strcmp(rq->method, "POST") == 0
	                       ? http_form(rq, "next")
	                       : http_query(rq, "next");

	if (next == NULL || !url_local_path(next) ||
	    strncmp(next, "/staff/login", 12) == 0)
		return STAFF_HOME;
	return next;
}

static void
login_render(
    struct request *rq, struct response *rs, unsigned status, const char *error)
{
	json_t *ctx = staff_context(rq, NULL);
	const char *ended = http_query(rq, "ended");

	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "login_title")));
	json_object_set_new(ctx, "next", json_string(next_of(rq)));
	json_object_set_new(ctx, "login",
	    json_string(
	        strcmp(rq->method, "POST") == 0 ? http_form(rq, "login") : ""));
	if (error != NULL)
		json_object_set_new(ctx, "error", json_string(error));
	else if (ended != NULL || rq->session_ended)
		json_object_set_new(ctx, "ended", json_true());
	staff_render(rq, rs, status, "login", ctx);
}

static void
login_get(struct request *rq, struct response *rs)
{
	if (rq->account != NULL) {
		http_redirect(rs, next_of(rq));
		return;
	}
	if (rq->session_ended)
		session_cookie_clear(rq, rs);
	login_render(rq, rs, 200, NULL);
}

/* the locked-out text with its minutes */
static void
locked_text(struct request *rq, unsigned seconds, struct buf *out)
{
	const char *text = page_t(rq, "err_locked"), *at;
	char minutes[16];

	snprintf(minutes, sizeof minutes, "%u", (seconds + 59) / 60);
	if ((at = strstr(text, "{minutes}")) == NULL) {
		buf_puts(out, text);
		return;
	}
	buf_append(out, text, (size_t)(at - text));
	buf_puts(out, minutes);
	buf_puts(out, at + 9);
}

/* a signed-in browser gets fresh cookies: the old session (if any) ends,
 * and the CSRF value changes so one planted before cannot be used */
static void
login_cookies(struct request *rq, struct response *rs, struct store *s,
    const char *session)
{
	struct actor nobody = actor_citizen(VIA_WEB, rq->client);
	const char *old = session_cookie(rq);
	char cookie[160];
	struct error err;

	error_clear(&err);
	if (old != NULL && auth_logout(s, old, &nobody, rq->now, &err) != 0)
		log_warn("login: old session not ended: %s", err.msg);
	session_cookie_set(rq, rs, session);
	token_hex(rq->csrf, 16);
	snprintf(cookie, sizeof cookie,
	    "csrf=%s; Path=/; HttpOnly; SameSite=Strict%s", rq->csrf,
	    strncmp(rq->web->config->web_base_url, "https:", 6) == 0
	        ? "; Secure"
	        : "");
	http_header_add(rs, "Set-Cookie", cookie);
}

static void
login_post(struct request *rq, struct response *rs)
{
	struct auth_login in;
	struct buf text = BUF_INIT;
	struct store *s;
	struct error err;
	unsigned retry = 60;
	char value[16];

	if (!ratelimit_hit(
	        rq->web->login_limits, "login", rq->client, rq->now, &retry)) {
		snprintf(value, sizeof value, "%u", retry);
		http_header_add(rs, "Retry-After", value);
		login_render(rq, rs, 429, page_t(rq, "err_login_rate"));
		return;
	}
	if ((s = http_store(rq)) == NULL) {
		page_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	error_clear(&err);
	if (auth_login(s, rq->web->config, http_form(rq, "login"),
	        http_form(rq, "password"), rq->client, rq->now, &in,
	        &err) == 0) {
		login_cookies(rq, rs, s, in.session);
		explicit_bzero(&in, sizeof in);
		http_redirect(rs, next_of(rq));
		return;
	}
	if (strcmp(err.code, "locked") == 0) {
		locked_text(rq, in.retry_after, &text);
		snprintf(value, sizeof value, "%u", in.retry_after);
		http_header_add(rs, "Retry-After", value);
		login_render(rq, rs, 429, buf_cstr(&text));
		buf_free(&text);
	} else if (strcmp(err.code, "disabled") == 0)
		login_render(rq, rs, 403, page_t(rq, "err_disabled"));
	else if (strcmp(err.code, "bad_credentials") == 0)
		login_render(rq, rs, 422, page_t(rq, "err_bad_credentials"));
	else {
		log_error("login: %s", err.msg);
		page_message(rq, rs, 503, "err_db_title", "err_db_text");
	}
}

static void
logout_post(struct request *rq, struct response *rs)
{
	struct store *s = http_store(rq);
	struct error err;

	error_clear(&err);
	if (s == NULL || auth_logout(s, session_cookie(rq), &rq->actor, rq->now,
	                     &err) != 0) {
		log_error("logout: %s", s == NULL ? "no database" : err.msg);
		page_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	session_cookie_clear(rq, rs);
	http_redirect(rs, "/staff/login");
}

const struct route login_routes[] = {
    {"GET", "/staff/login", login_get, ROLE_PUBLIC, 0},
    {"POST", "/staff/login", login_post, ROLE_PUBLIC, ROUTE_FORM},
    {"POST", "/staff/logout", logout_post, ROLE_RECEPTION, ROUTE_FORM},
    {0},
};
