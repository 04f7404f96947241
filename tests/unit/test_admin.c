/*
 * test_admin.c: the admin module's domain over a real SQLite file, at a
 * fixed clock (Monday 2026-12-07 09:00, Europe/Warsaw):
 *
 *   - each per-service rule in the booking domain: lead time, horizon,
 *     confirm_within, people per slot, max open bookings per person,
 *     staff-only services (citizens never, staff yes);
 *   - calendar changes that would strand bookings are refused until the
 *     admin chooses (move: the citizen is told; keep; cancel: told), a
 *     preview writes nothing, and everything commits with its audit rows;
 *   - holidays: the statutory ones closed, editable both ways;
 *   - structure: validation names the field, only admins, audit rows
 *     before → after, a unit with services cannot retire;
 *   - accounts: one-time password links, reset, the last admin kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "accounts.h"
#include "auth.h"
#include "booking.h"
#include "calendar.h"
#include "log.h"
#include "structure.h"
#include "testdb.h"

struct fixture {
	struct testdb db;
	int64_t unit;
	struct actor anna, admin;
};

#define MONDAY_9 "2026-12-07T09:00"

static int
setup(void **state)
{
	struct fixture *f = testdb_new(sizeof *f, "admin", true);
	struct service sv;
	struct error err;

	if (f == NULL)
		return -1;
	f->db.config->booking_lead_time = 0;
	f->db.config->booking_horizon = 60 * 86400;
	f->db.config->confirm_within = 30 * 60;
	error_clear(&err);
	if (store_service_get(f->db.store, f->db.service, &sv, &err) != 0 ||
	    testdb_operator(f->db.store, "anna", ROLE_STAFF, &f->anna, &err) !=
	        0 ||
	    testdb_operator(f->db.store, "adam", ROLE_ADMIN, &f->admin, &err) !=
	        0) {
		print_error("setup: %s\n", err.msg);
		return -1;
	}
	f->unit = sv.unit_id;
	*state = f;
	return 0;
}

static int
try_book(struct fixture *f, const struct actor *who, const char *start,
    const char *email, struct booking *b, struct error *err)
{
	struct booking_request r = testdb_request(&f->db, start, email, NULL);

	error_clear(err);
	return booking_create(
	    f->db.store, f->db.config, &r, who, testdb_local(MONDAY_9), b, err);
}

static struct booking
book(struct fixture *f, const char *start, const char *email)
{
	struct booking b;
	struct error err;

	if (try_book(f, &f->db.citizen, start, email, &b, &err) != 0)
		fail_msg("booking %s refused: %s", start, err.msg);
	return b;
}

/* set: one field of the service, as an admin */
static void
service_set(struct fixture *f, struct service_patch *p)
{
	struct calendar_request req;
	struct calendar_result res;
	struct error err;

	memset(&req, 0, sizeof req);
	error_clear(&err);
	if (structure_service_update(f->db.store, f->db.config, f->db.service,
	        p, &req, &f->admin, testdb_local(MONDAY_9), NULL, &res,
	        &err) != 0)
		fail_msg("service update: %s (%s)", err.msg, err.field);
	calendar_result_free(&res);
}

static size_t
outbox_kind(struct fixture *f, int64_t booking_id, const char *kind)
{
	return testdb_outbox_count(f->db.store, booking_id, NULL, kind, NULL);
}

