/*
 * slot.h: which visits can still be booked on one day.
 *
 * slot_generate() is a pure function over what the store returns for one
 * (service, day): the opening windows of each desk for that service, the
 * live bookings on those desks, the service duration, capacity, lead time
 * and horizon. It knows nothing about SQL so it is tested directly.
 *
 * A slot is free when fewer than `capacity` live bookings on its desk
 * overlap it; the same rule is re-checked inside the booking transaction,
 * so two writers can never both take the last place.
 */
#ifndef WIZYTA_SLOT_H
#define WIZYTA_SLOT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "office_time.h"

struct slot_window {		/* a desk open for the service, local minutes */
	int64_t desk_id;
	char desk_name[96];
	unsigned capacity;
	int opens, closes;	/* minute of day, closes exclusive */
};

struct slot_busy {		/* a live booking on a desk */
	int64_t desk_id;
	time_t start, end;
};

struct slot {
	time_t start, end;
	int64_t desk_id;
	char desk_name[96];
	unsigned free;		/* places left */
};

struct slot_request {
	struct date day;
	unsigned duration_minutes;
	time_t now;
	time_t earliest;	/* now + lead time */
	time_t latest;		/* now + horizon */
	const struct slot_window *windows;
	size_t nwindows;
	const struct slot_busy *busy;
	size_t nbusy;
};

/* slot_generate: free slots, sorted by start then desk. *out is malloc'd
 * (free() it); *n may be 0. Returns -1 only on a nonsense request. */
int slot_generate(const struct slot_request *, struct slot **out, size_t *n);

/* slot_overlaps: how many busy entries on desk overlap [start, end). */
unsigned slot_overlaps(const struct slot_busy *, size_t n, int64_t desk_id,
    time_t start, time_t end);

#endif
