/*
 * seed: realistic synthetic data for demos and benchmarks — a catalogue,
 * customers and orders over the last two years, with lines, addresses and
 * history, as a French or Belgian shop would have them.
 *
 * Everything drawn comes from a seeded generator, per order and per
 * customer, so the same seed and end time give the same data whatever the
 * number of threads (only the ids of orders differ; customers go in in
 * order on one connection, so their ids and codes follow). The catalogue
 * depends on the shop only. Totals come from order_totals(). Rows go in
 * as multi-row INSERTs of ~1000 rows, a few per transaction, with unique
 * and foreign key checks off for the session: uniqueness (order codes and
 * numbers, e-mails, SKUs) is ensured here, against what the shop already
 * holds.
 *
 * Ids of a multi-row INSERT are read from LAST_INSERT_ID(): they are
 * consecutive (steps of auto_increment_increment) when
 * innodb_autoinc_lock_mode is 0 or 1 (the MariaDB default); seeding
 * refuses to run under mode 2 (interleaved, as Galera wants).
 */
#ifndef CPT_SEED_H
#define CPT_SEED_H

#include <stdbool.h>
#include <stdint.h>

struct config;
struct db;

enum seed_kind { SEED_PRINT, SEED_WINE, SEED_GIFT };

/* The shop to fill. */
struct seed_target {
	long long shop_id;
	const char *code;
	enum seed_kind kind;
	bool prices_include_vat;
	const char *currency;
	bool accounts_required;    /* every customer has an account (the cave) */
	int auto_cancel_unpaid_hours;   /* the shop's auto_cancel_unpaid_after: unpaid orders
	                                 * older than this were cancelled; 0 never */
};

struct seed_options {
	long long orders;          /* per shop, >= 0 */
	long long products;        /* per shop, >= 1 */
	long long customers;       /* per shop, 1..orders; 0 means orders / 3 */
	uint64_t seed;
	int threads;               /* connections loading orders, 1..16 */
	int batch;                 /* orders per INSERT, 1..5000 */
	bool progress;             /* progress lines on stderr */
	long long now;             /* unix time the history ends at (two years long) */
};

struct seed_stats {
	long long products, customers, orders, lines, addresses, events;
};

/*
 * Fills one shop: creates (or reuses, by SKU) opt->products products,
 * opt->customers new customers and opt->orders orders numbered after the
 * shop's 'order_number' counter, which it advances by opt->orders at
 * once, before loading; adds the stock the open orders reserve. `db` is
 * the caller's connection (products, customers); the orders are loaded
 * meanwhile over opt->threads connections of their own, opened with
 * `cfg`. Adds what it wrote to *st. 0, or -1 after printing why on stderr
 * (what was committed before the failure stays: each transaction is
 * consistent on its own, stock included; the counter keeps its advance).
 */
int seed_shop(const struct config *cfg, struct db *db, const struct seed_target *t,
    const struct seed_options *opt, struct seed_stats *st);

/* "print", "wine", "gift" and back. */
bool seed_kind_parse(const char *s, enum seed_kind *out);
const char *seed_kind_name(enum seed_kind k);

#endif
