/*
 * admin_replies.c: the reply phrases admins add to the rule table
 * (rules/reply.h; the setting "reply_phrases"):
 *
 *   GET  /admin/replies                   the phrases, a form to add one,
 *   POST /admin/replies                   a box to see how a reply would be
 *                                         read; action add | delete | try
 *   POST /api/v1/admin/reply-phrases/try  {"text", "reply_phrases"?}: how
 *                                         the text is read (with the
 *                                         phrases given, else those in
 *                                         force)
 *
 * A phrase is saved only when the labelled corpus still reads as it did
 * (admin_settings_save): otherwise the page lists the replies it would
 * read wrongly, and nothing changes. The phrases as a list are also part
 * of GET/PUT /api/v1/admin/settings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_settings.h"
#include "api.h"
#include "page.h"
#include "staff.h"

static const char *const intents[] = {
    "confirm", "cancel", "late", "reschedule", "question", "stop"};
#define NINTENTS (sizeof intents / sizeof intents[0])

/* reading: how text is read with these phrases (NULL: those in force) */
static int
reading(const struct config *c, const char *phrases, const char *text,
    struct reply_decision *out, struct error *err)
{
	struct reply_rules *set = reply_phrases_rules(
	    phrases != NULL ? phrases : config_text(c, "reply_phrases"), err);

	if (set == NULL)
		return -1;
	reply_decide_with(set, text, strlen(text), out);
	reply_rules_free(set);
	return 0;
}

static void
try_api(struct request *rq, struct response *rs)
{
	const char *text = NULL, *given = NULL;
	struct reply_decision d;
	struct error err;
	json_t *body, *list;
	struct buf lines = BUF_INIT;
	size_t i;

	if ((body = api_body_json(rq, rs)) == NULL)
		return;
	if (!api_member_string(body, "text", &text, rs))
		goto out;
	if (text == NULL) {
		http_json_error(
		    rs, 422, "invalid", "Give the reply's text.", "text");
		goto out;
	}
	if ((list = json_object_get(body, "reply_phrases")) != NULL &&
	    !json_is_null(list)) {
		json_t *item;

		if (!json_is_array(list)) {
			http_json_error(rs, 422, "setting_invalid",
			    "reply_phrases: expected a list of {\"phrase\","
			    " \"intent\"}.",
			    "reply_phrases");
			goto out;
		}
		json_array_foreach(list, i, item)
		{
			const char *phrase =
			    json_string_value(json_object_get(item, "phrase"));
			const char *intent =
			    json_string_value(json_object_get(item, "intent"));

			if (phrase == NULL || intent == NULL ||
			    strpbrk(phrase, "\t\n") != NULL) {
				http_json_error(rs, 422, "phrase_invalid",
				    "Each item needs a one-line \"phrase\" and "
				    "an"
				    " \"intent\".",
				    "reply_phrases");
				goto out;
			}
			buf_printf(&lines, "%s\t%s\n", intent, phrase);
		}
		given = buf_cstr(&lines);
	}
	error_clear(&err);
	if (reading(rq->web->config, given, text, &d, &err) != 0)
		api_error(rs, &err);
	else
		http_json(rs, 200,
		    json_pack("{s:s, s:s, s:b, s:s}", "verdict",
		        reply_verdict_name(d.verdict), "rules", d.rules, "asks",
		        d.asks, "reference", d.reference));
out:
	buf_free(&lines);
	json_decref(body);
}

/* ---- the page --------------------------------------------------------------
 */

static void
replies_render(struct request *rq, struct response *rs, unsigned status,
    const struct error_note *note, const struct reply_corpus_break *breaks,
    size_t nbreaks, const struct reply_decision *tried)
{
	json_t *ctx = staff_context(rq, "/admin"), *list = json_array();
	struct reply_phrase *p = calloc(REPLY_PHRASES_MAX, sizeof *p);
	const char *done = http_query(rq, "done");
	struct config *c;
	struct store *s;
	struct error err;
	size_t n, i;

	error_clear(&err);
	if (p == NULL)
		abort();
	if ((s = http_store(rq)) == NULL ||
	    (c = admin_settings_now(rq, s, &err)) == NULL) {
		free(p);
		json_decref(ctx);
		json_decref(list);
		staff_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	n = settings_phrases(c, p, REPLY_PHRASES_MAX);
	for (i = 0; i < n; i++) {
		char key[48];

		snprintf(key, sizeof key, "intent_%s", p[i].intent);
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:i}", "phrase", p[i].phrase,
		              "intent", page_t(rq, key), "index", (int)i + 1));
	}
	free(p);
	config_free(c);
	json_object_set_new(ctx, "phrases", list);
	json_object_set_new(ctx, "intents",
	    admin_options(rq, intents, NINTENTS, "intent_",
	        rq->form != NULL ? http_form(rq, "intent") : NULL));
	json_object_set_new(ctx, "new_phrase",
	    json_string(rq->form != NULL && note != NULL
	                    ? http_form(rq, "phrase")
	                    : ""));
	json_object_set_new(ctx, "try_text",
	    json_string(rq->form != NULL ? http_form(rq, "text") : ""));
	if (note != NULL) {
		json_object_set_new(ctx, "summary",
		    json_pack("[{s:s, s:s, s:s}]", "name",
		        strcmp(note->field, "text") == 0 ? "text" : "phrase",
		        "label", "", "error", note->text));
		json_object_set_new(
		    ctx, "phrase_error", json_string(note->text));
	}
	if (nbreaks > 0) {
		json_t *cases = admin_breaks_json(breaks, nbreaks);
		size_t k;
		json_t *item;

		json_array_foreach(cases, k, item)
		{
			char key[48];

			snprintf(key, sizeof key, "verdict_%s",
			    json_string_value(json_object_get(item, "label")));
			json_object_set_new(
			    item, "label_text", json_string(page_t(rq, key)));
			snprintf(key, sizeof key, "verdict_%s",
			    json_string_value(
			        json_object_get(item, "read_as")));
			json_object_set_new(
			    item, "read_text", json_string(page_t(rq, key)));
		}
		json_object_set_new(ctx, "breaks", cases);
	}
	if (tried != NULL) {
		char key[48];

		snprintf(key, sizeof key, "verdict_%s",
		    reply_verdict_name(tried->verdict));
		json_object_set_new(ctx, "tried",
		    json_pack("{s:s, s:s}", "verdict", page_t(rq, key), "rules",
		        tried->rules));
	}
	if (done != NULL &&
	    (strcmp(done, "added") == 0 || strcmp(done, "deleted") == 0)) {
		char key[48];

		snprintf(key, sizeof key, "replies_done_%s", done);
		json_object_set_new(
		    ctx, "notice", json_string(page_t(rq, key)));
	}
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "replies_title")));
	staff_render(rq, rs, status, "settings_replies", ctx);
}

