/*
 * reply_rules.c: the rule table as data — loading rows (the built-in
 * rules/reply_rules.table compiled into the binary, and rows added at run
 * time), compiling them once with PCRE2 (UTF, caseless, Unicode properties,
 * multi-line, JIT), and matching them for the quote cutter
 * (reply_quote.c), the subject check and the verdict stage
 * (reply_intent.c). What the rows mean is explained at the top of
 * rules/reply_rules.table; how the verdict is reached, in reply_intent.c.
 *
 * Sets and threads: the installed set is shared by every reading; a
 * reading takes a reference at its start (rules_run_begin) and drops it at
 * its end, so reply_rules_install() can replace the set at any time (an
 * admin's new phrase) without freeing rows a reading still matches with.
 * Compiled patterns are read-only once built and safe to share; match data
 * is per reading.
 *
 * Bounds: every match has a match limit, and one row looks for at most
 * MAX_TRIES matches in a text, so no row and no text makes a reading slow.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reply_internal.h"

/* generated from rules/reply_rules.table (rules/local.mk) */
extern const unsigned char reply_rules_builtin[];
extern const size_t reply_rules_builtin_len;

#define MAX_TRIES 64 /* match attempts of one row over one text */
#define MAX_NAME 48
#define MAX_PATTERN 4096 /* bytes of a pattern once its names are expanded */

struct rule {
	enum rule_kind kind;
	char name[MAX_NAME];
	pcre2_code *code;
	bool jit;
};

struct macro {
	char name[MAX_NAME];
	char *value;
};

struct reply_rules {
	struct rule *rows;
	size_t n, cap;
	size_t added; /* rows added at run time: they come first */
	struct macro *macros;
	size_t nmacros, macros_cap;
	unsigned refs; /* readings using the set, +1 while installed */
};

struct rules_run {
	struct reply_rules *rules;
	bool borrowed; /* rules_run_with: the caller's set, not counted */
	pcre2_match_data *md;
	unsigned char *claimed;
	size_t claimed_cap;
};

static const char *const kind_names[RULE_KIND_COUNT] = {
    [RULE_CONFIRM] = "confirm",
    [RULE_CANCEL] = "cancel",
    [RULE_LATE] = "late",
    [RULE_RESCHEDULE] = "reschedule",
    [RULE_QUESTION] = "question",
    [RULE_STOP] = "stop",
    [RULE_AUTO] = "auto",
    [RULE_HEDGE] = "hedge",
    [RULE_CONTRAST] = "contrast",
    [RULE_NEGATION] = "negation",
    [RULE_NEUTRAL] = "neutral",
    [RULE_QUOTE_LINE] = "quote-line",
    [RULE_QUOTE_CUT] = "quote-cut",
    [RULE_QUOTE_ATTRIBUTION] = "quote-attribution",
    [RULE_QUOTE_ATTRIBUTION_START] = "quote-attribution-start",
    [RULE_QUOTE_HEADER_FROM] = "quote-header-from",
    [RULE_QUOTE_HEADER_OTHER] = "quote-header-other",
    [RULE_QUOTE_OURS] = "quote-ours",
    [RULE_AUTO_SUBJECT] = "auto-subject",
};

const char *
rule_kind_name(enum rule_kind kind)
{
	return (unsigned)kind < RULE_KIND_COUNT && kind_names[kind] != NULL
	           ? kind_names[kind]
	           : "?";
}

static pthread_mutex_t rules_lock = PTHREAD_MUTEX_INITIALIZER;
static struct reply_rules *installed;      /* under rules_lock */
static pcre2_match_context *match_context; /* built once, then read-only */
static char builtin_error[300];

static void
set_free(struct reply_rules *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		pcre2_code_free(set->rows[i].code);
	for (i = 0; i < set->nmacros; i++)
		free(set->macros[i].value);
	free(set->rows);
	free(set->macros);
	free(set);
}

static const struct macro *
macro_find(const struct reply_rules *set, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < set->nmacros; i++)
		if (strlen(set->macros[i].name) == len &&
		    memcmp(set->macros[i].name, name, len) == 0)
			return &set->macros[i];
	return NULL;
}

