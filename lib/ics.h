/*
 * ics.h: one iCalendar event (RFC 5545) for the .ics attached to access
 * code, reschedule and cancellation messages (iTIP, RFC 5546), and served
 * by the ticket page.
 */
#ifndef WIZYTA_ICS_H
#define WIZYTA_ICS_H

#include <stdbool.h>
#include <time.h>

#include "buf.h"

struct ics_event {
	const char *uid;    /* stable per booking: "REF@domain" */
	const char *method; /* "REQUEST", "CANCEL" or "PUBLISH" */
	unsigned sequence;  /* bumps on every reschedule and on cancel */
	bool cancelled;     /* STATUS:CANCELLED, else CONFIRMED */
	time_t start;       /* instants */
	time_t end;
	time_t stamp;
	/* "Europe/Warsaw": DTSTART/DTEND in local time with TZID and a
	 * VTIMEZONE; NULL: in UTC (…Z). Only Europe/Warsaw has a VTIMEZONE
	 * here, so any other zone is written in UTC. */
	const char *tzid;
	const char *summary;     /* UTF-8 */
	const char *location;    /* UTF-8 */
	const char *description; /* UTF-8 */
	const char *organizer;   /* mail address (required by iTIP), or NULL */
	const char *organizer_name; /* its CN, or NULL */
	const char
	    *attendee; /* the citizen's address (REQUEST, CANCEL), or NULL */
	const char *attendee_name; /* its CN, or NULL */
};

/* ics_render: a whole VCALENDAR with CRLF line ends, TEXT values escaped
 * and lines folded at 75 octets without splitting a UTF-8 character. */
void ics_render(const struct ics_event *, struct buf *out);

#endif
