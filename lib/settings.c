/*
 * settings.c: the rules admins tune at run time (settings.h).
 *
 * Most settings are file keys an admin may change: they share the file's
 * parser, range and words (config_set, config_format), so "45m" means the
 * same in wizyta.conf and in the API, and a snapshot carries the value in
 * the very field the domain already reads (c->confirm_within). Templates
 * and the reply phrases live only in the database (config_text).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "log.h"
#include "notify.h"
#include "settings.h"
#include "utf8.h"

static const struct setting_info settings[] = {
    {"confirm_within", SETTING_DURATION, "booking", "confirm_within"},
    {"reminder_before", SETTING_REMINDERS, "booking", "reminder_before"},
    {"channels.confirmation", SETTING_CHANNELS, "channels", "confirmation"},
    {"channels.access_code", SETTING_CHANNELS, "channels", "access_code"},
    {"channels.reminder", SETTING_CHANNELS, "channels", "reminder"},
    {"channels.reschedule", SETTING_CHANNELS, "channels", "reschedule"},
    {"channels.expiry", SETTING_CHANNELS, "channels", "expiry"},
    {"channels.cancellation", SETTING_CHANNELS, "channels", "cancellation"},
    {"sms_quiet_hours", SETTING_HOURS, "sms", "quiet_hours"},
    {"sms_segment_price", SETTING_PRICE, "sms", "segment_price"},
    {"lead_time", SETTING_DURATION, "booking", "lead_time"},
    {"horizon", SETTING_DURATION, "booking", "horizon"},
    {"max_open_per_contact", SETTING_COUNT, "web", "max_open_per_contact"},
    {"max_pending_per_address", SETTING_COUNT, "booking",
        "max_pending_per_address"},
    {"max_pending_per_network", SETTING_COUNT, "booking",
        "max_pending_per_network"},
    {"max_pending_share", SETTING_COUNT, "booking", "max_pending_share"},
    {"pressure_share", SETTING_COUNT, "booking", "pressure_share"},
    {"pressure_confirm_within", SETTING_DURATION, "booking",
        "pressure_confirm_within"},
    /* the waitlist (lib/waitlist.h) */
    {"waitlist_hold", SETTING_DURATION, "waitlist", "hold"},
    {"waitlist_max_per_contact", SETTING_COUNT, "waitlist", "max_per_contact"},
    {"waitlist_max_per_address", SETTING_COUNT, "waitlist", "max_per_address"},
    {"reply_phrases", SETTING_PHRASES, NULL, NULL},
};

#define NSETTINGS (sizeof settings / sizeof settings[0])

static const struct setting_info template_info = {
    "templates", SETTING_TEMPLATE, NULL, NULL};

/* the intents an admin's phrase may mean (rules/reply.h's verdicts that
 * act or are passed on; never auto or bounce, which no words make) */
static const char *const intents[] = {
    "confirm", "cancel", "late", "reschedule", "question", "stop"};

size_t
settings_count(void)
{
	return NSETTINGS;
}

const struct setting_info *
settings_at(size_t i)
{
	return i < NSETTINGS ? &settings[i] : NULL;
}

/* template_parse: "templates.KIND.LANG.PART" of a kind that has that part */
static bool
template_parse(
    const char *name, enum notify_kind *kind, bool *en, enum notify_part *part)
{
	char text[96], *lang, *part_name;

	if (strncmp(name, "templates.", 10) != 0 || strlen(name) >= sizeof text)
		return false;
	snprintf(text, sizeof text, "%s", name + 10);
	if ((lang = strchr(text, '.')) == NULL)
		return false;
	*lang++ = '\0';
	if ((part_name = strchr(lang, '.')) == NULL)
		return false;
	*part_name++ = '\0';
	if (notify_kind_parse(text, kind) != 0 ||
	    notify_part_parse(part_name, part) != 0 ||
	    (strcmp(lang, "pl") != 0 && strcmp(lang, "en") != 0))
		return false;
	*en = strcmp(lang, "en") == 0;
	return notify_template_default(*kind, *en, *part) != NULL;
}

const struct setting_info *
settings_find(const char *name)
{
	enum notify_kind kind;
	enum notify_part part;
	size_t i;
	bool en;

	for (i = 0; i < NSETTINGS; i++)
		if (strcmp(settings[i].name, name) == 0)
			return &settings[i];
	if (template_parse(name, &kind, &en, &part))
		return &template_info;
	return NULL;
}

