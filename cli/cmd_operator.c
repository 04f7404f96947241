/*
 * cmd_operator.c: staff accounts.
 *
 *   wizyta operator add LOGIN --role admin|staff|reception [--name NAME]
 *       the password is read from standard input (one line), never from
 *       the command line where `ps` would show it; on a terminal it is
 *       asked for twice, without echo
 *   wizyta operator disable LOGIN   no more sign-ins; sessions end,
 *                                   tokens stop
 *   wizyta operator enable LOGIN
 *   wizyta operator contact LOGIN [--email A] [--phone N] [--clear]
 *       the account's own contact (test messages); a citizen's erasure
 *       refuses while it is theirs (lib/person.h)
 *
 * Every change is written to the audit log (as the CLI).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "accounts.h"
#include "auth.h"
#include "cli.h"
#include "password.h"
#include "store.h"

/* read_line: one line of standard input without its end; on a terminal
 * the prompt goes to stderr and the typing is not echoed. false at the
 * end of input. */
static bool
read_line(const char *prompt, char *buf, size_t size)
{
	struct termios was, quiet;
	bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &was) == 0;
	bool got;

	if (tty) {
		/* echo off before the prompt, and nothing typed thrown away:
		 * a quick typist (or a script) may answer the moment it shows
		 */
		quiet = was;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
		fprintf(stderr, "%s", prompt);
		fflush(stderr);
	}
	got = fgets(buf, (int)size, stdin) != NULL;
	if (tty) {
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &was);
		fputc('\n', stderr);
	}
	if (got)
		buf[strcspn(buf, "\r\n")] = '\0';
	return got;
}

/* read_password: from a pipe one line; on a terminal asked twice, the
 * two must match. 0, or 1 with the reason said. */
static int
read_password(char *password, size_t size)
{
	char again[256];
	int rc = 0;

	if (!read_line("Password: ", password, size)) {
		fprintf(stderr,
		    "wizyta: operator add: no password on standard input\n");
		return 1;
	}
	if (!isatty(STDIN_FILENO))
		return 0;
	if (!read_line("Password again: ", again, sizeof again) ||
	    strcmp(again, password) != 0) {
		fprintf(stderr, "wizyta: operator add: the passwords differ; "
		                "nothing was added\n");
		rc = 1;
	}
	explicit_bzero(again, sizeof again);
	return rc;
}

static int
cmd_operator_add(const struct config *c, int argc, char **argv)
{
	struct account op;
	struct store *s;
	struct error err;
	char password[256];
	const char *role = NULL, *name = NULL;
	int64_t id;
	int i;

	if (argc < 1) {
		fprintf(stderr,
		    "usage: wizyta -c FILE operator add LOGIN --role "
		    "admin|staff|reception [--name NAME]\n");
		return 2;
	}
	memset(&op, 0, sizeof op);
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			role = argv[++i];
		else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			name = argv[++i];
		else if (strcmp(argv[i], "--role") == 0 ||
		         strcmp(argv[i], "--name") == 0) {
			fprintf(stderr,
			    "wizyta: operator add: %s needs a value\n",
			    argv[i]);
			return 2;
		} else {
			fprintf(stderr,
			    "wizyta: operator add: unexpected '%s'\n", argv[i]);
			return 2;
		}
	}
	if (role_parse(role, &op.role) != 0) {
		fprintf(stderr, "wizyta: operator add: --role must be admin, "
		                "staff or reception\n");
		return 2;
	}
	if (strlen(argv[0]) == 0 || strlen(argv[0]) >= sizeof op.login) {
		fprintf(stderr, "wizyta: operator add: bad login\n");
		return 2;
	}
	if (read_password(password, sizeof password) != 0) {
		explicit_bzero(password, sizeof password);
		return 1;
	}

	snprintf(op.login, sizeof op.login, "%s", argv[0]);
	snprintf(op.display_name, sizeof op.display_name, "%s",
	    name ? name : argv[0]);
	op.created_at = time(NULL);
	error_clear(&err);
	if (password_hash(password, op.password_hash, sizeof op.password_hash,
	        &err) != 0) {
		explicit_bzero(password, sizeof password);
		fprintf(stderr, "wizyta: operator add: %s\n", err.msg);
		return 1;
	}
	explicit_bzero(password, sizeof password);
	if ((s = cli_store_open(c)) == NULL)
		return 1;
	if (store_operator_add(s, &op, &id, &err) != 0) {
		fprintf(stderr, "wizyta: operator add: %s\n",
		    err.kind == ERROR_CONFLICT ? "that login already exists"
		                               : err.msg);
		store_close(s);
		return 1;
	}
	store_close(s);
	printf("operator %s added (%s)\n", op.login, role_name(op.role));
	return 0;
}

