/*
 * test_register.c: the booking register (lib/register.h) and what stands
 * behind it in the domain, over a real SQLite file and a fixed clock
 * (Monday 2026-12-07 09:00):
 *   - names folded for search ("lukasz" finds "Łukasz");
 *   - every filter of the register, alone and together, and free text as
 *     a name, an e-mail, a phone, a code or a reference;
 *   - keyset pages forward and back, the same rows either way;
 *   - each search walks its own index (SQLite's plan);
 *   - "consistent with the schedule" after a day is closed;
 *   - a move by the office: the TAK/NIE notice, reminders for the old
 *     time withdrawn (also an SMS the quiet hours hold), every reminder
 *     of the list re-armed for the new time, the answer kept or declined;
 *     a cancellation or an expiry withdraws what is still queued;
 *   - a cancellation with the office's reason;
 *   - the conversation in time order.
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
#include "conversation.h"
#include "fold.h"
#include "log.h"
#include "notify.h"
#include "office_time.h"
#include "register.h"
#include "store.h"
#include "testdb.h"

#define MONDAY_9 "2026-12-07T09:00"

struct fixture {
	struct testdb db;
	int64_t desk2;
	struct actor anna, email_citizen;
};

static int
setup(void **state)
{
	struct fixture *f = testdb_new(sizeof *f, "register", true);
	struct desk d;
	struct error err;
	int day;

	if (f == NULL)
		return -1;
	f->db.config->booking_lead_time = 0;
	/* a second desk for the same service */
	memset(&d, 0, sizeof d);
	snprintf(d.room, sizeof d.room, "Pokój 2");
	snprintf(d.name, sizeof d.name, "Pokój 2 stanowisko 1");
	d.capacity = 1;
	error_clear(&err);
	if (store_desk_add(f->db.store, &d, &f->desk2, &err) != 0)
		goto fail;
	for (day = 1; day <= 5; day++)
		if (store_hours_add(f->db.store, f->desk2, f->db.service, day,
		        8 * 60, 16 * 60, &err) != 0)
			goto fail;
	if (testdb_operator(f->db.store, "anna", ROLE_STAFF, &f->anna, &err) !=
	    0)
		goto fail;
	f->anna.channel = VIA_WEB;
	f->email_citizen = actor_citizen(VIA_EMAIL, NULL);
	*state = f;
	return 0;
fail:
	print_error("setup: %s\n", err.msg);
	return -1;
}

static struct booking
book_as(struct fixture *f, const struct actor *who, const char *start,
    int64_t desk, const char *first, const char *last, const char *email,
    const char *phone)
{
	struct booking_request r = testdb_request(&f->db, start, email, phone);

	r.desk_id = desk;
	r.first_name = first;
	r.last_name = last;
	return testdb_create(
	    &f->db, f->db.store, &r, who, testdb_local(MONDAY_9));
}

static struct booking
book(struct fixture *f, const char *start, int64_t desk, const char *first,
    const char *last, const char *email, const char *phone)
{
	return book_as(
	    f, &f->db.citizen, start, desk, first, last, email, phone);
}

static void
confirm(struct fixture *f, struct booking *b)
{
	testdb_apply(
	    &f->db, b, ACTION_CONFIRM, &f->db.citizen, testdb_local(MONDAY_9));
}

static struct date
day(const char *text)
{
	struct date d;

	assert_int_equal(date_parse(text, &d), 0);
	return d;
}

/* search: the references of a page, space-separated, in order */
static void
search(struct fixture *f, const struct register_query *q,
    struct register_page *page, char *refs, size_t size)
{
	struct error err;
	size_t i, used = 0;

	error_clear(&err);
	if (register_search(f->db.store, q, page, &err) != 0)
		fail_msg("search: %s", err.msg);
	refs[0] = '\0';
	for (i = 0; i < page->n && used + 16 < size; i++)
		used += (size_t)snprintf(refs + used, size - used, "%s%s",
		    i ? " " : "", page->rows[i].booking.last_name);
}

static void
test_fold(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	text_fold("Łukasz ŻÓŁĆ Ąę Müller Dvořák Straße Ω", &b);
	assert_string_equal(
	    buf_cstr(&b), "lukasz zolc ae muller dvorak strase Ω");
	buf_free(&b);
}

/* the store folds names as text_fold does: SQLite by calling it, PostgreSQL
 * by its own wizyta_fold() (store_pg_schema.h 9), compared here letter by
 * letter from U+0020 to U+017F through a booking's insert */
