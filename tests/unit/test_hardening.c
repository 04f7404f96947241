/*
 * test_hardening.c: the small pieces behind issue 9's safety nets, with a
 * fixed clock where time matters:
 *
 *  - lib/utf8: utf8_valid, utf8_sanitize, utf8_copy (what keeps invalid
 *    UTF-8 away from jansson);
 *  - lib/log: one line per call, no e-mail address or phone number, and
 *    identical lines folded into "last message repeated N times";
 *  - lib/conn_guard: the per-address limit (trusted addresses exempt) and
 *    the request deadline (conn_guard_sweep with an injected now).
 */
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "conn_guard.h"
#include "log.h"
#include "utf8.h"

static void
test_utf8(void **state)
{
	struct buf b = BUF_INIT;
	char out[8];

	(void)state;
	assert_true(
	    utf8_valid("Zażółć gęślą jaźń", strlen("Zażółć gęślą jaźń")));
	assert_true(utf8_valid("", 0));
	assert_false(utf8_valid("\xff", 1));
	assert_false(utf8_valid("\xc0\xae", 2));         /* overlong '.' */
	assert_false(utf8_valid("\xed\xa0\x80", 3));     /* a surrogate */
	assert_false(utf8_valid("\xc5", 1));             /* cut short */
	assert_false(utf8_valid("a\0b", 3));             /* a NUL is not text */
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4)); /* past U+10FFFF */

	utf8_sanitize(&b, "a\xffz\xc5", 4);
	assert_string_equal(buf_cstr(&b), "a\xef\xbf\xbdz\xef\xbf\xbd");
	buf_free(&b);

	/* cut on a character boundary, never inside one */
	utf8_copy(out, sizeof out, "abcdefż");
	assert_string_equal(out, "abcdef");
	utf8_copy(out, sizeof out, "abcdeżó");
	assert_string_equal(out, "abcdeż");
	utf8_copy(out, sizeof out, "ab\xff");
	assert_string_equal(out, "ab\xef\xbf\xbd");
	utf8_copy(out, 1, "abc");
	assert_string_equal(out, "");
}

static void
test_log_clean(void **state)
{
	char out[256];

	(void)state;
	log_clean("failed message=12: 550 5.1.1 <jan.kowalski@example.pl>: "
	          "Recipient address rejected",
	    out, sizeof out);
	assert_string_equal(out, "failed message=12: 550 5.1.1 <<address>>: "
	                         "Recipient address rejected");
	log_clean("to=ewa+tag@poczta.example.com done", out, sizeof out);
	assert_string_equal(out, "to=<address> done");
	log_clean("sms to +48 600 700 800 and 600-700-801 and (22) 123 45 67",
	    out, sizeof out);
	assert_string_equal(out, "sms to <number> and <number> and (<number>");
	/* ids, times, addresses and dates stay */
	log_clean(
	    "outbox=12345678 listen=127.0.0.1:8080 at 2026-12-08 12:00:01", out,
	    sizeof out);
	assert_string_equal(out,
	    "outbox=12345678 listen=127.0.0.1:8080 at 2026-12-08 12:00:01");
	/* one line, valid UTF-8 */
	log_clean("a\nb\rc\td\x1b[31me\xff ż", out, sizeof out);
	assert_string_equal(out, "a b c d?[31me? ż");
	log_clean("abcdefghij", out, 5);
	assert_string_equal(out, "abcd");
}

/* capture: run log lines while stderr goes to a file; its content */
static char captured[4096];

static int saved_stderr = -1;

static void
capture_start(void)
{
	FILE *f = tmpfile();

	assert_non_null(f);
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	dup2(fileno(f), STDERR_FILENO);
	fclose(f); /* the descriptor 2 keeps it open */
}

static const char *
capture_end(void)
{
	ssize_t n;

	lseek(STDERR_FILENO, 0, SEEK_SET);
	n = read(STDERR_FILENO, captured, sizeof captured - 1);
	captured[n > 0 ? n : 0] = '\0';
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	return captured;
}

static unsigned
count(const char *text, const char *needle)
{
	unsigned n = 0;

	while ((text = strstr(text, needle)) != NULL) {
		n++;
		text++;
	}
	return n;
}

static void
test_log_repeats(void **state)
{
	const char *text;
	int i;

	(void)state;
	log_init("test_hardening", LOG_LEVEL_INFO);
	capture_start();
	for (i = 0; i < 1000; i++)
		log_error("api: database: exec: database or disk is full");
	log_info("something else");
	log_info("something else");
	log_flush();
	text = capture_end();
	assert_int_equal(count(text, "database or disk is full"), 1);
	assert_int_equal(count(text, "last message repeated 999 times"), 1);
	assert_int_equal(count(text, "something else"), 1);
	assert_int_equal(count(text, "last message repeated 1 time\n"), 1);
	assert_int_equal(count(text, "\n"), 4);
}

static struct sockaddr_in
address(const char *ip)
{
	struct sockaddr_in in;

	memset(&in, 0, sizeof in);
	in.sin_family = AF_INET;
	inet_pton(AF_INET, ip, &in.sin_addr);
	return in;
}

