/*
 * test_channel_mail.c: channel_smtp and inbound_imap against real servers
 * (tests/peers/mail_peers.py: Dovecot IMAP + LMTP behind an aiosmtpd SMTP
 * server), started once for the whole program. Emits TAP; skips only when
 * Dovecot or aiosmtpd are not installed.
 */
#include <libetpan/libetpan.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "channel.h"
#include "config.h"
#include "inbound.h"
#include "log.h"
#include "mail_compose.h"

static int test_no;
static int failures;
static char peers_dir[256];
static char peers_script[512];
static unsigned port_smtp, port_rogue, port_imap, port_smtps, port_imaps;
static unsigned port_plain;
static char ca_file[300], rogue_ca[300];

static void
ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		failures++;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
set(char **field, const char *value)
{
	free(*field);
	*field = strdup(value);
}

static int
peers(const char *args, char *out, size_t size)
{
	char cmd[1024];
	FILE *f;
	size_t n;

	snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s %s", peers_script, args);
	f = popen(cmd, "r");
	if (f == NULL)
		return -1;
	n = out != NULL ? fread(out, 1, size - 1, f) : 0;
	if (out != NULL)
		out[n] = '\0';
	else {
		char sink[256];

		while (fread(sink, 1, sizeof sink, f) > 0)
			;
	}
	return pclose(f) == 0 ? 0 : -1;
}

static unsigned
env_port(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p != NULL ? (unsigned)strtoul(p + strlen(key), NULL, 10) : 0;
}

/* smtp.jsonl: count events of the peers' SMTP servers containing needle. */
static int
events_count(const char *needle)
{
	char path[400], line[1024];
	FILE *f;
	int n = 0;

	snprintf(path, sizeof path, "%s/smtp.jsonl", peers_dir);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL)
		if (strstr(line, needle) != NULL)
			n++;
	fclose(f);
	return n;
}

static struct config *
mail_config(void)
{
	struct config *c = config_defaults();

	set(&c->smtp_host, "127.0.0.1");
	c->smtp_port = port_smtp;
	c->smtp_tls = TLS_STARTTLS;
	set(&c->smtp_user, "wizyta");
	set(&c->smtp_password, "secret");
	c->smtp_timeout = 5;
	c->imap_timeout = 5;
	set(&c->tls_ca_file, ca_file);
	set(&c->imap_host, "127.0.0.1");
	c->imap_port = port_imap;
	c->imap_tls = TLS_STARTTLS;
	set(&c->imap_user, "wizyta");
	set(&c->imap_password, "secret");
	set(&c->imap_mailbox, "INBOX");
	return c;
}

static void
compose(const char *to, const char *ref, struct buf *out)
{
	struct mail_spec m;
	struct error err;
	char subject[128], id[128];

	memset(&m, 0, sizeof m);
	snprintf(subject, sizeof subject, "Potwierdź wizytę %s", ref);
	snprintf(id, sizeof id, "%s.%ld@urzad.example", ref, (long)getpid());
	m.from = "Urząd Miasta <wizyta@urzad.example>";
	m.to = to;
	m.reply_to = "wizyta+REF@example.test";
	m.subject = subject;
	m.message_id = id;
	m.language = "pl";
	m.text = "Dzień dobry,\nodpowiedz TAK lub NIE.\n";
	m.html = "<p>Dzień dobry</p>\n";
	m.date = time(NULL);
	buf_reset(out);
	if (mail_compose(&m, out, &err) != 0)
		abort();
}

static int
send_one(
    struct config *c, const char *to, const char *ref, struct send_status *st)
{
	struct channel ch;
	struct outgoing o;
	struct buf msg = BUF_INIT;
	struct error err;
	int rc;

	compose(to, ref, &msg);
	memset(&o, 0, sizeof o);
	o.id = 1;
	o.recipient = to;
	o.envelope_from = "wizyta@urzad.example";
	o.payload = msg.data;
	o.payload_len = msg.len;
	if (channel_open(&ch, &channel_smtp_ops, c, &err) != 0) {
		buf_free(&msg);
		return -1;
	}
	rc = ch.ops->send_batch(&ch, &o, 1, st);
	channel_close(&ch);
	buf_free(&msg);
	return rc;
}

