#include "sepa.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zint.h>

bool
sepa_compact(const char *in, char *out, size_t size)
{
	size_t n = 0;

	for (; *in; in++) {
		char c = *in;

		if (c == ' ' || c == '\t' || c == '-')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) || n + 1 >= size)
			return false;
		out[n++] = c;
	}
	out[n] = '\0';
	return true;
}

/* The remainder mod 97 of the decimal number a string stands for, letters
 * as 10..35 (ISO 7064 MOD 97-10, as IBAN and ISO 11649 use it). */
static unsigned
mod97(const char *s)
{
	unsigned r = 0;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			r = (r * 10 + (unsigned)(*s - '0')) % 97;
		else
			r = (r * 100 + (unsigned)(*s - 'A' + 10)) % 97;
	}
	return r;
}

/* IBAN lengths of the SEPA countries (the SWIFT IBAN registry). */
static const struct { char cc[3]; unsigned char len; } iban_lengths[] = {
	{ "AD", 24 }, { "AT", 20 }, { "BE", 16 }, { "BG", 22 }, { "CH", 21 }, { "CY", 28 },
	{ "CZ", 24 }, { "DE", 22 }, { "DK", 18 }, { "EE", 20 }, { "ES", 24 }, { "FI", 18 },
	{ "FR", 27 }, { "GB", 22 }, { "GI", 23 }, { "GR", 27 }, { "HR", 21 }, { "HU", 28 },
	{ "IE", 22 }, { "IS", 26 }, { "IT", 27 }, { "LI", 21 }, { "LT", 20 }, { "LU", 20 },
	{ "LV", 21 }, { "MC", 27 }, { "MT", 31 }, { "NL", 18 }, { "NO", 15 }, { "PL", 28 },
	{ "PT", 25 }, { "RO", 24 }, { "SE", 24 }, { "SI", 19 }, { "SK", 24 }, { "SM", 27 },
	{ "VA", 22 },
};

bool
sepa_iban_valid(const char *iban)
{
	char c[40], moved[40];
	size_t n, i;

	if (!iban || !sepa_compact(iban, c, sizeof(c)) || (n = strlen(c)) < 15)
		return false;
	for (i = 0; i < sizeof(iban_lengths) / sizeof(iban_lengths[0]); i++)
		if (memcmp(c, iban_lengths[i].cc, 2) == 0)
			break;
	if (i == sizeof(iban_lengths) / sizeof(iban_lengths[0]) || n != iban_lengths[i].len)
		return false;
	if (c[2] < '0' || c[2] > '9' || c[3] < '0' || c[3] > '9')
		return false;
	/* The country and check digits go to the end. */
	memcpy(moved, c + 4, n - 4);
	memcpy(moved + n - 4, c, 4);
	moved[n] = '\0';
	return mod97(moved) == 1;
}

void
sepa_iban_format(const char *compact, char *out, size_t size)
{
	size_t i, n = 0;

	if (size == 0)
		return;
	for (i = 0; compact[i] && n + 2 < size; i++) {
		if (i && i % 4 == 0)
			out[n++] = ' ';
		out[n++] = compact[i];
	}
	out[n] = '\0';
}

static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_alnum(char c) { return is_upper(c) || (c >= '0' && c <= '9'); }

bool
sepa_bic_valid(const char *bic)
{
	char c[16];
	size_t n, i;

	if (!bic || !sepa_compact(bic, c, sizeof(c)))
		return false;
	n = strlen(c);
	if (n != 8 && n != 11)
		return false;
	for (i = 0; i < 6; i++)
		if (!is_upper(c[i]))
			return false;
	for (; i < n; i++)
		if (!is_alnum(c[i]))
			return false;
	return true;
}

void
sepa_be_structured(unsigned long long number, char out[21])
{
	unsigned long long base = number % 10000000000ULL;
	unsigned check = (unsigned)(base % 97);
	char d[13];

	snprintf(d, sizeof(d), "%010llu%02u", base, check ? check : 97);
	snprintf(out, 21, "+++%.3s/%.4s/%.5s+++", d, d + 3, d + 7);
}

bool
sepa_be_structured_valid(const char *s)
{
	char d[13];
	size_t n = 0;
	unsigned long long base;
	unsigned check;

	for (; *s && n < 13; s++) {
		if (*s >= '0' && *s <= '9')
			d[n++] = *s;
		else if (*s != '+' && *s != '/' && *s != '*' && *s != ' ')
			return false;
	}
	if (*s || n != 12)
		return false;
	d[12] = '\0';
	check = (unsigned)((d[10] - '0') * 10 + (d[11] - '0'));
	d[10] = '\0';
	base = strtoull(d, NULL, 10);
	return check == (base % 97 ? base % 97 : 97);
}

