/*
 * comptoir seed: realistic synthetic data, for the demo (a configured
 * shop) and for benchmarks (synthetic shops seed-001 …). Arguments are
 * checked before anything is opened: a refused command changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "conf/conf.h"
#include "db/db.h"
#include "orders/workflow.h"
#include "seed/seed.h"
#include "util/arena.h"

#define SEED_MAX_ORDERS 10000000LL
#define SEED_MAX_PRODUCTS 100000LL
#define SEED_MAX_SHOPS 9999LL
#define SEED_MAX_THREADS 16LL

static const char usage[] =
	"usage: comptoir seed --shop CODE --orders M --products P [--customers C]\n"
	"                     [--kind print|wine|gift] [--seed S] [--now TIME] [--threads T]\n"
	"                     [--batch B]\n"
	"       comptoir seed --shops N --orders M --products P [the same options]\n"
	"\n"
	"Fills the database with realistic French and Belgian data: P products, C new\n"
	"customers (default M / 3, with repeat buyers) and M orders placed over the last\n"
	"two years, with their lines, addresses and history. Totals come from\n"
	"order_totals(); the open orders reserve their stock. Order numbers continue the\n"
	"shop's counter, so a second run adds M more orders; products are reused by SKU.\n"
	"\n"
	"  --shop CODE   a shop of the configuration; its catalogue follows its code:\n"
	"                atelier: print shop, cave: wine shop, any other: gift shop\n"
	"  --shops N     N synthetic shops seed-001, seed-002 … (rows in `shops`, not in\n"
	"                the configuration, so never served over HTTP: for benchmarks),\n"
	"                each given M orders and P products; kinds print, wine, gift in turn\n"
	"  --kind K      the catalogue instead: print, wine or gift\n"
	"  --seed S      the random seed (default 1)\n"
	"  --now TIME    when the history ends, in unix seconds (default: now); the same\n"
	"                seed and --now give the same data, whatever the threads\n"
	"  --threads T   database connections loading the orders (default 2)\n"
	"  --batch B     orders per multi-row INSERT (default 1000)\n"
	"\n"
	"Limits: 0 <= M <= 10000000, 1 <= P <= 100000, 1 <= C <= M, 1 <= N <= 9999,\n"
	"1 <= T <= 16, 1 <= B <= 5000. Prints progress on stderr and, at the end, the\n"
	"rows written and the time taken.\n";

static const struct cli_option options[] = {
	{ .name = "shop", .kind = CLI_TEXT, .value = "CODE" },
	{ .name = "shops", .kind = CLI_NUMBER, .value = "N", .min = 1, .max = SEED_MAX_SHOPS },
	{ .name = "orders", .kind = CLI_NUMBER, .value = "M", .min = 0, .max = SEED_MAX_ORDERS },
	{ .name = "products", .kind = CLI_NUMBER, .value = "P", .min = 1, .max = SEED_MAX_PRODUCTS },
	{ .name = "customers", .kind = CLI_NUMBER, .value = "C", .min = 1, .max = SEED_MAX_ORDERS },
	{ .name = "kind", .kind = CLI_TEXT, .value = "print|wine|gift" },
	{ .name = "seed", .kind = CLI_NUMBER, .value = "S", .min = 0, .max = ~0ULL },
	{ .name = "now", .kind = CLI_NUMBER, .value = "TIME", .min = 946684800ULL, .max = 4102444800ULL },
	{ .name = "threads", .kind = CLI_NUMBER, .value = "T", .min = 1, .max = SEED_MAX_THREADS },
	{ .name = "batch", .kind = CLI_NUMBER, .value = "B", .min = 1, .max = 5000 },
	{ .name = NULL }
};

static const struct cli_spec spec = { .name = "seed", .usage = usage, .opts = options };

/* Refuses with the usage: exit status 2. */
static int
refuse(const char *why, const char *what)
{
	fprintf(stderr, "seed: %s%s\n\n%s", why, what ? what : "", usage);
	return 2;
}

/* The catalogue a configured shop gets from its code. */
static enum seed_kind
kind_of_code(const char *code)
{
	if (strstr(code, "atelier"))
		return SEED_PRINT;
	if (strstr(code, "cave"))
		return SEED_WINE;
	return SEED_GIFT;
}

