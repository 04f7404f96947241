/*
 * wizytad.c: the gateway daemon. Threads, each owning its own database
 * connection and library handles:
 *
 *   main      signals, and the scheduler tick: act on recorded replies,
 *             expire unconfirmed bookings, queue reminders and the live
 *             delay notices, end the waitlists of days gone and offer
 *             places freed otherwise
 *   email     outbox delivery over the configured mail transport
 *   sms       outbox delivery over the configured SMS provider
 *   inbound   replies from IMAP (IDLE) or the maildir
 *   callbacks libmicrohttpd's pool: inbound SMS and delivery reports
 *
 * On SQLite exactly one wizytad runs per database (store_lock_process: an
 * flock on DB.wizytad.lock), so at start-up any row left "sending" by a
 * killed predecessor is released. On PostgreSQL several may share one
 * database: each delivers what it claims (store_outbox_claim skips rows
 * another holds), one at a time runs the scheduler (store_job_lock), and
 * start-up releases only the rows of gateways whose connection is gone.
 * SIGTERM/SIGINT: stop taking work, finish what is in flight, exit 0.
 * SIGHUP: read the file again (config_live_reload_file). The database's
 * settings are looked at whenever data_version moves (config_live_sync):
 * main's timers and the outbox workers take the new snapshot at their
 * next round; the channels and listeners keep what they started with.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "booking.h"
#include "channel.h"
#include "config_live.h"
#include "delay_notice.h"
#include "gateway_status.h"
#include "inbound_worker.h"
#include "intake.h"
#include "log.h"
#include "outbox_worker.h"
#include "replies.h"
#include "retention.h"
#include "reply.h"
#include "sms_callbacks.h"
#include "store.h"
#include "systemd_notify.h"
#include "tls_verify.h"
#include "waitlist.h"

#define TIMERS_EVERY_S 5
#define GATEWAY_SEEN_EVERY_S 30

/* read by every worker thread, cleared by main on SIGTERM */
static atomic_bool running = true;

/* privacy_tick: the daily erasure of personal data past retain_days
 * (lib/retention.h), and the rebuild of the files after an erasure that
 * had to wait for a reader on an old snapshot (any process's) */
static void
privacy_tick(struct store *s, const struct config *c, time_t now)
{
	static time_t tried; /* a try may wait 10 s for readers: once a
	                        minute */
	struct actor system = actor_system();
	struct retention_report r;
	struct error err;
	char last[32];

	error_clear(&err);
	if (store_kv_get(s, "privacy.last_purge", last, sizeof last) != 0)
		last[0] = '\0';
	if (retention_due(c, now, last)) {
		if (retention_purge(s, c, &system, now, &r, &err) != 0) {
			log_warn("privacy purge: %s", err.msg);
			return;
		}
		log_info("privacy purge retain_days=%u bookings=%u outbox=%u"
		         " inbox=%u events=%u sessions=%u waitlist=%u files=%u "
		         "compacted=%s",
		    c->privacy_retain_days, r.erased.bookings, r.erased.outbox,
		    r.erased.inbox, r.erased.events, r.erased.sessions,
		    r.erased.waitlist, r.files,
		    r.compacted ? "yes" : "pending");
		tried = now;
		systemd_notify("STATUS=serving; personal data purged today");
	} else if (now - tried >= 60) {
		tried = now;
		if (retention_compact_pending(s) &&
		    retention_compact(s, &err) == 0)
			log_info("privacy compacted=yes");
	}
}

/* install_phrases: the admins' reply phrases of c, when they changed,
 * become the rules every later reading uses (readings in flight finish on
 * the old set) */
static void
install_phrases(const struct config *c, char **installed)
{
	const char *phrases = config_text(c, "reply_phrases");
	struct reply_rules *set;
	struct error err;

	if (phrases == NULL)
		phrases = "";
	if (*installed != NULL && strcmp(*installed, phrases) == 0)
		return;
	error_clear(&err);
	if ((set = reply_phrases_rules(phrases, &err)) == NULL) {
		log_warn("reply phrases not applied: %s", err.msg);
		return;
	}
	reply_rules_install(set);
	free(*installed);
	if ((*installed = strdup(phrases)) == NULL)
		abort();
	log_info("reply phrases installed bytes=%zu", strlen(phrases));
}

/* settings_sync: publish the database's settings when they changed; 1
 * when a new snapshot was published */
static int
settings_sync(struct store *s)
{
	struct error err;
	int rc;

	error_clear(&err);
	if ((rc = config_live_sync(s, false, &err)) < 0)
		log_warn("settings not reloaded: %s", err.msg);
	return rc;
}

