#include "conf/yaml_walk.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define YW_MAX_FILE ((size_t)4 << 20)   /* a config file larger than this is a mistake */
#define YW_SHOW_MAX 40                  /* characters of a value quoted in a message */
#define YW_MAX_DEPTH 64                 /* the schema needs 3 */

bool
yw_full(const struct yw_errors *errs)
{
	return errs->count >= YW_MAX_PROBLEMS;
}

void
yw_report(struct yw_errors *errs, const char *fmt, ...)
{
	va_list ap;

	if (errs->count++ >= YW_MAX_PROBLEMS)
		return;
	va_start(ap, fmt);
	buf_vprintf(errs->out, fmt, ap);
	va_end(ap);
	buf_putc(errs->out, '\n');
}

void
yw_error(struct yw_file *f, yaml_mark_t mark, const char *fmt, ...)
{
	struct yw_errors *errs = f->errs;
	va_list ap;

	if (errs->count++ >= YW_MAX_PROBLEMS)
		return;
	buf_printf(errs->out, "%s:%zu:%zu: ", f->name, mark.line + 1, mark.column + 1);
	va_start(ap, fmt);
	buf_vprintf(errs->out, fmt, ap);
	va_end(ap);
	buf_putc(errs->out, '\n');
}

const yaml_node_t *
yw_node(const struct yw_file *f, int index)
{
	/* yaml_document_get_node() takes a non-const document, for no reason. */
	const yaml_document_t *d = &f->doc;

	if (!f->has_doc || index < 1 || index > d->nodes.top - d->nodes.start)
		return NULL;
	return d->nodes.start + index - 1;
}

bool
yw_is_null(const yaml_node_t *n)
{
	const char *s;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	s = (const char *)n->data.scalar.value;
	return n->data.scalar.length == 0 || strcmp(s, "~") == 0 ||
	    strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

const char *
yw_kind(const yaml_node_t *n)
{
	if (!n || yw_is_null(n))
		return "nothing";
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a string";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	case YAML_NO_NODE: break;
	}
	return "nothing";
}

const char *
yw_show(struct yw_file *f, const yaml_node_t *n)
{
	const unsigned char *s;
	size_t i, len, chars = 0;

	if (!n || n->type != YAML_SCALAR_NODE || yw_is_null(n))
		return yw_kind(n);
	s = n->data.scalar.value;
	len = n->data.scalar.length;
	buf_reset(&f->scratch);
	buf_putc(&f->scratch, '\'');
	for (i = 0; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80 && chars++ == YW_SHOW_MAX) {
			buf_puts(&f->scratch, "...");
			break;
		}
		buf_putc(&f->scratch, s[i] < 0x20 || s[i] == 0x7F ? '?' : (char)s[i]);
	}
	buf_putc(&f->scratch, '\'');
	return buf_str(&f->scratch);
}

char *
yw_strdup(struct yw_file *f, const yaml_node_t *n, const char *key)
{
	size_t len = n->data.scalar.length;
	char *s;

	assert(n->type == YAML_SCALAR_NODE);
	if (memchr(n->data.scalar.value, '\0', len)) {
		yw_error(f, n->start_mark, "'%s' must not contain a NUL character", key);
		return NULL;
	}
	s = malloc(len + 1);
	if (!s) {
		yw_error(f, n->start_mark, "out of memory");
		return NULL;
	}
	memcpy(s, n->data.scalar.value, len);
	s[len] = '\0';
	return s;
}

const yaml_node_t *
yw_lookup(const struct yw_file *f, const yaml_node_t *map, const char *key)
{
	const yaml_node_pair_t *p;
	size_t klen = strlen(key);

	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = yw_node(f, p->key);

		if (k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == klen &&
		    memcmp(k->data.scalar.value, key, klen) == 0)
			return yw_node(f, p->value);
	}
	return NULL;
}

/* ---- reading a file ---------------------------------------------------- */

