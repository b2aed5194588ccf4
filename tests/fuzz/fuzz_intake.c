/*
 * An order body as POST /api/v1/orders reads it before the database:
 * api_parse_body (JSON), api_intake_parse (types, unknown fields),
 * intake_validate (the field rules), then the problem document.
 */
#include "fuzz.h"

#include "api/api.h"
#include "catalog/product.h"
#include "orders/intake.h"
#include "util/log.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request r;
	struct problems pb;
	struct intake in;
	struct arena a;
	json_t *root;
	size_t i;

	log_set_level(LOG_ERROR);
	arena_init(&a, 0);
	fuzz_request(&r, &a, (const char *)data, size);
	problems_init(&pb, &a);
	root = api_parse_body(&r);
	if (!root) {
		fuzz_assert(r.status == 400, "a body that is no JSON object is 400");
		fuzz_check_problem(&r, 400, NULL);
		fuzz_assert(strstr(buf_str(&r.out), "\"detail\"") != NULL, "and says why");
	} else {
		memset(&in, 0, sizeof(in));
		api_intake_parse(root, &in, &pb);
		json_decref(root);
		if (!pb.n)
			intake_validate(&in, &pb);
		if (!pb.n) {
			/* What the database will be given is bounded. */
			fuzz_assert(in.nlines >= 1 && in.nlines <= INTAKE_MAX_LINES, "lines");
			for (i = 0; i < in.nlines; i++) {
				fuzz_assert(product_sku_valid(in.lines[i].sku), "a SKU");
				fuzz_assert(!in.lines[i].options ||
				    strlen(in.lines[i].options) <= INTAKE_MAX_OPTIONS_BYTES, "options");
			}
		}
		if (pb.n) {
			api_problem(&r, 422, "invalid-fields", "Invalid fields", &pb);
			fuzz_check_problem(&r, 422, &pb);
		}
	}
	buf_free(&r.out);
	buf_free(&r.out_headers);
	arena_free(&a);
	return 0;
}
