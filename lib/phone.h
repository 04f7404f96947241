/*
 * phone.h: phone numbers as E.164, +48 (Poland) by default.
 * "600 700 800", "600-700-800", "48600700800", "0048 600 700 800",
 * "+48 600 700 800" all become "+48600700800".
 */
#ifndef WIZYTA_PHONE_H
#define WIZYTA_PHONE_H

#include <stddef.h>

#include "error.h"

/* phone_normalize: 0 and out = "+48600700800", or -1 with err
 * (ERROR_INVALID, field "phone") and a message a citizen can read. */
int phone_normalize(const char *input, char *out, size_t out_size,
    struct error *err);

#endif