/* The fake sink: in memory, optionally refusing the next stores. */
struct fake_sink {
	int stored;  /* store() calls that returned 0 */
	int refused; /* store() calls that returned -1 */
	int refuse_next;
	int seen_at_store; /* a message was already \Seen when handed over */
	char refs[64][32]; /* source ids stored */
	char kv[8][2][64];
};

static int imap_seen(uint32_t uid);

static int
sink_store(void *ctx, const struct inbound_message *m, struct error *err)
{
	struct fake_sink *s = ctx;
	const char *colon = strrchr(m->source_id, ':');

	if (colon != NULL &&
	    imap_seen((uint32_t)strtoul(colon + 1, NULL, 10)) == 1)
		s->seen_at_store++;
	if (s->refuse_next > 0) {
		s->refuse_next--;
		s->refused++;
		return error_set(err, ERROR_TEMPORARY, "fake sink: disk full");
	}
	if (s->stored < 64)
		snprintf(
		    s->refs[s->stored], sizeof s->refs[0], "%s", m->source_id);
	s->stored++;
	return 0;
}

static int
sink_get(void *ctx, const char *key, char *value, size_t size)
{
	struct fake_sink *s = ctx;
	int i;

	for (i = 0; i < 8; i++)
		if (strcmp(s->kv[i][0], key) == 0) {
			snprintf(value, size, "%s", s->kv[i][1]);
			return 0;
		}
	return -1;
}

static int
sink_set(void *ctx, const char *key, const char *value)
{
	struct fake_sink *s = ctx;
	int i;

	for (i = 0; i < 8; i++)
		if (s->kv[i][0][0] == '\0' || strcmp(s->kv[i][0], key) == 0) {
			snprintf(s->kv[i][0], sizeof s->kv[i][0], "%s", key);
			snprintf(s->kv[i][1], sizeof s->kv[i][1], "%s", value);
			return 0;
		}
	return -1;
}

/* imap_seen: 1 when uid has \Seen in wizyta's INBOX, 0 when not, -1 on
 * error; an independent plain connection (Dovecot allows it here). */
static int
imap_seen(uint32_t uid)
{
	mailimap *imap = mailimap_new(0, NULL);
	struct mailimap_set *set = mailimap_set_new_single(uid);
	struct mailimap_fetch_type *ft =
	    mailimap_fetch_type_new_fetch_att(mailimap_fetch_att_new_flags());
	clist *result = NULL;
	int seen = -1;

	mailimap_set_timeout(imap, 5);
	if (mailimap_socket_connect(imap, "127.0.0.1", (uint16_t)port_imap) >
	        2 ||
	    mailimap_login(imap, "wizyta", "secret") != 0 ||
	    mailimap_examine(imap, "INBOX") != 0 ||
	    mailimap_uid_fetch(imap, set, ft, &result) != 0)
		goto out;
	seen = 0;
	for (clistiter *it = clist_begin(result); it; it = clist_next(it)) {
		struct mailimap_msg_att *att = clist_content(it);

		for (clistiter *j = clist_begin(att->att_list); j;
		     j = clist_next(j)) {
			struct mailimap_msg_att_item *item = clist_content(j);
			struct mailimap_msg_att_dynamic *dyn;

			if (item->att_type != MAILIMAP_MSG_ATT_ITEM_DYNAMIC)
				continue;
			dyn = item->att_data.att_dyn;
			if (dyn == NULL || dyn->att_list == NULL)
				continue; /* FLAGS () */
			for (clistiter *k = clist_begin(dyn->att_list); k;
			     k = clist_next(k)) {
				struct mailimap_flag_fetch *ff =
				    clist_content(k);

				if (ff->fl_type == MAILIMAP_FLAG_FETCH_OTHER &&
				    ff->fl_flag->fl_type == MAILIMAP_FLAG_SEEN)
					seen = 1;
			}
		}
	}
	mailimap_fetch_list_free(result);
out:
	mailimap_fetch_type_free(ft);
	mailimap_set_free(set);
	if (imap->imap_stream != NULL)
		mailimap_logout(imap);
	mailimap_free(imap);
	return seen;
}

