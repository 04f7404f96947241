/*
 * auth.h: who an operator is — signing in with a password, web sessions,
 * API tokens, lockouts and disabled accounts. The web's router turns a
 * request's cookie or Bearer token into an account with these; the CLI
 * issues and revokes tokens with them.
 *
 * Secrets: a session (the cookie) and an API token are 256 random bits
 * the client holds; the database keeps only their SHA-256 (token_digest),
 * so a copy of the database signs no one in. Passwords are argon2id
 * (password.h). Every sign-in, failure, lockout, sign-out and token change
 * is written to the audit log in the same transaction.
 *
 * No user enumeration: an unknown login and a wrong password take the same
 * path — one argon2id verification (against a dummy hash for an unknown
 * login), one failure counted against the login (known or not), the same
 * answer (ERROR_INVALID "bad_credentials"). Only a right password learns
 * that its account is disabled. A lockout ([staff] login_failures within
 * login_lockout) applies to unknown logins too, so it says nothing either.
 *
 * Timeouts: a session ends [staff] session_idle after its last request or
 * session_max after sign-in, whichever comes first.
 */
#ifndef WIZYTA_AUTH_H
#define WIZYTA_AUTH_H

#include <stdbool.h>
#include <time.h>

#include "actor.h"
#include "config.h"
#include "error.h"
#include "store.h"

#define AUTH_SESSION_LEN 64 /* hex characters of the cookie */
#define AUTH_TOKEN_PREFIX "wizyta_"
#define AUTH_TOKEN_LEN (7 + 64) /* prefix + hex */

struct auth_login {
	char session[AUTH_SESSION_LEN + 1]; /* for the cookie only */
	struct account account;
	time_t expires;       /* absolute end of the session */
	unsigned retry_after; /* seconds, when locked out */
};

/* auth_login: check a password and open a session. Errors (with codes):
 * ERROR_INVALID "bad_credentials", ERROR_LIMIT "locked" (out->retry_after),
 * ERROR_FORBIDDEN "disabled". address is the client's, for the audit. */
int auth_login(struct store *, const struct config *, const char *login,
    const char *password, const char *address, time_t now,
    struct auth_login *out, struct error *);
/* auth_session: the signed-in account of a session cookie value; the
 * session's idle clock restarts. ERROR_NOT_FOUND "session_expired" when it
 * is unknown, expired, idle too long or its account is disabled. */
int auth_session(struct store *, const struct config *, const char *session,
    time_t now, struct account *, struct error *);
/* auth_logout: end a session (unknown is fine); audited as the actor. */
int auth_logout(struct store *, const char *session, const struct actor *,
    time_t now, struct error *);
/* auth_bearer: the account of an API token; ERROR_NOT_FOUND
 * "invalid_token" when unknown, revoked or its account disabled. */
int auth_bearer(struct store *, const char *token, time_t now, struct account *,
    struct error *);

/* auth_token_add: a new API token for an enabled operator, written to out
 * (AUTH_TOKEN_LEN + 1 bytes); shown once, stored as a hash. */
int auth_token_add(struct store *, const char *login, const struct actor *,
    time_t now, char *out, size_t size, struct error *);
/* auth_token_issue: the same, with the new token's id (may be NULL) */
int auth_token_issue(struct store *, const char *login, const struct actor *,
    time_t now, char *out, size_t size, int64_t *id, struct error *);
/* auth_token_revoke: revoke every live token of the operator. */
int auth_token_revoke(struct store *, const char *login, const struct actor *,
    time_t now, unsigned *count, struct error *);
/* auth_set_disabled: disable (ending its sessions) or enable an account;
 * enabling also lifts a lockout of its login. */
int auth_set_disabled(struct store *, const char *login, bool disabled,
    const struct actor *, time_t now, struct error *);

#endif
