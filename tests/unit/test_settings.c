/*
 * test_settings.c: the rules admins tune at run time (lib/settings.h) and
 * what they change in the domain, at a fixed clock:
 *  - a change is one transaction: checked (the field named), written,
 *    audited before → after, the generation bumped; nothing on an error;
 *  - snapshots (config_live.h): synced when the generation moves, held by
 *    a thread until its next refresh, SIGHUP applies what may change and
 *    keeps what needs a restart, a broken file changes nothing;
 *  - which channel carries which message, and the fallback it allows;
 *  - reminders: several per visit, per channel, never one twice when the
 *    list changes, none whose moment passed before the access code;
 *  - SMS quiet hours: held till morning, office time, across DST;
 *  - templates: an admin's words in the next message, variables checked,
 *    previews and test messages on a sample booking.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "booking.h"
#include "config_live.h"
#include "log.h"
#include "notify.h"
#include "office_time.h"
#include "reply.h"
#include "settings.h"
#include "store.h"
#include "testdb.h"

struct fixture {
	struct testdb db;      /* db.config: what the file says */
	struct config *config; /* file + the database's settings */
	struct actor actor;
};

static int
setup(void **state)
{
	struct fixture *f = testdb_new(sizeof *f, "settings", true);
	struct error err;

	if (f == NULL)
		return -1;
	log_set_level(LOG_LEVEL_ERROR);
	f->db.config->booking_lead_time = 0;
	error_clear(&err);
	if (testdb_operator(f->db.store, "ala", ROLE_ADMIN, &f->actor, &err) !=
	    0) {
		print_error("setup: %s\n", err.msg);
		return -1;
	}
	f->config = config_dup(f->db.config);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	config_free(f->config);
	return testdb_teardown(state);
}

/* change: one settings_update; 0 or -1 with err */
static int
change(
    struct fixture *f, const char *name, const char *value, struct error *err)
{
	struct setting_change c = {name, value};

	error_clear(err);
	return settings_update(f->db.store, f->db.config, &c, 1, &f->actor,
	    testdb_local("2026-12-07T09:00"), NULL, err);
}

/* reload: f->config from the database, as a daemon's snapshot */
static void
reload(struct fixture *f)
{
	struct error err;

	config_free(f->config);
	error_clear(&err);
	if (settings_load(f->db.store, f->db.config, &f->config, &err) != 0)
		fail_msg("settings_load: %s", err.msg);
}

static int64_t
generation(struct fixture *f)
{
	struct error err;
	int64_t g;

	error_clear(&err);
	assert_int_equal(store_settings_generation(f->db.store, &g, &err), 0);
	return g;
}

static struct booking
book(struct fixture *f, const char *start, const char *email, const char *phone,
    time_t now)
{
	struct actor citizen = actor_citizen(VIA_WEB, NULL);
	struct booking_request r = testdb_request(&f->db, start, email, phone);
	struct booking b;
	struct error err;

	r.first_name = "Anna";
	r.last_name = "Nowak";
	error_clear(&err);
	/* under the settings as the daemons see them, not the file's */
	if (booking_create(
	        f->db.store, f->config, &r, &citizen, now, &b, &err) != 0)
		fail_msg("booking %s: %s", start, err.msg);
	return b;
}

/* rows: outbox rows of a booking on a channel, of a kind (NULL: any) */
static size_t
rows(struct fixture *f, int64_t booking_id, const char *channel,
    const char *kind, struct outbox_message *last)
{
	struct outbox_message m;
	size_t count = testdb_outbox_count(
	    f->db.store, booking_id, channel, kind, last != NULL ? &m : NULL);

	if (count > 0 && last != NULL) {
		outbox_message_free(last);
		*last = m;
	}
	return count;
}

/* ---- changes ------------------------------------------------------------- */

