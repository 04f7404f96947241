/*
 * test_booking_state.c: every (status, action) pair of the state machine.
 * The expected table is written out here independently of
 * lib/booking_state.c, so a changed transition fails a test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "booking_state.h"

struct transition {
	enum booking_status from;
	enum booking_action action;
	enum booking_status to;
};

/* The legal moves: the diagram of booking_state.h, plus the moves the
 * floor needs that the diagram leaves out (a booked citizen who never
 * came is a no-show, a waiting one may cancel, a called one may be called
 * again, and reschedule keeps the status). */
static const struct transition legal[] = {
	{ BOOKING_PENDING, ACTION_CONFIRM, BOOKING_BOOKED },
	{ BOOKING_PENDING, ACTION_CANCEL, BOOKING_CANCELLED },
	{ BOOKING_PENDING, ACTION_EXPIRE, BOOKING_EXPIRED },
	{ BOOKING_PENDING, ACTION_RESCHEDULE, BOOKING_PENDING },
	{ BOOKING_BOOKED, ACTION_CANCEL, BOOKING_CANCELLED },
	{ BOOKING_BOOKED, ACTION_CHECK_IN, BOOKING_WAITING },
	{ BOOKING_BOOKED, ACTION_CALL, BOOKING_CALLED },
	{ BOOKING_BOOKED, ACTION_NO_SHOW, BOOKING_NO_SHOW },
	{ BOOKING_BOOKED, ACTION_RESCHEDULE, BOOKING_BOOKED },
	{ BOOKING_WAITING, ACTION_CANCEL, BOOKING_CANCELLED },
	{ BOOKING_WAITING, ACTION_CALL, BOOKING_CALLED },
	{ BOOKING_WAITING, ACTION_NO_SHOW, BOOKING_NO_SHOW },
	{ BOOKING_CALLED, ACTION_CALL, BOOKING_CALLED },
	{ BOOKING_CALLED, ACTION_START, BOOKING_IN_SERVICE },
	{ BOOKING_CALLED, ACTION_NO_SHOW, BOOKING_NO_SHOW },
	{ BOOKING_IN_SERVICE, ACTION_FINISH, BOOKING_DONE },
};

static const struct transition *
find_legal(enum booking_status from, enum booking_action action)
{
	size_t i;

	for (i = 0; i < sizeof legal / sizeof legal[0]; i++)
		if (legal[i].from == from && legal[i].action == action)
			return &legal[i];
	return NULL;
}

static void
test_every_pair(void **state)
{
	int from, action, nlegal = 0;

	(void)state;
	for (from = 0; from < BOOKING_STATUS_COUNT; from++)
		for (action = 0; action < ACTION_COUNT; action++) {
			const struct transition *t = find_legal(from, action);
			enum booking_status to = BOOKING_STATUS_COUNT;
			int rc = booking_next(from, action, &to);

			if (t != NULL) {
				nlegal++;
				if (rc != 0 || to != t->to)
					fail_msg("%s + %s: got rc %d → %s, want %s",
					    booking_status_name(from),
					    booking_action_name(action), rc,
					    booking_status_name(to),
					    booking_status_name(t->to));
			} else if (rc != -1 || to != BOOKING_STATUS_COUNT)
				fail_msg("%s + %s allowed (→ %s)", booking_status_name(from),
				    booking_action_name(action), booking_status_name(to));
		}
	assert_int_equal(nlegal, sizeof legal / sizeof legal[0]);
}

static void
test_final_statuses_are_final(void **state)
{
	static const enum booking_status final[] = { BOOKING_DONE, BOOKING_NO_SHOW,
		BOOKING_CANCELLED, BOOKING_EXPIRED };
	size_t i;
	int action;

	(void)state;
	for (i = 0; i < sizeof final / sizeof final[0]; i++)
		for (action = 0; action < ACTION_COUNT; action++) {
			enum booking_status to;

			assert_int_equal(booking_next(final[i], action, &to), -1);
		}
}

static void
test_out_of_range(void **state)
{
	enum booking_status to = BOOKING_PENDING;

	(void)state;
	assert_int_equal(booking_next(BOOKING_STATUS_COUNT, ACTION_CONFIRM, &to), -1);
	assert_int_equal(booking_next(BOOKING_PENDING, ACTION_COUNT, &to), -1);
	assert_int_equal(booking_next((enum booking_status)-1, ACTION_CONFIRM, &to), -1);
	assert_int_equal(to, BOOKING_PENDING);
	assert_string_equal(booking_status_name(BOOKING_STATUS_COUNT), "unknown");
	assert_string_equal(booking_action_name(ACTION_COUNT), "unknown");
}

