#include "plugins/shop_plugins.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "auth/secret.h"
#include "conf/conf.h"
#include "db/db.h"
#include "plugins/host.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/utf8.h"

/* ---- sealing the secrets ------------------------------------------------ */

/* The key of (shop, plugin): BLAKE2b keyed with the SECRET_PLUGIN_SECRETS
 * subkey, so a sealed value copied to another shop's or plugin's row does
 * not open there. */
static bool
row_key(const struct config *cfg, long long shop_id, const char *plugin,
    unsigned char key[crypto_secretbox_KEYBYTES])
{
	unsigned char sub[SECRET_KEY_LEN];
	char label[64];
	int n;

	if (!secret_subkey(cfg, SECRET_PLUGIN_SECRETS, sub))
		return false;
	n = snprintf(label, sizeof(label), "%lld/%s", shop_id, plugin);
	crypto_generichash(key, crypto_secretbox_KEYBYTES, (const unsigned char *)label, (size_t)n,
	    sub, sizeof(sub));
	sodium_memzero(sub, sizeof(sub));
	return true;
}

/* Seals the JSON object `secrets` into *box (arena) and nonce; false on failure. */
static bool
seal(struct arena *a, const struct config *cfg, long long shop_id, const char *plugin,
    json_t *secrets, unsigned char **box, size_t *box_len, unsigned char nonce[crypto_secretbox_NONCEBYTES])
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	char *text = json_dumps(secrets, JSON_COMPACT | JSON_SORT_KEYS);
	size_t len;
	bool ok;

	if (!text)
		return false;
	len = strlen(text);
	if (!row_key(cfg, shop_id, plugin, key) || len > 6000) {
		sodium_memzero(text, len);
		free(text);
		return false;
	}
	*box_len = len + crypto_secretbox_MACBYTES;
	*box = arena_alloc(a, *box_len);
	randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
	ok = crypto_secretbox_easy(*box, (const unsigned char *)text, len, nonce, key) == 0;
	sodium_memzero(key, sizeof(key));
	sodium_memzero(text, len);
	free(text);
	return ok;
}

/* Opens a sealed part; a new empty object when it cannot be. */
static json_t *
unseal(const struct config *cfg, long long shop_id, const char *plugin, const char *box,
    size_t box_len, const char *nonce, size_t nonce_len)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	unsigned char *plain;
	json_t *j = NULL;

	if (!box || box_len < crypto_secretbox_MACBYTES || !nonce || nonce_len != crypto_secretbox_NONCEBYTES)
		return json_object();
	if (!row_key(cfg, shop_id, plugin, key))
		return json_object();
	plain = malloc(box_len - crypto_secretbox_MACBYTES + 1);
	if (plain && crypto_secretbox_open_easy(plain, (const unsigned char *)box, box_len,
	    (const unsigned char *)nonce, key) == 0) {
		j = json_loadb((const char *)plain, box_len - crypto_secretbox_MACBYTES, 0, NULL);
		sodium_memzero(plain, box_len - crypto_secretbox_MACBYTES);
	} else {
		log_warn("shop %lld plugin %s: the secret settings cannot be opened"
		    " (another security.key_file?): read as unset", shop_id, plugin);
	}
	free(plain);
	sodium_memzero(key, sizeof(key));
	return json_is_object(j) ? j : (json_decref(j), json_object());
}

/* ---- reading ------------------------------------------------------------ */

enum { SPC_ENABLED, SPC_SETTINGS, SPC_SECRETS, SPC_NONCE };
static const char sql_row[] =
	"SELECT enabled, settings, secrets, secrets_nonce FROM shop_plugins"
	" WHERE shop_id = ? AND plugin = ?";

int
shop_plugin_load(struct db *db, struct arena *a, const struct config *cfg, long long shop_id,
    const char *plugin, struct shop_plugin_row *row)
{
	struct db_result res;
	const struct db_row *r;
	json_t *settings;

	memset(row, 0, sizeof(*row));
	if (db_exec(db, a, &res, sql_row, DB_PARAMS(DB_I64(shop_id), DB_STR(plugin))) != DB_OK)
		return -1;
	if (res.nrows == 0) {
		row->settings = json_object();
		row->secrets = json_object();
		return row->settings && row->secrets ? 0 : -1;
	}
	r = &res.rows[0];
	row->exists = true;
	row->enabled = db_ll(&res, 0, SPC_ENABLED) != 0;
	settings = json_loads(r->col[SPC_SETTINGS] ? r->col[SPC_SETTINGS] : "{}", 0, NULL);
	row->settings = json_is_object(settings) ? settings : (json_decref(settings), json_object());
	row->secrets = unseal(cfg, shop_id, plugin, r->col[SPC_SECRETS], r->len[SPC_SECRETS],
	    r->col[SPC_NONCE], r->len[SPC_NONCE]);
	return row->settings && row->secrets ? 0 : -1;
}