static void
test_fold_sql(void **state)
{
	struct fixture *f = *state;
	uint32_t cp = 0x20;
	int n = 0;

	while (cp < 0x180) {
		struct booking b;
		struct buf want = BUF_INIT;
		struct error err;
		char sql[96], got[256];
		size_t len = 0;

		memset(&b, 0, sizeof b);
		for (int k = 0; k < 20 && cp < 0x180; k++, cp++)
			if (cp < 0x80)
				b.first_name[len++] = (char)cp;
			else {
				b.first_name[len++] = (char)(0xC0 | cp >> 6);
				b.first_name[len++] =
				    (char)(0x80 | (cp & 0x3F));
			}
		snprintf(b.last_name, sizeof b.last_name, "%s", b.first_name);
		snprintf(b.reference, sizeof b.reference, "FOLDTEST%02d", n++);
		snprintf(b.token, sizeof b.token, "t%s", b.reference);
		snprintf(b.language, sizeof b.language, "pl");
		snprintf(b.source, sizeof b.source, "web");
		b.service_id = f->db.service;
		b.desk_id = f->db.desk;
		b.start = testdb_local("2027-01-04T08:00") + n * 900;
		b.end = b.start + 900;
		b.status = BOOKING_CANCELLED;
		error_clear(&err);
		if (store_booking_insert(f->db.store, &b, &err) != 0)
			fail_msg("insert: %s", err.msg);
		text_fold(b.first_name, &want);
		snprintf(sql, sizeof sql,
		    "SELECT first_fold || '|' || last_fold FROM bookings"
		    " WHERE id = %lld",
		    (long long)b.id);
		testdb_sql_text(f->db.path, sql, got, sizeof got);
		buf_putc(&want, '|');
		text_fold(b.first_name, &want);
		assert_string_equal(got, buf_cstr(&want));
		buf_free(&want);
	}
}

/* a small register: names that differ by diacritics and case */
static void
fill(struct fixture *f)
{
	struct booking b;

	b = book(f, "2026-12-08T08:00", f->db.desk, "Łukasz", "Żak",
	    "lukasz.zak@example.pl", "600 100 200");
	confirm(f, &b);
	book(f, "2026-12-08T08:15", f->desk2, "Anna", "Zając",
	    "Anna.Zajac@Example.PL", NULL);
	b = book(f, "2026-12-09T10:00", f->db.desk, "Jan", "Kowalski",
	    "jan@example.pl", "+48 601 000 111");
	confirm(f, &b);
	book_as(f, &f->anna, "2026-12-10T12:00", f->db.desk, "Janina",
	    "Kowalska", NULL, "602000222");
	book(f, "2026-12-11T09:00", f->desk2, "Ewa", "Nowak", "ewa@example.pl",
	    NULL);
}

static void
test_filters(void **state)
{
	struct fixture *f = *state;
	struct register_query q;
	struct register_page page;
	struct error err;
	char refs[512];
	struct booking jan;

	fill(f);
	register_query_init(&q);
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Żak Zając Kowalski Kowalska Nowak");
	assert_string_equal(page.next, "");
	assert_string_equal(page.prev, "");
	register_page_free(&page);

	/* a surname prefix without diacritics or case */
	q.last_name = "za";
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Żak Zając");
	register_page_free(&page);
	q.last_name = "ŻAK";
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Żak");
	register_page_free(&page);
	q.last_name = NULL;
	q.first_name = "jan";
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Kowalski Kowalska");
	register_page_free(&page);
	/* with a kind of booking: the one staff made after a phone call */
	q.source = "staff";
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Kowalska");
	register_page_free(&page);
	register_query_init(&q);

	/* a phone in any common form, exactly */
	q.phone = "601-000-111";
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Kowalski");
	jan = page.rows[0].booking;
	register_page_free(&page);
	q.phone = "12";
	error_clear(&err);
	assert_int_equal(register_search(f->db.store, &q, &page, &err), -1);
	assert_string_equal(err.code, "phone_invalid");
	register_query_init(&q);

	/* an e-mail prefix, any case */
	q.email = "anna.zajac@";
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Zając");
	register_page_free(&page);
	register_query_init(&q);

	/* the access code */
	q.code = jan.access_code;
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Kowalski");
	register_page_free(&page);
	q.code = "12ab";
	assert_int_equal(register_search(f->db.store, &q, &page, &err), -1);
	assert_string_equal(err.code, "code_invalid");
	register_query_init(&q);

	/* free text: a name, an e-mail, a phone, a code, a reference */
	q.q = "kowal";
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Kowalski Kowalska");
	register_page_free(&page);
	q.q = "Janina Kow";
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Kowalska");
	register_page_free(&page);
	q.q = "ewa@exa";
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Nowak");
	register_page_free(&page);
	q.q = "602 000 222";
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Kowalska");
	register_page_free(&page);
	q.q = jan.access_code;
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Kowalski");
	register_page_free(&page);
	q.q = jan.reference;
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Kowalski");
	register_page_free(&page);
	register_query_init(&q);

	/* a date range, a status, a desk */
	q.from = day("2026-12-08");
	q.to = day("2026-12-09");
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Żak Zając Kowalski");
	register_page_free(&page);
	q.status = BOOKING_BOOKED;
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Żak Kowalski");
	register_page_free(&page);
	q.status = -1;
	q.desk_id = f->desk2;
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Zając");
	register_page_free(&page);
	q.desk_id = 0;
	q.from = day("2026-12-10");
	q.to = day("2026-12-08");
	assert_int_equal(register_search(f->db.store, &q, &page, &err), -1);
	assert_string_equal(err.code, "range_invalid");
}

