#include "payments/payments.h"

#include <string.h>

#include "db/db.h"
#include "db/sqltext.h"
#include "orders/money.h"
#include "orders/order_counts.h"
#include "orders/order_view.h"
#include "orders/outbox.h"
#include "orders/workflow.h"
#include "tpl/tpl.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/datetime.h"
#include "util/i18n.h"
#include "util/log.h"

static const char *const kind_names[] = { "payment", "refund", "payment", "reversal" };
static const char *const actor_names[] = { "staff", "api", "customer", "system" };

const char *
payment_state_of(long long total, long long received, long long refunded)
{
	long long net = received - refunded;

	if (refunded > 0 && net < total)
		return net <= 0 ? "refunded" : "partially_refunded";
	if (net > 0 && net >= total)
		return "paid";
	return net > 0 ? "partially_paid" : "unpaid";
}

bool
payment_code_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n >= 1 && n <= PAYMENT_CODE_MAX && strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

const char *
payment_kind_label(const char *kind)
{
	if (kind && strcmp(kind, "refund") == 0)
		return _("Refund");
	if (kind && strcmp(kind, "reversal") == 0)
		return _("Cancelled (not received)");
	return _("Payment");
}

/* ---- recording ------------------------------------------------------------ */

/* status … placed_at: where the order stands in the dashboard's counts. */
enum lock_col { LC_ID, LC_VERSION, LC_TOTAL, LC_PAID, LC_STATE, LC_METHOD, LC_CURRENCY, LC_NUMBER,
	LC_EMAIL, LC_FIRST, LC_LOCALE, LC_STATUS, LC_HOLD, LC_SHIP, LC_PLACED, LC_NCOLS };
static const char sql_order_lock[] =
	"SELECT id, version, total_cents, paid_cents, payment_state, payment_method, currency, number,"
	" customer_email, customer_first_name, customer_locale, status, on_hold, shipping_state, placed_at"
	" FROM orders WHERE shop_id = ? AND code = ? AND kind = 'order' FOR UPDATE";
static const char sql_event_seen[] =
	"SELECT id FROM payments WHERE shop_id = ? AND provider = ? AND provider_event_id = ?";
static const char sql_event_seen_locked[] =
	"SELECT id FROM payments WHERE shop_id = ? AND provider = ? AND provider_event_id = ? LOCK IN SHARE MODE";
/* received: payments less reversals; refunded: refunds, as a positive sum. */
static const char sql_sums[] =
	"SELECT COALESCE(SUM(CASE WHEN kind <> 'refund' THEN amount_cents END), 0),"
	" COALESCE(-SUM(CASE WHEN kind = 'refund' THEN amount_cents END), 0)"
	" FROM payments WHERE shop_id = ? AND order_id = ?";
static const char sql_payment_insert[] =
	"INSERT INTO payments (shop_id, order_id, kind, amount_cents, currency, method, provider,"
	" provider_reference, provider_event_id, comment, received_on, actor_type, actor_id, actor_label)"
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char sql_order_paid[] =
	"UPDATE orders SET paid_cents = ?, payment_state = ?, version = version + 1"
	" WHERE shop_id = ? AND id = ? AND version = ?";

int
payment_state_recount(struct db *db, struct arena *a, long long shop_id, long long order_id,
    long long paid_cents, long long total, const char **state)
{
	struct db_result res;
	long long received, refunded;
	int rc;

	db_desk_changed(db, shop_id);
	if ((rc = db_exec(db, a, &res, sql_sums, DB_PARAMS(DB_I64(shop_id), DB_I64(order_id)))) != DB_OK)
		return rc;
	received = db_ll(&res, 0, 0);
	refunded = db_ll(&res, 0, 1);
	if (paid_cents - (received - refunded) > 0)   /* paid before the payments table: received */
		received += paid_cents - (received - refunded);
	*state = payment_state_of(total, received, refunded);
	return DB_OK;
}

struct record_tx {
	struct arena *a;
	const struct payment_in *in;
	const struct order_actor *who;
	const char **why;
	struct payment_out out;
};

