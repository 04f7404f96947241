/*
 * bench_util.c: the benchmarks' clock and median.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"

double
bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
bench_median(const double *v, size_t n)
{
	double *copy, m;

	if (n == 0)
		return 0;
	if ((copy = malloc(n * sizeof *copy)) == NULL)
		abort();
	memcpy(copy, v, n * sizeof *copy);
	qsort(copy, n, sizeof *copy, cmp_double);
	m = n % 2 ? copy[n / 2] : (copy[n / 2 - 1] + copy[n / 2]) / 2;
	free(copy);
	return m;
}