/* every search walks an index, never the whole table */
static void
test_plans(void **state)
{
	struct fixture *f = *state;
	static const struct {
		struct register_filter f;
		const char *index;
	} cases[] = {
	    {{.status = -1, .last = "kow"}, "bookings_last_fold"},
	    {{.status = -1, .first = "jan"}, "bookings_first_fold"},
	    {{.status = -1, .code = "123456"}, "bookings_access_code"},
	    {{.status = -1, .phone = "+48600100200"}, "bookings_phone"},
	    {{.status = -1, .email = "jan@"}, "bookings_email_nocase"},
	    {{.status = -1, .reference = "ABCDEFGHJK"}, "reference"},
	    {{.status = BOOKING_BOOKED, .from = 1796000000, .to = 1797000000},
	        "bookings_status_time"},
	    {{.status = -1, .from = 1796000000}, "bookings_time"},
	    {{.status = -1,
	         .word = "kow",
	         .text_phone = "+48600100200",
	         .text_code = "123456"},
	        "MULTI-INDEX OR"},
	};
	/* PostgreSQL's words: a table scan, several indexes at once */
	bool pg = testdb_postgresql();
	const char *scan = pg ? "Seq Scan on bookings" : "SCAN b";
	struct error err;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf plan = BUF_INIT;
		const char *index = cases[i].index;

		if (pg && strcmp(index, "MULTI-INDEX OR") == 0)
			index = "BitmapOr";
		error_clear(&err);
		if (store_register_explain(
		        f->db.store, &cases[i].f, &plan, &err) != 0)
			fail_msg("explain: %s", err.msg);
		if (strstr(buf_cstr(&plan), index) == NULL ||
		    strstr(buf_cstr(&plan), scan) != NULL)
			fail_msg("case %zu: not by %s:\n%s", i, index,
			    buf_cstr(&plan));
		if (getenv("SHOW_PLANS"))
			print_message("%zu:\n%s", i, buf_cstr(&plan));
		buf_free(&plan);
	}
}

static void
test_pages(void **state)
{
	struct fixture *f = *state;
	struct register_query q;
	struct register_page page;
	char refs[512], first[512], second[512], third[512], back[512];
	char next[REGISTER_CURSOR_LEN], prev[REGISTER_CURSOR_LEN];
	int i;

	/* 23 visits on Tuesday at two desks: ties on time, ordered by id */
	for (i = 0; i < 23; i++) {
		char start[32], last[16];

		snprintf(start, sizeof start, "2026-12-08T%02d:%02d", 8 + i / 8,
		    (i % 8 / 2) * 15);
		snprintf(last, sizeof last, "Osoba%02d", i);
		book(f, start, i % 2 ? f->desk2 : f->db.desk, "Adam", last,
		    "a@example.pl", NULL);
	}
	register_query_init(&q);
	q.limit = 10;
	search(f, &q, &page, first, sizeof first);
	assert_int_equal(page.n, 10);
	assert_string_equal(page.prev, "");
	assert_string_not_equal(page.next, "");
	snprintf(next, sizeof next, "%s", page.next);
	register_page_free(&page);
	q.after = next;
	search(f, &q, &page, second, sizeof second);
	assert_int_equal(page.n, 10);
	assert_string_equal(page.rows[0].booking.last_name, "Osoba10");
	assert_string_not_equal(page.prev, "");
	snprintf(next, sizeof next, "%s", page.next);
	snprintf(prev, sizeof prev, "%s", page.prev);
	register_page_free(&page);
	q.after = next;
	search(f, &q, &page, third, sizeof third);
	assert_int_equal(page.n, 3);
	assert_string_equal(page.next, "");
	assert_string_equal(third, "Osoba20 Osoba21 Osoba22");
	register_page_free(&page);
	/* back from the second page: the first again, and it knows it is */
	q.after = NULL;
	q.before = prev;
	search(f, &q, &page, back, sizeof back);
	assert_string_equal(back, first);
	assert_string_equal(page.prev, "");
	assert_string_not_equal(page.next, "");
	register_page_free(&page);
	q.before = "garbage";
	{
		struct error err;

		error_clear(&err);
		assert_int_equal(
		    register_search(f->db.store, &q, &page, &err), -1);
		assert_string_equal(err.code, "cursor_invalid");
	}
	(void)refs;
}

