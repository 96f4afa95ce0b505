/* Password and token hashing on libsodium (see credentials.h). */
#include "handoff/credentials.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

int hf_credentials_init(void)
{
    return sodium_init() < 0 ? -1 : 0;
}

int hf_password_hash(const char *password, char out[HF_HASH_MAX])
{
    if (hf_credentials_init())
        return -1;
    return crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0
               ? 0
               : -1;
}

bool hf_password_verify(const char *hash, const char *password)
{
    if (!hash || !*hash || hf_credentials_init())
        return false;
    return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void hf_random_string(char *out, int outcap, int nbytes)
{
    unsigned char buf[64];
    if (nbytes > 64)
        nbytes = 64;
    hf_credentials_init();
    randombytes_buf(buf, (size_t)nbytes);
    sodium_bin2base64(out, (size_t)outcap, buf, (size_t)nbytes,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int hf_token_generate(char token[HF_TOKEN_MAX], char prefix[HF_TOKEN_PREFIX_LEN + 1],
                      char hash[HF_HASH_MAX])
{
    unsigned char p[HF_TOKEN_PREFIX_LEN / 2];
    char secret[64];
    if (hf_credentials_init())
        return -1;
    randombytes_buf(p, sizeof(p));
    sodium_bin2hex(prefix, HF_TOKEN_PREFIX_LEN + 1, p, sizeof(p));
    hf_random_string(secret, sizeof(secret), 32);
    if (hf_password_hash(secret, hash))
        return -1;
    snprintf(token, HF_TOKEN_MAX, "hf_%s_%s", prefix, secret);
    return 0;
}

bool hf_token_split(const char *token, char prefix[HF_TOKEN_PREFIX_LEN + 1], const char **secret)
{
    if (strncmp(token, "hf_", 3) != 0 || strlen(token) < 3 + HF_TOKEN_PREFIX_LEN + 2 ||
        token[3 + HF_TOKEN_PREFIX_LEN] != '_')
        return false;
    /* the shapes hf_token_generate makes: a lower-case hex prefix, a base64url secret of at
     * most 64 characters; anything else is no token and never reaches the database */
    for (int i = 0; i < HF_TOKEN_PREFIX_LEN; i++) {
        char c = token[3 + i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    const char *sec = token + 3 + HF_TOKEN_PREFIX_LEN + 1;
    size_t n = strspn(sec, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    if (n == 0 || n > 64 || sec[n] != '\0')
        return false;
    memcpy(prefix, token + 3, HF_TOKEN_PREFIX_LEN);
    prefix[HF_TOKEN_PREFIX_LEN] = '\0';
    *secret = token + 3 + HF_TOKEN_PREFIX_LEN + 1;
    return true;
}
