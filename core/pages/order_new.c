/*
 * /orders/new: an order taken by telephone (W9), and the new or repeated
 * order of a customer (W8: /orders/new?from=CODE, with &repeat=1 for its
 * products). A form that works without JavaScript: each button sends it
 * whole (POST, CSRF-checked like every POST) and the page comes back with
 * what it did (customers or products found, a line added or removed, the
 * totals again); "Créer la commande" takes the order and redirects to it.
 *
 * The state lives in the form's own fields, not in a draft on the server:
 * nothing to store, expire or clean up, any serve process answers any
 * step, two tabs are two orders, and the back button shows what was sent.
 * POST rather than GET keeps the customer's personal data out of URLs and
 * logs. The form's idempotency key, drawn when it is opened, makes a
 * double submit answer the order already taken (intake's own dedup).
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "auth/session.h"
#include "conf/conf.h"
#include "orders/code.h"
#include "orders/order_desk.h"
#include "orders/order_edit.h"
#include "orders/order_new.h"
#include "orders/order_view.h"
#include "pages/page.h"
#include "plugins/host.h"
#include "plugins/shop_plugins.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/problems.h"
#include "util/utf8.h"

#define KEY_PREFIX "phone-"
#define KEY_LEN (sizeof(KEY_PREFIX) - 1 + 32)

struct new_form {
	const char *key;
	long long customer_id;
	struct new_customer chosen;        /* when customer_id */
	struct order_edit fields;          /* the customer typed, the two addresses */
	struct new_line lines[INTAKE_MAX_LINES];
	size_t nlines;
	const char *carrier, *payment_method, *shipping_cost, *remarks;
	const char *cq, *pq;               /* searches typed */
	bool repeated;                     /* lines copied from another order */
	bool bad_quantity;
};

/* What the page says, each a sentence in the reader's language. */
struct notes {
	const char *items[8];
	size_t n;
};

static void
note(struct notes *ns, const char *text)
{
	if (ns->n < sizeof(ns->items) / sizeof(ns->items[0]))
		ns->items[ns->n++] = text;
}

static bool
key_valid(const char *k)
{
	size_t i;

	if (!k || strlen(k) != KEY_LEN || strncmp(k, KEY_PREFIX, sizeof(KEY_PREFIX) - 1) != 0)
		return false;
	for (i = sizeof(KEY_PREFIX) - 1; k[i]; i++)
		if (!((k[i] >= '0' && k[i] <= '9') || (k[i] >= 'a' && k[i] <= 'f')))
			return false;
	return true;
}

static const char *
key_new(struct arena *a)
{
	unsigned char raw[16];
	char hex[33];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
	return arena_printf(a, KEY_PREFIX "%s", hex);
}

static const char *
text_or_empty(const char *s)
{
	return s ? s : "";
}

static bool
parse_ll(const char *s, long long *out)
{
	char *end;

	if (!s || !*s)
		return false;
	*out = strtoll(s, &end, 10);
	return *end == '\0';
}

/* A search as typed: bounded UTF-8, else nothing. */
static const char *
query_of(const char *q)
{
	if (!q || strlen(q) > ORDER_NEW_QUERY_MAX || !utf8_valid(q, strlen(q)))
		return "";
	return q;
}

static void
fields_empty(struct order_edit *e)
{
	static const struct order_address none = { "", "", "", "", "", "", "", "", "" };

	memset(e, 0, sizeof(*e));
	e->customer = (struct order_customer){ .title = "", .first_name = "", .last_name = "", .email = "",
		.phone = "" };
	e->billing = e->shipping = none;
	e->billing.country = "FR";   /* French first; typed over for another country */
}

/* The customer chosen: their record, and their last order's addresses into
 * the fields when `addresses`. NEW_NOT_FOUND for another shop's id. */