static void
test_schedule(void **state)
{
	struct fixture *f = *state;
	struct register_query q;
	struct register_page page;
	struct booking gone;
	struct error err;
	char refs[256];

	struct booking first = book(f, "2026-12-08T08:00", f->db.desk, "Adam",
	    "Pierwszy", "a@example.pl", NULL);
	book(f, "2026-12-08T15:45", f->desk2, "Adam", "Drugi", "a@example.pl",
	    NULL);
	gone = book(f, "2026-12-08T10:00", f->db.desk, "Adam", "Odwolany",
	    "a@example.pl", NULL);
	book(f, "2026-12-09T15:45", f->db.desk, "Adam", "Trzeci",
	    "a@example.pl", NULL);
	error_clear(&err);
	assert_int_equal(booking_apply(f->db.store, f->db.config,
	                     gone.reference, ACTION_CANCEL, &f->db.citizen,
	                     testdb_local(MONDAY_9), NULL, &err),
	    0);
	/* Tuesday: the first desk closes, the second shortens to 15:00 */
	assert_int_equal(store_exception_add(f->db.store, f->db.desk,
	                     day("2026-12-08"), -1, 0, "awaria", &err),
	    0);
	assert_int_equal(
	    store_exception_add(f->db.store, f->desk2, day("2026-12-08"),
	        8 * 60, 15 * 60, "szkolenie", &err),
	    0);
	register_query_init(&q);
	search(f, &q, &page, refs, sizeof refs);
	assert_int_equal(page.n, 4);
	assert_false(page.rows[0].fits); /* Pierwszy: desk closed */
	assert_true(page.rows[1].fits);  /* Odwolany: holds no place */
	assert_false(page.rows[2].fits); /* Drugi: after the new closing */
	assert_true(page.rows[3].fits);  /* Trzeci: Wednesday as before */
	register_page_free(&page);
	q.schedule = 0;
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Pierwszy Drugi");
	register_page_free(&page);
	q.schedule = 1;
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Odwolany Trzeci");
	register_page_free(&page);
	/* a page of one at a time through the filter */
	q.schedule = 0;
	q.limit = 1;
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Pierwszy");
	assert_string_not_equal(page.next, "");
	{
		char next[REGISTER_CURSOR_LEN];

		snprintf(next, sizeof next, "%s", page.next);
		register_page_free(&page);
		q.after = next;
		search(f, &q, &page, refs, sizeof refs);
		assert_string_equal(refs, "Drugi");
		assert_string_equal(page.next, "");
		register_page_free(&page);
	}
	/* an admin keeps the first where it is (calendar.h): nothing to fix */
	assert_int_equal(store_booking_keep(f->db.store, first.id, first.start,
	                     testdb_local(MONDAY_9), &err),
	    0);
	q.after = NULL;
	q.limit = 0;
	search(f, &q, &page, refs, sizeof refs);
	assert_string_equal(refs, "Drugi");
	register_page_free(&page);
	{
		bool fits = false;

		assert_int_equal(
		    register_booking_fits(f->db.store, &first, &fits, &err), 0);
		assert_true(fits);
	}
}

/* the rows of one booking's outbox of a kind, counted by status */
static unsigned
outbox_rows(struct fixture *f, int64_t booking, const char *kind,
    const char *status, char *text, size_t size)
{
	struct said *list = NULL;
	struct error err;
	size_t n, i;
	unsigned count = 0;

	error_clear(&err);
	if (store_conversation_said(f->db.store, booking, &list, &n, &err) != 0)
		fail_msg("said: %s", err.msg);
	for (i = 0; i < n; i++)
		if (strcmp(list[i].kind, kind) == 0 &&
		    (status == NULL || strcmp(list[i].status, status) == 0)) {
			count++;
			if (text != NULL)
				snprintf(text, size, "%s", list[i].text);
		}
	said_list_free(list, n);
	return count;
}