void
settings_value(const struct config *c, const char *name, struct buf *out)
{
	const struct setting_info *info = settings_find(name);
	enum notify_kind kind;
	enum notify_part part;
	char text[512];
	const char *v;
	bool en;

	if (info == NULL)
		return;
	switch (info->type) {
	case SETTING_TEMPLATE:
		if (template_parse(name, &kind, &en, &part))
			buf_puts(out, notify_template(c, kind, en, part));
		return;
	case SETTING_PHRASES:
		if ((v = config_text(c, "reply_phrases")) != NULL)
			buf_puts(out, v);
		return;
	default:
		if (config_format(
		        c, info->section, info->key, text, sizeof text))
			buf_puts(out, text);
		return;
	}
}

void
settings_default(const struct config *file, const char *name, struct buf *out)
{
	const struct setting_info *info = settings_find(name);
	enum notify_kind kind;
	enum notify_part part;
	bool en;

	if (info == NULL || info->type == SETTING_PHRASES)
		return;
	if (info->type == SETTING_TEMPLATE) {
		if (template_parse(name, &kind, &en, &part))
			buf_puts(out, notify_template_default(kind, en, part));
		return;
	}
	settings_value(file, name, out);
}

/* ---- reply phrases ---------------------------------------------------------
 */

static bool
intent_known(const char *intent)
{
	size_t i;

	for (i = 0; i < sizeof intents / sizeof intents[0]; i++)
		if (strcmp(intents[i], intent) == 0)
			return true;
	return false;
}

/* phrases_parse: the lines of the setting; -1 with the bad line in err */
static int
phrases_parse(const char *text, struct reply_phrase *out, size_t max, size_t *n,
    struct error *err)
{
	const char *p = text;
	size_t line = 0;

	*n = 0;
	while (*p != '\0') {
		size_t len = strcspn(p, "\n"), ilen;
		const char *tab = memchr(p, '\t', len);
		struct reply_phrase r;

		line++;
		if (len == 0) {
			p++;
			continue;
		}
		ilen = tab != NULL ? (size_t)(tab - p) : 0;
		if (tab == NULL || ilen >= sizeof r.intent)
			return error_set_code(err, ERROR_INVALID,
			    "phrase_invalid", "reply_phrases",
			    "reply_phrases: line %zu is not INTENT, a tab and"
			    " the phrase.",
			    line);
		memcpy(r.intent, p, ilen);
		r.intent[ilen] = '\0';
		if (!intent_known(r.intent))
			return error_set_code(err, ERROR_INVALID,
			    "phrase_intent", "reply_phrases",
			    "reply_phrases: no such intent %s (confirm, cancel,"
			    " late, reschedule, question or stop).",
			    r.intent);
		if (len - ilen - 1 == 0 || len - ilen - 1 > REPLY_PHRASE_MAX)
			return error_set_code(err, ERROR_INVALID,
			    "phrase_invalid", "reply_phrases",
			    "reply_phrases: a phrase is 1 to %d bytes.",
			    REPLY_PHRASE_MAX);
		memcpy(r.phrase, tab + 1, len - ilen - 1);
		r.phrase[len - ilen - 1] = '\0';
		if (!utf8_text_valid(r.phrase, strlen(r.phrase)))
			return error_set_code(err, ERROR_INVALID,
			    "phrase_invalid", "reply_phrases",
			    "reply_phrases: a phrase is text without control"
			    " characters.");
		if (*n == max)
			return error_set_code(err, ERROR_INVALID,
			    "phrase_invalid", "reply_phrases",
			    "reply_phrases: at most %zu phrases.", max);
		out[(*n)++] = r;
		p += len;
	}
	return 0;
}

size_t
settings_phrases(const struct config *c, struct reply_phrase *out, size_t max)
{
	const char *text = config_text(c, "reply_phrases");
	struct error err;
	size_t n = 0;

	error_clear(&err);
	if (text == NULL || phrases_parse(text, out, max, &n, &err) != 0)
		return 0;
	return n;
}

