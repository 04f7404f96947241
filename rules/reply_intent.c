/*
 * reply_intent.c: what a clerk would read in a citizen's own words —
 * confirm, cancel, running late, another time, a question, STOP, an
 * autoresponder, or nothing we may act on.
 *
 * The words come from an SMS as it came or from reply_read_mail() (quotes
 * and signatures cut). The reading, step by step:
 *  1. The text is made valid UTF-8 and folded (lower case, ą→a … ż→z),
 *     line ends and runs of blanks made single, so the rows of
 *     rules/reply_rules.table are written once, without diacritics.
 *  2. Every verdict-stage row, top to bottom, claims the words it matches
 *     (rules_claim); a later row never matches claimed words. This is how
 *     negation scope is written down: "nie rezygnuje" (confirm) sits above
 *     "rezygnuje" (cancel) and takes the words first; a "nie" no row
 *     explains is left to the `negation` rows at the bottom.
 *  3. Hits are grouped by clause (text between . ! ? ; and line ends). A
 *     clause holding a `question` hit ("?", "czy …", "where …") is a
 *     question: answer words inside it ("Tak?", "Czy mogę anulować?") do
 *     not answer; in a clause ending in "?" hedges and negations are part
 *     of the question ("Co jeśli się spóźnię?") and do not count.
 *  4. The verdict, most careful first:
 *     - an `auto` hit anywhere (an autoresponder's words): AUTO;
 *     - STOP alone: STOP; STOP beside anything else: UNCLEAR;
 *     - a `hedge` ("chyba", "jeśli", "może", "maybe") or a `negation` no
 *       row explained, outside questions: UNCLEAR;
 *     - a request for another time: RESCHEDULE (it outranks confirm and
 *       cancel: "Nie mogę we wtorek, proszę o inny termin");
 *     - running late: LATE, unless a cancel contradicts it (UNCLEAR);
 *     - confirm and cancel both: UNCLEAR (contradicting answers);
 *     - confirm or cancel after a `contrast` ("ale", "but") that nothing
 *       above resolved: QUESTION if a question was asked, else UNCLEAR;
 *     - confirm or cancel: that (asks = true when a question sits beside);
 *     - a question alone: QUESTION; nothing: UNCLEAR.
 *  5. Longer than REPLY_MAX_READ bytes or REPLY_MAX_READ_LINES lines, the
 *     words are a letter, not an answer: staff read it (only an
 *     autoresponder's words are still looked for, in its first
 *     REPLY_AUTO_SCAN bytes).
 * Every path ends in UNCLEAR when in doubt: reading a reply wrongly is
 * worse than asking again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reply_internal.h"

#define MAX_HITS 96
#define MAX_LOOK (4 * REPLY_MAX_READ)

/* the folded text the rows read: \r dropped, tabs and runs of blanks as
 * one space, no blanks at line ends; returns the number of lines */
static unsigned
normalize(const char *in, size_t len, struct buf *out)
{
	unsigned lines = 1;
	size_t i, run;
	bool blank = false;

	buf_reserve(out, len);
	for (i = 0; i < len;) {
		char c = in[i];

		if (c == '\r' || c == ' ' || c == '\t') {
			blank = blank || c != '\r';
			i++;
			continue;
		}
		if (c == '\n') {
			lines++;
			buf_putc(out, '\n');
			blank = false;
			i++;
			continue;
		}
		if (blank && out->len > 0 && out->data[out->len - 1] != '\n')
			buf_putc(out, ' ');
		blank = false;
		/* a run of ordinary characters at once */
		for (run = i; i < len && in[i] != '\r' && in[i] != ' ' &&
		              in[i] != '\t' && in[i] != '\n';
		     i++)
			;
		buf_append(out, in + run, i - run);
	}
	return lines;
}

static bool
is_boundary(char c)
{
	return c == '\n' || c == '.' || c == '!' || c == '?' || c == ';';
}

struct tally {
	unsigned confirm, cancel, late, reschedule, question, stop, hedge,
	    contrast, negation, auto_;
};

