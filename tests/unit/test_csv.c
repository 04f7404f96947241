/*
 * test_csv.c: RFC 4180 fields and the formula-injection guard (lib/csv.h):
 * what a spreadsheet would run as a formula becomes text, whatever it is
 * wrapped in; numbers we format pass untouched; UTF-8 and the BOM.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "csv.h"

/* one: a row of one text field written with sep */
static void
expect_text(const char *text, char sep, const char *want)
{
	struct buf out = BUF_INIT;
	struct csv w = csv_begin(&out, sep, false);

	csv_text(&w, text);
	if (strcmp(buf_cstr(&out), want) != 0)
		fail_msg(
		    "[%s] became [%s], not [%s]", text, buf_cstr(&out), want);
	buf_free(&out);
}

static void
test_fields(void **state)
{
	(void)state;
	expect_text("Rejestracja pojazdu", ',', "Rejestracja pojazdu");
	expect_text("Pokój 1, stanowisko 2", ',', "\"Pokój 1, stanowisko 2\"");
	expect_text("Pokój 1, stanowisko 2", ';', "Pokój 1, stanowisko 2");
	expect_text("a;b", ';', "\"a;b\"");
	expect_text("say \"TAK\"", ',', "\"say \"\"TAK\"\"\"");
	expect_text("two\r\nlines", ',', "\"two\r\nlines\"");
	expect_text("", ',', "");
	expect_text(NULL, ',', "");
}

static void
test_formula_injection(void **state)
{
	(void)state;
	expect_text("=1+2", ',', "'=1+2");
	expect_text("+48 500 100 200", ',', "'+48 500 100 200");
	expect_text("-5", ',', "'-5");
	expect_text("@SUM(A1:A9)", ',', "'@SUM(A1:A9)");
	expect_text("\t=1", ',', "'\t=1");
	expect_text("\r=1", ',', "\"'\r=1\"");
	expect_text("=HYPERLINK(\"http://x.example\",\"klik\")", ',',
	    "\"'=HYPERLINK(\"\"http://x.example\"\",\"\"klik\"\")\"");
	expect_text("=cmd|' /C calc'!A0", ';', "'=cmd|' /C calc'!A0");
	/* only the first character matters */
	expect_text("a=1", ',', "a=1");
	expect_text("Usługa - opis", ',', "Usługa - opis");
}

static void
test_rows(void **state)
{
	struct buf out = BUF_INIT;
	struct csv w = csv_begin(&out, ';', true);

	(void)state;
	csv_text(&w, "day");
	csv_text(&w, "avg_wait_min");
	csv_end_row(&w);
	csv_text(&w, "2026-12-08");
	csv_raw(&w, "12,7");
	csv_raw(&w, "");
	csv_end_row(&w);
	assert_string_equal(buf_cstr(&out),
	    "\xEF\xBB\xBF"
	    "day;avg_wait_min\r\n2026-12-08;12,7;\r\n");
	buf_reset(&out);
	w = csv_begin(&out, ',', false);
	csv_raw(&w, "12,7"); /* a decimal comma under a comma separator */
	csv_raw(&w, "-1");   /* numbers are ours: never guarded */
	csv_end_row(&w);
	assert_string_equal(buf_cstr(&out), "\"12,7\",-1\r\n");
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fields),
	    cmocka_unit_test(test_formula_injection),
	    cmocka_unit_test(test_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
