/*
 * page.h: the citizen pages' common frame — language, catalog, layout.
 *
 * Every page is a template rendered over a JSON context that page_context()
 * starts: lang, the catalog of that language as `t` (Polish in
 * i18n/pl.json, English beside it in i18n/en.json), the CSRF value for
 * forms, the office name and the language-switch link. page_render() puts
 * the page into templates/layout.html (skip link, header, lang attribute).
 */
#ifndef WIZYTA_WEB_PAGE_H
#define WIZYTA_WEB_PAGE_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "http.h"

/* i18n_load: parse the embedded catalogs into w->catalog. */
int i18n_load(struct web *, struct error *);
void i18n_free(struct web *);

json_t *page_context(struct request *);
/* page_render: NAME's template in the layout; steals ctx. */
void page_render(struct request *, struct response *, unsigned status,
    const char *name, json_t *ctx);
/* page_render_in: the same in another layout template (staff.c's). */
void page_render_in(struct request *, struct response *, unsigned status,
    const char *name, const char *layout, json_t *ctx);
/* page_message: a simple page: a title and a text, both catalog keys. */
void page_message(struct request *, struct response *, unsigned status,
    const char *title_key, const char *text_key);
/* page_error_message: the same with the text of a domain error
 * (page_error_text). */
void page_error_message(struct request *, struct response *, unsigned status,
    const char *title_key, const struct error *);
/* page_t: a catalog string of the request's language ("" when missing). */
const char *page_t(struct request *, const char *key);
/* page_error_text: what to tell a citizen about a domain error: the
 * catalog's "err_<code>_<field>", else "err_<code>", else a text for its
 * field ("err_field_<field>") or its kind (never the English operator
 * message on a Polish page). */
const char *page_error_text(struct request *, const struct error *);
/* page_minutes: "1 minuta", "22 minuty", "12 minut" / "1 minute", "5 minutes".
 */
void page_minutes(struct request *, long n, char *out, size_t size);
/* page_when: "wtorek, 8 grudnia 2026, 12:00" in the request's language. */
void page_when(struct request *, time_t, struct buf *out);
/* page_booking_link: notify_path + extra ("&done=moved"), into out. */
struct booking;
void page_booking_link(const struct booking *, const char *action,
    const char *extra, char *out, size_t size);

#endif
