/* The global search, "Que cherchez-vous ?", reached from every page:
 * an order code or number typed alone opens the order; anything else
 * lists the orders that match, each with why it matched. */
#include <string.h>

#include "conf/conf.h"
#include "db/db.h"
#include "orders/money.h"
#include "orders/order_view.h"
#include "orders/search.h"
#include "orders/workflow.h"
#include "pages/page.h"
#include "util/datetime.h"
#include "util/i18n.h"
#include "util/utf8.h"

/* "client : Hélène Dupré": what a matched word came from. */
static const char *
why_line(struct request *r, const struct search_why *w)
{
	switch (w->kind) {
	case SEARCH_CODE: return arena_printf(r->arena, _("order code: %s"), w->text);
	case SEARCH_NAME: return arena_printf(r->arena, _("customer: %s"), w->text);
	case SEARCH_EMAIL: return arena_printf(r->arena, _("e-mail: %s"), w->text);
	case SEARCH_PHONE: return arena_printf(r->arena, _("phone: %s"), w->text);
	case SEARCH_PRODUCT:
	case SEARCH_SKU: return arena_printf(r->arena, _("product: %s"), w->text);
	case SEARCH_EXTERNAL: return arena_printf(r->arena, _("shop reference: %s"), w->text);
	case SEARCH_REFERENCE: return arena_printf(r->arena, _("reference: %s"), w->text);
	}
	return w->text;
}

static void
fill_hits(struct request *r, struct tpl_vars *v, const struct search_result *res)
{
	struct tpl_vars *h = tpl_set_map(v, "hits");
	const struct wf_workflow *wf;
	size_t i, k;
	char s[64];

	if (wf_get(r->db, r->arena, r->shop->id, &wf) != WF_OK)
		wf = NULL;   /* the codes, then */

	tpl_set_str(h, "count", arena_printf(r->arena, _("Orders found: %zu"), res->n));
	tpl_set_bool(h, "more", res->more);
	for (i = 0; i < res->n; i++) {
		const struct search_hit *x = &res->hits[i];
		struct tpl_vars *row = tpl_list_add(h, "list");

		tpl_set_str(row, "code", x->code);
		if (x->number)
			tpl_set_int(row, "number", x->number);
		tpl_set_str(row, "placed_at_iso", x->placed_at);
		datetime_format(s, sizeof(s), x->placed_at, r->shop->timezone, r->locale);
		tpl_set_str(row, "placed_at", s);
		tpl_set_str(row, "customer", x->customer);
		money_format(s, sizeof(s), x->total_cents, x->currency, r->locale);
		tpl_set_str(row, "total", s);
		tpl_set_str(row, "status", x->status);
		tpl_set_str(row, "status_label", order_status_label(wf, x->status));
		for (k = 0; k < x->nwhy; k++)
			tpl_set_str(tpl_list_add(row, "why"), "text", why_line(r, &x->why[k]));
	}
}

void
search_get(struct request *r)
{
	struct tpl_vars *v = page_vars(r);
	const char *q = req_param(r, "q");
	struct search_result res;

	/* At most SEARCH_QUERY_MAX bytes, never half a character; text that
	 * is not UTF-8 is no query (a page is UTF-8 throughout). */
	q = q ? arena_strndup(r->arena, q, utf8_cut(q, SEARCH_QUERY_MAX)) : "";
	if (!utf8_valid(q, strlen(q)) || strspn(q, " \t") == strlen(q)) {
		page_render(r, "search", v, _("Search"));
		return;
	}
	if (search_orders(db_desk(db_reads(r->db), r->shop->id), r->arena, r->shop->id, q, &res) != 0) {   /* may lag */
		page_error(r, 503);
		return;
	}
	if (res.exact_code) {
		res_redirect(r, arena_printf(r->arena, "/orders/%s", res.exact_code));
		return;
	}
	tpl_set_str(v, "q", q);
	if (res.n)
		fill_hits(r, v, &res);
	if (res.words_dropped)
		tpl_set_str(v, "dropped", arena_printf(r->arena,
		    _("Only %d words of the search were used."), SEARCH_WORDS_MAX));
	page_render(r, "search", v, _("Search"));
}
