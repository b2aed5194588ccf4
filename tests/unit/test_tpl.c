/*
 * test_tpl: the template engine (core/tpl), as a TAP program.
 *
 *   test_tpl [FIXTURES_DIR]    (default: $srcdir/tests/unit/tpl, srcdir
 *                              being "." when unset, as under make check)
 *
 * FIXTURES_DIR/good is one valid template set, a template per feature;
 * FIXTURES_DIR/bad/NAME are sets that each fail to load with one message.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpl/tpl.h"
#include "util/arena.h"
#include "util/buf.h"

#include "tap.h"

static const char *fixtures;

/* Renders `name` into a fresh buffer; returns a malloc'd copy or NULL. */
static char *
render(const struct tpl_set *set, const char *name, const struct tpl_vars *v)
{
	struct buf out;
	char *s = NULL;

	buf_init(&out, 0);
	if (tpl_render(set, name, v, &out) == 0)
		s = strdup(buf_str(&out));
	buf_free(&out);
	return s;
}

/* is_str on a rendering, freeing it. */
static void
renders(const struct tpl_set *set, const char *name, const struct tpl_vars *v,
    const char *want, const char *what)
{
	char *got = render(set, name, v);

	is_str(got, want, "%s", what);
	free(got);
}

/* Loads FIXTURES/bad/<dir> and checks it fails with FIXTURES/bad/<dir>/<msg>. */
static void
load_fails(const char *dir, const char *msg)
{
	struct tpl_set *set = (struct tpl_set *)1;
	struct buf err, path, want;
	int rc;

	buf_init(&err, 0);
	buf_init(&path, 0);
	buf_init(&want, 0);
	buf_printf(&path, "%s/bad/%s", fixtures, dir);
	buf_printf(&want, "%s/%s", buf_str(&path), msg);
	rc = tpl_set_load(buf_str(&path), &set, &err);
	ok(rc == -1 && set == NULL, "load of bad/%s fails", dir);
	is_str(buf_str(&err), buf_str(&want), "%s", dir);
	tpl_set_free(rc == 0 ? set : NULL);
	buf_free(&err);
	buf_free(&path);
	buf_free(&want);
}

static void
test_load_errors(void)
{
	struct tpl_set *set;
	struct buf err, path;
	int rc;

	load_fails("unclosed", "pages/list.html:3:3: unclosed section {{#items}}");
	load_fails("mismatch", "a.html:3:4: {{/a}} closes {{#b}} opened at line 2");
	load_fails("inverted_mismatch",
	    "a.html:2:3: {{/b}} closes {{^a}} opened at line 1");
	load_fails("stray", "a.html:2:1: {{/a}} closes no section");
	load_fails("partial", "a.html:2:3: unknown partial 'nope/x'");
	load_fails("unterminated", "a.html:2:6: unterminated tag");
	load_fails("unterminated_raw", "a.html:2:2: unterminated tag");
	load_fails("cycle", "c.html:1:7: include cycle: a -> b -> c -> a");
	load_fails("self", "self.html:1:3: include cycle: self -> self");
	load_fails("badname", "a.html:2:2: invalid name 'foo bar'");
	load_fails("badpartial", "a.html:1:1: invalid partial name '../secret'");
	load_fails("empty_trans", "a.html:1:1: empty {{_ }} text");
	load_fails("empty_tag", "a.html:1:2: empty tag");

	buf_init(&err, 0);
	buf_init(&path, 0);
	buf_printf(&path, "%s/bad/dup", fixtures);
	rc = tpl_set_load(buf_str(&path), &set, &err);
	ok(rc == -1 &&
	    strstr(buf_str(&err), "dup/a.txt: template name 'a' also given by ") &&
	    strstr(buf_str(&err), "dup/a.html"), "a.html and a.txt clash: %s",
	    buf_str(&err));
	buf_reset(&err);
	buf_reset(&path);
	buf_printf(&path, "%s/no-such-dir", fixtures);
	rc = tpl_set_load(buf_str(&path), &set, &err);
	ok(rc == -1 && set == NULL &&
	    strstr(buf_str(&err), "no-such-dir: No such file or directory"),
	    "missing directory: %s", buf_str(&err));
	buf_free(&err);
	buf_free(&path);
}

