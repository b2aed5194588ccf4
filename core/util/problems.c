#include "util/problems.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/arena.h"

void
problems_init(struct problems *p, struct arena *a)
{
	memset(p, 0, sizeof(*p));
	p->arena = a;
}

struct problem *
problems_add(struct problems *p, const char *pointer, const char *fmt, ...)
{
	static _Thread_local struct problem overflow;
	struct problem *pr;
	char detail[512];
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
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	pr = &p->items[p->n++];
	memset(pr, 0, sizeof(*pr));
	pr->pointer = arena_strdup(p->arena, pointer);
	pr->detail = arena_strdup(p->arena, detail);
	return pr;
}

void
problems_clear(struct problems *p)
{
	p->n = 0;
}
