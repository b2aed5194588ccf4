#include "payments/reconcile.h"

#include <string.h>

#include "db/db.h"
#include "payments/payments.h"
#include "util/arena.h"
#include "util/log.h"

static const char sql_line_insert[] =
	"INSERT INTO statement_lines (shop_id, line_key, source, booked_on, amount_cents, currency, reference,"
	" label, bank_ref, uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE id = id";

struct store_tx {
	struct arena *a;
	long long shop_id;
	const char *currency, *who;
	const struct statement *st;
	size_t added, debits;
};

static int
store_tx_run(struct db *db, void *p)
{
	struct store_tx *x = p;
	struct db_result res;
	size_t i;
	int rc;

	x->added = x->debits = 0;
	for (i = 0; i < x->st->n; i++) {
		const struct statement_line *l = &x->st->lines[i];

		if (l->amount_cents <= 0) {
			x->debits++;
			continue;
		}
		if ((rc = db_exec(db, x->a, &res, sql_line_insert, DB_PARAMS(DB_I64(x->shop_id), DB_STR(l->key),
		    DB_STR(x->st->source), *l->booked_on ? DB_STR(l->booked_on) : DB_NULL, DB_I64(l->amount_cents),
		    DB_STR(*l->currency ? l->currency : x->currency), DB_STR(l->reference), DB_STR(l->label),
		    DB_STR(l->bank_ref), DB_STR(x->who)))) != DB_OK)
			return rc;
		x->added += res.affected == 1;
	}
	return DB_OK;
}

int
reconcile_store(struct db *db, struct arena *a, long long shop_id, const char *currency,
    const struct statement *st, const char *who, size_t *added, size_t *debits)
{
	struct store_tx x = { a, shop_id, currency, who ? who : "", st, 0, 0 };
	int rc = db_tx(db, store_tx_run, &x);

	if (rc != DB_OK) {
		log_error("shop %lld: the statement's lines could not be kept (%d)", shop_id, rc);
		return -1;
	}
	*added = x.added;
	*debits = x.debits;
	return 0;
}

/* ---- matching ------------------------------------------------------------- */

enum cand_col { CC_CODE, CC_NUMBER, CC_DUE, CC_STATE, CC_CLOSED, CC_CURRENCY, CC_NCOLS };
static const char sql_by_code[] =
	"SELECT code, number, total_cents - paid_cents, payment_state, closed, currency FROM orders"
	" WHERE shop_id = ? AND code = ? AND kind = 'order'";
static const char sql_by_number[] =
	"SELECT code, number, total_cents - paid_cents, payment_state, closed, currency FROM orders"
	" WHERE shop_id = ? AND number = ? AND kind = 'order'";

struct found {
	char codes[2 * STATEMENT_MAX_CANDIDATES][9];
	size_t n;
	size_t payable, exact;
};

/* Weighs the order in `res` (0 or 1 row) for line `l`: the first payable
 * order named is kept for MATCH_AMOUNT, the first due exactly the amount
 * for MATCH_ONE. */
static void
weigh(struct arena *a, struct reconcile_line *l, const struct db_result *res, struct found *f)
{
	const char *code, *state;
	size_t i;

	if (res->nrows != 1 || res->ncols != CC_NCOLS)
		return;
	code = db_str(res, 0, CC_CODE);
	for (i = 0; i < f->n; i++)
		if (strcmp(f->codes[i], code) == 0)
			return;
	if (f->n == sizeof(f->codes) / sizeof(f->codes[0]) || strlen(code) != 8)
		return;
	memcpy(f->codes[f->n++], code, 9);
	state = db_str(res, 0, CC_STATE);
	if ((strcmp(state, "unpaid") != 0 && strcmp(state, "partially_paid") != 0) ||
	    db_ll(res, 0, CC_CLOSED) == 2 ||     /* cancelled (orders.closed, migration 020) */
	    strcmp(db_str(res, 0, CC_CURRENCY), l->currency) != 0)
		return;
	if (db_ll(res, 0, CC_DUE) == l->amount_cents) {
		if (f->exact++ == 0 || f->payable == 0)
			goto keep;
	} else if (f->payable == 0 && f->exact == 0) {
		goto keep;
	}
	f->payable++;
	return;
keep:
	f->payable++;
	l->order_code = arena_strdup(a, code);
	l->order_number = db_ll(res, 0, CC_NUMBER);
	l->due_cents = db_ll(res, 0, CC_DUE);
}

