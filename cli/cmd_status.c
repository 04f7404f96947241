/*
 * cmd_status.c: wizyta status: channel health as wizytad last saw it,
 * the outbox backlog per channel, and the dead letters staff must look at.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "booking_state.h"
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

/* status_json: the same facts for scripts and monitoring (--json) */
static int
status_json(const struct config *c, struct store *s)
{
	static const char *const names[] = {"email", "sms", "inbound"};
	struct outbox_message *list = NULL;
	json_t *doc, *channels, *outbox, *dead, *bookings, *privacy;
	struct store_count *rows = NULL;
	size_t n = 0, i;
	const char *why = NULL;
	char key[64], value[512];
	time_t now = time(NULL);
	struct error err;
	int rc = 0;

	error_clear(&err);
	channels = json_object();
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(key, sizeof key, "health.%s", names[i]);
		json_object_set_new(channels, names[i],
		    store_kv_get(s, key, value, sizeof value) == 0
		        ? json_string(value)
		        : json_null());
	}
	outbox = json_object();
	for (i = 0; i < 2; i++) {
		struct outbox_stats st;

		if (store_outbox_stats(s, names[i], &st, &err) != 0)
			break;
		json_object_set_new(outbox, names[i],
		    json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:I}",
		        "queued", st.queued, "sending", st.sending, "sent",
		        st.sent, "delivered", st.delivered, "failed", st.failed,
		        "dead", st.dead, "suppressed", st.suppressed,
		        "oldest_queued_age",
		        (json_int_t)(st.oldest_queued > 0
		                         ? now - st.oldest_queued
		                         : 0)));
	}
	dead = json_array();
	if (err.msg[0] == '\0' &&
	    store_outbox_list(s, NULL, 0, 1000, &list, &n, &err) == 0) {
		for (i = 0; i < n; i++) {
			char clean[256];

			if (list[i].status != OUTBOX_DEAD &&
			    list[i].status != OUTBOX_FAILED)
				continue;
			log_clean(list[i].last_error, clean, sizeof clean);
			json_array_append_new(dead,
			    json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}",
			        "message", (json_int_t)list[i].id, "booking",
			        (json_int_t)list[i].booking_id, "channel",
			        list[i].channel, "kind", list[i].kind, "status",
			        outbox_status_name(list[i].status), "error",
			        clean));
		}
		outbox_list_free(list, n);
	}
	bookings = json_object();
	for (i = 0; i <= BOOKING_EXPIRED; i++) /* every status, 0 included */
		json_object_set_new(bookings,
		    booking_status_name((enum booking_status)i),
		    json_integer(0));
	if (err.msg[0] == '\0' &&
	    store_counts(s, STORE_COUNT_BOOKINGS, &rows, &n, &err) == 0) {
		for (i = 0; i < n; i++)
			json_object_set_new(bookings, rows[i].label,
			    json_integer(rows[i].count));
		free(rows);
	}
	privacy = json_pack("{s:i, s:s, s:o}", "retain_days",
	    (int)c->privacy_retain_days, "purge_at", c->privacy_purge_at,
	    "last_purge",
	    store_kv_get(s, "privacy.last_purge", value, sizeof value) == 0
	        ? json_string(value)
	        : json_null());
	doc = json_pack("{s:o, s:{s:s, s:b, s:s?}, s:o, s:o, s:o, s:o}",
	    "channels", channels, "sms", "provider", c->sms_provider, "two_way",
	    config_sms_two_way(c, &why), "one_way_reason",
	    strcmp(c->sms_provider, "none") != 0 && !config_sms_two_way(c, &why)
	        ? why
	        : NULL,
	    "outbox", outbox, "dead_letters", dead, "bookings", bookings,
	    "privacy", privacy);
	if (err.msg[0] != '\0') {
		fprintf(stderr, "wizyta: %s\n", err.msg);
		rc = 1;
	} else if (doc == NULL ||
	           json_dumpf(doc, stdout,
	               JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
	           fputc('\n', stdout) == EOF)
		rc = 1;
	json_decref(doc);
	return rc;
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

	if (argc > 1 || (argc == 1 && strcmp(argv[0], "--json") != 0)) {
		fprintf(stderr, "usage: wizyta -c FILE status [--json]\n");
		return 2;
	}
	error_clear(&err);
	if ((s = cli_store_open(c)) == NULL)
		return 1;
	if (argc == 1) {
		rc = status_json(c, s);
		store_close(s);
		return rc;
	}
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
	{
		char last[64];

		if (store_kv_get(s, "privacy.last_purge", last, sizeof last) !=
		    0)
			snprintf(last, sizeof last, "never");
		printf("privacy:\n  retain_days=%u purge_at=%s last_purge=%s\n",
		    c->privacy_retain_days, c->privacy_purge_at, last);
	}
out:
	store_close(s);
	return rc;
}

const struct cli_command cli_status = {
    .name = "status",
    .usage = "[--json]",
    .help = "channel health, outbox backlog, dead letters and the last "
            "purge (--json: as JSON)",
    .run = cmd_status,
};
