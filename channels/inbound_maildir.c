/*
 * inbound_maildir.c: replies from <maildir>/inbound (the embedded default
 * and what the dev-mailbox page writes into). A file in new/ is handed to
 * the sink and, once stored, renamed into cur/ with the Seen flag (":2,S").
 * Files are never deleted. A file larger than mail.max_size is handed over
 * truncated at that size, so one huge message cannot exhaust memory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "inbound.h"
#include "maildir.h"

struct inbound_maildir_state {
	char dir[4096];
	size_t max_size;
};

static int
inbound_maildir_open(struct inbound *in, const struct config *c, struct error *err)
{
	struct inbound_maildir_state *st;

	if ((st = calloc(1, sizeof *st)) == NULL)
		abort();
	snprintf(st->dir, sizeof st->dir, "%s/inbound", c->mail_maildir);
	st->max_size = (size_t)c->mail_max_size;
	if (maildir_create(st->dir, err) != 0) {
		free(st);
		return -1;
	}
	in->state = st;
	return 0;
}

static int
read_capped(const char *path, size_t cap, struct buf *out)
{
	char chunk[8192];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return -1;
	while (out->len < cap) {
		size_t want = cap - out->len < sizeof chunk ? cap - out->len : sizeof chunk;
		ssize_t got = read(fd, chunk, want);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			close(fd);
			return -1;
		}
		if (got == 0)
			break;
		buf_append(out, chunk, (size_t)got);
	}
	close(fd);
	return 0;
}

/* scan_once: hand every file in new/ over; how many were handled. */
static int
scan_once(struct inbound_maildir_state *st, const struct inbound_sink *sink,
    unsigned *handled, struct error *err)
{
	char newdir[4200];
	struct dirent *de;
	DIR *d;

	*handled = 0;
	snprintf(newdir, sizeof newdir, "%s/new", st->dir);
	if ((d = opendir(newdir)) == NULL)
		return error_set(err, ERROR_IO, "maildir %s: %s", newdir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		char path[8400], seen[8400];
		struct inbound_message msg;
		struct buf raw = BUF_INIT;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", newdir, de->d_name);
		if (read_capped(path, st->max_size, &raw) != 0) {
			buf_free(&raw);
			continue;	/* vanished or unreadable: not ours to judge */
		}
		msg.raw = buf_cstr(&raw);
		msg.len = raw.len;
		msg.source = "maildir";
		msg.source_id = de->d_name;
		if (sink->store(sink->ctx, &msg, err) != 0) {
			buf_free(&raw);
			closedir(d);
			return -1;	/* stays in new/: handed over again later */
		}
		buf_free(&raw);
		snprintf(seen, sizeof seen, "%s/cur/%s%s", st->dir, de->d_name,
		    strchr(de->d_name, ':') ? "" : ":2,S");
		if (rename(path, seen) != 0 && errno != ENOENT) {
			closedir(d);
			return error_set(err, ERROR_IO, "maildir rename: %s", strerror(errno));
		}
		(*handled)++;
	}
	closedir(d);
	return 0;
}

static int
inbound_maildir_poll(struct inbound *in, const struct inbound_sink *sink,
    int timeout_ms, struct error *err)
{
	struct inbound_maildir_state *st = in->state;
	int waited = 0;

	for (;;) {
		unsigned handled;

		if (scan_once(st, sink, &handled, err) != 0)
			return -1;
		if (handled > 0 || waited >= timeout_ms)
			return 0;
		/* a directory scan every 100 ms is cheap and has no moving parts */
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		waited += 100;
	}
}

static void
inbound_maildir_close(struct inbound *in)
{
	free(in->state);
}

const struct inbound_ops inbound_maildir_ops = {
	.name = "maildir",
	.open = inbound_maildir_open,
	.poll = inbound_maildir_poll,
	.close = inbound_maildir_close,
};