static int
choose(struct request *r, struct new_form *f, long long id, bool addresses)
{
	struct order_address b, s;
	int rc = order_new_customer_get(r->db, r->arena, r->shop->id, id, &f->chosen, &b, &s);

	if (rc != NEW_OK)
		return rc;
	f->customer_id = id;
	if (!addresses)
		return NEW_OK;
	if (*b.line1)
		f->fields.billing = b;
	/* A shipping address like the billing one stays empty: "the same". */
	if (*s.line1 && (strcmp(s.name, b.name) != 0 || strcmp(s.line1, b.line1) != 0 ||
	    strcmp(s.postcode, b.postcode) != 0 || strcmp(s.city, b.city) != 0 || strcmp(s.country, b.country) != 0))
		f->fields.shipping = s;
	return NEW_OK;
}

static void
form_read(struct request *r, struct new_form *f)
{
	size_t i;

	f->key = key_valid(req_form(r, "key")) ? req_form(r, "key") : key_new(r->arena);
	if (!parse_ll(req_form(r, "customer_id"), &f->customer_id) || f->customer_id < 0)
		f->customer_id = 0;
	order_fields_read(r, &f->fields);
	for (i = 0; i < INTAKE_MAX_LINES; i++) {
		const char *sku = req_form(r, arena_printf(r->arena, "sku_%zu", i));
		long long q;

		if (!sku)
			break;
		if (!parse_ll(req_form(r, arena_printf(r->arena, "qty_%zu", i)), &q) || q < 1 || q > MONEY_MAX_QUANTITY) {
			f->bad_quantity = true;
			q = 0;
		}
		f->lines[f->nlines++] = (struct new_line){ sku, q };
	}
	f->carrier = text_or_empty(req_form(r, "carrier"));
	f->payment_method = text_or_empty(req_form(r, "payment_method"));
	f->shipping_cost = text_or_empty(req_form(r, "shipping_cost"));
	f->remarks = text_or_empty(req_form(r, "remarks"));
	f->cq = query_of(req_form(r, "cq"));
	f->pq = query_of(req_form(r, "pq"));
	f->repeated = req_form(r, "repeated") && strcmp(req_form(r, "repeated"), "1") == 0;
}

/* ---- what may be chosen --------------------------------------------------- */

struct choice {
	const char *code, *label;
};

/* The shop's enabled payment modules; without any, the methods staff may
 * record by hand. */
static size_t
payment_choices(struct request *r, struct choice *out, size_t max)
{
	static const char *const hand[] = { "banktransfer", "cheque", "card", "cash" };
	size_t i, n = 0;

	for (i = 0; i < plugins_count() && n < max; i++) {
		const struct plugin *p = plugins_at(i);
		struct shop_plugin_row row;

		if (!p->desc || p->desc->kind != CPT_KIND_PAYMENT)
			continue;
		if (shop_plugin_load(r->db, r->arena, r->cfg, r->shop->id, p->name, &row) != 0)
			continue;   /* logged; the others are still offered */
		if (row.enabled)
			out[n++] = (struct choice){ p->name, strcmp(r->locale, "en") == 0 ? p->desc->label_en :
			    p->desc->label_fr };
		shop_plugin_row_free(&row);
	}
	for (i = 0; n == 0 && i < sizeof(hand) / sizeof(hand[0]); i++)
		out[i] = (struct choice){ hand[i], order_payment_method_label(hand[i]) };
	return n ? n : sizeof(hand) / sizeof(hand[0]);
}

static bool
choice_known(const struct choice *c, size_t n, const char *code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(c[i].code, code) == 0)
			return true;
	return false;
}

static bool
carrier_known(const char *code)
{
	size_t i;
	const char *c;

	for (i = 0; (c = order_carrier_at(i)); i++)
		if (strcmp(c, code) == 0)
			return true;
	return false;
}

/* ---- the page -------------------------------------------------------------- */

static void
set_money(struct request *r, struct tpl_vars *v, const char *key, long long cents)
{
	char s[64];

	money_format(s, sizeof(s), cents, r->shop->currency, r->locale);
	tpl_set_str(v, key, s);
}

