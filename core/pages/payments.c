/* Payments in the back office: the order page's payment block (P4, P5,
 * P9, P10) and bank reconciliation, /payments/reconcile (P3). Thin: the
 * work is core/payments/. */
#include <stdlib.h>
#include <string.h>

#include "auth/session.h"
#include "conf/conf.h"
#include "orders/money.h"
#include "orders/order_desk.h"
#include "pages/page.h"
#include "payments/online.h"
#include "payments/payments.h"
#include "plugins/host.h"
#include "payments/reconcile.h"
#include "util/i18n.h"
#include "util/log.h"

#define BLOCK "payments"   /* the order page's block: its anchor and its form's field */

/* What payment_record answered: back to the block, or the page again. */
static void
payment_answer(struct request *r, const char *code, int rc, const char *why, const char *typed)
{
	switch (rc) {
	case PAY_OK:
		order_page_back(r, code, BLOCK);
		return;
	case PAY_NOT_FOUND:
		page_error(r, 404);
		return;
	case PAY_REFUSED:
		order_page_refused(r, code, 422, BLOCK, why, typed);
		return;
	case PAY_CHANGED:
		order_page_refused(r, code, 409, BLOCK, why, typed);
		return;
	case PAY_ALREADY:   /* no event id on a form: cannot happen, yet harmless */
		order_page_back(r, code, BLOCK);
		return;
	default:
		page_error(r, 503);
		return;
	}
}

/* Reads the form common to the four actions; false when it answered. */
static bool
payment_form(struct request *r, char code[9], struct payment_in *in, bool with_amount)
{
	const char *amount = req_form(r, "amount"), *method = req_form(r, "method");
	int rc;

	if (!order_page_code(r, code)) {
		page_error(r, 404);
		return false;
	}
	*in = (struct payment_in){ .shop_id = r->shop->id, .shop_name = r->shop->name, .code = code,
	    .provider = "", .lang = r->locale };
	if (!order_page_version(r, &in->version)) {
		page_error(r, 400);
		return false;
	}
	if (with_amount && (!amount || money_parse(amount, strlen(amount), &in->amount_cents) != MONEY_OK ||
	    in->amount_cents <= 0)) {
		order_page_refused(r, code, 422, BLOCK, _("The amount cannot be read: write it as 12,50."), "");
		return false;
	}
	if (method && *method && !payment_code_valid(method)) {
		order_page_refused(r, code, 422, BLOCK, _("This payment method does not exist."), "");
		return false;
	}
	in->method = method;
	rc = desk_clean_text(r->arena, req_form(r, "reference") ? req_form(r, "reference") : "",
	    PAYMENT_REFERENCE_MAX, false, &in->reference);
	if (rc == DESK_OK)
		rc = desk_clean_text(r->arena, req_form(r, "comment") ? req_form(r, "comment") : "",
		    PAYMENT_COMMENT_MAX, false, &in->comment);
	if (rc != DESK_OK) {
		order_page_refused(r, code, 422, BLOCK, rc == DESK_TOO_LONG ?
		    _("The reference or the comment is too long.") :
		    _("The reference or the comment holds characters that cannot be saved."), "");
		return false;
	}
	return true;
}

static void
payment_action(struct request *r, enum payment_action action, bool with_amount)
{
	char code[9];
	struct payment_in in;
	struct order_actor who;
	const char *why = NULL;
	int rc;

	if (!payment_form(r, code, &in, with_amount))
		return;
	in.action = action;
	who = order_page_actor(r);
	rc = payment_record(r->db, r->arena, &in, &who, &why, NULL);
	payment_answer(r, code, rc, why, with_amount ? req_form(r, "amount") : "");
}

/* POST /orders/{}/payments: amount received, partial or whole (P5). */
void order_payment_post(struct request *r) { payment_action(r, PAY_RECEIVED, true); }
/* POST /orders/{}/refunds: refund by hand (P9). */
void order_refund_post(struct request *r) { payment_action(r, PAY_REFUND, true); }
/* POST /orders/{}/mark-paid and mark-unpaid (P4). */
void order_mark_paid_post(struct request *r) { payment_action(r, PAY_MARK_PAID, false); }
void order_mark_unpaid_post(struct request *r) { payment_action(r, PAY_MARK_UNPAID, false); }

