/*
 * chart.c: grouped bar charts as SVG (chart.h). A fixed 760 × 320 canvas
 * (viewBox: it scales to the page); the y axis runs from 0 to the next
 * round number above the largest value (1, 2 or 5 × 10^k) in five steps;
 * with many groups only every k-th label is written, so they never overlap.
 */
#include <stdio.h>
#include <string.h>

#include "chart.h"
#include "template.h"

#define W 760.0
#define H 320.0
#define LEFT 56.0
#define RIGHT 12.0
#define TOP 36.0
#define BOTTOM 64.0

/* nice_max: the round axis maximum at or above v (5 steps) */
static double
nice_max(double v)
{
	double step = v / 5, mag = 1;

	if (v <= 0)
		return 5;
	while (mag * 10 <= step)
		mag *= 10;
	while (mag > step && mag > 0.1)
		mag /= 10;
	if (step <= mag)
		step = mag;
	else if (step <= 2 * mag)
		step = 2 * mag;
	else if (step <= 5 * mag)
		step = 5 * mag;
	else
		step = 10 * mag;
	return step * 5;
}

static void
number(struct buf *out, double v, int decimals)
{
	if (decimals > 0 && v != (double)(long long)v)
		buf_printf(out, "%.1f", v);
	else
		buf_printf(out, "%.0f", v);
}

static void
axis(const struct chart *c, struct buf *out, double max)
{
	double plot_h = H - TOP - BOTTOM;
	int i;

	for (i = 0; i <= 5; i++) {
		double v = max * i / 5, y = TOP + plot_h - plot_h * i / 5;

		buf_printf(out,
		    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\""
		    " stroke=\"%s\" stroke-width=\"1\"/>",
		    LEFT, y, W - RIGHT, y, i == 0 ? "#1b1b1b" : "#c4c8cc");
		buf_printf(out,
		    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\""
		    " font-size=\"12\" fill=\"#1b1b1b\">",
		    LEFT - 6, y + 4);
		number(out, v, max < 5 ? 1 : 0);
		buf_puts(out, "</text>");
	}
	if (c->unit != NULL && c->unit[0] != '\0') {
		buf_printf(out,
		    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\""
		    " fill=\"#1b1b1b\">",
		    4.0, TOP - 12);
		html_escape(out, c->unit);
		buf_puts(out, "</text>");
	}
}

static void
legend(const struct chart *c, struct buf *out)
{
	double x = LEFT + 40;
	size_t s;

	for (s = 0; s < c->nseries; s++) {
		buf_printf(out,
		    "<rect x=\"%.1f\" y=\"8\" width=\"14\" height=\"14\""
		    " fill=\"%s\"/><text x=\"%.1f\" y=\"20\" font-size=\"13\""
		    " fill=\"#1b1b1b\">",
		    x, c->series[s].colour, x + 19);
		html_escape(out, c->series[s].name);
		buf_puts(out, "</text>");
		/* an even guess at the text's width: 7 px a character */
		x += 19 + 7.0 * (double)strlen(c->series[s].name) + 24;
	}
}

void
chart_bars_svg(const struct chart *c, struct buf *out)
{
	double max = 0, plot_w = W - LEFT - RIGHT, plot_h = H - TOP - BOTTOM;
	double group_w, bar_w;
	size_t i, s, every;

	for (s = 0; s < c->nseries; s++)
		for (i = 0; i < c->n; i++)
			if (c->series[s].values[i] > max)
				max = c->series[s].values[i];
	max = nice_max(max);
	group_w = c->n > 0 ? plot_w / (double)c->n : plot_w;
	bar_w = group_w * 0.8 / (double)(c->nseries ? c->nseries : 1);
	every = c->n > 16 ? (c->n + 15) / 16 : 1;

	buf_printf(out,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f "
	    "%.0f\""
	    " class=\"chart\" role=\"img\" aria-labelledby=\"%s-title "
	    "%s-desc\">"
	    "<title id=\"%s-title\">",
	    W, H, c->id, c->id, c->id);
	html_escape(out, c->title);
	buf_printf(out, "</title><desc id=\"%s-desc\">", c->id);
	html_escape(out, c->desc);
	buf_puts(out, "</desc>");
	buf_printf(out,
	    "<rect width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>", W, H);
	axis(c, out, max);
	legend(c, out);
	for (i = 0; i < c->n; i++) {
		double x0 = LEFT + group_w * (double)i + group_w * 0.1;

		for (s = 0; s < c->nseries; s++) {
			double v = c->series[s].values[i], h;

			if (v < 0)
				continue;
			h = plot_h * v / max;
			buf_printf(out,
			    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\""
			    " height=\"%.1f\" fill=\"%s\"><title>",
			    x0 + bar_w * (double)s, TOP + plot_h - h, bar_w, h,
			    c->series[s].colour);
			html_escape(out, c->labels[i]);
			buf_puts(out, " — ");
			html_escape(out, c->series[s].name);
			buf_puts(out, ": ");
			number(out, v, c->decimals);
			buf_puts(out, "</title></rect>");
		}
		if (i % every != 0)
			continue;
		/* labels slant when there are many groups */
		if (c->n > 8)
			buf_printf(out,
			    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\""
			    " fill=\"#1b1b1b\" text-anchor=\"end\""
			    " transform=\"rotate(-40 %.1f %.1f)\">",
			    x0 + group_w * 0.4, H - BOTTOM + 16,
			    x0 + group_w * 0.4, H - BOTTOM + 16);
		else
			buf_printf(out,
			    "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\""
			    " fill=\"#1b1b1b\" text-anchor=\"middle\">",
			    x0 + group_w * 0.4, H - BOTTOM + 18);
		html_escape(out, c->labels[i]);
		buf_puts(out, "</text>");
	}
	buf_puts(out, "</svg>");
}
