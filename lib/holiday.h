/*
 * holiday.h: Polish statutory public holidays (ustawa o dniach wolnych od
 * pracy), including the Easter-based ones and Wigilia (24 Dec) from 2025.
 */
#ifndef WIZYTA_HOLIDAY_H
#define WIZYTA_HOLIDAY_H

#include <stdbool.h>

#include "office_time.h"

/* holiday_pl: true on a public holiday; *name (Polish) when not NULL. */
bool holiday_pl(struct date, const char **name);
/* holiday_easter: Easter Sunday of a year (Gregorian, anonymous algorithm). */
struct date holiday_easter(int year);

#endif
