/* testday.c: the reception and report tests' office (testday.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "log.h"
#include "office_time.h"
#include "testday.h"
#include "testdb.h"

static int
operator_actor(struct testday *d, const char *login, enum role role,
    struct actor *out, struct error *err)
{
	struct account a;

	memset(&a, 0, sizeof a);
	snprintf(a.login, sizeof a.login, "%s", login);
	snprintf(a.password_hash, sizeof a.password_hash, "x");
	a.role = role;
	if (store_operator_add(d->store, &a, &a.id, err) != 0)
		return -1;
	*out = actor_operator(&a, VIA_WEB, "192.0.2.9");
	return 0;
}

static int
second_service(struct testday *d, struct error *err)
{
	struct service sv;
	struct desk desk;
	int day;

	memset(&desk, 0, sizeof desk);
	snprintf(desk.room, sizeof desk.room, "Pokój 2");
	snprintf(desk.name, sizeof desk.name, "Pokój 2 stanowisko 1");
	desk.capacity = 1;
	/* service A's unit */
	if (store_service_get(d->store, d->service_a, &sv, err) != 0)
		return -1;
	snprintf(sv.name, sizeof sv.name, "Wymiana prawa jazdy");
	snprintf(sv.name_en, sizeof sv.name_en, "Driving licence replacement");
	sv.duration_minutes = 10;
	if (store_begin(d->store, err) != 0)
		return -1;
	if (store_service_add(d->store, &sv, &d->service_b, err) != 0 ||
	    store_desk_add(d->store, &desk, &d->desk_2, err) != 0)
		goto fail;
	for (day = 1; day <= 5; day++)
		if (store_hours_add(d->store, d->desk_2, d->service_b, day,
		        8 * 60, 16 * 60, err) != 0)
			goto fail;
	return store_commit(d->store, err);
fail:
	store_rollback(d->store);
	return -1;
}

int
testday_open(struct testday *d, const char *name)
{
	struct error err;
	int from, to;

	memset(d, 0, sizeof *d);
	log_init(name, LOG_LEVEL_WARN);
	error_clear(&err);
	if (otime_init("Europe/Warsaw", &err) != 0 ||
	    testdb_make(name, d->dir, sizeof d->dir, d->path, sizeof d->path) !=
	        0)
		goto fail;
	if ((d->store = store_open(d->path, &err)) == NULL ||
	    store_migrate(d->store, &from, &to, &err) != 0)
		goto fail;
	d->config = config_defaults();
	d->config->web_max_open_per_contact = 0;
	d->config->max_pending_per_address = 0;
	d->config->max_pending_per_network = 0;
	d->config->pressure_share = 0;
	d->config->max_pending_share = 0;
	if (testdb_catalog(d->store, &d->service_a, &d->desk_1, &err) != 0 ||
	    second_service(d, &err) != 0 ||
	    operator_actor(d, "ola", ROLE_RECEPTION, &d->reception, &err) !=
	        0 ||
	    operator_actor(d, "anna", ROLE_STAFF, &d->anna, &err) != 0)
		goto fail;
	d->citizen = actor_citizen(VIA_WEB, "192.0.2.1");
	d->system = actor_system();
	return 0;
fail:
	print_error("testday: %s\n", err.msg);
	return -1;
}

void
testday_close(struct testday *d)
{
	store_close(d->store);
	config_free(d->config);
	testdb_remove(d->dir, d->path);
}

time_t
testday_at(const char *text)
{
	time_t t;

	if (otime_parse(text, &t) != 0)
		fail_msg("bad local time %s", text);
	return t;
}

struct booking
testday_book(
    struct testday *d, int64_t service, const char *start, bool confirm)
{
	static unsigned n;
	struct booking_request r;
	struct booking b;
	struct error err;
	char email[64];

	memset(&r, 0, sizeof r);
	snprintf(email, sizeof email, "osoba%u@example.pl", n++);
	r.service_id = service;
	r.start = start;
	r.first_name = "Jan";
	r.last_name = "Kowalski";
	r.email = email;
	error_clear(&err);
	if (booking_create(d->store, d->config, &r, &d->citizen,
	        testday_at("2026-12-07T09:00"), &b, &err) != 0)
		fail_msg("booking %s refused: %s", start, err.msg);
	if (confirm)
		testday_act(
		    d, &b, ACTION_CONFIRM, &d->citizen, "2026-12-07T09:10");
	return b;
}

void
testday_act(struct testday *d, struct booking *b, enum booking_action a,
    const struct actor *who, const char *at)
{
	struct error err;

	error_clear(&err);
	if (booking_apply(d->store, d->config, b->reference, a, who,
	        testday_at(at), b, &err) != 0)
		fail_msg("%s of %s at %s: %s", booking_action_name(a),
		    b->reference, at, err.msg);
}
