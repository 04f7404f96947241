/*
 * test_ics.c: ics_render() against RFC 5545: CRLF content lines of at most
 * 75 octets (3.1), folds that never split a UTF-8 character, TEXT escaping
 * (3.3.11) that unfolds and unescapes back to the input, UTC times.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ics.h"
#include "office_time.h"
#include "utf8.h"

static const char description[] =
    "Kod dostępu: 482913; pokój 12, stanowisko 3\\ zabierz dowód osobisty.\n"
    "Druga linia: żółć gęślą jaźń — ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ";

static void
event_init(struct ics_event *ev, const char *method)
{
	memset(ev, 0, sizeof *ev);
	ev->uid = "K7Q2M9PX@urzad.example";
	ev->method = method;
	ev->sequence = 2;
	ev->start = 1796030400; /* 2026-11-30T09:20:00Z */
	ev->end = ev->start + 600;
	ev->stamp = 1796000000;
	ev->summary = "Wizyta: Wydział Komunikacji, rejestracja pojazdu";
	ev->location = "Pokój 12, stanowisko 3";
	ev->description = description;
	ev->organizer = "wizyta@urzad.example";
}

/* unfold: RFC 5545 3.1, CRLF + one blank removed; lines checked first. */
static char *
unfold(const char *ics)
{
	struct buf b = BUF_INIT;
	const char *p = ics;

	while (*p != '\0') {
		const char *eol = strstr(p, "\r\n");
		size_t n;

		assert_non_null(eol);
		n = (size_t)(eol - p);
		assert_true(n <= 75);
		assert_null(memchr(p, '\n', n));
		assert_true(utf8_valid(p, n));
		if (p != ics && *p == ' ') {
			b.len--; /* drop the '\n' we put */
			buf_append(&b, p + 1, n - 1);
		} else
			buf_append(&b, p, n);
		buf_putc(&b, '\n');
		p = eol + 2;
	}
	return buf_steal(&b);
}

/* value: the unescaped TEXT value of property name in unfolded text. */
static char *
value(const char *unfolded, const char *name)
{
	struct buf b = BUF_INIT;
	size_t nlen = strlen(name);
	const char *p = unfolded;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, nlen) == 0 && p[nlen] == ':') {
			for (p += nlen + 1; *p != '\n'; p++) {
				if (*p == '\\') {
					p++;
					buf_putc(&b,
					    *p == 'n' || *p == 'N' ? '\n' : *p);
				} else {
					/* unescaped ; and , would split the
					 * value */
					assert_true(*p != ';' && *p != ',');
					buf_putc(&b, *p);
				}
			}
			return buf_steal(&b);
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return NULL;
}

static void
test_request(void **state)
{
	struct ics_event ev;
	struct buf out = BUF_INIT;
	char *u, *v;

	(void)state;
	event_init(&ev, "REQUEST");
	ics_render(&ev, &out);
	assert_true(out.len > 2);
	assert_memory_equal(out.data, "BEGIN:VCALENDAR\r\n", 17);
	assert_memory_equal(out.data + out.len - 15, "END:VCALENDAR\r\n", 15);
	assert_non_null(strstr(out.data, "\r\n ")); /* something was folded */
	u = unfold(out.data);
	assert_non_null(strstr(u, "\nMETHOD:REQUEST\n"));
	assert_non_null(strstr(u, "\nDTSTART:20261130T092000Z\n"));
	assert_non_null(strstr(u, "\nDTEND:20261130T093000Z\n"));
	assert_non_null(strstr(u, "\nSEQUENCE:2\n"));
	assert_non_null(strstr(u, "\nSTATUS:CONFIRMED\n"));
	assert_non_null(strstr(u, "\nORGANIZER:mailto:wizyta@urzad.example\n"));
	v = value(u, "DESCRIPTION");
	assert_string_equal(v, description);
	free(v);
	v = value(u, "LOCATION");
	assert_string_equal(v, "Pokój 12, stanowisko 3");
	free(v);
	v = value(u, "UID");
	assert_string_equal(v, "K7Q2M9PX@urzad.example");
	free(v);
	free(u);
	buf_free(&out);
}

