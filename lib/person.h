/*
 * person.h: one citizen's data on request (RODO/GDPR art. 15 access, art.
 * 17 erasure): everything wizyta holds about the person with an e-mail
 * address or a phone number — their bookings with their history, the
 * messages sent to them and the replies they sent, tied to a booking or
 * not, and an SMS opt-out — exported as one JSON document, or erased.
 *
 * Both are audited (person.export, person.erase) with the counts, never
 * the contact itself: the audit log outlives the data.
 *
 * Erasure leaves what retention leaves (store_purge_contact): the reports'
 * counts. It refuses while the person has a live booking (pending, booked,
 * or at the desk today): cancel it first, so the citizen is told and the
 * place is freed, then erase.
 *
 * Operators are people too: an operator account whose own contact (the
 * e-mail or phone for test messages) is this one is in the export
 * ("operator_accounts": login, name, role, state, contact), and erasure
 * refuses while one holds it (ERROR_CONFLICT "operator_account", the
 * logins named) rather than change a staff account or leave it silently:
 * clearing the contact (account_contact_set; wizyta operator contact
 * LOGIN --clear) comes first. The account itself, its name and its audit
 * trail stay: who did what in the office is kept by law, not consent.
 */
#ifndef WIZYTA_PERSON_H
#define WIZYTA_PERSON_H

#include <time.h>

#include <jansson.h>

#include "actor.h"
#include "error.h"
#include "retention.h"
#include "store.h"

struct person_contact {
	char email[256];       /* as stored ("" when the contact is a phone) */
	char email_ascii[256]; /* as the outbox addresses it (A-label) */
	char phone[20];        /* E.164, or "" */
};

/* person_contact_parse: an e-mail address (it has an '@') or a phone
 * number in any usual spelling; ERROR_INVALID (code contact_invalid)
 * otherwise. */
int person_contact_parse(
    const char *text, struct person_contact *, struct error *);

/* person_export: the JSON document (caller owns *out), audited as actor.
 * A person wizyta knows nothing about gets a document with empty lists. */
int person_export(struct store *, const struct person_contact *,
    const struct actor *, time_t now, json_t **out, struct error *);

/* person_erase: erase everything of the person at once, audited as actor,
 * then rebuild the files (retention_compact: r->compacted false when that
 * has to wait for wizytad); *found gets how many bookings they had.
 * ERROR_CONFLICT (code live_bookings, the references in the message) while
 * one is live; ERROR_CONFLICT (code operator_account) while an operator
 * account holds the contact. */
int person_erase(struct store *, const struct person_contact *,
    const struct actor *, time_t now, struct retention_report *r,
    unsigned *found, struct error *);

#endif
