/*
 * throttle: how many login attempts a bucket (an account, a browser, a
 * client address) may make, counted in the database so the limit holds
 * across threads, processes and machines.
 *
 * A bucket allows `limit` attempts at once, then one every window/limit
 * seconds: a decaying count (GCRA), so there is no window boundary across
 * which twice the limit would fit. Every attempt is counted before the
 * password is checked, in one statement that also says whether it may go
 * on: parallel attempts cannot get past the limit.
 */
#ifndef CPT_THROTTLE_H
#define CPT_THROTTLE_H

struct db;
struct arena;

/* Bucket scopes, as in the login_throttle table. */
#define THROTTLE_ACCOUNT "account"
#define THROTTLE_DEVICE "device"
#define THROTTLE_ADDRESS "address"

/*
 * Counts one attempt in the bucket (shop_id, scope, subject). *wait is 0
 * when the attempt may go on, else the seconds (at least 1) until one may;
 * a refused attempt is not counted, so waiting is always enough.
 */
int throttle_take(struct db *db, struct arena *a, long long shop_id, const char *scope,
    const char *subject, int limit, int window, long long *wait);
/* Gives back one attempt (a login that succeeded costs nothing). */
int throttle_refund(struct db *db, struct arena *a, long long shop_id, const char *scope,
    const char *subject, int limit, int window);
/* Empties a bucket. */
int throttle_clear(struct db *db, struct arena *a, long long shop_id, const char *scope,
    const char *subject);
/* Deletes the buckets that are empty again; returns rows or -1. */
long long throttle_purge(struct db *db, struct arena *a);

/*
 * The bucket subject of a client address: an IPv4 address as it is, an
 * IPv6 address as its /64 ("2001:db8:1:2::/64": one customer's whole
 * network), "unknown" when there is none or it does not parse.
 */
const char *throttle_address(struct arena *a, const char *remote_addr);

#endif
