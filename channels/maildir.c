/*
 * maildir.c: Maildir delivery. A file appears in new/ only complete and
 * on disk (written in tmp/, fsync'd, renamed, directory fsync'd), so a
 * reader never sees half a message and a crash never leaves one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "maildir.h"

static int
mkdir_parents(const char *path, struct error *err)
{
	char tmp[4096];
	char *p;

	if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
		return error_set(err, ERROR_INVALID, "path too long: %s", path);
	for (p = tmp + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
			return error_set(err, ERROR_IO, "mkdir %s: %s", tmp, strerror(errno));
		*p = '/';
	}
	if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
		return error_set(err, ERROR_IO, "mkdir %s: %s", tmp, strerror(errno));
	return 0;
}

int
maildir_create(const char *dir, struct error *err)
{
	static const char *const subdirs[] = { "tmp", "new", "cur" };
	char path[4096];
	size_t i;

	if (mkdir_parents(dir, err) != 0)
		return -1;
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, subdirs[i]);
		if (mkdir(path, 0700) != 0 && errno != EEXIST)
			return error_set(err, ERROR_IO, "mkdir %s: %s", path, strerror(errno));
	}
	return 0;
}

static int
fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int
maildir_deliver(const char *dir, const char *data, size_t len, char *name,
    size_t name_size, struct error *err)
{
	static unsigned counter;
	char host[64], tmp[4096], final[4096], newdir[4096];
	struct timeval tv;
	size_t off = 0;
	int fd;

	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "localhost");
	host[sizeof host - 1] = '\0';
	for (char *p = host; *p != '\0'; p++)
		if (*p == '/' || *p == ':')
			*p = '_';
	gettimeofday(&tv, NULL);
	snprintf(name, name_size, "%lld.M%ldP%ldQ%u.%s", (long long)tv.tv_sec,
	    (long)tv.tv_usec, (long)getpid(),
	    __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED), host);
	snprintf(tmp, sizeof tmp, "%s/tmp/%s", dir, name);
	snprintf(final, sizeof final, "%s/new/%s", dir, name);
	snprintf(newdir, sizeof newdir, "%s/new", dir);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0)
		return error_set(err, ERROR_TEMPORARY, "maildir %s: %s", tmp, strerror(errno));
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			error_set(err, ERROR_TEMPORARY, "maildir write: %s", strerror(errno));
			goto fail;
		}
		off += (size_t)w;
	}
	if (fsync(fd) != 0) {
		error_set(err, ERROR_TEMPORARY, "maildir fsync: %s", strerror(errno));
		goto fail;
	}
	close(fd);
	if (rename(tmp, final) != 0) {
		error_set(err, ERROR_TEMPORARY, "maildir rename: %s", strerror(errno));
		unlink(tmp);
		return -1;
	}
	fsync_dir(newdir);
	return 0;
fail:
	close(fd);
	unlink(tmp);
	return -1;
}
