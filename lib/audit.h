/*
 * audit.h: the audit log — who (an actor) did what, when, to which booking,
 * before → after. Written in the same transaction as the change it records
 * (the caller owns the transaction), so a change without its row, or a row
 * without its change, cannot exist. Read by admins (GET /api/v1/admin/audit).
 *
 * What goes in: every staff and admin action, sign-ins (success, failure,
 * lockout, disabled account), sign-outs, API tokens issued and revoked.
 * What never goes in: passwords, tokens, a login that names no operator
 * (it may be a mistyped password), a citizen's name, e-mail or phone, or a
 * note's text — so the log may outlive the bookings' personal data.
 *
 * Actions are "area.verb": booking.check_in, booking.call, booking.note,
 * login.ok, login.failed, login.locked, login.disabled, logout, token.add,
 * token.revoke, operator.disable, operator.enable.
 */
#ifndef WIZYTA_AUDIT_H
#define WIZYTA_AUDIT_H

#include <stdint.h>
#include <time.h>

#include "actor.h"
#include "error.h"
#include "store.h"

/* audit_record: one row; booking_id 0 = about no booking; before, after and
 * detail may be NULL. */
int audit_record(struct store *, const struct actor *, const char *action,
    int64_t booking_id, const char *before, const char *after,
    const char *detail, time_t now, struct error *);

#endif
