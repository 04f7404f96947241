/*
 * csv.h: writing CSV for spreadsheets — RFC 4180 (fields separated by the
 * separator, records ended by CRLF, a field holding the separator, a quote,
 * CR or LF is quoted and its quotes doubled) made safe to open in Excel or
 * LibreOffice: a text field that starts with = + - @ TAB or CR gets a
 * leading apostrophe, so a spreadsheet shows it as text instead of running
 * it as a formula (OWASP "CSV injection"; a service named
 * "=HYPERLINK(…)" must not become a link). Numbers we format ourselves go
 * in with csv_raw and are never touched.
 *
 *	struct csv w = csv_begin(&out, ',', true);
 *	csv_text(&w, "Rejestracja pojazdu");
 *	csv_raw(&w, "12");
 *	csv_end_row(&w);
 */
#ifndef WIZYTA_CSV_H
#define WIZYTA_CSV_H

#include <stdbool.h>

#include "buf.h"

#define CSV_BOM "\xEF\xBB\xBF" /* UTF-8's byte order mark */

struct csv {
	struct buf *out;
	char sep; /* ',' (RFC 4180) or ';' (a Polish Excel's list separator) */
	bool row_started;
};

/* csv_begin: a writer appending to out; bom: start with the UTF-8 BOM, by
 * which Excel recognises UTF-8 (without it Polish letters are garbled) */
struct csv csv_begin(struct buf *out, char sep, bool bom);
/* csv_text: a text field, escaped as above */
void csv_text(struct csv *, const char *text);
/* csv_raw: a field we formatted ourselves (a number), quoted only when it
 * holds the separator */
void csv_raw(struct csv *, const char *text);
void csv_end_row(struct csv *);

#endif
