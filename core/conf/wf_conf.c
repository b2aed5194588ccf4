/*
 * wf_conf: reads a workflow (conf/workflow.yaml, or a shop file's
 * `workflow:`) and checks it: the statuses, their flags and colours, the
 * moves between them, and the three statuses the code depends on, known
 * by their flags (arrival, completed, cancels), never by their codes.
 */
#include "conf/wf_conf.h"

#include <stdlib.h>
#include <string.h>

#include "util/colour.h"
#include "util/utf8.h"

static const char *const flag_names[WF_FLAG_COUNT] = {
	"sale", "final", "customer_may_pay", "cancels", "arrival", "completed", "paid",
};

const char *
wf_flag_name(size_t i)
{
	return i < WF_FLAG_COUNT ? flag_names[i] : NULL;
}

bool
wf_code_valid(const char *s)
{
	size_t n;

	for (n = 0; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
			return false;
	return n >= 1 && n <= WF_CODE_MAX;
}

bool
wf_label_valid(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || !utf8_valid(s, n) || utf8_chars(s) > WF_LABEL_MAX)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static bool
template_valid(const char *s)
{
	size_t n;

	for (n = 0; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
			return false;
	return n >= 1 && n <= WF_TEMPLATE_MAX;
}

void
wf_def_free(struct wf_def *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->statuses[i].code);
		free(d->statuses[i].label_fr);
		free(d->statuses[i].label_en);
		free(d->statuses[i].colour);
		free(d->statuses[i].email);
	}
	free(d->statuses);
	free(d->to);
	free(d);
}

/* ---- the schema ---------------------------------------------------------- */

static void parse_flags(struct yw_file *f, const yaml_node_t *node, void *base, const struct yw_field *fd);
static void parse_statuses(struct yw_file *f, const yaml_node_t *node, void *base, const struct yw_field *fd);
static void keep_node(struct yw_file *f, const yaml_node_t *node, void *base, const struct yw_field *fd);

#define ST(m) offsetof(struct wf_def_status, m)
#define CODE_RULE "must be 1 to 32 lower-case letters, digits or '_'"
#define LABEL_RULE "must be 1 to 64 characters, no control character"

static const struct yw_field status_fields[] = {
	{ .key = "code", .type = YW_STRING, .offset = ST(code), .required = true,
	  .valid = wf_code_valid, .rule = CODE_RULE },
	{ .key = "label_fr", .type = YW_STRING, .offset = ST(label_fr), .required = true,
	  .valid = wf_label_valid, .rule = LABEL_RULE },
	{ .key = "label_en", .type = YW_STRING, .offset = ST(label_en), .required = true,
	  .valid = wf_label_valid, .rule = LABEL_RULE },
	{ .key = "colour", .type = YW_STRING, .offset = ST(colour), .required = true,
	  .valid = colour_valid, .rule = "must be a colour written #rrggbb" },
	{ .key = "flags", .type = YW_CUSTOM, .parse = parse_flags },
	{ .key = "email", .type = YW_STRING, .offset = ST(email),
	  .valid = template_valid, .rule = "must be a template name of 1 to 64 lower-case letters, digits or '_'" },
	{ .key = NULL }
};

/* What a walk of the workflow's mapping collects. */
struct wf_walk {
	struct wf_def *def;
	const yaml_node_t *statuses, *transitions;
	yaml_mark_t *code_marks;   /* per status, for the messages */
};

static const struct yw_field workflow_fields[] = {
	{ .key = "statuses", .type = YW_CUSTOM, .parse = parse_statuses, .required = true },
	{ .key = "transitions", .type = YW_CUSTOM, .parse = keep_node, .required = true },
	{ .key = NULL }
};

/* `flags: [sale, final]`: names of enum wf_flag. */
static void
parse_flags(struct yw_file *f, const yaml_node_t *node, void *base, const struct yw_field *fd)
{
	struct wf_def_status *st = base;
	const yaml_node_item_t *it;

	if (node->type != YAML_SEQUENCE_NODE) {
		yw_error(f, node->start_mark, "expected a list of flags for '%s', found %s", fd->key,
		    yw_show(f, node));
		return;
	}
	for (it = node->data.sequence.items.start; it < node->data.sequence.items.top; it++) {
		const yaml_node_t *item = yw_node(f, *it);
		size_t i;

		if (!item)
			continue;
		for (i = 0; i < WF_FLAG_COUNT; i++)
			if (item->type == YAML_SCALAR_NODE && strlen(flag_names[i]) == item->data.scalar.length &&
			    memcmp(flag_names[i], item->data.scalar.value, item->data.scalar.length) == 0)
				break;
		if (i == WF_FLAG_COUNT) {
			yw_error(f, item->start_mark, "unknown flag %s (expected one of: sale, final,"
			    " customer_may_pay, cancels, arrival, completed, paid)", yw_show(f, item));
			continue;
		}
		if (st->flags & (1u << i))
			yw_error(f, item->start_mark, "flag '%s' is listed twice", flag_names[i]);
		st->flags |= 1u << i;
	}
}

