/*
 * log.c: timestamped, levelled lines on stderr, one write(2) per line so
 * threads never interleave inside a line; cleaned, redacted and with
 * repeats folded (see log.h for why).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "utf8.h"

#define LOG_LINE_MAX 1024

static const char *log_program = "wizyta";
static enum log_level log_min = LOG_LEVEL_INFO;

static const char *const log_level_names[] = {"debug", "info", "warn", "error"};

/* the last line written, to fold repeats (under log_lock) */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char log_last[LOG_LINE_MAX];
static enum log_level log_last_level;
static unsigned log_repeats;
static time_t log_repeat_since;

void
log_init(const char *program, enum log_level min)
{
	log_program = program;
	log_min = min;
}

void
log_set_level(enum log_level min)
{
	log_min = min;
}

static bool
address_char(unsigned char c, bool local)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '-' || c >= 0x80)
		return true;
	return local && (c == '_' || c == '%' || c == '+');
}

/* phone_run: the length of a phone-number-shaped run at s (an optional
 * '+', then digits with single blanks, dashes or parentheses between
 * them), or 0 when it holds fewer than nine digits or is a time. */
static size_t
phone_run(const char *s)
{
	size_t i = 0, end = 0, digits = 0;

	if (s[0] == '+')
		i++;
	while (s[i] != '\0') {
		if (s[i] >= '0' && s[i] <= '9') {
			digits++;
			end = ++i;
		} else {
			/* at most two separators between digit groups: ") " */
			size_t k = 0;

			while (k < 2 && s[i + k] != '\0' &&
			       strchr(" -()", s[i + k]) != NULL)
				k++;
			if (k == 0 || s[i + k] < '0' || s[i + k] > '9')
				break;
			i += k;
		}
	}
	if (digits < 9 || s[end] == ':')
		return 0;
	return end;
}

void
log_clean(const char *text, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t len = strlen(text), i = 0, w = 0, n;
	uint32_t cp;

	if (size == 0)
		return;
#define PUT(str, k)                                                            \
	do {                                                                   \
		if (w + (k) >= size)                                           \
			goto full;                                             \
		memcpy(out + w, (str), (k));                                   \
		w += (k);                                                      \
	} while (0)
	while (i < len) {
		size_t run;

		/* an address: back up over its local part already written */
		if (p[i] == '@') {
			size_t l = w, r = i + 1;

			while (l > 0 &&
			       address_char((unsigned char)out[l - 1], true))
				l--;
			while (r < len && address_char(p[r], false))
				r++;
			if (l < w && r > i + 1) {
				w = l;
				PUT("<address>", 9);
				i = r;
				continue;
			}
		}
		if ((p[i] == '+' || (p[i] >= '0' && p[i] <= '9')) &&
		    (i == 0 || !(p[i - 1] >= '0' && p[i - 1] <= '9')) &&
		    (run = phone_run(text + i)) > 0) {
			PUT("<number>", 8);
			i += run;
			continue;
		}
		if (p[i] < 0x20 || p[i] == 0x7f) {
			PUT(p[i] == '\n' || p[i] == '\r' || p[i] == '\t' ? " "
			                                                 : "?",
			    1);
			i++;
			continue;
		}
		if (p[i] < 0x80) {
			PUT(text + i, 1);
			i++;
			continue;
		}
		if ((n = utf8_decode(p + i, len - i, &cp)) == 0) {
			PUT("?", 1);
			i++;
			continue;
		}
		PUT(text + i, n);
		i += n;
	}
full:
#undef PUT
	out[w] = '\0';
}

static void
log_write(enum log_level level, const char *msg, time_t now)
{
	char line[LOG_LINE_MAX + 96];
	struct tm tm;
	size_t n;
	int w;

	gmtime_r(&now, &tm);
	n = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%SZ", &tm);
	w = snprintf(line + n, sizeof line - n, " %s %s: %s",
	    log_level_names[level], log_program, msg);
	if (w > 0)
		n += (size_t)w;
	if (n >= sizeof line - 1)
		n = sizeof line - 2;
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}

/* log_repeated: the pending "repeated" line, if any (under log_lock). */
static void
log_repeated(time_t now)
{
	char msg[64];

	if (log_repeats == 0)
		return;
	snprintf(msg, sizeof msg, "last message repeated %u time%s",
	    log_repeats, log_repeats == 1 ? "" : "s");
	log_write(log_last_level, msg, now);
	log_repeats = 0;
	log_repeat_since = now;
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	char raw[LOG_LINE_MAX], msg[LOG_LINE_MAX];
	time_t now;
	va_list ap;

	if (level < log_min || level >= LOG_LEVEL_OFF)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	log_clean(raw, msg, sizeof msg);
	now = time(NULL);
	pthread_mutex_lock(&log_lock);
	if (level == log_last_level && strcmp(msg, log_last) == 0) {
		log_repeats++;
		if (now - log_repeat_since >= LOG_REPEAT_SECONDS)
			log_repeated(now);
		pthread_mutex_unlock(&log_lock);
		return;
	}
	log_repeated(now);
	snprintf(log_last, sizeof log_last, "%s", msg);
	log_last_level = level;
	log_repeat_since = now;
	log_write(level, msg, now);
	pthread_mutex_unlock(&log_lock);
}

void
log_flush(void)
{
	pthread_mutex_lock(&log_lock);
	log_repeated(time(NULL));
	pthread_mutex_unlock(&log_lock);
}
