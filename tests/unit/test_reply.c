/*
 * test_reply.c: the data-driven reply harness. Every file
 * tests/fixtures/replies/NAME.VERDICT.eml is one case: reply_read_mail()
 * must give VERDICT (confirm, cancel, unknown, stop, auto, bounce). An
 * optional sidecar NAME.VERDICT.expect holds more expectations, one
 * "key = value" a line (# comments):
 *   reference = K7Q2M9AB3C      (empty value: no reference)
 *   reference_from_address = yes|no
 *   in_reply_to = id            references = id (the first one)
 *   message_id = id             from = address
 *   bounced_message_id = id     bounced_recipient = address
 *   bounce_permanent = yes|no
 *   text = first line of the own words
 *   text_lacks = a string the own words must not contain
 * Adding a client's format is adding a file; the replies are read with
 * reply_local "wizyta".
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "reply.h"

#define MIN_FIXTURES 30

static char fixture_dir[1024];

static int
read_file(const char *path, struct buf *out)
{
	char chunk[8192];
	FILE *f;
	size_t n;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(out, chunk, n);
	fclose(f);
	return 0;
}

static const char *
yes_no(bool b)
{
	return b ? "yes" : "no";
}

/* compare one sidecar expectation; returns 0 when it holds */
static int
check_expect(const char *name, const char *key, const char *want,
    const struct reply_reading *r)
{
	char first[512];
	const char *got = NULL;
	size_t n;

	if (strcmp(key, "reference") == 0)
		got = r->reference;
	else if (strcmp(key, "reference_from_address") == 0)
		got = yes_no(r->reference_from_address);
	else if (strcmp(key, "in_reply_to") == 0)
		got = r->in_reply_to;
	else if (strcmp(key, "references") == 0)
		got = r->references != NULL && r->references[0] != NULL
		          ? r->references[0]
		          : "";
	else if (strcmp(key, "message_id") == 0)
		got = r->message_id;
	else if (strcmp(key, "from") == 0)
		got = r->from;
	else if (strcmp(key, "bounced_message_id") == 0)
		got = r->bounced_message_id;
	else if (strcmp(key, "bounced_recipient") == 0)
		got = r->bounced_recipient;
	else if (strcmp(key, "bounce_permanent") == 0)
		got = yes_no(r->bounce_permanent);
	else if (strcmp(key, "text") == 0) {
		n = strcspn(r->text, "\n");
		snprintf(first, sizeof first, "%.*s", (int)n, r->text);
		got = first;
	} else if (strcmp(key, "text_lacks") == 0) {
		if (strstr(r->text, want) == NULL)
			return 0;
		print_error(
		    "%s: own words contain \"%s\":\n%s\n", name, want, r->text);
		return -1;
	} else {
		print_error("%s: unknown expectation %s\n", name, key);
		return -1;
	}
	if (strcmp(got, want) == 0)
		return 0;
	print_error("%s: %s is \"%s\", want \"%s\"\n", name, key, got, want);
	return -1;
}

static int
check_sidecar(const char *path, const char *name, const struct reply_reading *r)
{
	char side[1200], line[1024], *eq, *key, *val, *e;
	FILE *f;
	int failed = 0;

	snprintf(
	    side, sizeof side, "%.*s.expect", (int)(strlen(path) - 4), path);
	if ((f = fopen(side, "r")) == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || (eq = strchr(line, '=')) == NULL)
			continue;
		*eq = '\0';
		key = line;
		val = eq + 1;
		while (*key == ' ')
			key++;
		for (e = eq; e > key && e[-1] == ' '; e--)
			e[-1] = '\0';
		while (*val == ' ')
			val++;
		if (check_expect(name, key, val, r) != 0)
			failed++;
	}
	fclose(f);
	return failed;
}

static void
test_fixture(void **state)
{
	const char *path = *state, *name, *dot;
	char want[16];
	struct buf raw = BUF_INIT;
	struct reply_reading r;
	struct error err;
	size_t n;
	int rc;

	name = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	/* NAME.VERDICT.eml */
	dot = name + strlen(name) - 4;
	n = 0;
	while (dot > name && dot[-1] != '.' && n < sizeof want - 1) {
		dot--;
		n++;
	}
	snprintf(want, sizeof want, "%.*s", (int)n, dot);
	assert_int_equal(read_file(path, &raw), 0);
	error_clear(&err);
	rc = reply_read_mail(raw.data, raw.len, "wizyta", &r, &err);
	if (rc != 0)
		print_error("%s: %s\n", name, err.msg);
	assert_int_equal(rc, 0);
	if (strcmp(reply_verdict_name(r.verdict), want) != 0)
		print_error("%s: verdict %s, want %s; own words:\n%s\n", name,
		    reply_verdict_name(r.verdict), want, r.text);
	assert_string_equal(reply_verdict_name(r.verdict), want);
	assert_int_equal(check_sidecar(path, name, &r), 0);
	reply_reading_free(&r);
	buf_free(&raw);
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_not_mail(void **state)
{
	struct reply_reading r;
	struct error err;

	(void)state;
	assert_int_equal(reply_read_mail("", 0, "wizyta", &r, &err), -1);
	reply_reading_free(&r);
	assert_int_equal(
	    reply_read_mail("\x89PNG\r\n", 6, "wizyta", &r, &err), -1);
	reply_reading_free(&r);
	/* headers only, no body: readable, nothing to act on */
	assert_int_equal(
	    reply_read_mail("Subject: x\r\n", 12, "wizyta", &r, &err), 0);
	assert_int_equal(r.verdict, REPLY_UNCLEAR);
	reply_reading_free(&r);
	/* any reply_local */
	assert_int_equal(
	    reply_read_mail("To: Biuro+k7q2m9ab3c@x.pl\r\n\r\nTAK\r\n", 34,
	        "biuro", &r, &err),
	    0);
	assert_string_equal(r.reference, "K7Q2M9AB3C");
	assert_true(r.reference_from_address);
	assert_int_equal(r.verdict, REPLY_CONFIRM);
	reply_reading_free(&r);
}

int
main(void)
{
	const char *top = getenv("top_srcdir");
	struct CMUnitTest *tests;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i, l;
	DIR *d;
	int rc;

	snprintf(fixture_dir, sizeof fixture_dir, "%s/tests/fixtures/replies",
	    top != NULL ? top : ".");
	if ((d = opendir(fixture_dir)) == NULL) {
		fprintf(stderr, "cannot open %s\n", fixture_dir);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		l = strlen(de->d_name);
		if (l < 5 || strcmp(de->d_name + l - 4, ".eml") != 0)
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		names[n] = malloc(strlen(fixture_dir) + l + 2);
		snprintf(names[n], strlen(fixture_dir) + l + 2, "%s/%s",
		    fixture_dir, de->d_name);
		n++;
	}
	closedir(d);
	if (n < MIN_FIXTURES) {
		fprintf(stderr, "only %zu fixtures in %s\n", n, fixture_dir);
		return 1;
	}
	qsort(names, n, sizeof *names, compare_names);
	tests = calloc(n + 1, sizeof *tests);
	for (i = 0; i < n; i++) {
		tests[i].name = strrchr(names[i], '/') + 1;
		tests[i].test_func = test_fixture;
		tests[i].initial_state = names[i];
	}
	tests[n].name = "not_mail";
	tests[n].test_func = test_not_mail;
	rc = _cmocka_run_group_tests("replies", tests, n + 1, NULL, NULL);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(tests);
	return rc;
}
