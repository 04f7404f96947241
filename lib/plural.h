/*
 * plural.h: Polish plural forms (1 minuta, 2 minuty, 5 minut, 22 minuty,
 * 12 minut) and English ones, for every text that counts something.
 *
 * A Polish duration also changes with the phrase around it: "trwa 1
 * godzina" (nominative), "w ciągu 1 godziny" (genitive), "za godzinę"
 * (accusative; the "1" is dropped, as a Pole says it). Every text that puts
 * a duration into a sentence names the case it needs.
 */
#ifndef WIZYTA_PLURAL_H
#define WIZYTA_PLURAL_H

#include <stddef.h>

enum plural_case {
	PLURAL_NOMINATIVE, /* "Czas obsługi: 1 minuta" / "1 minute" */
	PLURAL_GENITIVE,   /* "w ciągu 1 godziny" / "within 1 hour" */
	PLURAL_ACCUSATIVE, /* "wygaśnie za godzinę" / "expires in 1 hour" */
};

enum plural_unit {
	PLURAL_DAY,
	PLURAL_HOUR,
	PLURAL_MINUTE,
	PLURAL_SECOND,
};

/* plural_pl: one for 1; few for 2-4 except 12-14 (mod 100); else many. */
const char *plural_pl(
    long n, const char *one, const char *few, const char *many);

/* plural_count: "n word" in language ("pl" or "en") and case, into out. */
const char *plural_count(long n, enum plural_unit, const char *language,
    enum plural_case, char *out, size_t size);

/* plural_duration_case: seconds in the largest unit that divides them
 * exactly ("90 minut", not 1.5 h), in the given case. out of 48 bytes. */
const char *plural_duration_case(long long seconds, const char *language,
    enum plural_case, char *out, size_t size);

/* plural_duration: the nominative ("30 minut", "2 godziny", "1 dzień"). */
const char *plural_duration(
    long long seconds, const char *language, char *out, unsigned long size);

#endif
