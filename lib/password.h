/*
 * password.h: operator passwords as argon2id (libargon2), in the PHC string
 * format so parameters can be raised later without breaking old hashes.
 */
#ifndef WIZYTA_PASSWORD_H
#define WIZYTA_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

#define PASSWORD_HASH_SIZE 160

int password_hash(const char *password, char *out, size_t size, struct error *);
bool password_verify(const char *encoded, const char *password);

#endif
