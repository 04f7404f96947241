/*
 * admin_templates.c: the message templates in the browser (lib/notify.h
 * "Templates"; saved as the settings "templates.KIND.LANG.PART"):
 *
 *   GET  /admin/templates                     every kind, Polish and English
 *   GET  /admin/templates/{kind}/{lang}       the editor: subject, body, SMS,
 *   POST /admin/templates/{kind}/{lang}       a preview on a sample booking,
 *                                             the SMS's segments and cost;
 *                                             action preview | save | reset
 *                                             | test (to the admin's own
 *                                             e-mail and phone)
 *   POST /api/v1/admin/templates/preview      {kind, lang, subject?, body?,
 *                                             sms?, sms_oneway?}: the texts
 *                                             rendered and the SMS measured
 *   POST /api/v1/admin/templates/test         the same draft, through the
 *                                             outbox to the admin (202)
 *   GET|PUT /api/v1/admin/me/contact          {email, phone}: where tests go
 *
 * Everything works without JavaScript (the preview is a POST);
 * static/templates.js keeps the SMS counter live while one types.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accounts.h"
#include "admin_settings.h"
#include "api.h"
#include "audit.h"
#include "email.h"
#include "log.h"
#include "notify.h"
#include "page.h"
#include "phone.h"
#include "sms_text.h"
#include "staff.h"

/* what a draft's SMS costs as it would be sent */
struct sms_cost {
	const char *encoding; /* "gsm7" | "ucs2" */
	size_t units;
	unsigned segments;
	char cost[32]; /* segments × [sms] segment_price, "0.16" */
};

static void
price_format(const char *price, unsigned segments, char *out, size_t size)
{
	/* the price in ten-thousandths, whatever its decimal mark */
	long long whole = 0, frac = 0, scale = 10000, total;
	const char *p = price;

	while (*p >= '0' && *p <= '9')
		whole = whole * 10 + (*p++ - '0');
	if (*p == '.' || *p == ',')
		for (p++; *p >= '0' && *p <= '9' && scale > 1; p++) {
			scale /= 10;
			frac += (*p - '0') * scale;
		}
	total = (whole * 10000 + frac) * (long long)segments;
	if (total % 100 == 0)
		snprintf(out, size, "%lld.%02lld", total / 10000,
		    total % 10000 / 100);
	else
		snprintf(
		    out, size, "%lld.%04lld", total / 10000, total % 10000);
}

static void
sms_cost_measure(const struct config *c, const char *text, struct sms_cost *out)
{
	char *plain = c->sms_transliterate ? sms_transliterate(text) : NULL;
	struct sms_measure m;

	sms_measure(plain != NULL ? plain : text, &m);
	free(plain);
	out->encoding = m.encoding == SMS_GSM7 ? "gsm7" : "ucs2";
	out->units = m.units;
	out->segments = m.segments;
	price_format(
	    c->sms_segment_price, m.segments, out->cost, sizeof out->cost);
}

/* a draft read from a form or a JSON body, checked part by part */
struct draft {
	enum notify_kind kind;
	bool en;
	struct notify_draft parts;
};

static bool
kind_lang(const char *kind, const char *lang, struct draft *d)
{
	memset(d, 0, sizeof *d);
	if (kind == NULL || lang == NULL ||
	    notify_kind_parse(kind, &d->kind) != 0 ||
	    (strcmp(lang, "pl") != 0 && strcmp(lang, "en") != 0))
		return false;
	d->en = strcmp(lang, "en") == 0;
	return true;
}

/* draft_check: every part given is a good template; the first problem
 * (or, with notes, each) */
static size_t
draft_check(const struct draft *d, struct error_note *notes, size_t max,
    struct request *rq, struct error *first)
{
	size_t n = 0;
	int part;

	for (part = 0; part < NOTIFY_PART_COUNT; part++) {
		char name[96];
		struct error err;

		if (d->parts.part[part] == NULL)
			continue;
		notify_template_name(
		    d->kind, d->en, (enum notify_part)part, name, sizeof name);
		error_clear(&err);
		if (notify_template_check((enum notify_part)part,
		        d->parts.part[part], name, &err) == 0)
			continue;
		if (n == 0 && first != NULL)
			*first = err;
		if (notes != NULL && n < max)
			error_note_set(rq, &notes[n], &err);
		n++;
	}
	return n;
}

