/*
 * utf8.h: decoding one UTF-8 sequence strictly (RFC 3629 sections 3-4:
 * shortest form only, no surrogates, nothing past U+10FFFF). The one
 * decoder behind name checks, SMS costs, reply reading and the checks at
 * every boundary where outside bytes come in (web requests, SMS callbacks,
 * strings read back from the store): jansson refuses invalid UTF-8, so
 * nothing that goes into JSON may carry it.
 */
#ifndef WIZYTA_UTF8_H
#define WIZYTA_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* utf8_decode: the length (1-4) of the sequence at s and its code point in
 * *cp, or 0 when the bytes are not valid UTF-8 (len counts the bytes
 * available; a NUL is an ordinary byte). */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* utf8_valid: the len bytes at s are valid UTF-8 without any NUL. */
bool utf8_valid(const char *s, size_t len);

/* utf8_sanitize: append the len bytes at s to out, every invalid sequence
 * (and NUL) replaced by U+FFFD. */
void utf8_sanitize(struct buf *out, const char *s, size_t len);

/* utf8_copy: the C string src into dst (size bytes with the NUL), invalid
 * sequences replaced by U+FFFD, cut on a character boundary when it does
 * not fit: the result is always valid UTF-8. */
void utf8_copy(char *dst, size_t size, const char *src);

/* utf8_text_valid: len bytes of valid UTF-8 without control characters
 * (C0, C1, DEL): text fit for a name, a header or a configuration value. */
bool utf8_text_valid(const char *s, size_t len);

#endif
