/*
 * fold.h: names as staff type them into a search box. "Łukasz" and
 * "lukasz", "Żółć" and "zolc" are the same name to a clerk on the phone:
 * text_fold lower-cases and takes the diacritics off Latin letters
 * (Latin-1 and Latin Extended-A: Polish, German, Czech, …), so the store
 * keeps a folded copy of each name and a prefix search is one index range.
 * Other characters (Cyrillic, Greek, …) are kept as they are.
 */
#ifndef WIZYTA_FOLD_H
#define WIZYTA_FOLD_H

#include <stddef.h>

#include "buf.h"

/* text_fold: s folded into out (appended); invalid UTF-8 is skipped. */
void text_fold(const char *s, struct buf *out);

/* text_fold_prefix_end: the least string greater than every string that
 * starts with prefix (prefix + U+10FFFF): a prefix search is
 * prefix <= x < end in the store's binary order. */
void text_fold_prefix_end(const char *prefix, struct buf *out);

#endif
