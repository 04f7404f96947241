/*
 * admin_settings.h: what the admin's settings pages and API share
 * (admin_settings.c): reading the settings as the database has them now,
 * and saving an admin's changes — checked, the reply phrases against the
 * labelled corpus, audited, and published in this process at once (the
 * other processes see the generation move within a second).
 */
#ifndef WIZYTA_WEB_ADMIN_SETTINGS_H
#define WIZYTA_WEB_ADMIN_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "http.h"
#include "reply.h"
#include "settings.h"

/* admin_settings_file: the file part (the defaults of a reset); the
 * caller frees it */
struct config *admin_settings_file(struct request *);
/* admin_settings_now: the database's settings over the file, read now
 * (not the snapshot, which may be a moment behind); NULL after logging */
struct config *admin_settings_now(
    struct request *, struct store *, struct error *);
/* admin_settings_changed: is name a row of the database (not the file's
 * value)? rows as store_settings_list gives them */
bool admin_settings_changed(
    const struct setting_row *, size_t n, const char *name);

#define ADMIN_BREAKS_MAX 10
/* admin_settings_save: the changes, all or none. A change of the reply
 * phrases that breaks corpus cases is refused (ERROR_INVALID
 * "phrase_breaks_corpus", field reply_phrases) with the first of them in
 * breaks (at most ADMIN_BREAKS_MAX, *nbreaks how many in all). */
int admin_settings_save(struct request *, struct store *,
    const struct setting_change *, size_t n, struct reply_corpus_break *breaks,
    size_t *nbreaks, unsigned *changed, struct error *);

/* admin_options: a select's options [{value, label, selected}], each
 * label the catalog's prefix+value */
json_t *admin_options(struct request *, const char *const *values, size_t n,
    const char *prefix, const char *current);

/* admin_breaks_json: [{text, file, label, read_as, rules}] */
json_t *admin_breaks_json(const struct reply_corpus_break *, size_t n);

/* one problem of a form, in the page's words: the catalog's text for the
 * error's code (page_error_text), with the variable a template names
 * that does not exist */
struct error_note {
	char field[64];
	char text[400];
};
void error_note_set(
    struct request *, struct error_note *, const struct error *);

/* a list of changes that owns its strings */
struct change_list {
	struct setting_change *items;
	char **owned;
	size_t n, cap;
};
void change_list_add(struct change_list *, const char *name, const char *value);
void change_list_free(struct change_list *);

#endif
