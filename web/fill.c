/* fill.c: catalog texts with named blanks (fill.h). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fill.h"
#include "page.h"

static char *
vfill(struct request *rq, const char *key, va_list pairs)
{
	const char *p = page_t(rq, key), *name, *value, *close;
	struct buf out = BUF_INIT;
	va_list ap;

	while (*p != '\0') {
		bool done = false;

		if (*p != '{' || (close = strchr(p, '}')) == NULL) {
			buf_putc(&out, *p++);
			continue;
		}
		va_copy(ap, pairs);
		while ((name = va_arg(ap, const char *)) != NULL) {
			value = va_arg(ap, const char *);
			if (strlen(name) == (size_t)(close - p - 1) &&
			    strncmp(p + 1, name, (size_t)(close - p - 1)) ==
			        0) {
				buf_puts(&out, value != NULL ? value : "");
				done = true;
				break;
			}
		}
		va_end(ap);
		if (done)
			p = close + 1;
		else
			buf_putc(&out, *p++);
	}
	buf_cstr(&out);
	return buf_steal(&out);
}

char *
page_fill(struct request *rq, const char *key, ...)
{
	va_list ap;
	char *s;

	va_start(ap, key);
	s = vfill(rq, key, ap);
	va_end(ap);
	return s;
}

void
page_fill_set(
    json_t *obj, const char *member, struct request *rq, const char *key, ...)
{
	va_list ap;
	char *s;

	va_start(ap, key);
	s = vfill(rq, key, ap);
	va_end(ap);
	json_object_set_new(obj, member, json_string(s != NULL ? s : ""));
	free(s);
}