static void
replies_page(struct request *rq, struct response *rs)
{
	replies_render(rq, rs, 200, NULL, NULL, 0, NULL);
}

static void
replies_post(struct request *rq, struct response *rs)
{
	struct reply_corpus_break breaks[ADMIN_BREAKS_MAX];
	struct reply_phrase *p = calloc(REPLY_PHRASES_MAX + 1, sizeof *p);
	const char *action = http_form(rq, "action");
	struct setting_change change;
	struct reply_decision d;
	struct error_note note;
	struct buf lines = BUF_INIT;
	struct config *c = NULL;
	struct store *s;
	struct error err;
	size_t n, nbreaks = 0, i;
	int64_t del = 0;
	const char *done;

	error_clear(&err);
	if (p == NULL)
		abort();
	if ((s = http_store(rq)) == NULL ||
	    (c = admin_settings_now(rq, s, &err)) == NULL) {
		free(p);
		staff_message(rq, rs, 503, "err_db_title", "err_db_text");
		return;
	}
	n = settings_phrases(c, p, REPLY_PHRASES_MAX);
	if (strcmp(action, "try") == 0) {
		if (http_form(rq, "text")[0] == '\0') {
			error_set_code(&err, ERROR_INVALID,
			    "reply_text_missing", "text",
			    "Type a reply to see how it is read.");
			error_note_set(rq, &note, &err);
			replies_render(rq, rs, 422, &note, NULL, 0, NULL);
		} else if (reading(c, NULL, http_form(rq, "text"), &d, &err) !=
		           0) {
			error_note_set(rq, &note, &err);
			replies_render(rq, rs, 422, &note, NULL, 0, NULL);
		} else
			replies_render(rq, rs, 200, NULL, NULL, 0, &d);
		goto out;
	}
	if (strcmp(action, "delete") == 0) {
		if (!http_parse_id(http_form(rq, "index"), &del) ||
		    del > (int64_t)n) {
			http_redirect(rs, "/admin/replies");
			goto out;
		}
		memmove(&p[del - 1], &p[del], (n - (size_t)del) * sizeof *p);
		n--;
		done = "deleted";
	} else {
		const char *phrase = http_form(rq, "phrase"),
		           *intent = http_form(rq, "intent");

		if (phrase[0] == '\0' || strlen(phrase) > REPLY_PHRASE_MAX ||
		    strpbrk(phrase, "\t\r\n") != NULL) {
			error_set_code(&err, ERROR_INVALID, "phrase_invalid",
			    "reply_phrases", "Type a phrase of one line.");
			error_note_set(rq, &note, &err);
			replies_render(rq, rs, 422, &note, NULL, 0, NULL);
			goto out;
		}
		snprintf(p[n].intent, sizeof p[n].intent, "%s", intent);
		snprintf(p[n].phrase, sizeof p[n].phrase, "%s", phrase);
		n++;
		done = "added";
	}
	for (i = 0; i < n; i++)
		buf_printf(&lines, "%s\t%s\n", p[i].intent, p[i].phrase);
	change.name = "reply_phrases";
	change.value = buf_cstr(&lines);
	if (admin_settings_save(
	        rq, s, &change, 1, breaks, &nbreaks, NULL, &err) != 0) {
		error_note_set(rq, &note, &err);
		replies_render(rq, rs, 422, &note, breaks, nbreaks, NULL);
		goto out;
	}
	http_redirect(rs, strcmp(done, "added") == 0
	                      ? "/admin/replies?done=added"
	                      : "/admin/replies?done=deleted");
out:
	buf_free(&lines);
	config_free(c);
	free(p);
}

const struct route replies_routes[] = {
    {"GET", "/admin/replies", replies_page, ROLE_ADMIN, 0},
    {"POST", "/admin/replies", replies_post, ROLE_ADMIN, ROUTE_FORM},
    {"POST", "/api/v1/admin/reply-phrases/try", try_api, ROLE_ADMIN, 0},
    {0},
};
