/*
 * generate: synthetic shops for demos and benchmarks (see seed.h).
 *
 * The work for one shop, in order:
 *  1. the catalogue: opt->products products drawn from the shop kind's
 *     table, SKUs "CAT-0001"…, the same whatever the seed; a SKU the shop
 *     already has is reused;
 *  2. the timeline: when each order is placed (two years, growing, busier
 *     on weekdays, in daytime, with the kind's seasons), in time order so
 *     that order numbers follow time, and which customer places it (new
 *     customers spread over the period, repeat buyers weighted by a
 *     loyalty drawn per customer);
 *  3. the customers, with e-mails unique in the shop;
 *  4. the order codes, unique against the shop's existing ones;
 *  5. the order numbers, reserved at once on the shop's counter;
 *  6. the load: the customers go in, in order, on the caller's connection
 *     (their codes derive from their ids) while opt->threads loaders
 *     take the orders chunk by chunk, round-robin, each chunk once its
 *     customers are in. Every order is drawn from its own generator
 *     (seed, shop, index), so the data do not depend on the threads; a
 *     transaction holds a few multi-row INSERTs of orders, addresses,
 *     lines and events, and the stock its open orders reserve.
 *
 * The steps live in catalogue.c (1), here (2 and 5), customers.c (3 and
 * 4) and load.c (6), which draws each order with orders.c; gen.h tells
 * what the files share.
 */
#include "seed/seed.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "db/db.h"
#include "orders/order_counts.h"
#include "orders/workflow.h"
#include "seed/gen.h"
#include "seed/names.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/log.h"

#define HISTORY_DAYS 730

/* ----------------------------------------------------------- SQL output */

/* Runs the SQL text in b; logs a failure. */
int
seed_sql_run(struct db *db, const struct buf *b)
{
	if (buf_failed(b)) {
		log_error("seed: statement too large (%zu bytes)", b->len);
		return DB_ERROR;
	}
	return db_exec_text(db, b->data, b->len);
}

/* The first id of the last multi-row INSERT on this connection. */
int
seed_last_insert_id(struct db *db, struct arena *a, long long *id)
{
	static const char sql[] = "SELECT LAST_INSERT_ID()";
	struct db_result res;
	int rc = db_exec(db, a, &res, sql, 0, NULL);

	if (rc != DB_OK)
		return rc;
	*id = res.nrows == 1 ? db_ll(&res, 0, 0) : 0;
	return *id > 0 ? DB_OK : DB_ERROR;
}

/* Bulk-load settings of a connection: the generator guarantees uniqueness
 * and references itself. */
int
seed_session_bulk(struct db *db, bool on)
{
	static const char off_sql[] = "SET SESSION unique_checks = 0, foreign_key_checks = 0";
	static const char on_sql[] = "SET SESSION unique_checks = 1, foreign_key_checks = 1";

	return on ? db_exec_text(db, off_sql, sizeof(off_sql) - 1) :
	    db_exec_text(db, on_sql, sizeof(on_sql) - 1);
}

/* ------------------------------------------------------------ strings */

/* An arena copy of the buffer's contents. */
const char *
seed_keep(struct arena *a, const struct buf *b)
{
	return arena_strndup(a, buf_str(b), b->len);
}

/* ------------------------------------------------------------- timeline */

/* Relative weight of each month (January first) for the shop's kind. */
static const unsigned month_weight[3][12] = {
	/* print: greetings in January, weddings in June, August off */
	{ 110, 100, 105, 100, 105, 110, 80, 55, 115, 105, 100, 95 },
	/* wine: Christmas and the wine fairs of autumn */
	{ 75, 80, 90, 95, 100, 100, 85, 70, 100, 105, 125, 180 },
	/* gift: Valentine's day, Mother's day, Christmas */
	{ 80, 110, 90, 90, 110, 100, 80, 70, 90, 100, 130, 190 },
};

/* Relative weight of each hour of the day, local time. */
static const unsigned hour_weight[2][24] = {
	/* the public, on the web: evenings count */
	{ 10, 5, 3, 2, 2, 4, 10, 20, 40, 60, 70, 70, 60, 60, 70, 70, 60, 60, 60, 60, 70, 70, 50, 30 },
	/* businesses: office hours */
	{ 3, 1, 1, 1, 1, 2, 6, 25, 70, 95, 100, 95, 60, 70, 95, 100, 90, 70, 40, 30, 30, 25, 15, 8 },
};

