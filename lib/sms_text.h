/*
 * sms_text.h: what an SMS text costs. GSM 03.38 7-bit alphabet (with its
 * extension table counting two septets) gives 160 characters in one
 * segment, 153 per segment when concatenated; anything else is UCS-2:
 * 70, or 67 per segment (characters outside the BMP count two units).
 */
#ifndef WIZYTA_SMS_TEXT_H
#define WIZYTA_SMS_TEXT_H

#include <stddef.h>

enum sms_encoding { SMS_GSM7, SMS_UCS2 };

struct sms_measure {
	enum sms_encoding encoding;
	size_t units;		/* septets (GSM-7) or UTF-16 code units (UCS-2) */
	unsigned segments;
};

/* sms_measure: utf8 must be valid UTF-8 (invalid bytes count as UCS-2). */
void sms_measure(const char *utf8, struct sms_measure *out);
/* sms_transliterate: Polish letters to GSM-7 friendly ASCII (ą→a, ł→l,
 * Ż→Z, „”→"…); a new string the caller frees. */
char *sms_transliterate(const char *utf8);

#endif
