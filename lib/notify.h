/*
 * notify.h: the messages a booking change causes, written into the outbox
 * inside the caller's transaction (the transactional outbox: a change and
 * its messages commit together or not at all).
 *
 * Each message goes to every channel the citizen booked with: an e-mail
 * (RFC 5322, composed here, with a Message-ID we remember so replies can be
 * matched) and/or an SMS (one GSM-7 segment where the text allows).
 */
#ifndef WIZYTA_NOTIFY_H
#define WIZYTA_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "config.h"
#include "error.h"
#include "store.h"

enum notify_kind {
	NOTIFY_CONFIRM_REQUEST, /* right after booking */
	NOTIFY_ACCESS_CODE,     /* after confirmation */
	NOTIFY_CANCELLED,
	NOTIFY_EXPIRED,
	NOTIFY_RESCHEDULED,
	NOTIFY_REMINDER,
	NOTIFY_REPLY_HELP,	/* we could not read the citizen's reply */
	NOTIFY_WHICH_BOOKING,	/* SMS from a number with several bookings */
	NOTIFY_RESCHEDULE_HELP,	/* the citizen asked for another time: the
				   link to change it */
	NOTIFY_LATE_NOTED,	/* "running late" passed to staff */
	NOTIFY_QUESTION_NOTED,	/* a question passed to staff */
	NOTIFY_DELAY,		/* the desk runs late (lib/delay.h) */
	/* the waitlist (lib/waitlist.h): about an entry (notify_waitlist) */
	NOTIFY_WAITLIST_JOINED,	/* in line, at this position */
	NOTIFY_WAITLIST_LEFT,	/* out of the line */
	/* about an offer, the booking held for the person */
	NOTIFY_WAITLIST_OFFER,	/* a place freed: reply TAK within the hold */
	NOTIFY_OFFER_DECLINED,	/* NIE: passed to the next in line */
	NOTIFY_OFFER_LAPSED,	/* no answer within the hold: passed on */
	NOTIFY_OFFER_GONE,	/* an answer after the hold: already gone */
	/* the register (issue 11) */
	NOTIFY_MOVED,		/* the office moved the visit: TAK keeps the
				   new time, NIE cancels */
	NOTIFY_MOVE_KEPT,	/* the citizen kept the new time (TAK) */
	NOTIFY_KIND_COUNT
};

enum notify_channels {
	NOTIFY_EMAIL = 1,
	NOTIFY_SMS = 2,
	NOTIFY_ALL = NOTIFY_EMAIL | NOTIFY_SMS,
	/* the channels the office's policy names for the kind ([channels],
	 * an admin's setting): what every booking change passes */
	NOTIFY_BY_POLICY = 0x100,
};

const char *notify_kind_name(enum notify_kind);
int notify_kind_parse(const char *name, enum notify_kind *out);

/* notify_booking: queue `kind` about b on the given channels (only those
 * b has a contact for), or NOTIFY_BY_POLICY. in_reply_to threads an
 * e-mail answer (or NULL). An SMS that can wait (notify_kind_waits) is
 * held through the quiet hours. */
int notify_booking(struct store *, const struct config *, const struct booking *,
    enum notify_kind, unsigned channels, const char *in_reply_to, time_t now,
    struct error *);

/* notify_booking_moved: the same, for NOTIFY_RESCHEDULED and
 * NOTIFY_MOVED, naming the old time too. */
int notify_booking_moved(struct store *, const struct config *, const struct booking *,
    enum notify_kind, unsigned channels, const char *in_reply_to, time_t old_start,
    time_t now, struct error *);

/* notify_booking_delay: NOTIFY_DELAY, saying the visit starts about
 * `told` seconds later than booked (delay_told()). */
int notify_booking_delay(struct store *, const struct config *,
    const struct booking *, unsigned channels, int64_t told, time_t now,
    struct error *);
/* notify_waitlist: queue `kind` about a waitlist entry (its outbox rows
 * carry waitlist_id, no booking): {position}, {date}, {window} and
 * {leave_url} are the entry's; the e-mail's Reply-To carries its
 * reference. */
int notify_waitlist(struct store *, const struct config *,
    const struct waitlist_entry *, enum notify_kind, unsigned channels,
    const char *in_reply_to, time_t now, struct error *);

/* what some messages say beyond the booking itself */
struct notify_extra {
	time_t old_start;   /* a move: the time before it, or 0 */
	const char *reason; /* a cancellation by the office: why, or NULL */
	int64_t told;       /* a delay notice: the delay told (seconds) */
};

/* notify_booking_with: notify_booking with the extra words (NULL: none) */
int notify_booking_with(struct store *, const struct config *,
    const struct booking *, enum notify_kind, unsigned channels,
    const char *in_reply_to, const struct notify_extra *, time_t now,
    struct error *);

/* notify_ics: the booking's calendar event (RFC 5545), the same from the
 * e-mail attachment and the ticket page: UID REF@domain, SEQUENCE bumped
 * once more when the visit is off (cancelled, expired, or method CANCEL)
 * with STATUS:CANCELLED, office-local times with a VTIMEZONE, ORGANIZER the
 * office's reply address, ATTENDEE the citizen (iTIP only). method is
 * "REQUEST", "CANCEL" or "PUBLISH". */
