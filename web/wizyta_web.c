/*
 * wizyta_web.c: the wizyta-web program — the citizen site, the staff
 * panels and the JSON API.
 *
 *   wizyta-web -c FILE
 *
 * Start-up order: configuration, office zone, a database check (schema must
 * be ours: else "run wizyta -c FILE init"; and a real write, so that a
 * read-only or full disk is one clear line now rather than a failed booking
 * later), the catalogs, then the listening socket (bound here, so "port in
 * use" is one clear line naming the file), then the server. SIGTERM/SIGINT stop
 * accepting, let requests in flight finish, and exit 0. SIGHUP reads the
 * file again (config_live_reload_file: what can change at run time is
 * applied, the rest waits for a restart; a broken file changes nothing).
 * The database's settings are watched by the notifier (events.c). The
 * process sends
 * nothing itself: every message is an outbox row that wizytad delivers.
 */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "config_live.h"
#include "events.h"
#include "http.h"
#include "log.h"
#include "office_time.h"
#include "page.h"
#include "security.h"
#include "store.h"
#include "systemd_notify.h"
#include "token.h"

static void
usage(FILE *out, int status)
{
	fprintf(out, "usage: wizyta-web -c FILE\n"
	             "  -c FILE  the configuration (wizyta.conf(5))\n");
	exit(status);
}

/* Bind [web] listen ("host:port", "[v6]:port"); -1 with a reason. */
static int
listen_on(const char *listen_spec, char *why, size_t why_size)
{
	char host[256];
	const char *colon, *port;
	struct addrinfo hints, *res, *ai;
	int fd = -1, one = 1, rc, saved = 0;

	colon = strrchr(listen_spec, ':');
	if (colon == NULL || colon[1] == '\0') {
		snprintf(why, why_size, "expected host:port");
		return -1;
	}
	port = colon + 1;
	if (listen_spec[0] == '[' && colon > listen_spec && colon[-1] == ']')
		snprintf(host, sizeof host, "%.*s",
		    (int)(colon - listen_spec - 2), listen_spec + 1);
	else
		snprintf(host, sizeof host, "%.*s", (int)(colon - listen_spec),
		    listen_spec);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	if ((rc = getaddrinfo(host[0] ? host : NULL, port, &hints, &res)) !=
	    0) {
		snprintf(why, why_size, "%s", gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		         ai->ai_protocol)) < 0) {
			saved = errno;
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 &&
		    listen(fd, 128) == 0)
			break;
		saved = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		snprintf(why, why_size, "%s", strerror(saved));
	return fd;
}

/* raise_open_files: every connection, live screens included, holds a
 * socket: lift the soft limit of open files towards the hard one when the
 * default 1024 is too few. */
static void
raise_open_files(unsigned connections, unsigned streams)
{
	rlim_t want = (rlim_t)connections + streams + 64;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want
	                  ? want
	                  : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur < want)
		log_warn("open files limited to %llu: fewer connections than"
		         " web.max_connections + web.event_streams may open",
		    (unsigned long long)rl.rlim_cur);
}

