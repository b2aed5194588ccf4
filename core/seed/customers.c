/*
 * customers: the shop's customers (step 3 of generate.c), each from its
 * own generator: names, e-mails unique in the shop, addresses and phone
 * numbers that reach no one; and the order codes (step 4), unique against
 * the shop's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/sqltext.h"
#include "orders/code.h"
#include "seed/gen.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/log.h"

/* ------------------------------------------------------------ strings */

/* "aaaaaaa…": ASCII letters for U+00C0..U+00FF, '.' to drop. */
static const char latin1_ascii[] =
	"aaaaaaaceeeeiiiidnooooo.ouuuuyts" "aaaaaaaceeeeiiiidnooooo.ouuuuyty";

/* Appends the lower-case ASCII form of a name for an e-mail: accents
 * removed, spaces and apostrophes dropped. */
static void
mail_part(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		if (*p < 0x80) {
			if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')
				buf_putc(b, (char)*p);
			else if (*p >= 'A' && *p <= 'Z')
				buf_putc(b, (char)(*p - 'A' + 'a'));
			p++;
		} else if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
			char c = latin1_ascii[p[1] - 0x80];

			if (c != '.')
				buf_putc(b, c);
			p += 2;
		} else if (*p == 0xC5 && (p[1] == 0x92 || p[1] == 0x93)) {
			buf_puts(b, "oe");
			p += 2;
		} else {
			p++;
			while ((*p & 0xC0) == 0x80)
				p++;
		}
	}
}

/* ------------------------------------------------------------ customers */

/* An address in France or Belgium for `name`. */
void
gen_address(struct shopgen *g, struct rng *r, struct arena *a, struct buf *tmp, bool be,
    struct order_address *ad)
{
	const struct seed_city *c = be ? &seed_cities_be[wtab_pick(&g->city_be, r)] :
	    &seed_cities_fr[wtab_pick(&g->city_fr, r)];
	const char *street = be ? seed_streets_be[wtab_pick(&g->street_be, r)].s :
	    seed_streets_fr[wtab_pick(&g->street_fr, r)].s;
	long long number = rng_pm(r, 700) ? rng_range(r, 1, 40) : rng_range(r, 41, 220);

	buf_reset(tmp);
	if (be)
		buf_printf(tmp, "%s %lld", street, number);
	else
		buf_printf(tmp, "%lld%s %s", number, rng_pm(r, 30) ? " bis" : "", street);
	ad->line1 = seed_keep(a, tmp);
	ad->line2 = rng_pm(r, 120) ? seed_line2[wtab_pick(&g->line2, r)].s : "";
	if (c->districts > 1) {
		buf_reset(tmp);
		buf_printf(tmp, "%05ld", strtol(c->postcode, NULL, 10) + (long)rng_below(r, c->districts));
		ad->postcode = seed_keep(a, tmp);
	} else {
		ad->postcode = c->postcode;
	}
	ad->city = c->name;
	ad->region = c->region;
	ad->country = be ? "BE" : "FR";
}

/* A phone number in E.164: French numbers from the blocks ARCEP keeps for
 * fiction (06 39 98, 01 99 00, 02 61 91, 03 53 01, 04 65 71, 05 36 49),
 * Belgian mobiles +32 4… */
static const char *
gen_phone(struct rng *r, struct arena *a, struct buf *tmp, bool be)
{
	static const char *const fixed[] = { "+3319900", "+3326191", "+3335301", "+3346571", "+3353649" };

	buf_reset(tmp);
	if (be)
		buf_printf(tmp, "+324%02d%06d", (int)rng_range(r, 60, 99), (int)rng_below(r, 1000000));
	else if (rng_pm(r, 800))
		buf_printf(tmp, "+3363998%04d", (int)rng_below(r, 10000));
	else
		buf_printf(tmp, "%s%04d", fixed[rng_below(r, 5)], (int)rng_below(r, 10000));
	return seed_keep(a, tmp);
}

/* A person's name: sets *first and *last, returns whether a woman. */
bool
gen_person(struct shopgen *g, struct rng *r, bool be, const char **first, const char **last)
{
	bool woman = rng_pm(r, 540);
	bool be_first = be && rng_pm(r, 550);

	if (woman)
		*first = be_first ? seed_first_f_be[wtab_pick(&g->first_f_be, r)].s :
		    seed_first_f_fr[wtab_pick(&g->first_f_fr, r)].s;
	else
		*first = be_first ? seed_first_m_be[wtab_pick(&g->first_m_be, r)].s :
		    seed_first_m_fr[wtab_pick(&g->first_m_fr, r)].s;
	*last = be && rng_pm(r, 600) ? seed_last_be[wtab_pick(&g->last_be, r)].s :
	    seed_last_fr[wtab_pick(&g->last_fr, r)].s;
	return woman;
}

