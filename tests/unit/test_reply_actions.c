/*
 * test_reply_actions.c: what gateway/replies.c does with a reading, against a
 * throw-away database: running late reaches the booking's history and
 * confirms a pending booking; "another time" reaches the history and sends
 * the citizen the link to change the time (SMS and e-mail); autoresponders
 * known only by their words are never answered; a negated cancel never
 * cancels; a question beside an answer is kept for staff; unclear replies
 * still get the help message.
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
#include "log.h"
#include "office_time.h"
#include "replies.h"
#include "store.h"
#include "testdb.h"

struct fixture {
	char dir[64];
	char path[128];
	struct store *store;
	struct config *config;
	struct booking booking;
	unsigned seq;
};

static time_t
local(const char *text)
{
	time_t t;

	if (otime_parse(text, &t) != 0)
		fail_msg("bad local time %s", text);
	return t;
}

static void
replace(char **field, const char *value)
{
	free(*field);
	if ((*field = strdup(value)) == NULL)
		abort();
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct booking_request r;
	struct service sv;
	struct desk d;
	struct error err;
	int64_t unit, service, desk;
	int from, to;

	if (f == NULL)
		return -1;
	log_init("test_reply_actions", LOG_LEVEL_ERROR);
	error_clear(&err);
	if (otime_init("Europe/Warsaw", &err) != 0 ||
	    testdb_make(
	        "replies", f->dir, sizeof f->dir, f->path, sizeof f->path) != 0)
		return -1;
	if ((f->store = store_open(f->path, &err)) == NULL ||
	    store_migrate(f->store, &from, &to, &err) != 0)
		goto fail;
	f->config = config_defaults();
	replace(&f->config->sms_provider, "kannel");
	memset(&sv, 0, sizeof sv);
	snprintf(sv.name, sizeof sv.name, "Wymiana dowodu");
	sv.duration_minutes = 15;
	sv.active = true;
	memset(&d, 0, sizeof d);
	snprintf(d.room, sizeof d.room, "Pokój 1");
	snprintf(d.name, sizeof d.name, "Pokój 1 stanowisko 1");
	d.capacity = 1;
	if (store_unit_add(f->store, "Wydział", &unit, &err) != 0)
		goto fail;
	sv.unit_id = unit;
	if (store_service_add(f->store, &sv, &service, &err) != 0 ||
	    store_desk_add(f->store, &d, &desk, &err) != 0 ||
	    store_hours_add(
	        f->store, desk, service, 2, 8 * 60, 16 * 60, &err) != 0)
		goto fail;
	memset(&r, 0, sizeof r);
	r.service_id = service;
	r.start = "2026-12-08T12:00";
	r.first_name = "Jan";
	r.last_name = "Kowalski";
	r.email = "jan@example.pl";
	r.phone = "600700800";
	if (booking_create(f->store, f->config, &r, local("2026-12-07T09:00"),
	        &f->booking, &err) != 0)
		goto fail;
	*state = f;
	return 0;
fail:
	print_error("setup: %s\n", err.msg);
	return -1;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->store);
	config_free(f->config);
	testdb_remove(f->dir, f->path);
	free(f);
	return 0;
}

/* one inbound message, handled; its inbox row back in *row */
static void
receive(struct fixture *f, const char *channel, const char *raw,
    struct inbox_message *row)
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
	    store_inbox_add(f->store, channel, key,
	        strcmp(channel, "sms") == 0 ? f->booking.phone : "", raw,
	        strlen(raw), local("2026-12-07T09:10"), &dup, &err),
	    0);
	assert_int_equal(replies_process(f->store, f->config,
	                     local("2026-12-07T09:10"), &handled, &err),
	    0);
	assert_int_equal(handled, 1);
	assert_int_equal(
	    store_inbox_for_booking(f->store, f->booking.id, &list, &n, &err),
	    0);
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

static enum booking_status
status_now(struct fixture *f)
{
	struct booking b;
	struct error err;

	assert_int_equal(
	    store_booking_get(f->store, f->booking.id, &b, &err), 0);
	return b.status;
}

static bool
has_event(struct fixture *f, const char *action)
{
	struct booking_event *list;
	struct error err;
	size_t n, i;
	bool found = false;

	assert_int_equal(
	    store_events_for_booking(f->store, f->booking.id, &list, &n, &err),
	    0);
	for (i = 0; i < n; i++)
		if (strcmp(list[i].action, action) == 0)
			found = true;
	free(list);
	return found;
}

/* the newest outbox row of kind on channel, or NULL; caller frees */
static struct outbox_message *
sent(struct fixture *f, const char *channel, const char *kind)
{
	struct outbox_message *list;
	struct error err;
	size_t n, i;

	assert_int_equal(store_outbox_list(f->store, channel, f->booking.id,
	                     100, &list, &n, &err),
	    0);
	for (i = 0; i < n; i++)
		if (strcmp(list[i].kind, kind) == 0) {
			struct outbox_message *one = malloc(sizeof *one);

			*one = list[i];
			list[i].payload = NULL;
			outbox_list_free(list, n);
			return one;
		}
	outbox_list_free(list, n);
	return NULL;
}

static void
sent_free(struct outbox_message *m)
{
	if (m != NULL)
		outbox_message_free(m);
	free(m);
}

