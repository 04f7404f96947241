/*
 * admin_settings.c: the rules admins tune at run time (lib/settings.h), as
 * JSON (CONTRACT.md "Admin") and as the page *Reguły rezerwacji i
 * wiadomości*:
 *
 *   GET  /api/v1/admin/settings   every setting in force, "changed" naming
 *                                 those the database holds (the rest are
 *                                 the file's)
 *   PUT  /api/v1/admin/settings   any subset; null puts the file's value
 *                                 back; 422 naming the bad field; 200 the
 *                                 whole object
 *   GET  /admin/rules             the form (templates and reply phrases
 *   POST /admin/rules             have pages of their own)
 *
 * A save is checked field by field (a page shows every problem at once),
 * then as a whole in one transaction (settings_update: audited, the
 * generation bumped), and published in this process at once; the other
 * processes follow the generation within a second.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "admin_settings.h"
#include "api.h"
#include "config_live.h"
#include "log.h"
#include "notify.h"
#include "page.h"
#include "staff.h"

/* ---- change lists
 * ------------------------------------------------------------- */

void
change_list_add(struct change_list *l, const char *name, const char *value)
{
	char *n, *v = NULL;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		if ((l->items = realloc(l->items, l->cap * sizeof *l->items)) ==
		        NULL ||
		    (l->owned = realloc(
		         l->owned, 2 * l->cap * sizeof *l->owned)) == NULL)
			abort();
	}
	if ((n = strdup(name)) == NULL ||
	    (value != NULL && (v = strdup(value)) == NULL))
		abort();
	l->owned[2 * l->n] = n;
	l->owned[2 * l->n + 1] = v;
	l->items[l->n].name = n;
	l->items[l->n].value = v;
	l->n++;
}

void
change_list_free(struct change_list *l)
{
	size_t i;

	for (i = 0; i < 2 * l->n; i++)
		free(l->owned[i]);
	free(l->owned);
	free(l->items);
	memset(l, 0, sizeof *l);
}

void
error_note_set(
    struct request *rq, struct error_note *note, const struct error *err)
{
	const char *open = strchr(err->msg, '{'), *close;

	snprintf(note->field, sizeof note->field, "%s", err->field);
	snprintf(note->text, sizeof note->text, "%s", page_error_text(rq, err));
	if (strcmp(err->code, "template_variable") == 0 && open != NULL &&
	    (close = strchr(open, '}')) != NULL)
		snprintf(note->text + strlen(note->text),
		    sizeof note->text - strlen(note->text), " %.*s",
		    (int)(close - open + 1), open);
}

/* ---- reading and saving
 * ------------------------------------------------------- */

struct config *
admin_settings_file(struct request *rq)
{
	struct config *file = config_live_file();

	/* without snapshots (the fuzz target) the one config is the file's */
	return file != NULL ? file : config_dup(rq->web->config);
}

struct config *
admin_settings_now(struct request *rq, struct store *s, struct error *err)
{
	struct config *file = admin_settings_file(rq), *now = NULL;

	if (settings_load(s, file, &now, err) != 0)
		now = NULL;
	config_free(file);
	return now;
}

bool
admin_settings_changed(
    const struct setting_row *rows, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(rows[i].name, name) == 0)
			return true;
	return false;
}

static bool
touches_phrases(const struct setting_change *changes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(changes[i].name, "reply_phrases") == 0)
			return true;
	return false;
}

int
admin_settings_save(struct request *rq, struct store *s,
    const struct setting_change *changes, size_t n,
    struct reply_corpus_break *breaks, size_t *nbreaks, unsigned *changed,
    struct error *err)
{
	struct config *file = admin_settings_file(rq), *now = NULL,
	              *next = NULL;
	struct reply_rules *set = NULL;
	struct error e;
	int rc = -1;

