/*
 * cmd_person.c: one citizen's data on request (lib/person.h).
 *
 *   wizyta person export CONTACT   everything about the person with that
 *                                  e-mail address or phone number, as JSON
 *                                  on stdout (RODO art. 15)
 *   wizyta person erase CONTACT    erase it now (art. 17); refused while
 *                                  they have a live booking
 *
 * Both are audited as the command line, with counts only.
 */
#include <stdio.h>
#include <time.h>

#include "cli.h"
#include "person.h"

static int
contact_arg(int argc, char **argv, const char *verb, struct person_contact *p)
{
	struct error err;

	if (argc != 1) {
		fprintf(
		    stderr, "usage: wizyta -c FILE person %s CONTACT\n", verb);
		return 2;
	}
	error_clear(&err);
	if (person_contact_parse(argv[0], p, &err) != 0) {
		fprintf(stderr, "wizyta: person %s: %s\n", verb, err.msg);
		return 2;
	}
	return 0;
}

static int
cmd_person_export(const struct config *c, int argc, char **argv)
{
	struct actor cli = actor_cli();
	struct person_contact p;
	struct store *s;
	struct error err;
	json_t *doc = NULL;
	int rc;

	(void)c;
	if ((rc = contact_arg(argc, argv, "export", &p)) != 0)
		return rc;
	if ((s = cli_store_open(c)) == NULL)
		return 1;
	error_clear(&err);
	if (person_export(s, &p, &cli, time(NULL), &doc, &err) != 0) {
		fprintf(stderr, "wizyta: person export: %s\n", err.msg);
		rc = 1;
	} else if (json_dumpf(doc, stdout,
	               JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
	           fputc('\n', stdout) == EOF || fflush(stdout) != 0) {
		fprintf(stderr, "wizyta: person export: cannot write\n");
		rc = 1;
	}
	json_decref(doc);
	store_close(s);
	return rc;
}

static int
cmd_person_erase(const struct config *c, int argc, char **argv)
{
	struct actor cli = actor_cli();
	struct person_contact p;
	struct retention_report r;
	struct store *s;
	struct error err;
	unsigned found, loose;
	int rc;

	if ((rc = contact_arg(argc, argv, "erase", &p)) != 0)
		return rc;
	if ((s = cli_store_open(c)) == NULL)
		return 1;
	error_clear(&err);
	if (person_erase(s, &p, &cli, time(NULL), &r, &found, &err) != 0) {
		fprintf(stderr, "wizyta: person erase: %s\n", err.msg);
		rc = 1;
	} else {
		printf("erased bookings=%u outbox=%u inbox=%u events=%u"
		       " optouts=%u waitlist=%u\n",
		    r.erased.bookings, r.erased.outbox, r.erased.inbox,
		    r.erased.events, r.erased.optouts, r.erased.waitlist);
		loose = r.erased.outbox + r.erased.inbox + r.erased.optouts +
		        r.erased.waitlist;
		if (found == 0 && loose == 0)
			fprintf(stderr, "wizyta: nothing is held about %s\n",
			    argv[0]);
		if (!r.compacted)
			fputs(CLI_NOT_YET_COMPACTED, stderr);
	}
	store_close(s);
	return rc;
}

const struct cli_command cli_person_export = {
    .name = "person export",
    .usage = "CONTACT",
    .help = "print as JSON everything held about the person with this "
            "e-mail or phone (audited)",
    .run = cmd_person_export,
};

const struct cli_command cli_person_erase = {
    .name = "person erase",
    .usage = "CONTACT",
    .help = "erase the personal data of the person with this e-mail or "
            "phone now (audited)",
    .run = cmd_person_erase,
};
