/*
 * outbox_fill.c: put N ready messages into the outbox in one transaction,
 * for the delivery benchmarks. Goes through the store like everything else.
 *
 *   outbox_fill -c FILE -n N -k email|sms -t RECIPIENT [-f PAYLOAD_FILE]
 *
 * Every "{n}" in the payload becomes the row's number (0 … N-1), so a
 * receiver can tell each message from the others and count duplicates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "config.h"
#include "store.h"
#include "token.h"

int
main(int argc, char **argv)
{
	const char *conf = NULL, *kind = "sms", *to = NULL, *payload_file = NULL;
	struct buf payload = BUF_INIT, numbered = BUF_INIT;
	const char *p;
	struct config *c;
	struct store *s;
	struct error err;
	long n = 100, i;
	int ch;

	while ((ch = getopt(argc, argv, "c:n:k:t:f:")) != -1)
		switch (ch) {
		case 'c': conf = optarg; break;
		case 'n': n = strtol(optarg, NULL, 10); break;
		case 'k': kind = optarg; break;
		case 't': to = optarg; break;
		case 'f': payload_file = optarg; break;
		default: goto usage;
		}
	if (conf == NULL || to == NULL || n <= 0 || n > 1000000)
		goto usage;
	error_clear(&err);
	if ((c = config_load(conf, &err)) == NULL ||
	    (s = store_open(c->database, &err)) == NULL ||
	    store_check_schema(s, &err) != 0) {
		fprintf(stderr, "outbox_fill: %s\n", err.msg);
		return 1;
	}
	if (payload_file != NULL) {
		char chunk[4096];
		size_t got;
		FILE *fp = fopen(payload_file, "rb");

		if (fp == NULL) {
			perror(payload_file);
			return 1;
		}
		while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0)
			buf_append(&payload, chunk, got);
		fclose(fp);
	} else
		buf_puts(&payload, "Potwierdz wizyte 08.12 12:00, Pokoj 1 stanowisko 1: odpisz"
		    " TAK lub NIE. Nr BENCH00000");
	if (store_begin(s, &err) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		struct outbox_message m;

		memset(&m, 0, sizeof m);
		snprintf(m.channel, sizeof m.channel, "%s", kind);
		snprintf(m.kind, sizeof m.kind, "bench");
		snprintf(m.recipient, sizeof m.recipient, "%s", to);
		if (strcmp(kind, "email") == 0) {
			char id[40];

			token_hex(id, 12);
			snprintf(m.message_id, sizeof m.message_id, "%s@bench", id);
		}
		buf_reset(&numbered);
		for (p = buf_cstr(&payload); *p != '\0'; p++)
			if (strncmp(p, "{n}", 3) == 0) {
				buf_printf(&numbered, "%ld", i);
				p += 2;
			} else
				buf_putc(&numbered, *p);
		m.payload = numbered.data;
		m.payload_len = numbered.len;
		m.status = OUTBOX_QUEUED;
		m.created_at = m.next_attempt_at = time(NULL);
		if (store_outbox_add(s, &m, &err) != 0)
			goto fail;
	}
	if (store_commit(s, &err) != 0)
		goto fail;
	store_close(s);
	config_free(c);
	buf_free(&payload);
	buf_free(&numbered);
	return 0;
fail:
	fprintf(stderr, "outbox_fill: %s\n", err.msg);
	return 1;
usage:
	fprintf(stderr, "usage: outbox_fill -c FILE -n N -k email|sms -t RECIPIENT [-f PAYLOAD]\n");
	return 2;
}
