/*
 * accounts.h: operators' accounts as admins manage them — add (with a
 * one-time link to choose a password: no admin ever knows, sees or types
 * another person's password), change name and role, reset a password
 * (a new link; the old password stops at once and the sessions end),
 * disable and enable (sessions end, tokens stop), API tokens one by one.
 *
 * The office must keep an admin: a change that would leave no enabled
 * admin is refused (ERROR_CONFLICT "last_admin"). Every change is audited
 * in its transaction; passwords and tokens never reach the audit, the log
 * or the database (only argon2id hashes and SHA-256 digests).
 *
 * Codes (field): login_invalid, login_taken (login), required, too_long,
 * text_invalid (display_name), role_invalid (role), last_admin,
 * unknown_operator, unknown_token, link_invalid, password_too_short,
 * password_too_long, password_mismatch (password, password_again).
 */
#ifndef WIZYTA_ACCOUNTS_H
#define WIZYTA_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "actor.h"
#include "config.h"
#include "error.h"
#include "store.h"

#define ACCOUNT_LINK_VALID (72 * 3600) /* a password link lasts 3 days */
#define ACCOUNT_LINK_LEN 64            /* hex characters */
#define ACCOUNT_PASSWORD_MIN 12        /* bytes */
#define ACCOUNT_PASSWORD_MAX 255

/* a one-time link's secret: shown once, to the admin who asked */
struct account_link {
	char token[ACCOUNT_LINK_LEN + 1];
	time_t expires;
};

/* account_check: login ([a-z0-9._-], 1-63), display name, role */
void account_check(const struct account *, struct error_list *);
/* account_create: a new enabled account without a usable password, and a
 * link for its owner to choose one */
int account_create(struct store *, const struct account *, const struct actor *,
    time_t now, int64_t *id, struct account_link *, struct error *);
/* account_update: display_name NULL, role and disabled -1: kept */
int account_update(struct store *, int64_t id, const char *display_name,
    int role, int disabled, const struct actor *, time_t now,
    struct account *out, struct error *);
int account_password_reset(struct store *, int64_t id, const struct actor *,
    time_t now, struct account_link *, struct error *);
/* account_link_account: the enabled account a live link is for */
int account_link_account(struct store *, const char *token, time_t now,
    struct account *, struct error *);
/* account_password_set: the link's owner chooses a password (twice); the
 * link is used up, other sessions end, a lockout of the login lifts */
int account_password_set(struct store *, const char *token,
    const char *password, const char *again, const char *address, time_t now,
    struct account *out, struct error *);
/* account_token_add: a new API token of the operator into out
 * (AUTH_TOKEN_LEN + 1 bytes), shown once; *token_id its id */
int account_token_add(struct store *, int64_t id, const struct actor *,
    time_t now, char *out, size_t size, int64_t *token_id, struct error *);
int account_token_revoke(struct store *, int64_t id, int64_t token_id,
    const struct actor *, time_t now, struct error *);
/* account_contact_set: the operator's own e-mail and phone (for test
 * messages; "" or NULL: none), normalised, audited as "operator.contact"
 * with "set" or "cleared" (never the values: they are personal). A
 * citizen's erasure (person_erase) refuses while an account holds the
 * contact: this clears it. ERROR_INVALID from email_normalize or
 * phone_normalize. */
int account_contact_set(struct store *, int64_t id, const char *email,
    const char *phone, const struct actor *, time_t now, struct error *);

#endif
