/*
 * retention.c: the daily erasure of citizens' personal data (retention.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "log.h"
#include "retention.h"

#define DAY_SECONDS 86400

time_t
retention_cutoff(const struct config *c, time_t now)
{
	return now - (time_t)c->privacy_retain_days * DAY_SECONDS;
}

bool
retention_due(const struct config *c, time_t now, const char *last_day)
{
	char today[DATE_LEN], yesterday[DATE_LEN];
	struct date d = date_of(now);
	int at = 0;

	date_format(d, today);
	date_format(date_add_days(d, -1), yesterday);
	if (strcmp(last_day, today) >= 0)
		return false;
	/* a day missed altogether (the daemon was down at purge_at): now */
	if (last_day[0] == '\0' || strcmp(last_day, yesterday) < 0)
		return true;
	(void)otime_parse_hhmm(c->privacy_purge_at, &at);
	return otime_minute_of_day(now) >= at;
}

/* remove_old: regular files older than cutoff in dir (not below it) */
static int
remove_old(const char *dir, time_t cutoff, unsigned *removed, struct error *err)
{
	struct dirent *de;
	DIR *d;
	int fd;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) <
	    0) {
		if (errno == ENOENT)
			return 0; /* nothing was ever written there */
		return error_set(err, ERROR_IO, "%s: %s", dir, strerror(errno));
	}
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return error_set(err, ERROR_IO, "%s: %s", dir, strerror(errno));
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(st.st_mode) || st.st_mtime >= cutoff)
			continue;
		if (unlinkat(fd, de->d_name, 0) == 0)
			(*removed)++;
		else if (errno != ENOENT)
			log_warn("retention: cannot remove a file in %s: %s",
			    dir, strerror(errno));
	}
	closedir(d);
	return 0;
}

int
retention_files(
    const struct config *c, time_t cutoff, unsigned *removed, struct error *err)
{
	char dir[4200];

	*removed = 0;
	if (strcmp(c->mail_transport, "maildir") == 0) {
		snprintf(dir, sizeof dir, "%s/outbox/new", c->mail_maildir);
		if (remove_old(dir, cutoff, removed, err) != 0)
			return -1;
		snprintf(dir, sizeof dir, "%s/outbox/cur", c->mail_maildir);
		if (remove_old(dir, cutoff, removed, err) != 0)
			return -1;
	}
	if (strcmp(c->mail_inbound, "maildir") == 0) {
		snprintf(dir, sizeof dir, "%s/inbound/cur", c->mail_maildir);
		if (remove_old(dir, cutoff, removed, err) != 0)
			return -1;
	}
	if (strcmp(c->sms_provider, "spool") == 0 &&
	    remove_old(c->sms_spool, cutoff, removed, err) != 0)
		return -1;
	return 0;
}

bool
retention_compact_pending(struct store *s)
{
	char value[8];

	return store_kv_get(
	           s, "privacy.compact_pending", value, sizeof value) == 0 &&
	       strcmp(value, "1") == 0;
}

int
retention_compact(struct store *s, struct error *err)
{
	bool pending = retention_compact_pending(s);
	struct error ignored;

	if (store_compact(s, err) == 0) {
		error_clear(&ignored);
		/* the flag's page is clean data: written after the rebuild */
		if (pending && store_kv_set(s, "privacy.compact_pending", "0",
		                   &ignored) != 0)
			log_warn("retention: %s", ignored.msg);
		return 0;
	}
	error_clear(&ignored);
	if (!pending &&
	    store_kv_set(s, "privacy.compact_pending", "1", &ignored) != 0)
		log_warn("retention: %s", ignored.msg);
	return -1;
}

int
retention_purge(struct store *s, const struct config *c,
    const struct actor *actor, time_t now, struct retention_report *r,
    struct error *err)
{
	const struct purge_counts *e = &r->erased;
	time_t cutoff = retention_cutoff(c, now);
	char day[DATE_LEN], detail[160];
	struct error werr;

	memset(r, 0, sizeof *r);
	date_format(date_of(now), day);
	if (store_begin(s, err) != 0)
		return -1;
	/* a waitlist's line is over with its day: its entries go once that
	 * day is before the cutoff's */
	if (store_purge_before(s, cutoff, now, &r->erased, err) != 0 ||
	    store_waitlist_purge_before(
	        s, date_of(cutoff), now, &r->erased.waitlist, err) != 0)
		goto fail;
	snprintf(detail, sizeof detail,
	    "retain_days=%u bookings=%u outbox=%u inbox=%u events=%u"
	    " sessions=%u waitlist=%u",
	    c->privacy_retain_days, e->bookings, e->outbox, e->inbox, e->events,
	    e->sessions, e->waitlist);
	/* the daemon's daily run is audited when it erased something; a
	 * person at the command line always */
	if ((actor->channel == VIA_CLI || e->bookings + e->outbox + e->inbox +
	                                          e->events + e->sessions +
	                                          e->waitlist >
	                                      0) &&
	    audit_record(s, actor, "privacy.purge", 0, NULL, NULL, detail, now,
	        err) != 0)
		goto fail;
	if (store_kv_set(s, "privacy.last_purge", day, err) != 0)
		goto fail;
	snprintf(detail, sizeof detail, "%lld %u", (long long)now, e->bookings);
	if (store_kv_set(s, "privacy.last_purge_at", detail, err) != 0 ||
	    store_commit(s, err) != 0)
		goto fail;
	error_clear(&werr);
	r->compacted = true;
	if (e->bookings + e->outbox + e->inbox + e->events + e->sessions +
	            e->waitlist >
	        0 ||
	    retention_compact_pending(s)) {
		r->compacted = retention_compact(s, &werr) == 0;
		if (!r->compacted)
			log_info("retention: the rebuild waits: %s", werr.msg);
	}
	return retention_files(c, cutoff, &r->files, err);
fail:
	store_rollback(s);
	return -1;
}
