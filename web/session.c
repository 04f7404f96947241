/*
 * session.c: Bearer token or session cookie → the operator (session.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "auth.h"
#include "log.h"
#include "page.h"
#include "session.h"

static bool
secure_site(const struct request *rq)
{
	return strncmp(rq->web->config->web_base_url, "https:", 6) == 0;
}

const char *
session_cookie(struct request *rq)
{
	return http_cookie(rq, SESSION_COOKIE);
}

void
session_cookie_set(struct request *rq, struct response *rs, const char *value)
{
	char cookie[160];

	snprintf(cookie, sizeof cookie,
	    SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s", value,
	    secure_site(rq) ? "; Secure" : "");
	http_header_add(rs, "Set-Cookie", cookie);
}

void
session_cookie_clear(struct request *rq, struct response *rs)
{
	char cookie[160];

	snprintf(cookie, sizeof cookie,
	    SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
	    secure_site(rq) ? "; Secure" : "");
	http_header_add(rs, "Set-Cookie", cookie);
}

/* the token of "Authorization: Bearer TOKEN" (RFC 6750 §2.1), or NULL */
static const char *
bearer(struct request *rq)
{
	const char *h = http_header(rq, "Authorization");

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	return h;
}

static void
unavailable(struct request *rq, struct response *rs, bool api)
{
	if (api)
		http_json_error(rs, 503, "unavailable",
		    "The database is unavailable.", NULL);
	else
		page_message(rq, rs, 503, "err_db_title", "err_db_text");
}

int
session_authenticate(struct request *rq, struct response *rs, bool api)
{
	const char *token, *cookie;
	struct store *s;
	struct error err;

	rq->account = NULL;
	rq->auth = AUTH_NONE;
	rq->actor = actor_citizen(api ? VIA_API : VIA_WEB, rq->client);
	token = bearer(rq);
	cookie = session_cookie(rq);
	if (token == NULL && cookie == NULL)
		return 0;
	if ((s = http_store(rq)) == NULL) {
		unavailable(rq, rs, api);
		return -1;
	}
	error_clear(&err);
	if (token != NULL) {
		if (auth_bearer(s, token, rq->now, &rq->account_data, &err) !=
		    0) {
			if (err.kind != ERROR_NOT_FOUND) {
				log_error("auth: %s", err.msg);
				unavailable(rq, rs, api);
				return -1;
			}
			http_json_error(
			    rs, 401, "invalid_token", err.msg, NULL);
			http_header_add(rs, "WWW-Authenticate",
			    "Bearer realm=\"wizyta\", error=\"invalid_token\"");
			return -1;
		}
		rq->auth = AUTH_BEARER;
	} else {
		if (auth_session(s, rq->web->config, cookie, rq->now,
		        &rq->account_data, &err) != 0) {
			if (err.kind != ERROR_NOT_FOUND) {
				log_error("auth: %s", err.msg);
				unavailable(rq, rs, api);
				return -1;
			}
			rq->session_ended = true;
			return 0;
		}
		rq->auth = AUTH_SESSION;
	}
	rq->account = &rq->account_data;
	rq->actor =
	    actor_operator(rq->account, api ? VIA_API : VIA_WEB, rq->client);
	return 0;
}
