/* Authentication for handoffd: password login with sessions for people, bearer tokens for
 * machines, and the rate limits around them.
 *
 * - Passwords are argon2id hashes (libsodium crypto_pwhash_str, interactive limits: about
 *   64 MiB and tens of milliseconds each). At most `hash_slots` hashes run at once; a login
 *   that cannot get a slot within a second is answered 503 with Retry-After, so a burst of
 *   logins cannot starve the worker pool or the memory.
 * - The lockout: login attempts are counted per account and per client address (an IPv6
 *   address by its /64, which one client holds whole) in fixed windows of 15 minutes; the
 *   6th attempt on an account and the 21st from an address within a window get 429 without
 *   the password being looked at. The counters live in the store (login_attempt_add),
 *   keyed by a BLAKE2b-256 digest of the full account or address: no other key can land
 *   on a victim's counter and reset it, and several servers sharing PostgreSQL share the
 *   counters. An attempt is counted *before* its password is checked, so concurrent
 *   guesses cannot all slip in under the limit; a successful login then clears the
 *   account's counter and takes its attempt back from the address. The table is bounded
 *   (LOGIN_COUNTERS_MAX keys); when it is full of live counters the store refuses to
 *   count a new key, and the login is refused (503) rather than left uncounted.
 * - Sessions: a random 256-bit id in an HttpOnly, SameSite=Strict cookie; the store keeps
 *   only its BLAKE2b hash. Each session has a CSRF token that unsafe requests must echo in
 *   X-CSRF-Token (compared in constant time), and the credential tag of the password it was
 *   opened with (a BLAKE2b digest of the user id and password hash): every request compares
 *   it with the user's current password, so changing a password ends every session opened
 *   before, whoever changed it and through whichever server or command. A disabled account
 *   ends its sessions and tokens at the next request (the user row is read per request).
 * - API tokens `hf_<prefix>_<secret>`: the store keeps the prefix and an argon2id hash of
 *   the secret. Verifying argon2id on every request would cost tens of milliseconds, so a
 *   successful verification is remembered in memory as (token id, BLAKE2b of the secret),
 *   and the principal a token stands for is cached for one second (PRINCIPAL_TTL_MS). A
 *   revocation or a user change made through this process clears that cache at once; one
 *   made elsewhere (the CLI, another server) takes effect within that second: the bound on
 *   a revoked token or a disabled account still being honoured by another instance. */
#include "server/server.h"

#include "handoff/credentials.h"
#include "handoff/document.h"
#include "server/parse.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define SESSION_SECONDS (8 * 3600)
#define WINDOW_SECONDS (15 * 60)
#define MAX_FAIL_ACCOUNT 5
#define MAX_FAIL_ADDRESS 20
/* Keys the lockout tracks at most (about 100 bytes each in the store). Filling it with
 * live counters takes 5,000 addresses each spending its 20 attempts within 15 minutes. */
#define LOGIN_COUNTERS_MAX 100000

static sem_t g_hash_slots;
/* A hash of a random password, verified against when the e-mail has no account, so the
 * answer takes as long as for a real one. */
static char g_dummy_hash[128];

/* ---- small fixed-size tables, guarded by one mutex each ---- */

#define TABLE_SIZE 4096

typedef struct bucket {
    char ip[64];
    double tokens;
    int64_t last_ms;
} bucket;

static bucket g_rate[TABLE_SIZE];
static pthread_mutex_t g_rate_lock = PTHREAD_MUTEX_INITIALIZER;

/* A verified token: its id, the BLAKE2b digest of the secret, and for one second the
 * principal it stands for, so a busy client costs no database read per request. Revoking a
 * token or changing a user in this process clears the cache at once; another process sees
 * the change within that second. */
#define PRINCIPAL_TTL_MS 1000
typedef struct verified {
    int64_t token_id;
    unsigned char digest[32];
    int64_t until_ms;
    hf_principal who;
} verified;

static verified g_verified[TABLE_SIZE];
static pthread_mutex_t g_verified_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t slot_of(const char *key)
{
    unsigned char h[8];
    crypto_generichash(h, sizeof(h), (const unsigned char *)key, strlen(key), NULL, 0);
    uint64_t v;
    memcpy(&v, h, sizeof(v));
    return (size_t)(v % TABLE_SIZE);
}

static void random_b64(char *out, size_t outcap, size_t nbytes);

