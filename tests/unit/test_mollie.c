/* Unit tests of the Mollie plugin's protocol parts (plugins/payments/
 * mollie_proto.h): amounts as Mollie writes them ("10.00", docs.mollie.com
 * "Amount object"), the payment statuses of its API v2 and the
 * webhook's form body. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "mollie_proto.h"
#include "tap.h"

int
main(void)
{
	static const struct { long long cents; const char *text; } amounts[] = {
		{ 0, "0.00" }, { 1, "0.01" }, { 29, "0.29" }, { 100, "1.00" }, { 1234, "12.34" },
		{ 100005, "1000.05" }, { 123456789012LL, "1234567890.12" },
	};
	static const char *const bad_amounts[] = {
		"12.3", "12", "12.345", "-1.00", "+1.00", " 1.00", "1.00 ", "1,00", ".50", "1e3",
		"", "99999999999999999999.00", "92233720368547758.08",
	};
	static const struct { const char *status; enum cpt_payment_outcome outcome; } statuses[] = {
		{ "paid", CPT_PAYMENT_PAID }, { "open", CPT_PAYMENT_PENDING },
		{ "pending", CPT_PAYMENT_PENDING }, { "authorized", CPT_PAYMENT_PENDING },
		{ "canceled", CPT_PAYMENT_FAILED }, { "expired", CPT_PAYMENT_FAILED },
		{ "failed", CPT_PAYMENT_FAILED },
	};
	char out[128], id[MOLLIE_ID_MAX + 1];
	long long cents;
	size_t i;

	/* rule: cents become "units.cc" by integer arithmetic, and back */
	for (i = 0; i < sizeof(amounts) / sizeof(amounts[0]); i++) {
		ok(mollie_amount_str(amounts[i].cents, out, sizeof(out)) == 0 &&
		    strcmp(out, amounts[i].text) == 0, "%lld cents are \"%s\" (got \"%s\")", amounts[i].cents,
		    amounts[i].text, out);
		ok(mollie_amount_parse(amounts[i].text, &cents) == 0 && cents == amounts[i].cents,
		    "\"%s\" is %lld cents", amounts[i].text, amounts[i].cents);
	}
	ok(mollie_amount_str(-1, out, sizeof(out)) == -1, "a negative amount has no string");
	ok(mollie_amount_str(1234, out, 5) == -1, "\"12.34\" does not fit in 5 bytes");
	ok(mollie_amount_str(1234, out, 6) == 0 && strcmp(out, "12.34") == 0, "it fits in 6");
	ok(mollie_amount_str(LLONG_MAX, out, sizeof(out)) == 0 &&
	    mollie_amount_parse(out, &cents) == 0 && cents == LLONG_MAX, "the largest amount goes and comes back");
	for (i = 0; i < sizeof(bad_amounts) / sizeof(bad_amounts[0]); i++)
		ok(mollie_amount_parse(bad_amounts[i], &cents) == -1, "\"%s\" is refused", bad_amounts[i]);
	ok(mollie_amount_parse(NULL, &cents) == -1, "no string is refused");

	/* rule: only "paid" is money; open, pending, authorized wait; the rest failed */
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		is_int((int)mollie_status_outcome(statuses[i].status), (int)statuses[i].outcome,
		    "status %s", statuses[i].status);
	is_int((int)mollie_status_outcome("refunded"), 0, "a status Mollie may add is no outcome");
	is_int((int)mollie_status_outcome("PAID"), 0, "statuses are lower-case");
	is_int((int)mollie_status_outcome(NULL), 0, "no status is no outcome");

	/* the webhook's body: id=tr_… and nothing to believe besides */
	ok(mollie_form_id("id=tr_d0b0E3EA3v", 16, id, sizeof(id)) && strcmp(id, "tr_d0b0E3EA3v") == 0,
	    "Mollie's documented body gives its id");
	ok(mollie_form_id("x=1&id=tr_abc&y=2", 17, id, sizeof(id)) && strcmp(id, "tr_abc") == 0,
	    "the id among other fields");
	ok(mollie_form_id("id=tr%5Fabc", 11, id, sizeof(id)) && strcmp(id, "tr_abc") == 0,
	    "a percent-encoded id is decoded");
	ok(mollie_form_id("id=tr_abc&id=tr_xyz", 19, id, sizeof(id)) && strcmp(id, "tr_abc") == 0,
	    "the first id counts");
	ok(mollie_form_id("id=tr_abcdef", 9, id, sizeof(id)) && strcmp(id, "tr_abc") == 0,
	    "the body's length is respected");
	ok(!mollie_form_id("id=ord_abc", 10, id, sizeof(id)), "an order id is not a payment id");
	ok(!mollie_form_id("id=tr_", 6, id, sizeof(id)), "an empty token is refused");
	ok(!mollie_form_id("id=tr_a%2Fb", 11, id, sizeof(id)), "a slash (a path in the API URL) is refused");
	ok(!mollie_form_id("id=tr_a%2", 9, id, sizeof(id)), "a cut escape is refused");
	ok(!mollie_form_id("id=tr_a+b", 9, id, sizeof(id)), "a space is refused");
	ok(!mollie_form_id("xid=tr_abc", 10, id, sizeof(id)), "only the field named id");
	ok(!mollie_form_id("{\"id\":\"tr_abc\"}", 15, id, sizeof(id)), "JSON is not the webhook's form");
	ok(!mollie_form_id("", 0, id, sizeof(id)), "an empty body has no id");
	memset(out, 'a', sizeof(out));
	memcpy(out, "id=tr_", 6);
	ok(!mollie_form_id(out, 3 + MOLLIE_ID_MAX + 1, id, sizeof(id)), "an id longer than %d is refused",
	    MOLLIE_ID_MAX);
	ok(mollie_form_id(out, 3 + MOLLIE_ID_MAX, id, sizeof(id)) && strlen(id) == MOLLIE_ID_MAX,
	    "an id of %d characters is taken", MOLLIE_ID_MAX);

	return done_testing();
}