void
settings_phrases_format(const struct reply_phrase *p, size_t n, struct buf *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf_printf(out, "%s\t%s\n", p[i].intent, p[i].phrase);
}

/* ---- applying
 * ---------------------------------------------------------------- */

char *
settings_text_lf(const char *value)
{
	struct buf b = BUF_INIT;
	const char *p;

	for (p = value; *p != '\0'; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			buf_putc(&b, *p);
	return buf_steal(&b);
}

/* apply: one change onto c; value NULL: the file's default */
static int
apply(const struct config *file, struct config *c, const char *name,
    const char *value, struct error *err)
{
	const struct setting_info *info = settings_find(name);
	enum notify_kind kind;
	enum notify_part part;
	const char *why = "";
	char *text;
	bool en;
	int rc = 0;

	if (info == NULL)
		return error_set_code(err, ERROR_INVALID, "unknown_setting",
		    name, "No such setting: %s.", name);
	if (info->type == SETTING_TEMPLATE || info->type == SETTING_PHRASES) {
		if (value == NULL) {
			config_text_set(c, name, NULL);
			return 0;
		}
		text = settings_text_lf(value);
		if (info->type == SETTING_TEMPLATE) {
			if (!template_parse(name, &kind, &en, &part) ||
			    notify_template_check(part, text, name, err) != 0)
				rc = -1;
		} else {
			struct reply_phrase *p =
			    calloc(REPLY_PHRASES_MAX, sizeof *p);
			struct buf tidy = BUF_INIT;
			size_t n;

			if (p == NULL)
				abort();
			if (phrases_parse(
			        text, p, REPLY_PHRASES_MAX, &n, err) != 0)
				rc = -1;
			else {
				settings_phrases_format(p, n, &tidy);
				free(text);
				text = buf_steal(&tidy);
			}
			free(p);
		}
		if (rc == 0)
			config_text_set(c, name, text[0] != '\0' ? text : NULL);
		free(text);
		return rc;
	}
	if (value == NULL) {
		char def[512];

		if (!config_format(
		        file, info->section, info->key, def, sizeof def))
			return error_set(
			    err, ERROR_INTERNAL, "no key for %s", name);
		return config_set(c, info->section, info->key, def, &why) == 0
		           ? 0
		           : error_set(err, ERROR_INTERNAL,
		                 "the file's %s does not read", name);
	}
	if (config_set(c, info->section, info->key, value, &why) != 0)
		return error_set_code(err, ERROR_INVALID, "setting_invalid",
		    name, "%s: expected %s.", name, why);
	return 0;
}

/* cross_check: what no single value shows (as config_check does for the
 * file); field: the one of the pair that was changed */
static int
cross_check(const struct config *c, const struct setting_change *changes,
    size_t n, struct error *err)
{
	size_t i;
	bool lead = false, share = false;

	for (i = 0; i < n; i++) {
		lead |= strcmp(changes[i].name, "lead_time") == 0;
		share |= strcmp(changes[i].name, "pressure_share") == 0;
	}
	if (c->booking_lead_time >= c->booking_horizon)
		return error_set_code(err, ERROR_INVALID, "setting_conflict",
		    lead ? "lead_time" : "horizon",
		    "lead_time must be shorter than horizon.");
	if (c->max_pending_share > 0 &&
	    c->pressure_share > c->max_pending_share)
		return error_set_code(err, ERROR_INVALID, "setting_conflict",
		    share ? "pressure_share" : "max_pending_share",
		    "pressure_share must not be above max_pending_share.");
	return 0;
}

int
settings_check(const struct config *file, const struct config *c,
    const struct setting_change *changes, size_t n, struct config **out,
    struct error *err)
{
	struct config *next = config_dup(c);
	size_t i;

	for (i = 0; i < n; i++)
		if (apply(file, next, changes[i].name, changes[i].value, err) !=
		    0)
			goto fail;
	if (cross_check(next, changes, n, err) != 0)
		goto fail;
	if (out != NULL)
		*out = next;
	else
		config_free(next);
	return 0;
fail:
	config_free(next);
	return -1;
}

struct config *
settings_overlay(const struct config *file, const struct setting_row *rows,
    size_t n, int64_t generation)
{
	struct config *c = config_dup(file);
	struct error err;
	size_t i;

	for (i = 0; i < n; i++) {
		error_clear(&err);
		if (apply(file, c, rows[i].name, rows[i].value, &err) != 0)
			log_warn("settings: %s from the database skipped: %s",
			    rows[i].name, err.msg);
	}
	c->settings_generation = generation;
	return c;
}

int
settings_load(struct store *s, const struct config *file, struct config **out,
    struct error *err)
{
	struct setting_row *rows = NULL;
	int64_t generation;
	size_t n;

	if (store_settings_list(s, &rows, &n, &generation, err) != 0)
		return -1;
	*out = settings_overlay(file, rows, n, generation);
	setting_rows_free(rows, n);
	return 0;
}

/* summary: the first line of a value, cut for the audit's before/after */
static void
summary(const char *name, const char *value, char *out, size_t size)
{
	const struct setting_info *info = settings_find(name);
	size_t line = strcspn(value, "\n"), n = 0;
	char first[256];

	if (info != NULL && info->type == SETTING_PHRASES) {
		const char *p;

		for (p = value; *p != '\0'; p++)
			n += *p == '\n';
		snprintf(out, size, "%zu phrases", n);
		return;
	}
	if (line >= sizeof first)
		line = sizeof first - 1;
	memcpy(first, value, line);
	first[line] = '\0';
	if (strlen(first) + 4 < size && value[line] == '\0') {
		snprintf(out, size, "%s", first);
		return;
	}
	/* cut on a character, and say so */
	utf8_copy(out, size - 4, first);
	snprintf(out + strlen(out), 4, "%s", "…");
}

int
settings_update(struct store *s, const struct config *file,
    const struct setting_change *changes, size_t n, const struct actor *actor,
    time_t now, unsigned *changed, struct error *err)
{
	struct config *before = NULL, *after = NULL;
	struct setting_row *rows = NULL;
	size_t nrows = 0, i, j;
	unsigned count = 0;
	int64_t generation;
	const char *by = actor->login[0] != '\0'
	                     ? actor->login
	                     : actor_channel_name(actor->channel);

	if (changed != NULL)
		*changed = 0;
	if (store_begin(s, err) != 0)
		return -1;
	/* against the database as it is now, not a snapshot that may lag */
	if (store_settings_list(s, &rows, &nrows, &generation, err) != 0)
		goto fail;
	before = settings_overlay(file, rows, nrows, generation);
	if (settings_check(file, before, changes, n, &after, err) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		const char *name = changes[i].name;
		struct buf was = BUF_INIT, now_text = BUF_INIT;
		char b[64], a[64];
		bool row = false, same;
		int rc;

		/* a name given twice: its last value counts */
		for (j = i + 1; j < n && strcmp(changes[j].name, name) != 0;
		     j++)
			;
		if (j < n)
			continue;
		for (j = 0; j < nrows; j++)
			row |= strcmp(rows[j].name, name) == 0;
		settings_value(before, name, &was);
		settings_value(after, name, &now_text);
		same = strcmp(buf_cstr(&was), buf_cstr(&now_text)) == 0;
		if (changes[i].value == NULL ? !row : same) {
			buf_free(&was);
			buf_free(&now_text);
			continue;
		}
		summary(name, buf_cstr(&was), b, sizeof b);
		summary(name, buf_cstr(&now_text), a, sizeof a);
		/* the value as the file would write it ("2700" → "45m") */
		rc = changes[i].value == NULL
		         ? store_setting_delete(s, name, err)
		         : store_setting_put(
		               s, name, buf_cstr(&now_text), now, by, err);
		if (rc == 0)
			rc = audit_record(s, actor, "settings.change", 0, b, a,
			    name, now, err);
		buf_free(&was);
		buf_free(&now_text);
		if (rc != 0)
			goto fail;
		count++;
	}
	if (count > 0 &&
	    (store_settings_bump(s, err) != 0 || store_commit(s, err) != 0))
		goto fail;
	if (count == 0)
		store_rollback(s);
	else
		log_info("settings changed count=%u by=%s", count, by);
	if (changed != NULL)
		*changed = count;
	setting_rows_free(rows, nrows);
	config_free(before);
	config_free(after);
	return 0;
fail:
	store_rollback(s);
	setting_rows_free(rows, nrows);
	config_free(before);
	config_free(after);
	return -1;
}