void hf_auth_init(unsigned hash_slots)
{
    sem_init(&g_hash_slots, 0, hash_slots ? hash_slots : 1);
    /* The dummy is written, not computed: an argon2id string with the parameters of a
     * real hash (crypto_pwhash_str's interactive limits), a random salt and random hash
     * bytes, so verifying against it costs what a real verification costs and always
     * fails. Computing it at start-up took 64 MiB for nothing (the peak RSS of handoffd
     * was 75 MB before the first request). */
    unsigned char salt[16], tag[32];
    char salt64[32], tag64[64];
    randombytes_buf(salt, sizeof(salt));
    randombytes_buf(tag, sizeof(tag));
    sodium_bin2base64(salt64, sizeof(salt64), salt, sizeof(salt),
                      sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    sodium_bin2base64(tag64, sizeof(tag64), tag, sizeof(tag),
                      sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
    snprintf(g_dummy_hash, sizeof(g_dummy_hash), "$argon2id$v=19$m=%llu,t=%llu,p=1$%s$%s",
             (unsigned long long)(crypto_pwhash_MEMLIMIT_INTERACTIVE / 1024),
             (unsigned long long)crypto_pwhash_OPSLIMIT_INTERACTIVE, salt64, tag64);
}

void hf_auth_shutdown(void)
{
    sem_destroy(&g_hash_slots);
}

static int64_t wall_now(void)
{
    return (int64_t)hf_clock_now();
}

/* Take a hashing slot, waiting at most a second. */
static bool take_slot(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 1;
    return sem_timedwait(&g_hash_slots, &ts) == 0;
}

int hf_auth_hash_password(const char *password, char out[128])
{
    if (!take_slot())
        return -1;
    int rc = hf_password_hash(password, out);
    sem_post(&g_hash_slots);
    return rc;
}

/* 1 = match, 0 = no match, -1 = busy */
static int verify_slow(const char *hash, const char *secret)
{
    if (!take_slot())
        return -1;
    bool ok = hf_password_verify(hash, secret);
    sem_post(&g_hash_slots);
    return ok ? 1 : 0;
}

/* The client a per-address limit counts: an IPv4 address as it is, an IPv6 address by its
 * /64 prefix (a single subscriber is routinely given a whole /64, so counting addresses
 * within it would hand one client 2^64 budgets). */
static void client_of(const char *ip, char *out, size_t cap)
{
    struct in6_addr a6;
    char buf[INET6_ADDRSTRLEN];
    if (strchr(ip, ':') && inet_pton(AF_INET6, ip, &a6) == 1) {
        /* an IPv4 client on a dual-stack socket is still one IPv4 address */
        if (IN6_IS_ADDR_V4MAPPED(&a6) && inet_ntop(AF_INET, a6.s6_addr + 12, buf, sizeof(buf))) {
            snprintf(out, cap, "%s", buf);
            return;
        }
        memset(a6.s6_addr + 8, 0, 8);
        if (inet_ntop(AF_INET6, &a6, buf, sizeof(buf))) {
            snprintf(out, cap, "%s/64", buf);
            return;
        }
    }
    snprintf(out, cap, "%s", ip);
}

bool hf_rate_allow(const char *addr, int64_t now_ms)
{
    unsigned rate = hf_server_cfg()->rate_per_ip;
    if (rate == 0)
        return true;
    bool ok;
    char ip[64];
    client_of(addr, ip, sizeof(ip));
    size_t i = slot_of(ip);
    pthread_mutex_lock(&g_rate_lock);
    bucket *b = &g_rate[i];
    if (strcmp(b->ip, ip) != 0) {
        /* a new address takes the slot over with a full bucket */
        snprintf(b->ip, sizeof(b->ip), "%s", ip);
        b->tokens = 2.0 * rate;
        b->last_ms = now_ms;
    }
    b->tokens += (double)(now_ms - b->last_ms) * rate / 1000.0;
    if (b->tokens > 2.0 * rate)
        b->tokens = 2.0 * rate;
    b->last_ms = now_ms;
    ok = b->tokens >= 1.0;
    if (ok)
        b->tokens -= 1.0;
    pthread_mutex_unlock(&g_rate_lock);
    return ok;
}

static void hex_hash(const char *in, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof(h), (const unsigned char *)in, strlen(in), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof(h));
}

/* ---- the lockout ---- */

/* The store key of a lockout counter: the BLAKE2b-256 digest, in hex, of the kind and the
 * full value. A digest rather than the value, so that the table never holds what people
 * typed into the e-mail field (passwords, now and then); 256 bits, so that no two keys
 * share a counter. An account is its e-mail in ASCII lower case, as the store keeps it. */
static void attempt_key(const char *kind, const char *value, char out[65])
{
    char buf[320];
    size_t n = (size_t)snprintf(buf, sizeof(buf), "%s\n", kind);
    for (const char *p = value; *p && n + 1 < sizeof(buf); p++)
        buf[n++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
    buf[n < sizeof(buf) ? n : sizeof(buf) - 1] = '\0';
    hex_hash(buf, out);
}

typedef enum attempt_verdict {
    ATTEMPT_OK,     /* counted, under the limit: check the password */
    ATTEMPT_LOCKED, /* over the limit: 429 */
    ATTEMPT_FULL,   /* the store could not count it (full, or down): 503 */
} attempt_verdict;

/* Count one attempt of `key` and say whether it may go on. */
static attempt_verdict count_attempt(hf_store *s, const char *key, int limit, int64_t now)
{
    int n = 0;
    hf_error err;
    if (hf_store_login_attempt_add(s, key, now, WINDOW_SECONDS, LOGIN_COUNTERS_MAX, &n, &err)) {
        fprintf(stderr, "handoffd: login attempt not counted, login refused: %s\n", err.msg);
        return ATTEMPT_FULL;
    }
    return n > limit ? ATTEMPT_LOCKED : ATTEMPT_OK;
}

static void release_attempt(hf_store *s, const char *key, bool all)
{
    hf_error err;
    if (hf_store_login_attempt_release(s, key, all, &err))
        fprintf(stderr, "handoffd: login attempt not released: %s\n", err.msg);
}

/* The credential tag of a session (hf_session_rec.credential_tag): 32 hex digits of a
 * BLAKE2b-128 digest of the user id and the password hash, which changes with every new
 * password (argon2id hashes are salted) and says nothing about the password itself. */
static void credential_tag(const hf_user_rec *u, char out[33])
{
    char buf[64];
    unsigned char h[16];
    crypto_generichash_state st;
    snprintf(buf, sizeof(buf), "%lld\n", (long long)u->id);
    crypto_generichash_init(&st, NULL, 0, sizeof(h));
    crypto_generichash_update(&st, (const unsigned char *)buf, strlen(buf));
    if (u->password_hash)
        crypto_generichash_update(&st, (const unsigned char *)u->password_hash,
                                  strlen(u->password_hash));
    crypto_generichash_final(&st, h, sizeof(h));
    sodium_bin2hex(out, 33, h, sizeof(h));
}

static void random_b64(char *out, size_t outcap, size_t nbytes)
{
    hf_random_string(out, (int)outcap, (int)nbytes);
}

int hf_auth_make_token(char token_out[96], hf_token_rec *rec)
{
    char prefix[HF_TOKEN_PREFIX_LEN + 1], hash[HF_HASH_MAX];
    if (!take_slot())
        return -1;
    int rc = hf_token_generate(token_out, prefix, hash);
    sem_post(&g_hash_slots);
    if (rc)
        return -1;
    rec->prefix = strdup(prefix);
    rec->secret_hash = strdup(hash);
    return rec->prefix && rec->secret_hash ? 0 : -1;
}

/* Fill `who` from the user row; -1 when the user is missing or disabled. With `tag`, also
 * the user's current credential tag. */
static int load_principal(hf_store *s, int64_t ws, int64_t user_id, hf_principal *who, char tag[33])
{
    hf_user_rec u;
    hf_error err;
    if (hf_store_user_get(s, ws, user_id, NULL, &u, &err))
        return -1;
    int rc = u.active ? 0 : -1;
    if (tag)
        credential_tag(&u, tag);
    who->authenticated = rc == 0;
    who->user_id = u.id;
    who->workspace_id = u.workspace_id;
    who->role = u.role;
    who->team_id = u.team_id;
    snprintf(who->email, sizeof(who->email), "%s", u.email ? u.email : "");
    snprintf(who->name, sizeof(who->name), "%s", u.name ? u.name : "");
    snprintf(who->lang, sizeof(who->lang), "%s", u.lang ? u.lang : "");
    hf_user_rec_free(&u);
    return rc;
}

static const char *cookie_value(const hf_req *req, const char *name, char *buf, size_t cap)
{
    return hf_http_cookie(hf_req_header(req, "Cookie"), name, buf, cap);
}

static int unauthorized(hf_resp *resp, const char *detail)
{
    hf_resp_problem(resp, 401, "Unauthorized", detail, NULL);
    return -1;
}

static bool is_unsafe(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
           strcmp(method, "OPTIONS") != 0;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void hf_auth_forget(void)
{
    pthread_mutex_lock(&g_verified_lock);
    for (size_t i = 0; i < TABLE_SIZE; i++)
        g_verified[i].until_ms = 0;
    pthread_mutex_unlock(&g_verified_lock);
}

/* The cached principal of a token digest still within its second, or false. */
static bool cached_principal(const unsigned char digest[32], hf_principal *who)
{
    uint64_t v;
    memcpy(&v, digest, sizeof(v));
    size_t slot = (size_t)(v % TABLE_SIZE);
    bool hit = false;
    int64_t now = mono_ms();
    pthread_mutex_lock(&g_verified_lock);
    verified *e = &g_verified[slot];
    if (e->until_ms > now && sodium_memcmp(e->digest, digest, 32) == 0) {
        *who = e->who;
        hit = true;
    }
    pthread_mutex_unlock(&g_verified_lock);
    return hit;
}

static void remember_principal(const unsigned char digest[32], const hf_principal *who)
{
    uint64_t v;
    memcpy(&v, digest, sizeof(v));
    size_t slot = (size_t)(v % TABLE_SIZE);
    pthread_mutex_lock(&g_verified_lock);
    verified *e = &g_verified[slot];
    memcpy(e->digest, digest, 32);
    e->token_id = -1; /* this slot now caches a principal, keyed by the digest */
    e->who = *who;
    e->until_ms = mono_ms() + PRINCIPAL_TTL_MS;
    pthread_mutex_unlock(&g_verified_lock);
}

/* separate table: verified secrets by token id (argon2id done once per token) */
static verified g_secret_ok[TABLE_SIZE];

static int identify_token(hf_req *req, hf_resp *resp, hf_store *s, const char *token)
{
    unsigned char full[32];
    crypto_generichash(full, sizeof(full), (const unsigned char *)token, strlen(token), NULL, 0);
    if (cached_principal(full, &req->who))
        return 0;
    char prefix[HF_TOKEN_PREFIX_LEN + 1];
    const char *secret;
    if (!hf_token_split(token, prefix, &secret))
        return unauthorized(resp, "malformed bearer token");
    hf_token_rec t;
    hf_error err;
    if (hf_store_token_get(s, prefix, &t, &err))
        return unauthorized(resp, "unknown or revoked token");
    int64_t now = wall_now();
    int rc = 0;
    if (t.revoked_at != HF_TIME_NONE || (t.expires_at != HF_TIME_NONE && t.expires_at <= now)) {
        rc = unauthorized(resp, "unknown or revoked token");
        goto out;
    }
    unsigned char digest[32];
    crypto_generichash(digest, sizeof(digest), (const unsigned char *)secret, strlen(secret), NULL,
                       0);
    size_t slot = (size_t)((uint64_t)t.id % TABLE_SIZE);
    bool known = false;
    pthread_mutex_lock(&g_verified_lock);
    known = g_secret_ok[slot].token_id == t.id &&
            sodium_memcmp(g_secret_ok[slot].digest, digest, sizeof(digest)) == 0;
    pthread_mutex_unlock(&g_verified_lock);
    if (!known) {
        int ok = verify_slow(t.secret_hash, secret);
        if (ok < 0) {
            hf_resp_problem(resp, 503, "Service Unavailable", "too many logins at once", NULL);
            resp->retry_after = 1;
            rc = -1;
            goto out;
        }
        if (!ok) {
            rc = unauthorized(resp, "unknown or revoked token");
            goto out;
        }
        pthread_mutex_lock(&g_verified_lock);
        g_secret_ok[slot].token_id = t.id;
        memcpy(g_secret_ok[slot].digest, digest, sizeof(digest));
        pthread_mutex_unlock(&g_verified_lock);
    }
    if (load_principal(s, t.workspace_id, t.user_id, &req->who, NULL)) {
        rc = unauthorized(resp, "the token's user is disabled");
        goto out;
    }
    req->who.via_token = true;
    snprintf(req->who.scopes, sizeof(req->who.scopes), "%s", t.scopes ? t.scopes : "");
    remember_principal(full, &req->who);
out:
    hf_token_rec_free(&t);
    return rc;
}

int hf_auth_identify(hf_req *req, hf_resp *resp)
{
    hf_store *s = hf_server_store();
    if (!s) {
        hf_resp_problem(resp, 503, "Service Unavailable", "the database is not reachable", NULL);
        return -1;
    }
    const char *authz = hf_req_header(req, "Authorization");
    if (authz) {
        if (strncasecmp(authz, "Bearer ", 7) != 0)
            return unauthorized(resp, "expected 'Authorization: Bearer TOKEN'");
        return identify_token(req, resp, s, authz + 7);
    }
    char sid[128];
    if (!cookie_value(req, "hf_session", sid, sizeof(sid)))
        return unauthorized(resp, "log in (POST /api/v1/session) or send a bearer token");
    char idh[65];
    hex_hash(sid, idh);
    hf_session_rec sess;
    hf_error err;
    if (hf_store_session_get(s, idh, &sess, &err))
        return unauthorized(resp, "the session has ended; log in again");
    int rc = 0;
    if (sess.expires_at <= wall_now()) {
        rc = unauthorized(resp, "the session has ended; log in again");
        goto out;
    }
    char tag[33];
    if (load_principal(s, sess.workspace_id, sess.user_id, &req->who, tag)) {
        rc = unauthorized(resp, "the account is disabled");
        goto out;
    }
    if (!sess.credential_tag || strlen(sess.credential_tag) != 32 ||
        sodium_memcmp(sess.credential_tag, tag, 32) != 0) {
        /* opened before the password changed (or before sessions had tags): it is over */
        hf_store_session_delete(s, idh, &err);
        memset(&req->who, 0, sizeof(req->who));
        rc = unauthorized(resp, "the password changed since this session began; log in again");
        goto out;
    }
    snprintf(req->who.scopes, sizeof(req->who.scopes), "read write gate");
    snprintf(req->who.csrf, sizeof(req->who.csrf), "%s", sess.csrf);
    if (is_unsafe(req->method)) {
        const char *sent = hf_req_header(req, "X-CSRF-Token");
        size_t n = strlen(sess.csrf);
        if (!sent || strlen(sent) != n || sodium_memcmp(sent, sess.csrf, n) != 0) {
            hf_resp_problem(resp, 403, "Forbidden",
                            "missing or wrong X-CSRF-Token for a session request", NULL);
            memset(&req->who, 0, sizeof(req->who));
            rc = -1;
        }
    }
out:
    hf_session_rec_free(&sess);
    return rc;
}

int hf_auth_start_session(hf_req *req, const char *email, const char *password, hf_resp *resp,
                          hf_principal *who)
{
    hf_store *s = hf_server_store();
    int64_t now = wall_now();
    char account_key[65], address_key[65], client[80];
    hf_user_rec u;
    hf_error err;
    int status = 0;
    memset(&u, 0, sizeof(u));
    if (!s)
        return 503;
    client_of(req->client_ip, client, sizeof(client));
    attempt_key("address", client, address_key);
    attempt_key("account", email, account_key);
    /* the address first: a locked-out address adds no counter for the accounts it tries */
    attempt_verdict v = count_attempt(s, address_key, MAX_FAIL_ADDRESS, now);
    if (v == ATTEMPT_OK)
        v = count_attempt(s, account_key, MAX_FAIL_ACCOUNT, now);
    if (v == ATTEMPT_LOCKED) {
        resp->retry_after = WINDOW_SECONDS;
        return 429;
    }
    if (v == ATTEMPT_FULL) {
        /* logins are paused: too many failed logins at once */
        resp->retry_after = 60;
        return 503;
    }
    int found = hf_store_user_get(s, 1, 0, email, &u, &err) == 0;
    /* without an account, verify against the dummy hash: timing does not tell which
     * e-mail addresses have accounts */
    int ok = verify_slow(found && u.password_hash ? u.password_hash : g_dummy_hash, password);
    if (ok < 0) {
        /* not a guess: the password was not looked at */
        release_attempt(s, account_key, false);
        release_attempt(s, address_key, false);
        resp->retry_after = 1;
        status = 503;
        goto out;
    }
    if (!ok || !found || !u.active) {
        /* both attempts stay counted */
        status = 401;
        goto out;
    }
    release_attempt(s, account_key, true);
    release_attempt(s, address_key, false);
    char sid[64], csrf[64], idh[65], tag[33];
    random_b64(sid, sizeof(sid), 32);
    random_b64(csrf, sizeof(csrf), 24);
    hex_hash(sid, idh);
    credential_tag(&u, tag);
    hf_session_rec sess = {idh, u.id, u.workspace_id, csrf, now, now + SESSION_SECONDS, tag};
    if (hf_store_session_create(s, &sess, &err)) {
        status = 500;
        goto out;
    }
    snprintf(resp->set_cookie, sizeof(resp->set_cookie),
             "hf_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", sid, SESSION_SECONDS,
             hf_server_cfg()->secure_cookies ? "; Secure" : "");
    memset(who, 0, sizeof(*who));
    who->authenticated = true;
    who->user_id = u.id;
    who->workspace_id = u.workspace_id;
    who->role = u.role;
    who->team_id = u.team_id;
    snprintf(who->email, sizeof(who->email), "%s", u.email ? u.email : "");
    snprintf(who->name, sizeof(who->name), "%s", u.name ? u.name : "");
    snprintf(who->scopes, sizeof(who->scopes), "read write gate");
    snprintf(who->csrf, sizeof(who->csrf), "%s", csrf);
    snprintf(who->lang, sizeof(who->lang), "%s", u.lang ? u.lang : "");
out:
    hf_user_rec_free(&u);
    return status;
}

int hf_auth_login(hf_req *req, hf_resp *resp)
{
    json_error_t je;
    /* JSON only: a cross-site form (text/plain, urlencoded) cannot log anyone in */
    if (!hf_media_type_is(hf_req_header(req, "Content-Type"), "application/json"))
        return hf_resp_problem(resp, 415, "Unsupported Media Type", "send application/json", NULL);
    json_t *body = hf_json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!body) {
        char detail[256];
        snprintf(detail, sizeof(detail), "invalid JSON at line %d, column %d: %s", je.line,
                 je.column, je.text);
        return hf_resp_problem(resp, 400, "Bad Request", detail, "body");
    }
    const char *email = json_string_value(json_object_get(body, "email"));
    const char *password = json_string_value(json_object_get(body, "password"));
    hf_principal who;
    if (!email || !password || strlen(email) > 200 || strlen(password) > 1024) {
        hf_resp_problem(resp, 422, "Unprocessable Content",
                        "expected {\"email\": ..., \"password\": ...}", NULL);
        goto out;
    }
    switch (hf_auth_start_session(req, email, password, resp, &who)) {
    case 0: {
        json_t *o = json_object();
        json_object_set_new(o, "user_id", json_integer(who.user_id));
        json_object_set_new(o, "role", json_string(hf_role_name(who.role)));
        json_object_set_new(o, "csrf_token", json_string(who.csrf));
        hf_resp_json(resp, 201, o);
        break;
    }
    case 401:
        hf_resp_problem(resp, 401, "Unauthorized", "wrong e-mail or password", NULL);
        break;
    case 429:
        hf_resp_problem(resp, 429, "Too Many Requests",
                        "too many failed logins; try again in 15 minutes", NULL);
        break;
    case 503:
        hf_resp_problem(resp, 503, "Service Unavailable",
                        resp->retry_after == 60
                            ? "logins are paused: too many failed logins at once; retry later"
                        : resp->retry_after ? "too many logins at once"
                                            : "the database is not reachable",
                        NULL);
        break;
    default:
        hf_resp_problem(resp, 503, "Service Unavailable", "cannot create the session", NULL);
    }
out:
    json_decref(body);
    return 0;
}

int hf_auth_user_changed(hf_store *s, int64_t ws, int64_t user_id, hf_error *err)
{
    hf_auth_forget();
    return hf_store_session_delete_user(s, ws, user_id, err);
}

int hf_auth_logout(hf_req *req, hf_resp *resp)
{
    char sid[128], idh[65];
    hf_store *s = hf_server_store();
    hf_error err;
    if (s && cookie_value(req, "hf_session", sid, sizeof(sid))) {
        hex_hash(sid, idh);
        hf_store_session_delete(s, idh, &err);
    }
    snprintf(resp->set_cookie, sizeof(resp->set_cookie),
             "hf_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0%s",
             hf_server_cfg()->secure_cookies ? "; Secure" : "");
    resp->status = 204;
    return 0;
}
