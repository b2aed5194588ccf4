/*
 * tpl_parse: compiling one template file into nodes.
 *
 * A file becomes a flat array of nodes; a section node knows where its body
 * ends, so rendering is a loop with recursion only into sections and
 * partials. Text nodes point into the file contents; names, name parts and
 * msgids are copied into the set's arena. Partials are only named here:
 * tpl.c resolves them once every file is compiled.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tpl/tpl_int.h"
#include "util/arena.h"
#include "util/buf.h"

#define TPL_MAX_DEPTH  64                 /* nested sections in one file */

struct parser {
	struct arena *arena;              /* the set's */
	struct buf *err;
	struct tpl *t;
	const char *src;
	size_t len;
	size_t cap;                       /* of t->nodes */
	size_t open[TPL_MAX_DEPTH];       /* node indexes of open sections */
	size_t depth;
	size_t cur, cur_bol;              /* line cursor: offset and its line's start */
	int cur_line;
};

int
tpl__error(struct buf *err, const char *path, int line, int col,
    const char *fmt, ...)
{
	va_list ap;

	buf_printf(err, "%s:%d:%d: ", path, line, col);
	va_start(ap, fmt);
	buf_vprintf(err, fmt, ap);
	va_end(ap);
	return -1;
}

/* Line and column (1-based, in bytes) of offset `off`; offsets only go
 * forward. */
static void
locate(struct parser *p, size_t off, int *line, int *col)
{
	assert(off >= p->cur);
	for (; p->cur < off; p->cur++) {
		if (p->src[p->cur] == '\n') {
			p->cur_line++;
			p->cur_bol = p->cur + 1;
		}
	}
	*line = p->cur_line;
	*col = (int)(off - p->cur_bol) + 1;
}

static struct tpl_node *
node_add(struct parser *p, enum tpl_op op, int line, int col)
{
	struct tpl *t = p->t;
	struct tpl_node *n;

	if (t->nnodes == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct tpl_node *nodes = realloc(t->nodes, cap * sizeof(*nodes));

		if (!nodes) {
			buf_puts(p->err, "tpl: out of memory");
			return NULL;
		}
		t->nodes = nodes;
		p->cap = cap;
	}
	n = &t->nodes[t->nnodes++];
	memset(n, 0, sizeof(*n));
	n->op = op;
	n->line = line;
	n->col = col;
	return n;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-';
}

/* "." or dot-separated non-empty segments of [A-Za-z0-9_-]. */
static bool
valid_name(const char *s, size_t len)
{
	size_t i, seg = 0;

	if (len == 1 && s[0] == '.')
		return true;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (seg == 0)
				return false;
			seg = 0;
		} else if (is_name_char(s[i])) {
			seg++;
		} else {
			return false;
		}
	}
	return seg > 0;
}

/* Relative path segments of [A-Za-z0-9_-.], no "." or ".." segment. */
static bool
valid_partial(const char *s, size_t len)
{
	size_t i, seg = 0, dots = 0;

	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == '/') {
			if (seg == 0 || seg == dots)
				return false;
			seg = dots = 0;
		} else if (is_name_char(s[i]) || s[i] == '.') {
			seg++;
			dots += s[i] == '.';
		} else {
			return false;
		}
	}
	return true;
}

/* Splits a valid dotted name into hashed parts ("." gives none). */
static void
split_name(struct parser *p, struct tpl_node *n, const char *s, size_t len)
{
	struct arena *a = p->arena;
	struct tpl_part *parts;
	size_t i, k = 0, start = 0, count = 1;

	n->text = arena_strndup(a, s, len);
	n->len = len;
	if (len == 1 && s[0] == '.')
		return;
	for (i = 0; i < len; i++)
		count += s[i] == '.';
	parts = arena_alloc(a, count * sizeof(*parts));
	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == '.') {
			parts[k].s = arena_strndup(a, s + start, i - start);
			parts[k].len = i - start;
			parts[k].hash = tpl__hash(s + start, i - start);
			k++;
			start = i + 1;
		}
	}
	assert(k == count);
	n->parts = parts;
	n->nparts = count;
}

/*
 * For a tag at [start, end) that may stand alone on its line: if only blanks
 * share the line with it, sets *text_end to the line's start and *next past
 * the line's end, and returns true.
 */
static bool
standalone(const struct parser *p, size_t text_start, size_t start, size_t end,
    size_t *text_end, size_t *next)
{
	const char *s = p->src;
	size_t bol = start, eol = end;

	while (bol > text_start && (s[bol - 1] == ' ' || s[bol - 1] == '\t'))
		bol--;
	if (bol > 0 && s[bol - 1] != '\n')
		return false;          /* text or a tag before it on the line */
	while (eol < p->len && (s[eol] == ' ' || s[eol] == '\t'))
		eol++;
	if (eol < p->len && s[eol] == '\r' && eol + 1 < p->len && s[eol + 1] == '\n')
		eol += 2;
	else if (eol < p->len && s[eol] == '\n')
		eol++;
	else if (eol < p->len)
		return false;
	*text_end = bol;
	*next = eol;
	return true;
}

