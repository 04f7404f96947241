/*
 * cmd_backup.c: wizyta backup DEST — a consistent copy of the database
 * while wizytad and wizyta-web keep writing (store_backup: SQLite's online
 * backup from one snapshot). DEST must not exist; it is created 0600,
 * checked with integrity_check and is one self-contained file that
 * `[database] path = DEST` opens. Restoring is copying it back while the
 * daemons are stopped (wizyta(1), RESTORING).
 */
#include <stdio.h>

#include "cli.h"
#include "store.h"

static int
cmd_backup(const struct config *c, int argc, char **argv)
{
	struct store *s;
	struct error err;
	long pages, page_size;
	int rc = 0;

	if (argc != 1 || argv[0][0] == '\0' || argv[0][0] == '-') {
		fprintf(stderr, "usage: wizyta -c FILE backup DEST\n");
		return 2;
	}
	if ((s = cli_store_open(c)) == NULL)
		return 1;
	error_clear(&err);
	if (store_backup(s, argv[0], &pages, &page_size, &err) != 0) {
		fprintf(stderr, "wizyta: backup: %s\n", err.msg);
		rc = 1;
	} else
		printf("backup %s: %ld pages of %ld bytes, integrity ok\n",
		    argv[0], pages, page_size);
	store_close(s);
	return rc;
}

const struct cli_command cli_backup = {
    .name = "backup",
    .usage = "DEST",
    .help = "write a consistent copy of the database to the new file DEST "
            "(0600) while the daemons run",
    .run = cmd_backup,
};
