/* testdb.c: throw-away database directories for unit tests, and what the
 * database tests ask of it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "office_time.h"
#include "testdb.h"

int
testdb_make(
    const char *name, char *dir, size_t dir_size, char *path, size_t path_size)
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
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	char file[512];
	size_t i;

	for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
		unlink(file);
	}
	rmdir(dir);
}

int
testdb_catalog(
    struct store *s, int64_t *service, int64_t *desk, struct error *err)
{
	struct service sv;
	struct desk d;
	int64_t unit;
	int day;

	memset(&sv, 0, sizeof sv);
	snprintf(sv.name, sizeof sv.name, "Rejestracja pojazdu");
	snprintf(sv.name_en, sizeof sv.name_en, "Vehicle registration");
	sv.duration_minutes = 15;
	sv.active = true;
	sv.waitlist = true;
	memset(&d, 0, sizeof d);
	snprintf(d.room, sizeof d.room, "Pokój 1");
	snprintf(d.name, sizeof d.name, "Pokój 1 stanowisko 1");
	d.capacity = 1;
	if (store_begin(s, err) != 0)
		return -1;
	if (store_unit_add(s, "Wydział Komunikacji", &unit, err) != 0)
		goto fail;
	sv.unit_id = unit;
	if (store_service_add(s, &sv, service, err) != 0 ||
	    store_desk_add(s, &d, desk, err) != 0)
		goto fail;
	for (day = 1; day <= 5; day++)
		if (store_hours_add(
		        s, *desk, *service, day, 8 * 60, 16 * 60, err) != 0)
			goto fail;
	return store_commit(s, err);
fail:
	store_rollback(s);
	return -1;
}

void
testdb_set(char **field, const char *value)
{
	free(*field);
	if ((*field = strdup(value)) == NULL)
		abort();
}

struct config *
testdb_config(void)
{
	struct config *c = config_defaults();

	testdb_set(&c->sms_provider, "kannel");
	testdb_set(&c->sms_sender, "48500100200");
	testdb_set(&c->sms_callback_secret, "0123456789abcdef0123");
	c->web_max_open_per_contact = 0;
	c->max_pending_per_address = 0;
	c->max_pending_per_network = 0;
	c->pressure_share = 0;
	c->max_pending_share = 0;
	return c;
}

int
testdb_operator(struct store *s, const char *login, enum role role,
    struct actor *out, struct error *err)
{
	struct account a;

	memset(&a, 0, sizeof a);
	snprintf(a.login, sizeof a.login, "%s", login);
	snprintf(a.display_name, sizeof a.display_name, "%s", login);
	snprintf(a.password_hash, sizeof a.password_hash, "x");
	a.role = role;
	if (store_operator_add(s, &a, &a.id, err) != 0)
		return -1;
	*out = actor_operator(&a, VIA_API, "192.0.2.9");
	return 0;
}

size_t
testdb_audit_count(struct store *s, const char *action, int64_t booking_id,
    struct audit_entry *last)
{
	struct audit_filter filter;
	struct audit_entry *list;
	struct error err;
	size_t n, i, found = 0;

	memset(&filter, 0, sizeof filter);
	filter.limit = 1000;
	error_clear(&err);
	if (store_audit_list(s, &filter, &list, &n, &err) != 0)
		fail_msg("audit: %s", err.msg);
	/* newest first: walk back so *last ends as the newest */
	for (i = n; i-- > 0;)
		if (strcmp(list[i].action, action) == 0 &&
		    (booking_id == 0 || list[i].booking_id == booking_id)) {
			found++;
			if (last != NULL)
				*last = list[i];
		}
	free(list);
	return found;
}

time_t
testdb_local(const char *text)
{
	time_t t;

	if (otime_parse(text, &t) != 0)
		fail_msg("bad local time %s", text);
	return t;
}
