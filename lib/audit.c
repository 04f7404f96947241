/*
 * audit.c: one audit row from an actor (audit.h).
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"

/* copy: at most size - 1 bytes, never ending inside a UTF-8 sequence (a
 * long name cut in half would be invalid text in the audit's JSON) */
static void
copy(char *out, size_t size, const char *in)
{
	size_t n = in != NULL ? strlen(in) : 0;

	if (n >= size) {
		n = size - 1;
		while (n > 0 && ((unsigned char)in[n] & 0xc0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(out, in, n);
	out[n] = '\0';
}

int
audit_record(struct store *s, const struct actor *a, const char *action,
    int64_t booking_id, const char *before, const char *after,
    const char *detail, time_t now, struct error *err)
{
	struct audit_entry e;

	memset(&e, 0, sizeof e);
	e.at = now;
	e.operator_id = actor_is_operator(a) ? a->operator_id : 0;
	snprintf(e.login, sizeof e.login, "%s", e.operator_id ? a->login : "");
	snprintf(e.role, sizeof e.role, "%s",
	    e.operator_id ? role_name(a->role) : "");
	snprintf(
	    e.channel, sizeof e.channel, "%s", actor_channel_name(a->channel));
	snprintf(e.action, sizeof e.action, "%s", action);
	e.booking_id = booking_id;
	copy(e.before, sizeof e.before, before);
	copy(e.after, sizeof e.after, after);
	copy(e.detail, sizeof e.detail, detail);
	snprintf(e.address, sizeof e.address, "%s", a->address);
	return store_audit_add(s, &e, err);
}
