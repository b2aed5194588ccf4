#include "http/request.h"

#include <string.h>
#include <strings.h>

#include "conf/conf.h"

static void
kv_add(struct arena *a, struct kvlist *l, const char *key, const char *val, size_t len)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct kv *items = arena_alloc(a, cap * sizeof(*items));

		if (l->n)
			memcpy(items, l->items, l->n * sizeof(*items));
		l->items = items;
		l->cap = cap;
	}
	l->items[l->n].key = key;
	l->items[l->n].val = val;
	l->items[l->n].len = len;
	l->n++;
}

const char *
kv_get(const struct kvlist *l, const char *key)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->items[i].key, key) == 0)
			return l->items[i].val;
	return NULL;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
url_decode(struct arena *a, const char *s, size_t len, bool plus, size_t *outlen)
{
	char *out = arena_alloc(a, len + 1), *o = out;
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= len)
				return NULL;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			c = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus) {
			c = ' ';
		}
		if (c == '\0')
			return NULL;
		*o++ = c;
	}
	*o = '\0';
	if (outlen)
		*outlen = (size_t)(o - out);
	return out;
}

void
kv_parse_urlencoded(struct arena *a, struct kvlist *l, const char *s, size_t len)
{
	const char *end = s + len, *p = s;

	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *pair_end = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(pair_end - p));
		const char *kend = eq ? eq : pair_end;
		char *key, *val;
		size_t vlen = 0;

		if (kend > p) {
			key = url_decode(a, p, (size_t)(kend - p), true, NULL);
			val = eq ? url_decode(a, eq + 1, (size_t)(pair_end - eq - 1), true, &vlen)
			         : arena_strdup(a, "");
			/* A pair that does not decode is dropped, never half-kept. */
			if (key && val)
				kv_add(a, l, key, val, vlen);
		}
		p = pair_end + 1;
	}
}

void
kv_parse_cookies(struct arena *a, struct kvlist *l, const char *s)
{
	while (s && *s) {
		const char *semi = strchr(s, ';');
		const char *end = semi ? semi : s + strlen(s);
		const char *eq = memchr(s, '=', (size_t)(end - s));

		while (*s == ' ')
			s++;
		if (eq && eq > s) {
			const char *v = eq + 1;
			size_t vlen = (size_t)(end - v);

			if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
				v++;
				vlen -= 2;
			}
			kv_add(a, l, arena_strndup(a, s, (size_t)(eq - s)),
			    arena_strndup(a, v, vlen), vlen);
		}
		s = semi ? semi + 1 : end;
	}
}

const char *
req_param(const struct request *r, const char *key)
{
	return kv_get(&r->params, key);
}

const char *
req_form(const struct request *r, const char *key)
{
	return kv_get(&r->form, key);
}

const char *
req_file(const struct request *r, const char *key, size_t *len)
{
	size_t i;

	for (i = 0; i < r->files.n; i++)
		if (strcmp(r->files.items[i].key, key) == 0) {
			*len = r->files.items[i].len;
			return r->files.items[i].val;
		}
	return NULL;
}

const char *
req_cookie(const struct request *r, const char *key)
{
	return kv_get(&r->cookies, key);
}

bool
req_is_post(const struct request *r)
{
	return strcmp(r->method, "POST") == 0;
}

void
res_header(struct request *r, const char *name, const char *value)
{
	/* Header values never carry line breaks: that would split the response. */
	if (strpbrk(value, "\r\n"))
		return;
	buf_printf(&r->out_headers, "%s: %s\r\n", name, value);
}

void
res_redirect(struct request *r, const char *location)
{
	r->status = 303;
	res_header(r, "Location", location);
	buf_reset(&r->out);
}

void
res_cookie(struct request *r, const char *name, const char *value, int max_age, bool http_only)
{
	bool secure;
	struct buf *h = &r->out_headers;

	switch (r->cfg->sessions.secure) {
	case COOKIE_SECURE_ALWAYS: secure = true; break;
	case COOKIE_SECURE_NEVER: secure = false; break;
	default: secure = r->https; break;
	}
	buf_printf(h, "Set-Cookie: %s=%s; Path=/; SameSite=Lax%s%s", name, value,
	    http_only ? "; HttpOnly" : "", secure ? "; Secure" : "");
	if (max_age >= 0)
		buf_printf(h, "; Max-Age=%d", max_age);
	buf_puts(h, "\r\n");
}

