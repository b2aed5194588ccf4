#include "orders/bulk.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "auth/staff.h"
#include "db/db.h"
#include "orders/order_view.h"
#include "orders/workflow.h"
#include "payments/payments.h"
#include "tpl/tpl.h"
#include "util/arena.h"
#include "util/i18n.h"
#include "util/log.h"

/* ---- the actions ---------------------------------------------------------- */

/* The statuses a bulk change may go to: all but those that cancel (a
 * cancellation gives stock back and has its own action). */
static const char *
status_choice(const struct wf_workflow *wf, size_t i, const char **label)
{
	const struct wf_status *s;
	size_t k, seen = 0;

	for (k = 0; (s = wf_status_at(wf, k)); k++) {
		if ((s->flags & WF_CANCELS) || s->retired)
			continue;
		if (seen++ == i) {
			*label = order_status_label(wf, s->code);
			return s->code;
		}
	}
	return NULL;
}

static int
status_run(struct db *db, struct arena *a, const struct bulk_ctx *c, const struct bulk_target *t,
    const char **why)
{
	struct wf_change w = { .shop_id = c->shop_id, .shop_name = c->shop_name, .code = t->code,
	    .version = t->version, .to = c->choice, .notify = c->notify };

	return order_status_change(db, a, &w, c->who, why);
}

/* L8, "mark paid": what remains due, received at once, through the one
 * entry point for payments (the paid status follows there). */
static int
mark_paid_run(struct db *db, struct arena *a, const struct bulk_ctx *c, const struct bulk_target *t,
    const char **why)
{
	struct payment_in in = { .shop_id = c->shop_id, .shop_name = c->shop_name, .code = t->code,
	    .version = t->version, .action = PAY_MARK_PAID, .provider = "", .lang = i18n_lang() };

	switch (payment_record(db, a, &in, c->who, why, NULL)) {
	case PAY_OK:
		return WF_OK;
	case PAY_NOT_FOUND:
		return WF_NOT_FOUND;
	case PAY_REFUSED:
		return WF_REFUSED;
	case PAY_CHANGED:
		return WF_CHANGED;
	default:
		return WF_ERROR;
	}
}

/* The one table: a new action is a function above and a row here. */
static const struct bulk_action actions[] = {
	{ "status", N_("Change the status to “%s”"), ROLES_OFFICE, status_choice, status_run },
	{ "mark_paid", N_("Mark as paid"), ROLES_OFFICE, NULL, mark_paid_run },
};
#define NACTIONS (sizeof(actions) / sizeof(actions[0]))

/* The action's label, translated, its "%s" replaced by the choice's (the
 * table's msgids are no literals a compiler could check as formats). */
static const char *
action_label(struct arena *a, const struct bulk_action *act, const char *choice_label)
{
	const char *l = _(act->label), *at = strstr(l, "%s");

	if (!act->choice || !at)
		return l;
	return arena_printf(a, "%.*s%s%s", (int)(at - l), l, choice_label, at + 2);
}

void
bulk_fill_actions(struct tpl_vars *v, struct arena *a, const struct wf_workflow *wf, unsigned role)
{
	const char *code, *label;
	size_t i, j;

	for (i = 0; i < NACTIONS; i++) {
		const struct bulk_action *act = &actions[i];

		if (!(act->roles & role))
			continue;
		for (j = 0; act->choice ? (code = act->choice(wf, j, &label)) != NULL : j == 0; j++) {
			struct tpl_vars *o = tpl_list_add(v, "bulk_actions");

			tpl_set_str(o, "value", act->choice ? arena_printf(a, "%s:%s", act->name, code) : act->name);
			tpl_set_str(o, "label", action_label(a, act, act->choice ? label : NULL));
		}
	}
}

int
bulk_find(struct arena *a, const struct wf_workflow *wf, const char *value, unsigned role, const struct bulk_action **act,
    const char **choice, const char **label)
{
	const char *colon = value ? strchr(value, ':') : NULL, *code, *clabel;
	size_t i, j, n = colon ? (size_t)(colon - value) : value ? strlen(value) : 0;

	for (i = 0; value && i < NACTIONS; i++) {
		const struct bulk_action *x = &actions[i];

		if (strlen(x->name) != n || strncmp(x->name, value, n) != 0 || !(x->roles & role))
			continue;
		if (!x->choice) {
			if (colon)
				return BULK_BAD;
			*act = x;
			*choice = NULL;
			*label = action_label(a, x, NULL);
			return BULK_OK;
		}
		for (j = 0; colon && (code = x->choice(wf, j, &clabel)) != NULL; j++)
			if (strcmp(code, colon + 1) == 0) {
				*act = x;
				*choice = code;
				*label = action_label(a, x, clabel);
				return BULK_OK;
			}
		return BULK_BAD;
	}
	return BULK_BAD;
}

