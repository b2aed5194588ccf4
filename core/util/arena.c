#include "util/arena.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

struct arena_block {
	struct arena_block *prev;
	size_t size;   /* usable bytes in data[] */
	size_t used;
	_Alignas(max_align_t) unsigned char data[];
};

static struct arena_block *
block_new(size_t size, struct arena_block *prev)
{
	struct arena_block *blk = malloc(sizeof(*blk) + size);

	if (!blk)
		die("out of memory (arena block of %zu bytes)", size);
	blk->prev = prev;
	blk->size = size;
	blk->used = 0;
	return blk;
}

void
arena_init(struct arena *a, size_t block_size)
{
	a->block_size = block_size ? block_size : 16384;
	a->head = NULL;
}

void
arena_reset(struct arena *a)
{
	struct arena_block *blk = a->head, *prev;

	if (!blk)
		return;
	/* Keep the oldest block, the one of the usual size. */
	while (blk->prev) {
		prev = blk->prev;
		free(blk);
		blk = prev;
	}
	blk->used = 0;
	a->head = blk;
}

void
arena_free(struct arena *a)
{
	struct arena_block *blk = a->head, *prev;

	while (blk) {
		prev = blk->prev;
		free(blk);
		blk = prev;
	}
	a->head = NULL;
}

void *
arena_alloc_raw(struct arena *a, size_t size)
{
	const size_t align = _Alignof(max_align_t);
	struct arena_block *blk = a->head;
	size_t off;
	void *p;

	if (size == 0)
		size = 1;
	if (size > SIZE_MAX / 2)
		die("arena allocation too large (%zu bytes)", size);
	off = blk ? (blk->used + align - 1) & ~(align - 1) : 0;
	if (!blk || off + size > blk->size) {
		size_t bsize = size > a->block_size ? size : a->block_size;

		/* A first block goes at the bottom so that reset keeps it. */
		blk = block_new(bsize, a->head);
		a->head = blk;
		off = 0;
	}
	p = blk->data + off;
	blk->used = off + size;
	return p;
}

void *
arena_alloc(struct arena *a, size_t size)
{
	void *p = arena_alloc_raw(a, size);

	memset(p, 0, size ? size : 1);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc_raw(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

/* A format of text and %s only: most of them ("/orders/%s", a translated
 * "customer: %s"), joined at a tenth of vsnprintf's cost. */
static bool
strings_only(const char *fmt)
{
	const char *p;

	for (p = fmt; (p = strchr(p, '%')); p += 2)
		if (p[1] != 's' && p[1] != '%')
			return false;
	return true;
}

/* The text of fmt (strings_only) with its strings, as vsnprintf would
 * write it ("(null)" for NULL, as glibc's). */
static char *
join_strings(struct arena *a, const char *fmt, va_list ap)
{
	va_list again;
	size_t len = 0, n;
	const char *f, *s;
	char *out, *o;

	va_copy(again, ap);
	for (f = fmt; *f; f++) {
		if (*f != '%') {
			len++;
		} else if (*++f == 's') {
			s = va_arg(ap, const char *);
			len += strlen(s ? s : "(null)");
		} else {
			len++;
		}
	}
	out = o = arena_alloc_raw(a, len + 1);
	for (f = fmt; *f; f++) {
		if (*f != '%') {
			*o++ = *f;
		} else if (*++f == 's') {
			s = va_arg(again, const char *);
			s = s ? s : "(null)";
			n = strlen(s);
			memcpy(o, s, n);
			o += n;
		} else {
			*o++ = '%';
		}
	}
	*o = '\0';
	va_end(again);
	return out;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	const size_t align = _Alignof(max_align_t);
	struct arena_block *blk = a->head;
	size_t off = blk ? (blk->used + align - 1) & ~(align - 1) : 0;
	va_list ap;
	int n;
	char *p;

	if (strings_only(fmt)) {
		va_start(ap, fmt);
		p = join_strings(a, fmt, ap);
		va_end(ap);
		return p;
	}
	/* Printed once into the block's room when it fits, the usual case. */
	va_start(ap, fmt);
	if (blk && off < blk->size) {
		p = (char *)blk->data + off;
		n = vsnprintf(p, blk->size - off, fmt, ap);
	} else {
		p = NULL;
		n = vsnprintf(NULL, 0, fmt, ap);
	}
	va_end(ap);
	if (n < 0)
		die("arena_printf: bad format");
	if (p && (size_t)n < blk->size - off) {
		blk->used = off + (size_t)n + 1;
		return p;
	}
	p = arena_alloc_raw(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
