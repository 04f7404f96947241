/*
 * actor.h: who asks the domain to do something — a citizen (on the web, the
 * API, by e-mail or SMS reply), an operator (signed in on the web or with an
 * API token), the gateway's timers (system) or the admin command line.
 * Every domain call takes one (lib/booking.h), decides by it what is
 * allowed, and writes it into the booking's events and the audit log.
 *
 * Roles are ordered: reception ⊂ staff ⊂ admin (CONTRACT.md), so "may a
 * reception clerk open this?" is role >= ROLE_RECEPTION. ROLE_PUBLIC is
 * nobody signed in: the citizen pages and the public API.
 */
#ifndef WIZYTA_ACTOR_H
#define WIZYTA_ACTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum role {
	ROLE_PUBLIC = 0, /* not signed in */
	ROLE_RECEPTION,
	ROLE_STAFF,
	ROLE_ADMIN,
};

enum actor_channel {
	VIA_WEB,    /* a page */
	VIA_API,    /* the JSON API */
	VIA_EMAIL,  /* a reply by e-mail */
	VIA_SMS,    /* a reply by SMS */
	VIA_SYSTEM, /* wizytad's timers: expiry, reminders */
	VIA_CLI,    /* the wizyta command line */
};

struct actor {
	int64_t operator_id; /* 0 = not an operator */
	char login[64];      /* the operator's login, or "" */
	enum role role;      /* ROLE_PUBLIC unless an operator */
	enum actor_channel channel;
	char address[64]; /* the client's address (web, API), or "" */
};

struct account;

/* the actors; address may be NULL */
struct actor actor_citizen(enum actor_channel, const char *address);
struct actor actor_system(void);
struct actor actor_cli(void);
struct actor actor_operator(
    const struct account *, enum actor_channel, const char *address);

bool actor_is_operator(const struct actor *);
/* actor_at_least: the actor is an operator of this role or a higher one */
bool actor_at_least(const struct actor *, enum role);
/* actor_describe: "staff:anna", "citizen:sms", "system" — the booking
 * events' actor column */
void actor_describe(const struct actor *, char *out, size_t size);

const char *role_name(enum role); /* "public", "reception", "staff", "admin" */
int role_parse(const char *name, enum role *out);
const char *actor_channel_name(enum actor_channel); /* "web", "api", … */

#endif
