/*
 * delay.h: is a desk running late, and whom to tell — the pure half of the
 * live delay notices (lib/delay_notice.c is the other half: the gateway's
 * timer that writes the notices). No store, no clock: the day's bookings
 * and `now` come in, so the rules are tested at fixed clocks.
 *
 * Expected start, per desk (delay_estimate):
 *   - the desk has `capacity` places that serve at once (1 for most);
 *     each is free at `now`, or when the visit it holds ends;
 *   - a visit at the desk now (called or in service there) ends at its
 *     start (started_at, else called_at) plus the typical service time of
 *     its service, never before now (a visit running over its typical time
 *     is taken to end now, and the estimate moves on each minute it goes
 *     on);
 *   - then each visit still to come at the desk, in booked order (start,
 *     then id: call-next's order), waiting or booked, takes the first free
 *     place: it starts when that place is free, never earlier than its
 *     booked time, and holds it for the typical time of its service;
 *   - booked visits whose time has passed (the booked time, or the later
 *     one a notice told them) and who have not checked in are not in the
 *     hall: they take no time (reception fits them in when they come);
 *     unconfirmed (pending) visits are left out too.
 * The typical service time of a service is the median of today's finished
 * visits of it (start → end, any desk) together with its booked length
 * counted as one more visit: before anything is finished it is the booked
 * length, and one long visit alone does not move it (board_waits shows
 * waits from the same day). People call-next might take from another desk
 * sharing the service are not counted: each desk serves its own bookings.
 *
 * Whom to tell (delay_notice_step): a citizen whose visit is booked (not
 * checked in: those in the hall see the board), today, not yet at its time
 * (nor at the later time a notice gave them: a delay that grows further
 * while they are on their way is worth another notice) and at most
 * policy.ahead away from the booked time (an estimate hours ahead is
 * guesswork; the notice is most useful while they are still at home, and
 * right up to the visit: on the way, it saves a rush), when the expected
 * delay has reached a step they were not told yet. Steps: below
 * policy.after there is none; at policy.after step 1, and one more every
 * policy.step beyond it (after 20m, step 15m: a notice at +20 min, the next
 * only at +35, +50, …). A delay that shrinks tells nobody anything; a
 * visit moved to another time starts again from step 0.
 */
#ifndef WIZYTA_DELAY_H
#define WIZYTA_DELAY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "config.h"
#include "store.h"

struct delay_policy {
	int64_t after; /* seconds: tell when this late or later; 0 = never */
	int64_t step;  /* seconds between further notices; 0 = only one */
	int64_t ahead; /* seconds: only visits starting within this of now */
};

struct delay_estimate {
	size_t index; /* of the booking in the day given */
	int64_t booking_id;
	time_t expected; /* when the visit is expected to start */
	int64_t delay;   /* expected - booked start, seconds, >= 0 */
};

/* delay_policy_of: the policy of [delay] in the configuration */
void delay_policy_of(const struct config *, struct delay_policy *);

/* delay_typical: the typical service time (seconds) of a service from the
 * day's bookings, with slot (its booked length) counted as one visit. */
int64_t delay_typical(
    const struct booking *day, size_t n, int64_t service_id, int64_t slot);

/* delay_estimate: the expected start of every visit of the day still to
 * come at its desk (waiting, or booked and not yet past its time), into out
 * (room for n); returns how many. desks give the capacities (a desk not
 * among them has 1). */
size_t delay_estimate(const struct booking *day, size_t n,
    const struct desk *desks, size_t ndesks, time_t now,
    struct delay_estimate *out);

/* delay_step: the step a delay has reached (0 = none) */
unsigned delay_step(const struct delay_policy *, int64_t delay);

/* delay_notice_step: the step to tell b's citizen about now (b->delay_step
 * is what they were told), 0 when no notice is due. */
unsigned delay_notice_step(const struct delay_policy *, const struct booking *,
    const struct delay_estimate *, time_t now);

/* delay_told: the delay a notice gives, in seconds: whole 5 minutes,
 * rounded down (better a little early than late), at least 5 minutes */
int64_t delay_told(int64_t delay);

#endif