static void
test_office_move(void **state)
{
	struct fixture *f = *state;
	struct booking b, moved, after;
	struct error err;
	unsigned count;
	char text[4096];
	time_t day_before = testdb_local("2026-12-07T12:30");

	b = book(f, "2026-12-08T12:00", f->db.desk, "Jan", "Kowalski",
	    "jan@example.pl", "600700800");
	confirm(f, &b);
	/* the reminder for the old time is queued, not sent yet */
	error_clear(&err);
	assert_int_equal(booking_remind_due(f->db.store, f->db.config,
	                     day_before, &count, &err),
	    0);
	assert_int_equal(count, 1);
	assert_int_equal(
	    outbox_rows(f, b.id, "reminder", "queued", NULL, 0), 2);

	/* staff move it to Wednesday at the other desk */
	if (booking_reschedule(f->db.store, f->db.config, b.reference,
	        "2026-12-09T10:00", f->desk2, &f->anna, day_before, &moved,
	        &err) != 0)
		fail_msg("move: %s", err.msg);
	assert_int_equal(moved.desk_id, f->desk2);
	assert_string_equal(moved.move_answer, "asked");
	assert_int_equal(moved.moved_at, day_before);
	assert_string_equal(moved.access_code, b.access_code);
	/* the old reminders are withdrawn, the notice asks TAK or NIE */
	assert_int_equal(
	    outbox_rows(f, b.id, "reminder", "queued", NULL, 0), 0);
	assert_int_equal(
	    outbox_rows(f, b.id, "reminder", "suppressed", NULL, 0), 2);
	assert_int_equal(
	    outbox_rows(f, b.id, "moved", "queued", text, sizeof text), 2);
	assert_non_null(strstr(text, "TAK"));
	assert_non_null(strstr(text, "NIE"));
	assert_non_null(strstr(text, "10:00"));
	outbox_rows(f, b.id, "moved", "queued", NULL, 0);
	{
		struct said *list = NULL;
		size_t n, i;
		bool mail = false;

		assert_int_equal(
		    store_conversation_said(f->db.store, b.id, &list, &n, &err),
		    0);
		for (i = 0; i < n; i++)
			if (strcmp(list[i].kind, "moved") == 0 &&
			    strcmp(list[i].channel, "email") == 0) {
				mail = true;
				assert_non_null(strstr(list[i].text,
				    "Urząd zmienił termin wizyty"));
				assert_non_null(strstr(list[i].text,
				    "Poprzedni termin: wtorek, 8 grudnia 2026, "
				    "12:00"));
				assert_non_null(strstr(
				    list[i].text, "Pokój 2 stanowisko 1"));
			}
		assert_true(mail);
		said_list_free(list, n);
	}
	/* the reminder is due again before the new time: and only then */
	assert_int_equal(booking_remind_due(f->db.store, f->db.config,
	                     day_before, &count, &err),
	    0);
	assert_int_equal(count, 0);
	assert_int_equal(booking_remind_due(f->db.store, f->db.config,
	                     testdb_local("2026-12-08T10:30"), &count, &err),
	    0);
	assert_int_equal(count, 1);
	assert_int_equal(
	    outbox_rows(f, b.id, "reminder", "queued", NULL, 0), 2);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "booking.reschedule", b.id, NULL),
	    1);

	/* the citizen keeps the new time: recorded and acknowledged */
	assert_int_equal(
	    booking_keep_moved(f->db.store, f->db.config, b.reference, &f->anna,
	        NOTIFY_ALL, NULL, day_before, NULL, &err),
	    -1);
	assert_string_equal(err.code, "forbidden");
	assert_int_equal(booking_keep_moved(f->db.store, f->db.config,
	                     b.reference, &f->email_citizen, NOTIFY_EMAIL, NULL,
	                     day_before, &after, &err),
	    0);
	assert_string_equal(after.move_answer, "kept");
	assert_int_equal(after.status, BOOKING_BOOKED);
	assert_int_equal(outbox_rows(f, b.id, "move_kept", NULL, NULL, 0), 1);
	/* a second TAK: nothing waits for it */
	assert_int_equal(booking_keep_moved(f->db.store, f->db.config,
	                     b.reference, &f->email_citizen, NOTIFY_EMAIL, NULL,
	                     day_before, &after, &err),
	    -1);
	assert_string_equal(err.code, "nothing_to_keep");

	/* moved again, close to the visit: the notice is the reminder */
	if (booking_reschedule(f->db.store, f->db.config, b.reference,
	        "2026-12-08T14:00", 0, &f->anna,
	        testdb_local("2026-12-08T10:45"), &moved, &err) != 0)
		fail_msg("move: %s", err.msg);
	assert_int_equal(moved.reminded_at, testdb_local("2026-12-08T10:45"));
	assert_string_equal(moved.move_answer, "asked");
	/* and NIE declines it */
	assert_int_equal(booking_apply(f->db.store, f->db.config, b.reference,
	                     ACTION_CANCEL, &f->email_citizen,
	                     testdb_local("2026-12-08T11:00"), &after, &err),
	    0);
	assert_string_equal(after.move_answer, "declined");
}

