/*
 * reply_rules.c: the rule tables — what a citizen's words mean, which
 * lines of a reply are quoted, which subjects are auto-replies. Rules are
 * data (pattern → verdict), compiled once with PCRE2_UTF | PCRE2_CASELESS
 * | PCRE2_UCP and JIT; adding a word is adding a row.
 *
 * How a reply is decided (reply_classify_text):
 *  1. The text is made valid UTF-8, capped at REPLY_MAX_TEXT and folded
 *     (lower case, ą→a, ę→e, ó→o, ś→s, ł→l, ż/ź→z, ć→c, ń→n), so
 *     patterns are written once, without diacritics.
 *  2. The decisive line is the first non-empty line of the citizen's own
 *     text; a line that is only a greeting ("Dzień dobry,", "Witam Panią")
 *     is skipped, at most REPLY_MAX_CLASSIFY_LINES lines are looked at.
 *  3. The first row of verdict_rules matching the decisive line wins; no
 *     row → REPLY_UNKNOWN. A line with a question mark is never an answer.
 *     The answer rows are anchored on the whole line: one answer word
 *     (TAK, T, Potwierdzam, YES, OK / NIE, N, Anuluję, anuluj, rezygnuję,
 *     NO, cancel / STOP), optionally after a greeting, followed only by
 *     punctuation, a booking reference, polite words from a closed list
 *     ("dziękuję", "potwierdzam wizytę", "z rezerwacji") or a closing
 *     ("Pozdrawiam, Jan"). Any other word ("tak ale nie mogę o 10", "nie
 *     wiem", "taki sobie", "Tak czy nie") leaves the reply to staff:
 *     wrongly reading a reply is worse than asking again.
 *  4. The reference is looked for in the decisive line, then the text.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reply_internal.h"

/* building blocks, in folded (lower case, no diacritics) form */
#define SEP "[^\\p{L}\\p{N}?\\x{fffd}]"
#define REF "(?=[a-z]*[0-9])(?=[0-9]*[a-z])[a-z0-9]{6,12}"
#define GREETING                                                               \
	"(?:dzien dobry|dobry wieczor|witam(?: serdecznie)?|witajcie|"         \
	"szanowni panstwo|szanowna pani|szanowny "                             \
	"panie|hej|czesc|hello|hi|dear)"
#define START "^" SEP "*(?:" GREETING SEP "+)?"
#define CLOSING                                                                \
	"(?:" SEP "+(?:pozdrawiam|pozdrowienia|z powazaniem|"                  \
	"(?:best |kind )?regards)(?:" SEP ".*)?)?"
#define END "(?:" SEP "+" REF ")?" CLOSING SEP "*$"
#define POLITE                                                                 \
	"dziekuje|dziekujemy|dzieki|bardzo|serdecznie|prosze|thanks|"          \
	"thank|you|please|pozdrawiam|z gory"
#define CONFIRM_TAIL                                                           \
	"(?:" SEP "+(?:tak|yes|ok|potwierdzam|potwierdzamy|"                   \
	"wizyte|wizyta|termin|rezerwacje|rezerwacja|obecnosc|przyjde|bede|"    \
	"oczywiscie|jasne|super|swietnie|na|ten|i|" POLITE "|" REF "))*"
#define CANCEL_TAIL                                                            \
	"(?:" SEP "+(?:nie|no|anuluje|anuluj|anulowac|"                        \
	"anulowanie|rezygnuje|rezygnacja|odwoluje|wizyte|wizyty|wizyta|"       \
	"termin|"                                                              \
	"terminu|rezerwacje|rezerwacji|rezerwacja|z|o|przyjde|bede|"           \
	"potwierdzam|przepraszam|cancel|" POLITE "|" REF "))*"

struct rule {
	const char *name;
	const char *pattern;
	int result;
	pcre2_code *code;
};

static struct rule verdict_rules[] = {
    {"question", "\\?", REPLY_UNKNOWN, NULL},
    {"stop", START "stop(?:" SEP "+sms)?" END, REPLY_STOP, NULL},
    {"confirm-letter", START "t" END, REPLY_CONFIRM, NULL},
    {"cancel-letter", START "n" END, REPLY_CANCEL, NULL},
    {"confirm",
        START "(?:tak|yes|yep|ok|okay|okej|potwierdzam|potwierdzamy|"
              "confirm|confirmed)" CONFIRM_TAIL END,
        REPLY_CONFIRM, NULL},
    {"cancel",
        START "(?:nie|no|nope|anuluj|anuluje|anulujcie|anuluj[a-z]*|"
              "rezygnuje|rezygnujemy|odwoluje|odwolaj|cancel|cancelled|"
              "prosze (?:o )?anul[a-z]*)" CANCEL_TAIL END,
        REPLY_CANCEL, NULL},
};

