/*
 * wizyta.c: the admin command line: wizyta -c FILE COMMAND [ARGS].
 */
#include <getopt.h>
#include <stdbool.h>
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
    &cli_operator_contact,
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
	if ((s = store_open(c->database, &err)) == NULL) {
		cli_store_error(c->database, &err);
		return NULL;
	}
	if (store_check_schema(s, &err) != 0) {
		fprintf(stderr, "wizyta: %s: %s\n",
		    store_locator_display(c->database, where, sizeof where),
		    err.msg);
		store_close(s);
		return NULL;
	}
	return s;
}

void
cli_store_error(const char *locator, const struct error *err)
{
	/* store_open's errors name the database themselves */
	if (store_locator_is_postgresql(locator) &&
	    strcmp(err->code, "unavailable") == 0)
		fprintf(stderr,
		    "wizyta: %s (is the PostgreSQL server running, and"
		    " [database] conninfo right?)\n",
		    err->msg);
	else
		fprintf(stderr, "wizyta: %s\n", err->msg);
}

#define NCOMMANDS (sizeof cli_commands / sizeof cli_commands[0])

static void
usage(FILE *out)
{
	size_t i;

	fprintf(out, "usage: wizyta -c FILE [-v] COMMAND [ARGS]\n"
	             "       wizyta -h | COMMAND --help\n\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %s%s%s\n      %s\n", cli_commands[i]->name,
		    cli_commands[i]->usage[0] ? " " : "",
		    cli_commands[i]->usage, cli_commands[i]->help);
}

/* group_length: the length of the group word of a two-word command
 * ("operator" of "operator add"), 0 for a one-word one */
static size_t
group_length(const struct cli_command *cmd)
{
	const char *space = strchr(cmd->name, ' ');

	return space != NULL ? (size_t)(space - cmd->name) : 0;
}

static bool
in_group(const struct cli_command *cmd, const char *group)
{
	size_t n = group_length(cmd);

	return n > 0 && strlen(group) == n && strncmp(cmd->name, group, n) == 0;
}

/* group_usage: the commands of one group ("operator"), as usage does */
static void
group_usage(FILE *out, const char *group)
{
	size_t i;

	fprintf(out,
	    "usage: wizyta -c FILE %s SUBCOMMAND [ARGS]\n\n"
	    "subcommands:\n",
	    group);
	for (i = 0; i < NCOMMANDS; i++)
		if (in_group(cli_commands[i], group))
			fprintf(out, "  %s%s%s\n      %s\n",
			    cli_commands[i]->name,
			    cli_commands[i]->usage[0] ? " " : "",
			    cli_commands[i]->usage, cli_commands[i]->help);
}

static bool
is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* find_command: the command argv names (*words: how many words its name
 * took), or NULL */
static const struct cli_command *
find_command(int argc, char **argv, int *words)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++) {
		const struct cli_command *cmd = cli_commands[i];

		if (group_length(cmd) > 0) {
			if (argc >= 2 && in_group(cmd, argv[0]) &&
			    strcmp(argv[1],
			        cmd->name + group_length(cmd) + 1) == 0) {
				*words = 2;
				return cmd;
			}
		} else if (strcmp(argv[0], cmd->name) == 0) {
			*words = 1;
			return cmd;
		}
	}
	return NULL;
}

/* not_a_command: argv[0] (and argv[1]) name no command: a group without
 * its subcommand lists the group (--help: on stdout, exit 0), anything
 * else says what is wrong; the exit status */
static int
not_a_command(int argc, char **argv)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (in_group(cli_commands[i], argv[0]))
			break;
	if (i == NCOMMANDS) {
		fprintf(stderr,
		    "wizyta: unknown command '%s' (wizyta -h lists them)\n",
		    argv[0]);
		return 2;
	}
	if (argc >= 2 && is_help(argv[1])) {
		group_usage(stdout, argv[0]);
		return 0;
	}
	if (argc < 2)
		fprintf(stderr, "wizyta: %s: which one?\n", argv[0]);
	else
		fprintf(stderr, "wizyta: %s: unknown subcommand '%s'\n",
		    argv[0], argv[1]);
	group_usage(stderr, argv[0]);
	return 2;
}

int
main(int argc, char **argv)
{
	static const struct option long_options[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const struct cli_command *cmd;
	const char *config_path = NULL;
	struct config *config;
	struct error err;
	int ch, rc, words = 0;

	/* the database it creates (init) holds personal data: owner only */
	umask(077);
	log_init("wizyta", LOG_LEVEL_WARN);
	opterr = 0;
	while (
	    (ch = getopt_long(argc, argv, "+c:hv", long_options, NULL)) != -1) {
		switch (ch) {
		case 'c': config_path = optarg; break;
		case 'v': log_set_level(LOG_LEVEL_INFO); break;
		case 'h': usage(stdout); return 0;
		default:
			if (optopt == 'c')
				fprintf(stderr, "wizyta: -c needs the"
				                " configuration file\n");
			else if (optopt != 0)
				fprintf(stderr, "wizyta: unknown option -%c\n",
				    optopt);
			else
				fprintf(stderr, "wizyta: unknown option %s\n",
				    argv[optind - 1]);
			fprintf(stderr, "(wizyta -h lists the options and"
			                " commands)\n");
			return 2;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		fprintf(stderr, "wizyta: no command given\n");
		usage(stderr);
		return 2;
	}
	if ((cmd = find_command(argc, argv, &words)) == NULL)
		return not_a_command(argc, argv);
	/* COMMAND --help needs no configuration */
	if (argc > words && is_help(argv[words])) {
		printf("usage: wizyta -c FILE %s%s%s\n\n%s\n", cmd->name,
		    cmd->usage[0] ? " " : "", cmd->usage, cmd->help);
		return 0;
	}
	if (config_path == NULL) {
		fprintf(stderr,
		    "wizyta: %s: no configuration: give -c FILE (the daemons'"
		    " file, e.g. -c /etc/wizyta/wizyta.conf)\n",
		    cmd->name);
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
	rc = cmd->run(config, argc - words, argv + words);
	config_free(config);
	return rc;
}
