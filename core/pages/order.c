/* The order page, /orders/{code}: everything about one order (D1–D10),
 * its internal notes, its reference field and its status (W1, W2). */
#include <stdlib.h>
#include <string.h>

#include "auth/session.h"
#include "conf/conf.h"
#include "db/db.h"
#include "orders/code.h"
#include "orders/order_delete.h"
#include "orders/order_desk.h"
#include "orders/order_edit.h"
#include "orders/order_view.h"
#include "orders/workflow.h"
#include "pages/page.h"
#include "payments/online.h"
#include "payments/paylink.h"
#include "payments/payments.h"
#include "util/buf.h"
#include "util/i18n.h"
#include "util/log.h"

/* The code of the route, normalised; false when it cannot be one (then
 * the answer is the same 404 as for a code that does not exist). */
static bool
route_code(struct request *r, char code[ORDER_CODE_LEN + 1])
{
	return r->route_arg && order_code_normalise(r->route_arg, code);
}

static const char *
order_title(struct request *r, const struct order *o)
{
	if (o->number)
		return arena_printf(r->arena, _("Order %lld"), o->number);
	return arena_printf(r->arena, _("Order %s"), o->code);
}

/* What a refused form sent: shown again with the reason. */
struct form_echo {
	const char *field;      /* "note" or "reference" */
	const char *message;
	const char *text;
};

static void addresses_fill(struct request *r, struct tpl_vars *v, const struct order *o);

/* May the order in `status` still be edited, in the shop's workflow? */
static bool
edit_allowed(struct request *r, const char *status)
{
	const struct wf_workflow *wf;

	return wf_get(r->db, r->arena, r->shop->id, &wf) == WF_OK && order_edit_allowed(wf, status);
}

/* The payments blocks' reads, in the order view's round trip. */
enum page_reads { PR_PAYMENTS, PR_PAYLINK, PR_REFUND, PR_N };

/*
 * Renders the page of order `code` with `status`; `form` (may be NULL)
 * brings back a refused form's text and message. Records the view when
 * `record` (a GET).
 */
static void
render_order(struct request *r, const char *code, int status, const struct form_echo *form, bool record)
{
	struct tpl_vars *v = page_vars(r);
	/* From memory while the shop is unchanged: one version read. */
	struct db *desk = db_desk(r->db, r->shop->id);
	struct db_result more[PR_N];
	struct order_view ov;
	struct buf sql;
	int rc;

	buf_init(&sql, 4096);
	payments_view_sql(&sql, r->shop->id);
	paylink_view_sql(&sql, r->shop->id);
	payment_refund_view_sql(&sql, r->shop->id);
	rc = order_view_load_more(desk, r->arena, r->shop->id, code, &sql, more, PR_N, &ov);
	buf_free(&sql);
	if (rc < 0) {
		page_error(r, 503);
		return;
	}
	if (rc > 0) {
		page_error(r, 404);
		return;
	}
	if (record && order_recent_record(desk, r->arena, r->shop->id, r->session->user.id, ov.o.id) != DESK_OK)
		log_warn("order %s: the view could not be recorded", code);   /* the page matters more */
	order_view_fill(&ov, r->arena, r->locale, r->shop->timezone, v);
	payment_instructions_fill(r, &ov.o, tpl_set_map(v, "order"));
	paylink_fill(r, &ov.o, &more[PR_PAYLINK], tpl_set_map(v, "order"));
	addresses_fill(r, v, &ov.o);
	if (payments_view_fill(&more[PR_PAYMENTS], ov.o.id, ov.o.totals.total_cents, ov.o.paid_cents,
	    ov.o.currency, ov.o.payment_method, r->locale, r->shop->timezone, tpl_set_map(v, "order")) != 0 ||
	    payment_refund_online_fill(r, &more[PR_REFUND], tpl_set_map(v, "order")) != 0) {
		page_error(r, 503);
		return;
	}
	if (form) {
		struct tpl_vars *f = tpl_set_map(v, "form");

		tpl_set_str(f, arena_printf(r->arena, "%s_error", form->field), form->message);
		tpl_set_str(f, form->field, form->text);
	}
	page_render(r, "order", v, order_title(r, &ov.o));
	if (r->status == 200)
		r->status = status;
}

