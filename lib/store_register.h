/*
 * store_register.h: what both backends' register searches share
 * (store_sqlite_register.c, store_pg_register.c): which filter drives the
 * walk, and the statement's values in their order. Only lib/store_*.c
 * include this.
 *
 * A search is one of nine statements per backend (enum reg_drive), each
 * walking the index of its driving filter; every statement takes the same
 * REG_VALUES values, ?1..?25 in SQLite and $1..$25 in PostgreSQL:
 *	1, 2	the time range [from, to) (the cursor narrows it)
 *	3 status, 4 service, 5 desk, 6 source
 *	7, 8	first-name prefix and its end; 9, 10 surname; 11, 12 e-mail
 *	13 phone, 14 code, 15 reference
 *	16, 17	the free text's word and its end; 18, 19 its second word
 *	20, 21, 22 the free text as a reference, a code, a phone
 *	23, 24	the keyset cursor (start, id); 25 the page's size
 * A filter not given is NULL; a prefix's end is text_fold_prefix_end's.
 */
#ifndef WIZYTA_STORE_REGISTER_H
#define WIZYTA_STORE_REGISTER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "store.h"

enum reg_drive {
	DRIVE_REFERENCE,
	DRIVE_CODE,
	DRIVE_PHONE,
	DRIVE_EMAIL,
	DRIVE_LAST,
	DRIVE_FIRST,
	DRIVE_TEXT,
	DRIVE_STATUS,
	DRIVE_TIME,
	DRIVE_COUNT
};

#define REG_VALUES 25
#define REG_ENDS 5

/* one value: the layout of sq_arg and of pq_arg's first members */
struct reg_value {
	char type; /* 'i' integer, 's' text, 'n' NULL */
	int64_t i;
	const char *s;
};

/* register_drive: the filter whose index the search walks (the most
 * selective given; lib/register.c says why in which order) */
enum reg_drive register_drive(const struct register_filter *);
/* register_values: the statement's values; the prefix ends live in ends
 * (free them with register_ends_free after the statement ran) */
void register_values(const struct register_filter *, struct buf ends[REG_ENDS],
    struct reg_value v[REG_VALUES]);
void register_ends_free(struct buf ends[REG_ENDS]);
/* register_reverse: a backward page, read newest first, in time order */
void register_reverse(struct booking *, size_t n);

#endif
