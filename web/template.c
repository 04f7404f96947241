/*
 * template.c: the mustache-like renderer of template.h.
 *
 * It renders straight from the template text: a section's body is found
 * by scanning for its matching close tag (same name, nesting counted), so
 * there is no parse tree to keep. Depth is bounded (sections and partials)
 * so a template that includes itself fails instead of overflowing.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "template.h"

#define STACK_MAX 32

struct render {
	json_t *stack[STACK_MAX];
	size_t depth;
	struct buf *out;
	struct error *err;
};

static int render_span(struct render *, const char *, size_t);

void
html_escape(struct buf *b, const char *s)
{
	buf_put_html(b, s, strlen(s));
}

static json_t *
lookup(struct render *r, const char *name, size_t len)
{
	char key[128];
	const char *dot;
	json_t *v = NULL;
	size_t i, klen;

	if (len == 1 && name[0] == '.')
		return r->stack[r->depth - 1];
	dot = memchr(name, '.', len);
	klen = dot != NULL ? (size_t)(dot - name) : len;
	if (klen >= sizeof key)
		return NULL;
	memcpy(key, name, klen);
	key[klen] = '\0';
	for (i = r->depth; i > 0 && v == NULL; i--)
		if (json_is_object(r->stack[i - 1]))
			v = json_object_get(r->stack[i - 1], key);
	while (v != NULL && dot != NULL) {
		name = dot + 1;
		len -= klen + 1;
		dot = memchr(name, '.', len);
		klen = dot != NULL ? (size_t)(dot - name) : len;
		if (klen >= sizeof key)
			return NULL;
		memcpy(key, name, klen);
		key[klen] = '\0';
		if (json_is_array(v) && key[0] >= '0' && key[0] <= '9')
			v = json_array_get(v, (size_t)strtoul(key, NULL, 10));
		else
			v = json_object_get(v, key);
	}
	return v;
}

static bool
truthy(json_t *v)
{
	if (v == NULL || json_is_null(v) || json_is_false(v))
		return false;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	return true;
}

static void
put_value(struct buf *out, json_t *v, bool escape)
{
	char num[32];
	const char *s = NULL;

	if (json_is_string(v))
		s = json_string_value(v);
	else if (json_is_integer(v)) {
		snprintf(
		    num, sizeof num, "%lld", (long long)json_integer_value(v));
		s = num;
	} else if (json_is_real(v)) {
		snprintf(num, sizeof num, "%g", json_real_value(v));
		s = num;
	}
	if (s == NULL)
		return;
	if (escape)
		html_escape(out, s);
	else
		buf_puts(out, s);
}

/* A tag at p ("{{" already seen): its kind, name and where it ends. */
struct tag {
	char kind; /* 0 plain, '#', '^', '/', '>', '{', '!', '&' */
	const char *name;
	size_t len;
	const char *end; /* first char after the tag */
};

static int
tag_parse(const char *p, const char *limit, struct tag *t)
{
	const char *close, *q;

	p += 2;
	t->kind = 0;
	if (p < limit && strchr("#^/>{!&", *p) != NULL && *p != '\0')
		t->kind = *p++;
	close = NULL;
	for (q = p; q + 1 < limit; q++)
		if (q[0] == '}' && q[1] == '}') {
			close = q;
			break;
		}
	if (close == NULL)
		return -1;
	t->end = close + 2;
	if (t->kind == '{') {
		if (t->end >= limit || *t->end != '}')
			return -1;
		t->end++;
	}
	while (p < close && (*p == ' ' || *p == '\t'))
		p++;
	while (close > p && (close[-1] == ' ' || close[-1] == '\t'))
		close--;
	t->name = p;
	t->len = (size_t)(close - p);
	return 0;
}

/* The close tag matching section `name` opened before p: body end and tag end.
 */
