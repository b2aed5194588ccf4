#include "db/sqltext.h"

#include <string.h>

#include "db/db.h"
#include "util/arena.h"
#include "util/buf.h"

void
sql_int(struct buf *b, long long v)
{
	char s[24];
	size_t i = sizeof(s);
	unsigned long long u = v < 0 ? (unsigned long long)-(v + 1) + 1 : (unsigned long long)v;

	do {
		s[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		s[--i] = '-';
	buf_append(b, s + i, sizeof(s) - i);
}

void
sql_str(struct db *db, struct buf *b, const char *s)
{
	sql_strn(db, b, s ? s : "", s ? strlen(s) : 0);
}

void
sql_strn(struct db *db, struct buf *b, const char *s, size_t len)
{
	buf_putc(b, '\'');
	db_escape(db, b, s, len);
	buf_putc(b, '\'');
}

void
sql_str_or_null(struct db *db, struct buf *b, const char *s)
{
	if (s)
		sql_str(db, b, s);
	else
		buf_puts(b, "NULL");
}

void
sql_next_int(struct buf *b, long long v)
{
	buf_putc(b, ',');
	sql_int(b, v);
}

void
sql_next_str(struct db *db, struct buf *b, const char *s)
{
	buf_putc(b, ',');
	sql_str(db, b, s);
}

void
sql_blob(struct buf *b, const void *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = p;
	size_t i;

	buf_puts(b, "X'");
	for (i = 0; i < n; i++) {
		buf_putc(b, hex[u[i] >> 4]);
		buf_putc(b, hex[u[i] & 15]);
	}
	buf_putc(b, '\'');
}

const char *
sql_like_literal(struct arena *a, const char *q)
{
	size_t i, n = 0, len = strlen(q);
	char *out = arena_alloc(a, 2 * len + 1);

	for (i = 0; i < len; i++) {
		if (q[i] == '%' || q[i] == '_' || q[i] == '\\')
			out[n++] = '\\';
		out[n++] = q[i];
	}
	out[n] = '\0';
	return out;
}

