/*
 * events.h: the live pages' Server-Sent Events (GET /board/events for the
 * public boards, GET /staff/desk/events for the desk panels) and the one
 * notifier thread that feeds them.
 *
 * The notifier waits on the store's change token (store_changes_wait: one
 * connection polls it, never one per screen), reads the day, and sends
 * the rows that changed to every open stream. Streams cost no thread:
 * between events their connections sleep (http_stream_pause) and the
 * notifier wakes them. Every event has an id; a client that reconnects
 * with Last-Event-ID gets the events it missed, or the whole board again
 * when they are no longer kept (or wizyta-web restarted meanwhile).
 *
 * The same token moves when an admin changes the settings: the notifier
 * then publishes the new configuration snapshot (config_live_sync), so a
 * change made in any process applies here within a fraction of a second.
 */
#ifndef WIZYTA_WEB_EVENTS_H
#define WIZYTA_WEB_EVENTS_H

#include "http.h"

/* events_start: read the day once and start the notifier; -1 with why. */
int events_start(const struct web *, struct error *);
/* events_stop: stop the notifier and end every stream (SIGTERM: before
 * http_stop, which waits for the connections to finish). */
void events_stop(void);
/* events_free: after http_stop: no stream is left. */
void events_free(void);
/* events_streams_open: live screens connected now (web/metrics.c) */
unsigned events_streams_open(void);

extern const struct route events_routes[];

#endif
