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
	const char *word;

	if (strcmp(rq->lang, "en") == 0)
		word = n == 1 ? "minute" : "minutes";
	else
		word = plural_pl(n, page_t(rq, "minute_one"),
		    page_t(rq, "minute_few"), page_t(rq, "minute_many"));
	snprintf(out, size, "%ld %s", n, word);
}

void
page_when(struct request *rq, time_t t, struct buf *out)
{
	notify_format_when(t, rq->lang, out);
}

json_t *
page_context(struct request *rq)
{
	struct buf other = BUF_INIT;
	bool en = strcmp(rq->lang, "en") == 0;
	json_t *ctx;

	http_self_url(rq, "lang", en ? "pl" : "en", &other);
	ctx = json_pack("{s:s, s:O, s:s, s:s, s:s, s:s, s:s}", "lang", rq->lang,
	    "t", catalog(rq), "csrf", rq->csrf, "office",
	    rq->web->config->office_name, "lang_switch", buf_cstr(&other),
	    "lang_switch_label", en ? "Polski" : "English", "lang_switch_code",
	    en ? "pl" : "en");
	buf_free(&other);
	if (ctx == NULL)
		abort();
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

const char *
page_error_text(struct request *rq, const struct error *err)
{
	char key[96];

	if (err->code[0] != '\0') {
		if (err->field[0] != '\0') {
			snprintf(key, sizeof key, "err_%s_%s", err->code,
			    err->field);
			if (page_t(rq, key)[0] != '\0')
				return page_t(rq, key);
		}
		snprintf(key, sizeof key, "err_%s", err->code);
		if (page_t(rq, key)[0] != '\0')
			return page_t(rq, key);
	}
	return page_t(rq, "err_generic");
}

void
page_booking_link(const struct booking *b, const char *action, const char *extra,
    char *out, size_t size)
{
	struct buf path = BUF_INIT;

	notify_path(b, action, &path);
	snprintf(out, size, "%s%s", buf_cstr(&path), extra);
	buf_free(&path);
}