int notify_ics(const struct config *, const struct booking *, const char *method,
    time_t now, struct buf *out, struct error *);

/* notify_path: "/b/REF[/action]?t=TOKEN", the site-relative address of a
 * booking page: action is "" (ticket), "confirm", "cancel", … */
void notify_path(const struct booking *, const char *action, struct buf *out);

/* notify_link: the citizen's link for a booking: action is "" (ticket),
 * "confirm", "cancel" or "reschedule". */
void notify_link(const struct config *, const struct booking *, const char *action,
    struct buf *out);

/* notify_format_when: "wtorek, 8 grudnia 2026, 12:00" / "Tuesday, 8 December
 * 2026, 12:00" in the office zone. */
void notify_format_when(time_t, const char *language, struct buf *out);
/* notify_month: a month (1-12) as a date says it: "grudnia" (the Polish
 * genitive of "8 grudnia") / "December" */
const char *notify_month(int month, const char *language);
/* notify_format_date: "wtorek, 8 grudnia 2026" / "Tuesday, 8 December 2026" */
void notify_format_date(struct date, const char *language, struct buf *out);

/*
 * Which channel carries a message ([channels], CONTRACT.md "Admin"): a
 * kind's class policy (kinds without a class — the answers to replies —
 * go everywhere they are asked to); a channel is usable when the booking
 * has that contact and the office that transport.
 */
enum channel_policy notify_policy(const struct config *, enum notify_kind);
/* notify_policy_pick: the NOTIFY_* channels a policy uses */
unsigned notify_policy_pick(enum channel_policy, bool email, bool sms);
bool notify_email_usable(const struct config *, const struct booking *);
bool notify_sms_usable(const struct config *, const struct booking *);
/* notify_channels_for: the policy's channels for b (for sms_first a
 * number that said STOP counts as none) */
int notify_channels_for(struct store *, const struct config *,
    enum channel_policy, const struct booking *, unsigned *mask,
    struct error *);

/* notify_kind_waits: may an SMS of this outbox kind wait through the
 * quiet hours (reminders, moves, expiry notices: what the citizen did not
 * just ask for)? */
bool notify_kind_waits(const char *kind);
/* notify_quiet_until: now is within [sms] quiet_hours; *until their end,
 * office-local (DST: a time that does not exist that day is the first one
 * after it) */
bool notify_quiet_until(const struct config *, time_t now, time_t *until);

/*
 * Templates: the words of each kind (Polish and English; the e-mail's
 * subject and body, the SMS, and where the kind has one the SMS for phones
 * that cannot answer). An admin's text (settings "templates.KIND.LANG.PART",
 * config_text) replaces the built-in one. {name} is a variable
 * (notify_variables); the subject gets " [REFERENCE]" appended.
 */
enum notify_part {
	NOTIFY_PART_SUBJECT,
	NOTIFY_PART_BODY,
	NOTIFY_PART_SMS,
	NOTIFY_PART_SMS_ONEWAY,
	NOTIFY_PART_COUNT
};
const char *notify_part_name(enum notify_part);
int notify_part_parse(const char *name, enum notify_part *out);
/* "templates.reminder.pl.sms" */
void notify_template_name(
    enum notify_kind, bool en, enum notify_part, char *out, size_t size);
/* notify_template_default: the built-in text; NULL when the kind has no
 * such part */
const char *notify_template_default(
    enum notify_kind, bool en, enum notify_part);
/* notify_template: the text in force (c may be NULL: the built-in) */
const char *notify_template(
    const struct config *, enum notify_kind, bool en, enum notify_part);
/* notify_template_check: not empty, not too long, no control characters
 * (line breaks but in a subject), and every {name} a variable: else
 * ERROR_INVALID with field and the codes template_empty, template_too_long,
 * template_invalid, template_variable (the message names the variable) */
int notify_template_check(
    enum notify_part, const char *text, const char *field, struct error *);
/* notify_variables: the variables' names (at most max); how many. There
 * are at most NOTIFY_VARIABLES_MAX. */
#define NOTIFY_VARIABLES_MAX 48
size_t notify_variables(const char **names, size_t max);

/* a draft of a kind's texts (NULL parts: the texts in force) */
struct notify_draft {
	const char *part[NOTIFY_PART_COUNT];
};
struct notify_rendered {
	struct buf subject, body;
	struct buf sms, sms_oneway; /* sms_oneway "" when the kind has none */
	bool oneway_sent; /* phones cannot answer: sms_oneway is what goes */
};
/* notify_sample_booking: the booking previews and tests are made on (Jan
 * Kowalski, the next weekday at 10:00, a reference and an access code) */
void notify_sample_booking(
    const struct config *, bool en, time_t now, struct booking *);
/* notify_render: the message as b would get it (both SMS texts, a long
 * service name shortened as when sent) */
void notify_render(const struct config *, enum notify_kind,
    const struct booking *, const struct notify_draft *,
    struct notify_rendered *);
void notify_rendered_free(struct notify_rendered *);
/* notify_test: the kind rendered on the sample booking, through the
 * outbox (kind "test", about no booking) to email and/or phone ("" or
 * NULL: not that channel), now, whatever the quiet hours */
int notify_test(struct store *, const struct config *, enum notify_kind,
    bool en, const struct notify_draft *, const char *email, const char *phone,
    time_t now, struct error *);

#endif
