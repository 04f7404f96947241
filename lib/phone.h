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
 * (ERROR_INVALID, field "phone", code phone_invalid). */
int phone_normalize(
    const char *input, char *out, size_t out_size, struct error *err);

/* phone_sms_allowed: may an SMS go to this E.164 number? Never to a
 * premium-rate, shared-cost, freephone, satellite or international-network
 * range (toll fraud: an abuser books with such a number and the office
 * pays per message), and only to countries whose calling code is in
 * `countries` ("48 49 380", or "any"). 0 when allowed; otherwise -1 with
 * err (ERROR_INVALID, field "phone", code phone_premium or
 * phone_country). */
int phone_sms_allowed(
    const char *e164, const char *countries, struct error *err);

#endif
