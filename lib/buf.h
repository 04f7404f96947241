/*
 * buf.h: the one growable byte string of wizyta (think redis' sds).
 *
 * A buf is always NUL-terminated so its data can be read as a C string.
 * Allocation failure aborts: a mail gateway that cannot allocate 1 KiB has
 * nothing sensible left to do, and checking every append would hide the logic.
 */
#ifndef WIZYTA_BUF_H
#define WIZYTA_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;   /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
};

#define BUF_INIT { NULL, 0, 0 }

void buf_init(struct buf *);
void buf_free(struct buf *);		/* releases data; buf is reusable */
void buf_reset(struct buf *);		/* len = 0, keeps memory */
void buf_reserve(struct buf *, size_t more);
void buf_append(struct buf *, const void *, size_t);
void buf_puts(struct buf *, const char *);
void buf_putc(struct buf *, char);
/* buf_put_html: n bytes of text with & < > " ' escaped for HTML (one
 * escaper for the site's templates and the e-mail's HTML part) */
void buf_put_html(struct buf *, const char *, size_t n);
void buf_printf(struct buf *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *, const char *fmt, va_list);
const char *buf_cstr(struct buf *);	/* "" when empty, never NULL */
char *buf_steal(struct buf *);		/* caller frees; buf becomes empty */

#endif
