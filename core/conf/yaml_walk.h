/*
 * yaml_walk: read one YAML file with libyaml and check it against a small
 * table-driven schema, collecting "file:line:col: message" problems.
 *
 * libyaml only checks syntax: duplicate keys are accepted, anchors may
 * build cycles, an empty file has no root and every scalar is an untyped
 * string. yw_open() and yw_walk() catch each of these, so a schema table
 * (struct yw_field) is all a caller writes. Internal to core/conf/.
 */
#ifndef CPT_YAML_WALK_H
#define CPT_YAML_WALK_H

#include <stdbool.h>
#include <stddef.h>

#include <yaml.h>

#include "util/buf.h"

#define YW_MAX_PROBLEMS 50

/* The problems of one load, shared by every file it reads. */
struct yw_errors {
	struct buf *out;   /* one line per problem, at most YW_MAX_PROBLEMS */
	int count;         /* problems found, including those not written */
};

/* One YAML file: its text and its (single) document. */
struct yw_file {
	struct yw_errors *errs;
	const char *name;       /* as shown in messages; not owned */
	char *text;
	size_t len;
	yaml_document_t doc;
	bool has_doc;
	struct buf scratch;     /* yw_show() output */
	void *user;             /* for YW_CUSTOM parsers */
};

enum yw_type {
	YW_STRING,   /* char *: any scalar style; replaces (and frees) the old value */
	YW_INT,      /* int: plain decimal scalar within [min, max] */
	YW_UINT,     /* unsigned: plain decimal scalar within [min, max] */
	YW_SIZE,     /* size_t: plain "<digits>[kKmM]" (k = 1024) within [min, max] */
	YW_BOOL,     /* bool: plain true/false/yes/no, any case */
	YW_CHOICE,   /* int: index of the scalar in `choices` */
	YW_MAP,      /* nested mapping walked with `fields`, same base */
	YW_CUSTOM,   /* `parse` does everything */
};

struct yw_field {
	const char *key;
	enum yw_type type;
	size_t offset;                  /* destination, from the base pointer */
	bool required;
	long long min, max;             /* YW_INT, YW_UINT, YW_SIZE */
	const char *const *choices;     /* YW_CHOICE, NULL-terminated */
	bool (*valid)(const char *s);   /* YW_STRING, optional extra check ... */
	const char *rule;               /* ... and what it demands: "must be ..." */
	const struct yw_field *fields;  /* YW_MAP, ended by an entry with key NULL */
	/* YW_CUSTOM: `node` is never a null scalar (the walker handles those). */
	void (*parse)(struct yw_file *f, const yaml_node_t *node, void *base,
	    const struct yw_field *fd);
};

/*
 * Reads and parses `name`, reporting to `errs`: unreadable file, syntax
 * error, nesting deeper than 64 levels, empty document, more than one
 * document, root not a mapping, aliases. Returns the root mapping to walk
 * (also when aliases were reported: keep going), or NULL when there is
 * nothing to walk. Always call yw_close() afterwards.
 */
const yaml_node_t *yw_open(struct yw_file *f, struct yw_errors *errs,
    const char *name);
void yw_close(struct yw_file *f);

/*
 * Walks mapping `map` against `fields` (ended by a NULL key), storing values
 * at `base` + offset; reports unknown, duplicate and missing keys and bad
 * values. `section` names the mapping in messages (NULL at the top level).
 * A null value (empty, ~, null) leaves the destination alone.
 */
void yw_walk(struct yw_file *f, const yaml_node_t *map,
    const struct yw_field *fields, const char *section, void *base);

/* Appends "name:line:col: message"; line and column from a libyaml mark. */
void yw_error(struct yw_file *f, yaml_mark_t mark, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Appends one line as given (for problems without a position). */
void yw_report(struct yw_errors *errs, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* True once YW_MAX_PROBLEMS problems were found: stop looking for more. */
bool yw_full(const struct yw_errors *errs);

/* The node numbered `index` in f's document, NULL if none. */
const yaml_node_t *yw_node(const struct yw_file *f, int index);
/* The value of `key` in mapping `map` (first occurrence), NULL if absent. */
const yaml_node_t *yw_lookup(const struct yw_file *f, const yaml_node_t *map,
    const char *key);
/* True for a plain empty, "~" or "null" scalar. */
bool yw_is_null(const yaml_node_t *n);
/* "a mapping", "a list", "a string", "nothing": for "expected X, found Y". */
const char *yw_kind(const yaml_node_t *n);
/* The scalar as 'text', control characters replaced, cut after 40 characters;
 * valid until the next call on f. For non-scalars, yw_kind(). */
const char *yw_show(struct yw_file *f, const yaml_node_t *n);
/* A malloc'd NUL-terminated copy of a scalar; NULL (reported) when it holds
 * a NUL character or memory runs out. */
char *yw_strdup(struct yw_file *f, const yaml_node_t *n, const char *key);

#endif
