/* testdb.c: throw-away database directories for unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "testdb.h"

int
testdb_make(const char *name, char *dir, size_t dir_size, char *path, size_t path_size)
{
	snprintf(dir, dir_size, "/tmp/wizyta-%s-XXXXXX", name);
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, path_size, "%s/wizyta.db", dir);
	return 0;
}

void
testdb_remove(const char *dir, const char *path)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	char file[512];
	size_t i;

	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
		unlink(file);
	}
	rmdir(dir);
}
