/* POST /api/v1/orders (intake) and GET /api/v1/orders/{code}. */
#include <sodium.h>
#include <string.h>

#include "api/api.h"
#include "conf/conf.h"
#include "orders/code.h"
#include "orders/intake.h"
#include "util/log.h"

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

/* Reads the JSON body into the intake; wrong types become problems. */
static void
parse_intake(json_t *root, struct intake *in, struct problems *pb)
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

static bool
idempotency_key_valid(const char *key)
{
	size_t n;

	for (n = 0; key[n]; n++)
		if (key[n] < 0x21 || key[n] > 0x7e)
			return false;
	return n >= 1 && n <= IDEMPOTENCY_KEY_MAX;
}

void
api_orders_post(struct request *r)
{
	const char *key = r->idempotency_key;
	unsigned char hash[32];
	struct intake_result res;
	struct problems pb;
	struct intake in;
	json_t *root;
	int rc;

	problems_init(&pb, r->arena);
	if (key && !idempotency_key_valid(key)) {
		problems_add(&pb, "", "the Idempotency-Key header must be 1 to %d printable ASCII characters",
		    IDEMPOTENCY_KEY_MAX);
		api_problem(r, 400, "bad-idempotency-key", "Bad Idempotency-Key", &pb);
		return;
	}
	root = api_parse_body(r);
	if (!root)
		return;
	memset(&in, 0, sizeof(in));
	parse_intake(root, &in, &pb);
	json_decref(root);
	if (pb.n) {
		api_problem(r, 422, "invalid-fields", "Invalid fields", &pb);
		return;
	}
	crypto_generichash(hash, sizeof(hash), (const unsigned char *)r->body, r->body_len, NULL, 0);
	in.idempotency_key = key;
	in.request_hash = hash;
	in.actor_label = r->api_key_name;

	rc = intake_order(r->db, r->arena, r->shop, &in, &pb, &res);
	switch (rc) {
	case INTAKE_CREATED:
	case INTAKE_REPLAYED:
		api_json(r, res.status, res.body);
		res_header(r, "Location", arena_printf(r->arena, "/api/v1/orders/%s", res.order.code));
		if (rc == INTAKE_REPLAYED)
			res_header(r, "Idempotent-Replayed", "true");
		return;
	case INTAKE_INVALID:
		api_problem(r, 422, "invalid-fields", "Invalid fields", &pb);
		return;
	case INTAKE_OUT_OF_STOCK:
		api_problem(r, 409, "out-of-stock", "Out of stock", &pb);
		return;
	case INTAKE_KEY_REUSED:
		problems_add(&pb, "", "this Idempotency-Key was used with another request body");
		api_problem(r, 422, "idempotency-key-reused", "Idempotency-Key reused", &pb);
		return;
	case INTAKE_UNKNOWN:
		/* The storefront's key tells, when it sends the request again,
		 * whether the order was taken. */
		problems_add(&pb, "", "the database went away while taking the order: it may have been"
		    " taken; send the request again with the same Idempotency-Key to know");
		api_problem(r, 503, "outcome-unknown", "Order taken or not, unknown", &pb);
		res_header(r, "Retry-After", "1");
		return;
	default:
		api_problem(r, 503, "unavailable", "Service unavailable, try again", NULL);
		res_header(r, "Retry-After", "1");
		return;
	}
}

void
api_order_get(struct request *r)
{
	char code[ORDER_CODE_LEN + 1];
	struct order o;
	struct buf out;
	int rc;

	if (!order_code_normalise(r->route_arg, code)) {
		api_problem(r, 404, "not-found", "No such order", NULL);
		return;
	}
	rc = order_load(r->db, r->arena, r->shop->id, code, &o);
	if (rc < 0) {
		api_problem(r, 503, "unavailable", "Service unavailable, try again", NULL);
		return;
	}
	if (rc > 0) {
		api_problem(r, 404, "not-found", "No such order", NULL);
		return;
	}
	buf_init(&out, 0);
	order_json(&o, &out);
	api_json(r, 200, buf_str(&out));
	buf_free(&out);
}