/* ---- the API
 * ------------------------------------------------------------------ */

static bool
draft_from_json(
    struct request *rq, struct response *rs, json_t *body, struct draft *d)
{
	const char *kind = NULL, *lang = NULL;
	int part;

	if (!api_member_string(body, "kind", &kind, rs) ||
	    !api_member_string(body, "lang", &lang, rs))
		return false;
	if (!kind_lang(kind, lang != NULL ? lang : "pl", d)) {
		http_json_error(rs, 422, "unknown_setting",
		    "kind must be a message kind and lang pl or en.", "kind");
		return false;
	}
	for (part = 0; part < NOTIFY_PART_COUNT; part++) {
		const char *name = notify_part_name((enum notify_part)part);

		if (!api_member_string(body, name, &d->parts.part[part], rs))
			return false;
		if (notify_template_default(
		        d->kind, d->en, (enum notify_part)part) == NULL)
			d->parts.part[part] = NULL;
	}
	(void)rq;
	return true;
}

static void
cost_json(
    json_t *o, const char *prefix, const struct config *c, const char *text)
{
	struct sms_cost cost;
	char key[48];

	sms_cost_measure(c, text, &cost);
	snprintf(key, sizeof key, "%s_encoding", prefix);
	json_object_set_new(o, key, json_string(cost.encoding));
	snprintf(key, sizeof key, "%s_units", prefix);
	json_object_set_new(o, key, json_integer((json_int_t)cost.units));
	snprintf(key, sizeof key, "%s_segments", prefix);
	json_object_set_new(o, key, json_integer(cost.segments));
	snprintf(key, sizeof key, "%s_cost", prefix);
	json_object_set_new(o, key, json_string(cost.cost));
}

static json_t *
rendered_json(const struct config *c, const struct draft *d, time_t now)
{
	struct notify_rendered r;
	struct booking sample;
	json_t *o;

	notify_sample_booking(c, d->en, now, &sample);
	notify_render(c, d->kind, &sample, &d->parts, &r);
	o = json_pack("{s:s, s:s, s:s}", "subject", buf_cstr(&r.subject),
	    "body", buf_cstr(&r.body), "sms", buf_cstr(&r.sms));
	cost_json(o, "sms", c, buf_cstr(&r.sms));
	if (notify_template_default(d->kind, d->en, NOTIFY_PART_SMS_ONEWAY) !=
	    NULL) {
		json_object_set_new(
		    o, "sms_oneway", json_string(buf_cstr(&r.sms_oneway)));
		cost_json(o, "sms_oneway", c, buf_cstr(&r.sms_oneway));
		json_object_set_new(
		    o, "oneway_sent", json_boolean(r.oneway_sent));
	}
	notify_rendered_free(&r);
	return o;
}

