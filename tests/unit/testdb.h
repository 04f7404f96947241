/*
 * testdb.h: a throw-away database directory for unit tests, and its
 * removal with SQLite's side files.
 */
#ifndef WIZYTA_TESTDB_H
#define WIZYTA_TESTDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "booking.h"
#include "config.h"
#include "store.h"

/* struct testdb: what the database tests share: a fresh migrated database,
 * the config they book under and who asks. A test that needs more keeps a
 * struct of its own with this as its first member `db` (testdb_new,
 * testdb_teardown rely on it being first). */
struct testdb {
	char dir[64];
	char path[128];
	struct store *store;
	struct config *config; /* testdb_config() */
	int64_t service, desk; /* testdb_catalog's (with the catalogue) */
	struct actor citizen;  /* on the web, from 192.0.2.1 */
	struct actor system;
};

/* testdb_open: log_init(name) at warnings, the office's zone
 * (Europe/Warsaw), a new migrated database (testdb_make), testdb_config,
 * the actors and, with catalog, testdb_catalog's office; -1 after printing
 * why. testdb_close: all of it closed, freed and removed. */
int testdb_open(struct testdb *, const char *name, bool catalog);
void testdb_close(struct testdb *);
/* testdb_new: a zeroed struct of size bytes that begins with a struct
 * testdb, opened as testdb_open does; NULL after printing why */
void *testdb_new(size_t size, const char *name, bool catalog);
/* testdb_setup: cmocka's setup (per test or per group) of a bare struct
 * testdb with the catalogue. testdb_teardown: cmocka's teardown of any
 * testdb_new state (closed and freed). */
int testdb_setup(void **state);
int testdb_teardown(void **state);

/* testdb_postgresql: this run is the suite's PostgreSQL run
 * (WIZYTA_TEST_BACKEND=postgresql, tests/pg_run.sh) */
bool testdb_postgresql(void);
/* testdb_make: mkdtemp /tmp/wizyta-NAME-XXXXXX into dir and, into path, the
 * locator of a new empty database: dir/wizyta.db, or on the PostgreSQL run
 * a schema of its own on the run's server; -1 when either cannot be
 * made. */
int testdb_make(
    const char *name, char *dir, size_t dir_size, char *path, size_t path_size);
/* testdb_remove: the database (its -wal/-shm/-journal files, or its
 * schema), the dir. */
void testdb_remove(const char *dir, const char *path);
/* testdb_sql: SQL (statements ; separated) on the database of a locator,
 * in a connection of its own as another process would; fails the test on
 * an error. testdb_sql_int: the first column of the first row. */
void testdb_sql(const char *path, const char *sql);
long long testdb_sql_int(const char *path, const char *sql);
/* testdb_sql_text: the first column of the first row as text ("" when
 * none) */
void testdb_sql_text(const char *path, const char *sql, char *out, size_t size);
/* testdb_catalog: the small office most tests book in, in one transaction:
 * one unit, one 15-minute service "Rejestracja pojazdu" (Vehicle
 * registration), one desk "Pokój 1 stanowisko 1" of capacity 1, open
 * Monday to Friday 08:00-16:00 (32 places a day). */
int testdb_catalog(
    struct store *, int64_t *service, int64_t *desk, struct error *);
/* testdb_config: the defaults, with what the domain tests book under:
 * SMS by Kannel that phones can answer (a numeric sender and callbacks)
 * and the abuse limits off (they have their own tests). config_free it. */
struct config *testdb_config(void);
/* testdb_set: replace a string setting of the config */
void testdb_set(char **field, const char *value);
/* testdb_operator: an operator in the database (the audit log's foreign
 * key wants them real) and its actor over the API */
int testdb_operator(struct store *, const char *login, enum role,
    struct actor *out, struct error *);
/* testdb_audit_count: audit rows of this action (about this booking, or
 * any when 0); *last (may be NULL) gets the newest. Fails the test on a
 * store error. */
size_t testdb_audit_count(struct store *, const char *action,
    int64_t booking_id, struct audit_entry *last);

/* testdb_local: "YYYY-MM-DDTHH:MM" office time as an instant (the
 * injected clock of the domain's tests); fails the test when malformed. */
time_t testdb_local(const char *text);

/* testdb_request: Jan Kowalski's request for the catalogue's service at
 * start (email, phone may be NULL) */
struct booking_request testdb_request(const struct testdb *, const char *start,
    const char *email, const char *phone);
/* testdb_create: booking_create of r on s by who at now; fails the test
 * when refused */
struct booking testdb_create(struct testdb *, struct store *s,
    const struct booking_request *r, const struct actor *who, time_t now);
/* testdb_book: testdb_request's booking by the citizen at now */
struct booking testdb_book(struct testdb *, const char *start,
    const char *email, const char *phone, time_t now);
/* testdb_apply: booking_apply of an action on b by who at now (b updated);
 * fails the test when refused */
void testdb_apply(struct testdb *, struct booking *b, enum booking_action,
    const struct actor *who, time_t now);
/* testdb_booking: the booking of an id; fails the test when none */
struct booking testdb_booking(struct testdb *, int64_t id);
/* testdb_entry: the waitlist entry of an id; fails the test when none */
struct waitlist_entry testdb_entry(struct testdb *, int64_t id);
/* testdb_outbox_count: outbox rows about a booking (0: about none) on a
 * channel (NULL: any) of a kind (NULL: any); *newest (may be NULL) takes
 * the newest of them (outbox_message_free it; untouched when none) */
size_t testdb_outbox_count(struct store *, int64_t booking_id,
    const char *channel, const char *kind, struct outbox_message *newest);

#endif