static void
explain(struct reply_decision *out, const struct rule_hit *h)
{
	size_t used = strlen(out->rules);

	if (h->kind == RULE_NEUTRAL)
		return;
	snprintf(out->rules + used, sizeof out->rules - used, "%s%s:%s",
	    used > 0 ? " " : "", rule_kind_name(h->kind), h->name);
}

static enum reply_verdict
combine(const struct tally *t, bool *asks)
{
	*asks = false;
	if (t->auto_ > 0)
		return REPLY_AUTO;
	if (t->stop > 0)
		return t->confirm + t->cancel + t->late + t->reschedule +
		                   t->question + t->hedge + t->negation ==
		               0
		           ? REPLY_STOP
		           : REPLY_UNCLEAR;
	if (t->hedge > 0 || t->negation > 0)
		return REPLY_UNCLEAR;
	*asks = t->question > 0;
	if (t->reschedule > 0)
		return REPLY_RESCHEDULE;
	if (t->late > 0)
		return t->cancel > 0 ? REPLY_UNCLEAR : REPLY_LATE;
	if (t->confirm > 0 && t->cancel > 0)
		return REPLY_UNCLEAR;
	if (t->confirm > 0 || t->cancel > 0) {
		if (t->contrast > 0) {
			*asks = false;
			return t->question > 0 ? REPLY_QUESTION : REPLY_UNCLEAR;
		}
		return t->confirm > 0 ? REPLY_CONFIRM : REPLY_CANCEL;
	}
	*asks = false;
	return t->question > 0 ? REPLY_QUESTION : REPLY_UNCLEAR;
}

/* the tally of the hits, clause by clause */
static void
count(const char *text, size_t len, const struct rule_hit *hits, size_t n,
    struct tally *t, struct reply_decision *out)
{
	unsigned *clause_at, clauses = 0;
	bool *question, *asked;
	size_t i;

	memset(t, 0, sizeof *t);
	if (n == 0)
		return;
	/* the clause of every byte: the count of boundaries before it (a
	 * "?" belongs to the clause it ends) */
	if ((clause_at = malloc((len + 1) * sizeof *clause_at)) == NULL)
		abort();
	for (i = 0; i <= len; i++) {
		clause_at[i] = clauses;
		if (i < len && is_boundary(text[i]))
			clauses++;
	}
	if ((question = calloc(clauses + 1, sizeof *question)) == NULL ||
	    (asked = calloc(clauses + 1, sizeof *asked)) == NULL)
		abort();
	for (i = 0; i < len; i++)
		if (text[i] == '?')
			asked[clause_at[i]] = true;
	for (i = 0; i < n; i++)
		if (hits[i].kind == RULE_QUESTION)
			question[clause_at[hits[i].start]] = true;
	for (i = 0; i < n; i++) {
		bool in_question = question[clause_at[hits[i].start]];
		bool in_asked = asked[clause_at[hits[i].start]];

		explain(out, &hits[i]);
		switch (hits[i].kind) {
		case RULE_CONFIRM:
		case RULE_CANCEL:
		case RULE_LATE:
			/* "Tak?", "Czy mogę anulować?", "Czy mogę się
			 * spóźnić?" ask; they do not answer */
			if (in_question)
				t->question++;
			else if (hits[i].kind == RULE_CONFIRM)
				t->confirm++;
			else if (hits[i].kind == RULE_CANCEL)
				t->cancel++;
			else
				t->late++;
			break;
		case RULE_RESCHEDULE: t->reschedule++; break;
		case RULE_QUESTION: t->question++; break;
		case RULE_STOP: t->stop++; break;
		case RULE_AUTO: t->auto_++; break;
		case RULE_HEDGE:
			/* "Co jeśli się spóźnię?" asks about a condition;
			 * "Nie wiem, czy dam radę." doubts */
			if (!in_asked)
				t->hedge++;
			break;
		case RULE_CONTRAST: t->contrast++; break;
		case RULE_NEGATION:
			if (!in_asked)
				t->negation++;
			break;
		default: break;
		}
	}
	free(asked);
	free(question);
	free(clause_at);
}

