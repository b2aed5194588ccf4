#include "orders/workflow.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conf/conf.h"
#include "db/db.h"
#include "db/sqltext.h"
#include "orders/order_counts.h"
#include "orders/order_desk.h"
#include "orders/outbox.h"
#include "stock/stock.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/colour.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/utf8.h"

/* ---- a shop's statuses --------------------------------------------------- */

/* One status with the text it points to, so that a copy is one memcpy and
 * a loop that sets the pointers again. */
struct wf_entry {
	struct wf_status s;
	char code[WF_CODE_MAX + 1], label_fr[WF_LABEL_MAX * 4 + 1], label_en[WF_LABEL_MAX * 4 + 1];
	char colour[8], email[WF_TEMPLATE_MAX + 1];
	unsigned long long to;    /* bit j: may go to e[j] */
};

struct wf_workflow {
	long long shop_id;
	unsigned version;         /* shops.statuses_version it was read at */
	size_t n;
	struct wf_entry e[];      /* in their order */
};

static size_t
wf_size(size_t n)
{
	return offsetof(struct wf_workflow, e) + n * sizeof(struct wf_entry);
}

static void
wf_point(struct wf_workflow *wf)
{
	size_t i;

	for (i = 0; i < wf->n; i++) {
		struct wf_entry *e = &wf->e[i];

		e->s.code = e->code;
		e->s.label_fr = e->label_fr;
		e->s.label_en = e->label_en;
		e->s.colour = e->colour;
		e->s.email = *e->email ? e->email : NULL;
	}
}

static unsigned
flags_parse(const char *set)
{
	unsigned flags = 0;
	size_t i, len;

	while (set && *set) {
		len = strcspn(set, ",");
		for (i = 0; wf_flag_name(i); i++)
			if (strlen(wf_flag_name(i)) == len && memcmp(wf_flag_name(i), set, len) == 0)
				flags |= 1u << i;
		set += len + (set[len] == ',');
	}
	return flags;
}

/* The SET column's text of `flags`. */
static void
flags_text(struct buf *b, unsigned flags)
{
	size_t i;
	bool first = true;

	for (i = 0; wf_flag_name(i); i++) {
		if (!(flags & (1u << i)))
			continue;
		if (!first)
			buf_putc(b, ',');
		buf_puts(b, wf_flag_name(i));
		first = false;
	}
}

enum st_col { SC_CODE, SC_FR, SC_EN, SC_COLOUR, SC_FLAGS, SC_EMAIL, SC_RETIRED, SC_NCOLS };
static const char sql_version[] = "SELECT statuses_version FROM shops WHERE id = ?";
static const char sql_statuses[] =
	"SELECT code, label_fr, label_en, colour, flags, email_template, retired FROM shop_statuses"
	" WHERE shop_id = ? ORDER BY position, code";
static const char sql_moves[] =
	"SELECT from_code, to_code FROM shop_status_transitions WHERE shop_id = ?";

static size_t
entry_index(const struct wf_workflow *wf, const char *code)
{
	size_t i;

	for (i = 0; code && i < wf->n; i++)
		if (strcmp(wf->e[i].code, code) == 0)
			return i;
	return wf->n;
}

