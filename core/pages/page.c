#include "pages/page.h"

#include <string.h>

#include "auth/session.h"
#include "auth/token.h"
#include "conf/conf.h"
#include "orders/workflow.h"
#include "util/i18n.h"
#include "util/log.h"

/* The link to the shop's badge colours (pages/statuses.c), named by the
 * version of its statuses so that a browser keeps it until they change. */
static void
page_statuses_css(struct request *r, struct tpl_vars *v)
{
	const struct wf_workflow *wf;

	if (r->db && wf_get(r->db, r->arena, r->shop->id, &wf) == WF_OK)
		tpl_set_str(v, "statuses_css", arena_printf(r->arena, "/statuses.css?v=%u", wf_version(wf)));
}

struct tpl_vars *
page_vars(struct request *r)
{
	struct tpl_vars *v = tpl_vars_new(r->arena), *shop, *user;

	tpl_set_str(v, "lang", r->locale);
	if (r->shop) {
		shop = tpl_set_map(v, "shop");
		tpl_set_str(shop, "name", r->shop->name);
		tpl_set_str(shop, "code", r->shop->code);
	}
	if (r->session) {
		const struct staff_user *u = &r->session->user;

		user = tpl_set_map(v, "user");
		tpl_set_str(user, "email", u->email);
		tpl_set_str(user, "name", *u->display_name ? u->display_name : u->email);
		tpl_set_str(user, "role", staff_role_name(u->role));
		tpl_set_bool(user, "is_owner", u->role == ROLE_OWNER);
		tpl_set_bool(user, "is_picker", u->role == ROLE_PICKER);
		tpl_set_bool(user, "is_office", (u->role & ROLES_OFFICE) != 0);
		tpl_set_str(v, "home", page_home(u->role));
		tpl_set_str(v, "csrf", r->session->csrf);
		page_statuses_css(r, v);
	}
	return v;
}

void
page_render(struct request *r, const char *name, struct tpl_vars *vars, const char *title)
{
	char *path = arena_printf(r->arena, "pages/%s", name);

	/* The body into the request's own buffer, kept between requests (no
	 * growing from nothing), shown by the layout where it is, uncopied. */
	if (!r->page.max)          /* a request made elsewhere than serve_one */
		buf_init(&r->page, 0);
	buf_reset(&r->page);
	if (tpl_render(r->tpl, path, vars, &r->page) != 0 || buf_failed(&r->page)) {
		log_error("template %s cannot be rendered", path);
		page_plain_error(r, 500);
		return;
	}
	tpl_set_raw_view(vars, "content", r->page.data, r->page.len);
	tpl_set_str(vars, "title", title);
	buf_reset(&r->out);
	if (tpl_render(r->tpl, "layout", vars, &r->out) != 0) {
		log_error("layout cannot be rendered");
		page_plain_error(r, 500);
		return;
	}
	r->out_type = "text/html; charset=utf-8";
}

static const char *
error_message(int status)
{
	switch (status) {
	case 400: return N_("The request could not be understood.");
	case 403: return N_("You are not allowed to do this, or the form has expired. Go back, reload the page and try again.");
	case 404: return N_("This page does not exist.");
	case 405: return N_("This action is not possible on this page.");
	case 413: return N_("What you sent is too large.");
	case 429: return N_("Too many attempts. Wait a few minutes and try again.");
	case 503: return N_("The service is briefly unavailable. Try again in a moment.");
	default: return N_("Something went wrong on our side. Try again in a moment.");
	}
}

void
page_error(struct request *r, int status)
{
	struct tpl_vars *v = page_vars(r);

	tpl_set_int(v, "status", status);
	tpl_set_str(v, "message", _(error_message(status)));
	page_render(r, "error", v, _(http_status_text(status)));
	r->status = status;
}

void
page_plain_error(struct request *r, int status)
{
	r->status = status;
	r->out_type = "text/html; charset=utf-8";
	buf_reset(&r->out);
	buf_printf(&r->out, "<!doctype html>\n<html><head><meta charset=\"utf-8\">"
	    "<title>%d</title></head><body><h1>%d %s</h1></body></html>\n",
	    status, status, http_status_text(status));
}

bool
page_local_path(const char *next)
{
	size_t i;

	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return false;
	for (i = 0; next[i]; i++)
		if (next[i] <= ' ' || next[i] > '~' || next[i] == '\\')
			return false;
	return true;
}

const char *
page_home(enum staff_role role)
{
	/* No picking screen yet: pickers may use their account page. */
	return role & ROLES_OFFICE ? "/" : "/account";
}

void
page_redirect_login(struct request *r)
{
	struct buf loc;

	buf_init(&loc, 4096);
	buf_puts(&loc, "/login");
	if (strcmp(r->method, "GET") == 0 && strcmp(r->path, "/") != 0) {
		buf_puts(&loc, "?next=");
		buf_urlencode(&loc, r->path, strlen(r->path));
		if (*r->query) {
			buf_urlencode(&loc, "?", 1);
			buf_urlencode(&loc, r->query, strlen(r->query));
		}
	}
	res_redirect(r, buf_failed(&loc) ? "/login" : buf_str(&loc));
	buf_free(&loc);
}

const char *
page_public_token(struct request *r, const char *cookie)
{
	const char *token = req_cookie(r, cookie);
	char fresh[TOKEN_LEN + 1];

	if (token_valid(token))
		return token;
	token_new(fresh);
	res_cookie(r, cookie, fresh, -1, true);
	return arena_strdup(r->arena, fresh);
}

bool
page_public_token_ok(struct request *r, const char *cookie)
{
	if (token_equal(req_form(r, "csrf"), req_cookie(r, cookie)))
		return true;
	log_warn("%s %s: CSRF token refused (shop %s, from %s)", r->method, r->path, r->shop->code,
	    r->remote_addr ? r->remote_addr : "?");
	return false;
}
