/*
 * csv.c: RFC 4180 fields, safe from formula injection (csv.h).
 */
#include <string.h>

#include "csv.h"

struct csv
csv_begin(struct buf *out, char sep, bool bom)
{
	struct csv w = {out, sep, false};

	if (bom)
		buf_puts(out, CSV_BOM);
	return w;
}

static void
field(struct csv *w, const char *text, bool formula_guard)
{
	bool quote, guard;
	const char *p;
	char seps[5] = {w->sep, '"', '\r', '\n', '\0'};

	if (text == NULL)
		text = "";
	if (w->row_started)
		buf_putc(w->out, w->sep);
	w->row_started = true;
	guard = formula_guard && text[0] != '\0' &&
	        strchr("=+-@\t\r", text[0]) != NULL;
	quote = strpbrk(text, seps) != NULL;
	if (quote)
		buf_putc(w->out, '"');
	if (guard)
		buf_putc(w->out, '\'');
	for (p = text; *p != '\0'; p++) {
		if (*p == '"')
			buf_putc(w->out, '"');
		buf_putc(w->out, *p);
	}
	if (quote)
		buf_putc(w->out, '"');
}

void
csv_text(struct csv *w, const char *text)
{
	field(w, text, true);
}

void
csv_raw(struct csv *w, const char *text)
{
	field(w, text, false);
}

void
csv_end_row(struct csv *w)
{
	buf_puts(w->out, "\r\n");
	w->row_started = false;
}
