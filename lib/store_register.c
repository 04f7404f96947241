/* store_register.c: the register search's drive and values, for both
 * backends (store_register.h). */
#include <string.h>

#include "fold.h"
#include "store_register.h"

static bool
given(const char *v)
{
	return v != NULL && v[0] != '\0';
}

#define REG_INT(x) ((struct reg_value){.type = 'i', .i = (int64_t)(x)})
#define REG_TEXT(x) ((struct reg_value){.type = 's', .s = (x)})
#define REG_NULL ((struct reg_value){.type = 'n'})

/* a text filter and its prefix end: NULL, NULL when not given */
static void
prefix_values(
    const char *v, struct buf *end, struct reg_value *a, struct reg_value *b)
{
	if (!given(v)) {
		*a = *b = REG_NULL;
		return;
	}
	text_fold_prefix_end(v, end);
	*a = REG_TEXT(v);
	*b = REG_TEXT(buf_cstr(end));
}

static struct reg_value
text_value(const char *v)
{
	return given(v) ? REG_TEXT(v) : REG_NULL;
}

/* the time range spans at most a week: walking it beats a name range */
#define SHORT_RANGE (7 * 86400)

enum reg_drive
register_drive(const struct register_filter *f)
{
	bool short_range =
	    f->from > 0 && f->to > 0 && f->to - f->from <= SHORT_RANGE;

	if (given(f->reference))
		return DRIVE_REFERENCE;
	if (given(f->code))
		return DRIVE_CODE;
	if (given(f->phone))
		return DRIVE_PHONE;
	if (!short_range) {
		if (given(f->email))
			return DRIVE_EMAIL;
		if (given(f->last))
			return DRIVE_LAST;
		if (given(f->first))
			return DRIVE_FIRST;
		if (given(f->word))
			return DRIVE_TEXT;
	}
	return f->status >= 0 ? DRIVE_STATUS : DRIVE_TIME;
}

void
register_values(const struct register_filter *f, struct buf ends[REG_ENDS],
    struct reg_value a[REG_VALUES])
{
	int64_t from = f->from, to = f->to > 0 ? f->to : INT64_MAX;
	bool cursor = f->cursor_id > 0;

	for (size_t i = 0; i < REG_ENDS; i++)
		ends[i] = (struct buf)BUF_INIT;
	/* the cursor narrows the walked range itself, not only the rows */
	if (cursor && !f->backward && f->cursor_start > from)
		from = f->cursor_start;
	if (cursor && f->backward && f->cursor_start < to)
		to = f->cursor_start + 1;
	a[0] = REG_INT(from);
	a[1] = REG_INT(to);
	a[2] =
	    f->status >= 0
	        ? REG_TEXT(booking_status_name((enum booking_status)f->status))
	        : REG_NULL;
	a[3] = f->service_id > 0 ? REG_INT(f->service_id) : REG_NULL;
	a[4] = f->desk_id > 0 ? REG_INT(f->desk_id) : REG_NULL;
	a[5] = text_value(f->source);
	prefix_values(f->first, &ends[0], &a[6], &a[7]);
	prefix_values(f->last, &ends[1], &a[8], &a[9]);
	prefix_values(f->email, &ends[2], &a[10], &a[11]);
	a[12] = text_value(f->phone);
	a[13] = text_value(f->code);
	a[14] = text_value(f->reference);
	prefix_values(f->word, &ends[3], &a[15], &a[16]);
	prefix_values(f->word2, &ends[4], &a[17], &a[18]);
	a[19] = text_value(f->text_reference);
	a[20] = text_value(f->text_code);
	a[21] = text_value(f->text_phone);
	a[22] = cursor ? REG_INT(f->cursor_start) : REG_NULL;
	a[23] = cursor ? REG_INT(f->cursor_id) : REG_NULL;
	a[24] = REG_INT(f->limit > 0 && f->limit <= 1000 ? f->limit : 50);
}

void
register_ends_free(struct buf ends[REG_ENDS])
{
	for (size_t i = 0; i < REG_ENDS; i++)
		buf_free(&ends[i]);
}

void
register_reverse(struct booking *list, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		struct booking t = list[i];

		list[i] = list[n - 1 - i];
		list[n - 1 - i] = t;
	}
}
