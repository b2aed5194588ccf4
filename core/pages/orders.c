/* The order list, /orders: filters, sort and page in the query string
 * (shareable, the back button works, no script needed), the "Commande"
 * field, saved views, the orders opened last; and its CSV, /orders.csv. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/session.h"
#include "conf/conf.h"
#include "db/db.h"
#include "orders/bulk.h"
#include "orders/money.h"
#include "orders/order_desk.h"
#include "orders/order_list.h"
#include "orders/order_view.h"
#include "orders/workflow.h"
#include "pages/page.h"
#include "util/datetime.h"
#include "util/i18n.h"
#include "util/log.h"
#include "util/utf8.h"

static const char *
param(void *r, const char *name)
{
	return req_param(r, name);
}

/* A query string handed back by a form (the saved view's filters). */
static const char *
kv_param(void *l, const char *name)
{
	return kv_get(l, name);
}

/* The current list's query string, without the cursor. */
static const char *
query_of(struct request *r, const struct order_list_query *q)
{
	struct buf qs;
	const char *s;

	buf_init(&qs, 8192);
	order_list_query_string(q, SORT_N, false, &qs);
	s = arena_strndup(r->arena, qs.len ? qs.data : "", qs.len);
	buf_free(&qs);
	return s;
}

static void
fill_recent(struct request *r, const struct wf_workflow *wf, struct tpl_vars *v, const struct order_recent *rec,
    size_t n)
{
	size_t i;
	char s[64];

	for (i = 0; i < n; i++) {
		struct tpl_vars *o = tpl_list_add(v, "recent");

		tpl_set_str(o, "code", rec[i].code);
		if (rec[i].number)
			tpl_set_int(o, "number", rec[i].number);
		tpl_set_str(o, "customer", rec[i].customer);
		tpl_set_str(o, "status_label", order_status_label(wf, rec[i].status));
		money_format(s, sizeof(s), rec[i].total_cents, rec[i].currency, r->locale);
		tpl_set_str(o, "total", s);
	}
}

static void
fill_views(struct request *r, struct tpl_vars *v, const char *current, const struct saved_view *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct tpl_vars *o = tpl_list_add(v, "views");

		tpl_set_int(o, "id", w[i].id);
		tpl_set_str(o, "name", w[i].name);
		tpl_set_str(o, "href", *w[i].query ? arena_printf(r->arena, "/orders?%s", w[i].query) : "/orders");
		tpl_set_bool(o, "shared", w[i].shared);
		tpl_set_bool(o, "mine", w[i].mine);
		tpl_set_bool(o, "current", strcmp(w[i].query, current) == 0);
	}
}

/* What the list page reads: the page and its count, the saved views and
 * the orders opened last. */
struct list_reads {
	struct order_list_page page;
	struct saved_view *views;
	size_t nviews;
	struct order_recent *recent;
	size_t nrecent;
};

enum { READ_VIEWS = ORDER_LIST_STATEMENTS, READ_RECENT, READ_N };

/*
 * The list, its count, the saved views and the orders opened last, from
 * memory while the shop's desk version is unchanged (db_desk: saving a
 * view and opening an order mark it too). The list may lag on the replica;
 * the person's rows are read where they were written (r->db), so that a
 * view just saved shows: one batch when both are the primary, else two.
 * The person's rows matter less than the list: left out (logged) when
 * they cannot be read.
 */
static void
read_person(struct request *r, struct db_result *res, size_t first, size_t done, int rc,
    struct list_reads *out)
{
	if ((rc != DB_OK && done <= first) ||
	    saved_view_read(r->arena, &res[first], &out->views, &out->nviews) != LIST_OK)
		log_warn("orders: the saved views could not be read");
	if ((rc != DB_OK && done <= first + 1) ||
	    order_recent_read(r->arena, &res[first + 1], &out->recent, &out->nrecent) != DESK_OK)
		log_warn("orders: the recently viewed orders could not be read");
}

static int
read_list(struct request *r, const struct wf_workflow *wf, const struct order_list_query *q,
    struct list_reads *out)
{
	struct db *list_db = db_reads(r->db);
	struct db *reads = db_desk(list_db, r->shop->id);
	struct db_result res[READ_N];
	struct buf b;
	size_t done = 0;
	bool together = list_db == r->db;
	int rc;

	memset(out, 0, sizeof(*out));
	buf_init(&b, 64 * 1024);
	order_list_sql(reads, &b, r->shop->id, r->shop->timezone, wf, q);
	if (together) {
		saved_view_sql(&b, r->shop->id, r->session->user.id);
		order_recent_sql(&b, r->shop->id, r->session->user.id);
	}
	rc = db_batch(reads, r->arena, &b, 0, res, together ? READ_N : ORDER_LIST_STATEMENTS, &done);
	buf_free(&b);
	/* A batch stops at its first failing statement (logged); what ran
	 * before it is there. */
	if (rc != DB_OK && done < ORDER_LIST_STATEMENTS)
		return LIST_ERROR;
	if (order_list_read(r->arena, q, res, &out->page) != LIST_OK)
		return LIST_ERROR;
	if (together) {
		read_person(r, res, READ_VIEWS, done, rc, out);
		return LIST_OK;
	}
	buf_init(&b, 4096);
	saved_view_sql(&b, r->shop->id, r->session->user.id);
	order_recent_sql(&b, r->shop->id, r->session->user.id);
	done = 0;
	rc = db_batch(db_desk(r->db, r->shop->id), r->arena, &b, 0, res, 2, &done);
	buf_free(&b);
	read_person(r, res, 0, done, rc, out);
	return LIST_OK;
}

