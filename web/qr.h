/*
 * qr.h: a QR code as inline SVG (libqrencode), for the virtual ticket.
 * Only this file includes <qrencode.h>.
 */
#ifndef WIZYTA_WEB_QR_H
#define WIZYTA_WEB_QR_H

#include "buf.h"

/* qr_svg: append an <svg> of text (error correction M, 4-module quiet
 * zone) with a <title> for screen readers; -1 when encoding fails. */
int qr_svg(const char *text, const char *title, struct buf *out);

#endif
