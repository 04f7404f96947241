/*
 * store_copy.c: an SQLite office copied into PostgreSQL (store_copy,
 * store.h; `wizyta migrate-to-postgresql`). The only file that speaks to
 * both backends at once.
 *
 * What is copied comes from the catalogs, not from a list kept here: every
 * table of the SQLite file, in an order where a row's references are
 * copied before it (PRAGMA foreign_key_list), every column, to the table
 * and column of the same name that the PostgreSQL migrations made (both
 * schemas are at the same version, store_pg_schema.h). A column or table
 * SQLite has and PostgreSQL lacks stops the copy: nothing is left behind
 * silently. Values travel as parameters (text, or bytes for bytea); ids
 * are kept, and each identity's sequence is set past the largest, so the
 * next booking gets the next number. All in one PostgreSQL transaction,
 * from one SQLite snapshot: the copy is whole or not at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "store_pg_internal.h"
#include "store_sqlite_internal.h"

#define COPY_TABLES_MAX 96
#define COPY_COLUMNS_MAX 64

struct copy_table {
	char name[64];
	bool done;
};

/* quote: an identifier as PostgreSQL and SQLite read it ("a""b") */
static void
quote(struct buf *b, const char *name)
{
	buf_putc(b, '"');
	for (; *name != '\0'; name++) {
		if (*name == '"')
			buf_putc(b, '"');
		buf_putc(b, *name);
	}
	buf_putc(b, '"');
}

static int
sq_error(sqlite3 *db, struct error *err, const char *what)
{
	return error_set(
	    err, ERROR_IO, "SQLite: %s: %s", what, sqlite3_errmsg(db));
}

/* tables_of: the SQLite file's tables, in the order they were made */
static int
tables_of(sqlite3 *db, struct copy_table *t, size_t *n, struct error *err)
{
	static const char sql[] =
	    "SELECT name FROM sqlite_master WHERE type = 'table'"
	    " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid";
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return sq_error(db, err, "tables");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == COPY_TABLES_MAX) {
			sqlite3_finalize(st);
			return error_set(err, ERROR_INVALID, "too many tables");
		}
		snprintf(t[*n].name, sizeof t[*n].name, "%s",
		    (const char *)sqlite3_column_text(st, 0));
		t[*n].done = false;
		(*n)++;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sq_error(db, err, "tables");
}

/* ready: every table t's foreign keys point to is copied (or is t) */
static int
ready(sqlite3 *db, const struct copy_table *all, size_t n, size_t t, bool *yes,
    struct error *err)
{
	sqlite3_stmt *st;
	int rc;