bool
sepa_rf_reference(const char *ref, char *out, size_t size)
{
	char c[32], moved[40];
	size_t n;
	unsigned check;

	if (!ref || !sepa_compact(ref, c, sizeof(c)) || (n = strlen(c)) == 0 || n > 21 || size < n + 5)
		return false;
	/* ISO 11649: the reference, then "RF00", mod 97; check digits 98 - r. */
	snprintf(moved, sizeof(moved), "%sRF00", c);
	check = 98 - mod97(moved);
	snprintf(out, size, "RF%02u%s", check, c);
	return true;
}

bool
sepa_rf_valid(const char *rf)
{
	char c[32], moved[40];
	size_t n;

	if (!rf || !sepa_compact(rf, c, sizeof(c)) || (n = strlen(c)) < 5 || n > 25 ||
	    c[0] != 'R' || c[1] != 'F')
		return false;
	snprintf(moved, sizeof(moved), "%s%.4s", c + 4, c);
	return mod97(moved) == 1;
}

/* UTF-8 characters of s (EPC069-12 counts characters). */
static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; s && *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

static bool
fits(const char *s, size_t max)
{
	return !s || (chars(s) <= max && !strchr(s, '\n') && !strchr(s, '\r'));
}

size_t
sepa_epc_payload(const struct epc_transfer *t, char *out, size_t size)
{
	char amount[32];
	unsigned long long cents;
	const char *bic = t->bic ? t->bic : "";
	int n;

	if (!t->name || !*t->name || !t->iban || !sepa_iban_valid(t->iban) ||
	    !fits(t->name, 70) || !fits(bic, 11) || (*bic && !sepa_bic_valid(bic)) ||
	    t->amount_cents < 1 || t->amount_cents > 99999999999LL ||
	    (t->purpose && *t->purpose && strlen(t->purpose) != 4) || !fits(t->purpose, 4) ||
	    !fits(t->structured, 35) || !fits(t->text, 140) || !fits(t->info, 70) ||
	    (t->structured && *t->structured && t->text && *t->text))   /* one or the other */
		return 0;
	/* "EUR12.5" is allowed, "EUR12.50" clearer; whole euros as "EUR1" (the spec's example). */
	cents = (unsigned long long)t->amount_cents;
	if (cents % 100)
		snprintf(amount, sizeof(amount), "EUR%llu.%02u", cents / 100, (unsigned)(cents % 100));
	else
		snprintf(amount, sizeof(amount), "EUR%llu", cents / 100);
	n = snprintf(out, size, "BCD\n%s\n1\nSCT\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s", *bic ? "001" : "002",
	    bic, t->name, t->iban, amount, t->purpose ? t->purpose : "",
	    t->structured ? t->structured : "", t->text ? t->text : "", t->info ? t->info : "");
	if (n < 0 || (size_t)n >= size)
		return 0;
	while (n > 0 && out[n - 1] == '\n')   /* empty trailing fields may go */
		out[--n] = '\0';
	return n <= 331 ? (size_t)n : 0;
}

char *
sepa_qr_svg(const char *payload, size_t len, size_t *svg_len)
{
	struct zint_symbol *sym = ZBarcode_Create();
	const int quiet = 4, scale = 4;
	char *svg = NULL;
	size_t cap, n = 0;
	int row, col, w, h, k;

	if (!sym)
		return NULL;
	sym->symbology = BARCODE_QRCODE;
	sym->option_1 = 2;              /* error correction M */
	sym->input_mode = DATA_MODE;    /* the UTF-8 bytes as they are, no ECI */
	if (ZBarcode_Encode(sym, (const unsigned char *)payload, (int)len) >= ZINT_ERROR)
		goto out;
	w = sym->width + 2 * quiet;
	h = sym->rows + 2 * quiet;
	cap = 512 + (size_t)sym->rows * (size_t)sym->width * 24;
	if (!(svg = malloc(cap)))
		goto out;
	k = snprintf(svg, cap, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\""
	    " width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\""
	    " fill=\"#fff\"/><path fill=\"#000\" d=\"", w, h, w * scale, h * scale, w, h);
	n = (size_t)k;
	for (row = 0; row < sym->rows; row++)
		for (col = 0; col < sym->width; col++)
			if (sym->encoded_data[row][col >> 3] & (1 << (col & 7))) {
				k = snprintf(svg + n, cap - n, "M%d %dh1v1h-1z", col + quiet, row + quiet);
				if (k < 0 || (size_t)k >= cap - n) {
					free(svg);
					svg = NULL;
					goto out;
				}
				n += (size_t)k;
			}
	k = snprintf(svg + n, cap - n, "\"/></svg>");
	n += (size_t)k;
	*svg_len = n;
out:
	ZBarcode_Delete(sym);
	return svg;
}
