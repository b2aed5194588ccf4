#include "auth/secret.h"

#include <sodium.h>

#include "conf/conf.h"

/* crypto_kdf's context: 8 bytes, the same for every purpose of Comptoir. */
static const char kdf_context[crypto_kdf_CONTEXTBYTES + 1] = "comptoir";

_Static_assert(SECRET_KEY_LEN == crypto_kdf_KEYBYTES, "the host secret is a kdf key");

bool
secret_subkey(const struct config *cfg, enum secret_purpose purpose,
    unsigned char out[SECRET_KEY_LEN])
{
	if (!cfg || !cfg->security.key_set)
		return false;
	return crypto_kdf_derive_from_key(out, SECRET_KEY_LEN, (uint64_t)purpose,
	    kdf_context, cfg->security.key) == 0;
}