	*yes = true;
	if (sqlite3_prepare_v2(db,
	        "SELECT \"table\" FROM pragma_foreign_key_list(?1)", -1, &st,
	        NULL) != SQLITE_OK)
		return sq_error(db, err, "foreign keys");
	sqlite3_bind_text(st, 1, all[t].name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *to = (const char *)sqlite3_column_text(st, 0);
		size_t i;

		for (i = 0; i < n; i++)
			if (i != t && strcmp(all[i].name, to) == 0 &&
			    !all[i].done)
				*yes = false;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sq_error(db, err, "foreign keys");
}

/* pg_columns: the PostgreSQL table's columns and whether each is bytea;
 * 0 columns when the table does not exist */
struct pg_column {
	char name[64];
	bool bytea;
};

static const char PG_COLUMNS[] =
    "SELECT column_name, data_type = 'bytea' FROM information_schema.columns"
    " WHERE table_schema = current_schema() AND table_name = $1";

static void
pg_column_read(const PGresult *res, int row, void *out)
{
	struct pg_column *c = out;

	pq_text(res, row, 0, c->name, sizeof c->name);
	c->bytea = pq_bool(res, row, 1);
}

/* copy_rows: one table, row by row; *rows counts them */
static int
copy_rows(sqlite3 *db, struct store *to, const char *table,
    const struct pg_column *pc, size_t npc, long long *rows, struct error *err)
{
	PGconn *conn = pgsql_of(to)->conn;
	struct buf select = BUF_INIT, insert = BUF_INIT;
	struct buf text[COPY_COLUMNS_MAX];
	const char *values[COPY_COLUMNS_MAX];
	int lengths[COPY_COLUMNS_MAX], formats[COPY_COLUMNS_MAX];
	bool bytea[COPY_COLUMNS_MAX];
	sqlite3_stmt *st = NULL;
	PGresult *res;
	int ncol, i, rc = -1;
	size_t k;

	*rows = 0;
	buf_puts(&select, "SELECT * FROM ");
	quote(&select, table);
	if (sqlite3_prepare_v2(db, buf_cstr(&select), -1, &st, NULL) !=
	    SQLITE_OK) {
		sq_error(db, err, table);
		goto out;
	}
	ncol = sqlite3_column_count(st);
	if (ncol > COPY_COLUMNS_MAX) {
		error_set(err, ERROR_INVALID, "%s: too many columns", table);
		goto out;
	}
	buf_puts(&insert, "INSERT INTO ");
	quote(&insert, table);
	buf_puts(&insert, " (");
	for (i = 0; i < ncol; i++) {
		const char *name = sqlite3_column_name(st, i);

		for (k = 0; k < npc && strcmp(pc[k].name, name) != 0; k++)
			;
		if (k == npc) {
			error_set(err, ERROR_INVALID,
			    "%s.%s: no such column in PostgreSQL: is its schema"
			    " at this wizyta's version?",
			    table, name);
			goto out;
		}
		bytea[i] = pc[k].bytea;
		buf_puts(&insert, i > 0 ? ", " : "");
		quote(&insert, name);
	}
	buf_puts(&insert, ") VALUES (");
	for (i = 0; i < ncol; i++)
		buf_printf(&insert, "%s$%d", i > 0 ? ", " : "", i + 1);
	buf_putc(&insert, ')');
	/* the unnamed statement: the store's own are named */
	res = PQprepare(conn, "", buf_cstr(&insert), ncol, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		pq_fail(to, res, err, table);
		PQclear(res);
		goto out;
	}
	PQclear(res);
	for (i = 0; i < ncol; i++)
		buf_init(&text[i]);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0; i < ncol; i++) {
			int type = sqlite3_column_type(st, i);
			const void *p;
			int len;

			formats[i] = 0;
			if (type == SQLITE_NULL) {
				values[i] = NULL;
				lengths[i] = 0;
				continue;
			}
			if (bytea[i]) {
				/* bytes as they are, text or blob */
				p = sqlite3_column_blob(st, i);
				len = sqlite3_column_bytes(st, i);
				values[i] = p != NULL ? p : "";
				lengths[i] = len;
				formats[i] = 1;
				continue;
			}
			/* numbers as their text; text mended to UTF-8 as the
			 * store reads it (PostgreSQL refuses invalid bytes) */
			p = sqlite3_column_text(st, i);
			len = sqlite3_column_bytes(st, i);
			buf_reset(&text[i]);
			utf8_sanitize(&text[i],
			    p != NULL ? (const char *)p : "", (size_t)len);
			values[i] = buf_cstr(&text[i]);
			lengths[i] = 0;
		}
		res =
		    PQexecPrepared(conn, "", ncol, values, lengths, formats, 0);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			pq_fail(to, res, err, table);
			PQclear(res);
			rc = -1;
			break;
		}
		PQclear(res);
		(*rows)++;
	}
	for (i = 0; i < ncol; i++)
		buf_free(&text[i]);
	if (rc == SQLITE_DONE)
		rc = 0;
	else if (rc != -1)
		rc = sq_error(db, err, table);
out:
	sqlite3_finalize(st);
	buf_free(&select);
	buf_free(&insert);
	return rc;
}

static bool
has_id(const struct pg_column *pc, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(pc[i].name, "id") == 0)
			return true;
	return false;
}

/* the table's identity sequence (if it has one) past its largest id */
static int
sequence_past(struct store *to, const char *table, struct error *err)
{
	struct buf sql = BUF_INIT;
	PGresult *res;
	int rc = 0;

	buf_puts(&sql,
	    "SELECT setval(s::regclass, (SELECT COALESCE(max(id), 0) + 1"
	    " FROM ");
	quote(&sql, table);
	buf_puts(&sql, "), false) FROM pg_get_serial_sequence($1, 'id') s"
	               " WHERE s IS NOT NULL");
	{
		const char *v[1];
		struct buf q = BUF_INIT;

		quote(&q, table);
		v[0] = buf_cstr(&q);
		res = PQexecParams(pgsql_of(to)->conn, buf_cstr(&sql), 1, NULL,
		    v, NULL, NULL, 0);
		buf_free(&q);
	}
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = pq_fail(to, res, err, table);
	PQclear(res);
	buf_free(&sql);
	return rc;
}

