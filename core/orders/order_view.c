#include "orders/order_view.h"
#include "orders/lines_edit.h"
#include "orders/order_edit.h"
#include "orders/workflow.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "db/sqltext.h"
#include "orders/code.h"
#include "tpl/tpl.h"
#include "util/buf.h"
#include "util/datetime.h"
#include "util/i18n.h"
#include "util/log.h"

/*
 * The order and everything shown beside it in one round trip: a batch
 * keyed by the order's code, whose first statement keeps the order's id
 * and its customer's in user variables (ORDER_VIEW_ID …) for the others.
 * Every statement is a SELECT (the first resets the variables: a batch
 * cut short must not leave the next one another order's id), every one
 * scoped by the shop, each on the index named (the optimizer's weighing
 * of the orders table's many indexes costs more than the rows read).
 */
#define VIEW_CUSTOMER "@cpt_view_customer"
enum view_stmt { VS_RESET, VS_ORDER, VS_ADDRESSES, VS_LINES, VS_EVENTS, VS_NOTES, VS_OTHERS, VS_N };

/* After ORDER_COLUMNS; the variables' columns are not read. */
enum order_extra_col { OX_VERSION = ORDER_NCOLS, OX_HOLD_REASON, OX_INVOICE_NUMBER, OX_SET_ID, OX_SET_CUSTOMER,
	OX_END };
static const char sql_reset[] = "SELECT " ORDER_VIEW_ID " := NULL, " VIEW_CUSTOMER " := NULL";
static const char sql_order[] =
	";SELECT " ORDER_COLUMNS ", version, hold_reason, invoice_number, " ORDER_VIEW_ID " := id, "
	VIEW_CUSTOMER " := customer_id FROM orders WHERE shop_id = ";

static const char sql_addresses[] =
	";SELECT " ORDER_ADDRESS_COLUMNS " FROM order_addresses WHERE order_id = " ORDER_VIEW_ID " AND shop_id = ";

/* The lines with their product's stock (none when the product is gone). */
enum stock_col { SC_KNOWN = ORDER_LINE_NCOLS, SC_TRACKED, SC_AVAILABLE, SC_THRESHOLD, SC_END };
static const char sql_lines[] =
	";SELECT " ORDER_LINE_COLUMNS("l.") ", p.id IS NOT NULL, p.track_stock,"
	" p.stock_on_hand - p.stock_reserved, p.low_stock_threshold"
	" FROM order_lines l FORCE INDEX (PRIMARY)"
	" LEFT JOIN products p FORCE INDEX (PRIMARY) ON p.shop_id = l.shop_id AND p.id = l.product_id"
	" WHERE l.order_id = " ORDER_VIEW_ID " AND l.shop_id = ";
static const char sql_lines_end[] = " ORDER BY l.line_no";

/* The newest events and notes, newest first (turned round here). */
enum event_col { EC_AT, EC_ACTOR_TYPE, EC_ACTOR_LABEL, EC_ACTION, EC_DETAILS, EC_NCOLS };
static const char sql_events[] =
	";SELECT DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%s.%fZ'), actor_type, actor_label, action, details"
	" FROM order_events FORCE INDEX (k_order_events_order) WHERE order_id = " ORDER_VIEW_ID " AND shop_id = ";
enum note_col { NC_AT, NC_AUTHOR, NC_BODY, NC_NCOLS };
static const char sql_notes[] =
	";SELECT DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%s.%fZ'), author_label, body"
	" FROM order_notes FORCE INDEX (k_order_notes_order) WHERE order_id = " ORDER_VIEW_ID " AND shop_id = ";
static const char sql_newest_200[] = " ORDER BY id DESC LIMIT 200";
_Static_assert(ORDER_VIEW_EVENTS == 200 && ORDER_VIEW_NOTES == 200, "the LIMIT of sql_newest_200");

/* k_orders_customer (shop_id, customer_id, placed_at): one more than
 * shown, to know there are more; none without a customer (NULL). */
