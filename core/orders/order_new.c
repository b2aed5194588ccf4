#include "orders/order_new.h"

#include <string.h>
#include <strings.h>

#include "conf/conf.h"
#include "db/db.h"
#include "db/sqltext.h"
#include "orders/address_check.h"
#include "orders/events.h"
#include "stock/stock_view.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/log.h"
#include "util/problems.h"

enum cust_col { CC_ID, CC_CODE, CC_TITLE, CC_FIRST, CC_LAST, CC_EMAIL, CC_PHONE, CC_LOCALE, CC_NCOLS };
#define CUSTOMER_COLUMNS "id, code, title, first_name, last_name, email, phone, locale"

/* Each part reads one index of customers (name, e-mail, telephone), so a
 * shop of many customers is never scanned; "first last" reads the name's. */
static const char sql_customers_find[] =
	"SELECT * FROM ("
	"(SELECT " CUSTOMER_COLUMNS " FROM customers WHERE shop_id = ? AND last_name LIKE CONCAT(?, '%')"
	" ORDER BY last_name, first_name, id LIMIT 20)"
	" UNION (SELECT " CUSTOMER_COLUMNS " FROM customers WHERE shop_id = ? AND ? <> ''"
	" AND last_name LIKE CONCAT(?, '%') AND first_name LIKE CONCAT(?, '%') ORDER BY last_name, first_name, id LIMIT 20)"
	" UNION (SELECT " CUSTOMER_COLUMNS " FROM customers WHERE shop_id = ? AND email LIKE CONCAT(?, '%')"
	" ORDER BY email LIMIT 20)"
	" UNION (SELECT " CUSTOMER_COLUMNS " FROM customers WHERE shop_id = ? AND ? <> ''"
	" AND phone LIKE CONCAT(?, '%') ORDER BY phone LIMIT 20)"
	") c ORDER BY last_name, first_name, id LIMIT 20";

static void
customer_of_row(struct arena *a, const struct db_result *r, size_t i, struct new_customer *c)
{
	c->id = db_ll(r, i, CC_ID);
	c->code = db_str(r, i, CC_CODE) ? db_str(r, i, CC_CODE) : customer_code(a, c->id);
	c->title = db_str(r, i, CC_TITLE);
	c->first_name = db_str(r, i, CC_FIRST);
	c->last_name = db_str(r, i, CC_LAST);
	c->email = db_str(r, i, CC_EMAIL) ? db_str(r, i, CC_EMAIL) : "";
	c->phone = db_str(r, i, CC_PHONE);
	c->locale = db_str(r, i, CC_LOCALE);
}

int
order_new_customers_find(struct db *db, struct arena *a, long long shop_id, const char *q,
    struct new_customer **out, size_t *n)
{
	char e164[ADDR_PHONE_MAX + 1] = "";
	const char *all, *first = "", *last = "", *sp;
	struct db_result r;
	size_t i;

	*out = NULL;
	*n = 0;
	if (!q || !*q)
		return NEW_OK;
	all = sql_like_literal(a, q);
	/* "Hélène Dupré": the first word a first name, the rest the last name. */
	if ((sp = strchr(q, ' ')) && sp[1]) {
		first = sql_like_literal(a, arena_strndup(a, q, (size_t)(sp - q)));
		last = sql_like_literal(a, sp + 1);
	}
	/* A number as typed ("06 12 34 56 78") as it is stored (E.164); the
	 * start of one in international form ("+33 6 12") as a prefix. */
	if (phone_normalise("FR", q, e164) != 0 && phone_normalise(NULL, q, e164) != 0)
		e164[0] = '\0';
	if (!e164[0] && q[0] == '+') {
		size_t k = 0;

		for (i = 0; q[i] && k < ADDR_PHONE_MAX; i++)
			if (q[i] == '+' ? k == 0 : q[i] >= '0' && q[i] <= '9')
				e164[k++] = q[i];
			else if (q[i] != ' ' && q[i] != '.' && q[i] != '-')
				break;
		e164[q[i] || k < 4 ? 0 : k] = '\0';
	}
	if (db_exec(db_reads(db), a, &r, sql_customers_find, DB_PARAMS(DB_I64(shop_id), DB_STR(all),
	    DB_I64(shop_id), DB_STR(last), DB_STR(last), DB_STR(first), DB_I64(shop_id), DB_STR(all), DB_I64(shop_id),
	    DB_STR(e164), DB_STR(e164))) != DB_OK)
		return NEW_ERROR;
	if (r.nrows && r.ncols != CC_NCOLS) {
		log_error("order_new: the customers query returns %zu columns, its enum names %d", r.ncols, CC_NCOLS);
		return NEW_ERROR;
	}
	*out = arena_alloc(a, (r.nrows + 1) * sizeof(**out));
	for (i = 0; i < r.nrows; i++)
		customer_of_row(a, &r, i, &(*out)[i]);
	*n = r.nrows;
	return NEW_OK;
}

