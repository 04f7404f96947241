/*
 * cmd_demo.c: wizyta demo: load an office modelled on the brochure —
 * Urząd Miasta, Wydział Komunikacji i Transportu and neighbours — with
 * services, rooms and desks, Monday-to-Friday calendars with one long day
 * (Monday), and demo operators whose random passwords are printed once.
 * Idempotent: a database that already has units is left alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "password.h"
#include "store.h"
#include "token.h"

struct demo_service {
	int unit;		/* index into demo_units */
	const char *name, *name_en, *description, *description_en;
	unsigned minutes;
	unsigned desks;		/* bit mask over demo_desks */
};

static const char *const demo_units[] = {
	"Wydział Komunikacji i Transportu",
	"Wydział Spraw Obywatelskich",
};

static const struct {
	const char *room, *name;
} demo_desks[] = {
	{ "Pokój 1", "Pokój 1 stanowisko 1" },
	{ "Pokój 1", "Pokój 1 stanowisko 2" },
	{ "Pokój 2", "Pokój 2 stanowisko 1" },
	{ "Pokój 3", "Pokój 3 stanowisko 1" },
};

static const struct demo_service demo_services[] = {
	{ 0, "Rejestracja pojazdu", "Vehicle registration",
	  "Dowód osobisty, dowód rejestracyjny, karta pojazdu, umowa kupna,"
	  " polisa OC, potwierdzenie opłaty.",
	  "ID card, registration certificate, vehicle card, purchase contract,"
	  " third-party insurance, proof of payment.", 15, 0x3 },
	{ 0, "Wymiana prawa jazdy", "Driving licence replacement",
	  "Dowód osobisty, dotychczasowe prawo jazdy, zdjęcie 35×45 mm,"
	  " potwierdzenie opłaty.",
	  "ID card, current driving licence, 35×45 mm photo, proof of payment.",
	  10, 0x3 },
	{ 0, "Odbiór prawa jazdy", "Driving licence collection",
	  "Dowód osobisty.", "ID card.", 5, 0x4 },
	{ 1, "Wniosek o dowód osobisty", "ID card application",
	  "Dotychczasowy dowód osobisty lub paszport, zdjęcie 35×45 mm.",
	  "Current ID card or passport, 35×45 mm photo.", 10, 0x8 },
	{ 1, "Odbiór dowodu osobistego", "ID card collection",
	  "Dotychczasowy dowód osobisty.", "Current ID card.", 5, 0x8 },
};

#define NSERVICES (sizeof demo_services / sizeof demo_services[0])

static const struct {
	const char *login, *name, *role;
} demo_operators[] = {
	{ "admin", "Adam Abacki", "admin" },
	{ "urzednik", "Barbara Babacka", "staff" },
	{ "recepcja", "Cezary Cabacki", "reception" },
};

static int
demo_load(struct store *s, struct error *err)
{
	int64_t unit_ids[2], desk_ids[4], service_ids[NSERVICES];
	size_t i, d;
	int day;

	for (i = 0; i < 2; i++)
		if (store_unit_add(s, demo_units[i], &unit_ids[i], err) != 0)
			return -1;
	for (i = 0; i < 4; i++) {
		struct desk desk;

		memset(&desk, 0, sizeof desk);
		snprintf(desk.room, sizeof desk.room, "%s", demo_desks[i].room);
		snprintf(desk.name, sizeof desk.name, "%s", demo_desks[i].name);
		desk.capacity = 1;
		if (store_desk_add(s, &desk, &desk_ids[i], err) != 0)
			return -1;
	}
	for (i = 0; i < NSERVICES; i++) {
		const struct demo_service *ds = &demo_services[i];
		struct service sv;

		memset(&sv, 0, sizeof sv);
		sv.unit_id = unit_ids[ds->unit];
		snprintf(sv.name, sizeof sv.name, "%s", ds->name);
		snprintf(sv.name_en, sizeof sv.name_en, "%s", ds->name_en);
		snprintf(sv.description, sizeof sv.description, "%s", ds->description);
		snprintf(sv.description_en, sizeof sv.description_en, "%s",
		    ds->description_en);
		sv.duration_minutes = ds->minutes;
		sv.active = true;
		sv.waitlist = true;
		if (store_service_add(s, &sv, &service_ids[i], err) != 0)
			return -1;
	}
	/* each desk serves its services; Monday is the long day
	 * (8:00-18:00), Tuesday to Friday 8:00-15:30, for all of them */
	for (d = 0; d < 4; d++) {
		int64_t serves[NSERVICES];
		size_t n = 0;

		for (i = 0; i < NSERVICES; i++)
			if (demo_services[i].desks & (1u << d))
				serves[n++] = service_ids[i];
		if (store_desk_services_set(s, desk_ids[d], serves, n, err) !=
		    0)
			return -1;
		for (day = 1; day <= 5; day++)
			if (store_hours_add(s, desk_ids[d], 0, day, 8 * 60,
			        day == 1 ? 18 * 60 : 15 * 60 + 30, err) != 0)
				return -1;
	}
	return 0;
}

static int
cmd_demo(const struct config *c, int argc, char **argv)
{
	struct unit *units = NULL;
	struct store *s;
	struct error err;
	size_t n, i;
	char passwords[3][17];

	(void)argv;
	if (argc != 0) {
		fprintf(stderr, "wizyta: demo takes no arguments\n");
		return 2;
	}
	error_clear(&err);
	if ((s = cli_store_open(c)) == NULL)
		return 1;
	if (store_units_list(s, &units, &n, &err) != 0) {
		fprintf(stderr, "wizyta: %s\n", err.msg);
		store_close(s);
		return 1;
	}
	free(units);
	if (n > 0) {
		printf("demo office already loaded (%zu units): nothing to do\n", n);
		store_close(s);
		return 0;
	}
	if (store_begin(s, &err) != 0 || demo_load(s, &err) != 0)
		goto fail;
	for (i = 0; i < 3; i++) {
		struct account op;

		memset(&op, 0, sizeof op);
		token_hex(passwords[i], 8);
		snprintf(
		    op.login, sizeof op.login, "%s", demo_operators[i].login);
		snprintf(op.display_name, sizeof op.display_name, "%s",
		    demo_operators[i].name);
		if (role_parse(demo_operators[i].role, &op.role) != 0)
			abort(); /* the table above is wrong */
		op.created_at = time(NULL);
		if (password_hash(passwords[i], op.password_hash,
		        sizeof op.password_hash, &err) != 0 ||
		    store_operator_add(s, &op, &op.id, &err) != 0)
			goto fail;
	}
	if (store_commit(s, &err) != 0)
		goto fail;
	store_close(s);
	printf("demo office loaded: Urząd Miasta — Wydział Komunikacji i Transportu\n");
	printf("demo operators (passwords are shown only now):\n");
	for (i = 0; i < 3; i++)
		printf("  %-9s %-10s %s\n", demo_operators[i].login, demo_operators[i].role,
		    passwords[i]);
	return 0;
fail:
	store_rollback(s);
	store_close(s);
	fprintf(stderr, "wizyta: demo: %s\n", err.msg);
	return 1;
}

const struct cli_command cli_demo = {
	.name = "demo",
	.usage = "",
	.help = "load the demo office (idempotent)",
	.run = cmd_demo,
};