enum other_col { XC_CODE, XC_NUMBER, XC_STATUS, XC_TOTAL, XC_CURRENCY, XC_PLACED_AT, XC_NCOLS };
static const char sql_others[] =
	";SELECT code, number, status, total_cents, currency, DATE_FORMAT(placed_at, '%Y-%m-%dT%H:%i:%s.%fZ')"
	" FROM orders FORCE INDEX (k_orders_customer) WHERE customer_id = " VIEW_CUSTOMER
	" AND id <> " ORDER_VIEW_ID " AND shop_id = ";
static const char sql_others_end[] = " ORDER BY placed_at DESC, id DESC LIMIT 11";
_Static_assert(ORDER_VIEW_OTHERS == 10, "the LIMIT of sql_others_end");

static int
cols_ok(const struct db_result *res, size_t want, const char *what)
{
	if (res->ncols == want)
		return 1;
	log_error("order view: %s query returns %zu columns, its enum names %zu", what, res->ncols, want);
	return 0;
}

static void
view_sql(struct db *db, struct buf *b, long long shop_id, const char *code, const struct buf *more)
{
	buf_puts(b, sql_reset);
	buf_puts(b, sql_order);
	sql_int(b, shop_id);
	buf_puts(b, " AND code = ");
	sql_str(db, b, code);
	buf_puts(b, sql_addresses);
	sql_int(b, shop_id);
	buf_puts(b, sql_lines);
	sql_int(b, shop_id);
	buf_puts(b, sql_lines_end);
	buf_puts(b, sql_events);
	sql_int(b, shop_id);
	buf_puts(b, sql_newest_200);
	buf_puts(b, sql_notes);
	sql_int(b, shop_id);
	buf_puts(b, sql_newest_200);
	buf_puts(b, sql_others);
	sql_int(b, shop_id);
	buf_puts(b, sql_others_end);
	if (more)
		buf_append(b, more->data, more->len);
}

/* What the batch answered, into v (strings stay the results'). */
static int
view_read(const struct db_result *r, struct arena *a, struct order_view *v)
{
	size_t i, n;

	if (order_row_read(&r[VS_ORDER], OX_END - ORDER_NCOLS, &v->o) != 0)
		return -1;
	v->version = db_ll(&r[VS_ORDER], 0, OX_VERSION);
	v->hold_reason = db_str(&r[VS_ORDER], 0, OX_HOLD_REASON);
	v->invoice_number = db_str(&r[VS_ORDER], 0, OX_INVOICE_NUMBER);
	if (order_addresses_read(&r[VS_ADDRESSES], &v->o.billing, &v->o.shipping) != 0 ||
	    order_lines_read(&r[VS_LINES], a, SC_END - ORDER_LINE_NCOLS, &v->o) != 0)
		return -1;
	v->stock = arena_alloc(a, (v->o.nlines ? v->o.nlines : 1) * sizeof(*v->stock));
	for (i = 0; i < v->o.nlines; i++) {
		v->stock[i].known = db_ll(&r[VS_LINES], i, SC_KNOWN) != 0;
		v->stock[i].tracked = db_ll(&r[VS_LINES], i, SC_TRACKED) != 0;
		v->stock[i].available = db_ll(&r[VS_LINES], i, SC_AVAILABLE);
		v->stock[i].threshold = db_ll(&r[VS_LINES], i, SC_THRESHOLD);
	}

	if (!cols_ok(&r[VS_EVENTS], EC_NCOLS, "events") || !cols_ok(&r[VS_NOTES], NC_NCOLS, "notes") ||
	    !cols_ok(&r[VS_OTHERS], XC_NCOLS, "other orders"))
		return -1;
	n = v->nevents = r[VS_EVENTS].nrows;
	v->events = arena_alloc(a, (n ? n : 1) * sizeof(*v->events));
	for (i = 0; i < n; i++) {   /* read newest first, shown oldest first */
		struct order_event_row *e = &v->events[n - 1 - i];

		e->at = db_str(&r[VS_EVENTS], i, EC_AT);
		e->actor_type = db_str(&r[VS_EVENTS], i, EC_ACTOR_TYPE);
		e->actor_label = db_str(&r[VS_EVENTS], i, EC_ACTOR_LABEL);
		e->action = db_str(&r[VS_EVENTS], i, EC_ACTION);
		e->details = db_str(&r[VS_EVENTS], i, EC_DETAILS);
	}
	n = v->nnotes = r[VS_NOTES].nrows;
	v->notes = arena_alloc(a, (n ? n : 1) * sizeof(*v->notes));
	for (i = 0; i < n; i++) {
		struct order_note_row *t = &v->notes[n - 1 - i];

		t->at = db_str(&r[VS_NOTES], i, NC_AT);
		t->author = db_str(&r[VS_NOTES], i, NC_AUTHOR);
		t->body = db_str(&r[VS_NOTES], i, NC_BODY);
	}
	v->more_others = r[VS_OTHERS].nrows > ORDER_VIEW_OTHERS;
	n = v->nothers = v->more_others ? ORDER_VIEW_OTHERS : r[VS_OTHERS].nrows;
	v->others = arena_alloc(a, (n ? n : 1) * sizeof(*v->others));
	for (i = 0; i < n; i++) {
		v->others[i].code = db_str(&r[VS_OTHERS], i, XC_CODE);
		v->others[i].number = db_ll(&r[VS_OTHERS], i, XC_NUMBER);
		v->others[i].status = db_str(&r[VS_OTHERS], i, XC_STATUS);
		v->others[i].total_cents = db_ll(&r[VS_OTHERS], i, XC_TOTAL);
		v->others[i].currency = db_str(&r[VS_OTHERS], i, XC_CURRENCY);
		v->others[i].placed_at = db_str(&r[VS_OTHERS], i, XC_PLACED_AT);
	}
	return 0;
}

