/* order_totals(), the one function for totals and VAT, and the order code. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "orders/code.h"
#include "orders/money.h"
#include "orders/order_view.h"
#include "tap.h"

static struct money_line
line(long long unit, long long qty, long long discount, unsigned rate)
{
	struct money_line l = { unit, qty, discount, rate, 0 };

	return l;
}

static void
test_ttc(void)
{
	struct money_line l[] = { line(2490, 2, 0, 2000) };
	struct order_totals t;

	ok(order_totals(true, l, 1, 690, &t, NULL) == MONEY_OK, "the issue's example computes");
	is_int(l[0].total_cents, 4980, "line total = 2 × 24,90 €");
	is_int(t.lines_cents, 4980, "lines");
	is_int(t.total_cents, 5670, "total with shipping = 56,70 €");
	is_int(t.total_vat_cents, 945, "VAT 20 %% inside 56,70 € = 9,45 €");
	is_int(t.total_ex_vat_cents, 4725, "without VAT = 47,25 €");
	is_int((long long)t.shipping_vat_rate, 2000, "shipping bears the lines' rate");
	ok(t.nvat == 1 && t.vat[0].rate == 2000 && t.vat[0].base_cents == 4725, "one VAT rate in the breakdown");
}

static void
test_rounding_per_rate(void)
{
	/* Three lines of 0,10 € TTC at 20 %: per line the VAT would be
	 * 0,0167 → 0,02 each (0,06); on the sum 0,30 € it is 0,05. */
	struct money_line l[] = { line(10, 1, 0, 2000), line(10, 1, 0, 2000), line(10, 1, 0, 2000) };
	struct order_totals t;

	order_totals(true, l, 3, 0, &t, NULL);
	is_int(t.total_vat_cents, 5, "VAT is rounded once per rate, on the sum, not per line");
	is_int(t.total_cents, 30, "the customer pays what the prices add up to");
}

static void
test_mixed_rates_and_ht(void)
{
	struct money_line l[] = { line(1000, 3, 100, 2000), line(2000, 1, 0, 550), line(999, 1, 0, 550) };
	struct order_totals t;

	ok(order_totals(false, l, 3, 500, &t, NULL) == MONEY_OK, "prices without VAT compute");
	is_int(l[0].total_cents, 2900, "a line discount comes off the line");
	ok(t.nvat == 2 && t.vat[0].rate == 2000 && t.vat[1].rate == 550, "rates listed highest first");
	is_int(t.vat[0].base_cents, 3400, "20 %%: 29,00 € of goods + 5,00 € of shipping");
	is_int(t.vat[0].vat_cents, 680, "20 %% of 34,00 € = 6,80 €");
	is_int(t.vat[1].base_cents, 2999, "5,5 %%: 29,99 €");
	is_int(t.vat[1].vat_cents, 165, "5,5 %% of 29,99 € = 1,649… → 1,65 € (half up)");
	is_int(t.total_ex_vat_cents, 6399, "without VAT");
	is_int(t.total_cents, 6399 + 680 + 165, "total = without VAT + VAT");
}

static void
test_half_up(void)
{
	/* 12,5 cents of VAT exactly: 75 cents at 20 % inside TTC → 12,5 → 13. */
	struct money_line l[] = { line(75, 1, 0, 2000) };
	struct order_totals t;

	order_totals(true, l, 1, 0, &t, NULL);
	is_int(t.total_vat_cents, 13, "a half cent rounds up");
	is_int(t.total_ex_vat_cents, 62, "and the base is what is left");
}

static void
test_refusals(void)
{
	struct money_line bad_qty[] = { line(100, 1, 0, 2000), line(100, 0, 0, 2000) };
	struct money_line bad_disc[] = { line(100, 1, 101, 2000) };
	struct money_line bad_rate[] = { line(100, 1, 0, 10001) };
	struct money_line huge[] = { line(MONEY_MAX_UNIT_CENTS, MONEY_MAX_QUANTITY, 0, 10000) };
	struct money_line rates[ORDER_MAX_RATES + 1];
	struct order_totals t;
	size_t bad = 99, i;

	ok(order_totals(true, bad_qty, 2, 0, &t, &bad) == MONEY_BAD_LINE && bad == 1,
	    "a quantity of 0 is refused, and the line named");
	ok(order_totals(true, bad_disc, 1, 0, &t, &bad) == MONEY_BAD_LINE, "a discount above the line is refused");
	ok(order_totals(true, bad_rate, 1, 0, &t, &bad) == MONEY_BAD_LINE, "a rate above 100 %% is refused");
	ok(order_totals(true, bad_qty, 1, -1, &t, &bad) == MONEY_BAD_LINE, "negative shipping is refused");
	ok(order_totals(false, huge, 1, 0, &t, NULL) == MONEY_OK && t.total_vat_cents == t.lines_cents,
	    "the largest amounts compute without overflow");
	for (i = 0; i <= ORDER_MAX_RATES; i++)
		rates[i] = line(100, 1, 0, (unsigned)(100 * (i + 1)));
	ok(order_totals(true, rates, ORDER_MAX_RATES + 1, 0, &t, NULL) == MONEY_TOO_MANY_RATES,
	    "more than %d VAT rates in one order is refused", ORDER_MAX_RATES);
}

