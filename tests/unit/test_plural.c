/* test_plural.c: Polish plural forms and durations in words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "plural.h"

static void
expect_minutes(long n, const char *want)
{
	char text[48];

	snprintf(text, sizeof text, "%ld %s", n, plural_pl(n, "minuta", "minuty", "minut"));
	assert_string_equal(text, want);
}

static void
test_plural_pl(void **state)
{
	(void)state;
	expect_minutes(0, "0 minut");
	expect_minutes(1, "1 minuta");
	expect_minutes(2, "2 minuty");
	expect_minutes(3, "3 minuty");
	expect_minutes(4, "4 minuty");
	expect_minutes(5, "5 minut");
	expect_minutes(11, "11 minut");
	expect_minutes(12, "12 minut");
	expect_minutes(13, "13 minut");
	expect_minutes(14, "14 minut");
	expect_minutes(21, "21 minut");		/* only 1 itself is singular */
	expect_minutes(22, "22 minuty");
	expect_minutes(24, "24 minuty");
	expect_minutes(25, "25 minut");
	expect_minutes(101, "101 minut");
	expect_minutes(102, "102 minuty");
	expect_minutes(112, "112 minut");
	expect_minutes(114, "114 minut");
	expect_minutes(122, "122 minuty");
	expect_minutes(1000, "1000 minut");
	expect_minutes(-2, "-2 minuty");
}

static void
expect_duration(long long seconds, const char *language, const char *want)
{
	char out[48];

	assert_ptr_equal(plural_duration(seconds, language, out, sizeof out), out);
	assert_string_equal(out, want);
}

static void
test_duration(void **state)
{
	(void)state;
	expect_duration(30 * 60, "pl", "30 minut");
	expect_duration(2 * 3600, "pl", "2 godziny");
	expect_duration(86400, "pl", "1 dzień");
	expect_duration(90, "pl", "90 sekund");
	expect_duration(60, "pl", "1 minuta");
	expect_duration(22 * 60, "pl", "22 minuty");
	expect_duration(5 * 3600, "pl", "5 godzin");
	expect_duration(2 * 86400, "pl", "2 dni");
	expect_duration(90 * 60, "pl", "90 minut");	/* not 1.5 h */
	expect_duration(1, "pl", "1 sekunda");
	expect_duration(0, "pl", "0 sekund");
	expect_duration(30 * 60, "en", "30 minutes");
	expect_duration(2 * 3600, "en", "2 hours");
	expect_duration(86400, "en", "1 day");
	expect_duration(90, "en", "90 seconds");
	expect_duration(60, "en", "1 minute");
	expect_duration(0, "en", "0 seconds");
	{
		char tiny[8];

		plural_duration(30 * 60, "pl", tiny, sizeof tiny);
		assert_string_equal(tiny, "30 minu");	/* truncated, terminated */
	}
}

/* Every duration phrase for 1, 2, 5, 22 and 30 minutes, hours and days, in
 * the three cases our texts use, Polish and English. */
static const struct {
	long long seconds;
	const char *nominative, *genitive, *accusative, *en;
} phrases[] = {
	{ 60, "1 minuta", "1 minuty", "minutę", "1 minute" },
	{ 2 * 60, "2 minuty", "2 minut", "2 minuty", "2 minutes" },
	{ 5 * 60, "5 minut", "5 minut", "5 minut", "5 minutes" },
	{ 22 * 60, "22 minuty", "22 minut", "22 minuty", "22 minutes" },
	{ 30 * 60, "30 minut", "30 minut", "30 minut", "30 minutes" },
	{ 3600, "1 godzina", "1 godziny", "godzinę", "1 hour" },
	{ 2 * 3600, "2 godziny", "2 godzin", "2 godziny", "2 hours" },
	{ 5 * 3600, "5 godzin", "5 godzin", "5 godzin", "5 hours" },
	{ 22 * 3600, "22 godziny", "22 godzin", "22 godziny", "22 hours" },
	{ 30 * 3600, "30 godzin", "30 godzin", "30 godzin", "30 hours" },
	{ 86400, "1 dzień", "1 dnia", "dzień", "1 day" },
	{ 2 * 86400, "2 dni", "2 dni", "2 dni", "2 days" },
	{ 5 * 86400, "5 dni", "5 dni", "5 dni", "5 days" },
	{ 22 * 86400, "22 dni", "22 dni", "22 dni", "22 days" },
	{ 30 * 86400, "30 dni", "30 dni", "30 dni", "30 days" },
};

static void
test_duration_cases(void **state)
{
	char out[48];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof phrases / sizeof phrases[0]; i++) {
		long long s = phrases[i].seconds;

		assert_string_equal(plural_duration_case(s, "pl", PLURAL_NOMINATIVE, out,
		    sizeof out), phrases[i].nominative);
		assert_string_equal(plural_duration_case(s, "pl", PLURAL_GENITIVE, out,
		    sizeof out), phrases[i].genitive);
		assert_string_equal(plural_duration_case(s, "pl", PLURAL_ACCUSATIVE, out,
		    sizeof out), phrases[i].accusative);
		assert_string_equal(plural_duration_case(s, "en", PLURAL_GENITIVE, out,
		    sizeof out), phrases[i].en);
		assert_string_equal(plural_duration_case(s, "en", PLURAL_ACCUSATIVE, out,
		    sizeof out), phrases[i].en);
	}
	assert_string_equal(plural_count(15, PLURAL_MINUTE, "pl", PLURAL_NOMINATIVE,
	    out, sizeof out), "15 minut");
	assert_string_equal(plural_count(21, PLURAL_MINUTE, "pl", PLURAL_ACCUSATIVE,
	    out, sizeof out), "21 minut");
	assert_string_equal(plural_count(1, PLURAL_SECOND, "pl", PLURAL_ACCUSATIVE,
	    out, sizeof out), "sekundę");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plural_pl),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_duration_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