int
order_view_load_more(struct db *db, struct arena *a, long long shop_id, const char *code,
    const struct buf *more, struct db_result *more_res, size_t nmore, struct order_view *v)
{
	struct db_result *r = arena_alloc(a, (VS_N + nmore) * sizeof(*r));
	struct buf b;
	size_t done = 0, i;
	int rc;

	memset(v, 0, sizeof(*v));
	if (!code || strlen(code) != ORDER_CODE_LEN)
		return 1;
	if (wf_get(db, a, shop_id, &v->wf) != WF_OK)
		return -1;
	buf_init(&b, 16 * 1024);
	view_sql(db, &b, shop_id, code, more);
	rc = buf_failed(&b) ? DB_ERROR : db_batch(db, a, &b, 0, r, VS_N + nmore, &done);
	/* Only reads: after a connection lost on the way, asked once more
	 * (db_batch does not, a batch may write). */
	if ((rc == DB_UNKNOWN || rc == DB_RETRY) && !db_in_tx(db))
		rc = db_batch(db, a, &b, 0, r, VS_N + nmore, &done);
	buf_free(&b);
	if (rc != DB_OK)
		return rc == DB_RETRY ? DB_RETRY : -1;
	if (done != VS_N + nmore) {
		log_error("order view: the batch answered %zu statements of %zu", done, (size_t)VS_N + nmore);
		return -1;
	}
	if (r[VS_ORDER].nrows == 0)
		return 1;
	if (view_read(r, a, v) != 0)
		return -1;
	for (i = 0; i < nmore; i++)
		more_res[i] = r[VS_N + i];
	return 0;
}

int
order_view_load(struct db *db, struct arena *a, long long shop_id, const char *code, struct order_view *v)
{
	return order_view_load_more(db, a, shop_id, code, NULL, NULL, 0, v);
}

/* Words for codes. */

struct label { const char *code, *text; };

static const char *
label_of(const struct label *t, size_t n, const char *code)
{
	size_t i;

	for (i = 0; code && i < n; i++)
		if (strcmp(t[i].code, code) == 0)
			return _(t[i].text);
	return code ? code : "";
}

#define LABEL(t, code) label_of(t, sizeof(t) / sizeof(t[0]), code)