void
shop_plugin_row_free(struct shop_plugin_row *row)
{
	const char *k;
	json_t *v;

	if (!row)
		return;
	json_decref(row->settings);
	if (row->secrets) {   /* wipe the decrypted values */
		json_object_foreach((json_t *)row->secrets, k, v)
			if (json_is_string(v))
				sodium_memzero((char *)json_string_value(v), json_string_length(v));
		json_decref(row->secrets);
	}
	row->settings = row->secrets = NULL;
}

const char *
shop_plugin_value(const struct shop_plugin_row *row, const char *key)
{
	const char *s;

	if (!row)
		return NULL;
	s = json_string_value(json_object_get(row->secrets, key));
	if (!s)
		s = json_string_value(json_object_get(row->settings, key));
	return s && *s ? s : NULL;
}

const char *
shop_plugin_mask(struct arena *a, const char *secret)
{
	size_t n = secret ? strlen(secret) : 0;

	/* The last four only when they leave most of it unsaid. */
	return n >= 12 ? arena_printf(a, "\u2022\u2022\u2022\u2022%s", secret + n - 4) :
	    "\u2022\u2022\u2022\u2022";
}

/* ---- writing ------------------------------------------------------------ */

static const char sql_upsert[] =
	"INSERT INTO shop_plugins (shop_id, plugin, enabled, settings, secrets, secrets_nonce, source,"
	" updated_by) VALUES (?, ?, ?, ?, ?, ?, 'owner', ?) ON DUPLICATE KEY UPDATE"
	" enabled = VALUES(enabled), settings = VALUES(settings), secrets = VALUES(secrets),"
	" secrets_nonce = VALUES(secrets_nonce), source = 'owner', updated_by = VALUES(updated_by)";
static const char sql_preset[] =
	"INSERT IGNORE INTO shop_plugins (shop_id, plugin, enabled, settings, secrets, secrets_nonce,"
	" source) VALUES (?, ?, ?, ?, ?, ?, 'preset')";

static const struct cpt_setting *
schema_find(const struct cpt_plugin *d, const char *key)
{
	const struct cpt_setting *s;

	for (s = d->settings; s && s->key; s++)
		if (strcmp(s->key, key) == 0)
			return s;
	return NULL;
}

/* A value's shape for its type; a translated reason when it is not right. */
static const char *
value_problem(const struct cpt_setting *s, const char *v)
{
	size_t max = s->max_len ? s->max_len : 255;
	const unsigned char *p;

	if (!utf8_valid(v, strlen(v)))
		return _("This value holds characters that cannot be saved.");
	if (strlen(v) > max)
		return _("This value is too long.");
	for (p = (const unsigned char *)v; *p; p++)
		if ((*p < 0x20 && !(s->type == CPT_SETTING_TEXTAREA && (*p == '\n' || *p == '\r'))) || *p == 0x7f)
			return _("This value holds characters that cannot be saved.");
	switch (s->type) {
	case CPT_SETTING_URL:
		if (*v && strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0)
			return _("This must be a web address starting with https://.");
		break;
	case CPT_SETTING_BOOL:
		if (*v && strcmp(v, "1") != 0 && strcmp(v, "0") != 0)
			return _("This must be ticked or not.");
		break;
	case CPT_SETTING_CHOICE: {
		const char *const *c;

		if (!*v)
			break;
		for (c = s->choices; c && *c; c++)
			if (strcmp(*c, v) == 0)
				break;
		if (!c || !*c)
			return _("This is not one of the choices.");
		break;
	}
	default:
		break;
	}
	return NULL;
}

