/*
 * accounts.c: operators' accounts as admins manage them (accounts.h).
 *
 * An account without a chosen password carries PASSWORD_UNSET as its
 * hash: password_verify refuses it in the time of a real check, so such
 * an account cannot sign in and says nothing by its timing.
 *
 * Choosing a password hashes it (argon2id, tens of milliseconds) outside
 * the write transaction, then checks the link again inside it.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "accounts.h"
#include "audit.h"
#include "auth.h"
#include "email.h"
#include "log.h"
#include "password.h"
#include "phone.h"
#include "token.h"
#include "utf8.h"

#define PASSWORD_UNSET "!unset"

static int
admin_only(const struct actor *actor, struct error *err)
{
	if (actor_at_least(actor, ROLE_ADMIN))
		return 0;
	return error_set_code(err, ERROR_FORBIDDEN, "forbidden", NULL,
	    "Only admins manage operators.");
}

void
account_check(const struct account *a, struct error_list *list)
{
	size_t len = strlen(a->login), i;
	bool ok = len > 0 && len < sizeof a->login;

	for (i = 0; i < len && ok; i++)
		ok = islower((unsigned char)a->login[i]) ||
		     isdigit((unsigned char)a->login[i]) ||
		     strchr("._-", a->login[i]) != NULL;
	if (!ok)
		error_set_code(error_list_next(list), ERROR_INVALID,
		    "login_invalid", "login",
		    "A login is 1-63 small letters, digits, dots, dashes or "
		    "underscores.");
	len = strlen(a->display_name);
	if (len == 0)
		error_set_code(error_list_next(list), ERROR_INVALID, "required",
		    "display_name", "Give the operator's name.");
	else if (len >= sizeof a->display_name)
		error_set_code(error_list_next(list), ERROR_INVALID, "too_long",
		    "display_name", "The name is too long.");
	else if (!utf8_text_valid(a->display_name, len))
		error_set_code(error_list_next(list), ERROR_INVALID,
		    "text_invalid", "display_name",
		    "The name contains characters that are not allowed.");
	if (a->role != ROLE_RECEPTION && a->role != ROLE_STAFF &&
	    a->role != ROLE_ADMIN)
		error_set_code(error_list_next(list), ERROR_INVALID,
		    "role_invalid", "role",
		    "The role is admin, staff or reception.");
}

static int
unknown_operator(struct error *err)
{
	if (err != NULL && err->kind != ERROR_NOT_FOUND)
		return -1;
	return error_set_code(err, ERROR_NOT_FOUND, "unknown_operator", NULL,
	    "No such operator.");
}

/* link_issue: a new one-time link of the operator (older ones end) */
static int
link_issue(struct store *s, int64_t id, time_t now, struct account_link *link,
    struct error *err)
{
	char digest[TOKEN_DIGEST_LEN + 1];

	token_hex(link->token, ACCOUNT_LINK_LEN / 2);
	token_digest(link->token, digest);
	link->expires = now + ACCOUNT_LINK_VALID;
	return store_password_link_add(s, id, digest, now, link->expires, err);
}

int
account_create(struct store *s, const struct account *in,
    const struct actor *actor, time_t now, int64_t *id,
    struct account_link *link, struct error *err)
{
	struct error_list list;
	struct account a = *in;

	if (admin_only(actor, err) != 0)
		return -1;
	error_list_clear(&list);
	account_check(&a, &list);
	if (error_list_first(&list, err) != 0)
		return -1;
	snprintf(a.password_hash, sizeof a.password_hash, "%s", PASSWORD_UNSET);
	a.disabled = false;
	a.created_at = now;
	if (store_begin(s, err) != 0)
		return -1;
	if (store_operator_add(s, &a, id, err) != 0) {
		if (err != NULL && err->kind == ERROR_CONFLICT)
			error_set_code(err, ERROR_INVALID, "login_taken",
			    "login", "That login is already taken.");
		goto fail;
	}
	if (link_issue(s, *id, now, link, err) != 0 ||
	    audit_record(s, actor, "operator.add", 0, NULL, role_name(a.role),
	        a.login, now, err) != 0 ||
	    store_commit(s, err) != 0)
		goto fail;
	log_info("operator added operator=%lld", (long long)*id);
	return 0;
fail:
	store_rollback(s);
	explicit_bzero(link, sizeof *link);
	return -1;
}

