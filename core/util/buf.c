#include "util/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : BUF_MAX_DEFAULT;
	b->failed = false;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = false;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->failed = false;
	if (b->data)
		b->data[0] = '\0';
}

bool
buf_failed(const struct buf *b)
{
	return b->failed;
}

/* Makes room for `extra` more bytes plus the NUL; false marks the buffer failed. */
static bool
buf_grow(struct buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->failed)
		return false;
	if (extra > b->max - b->len) {
		b->failed = true;
		return false;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	if (cap > b->max + 1)
		cap = b->max + 1;
	p = realloc(b->data, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

void
buf_append(struct buf *b, const void *data, size_t len)
{
	if (!buf_grow(b, len))
		return;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void
buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	size_t room = b->cap - b->len;   /* with the NUL's byte */
	va_list ap2;
	int n;

	if (b->failed)
		return;
	/* Printed once where it fits, the usual case; measured, then printed
	 * again, when it does not. */
	va_copy(ap2, ap);
	n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap2);
	va_end(ap2);
	if (n >= 0 && (size_t)n < room && (size_t)n <= b->max - b->len) {
		b->len += (size_t)n;
		return;
	}
	if (room)
		b->data[b->len] = '\0';   /* what did not fit is not the content */
	if (n < 0 || !buf_grow(b, (size_t)n)) {
		b->failed = true;
		return;
	}
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

size_t
fmt_ull(char *out, unsigned long long v)
{
	char digits[24], *p = digits + sizeof(digits);
	size_t n;

	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	n = (size_t)(digits + sizeof(digits) - p);
	memcpy(out, p, n);
	out[n] = '\0';
	return n;
}

void
buf_put_ll(struct buf *b, long long v)
{
	char s[24];
	size_t n = 0;

	if (v < 0) {
		s[n++] = '-';
		n += fmt_ull(s + 1, (unsigned long long)-(v + 1) + 1);
	} else {
		n = fmt_ull(s, (unsigned long long)v);
	}
	buf_append(b, s, n);
}

/* The characters buf_html() replaces: their entity's index + 1. */
static const unsigned char html_special[256] = {
	['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5,
};

/* Non-zero when a byte of the 8 in x is c (the classic test for a zero
 * byte, applied to x ^ c…c). */
static inline uint64_t
has_byte(uint64_t x, unsigned char c)
{
	uint64_t y = x ^ (0x0101010101010101ull * c);

	return (y - 0x0101010101010101ull) & ~y & 0x8080808080808080ull;
}

void
buf_html(struct buf *b, const char *s, size_t len)
{
	static const struct { const char *s; size_t len; } rep[] = {
		{ "&amp;", 5 }, { "&lt;", 4 }, { "&gt;", 4 }, { "&quot;", 6 }, { "&#39;", 5 },
	};
	size_t i = 0, start = 0, end;
	unsigned k;
	uint64_t w;

	while (i < len) {
		/* Eight bytes at a time past the text that needs nothing (the
		 * last ones padded with NULs, which need nothing either). */
		if (len - i >= 8) {
			end = i + 8;
			memcpy(&w, s + i, 8);
		} else {
			end = len;
			w = 0;
			memcpy(&w, s + i, len - i);
		}
		if (!(has_byte(w, '&') | has_byte(w, '<') | has_byte(w, '>') | has_byte(w, '"') |
		    has_byte(w, '\''))) {
			i = end;
			continue;
		}
		for (; i < end; i++) {
			if (!(k = html_special[(unsigned char)s[i]]))
				continue;
			buf_append(b, s + start, i - start);
			buf_append(b, rep[k - 1].s, rep[k - 1].len);
			start = i + 1;
		}
	}
	buf_append(b, s + start, len - start);
}

void
buf_urlencode(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(b, (char)c);
		} else {
			char enc[3] = { '%', hex[c >> 4], hex[c & 15] };
			buf_append(b, enc, 3);
		}
	}
}

const char *
buf_str(const struct buf *b)
{
	return b->data ? b->data : "";
}
