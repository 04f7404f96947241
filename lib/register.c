/*
 * register.c: the booking register's search (register.h): what staff
 * typed becomes a store filter (lib/store.h register_filter: folded
 * prefixes, a normalised phone, the days as times), a page is read by
 * keyset, and each row gets its schedule check.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "booking.h"
#include "fold.h"
#include "phone.h"
#include "register.h"
#include "token.h"

void
register_query_init(struct register_query *q)
{
	memset(q, 0, sizeof *q);
	q->status = -1;
	q->schedule = -1;
}

static bool
given(const char *v)
{
	return v != NULL && v[0] != '\0';
}

/* trimmed: v without the spaces around it, into out */
static void
trimmed(const char *v, struct buf *out)
{
	size_t n;

	if (v == NULL)
		return;
	while (*v == ' ' || *v == '\t')
		v++;
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	buf_append(out, v, n);
}

static void
folded(const char *v, struct buf *out)
{
	struct buf t = BUF_INIT;

	trimmed(v, &t);
	text_fold(buf_cstr(&t), out);
	buf_free(&t);
}

static bool
all_digits(const char *v, size_t n)
{
	size_t i;

	if (strlen(v) != n)
		return false;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)v[i]))
			return false;
	return true;
}

/* cursor: "START.ID" (a row's start, unix seconds, and its id) */
static void
cursor_format(const struct booking *b, char out[REGISTER_CURSOR_LEN])
{
	snprintf(out, REGISTER_CURSOR_LEN, "%lld.%lld", (long long)b->start,
	    (long long)b->id);
}

static int
cursor_parse(const char *text, time_t *start, int64_t *id)
{
	char *end;
	long long a, b;

	if (!isdigit((unsigned char)text[0]))
		return -1;
	a = strtoll(text, &end, 10);
	if (*end != '.' || !isdigit((unsigned char)end[1]))
		return -1;
	b = strtoll(end + 1, &end, 10);
	if (*end != '\0' || b <= 0 || a < 0)
		return -1;
	*start = (time_t)a;
	*id = b;
	return 0;
}

/* the store's filter and the buffers its strings live in */
struct prepared {
	struct register_filter f;
	struct buf first, last, email, word, word2, reference;
	char phone[20], text_phone[20], code[ACCESS_CODE_LEN + 1];
	char text_code[ACCESS_CODE_LEN + 1];
	unsigned limit;
};

static void
prepared_free(struct prepared *p)
{
	buf_free(&p->first);
	buf_free(&p->last);
	buf_free(&p->email);
	buf_free(&p->word);
	buf_free(&p->word2);
	buf_free(&p->reference);
}

/* free text: the first two words as name prefixes (or an e-mail prefix),
 * and the whole text as a reference, an access code or a phone when it
 * can be one */
static void
prepare_text(const char *q, struct prepared *p)
{
	struct buf t = BUF_INIT, fold = BUF_INIT;
	const char *text, *space;
	struct error ignored;
	size_t i;

	trimmed(q, &t);
	text = buf_cstr(&t);
	if (text[0] == '\0') {
		buf_free(&t);
		return;
	}
	text_fold(text, &fold);
	error_clear(&ignored);
	if (phone_normalize(
	        text, p->text_phone, sizeof p->text_phone, &ignored) == 0)
		p->f.text_phone = p->text_phone;
	/* "600 700 800" is one phone, not three words */
	space = p->f.text_phone == NULL ? strchr(buf_cstr(&fold), ' ') : NULL;
	if (space == NULL)
		buf_puts(&p->word, buf_cstr(&fold));
	else {
		const char *second = space;

		buf_append(&p->word, buf_cstr(&fold),
		    (size_t)(space - buf_cstr(&fold)));
		while (*second == ' ')
			second++;
		buf_append(&p->word2, second, strcspn(second, " "));
	}
	p->f.word = buf_cstr(&p->word);
	p->f.word2 = p->word2.len > 0 ? buf_cstr(&p->word2) : NULL;
	for (i = 0; i < t.len; i++)
		buf_putc(&p->reference, (char)toupper((unsigned char)text[i]));
	if (token_reference_valid(buf_cstr(&p->reference)))
		p->f.text_reference = buf_cstr(&p->reference);
	if (all_digits(text, ACCESS_CODE_LEN)) {
		snprintf(p->text_code, sizeof p->text_code, "%s", text);
		p->f.text_code = p->text_code;
	}
	buf_free(&t);
	buf_free(&fold);
}

