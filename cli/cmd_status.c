/*
 * cmd_status.c: wizyta status: whether wizytad runs, channel health as it
 * last saw it with the last send and the last read of the mailbox, the
 * outbox backlog per channel, and the dead letters staff must look at.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "booking_state.h"
#include "cli.h"
#include "log.h"
#include "office_time.h"
#include "store.h"

/* wizytad writes kv "gateway.seen_at" every 30 s while it runs and
 * "gateway.stopped_at" when it stops (gateway/wizytad.c): not seen for
 * this long, it is not running (killed, hung, or the machine is down) */
#define GATEWAY_SILENT_AFTER 90

enum gateway_state {
	GATEWAY_NEVER,
	GATEWAY_RUNNING,
	GATEWAY_STOPPED,
	GATEWAY_SILENT
};

static const char *const gateway_state_names[] = {
    "never", "running", "stopped", "silent"};

static time_t
kv_time(struct store *s, const char *key)
{
	char value[32];

	return store_kv_get(s, key, value, sizeof value) == 0
	           ? (time_t)atoll(value)
	           : 0;
}

/* gateway_state: *at gets when it was last seen (or stopped) */
static enum gateway_state
gateway_state(struct store *s, time_t now, time_t *at)
{
	time_t seen = kv_time(s, "gateway.seen_at"),
	       stopped = kv_time(s, "gateway.stopped_at");

	*at = seen;
	if (seen == 0 && stopped == 0)
		return GATEWAY_NEVER;
	if (stopped >= seen) {
		*at = stopped;
		return GATEWAY_STOPPED;
	}
	return now - seen <= GATEWAY_SILENT_AFTER ? GATEWAY_RUNNING
	                                          : GATEWAY_SILENT;
}

/* when: "2026-11-29 12:05 (3 min ago)" in office time, or "never" */
static const char *
when(time_t at, time_t now, char *out, size_t size)
{
	char local[OTIME_LOCAL_LEN];
	long long age = (long long)(now - at);

	if (at == 0)
		return snprintf(out, size, "never"), out;
	otime_format(at, local);
	local[10] = ' ';
	if (age < 0)
		age = 0;
	if (age < 120)
		snprintf(out, size, "%s (%llds ago)", local, age);
	else if (age < 7200)
		snprintf(out, size, "%s (%lld min ago)", local, age / 60);
	else if (age < 2 * 86400)
		snprintf(out, size, "%s (%lld h ago)", local, age / 3600);
	else
		snprintf(out, size, "%s (%lld days ago)", local, age / 86400);
	return out;
}

static void
print_gateway(struct store *s, time_t now)
{
	char text[80];
	time_t at;

	printf("gateway:\n");
	switch (gateway_state(s, now, &at)) {
	case GATEWAY_NEVER:
		printf("  wizytad  never ran on this database: start it"
		       " (systemctl start wizytad); nothing is sent or read"
		       " until it runs\n");
		break;
	case GATEWAY_RUNNING:
		printf("  wizytad  running, last seen %s\n",
		    when(at, now, text, sizeof text));
		break;
	case GATEWAY_STOPPED:
		printf("  wizytad  stopped %s: start it (systemctl start"
		       " wizytad); messages wait in the outbox until it"
		       " runs\n",
		    when(at, now, text, sizeof text));
		break;
	case GATEWAY_SILENT:
		printf("  wizytad  NOT RUNNING? last seen %s and not stopped"
		       " cleanly: look at systemctl status wizytad and"
		       " journalctl -u wizytad\n",
		    when(at, now, text, sizeof text));
		break;
	}
}

/* print_health: the channel's state as wizytad last saw it, and when it
 * last worked (at: its last send, its last read of the mailbox) */
static void
print_health(
    struct store *s, const char *what, const char *done, time_t at, time_t now)
{
	char key[64], value[512], text[80];

	snprintf(key, sizeof key, "health.%s", what);
	if (store_kv_get(s, key, value, sizeof value) != 0)
		snprintf(value, sizeof value, "not tried yet");
	printf("  %-8s %s; last %s %s\n", what, value, done,
	    when(at, now, text, sizeof text));
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

/* age_json: seconds since at, null for never */
static json_t *
age_json(time_t at, time_t now)
{
	return at > 0 ? json_integer((json_int_t)(now > at ? now - at : 0))
	              : json_null();
}

/* status_json: the same facts for scripts and monitoring (--json) */
static int
status_json(const struct config *c, struct store *s)
{
	enum gateway_state state;
	json_t *gateway;
	time_t at;
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
		    json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:I, s:o}",
		        "queued", st.queued, "sending", st.sending, "sent",
		        st.sent, "delivered", st.delivered, "failed", st.failed,
		        "dead", st.dead, "suppressed", st.suppressed,
		        "oldest_queued_age",
		        (json_int_t)(st.oldest_queued > 0
		                         ? now - st.oldest_queued
		                         : 0),
		        "last_sent_age", age_json(st.last_sent, now)));
	}
	state = gateway_state(s, now, &at);
	gateway = json_pack("{s:s, s:o, s:o}", "wizytad",
	    gateway_state_names[state],
	    state == GATEWAY_STOPPED ? "stopped_age" : "seen_age",
	    age_json(state == GATEWAY_NEVER ? 0 : at, now), "inbound_read_age",
	    age_json(kv_time(s, "health.inbound_at"), now));
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
	doc = json_pack("{s:o, s:o, s:{s:s, s:b, s:s?}, s:o, s:o, s:o, s:o}",
	    "gateway", gateway, "channels", channels, "sms", "provider",
	    c->sms_provider, "two_way", config_sms_two_way(c, &why),
	    "one_way_reason",
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
	static const char *const channels[] = {"email", "sms"};
	struct outbox_stats stats[2];
	struct outbox_message *list = NULL;
	time_t now = time(NULL);
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
	for (i = 0; i < 2; i++)
		if (store_outbox_stats(s, channels[i], &stats[i], &err) != 0) {
			fprintf(stderr, "wizyta: %s\n", err.msg);
			rc = 1;
			goto out;
		}
	print_gateway(s, now);
	printf("channels:\n");
	if (strcmp(c->mail_transport, "none") != 0)
		print_health(s, "email", "sent", stats[0].last_sent, now);
	else
		printf("  %-8s off ([mail] transport = none)\n", "email");
	if (strcmp(c->sms_provider, "none") != 0)
		print_health(s, "sms", "sent", stats[1].last_sent, now);
	else
		printf("  %-8s off ([sms] provider = none)\n", "sms");
	if (strcmp(c->mail_inbound, "none") != 0)
		print_health(
		    s, "inbound", "read", kv_time(s, "health.inbound_at"), now);
	else
		printf("  %-8s off ([mail] inbound = none)\n", "inbound");
	print_sms_replies(c);
	printf("outbox:\n");
	for (i = 0; i < 2; i++) {
		const struct outbox_stats st = stats[i];

		printf(
		    "  %-6s queued=%u sending=%u sent=%u delivered=%u failed=%u"
		    " dead=%u suppressed=%u",
		    channels[i], st.queued, st.sending, st.sent, st.delivered,
		    st.failed, st.dead, st.suppressed);
		if (st.oldest_queued > 0)
			printf(" oldest_queued_age=%llds",
			    (long long)(now - st.oldest_queued));
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
