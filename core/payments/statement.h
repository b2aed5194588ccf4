/*
 * statement: bank statements for reconciliation (P3), as plain data. Two
 * readers, both pure (no database, no network, nothing kept between
 * calls): CAMT.053 XML (ISO 20022 BkToCstmrStmt, statement_parse_camt,
 * statement_camt.c) and a simple CSV, "date;amount;reference;label"
 * (statement_parse_csv). And what a line's words may name: order codes,
 * order numbers, the Belgian structured communication +++123/4567/89012+++
 * and the ISO 11649 creditor reference RF…, each with its check digits.
 */
#ifndef CPT_STATEMENT_H
#define CPT_STATEMENT_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

#define STATEMENT_MAX_BYTES (256 * 1024)   /* an upload larger is refused */
#define STATEMENT_MAX_LINES 2000
#define STATEMENT_REF_MAX 140              /* bytes, as the column */
#define STATEMENT_LABEL_MAX 255
#define STATEMENT_BANK_REF_MAX 64
#define STATEMENT_KEY_MAX 128

struct statement_line {
	char booked_on[11];        /* "YYYY-MM-DD", "" when the bank gave none */
	long long amount_cents;    /* > 0 a credit, < 0 a debit */
	char currency[4];          /* "EUR"; "" when the CSV does not say */
	const char *reference;     /* the structured reference, or the CSV's column */
	const char *label;         /* the unstructured remittance text */
	const char *bank_ref;      /* the bank's own reference of the entry, "" if none */
	char key[STATEMENT_KEY_MAX + 1];   /* names the line whatever upload brings it */
};

struct statement {
	struct statement_line *lines;
	size_t n;
	const char *source;        /* "camt053" or "csv" */
};

enum statement_rc {
	STATEMENT_OK = 0,
	STATEMENT_TOO_LARGE = 1,
	STATEMENT_MALFORMED = 2,   /* *why says where, translated */
	STATEMENT_EMPTY = 3,
};

/* Reads `len` bytes of `data` into *out (in `a`); the format is told by
 * the first byte past a BOM and blanks ('<': CAMT.053). Fills each line's
 * key. *why is set on a refusal. */
int statement_parse(struct arena *a, const char *data, size_t len, struct statement *out, const char **why);
int statement_parse_csv(struct arena *a, const char *data, size_t len, struct statement *out, const char **why);
int statement_parse_camt(struct arena *a, const char *data, size_t len, struct statement *out, const char **why);

/* Sets each line's key: "ref:" and the bank's reference when it has one,
 * else "h:" and a hash of its date, amount, currency, reference, label
 * and how many identical lines came before it. */
void statement_keys(struct statement *st);

#define STATEMENT_MAX_CANDIDATES 8

/* What a line's reference and label may name. */
struct statement_refs {
	char codes[STATEMENT_MAX_CANDIDATES][9];
	size_t ncodes;
	long long numbers[STATEMENT_MAX_CANDIDATES];
	size_t nnumbers;
};

void statement_line_refs(const struct statement_line *l, struct statement_refs *out);

/* 12 digits whose last two are the first ten mod 97 (97 for 0). */
bool structured_communication_valid(const char *digits12);
/* "RF18539007547034": ISO 11649 (mod 97 of the rearranged text is 1). */
bool creditor_reference_valid(const char *s, size_t len);
/* "YYYY-MM-DD" or "DD/MM/YYYY" (a real day) into out as "YYYY-MM-DD". */
bool statement_date(const char *s, size_t len, char out[11]);

#endif