static void
test_escaping(const struct tpl_set *set, struct arena *a)
{
	struct tpl_vars *v = tpl_vars_new(a);

	tpl_set_str(v, "v", "a&b<c>\"d\"'e'");
	renders(set, "escape", v,
	    "<p title=\"a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;\">"
	    "a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;</p>a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;",
	    "{{v}} escapes & < > \" ' and so does {{{v}}} of a string not set raw");

	tpl_set_raw(v, "html", "<b>x</b>");
	tpl_set_str(v, "spaced", "<i>");
	renders(set, "raw", v, "&lt;b&gt;x&lt;/b&gt;|<b>x</b>|&lt;i&gt;|&lt;i&gt;",
	    "tpl_set_raw is escaped by {{ }}, raw by {{{ }}}; blanks trimmed");
	tpl_set_strn(v, "html", "<script>", 8);
	renders(set, "raw", v, "&lt;script&gt;|&lt;script&gt;|&lt;i&gt;|&lt;i&gt;",
	    "{{{ }}} of a value set with tpl_set_str/strn is escaped: only tpl_set_raw is raw");
	tpl_set_int(v, "html", 7);
	renders(set, "raw", v, "7|7|&lt;i&gt;|&lt;i&gt;", "{{{ }}} of an int prints it");
}

static void
test_values(const struct tpl_set *set, struct arena *a)
{
	struct tpl_vars *v = tpl_vars_new(a), *m;

	tpl_set_int(v, "n", 7);
	tpl_set_int(v, "n", 42);                /* replaces */
	tpl_set_int(v, "neg", -7);
	tpl_set_bool(v, "yes", true);
	tpl_set_bool(v, "no", false);
	tpl_set_str(v, "m", "x");
	m = tpl_set_map(v, "m");                /* replaces the string */
	ok(m == tpl_set_map(v, "m"), "tpl_set_map twice gives the same map");
	tpl_list_add(v, "items");
	tpl_set_strn(v, "bin", "ab\0cd", 4);
	renders(set, "types", v, "42 -7 true false [] [] [] [ab",
	    "ints, bools, missing, maps, lists, strn with a NUL");
	tpl_set_strn(v, "bin", "abcdef", 3);
	tpl_set_str(v, "n", NULL);
	renders(set, "types", v, " -7 true false [] [] [] [abc]",
	    "strn copies len bytes; NULL string is empty");
}

static void
test_sections(const struct tpl_set *set, struct arena *a)
{
	struct tpl_vars *v = tpl_vars_new(a), *it;

	renders(set, "list", v, "<ul></ul>", "missing list renders nothing");
	it = tpl_list_add(v, "items");
	tpl_set_str(it, "name", "tea");
	tpl_set_int(it, "price", 350);
	it = tpl_list_add(v, "items");
	tpl_set_str(it, "name", "<cake>");
	tpl_set_int(it, "price", 420);
	renders(set, "list", v,
	    "<ul><li>tea=350</li><li>&lt;cake&gt;=420</li></ul>",
	    "list section renders once per item, in order");

	tpl_set_bool(v, "yes", true);
	tpl_set_bool(v, "no", false);
	tpl_set_str(v, "s", "a<b");
	tpl_set_str(v, "empty", "");
	tpl_set_int(v, "zero", 0);
	tpl_set_int(v, "n", 5);
	renders(set, "section", v, "Y[a&lt;b]<5>",
	    "sections: true, non-empty string and non-zero int render once");
	tpl_set_map(v, "shop");
	renders(set, "inverted", v, "abcd",
	    "inverted: missing, false, empty string, 0; not true/list/string/map");
}

