/* The first screen after login: what needs doing today, each figure a
 * link to the list of exactly those orders; today's and this month's
 * orders and sales; the last orders in; the products running low; the
 * orders this staff member opened; the shop and the account. The figures
 * come from counters (orders/order_counts.h): a few rows whatever the
 * shop's size. */
#include <string.h>
#include <time.h>

#include "auth/session.h"
#include "conf/conf.h"
#include "db/db.h"
#include "orders/money.h"
#include "orders/order_counts.h"
#include "orders/order_desk.h"
#include "orders/order_view.h"
#include "orders/workflow.h"
#include "pages/page.h"
#include "util/datetime.h"
#include "util/i18n.h"
#include "util/log.h"

/* The orders this staff member opened last, newest first, on `desk`;
 * `wf` the statuses the figures were read with (NULL: read them). */
static void
recent_orders(struct request *r, struct db *desk, struct tpl_vars *v, const struct wf_workflow *wf)
{
	struct order_recent *rows;
	size_t n, i;

	if (order_recent_list(desk, r->arena, r->shop->id, r->session->user.id, &rows, &n) != DESK_OK) {
		log_warn("dashboard: the recently viewed orders cannot be read");
		return;
	}
	if (!wf && wf_get(r->db, r->arena, r->shop->id, &wf) != WF_OK)
		wf = NULL;   /* the codes, then: the dashboard matters more */
	tpl_set_bool(v, "has_recent", n > 0);
	for (i = 0; i < n; i++) {
		struct tpl_vars *o = tpl_list_add(v, "recent");
		char s[64];

		tpl_set_str(o, "code", rows[i].code);
		tpl_set_int(o, "number", rows[i].number);
		tpl_set_str(o, "customer", rows[i].customer);
		tpl_set_str(o, "status_label", order_status_label(wf, rows[i].status));
		money_format(s, sizeof(s), rows[i].total_cents, rows[i].currency, r->locale);
		tpl_set_str(o, "total", s);
		datetime_format(s, sizeof(s), rows[i].viewed_at, r->shop->timezone, r->locale);
		tpl_set_str(o, "viewed_at", s);
		tpl_set_str(o, "viewed_at_iso", rows[i].viewed_at);
	}
}

/* One "to do" line: its label, its figure and the list that shows them. */
static void
todo(struct tpl_vars *v, const char *label, long long n, const char *href)
{
	struct tpl_vars *o = tpl_list_add(v, "todo");

	tpl_set_str(o, "label", label);
	tpl_set_int(o, "n", n);
	tpl_set_str(o, "href", href);
	tpl_set_bool(o, "zero", n == 0);
}

/* A period's card: every order placed, and the sales with their total. */
static void
period(struct request *r, struct tpl_vars *v, const char *key, const char *filter, long long n, long long sales,
    long long cents)
{
	struct tpl_vars *p = tpl_set_map(v, key);
	char s[64];

	tpl_set_int(p, "n", n);
	tpl_set_str(p, "orders_href", arena_printf(r->arena, "/orders?%s&completed=1&cancelled=1", filter));
	tpl_set_int(p, "sales", sales);
	tpl_set_str(p, "sales_href", arena_printf(r->arena, "/orders?%s&sale=1", filter));
	money_format(s, sizeof(s), cents, r->shop->currency, r->locale);
	tpl_set_str(p, "turnover", s);
}

/* The figures, on `desk`; *wf the shop's statuses they were read with, or NULL. */
static void
figures(struct request *r, struct db *desk, struct tpl_vars *v, const struct wf_workflow **wf)
{
	struct dashboard d;
	char today[16], s[64];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;

	now += datetime_offset(r->shop->timezone, (long long)now, NULL);
	gmtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	if (dashboard_load(desk, r->arena, r->shop->id, today, r->shop->timezone, &d) != 0) {
		log_warn("dashboard: the figures cannot be read");
		tpl_set_bool(v, "no_figures", true);
		return;
	}
	tpl_set_bool(v, "figures", true);
	*wf = d.wf;
	for (i = 0; i < d.nstatuses; i++)
		todo(v, order_status_label(d.wf, d.statuses[i].code), d.statuses[i].n,
		    arena_printf(r->arena, "/orders?status=%s", d.statuses[i].code));
	todo(v, _("Not paid yet"), d.unpaid, "/orders?paid=unpaid");
	todo(v, _("Paid, not shipped"), d.paid_unshipped, "/orders?paid=paid&shipped=unshipped");
	todo(v, _("On hold"), d.on_hold, "/orders?hold=1");
	period(r, v, "today", arena_printf(r->arena, "from=%s&to=%s", today, today), d.today_n, d.today_sales,
	    d.today_cents);
	period(r, v, "month", arena_printf(r->arena, "month=%.7s", today), d.month_n, d.month_sales, d.month_cents);

	tpl_set_bool(v, "has_last", d.nlast > 0);
	for (i = 0; i < d.nlast; i++) {
		struct tpl_vars *o = tpl_list_add(v, "last");

		tpl_set_str(o, "code", d.last[i].code);
		if (d.last[i].number)
			tpl_set_int(o, "number", d.last[i].number);
		tpl_set_str(o, "customer", d.last[i].customer);
		tpl_set_str(o, "status_label", order_status_label(d.wf, d.last[i].status));
		money_format(s, sizeof(s), d.last[i].total_cents, d.last[i].currency, r->locale);
		tpl_set_str(o, "total", s);
		datetime_format(s, sizeof(s), d.last[i].placed_at, r->shop->timezone, r->locale);
		tpl_set_str(o, "placed_at", s);
		tpl_set_str(o, "placed_at_iso", d.last[i].placed_at);
	}

	tpl_set_bool(v, "has_low", d.nlow > 0);
	tpl_set_str(v, "low_count", d.low_count > 100 ? _("more than 100") : arena_printf(r->arena, "%lld", d.low_count));
	for (i = 0; i < d.nlow; i++) {
		struct tpl_vars *o = tpl_list_add(v, "low");

		tpl_set_str(o, "sku", d.low[i].sku);
		tpl_set_str(o, "name", d.low[i].name);
		tpl_set_int(o, "available", d.low[i].available);
		tpl_set_int(o, "threshold", d.low[i].threshold);
	}
}

void
dashboard_get(struct request *r)
{
	struct tpl_vars *v = page_vars(r), *shop = tpl_set_map(v, "shop");
	const struct shop *s = r->shop;
	const struct wf_workflow *wf = NULL;
	/* From memory while the shop is unchanged: one version read. */
	struct db *desk = db_desk(r->db, r->shop->id);
	size_t i;

	tpl_set_str(shop, "currency", s->currency);
	tpl_set_str(shop, "company", s->legal.company);
	if (s->legal.siret)
		tpl_set_str(shop, "siret", s->legal.siret);
	if (s->legal.vat_number)
		tpl_set_str(shop, "vat_number", s->legal.vat_number);
	for (i = 0; i < s->nhosts; i++)
		tpl_set_str(tpl_list_add(shop, "hosts"), "name", s->hosts[i]);
	tpl_set_str(v, "role_label", staff_role_label(r->session->user.role));
	figures(r, desk, v, &wf);
	recent_orders(r, desk, v, wf);

	page_render(r, "dashboard", v, _("Dashboard"));
}
