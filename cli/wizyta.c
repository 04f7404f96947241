/*
 * wizyta.c: the admin command line: wizyta -c FILE COMMAND [ARGS].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"
#include "office_time.h"
#include "store.h"

static const struct cli_command *const cli_commands[] = {
    &cli_init,
    &cli_demo,
    &cli_operator_add,
    &cli_operator_disable,
    &cli_operator_enable,
    &cli_token_add,
    &cli_token_revoke,
    &cli_status,
    &cli_migrate_to_postgresql,
    &cli_backup,
    &cli_purge,
    &cli_person_export,
    &cli_person_erase,
};

struct store *
cli_store_open(const struct config *c)
{
	struct store *s;
	struct error err;
	char where[512];

	error_clear(&err);
	if ((s = store_open(c->database, &err)) == NULL ||
	    store_check_schema(s, &err) != 0) {
		fprintf(stderr, "wizyta: %s: %s\n",
		    store_locator_display(c->database, where, sizeof where),
		    err.msg);
		store_close(s);
		return NULL;
	}
	return s;
}

static void
usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: wizyta -c FILE COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof cli_commands / sizeof cli_commands[0]; i++)
		fprintf(out, "  %s %s\n      %s\n", cli_commands[i]->name,
		    cli_commands[i]->usage, cli_commands[i]->help);
}

int
main(int argc, char **argv)
{
	const char *config_path = NULL;
	struct config *config;
	struct error err;
	size_t i;
	int ch, rc;

	/* the database it creates (init) holds personal data: owner only */
	umask(077);
	log_init("wizyta", LOG_LEVEL_WARN);
	while ((ch = getopt(argc, argv, "+c:hv")) != -1) {
		switch (ch) {
		case 'c':
			config_path = optarg;
			break;
		case 'v':
			log_set_level(LOG_LEVEL_INFO);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (config_path == NULL || argc == 0) {
		usage(stderr);
		return 2;
	}
	error_clear(&err);
	if ((config = config_load(config_path, &err)) == NULL) {
		fprintf(stderr, "wizyta: %s\n", err.msg);
		return 1;
	}
	if (otime_init(config->office_timezone, &err) != 0) {
		char where[1100];

		fprintf(stderr, "wizyta: %s: office.timezone: %s\n",
		    config_where(
		        config, "office", "timezone", where, sizeof where),
		    err.msg);
		config_free(config);
		return 1;
	}
	for (i = 0; i < sizeof cli_commands / sizeof cli_commands[0]; i++) {
		const char *name = cli_commands[i]->name;
		const char *space = strchr(name, ' ');
		int words = space ? 2 : 1;

		if (space != NULL) {
			if (argc < 2 || strncmp(argv[0], name, (size_t)(space - name)) != 0 ||
			    strlen(argv[0]) != (size_t)(space - name) ||
			    strcmp(argv[1], space + 1) != 0)
				continue;
		} else if (strcmp(argv[0], name) != 0)
			continue;
		rc = cli_commands[i]->run(config, argc - words, argv + words);
		config_free(config);
		return rc;
	}
	fprintf(stderr, "wizyta: unknown command '%s'\n", argv[0]);
	usage(stderr);
	config_free(config);
	return 2;
}