static void
test_update_audited(void **state)
{
	struct fixture *f = *state;
	struct audit_entry last;
	struct error err;
	struct buf v = BUF_INIT;
	int64_t g = generation(f);

	/* a change: written as the file would write it, audited, the
	 * generation moves */
	assert_int_equal(change(f, "confirm_within", "2700", &err), 0);
	assert_int_equal(generation(f), g + 1);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "settings.change", 0, &last), 1);
	assert_string_equal(last.before, "30m");
	assert_string_equal(last.after, "45m");
	assert_string_equal(last.detail, "confirm_within");
	assert_string_equal(last.login, "ala");
	reload(f);
	assert_int_equal(f->config->confirm_within, 45 * 60);
	settings_value(f->config, "confirm_within", &v);
	assert_string_equal(buf_cstr(&v), "45m");
	buf_reset(&v);
	settings_default(f->db.config, "confirm_within", &v);
	assert_string_equal(buf_cstr(&v), "30m");

	/* the same value again: nothing to write, no audit, no bump */
	assert_int_equal(change(f, "confirm_within", "45m", &err), 0);
	assert_int_equal(generation(f), g + 1);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "settings.change", 0, NULL), 1);

	/* a bad value names the field and what is expected */
	assert_int_equal(change(f, "confirm_within", "soon", &err), -1);
	assert_int_equal(err.kind, ERROR_INVALID);
	assert_string_equal(err.code, "setting_invalid");
	assert_string_equal(err.field, "confirm_within");
	assert_non_null(strstr(err.msg, "a duration"));
	assert_int_equal(change(f, "confirm_whenever", "5m", &err), -1);
	assert_string_equal(err.code, "unknown_setting");
	assert_string_equal(err.field, "confirm_whenever");
	assert_int_equal(
	    change(f, "channels.confirmation", "pigeon", &err), -1);
	assert_string_equal(err.field, "channels.confirmation");
	/* what no single value shows */
	assert_int_equal(change(f, "horizon", "14d", &err), 0);
	assert_int_equal(change(f, "lead_time", "20d", &err), -1);
	assert_string_equal(err.code, "setting_conflict");
	assert_string_equal(err.field, "lead_time");

	/* several at once: one bad, none written */
	{
		struct setting_change two[] = {
		    {"reminder_before", "24h,2h:sms"},
		    {"max_pending_share", "101"},
		};

		assert_int_equal(
		    settings_update(f->db.store, f->db.config, two, 2,
		        &f->actor, testdb_local("2026-12-07T09:00"), NULL,
		        &err),
		    -1);
		assert_string_equal(err.field, "max_pending_share");
		reload(f);
		assert_int_equal(f->config->reminders.n, 1);
		assert_int_equal(generation(f), g + 2);
	}

	/* back to the file's value: the row goes, audited */
	assert_int_equal(change(f, "confirm_within", NULL, &err), 0);
	assert_int_equal(generation(f), g + 3);
	reload(f);
	assert_int_equal(f->config->confirm_within, 30 * 60);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "settings.change", 0, &last), 3);
	assert_string_equal(last.after, "30m");
	buf_free(&v);
}

