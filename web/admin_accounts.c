/*
 * admin_accounts.c: operators for admins (lib/accounts.h), as pages and
 * as the API, and the page where an operator chooses a password:
 *
 *   GET  /api/v1/admin/operators               every operator
 *   POST /api/v1/admin/operators               {login, display_name, role}
 *        → 201 the operator and password_link (shown this once)
 *   GET  /api/v1/admin/operators/{id}          one, with its API tokens
 *   PUT  /api/v1/admin/operators/{id}          any of display_name, role,
 *        disabled → 200; 409 last_admin
 *   POST /api/v1/admin/operators/{id}/password-reset → 200 password_link
 *   GET  /api/v1/admin/operators/{id}/tokens
 *   POST /api/v1/admin/operators/{id}/tokens   → 201 {id, token} (once)
 *   POST /api/v1/admin/operators/{id}/tokens/{token_id}/revoke → 200
 *
 *   /admin/operators, /admin/operators/{id} and their forms
 *   GET|POST /staff/password?t=TOKEN           choose a password (public:
 *        the link is the credential)
 *
 * A password link or an API token is shown once, in the answer to the
 * request that made it, and never logged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "admin.h"
#include "api.h"
#include "auth.h"
#include "page.h"
#include "staff.h"

static const char *const roles[] = {"reception", "staff", "admin"};

static json_t *
operator_json(const struct account *a)
{
	char created[OTIME_LOCAL_LEN];

	otime_format(a->created_at, created);
	return json_pack("{s:I, s:s, s:s, s:s, s:b, s:s}", "id",
	    (json_int_t)a->id, "login", a->login, "display_name",
	    a->display_name, "role", role_name(a->role), "disabled",
	    a->disabled, "created", created);
}

static json_t *
tokens_json(const struct api_token_info *t, size_t n)
{
	json_t *list = json_array();
	char a[OTIME_LOCAL_LEN], b[OTIME_LOCAL_LEN], c[OTIME_LOCAL_LEN];
	size_t i;

	for (i = 0; i < n; i++) {
		otime_format(t[i].created_at, a);
		otime_format(t[i].last_used_at, b);
		otime_format(t[i].revoked_at, c);
		json_array_append_new(
		    list, json_pack("{s:I, s:s, s:s?, s:s?}", "id",
		              (json_int_t)t[i].id, "created", a, "last_used",
		              t[i].last_used_at ? b : NULL, "revoked",
		              t[i].revoked_at ? c : NULL));
	}
	return list;
}

static void
link_url(struct request *rq, const struct account_link *link, struct buf *out)
{
	const char *base = rq->web->config->web_base_url;
	size_t len = strlen(base);

	while (len > 0 && base[len - 1] == '/')
		len--;
	buf_append(out, base, len);
	buf_printf(out, "/staff/password?t=%s", link->token);
}

static json_t *
link_json(struct request *rq, const struct account_link *link)
{
	struct buf url = BUF_INIT;
	char expires[OTIME_LOCAL_LEN];
	json_t *v;

	link_url(rq, link, &url);
	otime_format(link->expires, expires);
	v = json_pack("{s:s, s:s}", "url", buf_cstr(&url), "expires", expires);
	explicit_bzero(url.data, url.len);
	buf_free(&url);
	return v;
}

static int
role_of(const char *text)
{
	enum role r;

	if (text == NULL || role_parse(text, &r) != 0 || r == ROLE_PUBLIC)
		return -2;
	return (int)r;
}

/* ---- the API ------------------------------------------------------------ */

static bool
path_id(struct request *rq, struct response *rs, size_t i, int64_t *id)
{
	if (http_parse_id(rq->captures[i], id))
		return true;
	http_json_error(rs, 404, "not_found", "No such resource.", NULL);
	return false;
}

