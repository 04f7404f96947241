/*
 * dev_mailbox.c: /dev/mailbox — for development and demos only, served when
 * [web] dev_mailbox = yes (off by default), and then only to clients on
 * this machine: it shows every citizen's links and codes and answers for
 * them. A loopback client is one whose address (after trusted proxies) is
 * 127.0.0.0/8 or ::1 and whose request came straight to us: a request
 * forwarded by a proxy we do not trust (X-Forwarded-For, Forwarded,
 * X-Real-IP from an untrusted peer) is refused, so a reverse proxy on the
 * same machine does not make the whole internet "loopback".
 *
 * Lists what wizytad wrote: e-mails in <maildir>/outbox/{new,cur} (one
 * RFC 5322 file each) and SMS files in [sms] spool ("key: value" lines, a
 * blank line, the text). An e-mail can be answered from the browser: the
 * reply (From: the original To, To: its Reply-To, Subject: Re: …,
 * In-Reply-To/References: its Message-ID, text/plain UTF-8) is written
 * atomically (tmp, then rename, as maildir(5) says) into
 * <maildir>/inbound/new, where wizytad's maildir inbound reads it.
 *
 * The MIME reading here is deliberately small (headers, one text/plain
 * part, quoted-printable/base64, RFC 2047 words in UTF-8): it only has to
 * read our own messages. File names come from directory listings, never
 * from the URL as a path.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "maildir.h"
#include "page.h"
#include "security.h"
#include "token.h"
#include "url.h"
#include "utf8.h"

#define MAIL_MAX (512 * 1024)

struct message {
	char name[256];
	char dir[16]; /* "new", "cur" or "sms" */
	time_t mtime;
};

static bool
loopback(const char *address)
{
	return strncmp(address, "127.", 4) == 0 || strcmp(address, "::1") == 0;
}

static bool
local_client(struct request *rq)
{
	bool forwarded = http_header(rq, "X-Forwarded-For") != NULL ||
	                 http_header(rq, "Forwarded") != NULL ||
	                 http_header(rq, "X-Real-IP") != NULL;

	if (!loopback(rq->client))
		return false;
	/* rq->client differs from the peer only when a trusted proxy said so */
	return !forwarded || strcmp(rq->client, rq->peer) != 0;
}

static bool
enabled(struct request *rq, struct response *rs)
{
	if (!rq->web->dev_mailbox || !local_client(rq)) {
		page_message(
		    rq, rs, 404, "err_notfound_title", "err_notfound_text");
		return false;
	}
	return true;
}

