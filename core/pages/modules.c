/*
 * The Modules page, /settings/modules (owners): each loaded plugin,
 * enabled or not, with the settings its descriptor declares. Secrets are
 * never shown back (a mask of their last characters), and an empty secret
 * field keeps the stored one.
 */
#include <string.h>

#include "auth/session.h"
#include "conf/conf.h"
#include "pages/page.h"
#include "plugins/host.h"
#include "plugins/shop_plugins.h"
#include "util/i18n.h"
#include "util/log.h"

/* A refused form, shown again: which plugin, which field, why, what was typed. */
struct module_echo {
	const struct plugin *p;
	const char *bad_key, *why;
	bool enabled;
};

static const char *
pick(const char *locale, const char *fr, const char *en)
{
	return strcmp(locale, "en") == 0 && en ? en : fr ? fr : en;
}

static const char *
field_name(struct request *r, const char *key)
{
	return arena_printf(r->arena, "s_%s", key);
}

/* One plugin's block: its state and its form. */
static int
module_fill(struct request *r, struct tpl_vars *m, const struct plugin *p, const struct module_echo *echo)
{
	const struct cpt_plugin *d = p->desc;
	struct shop_plugin_row row;
	const struct cpt_setting *s;
	bool refused_here = echo && echo->p == p;

	if (shop_plugin_load(r->db, r->arena, r->cfg, r->shop->id, p->name, &row) != 0)
		return -1;
	tpl_set_str(m, "name", p->name);
	tpl_set_str(m, "label", pick(r->locale, d->label_fr, d->label_en));
	tpl_set_str(m, "kind", plugin_kind_name(d->kind));
	tpl_set_str(m, "version", d->version);
	tpl_set_bool(m, "enabled", refused_here ? echo->enabled : row.enabled);
	if (refused_here && !echo->bad_key)
		tpl_set_str(m, "error", echo->why);
	for (s = d->settings; s && s->key; s++) {
		struct tpl_vars *f = tpl_list_add(m, "fields");
		const char *stored = shop_plugin_value(&row, s->key);
		const char *typed = refused_here ? req_form(r, field_name(r, s->key)) : NULL;
		const char *value = (s->flags & CPT_SETTING_SECRET) ? "" : typed ? typed : stored;
		const char *const *c;

		tpl_set_str(f, "id", arena_printf(r->arena, "m-%s-%s", p->name, s->key));
		tpl_set_str(f, "input", field_name(r, s->key));
		tpl_set_str(f, "label", pick(r->locale, s->label_fr, s->label_en));
		if (s->help_fr || s->help_en)
			tpl_set_str(f, "help", pick(r->locale, s->help_fr, s->help_en));
		tpl_set_bool(f, "required", (s->flags & CPT_SETTING_REQUIRED) != 0);
		tpl_set_int(f, "max", s->max_len ? s->max_len : 255);
		tpl_set_str(f, "value", value ? value : "");
		if (s->flags & CPT_SETTING_SECRET) {
			tpl_set_bool(f, "secret", true);
			if (stored)
				tpl_set_str(f, "mask", shop_plugin_mask(r->arena, stored));
		} else if (s->type == CPT_SETTING_TEXTAREA) {
			tpl_set_bool(f, "textarea", true);
		} else if (s->type == CPT_SETTING_BOOL) {
			tpl_set_bool(f, "bool", true);
			tpl_set_bool(f, "checked", value && strcmp(value, "1") == 0);
		} else if (s->type == CPT_SETTING_CHOICE) {
			tpl_set_bool(f, "choice", true);
			for (c = s->choices; c && *c; c++) {
				struct tpl_vars *o = tpl_list_add(f, "choices");

				tpl_set_str(o, "value", *c);
				tpl_set_bool(o, "selected", value && strcmp(value, *c) == 0);
			}
		} else {
			tpl_set_bool(f, "text", true);
			tpl_set_bool(f, "url", s->type == CPT_SETTING_URL);
		}
		if (refused_here && echo->bad_key && strcmp(echo->bad_key, s->key) == 0)
			tpl_set_str(f, "field_error", echo->why);
	}
	shop_plugin_row_free(&row);
	return 0;
}

static void
render_modules(struct request *r, int status, const struct module_echo *echo)
{
	struct tpl_vars *v = page_vars(r);
	size_t i;

	for (i = 0; i < plugins_count(); i++) {
		const struct plugin *p = plugins_at(i);

		if (p->desc && module_fill(r, tpl_list_add(v, "modules"), p, echo) != 0) {
			page_error(r, 503);
			return;
		}
	}
	if (req_param(r, "saved"))
		tpl_set_str(v, "saved", req_param(r, "saved"));
	page_render(r, "modules", v, _("Modules"));
	if (r->status == 200)
		r->status = status;
}

void
modules_get(struct request *r)
{
	render_modules(r, 200, NULL);
}

/* POST /settings/modules/{name}: enabled=1 and the s_KEY fields. */
void
module_post(struct request *r)
{
	const struct plugin *p = plugin_find(r->route_arg);
	const struct cpt_setting *s;
	struct sp_field *fields;
	struct module_echo echo = { 0 };
	const char *enabled = req_form(r, "enabled");
	size_t n = 0, i = 0;

	if (!p) {
		page_error(r, 404);
		return;
	}
	for (s = p->desc->settings; s && s->key; s++)
		n++;
	fields = arena_alloc(r->arena, (n ? n : 1) * sizeof(*fields));
	for (s = p->desc->settings; s && s->key; s++, i++)
		fields[i] = (struct sp_field){ s->key, req_form(r, field_name(r, s->key)) };
	echo.p = p;
	echo.enabled = enabled && strcmp(enabled, "1") == 0;
	switch (shop_plugin_update(r->db, r->arena, r->cfg, r->shop, r->locale, p, echo.enabled, fields, n,
	    r->session->user.id, &echo.bad_key, &echo.why)) {
	case SP_OK:
		res_redirect(r, arena_printf(r->arena, "/settings/modules?saved=%s#m-%s", p->name, p->name));
		return;
	case SP_INVALID:
		render_modules(r, 422, &echo);
		return;
	default:
		page_error(r, 503);
		return;
	}
}
