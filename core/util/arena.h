/*
 * arena: a bump allocator tied to a lifetime (one request, one command).
 *
 * Allocate freely; arena_reset() frees everything at once and keeps the first
 * block for the next request, so a steady-state request allocates nothing
 * from malloc. Out of memory aborts: a half-served request is worse.
 */
#ifndef CPT_ARENA_H
#define CPT_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;   /* current block; older blocks chained behind */
	size_t block_size;
};

void arena_init(struct arena *a, size_t block_size);
void arena_reset(struct arena *a);      /* frees all but one block */
void arena_free(struct arena *a);       /* frees everything */

void *arena_alloc(struct arena *a, size_t size);       /* zeroed, aligned */
void *arena_alloc_raw(struct arena *a, size_t size);   /* aligned, not zeroed */
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