static void
test_context(const struct tpl_set *set, struct arena *a)
{
	struct tpl_vars *v = tpl_vars_new(a), *shop, *legal, *o, *l, *inner;

	shop = tpl_set_map(v, "shop");
	tpl_set_str(shop, "name", "Atelier & Co");
	legal = tpl_set_map(shop, "legal");
	tpl_set_str(legal, "siret", "123");
	tpl_set_str(v, "name", "root");
	inner = tpl_set_map(v, "inner");
	tpl_set_str(tpl_set_map(inner, "shop"), "code", "x");
	renders(set, "dotted", v,
	    "Atelier &amp; Co|123||||Atelier &amp; Co|123-root|[]",
	    "dotted names; a found first part does not fall back outwards");

	o = tpl_list_add(v, "orders");
	tpl_set_str(o, "ref", "A1");
	l = tpl_list_add(o, "lines");
	tpl_set_str(l, "sku", "s1");
	l = tpl_list_add(o, "lines");
	tpl_set_str(l, "sku", "s2");
	tpl_set_str(l, "ref", "own");
	o = tpl_list_add(v, "orders");
	tpl_set_str(o, "ref", "B2");
	renders(set, "nested", v,
	    "A1:s1@A1/Atelier &amp; Co;s2@own/Atelier &amp; Co;|B2:|",
	    "nested lists look names up from the innermost context outwards");
}

static void
test_partials_comments(const struct tpl_set *set, struct arena *a)
{
	struct tpl_vars *v = tpl_vars_new(a), *it;

	tpl_set_str(v, "title", "T");
	tpl_set_str(v, "name", "root");
	it = tpl_list_add(v, "items");
	tpl_set_str(it, "name", "a");
	it = tpl_list_add(v, "items");
	tpl_set_str(it, "name", "b&");
	renders(set, "pages/page", v,
	    "<h1>T</h1><i>a</i><i>b&amp;</i><i>root</i>",
	    "partials render with the current context");
	renders(set, "comment", v, "abc", "comments, one-line and multi-line");

	tpl_set_str(v, "name", "N");
	tpl_set_str(v, "shop", "Shop");
	renders(set, "standalone", v, "Hello N,\n- a\n- b&\n-- Shop\nBye ab&\n",
	    "lines holding only a section/comment/partial tag are dropped");
	tpl_set_str(v, "name", "D & F");
	renders(set, "mailbody", v, "D & F D & F A & B <i>D & F</i>\n",
	    "*.txt escapes nothing, an .html partial in it neither");
	tpl_set_str(v, "shop", "<S>");
	renders(set, "signed", v, "-- &lt;S&gt;\n",
	    "a .txt partial in an .html template is escaped");
	ok(tpl_exists(set, "mail/fr/confirm") && tpl_exists(set, "partials/sign"),
	    "*.txt in subdirectories are named by relative path");
	ok(!tpl_exists(set, ".hidden") && !tpl_exists(set, "notes") &&
	    !tpl_exists(set, "escape.html") && !tpl_exists(set, "nope"),
	    "hidden files and other extensions are skipped");
}

struct msgids {
	int n;
	char first[64];
	int first_line;
	int confirm_line;
};

static void
collect(const char *msgid, const char *file, int line, void *ctx)
{
	struct msgids *m = ctx;

	if (m->n++ == 0) {
		snprintf(m->first, sizeof(m->first), "%s", msgid);
		m->first_line = line;
	}
	if (strstr(file, "mail/fr/confirm.txt") &&
	    strcmp(msgid, "Your order is confirmed.") == 0)
		m->confirm_line = line;
}

static void
test_translation(const struct tpl_set *set, struct arena *a)
{
	struct msgids m = { 0 };

	renders(set, "trans", tpl_vars_new(a),
	    "<p>Hello &amp; &lt;welcome&gt;</p>Orders\n<b>Total</b>",
	    "{{_ }} without a catalogue gives the msgid back, escaped");
	tpl_collect_msgids(set, collect, &m);
	is_int(m.n, 5, "tpl_collect_msgids finds every {{_ }}");
	is_str(m.first, "Your order is confirmed.",
	    "msgids come in template name order");
	is_int(m.confirm_line, 2, "msgid line numbers");
}

