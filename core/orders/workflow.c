#include "orders/workflow.h"

#include <string.h>

#include "db/db.h"
#include "orders/order_desk.h"
#include "orders/outbox.h"
#include "stock/stock.h"
#include "util/arena.h"
#include "util/i18n.h"
#include "util/log.h"

/* The default workflow every shop starts from; the codes are those intake
 * and the seed write. The English label is also the msgid the pages
 * translate (po/fr.po holds the same French words). */
static const struct wf_status statuses[] = {
	{ "received", "Reçue", N_("Received"), "#1d4ed8", WF_SALE | WF_CUSTOMER_MAY_PAY, NULL },
	{ "awaiting_payment", "En attente de paiement", N_("Awaiting payment"), "#b45309",
	  WF_CUSTOMER_MAY_PAY, "order_awaiting_payment" },
	{ "processing", "En préparation", N_("Being prepared"), "#6d28d9", WF_SALE, "order_processing" },
	{ "shipped", "Expédiée", N_("Shipped"), "#0f766e", WF_SALE, "order_shipped" },
	{ "delivered", "Livrée", N_("Delivered"), "#15803d", WF_SALE, NULL },
	{ "completed", "Terminée", N_("Completed"), "#166534", WF_SALE | WF_FINAL, NULL },
	{ "cancelled", "Annulée", N_("Cancelled"), "#b91c1c", WF_FINAL | WF_CANCELS, "order_cancelled" },
};
#define NSTATUSES (sizeof(statuses) / sizeof(statuses[0]))

/* The one table of allowed moves: from → the statuses it may go to. */
static const struct { const char *from; const char *const to[6]; } moves[] = {
	{ "received", { "awaiting_payment", "processing", "cancelled" } },
	{ "awaiting_payment", { "received", "processing", "cancelled" } },
	{ "processing", { "shipped", "completed", "cancelled" } },
	{ "shipped", { "delivered", "completed" } },
	{ "delivered", { "completed" } },
};

const struct wf_status *
wf_status_at(size_t i)
{
	return i < NSTATUSES ? &statuses[i] : NULL;
}

const struct wf_status *
wf_status_find(const char *code)
{
	size_t i;

	for (i = 0; code && i < NSTATUSES; i++)
		if (strcmp(statuses[i].code, code) == 0)
			return &statuses[i];
	return NULL;
}

const char *
wf_status_label(const struct wf_status *s, const char *lang)
{
	return lang && strcmp(lang, "en") == 0 ? s->label_en : s->label_fr;
}

int
wf_transition_check(const char *from, const char *to, const char **why)
{
	const struct wf_status *f = wf_status_find(from), *t = wf_status_find(to);
	size_t i, j;

	if (!t) {
		*why = _("This status does not exist.");
		return WF_REFUSED;
	}
	if (f == t) {
		*why = _("The order already has this status.");
		return WF_REFUSED;
	}
	if (f && (f->flags & WF_FINAL)) {
		*why = _("A completed or cancelled order keeps its status.");
		return WF_REFUSED;
	}
	for (i = 0; f && i < sizeof(moves) / sizeof(moves[0]); i++) {
		if (strcmp(moves[i].from, f->code) != 0)
			continue;
		for (j = 0; j < sizeof(moves[i].to) / sizeof(moves[i].to[0]) && moves[i].to[j]; j++)
			if (strcmp(moves[i].to[j], t->code) == 0)
				return WF_OK;
	}
	*why = _("The order cannot go from its present status to this one.");
	return WF_REFUSED;
}

/* ---- changing the status ------------------------------------------------- */

/* invoice_number: set by the documents issue when the order is invoiced;
 * a cancel of an invoiced order records that a credit note is due. */
enum lock_col { LC_ID, LC_STATUS, LC_VERSION, LC_NUMBER, LC_EMAIL, LC_FIRST, LC_LOCALE, LC_INVOICE, LC_NCOLS };
static const char sql_order_lock[] =
	"SELECT id, status, version, number, customer_email, customer_first_name, customer_locale, invoice_number"
	" FROM orders WHERE shop_id = ? AND code = ? AND kind = 'order' FOR UPDATE";