/* The list for q, with `message` (may be NULL) above it. */
static void
render_list(struct request *r, const struct order_list_query *q, const char *message, const char *typed,
    int status)
{
	struct tpl_vars *v = page_vars(r);
	const struct wf_workflow *wf;
	struct list_reads l;

	if (wf_get(r->db, r->arena, r->shop->id, &wf) != WF_OK || read_list(r, wf, q, &l) != LIST_OK) {
		page_error(r, 503);
		return;
	}
	order_list_fill(q, &l.page, wf, r->arena, r->locale, r->shop->timezone, v);
	fill_recent(r, wf, v, l.recent, l.nrecent);
	fill_views(r, v, query_of(r, q), l.views, l.nviews);
	bulk_fill_actions(v, r->arena, wf, r->session->user.role);
	if (message)
		tpl_set_str(v, "message", message);
	if (typed)
		tpl_set_str(v, "find", typed);
	page_render(r, "orders", v, _("Orders"));
	if (r->status == 200)
		r->status = status;
}

void
orders_get(struct request *r)
{
	struct order_list_query q;
	const char *find = req_param(r, "find"), *code;

	if (order_list_parse(param, r, &q) != LIST_OK) {
		page_error(r, 400);
		return;
	}
	/* The "Commande" field: straight to the order typed. */
	if (find && *find) {
		if (strlen(find) > 64 || !utf8_valid(find, strlen(find))) {
			render_list(r, &q, _("No order has this code or number."), NULL, 404);
			return;
		}
		switch (order_list_find(r->db, r->arena, r->shop->id, find, &code)) {
		case LIST_OK:
			res_redirect(r, arena_printf(r->arena, "/orders/%s", code));
			return;
		case LIST_NOT_FOUND:
			render_list(r, &q, arena_printf(r->arena, _("No order has the code or number “%s”."), find),
			    find, 404);
			return;
		default:
			page_error(r, 503);
			return;
		}
	}
	render_list(r, &q, NULL, NULL, 200);
}

static int
flush_out(void *p)
{
	return res_stream_flush(p);
}

void
orders_csv_get(struct request *r)
{
	struct order_list_query q;
	char day[16];
	time_t now = time(NULL);
	struct tm tm;
	int rc;

	if (order_list_parse(param, r, &q) != LIST_OK) {
		page_error(r, 400);
		return;
	}
	now += datetime_offset(r->shop->timezone, (long long)now, NULL);
	gmtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	r->out_type = "text/csv; charset=utf-8";
	res_header(r, "Content-Disposition", arena_printf(r->arena, "attachment; filename=\"%s-%s-%s.csv\"",
	    _("orders"), r->shop->code, day));
	buf_reset(&r->out);
	rc = order_list_csv(db_reads(r->db), r->shop->id, r->shop->timezone, r->locale, &q, &r->out, flush_out, r);
	if (rc == LIST_OK || rc == LIST_STOPPED)
		return;
	if (!r->streamed) {   /* nothing sent yet: a proper error */
		buf_reset(&r->out);
		page_error(r, 503);
		return;
	}
	/* Half sent: the rows so far are gone; the reader sees a cut file
	 * and nginx logs an upstream error. */
	log_error("orders: the export failed after it began");
}

/* Saved views: POST /views (save the current list), POST /views/{}/delete. */
void
views_post(struct request *r)
{
	struct order_list_query q;
	struct kvlist l = { 0 };
	struct buf qs;
	const char *name = req_form(r, "name"), *query = req_form(r, "query"), *message = NULL;
	int rc;

	/* The filters come with the form as the list's query string. */
	if (query)
		kv_parse_urlencoded(r->arena, &l, query, strlen(query));
	if (order_list_parse(kv_param, &l, &q) != LIST_OK || q.cursor) {
		page_error(r, 400);
		return;
	}
	buf_init(&qs, 8192);
	order_list_query_string(&q, SORT_N, false, &qs);
	rc = saved_view_add(r->db, r->arena, r->shop->id, r->session->user.id, name, buf_str(&qs),
	    req_form(r, "shared") != NULL);
	switch (rc) {
	case LIST_OK:
		res_redirect(r, qs.len ? arena_printf(r->arena, "/orders?%s", buf_str(&qs)) : "/orders");
		buf_free(&qs);
		return;
	case LIST_EMPTY:
		message = _("Give the view a name, then save it.");
		break;
	case LIST_TOO_LONG:
		message = _("The name is too long (at most 100 characters).");
		break;
	case LIST_BAD:
		message = _("The name holds characters that cannot be saved.");
		break;
	default:
		buf_free(&qs);
		page_error(r, 503);
		return;
	}
	buf_free(&qs);
	render_list(r, &q, message, NULL, 422);
}

void
view_delete_post(struct request *r)
{
	char *end;
	long long id = r->route_arg ? strtoll(r->route_arg, &end, 10) : 0;

	if (id <= 0 || *end != '\0') {
		page_error(r, 404);
		return;
	}
	switch (saved_view_delete(r->db, r->arena, r->shop->id, r->session->user.id, id)) {
	case LIST_OK:
		res_redirect(r, "/orders");
		return;
	case LIST_NOT_FOUND:
		page_error(r, 404);
		return;
	default:
		page_error(r, 503);
		return;
	}
}