static void
dir_path(const struct config *c, const char *dir, struct buf *out)
{
	if (strcmp(dir, "sms") == 0)
		buf_puts(out, c->sms_spool);
	else
		buf_printf(out, "%s/outbox/%s", c->mail_maildir, dir);
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *data;
	size_t n;

	if (f == NULL)
		return NULL;
	if ((data = malloc(MAIL_MAX + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	n = fread(data, 1, MAIL_MAX, f);
	fclose(f);
	data[n] = '\0';
	*len = n;
	return data;
}

/* the value of header `name` in the header block (unfolded), or "" */
static void
header(const char *text, const char *name, struct buf *out)
{
	size_t nlen = strlen(name);
	const char *p = text;

	buf_reset(out);
	buf_puts(out, "");
	while (*p != '\0' && *p != '\r' && *p != '\n') {
		const char *eol = p + strcspn(p, "\n");

		if (strncasecmp(p, name, nlen) == 0 && p[nlen] == ':') {
			const char *v = p + nlen + 1;

			for (;;) {
				const char *end = v + strcspn(v, "\r\n");

				while (*v == ' ' || *v == '\t')
					v++;
				if (end > v)
					buf_append(out, v, (size_t)(end - v));
				v = end + (*end == '\r') +
				    (end[*end == '\r'] == '\n');
				if (*v != ' ' && *v != '\t')
					break;
				buf_putc(out, ' ');
			}
			return;
		}
		p = *eol ? eol + 1 : eol;
	}
}

static const char *
body_of(const char *text)
{
	const char *p = strstr(text, "\r\n\r\n");
	const char *q = strstr(text, "\n\n");

	if (p != NULL && (q == NULL || p < q))
		return p + 4;
	return q != NULL ? q + 2 : "";
}

static void
decode_qp(const char *s, size_t n, bool underscore_space, struct buf *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '=' && i + 1 < n &&
		    (s[i + 1] == '\r' || s[i + 1] == '\n')) {
			i += s[i + 1] == '\r' && i + 2 < n && s[i + 2] == '\n'
			         ? 2
			         : 1;
		} else if (s[i] == '=' && i + 2 < n &&
		           hex_value(s[i + 1]) >= 0 &&
		           hex_value(s[i + 2]) >= 0) {
			buf_putc(out, (char)(hex_value(s[i + 1]) * 16 +
			                     hex_value(s[i + 2])));
			i += 2;
		} else if (underscore_space && s[i] == '_')
			buf_putc(out, ' ');
		else if (s[i] != '\r')
			buf_putc(out, s[i]);
	}
}

static void
decode_b64(const char *s, size_t n, struct buf *out)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned acc = 0;
	int bits = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		const char *p;

		if (s[i] == '=')
			break;
		if ((p = strchr(alphabet, s[i])) == NULL || s[i] == '\0')
			continue;
		acc = (acc << 6) | (unsigned)(p - alphabet);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_putc(out, (char)((acc >> bits) & 0xff));
		}
	}
}

/* RFC 2047 encoded words (our subjects are UTF-8 B or Q) */
static void
decode_words(const char *s, struct buf *out)
{
	while (*s != '\0') {
		const char *start = strstr(s, "=?"), *q1, *q2, *end;

		if (start == NULL || (q1 = strchr(start + 2, '?')) == NULL ||
		    q1[1] == '\0' || q1[2] != '?' ||
		    (end = strstr(q2 = q1 + 3, "?=")) == NULL) {
			buf_puts(out, s);
			return;
		}
		/* whitespace between two encoded words is dropped */
		if (out->len == 0 || s != start) {
			const char *w = s;

			while (w < start && (*w == ' ' || *w == '\t'))
				w++;
			if (w != start || out->len == 0)
				buf_append(out, s, (size_t)(start - s));
		}
		if (q1[1] == 'B' || q1[1] == 'b')
			decode_b64(q2, (size_t)(end - q2), out);
		else
			decode_qp(q2, (size_t)(end - q2), true, out);
		s = end + 2;
	}
}

/* the text/plain part of a message, decoded */
static void
plain_text(const char *text, struct buf *out)
{
	struct buf ctype = BUF_INIT, cte = BUF_INIT;
	const char *body = body_of(text), *b, *part = NULL;
	char boundary[128];

	header(text, "Content-Type", &ctype);
	if (strncasecmp(buf_cstr(&ctype), "multipart/", 10) == 0 &&
	    (b = strcasestr(buf_cstr(&ctype), "boundary=")) != NULL) {
		size_t n;

		b += 9;
		if (*b == '"')
			b++;
		n = strcspn(b, "\";");
		snprintf(boundary, sizeof boundary, "--%.*s", (int)n, b);
		for (b = strstr(body, boundary); b != NULL;
		     b = strstr(b + 1, boundary)) {
			const char *h = b + strlen(boundary);

			h += strspn(h, "\r\n");
			header(h, "Content-Type", &ctype);
			if (strncasecmp(buf_cstr(&ctype), "multipart/", 10) ==
			    0) {
				/* a nested alternative: look inside it */
				buf_free(&ctype);
				plain_text(h, out);
				return;
			}
			if (ctype.len == 0 || strncasecmp(buf_cstr(&ctype),
			                          "text/plain", 10) == 0) {
				const char *end;

				header(h, "Content-Transfer-Encoding", &cte);
				part = body_of(h);
				end = strstr(part, boundary);
				if (end == NULL)
					end = part + strlen(part);
				if (strcasecmp(buf_cstr(&cte), "base64") == 0)
					decode_b64(
					    part, (size_t)(end - part), out);
				else if (strcasecmp(buf_cstr(&cte),
				             "quoted-printable") == 0)
					decode_qp(part, (size_t)(end - part),
					    false, out);
				else
					buf_append(
					    out, part, (size_t)(end - part));
				break;
			}
		}
	} else {
		header(text, "Content-Transfer-Encoding", &cte);
		if (strcasecmp(buf_cstr(&cte), "base64") == 0)
			decode_b64(body, strlen(body), out);
		else if (strcasecmp(buf_cstr(&cte), "quoted-printable") == 0)
			decode_qp(body, strlen(body), false, out);
		else
			buf_puts(out, body);
	}
	buf_free(&ctype);
	buf_free(&cte);
}