static const char sql_status_update[] =
	"UPDATE orders SET status = ?, version = version + 1, credit_note_due = credit_note_due OR ?"
	" WHERE shop_id = ? AND id = ? AND version = ?";

/* One status move, the ordinary one or a cancel: the same lock, version
 * check, update, event and e-mail; a cancel adds the stock and the credit
 * note in the same transaction. */
struct change_tx {
	struct arena *a;
	const struct wf_change *c;
	const struct order_actor *who;
	const char **why;
	bool cancel;              /* order_cancel: c->to is the cancelling status */
	bool automatic;           /* W5: cancelled by the shop's delay for unpaid orders */
};

/* The customer's e-mail for status `st`, in their language. */
static int
status_mail(struct db *db, struct change_tx *x, const struct db_result *o, const struct wf_status *st,
    long long event_id)
{
	const char *lang = db_str(o, 0, LC_LOCALE), *first = db_str(o, 0, LC_FIRST);
	bool en = lang && strcmp(lang, "en") == 0;
	const char *number = db_str(o, 0, LC_NUMBER) ? db_str(o, 0, LC_NUMBER) : x->c->code;
	const char *label = wf_status_label(st, en ? "en" : "fr");
	struct outbox_msg m = {
		.kind = OUTBOX_EMAIL, .order_id = db_ll(o, 0, LC_ID), .recipient = db_str(o, 0, LC_EMAIL),
		.locale = en ? "en" : "fr", .template_name = st->email,
		.dedup_key = arena_printf(x->a, "order:%lld:event:%lld", db_ll(o, 0, LC_ID), event_id),
	};
	int rc;

	if (en) {
		m.subject = arena_printf(x->a, "Your order %s: %s", number, label);
		if (x->cancel)
			m.body = arena_printf(x->a, "Hello %s,\n\nYour order %s at %s has been cancelled%s.\n\n%s\n",
			    first, number, x->c->shop_name, x->automatic ? ", as its payment did not arrive in time" : "",
			    x->c->shop_name);
		else
			m.body = arena_printf(x->a, "Hello %s,\n\nYour order %s at %s is now: %s.\n\n%s\n",
			    first, number, x->c->shop_name, label, x->c->shop_name);
	} else {
		m.subject = arena_printf(x->a, "Votre commande %s : %s", number, label);
		if (x->cancel)
			m.body = arena_printf(x->a, "Bonjour %s,\n\nVotre commande %s chez %s a été annulée%s.\n\n%s\n",
			    first, number, x->c->shop_name, x->automatic ? ", son paiement n’étant pas arrivé à temps" : "",
			    x->c->shop_name);
		else
			m.body = arena_printf(x->a, "Bonjour %s,\n\nL’état de votre commande %s chez %s a changé :"
			    " %s.\n\n%s\n", first, number, x->c->shop_name, label, x->c->shop_name);
	}
	rc = outbox_add(db, x->a, x->c->shop_id, &m);
	return rc == OUTBOX_ALREADY ? DB_OK : rc;
}

