/*
 * tpl: loading a template directory into a set, and the set's life.
 *
 * Files are found, sorted by name, compiled (tpl_parse.c), then linked:
 * partials resolved to template indexes and include cycles rejected, so
 * rendering never has to check. Everything lives in the set's arena but one
 * node array per template and the template array: tpl_set_free() of a
 * half-built set cleans up every error path.
 */
#include "tpl/tpl.h"

#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tpl/tpl_int.h"
#include "util/arena.h"
#include "util/buf.h"

#define TPL_MAX_FILE   ((off_t)4 << 20)   /* a template is not a data file */
#define TPL_MAX_DIRS   16                 /* directory depth (symlink loops) */

struct loader {
	struct tpl_set *set;
	const char *dir;
	struct buf *err;
	size_t cap;                       /* of set->tpls */
};

uint32_t
tpl__hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

uint32_t
tpl__hash_str(const char *s, size_t *len)
{
	uint32_t h = 2166136261u;
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	*len = (size_t)(p - (const unsigned char *)s);
	return h;
}

static int
tpl_cmp(const void *a, const void *b)
{
	const struct tpl *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->path, y->path);
}

long
tpl__find(const struct tpl_set *set, const char *name)
{
	size_t lo = 0, hi = set->ntpls;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(name, set->tpls[mid].name);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

bool
tpl_exists(const struct tpl_set *set, const char *name)
{
	return tpl__find(set, name) >= 0;
}

void
tpl_set_free(struct tpl_set *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->ntpls; i++)
		free(set->tpls[i].nodes);
	free(set->tpls);
	arena_free(&set->arena);
	free(set);
}

/* Appends "path: <errno message>"; returns -1. */
static int
error_sys(struct loader *ld, const char *path)
{
	buf_printf(ld->err, "%s: %s", path, strerror(errno));
	return -1;
}

/* ---- directory walk ---- */

static bool
has_suffix(const char *s, size_t len, const char *suffix, size_t slen)
{
	return len > slen && memcmp(s + len - slen, suffix, slen) == 0;
}

/* Records the template file `rel` (relative to ld->dir) whose extension is
 * `extlen` bytes long; `text` for a *.txt file. */
static int
add_file(struct loader *ld, const char *rel, size_t extlen, bool text)
{
	struct tpl_set *set = ld->set;
	struct tpl *t;

	if (set->ntpls == ld->cap) {
		size_t cap = ld->cap ? ld->cap * 2 : 32;
		struct tpl *p = realloc(set->tpls, cap * sizeof(*p));

		if (!p) {
			buf_puts(ld->err, "tpl: out of memory");
			return -1;
		}
		set->tpls = p;
		ld->cap = cap;
	}
	t = &set->tpls[set->ntpls++];
	memset(t, 0, sizeof(*t));
	t->name = arena_strndup(&set->arena, rel, strlen(rel) - extlen);
	t->path = arena_printf(&set->arena, "%s/%s", ld->dir, rel);
	t->text = text;
	return 0;
}

