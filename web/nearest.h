/*
 * nearest.h: when the slot a citizen wanted is gone, the free ones nearest
 * to it (the same day first, by distance in time, then the following days),
 * for the 409 answer and the "this time was just taken" page.
 */
#ifndef WIZYTA_WEB_NEAREST_H
#define WIZYTA_WEB_NEAREST_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "config.h"
#include "store.h"

/* nearest_free: a JSON array of up to max {"start", "desk", "desk_id"}. */
json_t *nearest_free(struct store *, const struct config *, int64_t service_id,
    time_t wanted, time_t now, size_t max);

#endif
