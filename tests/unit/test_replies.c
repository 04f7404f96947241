/*
 * test_replies.c: the gateway acting on replies, and falling back to the
 * other channel, over a real SQLite file (issue 9, "Must not lose or
 * mislead"):
 *   - a store error while a reply is handled leaves it "new" and it is
 *     handled on the next round (the error is injected by renaming the
 *     bookings table away from under the gateway's connection);
 *   - a failed notice falls back to the other channel only while it still
 *     means something for the booking (no "please confirm" for an expired
 *     booking);
 * and what a reading makes happen (issue 10): running late reaches the
 * booking's history and confirms a pending booking; "another time" reaches
 * the history and sends the link to change the time (SMS and e-mail);
 * autoresponders known only by their words are never answered; a negated
 * cancel never cancels; a question is passed to staff and the citizen is
 * told so, also beside an answer; unclear replies still get the help
 * message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "booking.h"
#include "buf.h"
#include "fallback.h"
#include "log.h"
#include "notify.h"
#include "office_time.h"
#include "replies.h"
#include "reply.h"
#include "store.h"
#include "testdb.h"

#define MONDAY_9 "2026-12-07T09:00"

struct fixture {
	struct testdb db;
	unsigned seq; /* inbox keys of receive() */
};

static int
setup(void **state)
{
	struct fixture *f = testdb_new(sizeof *f, "replies", true);
	struct error err;

	if (f == NULL)
		return -1;
	log_set_level(LOG_LEVEL_ERROR);
	error_clear(&err);
	if (reply_rules_init(&err) != 0) {
		print_error("setup: %s\n", err.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static struct booking
book(struct fixture *f, const char *start, const char *email, const char *phone)
{
	return testdb_book(&f->db, start, email, phone, testdb_local(MONDAY_9));
}

/* sql: a statement on a connection of its own, as another process would */
static void
sql(struct fixture *f, const char *statement)
{
	testdb_sql(f->db.path, statement);
}

static enum booking_status
status_of(struct fixture *f, const char *reference)
{
	struct booking b;
	struct error err;

	error_clear(&err);
	assert_int_equal(
	    store_booking_by_reference(f->db.store, reference, &b, &err), 0);
	return b.status;
}

/* the one inbox row is still waiting */
static void
expect_still_new(struct fixture *f, int64_t inbox_id)
{
	struct inbox_message m;
	struct error err;

	error_clear(&err);
	assert_int_equal(store_inbox_next(f->db.store, &m, &err), 0);
	assert_int_equal(m.id, inbox_id);
	assert_string_equal(m.status, "new");
	inbox_message_free(&m);
}

static int64_t
inbox_add(struct fixture *f, const char *channel, const char *key,
    const char *sender, const char *raw)
{
	struct inbox_message m;
	struct error err;
	bool duplicate;

	error_clear(&err);
	assert_int_equal(
	    store_inbox_add(f->db.store, channel, key, sender, raw, strlen(raw),
	        testdb_local(MONDAY_9), &duplicate, &err),
	    0);
	assert_int_equal(store_inbox_next(f->db.store, &m, &err), 0);
	inbox_message_free(&m);
	return m.id;
}

static void
test_sms_reply_store_error(void **state)
{
	struct fixture *f = *state;
	struct booking b = book(f, "2026-12-08T12:00", NULL, "600 700 800");
	struct error err;
	unsigned handled = 99;
	int64_t id = inbox_add(f, "sms", "kannel:1", "+48600700800", "tak");

	/* the store fails while the gateway looks up the number's bookings */
	sql(f, "ALTER TABLE bookings RENAME TO bookings_away");
	error_clear(&err);
	assert_int_equal(replies_process(f->db.store, f->db.config,
	                     testdb_local(MONDAY_9) + 60, &handled, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_TEMPORARY);
	assert_int_equal(handled, 0);
	/* not marked "no open booking": still new, read again next round */
	expect_still_new(f, id);
	sql(f, "ALTER TABLE bookings_away RENAME TO bookings");
	error_clear(&err);
	assert_int_equal(replies_process(f->db.store, f->db.config,
	                     testdb_local(MONDAY_9) + 120, &handled, &err),
	    0);
	assert_int_equal(handled, 1);
	assert_int_equal(status_of(f, b.reference), BOOKING_BOOKED);
}

static void
test_mail_reply_store_error(void **state)
{
	struct fixture *f = *state;
	struct booking b = book(f, "2026-12-08T12:15", "jan@example.pl", NULL);
	char raw[1024];
	struct error err;
	unsigned handled;
	int64_t id;

	snprintf(raw, sizeof raw,
	    "From: Jan <jan@example.pl>\r\n"
	    "To: wizyta+%s@urzad.example\r\nSubject: Re: wizyta\r\n"
	    "Message-ID: <r1@example.pl>\r\nContent-Type: text/plain; "
	    "charset=utf-8\r\n"
	    "\r\nTak\r\n",
	    b.reference);
	id = inbox_add(f, "email", "mid:r1@example.pl", "", raw);
	sql(f, "ALTER TABLE bookings RENAME TO bookings_away");
	error_clear(&err);
	assert_int_equal(replies_process(f->db.store, f->db.config,
	                     testdb_local(MONDAY_9) + 60, &handled, &err),
	    -1);
	expect_still_new(f, id);
	sql(f, "ALTER TABLE bookings_away RENAME TO bookings");
	assert_int_equal(replies_process(f->db.store, f->db.config,
	                     testdb_local(MONDAY_9) + 120, &handled, &err),
	    0);
	assert_int_equal(handled, 1);
	assert_int_equal(status_of(f, b.reference), BOOKING_BOOKED);
}

/* the e-mail row of kind about booking id, marked failed as a 5xx would */
static struct outbox_message
failed_mail(struct fixture *f, int64_t booking_id, const char *kind)
{
	struct outbox_message *list, m;
	struct error err;
	size_t n, i;

	error_clear(&err);
	assert_int_equal(store_outbox_list(f->db.store, "email", booking_id,
	                     100, &list, &n, &err),
	    0);
	for (i = 0; i < n && strcmp(list[i].kind, kind) != 0; i++)
		;
	if (i == n)
		fail_msg("no %s e-mail", kind);
	assert_int_equal(store_outbox_mark_final(f->db.store, list[i].id,
	                     OUTBOX_FAILED, "550 test", &err),
	    0);
	m = list[i];
	list[i].payload = NULL;
	outbox_list_free(list, n);
	return m;
}

static size_t
sms_rows(struct fixture *f, int64_t booking_id, const char *kind)
{
	return testdb_outbox_count(f->db.store, booking_id, "sms", kind, NULL);
}

static void
test_fallback_only_while_true(void **state)
{
	struct actor citizen = actor_citizen(VIA_WEB, NULL);
	struct actor system = actor_system();
	struct fixture *f = *state;
	struct booking live, expired, cancelled;
	struct outbox_message m;
	struct error err;
	time_t now = testdb_local(MONDAY_9);

	/* the phone is known but SMS were off when these were booked, so only
	 * the e-mail carried the notices */
	testdb_set(&f->db.config->sms_provider, "none");
	live = book(f, "2026-12-08T10:00", "a@example.pl", "600 700 801");
	expired = book(f, "2026-12-08T10:15", "b@example.pl", "600 700 802");
	cancelled = book(f, "2026-12-08T10:30", "c@example.pl", "600 700 803");
	testdb_set(&f->db.config->sms_provider, "kannel");
	error_clear(&err);

	/* a live pending booking: its confirmation request falls back, and
	 * the SMS says which message it replaces (the conversation shows it) */
	m = failed_mail(f, live.id, "confirm_request");
	fallback_other_channel(f->db.store, f->db.config, &m, now + 60);
	assert_int_equal(sms_rows(f, live.id, "confirm_request"), 1);
	{
		struct said *said;
		size_t n, i, found = 0;

		assert_int_equal(store_conversation_said(
		                     f->db.store, live.id, &said, &n, &err),
		    0);
		for (i = 0; i < n; i++)
			if (strcmp(said[i].channel, "sms") == 0) {
				assert_int_equal(said[i].fallback_of, m.id);
				found++;
			}
		assert_int_equal(found, 1);
		said_list_free(said, n);
	}
	outbox_message_free(&m);

	/* an expired one: no SMS asking to confirm; its expiry notice does */
	assert_int_equal(
	    booking_apply(f->db.store, f->db.config, expired.reference,
	        ACTION_EXPIRE, &system, expired.confirm_by + 1, NULL, &err),
	    0);
	m = failed_mail(f, expired.id, "confirm_request");
	fallback_other_channel(
	    f->db.store, f->db.config, &m, expired.confirm_by + 60);
	outbox_message_free(&m);
	assert_int_equal(sms_rows(f, expired.id, "confirm_request"), 0);
	m = failed_mail(f, expired.id, "expired");
	fallback_other_channel(
	    f->db.store, f->db.config, &m, expired.confirm_by + 60);
	outbox_message_free(&m);
	assert_int_equal(sms_rows(f, expired.id, "expired"), 1);

	/* a cancelled one: neither the request nor a reminder, but the
	 * cancellation notice */
	assert_int_equal(
	    booking_apply(f->db.store, f->db.config, cancelled.reference,
	        ACTION_CANCEL, &citizen, now + 30, NULL, &err),
	    0);
	m = failed_mail(f, cancelled.id, "confirm_request");
	fallback_other_channel(f->db.store, f->db.config, &m, now + 60);
	outbox_message_free(&m);
	assert_int_equal(sms_rows(f, cancelled.id, "confirm_request"), 0);
	m = failed_mail(f, cancelled.id, "cancelled");
	fallback_other_channel(f->db.store, f->db.config, &m, now + 60);
	outbox_message_free(&m);
	assert_int_equal(sms_rows(f, cancelled.id, "cancelled"), 1);

	/* nothing falls back once the visit's time has passed */
	assert_int_equal(
	    booking_apply(f->db.store, f->db.config, live.reference,
	        ACTION_CONFIRM, &citizen, now + 90, &live, &err),
	    0);
	assert_int_equal(
	    notify_booking(f->db.store, f->db.config, &live, NOTIFY_REMINDER,
	        NOTIFY_EMAIL, NULL, now + 100, &err),
	    0);
	m = failed_mail(f, live.id, "reminder");
	fallback_other_channel(f->db.store, f->db.config, &m, live.start + 60);
	assert_int_equal(sms_rows(f, live.id, "reminder"), 0);
	fallback_other_channel(f->db.store, f->db.config, &m, now + 120);
	assert_int_equal(sms_rows(f, live.id, "reminder"), 1);
	outbox_message_free(&m);
}

/* issue 10: what a reading makes happen. receive: one inbound message for
 * booking b, handled; its inbox row back in *row */
static void
receive(struct fixture *f, const struct booking *b, const char *channel,
    const char *raw, struct inbox_message *row)
{
	struct inbox_message *list;
	struct error err;
	char key[32];
	unsigned handled;
	size_t n, i;
	bool dup;

	error_clear(&err);
	snprintf(key, sizeof key, "test:%u", ++f->seq);
	assert_int_equal(
	    store_inbox_add(f->db.store, channel, key,
	        strcmp(channel, "sms") == 0 ? b->phone : "", raw, strlen(raw),
	        testdb_local(MONDAY_9) + 600, &dup, &err),
	    0);
	assert_int_equal(replies_process(f->db.store, f->db.config,
	                     testdb_local(MONDAY_9) + 600, &handled, &err),
	    0);
	assert_int_equal(handled, 1);
	assert_int_equal(
	    store_inbox_for_booking(f->db.store, b->id, &list, &n, &err), 0);
	memset(row, 0, sizeof *row);
	for (i = 0; i < n; i++)
		if (list[i].id > row->id) {
			inbox_message_free(row);
			*row = list[i];
			list[i].raw = NULL;
		}
	inbox_list_free(list, n);
	assert_true(row->id > 0);
}

static bool
has_event(struct fixture *f, const struct booking *b, const char *action)
{
	struct booking_event *list;
	struct error err;
	size_t n, i;
	bool found = false;

	error_clear(&err);
	assert_int_equal(
	    store_events_for_booking(f->db.store, b->id, &list, &n, &err), 0);
	for (i = 0; i < n; i++)
		if (strcmp(list[i].action, action) == 0)
			found = true;
	free(list);
	return found;
}

/* the payload of the newest outbox row of kind on channel, or NULL */
static char *
sent(struct fixture *f, const struct booking *b, const char *channel,
    const char *kind)
{
	struct outbox_message m;

	if (testdb_outbox_count(f->db.store, b->id, channel, kind, &m) == 0)
		return NULL;
	return m.payload;
}

static char *
reply_mail(struct fixture *f, const struct booking *b, const char *body)
{
	struct buf m = BUF_INIT;

	buf_printf(&m,
	    "From: Jan <jan@example.pl>\r\n"
	    "To: wizyta+%s@urzad.example\r\n"
	    "Subject: Re: Potwierdź wizytę [%s]\r\n"
	    "Message-ID: <r%u@example.pl>\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
	    b->reference, b->reference, f->seq + 1, body);
	return buf_steal(&m);
}

static void
test_sms_late(void **state)
{
	struct fixture *f = *state;
	struct booking b = book(f, "2026-12-08T12:00", NULL, "600 700 800");
	struct inbox_message row;

	receive(f, &b, "sms", "Spóźnię się 10 minut, przepraszam", &row);
	assert_string_equal(row.verdict, "late");
	assert_string_equal(row.status, "processed");
	/* staff see which rules decided, never the words */
	assert_non_null(strstr(row.note, "late:spoznie"));
	assert_true(has_event(f, &b, "reply_late"));
	/* the citizen says they are coming: a pending booking is confirmed */
	assert_int_equal(status_of(f, b.reference), BOOKING_BOOKED);
	assert_null(sent(f, &b, "sms", "reply_help"));
	inbox_message_free(&row);
}

static void
test_late_when_booked(void **state)
{
	struct fixture *f = *state;
	struct booking b = book(f, "2026-12-08T12:00", NULL, "600 700 800");
	struct actor citizen = actor_citizen(VIA_WEB, NULL);
	struct inbox_message row;
	struct error err;
	char *payload;

	error_clear(&err);
	assert_int_equal(booking_apply(f->db.store, f->db.config, b.reference,
	                     ACTION_CONFIRM, &citizen,
	                     testdb_local(MONDAY_9) + 60, NULL, &err),
	    0);
	receive(f, &b, "sms", "Będę 15 minut później, korki.", &row);
	assert_string_equal(row.verdict, "late");
	assert_true(has_event(f, &b, "reply_late"));
	/* told that staff know, and where to pick another time */
	assert_non_null(payload = sent(f, &b, "sms", "late_noted"));
	free(payload);
	assert_null(sent(f, &b, "sms", "reply_help"));
	inbox_message_free(&row);
}

static void
test_question_noted(void **state)
{
	struct fixture *f = *state;
	struct booking b = book(f, "2026-12-08T12:00", NULL, "600 700 800");
	struct inbox_message row;
	char *payload;

	receive(f, &b, "sms", "Czy mogę przyjść z dzieckiem?", &row);
	assert_string_equal(row.verdict, "question");
	assert_int_equal(status_of(f, b.reference), BOOKING_PENDING);
	/* not "we could not read your reply": staff have the question */
	assert_non_null(payload = sent(f, &b, "sms", "question_noted"));
	free(payload);
	assert_null(sent(f, &b, "sms", "reply_help"));
	inbox_message_free(&row);
}

static void
test_sms_another_time(void **state)
{
	struct fixture *f = *state;
	struct booking b = book(f, "2026-12-08T12:00", NULL, "600 700 800");
	struct inbox_message row;
	char link[128], *payload;

	receive(
	    f, &b, "sms", "Nie mogę we wtorek, proszę o inny termin.", &row);
	assert_string_equal(row.verdict, "reschedule");
	assert_true(has_event(f, &b, "reply_reschedule"));
	/* nothing cancelled */
	assert_int_equal(status_of(f, b.reference), BOOKING_PENDING);
	assert_non_null(payload = sent(f, &b, "sms", "reschedule_help"));
	snprintf(
	    link, sizeof link, "/b/%s/reschedule?t=%s", b.reference, b.token);
	assert_non_null(strstr(payload, link));
	free(payload);
	assert_null(sent(f, &b, "sms", "reply_help"));
	inbox_message_free(&row);
}

static void
test_mail_another_time(void **state)
{
	struct fixture *f = *state;
	struct booking b = book(f, "2026-12-08T12:00", "jan@example.pl", NULL);
	struct inbox_message row;
	char *payload, *mail = reply_mail(f, &b,
	                   "Dzień dobry,\r\nczy można przełożyć wizytę "
	                   "na inny dzień?\r\nPozdrawiam");

	receive(f, &b, "email", mail, &row);
	free(mail);
	assert_string_equal(row.verdict, "reschedule");
	assert_non_null(payload = sent(f, &b, "email", "reschedule_help"));
	/* the link (quoted-printable may break its line), threaded */
	assert_non_null(strstr(payload, "/reschedule"));
	assert_non_null(strstr(payload, "In-Reply-To: <r"));
	free(payload);
	inbox_message_free(&row);
}

static void
test_autoresponders_unanswered(void **state)
{
	struct fixture *f = *state;
	struct booking b =
	    book(f, "2026-12-08T12:00", "jan@example.pl", "600 700 800");
	struct inbox_message row;
	char *mail = reply_mail(f, &b,
	    "Tak, otrzymałem Państwa wiadomość. Jestem poza biurem do 15 "
	    "grudnia, odpowiem po powrocie.");

	receive(f, &b, "email", mail, &row);
	free(mail);
	assert_string_equal(row.verdict, "auto");
	assert_string_equal(row.status, "ignored");
	inbox_message_free(&row);
	receive(f, &b, "sms",
	    "Prowadzę samochód i mam włączony tryb skupienia. Zobaczę Twoją "
	    "wiadomość, gdy dotrę na miejsce.",
	    &row);
	assert_string_equal(row.verdict, "auto");
	assert_string_equal(row.status, "ignored");
	inbox_message_free(&row);
	/* never answered, never acted on */
	assert_null(sent(f, &b, "email", "reply_help"));
	assert_null(sent(f, &b, "sms", "reply_help"));
	assert_int_equal(status_of(f, b.reference), BOOKING_PENDING);
}

static void
test_negated_cancel_confirms(void **state)
{
	struct fixture *f = *state;
	struct booking b = book(f, "2026-12-08T12:00", NULL, "600 700 800");
	struct inbox_message row;

	receive(f, &b, "sms", "Nie rezygnuję, przyjdę", &row);
	assert_string_equal(row.verdict, "confirm");
	assert_int_equal(status_of(f, b.reference), BOOKING_BOOKED);
	inbox_message_free(&row);
}

static void
test_question_beside_answer(void **state)
{
	struct fixture *f = *state;
	struct booking b = book(f, "2026-12-08T12:00", "jan@example.pl", NULL);
	struct inbox_message row;
	char *mail = reply_mail(
	    f, &b, "Tak, potwierdzam. Czy muszę zabrać stary dowód?");

	receive(f, &b, "email", mail, &row);
	free(mail);
	assert_string_equal(row.verdict, "confirm");
	assert_int_equal(status_of(f, b.reference), BOOKING_BOOKED);
	assert_true(has_event(f, &b, "reply_question"));
	assert_non_null(strstr(row.note, "question"));
	inbox_message_free(&row);
}

static void
test_unclear_gets_help(void **state)
{
	struct fixture *f = *state;
	struct booking b = book(f, "2026-12-08T12:00", NULL, "600 700 800");
	struct inbox_message row;
	char *payload;

	receive(f, &b, "sms", "Chyba tak, jeśli zdążę", &row);
	assert_string_equal(row.verdict, "unclear");
	assert_int_equal(status_of(f, b.reference), BOOKING_PENDING);
	assert_non_null(payload = sent(f, &b, "sms", "reply_help"));
	free(payload);
	inbox_message_free(&row);
}

/* move: the office (an operator) moves b to start */
static struct booking
move(struct fixture *f, const struct booking *b, const char *start)
{
	struct account clerk;
	struct actor staff;
	struct booking after;
	struct error err;

	memset(&clerk, 0, sizeof clerk);
	snprintf(clerk.login, sizeof clerk.login, "anna%u", ++f->seq);
	snprintf(clerk.password_hash, sizeof clerk.password_hash, "x");
	clerk.role = ROLE_STAFF;
	error_clear(&err);
	assert_int_equal(
	    store_operator_add(f->db.store, &clerk, &clerk.id, &err), 0);
	staff = actor_operator(&clerk, VIA_WEB, NULL);
	if (booking_reschedule(f->db.store, f->db.config, b->reference, start,
	        0, &staff, testdb_local(MONDAY_9) + 300, &after, &err) != 0)
		fail_msg("move: %s", err.msg);
	assert_string_equal(after.move_answer, "asked");
	return after;
}

static struct booking
confirmed(
    struct fixture *f, const char *start, const char *email, const char *phone)
{
	struct actor citizen = actor_citizen(VIA_WEB, NULL);
	struct booking b = book(f, start, email, phone);
	struct error err;

	error_clear(&err);
	assert_int_equal(booking_apply(f->db.store, f->db.config, b.reference,
	                     ACTION_CONFIRM, &citizen,
	                     testdb_local(MONDAY_9) + 60, &b, &err),
	    0);
	return b;
}

static const char *
answer_of(struct fixture *f, const char *reference)
{
	static struct booking b;
	struct error err;

	error_clear(&err);
	assert_int_equal(
	    store_booking_by_reference(f->db.store, reference, &b, &err), 0);
	return b.move_answer;
}

/* TAK to the office's move of a booked visit keeps it: a no-op on the
 * state machine, recorded and acknowledged on the channel it came by */
static void
test_tak_keeps_moved_visit(void **state)
{
	struct fixture *f = *state;
	struct booking b =
	    confirmed(f, "2026-12-08T12:00", "jan@example.pl", "600 700 800");
	struct inbox_message row;
	char *payload;

	b = move(f, &b, "2026-12-09T10:00");
	receive(f, &b, "sms", "TAK", &row);
	assert_string_equal(row.verdict, "confirm");
	assert_non_null(strstr(row.note, "kept the new time"));
	assert_int_equal(status_of(f, b.reference), BOOKING_BOOKED);
	assert_string_equal(answer_of(f, b.reference), "kept");
	assert_true(has_event(f, &b, "move_kept"));
	assert_non_null(payload = sent(f, &b, "sms", "move_kept"));
	assert_non_null(strstr(payload, "10:00"));
	free(payload);
	assert_null(sent(f, &b, "email", "move_kept"));
	inbox_message_free(&row);
	/* a second TAK has no question left: nothing happens */
	receive(f, &b, "sms", "tak", &row);
	assert_non_null(strstr(row.note, "no change"));
	inbox_message_free(&row);
}

/* NIE by e-mail to the move cancels the visit, and says it declined */
static void
test_nie_declines_move_by_mail(void **state)
{
	struct fixture *f = *state;
	struct booking b =
	    confirmed(f, "2026-12-08T12:00", "jan@example.pl", NULL);
	struct inbox_message row;
	char *raw, *payload;

	b = move(f, &b, "2026-12-09T10:00");
	raw = reply_mail(f, &b,
	    "NIE, ten termin mi nie pasuje.\r\n\r\n> Urząd zmienił termin"
	    " wizyty\r\n> Jeśli nowy termin pasuje, odpowiedz TAK.");
	receive(f, &b, "email", raw, &row);
	free(raw);
	assert_string_equal(row.verdict, "cancel");
	assert_int_equal(status_of(f, b.reference), BOOKING_CANCELLED);
	assert_string_equal(answer_of(f, b.reference), "declined");
	assert_non_null(payload = sent(f, &b, "email", "cancelled"));
	free(payload);
	inbox_message_free(&row);
	/* the words staff read: the citizen's own, not the quoted notice */
	{
		struct heard *list;
		struct error err;
		size_t n;

		error_clear(&err);
		assert_int_equal(store_conversation_heard(
		                     f->db.store, b.id, &list, &n, &err),
		    0);
		assert_int_equal(n, 1);
		assert_string_equal(
		    list[0].words, "NIE, ten termin mi nie pasuje.");
		heard_list_free(list, n);
	}
}

/* with several bookings on one number, TAK goes to the one waiting for
 * an answer: here the moved one, not the other booked visit */
static void
test_tak_picks_the_moved_booking(void **state)
{
	struct fixture *f = *state;
	struct booking other =
	    confirmed(f, "2026-12-08T09:00", NULL, "600 700 800");
	struct booking b =
	    confirmed(f, "2026-12-08T12:00", NULL, "600 700 800");
	struct inbox_message row;

	b = move(f, &b, "2026-12-10T10:00");
	receive(f, &b, "sms", "Tak", &row);
	assert_int_equal(row.booking_id, b.id);
	assert_string_equal(answer_of(f, b.reference), "kept");
	assert_string_equal(answer_of(f, other.reference), "");
	inbox_message_free(&row);
	/* NIE with two open visits and no question: asked which (the row
	 * goes to the earliest of them) */
	receive(f, &other, "sms", "NIE", &row);
	assert_non_null(strstr(row.note, "several bookings"));
	assert_int_equal(status_of(f, b.reference), BOOKING_BOOKED);
	assert_int_equal(status_of(f, other.reference), BOOKING_BOOKED);
	inbox_message_free(&row);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, testdb_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_sms_reply_store_error),
	    T(test_mail_reply_store_error),
	    T(test_fallback_only_while_true),
	    T(test_sms_late),
	    T(test_late_when_booked),
	    T(test_question_noted),
	    T(test_sms_another_time),
	    T(test_mail_another_time),
	    T(test_autoresponders_unanswered),
	    T(test_negated_cancel_confirms),
	    T(test_question_beside_answer),
	    T(test_unclear_gets_help),
	    T(test_tak_keeps_moved_visit),
	    T(test_nie_declines_move_by_mail),
	    T(test_tak_picks_the_moved_booking),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
