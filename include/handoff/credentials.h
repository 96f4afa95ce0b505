/* Secrets: password hashes and API tokens. Only slow hashes are ever stored.
 *
 * Passwords and token secrets are hashed with argon2id (libsodium crypto_pwhash_str,
 * interactive limits: about 64 MiB and tens of milliseconds). Tokens look like
 * `hf_<12 hex prefix>_<43 base64url secret>`: the prefix finds the row, the secret is
 * checked against its hash. The caller of these functions limits how many run at once
 * (the server allows two). */
#ifndef HANDOFF_CREDENTIALS_H
#define HANDOFF_CREDENTIALS_H

#include <stdbool.h>

#define HF_HASH_MAX 128
#define HF_TOKEN_MAX 96
#define HF_TOKEN_PREFIX_LEN 12

/* Initialize libsodium; safe to call many times. Returns 0, or -1 when it cannot start. */
int hf_credentials_init(void);

/* argon2id hash of `password` into out. Returns 0, or -1 (out of memory). */
int hf_password_hash(const char *password, char out[HF_HASH_MAX]);

/* True when `password` matches `hash` (constant time in the comparison). */
bool hf_password_verify(const char *hash, const char *password);

/* A new token: the full token (shown to the user once), its prefix and the hash of its
 * secret (what the store keeps). Returns 0 or -1. */
int hf_token_generate(char token[HF_TOKEN_MAX], char prefix[HF_TOKEN_PREFIX_LEN + 1],
                      char hash[HF_HASH_MAX]);

/* Split a token into prefix and secret (pointer into `token`). False when malformed: not
 * `hf_`, 12 lower-case hex digits, `_`, then 1 to 64 base64url characters. */
bool hf_token_split(const char *token, char prefix[HF_TOKEN_PREFIX_LEN + 1], const char **secret);

/* A random URL-safe string of `nbytes` random bytes (out needs 4/3 nbytes + 1). */
void hf_random_string(char *out, int outcap, int nbytes);

#endif
