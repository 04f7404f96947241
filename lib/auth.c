/*
 * auth.c: sign-in, sessions, API tokens (auth.h for the rules).
 *
 * The argon2id verification runs outside any transaction: it costs tens of
 * milliseconds and must not hold the database's write lock. So a sign-in
 * reads (account, failures), verifies, then records the outcome in one
 * short transaction. Parallel wrong guesses of one login may each pass the
 * lock check before the first is recorded: at most a pool's worth of
 * guesses beyond the limit, which the per-address rate limit bounds.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "log.h"
#include "password.h"
#include "token.h"

static bool
hex_only(const char *s, size_t len)
{
	size_t i;

	if (strlen(s) != len)
		return false;
	for (i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]) ||
		    isupper((unsigned char)s[i]))
			return false;
	return true;
}

static int
bad_credentials(struct error *err)
{
	return error_set_code(err, ERROR_INVALID, "bad_credentials", NULL,
	    "Wrong login or password.");
}

/* record a failed sign-in of a login; true when it now locks */
static int
count_failure(struct store *s, const struct config *c, const char *key,
    const struct login_failures *before, time_t now, bool *locks,
    struct error *err)
{
	struct login_failures f = *before;

	*locks = false;
	if (f.failures == 0 || now - f.first_at >= c->staff_login_lockout) {
		f.failures = 0;
		f.first_at = now;
	}
	f.failures++;
	if (c->staff_login_failures > 0 &&
	    f.failures >= c->staff_login_failures) {
		f.locked_until = now + c->staff_login_lockout;
		f.failures = 0;
		*locks = true;
	}
	if (store_login_failures_set(s, key, &f, err) != 0)
		return -1;
	/* housekeeping: rows of logins that stopped failing */
	return store_login_failures_prune(
	    s, now - c->staff_login_lockout, now, err);
}

static int
open_session(struct store *s, const struct config *c, struct auth_login *out,
    time_t now, struct error *err)
{
	char digest[TOKEN_DIGEST_LEN + 1];

	token_hex(out->session, AUTH_SESSION_LEN / 2);
	token_digest(out->session, digest);
	out->expires = now + c->staff_session_max;
	if (store_sessions_prune(s, now, now - c->staff_session_idle, err) != 0)
		return -1;
	return store_session_add(
	    s, digest, out->account.id, now, out->expires, err);
}

int
auth_login(struct store *s, const struct config *c, const char *login,
    const char *password, const char *address, time_t now,
    struct auth_login *out, struct error *err)
{
	struct login_failures failures;
	struct actor who;
	struct error e;
	char key[TOKEN_DIGEST_LEN + 1];
	bool known, ok, locks = false;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (login == NULL || password == NULL || login[0] == '\0' ||
	    password[0] == '\0' || strlen(login) >= sizeof out->account.login)
		return bad_credentials(err);
	token_digest(login, key);
	if (store_login_failures_get(s, key, &failures, err) != 0)
		return -1;
	error_clear(&e);
	known = store_operator_by_login(s, login, &out->account, &e) == 0;
	if (!known && e.kind != ERROR_NOT_FOUND) {
		*err = e;
		return -1;
	}
	/* the actor of the audit row: the account, or nobody we name */
	who = known ? actor_operator(&out->account, VIA_WEB, address)
	            : actor_citizen(VIA_WEB, address);

	if (failures.locked_until > now) {
		out->retry_after = (unsigned)(failures.locked_until - now);
		if (store_begin(s, err) != 0)
			return -1;
		if (audit_record(s, &who, "login.locked", 0, NULL, NULL,
		        known ? "" : "unknown login", now, err) != 0 ||
		    store_commit(s, err) != 0)
			goto fail;
		return error_set_code(err, ERROR_LIMIT, "locked", NULL,
		    "Too many failed sign-ins: try again in %u minutes.",
		    (out->retry_after + 59) / 60);
	}

