/*
 * catalogue: the shop's products (step 1 of generate.c), drawn from its
 * kind's table in names.c with SKUs "CAT-0001"…; a SKU the shop already
 * has is reused as the database holds it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db/db.h"
#include "db/sqltext.h"
#include "seed/gen.h"
#include "util/arena.h"
#include "util/buf.h"

/* The catalogue depends on the shop only, not on --seed: a run with
 * another seed finds the same SKUs and reuses the products. */
#define CATALOGUE_SEED 0x636F6D70746F6972ULL

/* Whether a variant reads as a continuation ("A5", "recto verso", "VSOP")
 * rather than a name of its own ("Domaine des Ormes"). */
static bool
variant_inline(const char *v)
{
	const char *p;

	if ((*v >= 'a' && *v <= 'z') || (*v >= '0' && *v <= '9'))
		return true;
	for (p = v; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			return false;
	return true;
}

/* The product name: the item's base (before ", 75 cl"), the vintage, the
 * variant, then what followed the comma. */
static const char *
product_name(struct arena *a, struct buf *tmp, const struct seed_item *it, struct rng *r)
{
	const char *comma = strstr(it->name, ", ");
	size_t base = comma ? (size_t)(comma - it->name) : strlen(it->name);
	size_t nv = 0;

	buf_reset(tmp);
	buf_append(tmp, it->name, base);
	if (it->vintage)
		buf_printf(tmp, " %d", (int)rng_range(r, 2014, 2023));
	if (it->variants) {
		const char *v;

		while (it->variants[nv])
			nv++;
		v = it->variants[rng_below(r, nv)];
		buf_puts(tmp, variant_inline(v) ? " " : " — ");
		buf_puts(tmp, v);
	}
	if (comma)
		buf_puts(tmp, comma);
	return seed_keep(a, tmp);
}

/* A valid EAN-13 from the GS1 France range (300–379). */
static const char *
product_ean(struct arena *a, struct rng *r)
{
	char s[14];
	int i, sum = 0;

	s[0] = '3';
	s[1] = (char)('0' + rng_below(r, 8));
	for (i = 2; i < 12; i++)
		s[i] = (char)('0' + rng_below(r, 10));
	for (i = 0; i < 12; i++)
		sum += (s[i] - '0') * (i % 2 ? 3 : 1);
	s[12] = (char)('0' + (10 - sum % 10) % 10);
	s[13] = '\0';
	return arena_strdup(a, s);
}

/* Draws the catalogue and the popularity of each product. */
void
gen_products(struct shopgen *g)
{
	const size_t nitems = g->items.n;
	struct buf tmp;
	size_t i;

	buf_init(&tmp, 4096);
	g->nprods = (size_t)g->o->products;
	g->prods = arena_alloc(&g->arena, g->nprods * sizeof(*g->prods));
	g->prod_pop.n = g->nprods;
	g->prod_pop.cum = arena_alloc(&g->arena, g->nprods * sizeof(*g->prod_pop.cum));
	for (i = 0; i < g->nprods; i++) {
		struct sprod *p = &g->prods[i];
		struct rng r;
		const struct seed_item *it;
		uint64_t pop;

		rng_init(&r, CATALOGUE_SEED, g->salt, S_PRODUCT, i);
		/* Every item once, then more variants of the popular ones. */
		it = &g->items_t[i < nitems ? i : wtab_pick(&g->items, &r)];
		p->item = it;
		buf_reset(&tmp);
		buf_printf(&tmp, "%s-%04zu", it->cat, i + 1);
		p->sku = seed_keep(&g->arena, &tmp);
		p->name = product_name(&g->arena, &tmp, it, &r);
		p->price = rng_range(&r, it->price_min / 10, it->price_max / 10) * 10;
		if (p->price % 100 == 0)
			p->price -= 10;            /* 14,90 €, not 15,00 € */
		p->vat = it->vat_rate;
		p->weight = (unsigned)(it->weight_g * (90 + rng_below(&r, 21)) / 100);
		p->customisable = it->customisable != 0;
		p->track = it->track_stock != 0;
		p->ean = p->customisable ? NULL : product_ean(&g->arena, &r);
		if (p->track) {
			p->threshold = rng_range(&r, 3, 20);
			/* One in eight at or under its threshold: D4 shows them. */
			p->on_hand = rng_pm(&r, 125) ? rng_range(&r, 0, p->threshold) :
			    rng_range(&r, p->threshold + 1, 400);
		}
		pop = (uint64_t)it->popularity * (uint64_t)rng_range(&r, 20, 180) * 16 / (16 + i / nitems * 8);
		g->prod_pop.cum[i] = (i ? g->prod_pop.cum[i - 1] : 0) + (pop ? pop : 1);
	}
	buf_free(&tmp);
}

/* Rows ordered by their first column (a SKU), as MariaDB compares SKUs
 * (ascii_general_ci), for qsort and bsearch. */
static int
cmp_row_sku(const void *a, const void *b)
{
	return strcasecmp(((const struct db_row *)a)->col[0], ((const struct db_row *)b)->col[0]);
}

/* Finds the products the shop already has (by SKU) and inserts the others;
 * sets every id. */
int
load_products(struct shopgen *g, struct db *db, struct seed_stats *st)
{
	static const char sql_existing[] =
		"SELECT sku, id, ean, name, price_cents, vat_rate, weight_g, track_stock,"
		" customisable FROM products WHERE shop_id = ?";
	struct arena a;
	struct db_result res;
	struct buf b;
	size_t i, j, nnew = 0;
	int rc = DB_OK;

	arena_init(&a, 1 << 16);
	if (db_exec(db, &a, &res, sql_existing, DB_PARAMS(DB_I64(g->t->shop_id))) != DB_OK) {
		arena_free(&a);
		return -1;
	}
	if (res.nrows)
		qsort(res.rows, res.nrows, sizeof(*res.rows), cmp_row_sku);
	for (i = 0; i < g->nprods; i++) {
		struct sprod *p = &g->prods[i];
		char *keycol[1] = { (char *)p->sku };
		struct db_row key = { keycol, NULL };
		struct db_row *row = res.nrows ?
		    bsearch(&key, res.rows, res.nrows, sizeof(*res.rows), cmp_row_sku) : NULL;

		if (!row) {
			nnew++;
			continue;
		}
		p->existing = true;
		p->id = strtoll(row->col[1], NULL, 10);
		p->ean = row->col[2] ? arena_strdup(&g->arena, row->col[2]) : NULL;
		p->name = arena_strdup(&g->arena, row->col[3]);
		p->price = strtoll(row->col[4], NULL, 10);
		p->vat = (unsigned)strtoul(row->col[5], NULL, 10);
		p->weight = (unsigned)strtoul(row->col[6], NULL, 10);
		p->track = row->col[7][0] == '1';
		p->customisable = row->col[8][0] == '1';
	}
	arena_free(&a);
	if (nnew == 0)
		return 0;

	buf_init(&b, SQL_MAX);
	for (i = 0; i < g->nprods && rc == DB_OK; ) {
		size_t batch[500], n = 0;
		long long first;

		buf_reset(&b);
		buf_puts(&b, "INSERT INTO products (shop_id, sku, ean, name, price_cents, vat_rate,"
		    " weight_g, track_stock, stock_on_hand, stock_reserved, low_stock_threshold,"
		    " customisable, active, created_at, updated_at) VALUES ");
		for (; i < g->nprods && n < 500; i++) {
			struct sprod *p = &g->prods[i];
			struct rng r;

			if (p->existing)
				continue;
			rng_init(&r, CATALOGUE_SEED, g->salt, S_PRODUCT, i + (1ULL << 40));
			batch[n] = i;
			buf_puts(&b, n++ ? ",(" : "(");
			sql_int(&b, g->t->shop_id);
			buf_putc(&b, ',');
			sql_str(db, &b, p->sku);
			buf_putc(&b, ',');
			sql_str_or_null(db, &b, p->ean);
			buf_putc(&b, ',');
			sql_str(db, &b, p->name);
			buf_putc(&b, ',');
			sql_int(&b, p->price);
			buf_putc(&b, ',');
			sql_int(&b, p->vat);
			buf_putc(&b, ',');
			sql_int(&b, p->weight);
			buf_puts(&b, p->track ? ",1," : ",0,");
			sql_int(&b, p->on_hand);
			buf_puts(&b, ",0,");
			sql_int(&b, p->threshold);
			buf_puts(&b, p->customisable ? ",1,1," : ",0,1,");
			seed_sql_time(&b, g->start_us - rng_range(&r, 1, 200) * 86400 * US);
			buf_putc(&b, ',');
			seed_sql_time(&b, g->start_us - rng_range(&r, 0, 86400) * US);
			buf_putc(&b, ')');
		}
		if (n == 0)
			break;
		arena_init(&a, 0);
		rc = seed_sql_run(db, &b);
		if (rc == DB_OK)
			rc = seed_last_insert_id(db, &a, &first);
		arena_free(&a);
		for (j = 0; rc == DB_OK && j < n; j++)
			g->prods[batch[j]].id = first + (long long)(j * g->step);
		st->products += rc == DB_OK ? (long long)n : 0;
	}
	buf_free(&b);
	return rc == DB_OK ? 0 : -1;
}
