/* Password and token hashing on libsodium (see credentials.h). */
#include "handoff/credentials.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
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

/* ---- sealed secrets ---- */

void hf_secret_fingerprint(const unsigned char key[HF_SECRET_KEY_BYTES],
                           char out[HF_SECRET_FINGERPRINT_MAX])
{
    unsigned char h[8];
    static const unsigned char label[] = "handoff secret key fingerprint";
    hf_credentials_init();
    crypto_generichash(h, sizeof(h), label, sizeof(label) - 1, key, HF_SECRET_KEY_BYTES);
    sodium_bin2hex(out, HF_SECRET_FINGERPRINT_MAX, h, sizeof(h));
}

static void derive(const unsigned char key[HF_SECRET_KEY_BYTES], const char *context,
                   unsigned char sub[crypto_secretbox_KEYBYTES])
{
    crypto_generichash(sub, crypto_secretbox_KEYBYTES, (const unsigned char *)context,
                       strlen(context), key, HF_SECRET_KEY_BYTES);
}

char *hf_secret_seal(const unsigned char key[HF_SECRET_KEY_BYTES], const char *context,
                     const char *plain)
{
    if (hf_credentials_init() || !context || !plain)
        return NULL;
    size_t n = strlen(plain);
    size_t blob_len = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
    unsigned char *blob = malloc(blob_len);
    size_t b64_len = sodium_base64_encoded_len(blob_len, sodium_base64_VARIANT_ORIGINAL);
    char *out = malloc(4 + HF_SECRET_FINGERPRINT_MAX + 1 + b64_len);
    if (!blob || !out) {
        free(blob);
        free(out);
        return NULL;
    }
    unsigned char sub[crypto_secretbox_KEYBYTES];
    derive(key, context, sub);
    randombytes_buf(blob, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(blob + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, n, blob,
                          sub);
    sodium_memzero(sub, sizeof(sub));
    char fp[HF_SECRET_FINGERPRINT_MAX];
    hf_secret_fingerprint(key, fp);
    int k = snprintf(out, 4 + HF_SECRET_FINGERPRINT_MAX + 1, "sb1:%s:", fp);
    sodium_bin2base64(out + k, b64_len, blob, blob_len, sodium_base64_VARIANT_ORIGINAL);
    free(blob);
    return out;
}

int hf_secret_open(const unsigned char key[HF_SECRET_KEY_BYTES], const char *context,
                   const char *sealed, char **plain)
{
    *plain = NULL;
    if (hf_credentials_init() || !context || !sealed || strncmp(sealed, "sb1:", 4) != 0 ||
        strlen(sealed) < 4 + 16 + 1 || sealed[4 + 16] != ':')
        return -1;
    char fp[HF_SECRET_FINGERPRINT_MAX];
    hf_secret_fingerprint(key, fp);
    if (memcmp(sealed + 4, fp, 16) != 0)
        return -2;
    const char *b64 = sealed + 4 + 16 + 1;
    size_t max = strlen(b64);
    unsigned char *blob = malloc(max + 1);
    size_t blob_len = 0;
    if (!blob)
        return -1;
    if (sodium_base642bin(blob, max + 1, b64, max, NULL, &blob_len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        blob_len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
        free(blob);
        return -1;
    }
    size_t n = blob_len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    char *out = malloc(n + 1);
    unsigned char sub[crypto_secretbox_KEYBYTES];
    derive(key, context, sub);
    int rc =
        out && crypto_secretbox_open_easy((unsigned char *)out, blob + crypto_secretbox_NONCEBYTES,
                                          blob_len - crypto_secretbox_NONCEBYTES, blob, sub) == 0
            ? 0
            : -2;
    sodium_memzero(sub, sizeof(sub));
    free(blob);
    if (rc) {
        bool allocated = out != NULL;
        free(out);
        return allocated ? rc : -1;
    }
    out[n] = '\0';
    if (strlen(out) != n) {
        hf_secret_free(out);
        return -1;
    }
    *plain = out;
    return 0;
}

void hf_secret_free(char *s)
{
    if (!s)
        return;
    sodium_memzero(s, strlen(s));
    free(s);
}