static int
by_time_desc(const void *a, const void *b)
{
	const struct message *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? 1 : -1;
	return strcmp(y->name, x->name);
}

static void
list_dir(
    const struct config *c, const char *dir, struct message **list, size_t *n)
{
	struct buf path = BUF_INIT;
	struct dirent *de;
	DIR *d;

	dir_path(c, dir, &path);
	if ((d = opendir(buf_cstr(&path))) == NULL) {
		buf_free(&path);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		struct message *grown;
		struct stat st;
		struct buf file = BUF_INIT;

		if (de->d_name[0] == '.' ||
		    strlen(de->d_name) >= sizeof(*list)->name ||
		    !utf8_valid(de->d_name, strlen(de->d_name)))
			continue;
		buf_printf(&file, "%s/%s", buf_cstr(&path), de->d_name);
		if (stat(buf_cstr(&file), &st) != 0 || !S_ISREG(st.st_mode)) {
			buf_free(&file);
			continue;
		}
		buf_free(&file);
		if ((grown = realloc(*list, (*n + 1) * sizeof **list)) == NULL)
			break;
		*list = grown;
		snprintf(
		    (*list)[*n].name, sizeof(*list)[*n].name, "%s", de->d_name);
		snprintf((*list)[*n].dir, sizeof(*list)[*n].dir, "%s", dir);
		(*list)[*n].mtime = st.st_mtime;
		(*n)++;
	}
	closedir(d);
	buf_free(&path);
}

/* the message named by the URL, if the listing has it; its text malloc'd */
static char *
load(struct request *rq, const char *dir, const char *name, size_t *len)
{
	struct message *list = NULL;
	struct buf path = BUF_INIT;
	size_t n = 0, i;
	char *text = NULL;

	if (strcmp(dir, "sms") == 0)
		list_dir(rq->web->config, "sms", &list, &n);
	else if (strcmp(dir, "new") == 0 || strcmp(dir, "cur") == 0)
		list_dir(rq->web->config, dir, &list, &n);
	for (i = 0; i < n; i++)
		if (strcmp(list[i].name, name) == 0) {
			dir_path(rq->web->config, dir, &path);
			buf_printf(&path, "/%s", list[i].name);
			text = read_file(buf_cstr(&path), len);
			break;
		}
	free(list);
	buf_free(&path);
	return text;
}

