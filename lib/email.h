/*
 * email.h: the one check of an e-mail address, used wherever one comes in
 * (booking on the web and the API, the contact check of a cancellation,
 * the sender of a reply, and the addresses in the configuration file).
 *
 * Accepted: RFC 5321/5322 dot-atom local parts (letters, digits and
 * !#$%&'*+-/=?^_`{|}~, dots only between them) and domain names of at
 * least two labels, internationalised ones included (RFC 5890 IDNA2008
 * with UTS #46 mapping, by libidn2): "jan@żółw.pl" is a valid address.
 * Refused, with a message that says why: quoted local parts ("a b"@x.pl,
 * legal but unused in practice and a hazard in headers), domain literals
 * (jan@[192.0.2.1]), and non-ASCII local parts (RFC 6531): those need
 * SMTPUTF8 along the whole path, which libesmtp cannot ask for.
 *
 * Two forms: the stored one (what people recognise: the domain as
 * lower-case U-labels, "jan@żółw.pl") and the transport one (the domain as
 * A-labels, "jan@xn--w-uga1v8h.pl"), which every SMTP server accepts
 * without SMTPUTF8 and which goes into RCPT TO and the To header.
 */
#ifndef WIZYTA_EMAIL_H
#define WIZYTA_EMAIL_H

#include <stddef.h>

#include "error.h"

#define EMAIL_MAX 254 /* RFC 5321 4.5.3.1.3: a path of 256 with <> */

/* email_normalize: input (blanks around it are dropped) → the stored form.
 * Fails with ERROR_INVALID, field "email" and code email_invalid or
 * email_local_not_ascii. */
int email_normalize(
    const char *input, char *out, size_t size, struct error *err);

/* email_ascii: any valid address → the transport form (A-label domain). */
int email_ascii(const char *address, char *out, size_t size, struct error *err);

/* email_same: do two addresses name the same mailbox? Both are normalised;
 * the local part compares without regard to ASCII case (as every mail
 * system we meet treats it). False when either is not an address. */
int email_same(const char *a, const char *b);

#endif
