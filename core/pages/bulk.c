/* Bulk actions from the order list (L8): POST /bulk applies the action
 * chosen to the orders ticked, those of the page, or all that match the
 * list's filters, and redirects to GET /bulk/{id}, its summary. */
#include <stdlib.h>
#include <string.h>

#include "auth/session.h"
#include "conf/conf.h"
#include "orders/bulk.h"
#include "orders/code.h"
#include "orders/order_list.h"
#include "orders/workflow.h"
#include "pages/page.h"
#include "util/i18n.h"
#include "util/log.h"

static const char *
kv_param(void *l, const char *name)
{
	return kv_get(l, name);
}

/* A refusal before anything was done: the page says why, nothing changed. */
static void
bulk_refused(struct request *r, const char *message)
{
	struct tpl_vars *v = page_vars(r);

	tpl_set_str(v, "message", message);
	page_render(r, "bulk", v, _("Several orders"));
	r->status = 422;
}

/* "CODE:version" as the list's boxes send it; a value that is no code of
 * ours is kept as typed (it is reported as not found). */
static bool
target_parse(struct arena *a, const char *s, struct bulk_target *t)
{
	const char *colon = strrchr(s, ':');
	char code[ORDER_CODE_LEN + 1], *end;
	size_t len = colon ? (size_t)(colon - s) : strlen(s);

	if (!colon || len == 0 || len > 32)
		return false;
	t->version = strtoll(colon + 1, &end, 10);
	if (*end != '\0' || end == colon + 1 || t->version < 0)
		return false;
	t->code = arena_strndup(a, s, len);
	if (order_code_normalise(t->code, code))
		t->code = arena_strdup(a, code);
	return true;
}

/* The form's values named `key`, each order once; false for a value no
 * form of ours sends. */
static bool
targets_from_form(struct request *r, const char *key, struct bulk_target **out, size_t *n)
{
	struct bulk_target *t = arena_alloc(r->arena, (r->form.n ? r->form.n : 1) * sizeof(*t));
	size_t i, j;

	*n = 0;
	for (i = 0; i < r->form.n; i++) {
		if (strcmp(r->form.items[i].key, key) != 0)
			continue;
		if (!target_parse(r->arena, r->form.items[i].val, &t[*n]))
			return false;
		for (j = 0; j < *n && strcmp(t[j].code, t[*n].code) != 0; j++)
			;
		if (j == *n)
			(*n)++;
	}
	*out = t;
	return true;
}

/* Every order the list's filters select (the query string the form
 * carries), at most BULK_MAX; > 0 when there are more. */
static int
targets_matching(struct request *r, struct bulk_target **out, size_t *n)
{
	struct order_list_query q;
	struct order_list_row *rows;
	struct kvlist l = { 0 };
	const char *query = req_form(r, "query");
	size_t i;
	int rc;

	if (query)
		kv_parse_urlencoded(r->arena, &l, query, strlen(query));
	if (order_list_parse(kv_param, &l, &q) != LIST_OK)
		return LIST_BAD;
	rc = order_list_select(r->db, r->arena, r->shop->id, r->shop->timezone, &q, BULK_MAX, &rows, n);
	if (rc != LIST_OK)
		return rc;
	*out = arena_alloc(r->arena, (*n ? *n : 1) * sizeof(**out));
	for (i = 0; i < *n; i++)
		(*out)[i] = (struct bulk_target){ rows[i].code, rows[i].version };
	return LIST_OK;
}

void
bulk_post(struct request *r)
{
	const struct staff_user *u = &r->session->user;
	const struct bulk_action *act;
	const struct wf_workflow *wf;
	const char *scope = req_form(r, "scope"), *notify = req_form(r, "notify"), *label;
	struct order_actor who = { ACTOR_STAFF, u->id, *u->display_name ? u->display_name : u->email };
	struct bulk_ctx c = { .shop_id = r->shop->id, .shop_name = r->shop->name, .who = &who,
	    .notify = notify && strcmp(notify, "1") == 0 };
	struct bulk_target *t = NULL;
	long long id;
	size_t n = 0;
	int rc;

	if (wf_get(r->db, r->arena, r->shop->id, &wf) != WF_OK) {
		page_error(r, 503);
		return;
	}
	if (bulk_find(r->arena, wf, req_form(r, "action"), u->role, &act, &c.choice, &label) != BULK_OK) {
		page_error(r, 400);
		return;
	}
	if (!scope || strcmp(scope, "ticked") == 0)
		rc = targets_from_form(r, "o", &t, &n) ? LIST_OK : LIST_BAD;
	else if (strcmp(scope, "page") == 0)
		rc = targets_from_form(r, "page", &t, &n) ? LIST_OK : LIST_BAD;
	else if (strcmp(scope, "all") == 0)
		rc = targets_matching(r, &t, &n);
	else
		rc = LIST_BAD;
	if (rc == LIST_OK && n > BULK_MAX)
		rc = LIST_TOO_LONG;
	switch (rc) {
	case LIST_OK:
		break;
	case LIST_BAD:
		page_error(r, 400);
		return;
	case LIST_TOO_LONG:
		bulk_refused(r, arena_printf(r->arena, _("More than %d orders: narrow the filters, then apply"
		    " the action again. Nothing was changed."), BULK_MAX));
		return;
	default:
		page_error(r, 503);
		return;
	}
	if (n == 0) {
		bulk_refused(r, _("No order was chosen: tick some, or choose every order of the page or all"
		    " those that match. Nothing was changed."));
		return;
	}
	if (bulk_apply(r->db, r->arena, act, &c, label, t, n, u->id, &id) != BULK_OK) {
		page_error(r, 503);
		return;
	}
	res_redirect(r, arena_printf(r->arena, "/bulk/%lld", id));
}

void
bulk_get(struct request *r)
{
	struct tpl_vars *v;
	struct bulk_run run;
	char *end;
	long long id = r->route_arg ? strtoll(r->route_arg, &end, 10) : 0;
	size_t i;

	if (id <= 0 || *end != '\0') {
		page_error(r, 404);
		return;
	}
	switch (bulk_run_load(r->db, r->arena, r->shop->id, r->session->user.id, id, &run)) {
	case BULK_OK:
		break;
	case BULK_NOT_FOUND:
		page_error(r, 404);
		return;
	default:
		page_error(r, 503);
		return;
	}
	v = page_vars(r);
	tpl_set_str(v, "label", run.label);
	tpl_set_str(v, "summary", arena_printf(r->arena, _("%lld changed, %lld refused."), run.done, run.refused));
	tpl_set_bool(v, "has_changed", run.done > 0);
	tpl_set_bool(v, "has_refused", run.refused > 0);
	for (i = 0; i < run.nitems; i++) {
		const struct bulk_item *b = &run.items[i];
		struct tpl_vars *o = tpl_list_add(v, b->done ? "changed" : "refusals");

		tpl_set_str(o, "code", b->code);
		tpl_set_bool(o, "found", b->found);
		tpl_set_str(o, "why", b->why);
	}
	page_render(r, "bulk", v, _("Several orders"));
}
