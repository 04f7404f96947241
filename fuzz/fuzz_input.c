/* fuzz_input.c: the raw HTTP request format of the fuzz targets (see
 * fuzz_input.h). */
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"

/* next_line: the line at *p (without its end), NUL-terminated in place in
 * the copy; *p moves past it. NULL at the end of the head. */
static char *
next_line(char **p, char *end)
{
	char *line = *p, *nl;

	if (line >= end)
		return NULL;
	nl = memchr(line, '\n', (size_t)(end - line));
	if (nl == NULL)
		nl = end;
	*p = nl < end ? nl + 1 : end;
	*nl = '\0';
	if (nl > line && nl[-1] == '\r')
		nl[-1] = '\0';
	return line;
}

int
fuzz_request_read(
    const unsigned char *data, size_t size, struct fuzz_request *req)
{
	char *p, *end, *line, *sp;
	size_t used;

	memset(req, 0, sizeof *req);
	if ((req->storage = malloc(size + 1)) == NULL)
		return -1;
	memcpy(req->storage, data, size);
	req->storage[size] = '\0';
	p = req->storage;
	end = p + size;
	req->peer = (char *)"203.0.113.7";
	if ((line = next_line(&p, end)) == NULL)
		return -1;
	if (line[0] == '@') {
		req->peer = line + 1;
		if ((line = next_line(&p, end)) == NULL)
			return -1;
	}
	req->method = line;
	if ((sp = strchr(line, ' ')) == NULL)
		return -1;
	*sp = '\0';
	req->target = sp + 1;
	if ((sp = strchr(req->target, ' ')) != NULL)
		*sp = '\0'; /* the version */
	while ((line = next_line(&p, end)) != NULL && line[0] != '\0') {
		char *colon = strchr(line, ':');

		if (colon == NULL || req->nheaders == FUZZ_MAX_HEADERS)
			continue;
		*colon = '\0';
		colon++;
		while (*colon == ' ' || *colon == '\t')
			colon++;
		req->names[req->nheaders] = line;
		req->values[req->nheaders] = colon;
		req->nheaders++;
	}
	used = (size_t)(p - req->storage);
	req->body = (const char *)data + used;
	req->body_len = size - used;
	return 0;
}

void
fuzz_request_free(struct fuzz_request *req)
{
	free(req->storage);
	req->storage = NULL;
}
