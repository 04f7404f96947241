/*
 * channel_maildir.c: the embedded e-mail transport. Each message becomes one
 * RFC 5322 file in <maildir>/outbox/new, exactly the bytes SMTP would have
 * carried; the dev-mailbox page of wizyta-web reads them from there. Needs no
 * server, so the demo office and the tests run anywhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channel.h"
#include "maildir.h"

struct maildir_state {
	char dir[4096];
};

static int
maildir_open(struct channel *ch, const struct config *c, struct error *err)
{
	struct maildir_state *st;

	if ((st = calloc(1, sizeof *st)) == NULL)
		abort();
	snprintf(st->dir, sizeof st->dir, "%s/outbox", c->mail_maildir);
	if (maildir_create(st->dir, err) != 0) {
		free(st);
		return -1;
	}
	ch->state = st;
	return 0;
}

static int
maildir_send_batch(struct channel *ch, const struct outgoing *msgs, size_t n,
    struct send_status *status)
{
	struct maildir_state *st = ch->state;
	size_t i;

	for (i = 0; i < n; i++) {
		struct error err;
		char name[256];

		memset(&status[i], 0, sizeof status[i]);
		error_clear(&err);
		if (maildir_deliver(st->dir, msgs[i].payload, msgs[i].payload_len, name,
		    sizeof name, &err) != 0) {
			/* a full disk or a permission problem can be fixed: retry */
			status[i].result = SEND_TEMPORARY;
			snprintf(status[i].detail, sizeof status[i].detail, "%s", err.msg);
			channel_report(ch, i, &status[i]);
			continue;
		}
		status[i].result = SEND_OK;
		snprintf(status[i].detail, sizeof status[i].detail, "stored %.200s", name);
		/* recorded now, not at the end of the batch (see channel.h) */
		channel_report(ch, i, &status[i]);
	}
	return 0;
}

static void
maildir_close(struct channel *ch)
{
	free(ch->state);
}

const struct channel_ops channel_maildir_ops = {
	.name = "maildir",
	.kind = CHANNEL_EMAIL,
	.open = maildir_open,
	.send_batch = maildir_send_batch,
	.close = maildir_close,
};
