/*
 * holiday.c: Polish public holidays (Dz.U. 1951 nr 4 poz. 28 as amended):
 * fixed dates, Easter Sunday and Monday, Pentecost (Easter + 49), Corpus
 * Christi (Easter + 60), and Wigilia (24 December) from 2025 on.
 */
#include <stddef.h>

#include "holiday.h"

struct date
holiday_easter(int year)
{
	/* Meeus/Jones/Butcher Gregorian algorithm. */
	int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3;
	int h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	struct date easter;

	easter.year = year;
	easter.month = (h + l - 7 * m + 114) / 31;
	easter.day = (h + l - 7 * m + 114) % 31 + 1;
	return easter;
}

static const struct {
	int month, day, since;
	const char *name;
} holiday_fixed[] = {
	{ 1, 1, 0, "Nowy Rok" },
	{ 1, 6, 2011, "Święto Trzech Króli" },
	{ 5, 1, 0, "Święto Pracy" },
	{ 5, 3, 0, "Święto Konstytucji 3 Maja" },
	{ 8, 15, 0, "Wniebowzięcie Najświętszej Maryi Panny" },
	{ 11, 1, 0, "Wszystkich Świętych" },
	{ 11, 11, 0, "Narodowe Święto Niepodległości" },
	{ 12, 24, 2025, "Wigilia Bożego Narodzenia" },
	{ 12, 25, 0, "Boże Narodzenie (pierwszy dzień)" },
	{ 12, 26, 0, "Boże Narodzenie (drugi dzień)" },
};

static const struct {
	int offset;
	const char *name;
} holiday_moveable[] = {
	{ 0, "Wielkanoc" },
	{ 1, "Poniedziałek Wielkanocny" },
	{ 49, "Zielone Świątki" },
	{ 60, "Boże Ciało" },
};

bool
holiday_pl(struct date d, const char **name)
{
	struct date easter;
	long days;
	size_t i;

	for (i = 0; i < sizeof holiday_fixed / sizeof holiday_fixed[0]; i++)
		if (holiday_fixed[i].month == d.month && holiday_fixed[i].day == d.day &&
		    d.year >= holiday_fixed[i].since) {
			if (name != NULL)
				*name = holiday_fixed[i].name;
			return true;
		}
	easter = holiday_easter(d.year);
	days = date_to_days(d) - date_to_days(easter);
	for (i = 0; i < sizeof holiday_moveable / sizeof holiday_moveable[0]; i++)
		if (days == holiday_moveable[i].offset) {
			if (name != NULL)
				*name = holiday_moveable[i].name;
			return true;
		}
	return false;
}
