#include "auth/device.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth/secret.h"
#include "auth/token.h"
#include "util/arena.h"

#define NONCE_BYTES 16
#define NONCE_LEN 22   /* base64url of 16 bytes, unpadded */

/* The MAC of "<shop>.<id part>" in base64url, 43 characters. */
static bool
mac_of(const struct config *cfg, long long shop_id, const char *id, size_t id_len,
    char out[TOKEN_LEN + 1])
{
	unsigned char key[SECRET_KEY_LEN], mac[32];
	crypto_generichash_state st;
	char shop[24];
	int n;

	if (!secret_subkey(cfg, SECRET_DEVICE_COOKIE, key))
		return false;
	n = snprintf(shop, sizeof(shop), "%lld.", shop_id);
	crypto_generichash_init(&st, key, sizeof(key), sizeof(mac));
	crypto_generichash_update(&st, (const unsigned char *)shop, (size_t)n);
	crypto_generichash_update(&st, (const unsigned char *)id, id_len);
	crypto_generichash_final(&st, mac, sizeof(mac));
	sodium_memzero(key, sizeof(key));
	sodium_bin2base64(out, TOKEN_LEN + 1, mac, sizeof(mac),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return true;
}

bool
device_cookie_new(const struct config *cfg, long long shop_id, long long user_id,
    char out[DEVICE_COOKIE_MAX])
{
	unsigned char nonce[NONCE_BYTES];
	char nonce_text[NONCE_LEN + 1], mac[TOKEN_LEN + 1], id[48];
	int n;

	randombytes_buf(nonce, sizeof(nonce));
	sodium_bin2base64(nonce_text, sizeof(nonce_text), nonce, sizeof(nonce),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	n = snprintf(id, sizeof(id), "%lld.%s", user_id, nonce_text);
	if (n < 0 || (size_t)n >= sizeof(id) || !mac_of(cfg, shop_id, id, (size_t)n, mac))
		return false;
	n = snprintf(out, DEVICE_COOKIE_MAX, "%s.%s", id, mac);
	return n > 0 && n < DEVICE_COOKIE_MAX;
}

bool
device_cookie_check(const struct config *cfg, struct arena *a, long long shop_id,
    long long user_id, const char *cookie, const char **id)
{
	char want[TOKEN_LEN + 1], user[24];
	const char *dot;
	size_t id_len, ulen;

	if (!cookie || strlen(cookie) >= DEVICE_COOKIE_MAX)
		return false;
	dot = strrchr(cookie, '.');
	if (!dot || strlen(dot + 1) != TOKEN_LEN)
		return false;
	id_len = (size_t)(dot - cookie);
	ulen = (size_t)snprintf(user, sizeof(user), "%lld.", user_id);
	/* The cookie of another account of this browser counts for nothing. */
	if (id_len != ulen + NONCE_LEN || strncmp(cookie, user, ulen) != 0)
		return false;
	if (!mac_of(cfg, shop_id, cookie, id_len, want) || !token_equal(want, dot + 1))
		return false;
	*id = arena_strndup(a, cookie, id_len);
	return true;
}