/* Trims blanks around a one-line value into the arena. */
static const char *
trimmed(struct arena *a, const char *v)
{
	const char *e;

	while (*v == ' ' || *v == '\t')
		v++;
	e = v + strlen(v);
	while (e > v && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	return arena_strndup(a, v, (size_t)(e - v));
}

int
shop_plugin_update(struct db *db, struct arena *a, const struct config *cfg,
    const struct shop *shop, const char *locale, const struct plugin *p, bool enabled,
    const struct sp_field *values, size_t nvalues, long long staff_id,
    const char **bad_key, const char **why)
{
	const struct cpt_plugin *d = p->desc;
	const struct cpt_setting *s;
	struct shop_plugin_row old;
	unsigned char nonce[crypto_secretbox_NONCEBYTES], *box = NULL;
	size_t box_len = 0, i;
	json_t *settings = NULL, *secrets = NULL;
	char *settings_text = NULL;
	int rc = -1, db_rc;

	*bad_key = NULL;
	*why = NULL;
	if (shop_plugin_load(db, a, cfg, shop->id, p->name, &old) != 0)
		return -1;
	settings = json_object();
	secrets = json_object();
	if (!settings || !secrets)
		goto out;
	for (s = d->settings; s && s->key; s++) {
		const char *v = NULL, *problem;

		for (i = 0; i < nvalues; i++)
			if (strcmp(values[i].key, s->key) == 0)
				v = values[i].value;
		if (s->type == CPT_SETTING_BOOL)
			v = v && strcmp(v, "1") == 0 ? "1" : "0";
		v = s->type == CPT_SETTING_TEXTAREA ? (v ? v : "") : trimmed(a, v ? v : "");
		if ((s->flags & CPT_SETTING_SECRET) && !*v)   /* empty: keep the stored one */
			v = json_string_value(json_object_get(old.secrets, s->key));
		v = v ? v : "";
		if ((problem = value_problem(s, v)) != NULL) {
			*bad_key = s->key;
			*why = problem;
			rc = SP_INVALID;
			goto out;
		}
		if (*v && d->check) {
			struct cpt_ctx ctx;
			int c;

			plugin_ctx_init(&ctx, a, NULL, cfg, shop, locale, p, NULL);
			c = d->check(p->state, &ctx, s->key, v);
			plugin_ctx_done(&ctx);
			if (c != 0) {
				*bad_key = s->key;
				*why = ctx.refusal && *ctx.refusal ? ctx.refusal : _("This value is not valid.");
				rc = c < 0 ? -1 : SP_INVALID;
				goto out;
			}
		}
		if (enabled && (s->flags & CPT_SETTING_REQUIRED) && !*v) {
			*bad_key = s->key;
			*why = _("Fill this in before enabling the module.");
			rc = SP_INVALID;
			goto out;
		}
		if (json_object_set_new((s->flags & CPT_SETTING_SECRET) ? secrets : settings, s->key,
		    json_string(v)) != 0)
			goto out;
	}
	settings_text = json_dumps(settings, JSON_COMPACT | JSON_SORT_KEYS);
	if (!settings_text)
		goto out;
	if (json_object_size(secrets) && !seal(a, cfg, shop->id, p->name, secrets, &box, &box_len, nonce)) {
		log_error("shop %s plugin %s: the secret settings cannot be sealed", shop->code, p->name);
		goto out;
	}
	db_rc = db_exec(db, a, NULL, sql_upsert, DB_PARAMS(DB_I64(shop->id), DB_STR(p->name),
	    DB_I64(enabled), DB_STR(settings_text), box ? DB_BLOB(box, box_len) : DB_NULL,
	    box ? DB_BLOB(nonce, sizeof(nonce)) : DB_NULL, DB_I64(staff_id)));
	rc = db_rc == DB_OK ? SP_OK : -1;
out:
	free(settings_text);
	json_decref(settings);
	shop_plugin_row_free(&old);
	{
		struct shop_plugin_row wipe = { .secrets = secrets };

		shop_plugin_row_free(&wipe);
	}
	return rc;
}

/* One shop's one preset: INSERT IGNORE of its values split by the schema. */
static int
preset_write(struct db *db, struct arena *a, const struct config *cfg, const struct shop *shop,
    const struct shop_plugin_preset *pr, const struct plugin *p)
{
	unsigned char nonce[crypto_secretbox_NONCEBYTES], *box = NULL;
	json_t *settings = json_object(), *secrets = json_object();
	char *text = NULL;
	size_t box_len = 0, i;
	int rc = -1;

	if (!settings || !secrets)
		goto out;
	for (i = 0; i < pr->nsettings; i++) {
		const struct cpt_setting *s = schema_find(p->desc, pr->keys[i]);

		if (!s) {
			log_warn("%s: plugins.%s.settings.%s: plugin %s has no such setting: ignored",
			    shop->file, pr->name, pr->keys[i], pr->name);
			continue;
		}
		json_object_set_new((s->flags & CPT_SETTING_SECRET) ? secrets : settings, s->key,
		    json_string(pr->values[i]));
	}
	if (!(text = json_dumps(settings, JSON_COMPACT | JSON_SORT_KEYS)))
		goto out;
	if (json_object_size(secrets) && !seal(a, cfg, shop->id, p->name, secrets, &box, &box_len, nonce))
		goto out;
	rc = db_exec(db, a, NULL, sql_preset, DB_PARAMS(DB_I64(shop->id), DB_STR(p->name),
	    DB_I64(pr->enabled), DB_STR(text), box ? DB_BLOB(box, box_len) : DB_NULL,
	    box ? DB_BLOB(nonce, sizeof(nonce)) : DB_NULL)) == DB_OK ? 0 : -1;
out:
	free(text);
	json_decref(settings);
	{
		struct shop_plugin_row wipe = { .secrets = secrets };

		shop_plugin_row_free(&wipe);
	}
	return rc;
}

int
shop_plugins_presets(struct db *db, struct arena *a, const struct config *cfg)
{
	size_t i, j;
	int rc = 0;

	for (i = 0; i < cfg->nshops; i++) {
		const struct shop *shop = &cfg->shops[i];

		for (j = 0; j < shop->nplugins; j++) {
			const struct shop_plugin_preset *pr = &shop->plugins[j];
			const struct plugin *p = plugin_find(pr->name);

			if (!p) {
				log_warn("%s: plugins.%s: plugin %s is not loaded (plugins.load in %s):"
				    " its preset is ignored", shop->file, pr->name, pr->name, cfg->path);
				continue;
			}
			if (preset_write(db, a, cfg, shop, pr, p) != 0)
				rc = -1;
		}
	}
	return rc;
}

/* ---- state on orders ---------------------------------------------------- */

static bool
valid_state_key(const char *k)
{
	size_t n = k ? strlen(k) : 0;

	return n > 0 && n <= 32 && strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

static const char sql_state_get[] =
	"SELECT s.v FROM orders o JOIN plugin_order_state s ON s.shop_id = o.shop_id AND s.order_id = o.id"
	" WHERE o.shop_id = ? AND o.code = ? AND s.plugin = ? AND s.k = ?";
static const char sql_state_set[] =
	"INSERT INTO plugin_order_state (shop_id, order_id, plugin, k, v)"
	" SELECT shop_id, id, ?, ?, ? FROM orders WHERE shop_id = ? AND code = ?"
	" ON DUPLICATE KEY UPDATE v = VALUES(v)";
static const char sql_state_del[] =
	"DELETE s FROM plugin_order_state s JOIN orders o ON o.shop_id = s.shop_id AND o.id = s.order_id"
	" WHERE s.shop_id = ? AND o.code = ? AND s.plugin = ? AND s.k = ?";
static const char sql_state_find[] =
	"SELECT o.code FROM plugin_order_state s JOIN orders o ON o.shop_id = s.shop_id AND o.id = s.order_id"
	" WHERE s.shop_id = ? AND s.plugin = ? AND s.k = ? AND s.v = ? LIMIT 1";

int
plugin_state_get(struct db *db, struct arena *a, long long shop_id, const char *plugin,
    const char *order_code, const char *key, const char **value)
{
	struct db_result res;

	*value = NULL;
	if (!order_code || !valid_state_key(key))
		return SP_INVALID;
	if (db_exec(db, a, &res, sql_state_get, DB_PARAMS(DB_I64(shop_id), DB_STR(order_code),
	    DB_STR(plugin), DB_STR(key))) != DB_OK)
		return -1;
	*value = res.nrows ? db_str(&res, 0, 0) : NULL;
	return 0;
}

int
plugin_state_set(struct db *db, struct arena *a, long long shop_id, const char *plugin,
    const char *order_code, const char *key, const char *value)
{
	struct db_result res;

	if (!order_code || !valid_state_key(key) || (value && (strlen(value) > 1000 ||
	    !utf8_valid(value, strlen(value)))))
		return SP_INVALID;
	if (!value)
		return db_exec_idempotent(db, a, NULL, sql_state_del, DB_PARAMS(DB_I64(shop_id),
		    DB_STR(order_code), DB_STR(plugin), DB_STR(key))) == DB_OK ? 0 : -1;
	if (db_exec(db, a, &res, sql_state_set, DB_PARAMS(DB_STR(plugin), DB_STR(key), DB_STR(value),
	    DB_I64(shop_id), DB_STR(order_code))) != DB_OK)
		return -1;
	if (res.affected == 0) {   /* the same value again, or no such order */
		const char *now;

		if (plugin_state_get(db, a, shop_id, plugin, order_code, key, &now) != 0)
			return -1;
		return now ? 0 : SP_NOT_FOUND;
	}
	return 0;
}

int
plugin_state_find(struct db *db, struct arena *a, long long shop_id, const char *plugin,
    const char *key, const char *value, const char **order_code)
{
	struct db_result res;

	*order_code = NULL;
	if (!value || !valid_state_key(key))
		return SP_INVALID;
	if (db_exec(db, a, &res, sql_state_find, DB_PARAMS(DB_I64(shop_id), DB_STR(plugin), DB_STR(key),
	    DB_STR(value))) != DB_OK)
		return -1;
	if (!res.nrows)
		return SP_NOT_FOUND;
	*order_code = db_str(&res, 0, 0);
	return 0;
}
