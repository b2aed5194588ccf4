/*
 * problems: what is wrong with an input, one entry per field, each named
 * by a JSON pointer ("/lines/0/quantity"). Filled by parsers and domain
 * checks alike; the API turns it into an RFC 9457 problem document.
 */
#ifndef CPT_PROBLEMS_H
#define CPT_PROBLEMS_H

#include <stddef.h>

struct arena;

struct problem {
	const char *pointer;   /* JSON pointer of the field, "" for the whole body */
	const char *detail;    /* what is wrong, in English */
	/* Both are kept as well-formed UTF-8 (an ill-formed byte becomes
	 * U+FFFD), cut between characters at PROBLEM_*_MAX bytes. */
	/* Out of stock: */
	const char *sku;
	long long requested;
	long long available;
};

struct problems {
	struct arena *arena;
	struct problem *items;
	size_t n, cap;
};

#define PROBLEMS_MAX 100
#define PROBLEM_DETAIL_MAX 512
#define PROBLEM_POINTER_MAX 512

void problems_init(struct problems *p, struct arena *a);
/* Adds a problem; beyond PROBLEMS_MAX they are counted but not kept. */
struct problem *problems_add(struct problems *p, const char *pointer, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void problems_clear(struct problems *p);

#endif
