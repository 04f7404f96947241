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
/* password_verify: false for a wrong password and for a missing or foreign
 * hash — in the same time as a real check (no fast path to time). */
bool password_verify(const char *encoded, const char *password);
/* password_burn: spend a verification's time on nothing, so that an unknown
 * login answers as slowly as a wrong password */
void password_burn(const char *password);

#endif
