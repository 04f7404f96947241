/*
 * smtp_blast.c: the baseline of bench_mail.py — a plain SMTP client in C
 * that sends one message N times over one connection, as fast as the server
 * answers: EHLO, AUTH PLAIN, then MAIL/RCPT/DATA per message, each command
 * waiting for its reply (no pipelining), TCP_NODELAY. Whatever limits it is
 * the server, which is the point: it measures what the peer can take.
 *
 *   smtp_blast -p PORT [-a PLAIN] -f FROM -t TO -n N < MESSAGE
 *
 * PLAIN is the AUTH PLAIN initial response (RFC 4616), base64 of
 * "\0user\0password", made by the caller.
 *
 * MESSAGE is sent dot-stuffed with CRLF line ends. Prints "sent N" and
 * exits 0 when every message got a 250; 1 otherwise.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buf.h"

static int fd = -1;
static char inbuf[8192];
static size_t inlen;

static int
send_all(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* reply: read one (possibly multi-line) reply; its code, or -1 */
static int
reply(void)
{
	for (;;) {
		char *eol;
		ssize_t r;

		while ((eol = memchr(inbuf, '\n', inlen)) != NULL) {
			size_t len = (size_t)(eol - inbuf) + 1;
			int code = atoi(inbuf);
			int last = len >= 4 && inbuf[3] == ' ';

			memmove(inbuf, inbuf + len, inlen - len);
			inlen -= len;
			if (last)
				return code;
		}
		if (inlen == sizeof inbuf)
			return -1;
		r = read(fd, inbuf + inlen, sizeof inbuf - inlen);
		if (r <= 0)
			return -1;
		inlen += (size_t)r;
	}
}

static int
command(const char *text, int want)
{
	int code;

	if (send_all(text, strlen(text)) != 0 || (code = reply()) < 0)
		return -1;
	if (code / 100 != want / 100) {
		fprintf(stderr, "smtp_blast: %.*s → %d\n",
		    (int)strcspn(text, "\r"), text, code);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *plain = NULL, *from = NULL, *to = NULL;
	struct buf body = BUF_INIT, line = BUF_INIT;
	struct sockaddr_in sin;
	unsigned port = 25;
	long n = 1, i;
	int ch, one = 1, c;
	char cmd[600];

	while ((ch = getopt(argc, argv, "p:a:f:t:n:")) != -1)
		switch (ch) {
		case 'p': port = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'a': plain = optarg; break;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'n': n = strtol(optarg, NULL, 10); break;
		default: goto usage;
		}
	if (from == NULL || to == NULL || n <= 0)
		goto usage;
	/* the message, CRLF and dot-stuffed (RFC 5321 4.5.2) */
	while ((c = getchar()) != EOF) {
		if (c == '\r')
			continue;
		if (c == '\n') {
			if (line.len > 0 && line.data[0] == '.')
				buf_putc(&body, '.');
			buf_append(&body, line.data, line.len);
			buf_puts(&body, "\r\n");
			buf_reset(&line);
		} else
			buf_putc(&line, (char)c);
	}
	if (line.len > 0) {
		buf_append(&body, line.data, line.len);
		buf_puts(&body, "\r\n");
	}
	buf_puts(&body, ".\r\n");

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof sin) != 0) {
		perror("smtp_blast: connect");
		return 1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (reply() != 220 || command("EHLO blast.example\r\n", 250) != 0)
		return 1;
	if (plain != NULL) {
		snprintf(cmd, sizeof cmd, "AUTH PLAIN %s\r\n", plain);
		if (command(cmd, 235) != 0)
			return 1;
	}
	for (i = 0; i < n; i++) {
		snprintf(cmd, sizeof cmd, "MAIL FROM:<%s>\r\n", from);
		if (command(cmd, 250) != 0)
			return 1;
		snprintf(cmd, sizeof cmd, "RCPT TO:<%s>\r\n", to);
		if (command(cmd, 250) != 0 || command("DATA\r\n", 354) != 0 ||
		    command(buf_cstr(&body), 250) != 0)
			return 1;
	}
	command("QUIT\r\n", 221);
	close(fd);
	printf("sent %ld\n", n);
	buf_free(&body);
	buf_free(&line);
	return 0;
usage:
	fprintf(stderr, "usage: smtp_blast -p PORT [-a PLAIN] -f FROM "
	                "-t TO -n N < MESSAGE\n");
	return 2;
}
