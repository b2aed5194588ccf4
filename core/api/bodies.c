/*
 * bodies: the JSON bodies of the API read into the domain's plain inputs
 * (struct intake, struct product_input). Wrong types and unknown fields
 * become problems; the domain checks the values. No database, no request:
 * the fuzz targets run these as the handlers do.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "catalog/product.h"
#include "orders/intake.h"

static const char *const top_fields[] = { "customer", "billing_address", "shipping_address",
	"lines", "carrier", "shipping_cost", "payment_method", "remarks", "external_reference",
	"title", "reference", "channel", "test", NULL };
static const char *const customer_fields[] = { "title", "first_name", "last_name", "email",
	"phone", "locale", NULL };
static const char *const address_fields[] = { "name", "company", "line1", "line2", "postcode",
	"city", "region", "country", "phone", NULL };
static const char *const line_fields[] = { "sku", "quantity", "unit_price", "vat_rate",
	"discount", "options", NULL };

static void
parse_address(json_t *root, const char *key, struct order_address *ad, bool *present,
    struct problems *pb)
{
	char *base = arena_printf(pb->arena, "/%s", key);
	json_t *o = api_obj(root, "", key, pb);

	*present = o != NULL;
	if (!o)
		return;
	api_no_unknown(o, base, address_fields, pb);
	ad->name = api_str(o, base, "name", pb);
	ad->company = api_str(o, base, "company", pb);
	ad->line1 = api_str(o, base, "line1", pb);
	ad->line2 = api_str(o, base, "line2", pb);
	ad->postcode = api_str(o, base, "postcode", pb);
	ad->city = api_str(o, base, "city", pb);
	ad->region = api_str(o, base, "region", pb);
	ad->country = api_str(o, base, "country", pb);
	ad->phone = api_str(o, base, "phone", pb);
}

static void
parse_lines(json_t *root, struct intake *in, struct problems *pb)
{
	json_t *lines = json_object_get(root, "lines"), *l;
	size_t i;

	if (!lines)
		return;
	if (!json_is_array(lines)) {
		problems_add(pb, "/lines", "must be an array of lines");
		return;
	}
	in->nlines = json_array_size(lines);
	if (in->nlines > INTAKE_MAX_LINES)
		return;   /* the domain says so */
	in->lines = arena_alloc(pb->arena, (in->nlines ? in->nlines : 1) * sizeof(*in->lines));
	json_array_foreach(lines, i, l) {
		struct intake_line *il = &in->lines[i];
		char *base = arena_printf(pb->arena, "/lines/%zu", i);
		json_t *options;

		if (!json_is_object(l)) {
			problems_add(pb, base, "must be an object");
			continue;
		}
		api_no_unknown(l, base, line_fields, pb);
		il->sku = api_str(l, base, "sku", pb);
		if (!api_int(l, base, "quantity", &il->quantity, pb) && !json_object_get(l, "quantity"))
			problems_add(pb, arena_printf(pb->arena, "%s/quantity", base), "is required");
		il->has_unit_price = api_int(l, base, "unit_price", &il->unit_price_cents, pb);
		il->has_vat_rate = api_int(l, base, "vat_rate", &il->vat_rate, pb);
		api_int(l, base, "discount", &il->discount_cents, pb);
		options = api_obj(l, base, "options", pb);
		if (options) {
			char *text = json_dumps(options, JSON_COMPACT);

			il->options = text ? arena_strdup(pb->arena, text) : "{}";
			free(text);
		}
	}
}

void
api_intake_parse(json_t *root, struct intake *in, struct problems *pb)
{
	json_t *c = api_obj(root, "", "customer", pb);
	bool present;

	api_no_unknown(root, "", top_fields, pb);
	if (c) {
		api_no_unknown(c, "/customer", customer_fields, pb);
		in->customer.title = api_str(c, "/customer", "title", pb);
		in->customer.first_name = api_str(c, "/customer", "first_name", pb);
		in->customer.last_name = api_str(c, "/customer", "last_name", pb);
		in->customer.email = api_str(c, "/customer", "email", pb);
		in->customer.phone = api_str(c, "/customer", "phone", pb);
		in->customer.locale = api_str(c, "/customer", "locale", pb);
	} else if (!json_object_get(root, "customer")) {
		problems_add(pb, "/customer", "is required");
	}
	parse_address(root, "billing_address", &in->billing, &present, pb);
	if (!present && !json_object_get(root, "billing_address"))
		problems_add(pb, "/billing_address", "is required");
	parse_address(root, "shipping_address", &in->shipping, &in->has_shipping, pb);
	if (!json_object_get(root, "lines"))
		problems_add(pb, "/lines", "is required");
	parse_lines(root, in, pb);
	in->carrier = api_str(root, "", "carrier", pb);
	api_int(root, "", "shipping_cost", &in->shipping_cents, pb);
	in->payment_method = api_str(root, "", "payment_method", pb);
	in->remarks = api_str(root, "", "remarks", pb);
	in->external_reference = api_str(root, "", "external_reference", pb);
	in->title = api_str(root, "", "title", pb);
	in->reference = api_str(root, "", "reference", pb);
	in->channel = api_str(root, "", "channel", pb);
	api_bool(root, "", "test", &in->is_test, pb);
}

static const char *const product_fields[] = { "name", "price", "vat_rate", "weight", "ean",
	"low_stock_threshold", "stock_on_hand", "track_stock", "customisable", "active", NULL };

void
api_product_parse(json_t *root, struct product_input *in, struct problems *pb)
{
	memset(in, 0, sizeof(*in));
	api_no_unknown(root, "", product_fields, pb);
	in->name = api_str(root, "", "name", pb);
	in->has_price = api_int(root, "", "price", &in->price_cents, pb);
	in->has_vat_rate = api_int(root, "", "vat_rate", &in->vat_rate, pb);
	in->has_weight = api_int(root, "", "weight", &in->weight_g, pb);
	in->has_threshold = api_int(root, "", "low_stock_threshold", &in->low_stock_threshold, pb);
	in->has_stock = api_int(root, "", "stock_on_hand", &in->stock_on_hand, pb);
	in->has_track_stock = api_bool(root, "", "track_stock", &in->track_stock, pb);
	in->has_customisable = api_bool(root, "", "customisable", &in->customisable, pb);
	in->has_active = api_bool(root, "", "active", &in->active, pb);
	if (json_object_get(root, "ean")) {   /* null clears it */
		in->has_ean = true;
		in->ean = api_str(root, "", "ean", pb);
		/* PrestaShop, WooCommerce and Shopify send "" for "no barcode". */
		if (in->ean && !*in->ean)
			in->ean = NULL;
	}
}