/* Reads the shop's statuses from the database into a malloc'd workflow. */
static int
wf_read(struct db *db, struct arena *a, long long shop_id, struct wf_workflow **out)
{
	struct db_result v, st, mv;
	struct wf_workflow *wf;
	size_t i;
	int rc;

	*out = NULL;
	if ((rc = db_exec(db, a, &v, sql_version, DB_PARAMS(DB_I64(shop_id)))) != DB_OK ||
	    (rc = db_exec(db, a, &st, sql_statuses, DB_PARAMS(DB_I64(shop_id)))) != DB_OK ||
	    (rc = db_exec(db, a, &mv, sql_moves, DB_PARAMS(DB_I64(shop_id)))) != DB_OK)
		return rc;
	if (v.nrows != 1 || st.nrows == 0 || st.nrows > WF_STATUSES_MAX || st.ncols != SC_NCOLS) {
		log_error("shop %lld: %zu statuses in the database", shop_id, st.nrows);
		return WF_ERROR;
	}
	wf = calloc(1, wf_size(st.nrows));
	if (!wf) {
		log_error("shop %lld: out of memory for its statuses", shop_id);
		return WF_ERROR;
	}
	wf->shop_id = shop_id;
	wf->version = (unsigned)db_ll(&v, 0, 0);
	wf->n = st.nrows;
	for (i = 0; i < st.nrows; i++) {
		struct wf_entry *e = &wf->e[i];

		utf8_copy(e->code, sizeof(e->code), db_str(&st, i, SC_CODE));
		utf8_copy(e->label_fr, sizeof(e->label_fr), db_str(&st, i, SC_FR));
		utf8_copy(e->label_en, sizeof(e->label_en), db_str(&st, i, SC_EN));
		utf8_copy(e->colour, sizeof(e->colour), db_str(&st, i, SC_COLOUR));
		utf8_copy(e->email, sizeof(e->email), db_str(&st, i, SC_EMAIL));
		e->s.flags = flags_parse(db_str(&st, i, SC_FLAGS));
		e->s.retired = db_ll(&st, i, SC_RETIRED) != 0;
	}
	for (i = 0; i < mv.nrows; i++) {
		size_t f = entry_index(wf, db_str(&mv, i, 0)), t = entry_index(wf, db_str(&mv, i, 1));

		if (f < wf->n && t < wf->n)
			wf->e[f].to |= 1ULL << t;
	}
	wf_point(wf);
	*out = wf;
	return WF_OK;
}

static struct wf_workflow *
wf_copy(struct arena *a, const struct wf_workflow *wf)
{
	struct wf_workflow *c = arena_alloc(a, wf_size(wf->n));

	memcpy(c, wf, wf_size(wf->n));
	wf_point(c);
	return c;
}

/* The statuses as the database has them now, in the arena: what a
 * transaction checks against (never a cached copy). */
static int
wf_fresh(struct db *db, struct arena *a, long long shop_id, const struct wf_workflow **out)
{
	struct wf_workflow *wf;
	int rc = wf_read(db, a, shop_id, &wf);

	*out = NULL;
	if (rc != WF_OK)
		return rc;
	*out = wf_copy(a, wf);
	free(wf);
	return WF_OK;
}

/*
 * The per-thread cache: a slot per shop (by id), trusted for cache_ms
 * after its check; then shops.statuses_version says whether to read the
 * statuses again. A change in this process bumps `changes`, and every
 * copy checked before it is checked again at once.
 */
#define CACHE_SLOTS 32

struct cache_slot {
	long long shop_id;
	unsigned long long changes;   /* `changes` read before its check */
	long long checked_ms;
	struct wf_workflow *wf;
};

static _Thread_local struct cache_slot *cache;
static atomic_ullong changes;
static atomic_int cache_ms = 1000;

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
wf_cache_free(void)
{
	size_t i;

	for (i = 0; cache && i < CACHE_SLOTS; i++)
		free(cache[i].wf);
	free(cache);
	cache = NULL;
}

/* The shop's statuses changed in this process. */
static void
wf_changed(void)
{
	atomic_fetch_add(&changes, 1);
}

int
wf_get(struct db *db, struct arena *a, long long shop_id, const struct wf_workflow **out)
{
	unsigned long long seen = atomic_load(&changes);
	struct cache_slot *c;
	struct wf_workflow *wf;
	struct db_result v;
	long long now = now_ms(), elapsed;
	int rc;

	*out = NULL;
	if (!cache && !(cache = calloc(CACHE_SLOTS, sizeof(*cache)))) {
		log_error("shop %lld: out of memory for the statuses cache", shop_id);
		return WF_ERROR;
	}
	c = &cache[(unsigned long long)shop_id % CACHE_SLOTS];
	if (c->wf && c->shop_id == shop_id && c->changes == seen) {
		elapsed = now - c->checked_ms;
		if (elapsed >= 0 && elapsed < atomic_load(&cache_ms)) {
			*out = wf_copy(a, c->wf);
			return WF_OK;
		}
		if ((rc = db_exec(db, a, &v, sql_version, DB_PARAMS(DB_I64(shop_id)))) != DB_OK)
			return rc == DB_ERROR ? WF_ERROR : rc;
		if (v.nrows == 1 && (unsigned)db_ll(&v, 0, 0) == c->wf->version) {
			c->checked_ms = now;
			*out = wf_copy(a, c->wf);
			return WF_OK;
		}
	}
	if ((rc = wf_read(db, a, shop_id, &wf)) != WF_OK)
		return rc == DB_ERROR ? WF_ERROR : rc;
	free(c->wf);
	c->wf = wf;
	c->shop_id = shop_id;
	c->changes = seen;
	c->checked_ms = now;
	*out = wf_copy(a, wf);
	return WF_OK;
}