static void
test_rule5_sums_that_overflow_are_refused(void)
{
	/* 10^15 cents a line: 9,223 lines fit in a long long, 9,224 do not. */
	size_t n = 9300, i;
	struct money_line *l = calloc(n, sizeof(*l));
	struct order_totals t;

	for (i = 0; i < n; i++)
		l[i] = line(MONEY_MAX_UNIT_CENTS, MONEY_MAX_QUANTITY, 0, 2000);
	ok(order_totals(true, l, 9223, 0, &t, NULL) == MONEY_OK && t.lines_cents == 9223000000000000000LL,
	    "rule 5: 9,223 lines of 10^15 cents still sum");
	is_int(t.total_cents, t.lines_cents, "and the total is what they add up to");
	is_int(order_totals(true, l, 9224, 0, &t, NULL), MONEY_TOO_LARGE,
	    "rule 5: 9,224 such lines are refused, not wrapped");
	is_int(order_totals(false, l, 9223, 0, &t, NULL), MONEY_TOO_LARGE,
	    "rule 5: prices without VAT: 20 %% on top of 9,223 lines is refused");
	/* Two more lines bring the sum to LLONG_MAX exactly. */
	l[9223] = line(372036854, MONEY_MAX_QUANTITY, 0, 2000);
	l[9224] = line(775807, 1, 0, 2000);
	ok(order_totals(true, l, 9225, 0, &t, NULL) == MONEY_OK && t.total_cents == LLONG_MAX,
	    "rule 5: lines summing to LLONG_MAX exactly compute");
	is_int(order_totals(true, l, 9225, 1, &t, NULL), MONEY_TOO_LARGE,
	    "rule 5: one cent of shipping more is refused");
	for (i = 0; i < n; i++)
		l[i].vat_rate = (unsigned)(i % 2) * 550;
	is_int(order_totals(false, l, n, 0, &t, NULL), MONEY_TOO_LARGE,
	    "rule 5: spread over two rates, the sum of the bases is checked as well");
	free(l);
}

static void
test_format(void)
{
	char s[64];

	money_format(s, sizeof(s), 123450, "EUR", "fr");
	is_str(s, "1\u202f234,50\u00a0€", "French: 1 234,50 € with narrow spaces");
	money_format(s, sizeof(s), 5, "EUR", "fr");
	is_str(s, "0,05\u00a0€", "cents below one euro");
	money_format(s, sizeof(s), -123456789, "EUR", "en");
	is_str(s, "-€1,234,567.89", "English, negative, grouped");
	money_format(s, sizeof(s), 123456789012LL, "EUR", "fr");
	is_str(s, "1\u202f234\u202f567\u202f890,12\u00a0€", "French: every group of three, the same narrow space");
	money_format(s, sizeof(s), 99999, "EUR", "fr");
	is_str(s, "999,99\u00a0€", "French: no separator under a thousand");
	money_format(s, sizeof(s), 100000, "EUR", "fr");
	is_str(s, "1\u202f000,00\u00a0€", "French: one thousand");
	money_format(s, sizeof(s), -150, "EUR", "fr");
	is_str(s, "-1,50\u00a0€", "French, negative");
	money_format(s, sizeof(s), 1250, "CHF", "fr");
	is_str(s, "12,50\u00a0CHF", "another currency by its code");
}

/* money_format as it was written with snprintf: the one without printf
 * must write the same bytes, truncation included. */
static void
money_format_printf(char *out, size_t size, long long cents, const char *currency, const char *lang)
{
	unsigned long long abs = cents < 0 ? (unsigned long long)-(cents + 1) + 1 : (unsigned long long)cents;
	const char *sym = strcmp(currency, "EUR") == 0 ? "€" : currency, *sep = lang && strcmp(lang, "en") == 0 ?
	    "," : "\u202f";
	char digits[32], units[48];
	size_t nd, i, o = 0;

	nd = (size_t)snprintf(digits, sizeof(digits), "%llu", abs / 100);
	for (i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0) {
			memcpy(units + o, sep, strlen(sep));
			o += strlen(sep);
		}
		units[o++] = digits[i];
	}
	units[o] = '\0';
	if (lang && strcmp(lang, "en") == 0)
		snprintf(out, size, "%s%s%s.%02llu", cents < 0 ? "-" : "", sym, units, abs % 100);
	else
		snprintf(out, size, "%s%s,%02llu\u00a0%s", cents < 0 ? "-" : "", units, abs % 100, sym);
}

