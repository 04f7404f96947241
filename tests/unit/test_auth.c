/*
 * test_auth.c: staff sign-in over a real SQLite file with a fixed clock
 * (lib/auth.h): a right password opens a session; a wrong one and an
 * unknown login get the same answer and both count towards a lockout;
 * only the right password learns its account is disabled; sessions end
 * after the idle and the absolute timeout; API tokens work until revoked;
 * neither a session nor a token is ever stored in the clear; every sign-in
 * outcome is audited without the login of an unknown account. And the
 * check of a sign-in's `next` address (url_local_path).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "auth.h"
#include "log.h"
#include "office_time.h"
#include "password.h"
#include "store.h"
#include "testdb.h"
#include "url.h"

#define PASSWORD "correct horse battery"
#define T0 ((time_t)1796716800) /* 2026-12-08 09:00 Europe/Warsaw */

struct fixture {
	struct testdb db; /* without the catalogue */
	struct actor cli;
};

static int
add(struct fixture *f, const char *login, enum role role, struct error *err)
{
	struct account a;
	int64_t id;

	memset(&a, 0, sizeof a);
	snprintf(a.login, sizeof a.login, "%s", login);
	snprintf(a.display_name, sizeof a.display_name, "Anna Nowak");
	a.role = role;
	a.created_at = T0;
	if (password_hash(
	        PASSWORD, a.password_hash, sizeof a.password_hash, err) != 0)
		return -1;
	return store_operator_add(f->db.store, &a, &id, err);
}

static int
setup(void **state)
{
	struct fixture *f = testdb_new(sizeof *f, "auth", false);
	struct error err;

	if (f == NULL)
		return -1;
	error_clear(&err);
	if (add(f, "anna", ROLE_STAFF, &err) != 0 ||
	    add(f, "ola", ROLE_RECEPTION, &err) != 0) {
		print_error("setup: %s\n", err.msg);
		return -1;
	}
	f->cli = actor_cli();
	*state = f;
	return 0;
}

static int
login(struct fixture *f, const char *who, const char *password, time_t now,
    struct auth_login *in, struct error *err)
{
	error_clear(err);
	return auth_login(f->db.store, f->db.config, who, password, "192.0.2.7",
	    now, in, err);
}

/* the database file and its WAL hold no trace of a secret */
static void
assert_not_stored(struct fixture *f, const char *secret)
{
	static const char *const suffixes[] = {"", "-wal"};
	char file[256];
	size_t i;

	for (i = 0; i < 2; i++) {
		FILE *fp;
		char *data;
		long len;

		snprintf(file, sizeof file, "%s%s", f->db.path, suffixes[i]);
		if ((fp = fopen(file, "rb")) == NULL)
			continue;
		fseek(fp, 0, SEEK_END);
		len = ftell(fp);
		rewind(fp);
		data = malloc((size_t)len + 1);
		assert_non_null(data);
		assert_int_equal(fread(data, 1, (size_t)len, fp), (size_t)len);
		fclose(fp);
		if (memmem(data, (size_t)len, secret, strlen(secret)) != NULL)
			fail_msg("%s holds a secret in the clear", file);
		free(data);
	}
}

static void
test_login_and_session(void **state)
{
	struct fixture *f = *state;
	struct auth_login in;
	struct account a;
	struct audit_entry row;
	struct error err;

	assert_int_equal(login(f, "anna", PASSWORD, T0, &in, &err), 0);
	assert_int_equal(strlen(in.session), AUTH_SESSION_LEN);
	assert_string_equal(in.account.login, "anna");
	assert_int_equal(in.account.role, ROLE_STAFF);
	assert_string_equal(in.account.password_hash, "");
	assert_int_equal(in.expires, T0 + f->db.config->staff_session_max);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "login.ok", 0, &row), 1);
	assert_string_equal(row.login, "anna");
	assert_string_equal(row.address, "192.0.2.7");
	assert_not_stored(f, in.session);

	/* the session works, and each use restarts its idle clock */
	error_clear(&err);
	assert_int_equal(auth_session(f->db.store, f->db.config, in.session,
	                     T0 + 60, &a, &err),
	    0);
	assert_string_equal(a.login, "anna");
	assert_int_equal(auth_session(f->db.store, f->db.config, in.session,
	                     T0 + 25 * 60, &a, &err),
	    0);
	assert_int_equal(auth_session(f->db.store, f->db.config, in.session,
	                     T0 + 50 * 60, &a, &err),
	    0);
	/* idle for longer than session_idle (30m): over */
	assert_int_equal(auth_session(f->db.store, f->db.config, in.session,
	                     T0 + 81 * 60 + 1, &a, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_NOT_FOUND);
	assert_string_equal(err.code, "session_expired");

	/* the absolute timeout wins over activity */
	assert_int_equal(login(f, "anna", PASSWORD, T0, &in, &err), 0);
	{
		time_t t;

		for (t = T0; t < T0 + f->db.config->staff_session_max;
		     t += 20 * 60)
			assert_int_equal(auth_session(f->db.store, f->db.config,
			                     in.session, t, &a, &err),
			    0);
		assert_int_equal(
		    auth_session(f->db.store, f->db.config, in.session,
		        T0 + f->db.config->staff_session_max, &a, &err),
		    -1);
	}

	/* logout ends it */
	assert_int_equal(login(f, "anna", PASSWORD, T0, &in, &err), 0);
	{
		struct actor who =
		    actor_operator(&in.account, VIA_WEB, "192.0.2.7");

		assert_int_equal(
		    auth_logout(f->db.store, in.session, &who, T0 + 5, &err),
		    0);
	}
	assert_int_equal(auth_session(f->db.store, f->db.config, in.session,
	                     T0 + 6, &a, &err),
	    -1);
	assert_int_equal(testdb_audit_count(f->db.store, "logout", 0, NULL), 1);
	/* garbage is not a session */
	assert_int_equal(
	    auth_session(f->db.store, f->db.config, "zz", T0, &a, &err), -1);
	assert_int_equal(
	    auth_session(f->db.store, f->db.config, NULL, T0, &a, &err), -1);
}

