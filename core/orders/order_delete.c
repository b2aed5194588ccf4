#include "orders/order_delete.h"

#include <jansson.h>
#include <stdlib.h>

#include "db/db.h"
#include "orders/events.h"
#include "orders/order_counts.h"
#include "orders/workflow.h"
#include "stock/stock.h"
#include "util/arena.h"
#include "util/i18n.h"
#include "util/log.h"

enum del_col { DC_ID, DC_IS_TEST, DC_VERSION, DC_NUMBER, DC_EMAIL, DC_TOTAL, DC_CURRENCY, DC_STATUS, DC_HOLD,
	DC_PAY, DC_SHIP, DC_PLACED, DC_LINES, DC_NCOLS };
static const char sql_delete_lock[] =
	"SELECT id, is_test, version, number, customer_email, total_cents, currency, status, on_hold,"
	" payment_state, shipping_state, placed_at,"
	" (SELECT COUNT(*) FROM order_lines l WHERE l.shop_id = o.shop_id AND l.order_id = o.id)"
	" FROM orders o WHERE shop_id = ? AND code = ? FOR UPDATE";
/* The tables without a foreign key to orders; lines, addresses, events,
 * notes and recently viewed go with the order (ON DELETE CASCADE). */
static const char sql_delete_search[] = "DELETE FROM order_search WHERE shop_id = ? AND order_id = ?";
static const char sql_delete_outbox[] = "DELETE FROM outbox WHERE shop_id = ? AND order_id = ?";
static const char sql_delete_idem[] = "DELETE FROM idempotency_keys WHERE shop_id = ? AND order_id = ?";
static const char sql_delete_order[] = "DELETE FROM orders WHERE shop_id = ? AND id = ? AND is_test = 1";
static const char sql_log_insert[] =
	"INSERT INTO shop_log (shop_id, actor_type, actor_id, actor_label, action, details)"
	" VALUES (?, ?, ?, ?, 'order.test_deleted', ?)";

struct delete_tx {
	struct arena *a;
	long long shop_id, version;
	const char *code;
	const struct order_actor *who;
	const char **why;
};

static int
log_deleted(struct db *db, struct delete_tx *x, const struct db_result *o)
{
	json_t *d = json_pack("{sssIsssIsssssI}", "code", x->code, "number", (json_int_t)db_ll(o, 0, DC_NUMBER),
	    "customer_email", db_str(o, 0, DC_EMAIL) ? db_str(o, 0, DC_EMAIL) : "",
	    "total_cents", (json_int_t)db_ll(o, 0, DC_TOTAL), "currency", db_str(o, 0, DC_CURRENCY),
	    "status", db_str(o, 0, DC_STATUS), "lines", (json_int_t)db_ll(o, 0, DC_LINES));
	char *text = d ? json_dumps(d, JSON_COMPACT) : NULL;
	int rc;

	json_decref(d);
	if (!text) {
		log_error("order %s: cannot write what was deleted", x->code);
		return WF_ERROR;
	}
	rc = db_exec(db, x->a, NULL, sql_log_insert, DB_PARAMS(DB_I64(x->shop_id), DB_STR(actor_type_name(x->who->type)),
	    x->who->id > 0 ? DB_I64(x->who->id) : DB_NULL, DB_STR(x->who->label ? x->who->label : ""), DB_STR(text)));
	free(text);
	return rc;
}

static int
delete_tx_run(struct db *db, void *p)
{
	struct delete_tx *x = p;
	const struct wf_workflow *wf;
	const struct wf_status *st;
	struct order_tally gone;
	struct db_result o, res;
	long long id;
	int rc;

	db_desk_changed(db, x->shop_id);
	if ((rc = db_exec(db, x->a, &o, sql_delete_lock, DB_PARAMS(DB_I64(x->shop_id), DB_STR(x->code)))) != DB_OK)
		return rc;
	if (o.nrows == 0)
		return WF_NOT_FOUND;
	if (o.ncols != DC_NCOLS) {
		log_error("order %s: the lock query returns %zu columns, its enum names %d", x->code, o.ncols, DC_NCOLS);
		return WF_ERROR;
	}
	if (!db_ll(&o, 0, DC_IS_TEST)) {
		*x->why = _("Only a test order can be deleted: a real order stays in the books; cancel it instead.");
		return WF_REFUSED;
	}
	if (db_ll(&o, 0, DC_VERSION) != x->version) {
		*x->why = _("The order changed meanwhile: look at it again, then try again.");
		return WF_CHANGED;
	}
	id = db_ll(&o, 0, DC_ID);
	if ((rc = stock_release_order_for(db, x->a, x->shop_id, id, STOCK_CAUSE_DELETE, x->who)) != DB_OK ||
	    (rc = db_exec(db, x->a, NULL, sql_delete_search, DB_PARAMS(DB_I64(x->shop_id), DB_I64(id)))) != DB_OK ||
	    (rc = db_exec(db, x->a, NULL, sql_delete_outbox, DB_PARAMS(DB_I64(x->shop_id), DB_I64(id)))) != DB_OK ||
	    (rc = db_exec(db, x->a, NULL, sql_delete_idem, DB_PARAMS(DB_I64(x->shop_id), DB_I64(id)))) != DB_OK ||
	    (rc = db_exec(db, x->a, &res, sql_delete_order, DB_PARAMS(DB_I64(x->shop_id), DB_I64(id)))) != DB_OK)
		return rc;
	if (res.affected != 1) {
		log_error("order %s: the locked row was not deleted", x->code);
		return WF_ERROR;
	}
	if ((rc = wf_get(db, x->a, x->shop_id, &wf)) != WF_OK)
		return rc;
	st = wf_status_find(wf, db_str(&o, 0, DC_STATUS));
	gone = (struct order_tally){ .status = db_str(&o, 0, DC_STATUS), .on_hold = db_ll(&o, 0, DC_HOLD) != 0,
	    .payment_state = db_str(&o, 0, DC_PAY), .shipping_state = db_str(&o, 0, DC_SHIP),
	    .sale = st && (st->flags & WF_SALE), .placed_at = db_str(&o, 0, DC_PLACED),
	    .total_cents = db_ll(&o, 0, DC_TOTAL) };
	if ((rc = order_counts_move(db, x->a, x->shop_id, &gone, NULL)) != DB_OK)
		return rc;
	return log_deleted(db, x, &o);
}

int
order_test_delete(struct db *db, struct arena *a, long long shop_id, const char *code,
    long long version, const struct order_actor *who, const char **why)
{
	struct delete_tx x = { a, shop_id, version, code, who, why };

	return wf_tx_result(db_tx(db, delete_tx_run, &x), code, "the test order could not be deleted");
}