static int
add_text(struct parser *p, size_t from, size_t to)
{
	struct tpl_node *n;

	if (from >= to)
		return 0;
	n = node_add(p, TPL_TEXT, 0, 0);
	if (!n)
		return -1;
	n->text = p->src + from;
	n->len = to - from;
	return 0;
}

/* Compiles tag body `s` (trimmed, sigil included) found at line:col. */
static int
compile_tag(struct parser *p, bool triple, const char *s, size_t len,
    int line, int col)
{
	const char *path = p->t->path;
	struct tpl_node *n, *o;
	char sigil = triple || len == 0 ? '\0' : s[0];
	const char *name;
	size_t nlen;

	if (sigil && strchr("#^/>_!", sigil)) {
		name = s + 1;
		nlen = len - 1;
		while (nlen > 0 && is_blank(*name)) {
			name++;
			nlen--;
		}
	} else {
		sigil = '\0';
		name = s;
		nlen = len;
	}
	switch (sigil) {
	case '!':
		return 0;
	case '_':
		if (nlen == 0)
			return tpl__error(p->err, path, line, col, "empty {{_ }} text");
		n = node_add(p, TPL_TRANS, line, col);
		if (!n)
			return -1;
		n->text = arena_strndup(p->arena, name, nlen);
		n->len = nlen;
		return 0;
	case '>':
		if (!valid_partial(name, nlen))
			return tpl__error(p->err, path, line, col,
			    "invalid partial name '%.*s'", (int)nlen, name);
		n = node_add(p, TPL_PARTIAL, line, col);
		if (!n)
			return -1;
		n->text = arena_strndup(p->arena, name, nlen);
		n->len = nlen;
		return 0;
	default:
		break;
	}
	if (nlen == 0)
		return tpl__error(p->err, path, line, col, "empty tag");
	if (!valid_name(name, nlen))
		return tpl__error(p->err, path, line, col, "invalid name '%.*s'",
		    (int)nlen, name);
	if (sigil == '/') {
		if (p->depth == 0)
			return tpl__error(p->err, path, line, col,
			    "{{/%.*s}} closes no section", (int)nlen, name);
		o = &p->t->nodes[p->open[p->depth - 1]];
		if (o->len != nlen || memcmp(o->text, name, nlen) != 0)
			return tpl__error(p->err, path, line, col,
			    "{{/%.*s}} closes {{%c%s}} opened at line %d",
			    (int)nlen, name, o->op == TPL_SECTION ? '#' : '^',
			    o->text, o->line);
		o->end = p->t->nnodes;
		p->depth--;
		return 0;
	}
	n = node_add(p, sigil == '#' ? TPL_SECTION : sigil == '^' ?
	    TPL_INVERTED : triple ? TPL_RAW : TPL_VAR, line, col);
	if (!n)
		return -1;
	split_name(p, n, name, nlen);
	if (sigil == '#' || sigil == '^') {
		if (p->depth == TPL_MAX_DEPTH)
			return tpl__error(p->err, path, line, col,
			    "sections nested deeper than %d", TPL_MAX_DEPTH);
		p->open[p->depth++] = p->t->nnodes - 1;
	}
	return 0;
}

int
tpl__compile(struct tpl_set *set, struct tpl *t, const char *src, size_t len,
    struct buf *err)
{
	struct parser p = { .arena = &set->arena, .err = err, .t = t,
		.src = src, .len = len, .cur_line = 1 };
	size_t pos = 0;
	int line, col;

	while (pos < len) {
		const char *open = memmem(src + pos, len - pos, "{{", 2);
		const char *close, *in, *in_end;
		size_t start, end, text_end, next;
		bool triple;

		if (!open) {
			if (add_text(&p, pos, len) != 0)
				return -1;
			break;
		}
		start = (size_t)(open - src);
		locate(&p, start, &line, &col);
		triple = start + 2 < len && src[start + 2] == '{';
		in = open + (triple ? 3 : 2);
		close = memmem(in, (size_t)(src + len - in), triple ? "}}}" : "}}",
		    triple ? 3 : 2);
		/* A tag holding "{{" lost its end: report where it began. */
		if (!close || memmem(in, (size_t)(close - in), "{{", 2))
			return tpl__error(err, t->path, line, col, "unterminated tag");
		end = (size_t)(close - src) + (triple ? 3 : 2);
		in_end = close;
		while (in < in_end && is_blank(*in))
			in++;
		while (in_end > in && is_blank(in_end[-1]))
			in_end--;
		text_end = start;
		next = end;
		if (!triple && in < in_end && *in && strchr("#^/!>", *in))
			standalone(&p, pos, start, end, &text_end, &next);
		if (add_text(&p, pos, text_end) != 0 ||
		    compile_tag(&p, triple, in, (size_t)(in_end - in), line,
		    col) != 0)
			return -1;
		pos = next;
	}
	if (p.depth > 0) {
		const struct tpl_node *o = &t->nodes[p.open[p.depth - 1]];

		return tpl__error(err, t->path, o->line, o->col,
		    "unclosed section {{%c%s}}", o->op == TPL_SECTION ? '#' : '^',
		    o->text);
	}
	return 0;
}