/* sms_row: the newest SMS of a kind about a booking: its status and when
 * it may go (next_attempt_at), its last error */
static time_t
sms_row(struct fixture *f, int64_t booking, const char *kind, char *status,
    size_t size, char *why, size_t why_size)
{
	struct outbox_message *list = NULL;
	struct error err;
	time_t at = 0;
	size_t n, i;

	error_clear(&err);
	if (store_outbox_list(
	        f->db.store, "sms", booking, 200, &list, &n, &err) != 0)
		fail_msg("outbox: %s", err.msg);
	status[0] = why[0] = '\0';
	for (i = 0; i < n; i++)
		if (strcmp(list[i].kind, kind) == 0) {
			snprintf(status, size, "%s",
			    outbox_status_name(list[i].status));
			snprintf(why, why_size, "%s", list[i].last_error);
			at = list[i].next_attempt_at;
			break; /* newest first */
		}
	outbox_list_free(list, n);
	return at;
}

static unsigned
remind_at(struct fixture *f, const char *at)
{
	struct error err;
	unsigned count = 0;

	error_clear(&err);
	if (booking_remind_due(
	        f->db.store, f->db.config, testdb_local(at), &count, &err) != 0)
		fail_msg("remind: %s", err.msg);
	return count;
}

/* a move re-arms every reminder of the list for the new time (those whose
 * moment is still ahead) and withdraws the old time's, also an SMS the
 * quiet hours hold till morning; a cancellation and an expiry withdraw
 * what is still queued about the visit */
static void
test_move_reminder_list(void **state)
{
	struct fixture *f = *state;
	struct booking b, moved, after;
	struct error err;
	char status[16], why[256];
	const char *bad = NULL;
	unsigned count;

	if (config_set(f->db.config, "booking", "reminder_before", "24h, 12h",
	        &bad) != 0 ||
	    config_set(
	        f->db.config, "sms", "quiet_hours", "21:00-08:00", &bad) != 0)
		fail_msg("config: %s", bad != NULL ? bad : "?");
	b = book(f, "2026-12-08T12:00", f->db.desk, "Jan", "Kowalski",
	    "jan@example.pl", "600700800");
	confirm(f, &b);
	/* Monday 12:00 the 24h reminder, Tuesday 00:00 the 12h one: its SMS
	 * held by the quiet hours till 08:00 */
	assert_int_equal(remind_at(f, "2026-12-07T12:00"), 1);
	assert_int_equal(remind_at(f, "2026-12-08T00:00"), 1);
	assert_int_equal(sms_row(f, b.id, "reminder", status, sizeof status,
	                     why, sizeof why),
	    testdb_local("2026-12-08T08:00"));
	assert_string_equal(status, "queued");
	assert_int_equal(
	    outbox_rows(f, b.id, "reminder", "queued", NULL, 0), 4);

	/* moved at night to Wednesday 12:00: every old reminder withdrawn,
	 * the held one too; the move's SMS, news asking TAK or NIE, goes at
	 * once */
	if (booking_reschedule(f->db.store, f->db.config, b.reference,
	        "2026-12-09T12:00", 0, &f->anna,
	        testdb_local("2026-12-08T00:30"), &moved, &err) != 0)
		fail_msg("move: %s", err.msg);
	assert_int_equal(
	    outbox_rows(f, b.id, "reminder", "queued", NULL, 0), 0);
	assert_int_equal(
	    outbox_rows(f, b.id, "reminder", "suppressed", NULL, 0), 4);
	sms_row(f, b.id, "reminder", status, sizeof status, why, sizeof why);
	assert_string_equal(why, "withdrawn: the visit was moved");
	assert_int_equal(
	    sms_row(f, b.id, "moved", status, sizeof status, why, sizeof why),
	    testdb_local("2026-12-08T00:30"));
	assert_string_equal(status, "queued");
	assert_int_equal(moved.reminded_at, testdb_local("2026-12-08T00:30"));

	/* both reminders of the list again, each at its moment before the
	 * new time, none before */
	assert_int_equal(remind_at(f, "2026-12-08T00:30"), 0);
	assert_int_equal(remind_at(f, "2026-12-08T11:59"), 0);
	assert_int_equal(remind_at(f, "2026-12-08T12:00"), 1);
	assert_int_equal(remind_at(f, "2026-12-08T12:01"), 0);
	assert_int_equal(remind_at(f, "2026-12-09T00:00"), 1);
	assert_int_equal(remind_at(f, "2026-12-09T06:00"), 0);
	assert_int_equal(
	    outbox_rows(f, b.id, "reminder", "queued", NULL, 0), 4);

	/* cancelled in the night: the reminders still queued (the SMS held
	 * till 08:00) and the move's notices do not follow */
	error_clear(&err);
	assert_int_equal(
	    booking_apply(f->db.store, f->db.config, b.reference, ACTION_CANCEL,
	        &f->db.citizen, testdb_local("2026-12-09T00:10"), &after, &err),
	    0);
	assert_int_equal(
	    outbox_rows(f, b.id, "reminder", "queued", NULL, 0), 0);
	assert_int_equal(outbox_rows(f, b.id, "moved", "queued", NULL, 0), 0);
	sms_row(f, b.id, "reminder", status, sizeof status, why, sizeof why);
	assert_string_equal(status, "suppressed");
	assert_string_equal(why, "withdrawn: the booking was cancelled");
	assert_int_equal(
	    outbox_rows(f, b.id, "cancelled", "queued", NULL, 0), 2);

	/* a pending booking the office moved, never confirmed: its expiry
	 * withdraws the move's notice */
	b = book(f, "2026-12-10T10:00", f->db.desk, "Ewa", "Nowak",
	    "ewa@example.pl", "600700801");
	if (booking_reschedule(f->db.store, f->db.config, b.reference,
	        "2026-12-10T11:00", 0, &f->anna,
	        testdb_local("2026-12-07T09:05"), &moved, &err) != 0)
		fail_msg("move: %s", err.msg);
	assert_int_equal(outbox_rows(f, b.id, "moved", "queued", NULL, 0), 2);
	error_clear(&err);
	assert_int_equal(booking_expire_due(f->db.store, f->db.config,
	                     moved.confirm_by + 1, &count, &err),
	    0);
	assert_int_equal(count, 1);
	assert_int_equal(outbox_rows(f, b.id, "moved", "queued", NULL, 0), 0);
	sms_row(f, b.id, "moved", status, sizeof status, why, sizeof why);
	assert_string_equal(why, "withdrawn: the booking expired");
}