static void
test_format_as_printf(void)
{
	static const long long edge[] = { 0, 1, -1, 9, 10, 99, 100, 101, 99999, 100000, -100000, 123456789,
		LLONG_MAX, LLONG_MIN, LLONG_MIN + 1 };
	static const char *const lang[] = { "fr", "en", NULL };
	static const char *const cur[] = { "EUR", "CHF", "GBP" };
	char got[64], want[64];
	size_t i, k, size, bad = 0, n = 0;
	unsigned long long x = 88172645463325252ULL;

	for (i = 0; i < 20000; i++) {
		long long cents;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;   /* xorshift: the same values every run */
		cents = i < sizeof(edge) / sizeof(edge[0]) ? edge[i] : (long long)(x >> (x % 60));
		if (i % 3 == 0)
			cents = -cents;
		for (k = 0; k < 3; k++) {
			size = i % 5 == 0 ? (size_t)(x % 24) : sizeof(got);
			memset(got, 'x', sizeof(got));
			memset(want, 'x', sizeof(want));
			money_format(got, size, cents, cur[i % 3], lang[k]);
			money_format_printf(want, size, cents, cur[i % 3], lang[k]);
			n++;
			if (memcmp(got, want, sizeof(got)) != 0 && bad++ < 3)
				diag("%lld %s in %zu bytes: \"%s\", printf: \"%s\"", cents, lang[k] ? lang[k] : "NULL",
				    size, got, want);
		}
	}
	is_int((long long)bad, 0, "money_format writes what its printf version wrote, cut short as it was (%zu)", n);
}

static void
test_view_format(void)
{
	char s[32];

	vat_rate_format(s, sizeof(s), 2000, "fr");
	is_str(s, "20\u00a0%", "VAT 20 %% in French");
	vat_rate_format(s, sizeof(s), 550, "fr");
	is_str(s, "5,5\u00a0%", "VAT 5,5 %% in French");
	vat_rate_format(s, sizeof(s), 210, "en");
	is_str(s, "2.1%", "VAT 2.1%% in English");
	vat_rate_format(s, sizeof(s), 1234, "fr");
	is_str(s, "12,34\u00a0%", "two decimals when needed");
	vat_rate_format(s, sizeof(s), 0, "en");
	is_str(s, "0%", "no VAT");
	weight_format(s, sizeof(s), 850, "fr");
	is_str(s, "850\u00a0g", "under a kilogram in grams");
	weight_format(s, sizeof(s), 2100, "fr");
	is_str(s, "2,1\u00a0kg", "kilograms, zeros dropped");
	weight_format(s, sizeof(s), 1255, "en");
	is_str(s, "1.26\u00a0kg", "to the 10 g, rounded half up, in English");
	weight_format(s, sizeof(s), 3000, "fr");
	is_str(s, "3\u00a0kg", "whole kilograms");
}

static void
test_codes(void)
{
	char a[ORDER_CODE_LEN + 1], b[ORDER_CODE_LEN + 1], n[ORDER_CODE_LEN + 1];
	int i, clean = 1;

	for (i = 0; i < 1000; i++) {
		order_code_new(a);
		if (strlen(a) != 8 || strpbrk(a, "01ILO"))
			clean = 0;
	}
	ok(clean, "1000 codes: 8 characters, never 0, 1, I, L or O");
	order_code_new(b);
	ok(strcmp(a, b) != 0, "two codes differ");
	ok(order_code_normalise("k7qm-4tzp", n) && strcmp(n, "K7QM4TZP") == 0,
	    "a code typed in lower case with a dash is understood");
	ok(!order_code_normalise("K7QM4TZ0", n) && !order_code_normalise("K7QM4TZ", n) &&
	    !order_code_normalise("K7QM4TZPX", n), "wrong characters or lengths are not codes");
}

int
main(void)
{
	test_ttc();
	test_rounding_per_rate();
	test_mixed_rates_and_ht();
	test_half_up();
	test_refusals();
	test_rule5_sums_that_overflow_are_refused();
	test_format();
	test_format_as_printf();
	test_view_format();
	test_codes();
	return done_testing();
}