int
main(int argc, char **argv)
{
	const char *path = NULL;
	struct config *config;
	struct store *s;
	struct error err;
	struct web w;
	sigset_t set;
	char why[256], dbname[512];
	static const struct option long_options[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int ch, fd, sig;

	while ((ch = getopt_long(argc, argv, "c:h", long_options, NULL)) !=
	       -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		case 'h': usage(stdout, 0); break;
		default: usage(stderr, 2);
		}
	}
	if (optind != argc)
		fprintf(stderr, "wizyta-web: unexpected '%s'\n", argv[optind]);
	else if (path == NULL)
		fprintf(stderr, "wizyta-web: no configuration: give -c FILE"
		                " (e.g. -c /etc/wizyta/wizyta.conf)\n");
	if (path == NULL || optind != argc)
		usage(stderr, 2);
	/* whatever this process writes (the database, -wal, -shm, the dev
	 * mailbox's replies) holds personal data: owner only, whatever the
	 * caller's umask */
	umask(077);
	log_init("wizyta-web", LOG_LEVEL_INFO);
	error_clear(&err);
	if ((config = config_load(path, &err)) == NULL) {
		fprintf(stderr, "wizyta-web: %s\n", err.msg);
		return 1;
	}
	if (otime_init(config->office_timezone, &err) != 0) {
		fprintf(stderr, "wizyta-web: %s: office.timezone: %s\n",
		    config_where(config, "office", "timezone", why, sizeof why),
		    err.msg);
		config_free(config);
		return 1;
	}
	store_locator_display(config->database, dbname, sizeof dbname);
	if ((s = store_open(config->database, &err)) == NULL ||
	    store_check_schema(s, &err) != 0 ||
	    store_check_writable(s, "wizyta-web", time(NULL), &err) != 0) {
		if (s == NULL && strcmp(err.code, "unavailable") == 0 &&
		    store_locator_is_postgresql(config->database))
			fprintf(stderr,
			    "wizyta-web: %s: %s (is the PostgreSQL server"
			    " running, and [database] conninfo right?)\n",
			    path, err.msg);
		else if (strcmp(err.code, "unavailable") == 0)
			fprintf(stderr,
			    "wizyta-web: %s: database %s cannot be written: %s"
			    " (check the owner and mode of the file and its"
			    " directory, and the free space)\n",
			    path, dbname, err.msg);
		/* the store's message already says how to fix an old schema */
		else if (strstr(err.msg, "init") != NULL)
			fprintf(stderr, "wizyta-web: %s: database %s: %s\n",
			    path, dbname, err.msg);
		else
			fprintf(stderr,
			    "wizyta-web: %s: database %s: %s (run wizyta -c %s"
			    " init)\n",
			    path, dbname, err.msg, path);
		store_close(s);
		config_free(config);
		return 1;
	}
	store_close(s);

	if (routes_check(why, sizeof why) != 0) {
		/* a bug in a route table: refuse rather than serve it open */
		fprintf(stderr, "wizyta-web: route table: %s\n", why);
		config_free(config);
		return 1;
	}
	memset(&w, 0, sizeof w);
	w.config = config;
	token_random(w.key, sizeof w.key);
	w.limits = ratelimit_new(config->web_rate_limit);
	w.login_limits = ratelimit_new(config->staff_login_rate_limit);
	w.dev_mailbox = config->web_dev_mailbox;
	w.https = strncmp(config->web_base_url, "https://", 8) == 0;
	if (i18n_load(&w, &err) != 0) {
		fprintf(stderr, "wizyta-web: %s\n", err.msg);
		return 1;
	}
	if ((fd = listen_on(config->web_listen, why, sizeof why)) < 0) {
		char where[1100];

		fprintf(stderr, "wizyta-web: %s: web.listen = %s: %s\n",
		    config_where(config, "web", "listen", where, sizeof where),
		    config->web_listen, why);
		i18n_free(&w);
		ratelimit_free(w.limits);
		ratelimit_free(w.login_limits);
		config_free(config);
		return 1;
	}

	/* threads inherit the mask: only main waits for the signals */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	/* the configuration in force: the file's, the database's settings
	 * over it (the notifier loads them at its start), re-read on SIGHUP */
	config_live_start(config);
	signal(SIGPIPE, SIG_IGN);
	raise_open_files(
	    config->web_max_connections, config->web_event_streams);
	if (events_start(&w, &err) != 0) {
		fprintf(stderr, "wizyta-web: live events: %s\n", err.msg);
		close(fd);
		return 1;
	}
	if (http_start(&w, fd, &err) != 0) {
		fprintf(stderr, "wizyta-web: %s\n", err.msg);
		close(fd);
		return 1;
	}
	log_info("listening listen=%s threads=%u max_connections=%u"
	         " max_connections_per_address=%u request_timeout=%llds",
	    config->web_listen, config->web_threads,
	    config->web_max_connections,
	    config->web_max_connections_per_address,
	    (long long)config->web_request_timeout);
	/* a Type=notify unit is "active" once this says so */
	systemd_notify("READY=1\nSTATUS=serving");
	if (w.dev_mailbox)
		log_warn(
		    "dev_mailbox is on: /dev/mailbox shows every message sent"
		    " and answers for citizens, to loopback clients only;"
		    " never on a public site");
	/* SIGHUP (the units' ExecReload): systemctl reload waits for READY */
	while (sigwait(&set, &sig) == 0 && sig == SIGHUP) {
		systemd_notify("RELOADING=1");
		(void)config_live_reload_file("wizyta-web");
		systemd_notify("READY=1\nSTATUS=serving");
	}
	log_info("stopping signal=%d", sig);
	systemd_notify("STOPPING=1");
	events_stop(); /* streams end first: http_stop waits for them */
	http_stop();
	events_free();
	config_live_stop();
	i18n_free(&w);
	ratelimit_free(w.limits);
	ratelimit_free(w.login_limits);
	config_free(config);
	log_info("stopped");
	return 0;
}