	*nbreaks = 0;
	if (settings_load(s, file, &now, err) != 0 ||
	    settings_check(file, now, changes, n, &next, err) != 0)
		goto out;
	/* an admin's phrase may never make a clear reply act wrongly: the
	 * labelled corpus is read with the phrases as they would be */
	if (touches_phrases(changes, n)) {
		if ((set = reply_phrases_rules(
		         config_text(next, "reply_phrases"), err)) == NULL)
			goto out;
		if ((*nbreaks = reply_corpus_check(
		         set, breaks, ADMIN_BREAKS_MAX, NULL)) > 0) {
			error_set_code(err, ERROR_INVALID,
			    "phrase_breaks_corpus", "reply_phrases",
			    "reply_phrases: %zu replies of the labelled corpus"
			    " would be read wrongly.",
			    *nbreaks);
			goto out;
		}
	}
	if (settings_update(
	        s, file, changes, n, &rq->actor, rq->now, changed, err) != 0)
		goto out;
	/* this process at once: the next request reads the new snapshot */
	error_clear(&e);
	if (config_live_sync(s, false, &e) < 0)
		log_warn("settings saved but not reloaded here: %s", e.msg);
	rc = 0;
out:
	reply_rules_free(set);
	config_free(file);
	config_free(now);
	config_free(next);
	return rc;
}

json_t *
admin_breaks_json(const struct reply_corpus_break *b, size_t n)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < n && i < ADMIN_BREAKS_MAX; i++)
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:s, s:s, s:s}", "text",
		              b[i].text, "file", b[i].file, "label", b[i].label,
		              "read_as", b[i].read_as, "rules", b[i].rules));
	return list;
}

/* ---- the JSON API
 * -------------------------------------------------------------- */

static json_t *
phrases_json(const struct config *c)
{
	struct reply_phrase *p = calloc(REPLY_PHRASES_MAX, sizeof *p);
	json_t *list = json_array();
	size_t n, i;

	if (p == NULL)
		abort();
	n = settings_phrases(c, p, REPLY_PHRASES_MAX);
	for (i = 0; i < n; i++)
		json_array_append_new(
		    list, json_pack("{s:s, s:s}", "phrase", p[i].phrase,
		              "intent", p[i].intent));
	free(p);
	return list;
}

static json_t *
templates_json(const struct config *c)
{
	json_t *all = json_object();
	int kind, lang, part;

	for (kind = 0; kind < NOTIFY_KIND_COUNT; kind++) {
		json_t *k = json_object();

		for (lang = 0; lang < 2; lang++) {
			json_t *l = json_object();

			for (part = 0; part < NOTIFY_PART_COUNT; part++) {
				const char *text =
				    notify_template(c, (enum notify_kind)kind,
				        lang == 1, (enum notify_part)part);

				if (text != NULL)
					json_object_set_new(l,
					    notify_part_name(
					        (enum notify_part)part),
					    json_string(text));
			}
			json_object_set_new(k, lang ? "en" : "pl", l);
		}
		json_object_set_new(
		    all, notify_kind_name((enum notify_kind)kind), k);
	}
	return all;
}

/* settings_json: the whole object; rows name what the database holds */
static json_t *
settings_json(
    const struct config *c, const struct setting_row *rows, size_t nrows)
{
	json_t *o = json_object(), *channels = json_object(),
	       *changed = json_array();
	struct buf v = BUF_INIT;
	size_t i;

	for (i = 0; i < settings_count(); i++) {
		const struct setting_info *info = settings_at(i);

		if (info->type == SETTING_PHRASES) {
			json_object_set_new(o, info->name, phrases_json(c));
			continue;
		}
		buf_reset(&v);
		settings_value(c, info->name, &v);
		if (info->type == SETTING_CHANNELS)
			json_object_set_new(
			    channels, info->key, json_string(buf_cstr(&v)));
		else if (info->type == SETTING_COUNT)
			json_object_set_new(o, info->name,
			    json_integer(strtoll(buf_cstr(&v), NULL, 10)));
		else
			json_object_set_new(
			    o, info->name, json_string(buf_cstr(&v)));
	}
	json_object_set_new(o, "channels", channels);
	json_object_set_new(o, "templates", templates_json(c));
	for (i = 0; i < nrows; i++)
		json_array_append_new(changed, json_string(rows[i].name));
	json_object_set_new(o, "changed", changed);
	buf_free(&v);
	return o;
}

