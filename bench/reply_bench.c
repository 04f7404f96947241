/*
 * reply_bench.c: how much CPU reading one reply costs.
 *
 * Two paths, each against a baseline measured in the same run:
 *  - SMS: reply_decide() over every text of the labelled corpus
 *    (tests/fixtures/reply-corpus/), against one plain PCRE2 match (JIT,
 *    UTF, caseless) of the old single answer-word pattern over the same
 *    texts — what reading a reply cost when it was one regular expression;
 *  - e-mail: reply_read_mail() over every real-client fixture
 *    (tests/fixtures/replies/, .eml files: MIME, charsets, HTML, quotes),
 * against the same plain match over the raw mail. Each run reads every input
 * once and measures process CPU time; the figure is the median of RUNS runs of
 * the CPU time per reply. Targets: a reply is decided in well under a
 * millisecond — under TARGET_US — and the slowest single input in under 1 ms.
 * Exits 1 when a target is missed. Measure a build without sanitizers (build/
 * of dev/demo, not build-check/).
 *
 *   top_srcdir=.. bench/reply_bench
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <dirent.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_util.h"
#include "buf.h"
#include "reply.h"

#define RUNS 15
#define TARGET_US 100.0        /* median reply, each path */
#define TARGET_WORST_US 1000.0 /* the slowest single input */

struct input {
	char *data;
	size_t len;
};

struct set {
	struct input *v;
	size_t n;
};

static void
add(struct set *s, const char *data, size_t len)
{
	s->v = realloc(s->v, (s->n + 1) * sizeof *s->v);
	if (s->v == NULL || (s->v[s->n].data = malloc(len + 1)) == NULL)
		abort();
	memcpy(s->v[s->n].data, data, len);
	s->v[s->n].data[len] = '\0';
	s->v[s->n].len = len;
	s->n++;
}

static int
read_all(const char *path, struct buf *out)
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

/* the cases of the labelled corpus ("%%" between cases, "# " comments) */
static void
load_texts(const char *dir, struct set *s)
{
	struct dirent *de;
	char path[1400], line[4096];
	struct buf text = BUF_INIT;
	FILE *f;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		while (fgets(line, sizeof line, f) != NULL) {
			if (strncmp(line, "# ", 2) == 0)
				continue;
			if (strcmp(line, "%%\n") == 0) {
				if (text.len > 0)
					add(s, text.data, text.len);
				buf_reset(&text);
				continue;
			}
			buf_puts(&text, line);
		}
		if (text.len > 0)
			add(s, text.data, text.len);
		buf_reset(&text);
		fclose(f);
	}
	closedir(d);
	buf_free(&text);
}

static void
load_mails(const char *dir, struct set *s)
{
	struct dirent *de;
	struct buf raw = BUF_INIT;
	char path[1400];
	size_t l;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		l = strlen(de->d_name);
		if (l < 5 || strcmp(de->d_name + l - 4, ".eml") != 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		buf_reset(&raw);
		if (read_all(path, &raw) == 0)
			add(s, raw.data, raw.len);
	}
	closedir(d);
	buf_free(&raw);
}

static double
cpu_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* the baseline: one regular expression, as reading a reply once was */
static pcre2_code *baseline;
static pcre2_match_data *baseline_md;
static volatile int sink;

static void
read_baseline(const struct input *in, int mail)
{
	(void)mail;
	sink += pcre2_jit_match(
	    baseline, (PCRE2_SPTR)in->data, in->len, 0, 0, baseline_md, NULL);
}

static void
read_ours(const struct input *in, int mail)
{
	if (mail) {
		struct reply_reading r;
		struct error err;

		if (reply_read_mail(in->data, in->len, "wizyta", &r, &err) == 0)
			sink += (int)r.verdict;
		reply_reading_free(&r);
	} else {
		struct reply_decision d;

		reply_decide(in->data, in->len, &d);
		sink += (int)d.verdict;
	}
}

/* median over RUNS runs of the CPU time per input of one pass */
static double
per_input(
    const struct set *s, int mail, void (*read)(const struct input *, int))
{
	double runs[RUNS], t;
	size_t i;
	int r;

	for (i = 0; i < s->n; i++) /* warm: caches, converters, JIT */
		read(&s->v[i], mail);
	for (r = 0; r < RUNS; r++) {
		t = cpu_us();
		for (i = 0; i < s->n; i++)
			read(&s->v[i], mail);
		runs[r] = (cpu_us() - t) / (double)s->n;
	}
	return bench_median(runs, RUNS);
}

/* the slowest single input (median of 5 readings each) */
static double
worst_input(const struct set *s, int mail)
{
	double worst = 0, v[5], t;
	size_t i;
	int r;

	for (i = 0; i < s->n; i++) {
		for (r = 0; r < 5; r++) {
			t = cpu_us();
			read_ours(&s->v[i], mail);
			v[r] = cpu_us() - t;
		}
		if (bench_median(v, 5) > worst)
			worst = bench_median(v, 5);
	}
	return worst;
}

static int
report(const char *name, const struct set *s, int mail)
{
	double ours = per_input(s, mail, read_ours);
	double base = per_input(s, mail, read_baseline);
	double worst = worst_input(s, mail);
	int ok = ours < TARGET_US && worst < TARGET_WORST_US;

	printf("reply_bench: %-6s %4zu inputs: %.1f us of CPU per reply "
	       "(median of %d runs; target < %.0f), slowest %.1f us (target < "
	       "%.0f); "
	       "one plain "
	       "PCRE2 match %.2f us, ratio %.0f  %s\n",
	    name, s->n, ours, RUNS, TARGET_US, worst, TARGET_WORST_US, base,
	    base > 0 ? ours / base : 0.0, ok ? "ok" : "MISSED");
	return ok;
}

int
main(void)
{
	const char *top = getenv("top_srcdir");
	struct set texts = {NULL, 0}, mails = {NULL, 0};
	struct error err;
	char dir[1024];
	PCRE2_SIZE off;
	size_t i;
	int code, ok = 1;

	if (top == NULL)
		top = ".";
	snprintf(dir, sizeof dir, "%s/tests/fixtures/reply-corpus", top);
	load_texts(dir, &texts);
	snprintf(dir, sizeof dir, "%s/tests/fixtures/replies", top);
	load_mails(dir, &mails);
	if (texts.n < 100 || mails.n < 30) {
		fprintf(
		    stderr, "reply_bench: corpus not found under %s\n", top);
		return 1;
	}
	if (reply_rules_init(&err) != 0) {
		fprintf(stderr, "reply_bench: %s\n", err.msg);
		return 1;
	}
	baseline = pcre2_compile(
	    (PCRE2_SPTR) "^\\W*(?:tak|t|potwierdzam|yes|ok|nie|n|anuluj\\w*|"
	                 "rezygnuj\\w*|no|cancel)\\W*$",
	    PCRE2_ZERO_TERMINATED,
	    PCRE2_UTF | PCRE2_CASELESS | PCRE2_UCP | PCRE2_MULTILINE, &code,
	    &off, NULL);
	if (baseline == NULL || pcre2_jit_compile(baseline, PCRE2_JIT_COMPLETE))
		return 1;
	baseline_md = pcre2_match_data_create(1, NULL);
	ok &= report("sms", &texts, 0);
	ok &= report("e-mail", &mails, 1);
	pcre2_match_data_free(baseline_md);
	pcre2_code_free(baseline);
	for (i = 0; i < texts.n; i++)
		free(texts.v[i].data);
	for (i = 0; i < mails.n; i++)
		free(mails.v[i].data);
	free(texts.v);
	free(mails.v);
	return ok ? 0 : 1;
}