void
order_get(struct request *r)
{
	char code[ORDER_CODE_LEN + 1];

	if (!route_code(r, code)) {
		page_error(r, 404);
		return;
	}
	render_order(r, code, 200, NULL, strcmp(r->method, "GET") == 0);
}

static struct order_actor
actor(const struct request *r)
{
	const struct staff_user *u = &r->session->user;

	return (struct order_actor){ ACTOR_STAFF, u->id, *u->display_name ? u->display_name : u->email };
}

/* After a change: back to the page, at the block that changed. */
static void
back_to(struct request *r, const char *code, const char *anchor)
{
	res_redirect(r, arena_printf(r->arena, "/orders/%s#%s", code, anchor));
}

/* A refused form: the page again, with its message and what was typed. */
static void
refused(struct request *r, const char *code, const char *field, const char *message, const char *text)
{
	struct form_echo f = { field, message, text };

	render_order(r, code, 422, &f, false);
}

void
order_note_post(struct request *r)
{
	char code[ORDER_CODE_LEN + 1];
	struct order_actor who;
	const char *text = req_form(r, "note");

	if (!route_code(r, code)) {
		page_error(r, 404);
		return;
	}
	who = actor(r);
	switch (order_note_add(r->db, r->arena, r->shop->id, code, &who, text)) {
	case DESK_OK:
		back_to(r, code, "notes");
		return;
	case DESK_NOT_FOUND:
		page_error(r, 404);
		return;
	case DESK_EMPTY:
		refused(r, code, "note", _("The note is empty: write it, then add it."), "");
		return;
	case DESK_TOO_LONG:
		refused(r, code, "note", _("The note is too long (at most 4,000 characters)."), text);
		return;
	case DESK_INVALID:
		refused(r, code, "note", _("The note holds characters that cannot be saved."), "");
		return;
	default:
		page_error(r, 503);
		return;
	}
}

void
order_reference_post(struct request *r)
{
	char code[ORDER_CODE_LEN + 1];
	struct order_actor who;
	const char *text = req_form(r, "reference");

	if (!route_code(r, code)) {
		page_error(r, 404);
		return;
	}
	who = actor(r);
	switch (order_reference_set(r->db, r->arena, r->shop->id, code, &who, text)) {
	case DESK_OK:
		back_to(r, code, "reference");
		return;
	case DESK_NOT_FOUND:
		page_error(r, 404);
		return;
	case DESK_TOO_LONG:
		refused(r, code, "reference", _("The reference is too long (at most 255 characters)."), text);
		return;
	case DESK_INVALID:
		refused(r, code, "reference", _("The reference holds characters that cannot be saved."), "");
		return;
	default:
		page_error(r, 503);
		return;
	}
}

/* A whole number from the form; false when it is not one. */
static bool
form_ll(struct request *r, const char *key, long long *out)
{
	const char *s = req_form(r, key);
	char *end;

	if (!s || !*s)
		return false;
	*out = strtoll(s, &end, 10);
	return *end == '\0' && *out >= 0;
}

/* What a workflow action answered: back to the page, or the page again
 * with the reason at `field`'s block. */
static void
workflow_answer(struct request *r, const char *code, const char *field, int rc, const char *why)
{
	switch (rc) {
	case WF_OK:
		back_to(r, code, field);
		return;
	case WF_NOT_FOUND:
		page_error(r, 404);
		return;
	case WF_REFUSED:
		refused(r, code, field, why, "");
		return;
	case WF_CHANGED:
		refused(r, code, field, why, "");
		r->status = 409;
		return;
	default:
		page_error(r, 503);
		return;
	}
}

