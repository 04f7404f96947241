/*
 * nearest.c: free slots nearest to a wanted time (nearest.h). Looks at most
 * 14 days ahead: further than that is not "near" for a citizen.
 */
#include <stdlib.h>

#include "booking.h"
#include "nearest.h"

static void
add(json_t *list, const struct slot *s)
{
	char start[OTIME_LOCAL_LEN];

	otime_format(s->start, start);
	json_array_append_new(
	    list, json_pack("{s:s, s:s, s:I}", "start", start, "desk",
	              s->desk_name, "desk_id", (json_int_t)s->desk_id));
}

json_t *
nearest_free(struct store *s, const struct config *c, int64_t service_id,
    time_t wanted, time_t now, size_t max)
{
	json_t *list = json_array();
	struct date day = date_of(wanted);
	struct slot *slots;
	size_t n, i;
	int d;

	for (d = 0; d < 14 && json_array_size(list) < max; d++) {
		struct error err;

		error_clear(&err);
		if (booking_slots(s, c, service_id, date_add_days(day, d), now,
		        &slots, &n, &err) != 0)
			break;
		if (d == 0 && n > 1) {
			/* by distance from the wanted time: an insertion sort
			 * (qsort has no context argument, and a day has few
			 * slots) */
			size_t j;

			for (i = 1; i < n; i++) {
				struct slot tmp = slots[i];
				time_t dt = tmp.start > wanted
				                ? tmp.start - wanted
				                : wanted - tmp.start;

				for (j = i; j > 0; j--) {
					time_t dp =
					    slots[j - 1].start > wanted
					        ? slots[j - 1].start - wanted
					        : wanted - slots[j - 1].start;

					if (dp <= dt)
						break;
					slots[j] = slots[j - 1];
				}
				slots[j] = tmp;
			}
		}
		for (i = 0; i < n && json_array_size(list) < max; i++)
			add(list, &slots[i]);
		free(slots);
	}
	return list;
}
