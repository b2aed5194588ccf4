/*
 * names: the tables `comptoir seed` draws from: French and Belgian first
 * and last names, real cities with their postcodes, streets, companies,
 * the catalogues of a print shop, a wine shop and a gift shop, customer
 * remarks and internal notes. Plain data, no logic: seed.c does the
 * drawing. Every weight is relative within its table.
 *
 * Nothing here may reach a real person: e-mail domains are under the
 * reserved .example TLD and French phone numbers come from the blocks
 * ARCEP keeps for fiction (see seed.c).
 */
#ifndef CPT_SEED_NAMES_H
#define CPT_SEED_NAMES_H

#include <stddef.h>

/* A weighted string. */
struct seed_word {
	const char *s;
	unsigned weight;
};

struct seed_city {
	const char *name;
	const char *postcode;      /* the first district's postcode */
	unsigned districts;        /* Paris 20, Lyon 9, Marseille 16 …, else 1 */
	unsigned weight;           /* roughly the population, in 10,000s */
	const char *region;        /* Belgian province; "" in France */
};

struct seed_company {
	const char *prefix;        /* the company is prefix + NAME + suffix, */
	const char *suffix;        /* NAME a last name, or a city when `of_city` */
	int of_city;
};

/* How many units a line of the item takes. */
enum seed_qty { QTY_ONE, QTY_FEW, QTY_BOTTLES, QTY_SPIRIT };

/* Which options a customisable line carries (seed.c knows them). */
enum seed_opts { OPT_NONE, OPT_CARDS, OPT_FLYERS, OPT_POSTERS, OPT_BANNER,
	OPT_STATIONERY, OPT_STAMP, OPT_ENGRAVING };

struct seed_item {
	const char *cat;           /* SKU family, "CDV" */
	const char *name;          /* "Cartes de visite 85 × 55 mm" */
	const char *const *variants;   /* NULL-terminated list appended as " — v", or NULL */
	int vintage;               /* 1: a year is appended (wines) */
	long long price_min, price_max;   /* cents, catalogue basis */
	unsigned vat_rate;         /* 2000, 1000, 550 */
	unsigned weight_g;
	int customisable;
	int track_stock;
	enum seed_qty qty;
	enum seed_opts opts;
	const char *title;         /* print orders: "Cartes de visite" (+ customer) */
	unsigned popularity;       /* relative */
};

#define SEED_TABLE(type, name) extern const type name[]; extern const size_t name##_n

SEED_TABLE(struct seed_word, seed_first_f_fr);
SEED_TABLE(struct seed_word, seed_first_m_fr);
SEED_TABLE(struct seed_word, seed_first_f_be);
SEED_TABLE(struct seed_word, seed_first_m_be);
SEED_TABLE(struct seed_word, seed_last_fr);
SEED_TABLE(struct seed_word, seed_last_be);
SEED_TABLE(struct seed_city, seed_cities_fr);
SEED_TABLE(struct seed_city, seed_cities_be);
SEED_TABLE(struct seed_word, seed_streets_fr);
SEED_TABLE(struct seed_word, seed_streets_be);
SEED_TABLE(struct seed_word, seed_line2);
SEED_TABLE(struct seed_word, seed_mail_fr);
SEED_TABLE(struct seed_word, seed_mail_be);
SEED_TABLE(struct seed_company, seed_companies);
SEED_TABLE(struct seed_item, seed_print);
SEED_TABLE(struct seed_item, seed_wine);
SEED_TABLE(struct seed_item, seed_gift);
SEED_TABLE(struct seed_word, seed_remarks_any);
SEED_TABLE(struct seed_word, seed_remarks_print);
SEED_TABLE(struct seed_word, seed_remarks_wine);
SEED_TABLE(struct seed_word, seed_remarks_gift);
SEED_TABLE(struct seed_word, seed_notes);
SEED_TABLE(struct seed_word, seed_cancel_reasons);
SEED_TABLE(struct seed_word, seed_team);
SEED_TABLE(struct seed_word, seed_engravings);

#endif
