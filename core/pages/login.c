/* The login and logout screens. */
#include <string.h>

#include "auth/session.h"
#include "conf/conf.h"
#include "http/router.h"
#include "pages/page.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/utf8.h"

/* Before there is a session, the login form is protected by a
 * double-submit token: a cookie and a hidden field that must match. */
#define LOGIN_CSRF_COOKIE "cpt_login_csrf"

/*
 * May the browser be sent to `next` after login? Only to a page of ours
 * (page_local_path) that the router knows as a screen, and that `role`
 * may open (any role before login: the form only carries it along).
 */
static bool
next_allowed(struct arena *a, const char *next, unsigned role)
{
	const struct route *route;
	struct route_args arg;
	int status;

	if (!page_local_path(next))
		return false;
	route = router_match("GET", arena_strndup(a, next, strcspn(next, "?#")), &arg, &status);
	return route && route->access == ROUTE_STAFF && (!route->roles || (route->roles & role));
}

static void
render_form(struct request *r, const char *email, const char *error)
{
	struct tpl_vars *v = page_vars(r);
	const char *token = page_public_token(r, LOGIN_CSRF_COOKIE);
	const char *next = req_param(r, "next");

	if (!next)
		next = req_form(r, "next");
	tpl_set_str(v, "login_csrf", token);
	if (email)
		tpl_set_str(v, "email", email);
	if (error)
		tpl_set_str(v, "error", error);
	if (next_allowed(r->arena, next, ROLES_ALL))
		tpl_set_str(v, "next", next);
	page_render(r, "login", v, _("Log in"));
}

void
login_get(struct request *r)
{
	if (r->session) {
		res_redirect(r, page_home(r->session->user.role));
		return;
	}
	render_form(r, NULL, NULL);
}

/* "Try again in 3 minutes": whole minutes, rounded up. */
static const char *
wait_message(struct request *r, long long wait)
{
	long long minutes = (wait + 59) / 60;

	return arena_printf(r->arena, dngettext("comptoir",
	    "Too many failed attempts. Try again in %lld minute.",
	    "Too many failed attempts. Try again in %lld minutes.",
	    (unsigned long)minutes), minutes);
}

void
login_post(struct request *r)
{
	struct login_attempt in = {
		.email = req_form(r, "email"),
		.password = req_form(r, "password"),
		.remote_addr = r->remote_addr,
		.device = req_cookie(r, DEVICE_COOKIE),
	};
	const char *next = req_form(r, "next");
	const char *old = req_cookie(r, "cpt_session");
	struct login_outcome out;
	char token[TOKEN_LEN + 1];

	if (!page_public_token_ok(r, LOGIN_CSRF_COOKIE)) {
		page_error(r, 403);
		return;
	}
	if (!in.email || !*in.email || !in.password || !*in.password) {
		r->status = 422;
		render_form(r, in.email, _("Enter your e-mail address and your password."));
		return;
	}
	/* No account has such an address, and the database would refuse it. */
	if (!utf8_valid(in.email, strlen(in.email))) {
		r->status = 422;
		render_form(r, NULL, _("This e-mail address is not valid."));
		return;
	}
	switch (staff_login(r->db, r->arena, r->cfg, r->shop->id, &in, &out)) {
	case LOGIN_OK:
		break;
	case LOGIN_BAD_CREDENTIALS:
		r->status = 401;
		render_form(r, in.email, _("E-mail address or password incorrect."));
		return;
	case LOGIN_THROTTLED:
		r->status = 429;
		res_header(r, "Retry-After", arena_printf(r->arena, "%lld", out.wait));
		render_form(r, in.email, wait_message(r, out.wait));
		return;
	case LOGIN_ERROR:
	default:
		page_error(r, 503);
		return;
	}
	/* A fresh token at every login: a planted cookie is worth nothing. */
	if (old)
		session_destroy(r->db, r->arena, r->shop->id, old);
	if (session_create(r->db, r->arena, r->shop->id, out.user_id, r->remote_addr,
	    r->user_agent, token) != SESSION_OK) {
		page_error(r, 503);
		return;
	}
	log_info("login: %s on shop %s", in.email, r->shop->code);
	res_cookie(r, "cpt_session", token, r->cfg->sessions.absolute_timeout, true);
	res_cookie(r, LOGIN_CSRF_COOKIE, "", 0, true);
	if (out.device[0])
		res_cookie(r, DEVICE_COOKIE, out.device, DEVICE_COOKIE_AGE, true);
	res_redirect(r, next_allowed(r->arena, next, out.role) ? next : page_home(out.role));
}

void
logout_post(struct request *r)
{
	session_destroy(r->db, r->arena, r->shop->id, req_cookie(r, "cpt_session"));
	res_cookie(r, "cpt_session", "", 0, true);
	res_redirect(r, "/login");
}
