/*
 * The request pipeline: which shop, is the body acceptable, who is asking,
 * is the form genuine, then the route's handler.
 */
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "auth/session.h"
#include "conf/conf.h"
#include "http/router.h"
#include "http/server.h"
#include "pages/page.h"
#include "shop/api_key.h"
#include "util/i18n.h"
#include "util/log.h"

#define SESSION_COOKIE "cpt_session"

static bool
is_form(const struct request *r)
{
	return r->content_type &&
	    strncmp(r->content_type, "application/x-www-form-urlencoded", 33) == 0;
}

/* Loads the session named by the cookie, if any, into r->session. */
static int
load_session(struct request *r)
{
	const char *token = req_cookie(r, SESSION_COOKIE);
	struct session *s;
	int rc;

	if (!token)
		return 0;
	rc = session_load(r->db, r->arena, r->cfg, r->shop->id, token, &s);
	if (rc == SESSION_ERROR)
		return -1;
	if (rc == SESSION_OK) {
		r->session = s;
		r->locale = s->user.locale;
	}
	return 0;
}

static bool
is_api(const struct request *r)
{
	return strncmp(r->path, "/api/", 5) == 0;
}

/* API requests: a key of this shop, errors as problem documents, no
 * cookies (so no CSRF: browsers never send a bearer key by themselves). */
static void
dispatch_api(struct request *r)
{
	const struct route *route;
	const char *token = NULL;
	struct route_args args;
	int status = 404;

	if (r->status != 200) {
		api_problem(r, r->status, r->status == 413 ? "too-large" : "bad-request",
		    http_status_text(r->status), NULL);
		return;
	}
	route = router_match(r->method, r->path, &args, &status);
	r->route = route;
	if (!route || route->access != ROUTE_API) {
		if (status == 405)
			res_header(r, "Allow", "GET, POST, PUT");
		api_problem(r, route ? 404 : status, "not-found", http_status_text(route ? 404 : status), NULL);
		return;
	}
	/* The scheme is case-insensitive (RFC 9110); spaces may follow it. */
	if (r->authorization && strncasecmp(r->authorization, "Bearer ", 7) == 0) {
		token = r->authorization + 7;
		while (*token == ' ')
			token++;
	}
	switch (api_key_check(r->db, r->arena, r->cfg, r->shop->id, token, &r->api_key_id, &r->api_key_name)) {
	case API_KEY_OK:
		break;
	case API_KEY_NOT_FOUND:
		res_header(r, "WWW-Authenticate", "Bearer realm=\"comptoir\"");
		api_problem(r, 401, "unauthorized", "Missing, unknown or revoked API key", NULL);
		return;
	default:
		api_problem(r, 503, "unavailable", "Service unavailable, try again", NULL);
		return;
	}
	router_keep_args(r, &args);
	route->handler(r);
}

void
dispatch(struct request *r)
{
	const struct route *route;
	struct route_args args;
	int status = 404;

	/* /_metrics answers on any host, but only to metrics.allow; to anyone
	 * else it is an unknown path, on an unknown host or a shop's. */
	route = strncmp(r->path, "/_", 2) == 0 ?
	    router_match(r->method, r->path, &args, &status) : NULL;
	if (route && route->access == ROUTE_METRICS && r->status == 200 &&
	    config_metrics_allowed(r->cfg, r->remote_addr)) {
		r->route = route;
		route->handler(r);
		return;
	}
	status = 404;
	r->shop = config_shop_by_host(r->cfg, r->host);
	r->locale = r->shop ? r->shop->locale : "fr";
	i18n_use(r->locale);
	if (!r->shop) {
		/* Unknown host: say nothing of which shops exist here. */
		page_plain_error(r, 404);
		return;
	}
	if (is_api(r)) {
		dispatch_api(r);
		return;
	}
	/* The session first, so that even error pages speak the staff
	 * member's language and show the menu. */
	if (req_cookie(r, SESSION_COOKIE)) {
		if (load_session(r) != 0) {
			page_error(r, 503);
			return;
		}
		i18n_use(r->locale);
	}
	if (r->status != 200) {   /* 413 or 400 found while reading the body */
		page_error(r, r->status);
		return;
	}
	if (req_is_post(r) && is_form(r) && r->body)
		kv_parse_urlencoded(r->arena, &r->form, r->body, r->body_len);
	/* A file upload: its fields (csrf too) join the form. */
	if (req_is_post(r) && r->body && r->content_type && strncasecmp(r->content_type, "multipart/form-data", 19) == 0 &&
	    kv_parse_multipart(r->arena, &r->form, &r->files, r->content_type, r->body, r->body_len) != 0) {
		page_error(r, 400);
		return;
	}

	route = router_match(r->method, r->path, &args, &status);
	r->route = route;
	if (!route) {
		if (status == 405)
			res_header(r, "Allow", "GET, POST");
		page_error(r, status);
		return;
	}
	if (route->access == ROUTE_API || route->access == ROUTE_METRICS) {
		/* an API route reached without /api/; metrics from elsewhere */
		page_error(r, 404);
		return;
	}
	if (route->access == ROUTE_STAFF) {
		if (!r->session) {
			page_redirect_login(r);
			return;
		}
		if (route->roles && !(route->roles & r->session->user.role)) {
			page_error(r, 403);
			return;
		}
		if (req_is_post(r) && !token_equal(req_form(r, "csrf"), r->session->csrf)) {
			log_warn("%s %s: CSRF token refused (shop %s)", r->method, r->path, r->shop->code);
			page_error(r, 403);
			return;
		}
	}
	router_keep_args(r, &args);
	route->handler(r);
}