/* keeps_an_admin: after this change of `before`, is an admin left? */
static int
keeps_an_admin(struct store *s, const struct account *before,
    const struct account *after, struct error *err)
{
	unsigned admins;

	if (before->role != ROLE_ADMIN || before->disabled ||
	    (after->role == ROLE_ADMIN && !after->disabled))
		return 0;
	if (store_admins_active(s, &admins, err) != 0)
		return -1;
	if (admins <= 1)
		return error_set_code(err, ERROR_CONFLICT, "last_admin", NULL,
		    "%s is the last active admin: make another operator an "
		    "admin first.",
		    before->login);
	return 0;
}

int
account_update(struct store *s, int64_t id, const char *display_name, int role,
    int disabled, const struct actor *actor, time_t now, struct account *out,
    struct error *err)
{
	struct account before, after;
	struct error_list list;

	if (admin_only(actor, err) != 0)
		return -1;
	if (display_name != NULL &&
	    strlen(display_name) >= sizeof after.display_name)
		return error_set_code(err, ERROR_INVALID, "too_long",
		    "display_name", "The name is too long.");
	if (store_begin(s, err) != 0)
		return -1;
	if (store_operator_get(s, id, &before, err) != 0) {
		unknown_operator(err);
		goto fail;
	}
	after = before;
	if (display_name != NULL)
		snprintf(after.display_name, sizeof after.display_name, "%s",
		    display_name);
	if (role >= 0)
		after.role = (enum role)role;
	if (disabled >= 0)
		after.disabled = disabled != 0;
	error_list_clear(&list);
	account_check(&after, &list);
	if (error_list_first(&list, err) != 0 ||
	    keeps_an_admin(s, &before, &after, err) != 0)
		goto fail;
	if (store_operator_update(s, &after, err) != 0)
		goto fail;
	if (strcmp(before.display_name, after.display_name) != 0 &&
	    audit_record(s, actor, "operator.update", 0, before.display_name,
	        after.display_name, after.login, now, err) != 0)
		goto fail;
	if (before.role != after.role &&
	    audit_record(s, actor, "operator.role", 0, role_name(before.role),
	        role_name(after.role), after.login, now, err) != 0)
		goto fail;
	if (before.disabled != after.disabled &&
	    (store_operator_set_disabled(s, id, after.disabled, err) != 0 ||
	        audit_record(s, actor,
	            after.disabled ? "operator.disable" : "operator.enable", 0,
	            before.disabled ? "disabled" : "enabled",
	            after.disabled ? "disabled" : "enabled", after.login, now,
	            err) != 0))
		goto fail;
	if (before.disabled && !after.disabled) {
		char key[TOKEN_DIGEST_LEN + 1];

		/* as `wizyta operator enable`: enabling lifts a lockout */
		token_digest(after.login, key);
		if (store_login_failures_clear(s, key, err) != 0)
			goto fail;
	}
	if (store_commit(s, err) != 0)
		goto fail;
	if (out != NULL)
		*out = after;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int
account_password_reset(struct store *s, int64_t id, const struct actor *actor,
    time_t now, struct account_link *link, struct error *err)
{
	struct account a;

	if (admin_only(actor, err) != 0)
		return -1;
	if (store_begin(s, err) != 0)
		return -1;
	if (store_operator_get(s, id, &a, err) != 0) {
		unknown_operator(err);
		goto fail;
	}
	/* the old password stops now: whoever knew it is signed out */
	if (store_operator_set_password(s, id, PASSWORD_UNSET, err) != 0 ||
	    store_operator_sessions_end(s, id, err) != 0 ||
	    link_issue(s, id, now, link, err) != 0 ||
	    audit_record(s, actor, "operator.password_reset", 0, NULL, NULL,
	        a.login, now, err) != 0 ||
	    store_commit(s, err) != 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	explicit_bzero(link, sizeof *link);
	return -1;
}

static bool
link_shape(const char *token)
{
	size_t i;

	if (token == NULL || strlen(token) != ACCOUNT_LINK_LEN)
		return false;
	for (i = 0; i < ACCOUNT_LINK_LEN; i++)
		if (!isxdigit((unsigned char)token[i]) ||
		    isupper((unsigned char)token[i]))
			return false;
	return true;
}

int
account_link_account(struct store *s, const char *token, time_t now,
    struct account *a, struct error *err)
{
	char digest[TOKEN_DIGEST_LEN + 1];
	struct error e;

	error_clear(&e);
	if (link_shape(token)) {
		token_digest(token, digest);
		if (store_password_link_operator(s, digest, now, a, &e) == 0)
			return 0;
		if (e.kind != ERROR_NOT_FOUND) {
			if (err != NULL)
				*err = e;
			return -1;
		}
	}
	return error_set_code(err, ERROR_NOT_FOUND, "link_invalid", NULL,
	    "This link is unknown, used or expired: ask an admin for a new "
	    "one.");
}

int
account_password_set(struct store *s, const char *token, const char *password,
    const char *again, const char *address, time_t now, struct account *out,
    struct error *err)
{
	char hash[PASSWORD_HASH_SIZE], key[TOKEN_DIGEST_LEN + 1];
	struct account a;
	struct actor who;
	size_t len = password != NULL ? strlen(password) : 0;

	if (account_link_account(s, token, now, &a, err) != 0)
		return -1;
	if (len < ACCOUNT_PASSWORD_MIN)
		return error_set_code(err, ERROR_INVALID, "password_too_short",
		    "password", "A password has at least %d characters.",
		    ACCOUNT_PASSWORD_MIN);
	if (len > ACCOUNT_PASSWORD_MAX)
		return error_set_code(err, ERROR_INVALID, "password_too_long",
		    "password", "A password has at most %d characters.",
		    ACCOUNT_PASSWORD_MAX);
	if (again == NULL || strcmp(password, again) != 0)
		return error_set_code(err, ERROR_INVALID, "password_mismatch",
		    "password_again", "The two passwords differ.");
	if (password_hash(password, hash, sizeof hash, err) != 0)
		return -1;
	if (store_begin(s, err) != 0)
		goto out;
	/* the link again, inside the transaction: used once */
	if (account_link_account(s, token, now, &a, err) != 0)
		goto fail;
	who = actor_operator(&a, VIA_WEB, address);
	token_digest(a.login, key);
	if (store_operator_set_password(s, a.id, hash, err) != 0 ||
	    store_password_links_clear(s, a.id, err) != 0 ||
	    store_operator_sessions_end(s, a.id, err) != 0 ||
	    store_login_failures_clear(s, key, err) != 0 ||
	    audit_record(s, &who, "operator.password_set", 0, NULL, NULL,
	        a.login, now, err) != 0 ||
	    store_commit(s, err) != 0)
		goto fail;
	explicit_bzero(hash, sizeof hash);
	if (out != NULL)
		*out = a;
	return 0;
fail:
	store_rollback(s);
out:
	explicit_bzero(hash, sizeof hash);
	return -1;
}

int
account_token_add(struct store *s, int64_t id, const struct actor *actor,
    time_t now, char *out, size_t size, int64_t *token_id, struct error *err)
{
	struct account a;

	if (admin_only(actor, err) != 0)
		return -1;
	if (store_operator_get(s, id, &a, err) != 0)
		return unknown_operator(err);
	return auth_token_issue(
	    s, a.login, actor, now, out, size, token_id, err);
}

int
account_token_revoke(struct store *s, int64_t id, int64_t token_id,
    const struct actor *actor, time_t now, struct error *err)
{
	struct account a;
	char detail[96];

	if (admin_only(actor, err) != 0)
		return -1;
	if (store_begin(s, err) != 0)
		return -1;
	if (store_operator_get(s, id, &a, err) != 0) {
		unknown_operator(err);
		goto fail;
	}
	if (store_api_token_revoke(s, id, token_id, now, err) != 0) {
		if (err != NULL && err->kind == ERROR_NOT_FOUND)
			error_set_code(err, ERROR_NOT_FOUND, "unknown_token",
			    NULL, "The operator has no such live token.");
		goto fail;
	}
	snprintf(detail, sizeof detail, "for %s: #%lld", a.login,
	    (long long)token_id);
	if (audit_record(s, actor, "token.revoke", 0, NULL, NULL, detail, now,
	        err) != 0 ||
	    store_commit(s, err) != 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int
account_contact_set(struct store *s, int64_t id, const char *email,
    const char *phone, const struct actor *actor, time_t now, struct error *err)
{
	char e[256] = "", p[20] = "";

	if (email != NULL && email[0] != '\0' &&
	    email_normalize(email, e, sizeof e, err) != 0)
		return -1;
	if (phone != NULL && phone[0] != '\0' &&
	    phone_normalize(phone, p, sizeof p, err) != 0)
		return -1;
	if (store_begin(s, err) != 0)
		return -1;
	if (store_operator_contact_set(s, id, e, p, err) != 0 ||
	    audit_record(s, actor, "operator.contact", 0, NULL, NULL,
	        e[0] || p[0] ? "set" : "cleared", now, err) != 0 ||
	    store_commit(s, err) != 0) {
		store_rollback(s);
		return -1;
	}
	return 0;
}
