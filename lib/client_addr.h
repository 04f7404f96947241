/*
 * client_addr.h: who is booking, as far as the abuse limits need to know,
 * without keeping the address itself.
 *
 * A client address (what the web site believes after its trusted proxies)
 * becomes two keyed hashes: one of the address and one of its network
 * (/24 for IPv4, /64 for IPv6, where one household or one cloud customer
 * usually sits). They are HMAC-SHA-256 under a random key kept in the
 * database (kv "client_hmac_key"), so every process and every restart
 * counts the same client the same way, and the database never holds the
 * address: a leaked export or log of the bookings table does not give it
 * away. (Whoever holds the whole database holds the key too and could try
 * all 2^32 IPv4 addresses: the hashes are erased when a booking stops being
 * pending, which is all the limits need.)
 */
#ifndef WIZYTA_CLIENT_ADDR_H
#define WIZYTA_CLIENT_ADDR_H

#include <stddef.h>

#include "error.h"

#define CLIENT_HASH_LEN 32 /* hex characters kept (128 bits) */
#define CLIENT_KEY_LEN 64  /* the key, as hex */

struct client_hashes {
	char host[CLIENT_HASH_LEN + 1];
	char net[CLIENT_HASH_LEN + 1];
};

/* client_addr_hash: the two hashes of address under key (CLIENT_KEY_LEN
 * hex characters). An IPv4-mapped IPv6 address counts as IPv4; text that
 * is no IP address (a proxy's odd header) is its own host and network.
 * Empty or NULL address: both hashes are "". */
int client_addr_hash(const char *address, const char *key,
    struct client_hashes *out, struct error *err);

#endif
