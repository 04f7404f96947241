/*
 * test_reply_classify.c: reply_classify_text() on its own (the SMS path):
 * every answer word of CONTRACT.md, with and without diacritics, in any
 * case, with punctuation, a polite tail or a reference — and the texts that
 * must stay REPLY_UNKNOWN.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "reply.h"

struct text_case {
	const char *text;
	enum reply_verdict verdict;
};

static const struct text_case cases[] = {
    /* CONTRACT.md: confirm */
    {"TAK", REPLY_CONFIRM}, {"tak", REPLY_CONFIRM}, {"Tak", REPLY_CONFIRM},
    {"T", REPLY_CONFIRM}, {"t", REPLY_CONFIRM}, {"tak.", REPLY_CONFIRM},
    {"Potwierdzam", REPLY_CONFIRM}, {"POTWIERDZAM", REPLY_CONFIRM},
    {"YES", REPLY_CONFIRM}, {"yes", REPLY_CONFIRM}, {"ok", REPLY_CONFIRM},
    {"OK", REPLY_CONFIRM}, {"Ok.", REPLY_CONFIRM},
    /* CONTRACT.md: cancel */
    {"NIE", REPLY_CANCEL}, {"nie", REPLY_CANCEL}, {"N", REPLY_CANCEL},
    {"n", REPLY_CANCEL}, {"Anuluję", REPLY_CANCEL}, {"anuluje", REPLY_CANCEL},
    {"ANULUJĘ", REPLY_CANCEL}, {"anuluj", REPLY_CANCEL},
    {"rezygnuję", REPLY_CANCEL}, {"rezygnuje", REPLY_CANCEL},
    {"REZYGNUJĘ", REPLY_CANCEL}, {"NO", REPLY_CANCEL}, {"no", REPLY_CANCEL},
    {"cancel", REPLY_CANCEL}, {"CANCEL", REPLY_CANCEL},
    /* decomposed diacritics (macOS NFD): "Anuluje" + U+0328 */
    {"Anuluje\xcc\xa8", REPLY_CANCEL},
    /* SMS opt-out */
    {"STOP", REPLY_STOP}, {"stop", REPLY_STOP}, {"Stop.", REPLY_STOP},
    /* punctuation and polite tails */
    {"TAK!", REPLY_CONFIRM}, {"Tak, dziękuję", REPLY_CONFIRM},
    {"Tak, dziekuje!", REPLY_CONFIRM}, {"tak potwierdzam", REPLY_CONFIRM},
    {"  tak  ", REPLY_CONFIRM}, {"\"Tak\"", REPLY_CONFIRM},
    {"„Tak”", REPLY_CONFIRM}, {"Tak 👍", REPLY_CONFIRM},
    {"Potwierdzam wizytę.", REPLY_CONFIRM},
    {"Tak, potwierdzam wizytę. Dziękuję bardzo!", REPLY_CONFIRM},
    {"Tak, pozdrawiam Jan Kowalski", REPLY_CONFIRM},
    {"Dzień dobry, tak potwierdzam", REPLY_CONFIRM},
    {"Dzień dobry,\n\nTAK\n\nPozdrawiam\nJan", REPLY_CONFIRM},
    {"Witam\r\ntak\r\n", REPLY_CONFIRM}, {"Nie, dziękuję", REPLY_CANCEL},
    {"NIE!", REPLY_CANCEL}, {"Rezygnuję z wizyty", REPLY_CANCEL},
    {"Anuluję rezerwację, przepraszam", REPLY_CANCEL},
    {"Proszę anulować wizytę", REPLY_CANCEL}, {"no, thanks", REPLY_CANCEL},
    /* with a reference */
    {"TAK K7Q2M9AB3C", REPLY_CONFIRM}, {"tak k7q2m9ab3c", REPLY_CONFIRM},
    {"NIE K7Q2M9AB3C", REPLY_CANCEL}, {"T K7Q2M9AB3C", REPLY_CONFIRM},
    /* must not match */
    {"nie wiem", REPLY_UNKNOWN}, {"tak ale nie mogę o 10", REPLY_UNKNOWN},
    {"Tak, ale nie mogę o 10", REPLY_UNKNOWN}, {"taki sobie", REPLY_UNKNOWN},
    {"Tak czy nie?", REPLY_UNKNOWN}, {"tak czy nie", REPLY_UNKNOWN},
    {"Tak?", REPLY_UNKNOWN}, {"Natalia", REPLY_UNKNOWN},
    {"okno", REPLY_UNKNOWN}, {"notatka", REPLY_UNKNOWN},
    {"Czy mogę przyjść o 11?", REPLY_UNKNOWN}, {"", REPLY_UNKNOWN},
    {"   \n\n  ", REPLY_UNKNOWN}, {"Dzień dobry", REPLY_UNKNOWN},
    {"Tak i nie", REPLY_UNKNOWN}, {"No tak", REPLY_UNKNOWN},
    {"stopień", REPLY_UNKNOWN},
    {"Nie mogę przyjść, czy jest inny termin", REPLY_UNKNOWN},
    {"Takie pytanie", REPLY_UNKNOWN}, {"Tabela", REPLY_UNKNOWN},
    {"ok ale później", REPLY_UNKNOWN}, {"Nietypowa sprawa", REPLY_UNKNOWN},
    {"\xff\xfeT\x00"
     "A\x00K\x00",
        REPLY_UNKNOWN},         /* UTF-16: not ours */
    {"Tak\xc3", REPLY_UNKNOWN}, /* invalid UTF-8 tail: a U+FFFD word */
};

