/*
 * metrics.h: what an office's monitoring scrapes — the Prometheus text
 * exposition format (version 0.0.4) of wizyta-web's /metrics and
 * wizytad's (on [gateway] listen), and the /healthz answers.
 *
 * Two kinds of numbers:
 *  - counters this process keeps in memory (atomics, no lock: any thread
 *    may count): HTTP answers by status and their latency histogram
 *    (wizyta-web), delivery outcomes per channel (wizytad). They start at
 *    zero with the process, as Prometheus expects of counters;
 *  - figures read from the database at scrape time, the same whichever
 *    process is asked: bookings by status, the outbox backlog and the age
 *    of its oldest queued message per channel, messages by channel and
 *    status, replies by channel and verdict, each channel's health as
 *    wizytad last saw it, the last purge of personal data.
 * No label ever carries personal data: labels are statuses, channels,
 * verdicts and codes.
 *
 * Who may read them (metrics_allowed): with [metrics] token set, a request
 * with "Authorization: Bearer TOKEN"; without, only a client on this
 * machine that came straight to the listener (not through a proxy).
 */
#ifndef WIZYTA_METRICS_H
#define WIZYTA_METRICS_H

#include <stdbool.h>
#include <time.h>

#include "buf.h"
#include "config.h"
#include "error.h"
#include "store.h"

#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* counting (any thread) */
void metrics_http_observe(unsigned status, double seconds);
/* outcome: "sent", "retry", "failed", "dead", "delivered", "undelivered",
 * "suppressed"; channel "email" or "sms" (others are not counted) */
void metrics_delivery(const char *channel, const char *outcome);

/* writing: each appends its families to out */
void metrics_write_http(struct buf *out);
void metrics_write_deliveries(struct buf *out);
/* metrics_write_store: the database's figures at now */
int metrics_write_store(const struct config *, struct store *, time_t now,
    struct buf *out, struct error *);
/* one gauge family with one unlabelled sample */
void metrics_write_gauge(
    struct buf *out, const char *name, const char *help, double value);

/* metrics_allowed: may this request read /metrics and /healthz? client is
 * the address the listener believes (after trusted proxies), forwarded
 * whether the request carried forwarding headers, authorization its
 * Authorization header or NULL. */
bool metrics_allowed(const struct config *, const char *client, bool forwarded,
    const char *authorization);

/* metrics_health: /healthz as JSON into out: the database reachable and
 * writable (a real write, as WHO), room on its file system (less than
 * METRICS_DISK_MIN free fails: the next bigger write would), and the
 * channels' health from wizytad's last report; the HTTP status to answer
 * (200, or 503 when the database fails). disk_free_bytes is null, and
 * /metrics has no wizyta_database_disk_free_bytes sample, when the disk
 * cannot be known (PostgreSQL). */
#define METRICS_DISK_MIN (1024 * 1024)
unsigned metrics_health(const struct config *, struct store *, const char *who,
    time_t now, struct buf *out);
/* metrics_disk_free: bytes free for unprivileged writers on the file system
 * of the database ([database] path), or -1 when it cannot be known (on
 * PostgreSQL: the server's disk is the server's to watch) */
long long metrics_disk_free(const struct config *);

#endif
