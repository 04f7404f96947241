/*
 * pages_register.h: what the register's files share — *Rejestr
 * rezerwacji* (pages_register.c: the list, its row actions and its API),
 * one booking with its conversation (pages_register_booking.c), and
 * booking on a citizen's behalf or moving a visit, both of which pick a
 * free time (pages_register_slot.c).
 */
#ifndef WIZYTA_WEB_PAGES_REGISTER_H
#define WIZYTA_WEB_PAGES_REGISTER_H

#include <stdbool.h>

#include <jansson.h>

#include "http.h"
#include "register.h"

/* register_query_read: the register's filters from the query string (the
 * page's form and GET /api/v1/staff/bookings take the same names: date,
 * from, to, status, q, first_name, last_name, code, email, phone,
 * service_id, desk_id, source, schedule=yes|no, limit, after, before);
 * false with *bad naming a parameter that is not what it should be. */
bool register_query_read(
    struct request *, struct register_query *, const char **bad);

/* register_booking_json: a booking as the register shows it to API
 * clients: CONTRACT's fields (reference, status, start, desk, desk_id,
 * service, service_id, first_name, last_name, email, phone, access_code,
 * note) and end, source, created_at, move {answer, at} (or null),
 * schedule_ok (or absent when not known) */
json_t *register_booking_json(const struct booking *, int schedule_ok);

/* register_back: where a register action returns to: the form's "back"
 * when it is a register page of this site, else fallback */
const char *register_back(struct request *, const char *fallback);

/* register_path_booking: the booking the path's reference names (the
 * request's first capture), or false after answering (404 page, 503) */
bool register_path_booking(
    struct request *, struct response *, struct store **, struct booking *);

/* register_redirect: 303 to back with done=WHAT or err=CODE appended */
void register_redirect(struct response *, const char *back, const char *done,
    const struct error *);

/* register_flash: ?done= and ?err= of a register page into ctx (done,
 * error: the catalog's reg_done_WHAT and err_CODE) */
void register_flash(struct request *, json_t *ctx);

/* the status's word for staff ("Rezerwacja", "Oczekujący", …) */
const char *register_status_label(struct request *, enum booking_status);

/* "08.12.2026" and "10:30" */
void register_day_text(time_t, char out[16]);
void register_time_text(time_t, char out[8]);

#endif
