/*
 * fill.h: a catalog text with named blanks filled in — "Za wcześnie:
 * wizyta o {time}, wejście od {from}" — so each language keeps whole
 * sentences in its own word order (a blank its catalog text does not name
 * is simply unused; one the caller does not give stays as written).
 *
 *	char *s = page_fill(rq, "rc_too_early", "time", "12:00",
 *	    "from", "11:00", (const char *)NULL);
 *	…
 *	free(s);
 */
#ifndef WIZYTA_WEB_FILL_H
#define WIZYTA_WEB_FILL_H

#include <jansson.h>

#include "http.h"

/* page_fill: the catalog's key in the request's language, blanks filled
 * from the name, value pairs ending with a NULL name; caller frees */
char *page_fill(struct request *, const char *key, ...)
    __attribute__((sentinel));
/* page_fill_set: obj[member] = page_fill(…); the same arguments after */
void page_fill_set(json_t *obj, const char *member, struct request *,
    const char *key, ...) __attribute__((sentinel));

#endif
