/*
 * error.h: the one error value of wizyta.
 *
 * A function that can fail returns -1 (or NULL) and fills a struct error the
 * caller passed in; the caller at the edge logs it once or answers the user.
 * The message is for operators and never holds personal data or secrets.
 */
#ifndef WIZYTA_ERROR_H
#define WIZYTA_ERROR_H

#include <stdarg.h>

enum error_kind {
	ERROR_NONE = 0,
	ERROR_INTERNAL,  /* a bug or an impossible state */
	ERROR_IO,        /* disk, database, network */
	ERROR_INVALID,   /* bad input: a field, a file, a message */
	ERROR_NOT_FOUND, /* no such thing */
	ERROR_CONFLICT,  /* slot taken, wrong state */
	ERROR_TEMPORARY, /* try again later: server down, 4xx */
	ERROR_PERMANENT, /* never works: 5xx, refused */
	ERROR_LIMIT,     /* rate or quota exceeded */
	ERROR_FORBIDDEN, /* the actor may not do this (a role, a disabled
	                    account) */
};

struct error {
	enum error_kind kind;
	char code[32];	  /* stable machine code for API clients and the
			     pages' catalogs ("slot_in_past"), or "" */
	char field[64];   /* the input field at fault, or "" */
	char msg[256];	  /* English, for operators and API clients */
};

void error_clear(struct error *);
/* error_set: kind and printf-style message; returns -1 so callers can
 * `return error_set(err, ...)`. A NULL err is allowed and ignored. */
int error_set(struct error *, enum error_kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int error_set_field(struct error *, enum error_kind, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* error_set_code: a user-facing error: a stable code (the API's "error"
 * member and, as "err_<code>", the key of its text in the web catalogs), an
 * optional field (NULL = none) and an English message. */
int error_set_code(struct error *, enum error_kind, const char *code,
    const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
const char *error_kind_name(enum error_kind);

/* error_list: every problem of a form at once (an admin's form shows them
 * all in its error summary; the API answers the first):
 *
 *	error_set_code(error_list_next(&list), ERROR_INVALID, "required",
 *	    "name", "Give a name.");
 *	…
 *	if (error_list_first(&list, err) != 0)
 *		return -1;
 */
#define ERROR_LIST_MAX 16
struct error_list {
	size_t n;
	struct error item[ERROR_LIST_MAX];
	struct error overflow; /* what came after the first ERROR_LIST_MAX */
};

void error_list_clear(struct error_list *);
/* error_list_next: the slot for the next error (counted as it is taken) */
struct error *error_list_next(struct error_list *);
/* error_list_first: 0 when empty, else -1 with the first copied to err */
int error_list_first(const struct error_list *, struct error *);

#endif
