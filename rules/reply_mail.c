/*
 * reply_mail.c: reply_read_mail() — one received mail into a
 * struct reply_reading. The only file of wizyta that walks libetpan's MIME
 * tree.
 *
 * Order of work:
 *  1. Header fields (reply_header.c on the raw bytes): Message-ID,
 *     In-Reply-To, References, From, Subject (RFC 2047 decoded), and the
 *     reference from our plus address in To/Cc/Delivered-To/X-Original-To
 *     (wizyta+REF@domain; the local part compared case-insensitively), else
 *     from the subject, else from the citizen's words.
 *  2. Auto-reply signs (RFC 3834 section 5 Auto-Submitted other than "no";
 *     Precedence bulk/junk/list/auto_reply; X-Autoreply, X-Autorespond,
 *     X-Auto-Response-Suppress with OOF/All; an empty Return-Path <> (RFC
 *     5321 section 4.5.5); From MAILER-DAEMON/postmaster; multipart/report;
 *     an out-of-office subject).
 *  3. The MIME tree (mailmime_parse): the first text/plain that is not an
 *     attachment nor inside an attached message, else the first text/html
 *     turned into text; decoded (mailmime_part_parse: base64/QP, RFC 2045
 *     section 6) and converted to UTF-8 from its charset.
 *  4. A DSN (multipart/report; report-type=delivery-status, RFC 3464) is a
 *     bounce: Final-Recipient, Action and Status from the
 *     message/delivery-status part, the bounced Message-ID from the returned
 *     message/rfc822 or text/rfc822-headers part.
 *  5. The citizen's own words (reply_quote.c) are read (reply_intent.c)
 *     unless the mail is an auto-reply or a bounce; an autoresponder that
 *     sends no header saying so is known by its words there.
 *
 * Bounds: at most REPLY_MAX_MAIL bytes are parsed, REPLY_MAX_PARTS parts
 * visited, REPLY_MAX_DEPTH levels followed; a message whose structure is
 * absurd (hundreds of nested multiparts) is read from its headers only.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libetpan/libetpan.h>

#include "reply_internal.h"

#define MAX_REFERENCES 32
#define DECODE_PADDING 8
#define MAX_CONTENT_TYPES 256 /* more is not a citizen's reply */

struct walk {
	unsigned parts;
	bool report; /* multipart/report seen */
	bool dsn;    /* … with report-type=delivery-status */
	const struct mailmime *plain;
	const struct mailmime *html;
	struct reply_reading *out;
};

static void
copy_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src != NULL ? src : "");
}