static void
test_limits(const struct tpl_set *set, struct arena *a)
{
	struct tpl_vars *v = tpl_vars_new(a), *it;
	struct buf out;
	int i, rc;

	for (i = 0; i < 100; i++) {
		it = tpl_list_add(v, "items");
		tpl_set_str(it, "name", "a rather long product name");
	}
	buf_init(&out, 64);
	rc = tpl_render(set, "list", v, &out);
	ok(rc == -1 && buf_failed(&out) && out.len <= 64,
	    "rendering past the buffer's max fails cleanly (len %zu)", out.len);
	buf_free(&out);

	buf_init(&out, 0);
	is_int(tpl_render(set, "no/such", v, &out), -1, "unknown template: -1");
	is_int((long long)out.len, 0, "unknown template writes nothing");
	buf_free(&out);
}

/* Thread-safety smoke test: the same set rendered from 4 threads. */
struct job {
	const struct tpl_set *set;
	const char *want;
	int mismatches;
};

static void *
worker(void *arg)
{
	struct job *job = arg;
	struct arena a;
	int i;

	arena_init(&a, 0);
	for (i = 0; i < 500; i++) {
		struct tpl_vars *v = tpl_vars_new(&a), *o, *l, *shop;
		char *got;

		shop = tpl_set_map(v, "shop");
		tpl_set_str(shop, "name", "S<1>");
		o = tpl_list_add(v, "orders");
		tpl_set_str(o, "ref", "R");
		l = tpl_list_add(o, "lines");
		tpl_set_str(l, "sku", "k&");
		got = render(job->set, "nested", v);
		if (!got || strcmp(got, job->want) != 0)
			job->mismatches++;
		free(got);
		got = render(job->set, "trans", v);
		if (!got || strncmp(got, "<p>Hello &amp;", 14) != 0)
			job->mismatches++;
		free(got);
		arena_reset(&a);
	}
	arena_free(&a);
	return NULL;
}

static void
test_threads(const struct tpl_set *set)
{
	struct job jobs[4];
	pthread_t th[4];
	int i, started = 0, bad = 0;

	for (i = 0; i < 4; i++) {
		jobs[i].set = set;
		jobs[i].want = "R:k&amp;@R/S&lt;1&gt;;|";
		jobs[i].mismatches = 0;
		if (pthread_create(&th[i], NULL, worker, &jobs[i]) == 0)
			started++;
		else
			break;
	}
	for (i = 0; i < started; i++) {
		pthread_join(th[i], NULL);
		bad += jobs[i].mismatches;
	}
	is_int(started, 4, "4 render threads started");
	is_int(bad, 0, "4 threads rendering one set concurrently agree");
}

int
main(int argc, char **argv)
{
	struct tpl_set *set = NULL;
	struct arena a;
	struct buf err, dir, fix;

	buf_init(&fix, 0);
	buf_init(&err, 0);
	buf_init(&dir, 0);
	if (argc > 2) {
		fprintf(stderr, "usage: %s [FIXTURES_DIR]\n", argv[0]);
		return 2;
	}
	/* Under "make check" (no argument) automake exports srcdir. */
	if (argc == 2) {
		fixtures = argv[1];
	} else {
		buf_printf(&fix, "%s/tests/unit/tpl",
		    getenv("srcdir") ? getenv("srcdir") : ".");
		fixtures = buf_str(&fix);
	}
	buf_printf(&dir, "%s/good", fixtures);
	if (!ok(tpl_set_load(buf_str(&dir), &set, &err) == 0 && set,
	    "load the good set")) {
		printf("# %s\n", buf_str(&err));
		buf_free(&err);
		buf_free(&dir);
		buf_free(&fix);
		return done_testing();
	}
	arena_init(&a, 0);
	test_escaping(set, &a);
	test_values(set, &a);
	test_sections(set, &a);
	test_context(set, &a);
	test_partials_comments(set, &a);
	test_translation(set, &a);
	test_limits(set, &a);
	arena_reset(&a);
	test_threads(set);
	test_load_errors();
	renders(set, "escape", NULL, "<p title=\"\"></p>", "NULL vars render");

	arena_free(&a);
	tpl_set_free(set);
	tpl_set_free(NULL);
	buf_free(&err);
	buf_free(&dir);
	buf_free(&fix);
	return done_testing();
}
