/* hook_sign: the webhook signatures of src/integrations/ as a command, so that reference
 * implementations in other languages can check ours and be checked by ours
 * (tests/cli/test_hook_peers.sh, tests/hooks-peers/peers.mjs). The body is read from
 * standard input, byte for byte. A test tool, not part of the product: messages are
 * English.
 *
 *   hook_sign hubspot-sign-v1 SECRET
 *   hook_sign hubspot-verify-v1 SECRET SIGNATURE
 *   hook_sign hubspot-sign-v2 SECRET METHOD URI
 *   hook_sign hubspot-verify-v2 SECRET METHOD URI SIGNATURE
 *   hook_sign hubspot-sign-v3 SECRET METHOD URI TIMESTAMP_MS
 *   hook_sign hubspot-verify-v3 SECRET METHOD URI TIMESTAMP_MS SIGNATURE NOW
 *   hook_sign standard-sign SECRET MSG_ID TIMESTAMP
 *   hook_sign standard-verify SECRET MSG_ID TIMESTAMP SIGNATURE NOW
 *   hook_sign hmac-base64 SECRET     (DocuSign Connect's X-DocuSign-Signature-N)
 *   hook_sign hmac-hex SECRET        (PandaDoc's ?signature=)
 *
 * The two hmac commands compute HMAC-SHA256 of the body with libsodium directly, apart
 * from src/integrations/, so that tests/integration/test_hooks.sh signs as the vendors
 * do rather than with the code under test.
 *
 * A sign command prints the signature; a verify command exits 0 when the signature is
 * valid and 1 (with the reason on standard error) when not. Usage errors exit 64. */
#include "handoff/hooks.h"

#include <sodium.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_body(size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, stdin);
        n += got;
        if (got == 0)
            break;
        if (n == cap) {
            if (cap > HF_HOOK_BODY_MAX)
                break;
            char *grown = realloc(buf, cap * 2);
            if (!grown) {
                free(buf);
                return NULL;
            }
            buf = grown;
            cap *= 2;
        }
    }
    *len = n;
    return buf;
}

static int number(const char *s, long long *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end)
        return -1;
    *out = v;
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: hook_sign hubspot-sign-v1|hubspot-verify-v1|hubspot-sign-v2|"
                    "hubspot-verify-v2|hubspot-sign-v3|hubspot-verify-v3|standard-sign|"
                    "standard-verify|hmac-base64|hmac-hex ARGS... < body\n");
    return 64;
}

/* verify result -> exit status */
static int verdict(int rc, const hf_error *err)
{
    if (rc == 0)
        return 0;
    fprintf(stderr, "hook_sign: %s%s%s\n", err->msg, err->path[0] ? " at " : "", err->path);
    return rc == HF_EUSAGE ? 64 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    const char *cmd = argv[1];
    size_t len = 0;
    char *body = read_body(&len);
    if (!body) {
        fprintf(stderr, "hook_sign: out of memory\n");
        return 1;
    }
    hf_error err;
    hf_error_clear(&err);
    int status = 64;
    long long a = 0, b = 0;
    char sig[HF_HOOK_STANDARD_SIG_MAX + HF_HOOK_SIG_HEX_MAX];

    if (strcmp(cmd, "hubspot-sign-v1") == 0 && argc == 3) {
        status = verdict(hf_hook_hubspot_sign_v1(argv[2], body, len, sig, &err), &err);
        if (status == 0)
            printf("%s\n", sig);
    } else if (strcmp(cmd, "hubspot-verify-v1") == 0 && argc == 4) {
        status = verdict(hf_hook_hubspot_verify_v1(argv[2], body, len, argv[3], &err), &err);
    } else if (strcmp(cmd, "hubspot-sign-v2") == 0 && argc == 5) {
        status =
            verdict(hf_hook_hubspot_sign_v2(argv[2], argv[3], argv[4], body, len, sig, &err), &err);
        if (status == 0)
            printf("%s\n", sig);
    } else if (strcmp(cmd, "hubspot-verify-v2") == 0 && argc == 6) {
        status = verdict(
            hf_hook_hubspot_verify_v2(argv[2], argv[3], argv[4], body, len, argv[5], &err), &err);
    } else if (strcmp(cmd, "hubspot-sign-v3") == 0 && argc == 6 && number(argv[5], &a) == 0) {
        status = verdict(
            hf_hook_hubspot_sign_v3(argv[2], argv[3], argv[4], body, len, a, sig, &err), &err);
        if (status == 0)
            printf("%s\n", sig);
    } else if (strcmp(cmd, "hubspot-verify-v3") == 0 && argc == 8 && number(argv[7], &b) == 0) {
        status = verdict(hf_hook_hubspot_verify_v3(argv[2], argv[3], argv[4], body, len, argv[5],
                                                   argv[6], (hf_time)b, &err),
                         &err);
    } else if (strcmp(cmd, "standard-sign") == 0 && argc == 5 && number(argv[4], &a) == 0) {
        status = verdict(hf_hook_standard_sign(argv[2], argv[3], (hf_time)a, body, len, sig, &err),
                         &err);
        if (status == 0)
            printf("%s\n", sig);
    } else if (strcmp(cmd, "standard-verify") == 0 && argc == 7 && number(argv[6], &b) == 0) {
        status = verdict(hf_hook_standard_verify(argv[2], argv[3], argv[4], argv[5], body, len,
                                                 (hf_time)b, &err),
                         &err);
    } else if ((strcmp(cmd, "hmac-base64") == 0 || strcmp(cmd, "hmac-hex") == 0) && argc == 3 &&
               sodium_init() >= 0) {
        unsigned char mac[crypto_auth_hmacsha256_BYTES];
        crypto_auth_hmacsha256_state st;
        crypto_auth_hmacsha256_init(&st, (const unsigned char *)argv[2], strlen(argv[2]));
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
        crypto_auth_hmacsha256_final(&st, mac);
        char out[2 * sizeof(mac) + 1];
        if (cmd[5] == 'b')
            sodium_bin2base64(out, sizeof(out), mac, sizeof(mac), sodium_base64_VARIANT_ORIGINAL);
        else
            sodium_bin2hex(out, sizeof(out), mac, sizeof(mac));
        printf("%s\n", out);
        status = 0;
    } else {
        status = usage();
    }
    free(body);
    return status;
}