/* Reads f->name into f->text; reports and returns -1 when it cannot. */
static int
read_file(struct yw_file *f)
{
	struct stat st;
	size_t cap = 4096;
	ssize_t n;
	int fd, e;

	fd = open(f->name, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		yw_report(f->errs, "%s: cannot open: %s", f->name, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		yw_report(f->errs, "%s: cannot open: %s", f->name, strerror(EISDIR));
		close(fd);
		return -1;
	}
	f->text = malloc(cap);
	for (;;) {
		if (!f->text) {
			yw_report(f->errs, "%s: out of memory", f->name);
			break;
		}
		if (f->len == cap) {
			char *p;

			if (cap >= YW_MAX_FILE) {
				yw_report(f->errs, "%s: file is too large (more than %zu bytes)",
				    f->name, YW_MAX_FILE);
				break;
			}
			p = realloc(f->text, cap * 2);
			if (!p) {
				free(f->text);
				f->text = NULL;
				continue;
			}
			f->text = p;
			cap *= 2;
		}
		n = read(fd, f->text + f->len, cap - f->len);
		if (n == 0) {
			close(fd);
			return 0;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			yw_report(f->errs, "%s: cannot read: %s", f->name, strerror(e));
			break;
		}
		f->len += (size_t)n;
	}
	close(fd);
	free(f->text);
	f->text = NULL;
	f->len = 0;
	return -1;
}

/* The line and column of byte `offset` (libyaml gives reader errors so). */
static yaml_mark_t
offset_mark(const struct yw_file *f, size_t offset)
{
	yaml_mark_t m = { 0, 0, 0 };
	size_t i;

	for (i = 0; i < offset && i < f->len; i++) {
		if (f->text[i] == '\n') {
			m.line++;
			m.column = 0;
		} else if ((f->text[i] & 0xC0) != 0x80) {
			m.column++;
		}
	}
	m.index = offset;
	return m;
}

/* Reports the error libyaml stopped on, with its own wording. */
static void
syntax_error(struct yw_file *f, const yaml_parser_t *p)
{
	yaml_mark_t mark = p->problem_mark;
	const char *problem = p->problem ? p->problem : "invalid YAML";

	if (p->error == YAML_MEMORY_ERROR) {
		yw_report(f->errs, "%s: out of memory", f->name);
		return;
	}
	if (p->error == YAML_READER_ERROR) {
		mark = offset_mark(f, p->problem_offset);
		if (p->problem_value != -1) {
			yw_error(f, mark, "%s (found byte 0x%02X)", problem,
			    (unsigned)p->problem_value);
			return;
		}
	}
	if (p->context)
		yw_error(f, mark, "%s (%s at line %zu, column %zu)", problem, p->context,
		    p->context_mark.line + 1, p->context_mark.column + 1);
	else
		yw_error(f, mark, "%s", problem);
}

/* Marks node `index` as reached; true if it already was. */
static bool
reached_again(bool *seen, size_t n, int index)
{
	if (index < 1 || (size_t)index > n)
		return false;
	if (seen[index])
		return true;
	seen[index] = true;
	return false;
}

/*
 * True when a node is reached twice from the root, which with the document
 * API is what an alias makes (and what any cycle needs).
 */
static bool
has_shared_nodes(struct yw_file *f)
{
	const yaml_document_t *d = &f->doc;
	size_t n = (size_t)(d->nodes.top - d->nodes.start), i;
	const yaml_node_item_t *it;
	const yaml_node_pair_t *p;
	bool *seen, shared = false;

	seen = calloc(n + 1, sizeof(*seen));
	if (!seen) {
		yw_report(f->errs, "%s: out of memory", f->name);
		return false;
	}
	seen[1] = true;    /* the root is node 1 */
	for (i = 0; i < n && !shared; i++) {
		const yaml_node_t *node = d->nodes.start + i;

		if (node->type == YAML_SEQUENCE_NODE) {
			for (it = node->data.sequence.items.start;
			    it < node->data.sequence.items.top && !shared; it++)
				shared = reached_again(seen, n, *it);
		} else if (node->type == YAML_MAPPING_NODE) {
			for (p = node->data.mapping.pairs.start;
			    p < node->data.mapping.pairs.top && !shared; p++)
				shared = reached_again(seen, n, p->key) ||
				    reached_again(seen, n, p->value);
		}
	}
	free(seen);
	return shared;
}

/*
 * Reads the events before the document is loaded, to report every alias
 * where it is written (the document API forgets that), a second document,
 * and to refuse deep nesting early: libyaml's scanner is quadratic in the
 * flow nesting depth (100,000 '[' take ~40 s). Stops quietly on a syntax
 * error, which yaml_parser_load() then reports. Returns the number of
 * aliases, or -1 when the file is too deep (reported).
 */
static int
scan_events(struct yw_file *f)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int aliases = 0, depth = 0;
	bool done = false, ended = false;

	if (!yaml_parser_initialize(&p)) {
		yw_report(f->errs, "%s: out of memory", f->name);
		return -1;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)f->text, f->len);
	while (!done && yaml_parser_parse(&p, &ev)) {
		switch (ev.type) {
		case YAML_ALIAS_EVENT:
			yw_error(f, ev.start_mark, "aliases are not allowed (*%s)",
			    (const char *)ev.data.alias.anchor);
			aliases++;
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if (++depth > YW_MAX_DEPTH) {
				yw_error(f, ev.start_mark, "nested more than %d levels deep",
				    YW_MAX_DEPTH);
				aliases = -1;
				done = true;
			}
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (ended) {
				yw_error(f, ev.start_mark, "a file holds one document only; "
				    "remove this '---' and what follows");
				done = true;
			}
			break;
		case YAML_DOCUMENT_END_EVENT:
			ended = true;
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return aliases;
}

const yaml_node_t *
yw_open(struct yw_file *f, struct yw_errors *errs, const char *name)
{
	yaml_parser_t p;
	const yaml_node_t *root;
	yaml_mark_t top = { 0, 0, 0 };
	int aliases;

	memset(f, 0, sizeof(*f));
	f->errs = errs;
	f->name = name;
	buf_init(&f->scratch, 4096);
	if (read_file(f) < 0)
		return NULL;
	aliases = scan_events(f);
	if (aliases < 0)
		return NULL;
	if (!yaml_parser_initialize(&p)) {
		yw_report(errs, "%s: out of memory", name);
		return NULL;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)f->text, f->len);
	if (!yaml_parser_load(&p, &f->doc)) {
		syntax_error(f, &p);
		yaml_parser_delete(&p);
		return NULL;
	}
	f->has_doc = true;
	root = yw_node(f, 1);
	if (!root || yw_is_null(root)) {
		yw_error(f, root ? root->start_mark : top,
		    "expected a mapping of settings, found an empty document");
		root = NULL;
	} else if (root->type != YAML_MAPPING_NODE) {
		yw_error(f, root->start_mark, "expected a mapping of settings, found %s",
		    yw_kind(root));
		root = NULL;
	}
	yaml_parser_delete(&p);
	if (root && aliases == 0 && has_shared_nodes(f))
		yw_error(f, root->start_mark, "aliases are not allowed");
	return root;
}