static void
test_lead_time_and_horizon(void **state)
{
	struct fixture *f = *state;
	struct service_patch p;
	struct slot *slots = NULL;
	struct booking b;
	struct error err;
	size_t n;

	memset(&p, 0, sizeof p);
	p.set = SERVICE_LEAD_TIME | SERVICE_HORIZON;
	p.v.lead_time = 2 * 3600;
	p.v.horizon = 86400;
	service_set(f, &p);
	assert_int_equal(try_book(f, &f->db.citizen, "2026-12-07T10:45",
	                     "a@example.pl", &b, &err),
	    -1);
	assert_string_equal(err.code, "too_soon");
	book(f, "2026-12-07T11:00", "a@example.pl");
	assert_int_equal(try_book(f, &f->db.citizen, "2026-12-08T10:00",
	                     "b@example.pl", &b, &err),
	    -1);
	assert_string_equal(err.code, "outside_horizon");
	book(f, "2026-12-08T09:00", "b@example.pl");
	/* the slots follow the same rules */
	assert_int_equal(booking_slots(f->db.store, f->db.config, f->db.service,
	                     (struct date){2026, 12, 7}, testdb_local(MONDAY_9),
	                     &slots, &n, &err),
	    0);
	assert_true(n > 0);
	assert_true(slots[0].start >= testdb_local("2026-12-07T11:15"));
	free(slots);
	assert_int_equal(booking_slots(f->db.store, f->db.config, f->db.service,
	                     (struct date){2026, 12, 8}, testdb_local(MONDAY_9),
	                     &slots, &n, &err),
	    0);
	assert_true(
	    n > 0 && slots[n - 1].start <= testdb_local("2026-12-08T09:00"));
	free(slots);
	/* back to the office's rules */
	p.v.lead_time = p.v.horizon = 0;
	service_set(f, &p);
	book(f, "2026-12-08T10:00", "c@example.pl");
}

static void
test_confirm_within(void **state)
{
	struct fixture *f = *state;
	struct service_patch p;
	struct booking b, c;
	struct error err;
	unsigned count;

	memset(&p, 0, sizeof p);
	p.set = SERVICE_CONFIRM_WITHIN;
	p.v.confirm_within = 10 * 60;
	service_set(f, &p);
	b = book(f, "2026-12-08T10:00", "a@example.pl");
	assert_int_equal(b.confirm_by, testdb_local(MONDAY_9) + 600);
	error_clear(&err);
	assert_int_equal(booking_expire_due(f->db.store, f->db.config,
	                     testdb_local("2026-12-07T09:09"), &count, &err),
	    0);
	assert_int_equal(count, 0);
	assert_int_equal(booking_expire_due(f->db.store, f->db.config,
	                     testdb_local("2026-12-07T09:11"), &count, &err),
	    0);
	assert_int_equal(count, 1);
	assert_int_equal(store_booking_get(f->db.store, b.id, &c, &err), 0);
	assert_int_equal(c.status, BOOKING_EXPIRED);
}

