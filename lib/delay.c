/*
 * delay.c: expected starts per desk and the step rule of the delay
 * notices (delay.h).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "booking_state.h"
#include "delay.h"
#include "office_time.h"

#define FIVE_MINUTES (5 * 60)

void
delay_policy_of(const struct config *c, struct delay_policy *p)
{
	p->after = c->delay_notice_after;
	p->step = c->delay_notice_step;
	p->ahead = c->delay_notice_ahead;
}

/* one finished visit: how long its service took */
struct served {
	int64_t service_id;
	int64_t seconds;
};

static int
served_order(const void *a, const void *b)
{
	const struct served *x = a, *y = b;

	if (x->service_id != y->service_id)
		return x->service_id < y->service_id ? -1 : 1;
	return (x->seconds > y->seconds) - (x->seconds < y->seconds);
}

/* served_collect: the day's finished visits sorted by service, then
 * length; *n how many */
static struct served *
served_collect(const struct booking *day, size_t n, size_t *count)
{
	struct served *sv = calloc(n + 1, sizeof *sv);
	size_t i, k = 0;

	if (sv == NULL)
		abort();
	for (i = 0; i < n; i++)
		if (day[i].status == BOOKING_DONE && day[i].started_at > 0 &&
		    day[i].ended_at > day[i].started_at) {
			sv[k].service_id = day[i].service_id;
			sv[k].seconds =
			    (int64_t)(day[i].ended_at - day[i].started_at);
			k++;
		}
	qsort(sv, k, sizeof *sv, served_order);
	*count = k;
	return sv;
}

/* typical_of: the lower median of slot and the service's finished visits
 * (sv sorted as served_collect sorts) */
static int64_t
typical_of(const struct served *sv, size_t n, int64_t service_id, int64_t slot)
{
	size_t lo = 0, hi, below = 0, m;

	while (lo < n && sv[lo].service_id < service_id)
		lo++;
	for (hi = lo; hi < n && sv[hi].service_id == service_id; hi++)
		if (sv[hi].seconds < slot)
			below++;
	/* the m-th smallest of {slot} ∪ sv[lo, hi) */
	m = (hi - lo) / 2;
	if (m < below)
		return sv[lo + m].seconds;
	if (m == below)
		return slot;
	return sv[lo + m - 1].seconds;
}

int64_t
delay_typical(
    const struct booking *day, size_t n, int64_t service_id, int64_t slot)
{
	size_t count;
	struct served *sv = served_collect(day, n, &count);
	int64_t t = typical_of(sv, count, service_id, slot);

	free(sv);
	return t;
}

static int64_t
slot_of(const struct booking *b)
{
	return b->end > b->start ? (int64_t)(b->end - b->start) : 15 * 60;
}

static bool
current_at_desk(const struct booking *b)
{
	return b->status == BOOKING_CALLED || b->status == BOOKING_IN_SERVICE;
}

/* told_time: when the citizen was told to come: the booked time, or the
 * later one a notice gave */
static time_t
told_time(const struct booking *b)
{
	return b->start + (time_t)b->delay_notified;
}

/* still_to_come: waiting, or booked and not yet past the time they were
 * told (a booked citizen whose time has passed is not in the hall) */
static bool
still_to_come(const struct booking *b, time_t now)
{
	return b->status == BOOKING_WAITING ||
	       (b->status == BOOKING_BOOKED && told_time(b) > now);
}