static int
section_end(const char *p, const char *limit, const char *name, size_t len,
    const char **body_end, const char **after)
{
	int depth = 1;
	struct tag t;

	while ((p = memmem(p, (size_t)(limit - p), "{{", 2)) != NULL) {
		if (tag_parse(p, limit, &t) != 0)
			return -1;
		if (t.len == len && memcmp(t.name, name, len) == 0) {
			if (t.kind == '#' || t.kind == '^')
				depth++;
			else if (t.kind == '/' && --depth == 0) {
				*body_end = p;
				*after = t.end;
				return 0;
			}
		}
		p = t.end;
	}
	return -1;
}

static int
push(struct render *r, json_t *v)
{
	if (r->depth == STACK_MAX)
		return error_set(
		    r->err, ERROR_INTERNAL, "template nesting too deep");
	r->stack[r->depth++] = v;
	return 0;
}

static int
render_partial(struct render *r, const char *name, size_t len)
{
	char path[160];
	const struct asset *a;
	int rc;

	snprintf(path, sizeof path, "templates/%.*s.html", (int)len, name);
	if ((a = asset_find(path)) == NULL)
		return error_set(
		    r->err, ERROR_INTERNAL, "no template %s", path);
	if (push(r, r->stack[r->depth - 1]) != 0)
		return -1;
	rc = render_span(r, (const char *)a->data, a->len);
	r->depth--;
	return rc;
}

static int
render_span(struct render *r, const char *p, size_t n)
{
	const char *limit = p + n, *open, *body_end, *after;
	struct tag t;
	json_t *v;
	size_t i;

	while ((open = memmem(p, (size_t)(limit - p), "{{", 2)) != NULL) {
		buf_append(r->out, p, (size_t)(open - p));
		if (tag_parse(open, limit, &t) != 0)
			return error_set(
			    r->err, ERROR_INTERNAL, "unclosed tag");
		p = t.end;
		switch (t.kind) {
		case '!': break;
		case '/':
			return error_set(r->err, ERROR_INTERNAL,
			    "unexpected {{/%.*s}}", (int)t.len, t.name);
		case '>':
			if (render_partial(r, t.name, t.len) != 0)
				return -1;
			break;
		case '#':
		case '^':
			if (section_end(p, limit, t.name, t.len, &body_end,
			        &after) != 0)
				return error_set(r->err, ERROR_INTERNAL,
				    "unclosed section %.*s", (int)t.len,
				    t.name);
			v = lookup(r, t.name, t.len);
			if (t.kind == '^') {
				if (!truthy(v) &&
				    render_span(r, p, (size_t)(body_end - p)) !=
				        0)
					return -1;
			} else if (json_is_array(v)) {
				for (i = 0; i < json_array_size(v); i++) {
					if (push(r, json_array_get(v, i)) != 0)
						return -1;
					if (render_span(r, p,
					        (size_t)(body_end - p)) != 0)
						return -1;
					r->depth--;
				}
			} else if (truthy(v)) {
				if (push(r, json_is_object(v)
				                ? v
				                : r->stack[r->depth - 1]) != 0)
					return -1;
				if (render_span(r, p, (size_t)(body_end - p)) !=
				    0)
					return -1;
				r->depth--;
			}
			p = after;
			break;
		default:
			v = lookup(r, t.name, t.len);
			if (v != NULL)
				put_value(r->out, v, t.kind == 0);
			break;
		}
	}
	buf_append(r->out, p, (size_t)(limit - p));
	return 0;
}

int
template_render_text(const char *text, size_t len, json_t *data,
    struct buf *out, struct error *err)
{
	struct render r;

	memset(&r, 0, sizeof r);
	r.out = out;
	r.err = err;
	r.stack[r.depth++] = data;
	return render_span(&r, text, len);
}

int
template_render(
    const char *name, json_t *data, struct buf *out, struct error *err)
{
	char path[160];
	const struct asset *a;

	snprintf(path, sizeof path, "templates/%s.html", name);
	if ((a = asset_find(path)) == NULL)
		return error_set(err, ERROR_INTERNAL, "no template %s", path);
	return template_render_text(
	    (const char *)a->data, a->len, data, out, err);
}
