/*
 * utf8.h: decoding one UTF-8 sequence strictly (RFC 3629 sections 3-4:
 * shortest form only, no surrogates, nothing past U+10FFFF). The one
 * decoder behind name checks, SMS costs and reply reading.
 */
#ifndef WIZYTA_UTF8_H
#define WIZYTA_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* utf8_decode: the length (1-4) of the sequence at s and its code point in
 * *cp, or 0 when the bytes are not valid UTF-8 (len counts the bytes
 * available; a NUL is an ordinary byte). */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* utf8_text_valid: len bytes of valid UTF-8 without control characters
 * (C0, C1, DEL): text fit for a name, a header or a configuration value. */
bool utf8_text_valid(const char *s, size_t len);

#endif