/* imap_count: messages in mailbox (EXAMINE), or -1. */
static int
imap_count(const char *mailbox)
{
	mailimap *imap = mailimap_new(0, NULL);
	int n = -1;

	mailimap_set_timeout(imap, 5);
	if (mailimap_socket_connect(imap, "127.0.0.1", (uint16_t)port_imap) <=
	        2 &&
	    mailimap_login(imap, "wizyta", "secret") == 0 &&
	    mailimap_examine(imap, mailbox) == 0 &&
	    imap->imap_selection_info != NULL)
		n = (int)imap->imap_selection_info->sel_exists;
	if (imap->imap_stream != NULL)
		mailimap_logout(imap);
	mailimap_free(imap);
	return n;
}

/* silent_port: a listening socket that never answers (the kernel accepts,
 * nobody greets): every client call must time out on its own. */
static int
silent_port(unsigned *port)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    listen(fd, 8) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) != 0)
		return -1;
	*port = ntohs(sin.sin_port);
	return fd;
}

static void
sink_init(struct inbound_sink *sink, struct fake_sink *s)
{
	sink->ctx = s;
	sink->store = sink_store;
	sink->state_get = sink_get;
	sink->state_set = sink_set;
}

static void
test_smtp(void)
{
	struct config *c = mail_config();
	struct channel ch;
	struct outgoing o[2];
	struct send_status st[2];
	struct buf m1 = BUF_INIT, m2 = BUF_INIT;
	struct error err;
	double t0;
	int before;

	/* one session, two messages: one delivered, one unknown user */
	compose("wizyta+AAA111@example.test", "AAA111", &m1);
	compose("nikt@example.test", "BBB222", &m2);
	memset(o, 0, sizeof o);
	o[0].id = 11;
	o[0].recipient = "wizyta+AAA111@example.test";
	o[0].envelope_from = "wizyta@urzad.example";
	o[0].payload = m1.data;
	o[0].payload_len = m1.len;
	o[1] = o[0];
	o[1].id = 12;
	o[1].recipient = "nikt@example.test";
	o[1].payload = m2.data;
	o[1].payload_len = m2.len;
	ok(channel_open(&ch, &channel_smtp_ops, c, &err) == 0, "smtp: open");
	ok(ch.ops->send_batch(&ch, o, 2, st) == 0,
	    "smtp: batch fills statuses");
	{
		/* the same channel serves the next batch (its own session) */
		struct outgoing again = o[0];
		struct send_status st2;

		again.recipient = "jan@example.test";
		ch.ops->send_batch(&ch, &again, 1, &st2);
		ok(st2.result == SEND_OK,
		    "smtp: a second batch on the same channel (%s)",
		    st2.detail);
	}
	channel_close(&ch);
	ok(st[0].result == SEND_OK, "smtp: STARTTLS + AUTH, delivered (%s)",
	    st[0].detail);
	ok(st[1].result == SEND_PERMANENT &&
	        strstr(st[1].detail, "550") != NULL,
	    "smtp: unknown user is permanent (%s)", st[1].detail);
	ok(events_count("\"event\": \"auth\"") == 2 &&
	        events_count("\"ok\": true, \"tls\": true") == 2,
	    "smtp: one AUTH per batch session, over TLS");
	ok(events_count("\"message_id_count\": 1") == 2,
	    "smtp: libesmtp added no second Message-ID");

	/* 4xx for a while */
	{
		char args[400];

		snprintf(args, sizeof args, "tempfail %s on", peers_dir);
		peers(args, NULL, 0);
		send_one(c, "jan@example.test", "CCC333", st);
		ok(st[0].result == SEND_TEMPORARY &&
		        strstr(st[0].detail, "451") != NULL,
		    "smtp: 451 is temporary (%s)", st[0].detail);
		snprintf(args, sizeof args, "tempfail %s off", peers_dir);
		peers(args, NULL, 0);
	}

	/* a certificate our CA did not sign: refused before AUTH */
	before = events_count("\"event\": \"auth\"");
	c->smtp_port = port_rogue;
	send_one(c, "jan@example.test", "DDD444", st);
	ok(st[0].result == SEND_TEMPORARY &&
	        strstr(st[0].detail, "certificate") != NULL,
	    "smtp: rogue certificate is temporary (%s)", st[0].detail);
	ok(events_count("\"event\": \"auth\"") == before &&
	        events_count("\"server\": \"smtp_rogue\"") == 0,
	    "smtp: no AUTH and no mail sent to the rogue server");

	/* STARTTLS required but not offered: nothing sent, no password */
	c->smtp_port = port_plain;
	send_one(c, "jan@example.test", "PLN001", st);
	ok(st[0].result == SEND_TEMPORARY &&
	        strstr(st[0].detail, "STARTTLS") != NULL,
	    "smtp: STARTTLS not offered is temporary (%s)", st[0].detail);
	ok(events_count("\"server\": \"smtp_plain\"") == 0,
	    "smtp: no AUTH and no mail without TLS");

	/* wrong password */
	c->smtp_port = port_smtp;
	set(&c->smtp_password, "wrong");
	send_one(c, "jan@example.test", "EEE555", st);
	ok(st[0].result == SEND_TEMPORARY &&
	        strstr(st[0].detail, "535") != NULL,
	    "smtp: AUTH refused is temporary (%s)", st[0].detail);
	set(&c->smtp_password, "secret");

	/* implicit TLS (RFC 8314): verified by us, then AUTH */
	c->smtp_tls = TLS_TLS;
	c->smtp_port = port_smtps;
	before = events_count("\"event\": \"auth\"");
	send_one(c, "jan@example.test", "TLS001", st);
	ok(st[0].result == SEND_OK &&
	        events_count("\"event\": \"auth\"") == before + 1,
	    "smtp: smtp_tls=tls delivers with AUTH (%s)", st[0].detail);
	set(&c->tls_ca_file, rogue_ca);
	send_one(c, "jan@example.test", "TLS002", st);
	ok(st[0].result == SEND_TEMPORARY &&
	        strstr(st[0].detail, "certificate") != NULL &&
	        events_count("\"event\": \"auth\"") == before + 1,
	    "smtp: smtp_tls=tls with an untrusted certificate: no AUTH (%s)",
	    st[0].detail);
	set(&c->tls_ca_file, ca_file);
	c->smtp_port = port_smtp;

	/* plain, no TLS, no AUTH: smtp_tls = none */
	c->smtp_tls = TLS_NONE;
	c->smtp_port = port_plain;
	set(&c->smtp_user, "");
	send_one(c, "jan@example.test", "FFF666", st);
	ok(st[0].result == SEND_OK, "smtp: smtp_tls=none delivers (%s)",
	    st[0].detail);

	/* a server that is down */
	c->smtp_port = 1;
	t0 = now();
	send_one(c, "jan@example.test", "GGG777", st);
	ok(st[0].result == SEND_TEMPORARY && now() - t0 < c->smtp_timeout + 2,
	    "smtp: server down is temporary, quickly (%s)", st[0].detail);
	config_free(c);
	buf_free(&m1);
	buf_free(&m2);
}

