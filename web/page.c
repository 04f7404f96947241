/*
 * page.c: language, catalog and layout for every citizen page (page.h).
 * A template error is a bug: it is logged and the citizen gets a plain 500.
 */
#include <stdio.h>
#include <string.h>

#include "assets.h"
#include "log.h"
#include "notify.h"
#include "page.h"
#include "plural.h"
#include "template.h"

/* catalog_merge: the keys of one more catalog file ("i18n/staff.pl.json")
 * into a language's catalog; a key defined twice is a start-up error */
static int
catalog_merge(json_t *into, const struct asset *a, struct error *err)
{
	json_error_t je;
	const char *key;
	json_t *part, *v;

	part = json_loadb((const char *)a->data, a->len, 0, &je);
	if (part == NULL || !json_is_object(part)) {
		json_decref(part);
		return error_set(err, ERROR_INTERNAL, "%s:%d: %s", a->name,
		    je.line, je.text);
	}
	json_object_foreach(part, key, v)
	{
		if (json_object_get(into, key) != NULL) {
			error_set(err, ERROR_INTERNAL,
			    "%s: key %s is defined"
			    " twice",
			    a->name, key);
			json_decref(part);
			return -1;
		}
		json_object_set(into, key, v);
	}
	json_decref(part);
	return 0;
}

/* Each language's catalog is i18n/LANG.json plus every i18n/AREA.LANG.json
 * (staff.pl.json, …): a panel keeps its strings in its own file. */
int
i18n_load(struct web *w, struct error *err)
{
	static const char *const langs[2] = {"pl", "en"};
	char main_name[32], suffix[16];
	const struct asset *a;
	size_t i, n;

	for (i = 0; i < 2; i++) {
		snprintf(main_name, sizeof main_name, "i18n/%s.json", langs[i]);
		snprintf(suffix, sizeof suffix, ".%s.json", langs[i]);
		w->catalog[i] = json_object();
		for (a = assets; a->name != NULL; a++) {
			n = strlen(a->name);
			if (strncmp(a->name, "i18n/", 5) != 0 ||
			    (strcmp(a->name, main_name) != 0 &&
			        (n < strlen(suffix) ||
			            strcmp(a->name + n - strlen(suffix),
			                suffix) != 0)))
				continue;
			if (catalog_merge(w->catalog[i], a, err) != 0)
				return -1;
		}
		if (json_object_get(w->catalog[i], "office_title") == NULL)
			return error_set(
			    err, ERROR_INTERNAL, "no %s", main_name);
	}
	return 0;
}

void
i18n_free(struct web *w)
{
	json_decref(w->catalog[0]);
	json_decref(w->catalog[1]);
	w->catalog[0] = w->catalog[1] = NULL;
}

static json_t *
catalog(struct request *rq)
{
	return rq->web->catalog[strcmp(rq->lang, "en") == 0 ? 1 : 0];
}

/* the text of key in the request's language, then Polish, or NULL */
static const char *
catalog_find(struct request *rq, const char *key)
{
	const char *s = json_string_value(json_object_get(catalog(rq), key));

	if (s == NULL)
		s = json_string_value(
		    json_object_get(rq->web->catalog[0], key));
	return s;
}

const char *
page_error_text(struct request *rq, const struct error *err)
{
	const char *s;
	char key[128];

	/* the stable code names its text: "err_<code>_<field>" (the same
	 * code about another field), then "err_<code>" */
	if (err->code[0] != '\0') {
		if (err->field[0] != '\0') {
			snprintf(key, sizeof key, "err_%s_%s", err->code,
			    err->field);
			if ((s = catalog_find(rq, key)) != NULL)
				return s;
		}
		snprintf(key, sizeof key, "err_%s", err->code);
		if ((s = catalog_find(rq, key)) != NULL)
			return s;
	}
	if (err->field[0] != '\0') {
		snprintf(key, sizeof key, "err_field_%s", err->field);
		if ((s = catalog_find(rq, key)) != NULL)
			return s;
	}
	switch (err->kind) {
	case ERROR_LIMIT: return page_t(rq, "err_limit");
	case ERROR_CONFLICT: return page_t(rq, "err_taken_short");
	case ERROR_NOT_FOUND: return page_t(rq, "err_notfound_text");
	default: return page_t(rq, "err_generic");
	}
}

const char *
page_t(struct request *rq, const char *key)
{
	const char *s = json_string_value(json_object_get(catalog(rq), key));

	if (s == NULL) {
		/* fall back to Polish, then to nothing */
		s = json_string_value(
		    json_object_get(rq->web->catalog[0], key));
		if (s == NULL)
			log_warn("i18n: missing key=%s", key);
	}
	return s != NULL ? s : "";
}

void
page_minutes(struct request *rq, long n, char *out, size_t size)
{
	plural_count(n, PLURAL_MINUTE, rq->lang, PLURAL_NOMINATIVE, out, size);
}