static void
test_words(void **state)
{
	char ref[16];
	size_t i;
	enum reply_verdict v;
	int failed = 0;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		v = reply_classify_text(
		    cases[i].text, strlen(cases[i].text), ref);
		if (v != cases[i].verdict) {
			print_error("\"%s\": got %s, want %s\n", cases[i].text,
			    reply_verdict_name(v),
			    reply_verdict_name(cases[i].verdict));
			failed++;
		}
	}
	assert_int_equal(failed, 0);
}

static void
test_reference(void **state)
{
	char ref[16];

	(void)state;
	assert_int_equal(
	    reply_classify_text("TAK K7Q2M9AB3C", 14, ref), REPLY_CONFIRM);
	assert_string_equal(ref, "K7Q2M9AB3C");
	reply_classify_text("tak k7q2m9ab3c", 14, ref);
	assert_string_equal(ref, "K7Q2M9AB3C");
	/* the 6-digit access code and phone numbers are not references */
	reply_classify_text("TAK 123456", 10, ref);
	assert_string_equal(ref, "");
	reply_classify_text("tak 600123456", 13, ref);
	assert_string_equal(ref, "");
	reply_classify_text("Rezerwacja [KMNPQRSTUV] tak", 27, ref);
	assert_string_equal(ref, "KMNPQRSTUV");
	reply_classify_text("REZERWACJA tak", 14, ref);
	assert_string_equal(ref, "");
	/* not inside an address */
	reply_classify_text("tak wizyta+K7Q2M9AB3C@urzad.example", 35, ref);
	assert_string_equal(ref, "");
	assert_int_equal(reply_classify_text("TAK", 3, NULL), REPLY_CONFIRM);
}

static void
test_bounded(void **state)
{
	static char big[200000];
	char ref[16];

	(void)state;
	memset(big, 'a', sizeof big);
	assert_int_equal(
	    reply_classify_text(big, sizeof big, ref), REPLY_UNKNOWN);
	memset(big, '\n', sizeof big);
	big[sizeof big - 1] = 'T';
	assert_int_equal(
	    reply_classify_text(big, sizeof big, ref), REPLY_UNKNOWN);
	assert_int_equal(reply_classify_text(NULL, 0, ref), REPLY_UNKNOWN);
}

static void
test_names(void **state)
{
	(void)state;
	assert_string_equal(reply_verdict_name(REPLY_CONFIRM), "confirm");
	assert_string_equal(reply_verdict_name(REPLY_CANCEL), "cancel");
	assert_string_equal(reply_verdict_name(REPLY_BOUNCE), "bounce");
	assert_int_equal(reply_rules_init(NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_words),
	    cmocka_unit_test(test_reference),
	    cmocka_unit_test(test_bounded),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
