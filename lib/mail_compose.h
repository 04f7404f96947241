/*
 * mail_compose.h: building the RFC 5322 / MIME messages wizyta sends.
 *
 * Always multipart/alternative (text/plain + text/html, UTF-8, quoted-
 * printable), optionally multipart/mixed with a text/calendar part
 * (RFC 5545/6047). Non-ASCII header text is RFC 2047 encoded; lines end in
 * CRLF and stay under 78 characters (RFC 5322 2.1.1).
 */
#ifndef WIZYTA_MAIL_COMPOSE_H
#define WIZYTA_MAIL_COMPOSE_H

#include <time.h>

#include "buf.h"
#include "error.h"

struct mail_spec {
	const char *from;	/* "Urząd Miasta <wizyta@urzad.example>" (UTF-8) */
	const char *to;		/* "jan@example.pl" */
	const char *reply_to;	/* "wizyta+K7Q2M9@urzad.example" or NULL */
	const char *subject;	/* UTF-8 */
	const char *message_id;	/* without <> */
	const char *in_reply_to; /* without <>, or NULL */
	const char *references;  /* ids without <>, blank-separated, oldest
	                            first; NULL = in_reply_to alone */
	const char *language;	/* "pl" or "en" (Content-Language) */
	const char *text;	/* UTF-8 plain text body, \n line ends */
	const char *html;	/* UTF-8 HTML body, or NULL */
	const char *ics;	/* a whole VCALENDAR, or NULL */
	const char *ics_method;	/* "REQUEST" or "CANCEL" when ics is set */
	time_t date;
};

/* mail_compose: appends the whole message to out. Adds
 * Auto-Submitted: auto-generated (RFC 3834) and MIME-Version. */
int mail_compose(const struct mail_spec *, struct buf *out, struct error *err);

/* The header-encoding piece, exported for tests and the reply helper. */
void mail_encode_header_words(const char *utf8, struct buf *out);

#endif
