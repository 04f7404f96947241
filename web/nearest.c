/*
 * nearest.c: free slots nearest to a wanted time (nearest.h). Looks at most
 * 14 days ahead: further than that is not "near" for a citizen.
 *
 * Several desks offer the same time: a citizen chooses a time, not a desk,
 * so each time is listed once (the first desk that has it; booking_create
 * finds a free desk again anyway). The nearest are chosen by distance from
 * the wanted time (the same day first, then the following days) and then
 * listed in time order, which is how a person reads a list of times.
 */
#include <stdlib.h>

#include "booking.h"
#include "nearest.h"

static time_t
distance(time_t a, time_t b)
{
	return a > b ? a - b : b - a;
}

static int
by_start(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* already: is a slot at this time chosen? */
static bool
already(const struct slot *chosen, size_t n, time_t start)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (chosen[i].start == start)
			return true;
	return false;
}

json_t *
nearest_free(struct store *s, const struct config *c, int64_t service_id,
    time_t wanted, time_t now, size_t max)
{
	json_t *list = json_array();
	struct date day = date_of(wanted);
	struct slot *chosen, *slots;
	size_t nchosen = 0, n, i;
	int d;

	if (max == 0 || (chosen = calloc(max, sizeof *chosen)) == NULL)
		return list;
	for (d = 0; d < 14 && nchosen < max; d++) {
		struct error err;

		error_clear(&err);
		if (booking_slots(s, c, service_id, date_add_days(day, d), now,
		        &slots, &n, &err) != 0)
			break;
		while (nchosen < max) {
			/* the nearest time not yet chosen (days after the
			 * first are later than wanted: nearest = earliest) */
			size_t best = n;

			for (i = 0; i < n; i++)
				if (slots[i].start != wanted &&
				    !already(chosen, nchosen, slots[i].start) &&
				    (best == n ||
				        distance(slots[i].start, wanted) <
				            distance(
				                slots[best].start, wanted)))
					best = i;
			if (best == n)
				break;
			chosen[nchosen++] = slots[best];
		}
		free(slots);
	}
	qsort(chosen, nchosen, sizeof *chosen, by_start);
	for (i = 0; i < nchosen; i++) {
		char start[OTIME_LOCAL_LEN];

		otime_format(chosen[i].start, start);
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:I}", "start", start, "desk",
		              chosen[i].desk_name, "desk_id",
		              (json_int_t)chosen[i].desk_id));
	}
	free(chosen);
	return list;
}
