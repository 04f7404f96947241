/*
 * delay_notice.c: wizytad's timer for the live delay notices
 * (delay_notice.h). It reads today's bookings and desks in one snapshot,
 * estimates every desk (delay.h), and for each citizen a notice is due to
 * reads the booking again inside a write transaction: it may have been
 * checked in, moved or told meanwhile, and then nothing is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actor.h"
#include "delay.h"
#include "delay_notice.h"
#include "log.h"
#include "notify.h"
#include "office_time.h"

/* the day's bookings and desks, read together */
static int
read_day(struct store *s, time_t now, struct booking **day, size_t *n,
    struct desk **desks, size_t *ndesks, struct error *err)
{
	struct booking_filter f;
	int rc;

	memset(&f, 0, sizeof f);
	f.from = f.to = date_of(now);
	f.status = -1;
	f.limit = 10000;
	if (store_read_begin(s, err) != 0)
		return -1;
	rc = store_bookings_search(s, &f, day, n, err) != 0 ||
	             store_desks_list(s, desks, ndesks, err) != 0
	         ? -1
	         : 0;
	store_read_end(s);
	if (rc != 0) {
		free(*day);
		*day = NULL;
	}
	return rc;
}

/* tell: one notice, in its own transaction; 1 when written, 0 when the
 * booking no longer wants it */
static int
tell(struct store *s, const struct config *c, const struct booking *seen,
    unsigned step, int64_t delay, time_t now, struct error *err)
{
	struct actor system = actor_system();
	struct booking b;
	char who[96], detail[96];
	int64_t told = delay_told(delay);
	int minute = otime_minute_of_day(seen->start + (time_t)told);

	if (store_begin(s, err) != 0)
		return -1;
	if (store_booking_get(s, seen->id, &b, err) != 0)
		goto fail;
	if (b.status != BOOKING_BOOKED || b.start != seen->start ||
	    b.delay_step >= step) {
		store_rollback(s);
		return 0;
	}
	actor_describe(&system, who, sizeof who);
	snprintf(detail, sizeof detail,
	    "step %u: about %lld min late, expected %02d:%02d", step,
	    (long long)(told / 60), (minute / 60) % 24, minute % 60);
	if (store_booking_mark_delay(s, b.id, b.start, step, told, err) != 0) {
		store_rollback(s);
		/* told meanwhile, or no longer booked at that time */
		return err->kind == ERROR_CONFLICT ? 0 : -1;
	}
	if (notify_booking_delay(s, c, &b, NOTIFY_ALL, told, now, err) != 0 ||
	    store_event_add(s, b.id, now, who, "delay_notice", detail, err) !=
	        0)
		goto fail;
	if (store_commit(s, err) != 0)
		return -1;
	log_info("delay notice booking=%lld ref=%s step=%u delay_min=%lld",
	    (long long)b.id, b.reference, step, (long long)(told / 60));
	return 1;
fail:
	store_rollback(s);
	return -1;
}

int
delay_notify_due(struct store *s, const struct config *c, time_t now,
    unsigned *count, struct error *err)
{
	struct delay_policy p;
	struct booking *day = NULL;
	struct desk *desks = NULL;
	struct delay_estimate *est;
	size_t n = 0, ndesks = 0, ne, i;
	int rc = 0;

	*count = 0;
	delay_policy_of(c, &p);
	if (p.after <= 0)
		return 0;
	if (read_day(s, now, &day, &n, &desks, &ndesks, err) != 0)
		return -1;
	if ((est = calloc(n + 1, sizeof *est)) == NULL)
		abort();
	ne = delay_estimate(day, n, desks, ndesks, now, est);
	/* one booking that cannot be told (a broken address, a full disk)
	 * does not keep the others from being told; the first error is the
	 * caller's to log */
	for (i = 0; i < ne; i++) {
		const struct booking *b = &day[est[i].index];
		unsigned step = delay_notice_step(&p, b, &est[i], now);
		struct error e;
		int r;

		if (step == 0)
			continue;
		error_clear(&e);
		if ((r = tell(s, c, b, step, est[i].delay, now, &e)) < 0) {
			if (rc == 0 && err != NULL)
				*err = e;
			rc = -1;
		} else
			*count += (unsigned)r;
	}
	free(est);
	free(day);
	free(desks);
	return rc;
}
