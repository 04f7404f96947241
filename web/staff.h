/*
 * staff.h: the staff pages' frame, beside page.h's citizen one.
 *
 * A staff page is a template rendered over staff_context(): page_context()
 * (lang, catalog `t`, csrf, office, language switch) plus `operator`
 * {name, login, role} and the main menu of the seed — Mój punkt obsługi,
 * Rejestr rezerwacji, Tablice informacyjne, Raporty i zestawienia,
 * Recepcja, Ustawienia — holding only what the operator's role may open
 * (the role of each item's route, routes_role), the current one marked
 * aria-current. staff_render() puts it into templates/staff_layout.html:
 * skip link, office name, the operator and *Wyloguj* (a POST form), the
 * language switch, <meta name="csrf-token"> for scripts calling the API.
 *
 *	static void
 *	desk_page(struct request *rq, struct response *rs)
 *	{
 *		json_t *ctx = staff_context(rq, "/staff/desk");
 *
 *		json_object_set_new(ctx, "title", json_string(page_t(rq,
 *"desk_title"))); staff_render(rq, rs, 200, "desk", ctx);
 *	}
 *
 * The handler can rely on rq->account: the router let nobody else in.
 */
#ifndef WIZYTA_WEB_STAFF_H
#define WIZYTA_WEB_STAFF_H

#include <jansson.h>

#include "http.h"

/* staff_context: the frame's data; current is the menu item's href whose
 * section this page belongs to (NULL: none). */
json_t *staff_context(struct request *, const char *current);
/* staff_render: NAME's template in the staff layout; steals ctx. */
void staff_render(struct request *, struct response *, unsigned status,
    const char *name, json_t *ctx);
/* staff_message: a title and a text (catalog keys) in the staff frame. */
void staff_message(struct request *, struct response *, unsigned status,
    const char *title_key, const char *text_key);
/* staff_forbidden: the 403 page (routes_dispatch calls it). */
void staff_forbidden(struct request *, struct response *);
/* staff_role_label: "recepcja", "urzędnik", "administrator" in the
 * request's language. */
const char *staff_role_label(struct request *, enum role);

#endif
