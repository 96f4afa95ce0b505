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

/* ---- sealed secrets ----
 *
 * The secrets of an integration (a webhook signing secret, a CRM API token) must be usable
 * to compute an HMAC or to call an API, so they cannot be hashed: they are sealed with
 * libsodium's secretbox (XSalsa20-Poly1305) under a key of HF_SECRET_KEY_BYTES kept in a
 * key file outside the database (os.h: hf_key_file_read). The key used for one record is
 * derived from the file's key and a context (the integration's endpoint id) with keyed
 * BLAKE2b, so a sealed value copied onto another record does not open. Sealed text:
 * `sb1:` + the key's fingerprint (16 hex digits) + `:` + base64 of nonce and ciphertext. */
#define HF_SECRET_KEY_BYTES 32
#define HF_SECRET_FINGERPRINT_MAX 17

/* The public fingerprint of a key: 16 hex digits of a hash of it (names the key in
 * errors; reveals nothing of it). */
void hf_secret_fingerprint(const unsigned char key[HF_SECRET_KEY_BYTES],
                           char out[HF_SECRET_FINGERPRINT_MAX]);
/* Seal `plain` for `context`. Returns a new string (the caller frees it), or NULL when out
 * of memory. */
char *hf_secret_seal(const unsigned char key[HF_SECRET_KEY_BYTES], const char *context,
                     const char *plain);
/* Open a sealed value into *plain (a new string; the caller wipes and frees it). Returns 0;
 * -1 when the value is not sealed text; -2 when it was sealed with another key (see the
 * fingerprint) or for another context, or was altered. */
int hf_secret_open(const unsigned char key[HF_SECRET_KEY_BYTES], const char *context,
                   const char *sealed, char **plain);
/* Overwrite a string with zeros, then free it. NULL is fine. */
void hf_secret_free(char *s);

#endif
