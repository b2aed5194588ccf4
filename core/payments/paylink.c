#include "payments/paylink.h"

#include <string.h>

#include "auth/token.h"
#include "db/db.h"
#include "db/sqltext.h"
#include "orders/code.h"
#include "orders/order_view.h"
#include "orders/workflow.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/log.h"

enum live_col { LV_TOKEN, LV_NCOLS };
static const char sql_live_of_id[] =
	"SELECT token FROM payment_links WHERE shop_id = ? AND order_id = ? AND revoked_at IS NULL";
static const char sql_live_view[] =
	";SELECT token FROM payment_links FORCE INDEX (k_payment_links_order) WHERE order_id = " ORDER_VIEW_ID " AND revoked_at IS NULL AND shop_id = ";
static const char sql_order_lock[] =
	"SELECT id FROM orders WHERE shop_id = ? AND code = ? AND kind = 'order' FOR UPDATE";
static const char sql_revoke[] =
	"UPDATE payment_links SET revoked_at = NOW(6) WHERE shop_id = ? AND order_id = ? AND revoked_at IS NULL";
static const char sql_insert[] =
	"INSERT INTO payment_links (shop_id, token, order_id) VALUES (?, ?, ?)";
enum find_col { FD_CODE, FD_NCOLS };
static const char sql_find[] =
	"SELECT o.code FROM payment_links l JOIN orders o ON o.shop_id = l.shop_id AND o.id = l.order_id"
	" WHERE l.shop_id = ? AND l.token = ? AND l.revoked_at IS NULL AND o.kind = 'order'";

void
paylink_view_sql(struct buf *b, long long shop_id)
{
	buf_puts(b, sql_live_view);
	sql_int(b, shop_id);
}

int
paylink_view_token(const struct db_result *res, const char **token)
{
	*token = NULL;
	if (res->ncols != LV_NCOLS) {
		log_error("payment link: the live link's query returns %zu columns, its enum names %d", res->ncols,
		    LV_NCOLS);
		return PAYLINK_ERROR;
	}
	if (res->nrows > 0)
		*token = db_str(res, 0, LV_TOKEN);
	return PAYLINK_OK;
}

static int
link_insert(struct db *db, struct arena *a, long long shop_id, long long order_id, const char **token)
{
	struct db_result res;
	char t[TOKEN_LEN + 1];
	int rc;

	db_desk_changed(db, shop_id);
	token_new(t);
	if ((rc = db_exec(db, a, &res, sql_insert, DB_PARAMS(DB_I64(shop_id), DB_STR(t), DB_I64(order_id)))) != DB_OK)
		return rc;
	*token = arena_strdup(a, t);
	return DB_OK;
}

int
paylink_ensure_in_tx(struct db *db, struct arena *a, long long shop_id, long long order_id,
    const char **token, bool *made)
{
	struct db_result res;
	int rc;

	*made = false;
	if ((rc = db_exec(db, a, &res, sql_live_of_id, DB_PARAMS(DB_I64(shop_id), DB_I64(order_id)))) != DB_OK)
		return rc;
	if (res.nrows > 0) {
		*token = db_str(&res, 0, LV_TOKEN);
		return DB_OK;
	}
	*made = true;
	return link_insert(db, a, shop_id, order_id, token);
}

struct renew_tx {
	struct arena *a;
	long long shop_id;
	const char *code;
	const struct order_actor *who;
	const char *token;
};

static int
renew_tx_run(struct db *db, void *p)
{
	struct renew_tx *x = p;
	struct db_result o, res;
	long long order_id;
	int rc;

	db_desk_changed(db, x->shop_id);
	if ((rc = db_exec(db, x->a, &o, sql_order_lock, DB_PARAMS(DB_I64(x->shop_id), DB_STR(x->code)))) != DB_OK)
		return rc;
	if (o.nrows == 0)
		return PAYLINK_NOT_FOUND;
	order_id = db_ll(&o, 0, 0);
	if ((rc = db_exec(db, x->a, &res, sql_revoke, DB_PARAMS(DB_I64(x->shop_id), DB_I64(order_id)))) != DB_OK)
		return rc;
	/* The old token is not in the event: it stays unreadable there too. */
	if ((rc = order_event_add(db, x->a, x->shop_id, order_id, x->who, "order.payment_link_created",
	    json_pack("{sb}", "revoked", res.affected > 0), NULL)) != DB_OK)
		return rc;
	return link_insert(db, x->a, x->shop_id, order_id, &x->token);
}

int
paylink_renew(struct db *db, struct arena *a, long long shop_id, const char *code,
    const struct order_actor *who, const char **token)
{
	struct renew_tx x = { a, shop_id, code, who, NULL };
	int rc = db_tx(db, renew_tx_run, &x);

	*token = x.token;
	if (rc == PAYLINK_OK || rc == PAYLINK_NOT_FOUND)
		return rc;
	log_error("order %s: the payment link could not be made (%d)", code, rc);
	return PAYLINK_ERROR;
}

int
paylink_find(struct db *db, struct arena *a, long long shop_id, const char *token, char code[ORDER_CODE_LEN + 1])
{
	struct db_result res;

	if (!token_valid(token))
		return PAYLINK_NOT_FOUND;
	if (db_exec(db, a, &res, sql_find, DB_PARAMS(DB_I64(shop_id), DB_STR(token))) != DB_OK)
		return PAYLINK_ERROR;
	if (res.nrows == 0)
		return PAYLINK_NOT_FOUND;
	if (res.ncols != FD_NCOLS || strlen(db_str(&res, 0, FD_CODE)) > ORDER_CODE_LEN) {
		log_error("payment link: the find query's answer is not an order code");
		return PAYLINK_ERROR;
	}
	memcpy(code, db_str(&res, 0, FD_CODE), strlen(db_str(&res, 0, FD_CODE)) + 1);
	return PAYLINK_OK;
}

const char *
paylink_url(struct arena *a, const char *host, const char *token)
{
	return arena_printf(a, "https://%s/pay/%s", host, token);
}

enum paylink_state
paylink_state(const struct wf_workflow *wf, const char *status, long long total_cents, long long paid_cents)
{
	const struct wf_status *s = wf_status_find(wf, status);

	if (paid_cents >= total_cents)
		return PAYLINK_PAID;
	return s && (s->flags & WF_CUSTOMER_MAY_PAY) ? PAYLINK_PAYABLE : PAYLINK_CLOSED;
}
