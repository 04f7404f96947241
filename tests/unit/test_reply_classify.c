/*
 * test_reply_classify.c: reply_classify_text() on its own (the SMS path):
 * every answer word of CONTRACT.md, with and without diacritics, in any
 * case, with punctuation, a polite tail or a reference — and the texts that
 * must stay REPLY_UNCLEAR.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "buf.h"
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
    /* punctuation and polite words */
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
    /* issue 10: answers as citizens write them, without TAK/NIE */
    {"Tak, przyjadę autobusem.", REPLY_CONFIRM},
    {"Potwierdzam, do zobaczenia we wtorek", REPLY_CONFIRM},
    {"Będę o czasie", REPLY_CONFIRM}, {"Przyjdę z synem", REPLY_CONFIRM},
    {"bede", REPLY_CONFIRM}, {"Aktualne", REPLY_CONFIRM},
    {"Nie, wyjeżdżam za granicę.", REPLY_CANCEL},
    {"Niestety choroba, odwołuję", REPLY_CANCEL},
    {"Nie zdążę, przepraszam", REPLY_CANCEL},
    {"Sprawa już załatwiona, rezygnuję", REPLY_CANCEL},
    {"nie przyjdę", REPLY_CANCEL}, {"Nieaktualne", REPLY_CANCEL},
    {"Niestety nie dam rady przyjść.", REPLY_CANCEL},
    {"I can't make it, sorry.", REPLY_CANCEL},
    {"I'll be there.", REPLY_CONFIRM},
    /* negation scope: a negated cancel never cancels */
    {"Nie rezygnuję, przyjdę", REPLY_CONFIRM}, {"Nie rezygnuję", REPLY_CONFIRM},
    {"nie anuluje", REPLY_CONFIRM}, {"Nie, nie rezygnuję.", REPLY_CONFIRM},
    {"Nie spóźnię się, będę na czas.", REPLY_CONFIRM},
    {"Nie mogę przyjść", REPLY_CANCEL},
    {"Nie mogę się doczekać!", REPLY_CONFIRM},
    {"I'm not cancelling, I'll be there.", REPLY_CONFIRM},
    {"Proszę nie anulować, przyjdę.", REPLY_CONFIRM},
    {"Please don't cancel my appointment.", REPLY_CONFIRM},
    {"Anulowanie nie jest konieczne", REPLY_UNCLEAR},
    {"Nie ma mowy", REPLY_UNCLEAR},
    /* a negation no rule explains leaves the reply to staff */
    {"Nie wyjeżdżam za granicę.", REPLY_UNCLEAR},
    /* "jednak" before the answer is "after all", not "but" */
    {"Nie, jednak rezygnuję. Przepraszam.", REPLY_CANCEL},
    {"Jednak nie przyjdę.", REPLY_CANCEL},
    {"Jednak przyjdę, potwierdzam.", REPLY_CONFIRM},
    {"Tak, jednak nie przyjdę.", REPLY_UNCLEAR},
    {"Potwierdzam, jednak nie wiem, czy zdążę.", REPLY_UNCLEAR},
    {"Tak, ale mój mąż nie może.", REPLY_UNCLEAR}, {"Not me.", REPLY_UNCLEAR},
    /* hedges and conditions */
    {"chyba tak", REPLY_UNCLEAR}, {"Może", REPLY_UNCLEAR},
    {"Tak, jeśli zdążę", REPLY_UNCLEAR},
    {"Postaram się przyjść.", REPLY_UNCLEAR}, {"Maybe", REPLY_UNCLEAR},
    {"Yes if I can", REPLY_UNCLEAR},
    {"Jeśli to możliwe, proszę o inny termin.", REPLY_RESCHEDULE},
    /* contradicting answers, on one line or on several */
    {"Tak i nie", REPLY_UNCLEAR}, {"Tak, nie", REPLY_UNCLEAR},
    {"Potwierdzam.\nRezygnuję.", REPLY_UNCLEAR},
    {"Przyjdę.\n\nNie, jednak nie przyjdę.", REPLY_UNCLEAR},
    /* every line counts, not only the first */
    {"Dzień dobry,\nodpowiadam na wiadomość.\nRezygnuję.", REPLY_CANCEL},
    /* running late */
    {"Spóźnię się 10 minut", REPLY_LATE},
    {"Tak, ale spóźnię się 10 minut.", REPLY_LATE},
    {"Będę 15 minut później.", REPLY_LATE},
    {"I'll be 10 minutes late.", REPLY_LATE},
    /* another time */
    {"Proszę o inny termin", REPLY_RESCHEDULE},
    {"Nie mogę przyjść, czy jest inny termin", REPLY_RESCHEDULE},
    {"Czy mogę przyjść o 11?", REPLY_RESCHEDULE},
    {"Rezygnuję z tego terminu, proszę o inny.", REPLY_RESCHEDULE},
    {"Can I reschedule?", REPLY_RESCHEDULE},
    /* questions: answer words in a question do not answer */
    {"Tak?", REPLY_QUESTION}, {"Tak czy nie?", REPLY_QUESTION},
    {"Czy mogę anulować?", REPLY_QUESTION},
    {"Czy mogę przyjść z dzieckiem?", REPLY_QUESTION},
    {"czy moge przyjsc z psem", REPLY_QUESTION},
    {"Czy mogę się spóźnić 10 minut?", REPLY_QUESTION},
    {"Where is room 1?", REPLY_QUESTION},
    /* an answer with a question beside it is the answer (asks is set) */
    {"Tak, potwierdzam. Czy muszę zabrać stary dowód?", REPLY_CONFIRM},
    /* autoresponders without headers, on either channel */
    {"Tak, otrzymałem Państwa wiadomość. Odpowiem najszybciej, jak to "
     "możliwe.",
        REPLY_AUTO},
    {"Automatyczna odpowiedź: jestem poza biurem do 15 grudnia.", REPLY_AUTO},
    {"Out of office: I am away until Monday.", REPLY_AUTO},
    /* must not match */
    {"nie wiem", REPLY_UNCLEAR}, {"tak ale nie mogę o 10", REPLY_UNCLEAR},
    {"Tak, ale nie mogę o 10", REPLY_UNCLEAR}, {"taki sobie", REPLY_UNCLEAR},
    {"tak czy nie", REPLY_UNCLEAR}, {"Natalia", REPLY_UNCLEAR},
    {"okno", REPLY_UNCLEAR}, {"notatka", REPLY_UNCLEAR}, {"", REPLY_UNCLEAR},
    {"   \n\n  ", REPLY_UNCLEAR}, {"Dzień dobry", REPLY_UNCLEAR},
    {"No tak", REPLY_UNCLEAR}, {"stopień", REPLY_UNCLEAR},
    {"Tabela", REPLY_UNCLEAR}, {"ok ale później", REPLY_UNCLEAR},
    {"Nietypowa sprawa", REPLY_UNCLEAR}, {"Tak sobie.", REPLY_UNCLEAR},
    {"Mój mąż przyjdzie zamiast mnie.", REPLY_UNCLEAR},
    /* a link of ours holds /confirm and /cancel: no answer */
    {"http://localhost:8080/b/K7Q2M9AB3C/confirm?t=abc", REPLY_UNCLEAR},
    {"\xff\xfeT\x00"
     "A\x00K\x00",
        REPLY_UNCLEAR},         /* UTF-16: not ours */
    {"Tak\xc3", REPLY_UNCLEAR}, /* invalid UTF-8 tail: a U+FFFD word */
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
	struct buf text = BUF_INIT;
	char ref[16];
	int i;

	(void)state;
	memset(big, 'a', sizeof big);
	assert_int_equal(
	    reply_classify_text(big, sizeof big, ref), REPLY_UNCLEAR);
	memset(big, '\n', sizeof big);
	big[sizeof big - 1] = 'T';
	assert_int_equal(
	    reply_classify_text(big, sizeof big, ref), REPLY_UNCLEAR);
	assert_int_equal(reply_classify_text(NULL, 0, ref), REPLY_UNCLEAR);
	/* a letter, not an answer: staff read it, whatever its first line */
	buf_puts(&text, "TAK\n");
	for (i = 0; i < 400; i++)
		buf_puts(&text, "Opisuję moją sprawę bardzo szczegółowo.\n");
	assert_int_equal(
	    reply_classify_text(text.data, text.len, ref), REPLY_UNCLEAR);
	/* … but an autoresponder's words are still seen at its top */
	buf_reset(&text);
	buf_puts(&text, "Jestem poza biurem do 15 grudnia.\n");
	for (i = 0; i < 400; i++)
		buf_puts(&text, "Stopka prawna firmy, bardzo długa.\n");
	assert_int_equal(
	    reply_classify_text(text.data, text.len, ref), REPLY_AUTO);
	buf_free(&text);
}