	ok = known && password_verify(out->account.password_hash, password);
	if (!known)
		password_burn(password);
	explicit_bzero(
	    out->account.password_hash, sizeof out->account.password_hash);

	if (store_begin(s, err) != 0)
		return -1;
	if (ok && !out->account.disabled) {
		if (store_login_failures_clear(s, key, err) != 0 ||
		    open_session(s, c, out, now, err) != 0 ||
		    audit_record(s, &who, "login.ok", 0, NULL, NULL, NULL, now,
		        err) != 0 ||
		    store_commit(s, err) != 0)
			goto fail;
		log_info("signed in operator=%lld", (long long)out->account.id);
		return 0;
	}
	if (ok) {
		if (audit_record(s, &who, "login.disabled", 0, NULL, NULL, NULL,
		        now, err) != 0 ||
		    store_commit(s, err) != 0)
			goto fail;
		memset(out, 0, sizeof *out);
		return error_set_code(err, ERROR_FORBIDDEN, "disabled", NULL,
		    "This account is disabled: ask an administrator.");
	}
	if (count_failure(s, c, key, &failures, now, &locks, err) != 0 ||
	    audit_record(s, &who, locks ? "login.locked" : "login.failed", 0,
	        NULL, NULL, known ? "" : "unknown login", now, err) != 0 ||
	    store_commit(s, err) != 0)
		goto fail;
	memset(out, 0, sizeof *out);
	if (locks) {
		out->retry_after = (unsigned)c->staff_login_lockout;
		return error_set_code(err, ERROR_LIMIT, "locked", NULL,
		    "Too many failed sign-ins: try again in %u minutes.",
		    (out->retry_after + 59) / 60);
	}
	return bad_credentials(err);
fail:
	store_rollback(s);
	memset(out, 0, sizeof *out);
	return rc;
}

/* lookup_failed: a credential found nobody (e is ERROR_NOT_FOUND, or the
 * credential was malformed: e untouched) — the caller's code; any other
 * error passes through */
static int
lookup_failed(
    const struct error *e, struct error *err, const char *code, const char *msg)
{
	if (e->kind != ERROR_NOT_FOUND && e->kind != ERROR_NONE) {
		if (err != NULL)
			*err = *e;
		return -1;
	}
	return error_set_code(err, ERROR_NOT_FOUND, code, NULL, "%s", msg);
}

int
auth_session(struct store *s, const struct config *c, const char *session,
    time_t now, struct account *account, struct error *err)
{
	char digest[TOKEN_DIGEST_LEN + 1];
	struct error e;

	error_clear(&e);
	if (session != NULL && hex_only(session, AUTH_SESSION_LEN)) {
		token_digest(session, digest);
		if (store_session_operator(s, digest, now,
		        now - c->staff_session_idle, account, &e) == 0)
			return 0;
	}
	return lookup_failed(&e, err, "session_expired",
	    "The session has ended: sign in again.");
}

