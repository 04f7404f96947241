/*
 * retention.h: how long wizyta keeps a citizen's personal data (RODO/GDPR
 * art. 5(1)(e), storage limitation). [privacy] retain_days after a visit —
 * or after its cancellation or expiry — the citizen's name, e-mail
 * address, phone number, the staff note, the messages sent to them and the
 * replies they sent are erased from the database (store_purge_before says
 * exactly where), and from the files wizyta wrote for them (the maildir
 * transport's and inbound mail, the SMS spool). What reports count stays:
 * a purged day's report is the same before and after.
 *
 * Gone from the files too: the store zeroes what it overwrites or frees
 * (secure_delete), and after an erasure the database is rebuilt (VACUUM:
 * no stale bytes in any page's free space) and its write-ahead log copied
 * in and cut to zero bytes, so neither file holds the old bytes; backups
 * made afterwards copy clean pages. When another connection still reads
 * an old snapshot the rebuild waits: kv "privacy.compact_pending" says so
 * and wizytad tries again every minute. (Backups made before keep what
 * they held: rotate them within the same period — wizyta(1).)
 *
 * wizytad runs the purge daily at [privacy] purge_at office time (and at
 * start when a day was missed); `wizyta purge` runs it at once. Both write
 * one audit row ("privacy.purge") with the counts, never the data.
 */
#ifndef WIZYTA_RETENTION_H
#define WIZYTA_RETENTION_H

#include <stdbool.h>
#include <time.h>

#include "actor.h"
#include "config.h"
#include "error.h"
#include "office_time.h"
#include "store.h"

struct retention_report {
	struct purge_counts erased;
	unsigned files; /* mail and SMS files removed */
	bool compacted; /* the files hold no erased byte any more (false: the
	                   rebuild is pending, wizytad retries) */
};

/* retention_cutoff: data of visits that ended before this goes */
time_t retention_cutoff(const struct config *, time_t now);

/* retention_purge: erase what is due at now (one transaction, audited as
 * actor), retention_compact when anything was erased (or a rebuild is
 * pending), remove due files. Records the day in kv "privacy.last_purge"
 * for retention_due and `wizyta status`. */
int retention_purge(struct store *, const struct config *, const struct actor *,
    time_t now, struct retention_report *, struct error *);

/* retention_due: whether the daily purge should run at now: purge_at has
 * passed on the office's day and the last purge (kv "privacy.last_purge",
 * "" = never) was on an earlier day. */
bool retention_due(const struct config *, time_t now, const char *last_day);

/* retention_compact: store_compact after an erasure; when it cannot run
 * now, kv "privacy.compact_pending" = "1" (retention_compact_pending),
 * cleared once it ran. 0 when the files are clean. */
int retention_compact(struct store *, struct error *);
/* retention_compact_pending: whether an erasure still waits for its
 * rebuild (wizytad looks every minute) */
bool retention_compact_pending(struct store *);

/* retention_files: remove regular files older than cutoff (mtime) that
 * wizyta wrote for citizens: <maildir>/outbox/{new,cur} (transport =
 * maildir), <maildir>/inbound/cur (inbound = maildir), the SMS spool
 * (provider = spool). *removed counts them. */
int retention_files(
    const struct config *, time_t cutoff, unsigned *removed, struct error *);

#endif