static void
test_imap(void)
{
	struct config *c = mail_config();
	struct inbound in;
	struct inbound_sink sink;
	struct fake_sink fs;
	struct send_status st;
	struct error err;
	struct config *cs = mail_config();
	double t0;
	pid_t pid;
	int r;

	memset(&fs, 0, sizeof fs);
	sink_init(&sink, &fs);
	memset(&in, 0, sizeof in);
	in.ops = &inbound_imap_ops;
	ok(in.ops->open(&in, c, &err) == 0, "imap: open");

	/* test_smtp delivered one message to wizyta (AAA111) */
	r = in.ops->poll(&in, &sink, 0, &err);
	ok(r == 0 && fs.stored == 1,
	    "imap: STARTTLS, verified, one message (%d, %s)", fs.stored,
	    r ? err.msg : "");
	ok(fs.seen_at_store == 0, "imap: not \\Seen while handed over (PEEK)");
	ok(imap_seen(1) == 1, "imap: \\Seen after store() returned 0");
	r = in.ops->poll(&in, &sink, 0, &err);
	ok(r == 0 && fs.stored == 1, "imap: not handed over twice");

	/* a store that fails leaves it unseen; handed over again */
	send_one(cs, "wizyta+HHH888@example.test", "HHH888", &st);
	usleep(300000);
	fs.refuse_next = 1;
	r = in.ops->poll(&in, &sink, 0, &err);
	ok(r == 0 && fs.refused == 1 && fs.stored == 1 && imap_seen(2) == 0,
	    "imap: refused store leaves uid 2 unseen (refused %d stored %d "
	    "seen %d)",
	    fs.refused, fs.stored, imap_seen(2));
	r = in.ops->poll(&in, &sink, 0, &err);
	ok(r == 0 && fs.stored == 2 && imap_seen(2) == 1,
	    "imap: handed over again, then \\Seen (stored %d seen %d)",
	    fs.stored, imap_seen(2));
	in.ops->close(&in);

	/* restart resumes from the last UID */
	memset(&in, 0, sizeof in);
	in.ops = &inbound_imap_ops;
	in.ops->open(&in, c, &err);
	send_one(cs, "wizyta+JJJ999@example.test", "JJJ999", &st);
	usleep(300000);
	r = in.ops->poll(&in, &sink, 0, &err);
	ok(r == 0 && fs.stored == 3 && strstr(fs.refs[2], ":3") != NULL,
	    "imap: restart resumes after last uid (%s)", fs.refs[2]);

	/* IDLE wakes up on new mail */
	pid = fork();
	if (pid == 0) {
		usleep(1000000);
		send_one(cs, "wizyta+KKK000@example.test", "KKK000", &st);
		_exit(st.result == SEND_OK ? 0 : 1);
	}
	t0 = now();
	r = in.ops->poll(&in, &sink, 10000, &err);
	ok(r == 0 && fs.stored == 4 && now() - t0 < 6,
	    "imap: IDLE woke on new mail after %.1fs", now() - t0);
	waitpid(pid, NULL, 0);

	/* a UIDVALIDITY we do not know: start over, the sink is idempotent */
	sink_set(&fs, "imap.uidvalidity", "1");
	r = in.ops->poll(&in, &sink, 0, &err);
	ok(r == 0 && fs.stored == 8,
	    "imap: new UIDVALIDITY reads from uid 1 (%d)", fs.stored);
	in.ops->close(&in);

	/* implicit TLS IMAP (imaps) */
	c->imap_tls = TLS_TLS;
	c->imap_port = port_imaps;
	memset(&in, 0, sizeof in);
	in.ops = &inbound_imap_ops;
	in.ops->open(&in, c, &err);
	r = in.ops->poll(&in, &sink, 0, &err);
	ok(r == 0 && fs.stored == 8,
	    "imap: imap_tls=tls connects, nothing new (%s)", r ? err.msg : "");
	in.ops->close(&in);
	c->imap_tls = TLS_STARTTLS;
	c->imap_port = port_imap;

	/* processed mailbox: MOVE (RFC 6851) after store, never deleted */
	set(&c->imap_processed_mailbox, "Processed");
	memset(&in, 0, sizeof in);
	in.ops = &inbound_imap_ops;
	in.ops->open(&in, c, &err);
	send_one(cs, "wizyta+MOV111@example.test", "MOV111", &st);
	usleep(300000);
	r = in.ops->poll(&in, &sink, 0, &err);
	ok(r == 0 && fs.stored == 9 && imap_count("Processed") == 1,
	    "imap: stored, then moved to the processed mailbox (%s)",
	    r ? err.msg : "");
	ok(imap_count("INBOX") == 4,
	    "imap: the rest stays in INBOX, nothing deleted");
	in.ops->close(&in);
	set(&c->imap_processed_mailbox, "");

	/* a certificate the configured CA does not sign: no login */
	set(&c->tls_ca_file, rogue_ca);
	memset(&in, 0, sizeof in);
	in.ops = &inbound_imap_ops;
	in.ops->open(&in, c, &err);
	r = in.ops->poll(&in, &sink, 0, &err);
	ok(r == -1 && strstr(err.msg, "certificate") != NULL,
	    "imap: untrusted certificate refused before login (%s)", err.msg);
	in.ops->close(&in);

	/* a server that accepts and never speaks: the I/O timeout */
	{
		unsigned port = 1;
		int fd = silent_port(&port);
		struct send_status sst;

		c->imap_port = port;
		c->smtp_timeout = 2;
		c->imap_timeout = 2;
		memset(&in, 0, sizeof in);
		in.ops = &inbound_imap_ops;
		in.ops->open(&in, c, &err);
		t0 = now();
		r = in.ops->poll(&in, &sink, 0, &err);
		ok(r == -1 && now() - t0 < 5,
		    "imap: silent server times out in %.1fs", now() - t0);
		in.ops->close(&in);
		cs->smtp_port = port;
		cs->smtp_timeout = 2;
		t0 = now();
		send_one(cs, "jan@example.test", "SIL001", &sst);
		ok(sst.result == SEND_TEMPORARY && now() - t0 < 5,
		    "smtp: silent server is temporary after %.1fs (%s)",
		    now() - t0, sst.detail);
		close(fd);
		c->imap_port = port_imap;
	}

	/* server down: -1 quickly, and the next poll reconnects */
	c->imap_port = 1;
	memset(&in, 0, sizeof in);
	in.ops = &inbound_imap_ops;
	in.ops->open(&in, c, &err);
	t0 = now();
	r = in.ops->poll(&in, &sink, 0, &err);
	ok(r == -1 && now() - t0 < 7, "imap: server down is an error (%s)",
	    err.msg);
	in.ops->close(&in);
	config_free(c);
	config_free(cs);
}

