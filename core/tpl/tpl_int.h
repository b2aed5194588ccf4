/*
 * tpl internals shared by tpl.c (the set), tpl_parse.c (compiling a
 * file) and tpl_render.c (variables, rendering). Not for use outside core/tpl/.
 */
#ifndef CPT_TPL_INT_H
#define CPT_TPL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tpl/tpl.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/i18n.h"

/* One segment of a dotted name, hashed at compile time. */
struct tpl_part {
	const char *s;       /* NUL-terminated */
	size_t len;
	uint32_t hash;       /* tpl__hash(s, len) */
};

enum tpl_op {
	TPL_TEXT,            /* text, len: literal bytes */
	TPL_VAR,             /* {{name}} */
	TPL_RAW,             /* {{{name}}} */
	TPL_SECTION,         /* {{#name}}: body is nodes [i + 1, end) */
	TPL_INVERTED,        /* {{^name}}: same */
	TPL_PARTIAL,         /* {{> name}}: partial */
	TPL_TRANS,           /* {{_ msgid}}: text is the msgid */
};

/* A {{_ }} text worked out at load: per language, raw then HTML-escaped. */
struct tpl_trans {
	struct { const char *s; size_t len; } text[I18N_LANGS][2];
};

struct tpl_node {
	enum tpl_op op;
	int line, col;                 /* of the tag, 1-based */
	const char *text;              /* TEXT: bytes; others: the tag's name or
	                                  msgid, NUL-terminated */
	size_t len;
	const struct tpl_part *parts;  /* VAR, RAW, SECTION, INVERTED; */
	size_t nparts;                 /*   0 parts is "{{.}}" */
	size_t end;                    /* SECTION, INVERTED: index past body */
	size_t partial;                /* PARTIAL: index in set->tpls */
	const struct tpl_trans *trans; /* TRANS: its translations, or NULL
	                                  (no locales: asked at each render) */
};

struct tpl {
	const char *name;              /* "pages/login" */
	const char *path;              /* "dir/pages/login.html", for messages */
	bool text;                     /* a *.txt file: renders without escaping */
	struct tpl_node *nodes;        /* malloc'd */
	size_t nnodes;
	int mark;                      /* cycle detection at load */
};

struct tpl_set {
	struct arena arena;            /* names, sources, parts */
	struct tpl *tpls;              /* malloc'd, sorted by name */
	size_t ntpls;
};

/* Values of variables. */
enum tpl_vtype { TPL_V_STR, TPL_V_RAW, TPL_V_INT, TPL_V_BOOL, TPL_V_MAP,
	TPL_V_LIST };

struct tpl_item;

struct tpl_value {
	enum tpl_vtype type;
	union {
		struct { const char *s; size_t len; } str;  /* STR, RAW */
		long long i;
		bool b;
		struct tpl_vars *map;
		struct { struct tpl_item *head, *tail; size_t n; } list;
	} u;
};

struct tpl_item {                      /* one list element: always a map */
	struct tpl_value v;
	struct tpl_item *next;
};

struct tpl_entry {
	const char *key;
	size_t klen;
	uint32_t hash;
	struct tpl_value v;
	struct tpl_entry *next;        /* in its bucket */
};

/* A map's keys in TPL_BUCKETS chains by hash: a row of twenty keys is
 * walked two or three entries deep, not ten (every {{name}} of a list's
 * rows is looked up in them). */
#define TPL_BUCKETS 8

struct tpl_vars {
	struct arena *arena;
	struct tpl_entry *bucket[TPL_BUCKETS];
	uint64_t keys;                 /* tpl__key_bits() of every key: a key
	                                  whose bits are not all here is absent */
};

/* The chain of a key's hash: bits that tpl__key_bits does not use. */
static inline size_t
tpl__bucket(uint32_t hash)
{
	return (hash >> 12) % TPL_BUCKETS;
}

/* Two of 64 bits picked by a key's hash: a row's twenty keys leave most
 * missing keys (the outer contexts' names) to be known absent without a
 * walk along the entries, and most new keys to be added without one. */
static inline uint64_t
tpl__key_bits(uint32_t hash)
{
	return (1ull << (hash & 63)) | (1ull << ((hash >> 6) & 63));
}

/* Compiles the `len` bytes at `src` (NUL-terminated, kept as long as the
 * set) into t->nodes; partial nodes are left unresolved. Returns 0, or -1
 * with a message appended to `err`. */
int tpl__compile(struct tpl_set *set, struct tpl *t, const char *src,
    size_t len, struct buf *err);

/* Appends "path:line:col: message" to `err`; returns -1. */
int tpl__error(struct buf *err, const char *path, int line, int col,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* FNV-1a of the `len` bytes at `s`. */
uint32_t tpl__hash(const char *s, size_t len);

/* tpl__hash(s, strlen(s)), and that length in *len: one pass. */
uint32_t tpl__hash_str(const char *s, size_t *len);

/* Index of template `name` in the sorted set, or -1. */
long tpl__find(const struct tpl_set *set, const char *name);

#endif