void
order_status_post(struct request *r)
{
	char code[ORDER_CODE_LEN + 1];
	struct order_actor who;
	const char *why = NULL, *notify = req_form(r, "notify");
	struct wf_change c = { .shop_id = r->shop->id, .shop_name = r->shop->name, .code = code,
	    .to = req_form(r, "status"), .notify = notify && strcmp(notify, "1") == 0 };
	int rc;

	if (!route_code(r, code)) {
		page_error(r, 404);
		return;
	}
	if (!form_ll(r, "version", &c.version)) {
		page_error(r, 400);
		return;
	}
	who = actor(r);
	rc = order_status_change(r->db, r->arena, &c, &who, &why);   /* before why is read */
	workflow_answer(r, code, "status", rc, why);
}

/* POST /orders/{}/hold: hold=1 with a reason puts it on hold, hold=0 resumes. */
void
order_hold_post(struct request *r)
{
	char code[ORDER_CODE_LEN + 1];
	struct order_actor who;
	const char *why = NULL, *hold = req_form(r, "hold");
	long long version;
	int rc;

	if (!route_code(r, code)) {
		page_error(r, 404);
		return;
	}
	if (!form_ll(r, "version", &version) || !hold || (strcmp(hold, "1") != 0 && strcmp(hold, "0") != 0)) {
		page_error(r, 400);
		return;
	}
	who = actor(r);
	rc = order_hold_set(r->db, r->arena, r->shop->id, code, version, *hold == '1', req_form(r, "reason"),
	    &who, &why);
	workflow_answer(r, code, "hold", rc, why);
}

/* ---- cancel and delete (W4, W10): a confirmation page, then the POST ---- */

/* The confirmation page `name` ("order/cancel_confirm" …) of order `code`;
 * `field`/`message`, when not NULL, say why the POST was refused. */
static void
render_confirm(struct request *r, const char *code, const char *name, const char *title, int status,
    const char *field, const char *message)
{
	struct tpl_vars *v = page_vars(r);
	struct order_view ov;
	int rc = order_view_load(r->db, r->arena, r->shop->id, code, &ov);

	if (rc != 0) {
		page_error(r, rc < 0 ? 503 : 404);
		return;
	}
	order_view_fill(&ov, r->arena, r->locale, r->shop->timezone, v);
	if (field)
		tpl_set_str(tpl_set_map(v, "form"), arena_printf(r->arena, "%s_error", field), message);
	page_render(r, name, v, arena_printf(r->arena, "%s · %s", title, order_title(r, &ov.o)));
	if (r->status == 200)
		r->status = status;
}

/* A refused cancel or delete: the confirmation page again, with why. */
static void
confirm_answer(struct request *r, const char *code, const char *name, const char *title, const char *field,
    int rc, const char *why)
{
	switch (rc) {
	case WF_NOT_FOUND:
		page_error(r, 404);
		return;
	case WF_REFUSED:
	case WF_CHANGED:
		render_confirm(r, code, name, title, 409, field, why);
		return;
	default:
		page_error(r, 503);
		return;
	}
}

/* A confirmation page and its POST: the page, its title (a msgid), the
 * form's field for a refusal, the action; done, the action leads back to
 * the order's history (keep_order) or to the list (the order is gone). */
struct confirm_def {
	const char *page, *title, *field;
	int (*run)(struct request *r, const char *code, long long version, const struct order_actor *who,
	    const char **why);
	bool keep_order;
};

static int
cancel_run(struct request *r, const char *code, long long version, const struct order_actor *who,
    const char **why)
{
	const char *notify = req_form(r, "notify");
	struct wf_cancel c = { .shop_id = r->shop->id, .shop_name = r->shop->name, .code = code,
	    .version = version, .notify = notify && strcmp(notify, "1") == 0 };

	return order_cancel(r->db, r->arena, &c, who, why);
}