static void
test_capacity_and_max_open(void **state)
{
	struct fixture *f = *state;
	struct service_patch p;
	struct slot *slots = NULL;
	struct booking b;
	struct error err;
	size_t n;

	memset(&p, 0, sizeof p);
	p.set = SERVICE_CAPACITY | SERVICE_MAX_OPEN;
	p.v.capacity = 3;
	p.v.max_open_per_person = 1;
	service_set(f, &p);
	assert_int_equal(booking_slots(f->db.store, f->db.config, f->db.service,
	                     (struct date){2026, 12, 8}, testdb_local(MONDAY_9),
	                     &slots, &n, &err),
	    0);
	assert_true(n > 0);
	assert_int_equal(slots[0].free, 3);
	free(slots);
	book(f, "2026-12-08T10:00", "a@example.pl");
	book(f, "2026-12-08T10:00", "b@example.pl");
	book(f, "2026-12-08T10:00", "c@example.pl");
	assert_int_equal(try_book(f, &f->db.citizen, "2026-12-08T10:00",
	                     "d@example.pl", &b, &err),
	    -1);
	assert_string_equal(err.code, "slot_taken");
	/* one open booking per person for this service */
	assert_int_equal(try_book(f, &f->db.citizen, "2026-12-08T11:00",
	                     "A@example.pl", &b, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_LIMIT);
	assert_string_equal(err.code, "too_many_open_for_service");
	/* staff booking on a citizen's behalf is not limited (as the
	 * office's max_open_per_contact) */
	assert_int_equal(
	    try_book(f, &f->anna, "2026-12-08T11:00", "a@example.pl", &b, &err),
	    0);
}

static void
test_staff_only(void **state)
{
	struct fixture *f = *state;
	struct service_patch p;
	struct slot *slots = NULL;
	struct booking b;
	struct error err;
	size_t n;

	memset(&p, 0, sizeof p);
	p.set = SERVICE_STAFF_ONLY;
	p.v.staff_only = true;
	service_set(f, &p);
	assert_int_equal(try_book(f, &f->db.citizen, "2026-12-08T10:00",
	                     "a@example.pl", &b, &err),
	    -1);
	assert_string_equal(err.code, "unknown_service");
	assert_int_equal(booking_slots(f->db.store, f->db.config, f->db.service,
	                     (struct date){2026, 12, 8}, testdb_local(MONDAY_9),
	                     &slots, &n, &err),
	    -1);
	assert_string_equal(err.code, "unknown_service");
	assert_int_equal(
	    booking_slots_for(f->db.store, f->db.config, f->db.service,
	        (struct date){2026, 12, 8}, &f->anna, testdb_local(MONDAY_9),
	        &slots, &n, &err),
	    0);
	assert_true(n > 0);
	free(slots);
	assert_int_equal(
	    try_book(f, &f->anna, "2026-12-08T10:00", "a@example.pl", &b, &err),
	    0);
}

/* Tuesday's hours become 12:00-16:00: the 10:00 booking would be
 * stranded */
static void
tuesday_afternoon(struct opening_hours *h)
{
	int d;

	memset(h, 0, 5 * sizeof *h);
	for (d = 0; d < 5; d++) {
		h[d].weekday = d + 1;
		h[d].opens = d == 1 ? 12 * 60 : 8 * 60;
		h[d].closes = 16 * 60;
	}
}

static void
test_calendar_refuses_then_moves(void **state)
{
	struct fixture *f = *state;
	struct opening_hours h[5], *now_hours = NULL;
	struct calendar_resolution r;
	struct calendar_request req;
	struct calendar_result res;
	struct booking b, moved;
	struct audit_entry last;
	struct error err;
	size_t n;

	b = book(f, "2026-12-08T10:00", "a@example.pl");
	tuesday_afternoon(h);
	memset(&req, 0, sizeof req);
	error_clear(&err);
	/* a staff member may not */
	assert_int_equal(
	    calendar_hours_set(f->db.store, f->db.config, f->db.desk, h, 5,
	        &req, &f->anna, testdb_local(MONDAY_9), &res, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_FORBIDDEN);
	/* the preview: the stranded booking and Tuesday's slots, nothing
	 * written */
	req.preview = true;
	req.preview_days = 3;
	assert_int_equal(
	    calendar_hours_set(f->db.store, f->db.config, f->db.desk, h, 5,
	        &req, &f->admin, testdb_local(MONDAY_9), &res, &err),
	    0);
	assert_int_equal(res.nstranded, 1);
	assert_string_equal(res.stranded[0].booking.reference, b.reference);
	assert_int_equal(res.ndays, 3);
	assert_true(res.days[1].after < res.days[1].before);
	assert_int_equal(res.days[0].after, res.days[0].before);
	assert_non_null(strstr(res.days[1].times, "12:00"));
	assert_null(strstr(res.days[1].times, "10:00"));
	calendar_result_free(&res);
	assert_int_equal(
	    store_hours_list(f->db.store, f->db.desk, &now_hours, &n, &err), 0);
	assert_int_equal(now_hours[1].opens, 8 * 60);
	free(now_hours);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "hours.set", 0, NULL), 0);
	/* saving without a choice: refused, the booking named with
	 * proposals */
	req.preview = false;
	assert_int_equal(
	    calendar_hours_set(f->db.store, f->db.config, f->db.desk, h, 5,
	        &req, &f->admin, testdb_local(MONDAY_9), &res, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_CONFLICT);
	assert_string_equal(err.code, "bookings_stranded");
	assert_int_equal(res.nstranded, 1);
	assert_int_equal(res.stranded[0].nproposals, CALENDAR_PROPOSALS);
	assert_int_equal(res.stranded[0].proposal[0].start,
	    testdb_local("2026-12-08T12:00"));
	calendar_result_free(&res);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "hours.set", 0, NULL), 0);
	/* move it to the first proposal: the citizen is told */
	memset(&r, 0, sizeof r);
	snprintf(r.reference, sizeof r.reference, "%s", b.reference);
	r.choice = CHOICE_MOVE;
	snprintf(r.start, sizeof r.start, "2026-12-08T12:00");
	req.resolutions = &r;
	req.nresolutions = 1;
	assert_int_equal(
	    calendar_hours_set(f->db.store, f->db.config, f->db.desk, h, 5,
	        &req, &f->admin, testdb_local(MONDAY_9), &res, &err),
	    0);
	assert_int_equal(res.moved, 1);
	calendar_result_free(&res);
	assert_int_equal(store_booking_get(f->db.store, b.id, &moved, &err), 0);
	assert_int_equal(moved.start, testdb_local("2026-12-08T12:00"));
	/* a move by the office asks the citizen TAK or NIE (booking.h) */
	assert_int_equal(outbox_kind(f, b.id, "moved"), 1);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "hours.set", 0, &last), 1);
	assert_string_equal(last.before, "1-5 08:00-16:00#1"); /* per service */
	assert_string_equal(
	    last.after, "1 08:00-16:00, 2 12:00-16:00, 3-5 08:00-16:00");
	assert_int_equal(
	    testdb_audit_count(f->db.store, "booking.reschedule", b.id, NULL),
	    1);
}

