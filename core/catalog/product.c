#include "catalog/product.h"

#include "db/db.h"
#include "orders/events.h"
#include "stock/stock.h"
#include "util/problems.h"

#define PRODUCT_COLUMNS \
	"id, sku, ean, name, price_cents, vat_rate, weight_g, track_stock, stock_on_hand," \
	" stock_reserved, low_stock_threshold, customisable, active," \
	" DATE_FORMAT(updated_at, '%Y-%m-%dT%H:%i:%sZ')"

static void
row_to_product(const struct db_result *res, size_t r, struct product *p)
{
	p->id = db_ll(res, r, 0);
	p->sku = db_str(res, r, 1);
	p->ean = db_str(res, r, 2);
	p->name = db_str(res, r, 3);
	p->price_cents = db_ll(res, r, 4);
	p->vat_rate = db_ll(res, r, 5);
	p->weight_g = db_ll(res, r, 6);
	p->track_stock = db_ll(res, r, 7) != 0;
	p->stock_on_hand = db_ll(res, r, 8);
	p->stock_reserved = db_ll(res, r, 9);
	p->low_stock_threshold = db_ll(res, r, 10);
	p->customisable = db_ll(res, r, 11) != 0;
	p->active = db_ll(res, r, 12) != 0;
	p->updated_at = db_str(res, r, 13);
}

int
product_get(struct db *db, struct arena *a, long long shop_id, const char *sku,
    struct product *out)
{
	static const char sql[] =
		"SELECT " PRODUCT_COLUMNS " FROM products WHERE shop_id = ? AND sku = ?";
	struct db_result res;

	if (!product_sku_valid(sku))
		return PRODUCT_NOT_FOUND;
	if (db_exec(db, a, &res, sql, DB_PARAMS(DB_I64(shop_id), DB_STR(sku))) != DB_OK)
		return PRODUCT_ERROR;
	if (res.nrows == 0)
		return PRODUCT_NOT_FOUND;
	row_to_product(&res, 0, out);
	return PRODUCT_OK;
}

int
product_list(struct db *db, struct arena *a, long long shop_id, const char *after_sku,
    size_t limit, struct product **out, size_t *n)
{
	static const char sql[] =
		"SELECT " PRODUCT_COLUMNS " FROM products WHERE shop_id = ? AND sku > ?"
		" ORDER BY sku LIMIT ?";
	struct db_result res;
	size_t i;

	if (db_exec(db, a, &res, sql, DB_PARAMS(DB_I64(shop_id), DB_STR(after_sku ? after_sku : ""),
	    DB_I64((long long)limit))) != DB_OK)
		return PRODUCT_ERROR;
	*out = arena_alloc(a, (res.nrows ? res.nrows : 1) * sizeof(**out));
	for (i = 0; i < res.nrows; i++)
		row_to_product(&res, i, &(*out)[i]);
	*n = res.nrows;
	return PRODUCT_OK;
}

/* The storefront's PUT in one transaction: the product, then its stock
 * on hand through core/stock (the one writer of the stock columns, with
 * the history); a count below what is reserved undoes the whole PUT. */
struct put_tx {
	struct arena *a;
	long long shop_id;
	const char *sku;
	const struct product_input *in;
	struct problems *pb;
	bool created;
};

