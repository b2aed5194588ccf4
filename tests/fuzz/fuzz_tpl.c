/*
 * The template compiler (core/tpl/tpl_parse.c) on one file, then, when it
 * compiles, rendering it (as HTML and as text) with variables of every
 * kind. {{> p}} finds a partial; other partials are not rendered.
 */
#include "fuzz.h"

#include "tpl/tpl_int.h"
#include "util/log.h"

/* The plain string is markup in one rendering and harmless text of the
 * same truthiness in the other: whatever the template's own text spells,
 * the first may not hold more "<x-plain" than the second. */
static const char plain_markup[] = "<x-plain> & \"Dupré\"";
static const char plain_text[] = "[x-plain] & \"Dupré\"";

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay++;
	}
	return n;
}

static void
fill(struct tpl_vars *v, const char *plain)
{
	struct tpl_vars *m;

	tpl_set_str(v, "name", plain);
	tpl_set_raw(v, "html", "<b>raw</b>");
	tpl_set_int(v, "n", -42);
	tpl_set_bool(v, "yes", true);
	tpl_set_bool(v, "no", false);
	tpl_set_str(v, "empty", "");
	m = tpl_set_map(v, "shop");
	tpl_set_str(m, "name", "Atelier");
	tpl_set_int(tpl_set_map(m, "x"), "y", 1);
	tpl_set_str(tpl_list_add(v, "items"), "name", "un");
	tpl_set_str(tpl_list_add(v, "items"), "name", "deux");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char partial_src[] = "<i>{{name}}</i>{{#items}}{{name}}{{/items}}";
	struct tpl_set *set = calloc(1, sizeof(*set));
	char *src = fuzz_strndup(data, size);
	struct buf err, out;
	struct arena a;
	bool renderable = true;
	size_t k;
	int rc;

	log_set_level(LOG_ERROR);
	fuzz_assert(set, "out of memory");
	arena_init(&set->arena, 65536);
	set->tpls = calloc(2, sizeof(*set->tpls));
	fuzz_assert(set->tpls, "out of memory");
	set->ntpls = 2;
	set->tpls[0].name = "p";               /* sorted by name: p, t */
	set->tpls[0].path = "p.html";
	set->tpls[1].name = "t";
	set->tpls[1].path = "t.html";
	buf_init(&err, 0);
	fuzz_assert(tpl__compile(set, &set->tpls[0], partial_src, sizeof(partial_src) - 1, &err) == 0,
	    "the partial compiles");
	rc = tpl__compile(set, &set->tpls[1], src, size, &err);
	if (rc != 0) {
		fuzz_assert(rc == -1 && err.len > 0, "a refusal says why");
		fuzz_assert(strncmp(buf_str(&err), "t.html:", 7) == 0, "and where: t.html:line:col");
	} else {
		fuzz_assert(err.len == 0, "no message when it compiles");
		for (k = 0; k < set->tpls[1].nnodes; k++) {
			struct tpl_node *n = &set->tpls[1].nodes[k];

			if (n->op == TPL_PARTIAL && strcmp(n->text, "p") == 0)
				n->partial = 0;
			else if (n->op == TPL_PARTIAL)
				renderable = false;
			if (n->op == TPL_SECTION || n->op == TPL_INVERTED)
				fuzz_assert(n->end > k && n->end <= set->tpls[1].nnodes, "a section ends inside");
		}
		if (renderable) {
			struct tpl_vars *v, *w;
			size_t as_text;

			arena_init(&a, 0);
			w = tpl_vars_new(&a);
			fill(w, plain_text);
			buf_init(&out, 1 << 20);
			tpl_render(set, "t", w, &out);
			as_text = count(buf_str(&out), "<x-plain");
			v = tpl_vars_new(&a);
			fill(v, plain_markup);
			buf_reset(&out);
			tpl_render(set, "t", v, &out);
			/* A string not set raw never comes out as markup, {{{ }}} or not. */
			fuzz_assert(count(buf_str(&out), "<x-plain") <= as_text, "a plain string is escaped");
			set->tpls[1].text = true;
			buf_reset(&out);
			tpl_render(set, "t", v, &out);
			buf_free(&out);
			arena_free(&a);
		}
	}
	buf_free(&err);
	tpl_set_free(set);
	free(src);
	return 0;
}