static int
delete_run(struct request *r, const char *code, long long version, const struct order_actor *who,
    const char **why)
{
	return order_test_delete(r->db, r->arena, r->shop->id, code, version, who, why);
}

static const struct confirm_def confirm_cancel = {
	"order/cancel_confirm", N_("Cancel the order"), "cancel", cancel_run, true,
};
static const struct confirm_def confirm_delete = {
	"order/delete_confirm", N_("Delete the test order"), "delete", delete_run, false,
};

static void
confirm_get(struct request *r, const struct confirm_def *d)
{
	char code[ORDER_CODE_LEN + 1];

	if (!route_code(r, code)) {
		page_error(r, 404);
		return;
	}
	render_confirm(r, code, d->page, _(d->title), 200, NULL, NULL);
}

static void
confirm_post(struct request *r, const struct confirm_def *d)
{
	char code[ORDER_CODE_LEN + 1];
	struct order_actor who;
	const char *why = NULL;
	long long version;
	int rc;

	if (!route_code(r, code)) {
		page_error(r, 404);
		return;
	}
	if (!form_ll(r, "version", &version)) {
		page_error(r, 400);
		return;
	}
	who = actor(r);
	rc = d->run(r, code, version, &who, &why);
	if (rc == WF_OK && d->keep_order)
		back_to(r, code, "history");
	else if (rc == WF_OK)
		res_redirect(r, "/orders");
	else
		confirm_answer(r, code, d->page, _(d->title), d->field, rc, why);
}

void
order_cancel_get(struct request *r)
{
	confirm_get(r, &confirm_cancel);
}

void
order_cancel_post(struct request *r)
{
	confirm_post(r, &confirm_cancel);
}

void
order_delete_get(struct request *r)
{
	confirm_get(r, &confirm_delete);
}

void
order_delete_post(struct request *r)
{
	confirm_post(r, &confirm_delete);
}

/* ---- the customer and the addresses (D6, D11) ----------------------------- */

struct edit_field_def {
	const char *part, *field, *autocomplete, *type;
	int maxlength;
	bool required;
};

/* The form's fields, in the order shown; named part_field in the form. */
static const struct edit_field_def edit_fields[] = {
	{ "customer", "title", "honorific-prefix", "text", 20, false },
	{ "customer", "first_name", "given-name", "text", 100, false },
	{ "customer", "last_name", "family-name", "text", 100, true },
	{ "customer", "email", "email", "email", 254, true },
	{ "customer", "phone", "tel", "tel", 40, false },
#define ADDRESS_FIELDS(p) \
	{ p, "name", p " name", "text", 200, true }, \
	{ p, "company", p " organization", "text", 255, false }, \
	{ p, "line1", p " address-line1", "text", 255, true }, \
	{ p, "line2", p " address-line2", "text", 255, false }, \
	{ p, "postcode", p " postal-code", "text", 16, true }, \
	{ p, "city", p " address-level2", "text", 100, true }, \
	{ p, "region", p " address-level1", "text", 100, false }, \
	{ p, "country", p " country", "text", 2, true }, \
	{ p, "phone", p " tel", "tel", 40, false }
	ADDRESS_FIELDS("billing"),
	ADDRESS_FIELDS("shipping"),
#undef ADDRESS_FIELDS
};
#define NEDIT_FIELDS (sizeof(edit_fields) / sizeof(edit_fields[0]))

static const char **
edit_value(struct order_edit *e, const struct edit_field_def *d)
{
	struct order_address *ad = strcmp(d->part, "billing") == 0 ? &e->billing : &e->shipping;
	const char *f = d->field;

	if (strcmp(d->part, "customer") == 0)
		return strcmp(f, "title") == 0 ? &e->customer.title : strcmp(f, "first_name") == 0 ?
		    &e->customer.first_name : strcmp(f, "last_name") == 0 ? &e->customer.last_name :
		    strcmp(f, "email") == 0 ? &e->customer.email : &e->customer.phone;
	return strcmp(f, "name") == 0 ? &ad->name : strcmp(f, "company") == 0 ? &ad->company :
	    strcmp(f, "line1") == 0 ? &ad->line1 : strcmp(f, "line2") == 0 ? &ad->line2 :
	    strcmp(f, "postcode") == 0 ? &ad->postcode : strcmp(f, "city") == 0 ? &ad->city :
	    strcmp(f, "region") == 0 ? &ad->region : strcmp(f, "country") == 0 ? &ad->country : &ad->phone;
}