static char *
reply_mail(struct fixture *f, const char *body)
{
	struct buf m = BUF_INIT;

	buf_printf(&m,
	    "From: Jan <jan@example.pl>\r\n"
	    "To: wizyta+%s@urzad.example\r\n"
	    "Subject: Re: Potwierdź wizytę [%s]\r\n"
	    "Message-ID: <r%u@example.pl>\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n",
	    f->booking.reference, f->booking.reference, f->seq + 1, body);
	return buf_steal(&m);
}

static void
test_sms_late(void **state)
{
	struct fixture *f = *state;
	struct inbox_message row;

	receive(f, "sms", "Spóźnię się 10 minut, przepraszam", &row);
	assert_string_equal(row.verdict, "late");
	assert_string_equal(row.status, "processed");
	assert_true(has_event(f, "reply_late"));
	/* the citizen says they are coming: a pending booking is confirmed */
	assert_int_equal(status_now(f), BOOKING_BOOKED);
	assert_null(sent(f, "sms", "reply_help"));
	inbox_message_free(&row);
}

static void
test_sms_another_time(void **state)
{
	struct fixture *f = *state;
	struct outbox_message *m;
	struct inbox_message row;
	char link[128];

	receive(f, "sms", "Nie mogę we wtorek, proszę o inny termin.", &row);
	assert_string_equal(row.verdict, "reschedule");
	assert_true(has_event(f, "reply_reschedule"));
	assert_int_equal(
	    status_now(f), BOOKING_PENDING); /* nothing cancelled */
	assert_non_null(m = sent(f, "sms", "reschedule_help"));
	snprintf(link, sizeof link, "/b/%s/reschedule?t=%s",
	    f->booking.reference, f->booking.token);
	assert_non_null(strstr(m->payload, link));
	sent_free(m);
	assert_null(sent(f, "sms", "reply_help"));
	inbox_message_free(&row);
}

static void
test_mail_another_time(void **state)
{
	struct fixture *f = *state;
	struct outbox_message *m;
	struct inbox_message row;
	char *mail =
	    reply_mail(f, "Dzień dobry,\r\nczy można przełożyć wizytę na"
	                  " inny dzień?\r\nPozdrawiam");

	receive(f, "email", mail, &row);
	free(mail);
	assert_string_equal(row.verdict, "reschedule");
	assert_non_null(m = sent(f, "email", "reschedule_help"));
	/* the link (quoted-printable may break its line) */
	assert_non_null(strstr(m->payload, "/reschedule"));
	assert_non_null(strstr(m->payload, "In-Reply-To: <r"));
	sent_free(m);
	inbox_message_free(&row);
}

static void
test_autoresponders_unanswered(void **state)
{
	struct fixture *f = *state;
	struct inbox_message row;
	char *mail =
	    reply_mail(f, "Tak, otrzymałem Państwa wiadomość. Jestem poza"
	                  " biurem do 15 grudnia, odpowiem po powrocie.");

	receive(f, "email", mail, &row);
	free(mail);
	assert_string_equal(row.verdict, "auto");
	assert_string_equal(row.status, "ignored");
	inbox_message_free(&row);
	receive(f, "sms",
	    "Prowadzę samochód i mam włączony tryb skupienia. Zobaczę"
	    " Twoją wiadomość, gdy dotrę na miejsce.",
	    &row);
	assert_string_equal(row.verdict, "auto");
	assert_string_equal(row.status, "ignored");
	inbox_message_free(&row);
	/* never answered, never acted on */
	assert_null(sent(f, "email", "reply_help"));
	assert_null(sent(f, "sms", "reply_help"));
	assert_int_equal(status_now(f), BOOKING_PENDING);
}

static void
test_negated_cancel_confirms(void **state)
{
	struct fixture *f = *state;
	struct inbox_message row;

	receive(f, "sms", "Nie rezygnuję, przyjdę", &row);
	assert_string_equal(row.verdict, "confirm");
	assert_int_equal(status_now(f), BOOKING_BOOKED);
	inbox_message_free(&row);
}

static void
test_question_beside_answer(void **state)
{
	struct fixture *f = *state;
	struct inbox_message row;
	char *mail =
	    reply_mail(f, "Tak, potwierdzam. Czy muszę zabrać stary dowód?");

	receive(f, "email", mail, &row);
	free(mail);
	assert_string_equal(row.verdict, "confirm");
	assert_int_equal(status_now(f), BOOKING_BOOKED);
	assert_true(has_event(f, "reply_question"));
	assert_non_null(strstr(row.note, "question"));
	inbox_message_free(&row);
}

static void
test_unclear_gets_help(void **state)
{
	struct fixture *f = *state;
	struct outbox_message *m;
	struct inbox_message row;

	receive(f, "sms", "Chyba tak, jeśli zdążę", &row);
	assert_string_equal(row.verdict, "unclear");
	assert_int_equal(status_now(f), BOOKING_PENDING);
	assert_non_null(m = sent(f, "sms", "reply_help"));
	sent_free(m);
	inbox_message_free(&row);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_sms_late, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_sms_another_time, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_mail_another_time, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_autoresponders_unanswered, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_negated_cancel_confirms, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_question_beside_answer, setup, teardown),
	    cmocka_unit_test_setup_teardown(
	        test_unclear_gets_help, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
