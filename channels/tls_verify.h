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

#endif