static void
keep_node(struct yw_file *f, const yaml_node_t *node, void *base, const struct yw_field *fd)
{
	struct wf_walk *w = base;

	(void)f;
	(void)fd;
	w->transitions = node;
}

/* Index of status `code`, or d->n. */
static size_t
status_index(const struct wf_def *d, const char *code, size_t len)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->statuses[i].code && strlen(d->statuses[i].code) == len &&
		    memcmp(d->statuses[i].code, code, len) == 0)
			return i;
	return d->n;
}

static void
parse_statuses(struct yw_file *f, const yaml_node_t *node, void *base, const struct yw_field *fd)
{
	struct wf_walk *w = base;
	struct wf_def *d = w->def;
	const yaml_node_item_t *it;
	size_t n;

	w->statuses = node;
	if (node->type != YAML_SEQUENCE_NODE) {
		yw_error(f, node->start_mark, "expected a list of statuses for '%s', found %s", fd->key,
		    yw_show(f, node));
		return;
	}
	n = (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
	if (n == 0 || n > WF_STATUSES_MAX) {
		yw_error(f, node->start_mark, "'%s' must list 1 to %d statuses, found %zu", fd->key,
		    WF_STATUSES_MAX, n);
		return;
	}
	d->statuses = calloc(n, sizeof(*d->statuses));
	d->to = calloc(n, sizeof(*d->to));
	w->code_marks = calloc(n, sizeof(*w->code_marks));
	if (!d->statuses || !d->to || !w->code_marks) {
		yw_error(f, node->start_mark, "out of memory");
		return;
	}
	for (it = node->data.sequence.items.start; it < node->data.sequence.items.top; it++) {
		const yaml_node_t *item = yw_node(f, *it), *code;
		struct wf_def_status *st = &d->statuses[d->n];
		size_t dup;

		if (!item)
			continue;
		if (item->type != YAML_MAPPING_NODE) {
			yw_error(f, item->start_mark, "expected a status (a mapping with code, label_fr,"
			    " label_en, colour), found %s", yw_show(f, item));
			continue;
		}
		yw_walk(f, item, status_fields, "statuses", st);
		code = yw_lookup(f, item, "code");
		w->code_marks[d->n] = code ? code->start_mark : item->start_mark;
		if (st->colour && colour_valid(st->colour) && colour_contrast_white(st->colour) < COLOUR_CONTRAST_MIN) {
			const yaml_node_t *c = yw_lookup(f, item, "colour");
			int k = colour_contrast_white(st->colour);

			yw_error(f, c->start_mark, "colour '%s' is too light for the badge's white text"
			    " (contrast %d.%02d:1, at least 4.5:1)", st->colour, k / 100, k % 100);
		}
		if (st->code && (dup = status_index(d, st->code, strlen(st->code))) < d->n)
			yw_error(f, w->code_marks[d->n], "status '%s' is already defined at line %zu",
			    st->code, w->code_marks[dup].line + 1);
		d->n++;
	}
}

/* `transitions: {received: [processing, cancelled], …}` into d->to. */
static void
read_transitions(struct yw_file *f, struct wf_walk *w)
{
	const yaml_node_t *node = w->transitions;
	struct wf_def *d = w->def;
	const yaml_node_pair_t *p;
	unsigned long long seen = 0;

	if (node->type != YAML_MAPPING_NODE) {
		yw_error(f, node->start_mark, "expected a mapping of status → the statuses it may go to"
		    " for 'transitions', found %s", yw_show(f, node));
		return;
	}
	for (p = node->data.mapping.pairs.start; p < node->data.mapping.pairs.top; p++) {
		const yaml_node_t *k = yw_node(f, p->key), *v = yw_node(f, p->value);
		const yaml_node_item_t *it;
		size_t from;

		if (!k || !v)
			continue;
		from = k->type == YAML_SCALAR_NODE ?
		    status_index(d, (const char *)k->data.scalar.value, k->data.scalar.length) : d->n;
		if (from == d->n) {
			yw_error(f, k->start_mark, "unknown status %s in 'transitions' (expected a code of"
			    " 'statuses')", yw_show(f, k));
			continue;
		}
		if (seen & (1ULL << from)) {
			yw_error(f, k->start_mark, "status '%s' is listed twice in 'transitions'",
			    d->statuses[from].code);
			continue;
		}
		seen |= 1ULL << from;
		if (yw_is_null(v))
			continue;
		if (v->type != YAML_SEQUENCE_NODE) {
			yw_error(f, v->start_mark, "expected a list of statuses for '%s', found %s",
			    d->statuses[from].code, yw_show(f, v));
			continue;
		}
		if ((d->statuses[from].flags & WF_FINAL) && v->data.sequence.items.top > v->data.sequence.items.start) {
			yw_error(f, k->start_mark, "'%s' is final: no status may follow it", d->statuses[from].code);
			continue;
		}
		for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
			const yaml_node_t *t = yw_node(f, *it);
			size_t to;

			if (!t)
				continue;
			to = t->type == YAML_SCALAR_NODE ?
			    status_index(d, (const char *)t->data.scalar.value, t->data.scalar.length) : d->n;
			if (to == d->n)
				yw_error(f, t->start_mark, "unknown status %s (expected a code of 'statuses')",
				    yw_show(f, t));
			else if (to == from)
				yw_error(f, t->start_mark, "'%s' cannot go to itself", d->statuses[from].code);
			else if (d->to[from] & (1ULL << to))
				yw_error(f, t->start_mark, "'%s' is listed twice", d->statuses[to].code);
			else
				d->to[from] |= 1ULL << to;
		}
	}
}