/* scheduler_tick: replies, then (timers) expiry, reminders and delay
 * notices, by one gateway at a time when several share the database */
static void
scheduler_tick(struct store *s, const struct config *c, bool timers)
{
	struct error err;
	unsigned n, offered;
	time_t now = time(NULL);
	bool mine;

	error_clear(&err);
	if (store_job_lock(s, "scheduler", &mine, &err) != 0) {
		log_warn("scheduler: %s", err.msg);
		return;
	}
	if (!mine)
		return;
	if (replies_process(s, c, now, &n, &err) != 0)
		log_warn("replies: %s", err.msg);
	if (!timers) {
		store_job_unlock(s, "scheduler");
		return;
	}
	if (booking_expire_due(s, c, now, &n, &err) != 0)
		log_warn("expiry: %s", err.msg);
	else if (n > 0)
		log_info("expired unconfirmed bookings count=%u", n);
	if (booking_remind_due(s, c, now, &n, &err) != 0)
		log_warn("reminders: %s", err.msg);
	else if (n > 0)
		log_info("reminders queued count=%u", n);
	if (delay_notify_due(s, c, now, &n, &err) != 0)
		log_warn("delay notices: %s", err.msg);
	if (waitlist_due(s, c, now, &n, &offered, &err) != 0)
		log_warn("waitlist: %s", err.msg);
	else if (n > 0 || offered > 0)
		log_info("waitlist lines ended=%u offers=%u", n, offered);
	privacy_tick(s, c, now);
	store_job_unlock(s, "scheduler");
}

/* gateway_mark: kv key = at, for `wizyta status` (cli/cmd_status.c): is
 * wizytad running? "gateway.seen_at" every GATEWAY_SEEN_EVERY_S while it
 * runs, "gateway.stopped_at" when it stops cleanly (0 while it runs) */
static void
gateway_mark(struct store *s, const char *key, time_t at)
{
	struct error err;
	char value[24];

	snprintf(value, sizeof value, "%lld", (long long)at);
	error_clear(&err);
	if (store_kv_set(s, key, value, &err) != 0)
		log_warn("%s not recorded: %s", key, err.msg);
}

/* start_sms_callbacks: the [gateway] listen listener: SMS provider
 * callbacks when SMS are on, and /metrics and /healthz always */
static int
start_sms_callbacks(const struct config *c, struct intake *intake,
    struct sms_callbacks **out, struct error *err)
{
	struct gateway_pages pages;
	struct sms_sink sink;
	bool callbacks = false;

	*out = NULL;
	if (strcmp(c->sms_provider, "none") == 0)
		;
	else if (c->sms_callback_secret[0] == '\0')
		/* config_load refuses kannel and http without a secret; the
		 * spool's replies come from the dev mailbox, not over HTTP */
		log_info("sms callbacks off: provider %s needs none",
		    c->sms_provider);
	else
		callbacks = true;
	intake_sms_sink(intake, &sink);
	gateway_status_pages(c, &pages);
	if ((*out = sms_callbacks_start_with(
	         c, callbacks ? &sink : NULL, &pages, err)) == NULL) {
		char msg[256], where[1100];

		snprintf(msg, sizeof msg, "%s", err->msg);
		return error_set(err, ERROR_INVALID,
		    "%s: gateway.listen = %s: %s",
		    config_where(c, "gateway", "listen", where, sizeof where),
		    c->gateway_listen, msg);
	}
	log_info("%s listening on %s",
	    callbacks ? "callbacks, /metrics and /healthz"
	              : "/metrics and /healthz",
	    c->gateway_listen);
	return 0;
}

/* start_outbox_worker: 1 when started, 0 when the channel is "none", -1
 * (after printing why) when it cannot start. */
static int
start_outbox_worker(struct outbox_worker *w, const struct config *c,
    enum channel_kind kind, const char *channel, const char *key,
    const char *name)
{
	struct error err;

	if (strcmp(name, "none") == 0)
		return 0;
	memset(w, 0, sizeof *w);
	w->config = c;
	w->ops = channel_find(kind, name);
	w->channel_name = channel;
	w->running = &running;
	error_clear(&err);
	if (w->ops == NULL || outbox_worker_start(w, &err) != 0) {
		char where[1100];
		const char *dot = strchr(key, '.');

		snprintf(where, sizeof where, "%.*s", (int)(dot - key), key);
		fprintf(stderr, "wizytad: %s: %s = %s: cannot start\n",
		    config_where(c, where, dot + 1, where, sizeof where), key,
		    name);
		return -1;
	}
	return 1;
}

