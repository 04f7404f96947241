/*
 * ics.h: one iCalendar event (RFC 5545) for the .ics attached to access
 * code, reschedule and cancellation messages, and served by the ticket page.
 */
#ifndef WIZYTA_ICS_H
#define WIZYTA_ICS_H

#include <time.h>

#include "buf.h"

struct ics_event {
	const char *uid;	/* stable per booking: "REF@domain" */
	const char *method;	/* "REQUEST", "CANCEL" or "PUBLISH" */
	unsigned sequence;	/* bumps on every reschedule */
	time_t start;		/* UTC instants; written as UTC (…Z) */
	time_t end;
	time_t stamp;
	const char *summary;	/* UTF-8 */
	const char *location;	/* UTF-8 */
	const char *description; /* UTF-8 */
	const char *organizer;	/* mail address, or NULL */
};

/* ics_render: a whole VCALENDAR with CRLF line ends, TEXT values escaped
 * and lines folded at 75 octets without splitting a UTF-8 character. */
void ics_render(const struct ics_event *, struct buf *out);

#endif