const struct wf_status *
wf_status_at(const struct wf_workflow *wf, size_t i)
{
	return wf && i < wf->n ? &wf->e[i].s : NULL;
}

const struct wf_status *
wf_status_find(const struct wf_workflow *wf, const char *code)
{
	size_t i = wf ? entry_index(wf, code) : 0;

	return wf && i < wf->n ? &wf->e[i].s : NULL;
}

const struct wf_status *
wf_status_role(const struct wf_workflow *wf, unsigned flag)
{
	size_t i;

	for (i = 0; wf && i < wf->n; i++)
		if (wf->e[i].s.flags & flag)
			return &wf->e[i].s;
	return NULL;
}

int
wf_closed(const struct wf_status *s)
{
	if (!s || !(s->flags & WF_FINAL))
		return ORDER_OPEN;
	return (s->flags & WF_CANCELS) ? ORDER_CLOSED_CANCELLED : ORDER_CLOSED_DONE;
}

unsigned
wf_version(const struct wf_workflow *wf)
{
	return wf ? wf->version : 0;
}

const char *
wf_status_label(const struct wf_status *s, const char *lang)
{
	return lang && strcmp(lang, "en") == 0 ? s->label_en : s->label_fr;
}

int
wf_transition_check(const struct wf_workflow *wf, const char *from, const char *to, const char **why)
{
	size_t f = wf ? entry_index(wf, from) : 0, t = wf ? entry_index(wf, to) : 0;

	if (!wf || t == wf->n) {
		*why = _("This status does not exist.");
		return WF_REFUSED;
	}
	if (f == t) {
		*why = _("The order already has this status.");
		return WF_REFUSED;
	}
	if (f < wf->n && (wf->e[f].s.flags & WF_FINAL)) {
		*why = _("A completed or cancelled order keeps its status.");
		return WF_REFUSED;
	}
	if (wf->e[t].s.retired) {
		*why = _("This status is no longer used: choose another one.");
		return WF_REFUSED;
	}
	if (f < wf->n && (wf->e[f].to & (1ULL << t)))
		return WF_OK;
	*why = _("The order cannot go from its present status to this one.");
	return WF_REFUSED;
}

/* ---- changing the status ------------------------------------------------- */

/* invoice_number: set by the documents issue when the order is invoiced;
 * a cancel of an invoiced order records that a credit note is due. */
enum lock_col {
	LC_ID, LC_STATUS, LC_VERSION, LC_NUMBER, LC_EMAIL, LC_FIRST, LC_LOCALE, LC_HOLD, LC_PAY, LC_SHIP,
	LC_PLACED, LC_TOTAL, LC_INVOICE, LC_NCOLS
};
static const char sql_order_lock[] =
	"SELECT id, status, version, number, customer_email, customer_first_name, customer_locale, on_hold,"
	" payment_state, shipping_state, placed_at, total_cents, invoice_number"
	" FROM orders WHERE shop_id = ? AND code = ? AND kind = 'order' FOR UPDATE";
static const char sql_status_update[] =
	"UPDATE orders SET status = ?, closed = ?, version = version + 1, credit_note_due = credit_note_due OR ?"
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

