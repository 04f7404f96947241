/*
 * url.h: percent-encoding (RFC 3986 2.1) and form decoding
 * (application/x-www-form-urlencoded: '+' is a blank), shared by the web
 * site, the SMS callbacks and the HTTP SMS providers.
 */
#ifndef WIZYTA_URL_H
#define WIZYTA_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* hex_value: 0-15 for a hex digit, -1 otherwise. */
int hex_value(int c);
/* url_encode: append s with everything but unreserved characters escaped. */
void url_encode(struct buf *, const char *s);
/* url_decode: decode the first n bytes of s in place ('+' → ' ', %XX →
 * byte; a malformed escape is kept as it is); NUL-terminates, returns the
 * new length. */
size_t url_decode(char *s, size_t n);
/* url_decode_path: the same for a URL path, where '+' is a plus. */
size_t url_decode_path(char *s, size_t n);
/* url_local_path: s is a path on this site ("/staff/desk?x=1") and not
 * another site in disguise ("//evil", "/\\evil", "https://…", control
 * characters): safe to redirect to after signing in. */
bool url_local_path(const char *s);

#endif