/* empty: the PostgreSQL table has no rows, apart from what its migration
 * put there (the settings generation's one row, made anew by the copy) */
static int
empty(struct store *to, const char *table, bool *is_empty, struct error *err)
{
	struct buf sql = BUF_INIT;
	PGresult *res;
	int rc = 0;

	if (strcmp(table, "settings_generation") == 0) {
		*is_empty = true;
		return pq_exec0(to, err, "DELETE FROM settings_generation");
	}
	buf_puts(&sql, "SELECT EXISTS (SELECT 1 FROM ");
	quote(&sql, table);
	buf_putc(&sql, ')');
	res = PQexec(pgsql_of(to)->conn, buf_cstr(&sql));
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		rc = pq_fail(to, res, err, table);
	else
		*is_empty = !pq_bool(res, 0, 0);
	PQclear(res);
	buf_free(&sql);
	return rc;
}

static int
copy_all(sqlite3 *db, struct store *to, struct copy_table *t, size_t n,
    struct store_copy_report *rep, struct error *err)
{
	size_t copied, i;

	for (copied = 0; copied < n;) {
		size_t before = copied;

		for (i = 0; i < n; i++) {
			struct pg_column *pc = NULL;
			size_t npc = 0;
			long long rows;
			bool yes;
			int rc;

			if (t[i].done)
				continue;
			if (ready(db, t, n, i, &yes, err) != 0)
				return -1;
			if (!yes)
				continue;
			if (pq_rows(pq_query(to, err, PG_COLUMNS,
			                PQ_TEXT(t[i].name)),
			        sizeof *pc, pg_column_read, (void **)&pc, &npc,
			        err) != 0)
				return -1;
			if (npc == 0)
				return error_set(err, ERROR_INVALID,
				    "table %s: not in the PostgreSQL database:"
				    " is its schema at this wizyta's version?",
				    t[i].name);
			rc = empty(to, t[i].name, &yes, err);
			if (rc == 0 && !yes)
				rc = error_set(err, ERROR_CONFLICT,
				    "the PostgreSQL database already holds"
				    " data (table %s): copy into an empty one",
				    t[i].name);
			if (rc == 0)
				rc = copy_rows(
				    db, to, t[i].name, pc, npc, &rows, err);
			if (rc == 0 && has_id(pc, npc))
				rc = sequence_past(to, t[i].name, err);
			free(pc);
			if (rc != 0)
				return -1;
			rep->tables++;
			rep->rows += rows;
			t[i].done = true;
			copied++;
		}
		if (copied == before)
			return error_set(err, ERROR_INVALID,
			    "the SQLite tables' references go round in a "
			    "circle");
	}
	return 0;
}

int
store_copy(struct store *from, struct store *to, struct store_copy_report *rep,
    struct error *err)
{
	struct copy_table tables[COPY_TABLES_MAX];
	sqlite3 *db;
	size_t n;
	int from_v, to_v, rc;

	memset(rep, 0, sizeof *rep);
	if (strcmp(store_backend(from), "sqlite") != 0 ||
	    strcmp(store_backend(to), "postgresql") != 0)
		return error_set(err, ERROR_INVALID,
		    "a copy goes from SQLite to PostgreSQL");
	db = sqlite_of(from)->db;
	/* the same schema on both sides: then every table and column has
	 * its twin */
	if (store_check_schema(from, err) != 0 ||
	    store_migrate(to, &from_v, &to_v, err) != 0)
		return -1;
	if (store_read_begin(from, err) != 0)
		return -1;
	if (store_begin(to, err) != 0) {
		store_read_end(from);
		return -1;
	}
	rc = tables_of(db, tables, &n, err);
	if (rc == 0)
		rc = copy_all(db, to, tables, n, rep, err);
	if (rc == 0)
		rc = store_commit(to, err);
	else
		store_rollback(to);
	store_read_end(from);
	return rc;
}