static int
queue_order(const void *a, const void *b)
{
	const struct booking *x = *(const struct booking *const *)a;
	const struct booking *y = *(const struct booking *const *)b;

	if (x->desk_id != y->desk_id)
		return x->desk_id < y->desk_id ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

static unsigned
capacity_of(const struct desk *desks, size_t ndesks, int64_t id)
{
	size_t i;

	for (i = 0; i < ndesks; i++)
		if (desks[i].id == id)
			return desks[i].capacity > 0 ? desks[i].capacity : 1;
	return 1;
}

static size_t
earliest(const time_t *free_at, unsigned n)
{
	size_t k = 0, i;

	for (i = 1; i < n; i++)
		if (free_at[i] < free_at[k])
			k = i;
	return k;
}

/* desk_run: one desk's visits (q[0..n), all at that desk, in queue
 * order, the current ones first): the estimates of those still to come;
 * indexes are counted from day */
static size_t
desk_run(const struct booking *day, const struct booking *const *q, size_t n,
    unsigned capacity, const struct served *sv, size_t nsv, time_t now,
    struct delay_estimate *out)
{
	time_t *free_at = calloc(capacity, sizeof *free_at);
	size_t i, k, count = 0;

	if (free_at == NULL)
		abort();
	for (k = 0; k < capacity; k++)
		free_at[k] = now;
	for (i = 0; i < n; i++) {
		const struct booking *b = q[i];
		int64_t typical =
		    typical_of(sv, nsv, b->service_id, slot_of(b));
		time_t begin, end;

		k = earliest(free_at, capacity);
		if (current_at_desk(b)) {
			begin = b->started_at > 0  ? b->started_at
			        : b->called_at > 0 ? b->called_at
			                           : now;
			end = begin + typical > now ? begin + typical : now;
			/* a place already held by another current visit:
			 * this one's remaining time follows it */
			free_at[k] =
			    free_at[k] > now ? free_at[k] + (end - now) : end;
			continue;
		}
		begin = free_at[k] > b->start ? free_at[k] : b->start;
		free_at[k] = begin + typical;
		out[count].index = (size_t)(b - day);
		out[count].booking_id = b->id;
		out[count].expected = begin;
		out[count].delay = (int64_t)(begin - b->start);
		count++;
	}
	free(free_at);
	return count;
}

size_t
delay_estimate(const struct booking *day, size_t n, const struct desk *desks,
    size_t ndesks, time_t now, struct delay_estimate *out)
{
	const struct booking **q = calloc(n + 1, sizeof *q);
	size_t nq = 0, nsv, i, j, count = 0;
	struct served *sv = served_collect(day, n, &nsv);

	if (q == NULL)
		abort();
	/* the current visits first (in queue order among themselves), then
	 * the ones to come: two passes keep each desk's run contiguous */
	for (i = 0; i < n; i++)
		if (current_at_desk(&day[i]) || still_to_come(&day[i], now))
			q[nq++] = &day[i];
	qsort(q, nq, sizeof *q, queue_order);
	for (i = 0; i < nq; i = j) {
		const struct booking **run;
		size_t m = 0, r;

		for (j = i; j < nq && q[j]->desk_id == q[i]->desk_id; j++)
			;
		if ((run = calloc(j - i, sizeof *run)) == NULL)
			abort();
		for (r = i; r < j; r++)
			if (current_at_desk(q[r]))
				run[m++] = q[r];
		for (r = i; r < j; r++)
			if (!current_at_desk(q[r]))
				run[m++] = q[r];
		count += desk_run(day, run, m,
		    capacity_of(desks, ndesks, q[i]->desk_id), sv, nsv, now,
		    out + count);
		free(run);
	}
	free(q);
	free(sv);
	return count;
}

unsigned
delay_step(const struct delay_policy *p, int64_t delay)
{
	if (p->after <= 0 || delay < p->after)
		return 0;
	if (p->step <= 0)
		return 1;
	return 1 + (unsigned)((delay - p->after) / p->step);
}

unsigned
delay_notice_step(const struct delay_policy *p, const struct booking *b,
    const struct delay_estimate *e, time_t now)
{
	unsigned step;

	if (b->status != BOOKING_BOOKED || b->checked_in_at != 0 ||
	    told_time(b) <= now || b->start - now > p->ahead ||
	    date_compare(date_of(b->start), date_of(now)) != 0)
		return 0;
	step = delay_step(p, e->delay);
	return step > b->delay_step ? step : 0;
}

int64_t
delay_told(int64_t delay)
{
	int64_t told = delay / FIVE_MINUTES * FIVE_MINUTES;

	return told < FIVE_MINUTES ? FIVE_MINUTES : told;
}
