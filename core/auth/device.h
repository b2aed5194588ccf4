/*
 * device: the cookie a browser gets when it logs in to an account, so that
 * it keeps its own allowance of login attempts for that account (OWASP's
 * "device cookie"): someone guessing the owner's password from elsewhere
 * throttles the clients the account has never seen, not the owner's own
 * browser.
 *
 * "<user id>.<22 random characters>.<43 characters of MAC>", the MAC a
 * keyed BLAKE2b over the shop, the user and the random part with the
 * device-cookie subkey (auth/secret.h). Nothing is stored: the cookie is
 * its own proof.
 */
#ifndef CPT_DEVICE_H
#define CPT_DEVICE_H

#include <stdbool.h>

struct config;
struct arena;

#define DEVICE_COOKIE "cpt_device"
#define DEVICE_COOKIE_MAX 96
#define DEVICE_COOKIE_AGE (180 * 24 * 3600)   /* seconds a browser keeps it */

/* A new cookie value for this user; false when there is no secret. */
bool device_cookie_new(const struct config *cfg, long long shop_id, long long user_id,
    char out[DEVICE_COOKIE_MAX]);

/*
 * Is `cookie` one this host gave to `user_id` of this shop? If so, *id is
 * the browser's bucket subject (the cookie without its MAC), in the arena.
 */
bool device_cookie_check(const struct config *cfg, struct arena *a, long long shop_id,
    long long user_id, const char *cookie, const char **id);

#endif
