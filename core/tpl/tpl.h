/*
 * tpl: Comptoir's HTML (and plain-text) template engine.
 *
 * Mustache-like and small. All templates of a directory are compiled once at
 * start-up into a read-only struct tpl_set, then rendered many times from
 * many threads: tpl_render() only reads the set, so no locking is needed.
 *
 *   {{name}}          value, escaped for HTML (the default; see *.txt below)
 *   {{{name}}}        value, raw: the one spelled-out exception, and only
 *                     for a value set with tpl_set_raw(); any other string
 *                     (tpl_set_str, user input) is escaped as by {{name}}
 *   {{#name}}…{{/name}}  section: once per list item (the item becomes the
 *                     innermost context), once for a true bool, a non-empty
 *                     string, a non-zero int or a map; never otherwise
 *   {{^name}}…{{/name}}  inverted section: when missing, false, 0, "" or []
 *   {{> pages/part}}  another template, with the current context
 *   {{_ Some text}}   dgettext("comptoir", "Some text"), escaped
 *   {{! comment }}    nothing
 *   {{.}}             the innermost context value itself
 *
 * Escaping follows the file rendered: a *.html template escapes {{name}} and
 * {{_ }} for HTML; a *.txt template (plain-text e-mail bodies) escapes
 * nothing, since "&amp;" in a text e-mail is a bug. Partials take the mode
 * of the template that includes them, whatever their own extension.
 *
 * Names are [A-Za-z0-9_-] segments joined by dots ("shop.name"), not
 * starting with '_' (that is {{_ }}): the first segment is looked up from the
 * innermost context outwards, the others inside what it found. A missing
 * value renders as nothing; an int in decimal, a bool as "true"/"false", a
 * map or a list as nothing.
 *
 * A line holding only a section, inverted, close, comment or partial tag
 * (and blanks) is dropped whole, so text e-mails do not fill with blank
 * lines (a standalone partial is not re-indented). A tag may not hold "{{",
 * even in a comment: that is reported as an unterminated tag. There is no
 * delimiter change ({{=) and no {{& }}.
 *
 * Variables are built per request in an arena (struct tpl_vars): cheap to
 * make, freed with the arena.
 */
#ifndef CPT_TPL_H
#define CPT_TPL_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"
#include "util/buf.h"

struct tpl_set;
struct tpl_vars;

/*
 * Loads every *.html and *.txt file under `dir` (recursively; entries whose
 * name starts with '.' are skipped), each named by its path relative to `dir`
 * without the extension ("layout", "pages/login", "mail/fr/confirm").
 * Partials are resolved and include cycles rejected here.
 * Returns 0 and sets *out, to be freed with tpl_set_free(); or -1 with *out
 * NULL and a "file:line:col: message" (or "path: system error") appended to
 * `err`. Two files giving one name (a.html and a.txt) is an error.
 */
int tpl_set_load(const char *dir, struct tpl_set **out, struct buf *err);

/* Frees a set loaded by tpl_set_load(); NULL is a no-op. No render may be
 * running on it. */
void tpl_set_free(struct tpl_set *set);

/* True when `name` (as in tpl_render) is a template of the set. */
bool tpl_exists(const struct tpl_set *set, const char *name);

/*
 * Calls fn once per {{_ …}} tag, in file then document order, with its msgid,
 * the path of its file (as opened: dir/relative) and its 1-based line; for
 * extracting strings into a .pot file. The msgid lives as long as the set.
 */
void tpl_collect_msgids(const struct tpl_set *set,
    void (*fn)(const char *msgid, const char *file, int line, void *ctx),
    void *ctx);

/*
 * Renders template `name` with `vars` (NULL: no variables) by appending to
 * `out`. Returns 0, or -1 when the template is unknown (logged) or `out`
 * failed (too small or out of memory; what was appended stays, unfinished).
 * Thread-safe: any number of renders may share one set. {{_ }} texts are
 * translated in the calling thread's language (set it with i18n_use()).
 */
int tpl_render(const struct tpl_set *set, const char *name,
    const struct tpl_vars *vars, struct buf *out);

/*
 * Variables. Every tpl_vars is a map from keys to values, allocated in the
 * arena given to tpl_vars_new() and gone when it is reset. Keys are plain
 * names without dots (nest with tpl_set_map); keys and values are copied into
 * the arena. Setting a key again replaces its value in place.
 */

/* A new empty map in `a`. */
struct tpl_vars *tpl_vars_new(struct arena *a);

/* key = value (copied); a NULL value is stored as "". */
void tpl_set_str(struct tpl_vars *v, const char *key, const char *value);

/* key = the `len` bytes at `value` (copied; may hold no NUL). */
void tpl_set_strn(struct tpl_vars *v, const char *key, const char *value,
    size_t len);

/* key = value, rendered in decimal; 0 is false for sections. */
void tpl_set_int(struct tpl_vars *v, const char *key, long long value);

/* key = value, rendered as "true" / "false"; for sections mostly. */
void tpl_set_bool(struct tpl_vars *v, const char *key, bool value);

/* key = trusted HTML (copied). Only {{{key}}} emits it as is: {{key}} still
 * escapes it like any string, and {{{ }}} escapes every value not set here. */
void tpl_set_raw(struct tpl_vars *v, const char *key, const char *html);
/* The same, not copied: the len bytes at html must stay as they are
 * until the last render of v (a page's body, rendered into the layout). */
void tpl_set_raw_view(struct tpl_vars *v, const char *key, const char *html, size_t len);

/* Returns the nested map `key`, creating it (replacing a non-map value) if
 * needed: {{key.x}} then finds what is set in it. */
struct tpl_vars *tpl_set_map(struct tpl_vars *v, const char *key);

/* Appends a new empty map to list `key` (creating the list, or replacing a
 * non-list value) and returns it, to be filled with the item's values. */
struct tpl_vars *tpl_list_add(struct tpl_vars *v, const char *key);

#endif
