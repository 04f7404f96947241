/*
 * board.h: the day's queue as the live pages show it — the public boards
 * (code, time, status, desk: never a name, e-mail or phone), the desk
 * panel's rows, what changed between two readings, and the estimated wait
 * per service.
 *
 * Pure functions over the day's bookings (store_bookings_search) and the
 * citizens' "running late" marks (store_day_marks): wizyta-web's notifier
 * reads the day after every change of the store, keeps the last snapshot
 * and sends the rows that differ; GET /api/v1/board answers the visible
 * rows of the same snapshot.
 *
 * A snapshot is a JSON object: booking id → row. Public snapshots hold
 * every booking of the day that has an access code, whatever its status,
 * so that a visit leaving the board (done, no-show, cancelled) is a
 * changed row whose status says so; board_visible() says which rows a
 * board shows (booked, waiting, called, in service). A row that left the
 * day altogether (moved to another day) is sent once with status "gone".
 */
#ifndef WIZYTA_BOARD_H
#define WIZYTA_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "store.h"

/* board_visible: a board shows it (a code and a status of the queue) */
bool board_visible(const struct booking *);
/* board_status_visible: the same by status name ("booked", "waiting",
 * "called", "in_service") */
bool board_status_visible(const char *status);

/* board_public_row: {"code", "time" (HH:MM), "status", "label" (Polish),
 * "label_en", "desk", "desk_id", "room", "service_id", "called_at"
 * (HH:MM:SS or "")} */
json_t *board_public_row(const struct booking *);
/* board_staff_row: what the desk panel needs to know changed: {"reference",
 * "code", "status", "start", "desk_id", "called_at", "late_at",
 * "delay_notified" (minutes a delay notice gave the citizen, lib/delay.h)}
 * — no name (the panel reads those from its page) */
json_t *board_staff_row(const struct booking *, time_t late_at);

/* board_snapshot: id → row of the day's bookings (public: those with an
 * access code; staff: all); marks are the day's "reply_late" marks sorted
 * by booking id (staff rows only). */
json_t *board_snapshot(const struct booking *, size_t n,
    const struct booking_mark *marks, size_t nmarks, bool staff);
/* board_rows: a public snapshot's visible rows in time order, optionally
 * only one desk's (desk_id > 0) or one room's (room non-NULL). */
json_t *board_rows(json_t *snapshot, int64_t desk_id, const char *room);
/* board_diff: the rows of now that differ from before, then the rows of
 * before missing from now with status "gone" (an array, maybe empty). */
json_t *board_diff(json_t *before, json_t *now);
/* board_row_matches: a row is about that desk (desk_id > 0) or room */
bool board_row_matches(json_t *row, int64_t desk_id, const char *room);

/* board_waits: per service on today's boards: [{"service_id", "service",
 * "service_en", "waiting", "minutes", "measured"}]: minutes a newcomer
 * waits = people waiting × average service time / desks serving it; the
 * average is of today's finished visits (start → end), else the slot's
 * length ("measured": false); desks are those that called or served it
 * today, at least one. */
json_t *board_waits(const struct booking *, size_t n);

#endif