static void
test_calendar_keep_and_cancel(void **state)
{
	struct fixture *f = *state;
	struct calendar_resolution r[2];
	struct calendar_request req;
	struct calendar_result res;
	struct calendar_exception e;
	struct booking a, b, c;
	struct error err;
	int64_t id;

	a = book(f, "2026-12-09T10:00", "a@example.pl");
	b = book(f, "2026-12-09T11:00", "b@example.pl");
	memset(&e, 0, sizeof e);
	e.day = (struct date){2026, 12, 9};
	e.opens = -1;
	snprintf(e.reason, sizeof e.reason, "Awaria sieci");
	memset(&req, 0, sizeof req);
	error_clear(&err);
	assert_int_equal(
	    calendar_exception_add(f->db.store, f->db.config, &e, &req,
	        &f->admin, testdb_local(MONDAY_9), &id, &res, &err),
	    -1);
	assert_string_equal(err.code, "bookings_stranded");
	assert_int_equal(res.nstranded, 2);
	/* Wednesday is closed: the proposals are on Thursday */
	assert_int_equal(res.stranded[0].proposal[0].start,
	    testdb_local("2026-12-10T08:00"));
	assert_int_equal(res.stranded[1].proposal[0].start,
	    testdb_local("2026-12-10T08:15"));
	calendar_result_free(&res);
	/* one choice is not enough */
	memset(r, 0, sizeof r);
	snprintf(r[0].reference, sizeof r[0].reference, "%s", a.reference);
	r[0].choice = CHOICE_KEEP;
	req.resolutions = r;
	req.nresolutions = 1;
	assert_int_equal(
	    calendar_exception_add(f->db.store, f->db.config, &e, &req,
	        &f->admin, testdb_local(MONDAY_9), &id, &res, &err),
	    -1);
	assert_int_equal(res.nstranded, 2);
	calendar_result_free(&res);
	snprintf(r[1].reference, sizeof r[1].reference, "%s", b.reference);
	r[1].choice = CHOICE_CANCEL;
	snprintf(r[1].reason, sizeof r[1].reason, "Urząd zamknięty");
	req.nresolutions = 2;
	assert_int_equal(
	    calendar_exception_add(f->db.store, f->db.config, &e, &req,
	        &f->admin, testdb_local(MONDAY_9), &id, &res, &err),
	    0);
	assert_int_equal(res.kept, 1);
	assert_int_equal(res.cancelled, 1);
	calendar_result_free(&res);
	assert_int_equal(store_booking_get(f->db.store, a.id, &c, &err), 0);
	assert_int_equal(c.status, BOOKING_PENDING);
	assert_int_equal(c.start, a.start);
	assert_int_equal(store_booking_get(f->db.store, b.id, &c, &err), 0);
	assert_int_equal(c.status, BOOKING_CANCELLED);
	assert_int_equal(outbox_kind(f, b.id, "cancelled"), 1);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "booking.keep", a.id, NULL), 1);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "exception.add", 0, NULL), 1);
	/* the kept booking is no longer stranded; deleting the exception
	 * strands nothing */
	assert_int_equal(calendar_stranded_now(f->db.store, f->db.config,
	                     &f->admin, testdb_local(MONDAY_9), &res, &err),
	    0);
	assert_int_equal(res.nstranded, 0);
	calendar_result_free(&res);
	req.nresolutions = 0;
	assert_int_equal(
	    calendar_exception_delete(f->db.store, f->db.config, id, &req,
	        &f->admin, testdb_local(MONDAY_9), &res, &err),
	    0);
	calendar_result_free(&res);
}