/* a line that is only a greeting is skipped when looking for the answer */
static struct rule greeting_rules[] = {
    {"greeting", "^" SEP "*" GREETING "(?:" SEP "+\\p{L}+){0,3}" SEP "*$", 1,
        NULL},
    {"blank", "^" SEP "*$", 1, NULL},
};

/* how the quote cutter (reply_quote.c) sees a folded line; first match */
static struct rule quote_rules[] = {
    {"quoted", "^\\s*>", QUOTE_LINE, NULL},
    /* RFC 3676 section 4.3 signature separator, and "--" typed by hand */
    {"signature", "^--\\s*$", QUOTE_CUT, NULL},
    {"original",
        "^\\s*[-=_]{2,}\\s*(?:original message|oryginalna wiadomosc|"
        "wiadomosc oryginalna|tresc oryginalnej wiadomosci|forwarded message|"
        "wiadomosc przekazana dalej|przekazana wiadomosc|wiadomosc przekazana)"
        "\\s*[-=_]*\\s*$",
        QUOTE_CUT, NULL},
    {"outlook-rule", "^\\s*_{8,}\\s*$", QUOTE_CUT, NULL},
    {"sent-from",
        "^\\s*(?:sent from|sent with|sent via|sent using|"
        "wyslane z|wyslano z|wysylane z|wyslano przy uzyciu|"
        "wyslane przy uzyciu|get outlook|pobierz outlook|uzyskaj outlook|"
        "pobierz aplikacje)\\b",
        QUOTE_CUT, NULL},
    {"attribution",
        "(?:pisze|napisal\\(a\\)|napisal|napisala|napisali|"
        "wrote|schrieb|a ecrit)\\s*:\\s*$",
        QUOTE_ATTRIBUTION, NULL},
    {"apple-attribution", "^\\s*wiadomosc napisana przez .*:\\s*$",
        QUOTE_ATTRIBUTION, NULL},
    {"attribution-start",
        "^\\s*(?:w dniu|dnia|on|am|le|wiadomosc napisana "
        "przez)\\s+\\S",
        QUOTE_ATTRIBUTION_START, NULL},
    {"header-from", "^\\s*\\*?(?:od|from|de|von)\\s*:\\*?\\s*\\S",
        QUOTE_HEADER_FROM, NULL},
    {"header-other",
        "^\\s*\\*?(?:wyslano|wyslane|sent|data|date|do|to|dw|"
        "kopia|cc|temat|subject|odpowiedz do|reply-to)\\s*:",
        QUOTE_HEADER_OTHER, NULL},
};

