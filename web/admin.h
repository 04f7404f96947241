/*
 * admin.h: what the admin module's pages and API share (admin.c).
 *
 * One input, two doors: a handler reads its fields through struct
 * admin_input, which is either the JSON body of an API call (types
 * checked; absent members stay unset, so a PUT changes any subset) or an
 * HTML form (every field of the form present). Problems collect in one
 * error list: the API answers 422 with the first (its "field") and all of
 * them in "errors"; a page shows them all in its error summary, each
 * field marked (admin_form_errors).
 *
 * Calendar changes share their request and result (lib/calendar.h):
 * "preview", "preview_days" and "resolutions" in JSON; in a form the
 * buttons "preview" / "save" and, per stranded booking, the radio
 * choice_<REF> ("move:<start>:<desk>", "keep", "cancel") and reason_<REF>.
 */
#ifndef WIZYTA_WEB_ADMIN_H
#define WIZYTA_WEB_ADMIN_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "calendar.h"
#include "http.h"

struct admin_input {
	struct request *rq;
	json_t *json; /* the API body, or NULL: the form */
	struct error_list errors;
};

/* admin_input_api: the JSON body (NULL after answering 400); members
 * not in allowed (NULL-terminated) are a 422 unknown_field */
bool admin_input_api(struct admin_input *, struct request *, struct response *,
    const char *const *allowed);
void admin_input_form(struct admin_input *, struct request *);
void admin_input_free(struct admin_input *);

/* admin_has: the field was given (forms: always) */
bool admin_has(struct admin_input *, const char *name);
/* typed reads; a wrong type or syntax adds an error and gives the
 * fallback. text: a string (textarea line breaks become spaces); count:
 * a whole number min..max (the domain's own bounds, so a value out of
 * range reads the same whichever layer refuses it); flag: a boolean (forms: a
 * checkbox); span: a duration "30m", "2h", "3d" or null / "" (0: the office's);
 * minutes: "HH:MM" (24:00 allowed); day: "YYYY-MM-DD"; id: a positive integer
 * or null / "" (0) */
const char *admin_text(struct admin_input *, const char *name);
long long admin_count(
    struct admin_input *, const char *name, long long min, long long max);
bool admin_flag(struct admin_input *, const char *name);
int64_t admin_span(struct admin_input *, const char *name);
int admin_minutes(struct admin_input *, const char *name);
struct date admin_day(struct admin_input *, const char *name);
int64_t admin_id(struct admin_input *, const char *name);

/* admin_api_errors: 422 with the first error and "errors": all of them */
void admin_api_errors(struct response *, const struct error_list *);
/* admin_api_error: a domain error; "bookings_stranded" (409) and a
 * preview carry the calendar result */
void admin_api_error(
    struct response *, const struct error *, const struct calendar_result *);

/* the calendar request of a call: preview, preview_days, resolutions.
 * req points into *storage (admin_request_free). */
struct admin_request {
	struct calendar_request req;
	struct calendar_resolution *resolutions;
};
bool admin_request_read(struct admin_input *, struct admin_request *);
void admin_request_free(struct admin_request *);
/* admin_calendar_json: {"stranded": […], "days": […]} */
json_t *admin_calendar_json(const struct calendar_result *);
/* admin_api_changed: 200/201 with obj, the preview instead when it was
 * one, "resolved" counts when bookings were moved, kept or cancelled */
void admin_api_changed(struct response *, unsigned status, json_t *obj,
    const struct admin_request *, const struct calendar_result *);

/* pages */
/* admin_field: one form field for templates/afield.html. kind: "text",
 * "number", "time", "date", "textarea", "checkbox", "select" (options:
 * [{value, label, selected}], stolen), "password" */
json_t *admin_field(struct request *, const char *name, const char *kind,
    const char *label_key, const char *hint_key, const char *value,
    bool required, json_t *options);
/* admin_form_errors: mark the fields of ctx["fields"] (and of any list in
 * ctx["groups"][*]["fields"]) and fill ctx["summary"] [{name, label,
 * error}]; the error's field is a form field name */
void admin_form_errors(
    struct request *, json_t *ctx, const struct error_list *);
/* admin_form_error: one domain error into the same shape */
void admin_form_error(struct request *, json_t *ctx, const struct error *);
/* admin_stranded_ctx: ctx["stranded"] for templates/astranded.html, the
 * admin's earlier choices checked */
void admin_stranded_ctx(
    struct request *, json_t *ctx, const struct calendar_result *);
/* admin_preview_ctx: ctx["preview"] for templates/apreview.html */
void admin_preview_ctx(
    struct request *, json_t *ctx, const struct calendar_result *);
/* admin_resolve_page: the change needs choices (or was previewed): a page
 * that posts every field of this form again, to the same address, with
 * the stranded bookings' choices (templates/aresolve.html) */
void admin_resolve_page(struct request *, struct response *,
    const struct calendar_result *, const struct error *, const char *back);
/* admin_done: 303 to path with ?done=KEY (the page shows the catalog's
 * text for it) */
void admin_done(struct response *, const char *path, const char *key);
/* admin_notice: ctx["notice"] from ?done= */
void admin_notice(struct request *, json_t *ctx);
/* admin_when: "2026-12-08 10:00" */
void admin_when(time_t, char out[OTIME_LOCAL_LEN]);
/* admin_page_db_error: 503 in the staff frame */
void admin_db_error(struct request *, struct response *, const struct error *);
/* admin_select: options for a select: ids and names, one selected */
json_t *admin_option(const char *value, const char *label, bool selected);

#endif
