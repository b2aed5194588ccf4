/*
 * secret: keys derived from the host's secret (security.key_file in
 * comptoir.yaml, 32 random bytes). Each purpose has its own subkey, so a
 * value made for one use (a device cookie's MAC) is worth nothing in
 * another (an API key's hash). Changing the secret voids every API key and
 * device cookie.
 */
#ifndef CPT_SECRET_H
#define CPT_SECRET_H

#include <stdbool.h>

struct config;

#define SECRET_KEY_LEN 32

/* Subkey ids of crypto_kdf; never renumber one, only add. */
enum secret_purpose {
	SECRET_API_KEYS = 1,        /* keyed BLAKE2b of API keys */
	SECRET_DEVICE_COOKIE = 2,   /* MAC of login device cookies */
	SECRET_PLUGIN_SECRETS = 3,  /* reserved: plugin settings kept secret */
};

/* Writes the subkey for `purpose`; false when the configuration has no
 * secret (security.key_file unset). */
bool secret_subkey(const struct config *cfg, enum secret_purpose purpose,
    unsigned char out[SECRET_KEY_LEN]);

#endif
