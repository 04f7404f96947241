/*
 * qr.c: QR → SVG. One <path> of unit squares keeps the markup small; the
 * SVG scales with the page (viewBox) so it stays sharp at any zoom.
 */
#include <qrencode.h>

#include "qr.h"
#include "template.h"

int
qr_svg(const char *text, const char *title, struct buf *out)
{
	QRcode *qr;
	int x, y, size, quiet = 4;

	if ((qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)) ==
	    NULL)
		return -1;
	size = qr->width + 2 * quiet;
	buf_printf(out,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\""
	    " class=\"qr\" role=\"img\" aria-labelledby=\"qr-title\">"
	    "<title id=\"qr-title\">",
	    size, size);
	html_escape(out, title);
	buf_printf(out,
	    "</title><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"",
	    size, size);
	for (y = 0; y < qr->width; y++)
		for (x = 0; x < qr->width; x++)
			if (qr->data[y * qr->width + x] & 1)
				buf_printf(out, "M%d %dh1v1h-1z", x + quiet,
				    y + quiet);
	buf_puts(out, "\"/></svg>");
	QRcode_free(qr);
	return 0;
}