/* subjects of out-of-office replies that carry no RFC 3834 header */
static struct rule auto_subject_rules[] = {
    {"auto-subject",
        "^\\s*(?:automatyczna odpowiedz|odpowiedz automatyczna|"
        "autoodpowiedz|automatic reply|auto(?:matic)?[- ]?reply|autoreply|"
        "auto-response|out of (?:the )?office|poza biurem|nieobecnosc|"
        "jestem nieobecn|abwesenheit|autosvar|absence)",
        1, NULL},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static pthread_once_t rules_once = PTHREAD_ONCE_INIT;
static int rules_status = -1;
static char rules_error[200];

static int
rules_compile(struct rule *table, size_t n)
{
	PCRE2_SIZE offset;
	PCRE2_UCHAR msg[120];
	int code;
	size_t i;

	for (i = 0; i < n; i++) {
		table[i].code = pcre2_compile((PCRE2_SPTR)table[i].pattern,
		    PCRE2_ZERO_TERMINATED,
		    PCRE2_UTF | PCRE2_CASELESS | PCRE2_UCP, &code, &offset,
		    NULL);
		if (table[i].code == NULL) {
			pcre2_get_error_message(code, msg, sizeof msg);
			snprintf(rules_error, sizeof rules_error,
			    "rule %s: %s at %zu", table[i].name, (char *)msg,
			    (size_t)offset);
			return -1;
		}
		/* without JIT the interpreter still matches: not an error */
		(void)pcre2_jit_compile(table[i].code, PCRE2_JIT_COMPLETE);
	}
	return 0;
}

static void
rules_compile_all(void)
{
	if (rules_compile(verdict_rules, NELEM(verdict_rules)) == 0 &&
	    rules_compile(greeting_rules, NELEM(greeting_rules)) == 0 &&
	    rules_compile(quote_rules, NELEM(quote_rules)) == 0 &&
	    rules_compile(auto_subject_rules, NELEM(auto_subject_rules)) == 0)
		rules_status = 0;
}

int
reply_rules_init(struct error *err)
{
	pthread_once(&rules_once, rules_compile_all);
	if (rules_status != 0)
		return error_set(
		    err, ERROR_INTERNAL, "reply rules: %s", rules_error);
	return 0;
}

/* the result of the first row matching subject (valid UTF-8), or -1 */
static int
rules_match(struct rule *table, size_t n, const char *subject, size_t len,
    const char **name)
{
	pcre2_match_data *md;
	pcre2_match_context *mc;
	size_t i;
	int rc, result = -1;

	if (reply_rules_init(NULL) != 0)
		return -1;
	md = pcre2_match_data_create(4, NULL);
	mc = pcre2_match_context_create(NULL);
	if (md == NULL || mc == NULL)
		abort();
	/* bounded work whatever the line: a pathological subject fails the
	 * rule (PCRE2_ERROR_MATCHLIMIT) instead of spinning */
	pcre2_set_match_limit(mc, 100000);
	pcre2_set_depth_limit(mc, 1000);
	for (i = 0; i < n && result < 0; i++) {
		/* subjects are checked UTF-8 (reply_utf8_sanitize); PCRE2
		 * checks again and returns PCRE2_ERROR_UTF8_* otherwise */
		rc = pcre2_match(
		    table[i].code, (PCRE2_SPTR)subject, len, 0, 0, md, mc);
		if (rc >= 0) {
			result = table[i].result;
			if (name != NULL)
				*name = table[i].name;
		}
	}
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
	return result;
}

enum quote_kind
reply_quote_kind(const char *folded, size_t len)
{
	int r = rules_match(quote_rules, NELEM(quote_rules), folded, len, NULL);

	return r < 0 ? QUOTE_NONE : (enum quote_kind)r;
}

bool
reply_subject_is_auto(const char *utf8, size_t len)
{
	struct buf folded = BUF_INIT;
	bool is;

	reply_fold(utf8, len, &folded);
	is = rules_match(auto_subject_rules, NELEM(auto_subject_rules),
	         folded.data ? folded.data : "", folded.len, NULL) >= 0;
	buf_free(&folded);
	return is;
}

#define MAX_LINE 1000 /* longer lines are never a short answer */

/* the reference on line number lineno (folding keeps line breaks, so the
 * clean text has the same lines), else anywhere in the text; the clean
 * text keeps the case the bracketed-letters rule looks at */
static void
find_reference(const char *text, size_t len, unsigned lineno, char ref[16])
{
	const char *p = text, *end = text + len, *eol;
	unsigned i;

	for (i = 0; p < end; i++) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		if (i == lineno) {
			if (reply_find_reference(p, (size_t)(eol - p), ref))
				return;
			break;
		}
		p = eol + 1;
	}
	reply_find_reference(text, len, ref);
}

enum reply_verdict
reply_classify_text(const char *utf8, size_t len, char reference[16])
{
	struct buf clean = BUF_INIT, folded = BUF_INIT;
	enum reply_verdict verdict = REPLY_UNKNOWN;
	const char *p, *end, *eol, *line = NULL;
	size_t n;
	unsigned looked = 0;
	int r;

	if (reference != NULL)
		reference[0] = '\0';
	if (utf8 == NULL)
		return REPLY_UNKNOWN;
	len = reply_utf8_cut(utf8, len, REPLY_MAX_TEXT);
	reply_utf8_sanitize(utf8, len, &clean);
	reply_fold(clean.data ? clean.data : "", clean.len, &folded);
	p = folded.data ? folded.data : "";
	end = p + folded.len;
	while (p < end && looked < REPLY_MAX_CLASSIFY_LINES) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		n = (size_t)(eol - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		looked++;
		if (n > MAX_LINE) {
			line = NULL;
			break;
		}
		r = rules_match(
		    verdict_rules, NELEM(verdict_rules), p, n, NULL);
		if (r >= 0 || rules_match(greeting_rules, NELEM(greeting_rules),
		                  p, n, NULL) < 0) {
			line = p;
			verdict =
			    r >= 0 ? (enum reply_verdict)r : REPLY_UNKNOWN;
			break;
		}
		p = eol < end ? eol + 1 : end;
	}
	if (reference != NULL)
		find_reference(clean.data ? clean.data : "", clean.len,
		    line != NULL ? looked - 1 : (unsigned)-1, reference);
	buf_free(&clean);
	buf_free(&folded);
	return verdict;
}

const char *
reply_verdict_name(enum reply_verdict v)
{
	switch (v) {
	case REPLY_UNKNOWN: return "unknown";
	case REPLY_CONFIRM: return "confirm";
	case REPLY_CANCEL: return "cancel";
	case REPLY_STOP: return "stop";
	case REPLY_AUTO: return "auto";
	case REPLY_BOUNCE: return "bounce";
	}
	return "unknown";
}
