/*
 * token.c: references, access codes and secrets from getrandom(2).
 * Rejection sampling keeps every symbol equally likely (no modulo bias).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <gnutls/crypto.h>

#include "token.h"

static const char reference_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

void
token_random(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			abort();	/* no entropy: refusing is safer than guessing */
		}
		p += got;
		n -= (size_t)got;
	}
}

void
token_reference(char out[REFERENCE_LEN + 1])
{
	unsigned char bytes[REFERENCE_LEN];
	size_t i;

	token_random(bytes, sizeof bytes);
	/* 32 symbols: the low 5 bits of a byte are uniform */
	for (i = 0; i < REFERENCE_LEN; i++)
		out[i] = reference_alphabet[bytes[i] & 31];
	out[REFERENCE_LEN] = '\0';
}

bool
token_reference_valid(const char *s)
{
	size_t i;

	if (strlen(s) != REFERENCE_LEN)
		return false;
	for (i = 0; i < REFERENCE_LEN; i++)
		if (strchr(reference_alphabet, s[i]) == NULL || s[i] == '\0')
			return false;
	return true;
}

/* A code a person would guess: all one digit, or a run up or down. */
static bool
access_code_guessable(const char *code)
{
	int i, up = 1, down = 1, same = 1;

	for (i = 1; i < ACCESS_CODE_LEN; i++) {
		int diff = code[i] - code[i - 1];

		up &= diff == 1;
		down &= diff == -1;
		same &= diff == 0;
	}
	return up || down || same;
}

void
token_access_code(char out[ACCESS_CODE_LEN + 1])
{
	do {
		uint32_t v;

		/* rejection sampling below the largest multiple of 10^6 */
		do
			token_random(&v, sizeof v);
		while (v >= 4294000000u);
		snprintf(out, ACCESS_CODE_LEN + 1, "%06u", v % 1000000u);
	} while (access_code_guessable(out));
}

bool
token_access_code_valid(const char *s)
{
	size_t i;

	if (strlen(s) != ACCESS_CODE_LEN)
		return false;
	for (i = 0; i < ACCESS_CODE_LEN; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

void
token_hex(char *out, size_t nbytes)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b;
	size_t i;

	for (i = 0; i < nbytes; i++) {
		token_random(&b, 1);
		out[2 * i] = hex[b >> 4];
		out[2 * i + 1] = hex[b & 15];
	}
	out[2 * nbytes] = '\0';
}

bool
token_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;
	unsigned char diff = (unsigned char)(la != lb);

	/* compare over the longer length so timing does not leak a prefix */
	for (i = 0; i < (la > lb ? la : lb); i++) {
		unsigned char x = i < la ? (unsigned char)a[i] : 0;
		unsigned char y = i < lb ? (unsigned char)b[i] : 0;

		diff |= x ^ y;
	}
	return diff == 0;
}

void
token_digest(const char *token, char out[TOKEN_DIGEST_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char digest[32];
	size_t i;

	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, token, strlen(token), digest) !=
	    0)
		abort();
	for (i = 0; i < sizeof digest; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[TOKEN_DIGEST_LEN] = '\0';
}
