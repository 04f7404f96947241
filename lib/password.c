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

/* a hash with the same parameters that no password opens (its own was
 * thrown away): verifying against it costs what a real check costs */
static const char PASSWORD_DUMMY[] =
    "$argon2id$v=19$m=19456,t=2,p=1$82+lL/vXDtNFdl7xbGJ0/w$"
    "bI6RaTm9wVFklmko/wKOfjjt2HXTSVeF9jdGjYwV3m8";

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
	/* an empty or foreign hash would fail fast: burn the same time */
	if (encoded == NULL || strncmp(encoded, "$argon2id$", 10) != 0)
		encoded = PASSWORD_DUMMY;
	return argon2id_verify(encoded, password, strlen(password)) ==
	           ARGON2_OK &&
	       encoded != PASSWORD_DUMMY;
}

void
password_burn(const char *password)
{
	(void)password_verify(PASSWORD_DUMMY, password);
}
