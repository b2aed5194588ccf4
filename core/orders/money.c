#include "orders/money.h"

#include <string.h>

#include "util/buf.h"

/* a × b / d rounded half up, for non-negative values, without overflow. */
static long long
mul_div_round(long long a, long long b, long long d)
{
	__int128 p = (__int128)a * b;

	return (long long)((p + d / 2) / d);
}

static bool
line_valid(const struct money_line *l)
{
	return l->unit_cents >= 0 && l->unit_cents <= MONEY_MAX_UNIT_CENTS &&
	    l->quantity >= 1 && l->quantity <= MONEY_MAX_QUANTITY &&
	    l->discount_cents >= 0 && l->discount_cents <= l->unit_cents * l->quantity &&
	    l->vat_rate <= VAT_RATE_MAX;
}

/* Adds `amount` to the group of `rate`, keeping groups sorted by rate, descending. */
static int
add_to_rate(struct order_totals *t, unsigned rate, long long amount)
{
	size_t i, j;

	for (i = 0; i < t->nvat; i++) {
		if (t->vat[i].rate == rate) {
			if (__builtin_add_overflow(t->vat[i].base_cents, amount, &t->vat[i].base_cents))
				return MONEY_TOO_LARGE;
			return MONEY_OK;
		}
		if (t->vat[i].rate < rate)
			break;
	}
	if (t->nvat == ORDER_MAX_RATES)
		return MONEY_TOO_MANY_RATES;
	for (j = t->nvat; j > i; j--)
		t->vat[j] = t->vat[j - 1];
	t->vat[i].rate = rate;
	t->vat[i].base_cents = amount;   /* gross or net until computed below */
	t->vat[i].vat_cents = 0;
	t->nvat++;
	return MONEY_OK;
}

int
order_totals(bool prices_include_vat, struct money_line *lines, size_t n,
    long long shipping_cents, struct order_totals *out, size_t *bad_line)
{
	unsigned top_rate = 0;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if (shipping_cents < 0 || shipping_cents > MONEY_MAX_UNIT_CENTS)
		return MONEY_BAD_LINE;
	for (i = 0; i < n; i++) {
		struct money_line *l = &lines[i];

		if (!line_valid(l)) {
			if (bad_line)
				*bad_line = i;
			return MONEY_BAD_LINE;
		}
		/* line_valid() bounds the line to 10^15 cents; the sums are
		 * what can overflow (rule 5). */
		l->total_cents = l->unit_cents * l->quantity - l->discount_cents;
		if (__builtin_add_overflow(out->lines_cents, l->total_cents, &out->lines_cents))
			return MONEY_TOO_LARGE;
		if (l->vat_rate > top_rate)
			top_rate = l->vat_rate;
		rc = add_to_rate(out, l->vat_rate, l->total_cents);
		if (rc != MONEY_OK)
			return rc;
	}
	out->shipping_cents = shipping_cents;
	out->shipping_vat_rate = top_rate;
	if (shipping_cents > 0 && (rc = add_to_rate(out, top_rate, shipping_cents)) != MONEY_OK)
		return rc;

	for (i = 0; i < out->nvat; i++) {
		struct vat_amount *v = &out->vat[i];
		long long amount = v->base_cents;

		if (prices_include_vat) {
			v->vat_cents = mul_div_round(amount, v->rate, 10000 + (long long)v->rate);
			v->base_cents = amount - v->vat_cents;
		} else {
			v->vat_cents = mul_div_round(amount, v->rate, 10000);
		}
		if (__builtin_add_overflow(out->total_ex_vat_cents, v->base_cents, &out->total_ex_vat_cents) ||
		    __builtin_add_overflow(out->total_vat_cents, v->vat_cents, &out->total_vat_cents))
			return MONEY_TOO_LARGE;
	}
	if (__builtin_add_overflow(out->total_ex_vat_cents, out->total_vat_cents, &out->total_cents))
		return MONEY_TOO_LARGE;
	return MONEY_OK;
}

