/*
 * buf: a growable byte buffer with a hard maximum size, always NUL-terminated.
 *
 * The one way Comptoir builds strings (HTML, SQL-free text, e-mails, JSON).
 * Once an append would go past `max`, the buffer is marked failed: every
 * later append is a no-op and buf_failed() says so, so callers may append
 * freely and check once at the end. The owner frees it with buf_free().
 */
#ifndef CPT_BUF_H
#define CPT_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *data;   /* NUL-terminated when len > 0 or after any append */
	size_t len;
	size_t cap;
	size_t max;   /* hard limit on len */
	bool failed;  /* an append did not fit or memory ran out */
};

#define BUF_MAX_DEFAULT ((size_t)16 << 20)

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
void buf_reset(struct buf *b);              /* len = 0, keeps memory */
bool buf_failed(const struct buf *b);

void buf_append(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Appends v in decimal, as "%lld" would, without printf. */
void buf_put_ll(struct buf *b, long long v);

/* Writes v in decimal to out (NUL-terminated, at most 20 digits), as
 * "%llu" would, without printf; returns the number of digits. out has
 * room for 21 bytes. */
size_t fmt_ull(char *out, unsigned long long v);

/* Appends `s` escaped for HTML text and attribute values. */
void buf_html(struct buf *b, const char *s, size_t len);
/* Appends `s` percent-encoded for a URL query component. */
void buf_urlencode(struct buf *b, const char *s, size_t len);

/* Returns the contents (never NULL: "" when empty). */
const char *buf_str(const struct buf *b);

#endif