int
main(void)
{
	const char *srcdir = getenv("top_srcdir");
	char out[2048], args[512];
	char tmpl[] = "/tmp/wizyta-mail-XXXXXX";

	signal(SIGPIPE, SIG_IGN);
	log_init("test_channel_mail", LOG_LEVEL_WARN);
	snprintf(peers_script, sizeof peers_script,
	    "%s/tests/peers/mail_peers.py", srcdir != NULL ? srcdir : ".");
	if (peers("check", out, sizeof out) != 0) {
		out[strcspn(out, "\n")] = '\0';
		printf(
		    "1..0 # SKIP %s\n", out[0] ? out : "mail peers cannot run");
		return 0;
	}
	if (mkdtemp(tmpl) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	snprintf(peers_dir, sizeof peers_dir, "%s", tmpl);
	snprintf(args, sizeof args, "start %s", peers_dir);
	if (peers(args, out, sizeof out) != 0) {
		printf("Bail out! mail_peers.py start failed (see %s)\n",
		    peers_dir);
		return 1;
	}
	port_smtp = env_port(out, "MAIL_PEERS_SMTP_PORT=");
	port_rogue = env_port(out, "MAIL_PEERS_SMTP_ROGUE_PORT=");
	port_imap = env_port(out, "MAIL_PEERS_IMAP_PORT=");
	port_smtps = env_port(out, "MAIL_PEERS_SMTPS_PORT=");
	port_imaps = env_port(out, "MAIL_PEERS_IMAPS_PORT=");
	port_plain = env_port(out, "MAIL_PEERS_SMTP_PLAIN_PORT=");
	snprintf(ca_file, sizeof ca_file, "%s/tls/ca.pem", peers_dir);
	snprintf(rogue_ca, sizeof rogue_ca, "%s/tls/rogue.pem", peers_dir);
	printf("1..34\n");
	test_smtp();
	test_imap();
	snprintf(args, sizeof args, "stop %s", peers_dir);
	peers(args, NULL, 0);
	if (failures == 0) {
		snprintf(args, sizeof args, "rm -rf '%s'", peers_dir);
		if (system(args) != 0)
			fprintf(stderr, "could not remove %s\n", peers_dir);
	}
	return failures == 0 ? 0 : 1;
}