static const char *
money_text(struct arena *a, long long cents, const char *currency, const char *lang)
{
	char s[64];

	money_format(s, sizeof(s), cents, currency, lang ? lang : "fr");
	return arena_strdup(a, s);
}

/* The receipt (P8), in the customer's language, once per payment that
 * made the order paid. */
static int
receipt_add(struct db *db, struct record_tx *x, const struct db_result *o, long long payment_id)
{
	const char *lang = db_str(o, 0, LC_LOCALE), *first = db_str(o, 0, LC_FIRST);
	const char *currency = db_str(o, 0, LC_CURRENCY), *shop = x->in->shop_name ? x->in->shop_name : "";
	bool en = lang && strcmp(lang, "en") == 0;
	const char *number = db_str(o, 0, LC_NUMBER) ? db_str(o, 0, LC_NUMBER) : x->in->code;
	char total[64];
	struct outbox_msg m = {
		.kind = OUTBOX_EMAIL, .order_id = db_ll(o, 0, LC_ID), .recipient = db_str(o, 0, LC_EMAIL),
		.locale = en ? "en" : "fr", .template_name = "order_payment_receipt",
		.dedup_key = arena_printf(x->a, "order:%lld:payment:%lld:receipt", db_ll(o, 0, LC_ID), payment_id),
	};
	int rc;

	money_format(total, sizeof(total), db_ll(o, 0, LC_TOTAL), currency, en ? "en" : "fr");
	if (en) {
		m.subject = arena_printf(x->a, "Your order %s is paid", number);
		m.body = arena_printf(x->a, "Hello %s,\n\nWe have received the payment of your order %s at %s:"
		    " %s. Thank you.\n\n%s\n", first, number, shop, total, shop);
	} else {
		m.subject = arena_printf(x->a, "Votre commande %s est réglée", number);
		m.body = arena_printf(x->a, "Bonjour %s,\n\nNous avons bien reçu le paiement de votre commande %s"
		    " chez %s : %s. Merci.\n\n%s\n", first, number, shop, total, shop);
	}
	rc = outbox_add(db, x->a, x->in->shop_id, &m);
	if (rc == OUTBOX_ALREADY)
		return DB_OK;
	if (rc == OUTBOX_ADDED)
		x->out.receipt = true;
	return rc;
}

static const char *const actions[] = {
	"order.payment_recorded", "order.refunded", "order.payment_recorded", "order.marked_unpaid",
};

