/* The order page, /orders/{code}: everything about one order (D1–D10),
 * its internal notes, its reference field and its status (W1, W2). */
#include <stdlib.h>
#include <string.h>

#include "auth/session.h"
#include "conf/conf.h"
#include "orders/code.h"
#include "orders/order_desk.h"
#include "orders/order_view.h"
#include "orders/workflow.h"
#include "pages/page.h"
#include "payments/payments.h"
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

/*
 * Renders the page of order `code` with `status`; `form` (may be NULL)
 * brings back a refused form's text and message. Records the view when
 * `record` (a GET).
 */
static void
render_order(struct request *r, const char *code, int status, const struct form_echo *form, bool record)
{
	struct tpl_vars *v = page_vars(r);
	struct order_view ov;
	int rc = order_view_load(r->db, r->arena, r->shop->id, code, &ov);

	if (rc < 0) {
		page_error(r, 503);
		return;
	}
	if (rc > 0) {
		page_error(r, 404);
		return;
	}
	if (record && order_recent_record(r->db, r->arena, r->shop->id, r->session->user.id, ov.o.id) != DESK_OK)
		log_warn("order %s: the view could not be recorded", code);   /* the page matters more */
	order_view_fill(&ov, r->arena, r->locale, r->shop->timezone, v);
	if (payments_view_fill(r->db, r->arena, r->shop->id, ov.o.id, ov.o.totals.total_cents, ov.o.paid_cents,
	    ov.o.currency, ov.o.payment_method, r->locale, r->shop->timezone, tpl_set_map(v, "order")) != 0) {
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