static void
test_templates_and_phrases(void **state)
{
	struct fixture *f = *state;
	struct reply_phrase p[4];
	struct audit_entry last;
	struct error err;
	struct buf v = BUF_INIT;
	int kind, en, part;

	/* an unknown variable is named */
	assert_int_equal(change(f, "templates.reminder.pl.sms",
	                     "Jutro o {godzina} w {desk}", &err),
	    -1);
	assert_string_equal(err.code, "template_variable");
	assert_string_equal(err.field, "templates.reminder.pl.sms");
	assert_non_null(strstr(err.msg, "{godzina}"));
	/* a subject is one line; nothing is empty; no such part or kind */
	assert_int_equal(change(f, "templates.reminder.en.subject",
	                     "Visit\r\nBcc: x@example.org", &err),
	    -1);
	assert_string_equal(err.code, "template_invalid");
	assert_int_equal(change(f, "templates.reminder.en.body", "", &err), -1);
	assert_string_equal(err.code, "template_empty");
	assert_int_equal(
	    change(f, "templates.reminder.pl.sms_oneway", "x", &err), -1);
	assert_string_equal(err.code, "unknown_setting");
	assert_int_equal(change(f, "templates.teleport.pl.sms", "x", &err), -1);
	/* a good one; CRLF from a browser's textarea becomes LF; braces that
	 * are no variable stay */
	assert_int_equal(
	    change(f, "templates.reminder.pl.body",
	        "Jutro {time}, {desk}.\r\nKod: {code} {x y}\r\n", &err),
	    0);
	reload(f);
	settings_value(f->config, "templates.reminder.pl.body", &v);
	assert_string_equal(
	    buf_cstr(&v), "Jutro {time}, {desk}.\nKod: {code} {x y}\n");
	assert_int_equal(
	    testdb_audit_count(f->db.store, "settings.change", 0, &last), 1);
	assert_string_equal(last.after, "Jutro {time}, {desk}.…");

	/* every kind's built-in words pass the editor's own check (the
	 * register's moved and move_kept too, with their variables), and an
	 * admin may edit each of them */
	for (kind = 0; kind < NOTIFY_KIND_COUNT; kind++)
		for (en = 0; en < 2; en++)
			for (part = 0; part < NOTIFY_PART_COUNT; part++) {
				const char *text = notify_template_default(
				    (enum notify_kind)kind, en != 0,
				    (enum notify_part)part);

				if (text != NULL && notify_template_check(
				                        (enum notify_part)part,
				                        text, "x", &err) != 0)
					fail_msg("%s: %s",
					    notify_kind_name(
					        (enum notify_kind)kind),
					    err.msg);
			}
	assert_non_null(
	    notify_template_default(NOTIFY_MOVED, false, NOTIFY_PART_SMS));
	assert_non_null(
	    notify_template_default(NOTIFY_MOVE_KEPT, true, NOTIFY_PART_BODY));
	assert_int_equal(
	    change(f, "templates.moved.pl.sms",
	        "Nowy termin: {when}, {desk}. TAK albo NIE.", &err),
	    0);
	assert_int_equal(change(f, "templates.cancelled.pl.body",
	                     "Odwołano {when}.\n{reason_line_pl}", &err),
	    0);
	reload(f);
	assert_string_equal(
	    notify_template(f->config, NOTIFY_MOVED, false, NOTIFY_PART_SMS),
	    "Nowy termin: {when}, {desk}. TAK albo NIE.");

	/* reply phrases: lines of an intent and a phrase */
	assert_int_equal(change(f, "reply_phrases",
	                     "confirm\tjasne\ncancel\tnie dam rady\n", &err),
	    0);
	reload(f);
	assert_int_equal(settings_phrases(f->config, p, 4), 2);
	assert_string_equal(p[1].intent, "cancel");
	assert_string_equal(p[1].phrase, "nie dam rady");
	assert_int_equal(change(f, "reply_phrases", "maybe\tmoże\n", &err), -1);
	assert_string_equal(err.code, "phrase_intent");
	assert_int_equal(
	    change(f, "reply_phrases", "confirm jasne\n", &err), -1);
	assert_string_equal(err.code, "phrase_invalid");
	buf_free(&v);
}

static void
test_overlay_skips_bad_rows(void **state)
{
	struct fixture *f = *state;
	struct error err;

	/* a row an older or newer program wrote that no longer reads */
	error_clear(&err);
	assert_int_equal(store_setting_put(f->db.store, "confirm_within",
	                     "never", 0, "x", &err),
	    0);
	assert_int_equal(store_setting_put(f->db.store, "teleport_within", "5m",
	                     0, "x", &err),
	    0);
	assert_int_equal(
	    store_setting_put(f->db.store, "horizon", "14d", 0, "x", &err), 0);
	reload(f);
	assert_int_equal(f->config->confirm_within, 30 * 60); /* the file's */
	assert_int_equal(f->config->booking_horizon, 14 * 86400);
}

/* ---- snapshots ------------------------------------------------------------
 */

struct holder {
	const struct config *held;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int step;
};

