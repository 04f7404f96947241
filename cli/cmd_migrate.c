/*
 * cmd_migrate.c: wizyta migrate-to-postgresql OTHER: an SQLite office
 * copied whole into an empty PostgreSQL database. The argument names the
 * database the configuration does not: run with the SQLite office's
 * configuration, it is the PostgreSQL connection string (the target);
 * run with the new configuration ([database] backend = postgresql), it is
 * the SQLite file (the source). The copy itself is store_copy
 * (lib/store_copy.c): one transaction, ids kept; a second run refuses,
 * the first one's data being there. wizytad must be stopped (its lock on
 * the file is taken here); stop wizyta-web too, or bookings made during
 * the copy stay behind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "store.h"

static int
cmd_migrate(const struct config *c, int argc, char **argv)
{
	struct store_copy_report rep;
	struct store *from = NULL, *to = NULL;
	char where[512], *target = NULL;
	const char *source;
	struct error err;
	struct stat st;
	int rc = 1;

	if (argc != 1) {
		fprintf(stderr,
		    "wizyta: migrate-to-postgresql CONNINFO (with the"
		    " SQLite office's configuration) or FILE (with"
		    " [database] backend = postgresql)\n");
		return 2;
	}
	if (store_locator_is_postgresql(c->database)) {
		source = argv[0];
		if ((target = strdup(c->database)) == NULL)
			abort();
	} else {
		size_t n = strlen(argv[0]) + sizeof "postgresql:";

		source = c->database_path;
		if ((target = malloc(n)) == NULL)
			abort();
		snprintf(target, n, "%s%s",
		    store_locator_is_postgresql(argv[0]) ? "" : "postgresql:",
		    argv[0]);
	}
	store_locator_display(target, where, sizeof where);
	error_clear(&err);
	/* an absent file would be made, empty, by opening it */
	if (stat(source, &st) != 0) {
		fprintf(
		    stderr, "wizyta: %s: no SQLite database to copy\n", source);
		goto out;
	}
	if ((from = store_open(source, &err)) == NULL) {
		fprintf(stderr, "wizyta: %s: %s\n", source, err.msg);
		goto out;
	}
	if (store_lock_process(from, "wizytad", &err) != 0) {
		fprintf(stderr, "wizyta: %s: %s (stop wizytad first)\n", source,
		    err.msg);
		goto out;
	}
	if ((to = store_open(target, &err)) == NULL) {
		cli_store_error(target, &err);
		goto out;
	}
	if (store_copy(from, to, &rep, &err) != 0) {
		fprintf(stderr, "wizyta: copy %s to %s: %s (nothing copied)\n",
		    source, where, err.msg);
		goto out;
	}
	printf("copied %s to %s: %u tables, %lld rows (schema %d)\n", source,
	    where, rep.tables, rep.rows, STORE_SCHEMA_VERSION);
	if (!store_locator_is_postgresql(c->database))
		printf("now set [database] backend = postgresql and conninfo in"
		       " %s, and start wizytad and wizyta-web\n",
		    c->path);
	rc = 0;
out:
	store_close(to);
	store_close(from);
	free(target);
	return rc;
}

const struct cli_command cli_migrate_to_postgresql = {
    .name = "migrate-to-postgresql",
    .usage = "CONNINFO|FILE",
    .help = "copy the SQLite office into an empty PostgreSQL database"
            " (the argument names the one the configuration does not)",
    .run = cmd_migrate,
};