static void
usage(FILE *out)
{
	fprintf(out, "usage: wizytad -c FILE [-d]\n"
	             "  -c FILE  the configuration (wizyta.conf(5))\n"
	             "  -d       log debug lines too\n");
}

int
main(int argc, char **argv)
{
	struct outbox_worker email_worker, sms_worker;
	struct inbound_worker inbound_worker;
	struct sms_callbacks *callbacks = NULL;
	int have_email, have_sms;
	bool have_inbound = false;
	const char *config_path = NULL;
	struct config *c;
	struct intake intake;
	struct store *s;
	struct error err;
	sigset_t signals;
	time_t last_timers = 0, last_seen = 0;
	char dbname[512];
	char *phrases = NULL; /* the reply phrases installed */
	static const struct option long_options[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int ch;

	/* the outbox, spool and maildir files hold personal data: owner
	 * only, whatever the caller's umask */
	umask(077);
	log_init("wizytad", LOG_LEVEL_INFO);
	while (
	    (ch = getopt_long(argc, argv, "c:dh", long_options, NULL)) != -1) {
		switch (ch) {
		case 'c': config_path = optarg; break;
		case 'd': log_set_level(LOG_LEVEL_DEBUG); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc)
		fprintf(stderr, "wizytad: unexpected '%s'\n", argv[optind]);
	else if (config_path == NULL)
		fprintf(stderr, "wizytad: no configuration: give -c FILE (e.g."
		                " -c /etc/wizyta/wizyta.conf)\n");
	if (config_path == NULL || optind != argc) {
		usage(stderr);
		return 2;
	}
	error_clear(&err);
	if ((c = config_load(config_path, &err)) == NULL) {
		fprintf(stderr, "wizytad: %s\n", err.msg);
		return 1;
	}
	if (otime_init(c->office_timezone, &err) != 0) {
		char where[1100];

		fprintf(stderr, "wizytad: %s: office.timezone: %s\n",
		    config_where(c, "office", "timezone", where, sizeof where),
		    err.msg);
		config_free(c);
		return 1;
	}
	/* a CA file that is not there fails every message later, and only in
	 * the log: say it now, where the file says it */
	if (c->tls_ca_file != NULL && c->tls_ca_file[0] != '\0' &&
	    tls_ca_file_check(c->tls_ca_file, &err) != 0) {
		char where[1100];

		fprintf(stderr, "wizytad: %s: mail.tls_ca_file: %s\n",
		    config_where(c, "mail", "tls_ca_file", where, sizeof where),
		    err.msg);
		config_free(c);
		return 1;
	}
	if (reply_rules_init(&err) != 0) {
		fprintf(stderr, "wizytad: reply rules: %s\n", err.msg);
		config_free(c);
		return 1;
	}
	store_locator_display(c->database, dbname, sizeof dbname);
	if ((s = store_open(c->database, &err)) == NULL ||
	    store_check_schema(s, &err) != 0 ||
	    store_check_writable(s, "wizytad", time(NULL), &err) != 0) {
		if (s == NULL && strcmp(err.code, "unavailable") == 0 &&
		    store_locator_is_postgresql(c->database))
			fprintf(stderr,
			    "wizytad: %s: %s (is the PostgreSQL server running,"
			    " and [database] conninfo right?)\n",
			    c->path, err.msg);
		else if (strcmp(err.code, "unavailable") == 0)
			fprintf(stderr,
			    "wizytad: %s: database %s cannot be written: %s "
			    "(check"
			    " the owner and mode of the file and its directory,"
			    " and the free space)\n",
			    c->path, dbname, err.msg);
		else
			fprintf(stderr, "wizytad: %s: %s\n", dbname, err.msg);
		store_close(s);
		config_free(c);
		return 1;
	}
	if (store_lock_process(s, "wizytad", &err) != 0) {
		fprintf(stderr, "wizytad: %s\n", err.msg);
		return 1;
	}
	if (store_outbox_release_leases(s, &err) != 0) {
		fprintf(stderr, "wizytad: %s\n", err.msg);
		return 1;
	}

	/* every thread inherits this mask; only main takes the signals */
	sigemptyset(&signals);
	sigaddset(&signals, SIGTERM);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (intake_open(&intake, c, &err) != 0) {
		fprintf(stderr, "wizytad: %s\n", err.msg);
		return 1;
	}
	if (start_sms_callbacks(c, &intake, &callbacks, &err) != 0) {
		/* a port in use: a clean exit, so the line stays the only one
		 */
		fprintf(stderr, "wizytad: %s\n", err.msg);
		intake_close(&intake);
		store_close(s);
		config_free(c);
		return 1;
	}
	/* the configuration in force: the file's and the database's settings
	 * (an admin's), re-read on SIGHUP; the workers take it each round */
	config_live_start(c);
	if (config_live_sync(s, true, &err) < 0) {
		fprintf(stderr, "wizytad: %s: settings: %s\n", dbname, err.msg);
		return 1;
	}
	install_phrases(config_live_refresh(), &phrases);
	if ((have_email = start_outbox_worker(&email_worker, c, CHANNEL_EMAIL,
	         "email", "mail.transport", c->mail_transport)) < 0 ||
	    (have_sms = start_outbox_worker(&sms_worker, c, CHANNEL_SMS, "sms",
	         "sms.provider", c->sms_provider)) < 0)
		return 1;
	if (strcmp(c->mail_inbound, "none") != 0) {
		memset(&inbound_worker, 0, sizeof inbound_worker);
		inbound_worker.config = c;
		inbound_worker.ops = inbound_find(c->mail_inbound);
		inbound_worker.intake = &intake;
		inbound_worker.running = &running;
		if (inbound_worker.ops == NULL ||
		    inbound_worker_start(&inbound_worker, &err) != 0) {
			char where[1100];

			fprintf(stderr,
			    "wizytad: %s: mail.inbound = %s: cannot start\n",
			    config_where(
			        c, "mail", "inbound", where, sizeof where),
			    c->mail_inbound);
			return 1;
		}
		have_inbound = true;
	}
	log_info("started mail=%s inbound=%s sms=%s", c->mail_transport,
	    c->mail_inbound, c->sms_provider);
	if (strcmp(c->sms_provider, "none") != 0) {
		const char *why;

		if (config_sms_two_way(c, &why))
			log_info(
			    "sms replies two-way sender=%s", c->sms_sender);
		else
			log_warn("sms replies one-way: %s; messages carry the "
			         "confirm link"
			         " (two-way SMS needs a numeric sender)",
			    why);
	}

	/* everything is up: a Type=notify unit is now "active" */
	systemd_notify("READY=1\nSTATUS=serving");
	gateway_mark(s, "gateway.stopped_at", 0);
	gateway_mark(s, "gateway.seen_at", last_seen = time(NULL));

	while (atomic_load(&running)) {
		const struct config *live = config_live_refresh();
		struct timespec tick = {0, live->gateway_poll_ms * 1000000L};
		time_t now;
		int sig, changed;

		if (live->gateway_poll_ms >= 1000) {
			tick.tv_sec = live->gateway_poll_ms / 1000;
			tick.tv_nsec =
			    (live->gateway_poll_ms % 1000) * 1000000L;
		}
		sig = sigtimedwait(&signals, NULL, &tick);
		if (sig == SIGTERM || sig == SIGINT) {
			systemd_notify("STOPPING=1");
			log_info("signal %d: finishing work in flight", sig);
			atomic_store(&running, false);
			break;
		}
		if (sig == SIGHUP) {
			/* the units' ExecReload: READY again once applied */
			systemd_notify("RELOADING=1");
			(void)config_live_reload_file("wizytad");
			live = config_live_refresh();
		}
		now = time(NULL);
		/* a reply recorded (by our intake or another gateway's), a
		 * booking changed: look now; the timers every few seconds */
		changed = store_wait(s, 0, &err);
		if (changed != 0 || sig == SIGHUP ||
		    now - last_timers >= TIMERS_EVERY_S) {
			bool timers = now - last_timers >= TIMERS_EVERY_S;

			/* an admin's change reaches the timers and the workers
			 * within one poll interval */
			if (settings_sync(s) > 0 || sig == SIGHUP) {
				live = config_live_refresh();
				install_phrases(live, &phrases);
			}
			if (sig == SIGHUP)
				systemd_notify("READY=1\nSTATUS=serving");
			scheduler_tick(s, live, timers);
			if (timers)
				last_timers = now;
		}
		if (now - last_seen >= GATEWAY_SEEN_EVERY_S)
			gateway_mark(s, "gateway.seen_at", last_seen = now);
	}
	if (have_email)
		outbox_worker_join(&email_worker);
	if (have_sms)
		outbox_worker_join(&sms_worker);
	if (have_inbound)
		inbound_worker_join(&inbound_worker);
	sms_callbacks_stop(callbacks);
	intake_close(&intake);
	gateway_mark(s, "gateway.stopped_at", time(NULL));
	store_close(s);
	config_live_stop();
	config_free(c);
	free(phrases);
	log_info("stopped");
	return 0;
}
