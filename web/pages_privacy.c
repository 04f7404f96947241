/*
 * pages_privacy.c: /privacy — the privacy notice (RODO/GDPR art. 13) in
 * Polish and English, linked from every page's footer and from the
 * booking form. It states the retention the office really runs with
 * ([privacy] retain_days: lib/retention.h), not a number written once.
 */
#include "page.h"

static void
privacy_page(struct request *rq, struct response *rs)
{
	json_t *ctx = page_context(rq);

	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "privacy_title")));
	rs->cacheable = false;
	page_render(rq, rs, 200, "privacy", ctx);
}

const struct route privacy_routes[] = {
    {"GET", "/privacy", privacy_page, ROLE_PUBLIC, 0},
    {0},
};