static void
api_operators(struct request *rq, struct response *rs)
{
	struct account *list = NULL;
	struct store *s;
	struct error err;
	size_t n, i;
	json_t *out;

	if ((s = api_store(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (store_operators_list(s, &list, &n, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	out = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(out, operator_json(&list[i]));
	free(list);
	http_json(rs, 200, out);
}

static void
api_operator_add(struct request *rq, struct response *rs)
{
	static const char *const allowed[] = {
	    "login", "display_name", "role", NULL};
	struct admin_input in;
	struct account_link link;
	struct account a;
	struct store *s;
	struct error err;
	json_t *out;
	int role;

	if (!admin_input_api(&in, rq, rs, allowed))
		return;
	memset(&a, 0, sizeof a);
	snprintf(a.login, sizeof a.login, "%s", admin_text(&in, "login"));
	snprintf(a.display_name, sizeof a.display_name, "%s",
	    admin_text(&in, "display_name"));
	if (a.display_name[0] == '\0')
		snprintf(a.display_name, sizeof a.display_name, "%s", a.login);
	role = role_of(admin_text(&in, "role"));
	a.role = role >= 0 ? (enum role)role : ROLE_PUBLIC;
	if (strlen(admin_text(&in, "login")) >= sizeof a.login)
		a.login[0] = '\0'; /* refused as login_invalid */
	account_check(&a, &in.errors);
	if (in.errors.n > 0) {
		admin_api_errors(rs, &in.errors);
		goto out;
	}
	if ((s = api_store(rq, rs)) == NULL)
		goto out;
	error_clear(&err);
	if (account_create(s, &a, &rq->actor, rq->now, &a.id, &link, &err) !=
	    0) {
		api_error(rs, &err);
		goto out;
	}
	a.created_at = rq->now;
	out = operator_json(&a);
	json_object_set_new(out, "password_link", link_json(rq, &link));
	explicit_bzero(&link, sizeof link);
	http_json(rs, 201, out);
out:
	admin_input_free(&in);
}

static int
operator_load(struct request *rq, struct response *rs, struct store **s,
    struct account *a)
{
	struct error err;
	int64_t id;

	if (!path_id(rq, rs, 0, &id) || (*s = api_store(rq, rs)) == NULL)
		return -1;
	error_clear(&err);
	if (store_operator_get(*s, id, a, &err) != 0) {
		if (err.kind == ERROR_NOT_FOUND)
			http_json_error(rs, 404, "unknown_operator",
			    "No such operator.", NULL);
		else
			api_error(rs, &err);
		return -1;
	}
	return 0;
}

static void
api_operator_get(struct request *rq, struct response *rs)
{
	struct api_token_info *tokens = NULL;
	struct account a;
	struct store *s;
	struct error err;
	size_t n;
	json_t *out;

	if (operator_load(rq, rs, &s, &a) != 0)
		return;
	error_clear(&err);
	if (store_api_tokens_list(s, a.id, &tokens, &n, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	out = operator_json(&a);
	json_object_set_new(out, "tokens", tokens_json(tokens, n));
	free(tokens);
	http_json(rs, 200, out);
}

static void
api_operator_put(struct request *rq, struct response *rs)
{
	static const char *const allowed[] = {
	    "display_name", "role", "disabled", NULL};
	struct admin_input in;
	struct account a;
	struct store *s;
	struct error err;
	const char *name = NULL;
	int role = -1, disabled = -1;

	if (operator_load(rq, rs, &s, &a) != 0 ||
	    !admin_input_api(&in, rq, rs, allowed))
		return;
	if (admin_has(&in, "display_name"))
		name = admin_text(&in, "display_name");
	if (admin_has(&in, "role") &&
	    (role = role_of(admin_text(&in, "role"))) < 0)
		error_set_code(error_list_next(&in.errors), ERROR_INVALID,
		    "role_invalid", "role",
		    "The role is admin, staff or reception.");
	if (admin_has(&in, "disabled"))
		disabled = admin_flag(&in, "disabled");
	if (in.errors.n > 0) {
		admin_api_errors(rs, &in.errors);
		goto out;
	}
	error_clear(&err);
	if (account_update(s, a.id, name, role, disabled, &rq->actor, rq->now,
	        &a, &err) != 0) {
		api_error(rs, &err);
		goto out;
	}
	http_json(rs, 200, operator_json(&a));
out:
	admin_input_free(&in);
}

static void
api_password_reset(struct request *rq, struct response *rs)
{
	struct account_link link;
	struct account a;
	struct store *s;
	struct error err;

	if (operator_load(rq, rs, &s, &a) != 0)
		return;
	error_clear(&err);
	if (account_password_reset(s, a.id, &rq->actor, rq->now, &link, &err) !=
	    0) {
		api_error(rs, &err);
		return;
	}
	http_json(rs, 200,
	    json_pack("{s:I, s:o}", "id", (json_int_t)a.id, "password_link",
	        link_json(rq, &link)));
	explicit_bzero(&link, sizeof link);
}

static void
api_tokens(struct request *rq, struct response *rs)
{
	struct api_token_info *tokens = NULL;
	struct account a;
	struct store *s;
	struct error err;
	size_t n;

	if (operator_load(rq, rs, &s, &a) != 0)
		return;
	error_clear(&err);
	if (store_api_tokens_list(s, a.id, &tokens, &n, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	http_json(rs, 200, tokens_json(tokens, n));
	free(tokens);
}

static void
api_token_add(struct request *rq, struct response *rs)
{
	char token[AUTH_TOKEN_LEN + 1];
	struct account a;
	struct store *s;
	struct error err;
	int64_t id;

	if (operator_load(rq, rs, &s, &a) != 0)
		return;
	error_clear(&err);
	if (account_token_add(s, a.id, &rq->actor, rq->now, token, sizeof token,
	        &id, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	http_json(rs, 201,
	    json_pack("{s:I, s:s}", "id", (json_int_t)id, "token", token));
	explicit_bzero(token, sizeof token);
}

static void
api_token_revoke(struct request *rq, struct response *rs)
{
	struct account a;
	struct store *s;
	struct error err;
	int64_t token_id;

	if (operator_load(rq, rs, &s, &a) != 0 ||
	    !path_id(rq, rs, 1, &token_id))
		return;
	error_clear(&err);
	if (account_token_revoke(
	        s, a.id, token_id, &rq->actor, rq->now, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	http_json(rs, 200,
	    json_pack("{s:I, s:b}", "id", (json_int_t)token_id, "revoked", 1));
}

/* ---- pages -------------------------------------------------------------- */

static json_t *
role_options(struct request *rq, const char *current)
{
	json_t *options = json_array();
	char key[32];
	size_t i;

	for (i = 0; i < sizeof roles / sizeof roles[0]; i++) {
		snprintf(key, sizeof key, "role_%s", roles[i]);
		json_array_append_new(
		    options, admin_option(roles[i], page_t(rq, key),
		                 strcmp(current, roles[i]) == 0));
	}
	return options;
}

static void
operators_render(struct request *rq, struct response *rs, unsigned status,
    const struct error_list *errors, const struct error *err)
{
	struct account *list = NULL;
	struct store *s;
	struct error e;
	json_t *ctx, *rows = json_array(), *fields = json_array();
	bool post = strcmp(rq->method, "POST") == 0;
	size_t n = 0, i;

	error_clear(&e);
	if ((s = http_store(rq)) == NULL ||
	    store_operators_list(s, &list, &n, &e) != 0) {
		json_decref(rows);
		json_decref(fields);
		admin_db_error(rq, rs, &e);
		return;
	}
	ctx = staff_context(rq, "/admin");
	for (i = 0; i < n; i++) {
		char href[48];

		snprintf(href, sizeof href, "/admin/operators/%lld",
		    (long long)list[i].id);
		json_array_append_new(rows,
		    json_pack("{s:s, s:s, s:s, s:s, s:b}", "href", href,
		        "login", list[i].login, "name", list[i].display_name,
		        "role", staff_role_label(rq, list[i].role), "disabled",
		        list[i].disabled));
	}
	free(list);
	json_array_append_new(fields,
	    admin_field(rq, "login", "text", "op_login", "op_login_hint",
	        post ? http_form(rq, "login") : "", true, NULL));
	json_array_append_new(
	    fields, admin_field(rq, "display_name", "text", "op_name", NULL,
	                post ? http_form(rq, "display_name") : "", true, NULL));
	json_array_append_new(fields,
	    admin_field(rq, "role", "select", "op_role", NULL, NULL, true,
	        role_options(rq, post ? http_form(rq, "role") : "staff")));
	json_object_set_new(ctx, "operators", rows);
	json_object_set_new(ctx, "fields", fields);
	json_object_set_new(ctx, "title", json_string(page_t(rq, "ops_title")));
	admin_notice(rq, ctx);
	if (errors != NULL)
		admin_form_errors(rq, ctx, errors);
	if (err != NULL)
		admin_form_error(rq, ctx, err);
	staff_render(rq, rs, status, "aoperators", ctx);
}

static void
operators_page(struct request *rq, struct response *rs)
{
	operators_render(rq, rs, 200, NULL, NULL);
}

/* a link or a token, shown once */
static void
secret_page(struct request *rq, struct response *rs, const char *title_key,
    const char *text_key, const char *secret, const char *expires,
    const char *back)
{
	json_t *ctx = staff_context(rq, "/admin");

	json_object_set_new(ctx, "title", json_string(page_t(rq, title_key)));
	json_object_set_new(ctx, "text", json_string(page_t(rq, text_key)));
	json_object_set_new(ctx, "secret", json_string(secret));
	if (expires != NULL)
		json_object_set_new(ctx, "expires", json_string(expires));
	json_object_set_new(ctx, "back", json_string(back));
	staff_render(rq, rs, 200, "asecret", ctx);
}

static void
link_page(struct request *rq, struct response *rs, const char *title_key,
    const struct account_link *link, int64_t id)
{
	struct buf url = BUF_INIT;
	char expires[OTIME_LOCAL_LEN], back[48];

	link_url(rq, link, &url);
	admin_when(link->expires, expires);
	snprintf(back, sizeof back, "/admin/operators/%lld", (long long)id);
	secret_page(
	    rq, rs, title_key, "link_text", buf_cstr(&url), expires, back);
	explicit_bzero(url.data, url.len);
	buf_free(&url);
}

static void
operators_post(struct request *rq, struct response *rs)
{
	struct admin_input in;
	struct account_link link;
	struct account a;
	struct store *s;
	struct error err;
	int role;

	admin_input_form(&in, rq);
	memset(&a, 0, sizeof a);
	snprintf(a.login, sizeof a.login, "%s", admin_text(&in, "login"));
	snprintf(a.display_name, sizeof a.display_name, "%s",
	    admin_text(&in, "display_name"));
	role = role_of(http_form(rq, "role"));
	a.role = role >= 0 ? (enum role)role : ROLE_PUBLIC;
	account_check(&a, &in.errors);
	if (in.errors.n > 0) {
		operators_render(rq, rs, 422, &in.errors, NULL);
		return;
	}
	if ((s = http_store(rq)) == NULL) {
		admin_db_error(rq, rs, NULL);
		return;
	}
	error_clear(&err);
	if (account_create(s, &a, &rq->actor, rq->now, &a.id, &link, &err) !=
	    0) {
		if (err.kind == ERROR_INVALID)
			operators_render(rq, rs, 422, NULL, &err);
		else
			admin_db_error(rq, rs, &err);
		return;
	}
	link_page(rq, rs, "link_new_title", &link, a.id);
	explicit_bzero(&link, sizeof link);
}

static void
operator_render(struct request *rq, struct response *rs, unsigned status,
    int64_t id, const struct error *err)
{
	struct api_token_info *tokens = NULL;
	struct account a;
	struct store *s;
	struct error e;
	json_t *ctx, *fields = json_array(), *rows = json_array();
	bool post = strcmp(rq->method, "POST") == 0 && err != NULL;
	size_t n = 0, i;
	char base[48];

	error_clear(&e);
	if ((s = http_store(rq)) == NULL) {
		json_decref(fields);
		json_decref(rows);
		admin_db_error(rq, rs, NULL);
		return;
	}
	if (store_operator_get(s, id, &a, &e) != 0 ||
	    store_api_tokens_list(s, id, &tokens, &n, &e) != 0) {
		json_decref(fields);
		json_decref(rows);
		if (e.kind == ERROR_NOT_FOUND)
			staff_message(rq, rs, 404, "err_notfound_title",
			    "err_notfound_text");
		else
			admin_db_error(rq, rs, &e);
		return;
	}
	ctx = staff_context(rq, "/admin");
	snprintf(base, sizeof base, "/admin/operators/%lld", (long long)id);
	json_array_append_new(
	    fields, admin_field(rq, "display_name", "text", "op_name", NULL,
	                post ? http_form(rq, "display_name") : a.display_name,
	                true, NULL));
	json_array_append_new(
	    fields, admin_field(rq, "role", "select", "op_role", "op_role_hint",
	                NULL, true,
	                role_options(rq,
	                    post ? http_form(rq, "role") : role_name(a.role))));
	for (i = 0; i < n; i++) {
		char created[OTIME_LOCAL_LEN], used[OTIME_LOCAL_LEN],
		    revoked[OTIME_LOCAL_LEN];

		admin_when(tokens[i].created_at, created);
		admin_when(tokens[i].last_used_at, used);
		admin_when(tokens[i].revoked_at, revoked);
		json_array_append_new(
		    rows, json_pack("{s:I, s:s, s:s, s:s, s:b}", "id",
		              (json_int_t)tokens[i].id, "created", created,
		              "used", tokens[i].last_used_at ? used : "—",
		              "revoked", tokens[i].revoked_at ? revoked : "",
		              "live", tokens[i].revoked_at == 0));
	}
	free(tokens);
	json_object_set_new(ctx, "op",
	    json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)a.id, "login",
	        a.login, "name", a.display_name, "disabled", a.disabled));
	json_object_set_new(ctx, "base", json_string(base));
	json_object_set_new(ctx, "fields", fields);
	json_object_set_new(ctx, "tokens", rows);
	json_object_set_new(ctx, "title", json_string(a.login));
	admin_notice(rq, ctx);
	if (err != NULL)
		admin_form_error(rq, ctx, err);
	staff_render(rq, rs, status, "aoperator", ctx);
}

static bool
page_id(struct request *rq, struct response *rs, size_t i, int64_t *id)
{
	if (http_parse_id(rq->captures[i], id))
		return true;
	staff_message(rq, rs, 404, "err_notfound_title", "err_notfound_text");
	return false;
}

static void
operator_page(struct request *rq, struct response *rs)
{
	int64_t id;

	if (page_id(rq, rs, 0, &id))
		operator_render(rq, rs, 200, id, NULL);
}

/* operator_done: after a form's change, back to the operator's page with
 * a notice, or the page with the error */
static void
operator_done(struct request *rq, struct response *rs, int64_t id, int rc,
    const struct error *err, const char *done)
{
	char path[48];

	if (rc == 0) {
		snprintf(
		    path, sizeof path, "/admin/operators/%lld", (long long)id);
		admin_done(rs, path, done);
	} else if (err->kind == ERROR_IO || err->kind == ERROR_INTERNAL ||
	           err->kind == ERROR_TEMPORARY)
		admin_db_error(rq, rs, err);
	else
		operator_render(rq, rs,
		    err->kind == ERROR_CONFLICT    ? 409
		    : err->kind == ERROR_NOT_FOUND ? 404
		                                   : 422,
		    id, err);
}

static void
operator_post(struct request *rq, struct response *rs)
{
	struct store *s;
	struct error err;
	int64_t id;
	int role;

	if (!page_id(rq, rs, 0, &id))
		return;
	if ((s = http_store(rq)) == NULL) {
		admin_db_error(rq, rs, NULL);
		return;
	}
	error_clear(&err);
	role = role_of(http_form(rq, "role"));
	if (role < 0) {
		error_set_code(&err, ERROR_INVALID, "role_invalid", "role",
		    "The role is admin, staff or reception.");
		operator_done(rq, rs, id, -1, &err, NULL);
		return;
	}
	operator_done(rq, rs, id,
	    account_update(s, id, http_form(rq, "display_name"), role, -1,
	        &rq->actor, rq->now, NULL, &err),
	    &err, "saved");
}

static void
operator_switch(struct request *rq, struct response *rs, bool disabled)
{
	struct store *s;
	struct error err;
	int64_t id;

	if (!page_id(rq, rs, 0, &id))
		return;
	if ((s = http_store(rq)) == NULL) {
		admin_db_error(rq, rs, NULL);
		return;
	}
	error_clear(&err);
	operator_done(rq, rs, id,
	    account_update(
	        s, id, NULL, -1, disabled, &rq->actor, rq->now, NULL, &err),
	    &err, disabled ? "disabled" : "enabled");
}

static void
operator_disable(struct request *rq, struct response *rs)
{
	operator_switch(rq, rs, true);
}

static void
operator_enable(struct request *rq, struct response *rs)
{
	operator_switch(rq, rs, false);
}

static void
operator_reset(struct request *rq, struct response *rs)
{
	struct account_link link;
	struct store *s;
	struct error err;
	int64_t id;

	if (!page_id(rq, rs, 0, &id))
		return;
	if ((s = http_store(rq)) == NULL) {
		admin_db_error(rq, rs, NULL);
		return;
	}
	error_clear(&err);
	if (account_password_reset(s, id, &rq->actor, rq->now, &link, &err) !=
	    0) {
		operator_done(rq, rs, id, -1, &err, NULL);
		return;
	}
	link_page(rq, rs, "link_reset_title", &link, id);
	explicit_bzero(&link, sizeof link);
}

static void
operator_token_add(struct request *rq, struct response *rs)
{
	char token[AUTH_TOKEN_LEN + 1], back[48];
	struct store *s;
	struct error err;
	int64_t id, token_id;

	if (!page_id(rq, rs, 0, &id))
		return;
	if ((s = http_store(rq)) == NULL) {
		admin_db_error(rq, rs, NULL);
		return;
	}
	error_clear(&err);
	if (account_token_add(s, id, &rq->actor, rq->now, token, sizeof token,
	        &token_id, &err) != 0) {
		operator_done(rq, rs, id, -1, &err, NULL);
		return;
	}
	snprintf(back, sizeof back, "/admin/operators/%lld", (long long)id);
	secret_page(rq, rs, "token_new_title", "token_text", token, NULL, back);
	explicit_bzero(token, sizeof token);
}

static void
operator_token_revoke(struct request *rq, struct response *rs)
{
	struct store *s;
	struct error err;
	int64_t id, token_id;

	if (!page_id(rq, rs, 0, &id) || !page_id(rq, rs, 1, &token_id))
		return;
	if ((s = http_store(rq)) == NULL) {
		admin_db_error(rq, rs, NULL);
		return;
	}
	error_clear(&err);
	operator_done(rq, rs, id,
	    account_token_revoke(s, id, token_id, &rq->actor, rq->now, &err),
	    &err, "revoked");
}

/* ---- choosing a password ------------------------------------------------ */

static void
password_render(struct request *rq, struct response *rs, unsigned status,
    const char *token, const struct account *a, const struct error *err)
{
	json_t *ctx = staff_context(rq, NULL), *fields = json_array();

	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "password_title")));
	if (a != NULL) {
		json_object_set_new(ctx, "token", json_string(token));
		json_object_set_new(ctx, "login", json_string(a->login));
		json_array_append_new(fields,
		    admin_field(rq, "password", "password", "password_new",
		        "password_hint", "", true, NULL));
		json_array_append_new(
		    fields, admin_field(rq, "password_again", "password",
		                "password_again", NULL, "", true, NULL));
		json_object_set_new(ctx, "fields", fields);
	} else
		json_decref(fields);
	if (err != NULL)
		admin_form_error(rq, ctx, err);
	staff_render(rq, rs, status, "password", ctx);
}

static void
password_page(struct request *rq, struct response *rs)
{
	const char *token = http_query(rq, "t");
	struct account a;
	struct store *s;
	struct error err;

	if ((s = http_store(rq)) == NULL) {
		admin_db_error(rq, rs, NULL);
		return;
	}
	error_clear(&err);
	if (account_link_account(s, token, rq->now, &a, &err) != 0) {
		password_render(rq, rs, 404, NULL, NULL, &err);
		return;
	}
	password_render(rq, rs, 200, token, &a, NULL);
}

static void
password_post(struct request *rq, struct response *rs)
{
	const char *token = http_form(rq, "t");
	struct account a;
	struct store *s;
	struct error err;

	if ((s = http_store(rq)) == NULL) {
		admin_db_error(rq, rs, NULL);
		return;
	}
	error_clear(&err);
	if (account_password_set(s, token, http_form(rq, "password"),
	        http_form(rq, "password_again"), rq->client, rq->now, &a,
	        &err) == 0) {
		json_t *ctx = staff_context(rq, NULL);

		json_object_set_new(
		    ctx, "title", json_string(page_t(rq, "password_title")));
		json_object_set_new(ctx, "done", json_true());
		staff_render(rq, rs, 200, "password", ctx);
		return;
	}
	if (strcmp(err.code, "link_invalid") == 0)
		password_render(rq, rs, 404, NULL, NULL, &err);
	else if (err.kind == ERROR_INVALID &&
	         account_link_account(s, token, rq->now, &a, NULL) == 0)
		password_render(rq, rs, 422, token, &a, &err);
	else
		admin_db_error(rq, rs, &err);
}

const struct route accounts_routes[] = {
    {"GET", "/api/v1/admin/operators", api_operators, ROLE_ADMIN, 0},
    {"POST", "/api/v1/admin/operators", api_operator_add, ROLE_ADMIN, 0},
    {"GET", "/api/v1/admin/operators/{}", api_operator_get, ROLE_ADMIN, 0},
    {"PUT", "/api/v1/admin/operators/{}", api_operator_put, ROLE_ADMIN, 0},
    {"POST", "/api/v1/admin/operators/{}/password-reset", api_password_reset,
        ROLE_ADMIN, 0},
    {"GET", "/api/v1/admin/operators/{}/tokens", api_tokens, ROLE_ADMIN, 0},
    {"POST", "/api/v1/admin/operators/{}/tokens", api_token_add, ROLE_ADMIN, 0},
    {"POST", "/api/v1/admin/operators/{}/tokens/{}/revoke", api_token_revoke,
        ROLE_ADMIN, 0},
    {"GET", "/admin/operators", operators_page, ROLE_ADMIN, 0},
    {"POST", "/admin/operators", operators_post, ROLE_ADMIN, ROUTE_FORM},
    {"GET", "/admin/operators/{}", operator_page, ROLE_ADMIN, 0},
    {"POST", "/admin/operators/{}", operator_post, ROLE_ADMIN, ROUTE_FORM},
    {"POST", "/admin/operators/{}/disable", operator_disable, ROLE_ADMIN,
        ROUTE_FORM},
    {"POST", "/admin/operators/{}/enable", operator_enable, ROLE_ADMIN,
        ROUTE_FORM},
    {"POST", "/admin/operators/{}/password-reset", operator_reset, ROLE_ADMIN,
        ROUTE_FORM},
    {"POST", "/admin/operators/{}/tokens", operator_token_add, ROLE_ADMIN,
        ROUTE_FORM},
    {"POST", "/admin/operators/{}/tokens/{}/revoke", operator_token_revoke,
        ROLE_ADMIN, ROUTE_FORM},
    {"GET", "/staff/password", password_page, ROLE_PUBLIC, 0},
    {"POST", "/staff/password", password_post, ROLE_PUBLIC, ROUTE_FORM},
    {0},
};
