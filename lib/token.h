/*
 * token.h: unguessable identifiers from the kernel CSPRNG (getrandom(2)).
 */
#ifndef WIZYTA_TOKEN_H
#define WIZYTA_TOKEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#define REFERENCE_LEN 10	/* 10 × 5 bits = 50 bits */
#define ACCESS_CODE_LEN 6

/* token_random: fill buf with n random bytes; aborts if the kernel fails. */
void token_random(void *buf, size_t n);
/* token_reference: 10 chars of [A-Z2-9] without the look-alikes I, O, 0, 1. */
void token_reference(char out[REFERENCE_LEN + 1]);
bool token_reference_valid(const char *);
/* token_access_code: 6 digits, never a run like 123456 or 111111. */
void token_access_code(char out[ACCESS_CODE_LEN + 1]);
bool token_access_code_valid(const char *);
/* token_hex: 2n hex characters of n random bytes (CSRF, sessions). */
void token_hex(char *out, size_t nbytes);
/* token_digest: the SHA-256 of a secret token, in hex — what the database
 * keeps of session cookies and API tokens (they carry 256 random bits, so
 * a fast hash is enough: there is nothing to guess). */
#define TOKEN_DIGEST_LEN 64
void token_digest(const char *token, char out[TOKEN_DIGEST_LEN + 1]);
/* token_equal: constant-time comparison of two NUL-terminated strings. */
bool token_equal(const char *a, const char *b);

#endif
