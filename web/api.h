/*
 * api.h: what every JSON API file shares (api.c defines them): the
 * database or a 503, a domain error as its status and JSON body, the body
 * parsed as a JSON object, typed members, a booking's public JSON.
 *
 * Error statuses: ERROR_INVALID 422, ERROR_NOT_FOUND 404 (422 when it names
 * a field), ERROR_CONFLICT 409, ERROR_LIMIT 409, ERROR_FORBIDDEN 403, else
 * 500 (logged). The "error" member is the error's code when it has one.
 */
#ifndef WIZYTA_WEB_API_H
#define WIZYTA_WEB_API_H

#include <stdbool.h>

#include <jansson.h>

#include "http.h"

struct booking;

/* api_store: this thread's database, or NULL after answering 503. */
struct store *api_store(struct request *, struct response *);
/* api_error: answer a domain error. */
void api_error(struct response *, const struct error *);
/* api_body_json: the body as a JSON object (caller decrefs), or NULL after
 * answering 400. */
json_t *api_body_json(struct request *, struct response *);
/* api_member_string: an optional string member (NULL when absent or null);
 * false after answering 422 when it has another type. */
bool api_member_string(
    json_t *obj, const char *name, const char **out, struct response *);
/* api_member_id: an optional id member (0 when absent or null); false
 * after answering 422 when it is not a positive integer. */
bool api_member_id(
    json_t *obj, const char *name, int64_t *out, struct response *);
/* api_contact_body: the body's required "contact" (the e-mail or phone a
 * citizen proves a booking or a waitlist entry with), or NULL after
 * answering 400 or 422; *body (NULL on 400) is the caller's to decref. */
const char *api_contact_body(
    struct request *, struct response *, json_t **body);
/* api_booking_json: reference, status, start, end, desk[, service] — never
 * personal data. */
json_t *api_booking_json(const struct booking *, bool with_service);
/* api_staff_booking_json: as staff see it at the desk: that and desk_id,
 * service_id, access_code, first_name, last_name, note (api_staff.c) */
json_t *api_staff_booking_json(const struct booking *);
/* api_desk_get: one desk; ERROR_NOT_FOUND "unknown_desk" (pages_desk.c) */
struct desk;
int api_desk_get(struct store *, int64_t id, struct desk *, struct error *);

#endif
