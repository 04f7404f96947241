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

#include "config.h"
#include "store.h"

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

#endif
