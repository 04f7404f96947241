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
 *
 * Where SMS may go (phone_sms_allowed) is a second question: see
 * refused_prefixes below.
 */
#include <ctype.h>
#include <string.h>

#include "phone.h"

#define PHONE_MAX_DIGITS 15
#define PHONE_MIN_DIGITS 8
#define PHONE_PL_NATIONAL 9

/*
 * Number ranges an SMS must never go to, as E.164 digits without '+'.
 * International (ITU-T E.164 assignments): 800 freephone, 808 shared cost,
 * 870-874 Inmarsat, 878 personal numbering, 881 global mobile satellite
 * (Iridium, Globalstar, Thuraya), 882/883 international networks, 888 UN
 * OCHA, 979 international premium rate, 991 trial services. Poland (UKE
 * numbering plan): 70x premium rate, 80x freephone and shared cost. Then
 * the premium-rate and shared-cost ranges of the other countries the
 * default sms.countries allows, from their national numbering plans. None
 * of these is a mobile phone that could read our message; all of them are
 * how toll fraud earns money.
 */
static const char *const refused_prefixes[] = {
    "800", "808", "870", "871", "872", "873", "874", "878", "881", "882", "883",
    "888", "979", "991", "4870", "4880", "449", "4470", "44871", "44872",
    "44873",                                               /* UK */
    "49900", "49137", "49118", "49180", "49700",           /* DE */
    "43900", "43901", "43930", "43931", "43939",           /* AT */
    "338",                                                 /* FR */
    "3989",                                                /* IT */
    "34803", "34806", "34807", "34905",                    /* ES */
    "42090", "42190",                                      /* CZ, SK */
    "3690", "3691", "4090", "35990", "38506", "38690",     /* HU RO BG HR SI */
    "3090", "35160", "31900", "31906", "31909", "3290",    /* GR PT NL BE */
    "37090", "37190", "37290", "35315",                    /* LT LV EE IE */
    "46900", "46939", "46944", "4590", "358600", "358700", /* SE DK FI */
    "4782", "41900", "41901", "41906", "35790",            /* NO CH CY */
};

static int
phone_invalid(char *out, size_t out_size, struct error *err)
{
	if (out_size > 0)
		out[0] = '\0';
	return error_set_code(err, ERROR_INVALID, "phone_invalid", "phone",
	    "Invalid phone number: give 9 digits, e.g. 600 700 800, or a number"
	    " with its country code, e.g. +48 600 700 800.");
}

int
phone_sms_allowed(const char *e164, const char *countries, struct error *err)
{
	const char *digits = e164[0] == '+' ? e164 + 1 : e164, *p;
	size_t i;

	for (i = 0; i < sizeof refused_prefixes / sizeof refused_prefixes[0];
	     i++)
		if (strncmp(digits, refused_prefixes[i],
		        strlen(refused_prefixes[i])) == 0)
			return error_set_code(err, ERROR_INVALID,
			    "phone_premium", "phone",
			    "This number is a premium-rate, special-rate or"
			    " satellite number: we cannot send SMS to it. Give "
			    "a mobile"
			    " number or an e-mail address.");
	if (countries == NULL || strcmp(countries, "any") == 0)
		return 0;
	/* calling codes are a prefix code (ITU-T E.164): no code is the start
	 * of another, so "starts with" is the whole test */
	for (p = countries; *p != '\0';) {
		size_t n;

		while (*p == ' ')
			p++;
		n = strspn(p, "0123456789");
		if (n > 0 && strncmp(digits, p, n) == 0)
			return 0;
		p += n > 0 ? n : strlen(p);
	}
	return error_set_code(err, ERROR_INVALID, "phone_country", "phone",
	    "This office does not send SMS to numbers in that country. Give an"
	    " e-mail address (or a Polish mobile number).");
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
