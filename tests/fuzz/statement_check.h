/*
 * What both statement readers promise on any input (fuzz_camt, fuzz_csv):
 * a known answer; on success, at most STATEMENT_MAX_LINES lines, each
 * with a non-zero amount, a real date or none, UTF-8 text within the
 * columns and a key; the same input read again gives the same keys; a
 * refusal says why.
 */
#ifndef CPT_FUZZ_STATEMENT_CHECK_H
#define CPT_FUZZ_STATEMENT_CHECK_H

#include "fuzz.h"
#include "payments/statement.h"
#include "util/arena.h"

static inline void
statement_check(const uint8_t *data, size_t size,
    int (*parse)(struct arena *, const char *, size_t, struct statement *, const char **))
{
	struct arena a;
	struct statement st, again;
	const char *why = NULL;
	char date[11];
	size_t i, k;
	int rc;

	arena_init(&a, 0);
	rc = parse(&a, (const char *)data, size, &st, &why);
	fuzz_assert(rc == STATEMENT_OK || rc == STATEMENT_TOO_LARGE || rc == STATEMENT_MALFORMED ||
	    rc == STATEMENT_EMPTY, "a known answer");
	if (rc == STATEMENT_MALFORMED || rc == STATEMENT_EMPTY)
		fuzz_assert(why && *why && utf8_valid(why, strlen(why)), "a refusal says why, in UTF-8");
	if (rc == STATEMENT_OK) {
		fuzz_assert(st.n >= 1 && st.n <= STATEMENT_MAX_LINES, "lines within the bound");
		for (i = 0; i < st.n; i++) {
			const struct statement_line *l = &st.lines[i];
			struct statement_refs refs;

			fuzz_assert(l->amount_cents != 0, "no line of zero");
			fuzz_assert(!*l->booked_on || statement_date(l->booked_on, strlen(l->booked_on), date),
			    "a real date or none");
			fuzz_assert(strlen(l->reference) <= STATEMENT_REF_MAX && strlen(l->label) <= STATEMENT_LABEL_MAX &&
			    strlen(l->bank_ref) <= STATEMENT_BANK_REF_MAX, "text within the columns");
			fuzz_assert(utf8_valid(l->reference, strlen(l->reference)) && utf8_valid(l->label, strlen(l->label)) &&
			    utf8_valid(l->bank_ref, strlen(l->bank_ref)), "text in UTF-8");
			fuzz_assert(strlen(l->key) > 2, "a key");
			statement_line_refs(l, &refs);
			fuzz_assert(refs.ncodes <= STATEMENT_MAX_CANDIDATES && refs.nnumbers <= STATEMENT_MAX_CANDIDATES,
			    "candidates within the bound");
			for (k = 0; k < refs.nnumbers; k++)
				fuzz_assert(refs.numbers[k] > 0, "order numbers are positive");
			for (k = 0; k < refs.ncodes; k++)
				fuzz_assert(strlen(refs.codes[k]) == 8, "codes of 8 characters");
		}
		fuzz_assert(parse(&a, (const char *)data, size, &again, &why) == STATEMENT_OK && again.n == st.n,
		    "read again, the same lines");
		for (i = 0; i < st.n; i++)
			fuzz_assert(strcmp(st.lines[i].key, again.lines[i].key) == 0, "read again, the same keys");
	}
	arena_free(&a);
}

#endif
