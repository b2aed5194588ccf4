/*
 * load: the writing (step 6 of generate.c). The customers go in in order
 * on the caller's connection while loader threads, each on a connection
 * of its own, draw their chunks of orders (orders.c) and write each in
 * one transaction: multi-row INSERTs of orders, addresses, lines and
 * events, and the stock its open orders reserve.
 */
#include <mysql.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "db/sqltext.h"
#include "orders/search.h"
#include "seed/gen.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/log.h"

#define BATCHES_PER_TX 4

/* The multi-row INSERT of orders [from, to) of the chunk. */
static void
sql_orders(struct worker *w, size_t from, size_t to)
{
	const struct seed_target *t = w->g->t;
	struct buf *b = &w->sql;
	struct db *db = w->db;
	size_t i;

	buf_reset(b);
	buf_puts(b, "INSERT INTO orders (shop_id, number, code, kind, title, first_product, status, closed, payment_state,"
	    " shipping_state, on_hold, channel, is_test, currency, prices_include_vat, lines_cents,"
	    " discount_cents, shipping_cents, shipping_vat_rate, total_ex_vat_cents, total_vat_cents,"
	    " total_cents, vat_breakdown, paid_cents, payment_method, carrier, total_weight_g,"
	    " customer_id, customer_code, customer_title, customer_first_name, customer_last_name,"
	    " customer_email, customer_phone, customer_locale, remarks, reference,"
	    " external_reference, placed_at, created_at, updated_at) VALUES ");
	for (i = from; i < to; i++) {
		const struct gorder *o = &w->orders[i];
		const struct scust *c = o->c;

		buf_puts(b, i > from ? ",(" : "(");
		sql_int(b, t->shop_id);
		sql_next_int(b, o->number);
		buf_puts(b, ",'");
		buf_append(b, o->code, 8);
		buf_puts(b, "','order',");
		sql_str(db, b, o->title);
		sql_next_str(db, b, o->nlines ? o->lines[0].p->name : "");
		buf_puts(b, ",'");
		buf_puts(b, w->g->status[o->status]);
		buf_printf(b, "',%d,'", w->g->closed[o->status]);
		buf_puts(b, o->payment_state);
		buf_puts(b, "','");
		buf_puts(b, o->shipping_state);
		buf_puts(b, o->on_hold ? "',1,'" : "',0,'");
		buf_puts(b, o->channel);
		buf_puts(b, o->is_test ? "',1," : "',0,");
		sql_str(db, b, t->currency);
		buf_puts(b, t->prices_include_vat ? ",1," : ",0,");
		sql_int(b, o->totals.lines_cents);
		buf_puts(b, ",0,");
		sql_int(b, o->totals.shipping_cents);
		sql_next_int(b, o->totals.shipping_vat_rate);
		sql_next_int(b, o->totals.total_ex_vat_cents);
		sql_next_int(b, o->totals.total_vat_cents);
		sql_next_int(b, o->totals.total_cents);
		sql_next_str(db, b, o->vat_breakdown);
		sql_next_int(b, o->paid);
		buf_puts(b, ",'");
		buf_puts(b, pm_name[o->pm]);
		buf_puts(b, "','");
		buf_puts(b, carrier_name[o->carrier]);
		buf_puts(b, "',");
		sql_int(b, o->weight);
		sql_next_int(b, c->id);
		buf_puts(b, ",'");
		buf_puts(b, c->code);
		buf_puts(b, "',");
		sql_str(db, b, c->title);
		sql_next_str(db, b, c->first);
		sql_next_str(db, b, c->last);
		sql_next_str(db, b, c->email);
		sql_next_str(db, b, c->phone);
		sql_next_str(db, b, c->locale);
		sql_next_str(db, b, o->is_test ? "Commande de test — ne pas expédier" : o->remarks);
		sql_next_str(db, b, o->reference);
		sql_next_str(db, b, o->external_reference);
		buf_putc(b, ',');
		seed_sql_time(b, o->placed);
		buf_putc(b, ',');
		seed_sql_time(b, o->placed);
		buf_putc(b, ',');
		seed_sql_time(b, o->updated);
		buf_putc(b, ')');
	}
}

/* One address row. */
static void
sql_address(struct worker *w, long long shop_id, long long order_id, const char *kind,
    const struct order_address *ad)
{
	struct buf *b = &w->sql;
	struct db *db = w->db;

	buf_putc(b, '(');
	sql_int(b, shop_id);
	sql_next_int(b, order_id);
	buf_puts(b, kind);
	order_address_sql(db, b, ad);
	buf_putc(b, ')');
}

