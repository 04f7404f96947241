/*
 * ics.c: one VEVENT in a VCALENDAR (RFC 5545), for iTIP REQUEST/CANCEL
 * (RFC 5546) attachments and the ticket page's download (PUBLISH).
 *
 * Times are office-local with TZID=Europe/Warsaw and a VTIMEZONE that
 * carries the EU rules (since 1996: summer time from the last Sunday of
 * March 01:00 UTC to the last Sunday of October 01:00 UTC, i.e. 02:00 CET
 * and 03:00 CEST local): a calendar shows the visit at the office's wall
 * clock time even when the citizen's device is in another zone or the
 * visit is across a DST change. iTIP methods need ORGANIZER, and REQUEST
 * and CANCEL an ATTENDEE (RFC 5546 3.2.2, 3.2.5), or clients ignore them.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ics.h"
#include "office_time.h"

/* ics_line: append one content line, folded at 75 octets (3.1) without
 * cutting a UTF-8 sequence, CRLF-terminated. */
static void
ics_line(struct buf *out, const char *line)
{
	size_t len = strlen(line), pos = 0, width = 75;

	while (len - pos > width) {
		size_t cut = pos + width;

		while (cut > pos && ((unsigned char)line[cut] & 0xc0) == 0x80)
			cut--;
		buf_append(out, line + pos, cut - pos);
		buf_puts(out, "\r\n ");
		pos = cut;
		width = 74; /* the leading space counts */
	}
	buf_append(out, line + pos, len - pos);
	buf_puts(out, "\r\n");
}

/* ics_text: a TEXT value escaped per 3.3.11. */
static void
ics_text(struct buf *out, const char *name, const char *value)
{
	struct buf line = BUF_INIT;
	const char *p;

	buf_printf(&line, "%s:", name);
	for (p = value; p != NULL && *p != '\0'; p++)
		switch (*p) {
		case '\\': buf_puts(&line, "\\\\"); break;
		case ';': buf_puts(&line, "\\;"); break;
		case ',': buf_puts(&line, "\\,"); break;
		case '\n': buf_puts(&line, "\\n"); break;
		case '\r': break;
		default: buf_putc(&line, *p);
		}
	ics_line(out, buf_cstr(&line));
	buf_free(&line);
}

/* ics_address: ORGANIZER/ATTENDEE with a quoted CN (3.2: a param-value
 * may not hold DQUOTE or controls; those are dropped). */
static void
ics_address(struct buf *out, const char *name, const char *cn,
    const char *params, const char *address)
{
	struct buf line = BUF_INIT;
	const char *p;

	buf_puts(&line, name);
	if (cn != NULL && cn[0] != '\0') {
		buf_puts(&line, ";CN=\"");
		for (p = cn; *p != '\0'; p++)
			if (*p != '"' && (unsigned char)*p >= 0x20 &&
			    *p != 0x7f)
				buf_putc(&line, *p);
		buf_putc(&line, '"');
	}
	if (params != NULL)
		buf_puts(&line, params);
	buf_printf(&line, ":mailto:%s", address);
	ics_line(out, buf_cstr(&line));
	buf_free(&line);
}

static void
ics_utc(struct buf *out, const char *name, time_t t)
{
	char line[64];
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(line, sizeof line, "%s:%04d%02d%02dT%02d%02d%02dZ", name,
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
	ics_line(out, line);
}

/* ics_local: NAME;TZID=zone:YYYYMMDDTHHMMSS in office time */
static void
ics_local(struct buf *out, const char *name, const char *tzid, time_t t)
{
	char local[OTIME_LOCAL_LEN], line[96];

	otime_format(t, local); /* "YYYY-MM-DDTHH:MM" */
	snprintf(line, sizeof line, "%s;TZID=%s:%.4s%.2s%.2sT%.2s%.2s00", name,
	    tzid, local, local + 5, local + 8, local + 11, local + 14);
	ics_line(out, line);
}

/* Europe/Warsaw under the EU rules. DTSTART of each rule is its first
 * onset in local time before the change (4.8.3.3 needs a DTSTART that the
 * RRULE generates: 1970-03-29 and 1970-10-25 were last Sundays). */
static const char *const vtimezone_warsaw[] = {
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Warsaw",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
};

void
ics_render(const struct ics_event *ev, struct buf *out)
{
	char line[128];
	const char *tzid =
	    ev->tzid != NULL && strcmp(ev->tzid, "Europe/Warsaw") == 0
	        ? ev->tzid
	        : NULL;
	bool itip = strcmp(ev->method, "PUBLISH") != 0;
	size_t i;

	ics_line(out, "BEGIN:VCALENDAR");
	ics_line(out, "VERSION:2.0");
	ics_line(out, "PRODID:-//wizyta//wizyta 0.1//PL");
	ics_line(out, "CALSCALE:GREGORIAN");
	snprintf(line, sizeof line, "METHOD:%s", ev->method);
	ics_line(out, line);
	if (tzid != NULL)
		for (i = 0;
		     i < sizeof vtimezone_warsaw / sizeof *vtimezone_warsaw;
		     i++)
			ics_line(out, vtimezone_warsaw[i]);
	ics_line(out, "BEGIN:VEVENT");
	ics_text(out, "UID", ev->uid);
	snprintf(line, sizeof line, "SEQUENCE:%u", ev->sequence);
	ics_line(out, line);
	ics_utc(out, "DTSTAMP", ev->stamp); /* always UTC (3.8.7.2) */
	if (tzid != NULL) {
		ics_local(out, "DTSTART", tzid, ev->start);
		ics_local(out, "DTEND", tzid, ev->end);
	} else {
		ics_utc(out, "DTSTART", ev->start);
		ics_utc(out, "DTEND", ev->end);
	}
	ics_text(out, "SUMMARY", ev->summary);
	if (ev->location != NULL && ev->location[0] != '\0')
		ics_text(out, "LOCATION", ev->location);
	if (ev->description != NULL && ev->description[0] != '\0')
		ics_text(out, "DESCRIPTION", ev->description);
	if (ev->organizer != NULL && ev->organizer[0] != '\0')
		ics_address(
		    out, "ORGANIZER", ev->organizer_name, NULL, ev->organizer);
	/* the citizen, already confirmed: nothing to answer */
	if (itip && ev->attendee != NULL && ev->attendee[0] != '\0')
		ics_address(out, "ATTENDEE", ev->attendee_name,
		    ";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE",
		    ev->attendee);
	ics_line(out, ev->cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
	ics_line(out, "TRANSP:OPAQUE");
	ics_line(out, "END:VEVENT");
	ics_line(out, "END:VCALENDAR");
}