/* Adds the templates under ld->dir/rel ("" for the top), recursively. */
static int
walk(struct loader *ld, const char *rel, int depth)
{
	const char *path = *rel ? arena_printf(&ld->set->arena, "%s/%s",
	    ld->dir, rel) : ld->dir;
	struct dirent *ent;
	DIR *d;
	int rc = 0;

	if (depth > TPL_MAX_DIRS) {
		buf_printf(ld->err, "%s: directories nested too deep", path);
		return -1;
	}
	d = opendir(path);
	if (!d)
		return error_sys(ld, path);
	while (rc == 0) {
		const char *sub;
		struct stat st;
		size_t nlen;

		errno = 0;
		ent = readdir(d);
		if (!ent) {
			if (errno)
				rc = error_sys(ld, path);
			break;
		}
		if (ent->d_name[0] == '.')     /* ., .., hidden and editor files */
			continue;
		if (fstatat(dirfd(d), ent->d_name, &st, 0) != 0) {
			/* A dangling link or a file gone meanwhile. */
			rc = error_sys(ld, arena_printf(&ld->set->arena, "%s/%s",
			    path, ent->d_name));
			break;
		}
		sub = *rel ? arena_printf(&ld->set->arena, "%s/%s", rel,
		    ent->d_name) : arena_strdup(&ld->set->arena, ent->d_name);
		nlen = strlen(ent->d_name);
		if (S_ISDIR(st.st_mode))
			rc = walk(ld, sub, depth + 1);
		else if (!S_ISREG(st.st_mode))
			continue;
		else if (has_suffix(ent->d_name, nlen, ".html", 5))
			rc = add_file(ld, sub, 5, false);
		else if (has_suffix(ent->d_name, nlen, ".txt", 4))
			rc = add_file(ld, sub, 4, true);
	}
	closedir(d);
	return rc;
}

/* Reads the whole file into the set's arena, NUL-terminated. */
static int
read_file(struct loader *ld, const char *path, const char **src, size_t *len)
{
	struct stat st;
	size_t size, got = 0;
	char *data;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return error_sys(ld, path);
	if (fstat(fd, &st) != 0) {
		error_sys(ld, path);
		close(fd);
		return -1;
	}
	if (st.st_size > TPL_MAX_FILE) {
		buf_printf(ld->err, "%s: template larger than %lld bytes", path,
		    (long long)TPL_MAX_FILE);
		close(fd);
		return -1;
	}
	size = (size_t)st.st_size;
	data = arena_alloc(&ld->set->arena, size + 1);
	while (got < size) {
		ssize_t n = read(fd, data + got, size - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error_sys(ld, path);
			close(fd);
			return -1;
		}
		if (n == 0)                /* shrank meanwhile: take what is there */
			break;
		got += (size_t)n;
	}
	close(fd);
	data[got] = '\0';
	*src = data;
	*len = got;
	return 0;
}

/* ---- linking ---- */

static int
resolve_partials(struct loader *ld)
{
	struct tpl_set *set = ld->set;
	size_t i, k;

	for (i = 0; i < set->ntpls; i++) {
		struct tpl *t = &set->tpls[i];

		for (k = 0; k < t->nnodes; k++) {
			struct tpl_node *n = &t->nodes[k];
			long idx;

			if (n->op != TPL_PARTIAL)
				continue;
			idx = tpl__find(set, n->text);
			if (idx < 0)
				return tpl__error(ld->err, t->path, n->line, n->col,
				    "unknown partial '%s'", n->text);
			n->partial = (size_t)idx;
		}
	}
	return 0;
}

enum { WHITE, GREY, BLACK };

/* Depth-first search from template i; `stack` holds the include chain. */
static int
find_cycle(struct loader *ld, size_t i, size_t *stack, size_t depth)
{
	struct tpl_set *set = ld->set;
	struct tpl *t = &set->tpls[i];
	size_t k, j;

	t->mark = GREY;
	stack[depth] = i;
	for (k = 0; k < t->nnodes; k++) {
		const struct tpl_node *n = &t->nodes[k];
		struct tpl *to;

		if (n->op != TPL_PARTIAL)
			continue;
		to = &set->tpls[n->partial];
		if (to->mark == GREY) {
			tpl__error(ld->err, t->path, n->line, n->col, "include cycle: ");
			/* The chain from where the cycle starts. */
			for (j = 0; stack[j] != n->partial; j++)
				;
			for (; j <= depth; j++)
				buf_printf(ld->err, "%s -> ", set->tpls[stack[j]].name);
			buf_puts(ld->err, to->name);
			return -1;
		}
		if (to->mark == WHITE &&
		    find_cycle(ld, n->partial, stack, depth + 1) != 0)
			return -1;
	}
	t->mark = BLACK;
	return 0;
}

