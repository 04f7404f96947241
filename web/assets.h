/*
 * assets.h: templates, the catalogs, the stylesheet and the OpenAPI document,
 * compiled into the binary by tools/embed.sh (assets.c is generated), so
 * wizyta-web needs no data directory. Names are paths under web/:
 * "templates/home.html", "static/style.css", "i18n/pl.json".
 */
#ifndef WIZYTA_WEB_ASSETS_H
#define WIZYTA_WEB_ASSETS_H

#include <stddef.h>

struct asset {
	const char *name;
	const unsigned char *data; /* NUL-terminated (not counted in len) */
	size_t len;
};

extern const struct asset assets[]; /* ends with a NULL name */

/* asset_find: the asset of that name, or NULL. */
const struct asset *asset_find(const char *name);

#endif