/* Where the locked order stands for the dashboard's counts. */
static struct order_tally
lock_tally(const struct db_result *o, size_t status, size_t hold, size_t pay, size_t ship, size_t placed,
    size_t total)
{
	return (struct order_tally){ .status = db_str(o, 0, status), .on_hold = db_ll(o, 0, hold) != 0,
	    .payment_state = db_str(o, 0, pay), .shipping_state = db_str(o, 0, ship),
	    .placed_at = db_str(o, 0, placed), .total_cents = db_ll(o, 0, total) };
}

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
	const struct wf_workflow *wf;
	const struct wf_status *st, *was;
	struct order_tally before, after;
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
	if ((rc = wf_fresh(db, x->a, c->shop_id, &wf)) != WF_OK)
		return rc;
	was = wf_status_find(wf, from);
	if (x->cancel && was && (was->flags & WF_CANCELS)) {
		*x->why = _("This order is already cancelled: a cancel cannot be undone or done twice.");
		return WF_REFUSED;
	}
	if ((rc = wf_transition_check(wf, from, c->to, x->why)) != WF_OK)
		return rc;
	st = wf_status_find(wf, c->to);
	if ((st->flags & WF_CANCELS) && !x->cancel) {
		*x->why = _("To cancel an order, use “Cancel the order”: it gives the stock back.");
		return WF_REFUSED;
	}
	if (x->cancel) {
		if ((rc = stock_release_order(db, x->a, c->shop_id, id, x->who)) != DB_OK)
			return rc;
		credit = db_str(&o, 0, LC_INVOICE) != NULL;
	}
	if ((rc = db_exec(db, x->a, &res, sql_status_update, DB_PARAMS(DB_STR(st->code), DB_I64(wf_closed(st)), DB_I64(credit),
	    DB_I64(c->shop_id), DB_I64(id), DB_I64(c->version)))) != DB_OK)
		return rc;
	if (res.affected != 1) {
		log_error("order %s: the locked row was not updated", c->code);
		return WF_ERROR;
	}
	before = lock_tally(&o, LC_STATUS, LC_HOLD, LC_PAY, LC_SHIP, LC_PLACED, LC_TOTAL);
	before.sale = was && (was->flags & WF_SALE);
	after = before;
	after.status = st->code;
	after.sale = (st->flags & WF_SALE) != 0;
	if ((rc = order_counts_move(db, x->a, c->shop_id, &before, &after)) != DB_OK)
		return rc;
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

int
order_paid_move_in_tx(struct db *db, struct arena *a, const struct wf_change *c, const char *status,
    const struct order_actor *who, bool *moved)
{
	const struct wf_workflow *wf;
	const struct wf_status *was, *to;
	struct wf_change ch = *c;
	struct change_tx x = { a, &ch, who, NULL, false, false };
	const char *why = NULL;
	int rc;

	*moved = false;
	x.why = &why;
	if ((rc = wf_fresh(db, a, c->shop_id, &wf)) != WF_OK)
		return rc;
	was = wf_status_find(wf, status);
	to = wf_status_role(wf, WF_PAID);
	if (!was || !(was->flags & WF_CUSTOMER_MAY_PAY) || !to || wf_transition_check(wf, status, to->code, &why) != WF_OK)
		return WF_OK;   /* the status stays */
	ch.to = to->code;
	if ((rc = change_tx_run(db, &x)) == WF_OK)
		*moved = true;
	else if (rc > 0)   /* the caller holds the row and its version: cannot happen */
		log_warn("order %s: the paid status refused the move (%d): %s", c->code, rc, why ? why : "");
	return rc < 0 ? rc : WF_OK;
}

/* ---- cancelling ---------------------------------------------------------- */

int
wf_cancel_check(const struct wf_workflow *wf, const char *status, const char **why)
{
	const struct wf_status *s = wf_status_find(wf, status), *to = wf_status_role(wf, WF_CANCELS);

	if (s && (s->flags & WF_CANCELS)) {
		*why = _("This order is already cancelled: a cancel cannot be undone or done twice.");
		return WF_REFUSED;
	}
	return wf_transition_check(wf, status, to ? to->code : NULL, why);
}

