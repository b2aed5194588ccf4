/* POST /api/v1/orders (intake) and GET /api/v1/orders/{code}. */
#include <sodium.h>
#include <string.h>

#include "api/api.h"
#include "conf/conf.h"
#include "orders/code.h"
#include "orders/intake.h"
#include "util/log.h"

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
	api_intake_parse(root, &in, &pb);
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
	if (buf_failed(&out))   /* logged */
		api_problem(r, 500, "internal", "Internal error", NULL);
	else
		api_json(r, 200, buf_str(&out));
	buf_free(&out);
}
