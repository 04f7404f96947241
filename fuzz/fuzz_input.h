/*
 * fuzz_input.h: the raw HTTP request format of the HTTP fuzz targets
 * (fuzz_http.c, fuzz_sms_callbacks.c), read into its parts:
 *
 *   [@PEER-ADDRESS\n]
 *   METHOD SP TARGET [SP VERSION] CRLF
 *   Name: value CRLF ...
 *   CRLF
 *   body
 *
 * Lines may end in LF alone. The optional first line chooses the TCP peer
 * (default 203.0.113.7), so loopback clients and trusted proxies are
 * reachable. Everything is copied into NUL-terminated strings; a NUL in a
 * line ends it early, as it would in a C server.
 */
#ifndef WIZYTA_FUZZ_INPUT_H
#define WIZYTA_FUZZ_INPUT_H

#include <stddef.h>

#define FUZZ_MAX_HEADERS 64

struct fuzz_request {
	char *peer, *method, *target;
	char *names[FUZZ_MAX_HEADERS], *values[FUZZ_MAX_HEADERS];
	size_t nheaders;
	const char *body; /* points into the input */
	size_t body_len;
	char *storage;
};

/* fuzz_request_read: 0 and req filled, -1 when there is no request line. */
int fuzz_request_read(
    const unsigned char *data, size_t size, struct fuzz_request *req);
void fuzz_request_free(struct fuzz_request *req);

#endif
