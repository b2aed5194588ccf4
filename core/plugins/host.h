/*
 * plugins/host: loads the modules named in comptoir.yaml (plugins.load)
 * through libltdl, once, before the request threads start; hands each the
 * services table of include/comptoir/plugin.h; keeps what was loaded and
 * what was refused, and why. The registry is read-only once loaded, so
 * every thread reads it without a lock.
 *
 * A call into a plugin goes through a struct cpt_ctx (plugin_ctx_init):
 * the shop, the reader's language, the request's arena and database, the
 * shop's settings of that plugin, and what the plugin shows back.
 */
#ifndef CPT_PLUGINS_HOST_H
#define CPT_PLUGINS_HOST_H

#include <stdbool.h>
#include <stddef.h>

#include <comptoir/plugin.h>

#include "util/arena.h"

struct config;
struct shop;
struct db;

struct plugin {
	const char *name;                 /* as in plugins.load */
	const char *file;                 /* what was opened, or tried */
	const struct cpt_plugin *desc;    /* NULL when refused */
	void *state;                      /* from its init() */
	const char *refused;              /* why, when refused */
	void *handle;                     /* lt_dlhandle */
};

/* Loads every module of cfg->plugins.load from cfg->plugins.dir. A
 * refused one is logged (one line: name, file, reason) and kept in the
 * list with its reason; the others load. -1 only when libltdl cannot
 * start. Call once, before threads start. */
int plugins_load(const struct config *cfg);
/* fini() of each, then closes them. */
void plugins_unload(void);

/* Every plugin of plugins.load, loaded or refused, in order. */
size_t plugins_count(void);
const struct plugin *plugins_at(size_t i);
/* A loaded plugin by name, NULL when none (or refused). */
const struct plugin *plugin_find(const char *name);
/* "payment", "carrier", "notification". */
const char *plugin_kind_name(enum cpt_plugin_kind kind);

/* What a plugin showed through host->show_* during a call. */
enum plugin_shown_kind { SHOWN_TEXT, SHOWN_VALUE, SHOWN_IMAGE };
struct plugin_shown {
	enum plugin_shown_kind kind;
	const char *label, *text;          /* SHOWN_VALUE: label and value; TEXT: text */
	const char *mime, *data_uri, *alt; /* SHOWN_IMAGE */
};

struct shop_plugin_row;

struct cpt_ctx {
	struct arena *arena;
	struct db *db;                     /* NULL: state and settings unavailable */
	const struct config *cfg;
	const struct shop *shop;
	const char *locale;                /* "fr" or "en" */
	const struct plugin *plugin;
	struct shop_plugin_row *row;       /* the shop's settings of it, may be NULL */
	struct plugin_shown *shown;
	size_t nshown, shown_cap;
	const char *refusal;               /* host->refuse() */
	void **json;                       /* json_t to release at plugin_ctx_done */
	size_t njson, json_cap;
};

/* A context for calls into `p` for `shop`; `row` (may be NULL) holds the
 * shop's settings of it. Release with plugin_ctx_done. */
void plugin_ctx_init(struct cpt_ctx *ctx, struct arena *a, struct db *db,
    const struct config *cfg, const struct shop *shop, const char *locale,
    const struct plugin *p, struct shop_plugin_row *row);
void plugin_ctx_done(struct cpt_ctx *ctx);

#endif
