/*
 * pages_book.h: what the booking pages share with the ticket pages.
 */
#ifndef WIZYTA_WEB_PAGES_BOOK_H
#define WIZYTA_WEB_PAGES_BOOK_H

#include <jansson.h>
#include <stdbool.h>

#include "http.h"
#include "store.h"

/* service_label: the service's name in the request's language. */
const char *service_label(struct request *, const struct service *);
/* times_of_day: the distinct free start times of a service on a day, as
 * [{"start", "time"}] (any desk); NULL on a database error. */
json_t *times_of_day(struct request *, struct store *, int64_t service_id,
    struct date day, time_t except_start);
/* page_person_errors: every problem of a form's person at once (names,
 * e-mail, phone, what booking_request_errors refuses, the consent), one
 * text per field name; contact_key and consent_key name the catalog's
 * words for a missing contact and a missing consent. */
struct booking_request;
json_t *page_person_errors(struct request *, const struct booking_request *,
    const char *contact_key, const char *consent_key);
/* page_public_service: the service id_text names, if citizens may book it
 * (active, not staff-only) and the store *s it was read from; false with
 * the answer filled (404, or the database's 503). */
bool page_public_service(struct request *, struct response *, struct store **s,
    const char *id_text, struct service *);
/* page_db_error: the "try again later" page. */
void page_db_error(struct request *, struct response *, const struct error *);

#endif
