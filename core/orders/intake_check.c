/*
 * intake_check: what an order must look like before the database is asked
 * anything (the field rules of intake). Pure: no database, no I/O, so the
 * fuzz target of the intake runs it as the server does.
 */
#include "orders/intake.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "auth/staff.h"
#include "catalog/product.h"
#include "util/problems.h"
#include "util/utf8.h"

bool
phone_e164_valid(const char *s)
{
	size_t n;

	if (!s || s[0] != '+' || s[1] < '1' || s[1] > '9')
		return false;
	for (n = 1; s[n]; n++)
		if (!isdigit((unsigned char)s[n]))
			return false;
	return n - 1 >= 8 && n - 1 <= 15;
}

/* Postcode shapes of the countries the shops ship to most; others loosely. */
static bool
postcode_valid(const char *country, const char *pc)
{
	size_t n = strlen(pc), i, digits = 0;

	for (i = 0; i < n; i++)
		digits += isdigit((unsigned char)pc[i]) != 0;
	if (strcmp(country, "FR") == 0 || strcmp(country, "DE") == 0 || strcmp(country, "ES") == 0 ||
	    strcmp(country, "IT") == 0 || strcmp(country, "MC") == 0)
		return n == 5 && digits == 5;
	if (strcmp(country, "BE") == 0 || strcmp(country, "LU") == 0 || strcmp(country, "CH") == 0 ||
	    strcmp(country, "AT") == 0 || strcmp(country, "DK") == 0)
		return n == 4 && digits == 4;
	return n >= 2 && n <= 16;
}

static bool
code_word_valid(const char *s)
{
	size_t n;

	for (n = 0; s[n]; n++)
		if (!(islower((unsigned char)s[n]) || isdigit((unsigned char)s[n]) ||
		    s[n] == '_' || s[n] == '-'))
			return false;
	return n <= 32;
}

static void
check_text(struct problems *pb, const char *pointer, const char *s, size_t max, bool required)
{
	if (!s || !*s) {
		if (required)
			problems_add(pb, pointer, "is required");
		return;
	}
	if (strlen(s) > max)
		problems_add(pb, pointer, "must be at most %zu bytes", max);
}

/* How deep objects and arrays nest in a valid JSON text: 1 for {"a": 1}. */
static size_t
json_depth(const char *s)
{
	size_t depth = 0, max = 0;
	bool in_string = false;

	for (; *s; s++) {
		if (in_string) {
			if (*s == '\\' && s[1])
				s++;
			else if (*s == '"')
				in_string = false;
		} else if (*s == '"') {
			in_string = true;
		} else if (*s == '{' || *s == '[') {
			if (++depth > max)
				max = depth;
		} else if ((*s == '}' || *s == ']') && depth > 0) {
			depth--;
		}
	}
	return max;
}

static void
check_options(struct problems *pb, size_t line, const char *options)
{
	char p[48];

	if (!options)
		return;
	snprintf(p, sizeof(p), "/lines/%zu/options", line);
	if (strlen(options) > INTAKE_MAX_OPTIONS_BYTES)
		problems_add(pb, p, "must be at most %d bytes of JSON", INTAKE_MAX_OPTIONS_BYTES);
	else if (json_depth(options) > INTAKE_MAX_OPTIONS_DEPTH)
		problems_add(pb, p, "may nest objects and arrays at most %d deep", INTAKE_MAX_OPTIONS_DEPTH);
}

static void
check_address(struct problems *pb, const char *base, const struct order_address *ad)
{
	char p[64];

#define FIELD(name) (snprintf(p, sizeof(p), "%s/%s", base, name), p)
	check_text(pb, FIELD("name"), ad->name, 200, true);
	check_text(pb, FIELD("company"), ad->company, 255, false);
	check_text(pb, FIELD("line1"), ad->line1, 255, true);
	check_text(pb, FIELD("line2"), ad->line2, 255, false);
	check_text(pb, FIELD("city"), ad->city, 100, true);
	check_text(pb, FIELD("region"), ad->region, 100, false);
	if (!ad->country || strlen(ad->country) != 2 || !isupper((unsigned char)ad->country[0]) ||
	    !isupper((unsigned char)ad->country[1]))
		problems_add(pb, FIELD("country"), "must be an ISO 3166 country code such as FR or BE");
	else if (!ad->postcode || !*ad->postcode)
		problems_add(pb, FIELD("postcode"), "is required");
	else if (!postcode_valid(ad->country, ad->postcode))
		problems_add(pb, FIELD("postcode"), "is not a postcode of %s", ad->country);
	if (ad->phone && *ad->phone && !phone_e164_valid(ad->phone))
		problems_add(pb, FIELD("phone"), "must be in international format, e.g. +33612345678");
#undef FIELD
}

