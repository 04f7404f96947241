/*
 * reply_reference.c: finding a booking reference written in a subject or
 * in the citizen's words ("Re: [K7Q2M9AB3C] Potwierdź wizytę", "TAK
 * K7Q2M9AB3C").
 *
 * References are 10 characters of ABCDEFGHJKLMNPQRSTUVWXYZ23456789
 * (lib/token.c); older or hand-typed ones may be 6–12 of [A-Z0-9]. A token
 * counts when it stands alone (not inside a word, an address or a URL),
 * is 6–12 characters of [A-Za-z0-9] and holds both a digit and a letter —
 * the letter rule keeps phone numbers, dates and the 6-digit access code
 * out. A 10-letter token without digits counts only in brackets
 * ("[KMNPQRSTUV]"): "REZERWACJA" is also ten letters of the alphabet.
 * When several tokens qualify, one made of the reference alphabet and of
 * the standard length wins, else the first.
 */
#include <ctype.h>
#include <string.h>

#include "reply_internal.h"

static const char reference_alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

static int
token_score(const char *t, size_t n, bool bracketed)
{
	bool digit = false, letter = false, alphabet = true, upper = true;
	size_t i;

	if (n < 6 || n > 12)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];

		if (isdigit(c))
			digit = true;
		else {
			letter = true;
			if (!isupper(c))
				upper = false;
		}
		if (strchr(reference_alphabet, toupper(c)) == NULL)
			alphabet = false;
	}
	if (digit && letter)
		return n == 10 && alphabet ? 3 : 1;
	if (!digit && letter && upper && bracketed && n == 10 && alphabet)
		return 2;
	return 0;
}

bool
reply_find_reference(const char *text, size_t len, char out[16])
{
	size_t i = 0, start, n, k;
	int score, best = 0;
	bool bracketed;

	out[0] = '\0';
	while (i < len) {
		if (!isalnum((unsigned char)text[i])) {
			i++;
			continue;
		}
		start = i;
		while (i < len && isalnum((unsigned char)text[i]))
			i++;
		n = i - start;
		/* inside a word with letters beyond ASCII ("Zażółć12ab"), an
		 * address, a URL or a file name: not a reference */
		if (start > 0 &&
		    (strchr("@./+=_-%&", text[start - 1]) != NULL ||
		        (unsigned char)text[start - 1] >= 0x80))
			continue;
		if (i < len &&
		    (text[i] == '@' || text[i] == '_' ||
		        (unsigned char)text[i] >= 0x80 ||
		        ((text[i] == '.' || text[i] == '/' || text[i] == '-') &&
		            i + 1 < len &&
		            isalnum((unsigned char)text[i + 1]))))
			continue;
		bracketed = start > 0 && i < len && text[start - 1] == '[' &&
		            text[i] == ']';
		score = token_score(text + start, n, bracketed);
		if (score > best) {
			best = score;
			for (k = 0; k < n; k++)
				out[k] = (char)toupper(
				    (unsigned char)text[start + k]);
			out[n] = '\0';
			if (best == 3)
				break;
		}
	}
	return best > 0;
}
