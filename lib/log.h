/*
 * log.h: one logger for operators.
 *
 * Lines go to stderr as `time level program: message key=value ...`.
 * Callers put an outbox or booking id in every line about one, and never a
 * name, address, phone number, message body or password.
 */
#ifndef WIZYTA_LOG_H
#define WIZYTA_LOG_H

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR };

void log_init(const char *program, enum log_level min);
void log_set_level(enum log_level min);
void log_msg(enum log_level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_LEVEL_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)

#endif
