/*
 * A product as PUT /api/v1/products/{sku} reads it before the database:
 * "SKU\nbody". The SKU's shape, the body parsed (api_product_parse) and
 * checked both as a new and as an existing product, then the problem
 * document.
 */
#include "fuzz.h"

#include "api/api.h"
#include "catalog/product.h"
#include "util/log.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t skulen = nl ? (size_t)(nl - data) : 0;
	char *sku = fuzz_strndup(data, skulen);
	const char *body = (const char *)data + (nl ? skulen + 1 : 0);
	size_t blen = size - (nl ? skulen + 1 : 0);
	struct product_input in;
	struct problems pb;
	struct request r;
	struct arena a;
	json_t *root;
	int creating;

	log_set_level(LOG_ERROR);
	if (product_sku_valid(sku)) {
		size_t i;

		fuzz_assert(strlen(sku) >= 1 && strlen(sku) <= 64, "a SKU is 1 to 64 bytes");
		for (i = 0; sku[i]; i++)
			fuzz_assert((unsigned char)sku[i] < 0x80, "a SKU is ASCII");
	}
	if (product_ean_check_digit_ok(sku))
		fuzz_assert(product_ean_shape_valid(sku), "a right check digit is on an EAN's shape");
	arena_init(&a, 0);
	for (creating = 0; creating < 2; creating++) {
		fuzz_request(&r, &a, body, blen);
		root = api_parse_body(&r);
		if (!root) {
			fuzz_check_problem(&r, 400, NULL);
			fuzz_assert(strstr(buf_str(&r.out), "\"detail\"") != NULL, "a 400 says why");
		} else {
			problems_init(&pb, &a);
			api_product_parse(root, &in, &pb);
			if (!pb.n)
				product_check_input(&in, creating, &pb);
			json_decref(root);
			if (!pb.n) {
				fuzz_assert(!creating || (in.name && in.has_price && in.has_vat_rate),
				    "a new product has a name, a price and a VAT rate");
				fuzz_assert(!in.has_price || (in.price_cents >= 0 && in.price_cents <= 1000000000LL),
				    "a price in range");
			} else {
				api_problem(&r, 422, "invalid-fields", "Invalid fields", &pb);
				fuzz_check_problem(&r, 422, &pb);
			}
		}
		buf_free(&r.out);
		buf_free(&r.out_headers);
	}
	arena_free(&a);
	free(sku);
	return 0;
}