static int
record_tx_run(struct db *db, void *p)
{
	struct record_tx *x = p;
	const struct payment_in *in = x->in;
	struct db_result o, res;
	long long order_id, total, net, received, refunded, legacy, amount = 0, payment_id;
	const char *from, *to, *currency, *method;
	int rc;

	db_desk_changed(db, in->shop_id);
	x->out = (struct payment_out){ 0 };
	if ((rc = db_exec(db, x->a, &o, sql_order_lock, DB_PARAMS(DB_I64(in->shop_id), DB_STR(in->code)))) != DB_OK)
		return rc;
	if (o.nrows == 0)
		return PAY_NOT_FOUND;
	if (o.ncols != LC_NCOLS) {
		log_error("order %s: the lock query returns %zu columns, its enum names %d", in->code, o.ncols, LC_NCOLS);
		return PAY_ERROR;
	}
	if (in->version >= 0 && db_ll(&o, 0, LC_VERSION) != in->version) {
		*x->why = _("The order changed meanwhile: look at it again, then try again.");
		return PAY_CHANGED;
	}
	/* The order's row is locked: two deliveries of one event queue here. */
	if (in->event_id) {
		if ((rc = db_exec(db, x->a, &res, sql_event_seen, DB_PARAMS(DB_I64(in->shop_id),
		    DB_STR(in->provider), DB_STR(in->event_id)))) != DB_OK)
			return rc;
		if (res.nrows > 0)
			return PAY_ALREADY;
	}
	order_id = db_ll(&o, 0, LC_ID);
	total = db_ll(&o, 0, LC_TOTAL);
	currency = db_str(&o, 0, LC_CURRENCY);
	if ((rc = db_exec(db, x->a, &res, sql_sums, DB_PARAMS(DB_I64(in->shop_id), DB_I64(order_id)))) != DB_OK)
		return rc;
	received = db_ll(&res, 0, 0);
	refunded = db_ll(&res, 0, 1);
	/* Orders paid before the payments table (the seed's) hold paid_cents
	 * without rows: that money counts as received. */
	legacy = db_ll(&o, 0, LC_PAID) - (received - refunded);
	if (legacy > 0)
		received += legacy;
	net = received - refunded;

	switch (in->action) {
	case PAY_RECEIVED:
	case PAY_MARK_PAID:
		if (net >= total) {
			*x->why = _("The order is already paid in full.");
			return PAY_REFUSED;
		}
		amount = in->action == PAY_MARK_PAID ? total - net : in->amount_cents;
		if (amount > total - net) {
			*x->why = arena_printf(x->a, _("The amount is more than what remains due (%s)."),
			    money_text(x->a, total - net, currency, in->lang));
			return PAY_REFUSED;
		}
		received += amount;
		break;
	case PAY_REFUND:
		if (net <= 0) {
			*x->why = _("Nothing was paid for this order: there is nothing to refund.");
			return PAY_REFUSED;
		}
		if (in->amount_cents > net) {
			*x->why = arena_printf(x->a, _("The refund is more than what was paid (%s)."),
			    money_text(x->a, net, currency, in->lang));
			return PAY_REFUSED;
		}
		amount = -in->amount_cents;
		refunded += in->amount_cents;
		break;
	case PAY_MARK_UNPAID:
		if (refunded > 0) {
			*x->why = _("Part of this order was refunded: record a refund instead.");
			return PAY_REFUSED;
		}
		if (received <= 0) {
			*x->why = _("Nothing was paid for this order.");
			return PAY_REFUSED;
		}
		amount = -received;
		received = 0;
		break;
	}
	if (amount == 0) {
		*x->why = _("The amount must be more than zero.");
		return PAY_REFUSED;
	}
	method = in->method && *in->method ? in->method : db_str(&o, 0, LC_METHOD);
	rc = db_exec(db, x->a, &res, sql_payment_insert, DB_PARAMS(DB_I64(in->shop_id), DB_I64(order_id),
	    DB_STR(kind_names[in->action]), DB_I64(amount), DB_STR(currency), DB_STR(method),
	    DB_STR(in->provider ? in->provider : ""), DB_STR(in->reference ? in->reference : ""),
	    DB_STR(in->event_id), DB_STR(in->comment ? in->comment : ""), DB_STR(in->received_on),
	    DB_STR(actor_names[x->who->type]), x->who->id > 0 ? DB_I64(x->who->id) : DB_NULL,
	    DB_STR(x->who->label ? x->who->label : "")));
	if (rc == DB_ERROR && in->event_id && db_errno(db) == 1062)
		return PAY_ALREADY;   /* the same event for another order, at the same moment */
	if (rc != DB_OK)
		return rc;
	payment_id = (long long)res.insert_id;
	from = db_str(&o, 0, LC_STATE);
	to = payment_state_of(total, received, refunded);
	if ((rc = db_exec(db, x->a, &res, sql_order_paid, DB_PARAMS(DB_I64(received - refunded), DB_STR(to),
	    DB_I64(in->shop_id), DB_I64(order_id), DB_I64(db_ll(&o, 0, LC_VERSION))))) != DB_OK)
		return rc;
	if (res.affected != 1) {
		log_error("order %s: the locked row was not updated", in->code);
		return PAY_ERROR;
	}
	if (strcmp(from, to) != 0) {
		/* The payment state is a key of the dashboard's counts; the status,
		 * and so the sales, do not change. */
		struct order_tally before = { .status = db_str(&o, 0, LC_STATUS), .payment_state = from,
		    .shipping_state = db_str(&o, 0, LC_SHIP), .on_hold = db_ll(&o, 0, LC_HOLD) != 0,
		    .placed_at = db_str(&o, 0, LC_PLACED), .total_cents = total }, after = before;

		after.payment_state = to;
		if ((rc = order_counts_move(db, x->a, in->shop_id, &before, &after)) != DB_OK)
			return rc;
	}
	if ((rc = order_event_add(db, x->a, in->shop_id, order_id, x->who, actions[in->action],
	    json_pack("{sIsssssssssssI}", "amount", (json_int_t)amount, "method", method,
	    "reference", in->reference ? in->reference : "", "from", from, "to", to,
	    "comment", in->comment ? in->comment : "", "payment", (json_int_t)payment_id), NULL)) != DB_OK)
		return rc;
	x->out.payment_id = payment_id;
	x->out.paid_cents = received - refunded;
	x->out.state = to;
	if (strcmp(to, "paid") == 0 && strcmp(from, "paid") != 0) {
		/* Paid while the customer may pay: the shop's paid status, when
		 * its transitions allow it, in this same transaction. */
		struct wf_change c = { .shop_id = in->shop_id, .shop_name = in->shop_name ? in->shop_name : "",
		    .code = in->code, .version = db_ll(&o, 0, LC_VERSION) + 1, .notify = true };

		if (*db_str(&o, 0, LC_EMAIL) && (rc = receipt_add(db, x, &o, payment_id)) != DB_OK)
			return rc;
		if ((rc = order_paid_move_in_tx(db, x->a, &c, db_str(&o, 0, LC_STATUS), x->who,
		    &x->out.status_moved)) != WF_OK)
			return rc;
	}
	return DB_OK;
}

