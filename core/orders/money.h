/*
 * money: amounts are integer cents with the currency beside them; VAT
 * rates are hundredths of a percent (2000 = 20 %, 550 = 5,5 %).
 *
 * order_totals() is the one function that computes an order's totals and
 * VAT. The rules, as French invoices apply them:
 *  1. A line's total is unit price × quantity − the line's discount, in the
 *     order's price basis: with VAT (TTC) when the shop's prices include
 *     VAT, without (HT) otherwise. It is never negative.
 *  2. Shipping is in the same basis and bears the highest VAT rate of the
 *     order's lines (the rate of the principal goods).
 *  3. Amounts are summed per VAT rate, and VAT is computed once per rate on
 *     that sum — not per line — rounded half up to the cent:
 *       basis TTC: vat = round(gross × rate / (10000 + rate)), base = gross − vat
 *       basis HT:  vat = round(net × rate / 10000),            base = net
 *  4. Total without VAT = Σ bases; VAT = Σ VAT; total = the two added.
 *  5. Every product and sum is checked: an order whose amounts a signed
 *     64-bit count of cents cannot hold is refused (MONEY_TOO_LARGE), never
 *     wrapped. (One line is at most MONEY_MAX_UNIT_CENTS × MONEY_MAX_QUANTITY
 *     = 10^15 cents: about 9,200 such lines overflow.)
 */
#ifndef CPT_MONEY_H
#define CPT_MONEY_H

#include <stdbool.h>
#include <stddef.h>

#define MONEY_MAX_UNIT_CENTS 1000000000LL   /* 10 million per unit */
#define MONEY_MAX_QUANTITY 1000000
#define VAT_RATE_MAX 10000U                 /* 100 % */
#define ORDER_MAX_RATES 8

struct money_line {
	long long unit_cents;
	long long quantity;
	long long discount_cents;
	unsigned vat_rate;
	long long total_cents;     /* out: rule 1 */
};

struct vat_amount {
	unsigned rate;
	long long base_cents;      /* without VAT */
	long long vat_cents;
};

struct order_totals {
	long long lines_cents;         /* Σ line totals, price basis */
	long long shipping_cents;      /* price basis */
	unsigned shipping_vat_rate;
	long long total_ex_vat_cents;
	long long total_vat_cents;
	long long total_cents;         /* what the customer pays */
	struct vat_amount vat[ORDER_MAX_RATES];
	size_t nvat;                   /* sorted by rate, descending */
};

enum money_rc {
	MONEY_OK = 0,
	MONEY_BAD_LINE = -1,       /* unit, quantity, discount or rate out of range */
	MONEY_TOO_MANY_RATES = -2,
	MONEY_TOO_LARGE = -3,      /* rule 5: a sum past the range of long long */
};

/* Computes line totals and the order's totals by the rules above. On
 * MONEY_BAD_LINE, *bad_line is the index of the first faulty line. On any
 * refusal *out holds nothing of use. */
int order_totals(bool prices_include_vat, struct money_line *lines, size_t n,
    long long shipping_cents, struct order_totals *out, size_t *bad_line);

/* Writes cents as French money, "1 234,50 €" (narrow no-break spaces), or
 * English, "€1,234.50". */
void money_format(char *out, size_t size, long long cents, const char *currency, const char *lang);

/* Reads an amount as people and banks write it into *cents: "12",
 * "12,5", "1 234,50", "1.234,50", "1,234.50", "-12.00" (a leading sign,
 * then digits grouped by spaces, no-break spaces or the other separator;
 * the last ',' or '.' followed by one or two digits is the decimal one).
 * `len` bytes of `s`; blanks around it are ignored. MONEY_OK, or
 * MONEY_BAD_LINE when it is not an amount or its size passes
 * MONEY_MAX_PARSE_CENTS. */
#define MONEY_MAX_PARSE_CENTS 1000000000000000LL   /* 10^13 in units */
int money_parse(const char *s, size_t len, long long *cents);

#endif