static void
test_live(void **state)
{
	(void)state;
	assert_true(booking_status_live(BOOKING_PENDING));
	assert_true(booking_status_live(BOOKING_BOOKED));
	assert_true(booking_status_live(BOOKING_WAITING));
	assert_true(booking_status_live(BOOKING_CALLED));
	assert_true(booking_status_live(BOOKING_IN_SERVICE));
	assert_false(booking_status_live(BOOKING_DONE));
	assert_false(booking_status_live(BOOKING_NO_SHOW));
	assert_false(booking_status_live(BOOKING_CANCELLED));
	assert_false(booking_status_live(BOOKING_EXPIRED));
}

/* the SQL lists and the transition table say the same */
static void
test_open_is_reschedulable(void **state)
{
	int s;

	(void)state;
	for (s = 0; s < BOOKING_STATUS_COUNT; s++)
		assert_int_equal(booking_status_open((enum booking_status)s),
		    booking_action_legal(
		        (enum booking_status)s, ACTION_RESCHEDULE));
	for (s = 0; s < BOOKING_STATUS_COUNT; s++)
		if (booking_status_open((enum booking_status)s))
			assert_true(
			    booking_status_live((enum booking_status)s));
}

static void
test_names(void **state)
{
	/* CONTRACT.md's status names, in enum order */
	static const char *const statuses[] = { "pending", "booked", "waiting",
		"called", "in_service", "done", "no_show", "cancelled", "expired" };
	static const char *const actions[] = { "confirm", "cancel", "expire",
		"check_in", "call", "start", "finish", "no_show", "reschedule" };
	int i;

	(void)state;
	assert_int_equal(sizeof statuses / sizeof statuses[0], BOOKING_STATUS_COUNT);
	assert_int_equal(sizeof actions / sizeof actions[0], ACTION_COUNT);
	for (i = 0; i < BOOKING_STATUS_COUNT; i++) {
		enum booking_status s = BOOKING_STATUS_COUNT;

		assert_string_equal(booking_status_name(i), statuses[i]);
		assert_int_equal(booking_status_parse(statuses[i], &s), 0);
		assert_int_equal(s, i);
		assert_true(strlen(booking_status_label_pl(i)) > 0);
		assert_true(strlen(booking_status_label_en(i)) > 0);
	}
	for (i = 0; i < ACTION_COUNT; i++) {
		enum booking_action a = ACTION_COUNT;

		assert_string_equal(booking_action_name(i), actions[i]);
		assert_int_equal(booking_action_parse(actions[i], &a), 0);
		assert_int_equal(a, i);
	}
	/* the Polish labels the floor uses (CONTRACT.md) */
	assert_string_equal(booking_status_label_pl(BOOKING_BOOKED), "Rezerwacja");
	assert_string_equal(booking_status_label_pl(BOOKING_WAITING), "Oczekujący");
	assert_string_equal(booking_status_label_pl(BOOKING_CALLED), "Zapraszam");
	assert_string_equal(booking_status_label_pl(BOOKING_IN_SERVICE), "W toku");
	assert_string_equal(booking_status_label_pl(BOOKING_NO_SHOW),
	    "Rezerwacja niezrealizowana");
	{
		enum booking_status s = BOOKING_DONE;
		enum booking_action a = ACTION_FINISH;

		assert_int_equal(booking_status_parse("PENDING", &s), -1);
		assert_int_equal(booking_status_parse("", &s), -1);
		assert_int_equal(booking_status_parse("pending ", &s), -1);
		assert_int_equal(booking_status_parse("unknown", &s), -1);
		assert_int_equal(s, BOOKING_DONE);
		assert_int_equal(booking_action_parse("Confirm", &a), -1);
		assert_int_equal(booking_action_parse("", &a), -1);
		assert_int_equal(booking_action_parse("checkin", &a), -1);
		assert_int_equal(a, ACTION_FINISH);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_pair),
	    cmocka_unit_test(test_final_statuses_are_final),
	    cmocka_unit_test(test_out_of_range),
	    cmocka_unit_test(test_live),
	    cmocka_unit_test(test_open_is_reschedulable),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