/* The findings as a list "addresses.findings": where, what, refused. */
static void
findings_fill(struct request *r, struct tpl_vars *v, const struct addr_report *rep)
{
	size_t i;

	for (i = 0; i < rep->n; i++) {
		struct tpl_vars *f = tpl_list_add(v, "findings");

		tpl_set_str(f, "where", arena_printf(r->arena, "%s, %s", order_edit_part_label(rep->f[i].part),
		    order_edit_field_label(rep->f[i].field)));
		tpl_set_str(f, "text", _(rep->f[i].msgid));
		tpl_set_bool(f, "refused", rep->f[i].refused);
		tpl_set_str(f, "id", arena_printf(r->arena, "%s_%s", rep->f[i].part, rep->f[i].field));
	}
	tpl_set_bool(v, "has_findings", rep->n > 0);
}

/* The block of the order page: the address check's warnings before
 * shipping, and the way to the form. */
static void
addresses_fill(struct request *r, struct tpl_vars *v, const struct order *o)
{
	struct tpl_vars *a = tpl_set_map(v, "addresses");
	struct addr_report rep = { 0 };

	tpl_set_bool(a, "can_edit", strcmp(o->kind, "order") == 0 && edit_allowed(r, o->status));
	if (strcmp(o->shipping_state, "unshipped") != 0)
		return;
	order_edit_findings(&o->customer, &o->billing, &o->shipping, &rep);
	findings_fill(r, a, &rep);
}

/* The form page, with e's values and rep's findings beside their fields;
 * `message` (may be NULL) says why it is shown again. */
static void
render_edit(struct request *r, struct order_edit *e, const struct addr_report *rep, int status,
    const char *message)
{
	struct tpl_vars *v = page_vars(r), *o = tpl_set_map(v, "order");

	tpl_set_str(o, "code", e->code);
	tpl_set_int(o, "number", e->number);
	tpl_set_int(o, "version", e->version);
	tpl_set_bool(o, "can_edit", edit_allowed(r, e->status));
	tpl_set_str(v, "message", message);
	order_fields_fill(r, v, e, rep, 0);
	page_render(r, "order_addresses", v, arena_printf(r->arena, "%s — %s", _("Customer and addresses"),
	    e->number ? arena_printf(r->arena, _("Order %lld"), e->number) : arena_printf(r->arena,
	    _("Order %s"), e->code)));
	if (r->status == 200)
		r->status = status;
}

void
order_fields_fill(struct request *r, struct tpl_vars *v, struct order_edit *e, const struct addr_report *rep,
    unsigned flags)
{
	struct tpl_vars *part = NULL;
	const char *last = "";
	size_t i, k;

	findings_fill(r, v, rep);
	for (i = 0; i < NEDIT_FIELDS; i++) {
		const struct edit_field_def *d = &edit_fields[i];
		struct tpl_vars *f;
		const char *val = *edit_value(e, d);
		bool optional = (flags & ORDER_FIELDS_SHIPPING_OPTIONAL) && strcmp(d->part, "shipping") == 0;

		if ((flags & ORDER_FIELDS_NO_CUSTOMER) && strcmp(d->part, "customer") == 0)
			continue;
		if (strcmp(d->part, last) != 0) {
			part = tpl_list_add(v, "parts");
			tpl_set_str(part, "legend", order_edit_part_label(d->part));
			tpl_set_str(part, "part", d->part);
			last = d->part;
		}
		f = tpl_list_add(part, "fields");
		tpl_set_str(f, "id", arena_printf(r->arena, "%s_%s", d->part, d->field));
		tpl_set_str(f, "label", order_edit_field_label(d->field));
		tpl_set_str(f, "value", val ? val : "");
		tpl_set_str(f, "type", d->type);
		tpl_set_str(f, "autocomplete", d->autocomplete);
		tpl_set_int(f, "maxlength", d->maxlength);
		tpl_set_bool(f, "required", d->required && !optional);
		for (k = 0; k < rep->n; k++) {
			if (strcmp(rep->f[k].part, d->part) != 0 || strcmp(rep->f[k].field, d->field) != 0)
				continue;
			tpl_set_str(f, rep->f[k].refused ? "error" : "warning", _(rep->f[k].msgid));
		}
	}
}