/* "text/plain" of a part, lower case */
static void
part_type(const struct mailmime *m, char *out, size_t size)
{
	const struct mailmime_content *ct = m->mm_content_type;
	const char *type = "text", *sub = "plain";
	size_t i;

	if (ct != NULL && ct->ct_type != NULL) {
		if (ct->ct_type->tp_type == MAILMIME_TYPE_DISCRETE_TYPE &&
		    ct->ct_type->tp_data.tp_discrete_type != NULL) {
			switch (
			    ct->ct_type->tp_data.tp_discrete_type->dt_type) {
			case MAILMIME_DISCRETE_TYPE_TEXT: type = "text"; break;
			case MAILMIME_DISCRETE_TYPE_IMAGE:
				type = "image";
				break;
			case MAILMIME_DISCRETE_TYPE_AUDIO:
				type = "audio";
				break;
			case MAILMIME_DISCRETE_TYPE_VIDEO:
				type = "video";
				break;
			case MAILMIME_DISCRETE_TYPE_APPLICATION:
				type = "application";
				break;
			default:
				type = ct->ct_type->tp_data.tp_discrete_type
				           ->dt_extension;
				break;
			}
		} else if (ct->ct_type->tp_type ==
		               MAILMIME_TYPE_COMPOSITE_TYPE &&
		           ct->ct_type->tp_data.tp_composite_type != NULL) {
			switch (
			    ct->ct_type->tp_data.tp_composite_type->ct_type) {
			case MAILMIME_COMPOSITE_TYPE_MESSAGE:
				type = "message";
				break;
			case MAILMIME_COMPOSITE_TYPE_MULTIPART:
				type = "multipart";
				break;
			default:
				type = ct->ct_type->tp_data.tp_composite_type
				           ->ct_token;
				break;
			}
		}
		if (ct->ct_subtype != NULL)
			sub = ct->ct_subtype;
	}
	snprintf(out, size, "%s/%s", type != NULL ? type : "x", sub);
	for (i = 0; out[i] != '\0'; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
}

static const char *
part_param(const struct mailmime *m, const char *name)
{
	clistiter *it;

	if (m->mm_content_type == NULL ||
	    m->mm_content_type->ct_parameters == NULL)
		return NULL;
	for (it = clist_begin(m->mm_content_type->ct_parameters); it != NULL;
	     it = clist_next(it)) {
		struct mailmime_parameter *p = clist_content(it);

		if (p != NULL && p->pa_name != NULL && p->pa_value != NULL &&
		    strcasecmp(p->pa_name, name) == 0)
			return p->pa_value;
	}
	return NULL;
}

static bool
part_is_attachment(const struct mailmime *m)
{
	clistiter *it;

	if (m->mm_mime_fields == NULL || m->mm_mime_fields->fld_list == NULL)
		return false;
	for (it = clist_begin(m->mm_mime_fields->fld_list); it != NULL;
	     it = clist_next(it)) {
		struct mailmime_field *f = clist_content(it);

		if (f != NULL && f->fld_type == MAILMIME_FIELD_DISPOSITION &&
		    f->fld_data.fld_disposition != NULL &&
		    f->fld_data.fld_disposition->dsp_type != NULL &&
		    f->fld_data.fld_disposition->dsp_type->dsp_type ==
		        MAILMIME_DISPOSITION_TYPE_ATTACHMENT)
			return true;
	}
	return false;
}

/* the decoded body of a single part (base64/QP undone), raw charset */
static bool
part_decode(const struct mailmime *m, struct buf *out)
{
	const struct mailmime_data *d;
	struct buf padded = BUF_INIT;
	char *decoded = NULL;
	size_t idx = 0, dlen = 0;
	int encoding, rc;

	buf_reset(out);
	if (m->mm_type != MAILMIME_SINGLE ||
	    (d = m->mm_data.mm_single) == NULL ||
	    d->dt_type != MAILMIME_DATA_TEXT ||
	    d->dt_data.dt_text.dt_data == NULL)
		return false;
	encoding = d->dt_encoded ? d->dt_encoding : MAILMIME_MECHANISM_8BIT;
	/* libetpan's quoted-printable decoder reads up to two bytes past the
	 * end of a body ending in "=" (found by fuzz/fuzz_reply.c): decode a
	 * copy followed by NUL padding, never the caller's buffer; the NULs
	 * it may copy out are dropped by reply_utf8_sanitize later */
	buf_append(
	    &padded, d->dt_data.dt_text.dt_data, d->dt_data.dt_text.dt_length);
	buf_reserve(&padded, DECODE_PADDING);
	memset(padded.data + padded.len, 0, DECODE_PADDING + 1);
	rc = mailmime_part_parse(
	    padded.data, padded.len, &idx, encoding, &decoded, &dlen);
	buf_free(&padded);
	if (rc != MAILIMF_NO_ERROR || decoded == NULL)
		return false;
	buf_append(out, decoded,
	    dlen < REPLY_MAX_PART_TEXT ? dlen : REPLY_MAX_PART_TEXT);
	mmap_string_unref(decoded);
	return true;
}

/* the fields of a DSN's per-recipient block (RFC 3464 section 2.3) */
static void
read_delivery_status(const struct mailmime *m, struct reply_reading *out)
{
	struct buf body = BUF_INIT, v = BUF_INIT;
	const char *p;
	char *semi;
	unsigned i;

	if (!part_decode(m, &body))
		goto done;
	/* the per-message block comes first; the fields we want are only in
	 * per-recipient blocks, so reading the whole body by name works */
	for (i = 0; i < 4 && out->bounced_recipient[0] == '\0'; i++) {
		if (!reply_header_get(body.data, body.len,
		        i == 0 ? "Final-Recipient" : "Original-Recipient", 0,
		        &v))
			continue;
		/* "rfc822; jan@example.pl" */
		semi = strchr(v.data, ';');
		p = semi != NULL ? semi + 1 : v.data;
		while (*p == ' ' || *p == '\t')
			p++;
		copy_str(
		    out->bounced_recipient, sizeof out->bounced_recipient, p);
	}
	if (reply_header_get(body.data, body.len, "Action", 0, &v) &&
	    strncasecmp(v.data, "failed", 6) == 0)
		out->bounce_permanent = true;
	if (reply_header_get(body.data, body.len, "Status", 0, &v) &&
	    v.data[0] == '5')
		out->bounce_permanent = true;
done:
	buf_free(&v);
	buf_free(&body);
}

static void
read_returned_headers(const struct mailmime *m, struct reply_reading *out)
{
	struct buf body = BUF_INIT, v = BUF_INIT;
	char ids[1][256];
	clistiter *it;

	if (out->bounced_message_id[0] != '\0')
		return;
	if (m->mm_type == MAILMIME_MESSAGE &&
	    m->mm_data.mm_message.mm_fields != NULL) {
		for (it =
		         clist_begin(m->mm_data.mm_message.mm_fields->fld_list);
		     it != NULL; it = clist_next(it)) {
			struct mailimf_field *f = clist_content(it);

			if (f != NULL &&
			    f->fld_type == MAILIMF_FIELD_MESSAGE_ID &&
			    f->fld_data.fld_message_id != NULL)
				copy_str(out->bounced_message_id,
				    sizeof out->bounced_message_id,
				    f->fld_data.fld_message_id->mid_value);
		}
		return;
	}
	if (part_decode(m, &body) &&
	    reply_header_get(body.data, body.len, "Message-ID", 0, &v) &&
	    reply_header_msgids(v.data, ids, 1) == 1)
		copy_str(out->bounced_message_id,
		    sizeof out->bounced_message_id, ids[0]);
	buf_free(&v);
	buf_free(&body);
}

static void
walk_part(
    const struct mailmime *m, unsigned depth, bool in_attached, struct walk *w)
{
	char type[64];
	const char *rt;
	clistiter *it;

	if (m == NULL || depth > REPLY_MAX_DEPTH ||
	    ++w->parts > REPLY_MAX_PARTS)
		return;
	part_type(m, type, sizeof type);
	switch (m->mm_type) {
	case MAILMIME_SINGLE:
		if (strcmp(type, "message/delivery-status") == 0 ||
		    strcmp(type, "message/global-delivery-status") == 0) {
			if (w->dsn)
				read_delivery_status(m, w->out);
		} else if (strcmp(type, "text/rfc822-headers") == 0 ||
		           strcmp(type, "message/rfc822") == 0 ||
		           strcmp(type, "message/rfc822-headers") == 0) {
			if (w->dsn)
				read_returned_headers(m, w->out);
		} else if (!in_attached && !part_is_attachment(m)) {
			if (strcmp(type, "text/plain") == 0 && w->plain == NULL)
				w->plain = m;
			else if (strcmp(type, "text/html") == 0 &&
			         w->html == NULL)
				w->html = m;
		}
		break;
	case MAILMIME_MULTIPLE:
		if (strcmp(type, "multipart/report") == 0) {
			w->report = true;
			rt = part_param(m, "report-type");
			if (rt != NULL &&
			    (strcasecmp(rt, "delivery-status") == 0 ||
			        strcasecmp(rt, "global-delivery-status") == 0))
				w->dsn = true;
		}
		if (m->mm_data.mm_multipart.mm_mp_list == NULL)
			break;
		for (it = clist_begin(m->mm_data.mm_multipart.mm_mp_list);
		     it != NULL; it = clist_next(it))
			walk_part(clist_content(it), depth + 1, in_attached, w);
		break;
	case MAILMIME_MESSAGE:
		if (depth == 0) {
			walk_part(m->mm_data.mm_message.mm_msg_mime, depth + 1,
			    in_attached, w);
		} else {
			/* an attached or returned message: never the
			 * citizen's words, but what a bounce returns */
			if (w->dsn)
				read_returned_headers(m, w->out);
			walk_part(m->mm_data.mm_message.mm_msg_mime, depth + 1,
			    true, w);
		}
		break;
	}
}

/* the citizen's words of the chosen part, cut and classified later */
static void
read_text(struct rules_run *run, const struct walk *w, struct buf *own)
{
	struct buf raw = BUF_INIT, utf8 = BUF_INIT, text = BUF_INIT;
	const struct mailmime *m = w->plain != NULL ? w->plain : w->html;

	if (m == NULL || !part_decode(m, &raw))
		goto done;
	reply_charset_to_utf8(
	    part_param(m, "charset"), raw.data, raw.len, &utf8);
	if (m == w->html) {
		reply_html_to_text(utf8.data ? utf8.data : "", utf8.len, &text);
		reply_own_words(run, buf_cstr(&text), text.len, own);
	} else
		reply_own_words(run, buf_cstr(&utf8), utf8.len, own);
done:
	buf_free(&raw);
	buf_free(&utf8);
	buf_free(&text);
}

/* wizyta+REF@… with local compared case-insensitively (RFC 5321 leaves
 * case to the receiving host; clients change it) */
static bool
find_plus_reference(const char *value, const char *local, char ref[16])
{
	size_t llen = strlen(local), n;
	const char *p = value;

	if (llen == 0)
		return false;
	for (; (p = strchr(p, '+')) != NULL; p++) {
		const char *start = p - llen;

		if ((size_t)(p - value) < llen ||
		    strncasecmp(start, local, llen) != 0)
			continue;
		if (start > value && (isalnum((unsigned char)start[-1]) ||
		                         strchr("._-+", start[-1]) != NULL))
			continue;
		for (n = 0; n < 15 && isalnum((unsigned char)p[1 + n]); n++)
			ref[n] = (char)toupper((unsigned char)p[1 + n]);
		if (n == 0 || p[1 + n] != '@')
			continue;
		ref[n] = '\0';
		return true;
	}
	return false;
}

static bool
header_has_word(const char *value, const char *word)
{
	size_t wl = strlen(word), i;

	for (i = 0; value[i] != '\0'; i++)
		if (strncasecmp(value + i, word, wl) == 0 &&
		    (i == 0 || !isalnum((unsigned char)value[i - 1])) &&
		    !isalnum((unsigned char)value[i + wl]) &&
		    value[i + wl] != '_')
			return true;
	return false;
}

/* RFC 3834 and the de-facto headers of autoresponders */
static bool
headers_say_auto(const char *hdr, size_t len, const char *from)
{
	struct buf v = BUF_INIT;
	bool is = false;

	if (reply_header_get(hdr, len, "Auto-Submitted", 0, &v) &&
	    strncasecmp(v.data, "no", 2) != 0)
		is = true;
	else if (reply_header_get(hdr, len, "Precedence", 0, &v) &&
	         (header_has_word(v.data, "bulk") ||
	             header_has_word(v.data, "junk") ||
	             header_has_word(v.data, "list") ||
	             header_has_word(v.data, "auto_reply")))
		is = true;
	else if (reply_header_get(hdr, len, "X-Autoreply", 0, &v) ||
	         reply_header_get(hdr, len, "X-Autorespond", 0, &v) ||
	         reply_header_get(hdr, len, "X-Autoresponse", 0, &v))
		is = true;
	else if (reply_header_get(
	             hdr, len, "X-Auto-Response-Suppress", 0, &v) &&
	         (header_has_word(v.data, "OOF") ||
	             header_has_word(v.data, "All")))
		is = true;
	else if (reply_header_get(hdr, len, "Return-Path", 0, &v) &&
	         strcmp(v.data, "<>") == 0)
		is = true;
	else if (strncasecmp(from, "mailer-daemon@", 14) == 0 ||
	         strncasecmp(from, "postmaster@", 11) == 0 ||
	         strcasecmp(from, "mailer-daemon") == 0)
		is = true;
	buf_free(&v);
	return is;
}

static void
read_subject(const char *hdr, size_t len, struct buf *subject)
{
	struct buf v = BUF_INIT;
	char *decoded = NULL;
	size_t idx = 0;

	if (reply_header_get(hdr, len, "Subject", 0, &v)) {
		/* RFC 2047 encoded words; raw 8-bit taken as UTF-8 */
		if (mailmime_encoded_phrase_parse("utf-8", v.data, v.len, &idx,
		        "utf-8", &decoded) == MAILIMF_NO_ERROR &&
		    decoded != NULL) {
			reply_utf8_sanitize(decoded, strlen(decoded), subject);
			free(decoded);
		} else
			reply_utf8_sanitize(v.data, v.len, subject);
	}
	buf_free(&v);
}

static void
read_ids(const char *hdr, size_t len, struct reply_reading *out)
{
	struct buf v = BUF_INIT;
	char(*ids)[256];
	size_t n, i;

	if (reply_header_get(hdr, len, "Message-ID", 0, &v) &&
	    reply_header_msgids(v.data, (char(*)[256])out->message_id, 1) == 0)
		out->message_id[0] = '\0';
	if (reply_header_get(hdr, len, "In-Reply-To", 0, &v) &&
	    reply_header_msgids(v.data, (char(*)[256])out->in_reply_to, 1) == 0)
		out->in_reply_to[0] = '\0';
	ids = calloc(MAX_REFERENCES, sizeof *ids);
	out->references = calloc(MAX_REFERENCES + 1, sizeof *out->references);
	if (ids == NULL || out->references == NULL)
		abort();
	n = reply_header_get(hdr, len, "References", 0, &v)
	        ? reply_header_msgids(v.data, ids, MAX_REFERENCES)
	        : 0;
	for (i = 0; i < n; i++)
		if ((out->references[i] = strdup(ids[i])) == NULL)
			abort();
	free(ids);
	buf_free(&v);
}

/* a first line "Name: value" (or an mbox "From " line): is this mail? */
static bool
looks_like_mail(const char *raw, size_t len)
{
	size_t i;

	if (len >= 5 && strncmp(raw, "From ", 5) == 0)
		return true;
	for (i = 0; i < len && i < 200; i++) {
		unsigned char c = (unsigned char)raw[i];

		if (c == ':')
			return i > 0;
		if (c <= 32 || c >= 127)
			return false;
	}
	return false;
}

static size_t
count_content_types(const char *raw, size_t len)
{
	size_t n = 0, i;

	for (i = 0; i + 13 <= len; i++)
		if ((raw[i] == 'c' || raw[i] == 'C') &&
		    strncasecmp(raw + i, "content-type:", 13) == 0)
			n++;
	return n;
}

int
reply_read_mail(const char *raw, size_t len, const char *reply_local,
    struct reply_reading *out, struct error *err)
{
	static const char *const address_fields[] = {
	    "To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To", NULL};
	struct buf v = BUF_INIT, subject = BUF_INIT, own = BUF_INIT;
	struct buf copy = BUF_INIT;
	struct rules_run *run;
	struct mailmime *mime = NULL;
	struct walk w;
	const char *const *f;
	size_t hdr_len, body, idx = 0;
	unsigned nth;
	bool is_auto;

	memset(out, 0, sizeof *out);
	if (raw == NULL || len == 0)
		return error_set(err, ERROR_INVALID, "empty message");
	if (len > REPLY_MAX_MAIL)
		len = REPLY_MAX_MAIL;
	if (!looks_like_mail(raw, len))
		return error_set(err, ERROR_INVALID, "not a mail message");
	if (reply_rules_init(err) != 0 || (run = rules_run_begin()) == NULL)
		return error_set(
		    err, ERROR_INTERNAL, "reply rules do not compile");
	hdr_len = reply_header_end(raw, len, &body);

	read_ids(raw, hdr_len, out);
	if (reply_header_get(raw, hdr_len, "From", 0, &v))
		reply_header_address(v.data, out->from, sizeof out->from);
	read_subject(raw, hdr_len, &subject);

	/* the booking: our plus address first, then the subject */
	for (f = address_fields; *f != NULL && !out->reference_from_address;
	     f++)
		for (nth = 0;
		     nth < 16 && reply_header_get(raw, hdr_len, *f, nth, &v);
		     nth++)
			if (reply_local != NULL &&
			    find_plus_reference(
			        v.data, reply_local, out->reference)) {
				out->reference_from_address = true;
				break;
			}
	if (!out->reference_from_address && subject.len > 0)
		reply_find_reference(subject.data, subject.len, out->reference);

	is_auto = headers_say_auto(raw, hdr_len, out->from) ||
	          (subject.len > 0 &&
	              reply_subject_is_auto(run, subject.data, subject.len));

	memset(&w, 0, sizeof w);
	w.out = out;
	/* libetpan is handed a private copy with NUL padding: its parsers
	 * have read past the end they were given (see part_decode) */
	buf_append(&copy, raw, len);
	buf_reserve(&copy, DECODE_PADDING);
	memset(copy.data + copy.len, 0, DECODE_PADDING + 1);
	if (count_content_types(raw, len) <= MAX_CONTENT_TYPES &&
	    mailmime_parse(copy.data, len, &idx, &mime) == MAILIMF_NO_ERROR &&
	    mime != NULL) {
		walk_part(mime, 0, false, &w);
		read_text(run, &w, &own);
		mailmime_free(mime);
	}
	if ((out->text = strdup(own.data != NULL ? own.data : "")) == NULL)
		abort();

	if (w.dsn) {
		out->verdict = REPLY_BOUNCE;
	} else if (is_auto || w.report) {
		out->verdict = REPLY_AUTO;
	} else {
		struct reply_decision d;

		reply_decide_run(run, out->text, strlen(out->text), &d);
		out->verdict = d.verdict;
		out->asks = d.asks;
		copy_str(out->rules, sizeof out->rules, d.rules);
		if (out->reference[0] == '\0')
			copy_str(
			    out->reference, sizeof out->reference, d.reference);
	}
	rules_run_end(run);
	buf_free(&v);
	buf_free(&subject);
	buf_free(&own);
	buf_free(&copy);
	return 0;
}

void
reply_reading_free(struct reply_reading *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; r->references != NULL && r->references[i] != NULL; i++)
		free(r->references[i]);
	free(r->references);
	free(r->text);
	r->references = NULL;
	r->text = NULL;
}