/* a {NAME} reference at p: upper-case letters, digits and '_',
 * and not a PCRE2 escape's braces (\p{Lu}, \x{fffd}, \g{1} …) */
static size_t
macro_ref(const char *pattern, const char *p)
{
	size_t n = 1;

	if (*p != '{' || !isupper((unsigned char)p[1]))
		return 0;
	if (p - pattern >= 2 && p[-2] == '\\' && isalpha((unsigned char)p[-1]))
		return 0;
	while (isupper((unsigned char)p[n]) || isdigit((unsigned char)p[n]) ||
	       p[n] == '_')
		n++;
	return p[n] == '}' ? n + 1 : 0;
}

static int
expand(const struct reply_rules *set, const char *pattern, struct buf *out,
    const char *where, struct error *err)
{
	const struct macro *m;
	const char *p;
	size_t n;

	for (p = pattern; *p != '\0'; p++) {
		if ((n = macro_ref(pattern, p)) == 0) {
			buf_putc(out, *p);
			continue;
		}
		if ((m = macro_find(set, p + 1, n - 2)) == NULL)
			return error_set(err, ERROR_INVALID,
			    "%s: unknown name %.*s", where, (int)n, p);
		buf_puts(out, m->value);
		p += n - 1;
	}
	if (out->len > MAX_PATTERN)
		return error_set(
		    err, ERROR_INVALID, "%s: pattern too long", where);
	return 0;
}

static int
add_macro(struct reply_rules *set, const char *name, const char *pattern,
    const char *where, struct error *err)
{
	struct buf value = BUF_INIT;
	size_t i, n = strlen(name);

	if (n < 1 || n >= MAX_NAME)
		return error_set(err, ERROR_INVALID, "%s: bad name", where);
	for (i = 0; i < n; i++)
		if (!isupper((unsigned char)name[i]) &&
		    !isdigit((unsigned char)name[i]) && name[i] != '_')
			return error_set(err, ERROR_INVALID,
			    "%s: a name is upper case (A-Z, 0-9, _)", where);
	if (macro_find(set, name, n) != NULL)
		return error_set(
		    err, ERROR_INVALID, "%s: %s defined twice", where, name);
	if (expand(set, pattern, &value, where, err) != 0) {
		buf_free(&value);
		return -1;
	}
	if (set->nmacros == set->macros_cap) {
		set->macros_cap = set->macros_cap ? set->macros_cap * 2 : 16;
		set->macros =
		    realloc(set->macros, set->macros_cap * sizeof *set->macros);
		if (set->macros == NULL)
			abort();
	}
	snprintf(set->macros[set->nmacros].name, MAX_NAME, "%s", name);
	set->macros[set->nmacros].value = buf_steal(&value);
	if (set->macros[set->nmacros].value == NULL &&
	    (set->macros[set->nmacros].value = strdup("")) == NULL)
		abort();
	set->nmacros++;
	return 0;
}

static int
add_row(struct reply_rules *set, enum rule_kind kind, const char *name,
    const char *pattern, bool added, const char *where, struct error *err)
{
	struct buf expanded = BUF_INIT;
	PCRE2_UCHAR msg[160];
	PCRE2_SIZE offset;
	struct rule r;
	size_t at;
	int code;

	memset(&r, 0, sizeof r);
	if (strlen(name) >= MAX_NAME)
		return error_set(
		    err, ERROR_INVALID, "%s: name too long", where);
	if (expand(set, pattern, &expanded, where, err) != 0) {
		buf_free(&expanded);
		return -1;
	}
	r.kind = kind;
	snprintf(r.name, sizeof r.name, "%s", name);
	r.code = pcre2_compile((PCRE2_SPTR)buf_cstr(&expanded), expanded.len,
	    PCRE2_UTF | PCRE2_CASELESS | PCRE2_UCP | PCRE2_MULTILINE, &code,
	    &offset, NULL);
	buf_free(&expanded);
	if (r.code == NULL) {
		pcre2_get_error_message(code, msg, sizeof msg);
		return error_set(err, ERROR_INVALID, "%s (%s): %s at %zu",
		    where, name, (char *)msg, (size_t)offset);
	}
	/* without JIT the interpreter still matches: not an error */
	r.jit = pcre2_jit_compile(r.code, PCRE2_JIT_COMPLETE) == 0;
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 64;
		set->rows = realloc(set->rows, set->cap * sizeof *set->rows);
		if (set->rows == NULL)
			abort();
	}
	/* rows added at run time go before the built-in ones (in the order
	 * they were added), so an admin's phrase can claim words first */
	at = added ? set->added++ : set->n;
	memmove(&set->rows[at + 1], &set->rows[at],
	    (set->n - at) * sizeof *set->rows);
	set->rows[at] = r;
	set->n++;
	return 0;
}