/* POST /orders/{}/refunds/online: a refund through the plugin that took
 * the order's online payment (P9); when it cannot, the form says to
 * refund by hand, which the block offers beside it. */
void
order_refund_online_post(struct request *r)
{
	const char *amount = req_form(r, "amount"), *why = NULL;
	struct order_actor who = order_page_actor(r);
	long long version, cents;
	char code[9];
	int rc;

	if (!order_page_code(r, code)) {
		page_error(r, 404);
		return;
	}
	if (!order_page_version(r, &version)) {
		page_error(r, 400);
		return;
	}
	if (!amount || money_parse(amount, strlen(amount), &cents) != MONEY_OK || cents <= 0) {
		order_page_refused(r, code, 422, BLOCK, _("The amount cannot be read: write it as 12,50."), "");
		return;
	}
	rc = payment_refund_online(r->db, r->arena, r->cfg, r->shop, r->locale, code, version, cents, &who, &why);
	if (rc == PAY_UNAVAILABLE)
		order_page_refused(r, code, 422, BLOCK, _("This payment cannot be refunded online: refund it by hand."),
		    amount);
	else if (rc == PAY_PROVIDER_REFUSED)
		order_page_refused(r, code, 502, BLOCK, why, amount);
	else
		payment_answer(r, code, rc, why, amount);
}

/* The order page's online refund form: vars refund_online.label when the
 * order's last online payment (`last`, payment_refund_view_sql's result)
 * can be refunded through its plugin. */
int
payment_refund_online_fill(struct request *r, const struct db_result *last, struct tpl_vars *order)
{
	const struct plugin *p;

	if (payment_refund_plugin(r->db, r->arena, r->cfg, r->shop, last, &p) != 0)
		return -1;
	if (p)
		tpl_set_str(tpl_set_map(order, "refund_online"), "label",
		    strcmp(r->locale, "en") == 0 ? p->desc->label_en : p->desc->label_fr);
	return 0;
}

/* ---- /payments/reconcile ------------------------------------------------- */

static const char *
match_text(const struct reconcile_line *l, struct arena *a, const char *lang, const char *currency)
{
	char due[64];

	switch (l->match) {
	case MATCH_ONE:
		return NULL;
	case MATCH_AMOUNT:
		money_format(due, sizeof(due), l->due_cents, currency, lang);
		return arena_printf(a, _("Order %s is named, but %s is due."), l->order_code, due);
	case MATCH_MANY:
		return _("Several orders fit: record it by hand.");
	default:
		return _("No unpaid order is named.");
	}
}

/* A count from our own redirect's query string; NULL for anything else. */
static const char *
count_param(struct request *r, const char *key)
{
	const char *v = req_param(r, key);
	size_t n = v ? strlen(v) : 0;

	return n >= 1 && n <= 6 && strspn(v, "0123456789") == n ? v : NULL;
}

/* The page: the upload form, what the last action did (`notice`, from
 * the query string or a refusal), the pending lines and their matches. */
