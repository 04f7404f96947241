# tests/pg_tests.make: the PostgreSQL run's tests, made from TESTS (GNU
# make reads this at run time; see tests/pg.mk). The multi-process test
# and the copy from SQLite need PostgreSQL and run only there.
PG_TESTS := $(patsubst tests/%,tests/pg/%.pg,$(patsubst %.py,%,$(filter-out \
	$(PG_NOT_RUN),$(filter tests/unit/% tests/integration/%,$(TESTS))))) \
	tests/pg/integration/test_multi_process.pg \
	tests/pg/integration/test_migrate_postgresql.pg
TESTS += $(PG_TESTS)
# whichever .pg logs this make is to write (TEST_LOGS, also when TESTS
# is given on the command line) wait for the server
$(filter tests/pg/%,$(TEST_LOGS)): tests/pg-server/started