/* Groups the digits of `units` by three with `sep` between groups. */
static size_t
group_digits(char *out, size_t size, unsigned long long units, const char *sep)
{
	char digits[24];
	size_t nd, i, o = 0, seplen = strlen(sep);

	nd = fmt_ull(digits, units);
	for (i = 0; i < nd; i++) {
		if (i > 0 && (nd - i) % 3 == 0) {
			if (o + seplen >= size)
				break;
			memcpy(out + o, sep, seplen);
			o += seplen;
		}
		if (o + 1 >= size)
			break;
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return o;
}

/* Appends the n bytes at s to out[at…] as snprintf would (what passes
 * size - 1 is dropped); returns the length written or not. */
static size_t
put(char *out, size_t size, size_t at, const char *s, size_t n)
{
	if (at + 1 < size)
		memcpy(out + at, s, n < size - 1 - at ? n : size - 1 - at);
	return at + n;
}

/* Written piece by piece, without printf: a list page formats 50 amounts. */
void
money_format(char *out, size_t size, long long cents, const char *currency, const char *lang)
{
	unsigned long long abs = cents < 0 ? (unsigned long long)-(cents + 1) + 1 : (unsigned long long)cents;
	const char *sym = strcmp(currency, "EUR") == 0 ? "€" : currency;
	char units[48], frac[3] = { (char)('0' + abs % 100 / 10), (char)('0' + abs % 10), '\0' };
	size_t n = 0, nunits;
	bool en = lang && strcmp(lang, "en") == 0;

	if (size == 0)
		return;
	/* U+202F narrow no-break space, as French typography wants. */
	nunits = group_digits(units, sizeof(units), abs / 100, en ? "," : "\u202f");
	if (cents < 0)
		n = put(out, size, n, "-", 1);
	if (en) {
		n = put(out, size, n, sym, strlen(sym));
		n = put(out, size, n, units, nunits);
		n = put(out, size, n, ".", 1);
		n = put(out, size, n, frac, 2);
	} else {
		n = put(out, size, n, units, nunits);
		n = put(out, size, n, ",", 1);
		n = put(out, size, n, frac, 2);
		n = put(out, size, n, "\u00a0", 2);
		n = put(out, size, n, sym, strlen(sym));
	}
	out[n < size ? n : size - 1] = '\0';
}

/* A grouping mark between digits: ' ', U+00A0, U+202F, or the separator
 * that is not the decimal one; its length in bytes, 0 for none. */
static size_t
group_mark(const char *s, size_t left, char other)
{
	if (left >= 1 && (*s == ' ' || *s == other))
		return 1;
	if (left >= 2 && memcmp(s, "\u00a0", 2) == 0)
		return 2;
	if (left >= 3 && memcmp(s, "\u202f", 3) == 0)
		return 3;
	return 0;
}

int
money_parse(const char *s, size_t len, long long *cents)
{
	const char *end = s + len, *dec = NULL, *p;
	long long units = 0, frac = 0;
	size_t g, fdigits = 0, digits = 0;
	bool neg = false;
	char other;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (s < end && (*s == '-' || *s == '+'))
		neg = *s++ == '-';
	/* The decimal separator: the last ',' or '.' with 1 or 2 digits after it. */
	for (p = end; p > s; p--) {
		if (p[-1] == ',' || p[-1] == '.') {
			if (end - p >= 1 && end - p <= 2)
				dec = p - 1;
			break;
		}
		if (p[-1] < '0' || p[-1] > '9')
			break;
	}
	other = dec ? (*dec == ',' ? '.' : ',') : 0;
	for (p = s; p < (dec ? dec : end); p++) {
		if (*p >= '0' && *p <= '9') {
			if (units > MONEY_MAX_PARSE_CENTS / 1000)
				return MONEY_BAD_LINE;
			units = units * 10 + (*p - '0');
			digits++;
			continue;
		}
		/* a mark only between digits, never doubled, never first */
		g = digits ? group_mark(p, (size_t)((dec ? dec : end) - p), other) : 0;
		if (!g || p + g >= (dec ? dec : end) || p[g] < '0' || p[g] > '9')
			return MONEY_BAD_LINE;
		p += g - 1;
	}
	if (!digits)
		return MONEY_BAD_LINE;
	for (p = dec ? dec + 1 : end; p < end; p++, fdigits++)
		frac = frac * 10 + (*p - '0');
	if (fdigits == 1)
		frac *= 10;
	units = units * 100 + frac;
	if (units > MONEY_MAX_PARSE_CENTS)
		return MONEY_BAD_LINE;
	*cents = neg ? -units : units;
	return MONEY_OK;
}