static int
kind_parse(const char *word, enum rule_kind *out)
{
	int k;

	for (k = 0; k < RULE_KIND_COUNT; k++)
		if (kind_names[k] != NULL && strcmp(kind_names[k], word) == 0) {
			*out = (enum rule_kind)k;
			return 0;
		}
	return -1;
}

/* the next blank-separated word of *p, copied into word */
static bool
next_word(const char **p, char *word, size_t size)
{
	const char *s = *p;
	size_t n = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	while (*s != '\0' && *s != ' ' && *s != '\t') {
		if (n + 1 < size)
			word[n++] = *s;
		s++;
	}
	word[n] = '\0';
	*p = s;
	return n > 0;
}

/* one line of the table syntax (no line break inside) */
static int
add_line(struct reply_rules *set, const char *line, bool added,
    const char *where, struct error *err)
{
	char first[MAX_NAME], name[MAX_NAME];
	enum rule_kind kind;
	const char *p = line, *e;
	struct buf pattern = BUF_INIT;
	int rc;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	if (!next_word(&p, first, sizeof first) ||
	    !next_word(&p, name, sizeof name))
		return error_set(err, ERROR_INVALID,
		    "%s: want \"KIND NAME PATTERN\" or \"define NAME PATTERN\"",
		    where);
	while (*p == ' ' || *p == '\t')
		p++;
	for (e = p + strlen(p);
	     e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'); e--)
		;
	if (e == p)
		return error_set(err, ERROR_INVALID, "%s: no pattern", where);
	buf_append(&pattern, p, (size_t)(e - p));
	if (strcmp(first, "define") == 0)
		rc = add_macro(set, name, buf_cstr(&pattern), where, err);
	else if (kind_parse(first, &kind) != 0)
		rc = error_set(err, ERROR_INVALID, "%s: unknown kind \"%s\"",
		    where, first);
	else
		rc = add_row(
		    set, kind, name, buf_cstr(&pattern), added, where, err);
	buf_free(&pattern);
	return rc;
}

static struct reply_rules *
set_builtin(struct error *err)
{
	const char *text = (const char *)reply_rules_builtin;
	const char *p = text, *end = text + reply_rules_builtin_len, *eol;
	struct reply_rules *set = calloc(1, sizeof *set);
	struct buf line = BUF_INIT;
	char where[64];
	unsigned lineno = 0;

	if (set == NULL)
		abort();
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		lineno++;
		buf_reset(&line);
		buf_append(&line, p, (size_t)(eol - p));
		snprintf(where, sizeof where, "reply_rules.table:%u", lineno);
		if (add_line(set, buf_cstr(&line), false, where, err) != 0) {
			buf_free(&line);
			set_free(set);
			return NULL;
		}
		p = eol + 1;
	}
	buf_free(&line);
	return set;
}

