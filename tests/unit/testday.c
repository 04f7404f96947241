/* testday.c: the reception and report tests' office (testday.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "log.h"
#include "office_time.h"
#include "testday.h"
#include "testdb.h"

static int
second_service(struct testday *d, struct error *err)
{
	struct service sv;
	struct desk desk;
	int day;

	memset(&desk, 0, sizeof desk);
	snprintf(desk.room, sizeof desk.room, "Pokój 2");
	snprintf(desk.name, sizeof desk.name, "Pokój 2 stanowisko 1");
	desk.capacity = 1;
	/* service A's unit */
	if (store_service_get(d->db.store, d->service_a, &sv, err) != 0)
		return -1;
	snprintf(sv.name, sizeof sv.name, "Wymiana prawa jazdy");
	snprintf(sv.name_en, sizeof sv.name_en, "Driving licence replacement");
	sv.duration_minutes = 10;
	if (store_begin(d->db.store, err) != 0)
		return -1;
	if (store_service_add(d->db.store, &sv, &d->service_b, err) != 0 ||
	    store_desk_add(d->db.store, &desk, &d->desk_2, err) != 0)
		goto fail;
	for (day = 1; day <= 5; day++)
		if (store_hours_add(d->db.store, d->desk_2, d->service_b, day,
		        8 * 60, 16 * 60, err) != 0)
			goto fail;
	return store_commit(d->db.store, err);
fail:
	store_rollback(d->db.store);
	return -1;
}

int
testday_open(struct testday *d, const char *name)
{
	struct error err;

	memset(d, 0, sizeof *d);
	if (testdb_open(&d->db, name, true) != 0)
		return -1;
	/* the day's own: SMS the default, and its operators on the web */
	testdb_set(&d->db.config->sms_provider, "none");
	d->service_a = d->db.service;
	d->desk_1 = d->db.desk;
	error_clear(&err);
	if (second_service(d, &err) != 0 ||
	    testdb_operator(
	        d->db.store, "ola", ROLE_RECEPTION, &d->reception, &err) != 0 ||
	    testdb_operator(d->db.store, "anna", ROLE_STAFF, &d->anna, &err) !=
	        0) {
		print_error("testday: %s\n", err.msg);
		return -1;
	}
	d->reception.channel = VIA_WEB;
	d->anna.channel = VIA_WEB;
	return 0;
}

void
testday_close(struct testday *d)
{
	testdb_close(&d->db);
}

time_t
testday_at(const char *text)
{
	return testdb_local(text);
}

struct booking
testday_book(
    struct testday *d, int64_t service, const char *start, bool confirm)
{
	static unsigned n;
	struct booking_request r;
	struct booking b;
	char email[64];

	snprintf(email, sizeof email, "osoba%u@example.pl", n++);
	r = testdb_request(&d->db, start, email, NULL);
	r.service_id = service;
	b = testdb_create(&d->db, d->db.store, &r, &d->db.citizen,
	    testday_at("2026-12-07T09:00"));
	if (confirm)
		testday_act(
		    d, &b, ACTION_CONFIRM, &d->db.citizen, "2026-12-07T09:10");
	return b;
}

void
testday_act(struct testday *d, struct booking *b, enum booking_action a,
    const struct actor *who, const char *at)
{
	testdb_apply(&d->db, b, a, who, testday_at(at));
}