static void
test_desk_services_strand(void **state)
{
	struct fixture *f = *state;
	struct calendar_request req;
	struct calendar_result res;
	struct desk_patch p;
	struct booking b;
	struct error err;

	b = book(f, "2026-12-08T10:00", "a@example.pl");
	memset(&p, 0, sizeof p);
	p.set = DESK_SERVICES;
	memset(&req, 0, sizeof req);
	error_clear(&err);
	assert_int_equal(
	    structure_desk_update(f->db.store, f->db.config, f->db.desk, &p,
	        &req, &f->admin, testdb_local(MONDAY_9), NULL, &res, &err),
	    -1);
	assert_string_equal(err.code, "bookings_stranded");
	assert_int_equal(res.nstranded, 1);
	assert_string_equal(res.stranded[0].booking.reference, b.reference);
	/* nowhere to move: the desk was the service's only one */
	assert_int_equal(res.stranded[0].nproposals, 0);
	calendar_result_free(&res);
	/* retiring the desk strands it too */
	p.set = DESK_RETIRED;
	p.v.retired = true;
	assert_int_equal(
	    structure_desk_update(f->db.store, f->db.config, f->db.desk, &p,
	        &req, &f->admin, testdb_local(MONDAY_9), NULL, &res, &err),
	    -1);
	assert_string_equal(err.code, "bookings_stranded");
	calendar_result_free(&res);
}

static void
test_holidays(void **state)
{
	struct fixture *f = *state;
	struct calendar_holiday *days = NULL;
	struct holiday_override h;
	struct calendar_request req;
	struct calendar_result res;
	struct slot *slots = NULL;
	struct error err;
	struct date independence = {2026, 11, 11}, thursday = {2026, 12, 10};
	size_t n, i;
	bool found = false;

	error_clear(&err);
	assert_int_equal(booking_slots(f->db.store, f->db.config, f->db.service,
	                     independence, testdb_local("2026-11-10T09:00"),
	                     &slots, &n, &err),
	    0);
	assert_int_equal(n, 0);
	free(slots);
	memset(&req, 0, sizeof req);
	memset(&h, 0, sizeof h);
	h.day = independence;
	h.closed = false;
	assert_int_equal(
	    calendar_holiday_set(f->db.store, f->db.config, &h, &req, &f->admin,
	        testdb_local("2026-11-10T09:00"), &res, &err),
	    0);
	calendar_result_free(&res);
	assert_int_equal(booking_slots(f->db.store, f->db.config, f->db.service,
	                     independence, testdb_local("2026-11-10T09:00"),
	                     &slots, &n, &err),
	    0);
	assert_int_equal(n, 32); /* 08:00-16:00, 15 minutes */
	free(slots);
	/* an extra day off needs a name */
	h.day = thursday;
	h.closed = true;
	assert_int_equal(
	    calendar_holiday_set(f->db.store, f->db.config, &h, &req, &f->admin,
	        testdb_local(MONDAY_9), &res, &err),
	    -1);
	assert_string_equal(err.field, "name");
	snprintf(h.name, sizeof h.name, "Dzień wolny za sobotę");
	assert_int_equal(
	    calendar_holiday_set(f->db.store, f->db.config, &h, &req, &f->admin,
	        testdb_local(MONDAY_9), &res, &err),
	    0);
	calendar_result_free(&res);
	assert_int_equal(
	    booking_slots(f->db.store, f->db.config, f->db.service, thursday,
	        testdb_local(MONDAY_9), &slots, &n, &err),
	    0);
	assert_int_equal(n, 0);
	free(slots);
	assert_int_equal(
	    calendar_holidays(f->db.store, 2026, &days, &n, &err), 0);
	for (i = 0; i < n; i++) {
		if (date_compare(days[i].day, independence) == 0)
			assert_true(days[i].own && !days[i].closed &&
			            days[i].statutory != NULL);
		if (date_compare(days[i].day, thursday) == 0) {
			assert_true(days[i].own && days[i].closed &&
			            days[i].statutory == NULL);
			found = true;
		}
	}
	assert_true(found);
	assert_true(n == 14 + 1); /* 14 statutory holidays in 2026 + ours */
	free(days);
	assert_int_equal(
	    calendar_holiday_clear(f->db.store, f->db.config, thursday, &req,
	        &f->admin, testdb_local(MONDAY_9), &res, &err),
	    0);
	calendar_result_free(&res);
	assert_int_equal(
	    booking_slots(f->db.store, f->db.config, f->db.service, thursday,
	        testdb_local(MONDAY_9), &slots, &n, &err),
	    0);
	assert_true(n > 0);
	free(slots);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "holiday.set", 0, NULL), 2);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "holiday.clear", 0, NULL), 1);
}