void
yw_close(struct yw_file *f)
{
	if (f->has_doc)
		yaml_document_delete(&f->doc);
	f->has_doc = false;
	free(f->text);
	f->text = NULL;
	buf_free(&f->scratch);
}

/* ---- walking a mapping ------------------------------------------------- */

/* Stores `size` bytes at base + offset (memcpy: no alignment assumptions). */
static void
store(void *base, size_t offset, const void *value, size_t size)
{
	memcpy((char *)base + offset, value, size);
}

static const struct yw_field *
find_field(const struct yw_field *fields, const yaml_node_t *key)
{
	size_t len = key->data.scalar.length;

	for (; fields->key; fields++)
		if (strlen(fields->key) == len && memcmp(fields->key, key->data.scalar.value, len) == 0)
			return fields;
	return NULL;
}

static void
unknown_key(struct yw_file *f, const yaml_node_t *key, const struct yw_field *fields,
    const char *section)
{
	struct buf list;
	const struct yw_field *fd;

	buf_init(&list, 4096);
	for (fd = fields; fd->key; fd++) {
		if (fd != fields)
			buf_puts(&list, ", ");
		buf_puts(&list, fd->key);
	}
	yw_error(f, key->start_mark, "unknown key %s%s%s (expected one of: %s)",
	    yw_show(f, key), section ? " in " : "", section ? section : "", buf_str(&list));
	buf_free(&list);
}