void
intake_validate(const struct intake *in, struct problems *pb)
{
	const struct order_customer *c = &in->customer;
	size_t i;

	check_text(pb, "/customer/title", c->title, 20, false);
	check_text(pb, "/customer/first_name", c->first_name, 100, false);
	check_text(pb, "/customer/last_name", c->last_name, 100, true);
	if (!c->email || !*c->email)
		problems_add(pb, "/customer/email", "is required");
	else if (!email_valid(c->email))
		problems_add(pb, "/customer/email", "is not an e-mail address");
	if (c->phone && *c->phone && !phone_e164_valid(c->phone))
		problems_add(pb, "/customer/phone", "must be in international format, e.g. +33612345678");
	if (c->locale && strcmp(c->locale, "fr") != 0 && strcmp(c->locale, "en") != 0)
		problems_add(pb, "/customer/locale", "must be fr or en");
	check_address(pb, "/billing_address", &in->billing);
	if (in->has_shipping)
		check_address(pb, "/shipping_address", &in->shipping);
	if (in->nlines == 0)
		problems_add(pb, "/lines", "must hold at least one line");
	if (in->nlines > INTAKE_MAX_LINES)
		problems_add(pb, "/lines", "may hold at most %d lines", INTAKE_MAX_LINES);
	for (i = 0; in->lines && i < in->nlines && i < INTAKE_MAX_LINES; i++) {
		const struct intake_line *l = &in->lines[i];
		char p[48];

		if (!l->sku || !*l->sku) {
			snprintf(p, sizeof(p), "/lines/%zu/sku", i);
			problems_add(pb, p, "is required");
		} else if (!product_sku_valid(l->sku)) {
			/* Quoted, but never more than a SKU's length of it. */
			size_t cut = utf8_cut(l->sku, 64);

			snprintf(p, sizeof(p), "/lines/%zu/sku", i);
			problems_add(pb, p, "no product '%.*s%s' in the catalogue"
			    " (SKUs are 1 to 64 letters, digits, '-', '_' and '.')", (int)cut, l->sku,
			    l->sku[cut] ? "…" : "");
		}
		check_options(pb, i, l->options);
		if (l->quantity < 1 || l->quantity > MONEY_MAX_QUANTITY) {
			snprintf(p, sizeof(p), "/lines/%zu/quantity", i);
			problems_add(pb, p, "must be between 1 and %d", MONEY_MAX_QUANTITY);
		}
		if (l->discount_cents < 0) {
			snprintf(p, sizeof(p), "/lines/%zu/discount", i);
			problems_add(pb, p, "must not be negative");
		}
	}
	if (in->shipping_cents < 0 || in->shipping_cents > MONEY_MAX_UNIT_CENTS)
		problems_add(pb, "/shipping_cost", "must be between 0 and %lld cents", MONEY_MAX_UNIT_CENTS);
	if (in->carrier && !code_word_valid(in->carrier))
		problems_add(pb, "/carrier", "must be a carrier code such as colissimo");
	if (in->payment_method && !code_word_valid(in->payment_method))
		problems_add(pb, "/payment_method", "must be a method code such as banktransfer");
	check_text(pb, "/remarks", in->remarks, 2000, false);
	check_text(pb, "/external_reference", in->external_reference, 64, false);
	check_text(pb, "/title", in->title, 255, false);
	check_text(pb, "/reference", in->reference, 255, false);
	if (in->channel && strcmp(in->channel, "web") != 0 && strcmp(in->channel, "phone") != 0 &&
	    strcmp(in->channel, "api") != 0 && !(in->from_quote_id > 0 && strcmp(in->channel, "back_office") == 0))
		problems_add(pb, "/channel", "must be web, phone or api");
}