static void
fill_customers(struct request *r, struct tpl_vars *v, const struct new_form *f, struct notes *ns)
{
	struct new_customer *found;
	size_t i, n;

	if (f->customer_id) {
		struct tpl_vars *c = tpl_set_map(v, "chosen");

		tpl_set_int(c, "id", f->customer_id);
		tpl_set_str(c, "code", f->chosen.code);
		tpl_set_str(c, "name", arena_printf(r->arena, "%s%s%s %s", f->chosen.title, *f->chosen.title ? " " : "",
		    f->chosen.first_name, f->chosen.last_name));
		tpl_set_str(c, "email", f->chosen.email);
		tpl_set_str(c, "phone", f->chosen.phone);
		return;
	}
	tpl_set_str(v, "cq", f->cq);
	if (!*f->cq)
		return;
	if (order_new_customers_find(r->db, r->arena, r->shop->id, f->cq, &found, &n) != NEW_OK) {
		note(ns, _("The customers could not be searched; try again."));
		return;
	}
	tpl_set_bool(v, "customers_searched", true);
	for (i = 0; i < n; i++) {
		struct tpl_vars *c = tpl_list_add(v, "customers");

		tpl_set_int(c, "id", found[i].id);
		tpl_set_str(c, "code", found[i].code);
		tpl_set_str(c, "name", arena_printf(r->arena, "%s %s", found[i].first_name, found[i].last_name));
		tpl_set_str(c, "email", found[i].email);
		tpl_set_str(c, "phone", found[i].phone);
	}
}

static void
fill_products(struct request *r, struct tpl_vars *v, const struct new_form *f, struct notes *ns)
{
	struct new_product *found;
	size_t i, n;
	char s[32];

	tpl_set_str(v, "pq", f->pq);
	if (!*f->pq)
		return;
	if (order_new_products_find(r->db, r->arena, r->shop->id, f->pq, &found, &n) != NEW_OK) {
		note(ns, _("The products could not be searched; try again."));
		return;
	}
	tpl_set_bool(v, "products_searched", true);
	for (i = 0; i < n; i++) {
		struct tpl_vars *p = tpl_list_add(v, "products");

		tpl_set_str(p, "sku", found[i].sku);
		tpl_set_str(p, "name", found[i].name);
		set_money(r, p, "price", found[i].price_cents);
		vat_rate_format(s, sizeof(s), found[i].vat_rate, r->locale);
		tpl_set_str(p, "vat_rate", s);
		tpl_set_bool(p, "tracked", found[i].track_stock);
		tpl_set_int(p, "available", found[i].available);
		tpl_set_bool(p, "sold", found[i].active);
	}
}

/* The lines at the catalogue's prices and the totals, by order_totals(). */
static int
fill_lines(struct request *r, struct tpl_vars *v, const struct new_form *f, struct new_product *p)
{
	const char *skus[INTAKE_MAX_LINES];
	long long totals[INTAKE_MAX_LINES], shipping = 0;
	struct order_totals t;
	bool priced;
	size_t i;
	char s[32];

	for (i = 0; i < f->nlines; i++)
		skus[i] = f->lines[i].sku;
	if (order_new_products_get(r->db, r->arena, r->shop->id, skus, f->nlines, p) != NEW_OK)
		return -1;
	if (*f->shipping_cost && money_parse(f->shipping_cost, strlen(f->shipping_cost), &shipping) != MONEY_OK)
		shipping = 0;   /* refused when taken; the totals leave it out meanwhile */
	if (shipping < 0)
		shipping = 0;
	priced = order_new_totals(r->shop->settings.prices_include_vat, p, f->lines, f->nlines, shipping, &t,
	    totals) == MONEY_OK;
	for (i = 0; i < f->nlines; i++) {
		struct tpl_vars *l = tpl_list_add(v, "lines");

		tpl_set_int(l, "i", (long long)i);
		tpl_set_str(l, "sku", p[i].sku);
		tpl_set_int(l, "quantity", f->lines[i].quantity);
		tpl_set_bool(l, "unknown", !p[i].found);
		tpl_set_bool(l, "not_sold", p[i].found && !p[i].active);
		if (!p[i].found)
			continue;
		tpl_set_str(l, "name", p[i].name);
		set_money(r, l, "unit_price", p[i].price_cents);
		vat_rate_format(s, sizeof(s), p[i].vat_rate, r->locale);
		tpl_set_str(l, "vat_rate", s);
		if (priced && p[i].active)
			set_money(r, l, "total", totals[i]);
		tpl_set_bool(l, "tracked", p[i].track_stock);
		tpl_set_int(l, "available", p[i].available);
		tpl_set_bool(l, "short", p[i].track_stock && f->lines[i].quantity > p[i].available);
	}
	tpl_set_bool(v, "has_lines", f->nlines > 0);
	if (priced)
		order_totals_fill(&t, r->shop->settings.prices_include_vat, r->shop->currency, r->locale,
		    tpl_set_map(v, "totals"));
	return 0;
}