static void
test_citizen_move_and_pending(void **state)
{
	struct fixture *f = *state;
	struct booking b, after;
	struct error err;

	/* the citizen's own move asks nothing */
	b = book(f, "2026-12-08T12:00", f->db.desk, "Jan", "Kowalski",
	    "jan@example.pl", NULL);
	error_clear(&err);
	assert_int_equal(booking_reschedule(f->db.store, f->db.config,
	                     b.reference, "2026-12-08T12:30", 0, &f->db.citizen,
	                     testdb_local(MONDAY_9), &after, &err),
	    0);
	assert_string_equal(after.move_answer, "");
	assert_int_equal(outbox_rows(f, b.id, "rescheduled", NULL, NULL, 0), 1);
	assert_int_equal(outbox_rows(f, b.id, "moved", NULL, NULL, 0), 0);
	/* a pending booking moved by staff: TAK confirms it */
	assert_int_equal(booking_reschedule(f->db.store, f->db.config,
	                     b.reference, "2026-12-08T13:00", 0, &f->anna,
	                     testdb_local(MONDAY_9), &after, &err),
	    0);
	assert_int_equal(after.status, BOOKING_PENDING);
	{
		char text[4096];

		outbox_rows(f, b.id, "moved", NULL, text, sizeof text);
		assert_non_null(strstr(text, "nie jest jeszcze potwierdzona"));
	}
	assert_int_equal(booking_keep_moved(f->db.store, f->db.config,
	                     b.reference, &f->email_citizen, NOTIFY_EMAIL, NULL,
	                     testdb_local(MONDAY_9), &after, &err),
	    0);
	assert_int_equal(after.status, BOOKING_BOOKED);
	assert_string_equal(after.move_answer, "kept");
	assert_int_equal(strlen(after.access_code), 6);
	assert_int_equal(outbox_rows(f, b.id, "access_code", NULL, NULL, 0), 1);
	/* nowhere to go: the same time and place */
	assert_int_equal(booking_reschedule(f->db.store, f->db.config,
	                     b.reference, "2026-12-08T13:00", 0, &f->anna,
	                     testdb_local(MONDAY_9), NULL, &err),
	    -1);
	assert_string_equal(err.code, "same_place");
}

