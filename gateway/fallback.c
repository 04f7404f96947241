/*
 * fallback.c: the other channel, once, for a message that could not be
 * delivered. Only notices about a live or just-changed booking fall back;
 * help replies to a reply do not.
 */
#include <string.h>

#include "fallback.h"
#include "log.h"
#include "notify.h"

void
fallback_other_channel(struct store *s, const struct config *c,
    const struct outbox_message *failed, time_t now)
{
	struct outbox_message *list = NULL;
	enum notify_kind kind;
	struct booking b;
	struct error err;
	bool to_sms = strcmp(failed->channel, "email") == 0;
	const char *other = to_sms ? "sms" : "email";
	size_t n = 0, i;

	error_clear(&err);
	if (failed->booking_id <= 0 || notify_kind_parse(failed->kind, &kind) != 0 ||
	    kind == NOTIFY_REPLY_HELP || kind == NOTIFY_WHICH_BOOKING ||
	    kind == NOTIFY_RESCHEDULE_HELP)
		return;
	if (store_begin(s, &err) != 0)
		goto fail;
	if (store_booking_get(s, failed->booking_id, &b, &err) != 0)
		goto fail;
	if ((to_sms && b.phone[0] == '\0') || (!to_sms && b.email[0] == '\0')) {
		store_rollback(s);
		return;
	}
	if (store_outbox_list(s, other, b.id, 200, &list, &n, &err) != 0)
		goto fail;
	for (i = 0; i < n; i++)
		if (strcmp(list[i].kind, failed->kind) == 0) {
			/* the other channel already carries this notice */
			outbox_list_free(list, n);
			store_rollback(s);
			return;
		}
	outbox_list_free(list, n);
	if (notify_booking(s, c, &b, kind, to_sms ? NOTIFY_SMS : NOTIFY_EMAIL, NULL, now,
	    &err) != 0 || store_event_add(s, b.id, now, "gateway", "fallback", other,
	    &err) != 0 || store_commit(s, &err) != 0)
		goto fail;
	log_info("fallback queued message=%lld booking=%lld kind=%s to=%s",
	    (long long)failed->id, (long long)b.id, failed->kind, other);
	return;
fail:
	store_rollback(s);
	log_warn("fallback failed message=%lld: %s", (long long)failed->id, err.msg);
}
