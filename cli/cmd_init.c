/*
 * cmd_init.c: wizyta init: create the database or migrate it to this
 * program's schema. Idempotent; refuses a database newer than the program.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "cli.h"
#include "store.h"

/* tighten: a database made by an older wizyta (or copied in) may be
 * readable by every local user; it holds citizens' details and password
 * hashes. Owner only, and say so. */
static void
tighten(const char *db)
{
	static const char *const suffix[] = {"", "-wal", "-shm"};
	char path[4200];
	struct stat st;
	size_t i;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s%s", db, suffix[i]);
		if (stat(path, &st) != 0 || (st.st_mode & 077) == 0)
			continue;
		if (chmod(path, st.st_mode & 0700) == 0)
			printf(
			    "%s was readable by others: now owner only (%o)\n",
			    path, (unsigned)(st.st_mode & 0700));
		else
			fprintf(stderr,
			    "wizyta: %s is readable by others and"
			    " cannot be changed: chmod 600 it\n",
			    path);
	}
}

static int
cmd_init(const struct config *c, int argc, char **argv)
{
	struct store *s;
	struct error err;
	char where[512];
	int from, to;

	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "wizyta: init takes no arguments\n");
		return 2;
	}
	error_clear(&err);
	store_locator_display(c->database, where, sizeof where);
	if ((s = store_open(c->database, &err)) == NULL) {
		cli_store_error(c->database, &err);
		return 1;
	}
	if (store_migrate(s, &from, &to, &err) != 0) {
		fprintf(stderr, "wizyta: %s: %s\n", where, err.msg);
		store_close(s);
		return 1;
	}
	store_close(s);
	if (!store_locator_is_postgresql(c->database))
		tighten(c->database_path);
	if (from == to)
		printf("database %s is up to date (schema %d)\n", where, to);
	else if (from == 0)
		printf("database %s created (schema %d)\n", where, to);
	else
		printf("database %s migrated from schema %d to %d\n", where,
		    from, to);
	return 0;
}

const struct cli_command cli_init = {
    .name = "init",
    .usage = "",
    .help = "create the database or migrate it to this version (idempotent)",
    .run = cmd_init,
};
