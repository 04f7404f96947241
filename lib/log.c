/* log.c: timestamped, levelled lines on stderr, one write(2) per line so
 * threads never interleave inside a line. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static const char *log_program = "wizyta";
static enum log_level log_min = LOG_LEVEL_INFO;

static const char *const log_level_names[] = { "debug", "info", "warn", "error" };

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

void
log_msg(enum log_level level, const char *fmt, ...)
{
	char line[1024];
	struct timespec ts;
	struct tm tm;
	size_t n;
	int w;
	va_list ap;

	if (level < log_min)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%SZ", &tm);
	w = snprintf(line + n, sizeof line - n, " %s %s: ",
	    log_level_names[level], log_program);
	if (w > 0)
		n += (size_t)w;
	if (n >= sizeof line)
		n = sizeof line - 1;
	va_start(ap, fmt);
	w = vsnprintf(line + n, sizeof line - n, fmt, ap);
	va_end(ap);
	if (w > 0)
		n += (size_t)w;
	if (n >= sizeof line - 1)
		n = sizeof line - 2;
	line[n++] = '\n';
	(void)!write(STDERR_FILENO, line, n);
}