/* Sets l->match and the order it names. */
static int
line_match(struct db *db, struct arena *a, long long shop_id, struct reconcile_line *l)
{
	struct statement_line sl = { .reference = l->reference, .label = l->label };
	struct statement_refs refs;
	struct found f = { .n = 0 };
	struct db_result res;
	size_t i;

	statement_line_refs(&sl, &refs);
	for (i = 0; i < refs.ncodes; i++) {
		if (db_exec(db, a, &res, sql_by_code, DB_PARAMS(DB_I64(shop_id), DB_STR(refs.codes[i]))) != DB_OK)
			return -1;
		weigh(a, l, &res, &f);
	}
	for (i = 0; i < refs.nnumbers; i++) {
		if (db_exec(db, a, &res, sql_by_number, DB_PARAMS(DB_I64(shop_id), DB_I64(refs.numbers[i]))) != DB_OK)
			return -1;
		weigh(a, l, &res, &f);
	}
	if (f.exact == 1)
		l->match = MATCH_ONE;
	else if (f.exact > 1)
		l->match = MATCH_MANY;
	else if (f.payable > 0)
		l->match = MATCH_AMOUNT;
	else
		l->match = MATCH_NONE;
	if (l->match == MATCH_MANY)
		l->order_code = NULL;
	return 0;
}

enum line_col { SC_ID, SC_KEY, SC_BOOKED, SC_AMOUNT, SC_CURRENCY, SC_REFERENCE, SC_LABEL, SC_BANK_REF, SC_NCOLS };
static const char sql_pending[] =
	"SELECT l.id, l.line_key, DATE_FORMAT(l.booked_on, '%Y-%m-%d'), l.amount_cents, l.currency, l.reference,"
	" l.label, l.bank_ref FROM statement_lines l WHERE l.shop_id = ? AND NOT EXISTS (SELECT 1 FROM payments p"
	" WHERE p.shop_id = l.shop_id AND p.provider = 'statement' AND p.provider_event_id = l.line_key)"
	" ORDER BY l.id LIMIT 500";
static const char sql_line_by_id[] =
	"SELECT l.id, l.line_key, DATE_FORMAT(l.booked_on, '%Y-%m-%d'), l.amount_cents, l.currency, l.reference,"
	" l.label, l.bank_ref FROM statement_lines l WHERE l.shop_id = ? AND l.id = ?";

static void
line_read(const struct db_result *res, size_t i, struct reconcile_line *l)
{
	memset(l, 0, sizeof(*l));
	l->id = db_ll(res, i, SC_ID);
	l->key = db_str(res, i, SC_KEY);
	l->booked_on = db_str(res, i, SC_BOOKED);
	l->amount_cents = db_ll(res, i, SC_AMOUNT);
	l->currency = db_str(res, i, SC_CURRENCY);
	l->reference = db_str(res, i, SC_REFERENCE);
	l->label = db_str(res, i, SC_LABEL);
	l->bank_ref = db_str(res, i, SC_BANK_REF);
}

int
reconcile_pending(struct db *db, struct arena *a, long long shop_id, struct reconcile_line **out, size_t *n)
{
	struct db_result res;
	size_t i;

	*out = NULL;
	*n = 0;
	if (db_exec(db, a, &res, sql_pending, DB_PARAMS(DB_I64(shop_id))) != DB_OK)
		return -1;
	if (res.nrows && res.ncols != SC_NCOLS) {
		log_error("shop %lld: the statement lines query returns %zu columns, its enum names %d", shop_id,
		    res.ncols, SC_NCOLS);
		return -1;
	}
	*out = arena_alloc(a, (res.nrows ? res.nrows : 1) * sizeof(**out));
	for (i = 0; i < res.nrows; i++) {
		line_read(&res, i, &(*out)[i]);
		if (line_match(db, a, shop_id, &(*out)[i]) != 0)
			return -1;
	}
	*n = res.nrows;
	return 0;
}

int
reconcile_confirm(struct db *db, struct arena *a, long long shop_id, const char *shop_name,
    const long long *ids, size_t nids, const struct order_actor *who, size_t *recorded, size_t *skipped)
{
	struct db_result res;
	size_t i;

	*recorded = *skipped = 0;
	for (i = 0; i < nids && i < RECONCILE_MAX_PENDING; i++) {
		struct reconcile_line l;
		const char *why = NULL;
		struct payment_in in;
		int rc;

		if (db_exec(db, a, &res, sql_line_by_id, DB_PARAMS(DB_I64(shop_id), DB_I64(ids[i]))) != DB_OK)
			return -1;
		if (res.nrows != 1 || res.ncols != SC_NCOLS) {
			(*skipped)++;
			continue;
		}
		line_read(&res, 0, &l);
		if (line_match(db, a, shop_id, &l) != 0)
			return -1;
		if (l.match != MATCH_ONE) {
			(*skipped)++;
			continue;
		}
		in = (struct payment_in){
			.shop_id = shop_id, .shop_name = shop_name, .code = l.order_code, .version = -1,
			.action = PAY_RECEIVED, .amount_cents = l.amount_cents, .method = "banktransfer",
			.provider = "statement", .event_id = l.key, .received_on = l.booked_on,
			.reference = *l.reference ? l.reference : l.bank_ref, .comment = l.label,
		};
		rc = payment_record(db, a, &in, who, &why, NULL);
		if (rc < 0)
			return -1;
		if (rc == PAY_OK)
			(*recorded)++;
		else
			(*skipped)++;
	}
	*skipped += nids > RECONCILE_MAX_PENDING ? nids - RECONCILE_MAX_PENDING : 0;
	return 0;
}