/* An e-mail address not yet in `taken`, in one of the forms people use. */
static const char *
gen_email(struct shopgen *g, struct rng *r, struct buf *tmp, struct u64set *taken,
    const struct scust *c)
{
	static const unsigned form_w[] = { 40, 15, 12, 13, 10, 10 };
	const char *domain = c->be ? seed_mail_be[wtab_pick(&g->mail_be, r)].s :
	    seed_mail_fr[wtab_pick(&g->mail_fr, r)].s;
	size_t form = rng_weights(r, form_w, 6), local;
	unsigned n;

	buf_reset(tmp);
	switch (form) {
	case 0: mail_part(tmp, c->first); buf_putc(tmp, '.'); mail_part(tmp, c->last); break;
	case 1: mail_part(tmp, c->first); mail_part(tmp, c->last); break;
	case 2:
		mail_part(tmp, c->first);
		if (tmp->len > 1)
			tmp->len = 1;
		buf_putc(tmp, '.');
		mail_part(tmp, c->last);
		break;
	case 3:
		mail_part(tmp, c->first); buf_putc(tmp, '.'); mail_part(tmp, c->last);
		buf_printf(tmp, "%02d", (int)rng_range(r, 1, 99));
		break;
	case 4:
		mail_part(tmp, c->first); mail_part(tmp, c->last);
		buf_printf(tmp, "%02d", (int)rng_range(r, 50, 105) % 100);
		break;
	default: mail_part(tmp, c->last); buf_putc(tmp, '.'); mail_part(tmp, c->first); break;
	}
	local = tmp->len;
	for (n = 1;; n++) {
		tmp->len = local;
		if (n > 1)
			buf_printf(tmp, "%u", n < 5 ? (unsigned)rng_range(r, 2, 99) : n);
		buf_putc(tmp, '@');
		buf_puts(tmp, domain);
		if (u64set_add(taken, hash_bytes(tmp->data, tmp->len)))
			return seed_keep(&g->arena, tmp);
	}
}

/* Loads the shop's e-mails (lower case) into `taken`, by keyset pages. */
static int
load_emails(struct shopgen *g, struct db *db, struct u64set *taken)
{
	static const char sql[] =
		"SELECT LOWER(email) FROM customers WHERE shop_id = ? AND email > ?"
		" ORDER BY email LIMIT 20000";
	struct arena a;
	struct db_result res;
	char *after = strdup("");
	size_t i;

	if (!after)
		die("out of memory");
	arena_init(&a, 1 << 20);
	for (;;) {
		arena_reset(&a);
		if (db_exec(db, &a, &res, sql, DB_PARAMS(DB_I64(g->t->shop_id), DB_STR(after))) != DB_OK) {
			free(after);
			arena_free(&a);
			return -1;
		}
		for (i = 0; i < res.nrows; i++)
			u64set_add(taken, hash_bytes(res.rows[i].col[0], res.rows[i].len[0]));
		if (res.nrows < 20000)
			break;
		free(after);
		after = strdup(res.rows[res.nrows - 1].col[0]);
		if (!after)
			die("out of memory");
	}
	free(after);
	arena_free(&a);
	return 0;
}

/* Draws the customers; each is created just before their first order. */
int
gen_customers(struct shopgen *g, struct db *db, const long long *first_order)
{
	struct u64set taken = { 0 };
	struct buf tmp;
	size_t i;

	if (load_emails(g, db, &taken) != 0)
		return -1;
	buf_init(&tmp, 4096);
	for (i = 0; i < g->ncusts; i++) {
		struct scust *c = &g->custs[i];
		unsigned be_pm = g->t->kind == SEED_PRINT ? 80 : 140;
		int64_t first = g->placed[first_order[i]];
		struct rng r;
		bool woman;

		rng_init(&r, g->o->seed, g->salt, S_CUSTOMER, i);
		c->be = rng_pm(&r, be_pm);
		woman = gen_person(g, &r, c->be, &c->first, &c->last);
		c->title = woman ? "Mme" : "M.";
		c->company = "";
		if (rng_pm(&r, g->t->kind == SEED_PRINT ? 300 : 50)) {
			const struct seed_company *co = &seed_companies[rng_below(&r, seed_companies_n)];

			buf_reset(&tmp);
			buf_puts(&tmp, co->prefix);
			buf_puts(&tmp, co->of_city ? (c->be ? seed_cities_be[wtab_pick(&g->city_be, &r)].name :
			    seed_cities_fr[wtab_pick(&g->city_fr, &r)].name) : c->last);
			buf_puts(&tmp, co->suffix);
			c->company = seed_keep(&g->arena, &tmp);
		}
		c->email = gen_email(g, &r, &tmp, &taken, c);
		c->phone = gen_phone(&r, &g->arena, &tmp, c->be);
		c->account = g->t->accounts_required || rng_pm(&r, 650);
		c->locale = rng_pm(&r, 30) ? "en" : "fr";
		c->created_us = first - (c->account ? rng_range(&r, 60, 30 * 86400) : rng_range(&r, 60, 600)) * US;
		gen_address(g, &r, &g->arena, &tmp, c->be, &c->addr);
		buf_reset(&tmp);
		buf_printf(&tmp, "%s %s", c->first, c->last);
		c->addr.name = seed_keep(&g->arena, &tmp);
		c->addr.company = c->company;
		c->addr.phone = c->phone;
	}
	buf_free(&tmp);
	u64set_free(&taken);
	return 0;
}

