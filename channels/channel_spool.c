/*
 * channel_spool.c: the embedded SMS "provider": every SMS becomes one file
 * in [sms] spool, which the demo and the web's dev mailbox show. Nothing
 * leaves the machine.
 *
 * File format (UTF-8):
 *   To: +48600700800
 *   From: URZAD
 *   Id: 42
 *   Encoding: gsm7 | ucs2
 *   Segments: 1
 *   <blank line>
 *   <text, transliterated when [sms] transliterate = yes>
 *
 * Invariant: a reader never sees a half-written file. Each SMS is written
 * to ".tmp.<name>", fsync'ed, renamed to "<name>" = "<unix time>.<outbox
 * id>.<pid>" (unique: one outbox id is sent by one process at a time,
 * plus a counter for repeats within one second), and the directory is
 * fsync'ed, so SEND_OK means the file survives a crash. Readers skip
 * names starting with '.'.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "channel.h"
#include "log.h"
#include "sms_curl.h"
#include "sms_text.h"

struct spool {
	char *dir;
	unsigned counter;
};

static int
spool_open(struct channel *ch, const struct config *c, struct error *err)
{
	struct spool *s;
	struct stat st;

	if (c->sms_spool == NULL || c->sms_spool[0] == '\0')
		return error_set(
		    err, ERROR_INVALID, "%s: [sms] spool is empty", c->path);
	if (mkdir(c->sms_spool, 0700) != 0 && errno != EEXIST)
		return error_set(err, ERROR_IO, "%s: [sms] spool %s: %s",
		    c->path, c->sms_spool, strerror(errno));
	if (stat(c->sms_spool, &st) != 0 || !S_ISDIR(st.st_mode))
		return error_set(err, ERROR_IO,
		    "%s: [sms] spool %s: not a directory", c->path,
		    c->sms_spool);
	if ((s = calloc(1, sizeof *s)) == NULL ||
	    (s->dir = strdup(c->sms_spool)) == NULL)
		abort();
	ch->config = c;
	ch->state = s;
	return 0;
}

static int
spool_write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int
spool_fsync_dir(const char *dir)
{
	int fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* spool_header: a header value never spans lines */
static void
spool_header(struct buf *b, const char *name, const char *value)
{
	const char *p;

	buf_puts(b, name);
	buf_puts(b, ": ");
	for (p = value; *p != '\0'; p++)
		buf_putc(b, *p == '\r' || *p == '\n' ? ' ' : *p);
	buf_putc(b, '\n');
}

static void
spool_send_one(struct spool *s, const struct config *c,
    const struct outgoing *m, struct send_status *st)
{
	struct buf file = BUF_INIT, tmp = BUF_INIT, final = BUF_INIT;
	struct sms_measure measure;
	char *text, idtext[24], segs[16];
	int fd = -1, saved;

	text = sms_text_prepare(c, m);	/* as the real providers send it */
	sms_measure(text, &measure);
	spool_header(&file, "To", m->recipient);
	spool_header(&file, "From", c->sms_sender);
	snprintf(idtext, sizeof idtext, "%lld", (long long)m->id);
	spool_header(&file, "Id", idtext);
	spool_header(
	    &file, "Encoding", measure.encoding == SMS_GSM7 ? "gsm7" : "ucs2");
	snprintf(segs, sizeof segs, "%u", measure.segments);
	spool_header(&file, "Segments", segs);
	buf_putc(&file, '\n');
	buf_puts(&file, text);
	free(text);

	buf_printf(&final, "%s/%lld.%lld.%ld", s->dir, (long long)time(NULL),
	    (long long)m->id, (long)getpid());
	if (s->counter++ > 0)
		buf_printf(&final, ".%u", s->counter);
	buf_printf(
	    &tmp, "%s/.tmp.%s", s->dir, strrchr(buf_cstr(&final), '/') + 1);

	fd =
	    open(buf_cstr(&tmp), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || spool_write_all(fd, file.data, file.len) != 0 ||
	    fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(buf_cstr(&tmp), buf_cstr(&final)) != 0)
		goto fail;
	if (spool_fsync_dir(s->dir) != 0)
		goto fail;
	st->result = SEND_OK;
	snprintf(st->detail, sizeof st->detail, "spooled as %s",
	    strrchr(buf_cstr(&final), '/') + 1);
	snprintf(st->provider_id, sizeof st->provider_id, "%s",
	    strrchr(buf_cstr(&final), '/') + 1);
	log_info("sms spooled outbox=%lld channel=spool encoding=%s "
	         "segments=%u",
	    (long long)m->id, measure.encoding == SMS_GSM7 ? "gsm7" : "ucs2",
	    measure.segments);
	goto out;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	(void)unlink(buf_cstr(&tmp));
	/* a full or read-only disk may be fixed: retry later */
	st->result = SEND_TEMPORARY;
	snprintf(st->detail, sizeof st->detail, "spool %s: %s", s->dir,
	    strerror(saved));
	log_warn("sms not spooled outbox=%lld channel=spool reason=\"%s\"",
	    (long long)m->id, st->detail);
out:
	buf_free(&file);
	buf_free(&tmp);
	buf_free(&final);
}

static int
spool_send_batch(struct channel *ch, const struct outgoing *msgs, size_t n,
    struct send_status *status)
{
	size_t i;

	for (i = 0; i < n; i++) {
		memset(&status[i], 0, sizeof status[i]);
		spool_send_one(ch->state, ch->config, &msgs[i], &status[i]);
		/* recorded now: a crash later in the batch cannot send it
		 * again (the worker's lease covers the whole batch) */
		channel_report(ch, i, &status[i]);
	}
	return 0;
}

static void
spool_close(struct channel *ch)
{
	struct spool *s = ch->state;

	if (s == NULL)
		return;
	free(s->dir);
	free(s);
	ch->state = NULL;
}

const struct channel_ops channel_spool_ops = {
    .name = "spool",
    .kind = CHANNEL_SMS,
    .open = spool_open,
    .send_batch = spool_send_batch,
    .close = spool_close,
};
