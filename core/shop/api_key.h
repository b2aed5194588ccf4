/*
 * api_key: the keys a shop's storefront and tools use for the API
 * ("Authorization: Bearer cpt_…"). Only a hash keyed with the host's
 * secret (auth/secret.h) and a short prefix are stored; the key itself is
 * shown once, when created. Keys can be revoked.
 */
#ifndef CPT_API_KEY_H
#define CPT_API_KEY_H

#include <stdbool.h>
#include <stddef.h>

struct db;
struct arena;
struct config;

#define API_KEY_MIN 12   /* the demo keys, "cpt_demo_cave"; generated keys have 47 */
#define API_KEY_MAX 128
/* What lists show and the database keeps of a key: "cpt_" and 4 more
 * characters, at most two thirds of the shortest key. */
#define API_KEY_PREFIX_LEN 8

struct api_key {
	long long id;
	const char *name;
	const char *prefix;        /* the first API_KEY_PREFIX_LEN characters */
	const char *created_at;
	const char *last_used_at;  /* NULL when never */
	bool revoked;
};

enum api_key_rc { API_KEY_OK = 0, API_KEY_INVALID = 1, API_KEY_EXISTS = 2,
	API_KEY_NOT_FOUND = 3, API_KEY_AMBIGUOUS = 4, API_KEY_ERROR = -1 };

/* Creates a key named `name`. With `fixed` (demo keys), that text is the
 * key; else a random "cpt_" + 43 characters. The key is written to `out`.
 * API_KEY_ERROR (logged) when the configuration has no secret key. */
int api_key_create(struct db *db, struct arena *a, const struct config *cfg,
    long long shop_id, const char *name, const char *fixed, const char **out);

/* Is `token` a live key of this shop? Sets *key_id and *name. */
int api_key_check(struct db *db, struct arena *a, const struct config *cfg,
    long long shop_id, const char *token, long long *key_id, const char **name);

/* Revokes a live key: `given` is the whole key, or its prefix as listed
 * (characters after the prefix are ignored); API_KEY_AMBIGUOUS when that
 * prefix is shared by several live keys, which then need the whole key. */
int api_key_revoke(struct db *db, struct arena *a, const struct config *cfg,
    long long shop_id, const char *given);
int api_key_list(struct db *db, struct arena *a, long long shop_id, struct api_key **keys, size_t *n);

#endif
