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

#include <time.h>

#include "buf.h"
#include "config.h"
#include "error.h"
#include "store.h"

enum notify_kind {
	NOTIFY_CONFIRM_REQUEST,	/* right after booking */
	NOTIFY_ACCESS_CODE,	/* after confirmation */
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
	NOTIFY_KIND_COUNT
};

enum notify_channels {
	NOTIFY_EMAIL = 1,
	NOTIFY_SMS = 2,
	NOTIFY_ALL = NOTIFY_EMAIL | NOTIFY_SMS,
};

const char *notify_kind_name(enum notify_kind);
int notify_kind_parse(const char *name, enum notify_kind *out);

/* notify_booking: queue `kind` about b on the given channels (only those
 * b has a contact for). in_reply_to threads an e-mail answer (or NULL). */
int notify_booking(struct store *, const struct config *, const struct booking *,
    enum notify_kind, unsigned channels, const char *in_reply_to, time_t now,
    struct error *);

/* notify_booking_moved: the same, for NOTIFY_RESCHEDULED, naming the old
 * time too. */
int notify_booking_moved(struct store *, const struct config *, const struct booking *,
    enum notify_kind, unsigned channels, const char *in_reply_to, time_t old_start,
    time_t now, struct error *);

/* notify_booking_delay: NOTIFY_DELAY, saying the visit starts about
 * `told` seconds later than booked (delay_told()). */
int notify_booking_delay(struct store *, const struct config *,
    const struct booking *, unsigned channels, int64_t told, time_t now,
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

#endif
