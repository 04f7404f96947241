/* plural.c: Polish and English plural forms for counted nouns. */
#include <stdio.h>
#include <string.h>

#include "plural.h"

const char *
plural_pl(long n, const char *one, const char *few, const char *many)
{
	long abs_n = n < 0 ? -n : n, tens = abs_n % 100, units = abs_n % 10;

	if (abs_n == 1)
		return one;
	if (units >= 2 && units <= 4 && !(tens >= 12 && tens <= 14))
		return few;
	return many;
}

static const struct {
	long long seconds;
	const char *pl[3];	/* one, few, many */
	const char *en[2];	/* one, many */
} duration_units[] = {
	{ 86400, { "dzień", "dni", "dni" }, { "day", "days" } },
	{ 3600, { "godzina", "godziny", "godzin" }, { "hour", "hours" } },
	{ 60, { "minuta", "minuty", "minut" }, { "minute", "minutes" } },
	{ 1, { "sekunda", "sekundy", "sekund" }, { "second", "seconds" } },
};

const char *
plural_duration(long long seconds, const char *language, char *out, unsigned long size)
{
	size_t i;

	for (i = 0; i < sizeof duration_units / sizeof duration_units[0]; i++) {
		long long unit = duration_units[i].seconds;
		long n;

		if (seconds < unit || seconds % unit != 0)
			continue;
		n = (long)(seconds / unit);
		if (strcmp(language, "en") == 0)
			snprintf(out, size, "%ld %s", n, duration_units[i].en[n == 1 ? 0 : 1]);
		else
			snprintf(out, size, "%ld %s", n, plural_pl(n, duration_units[i].pl[0],
			    duration_units[i].pl[1], duration_units[i].pl[2]));
		return out;
	}
	snprintf(out, size, "%s", strcmp(language, "en") == 0 ? "0 seconds" : "0 sekund");
	return out;
}
