/*
 * order_totals (core/orders/money.c) against a reference written here in
 * 128-bit arithmetic: lines and shipping drawn from the input (edge values
 * often, a line repeated many times to reach the sums' limits). Whenever
 * order_totals answers, its answer must be the reference's; it must refuse
 * (rule 5) exactly when the true total does not fit a long long.
 */
#include "fuzz.h"

#include <limits.h>

#include "orders/money.h"

struct reader {
	const uint8_t *p;
	size_t left;
};

static uint64_t
take(struct reader *rd, size_t n)
{
	uint64_t v = 0;

	while (n-- && rd->left) {
		v = v << 8 | *rd->p++;
		rd->left--;
	}
	return v;
}

/* Mostly in range, often at its edges, sometimes anything. */
static long long
draw(struct reader *rd, long long max)
{
	uint64_t v = take(rd, 8);

	switch (take(rd, 1) % 8) {
	case 0: return 0;
	case 1: return max;
	case 2: return max - 1;
	case 3: return 1;
	case 4: return (long long)v;        /* anything, negative included */
	default: return (long long)(v % ((uint64_t)max + 1));
	}
}

typedef __int128 i128;

static i128
ref_round(i128 a, i128 b, i128 d)
{
	return (a * b + d / 2) / d;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader rd = { data, size };
	bool ttc = take(&rd, 1) & 1;
	long long shipping = draw(&rd, MONEY_MAX_UNIT_CENTS);
	size_t n = 0, cap = 20000, i, k;
	struct money_line *l = calloc(cap, sizeof(*l));
	struct order_totals t;
	unsigned rates[ORDER_MAX_RATES + 1], top = 0;
	i128 gross[ORDER_MAX_RATES + 1] = { 0 }, lines = 0, ex = 0, vat = 0;
	size_t nrates = 0, bad = SIZE_MAX;
	bool valid = shipping >= 0 && shipping <= MONEY_MAX_UNIT_CENTS, too_many = false;
	int rc;

	fuzz_assert(l, "out of memory");
	while (rd.left && n < cap) {
		struct money_line m = { 0 };
		size_t repeat = (size_t)take(&rd, 2) % 10000 + 1;

		m.unit_cents = draw(&rd, MONEY_MAX_UNIT_CENTS);
		m.quantity = draw(&rd, MONEY_MAX_QUANTITY);
		m.discount_cents = take(&rd, 1) & 1 ? 0 : draw(&rd, MONEY_MAX_UNIT_CENTS);
		m.vat_rate = (unsigned)draw(&rd, VAT_RATE_MAX);
		for (k = 0; k < repeat && n < cap; k++)
			l[n++] = m;
	}
	/* The reference, on the lines as they came. */
	for (i = 0; i < n && valid && !too_many; i++) {
		const struct money_line *m = &l[i];
		i128 total;

		if (m->unit_cents < 0 || m->unit_cents > MONEY_MAX_UNIT_CENTS || m->quantity < 1 ||
		    m->quantity > MONEY_MAX_QUANTITY || m->discount_cents < 0 ||
		    (i128)m->discount_cents > (i128)m->unit_cents * m->quantity || m->vat_rate > VAT_RATE_MAX) {
			valid = false;
			bad = i;
			break;
		}
		total = (i128)m->unit_cents * m->quantity - m->discount_cents;
		lines += total;
		if (m->vat_rate > top)
			top = m->vat_rate;
		for (k = 0; k < nrates && rates[k] != m->vat_rate; k++)
			;
		if (k == nrates) {
			if (nrates == ORDER_MAX_RATES) {
				too_many = true;
				break;
			}
			rates[nrates++] = m->vat_rate;
		}
		gross[k] += total;
	}
	if (valid && !too_many && shipping > 0) {
		for (k = 0; k < nrates && rates[k] != top; k++)
			;
		if (k == nrates)
			rates[nrates++] = top;
		gross[k] += shipping;
	}
	for (k = 0; valid && !too_many && k < nrates; k++) {
		i128 v = ttc ? ref_round(gross[k], rates[k], 10000 + (i128)rates[k]) :
		    ref_round(gross[k], rates[k], 10000);

		ex += ttc ? gross[k] - v : gross[k];
		vat += v;
	}

	rc = order_totals(ttc, l, n, shipping, &t, &bad);
	if (!valid) {
		/* Refused; the line named may be an earlier overflow instead. */
		fuzz_assert(rc == MONEY_BAD_LINE || rc == MONEY_TOO_LARGE || rc == MONEY_TOO_MANY_RATES,
		    "a bad line or shipping is refused");
	} else if (too_many) {
		fuzz_assert(rc == MONEY_TOO_MANY_RATES || rc == MONEY_TOO_LARGE, "too many rates refused");
	} else if (ex + vat > LLONG_MAX || lines > LLONG_MAX) {
		fuzz_assert(rc == MONEY_TOO_LARGE, "rule 5: a total past LLONG_MAX is refused");
	} else {
		fuzz_assert(rc == MONEY_OK, "a total that fits is computed");
		fuzz_assert(t.lines_cents == (long long)lines, "lines");
		fuzz_assert(t.total_ex_vat_cents == (long long)ex, "total without VAT");
		fuzz_assert(t.total_vat_cents == (long long)vat, "VAT");
		fuzz_assert(t.total_cents == (long long)(ex + vat), "total");
		fuzz_assert(t.nvat == nrates, "one entry per rate");
		for (k = 1; k < t.nvat; k++)
			fuzz_assert(t.vat[k - 1].rate > t.vat[k].rate, "rates sorted, highest first");
		fuzz_assert(t.shipping_vat_rate == top, "shipping bears the highest rate");
	}
	free(l);
	return 0;
}