static const char sql_customer[] =
	"SELECT " CUSTOMER_COLUMNS " FROM customers WHERE shop_id = ? AND id = ?";

static const char sql_last_addresses[] =
	"SELECT " ORDER_ADDRESS_COLUMNS
	" FROM order_addresses a JOIN (SELECT id FROM orders WHERE shop_id = ? AND customer_id = ?"
	" ORDER BY placed_at DESC, id DESC LIMIT 1) o ON o.id = a.order_id WHERE a.shop_id = ?";

static const struct order_address empty_address = { "", "", "", "", "", "", "", "", "" };

int
order_new_customer_get(struct db *db, struct arena *a, long long shop_id, long long id,
    struct new_customer *c, struct order_address *billing, struct order_address *shipping)
{
	struct db_result r;

	*billing = *shipping = empty_address;
	if (db_exec(db, a, &r, sql_customer, DB_PARAMS(DB_I64(shop_id), DB_I64(id))) != DB_OK)
		return NEW_ERROR;
	if (r.nrows == 0)
		return NEW_NOT_FOUND;
	customer_of_row(a, &r, 0, c);
	if (db_exec(db, a, &r, sql_last_addresses, DB_PARAMS(DB_I64(shop_id), DB_I64(id), DB_I64(shop_id))) != DB_OK)
		return NEW_ERROR;
	if (order_addresses_read(&r, billing, shipping) != 0)
		return NEW_ERROR;
	return NEW_OK;
}

enum prod_col { PR_SKU, PR_NAME, PR_PRICE, PR_VAT, PR_ACTIVE, PR_TRACK, PR_AVAILABLE, PR_NCOLS };

int
order_new_products_get(struct db *db, struct arena *a, long long shop_id, const char *const *skus,
    size_t n, struct new_product *out)
{
	struct db_result r;
	struct buf b;
	size_t i, k;
	int rc;

	for (i = 0; i < n; i++)
		out[i] = (struct new_product){ .sku = skus[i] };
	if (n == 0)
		return NEW_OK;
	buf_init(&b, 1 << 20);
	buf_puts(&b, "SELECT sku, name, price_cents, vat_rate, active, track_stock,"
	    " GREATEST(CAST(stock_on_hand AS SIGNED) - CAST(stock_reserved AS SIGNED), 0)"
	    " FROM products WHERE shop_id = ");
	sql_int(&b, shop_id);
	buf_puts(&b, " AND sku IN (");
	for (i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, ',');
		sql_str(db, &b, skus[i]);
	}
	buf_putc(&b, ')');
	rc = buf_failed(&b) ? DB_ERROR : db_batch(db, a, &b, 0, &r, 1, NULL);
	buf_free(&b);
	if (rc != DB_OK)
		return NEW_ERROR;
	if (r.nrows && r.ncols != PR_NCOLS) {
		log_error("order_new: the products query returns %zu columns, its enum names %d", r.ncols, PR_NCOLS);
		return NEW_ERROR;
	}
	/* SKUs compare without case, as the column's collation does. */
	for (i = 0; i < n; i++) {
		for (k = 0; k < r.nrows && strcasecmp(db_str(&r, k, PR_SKU), skus[i]) != 0; k++)
			;
		if (k == r.nrows)
			continue;
		out[i].found = true;
		out[i].sku = db_str(&r, k, PR_SKU);
		out[i].name = db_str(&r, k, PR_NAME);
		out[i].price_cents = db_ll(&r, k, PR_PRICE);
		out[i].vat_rate = (unsigned)db_ll(&r, k, PR_VAT);
		out[i].active = db_ll(&r, k, PR_ACTIVE) != 0;
		out[i].track_stock = db_ll(&r, k, PR_TRACK) != 0;
		out[i].available = db_ll(&r, k, PR_AVAILABLE);
	}
	return NEW_OK;
}

int
order_new_products_find(struct db *db, struct arena *a, long long shop_id, const char *q,
    struct new_product **out, size_t *n)
{
	struct stock_list l;
	const char **skus;
	size_t i;

