/*
 * settings.h: the rules admins tune at run time (CONTRACT.md "Admin",
 * issue 13): how long an unconfirmed booking is held, the reminders, which
 * channel carries which message, the SMS quiet hours and what a segment
 * costs, the limits on bookings, the message templates and the reply
 * phrases.
 *
 * The configuration file gives each its default (doc/wizyta.conf.5 marks
 * those keys); an admin's change is a row of the database that wins over
 * the file until it is reset. Every change is one transaction: the rows,
 * an audit row per setting (before → after) and the settings generation,
 * which both daemons watch (config_live.h) so a change applies everywhere
 * within a second or two, without a restart.
 *
 * Names are flat: "confirm_within", "channels.confirmation",
 * "templates.reminder.pl.sms", "reply_phrases". Values are text as the
 * file would write them ("45m", "24h,2h:sms", "sms_first", "21:00-08:00",
 * "3"); the reply phrases are lines "INTENT<TAB>PHRASE". A value that is
 * not good is ERROR_INVALID with the setting's name as the field.
 */
#ifndef WIZYTA_SETTINGS_H
#define WIZYTA_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "actor.h"
#include "buf.h"
#include "config.h"
#include "error.h"
#include "store.h"

enum setting_type {
	SETTING_DURATION,  /* "30m" */
	SETTING_COUNT,     /* "3": a whole number */
	SETTING_REMINDERS, /* "24h,2h:sms" */
	SETTING_CHANNELS,  /* "both" … "sms_first" */
	SETTING_HOURS,     /* "21:00-08:00" or "" */
	SETTING_PRICE,     /* "0.08" */
	SETTING_TEMPLATE,  /* a message template (notify.h) */
	SETTING_PHRASES,   /* the reply phrases */
};

struct setting_info {
	const char *name;
	enum setting_type type;
	const char *section, *key; /* the file key with its default, or NULL */
};

/* the settings but the templates (settings_template_* walk those), in
 * the order admins see them */
size_t settings_count(void);
const struct setting_info *settings_at(size_t i);
/* settings_find: any setting, templates included; NULL when unknown */
const struct setting_info *settings_find(const char *name);

/* settings_value: the value in force in c, as text */
void settings_value(const struct config *, const char *name, struct buf *out);
/* settings_default: the file's value (templates: the built-in text) */
void settings_default(
    const struct config *file, const char *name, struct buf *out);

/* settings_overlay: the file's configuration with the database's rows
 * over it (a row that no longer reads — an older program's, a removed
 * setting — is skipped with a warning): a new snapshot the caller frees */
struct config *settings_overlay(const struct config *file,
    const struct setting_row *, size_t n, int64_t generation);

/* the reply phrases: lines "INTENT<TAB>PHRASE" */
#define REPLY_PHRASES_MAX 200
#define REPLY_PHRASE_MAX 120
struct reply_phrase {
	char intent[16]; /* confirm, cancel, late, reschedule, question, stop */
	char phrase[REPLY_PHRASE_MAX + 1];
};
/* settings_phrases: the phrases of c (at most max); how many */
size_t settings_phrases(
    const struct config *, struct reply_phrase *out, size_t max);
/* settings_phrases_format: phrases back into the setting's text */
void settings_phrases_format(
    const struct reply_phrase *, size_t n, struct buf *out);

/* one change an admin asks for: value NULL puts the file's default back */
struct setting_change {
	const char *name;
	const char *value;
};

/* settings_check: would these changes be accepted on top of c? The first
 * problem in err (its field the setting); out (may be NULL) gets c with
 * the changes, for a preview or a second check (the reply corpus) */
int settings_check(const struct config *file, const struct config *c,
    const struct setting_change *, size_t n, struct config **out,
    struct error *);

/* settings_update: apply the changes in one transaction: checked against
 * the database's settings as they are now, each setting that really
 * changes written (or removed) and audited "settings.change" with its name
 * and before → after, the generation bumped. Nothing changes on any error.
 * *changed (may be NULL) counts the settings that changed. */
int settings_update(struct store *, const struct config *file,
    const struct setting_change *, size_t n, const struct actor *, time_t now,
    unsigned *changed, struct error *);

/* settings_text_lf: value without the \r of CRLF line ends (a browser's
 * textarea sends CRLF; the messages use LF): a copy the caller frees */
char *settings_text_lf(const char *value);

/* settings_load: the database's rows over file (settings_overlay) */
int settings_load(struct store *, const struct config *file,
    struct config **out, struct error *);

#endif