/* ---- running one, and its summary ------------------------------------------ */

static const char sql_run_add[] =
	"INSERT INTO bulk_runs (shop_id, staff_id, label, done, refused, details) VALUES (?, ?, ?, ?, ?, ?)";

int
bulk_apply(struct db *db, struct arena *a, const struct bulk_action *act, const struct bulk_ctx *c,
    const char *label, const struct bulk_target *t, size_t n, long long staff_id, long long *run_id)
{
	json_t *items = json_array();
	struct db_result res;
	long long done = 0, refused = 0;
	char *text;
	size_t i;
	int rc;

	if (!items || n > BULK_MAX) {
		json_decref(items);
		log_error("bulk: %zu orders (at most %d)", n, BULK_MAX);
		return BULK_ERROR;
	}
	for (i = 0; i < n; i++) {
		const char *why = NULL;

		rc = act->run(db, a, c, &t[i], &why);
		if (rc == WF_ERROR) {
			json_decref(items);
			return BULK_ERROR;
		}
		if (rc == WF_NOT_FOUND)
			why = _("No such order in this shop.");
		if (rc == WF_OK)
			done++;
		else
			refused++;
		if (json_array_append_new(items, json_pack("{sssbsbss}", "code", t[i].code, "done", rc == WF_OK,
		    "found", rc != WF_NOT_FOUND, "why", rc == WF_OK ? "" : why ? why : "")) != 0) {
			json_decref(items);
			return BULK_ERROR;
		}
	}
	text = json_dumps(items, JSON_COMPACT);
	json_decref(items);
	if (!text)
		return BULK_ERROR;
	rc = db_exec(db, a, &res, sql_run_add, DB_PARAMS(DB_I64(c->shop_id), DB_I64(staff_id), DB_STR(label),
	    DB_I64(done), DB_I64(refused), DB_STR(text)));
	free(text);
	if (rc != DB_OK)
		return BULK_ERROR;
	*run_id = (long long)res.insert_id;
	log_info("bulk: run %lld, %s: %lld done, %lld refused", *run_id, act->name, done, refused);
	return BULK_OK;
}

enum run_col { RN_LABEL, RN_DONE, RN_REFUSED, RN_DETAILS, RN_NCOLS };
static const char sql_run_get[] =
	"SELECT label, done, refused, details FROM bulk_runs WHERE shop_id = ? AND id = ? AND staff_id = ?";

int
bulk_run_load(struct db *db, struct arena *a, long long shop_id, long long staff_id, long long id,
    struct bulk_run *out)
{
	struct db_result res;
	json_t *items, *it;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (db_exec(db, a, &res, sql_run_get, DB_PARAMS(DB_I64(shop_id), DB_I64(id), DB_I64(staff_id))) != DB_OK)
		return BULK_ERROR;
	if (res.nrows == 0)
		return BULK_NOT_FOUND;
	if (res.ncols != RN_NCOLS) {
		log_error("bulk: the run query returns %zu columns, its enum names %d", res.ncols, RN_NCOLS);
		return BULK_ERROR;
	}
	out->label = db_str(&res, 0, RN_LABEL);
	out->done = db_ll(&res, 0, RN_DONE);
	out->refused = db_ll(&res, 0, RN_REFUSED);
	items = json_loads(db_str(&res, 0, RN_DETAILS), 0, NULL);
	if (!json_is_array(items)) {
		json_decref(items);
		log_error("bulk: run %lld has unreadable details", id);
		return BULK_ERROR;
	}
	out->nitems = json_array_size(items);
	out->items = arena_alloc(a, (out->nitems ? out->nitems : 1) * sizeof(*out->items));
	json_array_foreach(items, i, it) {
		struct bulk_item *b = &out->items[i];

		b->code = arena_strdup(a, json_string_value(json_object_get(it, "code")) ?
		    json_string_value(json_object_get(it, "code")) : "");
		b->why = arena_strdup(a, json_string_value(json_object_get(it, "why")) ?
		    json_string_value(json_object_get(it, "why")) : "");
		b->done = json_is_true(json_object_get(it, "done"));
		b->found = json_is_true(json_object_get(it, "found"));
	}
	json_decref(items);
	return BULK_OK;
}
