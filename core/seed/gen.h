/*
 * gen: what the files of the generator share: the shop being generated
 * (struct shopgen), an order as drawn (struct gorder), a loader thread
 * (struct worker), and the functions one file calls in another. Private
 * to core/seed/; seed.h is the interface.
 *
 *   generate.c   seed_shop(): set-up, the timeline, SQL helpers
 *   catalogue.c  the products
 *   customers.c  the customers, with e-mails, addresses, phones; order codes
 *   orders.c     one order drawn: lines, options, status and history
 *   load.c       the writing: customers, then orders on loader threads
 *   rng.c        random draws, weighted tables, sets (rng.h)
 *   calendar.c   dates, Paris time, SQL times (calendar.h)
 */
#ifndef CPT_SEED_GEN_H
#define CPT_SEED_GEN_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "orders/money.h"
#include "orders/order.h"
#include "seed/calendar.h"
#include "seed/names.h"
#include "seed/rng.h"
#include "seed/seed.h"
#include "util/arena.h"
#include "util/buf.h"

#define SQL_MAX ((size_t)64 << 20)    /* the longest statement built */
#define MAX_LINES 5                   /* of an order */
#define MAX_EVENTS 4                  /* of an order's history */

/* Streams: one generator per purpose and index, independent of the rest. */
enum { S_PRODUCT = 1, S_TIMELINE, S_ASSIGN, S_CUSTOMER, S_CODE, S_ORDER };

/* ------------------------------------------------------------- the shop */

/* The stages a drawn order goes through; each is written as one of the
 * shop's own statuses (shopgen.status). */
enum { ST_RECEIVED, ST_AWAITING, ST_PROCESSING, ST_SHIPPED, ST_DELIVERED, ST_COMPLETED,
	ST_CANCELLED, ST_N };

struct sprod {
	long long id;
	const char *sku, *ean, *name;
	long long price;
	unsigned vat, weight;
	bool customisable, track, existing;
	long long on_hand, threshold;
	const struct seed_item *item;
};

struct scust {
	long long id;
	char code[24];
	const char *title, *first, *last, *company, *email, *phone, *locale;
	bool account, be;
	int64_t created_us;
	struct order_address addr;
};

struct staff {
	long long id;
	const char *label;
	bool picker;
};

struct shopgen {
	const struct config *cfg;
	const struct seed_target *t;
	const struct seed_options *o;
	uint64_t salt;
	int64_t now_us, start_us;
	unsigned step;                 /* auto_increment_increment */
	struct arena arena;            /* lives as long as the shop's run */

	struct wtab first_f_fr, first_m_fr, first_f_be, first_m_be, last_fr, last_be;
	struct wtab city_fr, city_be, street_fr, street_be, line2, mail_fr, mail_be;
	struct wtab remarks_any, remarks_kind, notes, cancel, team, engravings, items;
	const struct seed_word *remarks_kind_t;
	const struct seed_item *items_t;

	struct sprod *prods;
	size_t nprods;
	struct wtab prod_pop;

	struct scust *custs;
	size_t ncusts;

	long long norders, first_number;
	int64_t *placed;
	uint32_t *cust_of;
	char (*codes)[8];

	struct staff *staff;
	size_t nstaff;

	/* The shop's status code of each stage, and orders.closed for it
	 * (seed_statuses, from the shop's workflow). */
	const char *status[ST_N];
	int closed[ST_N];

	atomic_llong done;
	atomic_int failed;

	/* Customers [0, custs_ready) have their ids: the order loaders wait on
	 * `ready` for the customers of their next chunk. */
	pthread_mutex_t lock;
	pthread_cond_t ready;
	size_t custs_ready;
};

/* ---------------------------------------------------------------- orders */

struct gline {
	const struct sprod *p;
	const char *options;
	long long qty, unit, discount, shipped;
	long long weight;          /* of one unit */
	bool reserved;
};

struct gevent {
	int64_t at;
	const char *actor_type, *label, *action, *details;
	long long actor_id;     /* 0 for NULL */
};

struct gorder {
	long long id, number;
	const char *code;
	int64_t placed, updated;
	int status;
	const char *payment_state, *shipping_state, *channel, *title, *remarks, *reference,
	    *external_reference;
	int pm, carrier;
	bool on_hold, is_test;
	struct order_totals totals;
	struct money_line ml[MAX_LINES];
	const char *vat_breakdown;
	long long shipping, paid, weight;
	const struct scust *c;
	struct order_address shipping_addr;
	struct gline lines[MAX_LINES];
	size_t nlines;
	struct gevent events[MAX_EVENTS];
	size_t nevents;
};

struct worker {
	struct shopgen *g;
	int index, nthreads;       /* takes chunks index, index + nthreads, … */
	struct db *db;
	struct arena arena;        /* per chunk */
	struct buf tmp, sql;
	struct gorder *orders;     /* the chunk */
	size_t n;
	long long *reserve;        /* stock reserved by the chunk, per product */
	struct seed_stats st;
	int rc;
	pthread_t tid;
};

/* Names of the stages (the default workflow's codes), payment methods and
 * carriers (orders.c), as the orders table holds them. */
extern const char *const status_name[];
extern const char *const pm_name[];
extern const char *const carrier_name[];

/* ------------------------------------------------------------ functions */

/* generate.c: runs the SQL text in b (logs a failure); reads the first id
 * of the last multi-row INSERT; turns the bulk-load settings of a
 * connection on or off; copies a buffer into an arena. */
int seed_sql_run(struct db *db, const struct buf *b);
int seed_last_insert_id(struct db *db, struct arena *a, long long *id);
int seed_session_bulk(struct db *db, bool on);
const char *seed_keep(struct arena *a, const struct buf *b);

/* catalogue.c: draws the products; finds those the shop has (by SKU),
 * inserts the others and sets every id. */
void gen_products(struct shopgen *g);
int load_products(struct shopgen *g, struct db *db, struct seed_stats *st);

/* customers.c: an address; a person's name (true for a woman); every
 * customer; the INSERT of customers [from, to), which sets their ids and
 * codes; a code per order, unique in the shop. */
void gen_address(struct shopgen *g, struct rng *r, struct arena *a, struct buf *tmp, bool be,
    struct order_address *ad);
bool gen_person(struct shopgen *g, struct rng *r, bool be, const char **first, const char **last);
int gen_customers(struct shopgen *g, struct db *db, const long long *first_order);
int insert_customers(struct shopgen *g, struct db *db, struct buf *b, size_t from, size_t to);
int gen_codes(struct shopgen *g, struct db *db);

/* orders.c: draws order `i` of the shop into *o, from its own generator. */
void gen_order(struct worker *w, long long i, struct gorder *o);

/* load.c: writes the customers and the orders; seconds on the monotonic
 * clock. */
int load_orders(struct shopgen *g, struct db *db, struct seed_stats *st);
double seed_clock(void);

#endif