/* Creates (or finds) the synthetic shop `code`; its id, or -1. */
static long long
synthetic_shop(const struct config *cfg, struct db *db, const char *code)
{
	static const char sql_insert[] = "INSERT IGNORE INTO shops (code) VALUES (?)";
	static const char sql_id[] = "SELECT id FROM shops WHERE code = ?";
	struct arena a;
	struct db_result res;
	long long id = -1;

	arena_init(&a, 0);
	if (db_exec_idempotent(db, &a, NULL, sql_insert, DB_PARAMS(DB_STR(code))) == DB_OK &&
	    db_exec(db, &a, &res, sql_id, DB_PARAMS(DB_STR(code))) == DB_OK && res.nrows == 1 &&
	    wf_shops_sync(db, &a, cfg) == 0)   /* its statuses: the seed writes their codes */
		id = db_ll(&res, 0, 0);
	arena_free(&a);
	return id;
}

/* Seconds on the monotonic clock. */
static double
seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
cmd_seed(struct cli *c)
{
	const char *shop_code, *kind_s;
	unsigned long long orders, products, customers, nshops, i;
	struct seed_options opt = { 0 };
	struct seed_stats st = { 0 };
	enum seed_kind kind = SEED_GIFT;
	struct config *cfg;
	struct db *db;
	double t0, secs;
	int rc = 0;

	if (cli_parse(c, &spec, &rc) != 0)
		return rc;
	shop_code = cli_opt(c, "shop");
	kind_s = cli_opt(c, "kind");
	if ((shop_code != NULL) == cli_flag(c, "shops"))
		return refuse("give either --shop CODE or --shops N", NULL);
	if (!cli_flag(c, "orders") || !cli_flag(c, "products"))
		return refuse("--orders and --products are required", NULL);
	nshops = cli_num(c, "shops", 1);
	orders = cli_num(c, "orders", 0);
	products = cli_num(c, "products", 1);
	customers = cli_num(c, "customers", 0);
	if (customers > orders)
		return refuse("--customers must not exceed --orders", NULL);
	if (kind_s && !seed_kind_parse(kind_s, &kind))
		return refuse("--kind must be print, wine or gift", NULL);

	opt.orders = (long long)orders;
	opt.products = (long long)products;
	opt.customers = (long long)customers;
	opt.seed = cli_num(c, "seed", 1);
	opt.threads = (int)cli_num(c, "threads", 2);
	opt.batch = (int)cli_num(c, "batch", 1000);
	opt.progress = true;
	opt.now = (long long)cli_num(c, "now", (unsigned long long)time(NULL));

	if (cli_open(c->config_path, &cfg, &db) != 0)
		return 1;
	t0 = seconds();
	if (shop_code) {
		const struct shop *s = config_shop_by_code(cfg, shop_code);
		struct seed_target t;

		if (!s) {
			fprintf(stderr, "seed: no shop '%s' in the configuration\n", shop_code);
			cli_close(cfg, db);
			return 1;
		}
		t = (struct seed_target){ .shop_id = s->id, .code = s->code,
			.kind = kind_s ? kind : kind_of_code(s->code),
			.prices_include_vat = s->settings.prices_include_vat,
			.currency = s->currency ? s->currency : "EUR",
			.accounts_required = s->settings.customer_account_required,
			.auto_cancel_unpaid_hours = s->settings.auto_cancel_unpaid_hours };
		fprintf(stderr, "seed: %s (%s catalogue)\n", t.code, seed_kind_name(t.kind));
		rc = seed_shop(cfg, db, &t, &opt, &st);
	} else {
		for (i = 0; i < nshops && rc == 0; i++) {
			char code[32];
			struct seed_target t;

			snprintf(code, sizeof(code), "seed-%03llu", i + 1);
			t = (struct seed_target){ .code = code,
				.kind = kind_s ? kind : (enum seed_kind)(i % 3),
				.prices_include_vat = true, .currency = "EUR",
				.auto_cancel_unpaid_hours = 14 * 24 };
			t.shop_id = synthetic_shop(cfg, db, code);
			if (t.shop_id < 0) {
				fprintf(stderr, "seed: cannot create the shop %s: %s\n", code, db_error(db));
				rc = -1;
				break;
			}
			fprintf(stderr, "seed: %s (%s catalogue)\n", code, seed_kind_name(t.kind));
			rc = seed_shop(cfg, db, &t, &opt, &st);
		}
	}
	secs = seconds() - t0;
	printf("seed: %llu shop%s, %lld new products, %lld customers, %lld addresses, %lld events\n",
	    shop_code ? 1ULL : nshops, shop_code || nshops == 1 ? "" : "s", st.products,
	    st.customers, st.addresses, st.events);
	printf("seed: %lld orders, %lld lines in %.1f s (%.0f orders/s)\n", st.orders, st.lines,
	    secs, secs > 0 ? (double)st.orders / secs : 0.0);
	cli_close(cfg, db);
	return rc == 0 ? 0 : 1;
}
