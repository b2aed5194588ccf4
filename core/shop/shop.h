/*
 * shop: tenancy. Shops are described in YAML; the `shops` table gives each
 * code a stable numeric id that every shop-owned row carries.
 */
#ifndef CPT_SHOP_H
#define CPT_SHOP_H

struct db;
struct arena;
struct config;

/* Creates the rows of new shops and sets every shop's id. 0 or -1. */
int shop_sync(struct db *db, struct arena *a, struct config *cfg);

#endif