/* answer_settings: 200 and the settings as the database has them now */
static void
answer_settings(struct request *rq, struct response *rs, struct store *s)
{
	struct setting_row *rows = NULL;
	struct config *c;
	struct error err;
	int64_t generation;
	size_t n = 0;

	error_clear(&err);
	if ((c = admin_settings_now(rq, s, &err)) == NULL ||
	    store_settings_list(s, &rows, &n, &generation, &err) != 0) {
		config_free(c);
		api_error(rs, &err);
		return;
	}
	http_json(rs, 200, settings_json(c, rows, n));
	setting_rows_free(rows, n);
	config_free(c);
}

static void
settings_get(struct request *rq, struct response *rs)
{
	struct store *s;

	if ((s = api_store(rq, rs)) != NULL)
		answer_settings(rq, rs, s);
}

/* json_value: a member as a setting's text; -1 with err on a wrong type */
static int
json_value(json_t *v, const char *name, enum setting_type type,
    const char **text, char *number, size_t size, struct error *err)
{
	if (json_is_null(v)) {
		*text = NULL;
		return 0;
	}
	if (type == SETTING_COUNT && json_is_integer(v)) {
		snprintf(
		    number, size, "%lld", (long long)json_integer_value(v));
		*text = number;
		return 0;
	}
	if (json_is_string(v) && type != SETTING_COUNT) {
		*text = json_string_value(v);
		return 0;
	}
	return error_set_code(err, ERROR_INVALID, "setting_invalid", name,
	    "%s: expected %s or null.", name,
	    type == SETTING_COUNT ? "a whole number" : "a string");
}

/* changes_from_json: the PUT body as changes */
static int
changes_from_json(json_t *body, struct change_list *l, struct error *err)
{
	const char *key, *k2, *k3, *k4;
	json_t *v, *v2, *v3, *v4;
	char name[128], number[32];
	const char *text;

	json_object_foreach(body, key, v)
	{
		const struct setting_info *info;

		if (strcmp(key, "channels") == 0 ||
		    strcmp(key, "templates") == 0) {
			if (!json_is_object(v))
				return error_set_code(err, ERROR_INVALID,
				    "setting_invalid", key,
				    "%s: expected an object.", key);
			if (strcmp(key, "channels") == 0) {
				json_object_foreach(v, k2, v2)
				{
					snprintf(name, sizeof name,
					    "channels.%s", k2);
					if (settings_find(name) == NULL)
						return error_set_code(err,
						    ERROR_INVALID,
						    "unknown_setting", name,
						    "No such setting: %s.",
						    name);
					if (json_value(v2, name,
					        SETTING_CHANNELS, &text, number,
					        sizeof number, err) != 0)
						return -1;
					change_list_add(l, name, text);
				}
				continue;
			}
			json_object_foreach(v, k2, v2)
			{
				json_object_foreach(v2, k3, v3)
				{
					json_object_foreach(v3, k4, v4)
					{
						snprintf(name, sizeof name,
						    "templates.%s.%s.%s", k2,
						    k3, k4);
						if (settings_find(name) == NULL)
							return error_set_code(
							    err, ERROR_INVALID,
							    "unknown_setting",
							    name,
							    "No such setting:"
							    " %s.",
							    name);
						if (json_value(v4, name,
						        SETTING_TEMPLATE, &text,
						        number, sizeof number,
						        err) != 0)
							return -1;
						change_list_add(l, name, text);
					}
					if (!json_is_object(v3))
						return error_set_code(err,
						    ERROR_INVALID,
						    "setting_invalid",
						    "templates",
						    "templates: expected"
						    " {kind: {pl|en: {part:"
						    " text}}}.");
				}
				if (!json_is_object(v2))
					return error_set_code(err,
					    ERROR_INVALID, "setting_invalid",
					    "templates",
					    "templates: expected {kind: {pl|en:"
					    " {part: text}}}.");
			}
			continue;
		}
		if (strcmp(key, "reply_phrases") == 0) {
			struct buf lines = BUF_INIT;
			size_t i;

			if (json_is_null(v)) {
				change_list_add(l, key, NULL);
				continue;
			}
			if (!json_is_array(v))
				return error_set_code(err, ERROR_INVALID,
				    "setting_invalid", key,
				    "reply_phrases: expected a list of"
				    " {\"phrase\", \"intent\"}.");
			json_array_foreach(v, i, v2)
			{
				const char *phrase = json_string_value(
				    json_object_get(v2, "phrase"));
				const char *intent = json_string_value(
				    json_object_get(v2, "intent"));

				if (phrase == NULL || intent == NULL ||
				    strchr(phrase, '\n') != NULL ||
				    strchr(phrase, '\t') != NULL) {
					buf_free(&lines);
					return error_set_code(err,
					    ERROR_INVALID, "phrase_invalid",
					    key,
					    "reply_phrases: item %zu needs a"
					    " one-line \"phrase\" and an"
					    " \"intent\".",
					    i + 1);
				}
				buf_printf(&lines, "%s\t%s\n", intent, phrase);
			}
			change_list_add(l, key, buf_cstr(&lines));
			buf_free(&lines);
			continue;
		}
		if (strcmp(key, "changed") == 0)
			continue; /* what GET says; not a setting */
		if ((info = settings_find(key)) == NULL ||
		    info->type == SETTING_TEMPLATE ||
		    info->type == SETTING_CHANNELS)
			return error_set_code(err, ERROR_INVALID,
			    "unknown_setting", key, "No such setting: %s.",
			    key);
		if (json_value(v, key, info->type, &text, number, sizeof number,
		        err) != 0)
			return -1;
		change_list_add(l, key, text);
	}
	return 0;
}