/* The INSERTs of addresses, lines and events of orders [from, to). */
static int
sql_children(struct worker *w, size_t from, size_t to)
{
	const long long shop = w->g->t->shop_id;
	struct buf *b = &w->sql;
	struct db *db = w->db;
	size_t i, k;
	bool first;
	int rc;

	buf_reset(b);
	buf_puts(b, "INSERT INTO order_addresses (shop_id, order_id, kind, name, company, line1,"
	    " line2, postcode, city, region, country, phone) VALUES ");
	for (i = from; i < to; i++) {
		const struct gorder *o = &w->orders[i];

		if (i > from)
			buf_putc(b, ',');
		sql_address(w, shop, o->id, ",'billing'", &o->c->addr);
		buf_putc(b, ',');
		sql_address(w, shop, o->id, ",'shipping'", &o->shipping_addr);
	}
	if ((rc = seed_sql_run(db, b)) != DB_OK)
		return rc;

	buf_reset(b);
	buf_puts(b, "INSERT INTO order_lines (shop_id, order_id, line_no, product_id, sku, ean, name,"
	    " options, quantity, unit_price_cents, vat_rate, discount_cents, total_cents, weight_g,"
	    " reserved_stock, customisable, qty_shipped, qty_returned) VALUES ");
	for (i = from; i < to; i++) {
		const struct gorder *o = &w->orders[i];

		for (k = 0; k < o->nlines; k++) {
			const struct gline *l = &o->lines[k];

			buf_puts(b, i > from || k ? ",(" : "(");
			sql_int(b, shop);
			sql_next_int(b, o->id);
			sql_next_int(b, (long long)k + 1);
			sql_next_int(b, l->p->id);
			sql_next_str(db, b, l->p->sku);
			buf_putc(b, ',');
			sql_str_or_null(db, b, l->p->ean);
			sql_next_str(db, b, l->p->name);
			sql_next_str(db, b, l->options);
			sql_next_int(b, l->qty);
			sql_next_int(b, l->unit);
			sql_next_int(b, l->p->vat);
			sql_next_int(b, l->discount);
			sql_next_int(b, o->ml[k].total_cents);
			sql_next_int(b, l->weight * l->qty);     /* the line's weight, as intake writes it */
			buf_puts(b, l->reserved ? ",1," : ",0,");
			buf_puts(b, l->p->customisable ? "1," : "0,");
			sql_int(b, l->shipped);
			buf_puts(b, ",0)");
		}
	}
	if ((rc = seed_sql_run(db, b)) != DB_OK)
		return rc;

	buf_reset(b);
	buf_puts(b, "INSERT INTO order_events (shop_id, order_id, at, actor_type, actor_id,"
	    " actor_label, action, details) VALUES ");
	for (i = from; i < to; i++) {
		const struct gorder *o = &w->orders[i];

		for (k = 0; k < o->nevents; k++) {
			const struct gevent *e = &o->events[k];

			buf_puts(b, i > from || k ? ",(" : "(");
			sql_int(b, shop);
			sql_next_int(b, o->id);
			buf_putc(b, ',');
			seed_sql_time(b, e->at);
			buf_puts(b, ",'");
			buf_puts(b, e->actor_type);
			buf_puts(b, "',");
			if (e->actor_id)
				sql_int(b, e->actor_id);
			else
				buf_puts(b, "NULL");
			sql_next_str(db, b, e->label);
			buf_puts(b, ",'");
			buf_puts(b, e->action);
			buf_puts(b, "',");
			sql_str(db, b, e->details);
			buf_putc(b, ')');
		}
	}
	if ((rc = seed_sql_run(db, b)) != DB_OK)
		return rc;

	/* The search box's words, as intake writes them. */
	buf_reset(b);
	buf_puts(b, SEARCH_TERMS_INSERT);
	for (i = from, first = true; i < to; i++) {
		const struct gorder *o = &w->orders[i];
		struct search_doc_line lines[MAX_LINES];
		struct search_doc d = { .code = arena_strndup(&w->arena, o->code, 8), .first_name = o->c->first,
			.last_name = o->c->last, .email = o->c->email, .phone = o->c->phone,
			.external_reference = o->external_reference, .reference = o->reference,
			.lines = lines, .nlines = o->nlines };

		for (k = 0; k < o->nlines; k++)
			lines[k] = (struct search_doc_line){ o->lines[k].p->name, o->lines[k].p->sku };
		if (search_terms_values(db, b, shop, o->id, &d, &first) != 0)
			return DB_ERROR;
	}
	return first ? DB_OK : seed_sql_run(db, b);
}

/* The stock the chunk's open orders reserve, in one UPDATE (ids ascending,
 * so concurrent chunks never deadlock). On hand grows by as much: what was
 * available stays available. */
