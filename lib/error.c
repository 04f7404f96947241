/* error.c: filling struct error. */
#include <stdio.h>
#include <string.h>

#include "error.h"

void
error_clear(struct error *err)
{
	if (err == NULL)
		return;
	err->kind = ERROR_NONE;
	err->code[0] = '\0';
	err->field[0] = '\0';
	err->msg[0] = '\0';
}

static void
error_vset(struct error *err, enum error_kind kind, const char *field,
    const char *fmt, va_list ap)
{
	err->kind = kind;
	err->code[0] = '\0';
	snprintf(err->field, sizeof err->field, "%s", field);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
}

int
error_set(struct error *err, enum error_kind kind, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	error_vset(err, kind, "", fmt, ap);
	va_end(ap);
	return -1;
}

int
error_set_field(struct error *err, enum error_kind kind, const char *field,
    const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	error_vset(err, kind, field, fmt, ap);
	va_end(ap);
	return -1;
}

int
error_set_code(struct error *err, enum error_kind kind, const char *code,
    const char *field, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	error_vset(err, kind, field != NULL ? field : "", fmt, ap);
	va_end(ap);
	snprintf(err->code, sizeof err->code, "%s", code);
	return -1;
}

const char *
error_kind_name(enum error_kind kind)
{
	switch (kind) {
	case ERROR_NONE: return "none";
	case ERROR_INTERNAL: return "internal";
	case ERROR_IO: return "io";
	case ERROR_INVALID: return "invalid";
	case ERROR_NOT_FOUND: return "not_found";
	case ERROR_CONFLICT: return "conflict";
	case ERROR_TEMPORARY: return "temporary";
	case ERROR_PERMANENT: return "permanent";
	case ERROR_LIMIT: return "limit";
	case ERROR_FORBIDDEN: return "forbidden";
	}
	return "unknown";
}

void
error_list_clear(struct error_list *l)
{
	memset(l, 0, sizeof *l);
}

struct error *
error_list_next(struct error_list *l)
{
	if (l->n >= ERROR_LIST_MAX)
		return &l->overflow;
	error_clear(&l->item[l->n]);
	return &l->item[l->n++];
}

int
error_list_first(const struct error_list *l, struct error *err)
{
	if (l->n == 0)
		return 0;
	if (err != NULL)
		*err = l->item[0];
	return -1;
}
