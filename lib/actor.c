/*
 * actor.c: building and naming actors (actor.h).
 */
#include <stdio.h>
#include <string.h>

#include "actor.h"
#include "store.h"

static const char *const role_names[] = {
    "public",
    "reception",
    "staff",
    "admin",
};

static const char *const channel_names[] = {
    "web",
    "api",
    "email",
    "sms",
    "system",
    "cli",
};

const char *
role_name(enum role r)
{
	return (unsigned)r < sizeof role_names / sizeof role_names[0]
	           ? role_names[r]
	           : "unknown";
}

int
role_parse(const char *name, enum role *out)
{
	size_t i;

	/* "public" is not a role an operator can have */
	for (i = ROLE_RECEPTION; i < sizeof role_names / sizeof role_names[0];
	     i++)
		if (name != NULL && strcmp(name, role_names[i]) == 0) {
			*out = (enum role)i;
			return 0;
		}
	return -1;
}

const char *
actor_channel_name(enum actor_channel c)
{
	return (unsigned)c < sizeof channel_names / sizeof channel_names[0]
	           ? channel_names[c]
	           : "unknown";
}

static struct actor
actor_new(enum actor_channel channel, const char *address)
{
	struct actor a;

	memset(&a, 0, sizeof a);
	a.role = ROLE_PUBLIC;
	a.channel = channel;
	snprintf(
	    a.address, sizeof a.address, "%s", address != NULL ? address : "");
	return a;
}

struct actor
actor_citizen(enum actor_channel channel, const char *address)
{
	return actor_new(channel, address);
}

struct actor
actor_system(void)
{
	return actor_new(VIA_SYSTEM, NULL);
}

struct actor
actor_cli(void)
{
	return actor_new(VIA_CLI, NULL);
}

struct actor
actor_operator(
    const struct account *op, enum actor_channel channel, const char *address)
{
	struct actor a = actor_new(channel, address);

	a.operator_id = op->id;
	a.role = op->role;
	snprintf(a.login, sizeof a.login, "%s", op->login);
	return a;
}

bool
actor_is_operator(const struct actor *a)
{
	return a->operator_id > 0 && a->role > ROLE_PUBLIC;
}

bool
actor_at_least(const struct actor *a, enum role r)
{
	return actor_is_operator(a) && a->role >= r;
}

void
actor_describe(const struct actor *a, char *out, size_t size)
{
	if (actor_is_operator(a))
		snprintf(out, size, "%s:%s", role_name(a->role), a->login);
	else if (a->channel == VIA_SYSTEM || a->channel == VIA_CLI)
		snprintf(out, size, "%s", actor_channel_name(a->channel));
	else if (a->channel == VIA_EMAIL || a->channel == VIA_SMS)
		snprintf(
		    out, size, "citizen:%s", actor_channel_name(a->channel));
	else
		snprintf(out, size, "citizen");
}