static void
render(struct request *r, struct new_form *f, int status, struct notes *ns, const struct addr_report *rep)
{
	struct tpl_vars *v = page_vars(r);
	struct new_product *p = arena_alloc(r->arena, (f->nlines + 1) * sizeof(*p));
	struct choice methods[16];
	size_t i, nm = payment_choices(r, methods, 16);
	const char *c;
	static const struct addr_report none;

	tpl_set_str(v, "key", f->key);
	tpl_set_bool(v, "repeated", f->repeated);
	fill_customers(r, v, f, ns);
	order_fields_fill(r, v, &f->fields, rep ? rep : &none, ORDER_FIELDS_SHIPPING_OPTIONAL |
	    (f->customer_id ? ORDER_FIELDS_NO_CUSTOMER : 0));
	fill_products(r, v, f, ns);
	if (fill_lines(r, v, f, p) < 0) {
		page_error(r, 503);
		return;
	}
	for (i = 0; (c = order_carrier_at(i)); i++) {
		struct tpl_vars *o = tpl_list_add(v, "carriers");

		tpl_set_str(o, "code", c);
		tpl_set_str(o, "label", order_carrier_label(c));
		tpl_set_bool(o, "selected", strcmp(c, f->carrier) == 0);
	}
	for (i = 0; i < nm; i++) {
		struct tpl_vars *o = tpl_list_add(v, "methods");

		tpl_set_str(o, "code", methods[i].code);
		tpl_set_str(o, "label", methods[i].label);
		tpl_set_bool(o, "selected", strcmp(methods[i].code, f->payment_method) == 0);
	}
	tpl_set_str(v, "shipping_cost", f->shipping_cost);
	tpl_set_str(v, "remarks", f->remarks);
	tpl_set_bool(v, "include_vat", r->shop->settings.prices_include_vat);
	tpl_set_bool(v, "has_messages", ns->n > 0);
	for (i = 0; i < ns->n; i++)
		tpl_set_str(tpl_list_add(v, "messages"), "text", ns->items[i]);
	page_render(r, "order_new", v, _("New order"));
	if (r->status == 200)
		r->status = status;
}

void
order_new_get(struct request *r)
{
	const char *from = req_param(r, "from"), *cust = req_param(r, "customer"), *repeat = req_param(r, "repeat");
	struct new_form f = { 0 };
	struct notes ns = { 0 };
	long long id = 0;
	int rc;

	fields_empty(&f.fields);
	f.key = key_new(r->arena);
	f.carrier = f.payment_method = f.shipping_cost = f.remarks = f.cq = f.pq = "";
	if (from && *from) {
		char code[ORDER_CODE_LEN + 1];
		struct new_line *l;
		size_t n, i;

		if (!order_code_normalise(from, code)) {
			page_error(r, 404);
			return;
		}
		if ((rc = order_new_from_order(r->db, r->arena, r->shop->id, code, &id, &l, &n)) != NEW_OK) {
			page_error(r, rc > 0 ? 404 : 503);
			return;
		}
		if (repeat && strcmp(repeat, "1") == 0) {
			for (i = 0; i < n && i < INTAKE_MAX_LINES; i++)
				f.lines[i] = l[i];
			f.nlines = i;
			f.repeated = true;
		}
	} else if (cust && *cust && (!parse_ll(cust, &id) || id <= 0)) {
		page_error(r, 404);
		return;
	}
	if (id && (rc = choose(r, &f, id, true)) != NEW_OK) {
		page_error(r, rc > 0 ? 404 : 503);
		return;
	}
	render(r, &f, 200, &ns, NULL);
}