static void
test_conn_guard(void **state)
{
	struct sockaddr_in a = address("192.0.2.7"), b = address("192.0.2.8"),
	                   proxy = address("10.0.0.1");
	struct conn_guard *g;
	struct conn_guard_entry *e[4], *p[5];
	unsigned i;

	(void)state;
	log_init("test_hardening", LOG_LEVEL_ERROR);
	g = conn_guard_new("test", 3, 0, "10.0.0.1");
	for (i = 0; i < 3; i++) {
		assert_true(conn_guard_admit(g, (struct sockaddr *)&a));
		e[i] = conn_guard_opened(g, (struct sockaddr *)&a, -1);
	}
	assert_false(conn_guard_admit(g, (struct sockaddr *)&a));
	/* one that slipped past admit (threads accepting at once) is shut
	 * down at once, and does not count */
	{
		struct conn_guard_entry *extra;
		int pair[2];
		char byte;

		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
		extra = conn_guard_opened(g, (struct sockaddr *)&a, pair[0]);
		assert_int_equal(read(pair[1], &byte, 1), 0);
		conn_guard_closed(g, extra);
		close(pair[0]);
		close(pair[1]);
	}
	assert_true(conn_guard_admit(g, (struct sockaddr *)&b));
	/* a trusted proxy carries many clients: not counted */
	for (i = 0; i < 5; i++) {
		assert_true(conn_guard_admit(g, (struct sockaddr *)&proxy));
		p[i] = conn_guard_opened(g, (struct sockaddr *)&proxy, -1);
	}
	conn_guard_closed(g, e[1]);
	assert_true(conn_guard_admit(g, (struct sockaddr *)&a));
	assert_int_equal(conn_guard_count(g), 7);
	conn_guard_closed(g, e[0]);
	conn_guard_closed(g, e[2]);
	conn_guard_closed(g, conn_guard_opened(g, (struct sockaddr *)&a, -1));
	assert_int_equal(conn_guard_count(g), 5);

	/* IPv6: one /64 is one client */
	{
		struct sockaddr_in6 v6[4];
		struct conn_guard_entry *e6[3];
		const char *const text[] = {"2001:db8:1:2::1",
		    "2001:db8:1:2::2", "2001:db8:1:2:ffff::3",
		    "2001:db8:1:3::1"};

		for (i = 0; i < 4; i++) {
			memset(&v6[i], 0, sizeof v6[i]);
			v6[i].sin6_family = AF_INET6;
			inet_pton(AF_INET6, text[i], &v6[i].sin6_addr);
		}
		for (i = 0; i < 3; i++) {
			assert_true(
			    conn_guard_admit(g, (struct sockaddr *)&v6[i]));
			e6[i] =
			    conn_guard_opened(g, (struct sockaddr *)&v6[i], -1);
		}
		assert_false(conn_guard_admit(g, (struct sockaddr *)&v6[0]));
		assert_true(conn_guard_admit(g, (struct sockaddr *)&v6[3]));
		for (i = 0; i < 3; i++)
			conn_guard_closed(g, e6[i]);
	}
	for (i = 0; i < 5; i++)
		conn_guard_closed(g, p[i]);
	assert_int_equal(conn_guard_count(g), 0);
	conn_guard_free(g);
}

static void
test_conn_guard_deadline(void **state)
{
	struct sockaddr_in a = address("192.0.2.7");
	struct conn_guard *g;
	struct conn_guard_entry *slow, *busy;
	int s1[2], s2[2];
	char byte;

	(void)state;
	log_init("test_hardening", LOG_LEVEL_ERROR);
	/* request_seconds 20, and a sweeper that we do not wait for: every
	 * sweep below is ours, at a time we choose (1e9 is far past now) */
	g = conn_guard_new("test", 0, 20, "");
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, s1), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, s2), 0);
	slow = conn_guard_opened(g, (struct sockaddr *)&a, s1[0]);
	busy = conn_guard_opened(g, (struct sockaddr *)&a, s2[0]);
	conn_guard_request_read(g, busy);
	assert_int_equal(conn_guard_sweep(g, 0), 0); /* not yet */
	assert_int_equal(conn_guard_sweep(g, 1000000000), 1);
	assert_int_equal(read(s1[1], &byte, 1), 0); /* shut down: EOF */
	assert_int_equal(conn_guard_sweep(g, 1000000000), 0); /* once */
	/* answered: the next request's deadline starts */
	conn_guard_request_done(g, busy);
	assert_int_equal(conn_guard_sweep(g, 1000000000), 1);
	assert_int_equal(read(s2[1], &byte, 1), 0);
	conn_guard_closed(g, slow);
	conn_guard_closed(g, busy);
	conn_guard_free(g);
	close(s1[0]);
	close(s1[1]);
	close(s2[0]);
	close(s2[1]);
}

/* one escaper for the templates and the e-mail's HTML part: every
 * character that can open markup or end an attribute, only within n */
static void
test_buf_put_html(void **state)
{
	const char text[] = "<a href=\"x\" title='y'>&amp;</a>ż";
	struct buf b = BUF_INIT;

	(void)state;
	buf_put_html(&b, text, strlen(text));
	assert_string_equal(
	    buf_cstr(&b), "&lt;a href=&quot;x&quot; "
	                  "title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;ż");
	buf_reset(&b);
	buf_put_html(&b, "a<b>c", 2);
	assert_string_equal(buf_cstr(&b), "a&lt;");
	buf_reset(&b);
	buf_put_html(&b, "plain", 5);
	assert_string_equal(buf_cstr(&b), "plain");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8),
	    cmocka_unit_test(test_buf_put_html),
	    cmocka_unit_test(test_log_clean),
	    cmocka_unit_test(test_log_repeats),
	    cmocka_unit_test(test_conn_guard),
	    cmocka_unit_test(test_conn_guard_deadline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
