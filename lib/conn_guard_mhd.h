/*
 * conn_guard_mhd.h: libmicrohttpd's side of conn_guard, shared by both HTTP
 * listeners (web/http.c, gateway/sms_callbacks.c): the accept policy, the
 * connection notifications, and a logger that keeps ordinary client
 * disconnects out of the operator's log. Pass the struct conn_guard as
 * the callbacks' cls, and the log prefix ("http") as the logger's.
 */
#ifndef WIZYTA_CONN_GUARD_MHD_H
#define WIZYTA_CONN_GUARD_MHD_H

#include <stdarg.h>

#include <microhttpd.h>

#include "conn_guard.h"

/* MHD_AcceptPolicyCallback: refuse an address over its limit */
enum MHD_Result conn_guard_mhd_admit(
    void *guard, const struct sockaddr *, socklen_t);
/* MHD_NotifyConnectionCallback: track connections opened and closed */
void conn_guard_mhd_notify(void *guard, struct MHD_Connection *,
    void **socket_context, enum MHD_ConnectionNotificationCode);
/* the connection's entry, for conn_guard_request_read/_done */
struct conn_guard_entry *conn_guard_mhd_entry(struct MHD_Connection *);
/* MHD_LogCallback: libmicrohttpd's messages as warn lines "PREFIX: …"; a
 * client going away mid-request (or cut off by its deadline) only at
 * debug level */
void conn_guard_mhd_log(void *prefix, const char *fmt, va_list ap);

#endif
