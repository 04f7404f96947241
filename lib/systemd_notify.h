/*
 * systemd_notify.h: tell the service manager how a daemon is doing, for
 * units with Type=notify (dist/systemd/): READY=1 once it serves,
 * STOPPING=1 when SIGTERM came, STATUS=… for `systemctl status`.
 *
 * This is the documented datagram protocol of sd_notify(3) written out
 * (an AF_UNIX datagram to $NOTIFY_SOCKET; a leading '@' names an abstract
 * socket), so the programs do not link libsystemd for one sendto(). Without
 * $NOTIFY_SOCKET (not started by systemd, or Type=simple) nothing happens.
 */
#ifndef WIZYTA_SYSTEMD_NOTIFY_H
#define WIZYTA_SYSTEMD_NOTIFY_H

/* systemd_notify: send state ("READY=1\nSTATUS=serving"); 1 when sent, 0
 * when there is no manager to tell, -1 when the socket refused it (the
 * daemon carries on: readiness is a courtesy, not a reason to stop). */
int systemd_notify(const char *state);

#endif