int
auth_logout(struct store *s, const char *session, const struct actor *who,
    time_t now, struct error *err)
{
	char digest[TOKEN_DIGEST_LEN + 1];

	if (session == NULL || !hex_only(session, AUTH_SESSION_LEN))
		return 0;
	token_digest(session, digest);
	if (store_begin(s, err) != 0)
		return -1;
	if (store_session_delete(s, digest, err) != 0 ||
	    (actor_is_operator(who) && audit_record(s, who, "logout", 0, NULL,
	                                   NULL, NULL, now, err) != 0) ||
	    store_commit(s, err) != 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}

int
auth_bearer(struct store *s, const char *token, time_t now,
    struct account *account, struct error *err)
{
	char digest[TOKEN_DIGEST_LEN + 1];
	struct error e;
	size_t n = strlen(AUTH_TOKEN_PREFIX);

	error_clear(&e);
	if (token != NULL && strncmp(token, AUTH_TOKEN_PREFIX, n) == 0 &&
	    hex_only(token + n, AUTH_TOKEN_LEN - n)) {
		token_digest(token, digest);
		if (store_api_token_operator(s, digest, now, account, &e) == 0)
			return 0;
	}
	return lookup_failed(
	    &e, err, "invalid_token", "Unknown or revoked API token.");
}

/* find the subject of a CLI or admin action by login */
static int
account_of(
    struct store *s, const char *login, struct account *a, struct error *err)
{
	struct error e;

	error_clear(&e);
	if (store_operator_by_login(s, login, a, &e) == 0) {
		explicit_bzero(a->password_hash, sizeof a->password_hash);
		return 0;
	}
	if (e.kind == ERROR_NOT_FOUND)
		return error_set_code(err, ERROR_NOT_FOUND, "no_operator",
		    "login", "No operator with that login.");
	if (err != NULL)
		*err = e;
	return -1;
}

int
auth_token_add(struct store *s, const char *login, const struct actor *who,
    time_t now, char *out, size_t size, struct error *err)
{
	return auth_token_issue(s, login, who, now, out, size, NULL, err);
}

int
auth_token_issue(struct store *s, const char *login, const struct actor *who,
    time_t now, char *out, size_t size, int64_t *id, struct error *err)
{
	char hex[65], detail[96], digest[TOKEN_DIGEST_LEN + 1];
	struct account a;

	if (size < AUTH_TOKEN_LEN + 1)
		return error_set(err, ERROR_INTERNAL, "token buffer too small");
	if (store_begin(s, err) != 0)
		return -1;
	if (account_of(s, login, &a, err) != 0)
		goto fail;
	if (a.disabled) {
		error_set_code(err, ERROR_FORBIDDEN, "disabled", "login",
		    "That operator is disabled.");
		goto fail;
	}
	token_hex(hex, 32);
	snprintf(out, size, "%s%s", AUTH_TOKEN_PREFIX, hex);
	token_digest(out, digest);
	snprintf(detail, sizeof detail, "for %s", a.login);
	if (store_api_token_add(s, a.id, digest, now, id, err) != 0 ||
	    audit_record(
	        s, who, "token.add", 0, NULL, NULL, detail, now, err) != 0 ||
	    store_commit(s, err) != 0)
		goto fail;
	explicit_bzero(hex, sizeof hex);
	return 0;
fail:
	store_rollback(s);
	explicit_bzero(hex, sizeof hex);
	explicit_bzero(out, size);
	return -1;
}

int
auth_token_revoke(struct store *s, const char *login, const struct actor *who,
    time_t now, unsigned *count, struct error *err)
{
	char detail[96];
	struct account a;

	*count = 0;
	if (store_begin(s, err) != 0)
		return -1;
	if (account_of(s, login, &a, err) != 0 ||
	    store_api_tokens_revoke(s, a.id, now, count, err) != 0)
		goto fail;
	snprintf(detail, sizeof detail, "for %s: %u", a.login, *count);
	if (audit_record(
	        s, who, "token.revoke", 0, NULL, NULL, detail, now, err) != 0 ||
	    store_commit(s, err) != 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int
auth_set_disabled(struct store *s, const char *login, bool disabled,
    const struct actor *who, time_t now, struct error *err)
{
	char detail[96];
	struct account a;

	if (store_begin(s, err) != 0)
		return -1;
	if (account_of(s, login, &a, err) != 0 ||
	    store_operator_set_disabled(s, a.id, disabled, err) != 0)
		goto fail;
	if (!disabled) {
		char key[TOKEN_DIGEST_LEN + 1];

		/* enabling also lifts a lockout */
		token_digest(a.login, key);
		if (store_login_failures_clear(s, key, err) != 0)
			goto fail;
	}
	snprintf(detail, sizeof detail, "%s", a.login);
	if (audit_record(s, who,
	        disabled ? "operator.disable" : "operator.enable", 0,
	        a.disabled ? "disabled" : "enabled",
	        disabled ? "disabled" : "enabled", detail, now, err) != 0 ||
	    store_commit(s, err) != 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}
