/*
 * fallback.c: the other channel, once, for a message that could not be
 * delivered. A notice falls back only while it still means something for
 * the booking as it is now (notice_still_true): a confirmation request
 * only while the booking is pending and may still be confirmed, an access
 * code, reminder or new time only while it is booked (or pending, for a
 * move), a cancellation or expiry notice only while it is cancelled or
 * expired; and never once the visit's time has passed. Help replies to a
 * reply never fall back, and a kind whose channel policy names one channel
 * only ([channels] email or sms) never does either.
 */
#include <string.h>

#include "fallback.h"
#include "log.h"
#include "notify.h"

/* notice_still_true: may this notice still go out, the booking being b? */
static bool
notice_still_true(enum notify_kind kind, const struct booking *b, time_t now)
{
	if (b->start <= now)
		return false;
	switch (kind) {
	case NOTIFY_CONFIRM_REQUEST:
		return b->status == BOOKING_PENDING && now < b->confirm_by;
	case NOTIFY_ACCESS_CODE:
	case NOTIFY_REMINDER: return b->status == BOOKING_BOOKED;
	case NOTIFY_RESCHEDULED:
	case NOTIFY_MOVED:
		return b->status == BOOKING_BOOKED ||
		       (b->status == BOOKING_PENDING && now < b->confirm_by);
	case NOTIFY_CANCELLED: return b->status == BOOKING_CANCELLED;
	case NOTIFY_EXPIRED: return b->status == BOOKING_EXPIRED;
	default: return false;
	}
}

/* policy_falls_back: does the kind's channel policy ([channels], an
 * admin's setting) want the other channel when one fails? "both" wants
 * both anyway (the other carries it unless it was off when the message
 * was queued), "X_first" wants the other when X fails, "email" and "sms"
 * mean that channel only. */
static bool
policy_falls_back(enum channel_policy policy, bool to_sms)
{
	switch (policy) {
	case CHANNELS_BOTH: return true;
	case CHANNELS_EMAIL_FIRST: return to_sms;
	case CHANNELS_SMS_FIRST: return !to_sms;
	default: return false;
	}
}

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
	if (failed->booking_id <= 0 ||
	    notify_kind_parse(failed->kind, &kind) != 0 ||
	    kind == NOTIFY_REPLY_HELP || kind == NOTIFY_WHICH_BOOKING ||
	    kind == NOTIFY_RESCHEDULE_HELP || kind == NOTIFY_LATE_NOTED ||
	    kind == NOTIFY_QUESTION_NOTED)
		return;
	if (store_begin(s, &err) != 0)
		goto fail;
	if (store_booking_get(s, failed->booking_id, &b, &err) != 0)
		goto fail;
	if ((to_sms && b.phone[0] == '\0') || (!to_sms && b.email[0] == '\0')) {
		store_rollback(s);
		return;
	}
	if (!policy_falls_back(notify_policy(c, kind), to_sms)) {
		store_rollback(s);
		log_info(
		    "no fallback message=%lld booking=%lld kind=%s: channels"
		    " %s",
		    (long long)failed->id, (long long)b.id, failed->kind,
		    channel_policy_name(notify_policy(c, kind)));
		return;
	}
	if (!notice_still_true(kind, &b, now)) {
		store_rollback(s);
		log_info("no fallback message=%lld booking=%lld kind=%s "
		         "status=%s: no"
		         " longer true",
		    (long long)failed->id, (long long)b.id, failed->kind,
		    booking_status_name(b.status));
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
	if (notify_booking(s, c, &b, kind, to_sms ? NOTIFY_SMS : NOTIFY_EMAIL,
	        NULL, now, &err) != 0 ||
	    store_outbox_mark_fallback(
	        s, b.id, other, failed->kind, failed->id, &err) != 0 ||
	    store_event_add(s, b.id, now, "gateway", "fallback", other, &err) !=
	        0 ||
	    store_commit(s, &err) != 0)
		goto fail;
	log_info("fallback queued message=%lld booking=%lld kind=%s to=%s",
	    (long long)failed->id, (long long)b.id, failed->kind, other);
	return;
fail:
	store_rollback(s);
	log_warn(
	    "fallback failed message=%lld: %s", (long long)failed->id, err.msg);
}
