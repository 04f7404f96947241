/*
 * gateway_status.h: wizytad's /metrics (Prometheus text) and /healthz
 * (JSON) on the [gateway] listen listener, beside the SMS callbacks:
 * delivery outcomes since start and the database's figures
 * (lib/metrics.h), to a client on this machine or one with the [metrics]
 * token.
 */
#ifndef WIZYTA_GATEWAY_STATUS_H
#define WIZYTA_GATEWAY_STATUS_H

#include "config.h"
#include "sms_callbacks.h"

/* gateway_status_pages: the pages for sms_callbacks_start_with; c must
 * outlive the listener. */
void gateway_status_pages(const struct config *c, struct gateway_pages *out);

#endif
