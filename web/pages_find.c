/*
 * pages_find.c: "find my booking" — reference plus the booking's e-mail or
 * phone. A wrong pair and an unknown reference get the same answer, and
 * the form is rate limited per client, so references cannot be probed.
 * Success redirects to the ticket link (which carries the token).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "booking.h"
#include "page.h"
#include "pages_book.h"
#include "security.h"
#include "token.h"

static void
find_render(struct request *rq, struct response *rs, unsigned status,
    const char *error, json_t *field_errors)
{
	json_t *ctx = page_context(rq);
	bool post = strcmp(rq->method, "POST") == 0;
	static const char *const fields[] = {"reference", "contact"};
	json_t *summary = json_array();
	size_t i;

	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "find_heading")));
	json_object_set_new(ctx, "reference",
	    json_string(post ? http_form(rq, "reference") : ""));
	json_object_set_new(
	    ctx, "contact", json_string(post ? http_form(rq, "contact") : ""));
	if (error != NULL)
		json_object_set_new(ctx, "error", json_string(error));
	for (i = 0; i < 2; i++) {
		json_t *text = json_object_get(field_errors, fields[i]);
		char key[32];

		if (text == NULL)
			continue;
		snprintf(key, sizeof key, "%s_error", fields[i]);
		json_object_set(ctx, key, text);
		json_array_append_new(summary,
		    json_pack("{s:s, s:O}", "name", fields[i], "text", text));
	}
	json_object_set_new(ctx, "summary", summary);
	page_render(rq, rs, status, "find", ctx);
}

static void
find_get(struct request *rq, struct response *rs)
{
	find_render(rq, rs, 200, NULL, NULL);
}

static void
find_post(struct request *rq, struct response *rs)
{
	char reference[16], link[160];
	const char *in = http_form(rq, "reference");
	struct booking b;
	struct store *s;
	struct error err;
	size_t n = 0;

	if (rate_limited(rq, rs, "lookup", false))
		return;
	/* forgiving input: spaces, dashes and lower case are fine */
	for (; *in != '\0' && n < sizeof reference - 1; in++)
		if (isalnum((unsigned char)*in))
			reference[n++] = (char)toupper((unsigned char)*in);
	reference[n] = '\0';
	/* say what is missing rather than "not found" */
	{
		json_t *missing = json_object();

		if (n == 0)
			json_object_set_new(missing, "reference",
			    json_string(page_t(rq, "err_find_no_reference")));
		if (http_form(rq, "contact")[0] == '\0')
			json_object_set_new(missing, "contact",
			    json_string(page_t(rq, "err_find_no_contact")));
		if (json_object_size(missing) > 0) {
			find_render(rq, rs, 422, NULL, missing);
			json_decref(missing);
			return;
		}
		json_decref(missing);
	}
	if ((s = http_store(rq)) == NULL) {
		page_db_error(rq, rs, NULL);
		return;
	}
	error_clear(&err);
	if (!token_reference_valid(reference) ||
	    store_booking_by_reference(s, reference, &b, &err) != 0 ||
	    !booking_check_contact(&b, http_form(rq, "contact"))) {
		if (err.kind == ERROR_IO) {
			page_db_error(rq, rs, &err);
			return;
		}
		find_render(rq, rs, 404, page_t(rq, "err_find"), NULL);
		return;
	}
	page_booking_link(&b, "", "", link, sizeof link);
	http_redirect(rs, link);
}

const struct route find_routes[] = {
    {"GET", "/find", find_get, ROLE_PUBLIC, 0},
    {"POST", "/find", find_post, ROLE_PUBLIC, ROUTE_FORM},
    {0},
};