static int
change_tx_run(struct db *db, void *p)
{
	struct change_tx *x = p;
	const struct wf_change *c = x->c;
	const struct wf_status *st, *was;
	struct db_result o, res;
	const char *from, *email;
	long long event_id, id;
	bool mail, credit = false;
	json_t *details;
	int rc;

	if ((rc = db_exec(db, x->a, &o, sql_order_lock, DB_PARAMS(DB_I64(c->shop_id), DB_STR(c->code)))) != DB_OK)
		return rc;
	if (o.nrows == 0)
		return WF_NOT_FOUND;
	if (o.ncols != LC_NCOLS) {
		log_error("order %s: the lock query returns %zu columns, its enum names %d", c->code, o.ncols, LC_NCOLS);
		return WF_ERROR;
	}
	if (db_ll(&o, 0, LC_VERSION) != c->version) {
		*x->why = _("The order changed meanwhile: look at it again, then try again.");
		return WF_CHANGED;
	}
	id = db_ll(&o, 0, LC_ID);
	from = db_str(&o, 0, LC_STATUS);
	was = wf_status_find(from);
	if (x->cancel && was && (was->flags & WF_CANCELS)) {
		*x->why = _("This order is already cancelled: a cancel cannot be undone or done twice.");
		return WF_REFUSED;
	}
	if ((rc = wf_transition_check(from, c->to, x->why)) != WF_OK)
		return rc;
	st = wf_status_find(c->to);
	if ((st->flags & WF_CANCELS) && !x->cancel) {
		*x->why = _("To cancel an order, use “Cancel the order”: it gives the stock back.");
		return WF_REFUSED;
	}
	if (x->cancel) {
		if ((rc = stock_release_order(db, x->a, c->shop_id, id, x->who)) != DB_OK)
			return rc;
		credit = db_str(&o, 0, LC_INVOICE) != NULL;
	}
	if ((rc = db_exec(db, x->a, &res, sql_status_update, DB_PARAMS(DB_STR(st->code), DB_I64(credit),
	    DB_I64(c->shop_id), DB_I64(id), DB_I64(c->version)))) != DB_OK)
		return rc;
	if (res.affected != 1) {
		log_error("order %s: the locked row was not updated", c->code);
		return WF_ERROR;
	}
	email = db_str(&o, 0, LC_EMAIL);
	mail = c->notify && st->email && email && *email;
	details = x->cancel ? json_pack("{sssssbsbsb}", "from", from, "to", st->code, "customer_told", mail,
	    "credit_note_due", credit, "automatic", x->automatic)
	    : json_pack("{sssssb}", "from", from, "to", st->code, "customer_told", mail);
	if ((rc = order_event_add(db, x->a, c->shop_id, id, x->who, x->cancel ? "order.cancelled" :
	    "order.status_changed", details, &event_id)) != DB_OK)
		return rc;
	return mail ? status_mail(db, x, &o, st, event_id) : DB_OK;
}

int
wf_tx_result(int rc, const char *code, const char *what)
{
	if (rc == WF_OK || rc == WF_NOT_FOUND || rc == WF_REFUSED || rc == WF_CHANGED)
		return rc;
	if (rc != WF_ERROR)
		log_error("order %s: %s (%d)", code, what, rc);
	return WF_ERROR;
}

int
order_status_change(struct db *db, struct arena *a, const struct wf_change *c,
    const struct order_actor *who, const char **why)
{
	struct change_tx x = { a, c, who, why, false, false };

	return wf_tx_result(db_tx(db, change_tx_run, &x), c->code, "the status could not be changed");
}

/* ---- cancelling ---------------------------------------------------------- */

const struct wf_status *
wf_cancel_status(void)
{
	size_t i;

	for (i = 0; i < NSTATUSES; i++)
		if (statuses[i].flags & WF_CANCELS)
			return &statuses[i];
	return NULL;
}

int
wf_cancel_check(const char *status, const char **why)
{
	const struct wf_status *s = wf_status_find(status), *to = wf_cancel_status();

	if (s && (s->flags & WF_CANCELS)) {
		*why = _("This order is already cancelled: a cancel cannot be undone or done twice.");
		return WF_REFUSED;
	}
	return wf_transition_check(status, to ? to->code : NULL, why);
}

int
order_cancel_in_tx(struct db *db, struct arena *a, const struct wf_cancel *c,
    const struct order_actor *who, const char **why)
{
	const struct wf_status *to = wf_cancel_status();
	struct wf_change ch = { .shop_id = c->shop_id, .shop_name = c->shop_name, .code = c->code,
	    .version = c->version, .to = to ? to->code : NULL, .notify = c->notify };
	struct change_tx x = { a, &ch, who, why, true, c->automatic };

	return change_tx_run(db, &x);
}

