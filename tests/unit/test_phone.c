/* test_phone.c: phone_normalize on what citizens really type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "phone.h"

static void
expect_number(const char *input, const char *want)
{
	char out[32];
	struct error err;

	error_clear(&err);
	if (phone_normalize(input, out, sizeof out, &err) != 0)
		fail_msg("'%s' refused: %s", input, err.msg);
	assert_string_equal(out, want);
}

static void
expect_invalid(const char *input)
{
	char out[32];
	struct error err;

	error_clear(&err);
	if (phone_normalize(input, out, sizeof out, &err) != -1)
		fail_msg("'%s' accepted as %s", input, out);
	assert_int_equal(err.kind, ERROR_INVALID);
	assert_string_equal(err.field, "phone");
	assert_string_equal(err.code, "phone_invalid");
	assert_true(strlen(err.msg) > 0);
	assert_string_equal(out, "");
}

static void
test_polish_forms(void **state)
{
	(void)state;
	expect_number("600 700 800", "+48600700800");
	expect_number("600-700-800", "+48600700800");
	expect_number("600700800", "+48600700800");
	expect_number("48600700800", "+48600700800");
	expect_number("0048 600 700 800", "+48600700800");
	expect_number("+48 600 700 800", "+48600700800");
	expect_number("(+48) 600700800", "+48600700800");
	expect_number("+48 (22) 123-45-67", "+48221234567");
	expect_number(" 600.700.800 ", "+48600700800");
}

static void
test_other_countries(void **state)
{
	(void)state;
	expect_number("+49 30 1234567", "+49301234567");
	expect_number("0049 30 1234567", "+49301234567");
	expect_number("+44 7700 900123", "+447700900123");
	expect_number("+1 202 555 0143", "+12025550143");
	expect_number("+380 44 123 4567", "+380441234567");
	expect_number("+12345678", "+12345678");               /* 8 digits */
	expect_number("+123456789012345", "+123456789012345"); /* 15 */
}

static void
test_invalid(void **state)
{
	(void)state;
	expect_invalid("");
	expect_invalid("   ");
	expect_invalid("abc");
	expect_invalid("600 700 80O");       /* letter O */
	expect_invalid("60070080");          /* 8 national digits */
	expect_invalid("6007008000");        /* 10 digits */
	expect_invalid("060070080");         /* trunk zero */
	expect_invalid("+48 600 700 80");    /* Polish, too short */
	expect_invalid("+48 600 700 8000");  /* Polish, too long */
	expect_invalid("+1234567");          /* 7 digits */
	expect_invalid("+1234567890123456"); /* 16 digits */
	expect_invalid("+0123456789");       /* country code 0 */
	expect_invalid("600+700800");
	expect_invalid("++48600700800");
	expect_invalid("600 700 800 wew. 12");
	expect_invalid("600\n700800");
	expect_invalid("12345678901234567890123456789");
}

static void
test_small_buffer(void **state)
{
	char out[8];
	struct error err;

	(void)state;
	assert_int_equal(
	    phone_normalize("600700800", out, sizeof out, &err), -1);
	assert_int_equal(phone_normalize(NULL, out, sizeof out, &err), -1);
}

static void
expect_sms_refused(const char *e164, const char *countries, const char *code)
{
	struct error err;

	error_clear(&err);
	if (phone_sms_allowed(e164, countries, &err) != -1)
		fail_msg("SMS to %s allowed", e164);
	assert_int_equal(err.kind, ERROR_INVALID);
	assert_string_equal(err.field, "phone");
	assert_string_equal(err.code, code);
}

/* Toll fraud: no SMS to premium, shared-cost, freephone or satellite
 * ranges, nor to countries outside sms.countries. */
static void
test_sms_allowed(void **state)
{
	const char *eu = "48 49 44 380";
	char out[32];
	struct error err;

	(void)state;
	error_clear(&err);
	assert_int_equal(phone_sms_allowed("+48600700800", eu, &err), 0);
	assert_int_equal(phone_sms_allowed("+380501234567", eu, &err), 0);
	assert_int_equal(phone_sms_allowed("+4915112345678", eu, &err), 0);
	assert_int_equal(phone_sms_allowed("+12025550123", "any", &err), 0);
	/* satellite and international networks */
	expect_sms_refused("+8816123456789", "any", "phone_premium");
	expect_sms_refused("+88213456789", "any", "phone_premium");
	expect_sms_refused("+88351001234", "any", "phone_premium");
	expect_sms_refused("+870772123456", "any", "phone_premium");
	expect_sms_refused("+97912345678", "any", "phone_premium");
	/* Polish premium rate (70x) and freephone / shared cost (80x), in
	 * any form a citizen types them */
	assert_int_equal(
	    phone_normalize("701 234 567", out, sizeof out, &err), 0);
	expect_sms_refused(out, eu, "phone_premium");
	assert_int_equal(
	    phone_normalize("0048 708 000 000", out, sizeof out, &err), 0);
	expect_sms_refused(out, eu, "phone_premium");
	assert_int_equal(
	    phone_normalize("801 123 456", out, sizeof out, &err), 0);
	expect_sms_refused(out, eu, "phone_premium");
	/* other countries' premium ranges, even where SMS may go */
	expect_sms_refused("+449012345678", eu, "phone_premium");
	expect_sms_refused("+49900123456", eu, "phone_premium");
	/* a country outside the list */
	expect_sms_refused("+12025550123", eu, "phone_country");
	expect_sms_refused("+2348012345678", eu, "phone_country");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_polish_forms),
	    cmocka_unit_test(test_other_countries),
	    cmocka_unit_test(test_invalid),
	    cmocka_unit_test(test_small_buffer),
	    cmocka_unit_test(test_sms_allowed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
