/*
 * testdb.h: a throw-away database directory for unit tests, and its
 * removal with SQLite's side files.
 */
#ifndef WIZYTA_TESTDB_H
#define WIZYTA_TESTDB_H

#include <stddef.h>

/* testdb_make: mkdtemp /tmp/wizyta-NAME-XXXXXX into dir and
 * dir/wizyta.db into path; -1 when the directory cannot be made. */
int testdb_make(const char *name, char *dir, size_t dir_size, char *path,
    size_t path_size);
/* testdb_remove: the database, its -wal/-shm/-journal files, the dir. */
void testdb_remove(const char *dir, const char *path);

#endif
