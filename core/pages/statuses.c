/* /settings/statuses: the owner's statuses (add, rename, recolour,
 * reorder, retire), and /statuses.css, the shop's badge colours. */
#include <string.h>

#include "auth/session.h"
#include "conf/conf.h"
#include "orders/workflow.h"
#include "pages/page.h"
#include "util/i18n.h"
#include "util/log.h"

/* What a refused form sent, shown again with the reason. */
struct statuses_echo {
	const char *message;
	const char *code;        /* the status whose form was refused, NULL for the add form */
	const struct wf_status_edit *e;
};

static const char *
role_of(const struct wf_status *s)
{
	if (s->flags & WF_ARRIVAL)
		return _("new orders arrive in it");
	if (s->flags & WF_COMPLETED)
		return _("finished orders");
	if (s->flags & WF_CANCELS)
		return _("cancelled orders");
	if (s->flags & WF_PAID)
		return _("paid orders go to it");
	return NULL;
}

static void
render_statuses(struct request *r, int status, const struct statuses_echo *echo)
{
	struct tpl_vars *v = page_vars(r), *add;
	const struct wf_workflow *wf;
	const struct wf_status *s;
	size_t i, n = 0;

	if (wf_get(r->db, r->arena, r->shop->id, &wf) != WF_OK) {
		page_error(r, 503);
		return;
	}
	while (wf_status_at(wf, n))
		n++;
	for (i = 0; (s = wf_status_at(wf, i)); i++) {
		struct tpl_vars *o = tpl_list_add(v, "statuses");
		bool echoed = echo && echo->code && strcmp(echo->code, s->code) == 0;

		tpl_set_str(o, "code", s->code);
		tpl_set_str(o, "label", wf_status_label(s, r->locale));
		tpl_set_str(o, "label_fr", echoed && echo->e->label_fr ? echo->e->label_fr : s->label_fr);
		tpl_set_str(o, "label_en", echoed && echo->e->label_en ? echo->e->label_en : s->label_en);
		tpl_set_str(o, "colour", s->colour);
		tpl_set_bool(o, "retired", s->retired);
		tpl_set_bool(o, "first", i == 0);
		tpl_set_bool(o, "last", i + 1 == n);
		if (role_of(s))
			tpl_set_str(o, "role", role_of(s));
		/* The paid status may be retired: payments then leave the status. */
		tpl_set_bool(o, "may_retire", !(s->flags & (WF_ARRIVAL | WF_COMPLETED | WF_CANCELS)));
		if (echoed)
			tpl_set_str(o, "error", echo->message);
	}
	add = tpl_set_map(v, "add");
	tpl_set_str(add, "colour", "#334155");
	if (echo && !echo->code) {
		tpl_set_str(add, "error", echo->message);
		tpl_set_str(add, "code", echo->e->code);
		tpl_set_str(add, "label_fr", echo->e->label_fr);
		tpl_set_str(add, "label_en", echo->e->label_en);
		if (echo->e->colour && *echo->e->colour == '#' && strlen(echo->e->colour) == 7)
			tpl_set_str(add, "colour", echo->e->colour);
		tpl_set_bool(add, "sale", echo->e->flags & WF_SALE);
		tpl_set_bool(add, "may_pay", echo->e->flags & WF_CUSTOMER_MAY_PAY);
	}
	page_render(r, "statuses", v, _("Order statuses"));
	if (r->status == 200)
		r->status = status;
}

void
statuses_get(struct request *r)
{
	render_statuses(r, 200, NULL);
}

/* The status of the route: a code the shop has, else the same 404 as for
 * an unknown one (another shop's included). */
static const char *
route_status(struct request *r)
{
	return r->route_arg && strlen(r->route_arg) <= WF_CODE_MAX ? r->route_arg : NULL;
}