/* the same answer for a wrong password and for nobody, both counted */
static void
test_no_enumeration_and_lockout(void **state)
{
	struct fixture *f = *state;
	struct auth_login in;
	struct audit_entry row;
	struct error wrong, unknown, err;
	unsigned i;

	assert_int_equal(
	    login(f, "anna", "wrong password!", T0, &in, &wrong), -1);
	assert_int_equal(
	    login(f, "nobody", "wrong password!", T0, &in, &unknown), -1);
	assert_int_equal(wrong.kind, unknown.kind);
	assert_string_equal(wrong.code, "bad_credentials");
	assert_string_equal(wrong.code, unknown.code);
	assert_string_equal(wrong.msg, unknown.msg);
	/* audited, but a login that names nobody is not written down: it may
	 * be a password typed into the wrong field */
	assert_int_equal(
	    testdb_audit_count(f->db.store, "login.failed", 0, &row), 2);
	assert_string_equal(row.login, "");
	assert_string_equal(row.detail, "unknown login");
	assert_not_stored(f, "nobody");

	/* five failures within the window lock the login: known or not */
	for (i = 1; i < 4; i++) {
		assert_int_equal(
		    login(f, "anna", "wrong password!", T0 + i, &in, &err), -1);
		assert_string_equal(err.code, "bad_credentials");
		assert_int_equal(
		    login(f, "nobody", "wrong password!", T0 + i, &in, &err),
		    -1);
		assert_string_equal(err.code, "bad_credentials");
	}
	assert_int_equal(
	    login(f, "anna", "wrong password!", T0 + 10, &in, &wrong), -1);
	assert_int_equal(
	    login(f, "nobody", "wrong password!", T0 + 10, &in, &unknown), -1);
	assert_int_equal(wrong.kind, ERROR_LIMIT);
	assert_string_equal(wrong.code, "locked");
	assert_string_equal(wrong.msg, unknown.msg);
	assert_int_equal(in.retry_after, f->db.config->staff_login_lockout);
	/* locked: even the right password waits */
	assert_int_equal(login(f, "anna", PASSWORD, T0 + 60, &in, &err), -1);
	assert_string_equal(err.code, "locked");
	assert_int_equal(
	    in.retry_after, f->db.config->staff_login_lockout + 10 - 60);
	assert_true(
	    testdb_audit_count(f->db.store, "login.locked", 0, NULL) >= 3);
	/* another login is not affected */
	assert_int_equal(login(f, "ola", PASSWORD, T0 + 60, &in, &err), 0);
	/* and the lock ends */
	assert_int_equal(
	    login(f, "anna", PASSWORD,
	        T0 + 10 + f->db.config->staff_login_lockout, &in, &err),
	    0);
	/* a success forgets the failures */
	assert_int_equal(
	    login(f, "anna", "wrong password!", T0 + 2000, &in, &err), -1);
	assert_string_equal(err.code, "bad_credentials");

	/* failures far apart never lock */
	for (i = 0; i < 10; i++) {
		assert_int_equal(
		    login(f, "ola", "wrong password!",
		        T0 + 5000 +
		            (time_t)i * f->db.config->staff_login_lockout,
		        &in, &err),
		    -1);
		assert_string_equal(err.code, "bad_credentials");
	}
	/* empty fields are just wrong */
	assert_int_equal(login(f, "", "", T0, &in, &err), -1);
	assert_string_equal(err.code, "bad_credentials");
}