static void
test_decision(void **state)
{
	struct reply_decision d;
	const char *t = "Tak, potwierdzam. Czy muszę zabrać stary dowód?";

	(void)state;
	reply_decide(t, strlen(t), &d);
	assert_int_equal(d.verdict, REPLY_CONFIRM);
	assert_true(d.asks); /* staff answer the question */
	assert_non_null(strstr(d.rules, "confirm:tak"));
	t = "TAK";
	reply_decide(t, strlen(t), &d);
	assert_false(d.asks);
	t = "Nie rezygnuję, przyjdę";
	reply_decide(t, strlen(t), &d);
	assert_int_equal(d.verdict, REPLY_CONFIRM);
	assert_null(strstr(d.rules, "cancel"));
}

static void
test_rules_api(void **state)
{
	struct reply_rules *set;
	struct error err;
	const char *jasna = "Jasna sprawa", *bede = "będę";

	(void)state;
	error_clear(&err);
	assert_int_equal(
	    reply_classify_text(jasna, strlen(jasna), NULL), REPLY_UNCLEAR);
	assert_non_null(set = reply_rules_new(&err));
	/* an admin's phrase: built-in building blocks may be used */
	assert_int_equal(
	    reply_rules_add(set, "confirm jasna-sprawa  {B}jasna sprawa{E}",
	        "test row 1", &err),
	    0);
	/* added rows come before the built-in ones */
	assert_int_equal(reply_rules_add(set, "neutral bede-test \\bbede\\b",
	                     "test row 2", &err),
	    0);
	assert_int_equal(reply_rules_add(set, "# a comment", "c", &err), 0);
	assert_int_equal(reply_rules_add(set, "", "c", &err), 0);
	/* not installed yet: readings use the installed set */
	assert_int_equal(
	    reply_classify_text(jasna, strlen(jasna), NULL), REPLY_UNCLEAR);
	reply_rules_install(set);
	assert_int_equal(
	    reply_classify_text(jasna, strlen(jasna), NULL), REPLY_CONFIRM);
	assert_int_equal(
	    reply_classify_text(bede, strlen(bede), NULL), REPLY_UNCLEAR);

	/* bad rows are refused with a reason naming their origin */
	assert_non_null(set = reply_rules_new(&err));
	assert_int_equal(
	    reply_rules_add(set, "confrim x tak", "row 7", &err), -1);
	assert_non_null(strstr(err.msg, "row 7"));
	assert_non_null(strstr(err.msg, "confrim"));
	assert_int_equal(
	    reply_rules_add(set, "confirm x (tak", "row 8", &err), -1);
	assert_non_null(strstr(err.msg, "row 8"));
	assert_int_equal(
	    reply_rules_add(set, "confirm x {NOPE}tak", "row 9", &err), -1);
	assert_non_null(strstr(err.msg, "NOPE"));
	assert_int_equal(
	    reply_rules_add(set, "confirm onlyname", "r", &err), -1);
	assert_int_equal(reply_rules_add(set, "confirm x a\nb", "r", &err), -1);
	assert_int_equal(reply_rules_add(set, "define lower x", "r", &err), -1);
	assert_int_equal(reply_rules_add(set, "define B x", "r", &err), -1);
	assert_int_equal(reply_rules_add(NULL, "confirm x y", "r", &err), -1);
	reply_rules_free(set);
	reply_rules_free(NULL);

	/* back to the built-in table */
	assert_non_null(set = reply_rules_new(&err));
	reply_rules_install(set);
	assert_int_equal(
	    reply_classify_text(bede, strlen(bede), NULL), REPLY_CONFIRM);
}

static void
test_names(void **state)
{
	int v;

	(void)state;
	assert_string_equal(reply_verdict_name(REPLY_CONFIRM), "confirm");
	assert_string_equal(reply_verdict_name(REPLY_CANCEL), "cancel");
	assert_string_equal(reply_verdict_name(REPLY_UNCLEAR), "unclear");
	assert_string_equal(reply_verdict_name(REPLY_LATE), "late");
	assert_string_equal(reply_verdict_name(REPLY_RESCHEDULE), "reschedule");
	assert_string_equal(reply_verdict_name(REPLY_BOUNCE), "bounce");
	for (v = 0; v < REPLY_VERDICT_COUNT; v++)
		assert_int_equal(reply_verdict_parse(reply_verdict_name(v)), v);
	assert_int_equal(reply_verdict_parse("maybe"), -1);
	assert_int_equal(reply_rules_init(NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_words),
	    cmocka_unit_test(test_reference),
	    cmocka_unit_test(test_bounded),
	    cmocka_unit_test(test_decision),
	    cmocka_unit_test(test_rules_api),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
