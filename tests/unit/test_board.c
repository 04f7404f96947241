/* test_board.c: the live pages' rows (lib/board.h), what changed between
 * two readings, the estimated waits; the store's change token and day
 * marks; which desk actions the domain offers at a given clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "board.h"
#include "booking.h"
#include "config.h"
#include "office_time.h"
#include "store.h"
#include "testdb.h"

static time_t
at(const char *local)
{
	time_t t;

	assert_int_equal(otime_parse(local, &t), 0);
	return t;
}

static struct booking
visit(int64_t id, const char *code, const char *start, int64_t desk,
    int64_t service, enum booking_status status)
{
	struct booking b;

	memset(&b, 0, sizeof b);
	b.id = id;
	snprintf(b.reference, sizeof b.reference, "REF%07lld", (long long)id);
	snprintf(b.access_code, sizeof b.access_code, "%s", code);
	b.start = at(start);
	b.end = b.start + 15 * 60;
	b.desk_id = desk;
	b.service_id = service;
	b.status = status;
	snprintf(b.first_name, sizeof b.first_name, "Zofia");
	snprintf(b.last_name, sizeof b.last_name, "Tajna");
	snprintf(b.email, sizeof b.email, "zofia@example.pl");
	snprintf(b.phone, sizeof b.phone, "+48600100200");
	snprintf(b.desk_name, sizeof b.desk_name, "Pokój %lld stanowisko 1",
	    (long long)desk);
	snprintf(b.room, sizeof b.room, "Pokój %lld", (long long)desk);
	snprintf(b.service_name, sizeof b.service_name, "Usługa %lld",
	    (long long)service);
	return b;
}

static void
test_public_row(void **state)
{
	struct booking b =
	    visit(7, "123456", "2026-12-08T09:30", 1, 2, BOOKING_CALLED);
	json_t *row;
	char *text;

	(void)state;
	b.called_at = at("2026-12-08T09:41") + 17;
	row = board_public_row(&b);
	text = json_dumps(row, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(text,
	    "{\"called_at\":\"09:41:17\",\"code\":\"123456\",\"desk\":\"Pokój "
	    "1 "
	    "stanowisko 1\",\"desk_id\":1,\"label\":\"Zapraszam\","
	    "\"label_en\":\"Called\",\"room\":\"Pokój 1\",\"service_id\":2,"
	    "\"status\":\"called\",\"time\":\"09:30\"}");
	assert_null(strstr(text, "Tajna"));
	assert_null(strstr(text, "example"));
	assert_null(strstr(text, "600100"));
	free(text);
	json_decref(row);
}

static void
test_visible(void **state)
{
	struct booking b = visit(1, "123456", "2026-12-08T09:00", 1, 1, 0);
	int s;

	(void)state;
	for (s = 0; s < BOOKING_STATUS_COUNT; s++) {
		b.status = (enum booking_status)s;
		assert_int_equal(board_visible(&b),
		    s == BOOKING_BOOKED || s == BOOKING_WAITING ||
		        s == BOOKING_CALLED || s == BOOKING_IN_SERVICE);
	}
	b.status = BOOKING_BOOKED;
	b.access_code[0] = '\0'; /* never on a board without a code */
	assert_false(board_visible(&b));
}

static void
test_diff(void **state)
{
	struct booking day[3] = {
	    visit(1, "111111", "2026-12-08T09:00", 1, 1, BOOKING_WAITING),
	    visit(2, "222222", "2026-12-08T09:15", 2, 1, BOOKING_BOOKED),
	    visit(3, "", "2026-12-08T09:30", 1, 1, BOOKING_PENDING),
	};
	json_t *before, *now, *changed, *rows;

	(void)state;
	before = board_snapshot(day, 3, NULL, 0, false);
	assert_int_equal(json_object_size(before), 2); /* no code: not public */
	changed = board_diff(NULL, before);
	assert_int_equal(json_array_size(changed), 2);
	json_decref(changed);

	day[0].status = BOOKING_CALLED;
	day[0].called_at = at("2026-12-08T09:05");
	now = board_snapshot(day, 2, NULL, 0, false);
	changed = board_diff(before, now);
	assert_int_equal(json_array_size(changed), 1);
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(changed, 0), "status")),
	    "called");
	json_decref(changed);
	json_decref(now);

	/* 2 left the board: its row says so */
	day[1].status = BOOKING_DONE;
	now = board_snapshot(day, 2, NULL, 0, false);
	changed = board_diff(before, now);
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(changed, 1), "status")),
	    "done");
	rows = board_rows(now, 0, NULL);
	assert_int_equal(json_array_size(rows), 1);
	json_decref(rows);
	json_decref(changed);
	changed = board_diff(now, now);
	assert_int_equal(json_array_size(changed), 0);
	json_decref(changed);
	json_decref(now);

	/* gone from the day altogether */
	now = board_snapshot(day, 1, NULL, 0, false);
	changed = board_diff(before, now);
	assert_int_equal(json_array_size(changed), 2);
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(changed, 1), "status")),
	    "gone");
	json_decref(changed);
	json_decref(now);
	json_decref(before);
}