static const unsigned weekday_weight[2][7] = {
	{ 115, 110, 105, 105, 100, 75, 65 },
	{ 120, 115, 110, 110, 100, 45, 30 },
};

/* qsort order of int64 values. */
static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* When each order is placed, in time order (see the file comment). */
static void
gen_timeline(struct shopgen *g)
{
	const int kind = (int)g->t->kind, biz = g->t->kind == SEED_PRINT;
	const int64_t now = g->now_us / US;
	const int64_t today = floor_div(now + paris_offset(now), 86400);
	const int64_t elapsed = now + paris_offset(now) - today * 86400;   /* seconds, local */
	double w[HISTORY_DAYS], total = 0, cum = 0;
	long long placed = 0, prev = 0;
	struct rng r;
	int d;

	rng_init(&r, g->o->seed, g->salt, S_TIMELINE, 0);
	for (d = 0; d < HISTORY_DAYS; d++) {
		int64_t day = today - (HISTORY_DAYS - 1) + d, y;
		unsigned m, dd;

		civil_from_days(day, &y, &m, &dd);
		w[d] = (0.5 + 0.5 * d / (HISTORY_DAYS - 1)) * weekday_weight[biz][civil_weekday(day)] *
		    month_weight[kind][m - 1];
		if (d == HISTORY_DAYS - 1)
			w[d] *= (double)elapsed / 86400;
		total += w[d];
	}
	g->start_us = ((today - (HISTORY_DAYS - 1)) * 86400 - 3600) * US;
	for (d = 0; d < HISTORY_DAYS; d++) {
		int64_t day = today - (HISTORY_DAYS - 1) + d;
		long long upto, k, n;

		cum += w[d];
		upto = (long long)((double)g->norders * cum / total + 0.5);
		if (d == HISTORY_DAYS - 1)
			upto = g->norders;
		n = upto - prev;
		prev = upto;
		for (k = 0; k < n; k++) {
			int64_t sec = (int64_t)rng_weights(&r, hour_weight[biz], 24) * 3600 +
			    (int64_t)rng_below(&r, 3600), local, utc;

			if (d == HISTORY_DAYS - 1 && sec >= elapsed)
				sec = (int64_t)rng_below(&r, (uint64_t)(elapsed > 60 ? elapsed - 60 : 1));
			local = day * 86400 + sec;
			utc = local - paris_offset(local - 3600);
			g->placed[placed + k] = utc * US + (int64_t)rng_below(&r, US);
			if (g->placed[placed + k] > g->now_us - 60 * US)
				g->placed[placed + k] = g->now_us - 60 * US - (int64_t)rng_below(&r, 60 * US);
		}
		qsort(g->placed + placed, (size_t)n, sizeof(*g->placed), cmp_i64);
		placed += n;
	}
}

/* Which customer places each order: new customers spread evenly over the
 * orders, repeat buyers drawn by loyalty. Returns the first order of each
 * customer in first_order[]. */
static void
gen_assignment(struct shopgen *g, long long *first_order)
{
	static const unsigned loyalty_w[] = { 700, 200, 80, 20 };
	static const unsigned loyalty_v[] = { 1, 3, 10, 40 };
	struct fenwick f = { 0 };
	struct rng r;
	long long i;
	size_t k = 0;

	f.n = g->ncusts;
	f.t = calloc(f.n + 1, sizeof(*f.t));
	if (!f.t)
		die("out of memory");
	rng_init(&r, g->o->seed, g->salt, S_ASSIGN, 0);
	for (i = 0; i < g->norders; i++) {
		uint64_t left_new = g->ncusts - k, left = (uint64_t)(g->norders - i);

		if (k == 0 || rng_below(&r, left) < left_new) {
			first_order[k] = i;
			fenwick_add(&f, k, loyalty_v[rng_weights(&r, loyalty_w, 4)]);
			g->cust_of[i] = (uint32_t)k++;
		} else {
			g->cust_of[i] = (uint32_t)fenwick_find(&f, rng_below(&r, f.total));
		}
	}
	free(f.t);
}

/* --------------------------------------------------------------- set-up */

