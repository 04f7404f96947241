/*
 * test_metrics.c: the database's figures of /metrics and the /healthz
 * answer (lib/metrics.h) over the shared fixture, on either backend.
 *
 * Covered: the free disk of an SQLite office is a figure and a number in
 * /healthz; an office on PostgreSQL (whose disk is the server's) has no
 * such sample and null in /healthz — never -1, which every "disk almost
 * full" alert would take for an empty disk.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "buf.h"
#include "metrics.h"
#include "testdb.h"

#define DISK_SAMPLE "\nwizyta_database_disk_free_bytes "

/* health: /healthz of the fixture's store as JSON; *status its status */
static json_t *
health(struct testdb *db, unsigned *status)
{
	struct buf out = BUF_INIT;
	json_error_t jerr;
	json_t *doc;

	*status = metrics_health(
	    db->config, db->store, "test_metrics", time(NULL), &out);
	doc = json_loads(buf_cstr(&out), 0, &jerr);
	if (doc == NULL)
		fail_msg(
		    "/healthz is not JSON (%s): %s", jerr.text, buf_cstr(&out));
	buf_free(&out);
	return doc;
}

/* figures: metrics_write_store of the fixture's store into out */
static void
figures(struct testdb *db, struct buf *out)
{
	struct error err;

	error_clear(&err);
	if (metrics_write_store(db->config, db->store, time(NULL), out, &err) !=
	    0)
		fail_msg("metrics_write_store: %s", err.msg);
}

static void
test_disk_known_on_sqlite(void **state)
{
	struct testdb *db = *state;
	struct buf out = BUF_INIT;
	const char *at;
	unsigned status;
	json_t *doc, *disk;

	/* the file system of the fixture's directory, whichever backend
	 * holds the rows */
	testdb_set(&db->config->database_backend, "sqlite");
	free(db->config->database_path);
	if (asprintf(&db->config->database_path, "%s/wizyta.db", db->dir) < 0)
		fail();
	figures(db, &out);
	at = strstr(buf_cstr(&out), DISK_SAMPLE);
	assert_non_null(at);
	assert_true(strtod(at + strlen(DISK_SAMPLE), NULL) > 0);
	buf_free(&out);

	doc = health(db, &status);
	assert_int_equal(status, 200);
	disk = json_object_get(doc, "disk_free_bytes");
	assert_true(json_is_integer(disk) && json_integer_value(disk) > 0);
	json_decref(doc);
}

static void
test_disk_unknown_on_postgresql(void **state)
{
	struct testdb *db = *state;
	struct buf out = BUF_INIT;
	unsigned status;
	json_t *doc;

	testdb_set(&db->config->database_backend, "postgresql");
	figures(db, &out);
	/* the family is not there at all, and the others still are */
	assert_null(strstr(buf_cstr(&out), "wizyta_database_disk_free_bytes"));
	assert_non_null(strstr(buf_cstr(&out), "\nwizyta_bookings{"));
	buf_free(&out);

	doc = health(db, &status);
	assert_int_equal(status, 200);
	assert_string_equal(
	    json_string_value(json_object_get(doc, "status")), "ok");
	assert_true(json_is_null(json_object_get(doc, "disk_free_bytes")));
	json_decref(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
	        test_disk_known_on_sqlite, testdb_setup, testdb_teardown),
	    cmocka_unit_test_setup_teardown(
	        test_disk_unknown_on_postgresql, testdb_setup, testdb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
