/*
 * testday.h: an office's day for the reception and report tests, driven
 * through the domain at chosen clocks (`now` passed in, nothing waits).
 *
 * The office: testdb_catalog's service A "Rejestracja pojazdu" (15 min) at
 * desk 1 plus a service B "Wymiana prawa jazdy" (10 min) at desk 2, both
 * open Monday to Friday 08:00-16:00; operators ola (reception), anna
 * (staff); bookings are made on Monday 2026-12-07 09:00 by citizens.
 */
#ifndef WIZYTA_TESTDAY_H
#define WIZYTA_TESTDAY_H

#include <stdbool.h>
#include <time.h>

#include "booking.h"
#include "config.h"
#include "store.h"
#include "testdb.h"

struct testday {
	struct testdb db; /* service A and desk 1 are its catalogue's */
	int64_t service_a, service_b, desk_1, desk_2;
	struct actor reception, anna;
};

/* testday_open / testday_close: the office in a fresh database; -1 after
 * printing why */
int testday_open(struct testday *, const char *name);
void testday_close(struct testday *);
/* testday_at: "2026-12-08T08:00" as an instant (fails the test if bad) */
time_t testday_at(const char *local);
/* testday_book: a pending booking of service at start (the test fails if
 * refused); confirm: and booked at Monday 09:10 */
struct booking testday_book(
    struct testday *, int64_t service, const char *start, bool confirm);
/* testday_act: one action by who at a local time; the test fails if
 * refused */
void testday_act(struct testday *, struct booking *, enum booking_action,
    const struct actor *who, const char *at);

#endif