/* Checks that multi-row INSERTs get consecutive ids; reads the step. */
/* The open statuses of wf that are neither the arrival one nor retired,
 * with `want` among their flags and none of `avoid`, in their order. */
static size_t
open_statuses(const struct wf_workflow *wf, unsigned want, unsigned avoid, const struct wf_status **out)
{
	const struct wf_status *s;
	size_t i, n = 0;

	for (i = 0; (s = wf_status_at(wf, i)) && n < WF_STATUSES_MAX; i++)
		if (!s->retired && !(s->flags & (WF_FINAL | WF_ARRIVAL | avoid)) && (s->flags & want) == want)
			out[n++] = s;
	return n;
}

/*
 * The shop's own status for each stage of a drawn order: its arrival,
 * completed and cancels statuses (wf_status_role); for the stages between,
 * an open status of the same code when the shop has one, else "awaiting
 * payment" is an open status the customer may pay in that is no sale, and
 * "being prepared", "shipped", "delivered" the shop's open sale statuses
 * in their order (the last one repeated); the arrival status when the
 * shop has none.
 */
static int
seed_statuses(struct shopgen *g, struct db *db)
{
	const struct wf_workflow *wf;
	const struct wf_status *st[ST_N] = { 0 }, *pay[WF_STATUSES_MAX], *sale[WF_STATUSES_MAX], *s;
	size_t npay, nsale, k;

	if (wf_get(db, &g->arena, g->t->shop_id, &wf) != WF_OK) {
		fprintf(stderr, "seed: %s: cannot read the shop's statuses\n", g->t->code);
		return -1;
	}
	wf_cache_free();   /* the copy is in g->arena; no thread of the seed reads it again */
	st[ST_RECEIVED] = wf_status_role(wf, WF_ARRIVAL);
	st[ST_COMPLETED] = wf_status_role(wf, WF_COMPLETED);
	st[ST_CANCELLED] = wf_status_role(wf, WF_CANCELS);
	if (!st[ST_RECEIVED] || !st[ST_COMPLETED] || !st[ST_CANCELLED]) {
		fprintf(stderr, "seed: %s: the shop's workflow lacks its arrival, completed or cancels status\n",
		    g->t->code);
		return -1;
	}
	npay = open_statuses(wf, WF_CUSTOMER_MAY_PAY, WF_SALE, pay);
	nsale = open_statuses(wf, WF_SALE, 0, sale);
	for (k = ST_AWAITING; k <= ST_DELIVERED; k++) {
		s = wf_status_find(wf, status_name[k]);
		if (s && !s->retired && !(s->flags & (WF_FINAL | WF_ARRIVAL)))
			st[k] = s;
		else if (k == ST_AWAITING)
			st[k] = npay ? pay[0] : st[ST_RECEIVED];
		else
			st[k] = nsale ? sale[k - ST_PROCESSING < nsale ? k - ST_PROCESSING : nsale - 1] : st[ST_RECEIVED];
	}
	for (k = 0; k < ST_N; k++) {
		g->status[k] = st[k]->code;
		g->closed[k] = wf_closed(st[k]);
	}
	return 0;
}

static int
check_autoinc(struct shopgen *g, struct db *db)
{
	static const char sql[] = "SELECT @@innodb_autoinc_lock_mode, @@auto_increment_increment";
	struct arena a;
	struct db_result res;
	int rc = -1;

	arena_init(&a, 0);
	if (db_exec(db, &a, &res, sql, 0, NULL) == DB_OK && res.nrows == 1) {
		if (db_ll(&res, 0, 0) == 2)
			fprintf(stderr, "seed: innodb_autoinc_lock_mode is 2: the ids of a multi-row"
			    " INSERT may interleave with other sessions'; seed a server with mode 1\n");
		else if (db_ll(&res, 0, 1) < 1)
			fprintf(stderr, "seed: unexpected auto_increment_increment\n");
		else
			rc = 0;
		g->step = (unsigned)db_ll(&res, 0, 1);
	}
	arena_free(&a);
	return rc;
}

