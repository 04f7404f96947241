/*
 * cli.h: the `wizyta` admin command line. Like tmux's cmd-*.c, each command
 * is one file defining one struct cli_command; wizyta.c holds the table.
 */
#ifndef WIZYTA_CLI_H
#define WIZYTA_CLI_H

#include "config.h"

struct cli_command {
	const char *name;  /* "init", "operator add" */
	const char *usage; /* arguments after the name */
	const char *help;
	/* run: argv after the command name; returns the exit status */
	int (*run)(const struct config *, int argc, char **argv);
};

struct store;

/* after an erasure (purge, person erase) whose rebuild of the files had to
 * wait for a daemon's reader (lib/retention.h) */
#define CLI_NOT_YET_COMPACTED                                                  \
	"wizyta: a daemon still reads an older state: the erased bytes leave"  \
	" the database files at wizytad's next try (within a minute)\n"

/* cli_store_open: the database with this program's schema, or NULL after
 * printing why (e.g. "run wizyta init first"). */
struct store *cli_store_open(const struct config *);
/* cli_store_error: why store_open(locator) failed, on stderr, with what
 * to check */
struct error;
void cli_store_error(const char *locator, const struct error *);

extern const struct cli_command cli_init;
extern const struct cli_command cli_demo;
extern const struct cli_command cli_operator_add;
extern const struct cli_command cli_operator_disable;
extern const struct cli_command cli_operator_enable;
extern const struct cli_command cli_operator_contact;
extern const struct cli_command cli_token_add;
extern const struct cli_command cli_token_revoke;
extern const struct cli_command cli_status;
extern const struct cli_command cli_migrate_to_postgresql;
extern const struct cli_command cli_backup;
extern const struct cli_command cli_purge;
extern const struct cli_command cli_person_export;
extern const struct cli_command cli_person_erase;

#endif
