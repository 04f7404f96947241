/*
 * ics.c: one VEVENT in a VCALENDAR (RFC 5545), for iTIP REQUEST/CANCEL
 * (RFC 5546) attachments and the ticket page's download. Times are UTC
 * (…Z) so no VTIMEZONE is needed; clients show them in their own zone.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <stdbool.h>

#include "ics.h"

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

static void
ics_time(struct buf *out, const char *name, time_t t)
{
	char line[64];
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(line, sizeof line, "%s:%04d%02d%02dT%02d%02d%02dZ", name,
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
	ics_line(out, line);
}

void
ics_render(const struct ics_event *ev, struct buf *out)
{
	char line[128];
	bool cancel = strcmp(ev->method, "CANCEL") == 0;

	ics_line(out, "BEGIN:VCALENDAR");
	ics_line(out, "VERSION:2.0");
	ics_line(out, "PRODID:-//wizyta//wizyta 0.1//PL");
	ics_line(out, "CALSCALE:GREGORIAN");
	snprintf(line, sizeof line, "METHOD:%s", ev->method);
	ics_line(out, line);
	ics_line(out, "BEGIN:VEVENT");
	ics_text(out, "UID", ev->uid);
	snprintf(line, sizeof line, "SEQUENCE:%u", ev->sequence);
	ics_line(out, line);
	ics_time(out, "DTSTAMP", ev->stamp);
	ics_time(out, "DTSTART", ev->start);
	ics_time(out, "DTEND", ev->end);
	ics_text(out, "SUMMARY", ev->summary);
	if (ev->location != NULL && ev->location[0] != '\0')
		ics_text(out, "LOCATION", ev->location);
	if (ev->description != NULL && ev->description[0] != '\0')
		ics_text(out, "DESCRIPTION", ev->description);
	if (ev->organizer != NULL && ev->organizer[0] != '\0') {
		struct buf org = BUF_INIT;

		buf_printf(&org, "ORGANIZER:mailto:%s", ev->organizer);
		ics_line(out, buf_cstr(&org));
		buf_free(&org);
	}
	ics_line(out, cancel ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
	ics_line(out, "END:VEVENT");
	ics_line(out, "END:VCALENDAR");
}
