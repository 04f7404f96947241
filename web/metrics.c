/*
 * metrics.c: wizyta-web's /metrics (Prometheus text: HTTP answers by
 * status, their latency, live screens, and the database's figures —
 * lib/metrics.h) and /healthz (JSON: the database reachable and writable,
 * the channels as wizytad last saw them).
 *
 * Who may read them is decided here (ROUTE_SELF_AUTH), not by the staff
 * sign-in: with [metrics] token, "Authorization: Bearer TOKEN"; without,
 * a client on this machine that came straight here. A request from a
 * trusted proxy, or with forwarding headers from anyone, is not "on this
 * machine" even when the proxy is: a reverse proxy must not make the
 * figures public.
 */
#include <string.h>

#include "conn_guard.h"
#include "events.h"
#include "http.h"
#include "metrics.h"

static bool
allowed(struct request *rq, struct response *rs)
{
	const struct config *c = rq->web->config;
	bool forwarded = http_header(rq, "X-Forwarded-For") != NULL ||
	                 http_header(rq, "Forwarded") != NULL ||
	                 http_header(rq, "X-Real-IP") != NULL ||
	                 address_listed(rq->peer, c->web_trusted_proxies);

	if (metrics_allowed(
	        c, rq->client, forwarded, http_header(rq, "Authorization")))
		return true;
	rs->status = 403;
	rs->content_type = "text/plain; charset=utf-8";
	buf_puts(&rs->body, "forbidden: ask from this machine, or set [metrics]"
	                    " token and send it as a Bearer token\n");
	return false;
}

static void
metrics_page(struct request *rq, struct response *rs)
{
	struct store *s;
	struct error err;

	if (!allowed(rq, rs))
		return;
	error_clear(&err);
	rs->status = 200;
	rs->content_type = METRICS_CONTENT_TYPE;
	metrics_write_http(&rs->body);
	metrics_write_gauge(&rs->body, "wizyta_sse_clients",
	    "Live screens (boards, desk panels) connected by Server-Sent "
	    "Events.",
	    (double)events_streams_open());
	if ((s = http_store(rq)) == NULL ||
	    metrics_write_store(rq->web->config, s, rq->now, &rs->body, &err) !=
	        0) {
		buf_reset(&rs->body);
		buf_puts(&rs->body, "database unavailable\n");
		rs->content_type = "text/plain; charset=utf-8";
		rs->status = 503;
	}
}

static void
healthz_page(struct request *rq, struct response *rs)
{
	if (!allowed(rq, rs))
		return;
	rs->content_type = "application/json";
	rs->status = metrics_health(
	    rq->web->config, http_store(rq), "wizyta-web", rq->now, &rs->body);
}

const struct route ops_routes[] = {
    {"GET", "/metrics", metrics_page, ROLE_PUBLIC, ROUTE_SELF_AUTH},
    {"GET", "/healthz", healthz_page, ROLE_PUBLIC, ROUTE_SELF_AUTH},
    {0},
};
