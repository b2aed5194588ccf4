/*
 * shop_plugins: each shop's settings of each loaded plugin (migration
 * 013's shop_plugins), with the secret ones sealed by crypto_secretbox
 * under a key derived from the host secret (SECRET_PLUGIN_SECRETS) for
 * that shop and plugin; the presets of shops.d; the state plugins keep on
 * orders (plugin_order_state). No HTTP here: the Modules page and the
 * order page call it.
 */
#ifndef CPT_SHOP_PLUGINS_H
#define CPT_SHOP_PLUGINS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/arena.h"

struct config;
struct db;
struct plugin;
struct shop;

/* 0 ok, < 0 failure already logged, > 0 an expected refusal. */
enum { SP_OK = 0, SP_INVALID = 1, SP_NOT_FOUND = 2 };

struct shop_plugin_row {
	bool exists;          /* a row is stored */
	bool enabled;
	void *settings;       /* json_t object, plain values (owned) */
	void *secrets;        /* json_t object, decrypted secret values (owned) */
};

/* Reads the row of (shop, plugin); exists false when there is none. A
 * sealed part that cannot be opened (another host secret) is logged and
 * read as empty. */
int shop_plugin_load(struct db *db, struct arena *a, const struct config *cfg,
    long long shop_id, const char *plugin, struct shop_plugin_row *row);
void shop_plugin_row_free(struct shop_plugin_row *row);
/* A setting's value, plain or secret; NULL when unset or empty. */
const char *shop_plugin_value(const struct shop_plugin_row *row, const char *key);
/* "••••1234": what the page shows of a stored secret. */
const char *shop_plugin_mask(struct arena *a, const char *secret);

/* One field of a form sent to shop_plugin_update. */
struct sp_field {
	const char *key;
	const char *value;    /* NULL: not sent */
};

/*
 * Saves the shop's settings of `p` from the Modules page: `values` per
 * setting of the plugin's schema (an empty secret keeps the stored one),
 * each checked (type, length, the plugin's check()); enabling needs every
 * required one. SP_INVALID with *bad_key (the setting, or NULL for the
 * whole) and *why (translated) when refused; nothing is written then.
 */
int shop_plugin_update(struct db *db, struct arena *a, const struct config *cfg,
    const struct shop *shop, const char *locale, const struct plugin *p, bool enabled,
    const struct sp_field *values, size_t nvalues, long long staff_id,
    const char **bad_key, const char **why);

/* Writes the shops.d presets of every shop that has no row yet for the
 * plugin (INSERT IGNORE: the owner's changes win); presets naming a plugin
 * not loaded, or a key it does not declare, are logged and skipped. */
int shop_plugins_presets(struct db *db, struct arena *a, const struct config *cfg);

/* plugin_order_state: see cpt_host's state_get, state_set, state_find. */
int plugin_state_get(struct db *db, struct arena *a, long long shop_id, const char *plugin,
    const char *order_code, const char *key, const char **value);
int plugin_state_set(struct db *db, struct arena *a, long long shop_id, const char *plugin,
    const char *order_code, const char *key, const char *value);
int plugin_state_find(struct db *db, struct arena *a, long long shop_id, const char *plugin,
    const char *key, const char *value, const char **order_code);

#endif
