/*
 * plural.c: Polish and English plural forms for counted nouns, in the
 * three cases our sentences need (plural.h).
 *
 * Polish numerals 2-4 (except 12-14) take the "few" form, everything else
 * above 1 the "many" form (genitive plural). In the genitive both of those
 * become the genitive plural ("w ciągu 2 godzin", "w ciągu 22 minut"); in
 * the accusative only the singular changes ("za godzinę", "za 2 godziny").
 */
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
	/* [case][one, few, many] */
	const char *pl[3][3];
	const char *en[2]; /* one, many */
} units[] = {
    [PLURAL_DAY] = {86400,
        {{"dzień", "dni", "dni"}, {"dnia", "dni", "dni"},
            {"dzień", "dni", "dni"}},
        {"day", "days"}},
    [PLURAL_HOUR] = {3600,
        {{"godzina", "godziny", "godzin"}, {"godziny", "godzin", "godzin"},
            {"godzinę", "godziny", "godzin"}},
        {"hour", "hours"}},
    [PLURAL_MINUTE] = {60,
        {{"minuta", "minuty", "minut"}, {"minuty", "minut", "minut"},
            {"minutę", "minuty", "minut"}},
        {"minute", "minutes"}},
    [PLURAL_SECOND] = {1,
        {{"sekunda", "sekundy", "sekund"}, {"sekundy", "sekund", "sekund"},
            {"sekundę", "sekundy", "sekund"}},
        {"second", "seconds"}},
};

const char *
plural_count(long n, enum plural_unit unit, const char *language,
    enum plural_case grammatical_case, char *out, size_t size)
{
	const char *const *forms;

	if ((unsigned)unit > PLURAL_SECOND)
		unit = PLURAL_SECOND;
	if ((unsigned)grammatical_case > PLURAL_ACCUSATIVE)
		grammatical_case = PLURAL_NOMINATIVE;
	if (strcmp(language, "en") == 0) {
		snprintf(
		    out, size, "%ld %s", n, units[unit].en[n == 1 ? 0 : 1]);
		return out;
	}
	forms = units[unit].pl[grammatical_case];
	if (n == 1 && grammatical_case == PLURAL_ACCUSATIVE)
		snprintf(out, size, "%s", forms[0]); /* "za godzinę" */
	else
		snprintf(out, size, "%ld %s", n,
		    plural_pl(n, forms[0], forms[1], forms[2]));
	return out;
}

const char *
plural_duration_case(long long seconds, const char *language,
    enum plural_case grammatical_case, char *out, size_t size)
{
	unsigned u;

	for (u = PLURAL_DAY; u <= PLURAL_SECOND; u++) {
		long long unit = units[u].seconds;

		if (seconds < unit || seconds % unit != 0)
			continue;
		return plural_count((long)(seconds / unit), (enum plural_unit)u,
		    language, grammatical_case, out, size);
	}
	return plural_count(
	    0, PLURAL_SECOND, language, grammatical_case, out, size);
}

const char *
plural_duration(
    long long seconds, const char *language, char *out, unsigned long size)
{
	return plural_duration_case(
	    seconds, language, PLURAL_NOMINATIVE, out, (size_t)size);
}