static void
test_rows_filter_and_order(void **state)
{
	struct booking day[4] = {
	    visit(1, "111111", "2026-12-08T10:00", 1, 1, BOOKING_WAITING),
	    visit(2, "222222", "2026-12-08T09:00", 2, 1, BOOKING_BOOKED),
	    visit(3, "333333", "2026-12-08T09:30", 1, 1, BOOKING_IN_SERVICE),
	    visit(4, "444444", "2026-12-08T08:00", 1, 1, BOOKING_DONE),
	};
	json_t *snap = board_snapshot(day, 4, NULL, 0, false), *rows;

	(void)state;
	rows = board_rows(snap, 0, NULL);
	assert_int_equal(json_array_size(rows), 3);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(rows, 0), "code")),
	    "222222");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(rows, 2), "code")),
	    "111111");
	json_decref(rows);
	rows = board_rows(snap, 1, NULL);
	assert_int_equal(json_array_size(rows), 2);
	json_decref(rows);
	rows = board_rows(snap, 0, "Pokój 2");
	assert_int_equal(json_array_size(rows), 1);
	json_decref(rows);
	json_decref(snap);
}

static void
test_staff_rows_late(void **state)
{
	struct booking day[2] = {
	    visit(4, "111111", "2026-12-08T10:00", 1, 1, BOOKING_BOOKED),
	    visit(9, "222222", "2026-12-08T10:15", 1, 1, BOOKING_BOOKED),
	};
	struct booking_mark marks[1] = {{9, 0}};
	json_t *snap;

	(void)state;
	marks[0].at = at("2026-12-08T09:12");
	snap = board_snapshot(day, 2, marks, 1, true);
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(snap, "9"), "late_at")),
	    "09:12");
	assert_string_equal(json_string_value(json_object_get(
	                        json_object_get(snap, "4"), "late_at")),
	    "");
	assert_null(json_object_get(json_object_get(snap, "4"), "last_name"));
	json_decref(snap);
}

static long
minutes_of(json_t *waits, int64_t service)
{
	json_t *w;
	size_t i;

	json_array_foreach(waits, i, w)
	{
		if (json_integer_value(json_object_get(w, "service_id")) ==
		    service)
			return (long)json_integer_value(
			    json_object_get(w, "minutes"));
	}
	return -1;
}

static void
test_waits(void **state)
{
	struct booking day[6] = {
	    /* service 1: two done today, 10 and 20 minutes, at two desks */
	    visit(1, "100001", "2026-12-08T08:00", 1, 1, BOOKING_DONE),
	    visit(2, "100002", "2026-12-08T08:00", 2, 1, BOOKING_DONE),
	    visit(3, "100003", "2026-12-08T08:30", 1, 1, BOOKING_WAITING),
	    visit(4, "100004", "2026-12-08T08:30", 1, 1, BOOKING_WAITING),
	    visit(5, "100005", "2026-12-08T08:45", 2, 1, BOOKING_WAITING),
	    /* service 2: nothing measured yet: the slot's 15 minutes */
	    visit(6, "200001", "2026-12-08T09:00", 3, 2, BOOKING_WAITING),
	};
	json_t *waits;

	(void)state;
	day[0].started_at = at("2026-12-08T08:00");
	day[0].ended_at = day[0].started_at + 10 * 60;
	day[1].started_at = at("2026-12-08T08:02");
	day[1].ended_at = day[1].started_at + 20 * 60;
	waits = board_waits(day, 6);
	/* 3 waiting × 15 min average / 2 desks = 22.5 → 23 */
	assert_int_equal(minutes_of(waits, 1), 23);
	assert_int_equal(minutes_of(waits, 2), 15);
	assert_true(json_is_true(
	    json_object_get(json_array_get(waits, 0), "measured")));
	assert_true(json_is_false(
	    json_object_get(json_array_get(waits, 1), "measured")));
	json_decref(waits);
}

