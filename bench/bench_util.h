/*
 * bench_util.h: what every C benchmark measures with — a monotonic clock
 * and the median of its runs (one noisy run must not decide a figure).
 */
#ifndef WIZYTA_BENCH_UTIL_H
#define WIZYTA_BENCH_UTIL_H

#include <stddef.h>

/* bench_now: seconds on CLOCK_MONOTONIC */
double bench_now(void);
/* bench_median: the median of n > 0 values (the mean of the middle two
 * when n is even); v is left as it was */
double bench_median(const double *v, size_t n);

#endif