static void
test_cancel(void **state)
{
	struct ics_event ev;
	struct buf out = BUF_INIT;
	char *u;

	(void)state;
	event_init(&ev, "CANCEL");
	ev.cancelled = true;
	ev.organizer = NULL;
	ev.location = NULL;
	ics_render(&ev, &out);
	u = unfold(out.data);
	assert_non_null(strstr(u, "\nMETHOD:CANCEL\n"));
	assert_non_null(strstr(u, "\nSTATUS:CANCELLED\n"));
	assert_null(strstr(u, "ORGANIZER"));
	assert_null(strstr(u, "LOCATION"));
	free(u);
	buf_free(&out);
}

/* Office time with TZID and a VTIMEZONE carrying the EU rules; iTIP parts
 * name the organizer and the attendee, a download (PUBLISH) no attendee. */
static void
test_local_time_and_itip(void **state)
{
	struct ics_event ev;
	struct buf out = BUF_INIT;
	struct error err;
	char *u;

	(void)state;
	error_clear(&err);
	assert_int_equal(otime_init("Europe/Warsaw", &err), 0);
	event_init(&ev, "REQUEST");
	ev.tzid = "Europe/Warsaw";
	ev.start = 1796030400; /* 2026-11-30T09:20:00Z = 10:20 CET */
	ev.end = ev.start + 600;
	ev.organizer_name = "Urząd Miasta; Wydział \"Komunikacji\"";
	ev.attendee = "ewa@example.pl";
	ev.attendee_name = "Ewa Nowak";
	ics_render(&ev, &out);
	u = unfold(out.data);
	assert_non_null(
	    strstr(u, "\nDTSTART;TZID=Europe/Warsaw:20261130T102000\n"));
	assert_non_null(
	    strstr(u, "\nDTEND;TZID=Europe/Warsaw:20261130T103000\n"));
	assert_non_null(strstr(u, "\nDTSTAMP:"));
	assert_non_null(strstr(u, "\nBEGIN:VTIMEZONE\nTZID:Europe/Warsaw\n"));
	assert_non_null(strstr(u, "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"));
	assert_non_null(strstr(u, "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"));
	assert_true(strstr(u, "END:VTIMEZONE") < strstr(u, "BEGIN:VEVENT"));
	assert_non_null(
	    strstr(u, "\nORGANIZER;CN=\"Urząd Miasta; Wydział Komunikacji\""
	              ":mailto:wizyta@urzad.example\n"));
	assert_non_null(
	    strstr(u, "\nATTENDEE;CN=\"Ewa Nowak\";ROLE=REQ-PARTICIPANT;"
	              "PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:ewa@example.pl\n"));
	free(u);
	buf_reset(&out);

	/* summer time: 2026-07-01 10:00 CEST is 08:00Z */
	event_init(&ev, "PUBLISH");
	ev.tzid = "Europe/Warsaw";
	ev.start = 1782892800;
	ev.end = ev.start + 900;
	ev.attendee = "ewa@example.pl";
	ics_render(&ev, &out);
	u = unfold(out.data);
	assert_non_null(
	    strstr(u, "\nDTSTART;TZID=Europe/Warsaw:20260701T100000\n"));
	assert_null(strstr(u, "ATTENDEE"));
	assert_non_null(strstr(u, "\nORGANIZER"));
	free(u);
	buf_reset(&out);

	/* another zone has no VTIMEZONE here: UTC */
	event_init(&ev, "PUBLISH");
	ev.tzid = "Europe/London";
	ics_render(&ev, &out);
	u = unfold(out.data);
	assert_non_null(strstr(u, "\nDTSTART:20261130T092000Z\n"));
	assert_null(strstr(u, "VTIMEZONE"));
	free(u);
	buf_free(&out);
}

/* A long run of 2-, 3- and 4-octet characters folds only between them. */
static void
test_fold_multibyte(void **state)
{
	struct ics_event ev;
	struct buf out = BUF_INIT, d = BUF_INIT;
	char *u, *v;
	int i;

	(void)state;
	for (i = 0; i < 40; i++)
		buf_puts(&d, i % 3 == 0 ? "ż" : i % 3 == 1 ? "€" : "😀");
	event_init(&ev, "PUBLISH");
	ev.description = d.data;
	ics_render(&ev, &out);
	u = unfold(out.data);
	v = value(u, "DESCRIPTION");
	assert_string_equal(v, d.data);
	free(v);
	free(u);
	buf_free(&d);
	buf_free(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_request),
	    cmocka_unit_test(test_cancel),
	    cmocka_unit_test(test_fold_multibyte),
	    cmocka_unit_test(test_local_time_and_itip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