int
order_cancel_in_tx(struct db *db, struct arena *a, const struct wf_cancel *c,
    const struct order_actor *who, const char **why)
{
	const struct wf_workflow *wf;
	const struct wf_status *to;
	struct wf_change ch = { .shop_id = c->shop_id, .shop_name = c->shop_name, .code = c->code,
	    .version = c->version, .notify = c->notify };
	struct change_tx x = { a, &ch, who, why, true, c->automatic };
	int rc;

	if ((rc = wf_get(db, a, c->shop_id, &wf)) != WF_OK)
		return rc;
	to = wf_status_role(wf, WF_CANCELS);
	ch.to = to ? to->code : NULL;
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

enum hold_col { HC_ID, HC_STATUS, HC_VERSION, HC_HOLD, HC_REASON, HC_PAY, HC_SHIP, HC_PLACED, HC_TOTAL, HC_NCOLS };
static const char sql_hold_lock[] =
	"SELECT id, status, version, on_hold, hold_reason, payment_state, shipping_state, placed_at, total_cents"
	" FROM orders"
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
	const struct wf_workflow *wf;
	const struct wf_status *st;
	struct order_tally before, after;
	struct db_result o, res;
	long long id;
	bool held;
	int rc;

	if ((rc = db_exec(db, x->a, &o, sql_hold_lock, DB_PARAMS(DB_I64(x->shop_id), DB_STR(x->code)))) != DB_OK)
		return rc;
	if (o.nrows == 0)
		return WF_NOT_FOUND;
	if (o.ncols != HC_NCOLS) {
		log_error("order %s: the lock query returns %zu columns, its enum names %d", x->code, o.ncols, HC_NCOLS);
		return WF_ERROR;
	}
	if (db_ll(&o, 0, HC_VERSION) != x->version) {
		*x->why = _("The order changed meanwhile: look at it again, then try again.");
		return WF_CHANGED;
	}
	id = db_ll(&o, 0, HC_ID);
	held = db_ll(&o, 0, HC_HOLD) != 0;
	if ((rc = wf_get(db, x->a, x->shop_id, &wf)) != WF_OK)
		return rc;
	st = wf_status_find(wf, db_str(&o, 0, HC_STATUS));
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
	before = lock_tally(&o, HC_STATUS, HC_HOLD, HC_PAY, HC_SHIP, HC_PLACED, HC_TOTAL);
	before.sale = st && (st->flags & WF_SALE);
	after = before;
	after.on_hold = x->hold;
	if ((rc = order_counts_move(db, x->a, x->shop_id, &before, &after)) != DB_OK)
		return rc;
	return order_event_add(db, x->a, x->shop_id, id, x->who, x->hold ? "order.held" : "order.resumed",
	    x->hold ? json_pack("{ss}", "reason", x->reason) : json_pack("{ss}", "reason", db_str(&o, 0, HC_REASON)), NULL);
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

/* ---- a shop's first statuses --------------------------------------------- */

static const char sql_missing[] =
	"SELECT s.id, s.code FROM shops s"
	" WHERE NOT EXISTS (SELECT 1 FROM shop_statuses t WHERE t.shop_id = s.id)";

/* The rows of `d` for shop `shop_id`, in one batch that commits: INSERT
 * IGNORE, so that two processes seeding the same shop at once, or a batch
 * sent again, leave one copy. */
static int
seed_shop(struct db *db, struct arena *a, long long shop_id, const struct wf_def *d)
{
	struct buf sql;
	size_t i, j, nres = 1;
	bool any = false;
	int rc;

	buf_init(&sql, 0);
	buf_puts(&sql, "INSERT IGNORE INTO shop_statuses (shop_id, code, position, label_fr, label_en, colour,"
	    " flags, email_template) VALUES ");
	for (i = 0; i < d->n; i++) {
		const struct wf_def_status *st = &d->statuses[i];
		struct buf f;

		buf_init(&f, 256);
		flags_text(&f, st->flags);
		buf_puts(&sql, i ? ",(" : "(");
		sql_int(&sql, shop_id);
		sql_next_str(db, &sql, st->code);
		sql_next_int(&sql, (long long)i + 1);
		sql_next_str(db, &sql, st->label_fr);
		sql_next_str(db, &sql, st->label_en);
		sql_next_str(db, &sql, st->colour);
		sql_next_str(db, &sql, buf_str(&f));
		sql_next_str(db, &sql, st->email ? st->email : "");
		buf_putc(&sql, ')');
		buf_free(&f);
	}
	for (i = 0; i < d->n; i++)
		for (j = 0; j < d->n; j++) {
			if (!(d->to[i] & (1ULL << j)))
				continue;
			buf_puts(&sql, any ? ",(" : ";INSERT IGNORE INTO shop_status_transitions (shop_id, from_code,"
			    " to_code) VALUES (");
			sql_int(&sql, shop_id);
			sql_next_str(db, &sql, d->statuses[i].code);
			sql_next_str(db, &sql, d->statuses[j].code);
			buf_putc(&sql, ')');
			any = true;
		}
	nres += any;
	if (buf_failed(&sql)) {
		buf_free(&sql);
		log_error("shop %lld: its statuses do not fit in one statement", shop_id);
		return WF_ERROR;
	}
	{
		struct db_result res[2];

		rc = db_batch(db, a, &sql, 0, res, nres, NULL);
	}
	buf_free(&sql);
	if (rc == DB_OK)
		db_desk_changed(db, shop_id);   /* autocommit: raised at once */
	return rc;
}

struct seed_tx {
	struct arena *a;
	long long shop_id;
	const struct wf_def *d;
};

static int
seed_tx_run(struct db *db, void *p)
{
	struct seed_tx *x = p;

	return seed_shop(db, x->a, x->shop_id, x->d);
}

int
wf_shops_sync(struct db *db, struct arena *a, const struct config *cfg)
{
	struct db_result res;
	size_t i;
	int rc;

	atomic_store(&cache_ms, cfg->sessions.cache_seconds * 1000);
	if ((rc = db_exec(db, a, &res, sql_missing, 0, NULL)) != DB_OK)
		return -1;
	for (i = 0; i < res.nrows; i++) {
		const struct shop *s = config_shop_by_code(cfg, db_str(&res, i, 1));
		struct seed_tx x = { a, db_ll(&res, i, 0), s && s->workflow ? s->workflow : cfg->workflow };

		if (!x.d) {
			log_error("shop %s: no workflow to give it its statuses: set paths.workflow (conf/workflow.yaml"
			    " is the default)", db_str(&res, i, 1));
			return -1;
		}
		if ((rc = db_tx(db, seed_tx_run, &x)) != DB_OK) {
			log_error("shop %s: its statuses could not be written (%d)", db_str(&res, i, 1), rc);
			return -1;
		}
	}
	if (res.nrows)
		log_info("statuses: %zu shop%s given %s", res.nrows, res.nrows == 1 ? "" : "s",
		    res.nrows == 1 ? "its own" : "their own");
	return 0;
}

/* ---- the owner's changes ------------------------------------------------- */

static const char sql_lock_shop[] = "SELECT statuses_version FROM shops WHERE id = ? FOR UPDATE";
static const char sql_bump[] = "UPDATE shops SET statuses_version = statuses_version + 1 WHERE id = ?";
static const char sql_insert_status[] =
	"INSERT INTO shop_statuses (shop_id, code, position, label_fr, label_en, colour, flags)"
	" SELECT ?, ?, COALESCE(MAX(position), 0) + 1, ?, ?, ?, ? FROM shop_statuses WHERE shop_id = ?";
static const char sql_insert_move[] =
	"INSERT INTO shop_status_transitions (shop_id, from_code, to_code) VALUES (?, ?, ?)";
static const char sql_update_status[] =
	"UPDATE shop_statuses SET label_fr = ?, label_en = ?, colour = ? WHERE shop_id = ? AND code = ?";
static const char sql_position[] =
	"UPDATE shop_statuses SET position = ? WHERE shop_id = ? AND code = ?";
static const char sql_retire[] =
	"UPDATE shop_statuses SET retired = ? WHERE shop_id = ? AND code = ?";

enum edit_kind { EDIT_ADD, EDIT_UPDATE, EDIT_MOVE, EDIT_RETIRE };

struct edit_tx {
	struct arena *a;
	long long shop_id;
	enum edit_kind kind;
	struct wf_status_edit e;     /* labels cleaned */
	int by;                      /* EDIT_MOVE: -1 up, +1 down */
	bool retired;                /* EDIT_RETIRE */
	const char **why;
};

/* Labels and colour of e, checked and cleaned into x->e; WF_REFUSED with
 * the reason. */
static int
edit_check(struct edit_tx *x, const struct wf_status_edit *e)
{
	const char **labels[2] = { &x->e.label_fr, &x->e.label_en };
	const char *in[2] = { e->label_fr, e->label_en };
	int k, i;

	for (i = 0; i < 2; i++) {
		if (desk_clean_text(x->a, in[i] ? in[i] : "", WF_LABEL_MAX, false, labels[i]) != DESK_OK ||
		    !**labels[i]) {
			*x->why = i == 0 ? _("The French label must be 1 to 64 characters.") :
			    _("The English label must be 1 to 64 characters.");
			return WF_REFUSED;
		}
	}
	if (!colour_valid(e->colour)) {
		*x->why = _("The colour must be written #rrggbb.");
		return WF_REFUSED;
	}
	if ((k = colour_contrast_white(e->colour)) < COLOUR_CONTRAST_MIN) {
		*x->why = arena_printf(x->a, _("This colour is too light for the badge's white text"
		    " (contrast %d.%02d:1, at least 4.5:1 is needed): choose a darker one."), k / 100, k % 100);
		return WF_REFUSED;
	}
	x->e.colour = arena_strdup(x->a, e->colour);
	return WF_OK;
}

static int
edit_add(struct db *db, struct edit_tx *x, const struct wf_workflow *wf)
{
	struct buf f;
	size_t i, n = wf->n;
	int rc;

	if (wf_status_find(wf, x->e.code)) {
		*x->why = _("A status with this code already exists (perhaps retired).");
		return WF_REFUSED;
	}
	if (n >= WF_STATUSES_MAX) {
		*x->why = _("A shop has at most 64 statuses.");
		return WF_REFUSED;
	}
	buf_init(&f, 256);
	flags_text(&f, x->e.flags & (WF_SALE | WF_CUSTOMER_MAY_PAY));
	rc = db_exec(db, x->a, NULL, sql_insert_status, DB_PARAMS(DB_I64(x->shop_id), DB_STR(x->e.code),
	    DB_STR(x->e.label_fr), DB_STR(x->e.label_en), DB_STR(x->e.colour),
	    DB_STR(arena_strdup(x->a, buf_str(&f))), DB_I64(x->shop_id)));
	buf_free(&f);
	/* A step between the others: every open status may go to it, and it
	 * to every status but the one orders arrive in. */
	for (i = 0; rc == DB_OK && i < n; i++) {
		const struct wf_status *s = &wf->e[i].s;

		if (!(s->flags & WF_FINAL))
			rc = db_exec(db, x->a, NULL, sql_insert_move, DB_PARAMS(DB_I64(x->shop_id), DB_STR(s->code),
			    DB_STR(x->e.code)));
		if (rc == DB_OK && !(s->flags & WF_ARRIVAL))
			rc = db_exec(db, x->a, NULL, sql_insert_move, DB_PARAMS(DB_I64(x->shop_id),
			    DB_STR(x->e.code), DB_STR(s->code)));
	}
	return rc;
}

static int
edit_move(struct db *db, struct edit_tx *x, const struct wf_workflow *wf, size_t at)
{
	size_t i, other = x->by < 0 ? at - 1 : at + 1;
	int rc = DB_OK;

	if ((x->by < 0 && at == 0) || (x->by > 0 && at + 1 == wf->n)) {
		*x->why = x->by < 0 ? _("This status is already the first.") : _("This status is already the last.");
		return WF_REFUSED;
	}
	/* Positions 1…n in the new order: the two swap, the rest keep theirs. */
	for (i = 0; rc == DB_OK && i < wf->n; i++) {
		size_t pos = i == at ? other : i == other ? at : i;

		rc = db_exec(db, x->a, NULL, sql_position, DB_PARAMS(DB_I64((long long)pos + 1), DB_I64(x->shop_id),
		    DB_STR(wf->e[i].code)));
	}
	return rc;
}

static int
edit_tx_run(struct db *db, void *p)
{
	struct edit_tx *x = p;
	const struct wf_workflow *wf;
	const struct wf_status *st;
	struct db_result lock;
	size_t at;
	int rc;

	/* One change of a shop's statuses at a time, each on what the last left. */
	if ((rc = db_exec(db, x->a, &lock, sql_lock_shop, DB_PARAMS(DB_I64(x->shop_id)))) != DB_OK)
		return rc;
	if ((rc = wf_fresh(db, x->a, x->shop_id, &wf)) != WF_OK)
		return rc;
	if (x->kind == EDIT_ADD) {
		rc = edit_add(db, x, wf);
	} else {
		if (!(st = wf_status_find(wf, x->e.code)))
			return WF_NOT_FOUND;
		at = entry_index(wf, x->e.code);
		switch (x->kind) {
		case EDIT_UPDATE:
			rc = db_exec(db, x->a, NULL, sql_update_status, DB_PARAMS(DB_STR(x->e.label_fr),
			    DB_STR(x->e.label_en), DB_STR(x->e.colour), DB_I64(x->shop_id), DB_STR(st->code)));
			break;
		case EDIT_MOVE:
			rc = edit_move(db, x, wf, at);
			break;
		default:
			if (x->retired && (st->flags & (WF_ARRIVAL | WF_COMPLETED | WF_CANCELS))) {
				*x->why = (st->flags & WF_ARRIVAL) ? _("New orders arrive in this status: it cannot be retired.") :
				    (st->flags & WF_COMPLETED) ? _("Finished orders take this status: it cannot be retired.") :
				    _("Cancelled orders take this status: it cannot be retired.");
				return WF_REFUSED;
			}
			if (st->retired == x->retired) {
				*x->why = x->retired ? _("This status is already retired.") : _("This status is in use.");
				return WF_REFUSED;
			}
			rc = db_exec(db, x->a, NULL, sql_retire, DB_PARAMS(DB_I64(x->retired), DB_I64(x->shop_id),
			    DB_STR(st->code)));
			break;
		}
	}
	if (rc != DB_OK)
		return rc;
	db_desk_changed(db, x->shop_id);   /* the desk pages read the statuses too */
	return db_exec(db, x->a, NULL, sql_bump, DB_PARAMS(DB_I64(x->shop_id)));
}

static int
edit_run(struct db *db, struct edit_tx *x)
{
	int rc = db_tx(db, edit_tx_run, x);

	if (rc == WF_OK)
		wf_changed();
	if (rc == WF_OK || rc == WF_NOT_FOUND || rc == WF_REFUSED)
		return rc;
	if (rc != WF_ERROR)
		log_error("shop %lld: its statuses could not be changed (%d)", x->shop_id, rc);
	return WF_ERROR;
}

int
wf_status_add(struct db *db, struct arena *a, long long shop_id, const struct wf_status_edit *e, const char **why)
{
	struct edit_tx x = { .a = a, .shop_id = shop_id, .kind = EDIT_ADD, .why = why };
	int rc;

	if (!e->code || !wf_code_valid(e->code)) {
		*why = _("The code must be 1 to 32 lower-case letters, digits or “_”, such as ready_for_pickup.");
		return WF_REFUSED;
	}
	if ((rc = edit_check(&x, e)) != WF_OK)
		return rc;
	x.e.code = e->code;
	x.e.flags = e->flags;
	return edit_run(db, &x);
}

int
wf_status_update(struct db *db, struct arena *a, long long shop_id, const struct wf_status_edit *e,
    const char **why)
{
	struct edit_tx x = { .a = a, .shop_id = shop_id, .kind = EDIT_UPDATE, .why = why };
	int rc;

	if ((rc = edit_check(&x, e)) != WF_OK)
		return rc;
	x.e.code = e->code;
	return edit_run(db, &x);
}

int
wf_status_move(struct db *db, struct arena *a, long long shop_id, const char *code, int by, const char **why)
{
	struct edit_tx x = { .a = a, .shop_id = shop_id, .kind = EDIT_MOVE, .e.code = code,
	    .by = by < 0 ? -1 : 1, .why = why };

	return edit_run(db, &x);
}

int
wf_status_retire(struct db *db, struct arena *a, long long shop_id, const char *code, bool retired,
    const char **why)
{
	struct edit_tx x = { .a = a, .shop_id = shop_id, .kind = EDIT_RETIRE, .e.code = code,
	    .retired = retired, .why = why };

	return edit_run(db, &x);
}