	*out = NULL;
	*n = 0;
	if (!q || !*q)
		return NEW_OK;
	if (stock_list_load(db, a, shop_id, q, NULL, NULL, &l) != 0)
		return NEW_ERROR;
	if (l.n > ORDER_NEW_FOUND_MAX)
		l.n = ORDER_NEW_FOUND_MAX;
	skus = arena_alloc(a, (l.n + 1) * sizeof(*skus));
	for (i = 0; i < l.n; i++)
		skus[i] = l.rows[i].sku;
	*out = arena_alloc(a, (l.n + 1) * sizeof(**out));
	if (order_new_products_get(db, a, shop_id, skus, l.n, *out) != NEW_OK)
		return NEW_ERROR;
	*n = l.n;
	return NEW_OK;
}

int
order_new_totals(bool prices_include_vat, const struct new_product *p, const struct new_line *l,
    size_t n, long long shipping_cents, struct order_totals *t, long long *line_totals)
{
	struct money_line ml[INTAKE_MAX_LINES];
	size_t i, k = 0, bad;
	int rc;

	for (i = 0; i < n && k < INTAKE_MAX_LINES; i++) {
		line_totals[i] = 0;
		if (!p[i].found || !p[i].active)
			continue;
		ml[k++] = (struct money_line){ .unit_cents = p[i].price_cents, .quantity = l[i].quantity,
			.vat_rate = p[i].vat_rate };
	}
	if ((rc = order_totals(prices_include_vat, ml, k, shipping_cents, t, &bad)) != MONEY_OK)
		return rc;
	for (i = 0, k = 0; i < n && k < INTAKE_MAX_LINES; i++)
		if (p[i].found && p[i].active)
			line_totals[i] = ml[k++].total_cents;
	return MONEY_OK;
}

static const char sql_order_customer[] =
	"SELECT id, customer_id FROM orders WHERE shop_id = ? AND code = ?";
static const char sql_order_lines[] =
	"SELECT sku, quantity FROM order_lines WHERE shop_id = ? AND order_id = ? ORDER BY line_no LIMIT 200";

int
order_new_from_order(struct db *db, struct arena *a, long long shop_id, const char *code,
    long long *customer_id, struct new_line **lines, size_t *n)
{
	struct db_result r;
	size_t i;

	*lines = NULL;
	*n = 0;
	if (db_exec(db, a, &r, sql_order_customer, DB_PARAMS(DB_I64(shop_id), DB_STR(code))) != DB_OK)
		return NEW_ERROR;
	if (r.nrows == 0)
		return NEW_NOT_FOUND;
	*customer_id = db_ll(&r, 0, 1);
	if (db_exec(db, a, &r, sql_order_lines, DB_PARAMS(DB_I64(shop_id), DB_I64(db_ll(&r, 0, 0)))) != DB_OK)
		return NEW_ERROR;
	*lines = arena_alloc(a, (r.nrows + 1) * sizeof(**lines));
	for (i = 0; i < r.nrows; i++)
		(*lines)[i] = (struct new_line){ db_str(&r, i, 0), db_ll(&r, i, 1) };
	*n = r.nrows;
	return NEW_OK;
}

int
order_new_take(struct db *db, struct arena *a, const struct shop *shop, const struct order_new *f,
    const struct order_actor *who, struct problems *pb, struct intake_result *out)
{
	struct intake in = { 0 };
	struct intake_line *lines;
	size_t i;

	in.customer = f->customer;
	if (f->customer_id > 0) {
		struct order_address b, s;
		struct new_customer c;
		int rc = order_new_customer_get(db, a, shop->id, f->customer_id, &c, &b, &s);

		if (rc != NEW_OK)
			return rc == NEW_NOT_FOUND ? ORDER_NEW_NO_CUSTOMER : INTAKE_ERROR;
		/* The customer as the shop knows them: intake finds them by e-mail. */
		in.customer = (struct order_customer){ .title = c.title, .first_name = c.first_name,
			.last_name = c.last_name, .email = c.email, .phone = c.phone, .locale = c.locale };
	}
	lines = arena_alloc(a, (f->nlines + 1) * sizeof(*lines));
	for (i = 0; i < f->nlines; i++)
		lines[i] = (struct intake_line){ .sku = f->lines[i].sku, .quantity = f->lines[i].quantity };
	in.billing = f->billing;
	in.shipping = f->shipping;
	in.has_shipping = f->has_shipping;
	in.lines = lines;
	in.nlines = f->nlines;
	in.carrier = f->carrier && *f->carrier ? f->carrier : NULL;
	in.payment_method = f->payment_method && *f->payment_method ? f->payment_method : NULL;
	in.shipping_cents = f->shipping_cents;
	in.remarks = f->remarks;
	in.channel = "phone";
	in.actor = who;
	in.actor_label = who->label;
	in.idempotency_key = f->idempotency_key;
	in.request_hash = f->request_hash;
	return intake_order(db, a, shop, &in, pb, out);
}
