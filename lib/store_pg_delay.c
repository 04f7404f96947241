/*
 * store_pg_delay.c: what the live delay notices write (store.h), the twin
 * of store_sqlite_delay.c. The guard against a second notice for one step
 * is the UPDATE's WHERE: a second gateway racing for the same booking waits
 * for the first to commit, then finds the step told and changes nothing.
 */
#include "store_pg_internal.h"

static const char PG_BOOKING_MARK_DELAY[] =
    "UPDATE bookings SET delay_step = $3, delay_notified = $4"
    " WHERE id = $1 AND status = 'booked' AND start_at = $2"
    " AND delay_step < $3";

int
pgsql_booking_mark_delay(struct store *s, int64_t id, time_t start,
    unsigned step, int64_t delay_notified, struct error *err)
{
	if (pq_exec(s, err, PG_BOOKING_MARK_DELAY, PQ_INT(id), PQ_INT(start),
	        PQ_INT(step), PQ_INT(delay_notified)) != 0)
		return -1;
	if (pq_changes(s) != 1)
		return error_set_code(err, ERROR_CONFLICT, "changed", NULL,
		    "The booking changed, or was told of this delay already.");
	return 0;
}