static void
test_structure(void **state)
{
	struct fixture *f = *state;
	struct calendar_request req;
	struct calendar_result res;
	struct service_patch p;
	struct audit_entry last;
	struct service sv;
	struct error err;
	int64_t unit2;

	memset(&req, 0, sizeof req);
	memset(&p, 0, sizeof p);
	error_clear(&err);
	p.set = SERVICE_DURATION;
	p.v.duration_minutes = 0;
	assert_int_equal(
	    structure_service_update(f->db.store, f->db.config, f->db.service,
	        &p, &req, &f->admin, testdb_local(MONDAY_9), &sv, &res, &err),
	    -1);
	assert_string_equal(err.code, "out_of_range");
	assert_string_equal(err.field, "duration_minutes");
	p.set = SERVICE_DURATION | SERVICE_NAME;
	p.v.duration_minutes = 20;
	snprintf(p.v.name, sizeof p.v.name, "Rejestracja pojazdów");
	assert_int_equal(
	    structure_service_update(f->db.store, f->db.config, f->db.service,
	        &p, &req, &f->anna, testdb_local(MONDAY_9), &sv, &res, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_FORBIDDEN);
	assert_int_equal(
	    structure_service_update(f->db.store, f->db.config, f->db.service,
	        &p, &req, &f->admin, testdb_local(MONDAY_9), &sv, &res, &err),
	    0);
	calendar_result_free(&res);
	assert_int_equal(sv.duration_minutes, 20);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "service.update", 0, &last), 2);
	assert_string_equal(last.before, "15");
	assert_string_equal(last.after, "20");
	/* a unit that offers services does not retire; an empty one does */
	assert_int_equal(
	    structure_named_update(f->db.store, NAMED_UNIT, f->unit, NULL, 1,
	        &f->admin, testdb_local(MONDAY_9), NULL, &err),
	    -1);
	assert_string_equal(err.code, "unit_has_services");
	assert_int_equal(
	    structure_named_add(f->db.store, NAMED_UNIT, "Wydział Finansów",
	        &f->admin, testdb_local(MONDAY_9), &unit2, &err),
	    0);
	assert_int_equal(
	    structure_named_add(f->db.store, NAMED_UNIT, "Wydział Finansów",
	        &f->admin, testdb_local(MONDAY_9), &unit2, &err),
	    -1);
	assert_string_equal(err.code, "name_taken");
	assert_int_equal(
	    structure_named_update(f->db.store, NAMED_UNIT, unit2, NULL, 1,
	        &f->admin, testdb_local(MONDAY_9), NULL, &err),
	    0);
	/* no new service in a retired unit */
	structure_service_defaults(&sv);
	sv.unit_id = unit2;
	snprintf(sv.name, sizeof sv.name, "Podatki");
	assert_int_equal(structure_service_add(f->db.store, &sv, &f->admin,
	                     testdb_local(MONDAY_9), &unit2, &err),
	    -1);
	assert_string_equal(err.code, "unit_retired");
}