/* under rules_lock: the installed set, built on first use */
static struct reply_rules *
installed_locked(void)
{
	struct error err;

	if (installed != NULL || builtin_error[0] != '\0')
		return installed;
	if (match_context == NULL) {
		if ((match_context = pcre2_match_context_create(NULL)) == NULL)
			abort();
		/* bounded work whatever the text: a pathological subject
		 * fails the row (PCRE2_ERROR_MATCHLIMIT), never spins */
		pcre2_set_match_limit(match_context, 100000);
		pcre2_set_depth_limit(match_context, 1000);
	}
	error_clear(&err);
	if ((installed = set_builtin(&err)) == NULL)
		snprintf(builtin_error, sizeof builtin_error, "%s", err.msg);
	else
		installed->refs = 1;
	return installed;
}

int
reply_rules_init(struct error *err)
{
	struct reply_rules *set;

	pthread_mutex_lock(&rules_lock);
	set = installed_locked();
	pthread_mutex_unlock(&rules_lock);
	if (set == NULL)
		return error_set(
		    err, ERROR_INTERNAL, "reply rules: %s", builtin_error);
	return 0;
}

struct reply_rules *
reply_rules_new(struct error *err)
{
	if (reply_rules_init(err) != 0)
		return NULL;
	return set_builtin(err);
}

int
reply_rules_add(struct reply_rules *set, const char *line, const char *origin,
    struct error *err)
{
	if (set == NULL || line == NULL)
		return error_set(err, ERROR_INVALID, "no rule");
	if (strchr(line, '\n') != NULL)
		return error_set(err, ERROR_INVALID, "%s: one rule, one line",
		    origin ? origin : "rule");
	return add_line(set, line, true, origin ? origin : "rule", err);
}

static void
set_release(struct reply_rules *set)
{
	bool last;

	if (set == NULL)
		return;
	pthread_mutex_lock(&rules_lock);
	last = --set->refs == 0;
	pthread_mutex_unlock(&rules_lock);
	if (last)
		set_free(set);
}

void
reply_rules_install(struct reply_rules *set)
{
	struct reply_rules *old;

	if (set == NULL)
		return;
	pthread_mutex_lock(&rules_lock);
	(void)installed_locked(); /* the match context */
	old = installed;
	set->refs = 1;
	installed = set;
	pthread_mutex_unlock(&rules_lock);
	set_release(old);
}

void
reply_rules_free(struct reply_rules *set)
{
	set_free(set);
}

struct rules_run *
rules_run_begin(void)
{
	struct reply_rules *set;
	struct rules_run *run;

	pthread_mutex_lock(&rules_lock);
	if ((set = installed_locked()) != NULL)
		set->refs++;
	pthread_mutex_unlock(&rules_lock);
	if (set == NULL)
		return NULL;
	if ((run = calloc(1, sizeof *run)) == NULL ||
	    (run->md = pcre2_match_data_create(1, NULL)) == NULL)
		abort();
	run->rules = set;
	return run;
}

struct rules_run *
rules_run_with(struct reply_rules *set)
{
	struct rules_run *run;

	if (set == NULL)
		return NULL;
	pthread_mutex_lock(&rules_lock);
	(void)installed_locked(); /* the match context */
	pthread_mutex_unlock(&rules_lock);
	if ((run = calloc(1, sizeof *run)) == NULL ||
	    (run->md = pcre2_match_data_create(1, NULL)) == NULL)
		abort();
	run->rules = set;
	run->borrowed = true;
	return run;
}

void
rules_run_end(struct rules_run *run)
{
	if (run == NULL)
		return;
	if (!run->borrowed)
		set_release(run->rules);
	pcre2_match_data_free(run->md);
	free(run->claimed);
	free(run);
}

/* one match of row r in subject (valid UTF-8) from offset; its bytes in
 * *s, *e; false when none (or the match limit was hit) */
static bool
row_match(struct rules_run *run, const struct rule *r, const char *subject,
    size_t len, size_t offset, size_t *s, size_t *e)
{
	PCRE2_SIZE *ov;
	int rc;

	/* subjects are valid UTF-8 (reply_fold's output), so PCRE2 need not
	 * check them again on every row */
	if (r->jit)
		rc = pcre2_jit_match(r->code, (PCRE2_SPTR)subject, len, offset,
		    PCRE2_NO_UTF_CHECK, run->md, match_context);
	else
		rc = pcre2_match(r->code, (PCRE2_SPTR)subject, len, offset,
		    PCRE2_NO_UTF_CHECK, run->md, match_context);
	if (rc < 0)
		return false;
	ov = pcre2_get_ovector_pointer(run->md);
	*s = ov[0];
	*e = ov[1];
	return *s <= *e && *e <= len;
}