static void
test_cancel_reason(void **state)
{
	struct fixture *f = *state;
	struct booking b, after;
	struct audit_entry last;
	struct error err;
	char text[4096], reason[300];

	b = book(f, "2026-12-08T12:00", f->db.desk, "Jan", "Kowalski",
	    "jan@example.pl", "600700800");
	error_clear(&err);
	assert_int_equal(
	    booking_cancel_because(f->db.store, f->db.config, b.reference,
	        "Za późno", &f->db.citizen, testdb_local(MONDAY_9), NULL, &err),
	    -1);
	assert_string_equal(err.code, "forbidden");
	memset(reason, 'x', sizeof reason - 1);
	reason[sizeof reason - 1] = '\0';
	assert_int_equal(
	    booking_cancel_because(f->db.store, f->db.config, b.reference,
	        reason, &f->anna, testdb_local(MONDAY_9), NULL, &err),
	    -1);
	assert_string_equal(err.code, "reason_too_long");
	assert_int_equal(
	    booking_cancel_because(f->db.store, f->db.config, b.reference,
	        "Bad\x01", &f->anna, testdb_local(MONDAY_9), NULL, &err),
	    -1);
	assert_string_equal(err.code, "reason_invalid");
	assert_int_equal(
	    booking_cancel_because(f->db.store, f->db.config, b.reference,
	        "Urzędnik prowadzący sprawę jest na zwolnieniu", &f->anna,
	        testdb_local(MONDAY_9), &after, &err),
	    0);
	assert_int_equal(after.status, BOOKING_CANCELLED);
	assert_int_equal(outbox_rows(f, b.id, "cancelled", NULL, NULL, 0), 2);
	outbox_rows(f, b.id, "cancelled", NULL, text, sizeof text);
	/* the SMS is the newest row: the reason, cut short enough */
	assert_non_null(strstr(text, "Urzędnik prowadzący sprawę jest na"));
	assert_int_equal(
	    testdb_audit_count(f->db.store, "booking.cancel", b.id, &last), 1);
	assert_null(strstr(last.detail, "Urzędnik"));
	assert_string_equal(last.detail, "reason: 48 bytes");
}

static void
test_conversation(void **state)
{
	struct fixture *f = *state;
	struct conversation c;
	struct booking b;
	struct error err;
	bool duplicate;
	size_t i;
	char order[512] = "";

	b = book(f, "2026-12-08T12:00", f->db.desk, "Jan", "Kowalski",
	    "jan@example.pl", "600700800");
	error_clear(&err);
	/* a reply, recorded and read by the gateway */
	assert_int_equal(
	    store_inbox_add(f->db.store, "sms", "k1", "+48600700800",
	        "Tak, będę", strlen("Tak, będę"),
	        testdb_local("2026-12-07T09:05"), &duplicate, &err),
	    0);
	{
		struct inbox_message m;

		assert_int_equal(store_inbox_next(f->db.store, &m, &err), 0);
		assert_int_equal(
		    store_inbox_mark(f->db.store, m.id, "processed", b.id,
		        "confirm", "confirm by reply", &err),
		    0);
		inbox_message_free(&m);
	}
	assert_int_equal(booking_apply(f->db.store, f->db.config, b.reference,
	                     ACTION_CONFIRM, &f->email_citizen,
	                     testdb_local("2026-12-07T09:05"), NULL, &err),
	    0);
	assert_int_equal(
	    booking_add_note(f->db.store, f->db.config, b.reference,
	        "Dzwonił, przyjdzie z pełnomocnikiem", &f->anna,
	        testdb_local("2026-12-07T09:10"), NULL, &err),
	    0);
	assert_int_equal(
	    conversation_get(f->db.store, b.reference, &c, &err), 0);
	for (i = 0; i < c.n; i++) {
		size_t used = strlen(order);

		snprintf(order + used, sizeof order - used, "%s%s:%s%s%s",
		    i ? " " : "", talk_direction_name(c.talk[i].direction),
		    c.talk[i].kind, c.talk[i].channel[0] ? "/" : "",
		    c.talk[i].channel);
	}
	assert_string_equal(order,
	    "event:create out:confirm_request/email out:confirm_request/sms "
	    "in:reply/sms event:confirm out:access_code/email "
	    "out:access_code/sms staff:note");
	for (i = 0; i < c.n; i++)
		if (c.talk[i].direction == TALK_IN) {
			assert_string_equal(c.talk[i].text, "Tak, będę");
			assert_string_equal(c.talk[i].verdict, "confirm");
		} else if (c.talk[i].direction == TALK_STAFF) {
			assert_string_equal(c.talk[i].actor, "staff:anna");
			assert_string_equal(c.talk[i].text,
			    "Dzwonił, przyjdzie z pełnomocnikiem");
		}
	conversation_free(&c);
	assert_int_equal(
	    conversation_get(f->db.store, "NOSUCHREF1", &c, &err), -1);
	assert_string_equal(err.code, "unknown_booking");
}

int
main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, testdb_teardown)
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fold),
	    T(test_fold_sql),
	    T(test_filters),
	    T(test_plans),
	    T(test_pages),
	    T(test_schedule),
	    T(test_office_move),
	    T(test_move_reminder_list),
	    T(test_citizen_move_and_pending),
	    T(test_cancel_reason),
	    T(test_conversation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
