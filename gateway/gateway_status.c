/*
 * gateway_status.c: /metrics and /healthz of wizytad (gateway_status.h).
 * Each answer opens its own database connection: the listener's threads
 * own no store, and a scrape every few seconds does not need one kept.
 */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "gateway_status.h"
#include "metrics.h"
#include "store.h"

static const char *const paths[] = {"/metrics", "/healthz", NULL};

static unsigned
status_answer(void *ctx, const char *path, const char *client, bool forwarded,
    const char *authorization, struct buf *body, const char **type)
{
	const struct config *c = ctx;
	time_t now = time(NULL);
	struct store *s;
	struct error err;
	unsigned status = 200;

	if (!metrics_allowed(c, client, forwarded, authorization)) {
		buf_puts(body,
		    "forbidden: ask from this machine, or set "
		    "[metrics] token and send it as a Bearer token\n");
		return 403;
	}
	error_clear(&err);
	s = store_open(c->database, &err);
	if (strcmp(path, "/healthz") == 0) {
		*type = "application/json";
		status = metrics_health(c, s, "wizytad", now, body);
	} else {
		*type = METRICS_CONTENT_TYPE;
		metrics_write_deliveries(body);
		if (s == NULL ||
		    metrics_write_store(c, s, now, body, &err) != 0) {
			buf_reset(body);
			buf_puts(body, "database unavailable\n");
			*type = "text/plain; charset=utf-8";
			status = 503;
		}
	}
	store_close(s);
	return status;
}

void
gateway_status_pages(const struct config *c, struct gateway_pages *out)
{
	memset(out, 0, sizeof *out);
	out->paths = paths;
	out->ctx = (void *)(uintptr_t)c;
	out->answer = status_answer;
}