static const struct label payment_states[] = {
	{ "unpaid", N_("Unpaid") },
	{ "partially_paid", N_("Partly paid") },
	{ "paid", N_("Paid") },
	{ "partially_refunded", N_("Partly refunded") },
	{ "refunded", N_("Refunded") },
};
static const struct label shipping_states[] = {
	{ "unshipped", N_("Not shipped") },
	{ "partially_shipped", N_("Partly shipped") },
	{ "shipped", N_("Shipped") },
	{ "delivered", N_("Delivered") },
};
static const struct label methods[] = {
	{ "card", N_("Bank card") },
	{ "paypal", "PayPal" },
	{ "banktransfer", N_("Bank transfer") },
	{ "cheque", N_("Cheque") },
	{ "cod", N_("Cash on delivery") },
	{ "cash", N_("Cash") },
};
static const struct label carriers[] = {
	{ "colissimo", "Colissimo" },
	{ "mondial_relay", "Mondial Relay" },
	{ "chronopost", "Chronopost" },
	{ "bpost", "bpost" },
	{ "pickup", N_("Collection in shop") },
};
static const struct label channels[] = {
	{ "web", N_("the online shop") },
	{ "phone", N_("the telephone") },
	{ "api", N_("the API") },
	{ "back_office", N_("the back office") },
};

/* In the thread's language; a code the shop has no status for is shown as
 * it is. */
const char *
order_status_label(const struct wf_workflow *wf, const char *code)
{
	const struct wf_status *s = wf_status_find(wf, code);

	return s ? wf_status_label(s, i18n_lang()) : code ? code : "";
}
const char *order_payment_method_label(const char *m) { return LABEL(methods, m); }
const char *order_carrier_label(const char *c) { return LABEL(carriers, c); }
const char *order_carrier_at(size_t i) { return i < sizeof(carriers) / sizeof(carriers[0]) ? carriers[i].code : NULL; }
const char *order_payment_state_label(const char *s) { return LABEL(payment_states, s); }
const char *order_shipping_state_label(const char *s) { return LABEL(shipping_states, s); }

/* Formatting. */

static bool
is_en(const char *lang)
{
	return lang && strcmp(lang, "en") == 0;
}

void
vat_rate_format(char *out, size_t size, unsigned rate, const char *lang)
{
	const char *point = is_en(lang) ? "." : ",", *pct = is_en(lang) ? "%" : "\u00a0%";
	unsigned whole = rate / 100, frac = rate % 100;

	if (frac == 0)
		snprintf(out, size, "%u%s", whole, pct);
	else if (frac % 10 == 0)
		snprintf(out, size, "%u%s%u%s", whole, point, frac / 10, pct);
	else
		snprintf(out, size, "%u%s%02u%s", whole, point, frac, pct);
}

void
weight_format(char *out, size_t size, long long g, const char *lang)
{
	if (g < 1000) {
		snprintf(out, size, "%lld\u00a0g", g);
		return;
	}
	/* Kilograms to the 10 g, zeros dropped: "1,25 kg", "2 kg". */
	long long cg = (g + 5) / 10, kg = cg / 100, rest = cg % 100;
	const char *point = is_en(lang) ? "." : ",";

	if (rest == 0)
		snprintf(out, size, "%lld\u00a0kg", kg);
	else if (rest % 10 == 0)
		snprintf(out, size, "%lld%s%lld\u00a0kg", kg, point, rest / 10);
	else
		snprintf(out, size, "%lld%s%02lld\u00a0kg", kg, point, rest);
}

static void
set_money(struct tpl_vars *v, const char *key, long long cents, const char *currency, const char *lang)
{
	char s[64];

	money_format(s, sizeof(s), cents, currency, lang);
	tpl_set_str(v, key, s);
}

static void
set_date(struct tpl_vars *v, const char *key, const char *iso, const char *tz, const char *lang)
{
	char s[64];

	datetime_format(s, sizeof(s), iso, tz, lang);
	tpl_set_str(v, key, s);
}

