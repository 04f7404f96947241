/*
 * fuzz_http.c: libFuzzer target over wizyta-web's request handling — what
 * the server does with a request after libmicrohttpd parsed it: decoding
 * and checking the path, query, headers, cookies and body (forms, JSON),
 * then every route (pages, API, static files, dev mailbox) against a real
 * database. The same functions as the server (http_request_new …
 * http_request_handle), without a socket.
 *
 * Input: a raw HTTP request (fuzz/fuzz_input.h). Invariants checked on
 * every answer: a status between 100 and 599, and a body that is valid
 * UTF-8 (JSON that parses, for JSON answers) unless it is a static file.
 *
 * The database is made once per process (LLVMFuzzerInitialize) in a
 * scratch directory on /dev/shm when there is one: a small office open
 * Monday to Saturday, a fixed clock (Monday 2030-01-07 08:00), no rate
 * limit, the dev mailbox on, https (HSTS, Secure cookies), one trusted
 * proxy (10.0.0.1). Build and run: make fuzz (fuzz/local.mk).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fuzz_input.h"
#include "http.h"
#include "log.h"
#include "office_time.h"
#include "page.h"
#include "security.h"
#include "store.h"
#include "utf8.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct web web;
static struct config *config;
static time_t fixed_now;
static char scratch[256];

static void
set(char **field, const char *value)
{
	free(*field);
	if ((*field = strdup(value)) == NULL)
		abort();
}

static void
fail(const char *what, const struct error *err)
{
	fprintf(stderr, "fuzz_http: %s: %s\n", what, err->msg);
	exit(1);
}

/* the office: one unit, two services, two desks, Monday-Saturday hours */
static void
seed(struct store *s)
{
	struct error err;
	struct service sv;
	struct desk desk;
	int64_t unit, desks[2], id;
	int from, to, day, i, d;

	error_clear(&err);
	if (store_migrate(s, &from, &to, &err) != 0 ||
	    store_unit_add(s, "Wydział Komunikacji", &unit, &err) != 0)
		fail("seed", &err);
	for (d = 0; d < 2; d++) {
		memset(&desk, 0, sizeof desk);
		snprintf(desk.room, sizeof desk.room, "Pokój %d", d + 1);
		snprintf(desk.name, sizeof desk.name, "Pokój %d stanowisko 1",
		    d + 1);
		desk.capacity = 1;
		if (store_desk_add(s, &desk, &desks[d], &err) != 0)
			fail("seed", &err);
	}
	for (i = 0; i < 2; i++) {
		memset(&sv, 0, sizeof sv);
		sv.unit_id = unit;
		snprintf(sv.name, sizeof sv.name, "%s",
		    i == 0 ? "Rejestracja pojazdu" : "Odbiór dowodu");
		snprintf(sv.name_en, sizeof sv.name_en, "%s",
		    i == 0 ? "Vehicle registration" : "ID card collection");
		snprintf(
		    sv.description, sizeof sv.description, "Dowód osobisty.");
		snprintf(
		    sv.description_en, sizeof sv.description_en, "ID card.");
		sv.duration_minutes = i == 0 ? 15 : 5;
		sv.active = true;
		if (store_service_add(s, &sv, &id, &err) != 0)
			fail("seed", &err);
		for (day = 1; day <= 6; day++)
			if (store_hours_add(s, desks[i], id, day, 8 * 60,
			        16 * 60, &err) != 0)
				fail("seed", &err);
	}
}

static void
cleanup(void)
{
	char cmd[300];

	http_stop(); /* closes the per-thread stores */
	i18n_free(&web);
	ratelimit_free(web.limits);
	config_free(config);
	if (scratch[0] != '\0') {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
		(void)!system(cmd);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct error err;
	struct store *s;
	char path[300];

	(void)argc;
	(void)argv;
	log_init("fuzz_http", LOG_LEVEL_OFF);
	snprintf(scratch, sizeof scratch, "%s/wizyta-fuzz-http-XXXXXX",
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (mkdtemp(scratch) == NULL) {
		perror("fuzz_http: mkdtemp");
		exit(1);
	}
	atexit(cleanup);
	config = config_defaults();
	snprintf(path, sizeof path, "%s/wizyta.db", scratch);
	set(&config->database_path, path);
	snprintf(path, sizeof path, "%s/mail", scratch);
	set(&config->mail_maildir, path);
	snprintf(path, sizeof path, "%s/sms", scratch);
	set(&config->sms_spool, path);
	set(&config->web_base_url, "https://wizyta.urzad.example");
	set(&config->web_trusted_proxies, "10.0.0.1");
	config->web_rate_limit = 0;
	config->booking_lead_time = 0;
	error_clear(&err);
	if (otime_init(config->office_timezone, &err) != 0)
		fail("zone", &err);
	if (otime_parse("2030-01-07T08:00", &fixed_now) != 0)
		abort();
	if ((s = store_open(config->database_path, &err)) == NULL)
		fail("database", &err);
	seed(s);
	store_close(s);
	memset(&web, 0, sizeof web);
	web.config = config;
	memset(web.key, 7, sizeof web.key); /* the same stamps every run */
	web.limits = ratelimit_new(config->web_rate_limit);
	web.dev_mailbox = true;
	web.https = true;
	if (i18n_load(&web, &err) != 0)
		fail("catalogs", &err);
	return 0;
}

static void
check_answer(const struct response *rs)
{
	json_error_t je;
	json_t *v;

	if (rs->status < 100 || rs->status > 599)
		__builtin_trap();
	if (rs->static_data != NULL)
		return;
	if (!utf8_valid(
	        rs->body.data != NULL ? rs->body.data : "", rs->body.len))
		__builtin_trap();
	if (rs->content_type != NULL &&
	    strcmp(rs->content_type, "application/json") == 0) {
		if ((v = json_loadb(rs->body.data, rs->body.len, 0, &je)) ==
		    NULL)
			__builtin_trap();
		json_decref(v);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_request in;
	struct request *rq;
	struct response rs;
	char *query;
	size_t i;

	if (fuzz_request_read(data, size, &in) != 0) {
		fuzz_request_free(&in);
		return 0;
	}
	if ((query = strchr(in.target, '?')) != NULL)
		*query++ = '\0';
	rq = http_request_new(&web, in.method, in.target, in.peer, fixed_now);
	if (query != NULL)
		http_request_add_query(rq, query);
	for (i = 0; i < in.nheaders; i++)
		http_request_add_header(rq, in.names[i], in.values[i]);
	if (in.body_len > 0)
		http_request_add_body(rq, in.body, in.body_len);
	http_response_init(&rs);
	http_request_handle(rq, &rs);
	check_answer(&rs);
	http_response_free(&rs);
	http_request_free(rq);
	fuzz_request_free(&in);
	return 0;
}