static void
test_store_live(void **state)
{
	char dir[128], path[160];
	struct store *a, *b;
	struct error err;
	struct booking bk;
	struct booking_mark *marks = NULL;
	int64_t service, desk;
	struct store_token token = STORE_TOKEN_START;
	unsigned waiting = 9;
	size_t n = 0;

	(void)state;
	error_clear(&err);
	assert_int_equal(
	    testdb_make("board", dir, sizeof dir, path, sizeof path), 0);
	assert_non_null(a = store_open(path, &err));
	{
		int from, to;

		assert_int_equal(store_migrate(a, &from, &to, &err), 0);
	}
	assert_non_null(b = store_open(path, &err));
	assert_int_equal(testdb_catalog(a, &service, &desk, &err), 0);
	assert_int_equal(store_changes_wait(b, &token, 0, &err),
	    STORE_CHANGED_BOOKINGS | STORE_CHANGED_SETTINGS); /* the first */
	assert_int_equal(store_changes_wait(b, &token, 0, &err), 0);
	assert_int_equal(store_changes_wait(b, &token, 40, &err), 0);
	memset(&bk, 0, sizeof bk);
	snprintf(bk.reference, sizeof bk.reference, "ABCDEFGHJK");
	snprintf(bk.token, sizeof bk.token, "0123456789abcdef");
	snprintf(bk.language, sizeof bk.language, "pl");
	snprintf(bk.source, sizeof bk.source, "web");
	bk.service_id = service;
	bk.desk_id = desk;
	bk.start = at("2026-12-08T09:00");
	bk.end = bk.start + 900;
	bk.status = BOOKING_WAITING;
	/* a write that is not about a booking wakes nobody */
	assert_int_equal(store_kv_set(a, "imap.uid", "7", &err), 0);
	assert_int_equal(store_changes_wait(b, &token, 60, &err), 0);
	/* a booking's change (its event) in another connection: it moves */
	assert_int_equal(store_booking_insert(a, &bk, &err), 0);
	assert_int_equal(store_event_add(a, bk.id, at("2026-12-08T08:50"),
	                     "citizen:sms", "reply_late", "", &err),
	    0);
	assert_int_equal(
	    store_changes_wait(b, &token, 1000, &err), STORE_CHANGED_BOOKINGS);
	assert_int_equal(store_changes_wait(b, &token, 0, &err), 0);
	/* an admin's settings change in another connection: it moves too,
	 * and says what moved */
	assert_int_equal(store_begin(a, &err), 0);
	assert_int_equal(
	    store_setting_put(a, "confirm_within", "45m", 0, "admin", &err), 0);
	assert_int_equal(store_settings_bump(a, &err), 0);
	assert_int_equal(store_commit(a, &err), 0);
	assert_int_equal(
	    store_changes_wait(b, &token, 1000, &err), STORE_CHANGED_SETTINGS);
	assert_int_equal(store_changes_wait(b, &token, 0, &err), 0);
	assert_int_equal(store_event_add(a, bk.id, at("2026-12-08T08:55"),
	                     "citizen:sms", "reply_late", "", &err),
	    0);
	assert_int_equal(store_day_marks(b, date_of(bk.start), "reply_late",
	                     &marks, &n, &err),
	    0);
	assert_int_equal(n, 1);
	assert_int_equal(marks[0].booking_id, bk.id);
	assert_int_equal(marks[0].at, at("2026-12-08T08:55")); /* the latest */
	free(marks);
	assert_int_equal(
	    store_desk_waiting(b, desk, date_of(bk.start), &waiting, &err), 0);
	assert_int_equal(waiting, 1);
	store_close(b);
	store_close(a);
	testdb_remove(dir, path);
}

static void
test_actions_offered(void **state)
{
	struct config *c;
	struct error err;
	struct account clerk, receptionist;
	struct actor staff, reception;
	struct booking b =
	    visit(1, "123456", "2026-12-08T09:00", 1, 1, BOOKING_WAITING);
	time_t before = at("2026-12-08T08:30"), after = at("2026-12-08T09:10");

	(void)state;
	error_clear(&err);
	assert_non_null(c = config_load("/dev/null", &err));
	memset(&clerk, 0, sizeof clerk);
	clerk.id = 1;
	clerk.role = ROLE_STAFF;
	receptionist = clerk;
	receptionist.role = ROLE_RECEPTION;
	staff = actor_operator(&clerk, VIA_WEB, NULL);
	reception = actor_operator(&receptionist, VIA_WEB, NULL);
	assert_true(booking_action_allowed(c, &b, ACTION_CALL, &staff, before));
	assert_false(
	    booking_action_allowed(c, &b, ACTION_CALL, &reception, before));
	assert_false(
	    booking_action_allowed(c, &b, ACTION_NO_SHOW, &staff, before));
	assert_true(
	    booking_action_allowed(c, &b, ACTION_NO_SHOW, &staff, after));
	assert_false(
	    booking_action_allowed(c, &b, ACTION_FINISH, &staff, after));
	assert_false(booking_action_allowed(
	    c, &b, ACTION_CALL, &staff, at("2026-12-09T09:00")));
	b.status = BOOKING_IN_SERVICE;
	b.started_at = after;
	assert_true(
	    booking_action_allowed(c, &b, ACTION_FINISH, &staff, after));
	assert_false(booking_action_allowed(
	    c, &b, ACTION_FINISH, &staff, after - 60)); /* before it started */
	config_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_public_row),
	    cmocka_unit_test(test_visible),
	    cmocka_unit_test(test_diff),
	    cmocka_unit_test(test_rows_filter_and_order),
	    cmocka_unit_test(test_staff_rows_late),
	    cmocka_unit_test(test_waits),
	    cmocka_unit_test(test_store_live),
	    cmocka_unit_test(test_actions_offered),
	};
	struct error err;

	error_clear(&err);
	if (otime_init("Europe/Warsaw", &err) != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
