# cli/: the `wizyta` admin command line, one file per command.
bin_PROGRAMS += wizyta
wizyta_SOURCES = cli/cli.h cli/wizyta.c cli/cmd_init.c cli/cmd_demo.c \
	cli/cmd_operator.c cli/cmd_status.c cli/cmd_token.c \
	cli/cmd_migrate.c cli/cmd_backup.c cli/cmd_purge.c cli/cmd_person.c
wizyta_CFLAGS = $(AM_CFLAGS) $(WIZYTA_EXTERNAL_CFLAGS)
wizyta_LDADD = $(WIZYTA_LIBS) $(WIZYTA_EXTERNAL_LIBS)