const char *
http_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

/* The value of parameter `name` (boundary, name, filename) in a header
 * such as `form-data; name="file"; filename="a.xml"`, quoted or not; NULL
 * when absent or malformed. Names match whole and case-insensitively. */
static const char *
header_param(struct arena *a, const char *h, size_t len, const char *name)
{
	size_t n = strlen(name), i = 0, j;

	while (i < len) {
		while (i < len && (h[i] == ';' || h[i] == ' ' || h[i] == '\t'))
			i++;
		if (i + n < len && strncasecmp(h + i, name, n) == 0 && h[i + n] == '=') {
			i += n + 1;
			if (i < len && h[i] == '"') {
				for (j = ++i; j < len && h[j] != '"'; j++)
					if (h[j] == '\\')
						return NULL;   /* browsers percent-encode instead */
				return j < len ? arena_strndup(a, h + i, j - i) : NULL;
			}
			for (j = i; j < len && h[j] != ';' && h[j] != ' '; j++)
				;
			return arena_strndup(a, h + i, j - i);
		}
		while (i < len && h[i] != ';' && h[i] != '"')
			i++;
		if (i < len && h[i] == '"') {   /* a quoted value of another parameter */
			const char *q = memchr(h + i + 1, '"', len - i - 1);

			if (!q)
				return NULL;
			i = (size_t)(q - h) + 1;
		}
	}
	return NULL;
}

#define MULTIPART_MAX_PARTS 64
#define MULTIPART_MAX_HEAD 4096

int
kv_parse_multipart(struct arena *a, struct kvlist *fields, struct kvlist *files, const char *content_type,
    const char *body, size_t len)
{
	const char *ct = content_type ? strchr(content_type, ';') : NULL;
	const char *boundary = ct ? header_param(a, ct + 1, strlen(ct + 1), "boundary") : NULL;
	const char *p, *end = body + len;
	char *delim;
	size_t dlen, parts = 0;

	if (!boundary || !*boundary || strlen(boundary) > 70 || !body)
		return -1;
	delim = arena_printf(a, "\r\n--%s", boundary);
	dlen = strlen(delim);
	/* The first delimiter may open the body (without its CRLF). */
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
		p = body + dlen - 2;
	else if ((p = memmem(body, len, delim, dlen)))
		p += dlen;
	else
		return -1;
	for (;;) {
		const char *head, *head_end, *data, *next, *line, *name = NULL, *filename = NULL;

		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return 0;   /* the close delimiter; the epilogue is ignored */
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n' || ++parts > MULTIPART_MAX_PARTS)
			return -1;
		head = p + 2;
		head_end = memmem(head, (size_t)(end - head), "\r\n\r\n", 4);
		if (!head_end || head_end - head > MULTIPART_MAX_HEAD)
			return -1;
		for (line = head; line < head_end;) {
			const char *eol = memmem(line, (size_t)(head_end - line), "\r\n", 2);
			size_t n = (size_t)((eol ? eol : head_end) - line);

			if (n > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
				const char *v = line + 20;
				size_t vn = n - 20;

				while (vn && (*v == ' ' || *v == '\t'))
					v++, vn--;
				if (vn < 9 || strncasecmp(v, "form-data", 9) != 0)
					return -1;
				name = header_param(a, v + 9, vn - 9, "name");
				filename = header_param(a, v + 9, vn - 9, "filename");
			}
			line = eol ? eol + 2 : head_end;
		}
		if (!name)
			return -1;
		data = head_end + 4;
		next = memmem(data, (size_t)(end - data), delim, dlen);
		if (!next)
			return -1;
		kv_add(a, filename ? files : fields, name, arena_strndup(a, data, (size_t)(next - data)),
		    (size_t)(next - data));
		p = next + dlen;
	}
}