static void *
hold_thread(void *arg)
{
	struct holder *h = arg;

	pthread_mutex_lock(&h->lock);
	h->held = config_live_refresh();
	h->step = 1;
	pthread_cond_broadcast(&h->cond);
	while (h->step != 2)
		pthread_cond_wait(&h->cond, &h->lock);
	/* the main thread published twice meanwhile: this snapshot is still
	 * ours (ASan would see a use after free) */
	assert_int_equal(h->held->confirm_within, 30 * 60);
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
test_live_snapshots(void **state)
{
	struct fixture *f = *state;
	const struct config *c;
	struct holder h = {
	    NULL, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
	struct config *file;
	struct error err;
	pthread_t t;
	char conf[200];
	uint64_t serial;

	snprintf(conf, sizeof conf, "%s/wizyta.conf", f->db.dir);
	write_file(conf, "[database]\npath = /tmp/x.db\n[office]\nname = A\n");
	error_clear(&err);
	assert_non_null(file = config_load(conf, &err));
	assert_null(config_live_refresh()); /* not started: nothing */
	config_live_start(file);
	config_free(file);
	assert_non_null(c = config_live_refresh());
	assert_string_equal(c->office_name, "A");
	assert_int_equal(config_live_sync(f->db.store, false, &err), 1);
	assert_int_equal(config_live_sync(f->db.store, false, &err), 0);
	c = config_live_refresh();
	serial = c->serial;

	assert_int_equal(pthread_create(&t, NULL, hold_thread, &h), 0);
	pthread_mutex_lock(&h.lock);
	while (h.step != 1)
		pthread_cond_wait(&h.cond, &h.lock);
	pthread_mutex_unlock(&h.lock);

	/* an admin's change: the next sync publishes it */
	assert_int_equal(change(f, "confirm_within", "10m", &err), 0);
	assert_int_equal(config_live_sync(f->db.store, false, &err), 1);
	c = config_live_refresh();
	assert_int_equal(c->confirm_within, 600);
	assert_true(c->serial > serial);

	/* SIGHUP: the office's name applies, the database path waits for a
	 * restart, and a broken file changes nothing */
	write_file(conf, "[database]\npath = /tmp/y.db\n[office]\nname = B\n");
	assert_int_equal(config_live_reload_file("test"), 0);
	c = config_live_refresh();
	assert_string_equal(c->office_name, "B");
	assert_string_equal(c->database_path, "/tmp/x.db");
	assert_int_equal(c->confirm_within, 600); /* the database's still */
	write_file(conf, "[office]\nname = C\nbroken\n");
	assert_int_equal(config_live_reload_file("test"), -1);
	c = config_live_refresh();
	assert_string_equal(c->office_name, "B");
	file = config_live_file();
	assert_int_equal(file->confirm_within, 30 * 60); /* the file's */
	config_free(file);

	pthread_mutex_lock(&h.lock);
	h.step = 2;
	pthread_cond_broadcast(&h.cond);
	pthread_mutex_unlock(&h.lock);
	pthread_join(t, NULL);
	config_live_stop();
}

/* ---- channels -------------------------------------------------------------
 */

static void
test_channel_policy(void **state)
{
	struct fixture *f = *state;
	struct actor citizen = actor_citizen(VIA_WEB, NULL);
	struct booking_request r;
	time_t now = testdb_local("2026-12-07T09:00");
	struct booking b;
	struct error err;

	/* sms: the confirmation only by SMS, though an e-mail was given */
	assert_int_equal(change(f, "channels.confirmation", "sms", &err), 0);
	reload(f);
	b = book(f, "2026-12-08T10:00", "a@example.pl", "600 700 801", now);
	assert_int_equal(rows(f, b.id, "sms", "confirm_request", NULL), 1);
	assert_int_equal(rows(f, b.id, "email", NULL, NULL), 0);
	/* the access code follows channels.access_code (both) */
	assert_int_equal(booking_apply(f->db.store, f->config, b.reference,
	                     ACTION_CONFIRM, &citizen, now + 60, &b, &err),
	    0);
	assert_int_equal(rows(f, b.id, "email", "access_code", NULL), 1);
	assert_int_equal(rows(f, b.id, "sms", "access_code", NULL), 1);
	/* and a booking that could never get it is refused, naming why */
	memset(&r, 0, sizeof r);
	r.service_id = f->db.service;
	r.start = "2026-12-08T10:15";
	r.first_name = "Ewa";
	r.last_name = "Lis";
	r.email = "e@example.pl";
	error_clear(&err);
	assert_int_equal(
	    booking_create(f->db.store, f->config, &r, &citizen, now, &b, &err),
	    -1);
	assert_string_equal(err.code, "confirm_by_sms");
	assert_string_equal(err.field, "phone");

	/* email_first: the e-mail only; the SMS when there is no address */
	assert_int_equal(
	    change(f, "channels.confirmation", "email_first", &err), 0);
	reload(f);
	b = book(f, "2026-12-08T10:30", "b@example.pl", "600 700 802", now);
	assert_int_equal(rows(f, b.id, "email", "confirm_request", NULL), 1);
	assert_int_equal(rows(f, b.id, "sms", NULL, NULL), 0);
	b = book(f, "2026-12-08T10:45", NULL, "600 700 803", now);
	assert_int_equal(rows(f, b.id, "sms", "confirm_request", NULL), 1);

	/* sms_first: a number that said STOP counts as none */
	assert_int_equal(
	    change(f, "channels.confirmation", "sms_first", &err), 0);
	reload(f);
	assert_int_equal(
	    store_sms_optout_add(f->db.store, "+48600700804", now, &err), 0);
	b = book(f, "2026-12-08T11:00", "c@example.pl", "600 700 804", now);
	assert_int_equal(rows(f, b.id, "email", "confirm_request", NULL), 1);
	assert_int_equal(rows(f, b.id, "sms", NULL, NULL), 0);
}

/* ---- reminders ------------------------------------------------------------
 */

static unsigned
remind(struct fixture *f, const char *at)
{
	struct error err;
	unsigned n = 0;

	error_clear(&err);
	if (booking_remind_due(
	        f->db.store, f->config, testdb_local(at), &n, &err) != 0)
		fail_msg("remind: %s", err.msg);
	return n;
}

static void
test_reminders(void **state)
{
	struct fixture *f = *state;
	struct actor citizen = actor_citizen(VIA_WEB, NULL);
	struct booking b, late;
	struct error err;

	/* e-mail a day before, SMS two hours before */
	assert_int_equal(
	    change(f, "reminder_before", "24h:email, 2h:sms", &err), 0);
	reload(f);
	b = book(f, "2026-12-10T12:00", "a@example.pl", "600 700 801",
	    testdb_local("2026-12-07T09:00"));
	assert_int_equal(
	    booking_apply(f->db.store, f->config, b.reference, ACTION_CONFIRM,
	        &citizen, testdb_local("2026-12-07T09:05"), &b, &err),
	    0);
	assert_int_equal(remind(f, "2026-12-09T11:59"), 0);
	assert_int_equal(remind(f, "2026-12-09T12:00"), 1);
	assert_int_equal(rows(f, b.id, "email", "reminder", NULL), 1);
	assert_int_equal(rows(f, b.id, "sms", "reminder", NULL), 0);
	assert_int_equal(remind(f, "2026-12-09T12:05"), 0); /* not twice */
	/* the list changes: a day and an hour is "the same" moment passed,
	 * never repeated; a new later one still comes */
	assert_int_equal(
	    change(f, "reminder_before", "25h, 3h:sms, 2h:sms", &err), 0);
	reload(f);
	assert_int_equal(remind(f, "2026-12-09T13:00"), 0);
	assert_int_equal(remind(f, "2026-12-10T09:00"), 1);
	assert_int_equal(rows(f, b.id, "sms", "reminder", NULL), 1);
	assert_int_equal(rows(f, b.id, "email", "reminder", NULL), 1);
	assert_int_equal(remind(f, "2026-12-10T10:00"), 1); /* 2h: its own */
	assert_int_equal(rows(f, b.id, "sms", "reminder", NULL), 2);
	assert_int_equal(remind(f, "2026-12-10T10:05"), 0);
	assert_int_equal(remind(f, "2026-12-10T12:00"), 0); /* the visit */

	/* booked after the 3h moment: that one is not owed; confirmed, the
	 * access code says it all, and the 2h one comes at its time */
	late = book(f, "2026-12-08T12:00", "l@example.pl", "600 700 805",
	    testdb_local("2026-12-08T09:05"));
	assert_int_equal(booking_apply(f->db.store, f->config, late.reference,
	                     ACTION_CONFIRM, &citizen,
	                     testdb_local("2026-12-08T09:20"), &late, &err),
	    0);
	assert_int_equal(remind(f, "2026-12-08T09:21"), 0);
	assert_int_equal(rows(f, late.id, NULL, "reminder", NULL), 0);
	assert_int_equal(remind(f, "2026-12-08T10:00"), 1);
	assert_int_equal(rows(f, late.id, "sms", "reminder", NULL), 1);

	/* none at all */
	assert_int_equal(change(f, "reminder_before", "0", &err), 0);
	reload(f);
	assert_int_equal(f->config->reminders.n, 0);
}

/* ---- quiet hours ------------------------------------------------------------
 */

static void
test_quiet_hours(void **state)
{
	struct fixture *f = *state;
	struct actor citizen = actor_citizen(VIA_WEB, NULL);
	struct outbox_message m;
	struct booking b;
	struct error err;
	time_t until;

	memset(&m, 0, sizeof m);
	assert_int_equal(change(f, "sms_quiet_hours", "21:00-08:00", &err), 0);
	assert_int_equal(change(f, "reminder_before", "12h", &err), 0);
	reload(f);
	assert_false(notify_quiet_until(
	    f->config, testdb_local("2026-12-07T20:59"), &until));
	assert_true(notify_quiet_until(
	    f->config, testdb_local("2026-12-07T21:00"), &until));
	assert_int_equal(until, testdb_local("2026-12-08T08:00"));
	assert_true(notify_quiet_until(
	    f->config, testdb_local("2026-12-08T07:59"), &until));
	assert_int_equal(until, testdb_local("2026-12-08T08:00"));
	/* across DST: the night the clocks go forward (28 March 2027, 02:00
	 * → 03:00) ends at 02:30, which does not exist: at 03:00 */
	assert_int_equal(change(f, "sms_quiet_hours", "22:00-02:30", &err), 0);
	reload(f);
	assert_true(notify_quiet_until(
	    f->config, testdb_local("2027-03-27T23:00"), &until));
	assert_int_equal(until, testdb_local("2027-03-28T03:00"));
	assert_int_equal(until - testdb_local("2027-03-27T23:00"), 3 * 3600);
	assert_int_equal(change(f, "sms_quiet_hours", "21:00-08:00", &err), 0);
	reload(f);

	/* booked at night: the confirmation request goes at once (the
	 * citizen is waiting for it), the reminder due at 00:00 waits for
	 * 08:00 */
	b = book(f, "2026-12-08T12:00", "a@example.pl", "600 700 801",
	    testdb_local("2026-12-07T22:30"));
	assert_int_equal(rows(f, b.id, "sms", "confirm_request", &m), 1);
	assert_int_equal(m.next_attempt_at, testdb_local("2026-12-07T22:30"));
	assert_int_equal(
	    booking_apply(f->db.store, f->config, b.reference, ACTION_CONFIRM,
	        &citizen, testdb_local("2026-12-07T22:35"), &b, &err),
	    0);
	assert_int_equal(remind(f, "2026-12-08T00:00"), 1);
	assert_int_equal(rows(f, b.id, "sms", "reminder", &m), 1);
	assert_int_equal(m.next_attempt_at, testdb_local("2026-12-08T08:00"));
	assert_int_equal(rows(f, b.id, "email", "reminder", &m), 1);
	assert_int_equal(m.next_attempt_at, testdb_local("2026-12-08T00:00"));
	/* a reminder that the quiet hours would hold until the visit is not
	 * sent at all: an 08:00 visit, its 2h reminder at 06:00 */
	assert_int_equal(change(f, "reminder_before", "2h", &err), 0);
	reload(f);
	b = book(f, "2026-12-09T08:00", "b@example.pl", "600 700 802",
	    testdb_local("2026-12-08T12:00"));
	assert_int_equal(
	    booking_apply(f->db.store, f->config, b.reference, ACTION_CONFIRM,
	        &citizen, testdb_local("2026-12-08T12:05"), &b, &err),
	    0);
	assert_int_equal(remind(f, "2026-12-09T06:00"), 1);
	assert_int_equal(rows(f, b.id, "sms", "reminder", &m), 1);
	assert_int_equal(m.status, OUTBOX_SUPPRESSED);
	assert_int_equal(rows(f, b.id, "email", "reminder", &m), 1);
	assert_int_equal(m.status, OUTBOX_QUEUED);
	outbox_message_free(&m);
	assert_true(notify_kind_waits("reminder"));
	assert_true(notify_kind_waits("expired"));
	assert_false(notify_kind_waits("confirm_request"));
	assert_false(notify_kind_waits("moved"));
	assert_false(notify_kind_waits("move_kept"));
	assert_false(notify_kind_waits("test"));
}

/* store_outbox_defer: back to the queue, no attempt counted */
static void
test_defer(void **state)
{
	struct fixture *f = *state;
	struct outbox_message *list = NULL, m;
	struct booking b;
	struct error err;
	size_t n = 0;
	time_t now = testdb_local("2026-12-07T09:00");

	memset(&m, 0, sizeof m);
	b = book(f, "2026-12-08T12:00", NULL, "600 700 801", now);
	error_clear(&err);
	assert_int_equal(store_outbox_claim(f->db.store, "sms", now, now + 300,
	                     10, &list, &n, &err),
	    0);
	assert_int_equal(n, 1);
	assert_int_equal(store_outbox_defer(f->db.store, list[0].id,
	                     testdb_local("2026-12-08T08:00"), &err),
	    0);
	outbox_list_free(list, n);
	assert_int_equal(rows(f, b.id, "sms", NULL, &m), 1);
	assert_int_equal(m.status, OUTBOX_QUEUED);
	assert_int_equal(m.attempts, 0);
	assert_int_equal(m.next_attempt_at, testdb_local("2026-12-08T08:00"));
	outbox_message_free(&m);
}

/* ---- templates --------------------------------------------------------------
 */

/* every kind, both languages, previews whole on the sample booking: each
 * part there, no {variable} left, the waitlist's with their own samples
 * (second in line, 09:00-12:00, the office's hold for an offer) */
static void
test_every_kind_previews(void **state)
{
	struct fixture *f = *state;
	time_t now = testdb_local("2026-12-07T09:00");
	struct notify_rendered r;
	struct booking sample;
	int kind, en;

	f->config->waitlist_hold = 20 * 60;
	for (en = 0; en < 2; en++)
		for (kind = 0; kind < NOTIFY_KIND_COUNT; kind++) {
			const char *name = notify_kind_name(kind);
			const char *parts[3];
			int i;

			notify_sample_booking(f->config, en, now, &sample);
			notify_render(f->config, kind, &sample, NULL, &r);
			parts[0] = buf_cstr(&r.subject);
			parts[1] = buf_cstr(&r.body);
			parts[2] = buf_cstr(&r.sms);
			for (i = 0; i < 3; i++)
				if (strlen(parts[i]) < 10 ||
				    strchr(parts[i], '{'))
					fail_msg("%s/%s part %d: %s", name,
					    en ? "en" : "pl", i, parts[i]);
			if (kind == NOTIFY_WAITLIST_JOINED) {
				assert_non_null(strstr(parts[1],
				    en ? "Place in line: 2" : "w kolejce: 2"));
				assert_non_null(
				    strstr(parts[1], en ? "between 09:00-12:00"
				                        : "godz. 09:00-12:00"));
				assert_non_null(strstr(parts[1],
				    "/w/K7Q2M9AB3C/leave?t=0123456789abcdef"));
				assert_non_null(strstr(
				    parts[1], en ? "20 minutes" : "20 minut"));
			}
			if (kind == NOTIFY_WAITLIST_OFFER)
				assert_non_null(
				    strstr(parts[2], en ? "within 20 minutes"
				                        : "w ciagu 20 minut"));
			notify_rendered_free(&r);
		}
}

static void
test_template_in_next_message(void **state)
{
	struct fixture *f = *state;
	struct notify_rendered r;
	struct notify_draft draft;
	struct outbox_message m;
	struct booking b, sample;
	struct error err;
	const char *names[NOTIFY_VARIABLES_MAX];
	size_t nnames, i;
	time_t now = testdb_local("2026-12-07T09:00");

	memset(&m, 0, sizeof m);
	assert_int_equal(
	    change(f, "templates.confirm_request.pl.sms",
	        "Wizyta {day} o {time}: TAK lub NIE. {confirm_url}", &err),
	    0);
	assert_int_equal(change(f, "templates.confirm_request.pl.subject",
	                     "Prosimy o potwierdzenie", &err),
	    0);
	reload(f);
	b = book(f, "2026-12-08T12:00", "a@example.pl", "600 700 801", now);
	assert_int_equal(rows(f, b.id, "sms", "confirm_request", &m), 1);
	assert_true(strncmp(m.payload,
	                "Wizyta 08.12 o 12:00: TAK lub NIE. http", 38) == 0);
	assert_int_equal(rows(f, b.id, "email", "confirm_request", &m), 1);
	assert_non_null(strstr(m.payload, "Prosimy o potwierdzenie ["));
	/* English keeps its own (built-in) words */
	assert_string_equal(notify_template(f->config, NOTIFY_CONFIRM_REQUEST,
	                        true, NOTIFY_PART_SUBJECT),
	    "Please confirm your visit: {service}");

	/* the variables the editor lists are the ones messages fill */
	nnames = notify_variables(names, NOTIFY_VARIABLES_MAX);
	assert_true(nnames > 15);
	for (i = 0; i < nnames; i++)
		assert_int_equal(notify_template_check(
		                     NOTIFY_PART_BODY, names[i], "x", &err),
		    0);

	/* a preview of a draft on the sample booking */
	notify_sample_booking(f->config, false, now, &sample);
	memset(&draft, 0, sizeof draft);
	draft.part[NOTIFY_PART_SMS] = "Kod {code}, {when}";
	notify_render(f->config, NOTIFY_REMINDER, &sample, &draft, &r);
	assert_string_equal(
	    buf_cstr(&r.sms), "Kod 482916, wtorek, 8 grudnia 2026, 10:00");
	assert_string_equal(
	    buf_cstr(&r.subject), "Przypomnienie o wizycie [K7Q2M9AB3C]");
	notify_rendered_free(&r);

	/* a test message: through the outbox, about no booking */
	assert_int_equal(
	    notify_test(f->db.store, f->config, NOTIFY_REMINDER, false, &draft,
	        "ala@example.pl", "+48600700899", now, &err),
	    0);
	assert_int_equal(rows(f, 0, "sms", "test", &m), 1);
	assert_string_equal(m.recipient, "+48600700899");
	assert_int_equal(m.booking_id, 0);
	assert_string_equal(
	    m.payload, "Kod 482916, wtorek, 8 grudnia 2026, 10:00");
	assert_int_equal(rows(f, 0, "email", "test", &m), 1);
	assert_string_equal(m.recipient, "ala@example.pl");
	outbox_message_free(&m);
}

/* ---- reply phrases
 * ----------------------------------------------------------- */

static void
test_reply_phrases(void **state)
{
	struct reply_corpus_break breaks[8];
	struct reply_decision d;
	struct reply_rules *set;
	struct error err;
	size_t cases = 0, n;

	(void)state;
	error_clear(&err);
	/* words, not patterns: dots and brackets are literal, case and
	 * diacritics do not matter, blanks are any blanks */
	assert_non_null(
	    set = reply_phrases_rules(
	        "confirm\tjasna sprawa\ncancel\tdam sobie spokój (!)\n", &err));
	reply_decide_with(set, "Jasna   sprawa", 14, &d);
	assert_int_equal(d.verdict, REPLY_CONFIRM);
	assert_non_null(strstr(d.rules, "admin1"));
	reply_decide_with(set, "DAM SOBIE SPOKOJ (!)", 20, &d);
	assert_int_equal(d.verdict, REPLY_CANCEL);
	reply_decide_with(set, "dam sobie spokoj", 16, &d);
	assert_int_not_equal(d.verdict, REPLY_CANCEL);
	/* a negation no row explains still makes it unclear */
	reply_decide_with(set, "nie jasna sprawa", 16, &d);
	assert_int_equal(d.verdict, REPLY_UNCLEAR);
	/* the corpus reads as before */
	assert_int_equal(reply_corpus_check(set, breaks, 8, &cases), 0);
	assert_true(cases >= 1000);
	reply_rules_free(set);

	/* "nie" meaning yes would confirm every NIE: refused, with the
	 * cases it breaks */
	assert_non_null(set = reply_phrases_rules("confirm\tnie\n", &err));
	n = reply_corpus_check(set, breaks, 8, NULL);
	assert_true(n > 8);
	assert_string_equal(breaks[0].read_as, "confirm");
	assert_string_not_equal(breaks[0].label, "confirm");
	assert_true(breaks[0].text[0] != '\0');
	reply_rules_free(set);

	assert_null(reply_phrases_rules("maybe\tmoże\n", &err));
	assert_string_equal(err.field, "reply_phrases");
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_update_audited),
	    T(test_templates_and_phrases),
	    T(test_overlay_skips_bad_rows),
	    T(test_live_snapshots),
	    T(test_channel_policy),
	    T(test_reminders),
	    T(test_quiet_hours),
	    T(test_defer),
	    T(test_template_in_next_message),
	    T(test_every_kind_previews),
	    cmocka_unit_test(test_reply_phrases),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
