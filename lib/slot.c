/*
 * slot.c: free slots of one service on one day, from opening windows and
 * live bookings. Slots start at the window's opening and step by the
 * service duration; a slot must end by closing time, start no earlier than
 * the lead time allows and no later than the horizon.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "slot.h"

unsigned
slot_overlaps(const struct slot_busy *busy, size_t n, int64_t desk_id,
    time_t start, time_t end)
{
	unsigned count = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (busy[i].desk_id == desk_id && busy[i].start < end &&
		    busy[i].end > start)
			count++;
	return count;
}

static int
slot_compare(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->desk_id > y->desk_id) - (x->desk_id < y->desk_id);
}

static int
busy_compare(const void *a, const void *b)
{
	const struct slot_busy *x = a, *y = b;

	if (x->desk_id != y->desk_id)
		return x->desk_id < y->desk_id ? -1 : 1;
	return (x->start > y->start) - (x->start < y->start);
}

/* desk_busy: the busy entries of one desk in a list sorted by desk then
 * start: *first and the count, and the longest of them (for the sweep) */
static size_t
desk_busy(const struct slot_busy *busy, size_t n, int64_t desk_id,
    size_t *first, time_t *longest)
{
	size_t lo = 0, hi = n, end;

	while (lo < hi) { /* the first entry of desk_id */
		size_t mid = lo + (hi - lo) / 2;

		if (busy[mid].desk_id < desk_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	*longest = 0;
	for (end = lo; end < n && busy[end].desk_id == desk_id; end++)
		if (busy[end].end - busy[end].start > *longest)
			*longest = busy[end].end - busy[end].start;
	return end - lo;
}

/*
 * slot_generate: the slots of every window in one sweep per window. The
 * busy entries are sorted by desk and start once; a window's slots ascend
 * in time, so the first entry that can still overlap only moves forward
 * (an entry starting more than the longest booking before a slot cannot
 * reach it), and each slot looks only at the entries around it instead of
 * the whole day.
 */
int
slot_generate(const struct slot_request *req, struct slot **out, size_t *n)
{
	struct slot *slots = NULL;
	struct slot_busy *busy = NULL;
	size_t count = 0, cap = 0, w;
	int step = (int)req->duration_minutes;
	time_t midnight, last_minute;
	bool plain_day;

	*out = NULL;
	*n = 0;
	if (step <= 0 || step > 24 * 60)
		return -1;
	if (req->nbusy > 0) {
		if ((busy = malloc(req->nbusy * sizeof *busy)) == NULL)
			abort();
		memcpy(busy, req->busy, req->nbusy * sizeof *busy);
		qsort(busy, req->nbusy, sizeof *busy, busy_compare);
	}
	/* On a day without a DST change local minute m is midnight + 60 m: no
	 * tz lookups per slot (mktime takes a process-wide lock). On the two
	 * change days every start goes through otime_make. */
	plain_day = otime_make(req->day, 0, &midnight) == 0 &&
	            otime_make(req->day, 24 * 60 - 1, &last_minute) == 0 &&
	            last_minute - midnight == (24 * 60 - 1) * 60;
	for (w = 0; w < req->nwindows; w++) {
		const struct slot_window *win = &req->windows[w];
		size_t first, nmine, from;
		time_t longest;
		int minute;

		nmine =
		    desk_busy(busy, req->nbusy, win->desk_id, &first, &longest);
		from = first;
		for (minute = win->opens; minute + step <= win->closes;
		     minute += step) {
			time_t start, end;
			unsigned taken = 0;
			size_t k;

			/* a start in the DST gap does not exist: skip it */
			if (plain_day)
				start = midnight + (time_t)minute * 60;
			else if (otime_make(req->day, minute, &start) != 0)
				continue;
			end = start + (time_t)step * 60;
			if (start < req->earliest || start > req->latest)
				continue;
			while (from < first + nmine &&
			       busy[from].start + longest <= start)
				from++;
			for (k = from; k < first + nmine && busy[k].start < end;
			     k++)
				if (busy[k].end > start)
					taken++;
			if (taken >= win->capacity)
				continue;
			if (count == cap) {
				cap = cap ? cap * 2 : 32;
				slots = realloc(slots, cap * sizeof *slots);
				if (slots == NULL)
					abort();
			}
			slots[count].start = start;
			slots[count].end = end;
			slots[count].desk_id = win->desk_id;
			memcpy(slots[count].desk_name, win->desk_name,
			    sizeof slots[count].desk_name);
			slots[count].free = win->capacity - taken;
			count++;
		}
	}
	free(busy);
	if (count > 1)
		qsort(slots, count, sizeof *slots, slot_compare);
	*out = slots;
	*n = count;
	return 0;
}