static void
test_accounts(void **state)
{
	struct fixture *f = *state;
	struct account_link link, again;
	struct auth_login login;
	struct account a;
	struct error err;
	int64_t id, second;
	time_t now = testdb_local(MONDAY_9);

	memset(&a, 0, sizeof a);
	snprintf(a.login, sizeof a.login, "Zla Nazwa");
	snprintf(a.display_name, sizeof a.display_name, "Ewa Nowak");
	a.role = ROLE_STAFF;
	error_clear(&err);
	assert_int_equal(
	    account_create(f->db.store, &a, &f->admin, now, &id, &link, &err),
	    -1);
	assert_string_equal(err.code, "login_invalid");
	snprintf(a.login, sizeof a.login, "ewa");
	assert_int_equal(
	    account_create(f->db.store, &a, &f->anna, now, &id, &link, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_FORBIDDEN);
	assert_int_equal(
	    account_create(f->db.store, &a, &f->admin, now, &id, &link, &err),
	    0);
	assert_int_equal(strlen(link.token), ACCOUNT_LINK_LEN);
	assert_int_equal(link.expires, now + ACCOUNT_LINK_VALID);
	/* no password yet: nothing signs in */
	assert_int_equal(auth_login(f->db.store, f->db.config, "ewa", "!unset",
	                     NULL, now, &login, &err),
	    -1);
	assert_int_equal(account_password_set(f->db.store, link.token, "short",
	                     "short", NULL, now, NULL, &err),
	    -1);
	assert_string_equal(err.code, "password_too_short");
	assert_int_equal(account_password_set(f->db.store, link.token,
	                     "a good long password", "a good long passw0rd",
	                     NULL, now, NULL, &err),
	    -1);
	assert_string_equal(err.code, "password_mismatch");
	assert_int_equal(account_password_set(f->db.store, link.token,
	                     "a good long password", "a good long password",
	                     NULL, now + ACCOUNT_LINK_VALID + 1, NULL, &err),
	    -1);
	assert_string_equal(err.code, "link_invalid");
	assert_int_equal(account_password_set(f->db.store, link.token,
	                     "a good long password", "a good long password",
	                     NULL, now, NULL, &err),
	    0);
	assert_int_equal(auth_login(f->db.store, f->db.config, "ewa",
	                     "a good long password", NULL, now, &login, &err),
	    0);
	/* used once */
	assert_int_equal(account_password_set(f->db.store, link.token,
	                     "another long password", "another long password",
	                     NULL, now, NULL, &err),
	    -1);
	assert_string_equal(err.code, "link_invalid");
	/* a reset: the old password stops, the session ends */
	assert_int_equal(account_password_reset(
	                     f->db.store, id, &f->admin, now, &again, &err),
	    0);
	assert_int_equal(auth_session(f->db.store, f->db.config, login.session,
	                     now, &a, &err),
	    -1);
	assert_int_equal(auth_login(f->db.store, f->db.config, "ewa",
	                     "a good long password", NULL, now, &login, &err),
	    -1);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "operator.password_reset", 0, NULL),
	    1);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "operator.password_set", 0, NULL),
	    1);

	/* the last admin stays */
	assert_int_equal(account_update(f->db.store, f->admin.operator_id, NULL,
	                     ROLE_STAFF, -1, &f->admin, now, NULL, &err),
	    -1);
	assert_string_equal(err.code, "last_admin");
	assert_int_equal(account_update(f->db.store, f->admin.operator_id, NULL,
	                     -1, 1, &f->admin, now, NULL, &err),
	    -1);
	assert_string_equal(err.code, "last_admin");
	assert_int_equal(account_update(f->db.store, id, NULL, ROLE_ADMIN, -1,
	                     &f->admin, now, NULL, &err),
	    0);
	second = id;
	assert_int_equal(account_update(f->db.store, f->admin.operator_id, NULL,
	                     ROLE_STAFF, -1, &f->admin, now, NULL, &err),
	    0);
	assert_int_equal(account_update(f->db.store, second, NULL, -1, 1,
	                     &f->admin, now, NULL, &err),
	    -1);
	assert_string_equal(err.code, "last_admin");
	assert_int_equal(
	    testdb_audit_count(f->db.store, "operator.role", 0, NULL), 2);
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, testdb_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_lead_time_and_horizon),
	    T(test_confirm_within),
	    T(test_capacity_and_max_open),
	    T(test_staff_only),
	    T(test_calendar_refuses_then_moves),
	    T(test_calendar_keep_and_cancel),
	    T(test_desk_services_strand),
	    T(test_holidays),
	    T(test_structure),
	    T(test_accounts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
