/*
 * product: the shop's catalogue, as the storefront syncs it, and its
 * stock: on hand (on the shelf), reserved (promised to open orders),
 * available = on hand − reserved.
 */
#ifndef CPT_PRODUCT_H
#define CPT_PRODUCT_H

#include <stdbool.h>
#include <stddef.h>

struct db;
struct arena;
struct problems;

struct product {
	long long id;
	const char *sku;
	const char *ean;             /* NULL when none */
	const char *name;
	long long price_cents;
	long long vat_rate;
	long long weight_g;
	bool track_stock;
	long long stock_on_hand;
	long long stock_reserved;
	long long low_stock_threshold;
	bool customisable;
	bool active;
	const char *updated_at;
};

/* What a PUT may set; a `has_` flag false keeps the current value (or the
 * default for a new product). */
struct product_input {
	const char *name;
	bool has_price, has_vat_rate, has_weight, has_ean, has_threshold, has_stock,
	    has_track_stock, has_customisable, has_active;
	long long price_cents, vat_rate, weight_g, low_stock_threshold, stock_on_hand;
	const char *ean;
	bool track_stock, customisable, active;
	const char *actor_label;     /* who sends it (the API key's name), for the stock's history */
};

enum product_rc { PRODUCT_OK = 0, PRODUCT_CREATED = 1, PRODUCT_INVALID = 2,
	PRODUCT_NOT_FOUND = 3, PRODUCT_ERROR = -1 };

bool product_sku_valid(const char *sku);
/* EAN-8, UPC-A, EAN-13 or GTIN-14: digits of one of those lengths. */
bool product_ean_shape_valid(const char *ean);
/* …whose last digit is the right check digit (scanners refuse others). */
bool product_ean_check_digit_ok(const char *ean);

/* Adds a problem per field of `in` out of its range; `creating`: a new
 * product, which needs name, price and vat_rate. Asks no database. */
void product_check_input(const struct product_input *in, bool creating, struct problems *problems);

/* Creates or updates the product `sku`. Problems name fields by JSON
 * pointer. A new product needs name, price and vat_rate. Stock on hand may
 * not go below what is reserved. */
int product_put(struct db *db, struct arena *a, long long shop_id, const char *sku,
    const struct product_input *in, struct problems *problems, struct product *out);

int product_get(struct db *db, struct arena *a, long long shop_id, const char *sku,
    struct product *out);

/* Products after `after_sku` (NULL for the first page), by SKU, at most
 * `limit`. */
int product_list(struct db *db, struct arena *a, long long shop_id, const char *after_sku,
    size_t limit, struct product **out, size_t *n);

#endif