/* A problem of intake, in words: the field, and why. */
static const char *
problem_text(struct request *r, const struct problem *p)
{
	static const struct { const char *part, *prefix; } parts[] = {
		{ "customer", "/customer/" }, { "billing", "/billing_address/" }, { "shipping", "/shipping_address/" },
	};
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		size_t n = strlen(parts[i].prefix);
		const char *field = p->pointer + n, *why;

		if (strncmp(p->pointer, parts[i].prefix, n) != 0)
			continue;
		why = strcmp(field, "postcode") == 0 ? _("this is not a postcode of the country") :
		    strcmp(field, "phone") == 0 ? _("this telephone number cannot be read; write it as +33 6 12 34 56 78") :
		    strcmp(field, "email") == 0 ? _("an order needs the customer's e-mail address") : _("refused");
		return arena_printf(r->arena, _("%s, %s: %s."), order_edit_part_label(parts[i].part),
		    order_edit_field_label(field), why);
	}
	return arena_printf(r->arena, _("Refused by the order intake: %s (%s)."), p->detail, p->pointer);
}

/* "Créer la commande": the checks of the page, then intake. */
static void
take(struct request *r, struct new_form *f)
{
	struct new_product *p = arena_alloc(r->arena, (f->nlines + 1) * sizeof(*p));
	const char *skus[INTAKE_MAX_LINES];
	struct choice methods[16];
	size_t i, nm = payment_choices(r, methods, 16);
	struct addr_report rep = { 0 };
	struct order_customer c;
	struct order_actor who;
	struct intake_result out;
	struct problems pb;
	struct notes ns = { 0 };
	struct order_new o = { 0 };
	const struct order_address *s = &f->fields.shipping;
	unsigned char hash[32];
	long long shipping = 0;
	const char *remarks;
	int rc;

	if (f->nlines == 0)
		note(&ns, _("Add at least one product to the order."));
	if (f->bad_quantity)
		note(&ns, _("Each quantity must be a whole number from 1 to 1,000,000."));
	for (i = 0; i < f->nlines; i++)
		skus[i] = f->lines[i].sku;
	if (order_new_products_get(r->db, r->arena, r->shop->id, skus, f->nlines, p) != NEW_OK) {
		page_error(r, 503);
		return;
	}
	for (i = 0; i < f->nlines; i++) {
		if (!p[i].found)
			note(&ns, arena_printf(r->arena, _("No product %s in this shop's catalogue: remove the line."),
			    p[i].sku));
		else if (!p[i].active)
			note(&ns, arena_printf(r->arena, _("%s is no longer sold: remove the line."), p[i].sku));
	}
	if (f->customer_id)
		c = (struct order_customer){ .title = f->chosen.title, .first_name = f->chosen.first_name,
			.last_name = f->chosen.last_name, .email = f->chosen.email, .phone = f->chosen.phone };
	else
		c = f->fields.customer;
	o.has_shipping = *s->name || *s->line1 || *s->postcode || *s->city;
	order_edit_clean(r->arena, &c, &f->fields.billing, o.has_shipping ? &f->fields.shipping : NULL, &rep);
	if (rep.refused)
		note(&ns, _("Nothing was created: correct the fields marked below."));
	if (*f->shipping_cost && (money_parse(f->shipping_cost, strlen(f->shipping_cost), &shipping) != MONEY_OK ||
	    shipping < 0))
		note(&ns, _("The shipping cost is not an amount: write it as 6,90."));
	if (*f->carrier && !carrier_known(f->carrier))
		note(&ns, _("Choose the carrier from the list."));
	if (!choice_known(methods, nm, f->payment_method))
		note(&ns, _("Choose how the customer pays."));
	if (desk_clean_text(r->arena, f->remarks, 2000, true, &remarks) != DESK_OK)
		note(&ns, _("The customer's remarks are too long (at most 2,000 characters) or hold characters that cannot be saved."));
	if (ns.n) {
		render(r, f, 422, &ns, &rep);
		return;
	}
	/* The same form sent twice sends the same bytes: the same order. */
	crypto_generichash(hash, sizeof(hash), (const unsigned char *)r->body, r->body_len, NULL, 0);
	o.customer_id = f->customer_id;
	o.customer = c;
	o.billing = f->fields.billing;
	o.shipping = f->fields.shipping;
	o.lines = f->lines;
	o.nlines = f->nlines;
	o.carrier = f->carrier;
	o.payment_method = f->payment_method;
	o.remarks = remarks;
	o.shipping_cents = shipping;
	o.idempotency_key = f->key;
	o.request_hash = hash;
	who = order_page_actor(r);
	problems_init(&pb, r->arena);
	rc = order_new_take(r->db, r->arena, r->shop, &o, &who, &pb, &out);
	switch (rc) {
	case INTAKE_CREATED:
	case INTAKE_REPLAYED:
		if (!out.order.code[0]) {
			note(&ns, _("This form has already made an order, since deleted: start a new order."));
			render(r, f, 409, &ns, &rep);
			return;
		}
		res_redirect(r, arena_printf(r->arena, "/orders/%s", out.order.code));
		return;
	case INTAKE_OUT_OF_STOCK:
		for (i = 0; i < pb.n; i++)
			note(&ns, arena_printf(r->arena, _("Not enough stock of %s: %lld asked, %lld available."),
			    pb.items[i].sku, pb.items[i].requested, pb.items[i].available));
		render(r, f, 409, &ns, &rep);
		return;
	case INTAKE_KEY_REUSED:
		note(&ns, _("This form has already made an order: open it from the order list, or start a new order."));
		render(r, f, 409, &ns, &rep);
		return;
	case ORDER_NEW_NO_CUSTOMER:
		f->customer_id = 0;
		note(&ns, _("This customer is not one of the shop's: find them again."));
		render(r, f, 422, &ns, &rep);
		return;
	case INTAKE_INVALID:
		for (i = 0; i < pb.n && i < PROBLEMS_MAX; i++)
			note(&ns, problem_text(r, &pb.items[i]));
		render(r, f, 422, &ns, &rep);
		return;
	default:
		page_error(r, 503);
		return;
	}
}

