/* conn_guard_mhd.c: libmicrohttpd's side of conn_guard (see
 * conn_guard_mhd.h). */
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "conn_guard_mhd.h"
#include "log.h"

static atomic_llong limit_logged;

enum MHD_Result
conn_guard_mhd_admit(void *guard, const struct sockaddr *addr, socklen_t len)
{
	(void)len;
	return conn_guard_admit(guard, addr) ? MHD_YES : MHD_NO;
}

void
conn_guard_mhd_notify(void *guard, struct MHD_Connection *conn,
    void **socket_context, enum MHD_ConnectionNotificationCode code)
{
	const union MHD_ConnectionInfo *addr, *fd;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		addr = MHD_get_connection_info(
		    conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		fd = MHD_get_connection_info(
		    conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		*socket_context = conn_guard_opened(guard,
		    addr != NULL ? addr->client_addr : NULL,
		    fd != NULL ? fd->connect_fd : -1);
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		conn_guard_closed(guard, *socket_context);
		*socket_context = NULL;
	}
}

struct conn_guard_entry *
conn_guard_mhd_entry(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci != NULL ? ci->socket_context : NULL;
}

void
conn_guard_mhd_log(void *prefix, const char *fmt, va_list ap)
{
	struct buf b = BUF_INIT;

	buf_vprintf(&b, fmt, ap);
	while (b.len > 0 && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	if (strstr(buf_cstr(&b), "connection closure") != NULL)
		log_debug("%s: %s", (const char *)prefix, buf_cstr(&b));
	else if (strstr(buf_cstr(&b), "reached connection limit") != NULL) {
		/* max_connections: said once a while, not per connection */
		long long now = (long long)time(NULL),
		          last = atomic_load(&limit_logged);

		if (now - last >= CONN_GUARD_QUIET &&
		    atomic_compare_exchange_strong(&limit_logged, &last, now))
			log_warn(
			    "%s: max_connections reached: new connections are"
			    " refused (not logged again for %d s)",
			    (const char *)prefix, CONN_GUARD_QUIET);
	} else
		log_warn("%s: %s", (const char *)prefix, buf_cstr(&b));
	buf_free(&b);
}