static void
reconcile_render(struct request *r, int status, const char *error)
{
	struct tpl_vars *v = page_vars(r), *p = tpl_set_map(v, "reconcile");
	struct reconcile_line *lines;
	size_t n, i, matched = 0;
	const char *q;
	char s[64];

	if (reconcile_pending(r->db, r->arena, r->shop->id, &lines, &n) != 0) {
		page_error(r, 503);
		return;
	}
	if (error)
		tpl_set_str(p, "error", error);
	if ((q = count_param(r, "added")))
		tpl_set_str(p, "uploaded", arena_printf(r->arena, _("Statement read: %s new credit lines, %s debit"
		    " lines left aside."), q, count_param(r, "debits") ? count_param(r, "debits") : "0"));
	if ((q = count_param(r, "recorded")))
		tpl_set_str(p, "confirmed", arena_printf(r->arena, _("%s payments recorded, %s lines left as they"
		    " were."), q, count_param(r, "skipped") ? count_param(r, "skipped") : "0"));
	tpl_set_int(p, "max_kib", STATEMENT_MAX_BYTES / 1024);
	for (i = 0; i < n; i++) {
		const struct reconcile_line *l = &lines[i];
		struct tpl_vars *row = tpl_list_add(p, l->match == MATCH_ONE ? "matches" : "unmatched");

		tpl_set_int(row, "id", l->id);
		tpl_set_str(row, "booked_on", l->booked_on ? l->booked_on : "");
		money_format(s, sizeof(s), l->amount_cents, l->currency, r->locale);
		tpl_set_str(row, "amount", s);
		tpl_set_str(row, "reference", *l->reference ? l->reference : l->bank_ref);
		tpl_set_str(row, "label", l->label);
		if (l->match == MATCH_ONE) {
			matched++;
			tpl_set_str(row, "order_code", l->order_code);
			tpl_set_str(row, "order_name", l->order_number ?
			    arena_printf(r->arena, "%lld", l->order_number) : l->order_code);
		} else {
			tpl_set_str(row, "why", match_text(l, r->arena, r->locale, l->currency));
		}
	}
	tpl_set_int(p, "nmatches", (long long)matched);
	tpl_set_int(p, "nunmatched", (long long)(n - matched));
	page_render(r, "reconcile", v, _("Bank reconciliation"));
	if (r->status == 200)
		r->status = status;
}

void
reconcile_get(struct request *r)
{
	reconcile_render(r, 200, NULL);
}

/* POST /payments/reconcile: a statement file; its credit lines are kept
 * and matched, or nothing is kept and the page says why. */
void
reconcile_post(struct request *r)
{
	const struct staff_user *u = &r->session->user;
	struct statement st;
	const char *data, *why = NULL;
	size_t len = 0, added, debits;
	int rc;

	data = req_file(r, "statement", &len);
	if (!data || len == 0) {
		reconcile_render(r, 422, _("Choose the statement file (CAMT.053 XML or CSV), then send it."));
		return;
	}
	rc = statement_parse(r->arena, data, len, &st, &why);
	if (rc == STATEMENT_TOO_LARGE) {
		reconcile_render(r, 413, why ? why : _("The file is too large."));
		return;
	}
	if (rc != STATEMENT_OK) {
		reconcile_render(r, 422, arena_printf(r->arena, _("The statement cannot be read: %s Nothing was"
		    " recorded."), why ? why : ""));
		return;
	}
	if (reconcile_store(r->db, r->arena, r->shop->id, r->shop->currency, &st,
	    *u->display_name ? u->display_name : u->email, &added, &debits) != 0) {
		page_error(r, 503);
		return;
	}
	res_redirect(r, arena_printf(r->arena, "/payments/reconcile?added=%zu&debits=%zu", added, debits));
}

/* POST /payments/reconcile/confirm: line=ID for each match ticked. */
void
reconcile_confirm_post(struct request *r)
{
	long long *ids = arena_alloc(r->arena, RECONCILE_MAX_PENDING * sizeof(*ids));
	struct order_actor who = order_page_actor(r);
	size_t i, n = 0, recorded, skipped;

	for (i = 0; i < r->form.n && n < RECONCILE_MAX_PENDING; i++) {
		const char *s = r->form.items[i].val;
		char *end;

		if (strcmp(r->form.items[i].key, "line") != 0)
			continue;
		ids[n] = strtoll(s, &end, 10);
		if (!*s || *end || ids[n] <= 0) {
			page_error(r, 400);
			return;
		}
		n++;
	}
	if (n == 0) {
		reconcile_render(r, 422, _("Tick the matches to confirm."));
		return;
	}
	if (reconcile_confirm(r->db, r->arena, r->shop->id, r->shop->name, ids, n, &who, &recorded, &skipped) != 0) {
		page_error(r, 503);
		return;
	}
	res_redirect(r, arena_printf(r->arena, "/payments/reconcile?recorded=%zu&skipped=%zu", recorded, skipped));
}