static void
settings_put(struct request *rq, struct response *rs)
{
	struct reply_corpus_break breaks[ADMIN_BREAKS_MAX];
	struct change_list l = {0};
	struct store *s;
	struct error err;
	size_t nbreaks = 0;
	json_t *body;

	if ((body = api_body_json(rq, rs)) == NULL)
		return;
	if ((s = api_store(rq, rs)) == NULL) {
		json_decref(body);
		return;
	}
	error_clear(&err);
	if (changes_from_json(body, &l, &err) != 0 ||
	    admin_settings_save(
	        rq, s, l.items, l.n, breaks, &nbreaks, NULL, &err) != 0) {
		if (nbreaks > 0) {
			json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:o}",
			    "error", err.code, "message", err.msg, "field",
			    err.field, "broken", (json_int_t)nbreaks, "cases",
			    admin_breaks_json(breaks, nbreaks));

			http_json(rs, 422, o);
		} else
			api_error(rs, &err);
	} else
		answer_settings(rq, rs, s);
	change_list_free(&l);
	json_decref(body);
}

/* ---- the page
 * ------------------------------------------------------------------- */

/* the form's groups, in order; the templates and the reply phrases have
 * pages of their own */
static const struct {
	const char *group;
	const char *const names[7];
} rule_groups[] = {
    {"rules_group_confirm",
        {"confirm_within", "pressure_share", "pressure_confirm_within",
            "max_pending_share"}},
    {"rules_group_reminders", {"reminder_before"}},
    {"rules_group_channels",
        {"channels.confirmation", "channels.access_code", "channels.reminder",
            "channels.reschedule", "channels.expiry", "channels.cancellation"}},
    {"rules_group_sms", {"sms_quiet_hours", "sms_segment_price"}},
    {"rules_group_limits", {"max_open_per_contact", "max_pending_per_address",
                               "max_pending_per_network"}},
    {"rules_group_booking", {"lead_time", "horizon"}},
    {"rules_group_waitlist", {"waitlist_hold", "waitlist_max_per_contact",
                                 "waitlist_max_per_address"}},
};
#define NGROUPS (sizeof rule_groups / sizeof rule_groups[0])

/* label_key: "set_channels_confirmation" for "channels.confirmation" */
static void
label_key(const char *name, const char *suffix, char *out, size_t size)
{
	char *p;

	snprintf(out, size, "set_%s%s", name, suffix);
	for (p = out; *p != '\0'; p++)
		if (*p == '.')
			*p = '_';
}

