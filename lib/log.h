/*
 * log.h: one logger for operators.
 *
 * Lines go to stderr as `time level program: message key=value ...`.
 * Callers put an outbox or booking id in every line about one, and never a
 * name, address, phone number, message body or password.
 *
 * Three safety nets behind that rule, in log_msg itself:
 *  - one call is one line: control characters become blanks and invalid
 *    UTF-8 becomes '?', so no value can forge a line of its own;
 *  - anything shaped like an e-mail address becomes "<address>" and a run
 *    of nine or more digits (a phone number, however spaced) "<number>":
 *    servers echo what they were sent ("550 <jan@x.pl>: unknown");
 *  - a line identical to the one before it is not repeated: "last message
 *    repeated N times" follows when another line comes, or every
 *    LOG_REPEAT_SECONDS while the same one keeps coming (a full disk must
 *    not turn into thousands of identical lines a second).
 */
#ifndef WIZYTA_LOG_H
#define WIZYTA_LOG_H

#include <stddef.h>

#define LOG_REPEAT_SECONDS 30

enum log_level {
	LOG_LEVEL_DEBUG,
	LOG_LEVEL_INFO,
	LOG_LEVEL_WARN,
	LOG_LEVEL_ERROR,
	LOG_LEVEL_OFF /* as a minimum: nothing is written (fuzz targets) */
};

void log_init(const char *program, enum log_level min);
void log_set_level(enum log_level min);
void log_msg(enum log_level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* log_flush: write a pending "last message repeated" line (at exit). */
void log_flush(void);
/* log_clean: text as log_msg writes it (one line, valid UTF-8, addresses
 * and phone numbers replaced) into out; for tests and for text that is
 * shown elsewhere (status output). */
void log_clean(const char *text, char *out, size_t size);

#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)

#endif
