/*
 * email.c: checking and normalising e-mail addresses (see email.h).
 *
 * Local part: RFC 5322 3.2.3 dot-atom (atext runs joined by single dots),
 * at most 64 octets (RFC 5321 4.5.3.1.1). Domain: converted to A-labels by
 * libidn2 (IDNA2008, UTS #46 non-transitional mapping, NFC input), then
 * checked as an RFC 1035 host name: labels of 1-63 letters, digits and
 * hyphens, not starting or ending with a hyphen, at least two labels, a
 * top-level label that is not all digits, 253 octets in all.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <idn2.h>

#include "email.h"
#include "utf8.h"

#define LOCAL_MAX 64
#define DOMAIN_MAX 253
#define LABEL_MAX 63

static int
invalid(struct error *err, const char *why)
{
	return error_set_code(err, ERROR_INVALID, "email_invalid", "email",
	    "Invalid e-mail address: %s.", why);
}

static bool
atext(unsigned char c)
{
	return isalnum(c) ||
	       (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

static int
check_local(const char *local, size_t n, struct error *err)
{
	size_t i;

	if (n == 0)
		return invalid(err, "nothing before the @");
	if (n > LOCAL_MAX)
		return invalid(err, "more than 64 characters before the @");
	if (local[0] == '"')
		return invalid(err, "quoted local parts are not accepted");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)local[i];

		if (c >= 0x80)
			return error_set_code(err, ERROR_INVALID,
			    "email_local_not_ascii", "email",
			    "Addresses with non-ASCII letters before the @ "
			    "cannot"
			    " be delivered by this office's mail system: "
			    "please give"
			    " another address.");
		if (c == '.') {
			if (i == 0 || i == n - 1 || local[i - 1] == '.')
				return invalid(err,
				    "a dot at the start or end of the"
				    " name, or two dots in a row");
			continue;
		}
		if (!atext(c))
			return invalid(err,
			    "a character that is not allowed before the @");
	}
	return 0;
}

/* domain_ascii: the domain in A-labels, lower case, checked. */
static int
domain_ascii(
    const char *domain, size_t n, char *out, size_t size, struct error *err)
{
	char text[DOMAIN_MAX * 4 + 1], *ascii = NULL;
	const char *label;
	size_t i, len;
	bool digits_only = true;
	int labels = 0;

	if (n == 0)
		return invalid(err, "nothing after the @");
	if (domain[0] == '[')
		return invalid(
		    err, "an address literal instead of a domain name");
	if (n >= sizeof text)
		return invalid(err, "the domain is too long");
	memcpy(text, domain, n);
	text[n] = '\0';
	if (!utf8_text_valid(text, n))
		return invalid(err, "the domain is not valid UTF-8");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c < 0x80 && !isalnum(c) && c != '-' && c != '.')
			return invalid(err,
			    "a character that is not allowed in a"
			    " domain name");
		if (c == '.' && (i == 0 || i == n - 1 || text[i - 1] == '.'))
			return invalid(err,
			    "a dot at the start or end of the domain,"
			    " or two dots in a row");
	}
	if (idn2_to_ascii_8z(
	        text, &ascii, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL) != IDN2_OK)
		return invalid(err,
		    "the domain is not a valid (internationalised)"
		    " domain name");
	len = strlen(ascii);
	if (len > DOMAIN_MAX || len >= size) {
		idn2_free(ascii);
		return invalid(err, "the domain is too long");
	}
	for (i = 0; i <= len; i++)
		out[i] = (char)tolower((unsigned char)ascii[i]);
	idn2_free(ascii);
	/* host-name rules on what goes on the wire */
	for (label = out; label != NULL; labels++) {
		const char *dot = strchr(label, '.');
		size_t l = dot != NULL ? (size_t)(dot - label) : strlen(label);

		if (l == 0 || l > LABEL_MAX || label[0] == '-' ||
		    label[l - 1] == '-')
			return invalid(err,
			    "a part of the domain is empty, too long,"
			    " or starts or ends with a hyphen");
		digits_only = true;
		for (i = 0; i < l; i++) {
			if (!isalnum((unsigned char)label[i]) &&
			    label[i] != '-')
				return invalid(err,
				    "a character that is not allowed in"
				    " a domain name");
			if (!isdigit((unsigned char)label[i]))
				digits_only = false;
		}
		label = dot != NULL ? dot + 1 : NULL;
	}
	if (labels < 2)
		return invalid(err, "the domain needs a dot, as in example.pl");
	if (digits_only)
		return invalid(err, "the domain ends in a number");
	return 0;
}

