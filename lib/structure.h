/*
 * structure.h: the office's structure as admins edit it — organisational
 * units (komórki organizacyjne), the services each offers with their own
 * rules, rooms, and desks with the services each serves.
 *
 * Each call is one transaction with its audit rows (before → after, one
 * row per changed field); only admins may (ERROR_FORBIDDEN otherwise).
 * Nothing with history is deleted: units, services, rooms and desks
 * retire. A change that can take opening hours away (a service or desk
 * retired, a desk no longer serving a service) runs through
 * calendar_change() and never strands a booking silently (calendar.h).
 *
 * Checks give every problem of a form at once (struct error_list); the
 * calls answer the first. Codes (field): required, too_long, text_invalid,
 * out_of_range, name_taken, unknown_unit, unit_retired, unknown_room,
 * room_retired, unknown_desk, unknown_service, unit_has_services,
 * room_has_desks.
 */
#ifndef WIZYTA_STRUCTURE_H
#define WIZYTA_STRUCTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "actor.h"
#include "calendar.h"
#include "config.h"
#include "error.h"
#include "store.h"

/* limits of a service's own rules */
#define SERVICE_DURATION_MAX 480 /* minutes */
#define SERVICE_CAPACITY_MAX 100 /* people per slot */
#define SERVICE_MAX_OPEN_MAX 100 /* open bookings per person */
#define SERVICE_LEAD_TIME_MAX (30 * 86400)
#define SERVICE_HORIZON_MIN 3600
#define SERVICE_HORIZON_MAX (730 * 86400)
#define SERVICE_CONFIRM_MIN 60
#define SERVICE_CONFIRM_MAX (7 * 86400)
#define DESK_CAPACITY_MAX 100

/* the fields a change carries */
enum service_field {
	SERVICE_UNIT = 1 << 0,
	SERVICE_NAME = 1 << 1,
	SERVICE_NAME_EN = 1 << 2,
	SERVICE_DESCRIPTION = 1 << 3, /* what to bring (required documents) */
	SERVICE_DESCRIPTION_EN = 1 << 4,
	SERVICE_DURATION = 1 << 5,
	SERVICE_CAPACITY = 1 << 6,
	SERVICE_MAX_OPEN = 1 << 7,
	SERVICE_LEAD_TIME = 1 << 8,
	SERVICE_HORIZON = 1 << 9,
	SERVICE_CONFIRM_WITHIN = 1 << 10,
	SERVICE_STAFF_ONLY = 1 << 11,
	SERVICE_ACTIVE = 1 << 12,
	SERVICE_WAITLIST = 1 << 13, /* a full day has a waitlist */
};

struct service_patch {
	unsigned set; /* enum service_field bits */
	struct service v;
};

/* service_field_name: the API's name of a field ("duration_minutes") */
const char *service_field_name(enum service_field);

enum desk_field {
	DESK_ROOM = 1 << 0,
	DESK_NAME = 1 << 1,
	DESK_CAPACITY = 1 << 2,
	DESK_RETIRED = 1 << 3,
	DESK_SERVICES = 1 << 4,
};

#define DESK_SERVICES_MAX 64

struct desk_patch {
	unsigned set; /* enum desk_field bits */
	struct desk v;
	int64_t services[DESK_SERVICES_MAX];
	size_t nservices;
};

/* structure_service_check: a whole service's fields into list */
void structure_service_check(const struct service *, struct error_list *);
/* structure_service_defaults: a new service: 15 minutes, the office's
 * rules, active, for citizens */
void structure_service_defaults(struct service *);
int structure_service_add(struct store *, const struct service *,
    const struct actor *, time_t now, int64_t *id, struct error *);
/* structure_service_update: the patch's fields; retiring runs through
 * calendar_change (req, res: calendar.h) */
int structure_service_update(struct store *, const struct config *, int64_t id,
    const struct service_patch *, const struct calendar_request *,
    const struct actor *, time_t now, struct service *out,
    struct calendar_result *, struct error *);

/* units (komórki organizacyjne) and rooms: a name and whether retired */
enum named_kind { NAMED_UNIT, NAMED_ROOM };
struct named {
	int64_t id;
	char name[128];
	bool retired;
};

/* structure_named_list: retired last, by name (malloc'd) */
int structure_named_list(
    struct store *, enum named_kind, struct named **, size_t *, struct error *);
int structure_named_get(struct store *, enum named_kind, int64_t id,
    struct named *, struct error *);
int structure_named_add(struct store *, enum named_kind, const char *name,
    const struct actor *, time_t now, int64_t *id, struct error *);
/* name NULL: kept; retired -1: kept. A unit offering active services
 * (unit_has_services) or a room holding desks in service (room_has_desks)
 * does not retire. */
int structure_named_update(struct store *, enum named_kind, int64_t id,
    const char *name, int retired, const struct actor *, time_t now,
    struct named *out, struct error *);

void structure_desk_check(const struct desk *, struct error_list *);
int structure_desk_add(struct store *, const struct desk_patch *,
    const struct actor *, time_t now, int64_t *id, struct error *);
int structure_desk_update(struct store *, const struct config *, int64_t id,
    const struct desk_patch *, const struct calendar_request *,
    const struct actor *, time_t now, struct desk *out,
    struct calendar_result *, struct error *);

#endif
