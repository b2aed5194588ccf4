/*
 * product_check: the shape of SKUs and EANs and the rules of a product's
 * fields. Pure: no database, so the fuzz target runs it as the server does.
 */
#include "catalog/product.h"

#include <ctype.h>
#include <string.h>

#include "orders/money.h"
#include "util/problems.h"

bool
product_sku_valid(const char *sku)
{
	size_t n = 0;

	if (!sku)
		return false;
	for (; sku[n]; n++) {
		char c = sku[n];

		if (!(isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.'))
			return false;
	}
	return n >= 1 && n <= 64;
}

bool
product_ean_shape_valid(const char *ean)
{
	size_t n = ean ? strlen(ean) : 0, i;

	if (n != 8 && n != 12 && n != 13 && n != 14)
		return false;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)ean[i]))
			return false;
	return true;
}

bool
product_ean_check_digit_ok(const char *ean)
{
	size_t n = ean ? strlen(ean) : 0, i;
	int sum = 0;

	if (!product_ean_shape_valid(ean))
		return false;
	for (i = 0; i < n; i++) {
		int d = ean[i] - '0';

		/* Weights 3,1,3,1… counted from the digit before the check digit. */
		if (i < n - 1)
			sum += ((n - 1 - i) % 2 == 1) ? d * 3 : d;
	}
	return (10 - sum % 10) % 10 == ean[n - 1] - '0';
}

void
product_check_input(const struct product_input *in, bool creating, struct problems *pb)
{
	if (creating && !in->name)
		problems_add(pb, "/name", "is required for a new product");
	if (in->name && (!*in->name || strlen(in->name) > 255))
		problems_add(pb, "/name", "must be 1 to 255 characters");
	if (creating && !in->has_price)
		problems_add(pb, "/price", "is required for a new product");
	if (in->has_price && (in->price_cents < 0 || in->price_cents > MONEY_MAX_UNIT_CENTS))
		problems_add(pb, "/price", "must be between 0 and %lld cents", MONEY_MAX_UNIT_CENTS);
	if (creating && !in->has_vat_rate)
		problems_add(pb, "/vat_rate", "is required for a new product (2000 for 20 %%)");
	if (in->has_vat_rate && (in->vat_rate < 0 || in->vat_rate > (long long)VAT_RATE_MAX))
		problems_add(pb, "/vat_rate", "must be between 0 and 10000 (hundredths of a percent)");
	if (in->has_weight && (in->weight_g < 0 || in->weight_g > 10000000))
		problems_add(pb, "/weight", "must be between 0 and 10000000 grams");
	if (in->has_ean && in->ean && !product_ean_shape_valid(in->ean))
		problems_add(pb, "/ean", "must be an EAN-8, UPC-A, EAN-13 or GTIN-14: 8, 12, 13 or 14 digits");
	if (in->has_threshold && (in->low_stock_threshold < 0 || in->low_stock_threshold > 100000000))
		problems_add(pb, "/low_stock_threshold", "must be between 0 and 100000000");
	if (in->has_stock && (in->stock_on_hand < 0 || in->stock_on_hand > 100000000))
		problems_add(pb, "/stock_on_hand", "must be between 0 and 100000000");
}
