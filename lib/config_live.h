/*
 * config_live.h: the configuration in force in a running daemon — the
 * file's (re-read on SIGHUP) with the database's settings over it
 * (settings.h) — as immutable snapshots that threads hold.
 *
 * A thread takes the newest snapshot at a point where it holds no
 * configuration pointer (the top of a worker's loop, the start of a web
 * request): config_live_refresh(). It keeps it until its next refresh, so
 * a snapshot is never freed under a reader, and a thread that ends gives
 * its snapshot back by itself. Publishing never waits for readers.
 *
 * Who publishes: whoever sees the settings generation move (the web's
 * notifier on the store's change token, wizytad's loop when data_version
 * moves, a request that just saved settings) calls config_live_sync(); on
 * SIGHUP the main thread calls config_live_reload_file().
 *
 * Nothing here is required: without config_live_start() (the CLI, tests,
 * the fuzz target) refresh answers NULL and callers keep the config they
 * were given.
 */
#ifndef WIZYTA_CONFIG_LIVE_H
#define WIZYTA_CONFIG_LIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "store.h"

/* config_live_start: the file's configuration (copied) is the first
 * snapshot; the database's settings come with the first sync */
void config_live_start(const struct config *file);
/* config_live_stop: free everything (at exit, after the threads) */
void config_live_stop(void);

/* config_live_refresh: this thread now holds the newest snapshot; it stays
 * valid until this thread's next refresh. NULL when not started. */
const struct config *config_live_refresh(void);

/* config_live_sync: read the settings generation; when it moved since the
 * last snapshot (or force), read the settings and publish. 1 when a new
 * snapshot was published, 0 when nothing moved, -1 on a store error. */
int config_live_sync(struct store *, bool force, struct error *);

/* config_live_file: a copy of the file part in force (the caller frees):
 * the defaults an admin's reset puts back; NULL when not started */
struct config *config_live_file(void);

/* config_live_reload_file: SIGHUP. Read the file again: keys that may
 * change at run time (config_live_key) are applied and a snapshot
 * published; keys that need a restart keep their running values, and one
 * line names them; a file that does not read logs one line and changes
 * nothing. program names the daemon in the log lines. 0 applied, -1 not. */
int config_live_reload_file(const char *program);

#endif
