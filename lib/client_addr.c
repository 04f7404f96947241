/*
 * client_addr.c: the keyed hashes of a client address (see client_addr.h).
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <gnutls/crypto.h>

#include "client_addr.h"
#include "url.h"

static int
mac_hex(const unsigned char *key, size_t key_len, char tag, const void *data,
    size_t len, char out[CLIENT_HASH_LEN + 1], struct error *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char msg[1 + 256], mac[32];
	size_t i;

	if (len > sizeof msg - 1)
		len = sizeof msg - 1;
	msg[0] = (unsigned char)tag;
	memcpy(msg + 1, data, len);
	if (gnutls_hmac_fast(
	        GNUTLS_MAC_SHA256, key, key_len, msg, len + 1, mac) != 0)
		return error_set(err, ERROR_INTERNAL, "HMAC-SHA-256 failed");
	for (i = 0; i < CLIENT_HASH_LEN / 2; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[CLIENT_HASH_LEN] = '\0';
	return 0;
}

int
client_addr_hash(const char *address, const char *key_hex,
    struct client_hashes *out, struct error *err)
{
	static const unsigned char v4_mapped[12] = {
	    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	unsigned char key[CLIENT_KEY_LEN / 2], bytes[16];
	const void *host, *net;
	size_t i, host_len, net_len;
	char tag_host, tag_net; /* which kind of bytes were hashed */

	memset(out, 0, sizeof *out);
	if (address == NULL || address[0] == '\0')
		return 0;
	if (strlen(key_hex) != CLIENT_KEY_LEN)
		return error_set(
		    err, ERROR_INTERNAL, "client key has the wrong length");
	for (i = 0; i < sizeof key; i++) {
		int hi = hex_value(key_hex[2 * i]),
		    lo = hex_value(key_hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return error_set(
			    err, ERROR_INTERNAL, "client key is not hex");
		key[i] = (unsigned char)(hi << 4 | lo);
	}
	if (inet_pton(AF_INET, address, bytes) == 1) {
		host = bytes;
		host_len = 4;
		net_len = 3; /* /24 */
		tag_host = '4';
		tag_net = 'n';
	} else if (inet_pton(AF_INET6, address, bytes) == 1) {
		if (memcmp(bytes, v4_mapped, sizeof v4_mapped) == 0) {
			host = bytes + 12;
			host_len = 4;
			net_len = 3;
			tag_host = '4';
			tag_net = 'n';
		} else {
			host = bytes;
			host_len = 16;
			net_len = 8; /* /64 */
			tag_host = '6';
			tag_net = 'N';
		}
	} else {
		host = address; /* no IP: its own network */
		host_len = strlen(address);
		net_len = host_len;
		tag_host = 'h';
		tag_net = 'x';
	}
	net = host;
	if (mac_hex(key, sizeof key, tag_host, host, host_len, out->host,
	        err) != 0 ||
	    mac_hex(key, sizeof key, tag_net, net, net_len, out->net, err) != 0)
		return -1;
	return 0;
}