static int
put_tx(struct db *db, void *arg)
{
	static const char sql_lock[] = "SELECT id FROM products WHERE shop_id = ? AND sku = ? FOR UPDATE";
	static const char sql_insert[] =
		"INSERT INTO products (shop_id, sku, ean, name, price_cents, vat_rate, weight_g,"
		" track_stock, low_stock_threshold, customisable, active)"
		" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
	static const char sql_update[] =
		"UPDATE products SET name = COALESCE(?, name), price_cents = COALESCE(?, price_cents),"
		" vat_rate = COALESCE(?, vat_rate), weight_g = COALESCE(?, weight_g),"
		" ean = IF(?, ?, ean), track_stock = COALESCE(?, track_stock),"
		" low_stock_threshold = COALESCE(?, low_stock_threshold),"
		" customisable = COALESCE(?, customisable), active = COALESCE(?, active)"
		" WHERE shop_id = ? AND id = ?";
	struct put_tx *x = arg;
	const struct product_input *in = x->in;
	const struct order_actor storefront = { ACTOR_API, 0, in->actor_label ? in->actor_label : "storefront" };
	struct db_result res;
	long long id, reserved = 0;
	int rc;

	db_desk_changed(db, x->shop_id);
	x->created = false;
	rc = db_exec(db, x->a, &res, sql_lock, DB_PARAMS(DB_I64(x->shop_id), DB_STR(x->sku)));
	if (rc != DB_OK)
		return rc;
	if (res.nrows == 0) {
		rc = db_exec(db, x->a, &res, sql_insert, DB_PARAMS(DB_I64(x->shop_id), DB_STR(x->sku),
		    DB_STR(in->has_ean ? in->ean : NULL), DB_STR(in->name), DB_I64(in->price_cents),
		    DB_I64(in->vat_rate), DB_I64(in->has_weight ? in->weight_g : 0),
		    DB_I64(in->has_track_stock ? in->track_stock : 1),
		    DB_I64(in->has_threshold ? in->low_stock_threshold : 0),
		    DB_I64(in->has_customisable ? in->customisable : 0),
		    DB_I64(in->has_active ? in->active : 1)));
		/* Created meanwhile by a concurrent PUT: again, to update it. */
		if (rc == DB_ERROR && db_errno(db) == 1062)
			return DB_RETRY;
		if (rc != DB_OK)
			return rc;
		id = (long long)res.insert_id;
		x->created = true;
	} else {
		id = db_ll(&res, 0, 0);
#define OPT_I64(has, v) ((has) ? DB_I64(v) : DB_NULL)
		rc = db_exec(db, x->a, NULL, sql_update, DB_PARAMS(DB_STR(in->name),
		    OPT_I64(in->has_price, in->price_cents), OPT_I64(in->has_vat_rate, in->vat_rate),
		    OPT_I64(in->has_weight, in->weight_g), DB_I64(in->has_ean), DB_STR(in->ean),
		    OPT_I64(in->has_track_stock, in->track_stock),
		    OPT_I64(in->has_threshold, in->low_stock_threshold),
		    OPT_I64(in->has_customisable, in->customisable), OPT_I64(in->has_active, in->active),
		    DB_I64(x->shop_id), DB_I64(id)));
#undef OPT_I64
		if (rc != DB_OK)
			return rc;
	}
	if (!in->has_stock)
		return DB_OK;
	rc = stock_set_on_hand(db, x->a, x->shop_id, id, in->stock_on_hand, &storefront, &reserved);
	if (rc == STOCK_BELOW_RESERVED) {
		problems_add(x->pb, "/stock_on_hand", "cannot be below the %lld units reserved by open orders",
		    reserved);
		return PRODUCT_INVALID;
	}
	return rc == DB_OK || rc < 0 ? rc : DB_ERROR;
}

int
product_put(struct db *db, struct arena *a, long long shop_id, const char *sku,
    const struct product_input *in, struct problems *pb, struct product *out)
{
	struct put_tx x = { a, shop_id, sku, in, pb, false };
	struct product current;
	int rc;

	if (!product_sku_valid(sku)) {
		problems_add(pb, "", "the SKU must be 1 to 64 letters, digits, '-', '_' or '.'");
		return PRODUCT_INVALID;
	}
	rc = product_get(db, a, shop_id, sku, &current);
	if (rc == PRODUCT_ERROR)
		return rc;
	product_check_input(in, rc == PRODUCT_NOT_FOUND, pb);
	if (pb->n)
		return PRODUCT_INVALID;
	/* Not found before, found in the transaction (a concurrent PUT
	 * created it): it is updated, with the fields a new one needs. */
	rc = db_tx(db, put_tx, &x);
	if (rc == PRODUCT_INVALID)
		return rc;
	if (rc != DB_OK)
		return PRODUCT_ERROR;
	if (product_get(db, a, shop_id, sku, out) != PRODUCT_OK)
		return PRODUCT_ERROR;
	return x.created ? PRODUCT_CREATED : PRODUCT_OK;
}