/* Inserts customers [from, to) and reads their ids. customers.code stays
 * NULL: it holds imported codes only; a customer's own code is derived
 * from its id ("C000042"), as the orders' snapshot has it. */
int
insert_customers(struct shopgen *g, struct db *db, struct buf *b, size_t from, size_t to)
{
	struct arena a;
	long long first;
	size_t i;
	int rc;

	buf_reset(b);
	buf_puts(b, "INSERT INTO customers (shop_id, title, first_name, last_name, company, email,"
	    " phone, has_account, locale, created_at, updated_at) VALUES ");
	for (i = from; i < to; i++) {
		const struct scust *c = &g->custs[i];

		buf_puts(b, i > from ? ",(" : "(");
		sql_int(b, g->t->shop_id);
		sql_next_str(db, b, c->title);
		sql_next_str(db, b, c->first);
		sql_next_str(db, b, c->last);
		sql_next_str(db, b, c->company);
		sql_next_str(db, b, c->email);
		sql_next_str(db, b, c->phone);
		buf_puts(b, c->account ? ",1," : ",0,");
		sql_str(db, b, c->locale);
		buf_putc(b, ',');
		seed_sql_time(b, c->created_us);
		buf_putc(b, ',');
		seed_sql_time(b, c->created_us);
		buf_putc(b, ')');
	}
	arena_init(&a, 0);
	rc = seed_sql_run(db, b);
	if (rc == DB_OK)
		rc = seed_last_insert_id(db, &a, &first);
	arena_free(&a);
	for (i = from; rc == DB_OK && i < to; i++) {
		struct scust *c = &g->custs[i];

		c->id = first + (long long)((i - from) * g->step);
		snprintf(c->code, sizeof(c->code), "C%06lld", c->id);
	}
	return rc;
}

/* ------------------------------------------------------------ order codes */

/* The alphabet of core/orders/code.c: no 0/O, 1/I/L. Codes are drawn from
 * the seeded generator here (reproducible, and 8 M characters from
 * libsodium's getrandom() would cost seconds); order_code_normalise()
 * accepts every one of them. */
static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/* Loads the shop's order codes into `taken`, by keyset pages. */
static int
load_codes(struct shopgen *g, struct db *db, struct u64set *taken)
{
	static const char sql[] =
		"SELECT code FROM orders WHERE shop_id = ? AND code > ? ORDER BY code LIMIT 50000";
	struct arena a;
	struct db_result res;
	char after[ORDER_CODE_LEN + 1] = "";
	size_t i;

	arena_init(&a, 1 << 20);
	for (;;) {
		arena_reset(&a);
		if (db_exec(db, &a, &res, sql, DB_PARAMS(DB_I64(g->t->shop_id), DB_STR(after))) != DB_OK) {
			arena_free(&a);
			return -1;
		}
		for (i = 0; i < res.nrows; i++)
			u64set_add(taken, hash_bytes(res.rows[i].col[0], res.rows[i].len[0]));
		if (res.nrows < 50000)
			break;
		snprintf(after, sizeof(after), "%s", res.rows[res.nrows - 1].col[0]);
	}
	arena_free(&a);
	return 0;
}

/* Draws a code per order, unique in the shop. */
int
gen_codes(struct shopgen *g, struct db *db)
{
	struct u64set taken = { 0 };
	long long i;
	size_t k;

	for (k = 0; code_alphabet[k]; k++) {
		char in[ORDER_CODE_LEN + 1], out[ORDER_CODE_LEN + 1];

		memset(in, code_alphabet[k], ORDER_CODE_LEN);
		in[ORDER_CODE_LEN] = '\0';
		if (!order_code_normalise(in, out))
			die("seed: the order code alphabet differs from core/orders/code.c");
	}
	if (load_codes(g, db, &taken) != 0)
		return -1;
	for (i = 0; i < g->norders; i++) {
		struct rng r;

		rng_init(&r, g->o->seed, g->salt, S_CODE, (uint64_t)i);
		do {
			for (k = 0; k < 8; k++)
				g->codes[i][k] = code_alphabet[rng_below(&r, sizeof(code_alphabet) - 1)];
		} while (!u64set_add(&taken, hash_bytes(g->codes[i], 8)));
	}
	u64set_free(&taken);
	return 0;
}