struct cancel_tx {
	struct arena *a;
	const struct wf_cancel *c;
	const struct order_actor *who;
	const char **why;
};

static int
cancel_tx_run(struct db *db, void *p)
{
	struct cancel_tx *x = p;

	return order_cancel_in_tx(db, x->a, x->c, x->who, x->why);
}

int
order_cancel(struct db *db, struct arena *a, const struct wf_cancel *c,
    const struct order_actor *who, const char **why)
{
	struct cancel_tx x = { a, c, who, why };

	return wf_tx_result(db_tx(db, cancel_tx_run, &x), c->code, "the order could not be cancelled");
}

/* ---- hold and resume ----------------------------------------------------- */

static const char sql_hold_lock[] =
	"SELECT id, status, version, on_hold, hold_reason FROM orders"
	" WHERE shop_id = ? AND code = ? AND kind = 'order' FOR UPDATE";
static const char sql_hold_update[] =
	"UPDATE orders SET on_hold = ?, hold_reason = ?, version = version + 1"
	" WHERE shop_id = ? AND id = ? AND version = ?";

struct hold_tx {
	struct arena *a;
	long long shop_id, version;
	const char *code, *reason;
	bool hold;
	const struct order_actor *who;
	const char **why;
};

static int
hold_tx_run(struct db *db, void *p)
{
	struct hold_tx *x = p;
	const struct wf_status *st;
	struct db_result o, res;
	long long id;
	bool held;
	int rc;

	if ((rc = db_exec(db, x->a, &o, sql_hold_lock, DB_PARAMS(DB_I64(x->shop_id), DB_STR(x->code)))) != DB_OK)
		return rc;
	if (o.nrows == 0)
		return WF_NOT_FOUND;
	if (db_ll(&o, 0, 2) != x->version) {
		*x->why = _("The order changed meanwhile: look at it again, then try again.");
		return WF_CHANGED;
	}
	id = db_ll(&o, 0, 0);
	held = db_ll(&o, 0, 3) != 0;
	st = wf_status_find(db_str(&o, 0, 1));
	if (x->hold && st && (st->flags & WF_FINAL)) {
		*x->why = _("A completed or cancelled order cannot be put on hold.");
		return WF_REFUSED;
	}
	if (x->hold == held) {
		*x->why = held ? _("The order is already on hold.") : _("The order is not on hold.");
		return WF_REFUSED;
	}
	if ((rc = db_exec(db, x->a, &res, sql_hold_update, DB_PARAMS(DB_I64(x->hold), DB_STR(x->hold ? x->reason : ""),
	    DB_I64(x->shop_id), DB_I64(id), DB_I64(x->version)))) != DB_OK)
		return rc;
	if (res.affected != 1) {
		log_error("order %s: the locked row was not updated", x->code);
		return WF_ERROR;
	}
	return order_event_add(db, x->a, x->shop_id, id, x->who, x->hold ? "order.held" : "order.resumed",
	    x->hold ? json_pack("{ss}", "reason", x->reason) : json_pack("{ss}", "reason", db_str(&o, 0, 4)), NULL);
}

int
order_hold_set(struct db *db, struct arena *a, long long shop_id, const char *code, long long version,
    bool hold, const char *reason, const struct order_actor *who, const char **why)
{
	struct hold_tx x = { a, shop_id, version, code, "", hold, who, why };
	int rc;

	if (hold) {
		rc = desk_clean_text(a, reason, ORDER_HOLD_REASON_MAX, false, &x.reason);
		if (rc == DESK_TOO_LONG) {
			*why = _("The reason is too long (at most 255 characters).");
			return WF_REFUSED;
		}
		if (rc != DESK_OK) {
			*why = _("The reason holds characters that cannot be saved.");
			return WF_REFUSED;
		}
		if (!*x.reason) {
			*why = _("Say why the order is put on hold.");
			return WF_REFUSED;
		}
	}
	return wf_tx_result(db_tx(db, hold_tx_run, &x), code, "the hold could not be changed");
}