void
order_fields_read(struct request *r, struct order_edit *e)
{
	size_t i;

	for (i = 0; i < NEDIT_FIELDS; i++) {
		const char *s = req_form(r, arena_printf(r->arena, "%s_%s", edit_fields[i].part, edit_fields[i].field));

		*edit_value(e, &edit_fields[i]) = s ? s : "";
	}
}

void
order_addresses_get(struct request *r)
{
	char code[ORDER_CODE_LEN + 1];
	struct addr_report rep = { 0 };
	struct order_edit e;
	int rc;

	if (!route_code(r, code)) {
		page_error(r, 404);
		return;
	}
	if ((rc = order_edit_load(r->db, r->arena, r->shop->id, code, &e)) != 0) {
		page_error(r, rc > 0 ? 404 : 503);
		return;
	}
	e.code = arena_strdup(r->arena, code);
	order_edit_findings(&e.customer, &e.billing, &e.shipping, &rep);
	render_edit(r, &e, &rep, 200, NULL);
}

void
order_addresses_post(struct request *r)
{
	char code[ORDER_CODE_LEN + 1];
	struct addr_report rep = { 0 };
	struct order_edit e, now;
	struct order_actor who;
	const char *why = NULL;
	int rc;

	if (!route_code(r, code)) {
		page_error(r, 404);
		return;
	}
	/* The order as it is, for the page shown again (its number, status). */
	if ((rc = order_edit_load(r->db, r->arena, r->shop->id, code, &now)) != 0) {
		page_error(r, rc > 0 ? 404 : 503);
		return;
	}
	e = now;
	e.code = arena_strdup(r->arena, code);
	if (!form_ll(r, "version", &e.version)) {
		page_error(r, 400);
		return;
	}
	order_fields_read(r, &e);
	who = actor(r);
	rc = order_edit_save(r->db, r->arena, &e, &who, &rep, &why);
	switch (rc) {
	case EDIT_OK:
		back_to(r, code, "addresses");
		return;
	case EDIT_NOT_FOUND:
		page_error(r, 404);
		return;
	case EDIT_INVALID:
		render_edit(r, &e, &rep, 422, _("Nothing was saved: correct the fields marked below."));
		return;
	case EDIT_REFUSED:
		render_edit(r, &e, &rep, 422, why);
		return;
	case EDIT_CHANGED:
		render_edit(r, &e, &rep, 409, why);
		return;
	default:
		page_error(r, 503);
		return;
	}
}

/* The page's helpers, for the blocks whose actions live in other files
 * (core/pages/payments.c). */
bool
order_page_code(struct request *r, char code[ORDER_CODE_LEN + 1])
{
	return route_code(r, code);
}

struct order_actor
order_page_actor(const struct request *r)
{
	return actor(r);
}

bool
order_page_version(struct request *r, long long *version)
{
	return form_ll(r, "version", version);
}

void
order_page_back(struct request *r, const char *code, const char *anchor)
{
	back_to(r, code, anchor);
}

void
order_page_refused(struct request *r, const char *code, int status, const char *field, const char *message,
    const char *text)
{
	refused(r, code, field, message, text);
	if (r->status == 422)
		r->status = status;
}
