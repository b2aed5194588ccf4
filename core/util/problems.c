#include "util/problems.h"

#include <stdarg.h>
#include <string.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/utf8.h"

void
problems_init(struct problems *p, struct arena *a)
{
	memset(p, 0, sizeof(*p));
	p->arena = a;
}

/* `s` as well-formed UTF-8 of at most `max` bytes, cut between characters,
 * in the arena: a problem's text is quoted in a JSON document, and a byte
 * of half a character would make the whole document unwritable. */
static const char *
clean_text(struct arena *a, const char *s, size_t max)
{
	struct buf b;
	const char *out;

	buf_init(&b, 0);
	utf8_append_clean(&b, s, strlen(s));
	out = arena_strndup(a, buf_str(&b), utf8_cut(buf_str(&b), max));
	buf_free(&b);
	return out;
}

struct problem *
problems_add(struct problems *p, const char *pointer, const char *fmt, ...)
{
	static _Thread_local struct problem overflow;
	struct problem *pr;
	struct buf detail;
	va_list ap;

	if (p->n >= PROBLEMS_MAX) {
		p->n++;
		memset(&overflow, 0, sizeof(overflow));
		return &overflow;   /* callers may fill it; it is never shown */
	}
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		struct problem *items = arena_alloc(p->arena, cap * sizeof(*items));

		if (p->n)
			memcpy(items, p->items, p->n * sizeof(*items));
		p->items = items;
		p->cap = cap;
	}
	/* Formatted whole, then cut: never inside a character. */
	buf_init(&detail, 64 * 1024);
	va_start(ap, fmt);
	buf_vprintf(&detail, fmt, ap);
	va_end(ap);
	pr = &p->items[p->n++];
	memset(pr, 0, sizeof(*pr));
	pr->pointer = clean_text(p->arena, pointer, PROBLEM_POINTER_MAX);
	pr->detail = clean_text(p->arena, buf_failed(&detail) ? "(too long to tell)" : buf_str(&detail),
	    PROBLEM_DETAIL_MAX);
	buf_free(&detail);
	return pr;
}

void
problems_clear(struct problems *p)
{
	p->n = 0;
}