static int
operator_switch(const struct config *c, int argc, char **argv, bool disabled)
{
	const char *verb = disabled ? "disable" : "enable";
	struct actor cli = actor_cli();
	struct store *s;
	struct error err;
	int rc = 0;

	if (argc != 1) {
		fprintf(
		    stderr, "usage: wizyta -c FILE operator %s LOGIN\n", verb);
		return 2;
	}
	if ((s = cli_store_open(c)) == NULL)
		return 1;
	error_clear(&err);
	if (auth_set_disabled(s, argv[0], disabled, &cli, time(NULL), &err) !=
	    0) {
		fprintf(stderr, "wizyta: operator %s: %s\n", verb, err.msg);
		rc = 1;
	} else
		printf("operator %s %sd\n", argv[0], verb);
	store_close(s);
	return rc;
}

static int
cmd_operator_disable(const struct config *c, int argc, char **argv)
{
	return operator_switch(c, argc, argv, true);
}

static int
cmd_operator_enable(const struct config *c, int argc, char **argv)
{
	return operator_switch(c, argc, argv, false);
}

/* cmd_operator_contact: show, set or clear the account's own contact */
static int
cmd_operator_contact(const struct config *c, int argc, char **argv)
{
	const char *email = NULL, *phone = NULL;
	struct actor cli = actor_cli();
	char old_email[256], old_phone[20];
	bool clear = false;
	struct account a;
	struct store *s;
	struct error err;
	int i, rc = 0;

	if (argc < 1 || argv[0][0] == '-') {
		fprintf(stderr,
		    "usage: wizyta -c FILE operator contact LOGIN"
		    " [--email ADDRESS] [--phone NUMBER] [--clear]\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--email") == 0 && i + 1 < argc)
			email = argv[++i];
		else if (strcmp(argv[i], "--phone") == 0 && i + 1 < argc)
			phone = argv[++i];
		else if (strcmp(argv[i], "--clear") == 0)
			clear = true;
		else {
			fprintf(stderr, "wizyta: operator contact: %s\n",
			    strcmp(argv[i], "--email") == 0 ||
			            strcmp(argv[i], "--phone") == 0
			        ? "--email and --phone need a value"
			        : "unexpected argument");
			return 2;
		}
	}
	if (clear && (email != NULL || phone != NULL)) {
		fprintf(stderr, "wizyta: operator contact: --clear or a new"
		                " contact, not both\n");
		return 2;
	}
	if ((s = cli_store_open(c)) == NULL)
		return 1;
	error_clear(&err);
	if (store_operator_by_login(s, argv[0], &a, &err) != 0 ||
	    store_operator_contact_get(s, a.id, old_email, old_phone, &err) !=
	        0) {
		fprintf(stderr, "wizyta: operator contact: %s\n",
		    err.kind == ERROR_NOT_FOUND ? "no operator with that login"
		                                : err.msg);
		rc = 1;
	} else if (!clear && email == NULL && phone == NULL)
		printf("email=%s phone=%s\n", old_email, old_phone);
	else if (account_contact_set(s, a.id,
	             clear   ? ""
	             : email ? email
	                     : old_email,
	             clear   ? ""
	             : phone ? phone
	                     : old_phone,
	             &cli, time(NULL), &err) != 0) {
		fprintf(stderr, "wizyta: operator contact: %s\n", err.msg);
		rc = err.kind == ERROR_INVALID ? 2 : 1;
	} else
		printf("operator %s contact %s\n", a.login,
		    clear ? "cleared" : "set");
	explicit_bzero(a.password_hash, sizeof a.password_hash);
	store_close(s);
	return rc;
}

const struct cli_command cli_operator_add = {
    .name = "operator add",
    .usage = "LOGIN --role admin|staff|reception [--name NAME]  (password "
             "on stdin)",
    .help = "add a staff account",
    .run = cmd_operator_add,
};

const struct cli_command cli_operator_disable = {
    .name = "operator disable",
    .usage = "LOGIN",
    .help = "stop an account: no sign-in, its sessions end, its tokens stop",
    .run = cmd_operator_disable,
};

const struct cli_command cli_operator_enable = {
    .name = "operator enable",
    .usage = "LOGIN",
    .help = "let a disabled account sign in again (also lifts a lockout)",
    .run = cmd_operator_enable,
};

const struct cli_command cli_operator_contact = {
    .name = "operator contact",
    .usage = "LOGIN [--email ADDRESS] [--phone NUMBER] [--clear]",
    .help = "show, set or clear the account's own e-mail and phone (for"
            " test messages; person erase refuses while it matches)",
    .run = cmd_operator_contact,
};
