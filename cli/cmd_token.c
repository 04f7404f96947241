/*
 * cmd_token.c: API tokens for operators (CONTRACT.md).
 *
 *   wizyta token add LOGIN      a new token, printed once, alone on one
 *                               line of stdout (notes go to stderr), so
 *                               TOKEN=$(wizyta -c F token add anna) works
 *   wizyta token revoke LOGIN   revoke every token of that operator
 *
 * The database keeps only the token's SHA-256 (lib/auth.h); both are
 * written to the audit log (as the CLI). API calls then carry
 * "Authorization: Bearer TOKEN".
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "cli.h"
#include "store.h"

static int
cmd_token_add(const struct config *c, int argc, char **argv)
{
	struct actor cli = actor_cli();
	char token[AUTH_TOKEN_LEN + 1];
	struct store *s;
	struct error err;
	int rc = 0;

	if (argc != 1) {
		fprintf(stderr, "usage: wizyta -c FILE token add LOGIN\n");
		return 2;
	}
	if ((s = cli_store_open(c)) == NULL)
		return 1;
	error_clear(&err);
	if (auth_token_add(
	        s, argv[0], &cli, time(NULL), token, sizeof token, &err) != 0) {
		fprintf(stderr, "wizyta: token add: %s\n", err.msg);
		rc = 1;
	} else {
		fprintf(stderr,
		    "wizyta: a new API token for %s (shown only now;"
		    " send it as Authorization: Bearer TOKEN):\n",
		    argv[0]);
		printf("%s\n", token);
		fflush(stdout);
		explicit_bzero(token, sizeof token);
	}
	store_close(s);
	return rc;
}

static int
cmd_token_revoke(const struct config *c, int argc, char **argv)
{
	struct actor cli = actor_cli();
	struct store *s;
	struct error err;
	unsigned count = 0;
	int rc = 0;

	if (argc != 1) {
		fprintf(stderr, "usage: wizyta -c FILE token revoke LOGIN\n");
		return 2;
	}
	if ((s = cli_store_open(c)) == NULL)
		return 1;
	error_clear(&err);
	if (auth_token_revoke(s, argv[0], &cli, time(NULL), &count, &err) !=
	    0) {
		fprintf(stderr, "wizyta: token revoke: %s\n", err.msg);
		rc = 1;
	} else
		fprintf(stderr, "wizyta: %u token%s of %s revoked\n", count,
		    count == 1 ? "" : "s", argv[0]);
	store_close(s);
	return rc;
}

const struct cli_command cli_token_add = {
    .name = "token add",
    .usage = "LOGIN",
    .help = "issue an API token for an operator (printed once on stdout)",
    .run = cmd_token_add,
};

const struct cli_command cli_token_revoke = {
    .name = "token revoke",
    .usage = "LOGIN",
    .help = "revoke every API token of an operator",
    .run = cmd_token_revoke,
};