/* the offset of the character after the one at i */
static size_t
next_char(const char *text, size_t len, size_t i)
{
	for (i++; i < len && ((unsigned char)text[i] & 0xc0) == 0x80; i++)
		;
	return i;
}

size_t
rules_claim(struct rules_run *run, const char *text, size_t len,
    enum rule_kind only, struct rule_hit *hits, size_t max)
{
	const struct reply_rules *set = run->rules;
	size_t i, n = 0, off, s, e, k;
	unsigned tries;
	bool free_span;

	if (run->claimed_cap < len + 1) {
		free(run->claimed);
		run->claimed_cap = len + 1;
		if ((run->claimed = malloc(run->claimed_cap)) == NULL)
			abort();
	}
	memset(run->claimed, 0, len + 1);
	for (i = 0; i < set->n && n < max; i++) {
		const struct rule *r = &set->rows[i];

		if (r->kind >= RULE_VERDICT_STAGE_END ||
		    (only != RULE_KIND_COUNT && r->kind != only))
			continue;
		off = 0;
		for (tries = 0; tries < MAX_TRIES && off <= len && n < max;
		     tries++) {
			if (!row_match(run, r, text, len, off, &s, &e))
				break;
			if (e == s) { /* an empty match claims nothing */
				off = next_char(text, len, s);
				continue;
			}
			free_span = true;
			for (k = s; k < e && free_span; k++)
				free_span = run->claimed[k] == 0;
			if (!free_span) {
				/* the words are taken: look further on */
				off = next_char(text, len, s);
				continue;
			}
			memset(run->claimed + s, 1, e - s);
			hits[n].kind = r->kind;
			hits[n].name = r->name;
			hits[n].start = s;
			hits[n].end = e;
			n++;
			off = e;
		}
	}
	return n;
}

enum quote_kind
reply_quote_kind(struct rules_run *run, const char *folded, size_t len)
{
	static const enum quote_kind map[RULE_KIND_COUNT] = {
	    [RULE_QUOTE_LINE] = QUOTE_LINE,
	    [RULE_QUOTE_CUT] = QUOTE_CUT,
	    [RULE_QUOTE_ATTRIBUTION] = QUOTE_ATTRIBUTION,
	    [RULE_QUOTE_ATTRIBUTION_START] = QUOTE_ATTRIBUTION_START,
	    [RULE_QUOTE_HEADER_FROM] = QUOTE_HEADER_FROM,
	    [RULE_QUOTE_HEADER_OTHER] = QUOTE_HEADER_OTHER,
	    [RULE_QUOTE_OURS] = QUOTE_OURS,
	};
	const struct reply_rules *set = run->rules;
	size_t i, s, e;

	for (i = 0; i < set->n; i++) {
		const struct rule *r = &set->rows[i];

		if (r->kind < RULE_QUOTE_LINE || r->kind > RULE_QUOTE_OURS)
			continue;
		if (row_match(run, r, folded, len, 0, &s, &e))
			return map[r->kind];
	}
	return QUOTE_NONE;
}

bool
reply_subject_is_auto(struct rules_run *run, const char *utf8, size_t len)
{
	const struct reply_rules *set = run->rules;
	struct buf folded = BUF_INIT;
	size_t i, s, e;
	bool is = false;

	reply_fold(utf8, len, &folded);
	for (i = 0; i < set->n && !is; i++)
		if (set->rows[i].kind == RULE_AUTO_SUBJECT)
			is = row_match(run, &set->rows[i], buf_cstr(&folded),
			    folded.len, 0, &s, &e);
	buf_free(&folded);
	return is;
}