json_t *
admin_options(struct request *rq, const char *const *values, size_t n,
    const char *prefix, const char *current)
{
	json_t *list = json_array();
	char key[64];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(key, sizeof key, "%s%s", prefix, values[i]);
		json_array_append_new(list,
		    admin_option(values[i], page_t(rq, key),
		        current != NULL && strcmp(current, values[i]) == 0));
	}
	return list;
}

static json_t *
policy_options(struct request *rq, const char *current)
{
	const char *names[CHANNEL_POLICY_COUNT];
	int p;

	for (p = 0; p < CHANNEL_POLICY_COUNT; p++)
		names[p] = channel_policy_name((enum channel_policy)p);
	return admin_options(rq, names, CHANNEL_POLICY_COUNT, "policy_", current);
}

/* one field of the form: its value the one posted (after an error) or
 * in force, its file default in the hint, a reset box when the database
 * holds it */
static json_t *
rule_field(struct request *rq, const struct config *c,
    const struct config *file, const struct setting_row *rows, size_t nrows,
    const char *name, const struct error_note *notes, size_t nnotes)
{
	const struct setting_info *info = settings_find(name);
	struct buf value = BUF_INIT, def = BUF_INIT;
	char key[96], hint_key[96];
	const char *posted = rq->form != NULL ? http_form(rq, name) : NULL;
	json_t *f;
	size_t i;

	settings_value(c, name, &value);
	settings_default(file, name, &def);
	label_key(name, "", key, sizeof key);
	label_key(name, "_hint", hint_key, sizeof hint_key);
	/* a channel policy's default in words */
	if (info != NULL && info->type == SETTING_CHANNELS) {
		char pkey[48];

		snprintf(pkey, sizeof pkey, "policy_%s", buf_cstr(&def));
		buf_reset(&def);
		buf_puts(&def, page_t(rq, pkey));
	}
	f = json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}", "name", name, "label",
	    page_t(rq, key), "hint", page_t(rq, hint_key), "default",
	    buf_cstr(&def)[0] != '\0' ? buf_cstr(&def)
	                              : page_t(rq, "rules_none"),
	    "value",
	    posted != NULL && rq->form != NULL ? posted : buf_cstr(&value),
	    "changed", admin_settings_changed(rows, nrows, name));
	if (info != NULL && info->type == SETTING_CHANNELS)
		json_object_set_new(f, "options",
		    policy_options(rq, posted != NULL && rq->form != NULL
		                           ? posted
		                           : buf_cstr(&value)));
	else {
		json_object_set_new(f, "input", json_true());
		json_object_set_new(f, "number",
		    json_boolean(info != NULL && info->type == SETTING_COUNT));
	}
	for (i = 0; i < nnotes; i++)
		if (strcmp(notes[i].field, name) == 0) {
			json_object_set_new(
			    f, "error", json_string(notes[i].text));
			break;
		}
	buf_free(&value);
	buf_free(&def);
	return f;
}

