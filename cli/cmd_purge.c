/*
 * cmd_purge.c: wizyta purge — erase now the personal data wizytad would
 * erase at its next daily run ([privacy] retain_days; lib/retention.h),
 * audited as the command line.
 */
#include <stdio.h>
#include <time.h>

#include "cli.h"
#include "retention.h"

static int
cmd_purge(const struct config *c, int argc, char **argv)
{
	struct actor cli = actor_cli();
	struct retention_report r;
	struct store *s;
	struct error err;
	int rc = 0;

	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "usage: wizyta -c FILE purge\n");
		return 2;
	}
	if ((s = cli_store_open(c)) == NULL)
		return 1;
	error_clear(&err);
	if (retention_purge(s, c, &cli, time(NULL), &r, &err) != 0) {
		fprintf(stderr, "wizyta: purge: %s\n", err.msg);
		rc = 1;
	} else {
		printf("purged retain_days=%u bookings=%u outbox=%u inbox=%u"
		       " events=%u sessions=%u waitlist=%u files=%u\n",
		    c->privacy_retain_days, r.erased.bookings, r.erased.outbox,
		    r.erased.inbox, r.erased.events, r.erased.sessions,
		    r.erased.waitlist, r.files);
		if (!r.compacted)
			fputs(CLI_NOT_YET_COMPACTED, stderr);
	}
	store_close(s);
	return rc;
}

const struct cli_command cli_purge = {
    .name = "purge",
    .usage = "",
    .help = "erase now the personal data older than [privacy] retain_days",
    .run = cmd_purge,
};