/* split: trim blanks, find the last '@' */
static int
split(const char *input, const char **local, size_t *nlocal,
    const char **domain, size_t *ndomain, struct error *err)
{
	const char *start = input, *end, *at = NULL, *p;

	if (input == NULL)
		return invalid(err, "it is empty");
	while (*start == ' ' || *start == '\t')
		start++;
	end = start + strlen(start);
	while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end == start)
		return invalid(err, "it is empty");
	for (p = start; p < end; p++)
		if (*p == '@')
			at = p;
	if (at == NULL)
		return invalid(err, "there is no @");
	*local = start;
	*nlocal = (size_t)(at - start);
	*domain = at + 1;
	*ndomain = (size_t)(end - at - 1);
	return 0;
}

/* both forms at once; either output may be NULL */
static int
email_forms(const char *input, char *stored, size_t stored_size, char *wire,
    size_t wire_size, struct error *err)
{
	const char *local = NULL, *domain = NULL;
	size_t nlocal = 0, ndomain = 0;
	char ascii[DOMAIN_MAX + 1], *unicode = NULL;

	if (split(input, &local, &nlocal, &domain, &ndomain, err) != 0 ||
	    check_local(local, nlocal, err) != 0 ||
	    domain_ascii(domain, ndomain, ascii, sizeof ascii, err) != 0)
		return -1;
	if (nlocal + 1 + strlen(ascii) > EMAIL_MAX)
		return invalid(err, "more than 254 characters");
	if (wire != NULL && (size_t)snprintf(wire, wire_size, "%.*s@%s",
	                        (int)nlocal, local, ascii) >= wire_size)
		return invalid(err, "it is too long");
	if (stored == NULL)
		return 0;
	if (idn2_to_unicode_8z8z(ascii, &unicode, 0) != IDN2_OK)
		return invalid(err,
		    "the domain is not a valid (internationalised)"
		    " domain name");
	if ((size_t)snprintf(stored, stored_size, "%.*s@%s", (int)nlocal, local,
	        unicode) >= stored_size) {
		idn2_free(unicode);
		return invalid(err, "it is too long");
	}
	idn2_free(unicode);
	return 0;
}

int
email_normalize(const char *input, char *out, size_t size, struct error *err)
{
	if (size > 0)
		out[0] = '\0';
	if (email_forms(input, out, size, NULL, 0, err) != 0) {
		if (size > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}

int
email_ascii(const char *address, char *out, size_t size, struct error *err)
{
	if (size > 0)
		out[0] = '\0';
	if (email_forms(address, NULL, 0, out, size, err) != 0) {
		if (size > 0)
			out[0] = '\0';
		return -1;
	}
	return 0;
}

int
email_same(const char *a, const char *b)
{
	char x[EMAIL_MAX * 2], y[EMAIL_MAX * 2];
	size_t nx, ny, i;
	unsigned diff;

	if (email_ascii(a, x, sizeof x, NULL) != 0 ||
	    email_ascii(b, y, sizeof y, NULL) != 0)
		return 0;
	/* constant time over the longer one: an answer about a booking's
	 * contact must not tell how much of a guess was right */
	nx = strlen(x);
	ny = strlen(y);
	diff = nx != ny;
	for (i = 0; i < (nx > ny ? nx : ny); i++)
		diff |= (unsigned)(tolower((unsigned char)(i < nx ? x[i] : 0)) ^
		                   tolower((unsigned char)(i < ny ? y[i] : 0)));
	return diff == 0;
}
