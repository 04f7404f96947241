/*
 * store_sqlite_ops.c: what an office's IT does to the database file as a
 * whole: a backup while the daemons run, and cutting the write-ahead log
 * after an erasure (store.h).
 *
 * After an erasure, VACUUM rebuilds every page from the rows as they are,
 * then the write-ahead log is copied into the file and cut to zero bytes:
 * neither file keeps a stale copy of what was erased (secure_delete zeroes
 * most of it as it goes, VACUUM is the guarantee).
 *
 * The backup is SQLite's online backup API in one step (-1: every page at
 * once), which reads inside one read transaction: in WAL mode that is one
 * snapshot, writers are never blocked, and the copy is exactly the
 * database as of the moment the step began — every transaction committed
 * before it is in the copy, none that committed during it. (Copying a few
 * pages per step would restart whenever another process writes.) The copy
 * is written beside the destination, switched to a rollback journal so it
 * is one self-contained file, checked with integrity_check, fsync'ed and
 * only then renamed to its name: a crash leaves no half backup under it.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_sqlite_internal.h"

int
sqlite_wal_truncate(struct store *s, struct error *err)
{
	int rc, frames = 0, done = 0;

	rc = sqlite3_wal_checkpoint_v2(sqlite_of(s)->db, "main",
	    SQLITE_CHECKPOINT_TRUNCATE, &frames, &done);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return error_set_code(err, ERROR_CONFLICT, "busy", NULL,
		    "the write-ahead log is still read by another connection");
	if (rc != SQLITE_OK)
		return store_fail(s, err, "wal checkpoint");
	return 0;
}

int
sqlite_compact(struct store *s, struct error *err)
{
	char *msg = NULL;
	int rc;

	if (sqlite_of(s)->in_transaction)
		return error_set(
		    err, ERROR_INTERNAL, "compact in a transaction");
	rc = sqlite3_exec(sqlite_of(s)->db, "VACUUM", NULL, NULL, &msg);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		sqlite3_free(msg);
		return error_set_code(err, ERROR_CONFLICT, "busy", NULL,
		    "the database is busy: VACUUM waits for another time");
	}
	if (rc != SQLITE_OK) {
		error_set(err, ERROR_IO, "VACUUM: %s", msg ? msg : "failed");
		sqlite3_free(msg);
		return -1;
	}
	return sqlite_wal_truncate(s, err);
}

/* fsync_path: flush a file or a directory to the disk */
static int
fsync_path(const char *path, int flags, struct error *err)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0 || fsync(fd) != 0) {
		error_set(err, ERROR_IO, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* copy_into: the whole database of s into the empty database file tmp */
static int
copy_into(struct store *s, const char *tmp, long *pages, long *page_size,
    struct error *err)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		error_set(err, ERROR_IO, "%s: %s", tmp,
		    dst ? sqlite3_errmsg(dst) : "cannot open");
		sqlite3_close(dst);
		return -1;
	}
	sqlite3_busy_timeout(dst, 10000);
	if ((b = sqlite3_backup_init(dst, "main", sqlite_of(s)->db, "main")) ==
	    NULL) {
		error_set(err, ERROR_IO, "backup: %s", sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return -1;
	}
	/* a busy source (a checkpoint holding its lock) passes: try again */
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY ||
	       rc == SQLITE_LOCKED)
		sqlite3_sleep(50);
	*pages = sqlite3_backup_pagecount(b);
	if (sqlite3_backup_finish(b) != SQLITE_OK || rc != SQLITE_DONE) {
		error_set(err, ERROR_IO, "backup: %s", sqlite3_errstr(rc));
		sqlite3_close(dst);
		return -1;
	}
	/* the pages say "WAL": make the copy one file again, then check it */
	if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) !=
	        SQLITE_OK ||
	    sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &st, NULL) !=
	        SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		error_set(
		    err, ERROR_IO, "backup check: %s", sqlite3_errmsg(dst));
		sqlite3_finalize(st);
		sqlite3_close(dst);
		return -1;
	}
	if (strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
		error_set(err, ERROR_IO, "backup check: %s",
		    (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
		sqlite3_close(dst);
		return -1;
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(dst, "PRAGMA page_size", -1, &st, NULL) ==
	        SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		*page_size = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (sqlite3_close(dst) != SQLITE_OK)
		return error_set(err, ERROR_IO, "%s: cannot close", tmp);
	return 0;
}

int
sqlite_backup(struct store *s, const char *dest, long *pages, long *page_size,
    struct error *err)
{
	char tmp[4200], journal[4220], dir[4200];
	struct stat sb;
	int fd;

	*pages = *page_size = 0;
	if (dest[0] == '\0')
		return error_set(err, ERROR_INVALID, "no destination");
	if (lstat(dest, &sb) == 0)
		return error_set_code(err, ERROR_CONFLICT, "exists", NULL,
		    "%s exists: a backup never overwrites a file", dest);
	snprintf(tmp, sizeof tmp, "%s.tmp-%ld", dest, (long)getpid());
	snprintf(journal, sizeof journal, "%s-journal", tmp);
	/* 0600 whatever the umask: the copy holds everything the database
	 * holds, personal data and password hashes included */
	fd = open(
	    tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return error_set(err, ERROR_IO, "%s: cannot create: %s", tmp,
		    strerror(errno));
	if (fchmod(fd, 0600) != 0) {
		error_set(err, ERROR_IO, "%s: chmod: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	close(fd);
	if (copy_into(s, tmp, pages, page_size, err) != 0 ||
	    fsync_path(tmp, O_RDONLY, err) != 0)
		goto fail;
	/* link, not rename: a file that appeared at dest meanwhile is kept;
	 * a file system without hard links (vfat) gets a rename */
	if (link(tmp, dest) == 0)
		unlink(tmp);
	else if ((errno != EPERM && errno != ENOTSUP) ||
	         lstat(dest, &sb) == 0 || rename(tmp, dest) != 0) {
		error_set(err, errno == EEXIST ? ERROR_CONFLICT : ERROR_IO,
		    "%s: %s", dest, strerror(errno));
		goto fail;
	}
	snprintf(dir, sizeof dir, "%s", dest);
	return fsync_path(dirname(dir), O_RDONLY | O_DIRECTORY, err);
fail:
	unlink(tmp);
	unlink(journal);
	return -1;
}