/* "12 rue des Lilas, 69003 Lyon, FR" for the map search. */
static void
set_address(struct tpl_vars *parent, const char *key, const struct order_address *ad)
{
	struct tpl_vars *v;
	struct buf q, url;

	if (!ad->name && !ad->line1)
		return;
	v = tpl_set_map(parent, key);
	tpl_set_str(v, "name", ad->name);
	tpl_set_str(v, "company", ad->company);
	tpl_set_str(v, "line1", ad->line1);
	tpl_set_str(v, "line2", ad->line2);
	tpl_set_str(v, "postcode", ad->postcode);
	tpl_set_str(v, "city", ad->city);
	tpl_set_str(v, "region", ad->region);
	tpl_set_str(v, "country", ad->country);
	tpl_set_str(v, "phone", ad->phone);
	buf_init(&q, 2048);
	buf_puts(&q, ad->line1 ? ad->line1 : "");
	if (ad->line2 && *ad->line2) {
		buf_puts(&q, ", ");
		buf_puts(&q, ad->line2);
	}
	buf_printf(&q, ", %s %s, %s", ad->postcode ? ad->postcode : "", ad->city ? ad->city : "",
	    ad->country ? ad->country : "");
	buf_init(&url, 8192);
	buf_puts(&url, "https://www.openstreetmap.org/search?query=");
	buf_urlencode(&url, buf_str(&q), q.len);
	if (!buf_failed(&url))
		tpl_set_str(v, "map_url", buf_str(&url));
	buf_free(&q);
	buf_free(&url);
}

/* The statuses the order may move to from `status`, for the status form;
 * the cancelling ones have their own button. "notify" ticks the e-mail box
 * when the first choice has a template (W2). */
static void
set_status_choices(struct tpl_vars *ov, const struct wf_workflow *wf, const char *status)
{
	const struct wf_status *s;
	const char *why;
	bool any = false, first_mails = false;
	size_t i;

	for (i = 0; (s = wf_status_at(wf, i)); i++) {
		struct tpl_vars *c;

		if ((s->flags & WF_CANCELS) || wf_transition_check(wf, status, s->code, &why) != WF_OK)
			continue;
		c = tpl_list_add(ov, "next_statuses");
		tpl_set_str(c, "code", s->code);
		tpl_set_str(c, "label", wf_status_label(s, i18n_lang()));
		tpl_set_bool(c, "mails", s->email != NULL);
		if (!any)
			first_mails = s->email != NULL;
		any = true;
	}
	tpl_set_bool(ov, "can_change_status", any);
	tpl_set_bool(ov, "notify_default", first_mails);
}

/* The cancel and delete buttons and the cancel's confirmation: what
 * cancelling would do (W4), and whether the order may be deleted (W10). */
static void
set_cancel_values(const struct order_view *v, struct tpl_vars *ov)
{
	const struct wf_status *cancels = wf_status_role(v->wf, WF_CANCELS);
	const char *why = NULL;
	long long reserved = 0;
	size_t i;

	for (i = 0; i < v->o.nlines; i++)
		if (v->o.lines[i].reserved_stock)
			reserved += v->o.lines[i].quantity;
	tpl_set_bool(ov, "can_cancel", wf_cancel_check(v->wf, v->o.status, &why) == WF_OK);
	if (why)
		tpl_set_str(ov, "cancel_refused", why);
	tpl_set_int(ov, "reserved_units", reserved);
	tpl_set_bool(ov, "has_invoice", v->invoice_number != NULL);
	if (v->invoice_number)
		tpl_set_str(ov, "invoice_number", v->invoice_number);
	tpl_set_bool(ov, "cancel_mails", cancels && cancels->email);
	tpl_set_bool(ov, "can_delete", v->o.is_test);
}