static int
prepare(const struct register_query *q, struct prepared *p, struct error *err)
{
	struct register_filter *f = &p->f;
	struct buf code = BUF_INIT;
	int rc = 0;

	memset(f, 0, sizeof *f);
	f->status = q->status;
	f->service_id = q->service_id;
	f->desk_id = q->desk_id;
	if (q->limit > REGISTER_LIMIT_MAX)
		return error_set_code(err, ERROR_INVALID, "limit_invalid",
		    "limit", "limit is 1-%d.", REGISTER_LIMIT_MAX);
	p->limit = q->limit > 0 ? q->limit : REGISTER_LIMIT;
	if (given(q->source)) {
		if (strcmp(q->source, "web") != 0 &&
		    strcmp(q->source, "api") != 0 &&
		    strcmp(q->source, "staff") != 0 &&
		    strcmp(q->source, "waitlist") != 0)
			return error_set_code(err, ERROR_INVALID,
			    "source_invalid", "source",
			    "source is web, api, staff or waitlist.");
		f->source = q->source;
	}
	if (q->from.year != 0 && q->to.year != 0 &&
	    date_compare(q->from, q->to) > 0)
		return error_set_code(err, ERROR_INVALID, "range_invalid", "to",
		    "The range ends before it starts.");
	if (q->from.year != 0 && otime_make(q->from, 0, &f->from) != 0)
		return error_set_code(err, ERROR_INVALID, "range_invalid",
		    "from", "No such day.");
	if (q->to.year != 0 &&
	    otime_make(date_add_days(q->to, 1), 0, &f->to) != 0)
		return error_set_code(
		    err, ERROR_INVALID, "range_invalid", "to", "No such day.");
	folded(q->first_name, &p->first);
	folded(q->last_name, &p->last);
	trimmed(q->email, &p->email);
	f->first = p->first.len > 0 ? buf_cstr(&p->first) : NULL;
	f->last = p->last.len > 0 ? buf_cstr(&p->last) : NULL;
	f->email = p->email.len > 0 ? buf_cstr(&p->email) : NULL;
	trimmed(q->code, &code);
	if (code.len > 0) {
		if (!all_digits(buf_cstr(&code), ACCESS_CODE_LEN))
			rc = error_set_code(err, ERROR_INVALID, "code_invalid",
			    "code", "An access code is 6 digits.");
		snprintf(p->code, sizeof p->code, "%s", buf_cstr(&code));
		f->code = p->code;
	}
	buf_free(&code);
	if (rc != 0)
		return rc;
	if (given(q->phone)) {
		if (phone_normalize(q->phone, p->phone, sizeof p->phone, err) !=
		    0)
			return -1;
		f->phone = p->phone;
	}
	if (given(q->q))
		prepare_text(q->q, p);
	if (given(q->after) && given(q->before))
		return error_set_code(err, ERROR_INVALID, "cursor_invalid",
		    "after", "Give after or before, not both.");
	if (given(q->after) || given(q->before)) {
		f->backward = given(q->before);
		if (cursor_parse(f->backward ? q->before : q->after,
		        &f->cursor_start, &f->cursor_id) != 0)
			return error_set_code(err, ERROR_INVALID,
			    "cursor_invalid", f->backward ? "before" : "after",
			    "Not a page of the register.");
	}
	return 0;
}

bool
register_fits(const struct booking *b, const struct slot_window *w, size_t n)
{
	int opens = otime_minute_of_day(b->start);
	int closes = opens + (int)((b->end - b->start + 59) / 60);
	size_t i;

	if (!booking_status_live(b->status))
		return true;
	for (i = 0; i < n; i++)
		if (w[i].desk_id == b->desk_id && opens >= w[i].opens &&
		    closes <= w[i].closes)
			return true;
	return false;
}

/* the opening windows of the days a page shows, read once per service
 * and day */
struct hours_cache {
	struct {
		struct service service;
		struct date day;
		struct slot_window *windows;
		size_t n;
	} * items;
	size_t n;
};

static void
hours_cache_free(struct hours_cache *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		free(h->items[i].windows);
	free(h->items);
}

static int
row_fits(struct store *s, struct hours_cache *h, const struct booking *b,
    bool *fits, struct error *err)
{
	struct date day = date_of(b->start);
	size_t i;
	void *grown;

	if (!booking_status_live(b->status)) {
		*fits = true;
		return 0;
	}
	for (i = 0; i < h->n; i++)
		if (h->items[i].service.id == b->service_id &&
		    date_compare(h->items[i].day, day) == 0)
			break;
	if (i == h->n) {
		if ((grown = realloc(
		         h->items, (h->n + 1) * sizeof *h->items)) == NULL)
			abort();
		h->items = grown;
		memset(&h->items[i], 0, sizeof h->items[i]);
		h->items[i].day = day;
		if (store_service_get(
		        s, b->service_id, &h->items[i].service, err) != 0 ||
		    booking_day_windows(s, &h->items[i].service, day,
		        &h->items[i].windows, &h->items[i].n, err) != 0)
			return -1;
		h->n++;
	}
	/* a retired service serves nobody, whatever its hours said */
	*fits = h->items[i].service.active &&
	        register_fits(b, h->items[i].windows, h->items[i].n);
	if (!*fits)
		return store_booking_kept(s, b->id, b->start, fits, err);
	return 0;
}

