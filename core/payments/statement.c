#include "payments/statement.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "orders/code.h"
#include "orders/money.h"
#include "util/arena.h"
#include "util/i18n.h"
#include "util/utf8.h"

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(char c)
{
	return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
num(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool
statement_date(const char *s, size_t len, char out[11])
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (len == 10 && s[4] == '-' && s[7] == '-') {
		y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
	} else if (len == 10 && s[2] == '/' && s[5] == '/') {
		d = num(s, 2), m = num(s + 3, 2), y = num(s + 6, 4);
	} else {
		return false;
	}
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && leap(y)))
		return false;
	out[0] = (char)('0' + y / 1000), out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10), out[3] = (char)('0' + y % 10), out[4] = '-';
	out[5] = (char)('0' + m / 10), out[6] = (char)('0' + m % 10), out[7] = '-';
	out[8] = (char)('0' + d / 10), out[9] = (char)('0' + d % 10), out[10] = '\0';
	return true;
}

/* ---- check digits ---------------------------------------------------------- */

bool
structured_communication_valid(const char *s)
{
	unsigned long long base = 0;
	int i, check;

	for (i = 0; i < 12; i++)
		if (!is_digit(s[i]))
			return false;
	for (i = 0; i < 10; i++)
		base = base * 10 + (unsigned)(s[i] - '0');
	check = (s[10] - '0') * 10 + (s[11] - '0');
	return (base % 97 == 0 ? 97 : (int)(base % 97)) == check;
}

bool
creditor_reference_valid(const char *s, size_t len)
{
	unsigned rem = 0;
	size_t i, k;

	if (len < 5 || len > 25 || (s[0] != 'R' && s[0] != 'r') || (s[1] != 'F' && s[1] != 'f') ||
	    !is_digit(s[2]) || !is_digit(s[3]))
		return false;
	for (k = 0; k < len; k++) {
		char c = s[(k + 4) % len];   /* the first four characters go last */
		unsigned v;

		if (is_digit(c))
			v = (unsigned)(c - '0');
		else if (c >= 'A' && c <= 'Z')
			v = (unsigned)(c - 'A' + 10);
		else if (c >= 'a' && c <= 'z')
			v = (unsigned)(c - 'a' + 10);
		else
			return false;
		for (i = v >= 10 ? 2 : 1; i > 0; i--)
			rem = (rem * 10 + (i == 2 ? v / 10 : v % 10)) % 97;
	}
	return rem == 1;
}

/* ---- what a line names ---------------------------------------------------- */

static void
add_code(struct statement_refs *r, const char code[9])
{
	size_t i;

	for (i = 0; i < r->ncodes; i++)
		if (strcmp(r->codes[i], code) == 0)
			return;
	if (r->ncodes < STATEMENT_MAX_CANDIDATES)
		memcpy(r->codes[r->ncodes++], code, 9);
}

static void
add_number(struct statement_refs *r, long long n)
{
	size_t i;

	if (n <= 0)
		return;
	for (i = 0; i < r->nnumbers; i++)
		if (r->numbers[i] == n)
			return;
	if (r->nnumbers < STATEMENT_MAX_CANDIDATES)
		r->numbers[r->nnumbers++] = n;
}

/* A word that may be an order's code or number. */
static void
add_word(struct statement_refs *r, const char *w, size_t n)
{
	char tmp[32], code[ORDER_CODE_LEN + 1];
	long long v = 0;
	size_t i;

	if (n == 0 || n >= sizeof(tmp))
		return;
	memcpy(tmp, w, n);
	tmp[n] = '\0';
	if (n == ORDER_CODE_LEN && order_code_normalise(tmp, code))
		add_code(r, code);
	for (i = 0; i < n && is_digit(w[i]); i++)
		;
	if (i == n && n <= 12) {
		for (i = 0; i < n; i++)
			v = v * 10 + (w[i] - '0');
		add_number(r, v);
	}
}

/* The structured communications in `s`: "+++123/4567/89012+++", "***…***"
 * or the 12 digits alone; the first ten digits are the order's number. */
static void
scan_structured(struct statement_refs *r, const char *s, size_t len)
{
	char d[12];
	size_t i = 0, j, nd;

	while (i < len) {
		if (!is_digit(s[i])) {
			i++;
			continue;
		}
		/* a run of digits, '/' and spaces, as banks print the 12 digits */
		for (j = i, nd = 0; j < len && (is_digit(s[j]) || s[j] == '/' || s[j] == ' '); j++)
			if (is_digit(s[j])) {
				if (nd < 12)
					d[nd] = s[j];
				nd++;
			}
		if (nd == 12 && structured_communication_valid(d)) {
			long long v = 0;
			size_t k;

			for (k = 0; k < 10; k++)
				v = v * 10 + (d[k] - '0');
			add_number(r, v);
		}
		i = j;
	}
}

