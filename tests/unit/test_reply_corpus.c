/*
 * test_reply_corpus.c: the fuzz corpus (fuzz/corpus/reply/) replayed under
 * make check — every input that once crashed, hung or found a new path
 * must keep being read without a crash, a leak (ASan) or an invalid
 * verdict. The same work as fuzz/fuzz_reply.c, one test per file.
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

#define MIN_CORPUS 20

static void
test_input(void **state)
{
	const char *path = *state;
	struct buf raw = BUF_INIT;
	struct reply_reading r;
	struct error err;
	char chunk[8192], ref[16];
	enum reply_verdict v;
	FILE *f;
	size_t n;

	assert_non_null(f = fopen(path, "rb"));
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&raw, chunk, n);
	fclose(f);
	if (reply_read_mail(raw.data, raw.len, "wizyta", &r, &err) == 0) {
		assert_true(r.verdict <= REPLY_BOUNCE);
		assert_non_null(r.text);
		assert_true(r.text[0] != '\0' || r.verdict != REPLY_CONFIRM);
	}
	reply_reading_free(&r);
	v = reply_classify_text(raw.data, raw.len, ref);
	assert_true(v <= REPLY_BOUNCE);
	assert_true(strlen(ref) < sizeof ref);
	buf_free(&raw);
}

int
main(void)
{
	const char *top = getenv("top_srcdir");
	char dir[1024];
	struct CMUnitTest *tests = NULL;
	struct dirent *de;
	size_t n = 0, i, l;
	DIR *d;
	int rc;

	snprintf(
	    dir, sizeof dir, "%s/fuzz/corpus/reply", top != NULL ? top : ".");
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "cannot open %s\n", dir);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		char *path;

		if (de->d_name[0] == '.')
			continue;
		l = strlen(dir) + strlen(de->d_name) + 2;
		path = malloc(l);
		snprintf(path, l, "%s/%s", dir, de->d_name);
		tests = realloc(tests, (n + 1) * sizeof *tests);
		memset(&tests[n], 0, sizeof tests[n]);
		tests[n].name = strrchr(path, '/') + 1;
		tests[n].test_func = test_input;
		tests[n].initial_state = path;
		n++;
	}
	closedir(d);
	if (n < MIN_CORPUS) {
		fprintf(stderr, "only %zu corpus files in %s\n", n, dir);
		return 1;
	}
	rc = _cmocka_run_group_tests("fuzz_corpus", tests, n, NULL, NULL);
	for (i = 0; i < n; i++)
		free(tests[i].initial_state);
	free(tests);
	return rc;
}
