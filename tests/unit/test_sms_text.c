/* test_sms_text.c: GSM-7 / UCS-2 detection, segment counts at the
 * boundaries, and transliteration of Polish text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "sms_text.h"

static char *
repeat(const char *unit, size_t n)
{
	struct buf b = BUF_INIT;

	while (n-- > 0)
		buf_puts(&b, unit);
	return buf_steal(&b);
}

static void
check(const char *text, enum sms_encoding enc, size_t units, unsigned segs)
{
	struct sms_measure m;

	sms_measure(text, &m);
	assert_int_equal(m.encoding, enc);
	assert_int_equal(m.units, units);
	assert_int_equal(m.segments, segs);
}

static void
check_repeat(const char *unit, size_t n, enum sms_encoding enc, size_t units,
    unsigned segs)
{
	char *s = repeat(unit, n);

	check(s, enc, units, segs);
	free(s);
}

static void
test_gsm7_boundaries(void **state)
{
	(void)state;
	check("", SMS_GSM7, 0, 1);
	check("Wizyta potwierdzona. Kod: 123456", SMS_GSM7, 32, 1);
	check_repeat("a", 160, SMS_GSM7, 160, 1);
	check_repeat("a", 161, SMS_GSM7, 161, 2);
	check_repeat("a", 306, SMS_GSM7, 306, 2);
	check_repeat("a", 307, SMS_GSM7, 307, 3);
	/* GSM-7 letters outside ASCII cost one septet */
	check("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà", SMS_GSM7, 42, 1);
}

static void
test_gsm7_extension(void **state)
{
	char *s;

	(void)state;
	check("€", SMS_GSM7, 2, 1);
	check("^{}\\[~]|€", SMS_GSM7, 18, 1);
	check_repeat("€", 80, SMS_GSM7, 160, 1);
	check_repeat("€", 81, SMS_GSM7, 162, 2);
	/* 152 septets then an escape pair: it must not be split */
	s = repeat("a", 152);
	{
		struct buf b = BUF_INIT;
		struct sms_measure m;

		buf_puts(&b, s);
		buf_puts(&b, "€");          /* 154 */
		buf_puts(&b, "aaaaaaaaaa"); /* 164 */
		sms_measure(buf_cstr(&b), &m);
		assert_int_equal(m.encoding, SMS_GSM7);
		assert_int_equal(m.units, 164);
		assert_int_equal(m.segments, 2);
		buf_reset(&b);
		/* 152 + € (2) + 151 = 305 septets but € moves to part 2:
		 * 152 | 2 + 151 = 153 → still 2 parts; one more → 3 */
		buf_puts(&b, s);
		buf_puts(&b, "€");
		free(s);
		s = repeat("a", 152);
		buf_puts(&b, s);
		sms_measure(buf_cstr(&b), &m);
		assert_int_equal(m.units, 306);
		assert_int_equal(m.segments, 3);
		buf_free(&b);
	}
	free(s);
}

static void
test_ucs2(void **state)
{
	(void)state;
	check("Zażółć gęślą jaźń", SMS_UCS2, 17, 1);
	check("`", SMS_UCS2, 1, 1);
	check_repeat("ą", 70, SMS_UCS2, 70, 1);
	check_repeat("ą", 71, SMS_UCS2, 71, 2);
	check_repeat("ą", 134, SMS_UCS2, 134, 2);
	check_repeat("ą", 135, SMS_UCS2, 135, 3);
	/* an emoji is a surrogate pair: two units */
	check("😀", SMS_UCS2, 2, 1);
	check_repeat("😀", 35, SMS_UCS2, 70, 1);
	check_repeat("😀", 36, SMS_UCS2, 72, 2);
	/* invalid UTF-8 counts as UCS-2, one unit per bad byte */
	check("ab\xff", SMS_UCS2, 3, 1);
	check("\xc3", SMS_UCS2, 1, 1);
}

static void
test_ucs2_no_split_pair(void **state)
{
	struct buf b = BUF_INIT;
	struct sms_measure m;
	char *s = repeat("ą", 66);

	(void)state;
	buf_puts(&b, s);
	buf_puts(&b, "😀"); /* 68 units: pair crosses 67 */
	buf_puts(&b, s);   /* 134 */
	sms_measure(buf_cstr(&b), &m);
	assert_int_equal(m.units, 134);
	assert_int_equal(m.segments, 3);
	buf_free(&b);
	free(s);
}

static void
test_transliterate(void **state)
{
	struct sms_measure m;
	char *t;

	(void)state;
	t = sms_transliterate("Zażółć gęślą jaźń ŻÓŁW Ąę Ćń Śź Ł Ę Ń");
	assert_string_equal(t, "Zazolc gesla jazn ZOLW Ae Cn Sz L E N");
	free(t);
	t = sms_transliterate("„Urząd” – “Wydział” — ‚a’ … x\xc2\xa0y");
	assert_string_equal(t, "\"Urzad\" - \"Wydzial\" - 'a' ... x y");
	sms_measure(t, &m);
	assert_int_equal(m.encoding, SMS_GSM7);
	free(t);
	/* GSM-7 letters and everything else pass through */
	t = sms_transliterate("é € 😀 ok");
	assert_string_equal(t, "é € 😀 ok");
	free(t);
	t = sms_transliterate("");
	assert_string_equal(t, "");
	free(t);
	t = sms_transliterate("a\xff"
	                      "b");
	assert_string_equal(t, "a\xff"
	                       "b");
	free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_gsm7_boundaries),
	    cmocka_unit_test(test_gsm7_extension),
	    cmocka_unit_test(test_ucs2),
	    cmocka_unit_test(test_ucs2_no_split_pair),
	    cmocka_unit_test(test_transliterate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