/* A history event in words: "Status changed from Received to Shipped". */
static const char *
event_text(struct arena *a, const struct wf_workflow *wf, const struct order_event_row *e, const char *currency,
    const char *lang)
{
	json_t *d = json_loads(e->details ? e->details : "{}", 0, NULL);
	const char *s, *text;

#define D(k) (json_string_value(json_object_get(d, k)) ? json_string_value(json_object_get(d, k)) : "")
	if (strcmp(e->action, "order.created") == 0) {
		text = *D("quote") ? arena_printf(a, _("Order made from quote %s"), D("quote"))
		    : arena_printf(a, _("Order received through %s"), LABEL(channels, D("channel")));
	} else if (strcmp(e->action, "order.lines_changed") == 0) {
		text = lines_change_text(a, e->details, currency, lang);
		if (*(s = D("payment_to")))
			text = arena_printf(a, "%s; %s", text, arena_printf(a, _("payment now %s"),
			    order_payment_state_label(s)));
	} else if (strcmp(e->action, "order.quoted") == 0) {
		text = arena_printf(a, _("Duplicated into quote %s"), D("quote"));
	} else if (strcmp(e->action, "order.status_changed") == 0) {
		text = arena_printf(a, _("Status changed from %s to %s"), order_status_label(wf, D("from")),
		    order_status_label(wf, D("to")));
		if (*(s = D("payment"))) {
			char m[64];

			money_format(m, sizeof(m), (long long)json_integer_value(json_object_get(d, "amount")),
			    currency, lang);
			text = arena_printf(a, "%s; %s", text, arena_printf(a, _("payment of %s by %s"), m,
			    order_payment_method_label(s)));
		}
		if (*(s = D("tracking")))
			text = arena_printf(a, "%s; %s", text, arena_printf(a, _("%s tracking number %s"),
			    order_carrier_label(D("carrier")), s));
	} else if (strcmp(e->action, "order.cancelled") == 0) {
		text = json_is_true(json_object_get(d, "automatic"))
		    ? _("Cancelled automatically: unpaid past the shop's delay; reserved stock given back")
		    : _("Order cancelled; reserved stock given back");
		if (json_is_true(json_object_get(d, "credit_note_due")))
			text = arena_printf(a, _("%s; %s"), text, _("a credit note is due"));
		if (json_is_true(json_object_get(d, "customer_told")))
			text = arena_printf(a, _("%s; %s"), text, _("the customer was told by e-mail"));
	} else if (strcmp(e->action, "order.payment_recorded") == 0 || strcmp(e->action, "order.refunded") == 0 ||
	    strcmp(e->action, "order.marked_unpaid") == 0) {
		long long cents = (long long)json_integer_value(json_object_get(d, "amount"));
		char m[64];

		money_format(m, sizeof(m), cents < 0 ? -cents : cents, currency, lang);
		if (e->action[6] == 'p')
			text = arena_printf(a, _("Payment of %s received (%s)"), m, order_payment_method_label(D("method")));
		else if (e->action[6] == 'r')
			text = arena_printf(a, _("Refund of %s"), m);
		else
			text = arena_printf(a, _("Marked as not paid: %s cancelled"), m);
		text = arena_printf(a, "%s; %s", text, arena_printf(a, _("payment now %s"),
		    order_payment_state_label(D("to"))));
	} else if (strcmp(e->action, "order.payment_link_created") == 0) {
		text = json_is_true(json_object_get(d, "revoked")) ?
		    _("New payment link; the previous one no longer works") : _("Payment link created");
	} else if (strcmp(e->action, "order.payment_reminder_sent") == 0) {
		text = json_is_true(json_object_get(d, "customer_told")) ?
		    arena_printf(a, _("Payment reminder e-mailed to the customer (%s due)"), D("due")) :
		    _("Payment reminder due, but the customer has no e-mail address");
	} else if (strcmp(e->action, "order.held") == 0) {
		text = arena_printf(a, _("Put on hold: %s"), D("reason"));
	} else if (strcmp(e->action, "order.resumed") == 0) {
		text = _("Resumed after the hold");
	} else if (strcmp(e->action, "order.note_added") == 0) {
		text = arena_printf(a, _("Internal note added: %s"), D("note"));
	} else if (strcmp(e->action, "order.reference_changed") == 0) {
		if (!*D("to"))
			text = arena_printf(a, _("Reference \u201c%s\u201d removed"), D("from"));
		else if (!*D("from"))
			text = arena_printf(a, _("Reference set to \u201c%s\u201d"), D("to"));
		else
			text = arena_printf(a, _("Reference changed from \u201c%s\u201d to \u201c%s\u201d"),
			    D("from"), D("to"));
	} else if (strcmp(e->action, "order.addresses_changed") == 0) {
		text = order_edit_changes_text(a, e->details);
	} else {
		text = e->action;
	}
#undef D
	json_decref(d);
	return text;
}

