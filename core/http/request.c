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