/* Reports a value that is not a plain scalar where a number or boolean goes. */
static bool
need_plain(struct yw_file *f, const yaml_node_t *v, const char *what, const char *key)
{
	if (v->type != YAML_SCALAR_NODE) {
		yw_error(f, v->start_mark, "expected %s for '%s', found %s", what, key, yw_kind(v));
		return false;
	}
	if (v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) {
		yw_error(f, v->start_mark,
		    "expected %s for '%s', found the quoted string %s (write it without quotes)",
		    what, key, yw_show(f, v));
		return false;
	}
	return true;
}

/*
 * Parses the plain scalar `v` as a decimal integer (with a k/K/m/M suffix
 * when `size`). Returns 0 on success, -1 when it is not a number, 1 when
 * it does not fit in a long long.
 */
static int
parse_number(const yaml_node_t *v, bool size, long long *out)
{
	const char *s = (const char *)v->data.scalar.value, *digits = s;
	size_t len = v->data.scalar.length, n;
	long long mult = 1, x;
	char *end;

	if (size && len > 0) {
		switch (s[len - 1]) {
		case 'k': case 'K': mult = 1024; len--; break;
		case 'm': case 'M': mult = 1024 * 1024; len--; break;
		default: break;
		}
	} else if (len > 0 && (s[0] == '-' || s[0] == '+')) {
		digits++;
	}
	n = len - (size_t)(digits - s);
	if (len == 0 || n == 0 || strspn(digits, "0123456789") < n)
		return -1;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (end != s + len)
		return -1;
	if (errno == ERANGE || x > LLONG_MAX / mult)
		return 1;
	*out = x * mult;
	return 0;
}

/* Reads a number field; false (reported) when missing, malformed or out of range. */
static bool
get_number(struct yw_file *f, const struct yw_field *fd, const yaml_node_t *v, long long *out)
{
	bool size = fd->type == YW_SIZE;
	const char *what = size ? "a size (bytes, or a number followed by k or M)" : "an integer";
	const char *unit = size ? " bytes" : "";
	int r;

	if (!need_plain(f, v, what, fd->key))
		return false;
	r = parse_number(v, size, out);
	if (r < 0) {
		yw_error(f, v->start_mark, "expected %s for '%s', found %s", what, fd->key,
		    yw_show(f, v));
		return false;
	}
	if (r == 0 && *out >= fd->min && *out <= fd->max)
		return true;
	if (r == 0 && *out < fd->min && (fd->max == INT_MAX || fd->max == LLONG_MAX))
		yw_error(f, v->start_mark, "'%s' must be at least %lld%s, found %s", fd->key,
		    fd->min, unit, yw_show(f, v));
	else
		yw_error(f, v->start_mark, "'%s' must be between %lld and %lld%s, found %s",
		    fd->key, fd->min, fd->max, unit, yw_show(f, v));
	return false;
}

/* True when `a` equals lower-case `b`, ignoring ASCII case (not the locale's). */
static bool
ascii_ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;

		if (x != *b)
			return false;
	}
	return *a == *b;
}

/* YW_CHOICE: stores the index of the value in fd->choices, as an int. */
static void
set_choice(struct yw_file *f, const struct yw_field *fd, const yaml_node_t *v, void *base)
{
	struct buf list;
	int i;

	if (v->type == YAML_SCALAR_NODE) {
		for (i = 0; fd->choices[i]; i++) {
			if (strlen(fd->choices[i]) == v->data.scalar.length &&
			    memcmp(fd->choices[i], v->data.scalar.value, v->data.scalar.length) == 0) {
				store(base, fd->offset, &i, sizeof(i));
				return;
			}
		}
	}
	buf_init(&list, 4096);
	for (i = 0; fd->choices[i]; i++)
		buf_printf(&list, "%s%s", i ? ", " : "", fd->choices[i]);
	yw_error(f, v->start_mark, "'%s' must be one of: %s; found %s", fd->key, buf_str(&list),
	    yw_show(f, v));
	buf_free(&list);
}