/* The shop's staff, for the history's actors. */
static int
load_staff(struct shopgen *g, struct db *db)
{
	static const char sql[] =
		"SELECT id, IF(display_name <> '', display_name, email), role = 'picker'"
		" FROM staff_users WHERE shop_id = ? AND disabled = 0 ORDER BY id LIMIT 50";
	struct db_result res;
	size_t i;

	if (db_exec(db, &g->arena, &res, sql, DB_PARAMS(DB_I64(g->t->shop_id))) != DB_OK)
		return -1;
	g->nstaff = res.nrows;
	g->staff = arena_alloc(&g->arena, (res.nrows ? res.nrows : 1) * sizeof(*g->staff));
	for (i = 0; i < res.nrows; i++) {
		g->staff[i].id = db_ll(&res, i, 0);
		g->staff[i].label = db_str(&res, i, 1);
		g->staff[i].picker = db_ll(&res, i, 2) != 0;
	}
	return 0;
}

/* Reserves opt->orders numbers on the shop's counter, at once (concurrent
 * intake takes the next ones); sets g->first_number. */
static int
reserve_numbers(struct db *db, void *ctx)
{
	static const char sql_bump[] =
		"INSERT INTO shop_counters (shop_id, name, value)"
		" SELECT ?, 'order_number', COALESCE(MAX(number), 0) + ? FROM orders WHERE shop_id = ?"
		" ON DUPLICATE KEY UPDATE value = GREATEST(value, VALUES(value) - ?) + ?";
	static const char sql_get[] =
		"SELECT value FROM shop_counters WHERE shop_id = ? AND name = 'order_number'";
	struct shopgen *g = ctx;
	struct arena a;
	struct db_result res;
	int rc;

	arena_init(&a, 0);
	rc = db_exec(db, &a, NULL, sql_bump, DB_PARAMS(DB_I64(g->t->shop_id), DB_I64(g->norders),
	    DB_I64(g->t->shop_id), DB_I64(g->norders), DB_I64(g->norders)));
	if (rc == DB_OK)
		rc = db_exec(db, &a, &res, sql_get, DB_PARAMS(DB_I64(g->t->shop_id)));
	if (rc == DB_OK) {
		if (res.nrows == 1)
			g->first_number = db_ll(&res, 0, 0) - g->norders + 1;
		else
			rc = DB_ERROR;
	}
	arena_free(&a);
	return rc;
}

/* The data tables as weighted pickers. */
static void
init_tables(struct shopgen *g)
{
	struct arena *a = &g->arena;

	WTAB(g->first_f_fr, a, seed_first_f_fr, struct seed_word);
	WTAB(g->first_m_fr, a, seed_first_m_fr, struct seed_word);
	WTAB(g->first_f_be, a, seed_first_f_be, struct seed_word);
	WTAB(g->first_m_be, a, seed_first_m_be, struct seed_word);
	WTAB(g->last_fr, a, seed_last_fr, struct seed_word);
	WTAB(g->last_be, a, seed_last_be, struct seed_word);
	WTAB(g->city_fr, a, seed_cities_fr, struct seed_city);
	WTAB(g->city_be, a, seed_cities_be, struct seed_city);
	WTAB(g->street_fr, a, seed_streets_fr, struct seed_word);
	WTAB(g->street_be, a, seed_streets_be, struct seed_word);
	WTAB(g->line2, a, seed_line2, struct seed_word);
	WTAB(g->mail_fr, a, seed_mail_fr, struct seed_word);
	WTAB(g->mail_be, a, seed_mail_be, struct seed_word);
	WTAB(g->remarks_any, a, seed_remarks_any, struct seed_word);
	WTAB(g->notes, a, seed_notes, struct seed_word);
	WTAB(g->cancel, a, seed_cancel_reasons, struct seed_word);
	WTAB(g->team, a, seed_team, struct seed_word);
	WTAB(g->engravings, a, seed_engravings, struct seed_word);
	switch (g->t->kind) {
	case SEED_PRINT:
		WTAB_F(g->items, a, seed_print, struct seed_item, popularity);
		g->items_t = seed_print;
		WTAB(g->remarks_kind, a, seed_remarks_print, struct seed_word);
		g->remarks_kind_t = seed_remarks_print;
		break;
	case SEED_WINE:
		WTAB_F(g->items, a, seed_wine, struct seed_item, popularity);
		g->items_t = seed_wine;
		WTAB(g->remarks_kind, a, seed_remarks_wine, struct seed_word);
		g->remarks_kind_t = seed_remarks_wine;
		break;
	case SEED_GIFT:
		WTAB_F(g->items, a, seed_gift, struct seed_item, popularity);
		g->items_t = seed_gift;
		WTAB(g->remarks_kind, a, seed_remarks_gift, struct seed_word);
		g->remarks_kind_t = seed_remarks_gift;
		break;
	}
}

