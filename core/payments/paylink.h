/*
 * paylink: the customer's payment link (P6, C3). Each order may have one
 * live link, https://HOST/pay/TOKEN, TOKEN being 256 random bits
 * (token_new: libsodium randombytes) that nothing in the code or the
 * order derives; staff create it on the order page, and making a new one
 * revokes the old (a revoked or unknown token, or one asked on another
 * shop's host, is not found alike). The page behind it offers paying only
 * while the order's status lets the customer pay (WF_CUSTOMER_MAY_PAY)
 * and something is due: paylink_state says which.
 */
#ifndef CPT_PAYLINK_H
#define CPT_PAYLINK_H

#include <stdbool.h>

#include "orders/events.h"

struct arena;
struct db;
struct wf_workflow;

enum paylink_rc {
	PAYLINK_OK = 0,
	PAYLINK_ERROR = -1,       /* logged */
	PAYLINK_NOT_FOUND = 1,    /* no such order (paylink_renew) or live link (paylink_find) */
};

/* The order page's link, in order_view_load_more's batch: appends the
 * statement that reads the order's live token; from its result, the
 * token in *token, NULL when it has none. */
struct buf;
struct db_result;
void paylink_view_sql(struct buf *b, long long shop_id);
int paylink_view_token(const struct db_result *res, const char **token);

/* A new link for order `code`, the old one (if any) revoked, with the
 * event "order.payment_link_created" (revoked: whether one was), in one
 * transaction. */
int paylink_renew(struct db *db, struct arena *a, long long shop_id, const char *code,
    const struct order_actor *who, const char **token);

/* Inside the caller's transaction, holding the order's row: its live
 * token, made when it has none (*made says so). DB_OK or a db_exec code. */
int paylink_ensure_in_tx(struct db *db, struct arena *a, long long shop_id, long long order_id,
    const char **token, bool *made);

/* The code of the order whose live link is `token` in this shop, into
 * code[9]; PAYLINK_NOT_FOUND for any other token. */
int paylink_find(struct db *db, struct arena *a, long long shop_id, const char *token, char code[9]);

/* The link as the customer is given it, on the shop's first host. */
const char *paylink_url(struct arena *a, const char *host, const char *token);

enum paylink_state {
	PAYLINK_PAYABLE,          /* its status lets the customer pay, and something is due */
	PAYLINK_PAID,             /* nothing is due */
	PAYLINK_CLOSED,           /* due, but its status does not let the customer pay */
};

/* Where an order in `status`, of `total_cents` with `paid_cents`
 * received, stands for its payment page in workflow wf. */
enum paylink_state paylink_state(const struct wf_workflow *wf, const char *status, long long total_cents,
    long long paid_cents);

#endif