static void
scan_text(struct statement_refs *r, const char *s)
{
	size_t len = s ? strlen(s) : 0, i = 0, j;

	if (!len)
		return;
	scan_structured(r, s, len);
	while (i < len) {
		if (!is_alnum(s[i]) && s[i] != '-') {
			i++;
			continue;
		}
		for (j = i; j < len && (is_alnum(s[j]) || s[j] == '-'); j++)
			;
		/* the groups of a structured communication are no numbers */
		if ((i > 0 && strchr("/+*", s[i - 1])) || (j < len && strchr("/+*", s[j]))) {
			i = j;
			continue;
		}
		if (creditor_reference_valid(s + i, j - i)) {
			/* RF, two check digits, then the reference itself */
			add_word(r, s + i + 4, j - i - 4);
		} else {
			size_t a = i, b;

			/* "K7QM-4TZP" as one word; "CMD-10045" as its parts too */
			add_word(r, s + i, j - i);
			if (j - i == 9 && s[i + 4] == '-') {
				char code[ORDER_CODE_LEN + 1], tmp[10];

				memcpy(tmp, s + i, 9);
				tmp[9] = '\0';
				if (order_code_normalise(tmp, code))
					add_code(r, code);
			}
			for (b = a; b <= j; b++)
				if (b == j || s[b] == '-') {
					if (b - a < j - i)
						add_word(r, s + a, b - a);
					a = b + 1;
				}
		}
		i = j;
	}
}

void
statement_line_refs(const struct statement_line *l, struct statement_refs *out)
{
	memset(out, 0, sizeof(*out));
	scan_text(out, l->reference);
	scan_text(out, l->label);
}

/* ---- keys ---------------------------------------------------------------- */

static bool
printable_ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f)
			return false;
	return n > 0;
}

static void
hash_field(crypto_generichash_state *st, const char *s)
{
	unsigned char sep = 0x1f;

	crypto_generichash_update(st, (const unsigned char *)(s ? s : ""), s ? strlen(s) : 0);
	crypto_generichash_update(st, &sep, 1);
}

static bool
same_line(const struct statement_line *a, const struct statement_line *b)
{
	return a->amount_cents == b->amount_cents && strcmp(a->booked_on, b->booked_on) == 0 &&
	    strcmp(a->currency, b->currency) == 0 && strcmp(a->reference, b->reference) == 0 &&
	    strcmp(a->label, b->label) == 0;
}

void
statement_keys(struct statement *st)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, j, n;

	for (i = 0; i < st->n; i++) {
		struct statement_line *l = &st->lines[i];
		crypto_generichash_state h;
		unsigned char mac[20];
		char amount[32];
		unsigned seen = 0;

		n = strlen(l->bank_ref);
		if (n <= STATEMENT_BANK_REF_MAX && printable_ascii(l->bank_ref, n)) {
			memcpy(l->key, "ref:", 4);
			memcpy(l->key + 4, l->bank_ref, n + 1);
			continue;
		}
		for (j = 0; j < i; j++)
			seen += same_line(&st->lines[j], l);
		crypto_generichash_init(&h, NULL, 0, sizeof(mac));
		hash_field(&h, l->booked_on);
		(void)snprintf(amount, sizeof(amount), "%lld|%u", l->amount_cents, seen);
		hash_field(&h, amount);
		hash_field(&h, l->currency);
		hash_field(&h, l->reference);
		hash_field(&h, l->label);
		crypto_generichash_final(&h, mac, sizeof(mac));
		memcpy(l->key, "h:", 2);
		for (j = 0; j < sizeof(mac); j++) {
			l->key[2 + 2 * j] = hex[mac[j] >> 4];
			l->key[3 + 2 * j] = hex[mac[j] & 15];
		}
		l->key[2 + 2 * sizeof(mac)] = '\0';
	}
}

/* ---- CSV ------------------------------------------------------------------ */

#define CSV_FIELDS 4

/* Splits one line into at most CSV_FIELDS fields at `sep`, "double
 * quotes" around a field allowed ("" inside is one quote). false on a
 * quote left open or too many fields. */
static bool
csv_split(struct arena *a, const char *s, size_t len, char sep, const char **f, size_t *flen, size_t *nf)
{
	size_t i = 0;

	*nf = 0;
	for (;;) {
		char *out = arena_alloc(a, len + 1);
		size_t o = 0;

		if (*nf == CSV_FIELDS)
			return false;
		while (i < len && s[i] == ' ')
			i++;
		if (i < len && s[i] == '"') {
			for (i++;; i++) {
				if (i >= len)
					return false;
				if (s[i] == '"') {
					if (i + 1 < len && s[i + 1] == '"') {
						out[o++] = '"';
						i++;
						continue;
					}
					i++;
					break;
				}
				out[o++] = s[i];
			}
			while (i < len && s[i] == ' ')
				i++;
			if (i < len && s[i] != sep)
				return false;
		} else {
			for (; i < len && s[i] != sep; i++)
				out[o++] = s[i];
			while (o > 0 && out[o - 1] == ' ')
				o--;
		}
		out[o] = '\0';
		f[*nf] = out;
		flen[(*nf)++] = o;
		if (i >= len)
			return true;
		i++;   /* the separator */
	}
}