/* After a COMMIT whose answer was lost: the event's row says it happened. */
static int
record_committed(struct db *db, void *p)
{
	struct record_tx *x = p;
	struct db_result res;
	int rc = db_exec(db, x->a, &res, sql_event_seen_locked, DB_PARAMS(DB_I64(x->in->shop_id),
	    DB_STR(x->in->provider), DB_STR(x->in->event_id)));

	if (rc != DB_OK)
		return rc;
	if (res.nrows > 0)
		x->out.payment_id = db_ll(&res, 0, 0);
	return res.nrows > 0;
}

int
payment_record(struct db *db, struct arena *a, const struct payment_in *in,
    const struct order_actor *who, const char **why, struct payment_out *out)
{
	struct record_tx x = { a, in, who, why, { 0 } };
	size_t n;
	int rc;

	if ((in->action == PAY_RECEIVED || in->action == PAY_REFUND) &&
	    (in->amount_cents <= 0 || in->amount_cents > MONEY_MAX_PARSE_CENTS)) {
		*why = _("The amount must be more than zero.");
		return PAY_REFUSED;
	}
	if ((in->method && *in->method && !payment_code_valid(in->method)) ||
	    (in->provider && *in->provider && !payment_code_valid(in->provider))) {
		*why = _("This payment method does not exist.");
		return PAY_REFUSED;
	}
	if (in->event_id) {
		n = strlen(in->event_id);
		if (n == 0 || n > PAYMENT_EVENT_ID_MAX || !in->provider || !*in->provider) {
			log_error("order %s: a payment event id needs a provider and 1 to %d bytes", in->code,
			    PAYMENT_EVENT_ID_MAX);
			return PAY_ERROR;
		}
	}
	/* What a provider brings must not be recorded twice after a lost
	 * COMMIT: its event id is the marker db_tx_once looks for. */
	rc = in->event_id ? db_tx_once(db, record_tx_run, record_committed, &x) : db_tx(db, record_tx_run, &x);
	if (rc == PAY_OK && out)
		*out = x.out;
	if (rc == PAY_OK || rc == PAY_NOT_FOUND || rc == PAY_REFUSED || rc == PAY_CHANGED || rc == PAY_ALREADY)
		return rc;
	if (rc != PAY_ERROR)
		log_error("order %s: the payment could not be recorded (%d)", in->code, rc);
	return PAY_ERROR;
}