void
reply_decide_run(struct rules_run *run, const char *utf8, size_t len,
    struct reply_decision *out)
{
	struct buf clean = BUF_INIT, folded = BUF_INIT, text = BUF_INIT;
	struct rule_hit hits[MAX_HITS];
	struct tally t;
	size_t n, read_len;
	unsigned lines;
	bool too_long, huge;

	memset(out, 0, sizeof *out);
	out->verdict = REPLY_UNCLEAR;
	if (utf8 == NULL)
		return;
	/* past MAX_LOOK bytes it is a letter whatever its blanks: only
	 * its top is worth the work (the reference, an autoresponder) */
	huge = len > MAX_LOOK;
	len = reply_utf8_cut(utf8, len, MAX_LOOK);
	reply_utf8_sanitize(utf8, len, &clean);
	reply_find_reference(buf_cstr(&clean), clean.len, out->reference);
	reply_fold(buf_cstr(&clean), clean.len, &folded);
	lines = normalize(buf_cstr(&folded), folded.len, &text);
	if (run == NULL)
		goto done;
	read_len = text.len;
	too_long =
	    huge || read_len > REPLY_MAX_READ || lines > REPLY_MAX_READ_LINES;
	if (too_long) {
		/* a letter: only its top, and only for an autoresponder's
		 * words (a character boundary: the rows expect UTF-8) */
		read_len =
		    reply_utf8_cut(buf_cstr(&text), text.len, REPLY_AUTO_SCAN);
		n = rules_claim(
		    run, buf_cstr(&text), read_len, RULE_AUTO, hits, MAX_HITS);
		out->verdict = n > 0 ? REPLY_AUTO : REPLY_UNCLEAR;
		snprintf(out->rules, sizeof out->rules, "%s",
		    n > 0 ? "auto:letter" : "unclear:letter");
		goto done;
	}
	n = rules_claim(
	    run, buf_cstr(&text), read_len, RULE_KIND_COUNT, hits, MAX_HITS);
	count(buf_cstr(&text), read_len, hits, n, &t, out);
	out->verdict = combine(&t, &out->asks);
done:
	buf_free(&clean);
	buf_free(&folded);
	buf_free(&text);
}

void
reply_decide(const char *utf8, size_t len, struct reply_decision *out)
{
	struct rules_run *run = rules_run_begin();

	reply_decide_run(run, utf8, len, out);
	rules_run_end(run);
}

void
reply_decide_with(struct reply_rules *set, const char *utf8, size_t len,
    struct reply_decision *out)
{
	struct rules_run *run = rules_run_with(set);

	reply_decide_run(run, utf8, len, out);
	rules_run_end(run);
}

enum reply_verdict
reply_classify_text(const char *utf8, size_t len, char reference[16])
{
	struct reply_decision d;

	reply_decide(utf8, len, &d);
	if (reference != NULL)
		memcpy(reference, d.reference, sizeof d.reference);
	return d.verdict;
}

static const char *const verdict_names[REPLY_VERDICT_COUNT] = {
    [REPLY_UNCLEAR] = "unclear",
    [REPLY_CONFIRM] = "confirm",
    [REPLY_CANCEL] = "cancel",
    [REPLY_LATE] = "late",
    [REPLY_RESCHEDULE] = "reschedule",
    [REPLY_QUESTION] = "question",
    [REPLY_STOP] = "stop",
    [REPLY_AUTO] = "auto",
    [REPLY_BOUNCE] = "bounce",
};

const char *
reply_verdict_name(enum reply_verdict v)
{
	return (unsigned)v < REPLY_VERDICT_COUNT ? verdict_names[v] : "unclear";
}

int
reply_verdict_parse(const char *name)
{
	int v;

	for (v = 0; v < REPLY_VERDICT_COUNT; v++)
		if (strcmp(verdict_names[v], name) == 0)
			return v;
	return -1;
}
