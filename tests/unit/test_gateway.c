/*
 * test_gateway.c: the gateway's pure pieces: retry backoff and inbound
 * dedup keys.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "intake.h"
#include "outbox_worker.h"

static void
test_backoff_doubles_with_jitter(void **state)
{
	unsigned attempt, r;

	(void)state;
	for (attempt = 1; attempt <= 6; attempt++) {
		long base = 30L << (attempt - 1);

		for (r = 0; r < 1000; r += 37) {
			long d = outbox_backoff(30, attempt, r * 7919u);

			assert_true(d >= base - base / 5);
			assert_true(d <= base + base / 5);
		}
	}
}

static void
test_backoff_is_capped(void **state)
{
	(void)state;
	assert_true(outbox_backoff(30, 40, 0) <= 3600 + 720);
	assert_true(outbox_backoff(30, 40, 0) >= 3600 - 720);
	assert_true(outbox_backoff(0, 1, 0) >= 1);
}

static void
test_dedup_key_message_id(void **state)
{
	const char *mail = "From: a@b.pl\r\nMessage-ID:\r\n <abc.123@mail.example>\r\n"
	    "Subject: x\r\n\r\nMessage-ID: <not-this@x>\r\n";
	char key[300];

	(void)state;
	intake_mail_dedup_key(mail, strlen(mail), key, sizeof key);
	assert_string_equal(key, "mid:abc.123@mail.example");
}

static void
test_dedup_key_hash_without_id(void **state)
{
	const char *a = "From: a@b.pl\r\nSubject: x\r\n\r\nTAK\r\n";
	const char *b = "From: a@b.pl\r\nSubject: x\r\n\r\nNIE\r\n";
	const char *body_only = "Subject: y\r\n\r\nMessage-ID: <in@body>\r\n";
	char ka[300], kb[300], kc[300];

	(void)state;
	intake_mail_dedup_key(a, strlen(a), ka, sizeof ka);
	intake_mail_dedup_key(b, strlen(b), kb, sizeof kb);
	intake_mail_dedup_key(body_only, strlen(body_only), kc, sizeof kc);
	assert_memory_equal(ka, "sha256:", 7);
	assert_int_equal(strlen(ka), 7 + 64);
	assert_string_not_equal(ka, kb);
	assert_memory_equal(kc, "sha256:", 7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff_doubles_with_jitter),
		cmocka_unit_test(test_backoff_is_capped),
		cmocka_unit_test(test_dedup_key_message_id),
		cmocka_unit_test(test_dedup_key_hash_without_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