/* ---- the order page's block ---------------------------------------------- */

enum list_col { PC_AT, PC_KIND, PC_AMOUNT, PC_CURRENCY, PC_METHOD, PC_REFERENCE, PC_COMMENT, PC_WHO,
	PC_RECEIVED_ON, PC_NCOLS };
static const char sql_payments_list[] =
	";SELECT DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%s.%fZ'), kind, amount_cents, currency, method,"
	" provider_reference, comment, actor_label, DATE_FORMAT(received_on, '%d/%m/%Y')"
	" FROM payments FORCE INDEX (k_payments_order) WHERE order_id = " ORDER_VIEW_ID " AND shop_id = ";
static const char sql_payments_list_end[] = " ORDER BY id LIMIT 200";

void
payments_view_sql(struct buf *b, long long shop_id)
{
	buf_puts(b, sql_payments_list);
	sql_int(b, shop_id);
	buf_puts(b, sql_payments_list_end);
}

/* The methods staff may pick when recording by hand. */
static const char *const hand_methods[] = { "banktransfer", "cheque", "card", "cash", "paypal", "other" };

int
payments_view_fill(const struct db_result *payments, long long order_id, long long total_cents,
    long long paid_cents, const char *currency, const char *method, const char *lang, const char *tz,
    struct tpl_vars *ov)
{
	bool refunds = false;
	char s[64];
	size_t i;

	if (payments->ncols != PC_NCOLS) {
		log_error("order %lld: the payments query returns %zu columns, its enum names %d", order_id,
		    payments->ncols, PC_NCOLS);
		return -1;
	}
	for (i = 0; i < payments->nrows; i++) {
		struct tpl_vars *r = tpl_list_add(ov, "payments");
		const char *kind = db_str(payments, i, PC_KIND);

		refunds = refunds || strcmp(kind, "refund") == 0;
		tpl_set_str(r, "at_iso", db_str(payments, i, PC_AT));
		datetime_format(s, sizeof(s), db_str(payments, i, PC_AT), tz, lang);
		tpl_set_str(r, "at", s);
		if (db_str(payments, i, PC_RECEIVED_ON))
			tpl_set_str(r, "received_on", db_str(payments, i, PC_RECEIVED_ON));
		tpl_set_str(r, "kind", kind);
		tpl_set_str(r, "kind_label", payment_kind_label(kind));
		money_format(s, sizeof(s), db_ll(payments, i, PC_AMOUNT), db_str(payments, i, PC_CURRENCY), lang);
		tpl_set_str(r, "amount", s);
		tpl_set_str(r, "method_label", *db_str(payments, i, PC_METHOD) ?
		    order_payment_method_label(db_str(payments, i, PC_METHOD)) : "");
		tpl_set_str(r, "reference", db_str(payments, i, PC_REFERENCE));
		tpl_set_str(r, "comment", db_str(payments, i, PC_COMMENT));
		tpl_set_str(r, "who", db_str(payments, i, PC_WHO));
	}
	money_format(s, sizeof(s), total_cents > paid_cents ? total_cents - paid_cents : 0, currency, lang);
	tpl_set_str(ov, "payments_due", s);
	tpl_set_bool(ov, "can_pay", paid_cents < total_cents);
	tpl_set_bool(ov, "can_mark_paid", paid_cents < total_cents);
	tpl_set_bool(ov, "can_mark_unpaid", paid_cents > 0 && !refunds);
	tpl_set_bool(ov, "can_refund", paid_cents > 0);
	for (i = 0; i < sizeof(hand_methods) / sizeof(hand_methods[0]); i++) {
		struct tpl_vars *m = tpl_list_add(ov, "payment_methods");

		tpl_set_str(m, "code", hand_methods[i]);
		tpl_set_str(m, "label", strcmp(hand_methods[i], "other") == 0 ? _("Other") :
		    order_payment_method_label(hand_methods[i]));
		tpl_set_bool(m, "selected", method && strcmp(method, hand_methods[i]) == 0);
	}
	return 0;
}