static int
check_cycles(struct loader *ld)
{
	struct tpl_set *set = ld->set;
	size_t *stack, i;
	int rc = 0;

	if (set->ntpls == 0)
		return 0;
	stack = calloc(set->ntpls, sizeof(*stack));
	if (!stack) {
		buf_puts(ld->err, "tpl: out of memory");
		return -1;
	}
	for (i = 0; i < set->ntpls && rc == 0; i++)
		if (set->tpls[i].mark == WHITE)
			rc = find_cycle(ld, i, stack, 0);
	free(stack);
	return rc;
}

/*
 * Every {{_ }} text in every language, and escaped for HTML, once: a
 * render then copies it (the list's rows hold ten). Exactly what
 * i18n_text() answers a thread of that language. Without locales
 * (i18n_init() not called: check-config, unit tests) nodes keep no
 * translation and each render asks.
 */
static int
translate(struct tpl_set *set, struct buf *err)
{
	struct buf html;
	size_t i, k;
	int l, rc = 0;

	buf_init(&html, 0);
	for (i = 0; i < set->ntpls && rc == 0; i++) {
		for (k = 0; k < set->tpls[i].nnodes && rc == 0; k++) {
			struct tpl_node *n = &set->tpls[i].nodes[k];
			struct tpl_trans *tr;

			if (n->op != TPL_TRANS)
				continue;
			tr = arena_alloc(&set->arena, sizeof(*tr));
			for (l = 0; l < I18N_LANGS; l++) {
				const char *s = i18n_text_in(l, n->text);

				if (!s)
					break;
				tr->text[l][0].len = strlen(s);
				tr->text[l][0].s = arena_strndup(&set->arena, s, tr->text[l][0].len);
				buf_reset(&html);
				buf_html(&html, s, tr->text[l][0].len);
				if (buf_failed(&html)) {
					rc = -1;
					buf_puts(err, "tpl: out of memory");
					break;
				}
				tr->text[l][1].len = html.len;
				tr->text[l][1].s = arena_strndup(&set->arena, buf_str(&html), html.len);
			}
			if (l == I18N_LANGS)
				n->trans = tr;
		}
	}
	buf_free(&html);
	return rc;
}

int
tpl_set_load(const char *dir, struct tpl_set **out, struct buf *err)
{
	struct loader ld = { .err = err };
	struct tpl_set *set;
	size_t i, dlen;

	assert(dir && out && err);
	*out = NULL;
	set = calloc(1, sizeof(*set));
	if (!set) {
		buf_puts(err, "tpl: out of memory");
		return -1;
	}
	arena_init(&set->arena, 65536);
	ld.set = set;
	dlen = strlen(dir);
	while (dlen > 1 && dir[dlen - 1] == '/')   /* "dir//a.html" in messages */
		dlen--;
	ld.dir = arena_strndup(&set->arena, dir, dlen);
	if (walk(&ld, "", 0) != 0)
		goto fail;
	if (set->ntpls > 0)
		qsort(set->tpls, set->ntpls, sizeof(*set->tpls), tpl_cmp);
	for (i = 1; i < set->ntpls; i++) {
		if (strcmp(set->tpls[i - 1].name, set->tpls[i].name) == 0) {
			buf_printf(err, "%s: template name '%s' also given by %s",
			    set->tpls[i].path, set->tpls[i].name,
			    set->tpls[i - 1].path);
			goto fail;
		}
	}
	for (i = 0; i < set->ntpls; i++) {
		struct tpl *t = &set->tpls[i];
		const char *src;
		size_t len;

		if (read_file(&ld, t->path, &src, &len) != 0 ||
		    tpl__compile(set, t, src, len, err) != 0)
			goto fail;
	}
	if (resolve_partials(&ld) != 0 || check_cycles(&ld) != 0 || translate(set, err) != 0)
		goto fail;
	*out = set;
	return 0;
fail:
	tpl_set_free(set);
	return -1;
}
