/*
 * store_sqlite_delay.c: what the live delay notices write (store.h): the
 * step a citizen was told of, guarded by the database so that a notice is
 * never written twice for one step, whoever races (a restarted gateway, a
 * status change in between).
 */
#include "store_sqlite_internal.h"

static const char SQL_BOOKING_MARK_DELAY[] =
    "UPDATE bookings SET delay_step = ?3, delay_notified = ?4"
    " WHERE id = ?1 AND status = 'booked' AND start_at = ?2"
    " AND delay_step < ?3";

int
store_booking_mark_delay(struct store *s, int64_t id, time_t start,
    unsigned step, int64_t delay_notified, struct error *err)
{
	if (sq_exec(s, err, SQL_BOOKING_MARK_DELAY, SQ_INT(id), SQ_INT(start),
	        SQ_INT(step), SQ_INT(delay_notified)) != 0)
		return -1;
	if (sq_changes(s) != 1)
		return error_set_code(err, ERROR_CONFLICT, "changed", NULL,
		    "The booking changed, or was told of this delay already.");
	return 0;
}
