/*
 * chart.h: bar charts drawn on the server as inline SVG — no JavaScript,
 * no image files, sharp at any zoom and in print. Each chart is an
 * <svg role="img"> named by its <title> and described by its <desc>
 * (aria-labelledby both), so a screen reader announces what it shows; the
 * page puts a table of the same numbers beside it (the chart's values are
 * never only in the picture). Colours are presentation attributes (the
 * CSP allows no inline style) with at least 3:1 against white (WCAG 1.4.11);
 * each bar carries its value in a <title> for a pointer's tooltip.
 *
 *	const double planned[] = {…}, done[] = {…};
 *	const struct chart_series s[] = {
 *	    {"Zaplanowane", planned, CHART_BLUE}, {"Obsłużone", done,
 *CHART_GREEN}}; struct chart c = {"planned", "Zaplanowane i obsłużone", "…",
 *labels, n, s, 2, "wizyty", 0}; chart_bars_svg(&c, &out);
 */
#ifndef WIZYTA_WEB_CHART_H
#define WIZYTA_WEB_CHART_H

#include <stddef.h>

#include "buf.h"

#define CHART_BLUE "#0b4f8a"   /* 8.3:1 on white */
#define CHART_GREEN "#1d6b2f"  /* 6.6:1 */
#define CHART_ORANGE "#b34700" /* 5.0:1 */
#define CHART_RED "#a4161a"    /* 7.4:1 */

struct chart_series {
	const char *name;
	const double *values; /* n of them; < 0 = no value (not drawn) */
	const char *colour;
};

struct chart {
	const char *id;    /* unique on the page: ids of title and desc */
	const char *title; /* what it shows */
	const char *desc;  /* a sentence for a screen reader */
	const char *const *labels; /* n group labels under the axis */
	size_t n;
	const struct chart_series *series;
	size_t nseries;
	const char *unit; /* the y axis' unit ("min"), or "" */
	int decimals;     /* of the values in tooltips: 0 or 1 */
};

/* chart_bars_svg: grouped bars, one group per label, one bar per series,
 * a legend and a y axis from 0 to a round maximum. */
void chart_bars_svg(const struct chart *, struct buf *out);

#endif
