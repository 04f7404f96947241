/*
 * maildir.h: the parts of the Maildir format (cr.yp.to/proto/maildir.html)
 * both maildir files use: creating a maildir and delivering one file
 * atomically (write in tmp/, fsync, rename into new/).
 */
#ifndef WIZYTA_MAILDIR_H
#define WIZYTA_MAILDIR_H

#include <stddef.h>

#include "error.h"

/* maildir_create: DIR and DIR/{tmp,new,cur}, mode 0700, parents too. */
int maildir_create(const char *dir, struct error *);
/* maildir_deliver: a unique file in DIR/new; its base name in name. */
int maildir_deliver(const char *dir, const char *data, size_t len, char *name,
    size_t name_size, struct error *);

#endif
