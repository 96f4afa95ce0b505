/* The demo generator's random source: xoshiro256** streams seeded through splitmix64, and
 * the draws the generator is made of (a unit double, an integer in a range, an index, a
 * chance, a weighted choice). Each deal and each purpose has its own stream
 * (hf__demo_stream_seed), so a deal's draws never depend on the other deals; the only
 * floating point is an exact scaling of 53 random bits, so every machine draws the same. */
#include "demo/demo_int.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void hf__demo_rng_seed(rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t hf__demo_rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl64(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return result;
}

/* Uniform in [0, 1). */
double hf__demo_rng_unit(rng *r)
{
    return (double)(hf__demo_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform integer in [lo, hi]. */
int hf__demo_rng_int(rng *r, int lo, int hi)
{
    return lo + (int)(hf__demo_rng_unit(r) * (double)(hi - lo + 1));
}

size_t hf__demo_rng_index(rng *r, size_t n)
{
    return (size_t)(hf__demo_rng_unit(r) * (double)n);
}

bool hf__demo_rng_chance(rng *r, double p)
{
    return hf__demo_rng_unit(r) < p;
}

/* Index drawn with the given (non-negative) weights; 0 when they are all zero. */
int hf__demo_rng_weighted(rng *r, const double *w, int n)
{
    double total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    if (total <= 0)
        return 0;
    double x = hf__demo_rng_unit(r) * total;
    for (int i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

/* A seed for stream `k` of the run seeded with `seed`. */
uint64_t hf__demo_stream_seed(uint64_t seed, uint64_t k, uint64_t salt)
{
    uint64_t x = seed ^ rotl64(k * 0xD1B54A32D192ED03ull, 17) ^ salt;
    splitmix64(&x);
    return splitmix64(&x);
}