static void
mailbox(struct request *rq, struct response *rs)
{
	const struct config *c = rq->web->config;
	struct message *list = NULL;
	struct buf v = BUF_INIT, decoded = BUF_INIT;
	size_t n = 0, i;
	json_t *ctx, *rows;

	if (!enabled(rq, rs))
		return;
	list_dir(c, "new", &list, &n);
	list_dir(c, "cur", &list, &n);
	if (c->sms_spool[0] != '\0')
		list_dir(c, "sms", &list, &n);
	if (n > 1)
		qsort(list, n, sizeof *list, by_time_desc);
	rows = json_array();
	for (i = 0; i < n && i < 200; i++) {
		char when[32], *text;
		size_t len;
		struct tm tm;
		bool sms = strcmp(list[i].dir, "sms") == 0;
		json_t *row;

		if ((text = load(rq, list[i].dir, list[i].name, &len)) == NULL)
			continue;
		localtime_r(&list[i].mtime, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
		/* file contents are whatever is on disk: json_text */
		row = json_pack("{s:s, s:s, s:s, s:s}", "name", list[i].name,
		    "dir", list[i].dir, "when", when, "kind",
		    sms ? "SMS" : "E-mail");
		header(text, "To", &v);
		json_object_set_new(
		    row, "to", json_text(v.data ? v.data : "", v.len));
		buf_reset(&decoded);
		if (sms)
			buf_puts(&decoded, body_of(text));
		else {
			header(text, "Subject", &v);
			decode_words(buf_cstr(&v), &decoded);
		}
		json_object_set_new(row, "subject",
		    json_text(buf_cstr(&decoded),
		        decoded.len > 160 ? 160 : decoded.len));
		json_array_append_new(rows, row);
		free(text);
	}
	free(list);
	buf_free(&v);
	buf_free(&decoded);
	ctx = page_context(rq);
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "mailbox_title")));
	json_object_set_new(ctx, "messages", rows);
	page_render(rq, rs, 200, "mailbox", ctx);
}

static void
message_render(
    struct request *rq, struct response *rs, unsigned status, bool sent)
{
	const char *dir = rq->captures[0], *name = rq->captures[1];
	struct buf v = BUF_INIT, decoded = BUF_INIT;
	bool sms = strcmp(dir, "sms") == 0;
	size_t len;
	char *text;
	json_t *ctx, *headers;
	static const char *const names[] = {"From", "To", "Reply-To", "Subject",
	    "Date", "Message-ID", "In-Reply-To"};
	static const char *const sms_names[] = {
	    "To", "From", "Id", "Encoding", "Segments"};
	size_t i;

	if ((text = load(rq, dir, name, &len)) == NULL) {
		page_message(
		    rq, rs, 404, "err_notfound_title", "err_notfound_text");
		return;
	}
	headers = json_array();
	for (i = 0; i < (sms ? 5 : 7); i++) {
		const char *h = sms ? sms_names[i] : names[i];

		header(text, h, &v);
		if (v.len == 0)
			continue;
		buf_reset(&decoded);
		decode_words(buf_cstr(&v), &decoded);
		json_array_append_new(
		    headers, json_pack("{s:s, s:o}", "name", h, "value",
		                 json_text(buf_cstr(&decoded), decoded.len)));
	}
	buf_reset(&decoded);
	if (sms)
		buf_puts(&decoded, body_of(text));
	else
		plain_text(text, &decoded);
	ctx = page_context(rq);
	json_object_set_new(
	    ctx, "title", json_string(page_t(rq, "mailbox_title")));
	json_object_set_new(ctx, "headers", headers);
	json_object_set_new(
	    ctx, "body", json_text(buf_cstr(&decoded), decoded.len));
	json_object_set_new(ctx, "dir", json_string(dir));
	json_object_set_new(ctx, "name", json_string(name));
	json_object_set_new(ctx, "email", json_boolean(!sms));
	json_object_set_new(ctx, "sent", json_boolean(sent));
	free(text);
	buf_free(&v);
	buf_free(&decoded);
	page_render(rq, rs, status, "mailbox_message", ctx);
}

static void
message_page(struct request *rq, struct response *rs)
{
	if (enabled(rq, rs))
		message_render(rq, rs, 200, false);
}

/* sms_reply: the citizen's phone answers. The reply is recorded in the
 * inbox exactly as wizytad's /sms/inbound would record it (channel "sms",
 * sender = the number the SMS went to), and wizytad acts on it. */
static void
sms_reply(
    struct request *rq, struct response *rs, const char *sent, const char *body)
{
	struct buf to = BUF_INIT, key = BUF_INIT;
	struct store *s = http_store(rq);
	struct error err;
	char unique[17];
	bool duplicate;