int
seed_shop(const struct config *cfg, struct db *db, const struct seed_target *t,
    const struct seed_options *opt, struct seed_stats *st)
{
	struct shopgen *g = calloc(1, sizeof(*g));
	long long *first_order = NULL;
	int rc = -1;
	double t0 = seed_clock();

	if (!g)
		die("out of memory");
	g->cfg = cfg;
	g->t = t;
	g->o = opt;
	g->salt = hash_bytes(t->code, strlen(t->code));
	g->now_us = (int64_t)opt->now * US;
	g->norders = opt->orders;
	g->ncusts = (size_t)(opt->orders == 0 ? 0 : opt->customers ? opt->customers :
	    (opt->orders + 2) / 3);
	atomic_init(&g->done, 0);
	atomic_init(&g->failed, 0);
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->ready, NULL);
	arena_init(&g->arena, 1 << 20);
	init_tables(g);
	if (seed_statuses(g, db) != 0 || check_autoinc(g, db) != 0 || seed_session_bulk(db, true) != DB_OK)
		goto out;

	/* The timeline first: it fixes when the history starts. */
	g->placed = calloc((size_t)g->norders + 1, sizeof(*g->placed));
	g->cust_of = calloc((size_t)g->norders + 1, sizeof(*g->cust_of));
	g->codes = calloc((size_t)g->norders + 1, sizeof(*g->codes));
	g->custs = calloc(g->ncusts + 1, sizeof(*g->custs));
	first_order = calloc(g->ncusts + 1, sizeof(*first_order));
	if (!g->placed || !g->cust_of || !g->codes || !g->custs || !first_order)
		die("out of memory");
	gen_timeline(g);

	gen_products(g);
	if (load_products(g, db, st) != 0) {
		fprintf(stderr, "seed: %s: cannot write the products: %s\n", t->code, db_error(db));
		goto out;
	}
	if (g->norders == 0) {
		rc = 0;
		goto out;
	}
	gen_assignment(g, first_order);
	if (gen_customers(g, db, first_order) != 0 || gen_codes(g, db) != 0 ||
	    load_staff(g, db) != 0 || db_tx(db, reserve_numbers, g) != DB_OK) {
		fprintf(stderr, "seed: %s: database error: %s\n", t->code, db_error(db));
		goto out;
	}
	if (opt->progress)
		fprintf(stderr, "seed: %s: %zu products, %zu customers and %lld orders (numbers %lld to"
		    " %lld) drawn in %.1f s\n", t->code, g->nprods, g->ncusts, g->norders,
		    g->first_number, g->first_number + g->norders - 1, seed_clock() - t0);
	if (load_orders(g, db, st) != 0) {
		fprintf(stderr, "seed: %s: loading failed (see the log above; if the server went"
		    " away, its max_allowed_packet may be below what --batch needs)\n", t->code);
		goto out;
	}
	/* The orders went in as rows: the dashboard's counts from them. */
	if (order_counts_rebuild(db, &g->arena, t->shop_id) != DB_OK)
		goto out;
	rc = 0;
out:
	seed_session_bulk(db, false);
	free(first_order);
	free(g->placed);
	free(g->cust_of);
	free(g->codes);
	free(g->custs);
	arena_free(&g->arena);
	pthread_cond_destroy(&g->ready);
	pthread_mutex_destroy(&g->lock);
	free(g);
	return rc;
}

bool
seed_kind_parse(const char *s, enum seed_kind *out)
{
	if (!s)
		return false;
	if (strcmp(s, "print") == 0)
		*out = SEED_PRINT;
	else if (strcmp(s, "wine") == 0)
		*out = SEED_WINE;
	else if (strcmp(s, "gift") == 0)
		*out = SEED_GIFT;
	else
		return false;
	return true;
}

const char *
seed_kind_name(enum seed_kind k)
{
	return k == SEED_PRINT ? "print" : k == SEED_WINE ? "wine" : "gift";
}