/* YW_STRING: a copy of the scalar, checked by fd->valid, replaces the old one. */
static void
set_string(struct yw_file *f, const struct yw_field *fd, const yaml_node_t *v, void *base)
{
	char *s, *old;

	if (v->type != YAML_SCALAR_NODE) {
		yw_error(f, v->start_mark, "expected a string for '%s', found %s", fd->key, yw_kind(v));
		return;
	}
	s = yw_strdup(f, v, fd->key);
	if (!s)
		return;
	if (fd->required && !*s) {
		yw_error(f, v->start_mark, "'%s' must not be empty", fd->key);
		free(s);
		return;
	}
	if (fd->valid && !fd->valid(s)) {
		yw_error(f, v->start_mark, "'%s' %s, found %s", fd->key, fd->rule, yw_show(f, v));
		free(s);
		return;
	}
	memcpy(&old, (char *)base + fd->offset, sizeof(old));
	free(old);
	store(base, fd->offset, &s, sizeof(s));
}

/* Checks and stores the value `v` of key `k` for field `fd`. */
static void
set_value(struct yw_file *f, const struct yw_field *fd, const yaml_node_t *k,
    const yaml_node_t *v, void *base)
{
	long long x;

	if (yw_is_null(v)) {
		if (fd->required)
			yw_error(f, k->start_mark, "missing value for '%s'", fd->key);
		return;
	}
	switch (fd->type) {
	case YW_STRING:
		set_string(f, fd, v, base);
		break;
	case YW_INT:
		if (get_number(f, fd, v, &x)) {
			int i = (int)x;

			store(base, fd->offset, &i, sizeof(i));
		}
		break;
	case YW_UINT:
		if (get_number(f, fd, v, &x)) {
			unsigned u = (unsigned)x;

			store(base, fd->offset, &u, sizeof(u));
		}
		break;
	case YW_SIZE:
		if (get_number(f, fd, v, &x)) {
			size_t z = (size_t)x;

			store(base, fd->offset, &z, sizeof(z));
		}
		break;
	case YW_BOOL:
		if (need_plain(f, v, "true or false", fd->key)) {
			const char *s = (const char *)v->data.scalar.value;
			bool b = ascii_ieq(s, "true") || ascii_ieq(s, "yes");

			if (b || ascii_ieq(s, "false") || ascii_ieq(s, "no"))
				store(base, fd->offset, &b, sizeof(b));
			else
				yw_error(f, v->start_mark, "expected true or false for '%s', found %s",
				    fd->key, yw_show(f, v));
		}
		break;
	case YW_CHOICE:
		set_choice(f, fd, v, base);
		break;
	case YW_MAP:
		if (v->type != YAML_MAPPING_NODE)
			yw_error(f, v->start_mark, "expected a mapping for '%s', found %s",
			    fd->key, yw_kind(v));
		else
			yw_walk(f, v, fd->fields, fd->key, base);
		break;
	case YW_CUSTOM:
		fd->parse(f, v, base, fd);
		break;
	}
}

void
yw_walk(struct yw_file *f, const yaml_node_t *map, const struct yw_field *fields,
    const char *section, void *base)
{
	const yaml_node_pair_t *p;
	unsigned long long seen = 0;
	size_t nfields, i;

	assert(map && map->type == YAML_MAPPING_NODE);
	for (nfields = 0; fields[nfields].key; nfields++)
		;
	assert(nfields <= 64);
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = yw_node(f, p->key), *v = yw_node(f, p->value);
		const struct yw_field *fd;

		if (yw_full(f->errs))
			return;
		if (!k || !v)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			yw_error(f, k->start_mark, "expected a key name, found %s", yw_kind(k));
			continue;
		}
		fd = find_field(fields, k);
		if (!fd) {
			unknown_key(f, k, fields, section);
			continue;
		}
		i = (size_t)(fd - fields);
		if (seen & (1ULL << i)) {
			const yaml_node_pair_t *q;
			const yaml_node_t *first = k;

			for (q = map->data.mapping.pairs.start; q < p; q++) {
				const yaml_node_t *qk = yw_node(f, q->key);

				if (qk && qk->type == YAML_SCALAR_NODE && find_field(fields, qk) == fd) {
					first = qk;
					break;
				}
			}
			yw_error(f, k->start_mark, "duplicate key '%s' (first at line %zu)", fd->key,
			    first->start_mark.line + 1);
			continue;
		}
		seen |= 1ULL << i;
		set_value(f, fd, k, v, base);
	}
	for (i = 0; i < nfields; i++)
		if (fields[i].required && !(seen & (1ULL << i)))
			yw_error(f, map->start_mark, "missing required key '%s'%s%s", fields[i].key,
			    section ? " in " : "", section ? section : "");
}