static const char *
actor_text(const struct order_event_row *e)
{
	if (strcmp(e->actor_type, "staff") == 0)
		return *e->actor_label ? e->actor_label : _("A staff member");
	if (strcmp(e->actor_type, "api") == 0)
		return *e->actor_label ? e->actor_label : _("The online shop");
	if (strcmp(e->actor_type, "customer") == 0)
		return _("The customer");
	return *e->actor_label ? e->actor_label : _("Comptoir, automatically");
}

void
order_totals_fill(const struct order_totals *ot, bool include_vat, const char *currency, const char *lang,
    struct tpl_vars *t)
{
	char s[64];
	size_t i;

	tpl_set_bool(t, "include_vat", include_vat);
	set_money(t, "lines", ot->lines_cents, currency, lang);
	set_money(t, "shipping", ot->shipping_cents, currency, lang);
	set_money(t, "ex_vat", ot->total_ex_vat_cents, currency, lang);
	set_money(t, "vat", ot->total_vat_cents, currency, lang);
	set_money(t, "total", ot->total_cents, currency, lang);
	for (i = 0; i < ot->nvat; i++) {
		struct tpl_vars *r = tpl_list_add(t, "vat_rates");

		vat_rate_format(s, sizeof(s), ot->vat[i].rate, lang);
		tpl_set_str(r, "rate", s);
		set_money(r, "base", ot->vat[i].base_cents, currency, lang);
		set_money(r, "vat", ot->vat[i].vat_cents, currency, lang);
	}
}

void
order_view_fill(const struct order_view *v, struct arena *a, const char *lang, const char *tz,
    struct tpl_vars *vars)
{
	const struct order *o = &v->o;
	struct tpl_vars *ov = tpl_set_map(vars, "order"), *t, *c;
	long long discounts = o->discount_cents;
	char s[64];
	size_t i;

	tpl_set_str(ov, "code", o->code);
	tpl_set_int(ov, "number", o->number);   /* always set: 0 hides it */
	tpl_set_str(ov, "title", o->title);
	tpl_set_str(ov, "status", o->status);
	tpl_set_str(ov, "status_label", order_status_label(v->wf, o->status));
	tpl_set_str(ov, "payment_state_label", LABEL(payment_states, o->payment_state));
	tpl_set_str(ov, "shipping_state_label", LABEL(shipping_states, o->shipping_state));
	tpl_set_bool(ov, "on_hold", o->on_hold);
	tpl_set_bool(ov, "is_test", o->is_test);
	tpl_set_bool(ov, "is_quote", o->kind && strcmp(o->kind, "quote") == 0);
	tpl_set_int(ov, "version", v->version);
	tpl_set_str(ov, "hold_reason", v->hold_reason);
	tpl_set_bool(ov, "can_hold", !o->on_hold && !(wf_status_find(v->wf, o->status) &&
	    (wf_status_find(v->wf, o->status)->flags & WF_FINAL)));
	set_status_choices(ov, v->wf, o->status);
	set_cancel_values(v, ov);
	tpl_set_bool(ov, "can_edit_lines", lines_order_editable(v->wf, o->status, o->shipping_state,
	    v->invoice_number != NULL));
	tpl_set_str(ov, "placed_at_iso", o->placed_at);
	set_date(ov, "placed_at", o->placed_at, tz, lang);
	tpl_set_str(ov, "channel_label", LABEL(channels, o->channel));
	if (*o->carrier)
		tpl_set_str(ov, "carrier_label", order_carrier_label(o->carrier));
	if (*o->payment_method)
		tpl_set_str(ov, "payment_method_label", order_payment_method_label(o->payment_method));
	weight_format(s, sizeof(s), o->total_weight_g, lang);
	tpl_set_str(ov, "weight", s);
	set_money(ov, "total", o->totals.total_cents, o->currency, lang);
	set_money(ov, "paid", o->paid_cents, o->currency, lang);
	tpl_set_str(ov, "reference", o->reference);
	tpl_set_str(ov, "external_reference", o->external_reference);
	tpl_set_str(ov, "remarks", o->remarks);