/* One status for each of the flags the code depends on, with the flags
 * that go with it; at most one for an optional one (without a paid
 * status, a payment leaves the status as it is). */
static void
check_roles(struct yw_file *f, struct wf_walk *w)
{
	static const struct { unsigned flag; const char *what; unsigned needs, refuses; bool optional; } roles[] = {
		{ WF_ARRIVAL, "the status new orders arrive in", 0, WF_FINAL, false },
		{ WF_COMPLETED, "the status of a finished order", WF_FINAL, WF_CANCELS, false },
		{ WF_CANCELS, "the status of a cancelled order", WF_FINAL, 0, false },
		{ WF_PAID, "the status a paid order goes to", 0, WF_CANCELS, true },
	};
	const struct wf_def *d = w->def;
	size_t r, i;

	for (r = 0; r < sizeof(roles) / sizeof(roles[0]); r++) {
		const char *name = flag_names[__builtin_ctz(roles[r].flag)];
		size_t found = d->n;

		for (i = 0; i < d->n; i++) {
			const struct wf_def_status *st = &d->statuses[i];

			if (!(st->flags & roles[r].flag))
				continue;
			if (found < d->n) {
				yw_error(f, w->code_marks[i], "flag '%s' is already on '%s' (line %zu): one"
				    " status only is %s", name, d->statuses[found].code,
				    w->code_marks[found].line + 1, roles[r].what);
				continue;
			}
			found = i;
			if ((st->flags & roles[r].needs) != roles[r].needs)
				yw_error(f, w->code_marks[i], "'%s' has the flag '%s': it must also be '%s'",
				    st->code, name, flag_names[__builtin_ctz(roles[r].needs)]);
			if (st->flags & roles[r].refuses)
				yw_error(f, w->code_marks[i], "'%s' has the flag '%s': it cannot be '%s'",
				    st->code, name, flag_names[__builtin_ctz(roles[r].refuses)]);
		}
		if (found == d->n && !roles[r].optional)
			yw_error(f, w->statuses->start_mark, "no status has the flag '%s' (%s)", name,
			    roles[r].what);
	}
}

struct wf_def *
wf_conf_walk(struct yw_file *f, const yaml_node_t *map, const char *section)
{
	struct wf_walk w = { 0 };
	int before = f->errs->count;

	w.def = calloc(1, sizeof(*w.def));
	if (!w.def) {
		yw_error(f, map->start_mark, "out of memory");
		return NULL;
	}
	yw_walk(f, map, workflow_fields, section, &w);
	if (w.statuses && w.def->statuses && w.transitions)
		read_transitions(f, &w);
	if (w.statuses && w.def->statuses && w.def->n)
		check_roles(f, &w);
	free(w.code_marks);
	if (f->errs->count != before) {
		wf_def_free(w.def);
		return NULL;
	}
	return w.def;
}

struct wf_def *
wf_conf_load(struct yw_errors *errs, const char *path)
{
	struct yw_file f;
	const yaml_node_t *root = yw_open(&f, errs, path);
	struct wf_def *d = root ? wf_conf_walk(&f, root, NULL) : NULL;

	yw_close(&f);
	return d;
}