static int
sql_reserve(struct worker *w)
{
	const struct shopgen *g = w->g;
	struct buf *b = &w->sql;
	size_t i, n = 0;

	buf_reset(b);
	buf_puts(b, "UPDATE products SET stock_reserved = stock_reserved + CASE id");
	for (i = 0; i < g->nprods; i++) {
		if (!w->reserve[i])
			continue;
		buf_puts(b, " WHEN ");
		sql_int(b, g->prods[i].id);
		buf_puts(b, " THEN ");
		sql_int(b, w->reserve[i]);
		n++;
	}
	if (n == 0)
		return DB_OK;
	buf_puts(b, " END, stock_on_hand = stock_on_hand + CASE id");
	for (i = 0; i < g->nprods; i++) {
		if (!w->reserve[i])
			continue;
		buf_puts(b, " WHEN ");
		sql_int(b, g->prods[i].id);
		buf_puts(b, " THEN ");
		sql_int(b, w->reserve[i]);
	}
	buf_puts(b, " END WHERE shop_id = ");
	sql_int(b, g->t->shop_id);
	buf_puts(b, " AND id IN (");
	for (i = 0, n = 0; i < g->nprods; i++) {
		if (!w->reserve[i])
			continue;
		if (n++)
			buf_putc(b, ',');
		sql_int(b, g->prods[i].id);
	}
	buf_puts(b, ") ORDER BY id");
	return seed_sql_run(w->db, b);
}

/* One transaction: the chunk's orders, batch by batch, then its stock
 * (db_tx callback: may run again after a deadlock). */
static int
chunk_tx(struct db *db, void *ctx)
{
	struct worker *w = ctx;
	const size_t batch = (size_t)w->g->o->batch;
	size_t from, to, i;
	int rc;

	(void)db;
	for (from = 0; from < w->n; from = to) {
		long long first;

		to = from + batch < w->n ? from + batch : w->n;
		sql_orders(w, from, to);
		if ((rc = seed_sql_run(w->db, &w->sql)) != DB_OK)
			return rc;
		if ((rc = seed_last_insert_id(w->db, &w->arena, &first)) != DB_OK)
			return rc;
		for (i = from; i < to; i++)
			w->orders[i].id = first + (long long)((i - from) * w->g->step);
		if ((rc = sql_children(w, from, to)) != DB_OK)
			return rc;
	}
	return sql_reserve(w);
}

/* Marks the run failed and wakes every loader waiting for customers. */
static void
fail_run(struct shopgen *g)
{
	pthread_mutex_lock(&g->lock);
	atomic_store(&g->failed, 1);
	pthread_cond_broadcast(&g->ready);
	pthread_mutex_unlock(&g->lock);
}

/* Waits until customers [0, need) have their ids; false if the run failed. */
static bool
wait_customers(struct shopgen *g, size_t need)
{
	bool ok;

	pthread_mutex_lock(&g->lock);
	while (g->custs_ready < need && !atomic_load(&g->failed))
		pthread_cond_wait(&g->ready, &g->lock);
	ok = g->custs_ready >= need;
	pthread_mutex_unlock(&g->lock);
	return ok;
}

/* An order loader: every nthreads-th chunk of orders, in time order, on a
 * connection of its own, each chunk once the customers it names exist. */
static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct shopgen *g = w->g;
	const long long chunk = (long long)g->o->batch * BATCHES_PER_TX;
	long long c, i, k;

	mysql_thread_init();
	w->rc = -1;
	w->db = db_open(g->cfg);
	if (!w->db || seed_session_bulk(w->db, true) != DB_OK)
		goto out;
	for (c = w->index; (i = c * chunk) < g->norders && !atomic_load(&g->failed); c += w->nthreads) {
		long long end = i + chunk < g->norders ? i + chunk : g->norders;
		size_t need = 0;

		for (k = i; k < end; k++)
			if (g->cust_of[k] + (size_t)1 > need)
				need = g->cust_of[k] + (size_t)1;
		if (!wait_customers(g, need))
			goto out;
		arena_reset(&w->arena);
		memset(w->reserve, 0, g->nprods * sizeof(*w->reserve));
		w->n = (size_t)(end - i);
		for (k = i; k < end; k++)
			gen_order(w, k, &w->orders[k - i]);
		if (db_tx(w->db, chunk_tx, w) != DB_OK) {
			log_error("seed: %s: orders %lld to %lld not written: %s", g->t->code,
			    g->first_number + i, g->first_number + end - 1, db_error(w->db));
			goto out;
		}
		for (k = 0; k < (long long)w->n; k++) {
			w->st.lines += (long long)w->orders[k].nlines;
			w->st.events += (long long)w->orders[k].nevents;
		}
		w->st.orders += (long long)w->n;
		w->st.addresses += 2 * (long long)w->n;
		atomic_fetch_add(&g->done, (long long)w->n);
	}
	w->rc = atomic_load(&g->failed) ? -1 : 0;
