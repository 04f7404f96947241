/*
 * channel.c: the table of outgoing channels and inbound sources, so the
 * gateway picks an implementation by its configured name and never knows
 * more about it than channel.h / inbound.h say.
 */
#include <string.h>

#include "channel.h"
#include "inbound.h"

static const struct channel_ops *const channel_table[] = {
	&channel_smtp_ops,
	&channel_maildir_ops,
	&channel_kannel_ops,
	&channel_http_sms_ops,
	&channel_spool_ops,
};

const struct channel_ops *
channel_find(enum channel_kind kind, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof channel_table / sizeof channel_table[0]; i++)
		if (channel_table[i]->kind == kind &&
		    strcmp(channel_table[i]->name, name) == 0)
			return channel_table[i];
	return NULL;
}

int
channel_open(struct channel *ch, const struct channel_ops *ops,
    const struct config *config, struct error *err)
{
	memset(ch, 0, sizeof *ch);
	ch->ops = ops;
	ch->config = config;
	return ops->open(ch, config, err);
}

void
channel_report(struct channel *ch, size_t index, const struct send_status *status)
{
	if (ch->progress != NULL)
		ch->progress(ch->progress_ctx, index, status);
}

void
channel_close(struct channel *ch)
{
	if (ch->ops != NULL)
		ch->ops->close(ch);
	ch->ops = NULL;
	ch->state = NULL;
}

static const struct inbound_ops *const inbound_table[] = {
	&inbound_imap_ops,
	&inbound_maildir_ops,
};

const struct inbound_ops *
inbound_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof inbound_table / sizeof inbound_table[0]; i++)
		if (strcmp(inbound_table[i]->name, name) == 0)
			return inbound_table[i];
	return NULL;
}
