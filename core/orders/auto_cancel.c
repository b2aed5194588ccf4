#include "orders/auto_cancel.h"

#include <stdbool.h>

#include "db/db.h"
#include "orders/events.h"
#include "orders/workflow.h"
#include "stock/stock.h"
#include "util/arena.h"
#include "util/log.h"

/* k_orders_unpaid (shop_id, payment_state, status, placed_at, id): the scan
 * reads the status's unpaid orders oldest first and stops at the LIMIT.
 * First pass: rows another worker holds are skipped, not waited for. The
 * skip also passes over rows a scan locked without claiming them (the
 * record that ends another worker's range, under REPEATABLE READ), so a
 * second pass waits for the locks instead and takes what is still due. */
#define TEXT_(n) #n
#define TEXT(n) TEXT_(n)
#define CLAIM_SQL(wait) \
	"SELECT code, version, id FROM orders" \
	" WHERE shop_id = ? AND payment_state = 'unpaid' AND status = ? AND placed_at < NOW(6) - INTERVAL ? HOUR" \
	" AND kind = 'order' AND on_hold = 0" \
	" ORDER BY placed_at, id LIMIT " TEXT(AUTO_CANCEL_BATCH) " FOR UPDATE" wait
enum claim_col { CC_CODE, CC_VERSION, CC_ID, CC_NCOLS };
static const char sql_claim_skip[] = CLAIM_SQL(" SKIP LOCKED");
static const char sql_claim_wait[] = CLAIM_SQL("");

struct claim_tx {
	struct arena *a;
	long long shop_id;
	const char *shop_name, *status;
	int hours;
	bool wait;                /* the second pass: wait for locked rows */
	long long claimed, cancelled;
};

static int
claim_tx_run(struct db *db, void *p)
{
	struct claim_tx *x = p;
	const struct order_actor who = { ACTOR_SYSTEM, 0, "" };
	struct db_result res;
	const char *why;
	size_t i;
	int rc;

	x->claimed = x->cancelled = 0;   /* a retried transaction starts again */
	if ((rc = db_exec(db, x->a, &res, x->wait ? sql_claim_wait : sql_claim_skip, DB_PARAMS(DB_I64(x->shop_id), DB_STR(x->status),
	    DB_I64(x->hours)))) != DB_OK)
		return rc;
	if (res.nrows && res.ncols != CC_NCOLS) {
		log_error("auto-cancel: the claim returns %zu columns, its enum names %d", res.ncols, CC_NCOLS);
		return WF_ERROR;
	}
	x->claimed = (long long)res.nrows;
	if (res.nrows) {
		long long *ids = arena_alloc(x->a, res.nrows * sizeof(*ids));

		for (i = 0; i < res.nrows; i++)
			ids[i] = db_ll(&res, i, CC_ID);
		if ((rc = stock_lock_for_orders(db, x->a, x->shop_id, ids, res.nrows)) != DB_OK)
			return rc;
	}
	for (i = 0; i < res.nrows; i++) {
		struct wf_cancel c = { .shop_id = x->shop_id, .shop_name = x->shop_name, .code = db_str(&res, i, CC_CODE),
		    .version = db_ll(&res, i, CC_VERSION), .notify = true, .automatic = true };

		why = NULL;
		rc = order_cancel_in_tx(db, x->a, &c, &who, &why);
		if (rc == WF_OK)
			x->cancelled++;
		else if (rc < 0)
			return rc;   /* DB_RETRY: the whole batch again */
		else   /* refusals write nothing: the others go on */
			log_warn("auto-cancel: order %s not cancelled (%d): %s", c.code, rc, why ? why : "");
	}
	return DB_OK;
}

long long
order_auto_cancel(struct db *db, struct arena *a, long long shop_id, const char *shop_name, int hours)
{
	struct claim_tx x = { a, shop_id, shop_name, NULL, hours, false, 0, 0 };
	const struct wf_workflow *wf;
	const struct wf_status *s;
	const char *why;
	long long total = 0;
	size_t i;
	int rc;

	if (wf_get(db, a, shop_id, &wf) != WF_OK)
		return -1;
	for (i = 0; (s = wf_status_at(wf, i)); i++) {
		if (!(s->flags & WF_CUSTOMER_MAY_PAY) || wf_cancel_check(wf, s->code, &why) != WF_OK)
			continue;
		x.status = s->code;
		for (x.wait = false;; x.wait = true) {
			do {
				if ((rc = db_tx(db, claim_tx_run, &x)) != DB_OK) {
					log_error("auto-cancel: shop %lld, status %s: the batch failed (%d)", shop_id,
					    s->code, rc);
					return -1;
				}
				total += x.cancelled;
			} while (x.claimed > 0 && x.cancelled > 0);   /* refusals only: stop, not loop */
			if (x.wait)
				break;
		}
	}
	return total;
}
