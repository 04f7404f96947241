/*
 * phone.c: citizens' phone numbers to E.164 ("+48600700800").
 *
 * What a citizen types is forgiving: blanks, dashes, dots, slashes and
 * parentheses are dropped; a number without a country prefix is Polish
 * (exactly 9 national digits, with or without a leading "48"); "+" or "00"
 * starts an international number, whose digits (country code included)
 * must number 8 to 15 (ITU-T E.164 allows at most 15). Letters and anything
 * else are refused, never guessed.
 *
 * Invariant: on success out holds "+" and 8-15 digits, the first not '0';
 * on failure out is "" and err names the field "phone".
 */
#include <ctype.h>
#include <string.h>

#include "phone.h"

#define PHONE_MAX_DIGITS 15
#define PHONE_MIN_DIGITS 8
#define PHONE_PL_NATIONAL 9

static int
phone_invalid(char *out, size_t out_size, struct error *err)
{
	if (out_size > 0)
		out[0] = '\0';
	return error_set_field(err, ERROR_INVALID, "phone",
	    "Nieprawidłowy numer telefonu. Podaj 9 cyfr, np. 600 700 800, "
	    "albo numer z kierunkowym kraju, np. +48 600 700 800.");
}

int
phone_normalize(
    const char *input, char *out, size_t out_size, struct error *err)
{
	char digits[PHONE_MAX_DIGITS + 3];
	size_t n = 0, len, i;
	int plus = 0, seen = 0;
	const char *d;

	if (input == NULL)
		return phone_invalid(out, out_size, err);
	for (i = 0; input[i] != '\0'; i++) {
		unsigned char c = (unsigned char)input[i];

		if (isdigit(c)) {
			if (n >= sizeof digits - 1)
				return phone_invalid(out, out_size, err);
			digits[n++] = (char)c;
			seen = 1;
		} else if (c == '+') {
			/* only before the first digit, and only once */
			if (seen || plus)
				return phone_invalid(out, out_size, err);
			plus = 1;
		} else if (c == ' ' || c == '\t' || c == '-' || c == '.' ||
		           c == '/' || c == '(' || c == ')')
			continue;
		else
			return phone_invalid(out, out_size, err);
	}
	digits[n] = '\0';
	d = digits;
	len = n;

	if (!plus && len >= 2 && d[0] == '0' && d[1] == '0') {
		plus = 1; /* "0048 …": international access prefix */
		d += 2;
		len -= 2;
	}
	if (!plus) {
		if (len == PHONE_PL_NATIONAL && d[0] != '0') {
			/* national number */
		} else if (len == PHONE_PL_NATIONAL + 2 && d[0] == '4' &&
		           d[1] == '8') {
			d += 2;
			len -= 2;
		} else
			return phone_invalid(out, out_size, err);
		if (d[0] == '0')
			return phone_invalid(out, out_size, err);
		if (out_size < PHONE_PL_NATIONAL + 4)
			return phone_invalid(out, out_size, err);
		out[0] = '+';
		out[1] = '4';
		out[2] = '8';
		memcpy(out + 3, d, len + 1);
		return 0;
	}
	if (len < PHONE_MIN_DIGITS || len > PHONE_MAX_DIGITS || d[0] == '0')
		return phone_invalid(out, out_size, err);
	if (d[0] == '4' && d[1] == '8' &&
	    (len != PHONE_PL_NATIONAL + 2 || d[2] == '0'))
		return phone_invalid(out, out_size, err);
	if (out_size < len + 2)
		return phone_invalid(out, out_size, err);
	out[0] = '+';
	memcpy(out + 1, d, len + 1);
	return 0;
}