static void
rules_render(struct request *rq, struct response *rs, struct store *s,
    unsigned status, const struct error_note *notes, size_t nnotes)
{
	json_t *ctx = staff_context(rq, "/admin"), *groups = json_array(),
	       *summary = json_array();
	struct setting_row *rows = NULL;
	struct config *c, *file;
	struct error err;
	int64_t generation;
	size_t nrows = 0, g, i;
	const char *done = http_query(rq, "done");

	error_clear(&err);
	if ((c = admin_settings_now(rq, s, &err)) == NULL ||
	    store_settings_list(s, &rows, &nrows, &generation, &err) != 0) {
		config_free(c);
		json_decref(ctx);
		json_decref(groups);
		json_decref(summary);
		staff_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	file = admin_settings_file(rq);
	for (g = 0; g < NGROUPS; g++) {
		json_t *fields = json_array();

		for (i = 0; i < 7 && rule_groups[g].names[i] != NULL; i++)
			json_array_append_new(fields,
			    rule_field(rq, c, file, rows, nrows,
			        rule_groups[g].names[i], notes, nnotes));
		json_array_append_new(
		    groups, json_pack("{s:s, s:s, s:o}", "legend",
		                page_t(rq, rule_groups[g].group), "id",
		                rule_groups[g].group, "fields", fields));
	}
	for (i = 0; i < nnotes; i++) {
		char key[96];

		label_key(notes[i].field, "", key, sizeof key);
		json_array_append_new(summary,
		    json_pack("{s:s, s:s, s:s}", "name", notes[i].field,
		        "label", page_t(rq, key), "error", notes[i].text));
	}
	json_object_set_new(ctx, "groups", groups);
	json_object_set_new(ctx, "summary", summary);
	if (done != NULL && strcmp(done, "saved") == 0)
		json_object_set_new(
		    ctx, "notice", json_string(page_t(rq, "rules_saved")));
	else if (done != NULL && strcmp(done, "same") == 0)
		json_object_set_new(
		    ctx, "notice", json_string(page_t(rq, "rules_same")));
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "rules_title")));
	setting_rows_free(rows, nrows);
	config_free(c);
	config_free(file);
	staff_render(rq, rs, status, "settings_rules", ctx);
}

static void
rules_page(struct request *rq, struct response *rs)
{
	struct store *s;

	if ((s = http_store(rq)) == NULL) {
		staff_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	rules_render(rq, rs, s, 200, NULL, 0);
}

static void
rules_post(struct request *rq, struct response *rs)
{
	struct reply_corpus_break breaks[ADMIN_BREAKS_MAX];
	struct error_note notes[32];
	struct change_list l = {0};
	struct config *c, *file;
	struct store *s;
	struct error err;
	size_t g, i, nnotes = 0, nbreaks;
	unsigned changed = 0;

	if ((s = http_store(rq)) == NULL) {
		staff_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	error_clear(&err);
	if ((c = admin_settings_now(rq, s, &err)) == NULL) {
		staff_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	file = admin_settings_file(rq);
	/* what the form changes: a value that differs from the one in force,
	 * or a reset box ticked; each checked alone first, so every problem
	 * shows at once */
	for (g = 0; g < NGROUPS; g++)
		for (i = 0; i < 7 && rule_groups[g].names[i] != NULL; i++) {
			const char *name = rule_groups[g].names[i];
			char reset[96];
			struct buf now = BUF_INIT;
			struct setting_change one;

			snprintf(reset, sizeof reset, "reset-%s", name);
			settings_value(c, name, &now);
			one.name = name;
			one.value = strcmp(http_form(rq, reset), "yes") == 0
			                ? NULL
			                : http_form(rq, name);
			if (one.value == NULL ||
			    strcmp(one.value, buf_cstr(&now)) != 0) {
				error_clear(&err);
				if (settings_check(
				        file, c, &one, 1, NULL, &err) != 0 &&
				    nnotes < sizeof notes / sizeof notes[0])
					error_note_set(
					    rq, &notes[nnotes++], &err);
				else
					change_list_add(
					    &l, one.name, one.value);
			}
			buf_free(&now);
		}
	config_free(c);
	config_free(file);
	if (nnotes == 0 && l.n > 0) {
		error_clear(&err);
		if (admin_settings_save(rq, s, l.items, l.n, breaks, &nbreaks,
		        &changed, &err) != 0)
			error_note_set(rq, &notes[nnotes++], &err);
	}
	change_list_free(&l);
	if (nnotes > 0) {
		rules_render(rq, rs, s, 422, notes, nnotes);
		return;
	}
	http_redirect(rs,
	    changed > 0 ? "/admin/rules?done=saved" : "/admin/rules?done=same");
}

const struct route settings_routes[] = {
    {"GET", "/api/v1/admin/settings", settings_get, ROLE_ADMIN, 0},
    {"PUT", "/api/v1/admin/settings", settings_put, ROLE_ADMIN, 0},
    {"GET", "/admin/rules", rules_page, ROLE_ADMIN, 0},
    {"POST", "/admin/rules", rules_post, ROLE_ADMIN, ROUTE_FORM},
    {0},
};