void
order_new_post(struct request *r)
{
	const char *pick = req_form(r, "pick"), *add = req_form(r, "add"), *remove = req_form(r, "remove");
	const char *act = req_form(r, "do");
	struct new_form f = { 0 };
	struct notes ns = { 0 };
	int status = 200, rc;
	long long n;
	size_t i;

	form_read(r, &f);
	if (req_form(r, "unpick"))
		f.customer_id = 0;
	if (pick) {
		if (!parse_ll(pick, &n) || n <= 0)
			n = 0;
		f.customer_id = n;
		f.cq = "";
	}
	if (f.customer_id && (rc = choose(r, &f, f.customer_id, pick != NULL)) != NEW_OK) {
		if (rc < 0) {
			page_error(r, 503);
			return;
		}
		f.customer_id = 0;
		note(&ns, _("This customer is not one of the shop's: find them again."));
		status = 422;
	}
	if (remove && parse_ll(remove, &n) && n >= 0 && (size_t)n < f.nlines) {
		memmove(&f.lines[n], &f.lines[n + 1], (f.nlines - (size_t)n - 1) * sizeof(f.lines[0]));
		f.nlines--;
	}
	if (add && *add) {
		for (i = 0; i < f.nlines && strcasecmp(f.lines[i].sku, add) != 0; i++)
			;
		if (i < f.nlines && f.lines[i].quantity < MONEY_MAX_QUANTITY)
			f.lines[i].quantity++;
		else if (i == f.nlines && f.nlines < INTAKE_MAX_LINES)
			f.lines[f.nlines++] = (struct new_line){ add, 1 };
		else if (i == f.nlines)
			note(&ns, _("An order holds at most 200 lines."));
		f.pq = "";
	}
	if (act && strcmp(act, "create") == 0 && status == 200 && !pick && !add && !remove) {
		take(r, &f);
		return;
	}
	render(r, &f, status, &ns, NULL);
}