/* What a change answered: back to the list, or the list again with why. */
static void
answer(struct request *r, int rc, const char *why, const struct statuses_echo *echo)
{
	switch (rc) {
	case WF_OK:
		res_redirect(r, echo->code ? arena_printf(r->arena, "/settings/statuses#s-%s", echo->code) :
		    "/settings/statuses");
		return;
	case WF_NOT_FOUND:
		page_error(r, 404);
		return;
	case WF_REFUSED: {
		struct statuses_echo e = *echo;

		e.message = why;
		render_statuses(r, 422, &e);
		return;
	}
	default:
		page_error(r, 503);
		return;
	}
}

static bool
ticked(struct request *r, const char *key)
{
	const char *s = req_form(r, key);

	return s && strcmp(s, "1") == 0;
}

void
statuses_post(struct request *r)
{
	struct wf_status_edit e = { .code = req_form(r, "code"), .label_fr = req_form(r, "label_fr"),
	    .label_en = req_form(r, "label_en"), .colour = req_form(r, "colour"),
	    .flags = (ticked(r, "sale") ? WF_SALE : 0) | (ticked(r, "may_pay") ? WF_CUSTOMER_MAY_PAY : 0) };
	struct statuses_echo echo = { NULL, NULL, &e };
	const char *why = NULL;
	int rc = wf_status_add(r->db, r->arena, r->shop->id, &e, &why);

	answer(r, rc, why, &echo);
}

void
status_edit_post(struct request *r)
{
	const char *code = route_status(r), *why = NULL;
	struct wf_status_edit e = { .code = code, .label_fr = req_form(r, "label_fr"),
	    .label_en = req_form(r, "label_en"), .colour = req_form(r, "colour") };
	struct statuses_echo echo = { NULL, code, &e };
	int rc;

	if (!code) {
		page_error(r, 404);
		return;
	}
	rc = wf_status_update(r->db, r->arena, r->shop->id, &e, &why);   /* before why is read */
	answer(r, rc, why, &echo);
}

void
status_move_post(struct request *r)
{
	const char *code = route_status(r), *dir = req_form(r, "dir"), *why = NULL;
	struct wf_status_edit e = { .code = code };
	struct statuses_echo echo = { NULL, code, &e };
	int rc;

	if (!code) {
		page_error(r, 404);
		return;
	}
	if (!dir || (strcmp(dir, "up") != 0 && strcmp(dir, "down") != 0)) {
		page_error(r, 400);
		return;
	}
	rc = wf_status_move(r->db, r->arena, r->shop->id, code, *dir == 'u' ? -1 : 1, &why);   /* before why is read */
	answer(r, rc, why, &echo);
}

void
status_retire_post(struct request *r)
{
	const char *code = route_status(r), *retired = req_form(r, "retired"), *why = NULL;
	struct wf_status_edit e = { .code = code };
	struct statuses_echo echo = { NULL, code, &e };
	int rc;

	if (!code) {
		page_error(r, 404);
		return;
	}
	if (!retired || (strcmp(retired, "1") != 0 && strcmp(retired, "0") != 0)) {
		page_error(r, 400);
		return;
	}
	rc = wf_status_retire(r->db, r->arena, r->shop->id, code, *retired == '1', &why);   /* before why is read */
	answer(r, rc, why, &echo);
}

/*
 * The badges of the shop's statuses: white text on each one's colour (the
 * Content-Security-Policy allows no inline style). The layout links it as
 * /statuses.css?v=<statuses_version>, so a browser keeps it until the
 * statuses change.
 */
void
statuses_css_get(struct request *r)
{
	const struct wf_workflow *wf;
	const struct wf_status *s;
	size_t i;

	if (wf_get(r->db, r->arena, r->shop->id, &wf) != WF_OK) {
		page_error(r, 503);
		return;
	}
	for (i = 0; (s = wf_status_at(wf, i)); i++)
		buf_printf(&r->out, ".status-%s { background: %s; color: #fff; }\n", s->code, s->colour);
	r->out_type = "text/css; charset=utf-8";
	res_header(r, "Cache-Control", "private, max-age=31536000, immutable");
}
