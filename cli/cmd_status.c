/*
 * cmd_status.c: wizyta status: channel health as wizytad last saw it,
 * the outbox backlog per channel, and the dead letters staff must look at.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "log.h"
#include "store.h"

static void
print_health(struct store *s, const char *what)
{
	char key[64], value[512];

	snprintf(key, sizeof key, "health.%s", what);
	if (store_kv_get(s, key, value, sizeof value) != 0)
		snprintf(value, sizeof value, "unknown (wizytad has not reported)");
	printf("  %-8s %s\n", what, value);
}

/* print_sms_replies: can citizens answer our SMS? (config_sms_two_way) */
static void
print_sms_replies(const struct config *c)
{
	const char *why;

	if (strcmp(c->sms_provider, "none") == 0)
		return;
	if (config_sms_two_way(c, &why))
		printf("  %-8s two-way: phones reply to %s; the SMS ask for "
		       "TAK or NIE\n",
		    "replies", c->sms_sender);
	else
		printf(
		    "  %-8s one-way: %s. The SMS carry the confirm link "
		    "instead of"
		    " asking for TAK/NIE. Two-way SMS needs a numeric sender "
		    "(a long"
		    " number or a two-way short code from the operator) and the"
		    " provider's inbound callback\n",
		    "replies", why);
}

static int
cmd_status(const struct config *c, int argc, char **argv)
{
	static const char *const channels[] = { "email", "sms" };
	struct outbox_message *list = NULL;
	struct store *s;
	struct error err;
	size_t n = 0, i;
	unsigned dead = 0;
	int rc = 0;

	(void)argc;
	(void)argv;
	error_clear(&err);
	if ((s = cli_store_open(c)) == NULL)
		return 1;
	printf("channels:\n");
	print_health(s, "email");
	print_health(s, "sms");
	print_health(s, "inbound");
	print_sms_replies(c);
	printf("outbox:\n");
	for (i = 0; i < 2; i++) {
		struct outbox_stats st;

		if (store_outbox_stats(s, channels[i], &st, &err) != 0) {
			fprintf(stderr, "wizyta: %s\n", err.msg);
			rc = 1;
			goto out;
		}
		printf("  %-6s queued=%u sending=%u sent=%u delivered=%u failed=%u"
		    " dead=%u suppressed=%u", channels[i], st.queued, st.sending, st.sent,
		    st.delivered, st.failed, st.dead, st.suppressed);
		if (st.oldest_queued > 0)
			printf(" oldest_queued_age=%llds",
			    (long long)(time(NULL) - st.oldest_queued));
		printf("\n");
		dead += st.dead + st.failed;
	}
	if (dead > 0) {
		printf("dead letters and failures (newest first):\n");
		if (store_outbox_list(s, NULL, 0, 1000, &list, &n, &err) != 0) {
			fprintf(stderr, "wizyta: %s\n", err.msg);
			rc = 1;
			goto out;
		}
		for (i = 0; i < n; i++)
			if (list[i].status == OUTBOX_DEAD ||
			    list[i].status == OUTBOX_FAILED) {
				char why[256];

				/* the server's words, without the address they
				 * may quote: this output ends up in tickets */
				log_clean(list[i].last_error, why, sizeof why);
				printf("  message=%lld booking=%lld %s %s %s: "
				       "%s\n",
				    (long long)list[i].id,
				    (long long)list[i].booking_id,
				    list[i].channel, list[i].kind,
				    outbox_status_name(list[i].status), why);
			}
		outbox_list_free(list, n);
	}
out:
	store_close(s);
	return rc;
}

const struct cli_command cli_status = {
	.name = "status",
	.usage = "",
	.help = "channel health, outbox backlog and dead letters",
	.run = cmd_status,
};