	header(sent, "To", &to);
	token_hex(unique, 8);
	buf_printf(&key, "dev-mailbox:%s", unique);
	error_clear(&err);
	if (s == NULL || to.len == 0 ||
	    store_inbox_add(s, "sms", buf_cstr(&key), buf_cstr(&to), body,
	        strlen(body), time(NULL), &duplicate, &err) != 0) {
		log_error("dev mailbox: sms reply not recorded: %s", err.msg);
		page_message(rq, rs, 500, "err_db_title", "err_db_text");
	} else {
		log_info("dev mailbox: sms reply recorded in the inbox");
		message_render(rq, rs, 200, true);
	}
	buf_free(&to);
	buf_free(&key);
}

static void
reply_post(struct request *rq, struct response *rs)
{
	const char *dir = rq->captures[0], *name = rq->captures[1];
	const char *body = http_form(rq, "text");
	struct buf msg = BUF_INIT, v = BUF_INIT, id = BUF_INIT;
	struct error err;
	char date[64], unique[17], unique_name[256], *text;
	time_t now = time(NULL);
	struct tm tm;
	size_t len;
	const char *p;

	if (!enabled(rq, rs))
		return;
	if ((text = load(rq, dir, name, &len)) == NULL) {
		page_message(
		    rq, rs, 404, "err_notfound_title", "err_notfound_text");
		return;
	}
	if (strcmp(dir, "sms") == 0) {
		sms_reply(rq, rs, text, body);
		free(text);
		return;
	}
	/* RFC 5322 §3.6.4: a reply threads with In-Reply-To and References */
	header(text, "To", &v);
	buf_printf(&msg, "From: %s\r\n", buf_cstr(&v));
	header(text, "Reply-To", &v);
	if (v.len == 0)
		header(text, "From", &v);
	buf_printf(&msg, "To: %s\r\n", buf_cstr(&v));
	header(text, "Subject", &v);
	buf_printf(&msg, "Subject: Re: %s\r\n", buf_cstr(&v));
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_printf(&msg, "Date: %s\r\n", date);
	token_hex(unique, 8);
	buf_printf(&msg, "Message-ID: <%s.%lld@dev-mailbox.wizyta>\r\n", unique,
	    (long long)now);
	header(text, "Message-ID", &id);
	if (id.len > 0)
		buf_printf(&msg, "In-Reply-To: %s\r\nReferences: %s\r\n",
		    buf_cstr(&id), buf_cstr(&id));
	buf_puts(&msg, "MIME-Version: 1.0\r\n"
	               "Content-Type: text/plain; charset=UTF-8\r\n"
	               "Content-Transfer-Encoding: 8bit\r\n\r\n");
	for (p = body; *p != '\0'; p++) {
		if (*p == '\r')
			continue;
		if (*p == '\n')
			buf_putc(&msg, '\r');
		buf_putc(&msg, *p);
	}
	buf_puts(&msg, "\r\n");
	free(text);
	error_clear(&err);
	buf_reset(&v);
	buf_printf(&v, "%s/inbound", rq->web->config->mail_maildir);
	if (maildir_create(buf_cstr(&v), &err) != 0 ||
	    maildir_deliver(buf_cstr(&v), buf_cstr(&msg), msg.len, unique_name,
	        sizeof unique_name, &err) != 0) {
		log_error("dev mailbox: %s", err.msg);
		page_message(rq, rs, 500, "err_db_title", "err_db_text");
	} else {
		log_info("dev mailbox: reply written to inbound");
		message_render(rq, rs, 200, true);
	}
	buf_free(&msg);
	buf_free(&v);
	buf_free(&id);
}

const struct route devmail_routes[] = {
    {"GET", "/dev/mailbox", mailbox, ROLE_PUBLIC, 0},
    {"GET", "/dev/mailbox/{}/{}", message_page, ROLE_PUBLIC, 0},
    {"POST", "/dev/mailbox/{}/{}/reply", reply_post, ROLE_PUBLIC, ROUTE_FORM},
    {0},
};
