/*
 * tpl_render: per-request variables and rendering a compiled set.
 *
 * Rendering only reads the set; the context stack is a chain of frames on
 * the C stack, so a render allocates nothing but what `out` grows by.
 */
#include "tpl/tpl.h"

#include <assert.h>
#include <string.h>

#include "tpl/tpl_int.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/i18n.h"
#include "util/log.h"

/* ---- variables ---- */

struct tpl_vars *
tpl_vars_new(struct arena *a)
{
	struct tpl_vars *v = arena_alloc(a, sizeof(*v));

	v->arena = a;
	return v;
}

/* The value of `key` in `v`, created (as an empty string) if missing. A
 * new entry comes with `room` bytes after its key at *room_at, where a
 * string value is copied without an allocation of its own; *room_at is
 * NULL for an entry that was there. */
static struct tpl_value *
slot_room(struct tpl_vars *v, const char *key, size_t room, char **room_at)
{
	size_t klen;
	uint32_t hash = tpl__hash_str(key, &klen);
	uint64_t bits = tpl__key_bits(hash);
	struct tpl_entry *e;
	char *k;

	assert(v && klen > 0 && !memchr(key, '.', klen));
	*room_at = NULL;
	if ((v->keys & bits) == bits)
		for (e = v->bucket[tpl__bucket(hash)]; e; e = e->next)
			if (e->hash == hash && e->klen == klen &&
			    memcmp(e->key, key, klen) == 0)
				return &e->v;
	v->keys |= bits;
	e = arena_alloc_raw(v->arena, sizeof(*e) + klen + 1 + room);
	memset(e, 0, sizeof(*e));
	k = (char *)(e + 1);
	memcpy(k, key, klen);
	k[klen] = '\0';
	*room_at = room ? k + klen + 1 : NULL;
	e->key = k;
	e->klen = klen;
	e->hash = hash;
	e->v.type = TPL_V_STR;
	e->v.u.str.s = "";
	e->next = v->bucket[tpl__bucket(hash)];
	v->bucket[tpl__bucket(hash)] = e;
	return &e->v;
}

static struct tpl_value *
slot(struct tpl_vars *v, const char *key)
{
	char *none;

	return slot_room(v, key, 0, &none);
}

void
tpl_set_strn(struct tpl_vars *v, const char *key, const char *value, size_t len)
{
	char *copy;
	struct tpl_value *s;

	if (!value) {
		value = "";
		len = 0;
	}
	s = slot_room(v, key, len + 1, &copy);
	if (!copy)
		copy = arena_alloc_raw(v->arena, len + 1);
	memcpy(copy, value, len);
	copy[len] = '\0';
	s->type = TPL_V_STR;
	s->u.str.s = copy;
	s->u.str.len = len;
}

void
tpl_set_str(struct tpl_vars *v, const char *key, const char *value)
{
	tpl_set_strn(v, key, value, value ? strlen(value) : 0);
}

void
tpl_set_raw(struct tpl_vars *v, const char *key, const char *html)
{
	struct tpl_value *s = slot(v, key);

	s->type = TPL_V_RAW;
	s->u.str.s = arena_strdup(v->arena, html ? html : "");
	s->u.str.len = html ? strlen(html) : 0;
}

void
tpl_set_int(struct tpl_vars *v, const char *key, long long value)
{
	struct tpl_value *s = slot(v, key);

	s->type = TPL_V_INT;
	s->u.i = value;
}

void
tpl_set_bool(struct tpl_vars *v, const char *key, bool value)
{
	struct tpl_value *s = slot(v, key);

	s->type = TPL_V_BOOL;
	s->u.b = value;
}

void
tpl_set_raw_view(struct tpl_vars *v, const char *key, const char *html, size_t len)
{
	struct tpl_value *s = slot(v, key);

	s->type = TPL_V_RAW;
	s->u.str.s = html ? html : "";
	s->u.str.len = html ? len : 0;
}

struct tpl_vars *
tpl_set_map(struct tpl_vars *v, const char *key)
{
	struct tpl_value *s = slot(v, key);

	if (s->type != TPL_V_MAP) {
		s->type = TPL_V_MAP;
		s->u.map = tpl_vars_new(v->arena);
	}
	return s->u.map;
}

struct tpl_vars *
tpl_list_add(struct tpl_vars *v, const char *key)
{
	struct tpl_value *s = slot(v, key);
	struct tpl_item *it;

	if (s->type != TPL_V_LIST) {
		s->type = TPL_V_LIST;
		memset(&s->u.list, 0, sizeof(s->u.list));
	}
	it = arena_alloc(v->arena, sizeof(*it));
	it->v.type = TPL_V_MAP;
	it->v.u.map = tpl_vars_new(v->arena);
	if (s->u.list.tail)
		s->u.list.tail->next = it;
	else
		s->u.list.head = it;
	s->u.list.tail = it;
	s->u.list.n++;
	return it->v.u.map;
}

/* ---- rendering ---- */

struct ctx {                       /* context stack, innermost first */
	const struct tpl_value *v;
	const struct ctx *up;
};

static const struct tpl_value *
map_get(const struct tpl_vars *m, const struct tpl_part *part)
{
	const struct tpl_entry *e;
	uint64_t bits = tpl__key_bits(part->hash);

	if ((m->keys & bits) != bits)
		return NULL;
	for (e = m->bucket[tpl__bucket(part->hash)]; e; e = e->next)
		if (e->hash == part->hash && e->klen == part->len &&
		    memcmp(e->key, part->s, part->len) == 0)
			return &e->v;
	return NULL;
}

/* Mustache lookup: the first part from the innermost map that has it
 * outwards, the next parts strictly inside. NULL when missing. */