void
page_when(struct request *rq, time_t t, struct buf *out)
{
	notify_format_when(t, rq->lang, out);
}

/* the office's address, phone and opening note (each only when set), for
 * the footer and the ticket */
static void
page_office(struct request *rq, json_t *ctx)
{
	const struct config *c = rq->web->config;
	json_t *o = json_object();

	if (c->office_address[0] != '\0')
		json_object_set_new(
		    o, "address", json_string(c->office_address));
	if (c->office_phone[0] != '\0')
		json_object_set_new(o, "phone", json_string(c->office_phone));
	if (c->office_hours[0] != '\0')
		json_object_set_new(o, "hours", json_string(c->office_hours));
	if (json_object_size(o) > 0)
		json_object_set_new(ctx, "office_info", o);
	else
		json_decref(o);
}

json_t *
page_context(struct request *rq)
{
	struct buf other = BUF_INIT;
	bool en = strcmp(rq->lang, "en") == 0;
	char retain[48];
	json_t *ctx;

	http_self_url(rq, "lang", en ? "pl" : "en", &other);
	ctx = json_pack("{s:s, s:O, s:s, s:s, s:s, s:s, s:s}", "lang", rq->lang,
	    "t", catalog(rq), "csrf", rq->csrf, "office",
	    rq->web->config->office_name, "lang_switch", buf_cstr(&other),
	    "lang_switch_label", en ? "Polski" : "English", "lang_switch_code",
	    en ? "pl" : "en");
	buf_free(&other);
	if (ctx == NULL) {
		/* every value is checked UTF-8 (http.h): only a bad office name
		 * in the configuration gets here; a page without it beats none
		 */
		log_error(
		    "page: the page context cannot be built (office name not"
		    " UTF-8?)");
		ctx = json_pack("{s:s, s:O, s:s}", "lang", rq->lang, "t",
		    catalog(rq), "csrf", rq->csrf);
	}
	page_office(rq, ctx);
	/* the privacy notice in the footer, the form and /privacy says the
	 * real retention ([privacy] retain_days): "30 dni" / "30 days" */
	json_object_set_new(ctx, "retain",
	    json_string(
	        plural_count(rq->web->config->privacy_retain_days, PLURAL_DAY,
	            rq->lang, PLURAL_ACCUSATIVE, retain, sizeof retain)));
	return ctx;
}

void
page_render(struct request *rq, struct response *rs, unsigned status,
    const char *name, json_t *ctx)
{
	page_render_in(rq, rs, status, name, "layout", ctx);
}

void
page_render_in(struct request *rq, struct response *rs, unsigned status,
    const char *name, const char *layout, json_t *ctx)
{
	struct buf content = BUF_INIT;
	struct error err;

	error_clear(&err);
	buf_reset(&rs->body);
	if (ctx == NULL) {
		error_set(&err, ERROR_INTERNAL, "no page context");
		goto fail;
	}
	if (template_render(name, ctx, &content, &err) != 0)
		goto fail;
	json_object_set_new(ctx, "content", json_string(buf_cstr(&content)));
	if (json_object_get(ctx, "title") == NULL)
		json_object_set_new(
		    ctx, "title", json_string(page_t(rq, "office_title")));
	if (template_render(layout, ctx, &rs->body, &err) != 0)
		goto fail;
	rs->status = status;
	rs->content_type = "text/html; charset=utf-8";
	buf_free(&content);
	json_decref(ctx);
	return;
fail:
	log_error("template %s: %s", name, err.msg);
	buf_free(&content);
	json_decref(ctx);
	buf_reset(&rs->body);
	buf_puts(&rs->body, "Internal error\n");
	rs->status = 500;
	rs->content_type = "text/plain; charset=utf-8";
}

void
page_message(struct request *rq, struct response *rs, unsigned status,
    const char *title_key, const char *text_key)
{
	json_t *ctx = page_context(rq);

	json_object_set_new(ctx, "title", json_string(page_t(rq, title_key)));
	json_object_set_new(ctx, "heading", json_string(page_t(rq, title_key)));
	json_object_set_new(ctx, "text", json_string(page_t(rq, text_key)));
	page_render(rq, rs, status, "message", ctx);
}

void
page_error_message(struct request *rq, struct response *rs, unsigned status,
    const char *title_key, const struct error *err)
{
	json_t *ctx = page_context(rq);

	json_object_set_new(ctx, "title", json_string(page_t(rq, title_key)));
	json_object_set_new(ctx, "heading", json_string(page_t(rq, title_key)));
	json_object_set_new(ctx, "text", json_string(page_error_text(rq, err)));
	page_render(rq, rs, status, "message", ctx);
}

void
page_booking_link(const struct booking *b, const char *action,
    const char *extra, char *out, size_t size)
{
	struct buf path = BUF_INIT;

	notify_path(b, action, &path);
	snprintf(out, size, "%s%s", buf_cstr(&path), extra);
	buf_free(&path);
}
