/* The catalogue sync: PUT/GET /api/v1/products/{sku}, GET /api/v1/products. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "catalog/product.h"
#include "conf/conf.h"

static json_t *
product_json(const struct product *p)
{
	json_t *doc = json_pack("{s:s,s:o,s:s,s:I,s:I,s:I,s:b,s:I,s:I,s:I,s:I,s:b,s:b,s:o}",
	    "sku", p->sku, "ean", p->ean ? json_string(p->ean) : json_null(), "name", p->name,
	    "price", (json_int_t)p->price_cents, "vat_rate", (json_int_t)p->vat_rate,
	    "weight", (json_int_t)p->weight_g, "track_stock", p->track_stock,
	    "stock_on_hand", (json_int_t)p->stock_on_hand, "reserved", (json_int_t)p->stock_reserved,
	    "available", (json_int_t)(p->stock_on_hand - p->stock_reserved),
	    "low_stock_threshold", (json_int_t)p->low_stock_threshold,
	    "customisable", p->customisable, "active", p->active,
	    "updated_at", p->updated_at ? json_string(p->updated_at) : json_null());

	/* Accepted, since the storefront knows its barcodes, but said: a wrong
	 * check digit will not scan at the packing table. */
	if (p->ean && !product_ean_check_digit_ok(p->ean))
		json_object_set_new(doc, "warnings", json_pack("[{s:s,s:s}]", "pointer", "/ean",
		    "detail", "the check digit is wrong: barcode scanners will refuse this EAN"));
	return doc;
}

static void
send_json(struct request *r, int status, json_t *doc)
{
	char *text = json_dumps(doc, JSON_COMPACT);

	if (text)
		api_json(r, status, text);
	else
		api_problem(r, 500, "internal", "Internal error", NULL);
	free(text);
	json_decref(doc);
}

void
api_product_put(struct request *r)
{
	struct product_input in;
	struct product p;
	struct problems pb;
	json_t *root;
	int rc;

	root = api_parse_body(r);
	if (!root)
		return;
	problems_init(&pb, r->arena);
	api_product_parse(root, &in, &pb);
	in.actor_label = r->api_key_name;
	if (!pb.n)
		rc = product_put(r->db, r->arena, r->shop->id, r->route_arg, &in, &pb, &p);
	else
		rc = PRODUCT_INVALID;
	json_decref(root);
	switch (rc) {
	case PRODUCT_OK:
	case PRODUCT_CREATED:
		if (rc == PRODUCT_CREATED)
			res_header(r, "Location", arena_printf(r->arena, "/api/v1/products/%s", p.sku));
		send_json(r, rc == PRODUCT_CREATED ? 201 : 200, product_json(&p));
		return;
	case PRODUCT_INVALID:
		api_problem(r, 422, "invalid-fields", "Invalid fields", &pb);
		return;
	default:
		api_problem(r, 503, "unavailable", "Service unavailable, try again", NULL);
		return;
	}
}

void
api_product_get(struct request *r)
{
	struct product p;

	switch (product_get(r->db, r->arena, r->shop->id, r->route_arg, &p)) {
	case PRODUCT_OK:
		send_json(r, 200, product_json(&p));
		return;
	case PRODUCT_NOT_FOUND:
		api_problem(r, 404, "not-found", "No such product", NULL);
		return;
	default:
		api_problem(r, 503, "unavailable", "Service unavailable, try again", NULL);
		return;
	}
}

void
api_products_get(struct request *r)
{
	const char *after = req_param(r, "after"), *lim = req_param(r, "limit");
	struct product *items;
	struct problems pb;
	json_t *list, *doc;
	size_t n, i;
	long limit = 50;

	problems_init(&pb, r->arena);
	if (after && !product_sku_valid(after)) {
		problems_add(&pb, "", "after must be a SKU, as given in next");
		api_problem(r, 400, "bad-parameter", "Bad parameter", &pb);
		return;
	}
	if (lim) {
		char *end;

		limit = strtol(lim, &end, 10);
		if (*end || limit < 1 || limit > 500) {
			problems_add(&pb, "", "limit must be between 1 and 500");
			api_problem(r, 400, "bad-parameter", "Bad parameter", &pb);
			return;
		}
	}
	if (product_list(r->db, r->arena, r->shop->id, after, (size_t)limit, &items, &n) != PRODUCT_OK) {
		api_problem(r, 503, "unavailable", "Service unavailable, try again", NULL);
		return;
	}
	list = json_array();
	for (i = 0; i < n && list; i++) {
		if (json_array_append_new(list, product_json(&items[i])) != 0) {
			json_decref(list);   /* send_json answers 500 for a NULL document */
			list = NULL;
		}
	}
	doc = list ? json_pack("{s:o,s:o}", "items", list,
	    "next", n == (size_t)limit ? json_string(items[n - 1].sku) : json_null()) : NULL;
	send_json(r, 200, doc);
}