static void
preview_api(struct request *rq, struct response *rs)
{
	struct error err;
	struct draft d;
	json_t *body;

	if ((body = api_body_json(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (draft_from_json(rq, rs, body, &d)) {
		if (draft_check(&d, NULL, 0, rq, &err) > 0)
			api_error(rs, &err);
		else
			http_json(rs, 200,
			    rendered_json(rq->web->config, &d, rq->now));
	}
	json_decref(body);
}

/* send_test: the draft to the operator's own contact, through the outbox,
 * audited; ERROR_CONFLICT "no_contact" when there is none */
static int
send_test(struct request *rq, struct store *s, const struct draft *d,
    bool *email, bool *sms, struct error *err)
{
	char to_email[256], to_phone[20], detail[160];

	if (store_operator_contact_get(
	        s, rq->account->id, to_email, to_phone, err) != 0)
		return -1;
	if (strcmp(rq->web->config->mail_transport, "none") == 0)
		to_email[0] = '\0';
	if (strcmp(rq->web->config->sms_provider, "none") == 0)
		to_phone[0] = '\0';
	if (to_email[0] == '\0' && to_phone[0] == '\0')
		return error_set_code(err, ERROR_CONFLICT, "no_contact",
		    "contact",
		    "Give your own e-mail address or phone number first: a test"
		    " goes only there.");
	snprintf(detail, sizeof detail, "%s.%s%s%s", notify_kind_name(d->kind),
	    d->en ? "en" : "pl", to_email[0] ? " e-mail" : "",
	    to_phone[0] ? " sms" : "");
	if (store_begin(s, err) != 0)
		return -1;
	if (notify_test(s, rq->web->config, d->kind, d->en, &d->parts, to_email,
	        to_phone, rq->now, err) != 0 ||
	    audit_record(s, &rq->actor, "settings.test_message", 0, NULL, NULL,
	        detail, rq->now, err) != 0 ||
	    store_commit(s, err) != 0) {
		store_rollback(s);
		return -1;
	}
	log_info("test message queued kind=%s operator=%lld",
	    notify_kind_name(d->kind), (long long)rq->account->id);
	*email = to_email[0] != '\0';
	*sms = to_phone[0] != '\0';
	return 0;
}

static void
test_api(struct request *rq, struct response *rs)
{
	struct store *s;
	struct error err;
	struct draft d;
	json_t *body;
	bool email = false, sms = false;

	if ((body = api_body_json(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (draft_from_json(rq, rs, body, &d) &&
	    (s = api_store(rq, rs)) != NULL) {
		if (draft_check(&d, NULL, 0, rq, &err) > 0 ||
		    send_test(rq, s, &d, &email, &sms, &err) != 0)
			api_error(rs, &err);
		else
			http_json(rs, 202,
			    json_pack(
			        "{s:b, s:b}", "email", email, "sms", sms));
	}
	json_decref(body);
}

/* contact_set: the operator's own e-mail and phone (account_contact_set) */
static int
contact_set(struct request *rq, struct store *s, const char *email,
    const char *phone, struct error *err)
{
	return account_contact_set(
	    s, rq->account->id, email, phone, &rq->actor, rq->now, err);
}

static void
contact_answer(struct request *rq, struct response *rs, struct store *s)
{
	char email[256], phone[20];
	struct error err;

	error_clear(&err);
	if (store_operator_contact_get(
	        s, rq->account->id, email, phone, &err) != 0) {
		api_error(rs, &err);
		return;
	}
	http_json(
	    rs, 200, json_pack("{s:s, s:s}", "email", email, "phone", phone));
}

static void
contact_get_api(struct request *rq, struct response *rs)
{
	struct store *s;

	if ((s = api_store(rq, rs)) != NULL)
		contact_answer(rq, rs, s);
}

static void
contact_put_api(struct request *rq, struct response *rs)
{
	const char *email = NULL, *phone = NULL;
	struct store *s;
	struct error err;
	json_t *body;

	if ((body = api_body_json(rq, rs)) == NULL)
		return;
	error_clear(&err);
	if (api_member_string(body, "email", &email, rs) &&
	    api_member_string(body, "phone", &phone, rs) &&
	    (s = api_store(rq, rs)) != NULL) {
		if (contact_set(rq, s, email, phone, &err) != 0)
			api_error(rs, &err);
		else
			contact_answer(rq, rs, s);
	}
	json_decref(body);
}

/* ---- the pages
 * ------------------------------------------------------------------ */

static void
kind_label(struct request *rq, enum notify_kind kind, const char *suffix,
    char *key, size_t size, const char **label)
{
	snprintf(key, size, "kind_%s%s", notify_kind_name(kind), suffix);
	*label = page_t(rq, key);
}

static bool
kind_changed(
    const struct setting_row *rows, size_t n, enum notify_kind kind, bool en)
{
	char prefix[64];
	size_t i;

	snprintf(prefix, sizeof prefix, "templates.%s.%s.",
	    notify_kind_name(kind), en ? "en" : "pl");
	for (i = 0; i < n; i++)
		if (strncmp(rows[i].name, prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

static void
templates_page(struct request *rq, struct response *rs)
{
	json_t *ctx = staff_context(rq, "/admin"), *kinds = json_array();
	struct setting_row *rows = NULL;
	struct store *s;
	struct error err;
	int64_t generation;
	size_t n = 0;
	int kind;

	error_clear(&err);
	if ((s = http_store(rq)) == NULL ||
	    store_settings_list(s, &rows, &n, &generation, &err) != 0) {
		json_decref(ctx);
		json_decref(kinds);
		staff_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	for (kind = 0; kind < NOTIFY_KIND_COUNT; kind++) {
		const char *label, *about,
		    *name = notify_kind_name((enum notify_kind)kind);
		char key[64], pl[96], en[96];

		kind_label(
		    rq, (enum notify_kind)kind, "", key, sizeof key, &label);
		kind_label(rq, (enum notify_kind)kind, "_about", key,
		    sizeof key, &about);
		snprintf(pl, sizeof pl, "/admin/templates/%s/pl", name);
		snprintf(en, sizeof en, "/admin/templates/%s/en", name);
		json_array_append_new(kinds,
		    json_pack("{s:s, s:s, s:s, s:s, s:b, s:b}", "label", label,
		        "about", about, "pl", pl, "en", en, "changed_pl",
		        kind_changed(rows, n, (enum notify_kind)kind, false),
		        "changed_en",
		        kind_changed(rows, n, (enum notify_kind)kind, true)));
	}
	setting_rows_free(rows, n);
	json_object_set_new(ctx, "kinds", kinds);
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "templates_title")));
	staff_render(rq, rs, 200, "settings_templates", ctx);
}

/* editor_render: the form with the draft (posted, or in force), its
 * preview and the SMS's cost; notes are the form's problems */
static void
editor_render(struct request *rq, struct response *rs, unsigned status,
    const struct draft *d, const struct error_note *notes, size_t nnotes,
    const char *done)
{
	json_t *ctx = staff_context(rq, "/admin"), *fields = json_array(),
	       *summary = json_array(), *vars = json_array();
	const struct config *c = rq->web->config;
	const char *label, *names[NOTIFY_VARIABLES_MAX];
	char key[64], heading[256], action[128], email[256] = "",
	                                         phone[20] = "";
	struct error err;
	struct store *s;
	size_t i, nvars;
	int part;

	kind_label(rq, d->kind, "", key, sizeof key, &label);
	snprintf(heading, sizeof heading, "%s — %s", label,
	    page_t(rq, d->en ? "settings_lang_en" : "settings_lang_pl"));
	snprintf(action, sizeof action, "/admin/templates/%s/%s",
	    notify_kind_name(d->kind), d->en ? "en" : "pl");
	for (part = 0; part < NOTIFY_PART_COUNT; part++) {
		const char *pname = notify_part_name((enum notify_part)part);
		const char *text = d->parts.part[part];
		char lkey[48], hkey[48];
		json_t *f;

		if (notify_template_default(
		        d->kind, d->en, (enum notify_part)part) == NULL)
			continue;
		if (text == NULL)
			text = notify_template(
			    c, d->kind, d->en, (enum notify_part)part);
		snprintf(lkey, sizeof lkey, "tpl_%s", pname);
		snprintf(hkey, sizeof hkey, "tpl_%s_hint", pname);
		f = json_pack("{s:s, s:s, s:s, s:s, s:i, s:b, s:b}", "name",
		    pname, "label", page_t(rq, lkey), "hint", page_t(rq, hkey),
		    "value", text, "rows", part == NOTIFY_PART_BODY ? 14 : 3,
		    "line", part == NOTIFY_PART_SUBJECT, "sms",
		    part == NOTIFY_PART_SMS || part == NOTIFY_PART_SMS_ONEWAY);
		for (i = 0; i < nnotes; i++) {
			char full[96];

			notify_template_name(d->kind, d->en,
			    (enum notify_part)part, full, sizeof full);
			if (strcmp(notes[i].field, full) == 0) {
				json_object_set_new(
				    f, "error", json_string(notes[i].text));
				json_array_append_new(summary,
				    json_pack("{s:s, s:s, s:s}", "name", pname,
				        "label", page_t(rq, lkey), "error",
				        notes[i].text));
			}
		}
		json_array_append_new(fields, f);
	}
	/* problems that belong to no part (the contact, the store) */
	for (i = 0; i < nnotes; i++)
		if (strncmp(notes[i].field, "templates.", 10) != 0)
			json_array_append_new(
			    summary, json_pack("{s:s, s:s, s:s}", "name",
			                 strcmp(notes[i].field, "phone") == 0
			                     ? "contact_phone"
			                     : "contact_email",
			                 "label", "", "error", notes[i].text));
	if (draft_check(d, NULL, 0, rq, NULL) == 0) {
		json_t *preview = rendered_json(c, d, rq->now),
		       *smses = json_array();
		const char *parts[] = {"sms", "sms_oneway"};
		size_t k;

		/* each SMS text as sent, with what it costs */
		for (k = 0; k < 2; k++) {
			char mkey[48], lkey[48];
			const char *enc;

			snprintf(mkey, sizeof mkey, "%s", parts[k]);
			if (json_object_get(preview, mkey) == NULL)
				continue;
			snprintf(mkey, sizeof mkey, "%s_encoding", parts[k]);
			enc = json_string_value(json_object_get(preview, mkey));
			snprintf(lkey, sizeof lkey, "tpl_%s", parts[k]);
			json_array_append_new(smses,
			    json_pack("{s:s, s:O, s:O, s:O, s:O, s:s, s:b}",
			        "label", page_t(rq, lkey), "text",
			        json_object_get(preview, parts[k]), "segments",
			        json_object_get(preview,
			            k ? "sms_oneway_segments" : "sms_segments"),
			        "units",
			        json_object_get(preview,
			            k ? "sms_oneway_units" : "sms_units"),
			        "cost",
			        json_object_get(preview,
			            k ? "sms_oneway_cost" : "sms_cost"),
			        "encoding",
			        page_t(
			            rq, enc != NULL && strcmp(enc, "gsm7") == 0
			                    ? "tpl_gsm7"
			                    : "tpl_ucs2"),
			        "sent",
			        k == 0 ? !json_is_true(json_object_get(
			                     preview, "oneway_sent"))
			               : json_is_true(json_object_get(
			                     preview, "oneway_sent"))));
		}
		json_object_set_new(preview, "smses", smses);
		json_object_set_new(ctx, "preview", preview);
	}
	nvars = notify_variables(names, NOTIFY_VARIABLES_MAX);
	for (i = 0; i < nvars; i++) {
		char vkey[64];

		char braced[64];

		snprintf(vkey, sizeof vkey, "var_%s", names[i]);
		snprintf(braced, sizeof braced, "{%s}", names[i]);
		json_array_append_new(
		    vars, json_pack("{s:s, s:s}", "name", braced, "about",
		              page_t(rq, vkey)));
	}
	error_clear(&err);
	if ((s = http_store(rq)) != NULL && rq->account != NULL)
		(void)store_operator_contact_get(
		    s, rq->account->id, email, phone, &err);
	if (rq->form != NULL && http_form(rq, "contact_email")[0] != '\0')
		snprintf(
		    email, sizeof email, "%s", http_form(rq, "contact_email"));
	if (rq->form != NULL && http_form(rq, "contact_phone")[0] != '\0')
		snprintf(
		    phone, sizeof phone, "%s", http_form(rq, "contact_phone"));
	json_object_set_new(ctx, "fields", fields);
	json_object_set_new(ctx, "summary", summary);
	json_object_set_new(ctx, "variables", vars);
	json_object_set_new(ctx, "heading", json_string(heading));
	json_object_set_new(ctx, "action", json_string(action));
	json_object_set_new(
	    ctx, "kind", json_string(notify_kind_name(d->kind)));
	json_object_set_new(ctx, "lang_code", json_string(d->en ? "en" : "pl"));
	json_object_set_new(ctx, "contact_email", json_string(email));
	json_object_set_new(ctx, "contact_phone", json_string(phone));
	json_object_set_new(ctx, "price", json_string(c->sms_segment_price));
	if (done != NULL) {
		char nkey[48];

		snprintf(nkey, sizeof nkey, "tpl_done_%s", done);
		if (page_t(rq, nkey)[0] != '\0')
			json_object_set_new(
			    ctx, "notice", json_string(page_t(rq, nkey)));
	}
	json_object_set_new(ctx, "title", json_string(heading));
	rs->scripts = true;
	json_object_set_new(ctx, "script", json_string("templates.js"));
	staff_render(rq, rs, status, "settings_template", ctx);
}

static bool
page_draft(struct request *rq, struct response *rs, struct draft *d)
{
	if (!kind_lang(rq->captures[0], rq->captures[1], d)) {
		staff_message(
		    rq, rs, 404, "err_notfound_title", "err_notfound_text");
		return false;
	}
	return true;
}

static void
editor_page(struct request *rq, struct response *rs)
{
	struct draft d;

	if (page_draft(rq, rs, &d))
		editor_render(rq, rs, 200, &d, NULL, 0, http_query(rq, "done"));
}

/* editor_act: the posted draft d (LF line ends) on its way: preview, save,
 * reset or test */
static void
editor_act(struct request *rq, struct response *rs, struct draft *d)
{
	struct reply_corpus_break breaks[ADMIN_BREAKS_MAX];
	const char *action = http_form(rq, "action");
	struct error_note notes[NOTIFY_PART_COUNT + 2];
	struct change_list l = {0};
	struct store *s;
	struct error err;
	size_t nnotes, nbreaks;
	unsigned changed = 0;
	char path[160];
	int part;
	bool email, sms;

	snprintf(path, sizeof path, "/admin/templates/%s/%s",
	    notify_kind_name(d->kind), d->en ? "en" : "pl");
	if (strcmp(action, "reset") == 0) {
		memset(&d->parts, 0, sizeof d->parts);
		nnotes = 0;
	} else
		nnotes = draft_check(d, notes, NOTIFY_PART_COUNT, rq, NULL);
	if (nnotes > 0 || strcmp(action, "preview") == 0) {
		editor_render(
		    rq, rs, nnotes > 0 ? 422 : 200, d, notes, nnotes, NULL);
		return;
	}
	if ((s = http_store(rq)) == NULL) {
		staff_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	error_clear(&err);
	if (strcmp(action, "test") == 0) {
		if (contact_set(rq, s, http_form(rq, "contact_email"),
		        http_form(rq, "contact_phone"), &err) != 0 ||
		    send_test(rq, s, d, &email, &sms, &err) != 0) {
			error_note_set(rq, &notes[0], &err);
			editor_render(rq, rs, 422, d, notes, 1, NULL);
			return;
		}
		/* the draft stays on the page: it may not be saved yet */
		editor_render(rq, rs, 200, d, NULL, 0, "test");
		return;
	}
	/* save or reset: the parts that differ from those in force */
	for (part = 0; part < NOTIFY_PART_COUNT; part++) {
		char name[96];
		const char *now = notify_template(
		    rq->web->config, d->kind, d->en, (enum notify_part)part);

		if (now == NULL)
			continue;
		notify_template_name(
		    d->kind, d->en, (enum notify_part)part, name, sizeof name);
		if (d->parts.part[part] == NULL)
			change_list_add(&l, name, NULL);
		else if (strcmp(d->parts.part[part], now) != 0)
			change_list_add(&l, name, d->parts.part[part]);
	}
	if (l.n > 0 && admin_settings_save(rq, s, l.items, l.n, breaks,
	                   &nbreaks, &changed, &err) != 0) {
		change_list_free(&l);
		error_note_set(rq, &notes[0], &err);
		editor_render(rq, rs, 422, d, notes, 1, NULL);
		return;
	}
	change_list_free(&l);
	snprintf(path + strlen(path), sizeof path - strlen(path), "?done=%s",
	    changed == 0                   ? "same"
	    : strcmp(action, "reset") == 0 ? "reset"
	                                   : "saved");
	http_redirect(rs, path);
}

static void
editor_post(struct request *rq, struct response *rs)
{
	char *lf[NOTIFY_PART_COUNT] = {NULL};
	struct draft d;
	int part;

	if (!page_draft(rq, rs, &d))
		return;
	/* a textarea sends CRLF: the messages have LF */
	for (part = 0; part < NOTIFY_PART_COUNT; part++)
		if (notify_template_default(
		        d.kind, d.en, (enum notify_part)part) != NULL)
			d.parts.part[part] = lf[part] =
			    settings_text_lf(http_form(
			        rq, notify_part_name((enum notify_part)part)));
	editor_act(rq, rs, &d);
	for (part = 0; part < NOTIFY_PART_COUNT; part++)
		free(lf[part]);
}

const struct route templates_routes[] = {
    {"GET", "/admin/templates", templates_page, ROLE_ADMIN, 0},
    {"GET", "/admin/templates/{}/{}", editor_page, ROLE_ADMIN, 0},
    {"POST", "/admin/templates/{}/{}", editor_post, ROLE_ADMIN, ROUTE_FORM},
    {"POST", "/api/v1/admin/templates/preview", preview_api, ROLE_ADMIN, 0},
    {"POST", "/api/v1/admin/templates/test", test_api, ROLE_ADMIN, 0},
    {"GET", "/api/v1/admin/me/contact", contact_get_api, ROLE_ADMIN, 0},
    {"PUT", "/api/v1/admin/me/contact", contact_put_api, ROLE_ADMIN, 0},
    {0},
};
