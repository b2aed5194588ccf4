/*
 * token: random secrets for cookies and forms, and their stored hashes.
 * A token is 256 random bits written in unpadded base64url (43 characters).
 */
#ifndef CPT_TOKEN_H
#define CPT_TOKEN_H

#include <stdbool.h>
#include <stddef.h>

#define TOKEN_LEN 43
#define TOKEN_HASH_LEN 32

void token_new(char out[TOKEN_LEN + 1]);
/* BLAKE2b-256 of the token text: what the database keeps. Unkeyed and
 * unsalted on purpose: a token is 256 random bits, so neither a guess list
 * nor a precomputed table can reach it from its hash (a key or salt only
 * helps secrets people choose, such as fixed API keys: shop/api_key.c). */
void token_hash(const char *token, unsigned char out[TOKEN_HASH_LEN]);
/* Is `s` shaped like a token (43 base64url characters)? */
bool token_valid(const char *s);
/* Constant-time comparison of two NUL-terminated strings. */
bool token_equal(const char *a, const char *b);

#endif