static void
test_disabled(void **state)
{
	struct fixture *f = *state;
	struct auth_login in, kept;
	struct account a;
	struct error err;

	assert_int_equal(login(f, "anna", PASSWORD, T0, &kept, &err), 0);
	assert_int_equal(
	    auth_set_disabled(f->db.store, "anna", true, &f->cli, T0, &err), 0);
	/* its session ended at once */
	assert_int_equal(auth_session(f->db.store, f->db.config, kept.session,
	                     T0 + 1, &a, &err),
	    -1);
	/* a wrong password learns nothing new */
	assert_int_equal(
	    login(f, "anna", "wrong password!", T0 + 2, &in, &err), -1);
	assert_string_equal(err.code, "bad_credentials");
	/* the right one learns why */
	assert_int_equal(login(f, "anna", PASSWORD, T0 + 3, &in, &err), -1);
	assert_int_equal(err.kind, ERROR_FORBIDDEN);
	assert_string_equal(err.code, "disabled");
	assert_string_equal(in.session, "");
	assert_int_equal(
	    testdb_audit_count(f->db.store, "login.disabled", 0, NULL), 1);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "operator.disable", 0, NULL), 1);
	assert_int_equal(auth_set_disabled(
	                     f->db.store, "anna", false, &f->cli, T0 + 4, &err),
	    0);
	assert_int_equal(login(f, "anna", PASSWORD, T0 + 5, &in, &err), 0);
	assert_int_equal(
	    auth_set_disabled(f->db.store, "nobody", true, &f->cli, T0, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_NOT_FOUND);
}

static void
test_tokens(void **state)
{
	struct fixture *f = *state;
	char token[AUTH_TOKEN_LEN + 1], second[AUTH_TOKEN_LEN + 1];
	struct account a;
	struct error err;
	unsigned n;

	error_clear(&err);
	assert_int_equal(auth_token_add(f->db.store, "ola", &f->cli, T0, token,
	                     sizeof token, &err),
	    0);
	assert_int_equal(strlen(token), AUTH_TOKEN_LEN);
	assert_memory_equal(
	    token, AUTH_TOKEN_PREFIX, strlen(AUTH_TOKEN_PREFIX));
	assert_int_equal(auth_token_add(f->db.store, "ola", &f->cli, T0, second,
	                     sizeof second, &err),
	    0);
	assert_string_not_equal(token, second);
	assert_not_stored(f, token);
	assert_not_stored(f, token + strlen(AUTH_TOKEN_PREFIX));

	assert_int_equal(auth_bearer(f->db.store, token, T0 + 1, &a, &err), 0);
	assert_string_equal(a.login, "ola");
	assert_int_equal(a.role, ROLE_RECEPTION);
	assert_int_equal(
	    auth_bearer(f->db.store, "wizyta_0000", T0, &a, &err), -1);
	assert_string_equal(err.code, "invalid_token");
	assert_int_equal(auth_bearer(f->db.store, "", T0, &a, &err), -1);

	/* a disabled operator's tokens stop, and come back with the account */
	assert_int_equal(
	    auth_set_disabled(f->db.store, "ola", true, &f->cli, T0, &err), 0);
	assert_int_equal(auth_bearer(f->db.store, token, T0 + 2, &a, &err), -1);
	assert_int_equal(auth_token_add(f->db.store, "ola", &f->cli, T0, second,
	                     sizeof second, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_FORBIDDEN);
	assert_int_equal(
	    auth_set_disabled(f->db.store, "ola", false, &f->cli, T0, &err), 0);
	assert_int_equal(auth_bearer(f->db.store, token, T0 + 3, &a, &err), 0);

	/* revoke: all of that operator's tokens, nobody else's */
	assert_int_equal(auth_token_add(f->db.store, "anna", &f->cli, T0,
	                     second, sizeof second, &err),
	    0);
	assert_int_equal(
	    auth_token_revoke(f->db.store, "ola", &f->cli, T0 + 4, &n, &err),
	    0);
	assert_int_equal(n, 2);
	assert_int_equal(auth_bearer(f->db.store, token, T0 + 5, &a, &err), -1);
	assert_int_equal(auth_bearer(f->db.store, second, T0 + 5, &a, &err), 0);
	assert_string_equal(a.login, "anna");
	assert_int_equal(
	    auth_token_revoke(f->db.store, "ola", &f->cli, T0 + 6, &n, &err),
	    0);
	assert_int_equal(n, 0);
	assert_int_equal(
	    auth_token_revoke(f->db.store, "nobody", &f->cli, T0, &n, &err),
	    -1);
	assert_int_equal(err.kind, ERROR_NOT_FOUND);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "token.add", 0, NULL), 3);
	assert_int_equal(
	    testdb_audit_count(f->db.store, "token.revoke", 0, NULL), 2);
}

static void
test_local_path(void **state)
{
	(void)state;
	assert_true(url_local_path("/staff"));
	assert_true(url_local_path("/staff/desk?date=2026-12-08&x=%2F"));
	assert_false(url_local_path(NULL));
	assert_false(url_local_path(""));
	assert_false(url_local_path("staff"));
	assert_false(url_local_path("//evil.example/"));
	assert_false(url_local_path("/\\evil.example/"));
	assert_false(url_local_path("/staff\\..\\x"));
	assert_false(url_local_path("https://evil.example/"));
	assert_false(url_local_path("/staff\r\nSet-Cookie: x=1"));
	assert_false(url_local_path("/a b"));
	assert_false(url_local_path("/\tevil"));
}

int
main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, testdb_teardown)
	const struct CMUnitTest tests[] = {
	    T(test_login_and_session),
	    T(test_no_enumeration_and_lockout),
	    T(test_disabled),
	    T(test_tokens),
	    cmocka_unit_test(test_local_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
