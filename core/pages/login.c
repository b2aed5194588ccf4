/* The login and logout screens. */
#include <string.h>

#include "auth/session.h"
#include "conf/conf.h"
#include "pages/page.h"
#include "util/i18n.h"
#include "util/log.h"

/* Before there is a session, the login form is protected by a
 * double-submit token: a cookie and a hidden field that must match. */
#define LOGIN_CSRF_COOKIE "cpt_login_csrf"

static void
render_form(struct request *r, const char *email, const char *error)
{
	struct tpl_vars *v = page_vars(r);
	const char *token = req_cookie(r, LOGIN_CSRF_COOKIE);
	const char *next = req_param(r, "next");
	char fresh[TOKEN_LEN + 1];

	if (!token_valid(token)) {
		token_new(fresh);
		res_cookie(r, LOGIN_CSRF_COOKIE, fresh, -1, true);
		token = arena_strdup(r->arena, fresh);
	}
	if (!next)
		next = req_form(r, "next");
	tpl_set_str(v, "login_csrf", token);
	if (email)
		tpl_set_str(v, "email", email);
	if (error)
		tpl_set_str(v, "error", error);
	if (page_local_path(next))
		tpl_set_str(v, "next", next);
	page_render(r, "login", v, _("Log in"));
}

void
login_get(struct request *r)
{
	if (r->session) {
		res_redirect(r, "/");
		return;
	}
	render_form(r, NULL, NULL);
}

void
login_post(struct request *r)
{
	const char *email = req_form(r, "email");
	const char *password = req_form(r, "password");
	const char *next = req_form(r, "next");
	const char *old = req_cookie(r, "cpt_session");
	char token[TOKEN_LEN + 1];
	long long user_id = 0;

	if (!token_equal(req_form(r, "csrf"), req_cookie(r, LOGIN_CSRF_COOKIE))) {
		log_warn("login: CSRF token refused (shop %s, from %s)", r->shop->code,
		    r->remote_addr ? r->remote_addr : "?");
		page_error(r, 403);
		return;
	}
	if (!email || !*email || !password || !*password) {
		r->status = 422;
		render_form(r, email, _("Enter your e-mail address and your password."));
		return;
	}
	switch (staff_login(r->db, r->arena, r->cfg, r->shop->id, email, password,
	    r->remote_addr, &user_id)) {
	case LOGIN_OK:
		break;
	case LOGIN_BAD_CREDENTIALS:
		r->status = 401;
		render_form(r, email, _("E-mail address or password incorrect."));
		return;
	case LOGIN_THROTTLED:
		r->status = 429;
		res_header(r, "Retry-After", arena_printf(r->arena, "%d", r->cfg->login.window));
		render_form(r, email, _("Too many failed attempts. Wait a few minutes and try again."));
		return;
	case LOGIN_ERROR:
	default:
		page_error(r, 503);
		return;
	}
	/* A fresh token at every login: a planted cookie is worth nothing. */
	if (old)
		session_destroy(r->db, r->arena, r->shop->id, old);
	if (session_create(r->db, r->arena, r->shop->id, user_id, r->remote_addr,
	    r->user_agent, token) != SESSION_OK) {
		page_error(r, 503);
		return;
	}
	log_info("login: %s on shop %s", email, r->shop->code);
	res_cookie(r, "cpt_session", token, r->cfg->sessions.absolute_timeout, true);
	res_cookie(r, LOGIN_CSRF_COOKIE, "", 0, true);
	res_redirect(r, page_local_path(next) ? next : "/");
}

void
logout_post(struct request *r)
{
	session_destroy(r->db, r->arena, r->shop->id, req_cookie(r, "cpt_session"));
	res_cookie(r, "cpt_session", "", 0, true);
	res_redirect(r, "/login");
}
