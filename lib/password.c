/*
 * password.c: argon2id with OWASP's minimum (19 MiB, 2 passes, 1 lane): a
 * login costs tens of milliseconds, a stolen database costs an attacker
 * years. Salts are 16 random bytes.
 */
#include <string.h>

#include <argon2.h>

#include "password.h"
#include "token.h"

#define PASSWORD_T_COST 2
#define PASSWORD_M_COST (19 * 1024)
#define PASSWORD_LANES 1

int
password_hash(const char *password, char *out, size_t size, struct error *err)
{
	unsigned char salt[16];
	int rc;

	if (strlen(password) < 10)
		return error_set(err, ERROR_INVALID, "password too short: use at least 10 characters");
	token_random(salt, sizeof salt);
	rc = argon2id_hash_encoded(PASSWORD_T_COST, PASSWORD_M_COST, PASSWORD_LANES,
	    password, strlen(password), salt, sizeof salt, 32, out, size);
	if (rc != ARGON2_OK)
		return error_set(err, ERROR_INTERNAL, "argon2: %s", argon2_error_message(rc));
	return 0;
}

bool
password_verify(const char *encoded, const char *password)
{
	return argon2id_verify(encoded, password, strlen(password)) == ARGON2_OK;
}
