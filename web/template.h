/*
 * template.h: the one template engine of wizyta-web, a small mustache over
 * jansson values. Output is HTML-escaped by default:
 *
 *   {{name}}  {{a.b}}  {{.}}     escaped value (strings, numbers)
 *   {{{name}}}                   raw: only for HTML we rendered ourselves
 *                                (the page body in the layout, the QR SVG)
 *   {{#x}}…{{/x}}                a list: once per item; an object: once with
 *                                it on the stack; else once when truthy
 *   {{^x}}…{{/x}}                when x is missing, false, null, "" or []
 *   {{>partial}}                 templates/partial.html with the same data
 *   {{! comment }}
 *
 * Names are looked up from the innermost section outwards. Templates are
 * the embedded assets "templates/NAME.html".
 */
#ifndef WIZYTA_WEB_TEMPLATE_H
#define WIZYTA_WEB_TEMPLATE_H

#include <jansson.h>

#include "buf.h"
#include "error.h"

/* template_render: append templates/NAME.html rendered over data to out. */
int template_render(
    const char *name, json_t *data, struct buf *out, struct error *);
/* template_render_text: the same for a template given as text. */
int template_render_text(const char *text, size_t len, json_t *data,
    struct buf *out, struct error *);
/* html_escape: append text with & < > " ' escaped. */
void html_escape(struct buf *, const char *text);

#endif
