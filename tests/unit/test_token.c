/*
 * test_token.c: references, access codes, hex secrets and the
 * constant-time comparison.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "token.h"

static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
test_references(void **state)
{
	enum { N = 10000 };
	char (*refs)[REFERENCE_LEN + 1] = calloc(N, sizeof *refs);
	unsigned seen[256] = { 0 };
	size_t i, j;

	(void)state;
	assert_non_null(refs);
	assert_int_equal(strlen(alphabet), 32);
	for (i = 0; i < N; i++) {
		token_reference(refs[i]);
		assert_int_equal(strlen(refs[i]), REFERENCE_LEN);
		for (j = 0; j < REFERENCE_LEN; j++) {
			if (strchr(alphabet, refs[i][j]) == NULL)
				fail_msg("'%c' in %s", refs[i][j], refs[i]);
			seen[(unsigned char)refs[i][j]]++;
		}
		assert_true(token_reference_valid(refs[i]));
	}
	qsort(refs, N, sizeof *refs, compare_strings);
	for (i = 1; i < N; i++)
		if (strcmp(refs[i - 1], refs[i]) == 0)
			fail_msg("duplicate reference %s", refs[i]);
	/* every symbol shows up (100 000 draws, ~3125 each) */
	for (j = 0; j < 32; j++)
		assert_true(seen[(unsigned char)alphabet[j]] > 2000);
	free(refs);
	/* CONTRACT.md: at most 12 characters of [A-Z0-9] */
	assert_true(REFERENCE_LEN <= 12);
}

static void
test_reference_valid(void **state)
{
	(void)state;
	assert_true(token_reference_valid("ABCDEFGH23"));
	assert_true(token_reference_valid("ZZZZZZZZZZ"));
	assert_false(token_reference_valid(""));
	assert_false(token_reference_valid("ABCDEFGH2"));	/* 9 */
	assert_false(token_reference_valid("ABCDEFGH234"));	/* 11 */
	assert_false(token_reference_valid("ABCDEFGHI2"));	/* I */
	assert_false(token_reference_valid("ABCDEFGHO2"));	/* O */
	assert_false(token_reference_valid("ABCDEFGH02"));	/* 0 */
	assert_false(token_reference_valid("ABCDEFGH12"));	/* 1 */
	assert_false(token_reference_valid("abcdefgh23"));
	assert_false(token_reference_valid("ABCDE GH23"));
	assert_false(token_reference_valid("ABCDEFGH2-"));
}

static bool
guessable(const char *code)
{
	int i, up = 1, down = 1, same = 1;

	for (i = 1; i < 6; i++) {
		up &= code[i] - code[i - 1] == 1;
		down &= code[i] - code[i - 1] == -1;
		same &= code[i] == code[i - 1];
	}
	return up || down || same;
}

static void
test_access_codes(void **state)
{
	enum { N = 5000 };
	char (*codes)[ACCESS_CODE_LEN + 1] = calloc(N, sizeof *codes);
	unsigned first_digit[10] = { 0 }, dups = 0;
	size_t i, j;

	(void)state;
	assert_non_null(codes);
	for (i = 0; i < N; i++) {
		token_access_code(codes[i]);
		assert_int_equal(strlen(codes[i]), ACCESS_CODE_LEN);
		for (j = 0; j < ACCESS_CODE_LEN; j++)
			assert_true(codes[i][j] >= '0' && codes[i][j] <= '9');
		if (guessable(codes[i]))
			fail_msg("guessable code %s", codes[i]);
		assert_true(token_access_code_valid(codes[i]));
		first_digit[codes[i][0] - '0']++;
	}
	/* leading zeros are kept: every first digit appears */
	for (j = 0; j < 10; j++)
		assert_true(first_digit[j] > 300);
	qsort(codes, N, sizeof *codes, compare_strings);
	for (i = 1; i < N; i++)
		dups += strcmp(codes[i - 1], codes[i]) == 0;
	/* 5000 of a million: ~12.5 coincidences expected, far fewer than 100 */
	assert_true(dups < 100);
	free(codes);
}

static void
test_access_code_valid(void **state)
{
	(void)state;
	assert_true(token_access_code_valid("048213"));
	assert_false(token_access_code_valid(""));
	assert_false(token_access_code_valid("04821"));
	assert_false(token_access_code_valid("0482131"));
	assert_false(token_access_code_valid("04821a"));
	assert_false(token_access_code_valid(" 48213"));
	/* the guessable ones are never issued (test above); our checker
	 * agrees on what they are */
	assert_true(guessable("123456"));
	assert_true(guessable("012345"));
	assert_true(guessable("987654"));
	assert_true(guessable("777777"));
	assert_false(guessable("123457"));
}

static void
test_hex(void **state)
{
	char a[65], b[65];
	size_t i;

	(void)state;
	token_hex(a, 32);
	token_hex(b, 32);
	assert_int_equal(strlen(a), 64);
	for (i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdef", a[i]));
	assert_string_not_equal(a, b);
	token_hex(a, 0);
	assert_string_equal(a, "");
}

static void
test_equal(void **state)
{
	(void)state;
	assert_true(token_equal("", ""));
	assert_true(token_equal("ABCDEFGH23", "ABCDEFGH23"));
	assert_false(token_equal("ABCDEFGH23", "ABCDEFGH24"));
	assert_false(token_equal("ABCDEFGH23", "BBCDEFGH23"));
	assert_false(token_equal("ABCDEFGH2", "ABCDEFGH23"));	/* prefix */
	assert_false(token_equal("ABCDEFGH23", "ABCDEFGH2"));
	assert_false(token_equal("", "A"));
	assert_false(token_equal("abc", "ABC"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_reference_valid),
		cmocka_unit_test(test_access_codes),
		cmocka_unit_test(test_access_code_valid),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
