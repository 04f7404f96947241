/*
 * tls_verify.h: checking a server's certificate chain with GnuTLS for
 * libraries that do not (libetpan's mailstream).
 *
 * The chain must lead to a CA of the system store, or of ca_file when one
 * is given, and the leaf must name host (a DNS name or an IP address,
 * RFC 6125). Callers verify BEFORE sending any credential.
 */
#ifndef WIZYTA_TLS_VERIFY_H
#define WIZYTA_TLS_VERIFY_H

#include <stddef.h>

#include "error.h"

struct tls_der {
	const unsigned char *data;
	size_t len;
};

/* tls_verify_chain: 0 when the DER chain (leaf first) is trusted for host;
 * -1 with a reason in err (ERROR_TEMPORARY) otherwise. ca_file may be NULL
 * or "" for the system store. */
int tls_verify_chain(const struct tls_der *chain, size_t n, const char *host,
    const char *ca_file, struct error *err);

/* tls_ca_file_check: 0 when ca_file holds at least one PEM certificate;
 * -1 with the reason in err (ERROR_INVALID): the file cannot be read, or
 * holds none. For a start-up check: a wrong path must stop the program
 * at once, not fail every message later. */
int tls_ca_file_check(const char *ca_file, struct error *err);

#endif
