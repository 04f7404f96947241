/*
 * plural.h: Polish plural forms (1 minuta, 2 minuty, 5 minut, 22 minuty,
 * 12 minut) and English ones, for every text that counts something.
 */
#ifndef WIZYTA_PLURAL_H
#define WIZYTA_PLURAL_H

/* plural_pl: one for 1; few for 2-4 except 12-14 (mod 100); else many. */
const char *plural_pl(long n, const char *one, const char *few, const char *many);
/* plural_duration: "30 minut", "2 godziny", "1 dzień" / "30 minutes" … in
 * the largest unit that divides seconds exactly. buf of 48 bytes. */
const char *plural_duration(long long seconds, const char *language, char *out,
    unsigned long size);

#endif