int
register_booking_fits(
    struct store *s, const struct booking *b, bool *fits, struct error *err)
{
	struct hours_cache h = {NULL, 0};
	int rc = row_fits(s, &h, b, fits, err);

	hours_cache_free(&h);
	return rc;
}

/* keep: a row into the page (in the order they come) */
static void
keep(
    struct register_page *page, size_t *cap, const struct booking *b, bool fits)
{
	if (page->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		if ((page->rows = realloc(
		         page->rows, *cap * sizeof *page->rows)) == NULL)
			abort();
	}
	page->rows[page->n].booking = *b;
	page->rows[page->n].fits = fits;
	page->n++;
}

/*
 * A page is read in batches from the cursor in the direction of travel:
 * one batch of limit + 1 rows (the extra row says there is more) when
 * every filter is the store's; with the schedule filter, batches of
 * REGISTER_BATCH until the page has limit + 1 rows, the bookings run out,
 * or REGISTER_SCAN_MAX were read (then "ahead" goes on from the last row
 * read, not the last row shown).
 */
#define REGISTER_BATCH 200

int
register_search(struct store *s, const struct register_query *q,
    struct register_page *page, struct error *err)
{
	struct prepared p;
	struct hours_cache hours = {NULL, 0};
	struct booking last_read;
	char ahead[REGISTER_CURSOR_LEN] = "", behind[REGISTER_CURSOR_LEN] = "";
	size_t cap = 0, scanned = 0;
	bool filter = q->schedule >= 0, backward, stopped = false;
	int rc = -1;

	memset(page, 0, sizeof *page);
	memset(&p, 0, sizeof p);
	memset(&last_read, 0, sizeof last_read);
	if (prepare(q, &p, err) != 0)
		goto out;
	backward = p.f.backward;
	if (store_read_begin(s, err) != 0)
		goto out;
	for (;;) {
		struct booking *batch = NULL;
		size_t n, i;
		bool full;

		p.f.limit = filter ? REGISTER_BATCH : p.limit + 1;
		if (store_register_search(s, &p.f, &batch, &n, err) != 0) {
			store_read_end(s);
			goto out;
		}
		full = n == p.f.limit;
		for (i = 0; i < n && page->n <= p.limit; i++) {
			/* the store gives time order; travel may be backward */
			const struct booking *b =
			    &batch[backward ? n - 1 - i : i];
			bool fits;

			last_read = *b;
			scanned++;
			if (row_fits(s, &hours, b, &fits, err) != 0) {
				free(batch);
				store_read_end(s);
				goto out;
			}
			if (!filter || fits == (q->schedule == 1))
				keep(page, &cap, b, fits);
		}
		free(batch);
		if (page->n > p.limit || !full)
			break;
		if (scanned >= REGISTER_SCAN_MAX) {
			stopped = true;
			break;
		}
		p.f.cursor_start = last_read.start;
		p.f.cursor_id = last_read.id;
	}
	store_read_end(s);
	if (page->n > p.limit) {
		page->n = p.limit;
		cursor_format(&page->rows[page->n - 1].booking, ahead);
	} else if (stopped) {
		page->scan_stopped = true;
		cursor_format(&last_read, ahead);
	}
	if ((given(q->after) || given(q->before)) && page->n > 0)
		cursor_format(&page->rows[0].booking, behind);
	snprintf(
	    page->next, sizeof page->next, "%s", backward ? behind : ahead);
	snprintf(
	    page->prev, sizeof page->prev, "%s", backward ? ahead : behind);
	/* kept in the direction of travel: shown in time order */
	if (backward)
		for (size_t i = 0; i < page->n / 2; i++) {
			struct register_row t = page->rows[i];

			page->rows[i] = page->rows[page->n - 1 - i];
			page->rows[page->n - 1 - i] = t;
		}
	rc = 0;
out:
	hours_cache_free(&hours);
	prepared_free(&p);
	if (rc != 0) {
		free(page->rows);
		memset(page, 0, sizeof *page);
	}
	return rc;
}

void
register_page_free(struct register_page *page)
{
	free(page->rows);
	page->rows = NULL;
	page->n = 0;
}