out:
	if (w->rc != 0)
		fail_run(g);
	db_close(w->db);
	w->db = NULL;
	mysql_thread_end();
	return NULL;
}

/* Sleeps `ms` milliseconds. */
static void
sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1)
		;
}

/* Seconds on the monotonic clock. */
double
seed_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct progress {
	double last;
	long long last_done;
};

/* Prints a progress line every 5 s. */
static void
progress(struct shopgen *g, struct progress *p, size_t custs)
{
	long long done = atomic_load(&g->done);
	double now = seed_clock();

	if (!g->o->progress || now - p->last < 5)
		return;
	fprintf(stderr, "seed: %s: %lld/%lld orders (%lld %%), %.0f orders/s", g->t->code, done,
	    g->norders, done * 100 / g->norders, (double)(done - p->last_done) / (now - p->last));
	if (custs < g->ncusts)
		fprintf(stderr, "; %zu/%zu customers", custs, g->ncusts);
	fputc('\n', stderr);
	p->last = now;
	p->last_done = done;
}

struct cust_tx {
	struct shopgen *g;
	struct buf *b;
	size_t from, to;
};

/* One transaction of customer batches (db_tx callback). */
static int
cust_tx_run(struct db *db, void *ctx)
{
	struct cust_tx *x = ctx;
	size_t i;
	int rc = DB_OK;

	for (i = x->from; i < x->to && rc == DB_OK; i += 1000)
		rc = insert_customers(x->g, db, x->b, i, i + 1000 < x->to ? i + 1000 : x->to);
	return rc;
}

/*
 * Loads customers and orders: the order loaders start at once, while this
 * thread inserts the customers in order on `db` (so their ids, and codes,
 * do not depend on the threads) and tells the loaders as each transaction
 * commits. Then prints progress until the orders are in.
 */
int
load_orders(struct shopgen *g, struct db *db, struct seed_stats *st)
{
	int nthreads = g->o->threads, i, rc = 0;
	struct progress pr = { seed_clock(), 0 };
	struct worker *ws;
	const size_t chunk = (size_t)g->o->batch * BATCHES_PER_TX;
	struct buf b;
	size_t k;

	if ((long long)nthreads > g->norders)
		nthreads = (int)g->norders;
	ws = calloc((size_t)nthreads, sizeof(*ws));
	if (!ws)
		die("out of memory");
	for (i = 0; i < nthreads; i++) {
		struct worker *w = &ws[i];

		w->g = g;
		w->index = i;
		w->nthreads = nthreads;
		arena_init(&w->arena, 1 << 20);
		buf_init(&w->tmp, 1 << 16);
		buf_init(&w->sql, SQL_MAX);
		w->orders = calloc(chunk, sizeof(*w->orders));
		w->reserve = calloc(g->nprods, sizeof(*w->reserve));
		if (!w->orders || !w->reserve)
			die("out of memory");
		if (pthread_create(&w->tid, NULL, worker_main, w) != 0)
			die("seed: cannot start a thread");
	}

	buf_init(&b, SQL_MAX);
	for (k = 0; k < g->ncusts && !atomic_load(&g->failed); k += 4000) {
		struct cust_tx x = { g, &b, k, k + 4000 < g->ncusts ? k + 4000 : g->ncusts };

		if (db_tx(db, cust_tx_run, &x) != DB_OK) {
			fprintf(stderr, "seed: %s: cannot write the customers: %s\n", g->t->code,
			    db_error(db));
			fail_run(g);
			break;
		}
		st->customers += (long long)(x.to - x.from);
		pthread_mutex_lock(&g->lock);
		g->custs_ready = x.to;
		pthread_cond_broadcast(&g->ready);
		pthread_mutex_unlock(&g->lock);
		progress(g, &pr, x.to);
	}
	buf_free(&b);

	while (atomic_load(&g->done) < g->norders && !atomic_load(&g->failed)) {
		sleep_ms(200);
		progress(g, &pr, g->ncusts);
	}
	for (i = 0; i < nthreads; i++) {
		struct worker *w = &ws[i];

		pthread_join(w->tid, NULL);
		if (w->rc != 0)
			rc = -1;
		st->orders += w->st.orders;
		st->lines += w->st.lines;
		st->addresses += w->st.addresses;
		st->events += w->st.events;
		arena_free(&w->arena);
		buf_free(&w->tmp);
		buf_free(&w->sql);
		free(w->orders);
		free(w->reserve);
	}
	free(ws);
	return atomic_load(&g->failed) ? -1 : rc;
}