static bool
clean_field(const char *s, size_t n, size_t max)
{
	size_t i;

	if (n > max || !utf8_valid(s, n))
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
			return false;
	return true;
}

int
statement_parse_csv(struct arena *a, const char *data, size_t len, struct statement *out, const char **why)
{
	const char *p = data, *end = data + len;
	size_t lineno = 0;
	bool started = false;   /* a line of data was seen: no more titles */

	memset(out, 0, sizeof(*out));
	out->source = "csv";
	if (len > STATEMENT_MAX_BYTES)
		return STATEMENT_TOO_LARGE;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	if (!utf8_valid(p, (size_t)(end - p)) || memchr(p, '\0', (size_t)(end - p))) {
		*why = _("The file is not text in UTF-8.");
		return STATEMENT_MALFORMED;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *f[CSV_FIELDS];
		size_t n = (size_t)((nl ? nl : end) - p), flen[CSV_FIELDS], nf, blank;
		struct statement_line *l;
		char sep, date[11];
		long long cents;

		lineno++;
		if (n && p[n - 1] == '\r')
			n--;
		sep = memchr(p, ';', n) ? ';' : '\t';
		for (blank = 0; blank < n && (p[blank] == ' ' || p[blank] == '\t'); blank++)
			;
		if (blank == n) {
			p = nl ? nl + 1 : end;
			continue;
		}
		if (!csv_split(a, p, n, sep, f, flen, &nf) || nf < 2) {
			*why = arena_printf(a, _("Line %zu: expected date;amount;reference;label."), lineno);
			return STATEMENT_MALFORMED;
		}
		p = nl ? nl + 1 : end;
		if (!statement_date(f[0], flen[0], date)) {
			/* a first line of titles ("date;montant;…") is skipped */
			if (!started && money_parse(f[1], flen[1], &cents) != MONEY_OK) {
				started = true;
				continue;
			}
			*why = arena_printf(a, _("Line %zu: “%s” is not a date (YYYY-MM-DD or DD/MM/YYYY)."),
			    lineno, arena_strndup(a, f[0], utf8_cut(f[0], 40)));
			return STATEMENT_MALFORMED;
		}
		started = true;
		if (money_parse(f[1], flen[1], &cents) != MONEY_OK || cents == 0) {
			*why = arena_printf(a, _("Line %zu: “%s” is not an amount (such as 1 234,50)."),
			    lineno, arena_strndup(a, f[1], utf8_cut(f[1], 40)));
			return STATEMENT_MALFORMED;
		}
		if ((nf > 2 && !clean_field(f[2], flen[2], STATEMENT_REF_MAX)) ||
		    (nf > 3 && !clean_field(f[3], flen[3], STATEMENT_LABEL_MAX))) {
			*why = arena_printf(a, _("Line %zu: the reference or the label is too long or holds"
			    " characters that cannot be saved."), lineno);
			return STATEMENT_MALFORMED;
		}
		if (out->n == STATEMENT_MAX_LINES) {
			*why = arena_printf(a, _("The statement has more than %d lines."), STATEMENT_MAX_LINES);
			return STATEMENT_MALFORMED;
		}
		if (!out->lines)
			out->lines = arena_alloc(a, STATEMENT_MAX_LINES * sizeof(*out->lines));
		l = &out->lines[out->n++];
		memcpy(l->booked_on, date, sizeof(date));
		l->amount_cents = cents;
		l->currency[0] = '\0';
		l->reference = nf > 2 ? f[2] : "";
		l->label = nf > 3 ? f[3] : "";
		l->bank_ref = "";
	}
	if (out->n == 0) {
		*why = _("The statement holds no line.");
		return STATEMENT_EMPTY;
	}
	statement_keys(out);
	return STATEMENT_OK;
}

int
statement_parse(struct arena *a, const char *data, size_t len, struct statement *out, const char **why)
{
	size_t i = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;

	memset(out, 0, sizeof(*out));
	if (len > STATEMENT_MAX_BYTES) {
		*why = arena_printf(a, _("The file is too large (at most %d KiB)."), STATEMENT_MAX_BYTES / 1024);
		return STATEMENT_TOO_LARGE;
	}
	while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
		i++;
	if (i < len && data[i] == '<')
		return statement_parse_camt(a, data, len, out, why);
	return statement_parse_csv(a, data, len, out, why);
}