static const struct tpl_value *
lookup(const struct ctx *ctx, const struct tpl_node *n)
{
	const struct tpl_value *v = NULL;
	size_t k;

	if (n->nparts == 0)
		return ctx->v;
	for (; ctx && !v; ctx = ctx->up)
		if (ctx->v->type == TPL_V_MAP)
			v = map_get(ctx->v->u.map, &n->parts[0]);
	for (k = 1; v && k < n->nparts; k++)
		v = v->type == TPL_V_MAP ? map_get(v->u.map, &n->parts[k]) : NULL;
	return v;
}

static bool
truthy(const struct tpl_value *v)
{
	if (!v)
		return false;
	switch (v->type) {
	case TPL_V_STR:
	case TPL_V_RAW:
		return v->u.str.len > 0;
	case TPL_V_INT:
		return v->u.i != 0;
	case TPL_V_BOOL:
		return v->u.b;
	case TPL_V_LIST:
		return v->u.list.n > 0;
	case TPL_V_MAP:
		return true;
	}
	return false;
}

/* buf_append() without a call when it fits, the usual case: a page is
 * thousands of pieces of text. */
static inline void
put(struct buf *out, const char *s, size_t len)
{
	if (len < out->cap - out->len && !out->failed) {
		memcpy(out->data + out->len, s, len);
		out->len += len;
		out->data[out->len] = '\0';
	} else {
		buf_append(out, s, len);
	}
}

static void
emit(struct buf *out, const struct tpl_value *v, bool escape)
{
	if (!v)
		return;
	switch (v->type) {
	case TPL_V_STR:
	case TPL_V_RAW:
		if (escape)
			buf_html(out, v->u.str.s, v->u.str.len);
		else
			put(out, v->u.str.s, v->u.str.len);
		break;
	case TPL_V_INT:
		buf_put_ll(out, v->u.i);
		break;
	case TPL_V_BOOL:
		buf_puts(out, v->u.b ? "true" : "false");
		break;
	case TPL_V_MAP:
	case TPL_V_LIST:
		break;
	}
}

/*
 * Renders nodes [from, to) of t. `html` is the escaping of the template
 * rendered at the top, kept through its partials: a .txt partial inside a
 * page is escaped, an .html partial inside a text e-mail is not.
 */
static void
render_nodes(const struct tpl_set *set, const struct tpl *t, size_t from,
    size_t to, const struct ctx *ctx, bool html, struct buf *out)
{
	size_t i;

	for (i = from; i < to && !buf_failed(out); i++) {
		const struct tpl_node *n = &t->nodes[i];
		const struct tpl_value *v;
		const char *s;
		struct ctx inner;
		int l;

		switch (n->op) {
		case TPL_TEXT:
			put(out, n->text, n->len);
			break;
		case TPL_VAR:
		case TPL_RAW:
			/* Only a value set with tpl_set_raw() leaves {{{ }}} as
			 * it is: any other string is escaped like {{ }}. */
			v = lookup(ctx, n);
			emit(out, v, html && (n->op == TPL_VAR || !v || v->type != TPL_V_RAW));
			break;
		case TPL_SECTION:
			v = lookup(ctx, n);
			inner.up = ctx;
			if (v && v->type == TPL_V_LIST) {
				const struct tpl_item *it;

				for (it = v->u.list.head; it && !buf_failed(out);
				    it = it->next) {
					inner.v = &it->v;
					render_nodes(set, t, i + 1, n->end, &inner, html,
					    out);
				}
			} else if (truthy(v)) {
				inner.v = v;
				render_nodes(set, t, i + 1, n->end, &inner, html,
				    out);
			}
			i = n->end - 1;
			break;
		case TPL_INVERTED:
			if (!truthy(lookup(ctx, n)))
				render_nodes(set, t, i + 1, n->end, ctx, html, out);
			i = n->end - 1;
			break;
		case TPL_PARTIAL:
			render_nodes(set, &set->tpls[n->partial], 0,
			    set->tpls[n->partial].nnodes, ctx, html, out);
			break;
		case TPL_TRANS:
			if (n->trans && (l = i18n_slot()) >= 0) {
				put(out, n->trans->text[l][html].s, n->trans->text[l][html].len);
				break;
			}
			s = i18n_text(n->text);
			if (html)
				buf_html(out, s, strlen(s));
			else
				buf_puts(out, s);
			break;
		}
	}
}

int
tpl_render(const struct tpl_set *set, const char *name,
    const struct tpl_vars *vars, struct buf *out)
{
	static const struct tpl_vars empty;
	struct tpl_value root = { .type = TPL_V_MAP };
	struct ctx ctx = { .v = &root };
	const struct tpl *t;
	long idx;

	idx = tpl__find(set, name);
	if (idx < 0) {
		log_error("tpl: no template '%s'", name);
		return -1;
	}
	t = &set->tpls[idx];
	/* The root map is only read: casting away const is safe here. */
	root.u.map = (struct tpl_vars *)(vars ? vars : &empty);
	render_nodes(set, t, 0, t->nnodes, &ctx, !t->text, out);
	return buf_failed(out) ? -1 : 0;
}

void
tpl_collect_msgids(const struct tpl_set *set,
    void (*fn)(const char *msgid, const char *file, int line, void *ctx),
    void *ctx)
{
	size_t i, k;

	for (i = 0; i < set->ntpls; i++) {
		const struct tpl *t = &set->tpls[i];

		for (k = 0; k < t->nnodes; k++)
			if (t->nodes[k].op == TPL_TRANS)
				fn(t->nodes[k].text, t->path, t->nodes[k].line, ctx);
	}
}
