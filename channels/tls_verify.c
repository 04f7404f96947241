/*
 * tls_verify.c: a server certificate chain checked with GnuTLS's trust
 * list (the system store or one CA file) and the leaf's name checked
 * against the host we dialled (RFC 6125 6.4: DNS-ID; 6.2: an IP literal
 * matches an iPAddress SAN only). Used by inbound_imap.c because libetpan
 * performs no verification at all.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "tls_verify.h"

static int
host_matches(gnutls_x509_crt_t leaf, const char *host)
{
	unsigned char ip[16];

	if (inet_pton(AF_INET, host, ip) == 1)
		return gnutls_x509_crt_check_ip(leaf, ip, 4, 0) != 0;
	if (inet_pton(AF_INET6, host, ip) == 1)
		return gnutls_x509_crt_check_ip(leaf, ip, 16, 0) != 0;
	return gnutls_x509_crt_check_hostname2(leaf, host, 0) != 0;
}

int
tls_ca_file_check(const char *ca_file, struct error *err)
{
	gnutls_x509_trust_list_t list = NULL;
	int r;

	if (access(ca_file, R_OK) != 0)
		return error_set(err, ERROR_INVALID, "cannot read %s: %s",
		    ca_file, strerror(errno));
	if (gnutls_x509_trust_list_init(&list, 0) < 0)
		return error_set(
		    err, ERROR_INTERNAL, "TLS: trust list init failed");
	r = gnutls_x509_trust_list_add_trust_file(
	    list, ca_file, NULL, GNUTLS_X509_FMT_PEM, 0, 0);
	gnutls_x509_trust_list_deinit(list, 1);
	if (r <= 0)
		return error_set(err, ERROR_INVALID,
		    "%s holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
		    ca_file);
	return 0;
}

int
tls_verify_chain(const struct tls_der *chain, size_t n, const char *host,
    const char *ca_file, struct error *err)
{
	gnutls_x509_trust_list_t list = NULL;
	gnutls_x509_crt_t *crts = NULL;
	unsigned int status = 0;
	size_t i, imported = 0;
	int rc = -1, r;

	if (n == 0)
		return error_set(err, ERROR_TEMPORARY,
		    "TLS: the server sent no certificate");
	if (gnutls_x509_trust_list_init(&list, 0) < 0)
		return error_set(
		    err, ERROR_INTERNAL, "TLS: trust list init failed");
	if (ca_file != NULL && ca_file[0] != '\0')
		r = gnutls_x509_trust_list_add_trust_file(
		    list, ca_file, NULL, GNUTLS_X509_FMT_PEM, 0, 0);
	else
		r = gnutls_x509_trust_list_add_system_trust(list, 0, 0);
	if (r <= 0) {
		error_set(err, ERROR_INVALID, "TLS: no CA loaded from %s",
		    ca_file != NULL && ca_file[0] != '\0' ? ca_file
		                                          : "the system store");
		goto out;
	}
	crts = calloc(n, sizeof *crts);
	if (crts == NULL) {
		error_set(err, ERROR_INTERNAL, "TLS: out of memory");
		goto out;
	}
	for (i = 0; i < n; i++) {
		gnutls_datum_t d = {
		    (unsigned char *)chain[i].data, (unsigned int)chain[i].len};

		if (gnutls_x509_crt_init(&crts[i]) < 0)
			goto bad;
		imported++;
		if (gnutls_x509_crt_import(crts[i], &d, GNUTLS_X509_FMT_DER) <
		    0)
			goto bad;
	}
	if (gnutls_x509_trust_list_verify_crt(
	        list, crts, (unsigned int)n, 0, &status, NULL) < 0)
		goto bad;
	if (status != 0) {
		gnutls_datum_t why = {NULL, 0};

		if (gnutls_certificate_verification_status_print(
		        status, GNUTLS_CRT_X509, &why, 0) == 0) {
			error_set(err, ERROR_TEMPORARY,
			    "TLS certificate refused: %s", why.data);
			gnutls_free(why.data);
		} else
			error_set(err, ERROR_TEMPORARY,
			    "TLS certificate refused (status 0x%x)", status);
		goto out;
	}
	if (!host_matches(crts[0], host)) {
		error_set(err, ERROR_TEMPORARY,
		    "TLS certificate refused: it does not name %s", host);
		goto out;
	}
	rc = 0;
	goto out;
bad:
	error_set(err, ERROR_TEMPORARY, "TLS: unreadable server certificate");
out:
	for (i = 0; i < imported; i++)
		gnutls_x509_crt_deinit(crts[i]);
	free(crts);
	gnutls_x509_trust_list_deinit(list, 1);
	return rc;
}