	/* How the total is made, from the totals stored by order_totals(). */
	t = tpl_set_map(ov, "totals");
	order_totals_fill(&o->totals, o->prices_include_vat, o->currency, lang, t);

	for (i = 0; i < o->nlines; i++) {
		const struct order_line *l = &o->lines[i];
		const struct order_line_stock *st = &v->stock[i];
		struct tpl_vars *r = tpl_list_add(ov, "lines");

		tpl_set_str(r, "sku", l->sku);
		tpl_set_str(r, "name", l->name);
		if (l->options && strcmp(l->options, "{}") != 0)
			tpl_set_str(r, "options", l->options);
		tpl_set_int(r, "quantity", l->quantity);
		tpl_set_bool(r, "reserved", l->reserved_stock);   /* what a cancel gives back */
		set_money(r, "unit_price", l->unit_price_cents, o->currency, lang);
		vat_rate_format(s, sizeof(s), l->vat_rate, lang);
		tpl_set_str(r, "vat_rate", s);
		if (l->discount_cents)
			set_money(r, "discount", l->discount_cents, o->currency, lang);
		set_money(r, "total", l->total_cents, o->currency, lang);
		discounts += l->discount_cents;
		if (st->known && st->tracked) {
			tpl_set_bool(r, "stock_tracked", true);
			tpl_set_int(r, "stock", st->available);
			if (st->available == 0)   /* "0" is false for a section */
				tpl_set_str(r, "stock", "0");
			tpl_set_bool(r, "low_stock", st->available <= st->threshold);
		} else if (!st->known) {
			tpl_set_bool(r, "product_gone", true);
		}
	}
	if (discounts)
		set_money(t, "discounts", discounts, o->currency, lang);

	set_address(ov, "billing", &o->billing);
	set_address(ov, "shipping", &o->shipping);

	c = tpl_set_map(ov, "customer");
	tpl_set_str(c, "code", o->customer.code);
	tpl_set_str(c, "name", arena_printf(a, "%s%s%s%s%s", o->customer.title,
	    *o->customer.title ? " " : "", o->customer.first_name,
	    *o->customer.first_name ? " " : "", o->customer.last_name));
	tpl_set_str(c, "email", o->customer.email);
	tpl_set_str(c, "phone", o->customer.phone);
	for (i = 0; i < v->nothers; i++) {
		const struct order_other_row *x = &v->others[i];
		struct tpl_vars *r = tpl_list_add(c, "others");

		tpl_set_str(r, "code", x->code);
		tpl_set_int(r, "number", x->number);
		tpl_set_str(r, "status_label", order_status_label(v->wf, x->status));
		set_money(r, "total", x->total_cents, x->currency, lang);
		set_date(r, "placed_at", x->placed_at, tz, lang);
		tpl_set_str(r, "placed_at_iso", x->placed_at);
	}
	tpl_set_bool(c, "more_others", v->more_others);

	for (i = 0; i < v->nevents; i++) {
		const struct order_event_row *e = &v->events[i];
		struct tpl_vars *r = tpl_list_add(ov, "events");

		set_date(r, "at", e->at, tz, lang);
		tpl_set_str(r, "at_iso", e->at);
		tpl_set_str(r, "who", actor_text(e));
		tpl_set_str(r, "what", event_text(a, v->wf, e, o->currency, lang));
	}
	tpl_set_bool(ov, "has_notes", v->nnotes > 0);
	for (i = 0; i < v->nnotes; i++) {
		const struct order_note_row *n = &v->notes[i];
		struct tpl_vars *r = tpl_list_add(ov, "notes");

		set_date(r, "at", n->at, tz, lang);
		tpl_set_str(r, "at_iso", n->at);
		tpl_set_str(r, "author", *n->author ? n->author : _("A staff member"));
		tpl_set_str(r, "body", n->body);
	}
}
