/* The demo-data generator of demo.h: a year of deals and handoffs, written through the
 * same functions the CLI and the server use.
 *
 * Design. Generation runs in three passes so that it is deterministic, fast and true to
 * the rules:
 *
 * 1. Plan (pure, no store). Each deal gets its own PRNG stream (xoshiro256** seeded by
 *    splitmix64 from the run seed and the deal's number), a final status from a quota,
 *    a target quality band, a review path (accepted at once, or sent back and corrected,
 *    or rejected twice), and a T0. Its story is a set of *defects* — a missing economic
 *    buyer, a verbal promise nobody validated, a meeting held after the 48-hour SLA, a
 *    high risk without mitigation — chosen by evaluating the document it would end with
 *    (hf_evaluate, the real scoring) and adding defects until the score falls in the
 *    target band. Every event (documentation, submission, meeting, review, kickoff...)
 *    gets a time derived from T0 in the customer's local working hours, and T0 is moved
 *    back by whole weeks until every event the status needs lies before `now`.
 * 2. Order. Plans are sorted by T0, so handoff ids follow time, and CSMs are assigned in
 *    that order from their load at the time (one CSM drifts over capacity).
 * 3. Write, in batches of deals. A deal's document at any instant is a pure function of
 *    its plan and that instant (build_document), so each stored version is simply the
 *    document "as of" the event that wrote it. Writes that are not status changes are
 *    grouped in one transaction per batch round; hf_handoff_transition runs in its own.
 *
 * Floating point is limited to + - * / and sqrt (all exactly rounded), so the output does
 * not depend on the libm of the machine. */
#include "handoff/demo.h"

#include "handoff/document.h"
#include "handoff/handoffs.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
#define MINUTE ((hf_time)60)
#define HOUR ((hf_time)3600)
#define DAY ((hf_time)86400)
#define FOREVER INT64_MAX
#define VENDOR_DOMAIN "vendor.example"

/* ---- PRNG: xoshiro256**, seeded with splitmix64 ---- */

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng *r)
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
static double rng_unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform integer in [lo, hi]. */
static int rng_int(rng *r, int lo, int hi)
{
    return lo + (int)(rng_unit(r) * (double)(hi - lo + 1));
}

static size_t rng_index(rng *r, size_t n)
{
    return (size_t)(rng_unit(r) * (double)n);
}

static bool rng_chance(rng *r, double p)
{
    return rng_unit(r) < p;
}

/* Index drawn with the given (non-negative) weights; 0 when they are all zero. */
static int rng_weighted(rng *r, const double *w, int n)
{
    double total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    if (total <= 0)
        return 0;
    double x = rng_unit(r) * total;
    for (int i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

#define PICK(r, a) ((a)[rng_index((r), COUNT_OF(a))])

/* A seed for stream `k` of the run seeded with `seed`. */
static uint64_t stream_seed(uint64_t seed, uint64_t k, uint64_t salt)
{
    uint64_t x = seed ^ rotl64(k * 0xD1B54A32D192ED03ull, 17) ^ salt;
    splitmix64(&x);
    return splitmix64(&x);
}

/* ---- small string helpers ---- */

static void fmt(char *buf, size_t cap, const char *format, ...) __attribute__((format(printf, 3, 4)));
static void fmt(char *buf, size_t cap, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    vsnprintf(buf, cap, format, ap);
    va_end(ap);
}

/* `s` lower-cased with the Latin-1 accents folded to ASCII, for e-mail local parts. */
static void ascii_fold(const char *s, char *out, size_t cap)
{
    static const char latin1[] = "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n + 1 < cap; p++) {
        char c;
        if (*p == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF) {
            c = latin1[p[1] - 0x80];
            p++;
        } else if (*p >= 0x80) {
            continue;
        } else {
            c = (char)*p;
        }
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c == ' ')
            c = '.';
        if ((c >= 'a' && c <= 'z') || c == '.' || c == '-')
            out[n++] = c;
    }
    out[n] = '\0';
}

/* 1234567 -> "1,234,567" */
static void thousands(long long v, char *buf, size_t cap)
{
    char digits[32];
    fmt(digits, sizeof(digits), "%lld", v < 0 ? -v : v);
    size_t len = strlen(digits), n = 0;
    if (v < 0 && n + 1 < cap)
        buf[n++] = '-';
    for (size_t i = 0; i < len && n + 1 < cap; i++) {
        if (i > 0 && (len - i) % 3 == 0 && n + 1 < cap)
            buf[n++] = ',';
        buf[n++] = digits[i];
    }
    buf[n] = '\0';
}

/* 400000 -> "400k", 1200000 -> "1.2M" */
static void short_amount(long long v, char *buf, size_t cap)
{
    if (v >= 1000000)
        fmt(buf, cap, "%lld.%lldM", v / 1000000, (v % 1000000) / 100000);
    else
        fmt(buf, cap, "%lldk", v / 1000);
}

/* ---- calendar: the customers' zones, working hours ---- */

typedef enum zone {
    ZONE_NEW_YORK,
    ZONE_SAO_PAULO,
    ZONE_MEXICO_CITY,
    ZONE_BOGOTA,
    ZONE_MADRID,
    ZONE_JAKARTA
} zone;

/* Day number of the n-th Sunday of a month (n >= 1), or of the last one (n == 0). */
static int64_t sunday_of(int64_t y, unsigned m, int n)
{
    if (n > 0) {
        int64_t first = hf_days_from_civil(y, m, 1);
        return first + (7 - hf_weekday(first)) % 7 + 7 * (n - 1);
    }
    int64_t last = m == 12 ? hf_days_from_civil(y + 1, 1, 1) - 1 : hf_days_from_civil(y, m + 1, 1) - 1;
    return last - hf_weekday(last);
}

/* UTC offset in minutes. Brazil, Mexico, Colombia and Indonesia keep no DST; New York and
 * Madrid follow the US and EU rules. */
static int zone_offset(zone z, hf_time t)
{
    int64_t y;
    unsigned m, d;
    hf_civil_from_days(t / DAY, &y, &m, &d);
    switch (z) {
    case ZONE_NEW_YORK: {
        hf_time start = sunday_of(y, 3, 2) * DAY + 7 * HOUR;
        hf_time end = sunday_of(y, 11, 1) * DAY + 6 * HOUR;
        return t >= start && t < end ? -240 : -300;
    }
    case ZONE_MADRID: {
        hf_time start = sunday_of(y, 3, 0) * DAY + HOUR;
        hf_time end = sunday_of(y, 10, 0) * DAY + HOUR;
        return t >= start && t < end ? 120 : 60;
    }
    case ZONE_SAO_PAULO:
        return -180;
    case ZONE_MEXICO_CITY:
        return -360;
    case ZONE_BOGOTA:
        return -300;
    case ZONE_JAKARTA:
        return 420;
    }
    return 0;
}

/* RFC 3339 with the zone's offset: 2026-03-10T10:00:00-03:00. */
static const char *local_time(hf_time t, zone z, char buf[HF_TIME_BUFSZ])
{
    int off = zone_offset(z, t);
    hf_time_format_utc(t + off * MINUTE, buf);
    size_t n = strlen(buf);
    int a = off < 0 ? -off : off;
    fmt(buf + n - 1, HF_TIME_BUFSZ - (n - 1), "%c%02d:%02d", off < 0 ? '-' : '+', (a / 60) % 100,
        a % 60);
    return buf;
}

static const char *utc_time(hf_time t, char buf[HF_TIME_BUFSZ])
{
    return hf_time_format_utc(t, buf);
}

/* Local day number of `t`. */
static int64_t local_day(hf_time t, zone z)
{
    return (t + zone_offset(z, t) * MINUTE) / DAY;
}

/* The first instant at or after `t` within [from_h, to_h) local time on a weekday. When
 * `t` had to move, `jitter` minutes are added (people do not all start at 09:00:00). */
static hf_time working_time(hf_time t, zone z, int from_h, int to_h, int jitter)
{
    bool moved = false;
    for (int guard = 0; guard < 8; guard++) {
        hf_time off = zone_offset(z, t) * MINUTE;
        hf_time local = t + off;
        int64_t day = local / DAY;
        hf_time sec = local % DAY;
        int wd = hf_weekday(day);
        if (wd == 0 || wd == 6) {
            t = (day + (wd == 6 ? 2 : 1)) * DAY + from_h * HOUR - off;
        } else if (sec < from_h * HOUR) {
            t = day * DAY + from_h * HOUR - off;
        } else if (sec >= to_h * HOUR) {
            t = (day + 1) * DAY + from_h * HOUR - off;
        } else {
            return moved ? t + jitter * MINUTE : t;
        }
        moved = true;
    }
    return t;
}

/* A meeting slot: the next half hour at or after `t` between 09:00 and 17:00 on a weekday. */
static hf_time meeting_slot(hf_time t, zone z)
{
    hf_time half = 30 * MINUTE;
    t = (t + half - 1) / half * half;
    return working_time(t, z, 9, 17, 0);
}

static const char *const month_names[12] = {"January", "February", "March",     "April",
                                            "May",     "June",     "July",      "August",
                                            "September", "October", "November", "December"};

/* The month `ahead` months after the month of `t`. */
static const char *month_after(hf_time t, int ahead)
{
    int64_t y;
    unsigned m, d;
    hf_civil_from_days(t / DAY, &y, &m, &d);
    return month_names[(m - 1 + (unsigned)ahead) % 12];
}

/* ---- the world: countries, industries, people ---- */

enum lang { L_EN, L_PT, L_ES, L_ID };

typedef struct country {
    const char *name;
    enum lang lang;
    zone zone;
    int region; /* sales team: 0 North America, 1 LATAM, 2 EMEA & APAC */
    const char *language;
    const char *exchange;
    const char *security;
    const char *const *first;
    size_t nfirst;
    const char *const *last;
    size_t nlast;
    const char *const *stems;
    size_t nstems;
    const char *const *cities;
    size_t ncities;
    const char *const *systems; /* [0..1] ERPs, then others */
    size_t nsystems;
} country;

static const char *const us_first[] = {
    "James",  "Emily",  "Michael", "Sarah",  "David",  "Jessica", "Ryan",    "Ashley",
    "Kevin",  "Megan",  "Brian",   "Lauren", "Jason",  "Rachel",  "Eric",    "Amanda",
    "Tyler",  "Hannah", "Marcus",  "Olivia", "Derek",  "Natalie", "Andre",   "Priya",
    "Wei",    "Aisha",  "Connor",  "Brooke", "Jordan", "Dana",    "Grace",   "Nathan"};
static const char *const us_last[] = {
    "Park",    "Miller",  "Johnson", "Walsh",   "Nguyen",  "Patel",    "Carter",  "Brooks",
    "Hayes",   "Sullivan", "Bennett", "Coleman", "Foster", "Hughes",   "Kim",     "Murphy",
    "Price",   "Shaw",    "Tran",    "Ward",    "Whitaker", "Yang",    "Donovan", "Fischer",
    "Grant",   "Holloway", "Lowe",   "Okafor",  "Reed",    "Sinclair", "Dalton",  "Chen"};
static const char *const br_first[] = {
    "Ana",    "Bruno",   "Camila",  "Daniel",   "Fernanda", "Gabriel",  "Juliana", "Lucas",
    "Mariana", "Rafael", "Patrícia", "Thiago",  "Larissa",  "Felipe",   "Beatriz", "Gustavo",
    "Renata", "Rodrigo", "Aline",   "Marcelo",  "Carolina", "Eduardo",  "Vanessa", "Leonardo",
    "Priscila", "André", "Tatiana", "Diego",    "Letícia",  "Vinícius", "João",    "Luíza"};
static const char *const br_last[] = {
    "Silva",    "Santos",  "Oliveira", "Souza",    "Lima",      "Pereira", "Costa",   "Rodrigues",
    "Almeida",  "Nascimento", "Carvalho", "Araújo", "Ribeiro",  "Gomes",   "Martins", "Rocha",
    "Barbosa",  "Mendes",  "Cardoso",  "Teixeira", "Moreira",   "Cavalcanti", "Freitas", "Nunes",
    "Pinto",    "Azevedo", "Monteiro", "Vieira",   "Batista",   "Duarte",  "Fonseca", "Prado"};
static const char *const mx_first[] = {
    "José",    "María",   "Alejandro", "Guadalupe", "Fernando", "Daniela", "Ricardo", "Sofía",
    "Jorge",   "Valeria", "Luis",      "Mariana",   "Eduardo",  "Ximena",  "Arturo",  "Paola",
    "Héctor",  "Andrea",  "Raúl",      "Gabriela",  "Emilio",   "Regina",  "Óscar",   "Fernanda",
    "Iván",    "Lorena",  "Sergio",    "Adriana",   "Mauricio", "Claudia", "Rodrigo", "Karla"};
static const char *const mx_last[] = {
    "Hernández", "García",  "Martínez", "López",   "González", "Rodríguez", "Pérez",   "Sánchez",
    "Ramírez",   "Flores",  "Torres",   "Rivera",  "Gómez",    "Díaz",      "Cruz",    "Morales",
    "Reyes",     "Gutiérrez", "Ortiz",  "Chávez",  "Ruiz",     "Mendoza",   "Aguilar", "Vázquez",
    "Castillo",  "Jiménez", "Moreno",   "Romero",  "Herrera",  "Medina",    "Salinas", "Treviño"};
static const char *const es_first[] = {
    "Javier", "Lucía",  "Pablo",  "Carmen",    "Álvaro", "Marta",   "Sergio", "Laura",
    "Diego",  "Elena",  "Adrián", "Paula",     "Iván",   "Cristina", "Raúl",  "Nuria",
    "Jorge",  "Irene",  "Alberto", "Sara",     "Rubén",  "Beatriz", "Íñigo",  "Ainhoa",
    "Marc",   "Montserrat", "Hugo", "Alba",    "Manuel", "Rocío",   "Jaume",  "Noelia"};
static const char *const es_last[] = {
    "García",  "Fernández", "González", "Rodríguez", "López",   "Martínez", "Sánchez", "Pérez",
    "Gómez",   "Martín",    "Jiménez",  "Ruiz",      "Hernández", "Díaz",   "Moreno",  "Muñoz",
    "Álvarez", "Romero",    "Navarro",  "Torres",    "Domínguez", "Vázquez", "Ramos",  "Gil",
    "Serrano", "Blanco",    "Molina",   "Ortega",    "Castro",  "Etxeberria", "Puig",  "Ferrer"};
static const char *const co_first[] = {
    "Andrés",  "Natalia",  "Santiago", "Catalina", "Camilo", "Juliana",   "Felipe", "Laura",
    "Sebastián", "Manuela", "Mateo",   "Valentina", "Julián", "Paola",    "Nicolás", "Carolina",
    "Esteban", "Daniela",  "Alejandro", "Lina"};
static const char *const co_last[] = {
    "Restrepo", "Gómez",   "Rodríguez", "Londoño", "Vargas",  "Cárdenas", "Ospina", "Mejía",
    "Jaramillo", "Castaño", "Salazar",  "Zapata",  "Rojas",   "Moreno",   "Duque",  "Arango",
    "Quintero", "Giraldo", "Ramírez",   "Villegas"};
static const char *const id_first[] = {
    "Budi",  "Siti",  "Agus",  "Dewi",    "Rizky",  "Putri",  "Andi",  "Ayu",
    "Hendra", "Indah", "Fajar", "Rina",   "Arief",  "Sari",   "Yudi",  "Nurul",
    "Dimas", "Wulan", "Eko",   "Maya",    "Bayu",   "Fitri",  "Reza",  "Lestari",
    "Adi",   "Intan", "Irfan", "Ratna",   "Gilang", "Anisa",  "Teguh", "Citra"};
static const char *const id_last[] = {
    "Santoso",  "Wijaya",   "Pratama",   "Saputra",   "Hidayat",  "Kusuma",  "Nugroho", "Setiawan",
    "Wibowo",   "Halim",    "Siregar",   "Nasution",  "Gunawan",  "Lubis",   "Sutanto", "Purnomo",
    "Hartono",  "Tanoto",   "Rahman",    "Susanto",   "Kurniawan", "Harahap", "Simanjuntak",
    "Suryadi",  "Permana",  "Utomo",     "Widjaja",   "Firmansyah", "Hakim", "Salim",   "Wulandari",
    "Tambunan"};

static const char *const us_stems[] = {
    "Bluewater",  "Granite Peak", "Northfield", "Redwood",    "Silver Lake", "Harborview",
    "Prairie Wind", "Summit Ridge", "Lakeshore", "Ironbridge", "Keystone",   "Brightwater",
    "Cedar Point", "Oakhurst",    "Pinecrest",  "Riverbend",  "Stonegate",   "Westbrook",
    "Clearview",  "Meridian",     "Falcon Ridge", "Copper Creek", "Evergreen", "Highland",
    "Maplewood",  "Blue Ridge",   "Sterling",   "Pioneer",    "Liberty Bay", "Red Rock",
    "Juniper",    "Twin Rivers",  "Great Plains", "Hudson Valley", "Crescent", "Beacon Hill"};
static const char *const br_stems[] = {
    "Serra Azul", "Vale Verde",  "Ipê",       "Aurora",     "Paineira",   "Atlântico",
    "Horizonte",  "Boa Vista",   "Mar Aberto", "Cerrado",   "Jacarandá",  "Araucária",
    "Sol Nascente", "Rio Claro", "Nova Era",  "Pampa",      "Itapuã",     "Piracema",
    "Canaã",      "Tropical",    "Guará",     "Jequitibá",  "Maré Alta",  "Estrela do Sul",
    "Pedra Branca", "Ouro Verde", "Bandeirantes", "Capibaribe", "Iguaçu", "Tupã",
    "Carnaúba",   "Mantiqueira", "Paranapanema", "Ibirapuera", "Juriti",  "Cambuí"};
static const char *const mx_stems[] = {
    "Altamira",   "del Bajío",   "Sierra Madre", "Anáhuac",   "del Golfo",  "Pacífico Norte",
    "Mezquital",  "Los Altos",   "La Huasteca",  "Valle de Oro", "Monte Albán", "Cielo Azul",
    "El Nogal",   "Sol de Sonora", "Puerta de Hierro", "Tres Ríos", "El Roble", "Cumbres",
    "Santa Lucía", "Chapultepec", "Mayab",       "Citlali",    "Tonatiuh",   "Real del Monte"};
static const char *const es_stems[] = {
    "Alborán",    "Ibérica",     "Cantábrico", "Levante",    "Guadalquivir", "Sierra Nevada",
    "Mediterránea", "Tramontana", "Miramar",   "Costa Brava", "Duero",       "Ebro",
    "Almenara",   "Galaica",     "Atalaya",    "Mar Menor",  "Albaicín",     "Peñalara",
    "Moncayo",    "Bidasoa",     "Montseny",   "Aljarafe",   "Teide",        "Arlanza"};
static const char *const co_stems[] = {
    "Andina",  "Sabana",   "Magdalena", "Caribe",   "Cordillera", "Llanos",
    "Guadua",  "Quindío",  "Tayrona",   "Orquídea", "Cafetal",    "Nevado",
    "Chicamocha", "Sinú",  "Atrato",    "Macarena"};
static const char *const id_stems[] = {
    "Nusantara",  "Sinar Harapan", "Cahaya Abadi", "Mitra Sejahtera", "Bumi Lestari",
    "Karya Mandiri", "Samudra Biru", "Garuda Prima", "Surya Gemilang", "Mega Perkasa",
    "Lintas Jaya", "Puncak Emas",  "Tunas Baru",   "Bintang Timur",  "Angkasa Raya",
    "Cipta Karya", "Indah Makmur", "Sentosa",      "Bahari",         "Rajawali",
    "Cendrawasih", "Merapi",       "Kencana",      "Pelita"};

static const char *const us_cities[] = {"Chicago", "Atlanta",   "Denver",      "Columbus",
                                        "Austin",  "Seattle",   "Charlotte",   "Minneapolis",
                                        "Phoenix", "Boston",    "Nashville",   "Pittsburgh"};
static const char *const br_cities[] = {"São Paulo", "Curitiba", "Belo Horizonte", "Porto Alegre",
                                        "Recife",    "Campinas", "Joinville",      "Goiânia",
                                        "Florianópolis", "Salvador"};
static const char *const mx_cities[] = {"Monterrey", "Guadalajara", "Ciudad de México",
                                        "Querétaro", "Puebla",      "León",
                                        "Mérida",    "Tijuana"};
static const char *const es_cities[] = {"Madrid", "Barcelona", "Valencia", "Bilbao",
                                        "Sevilla", "Zaragoza", "Málaga",   "Vigo"};
static const char *const co_cities[] = {"Bogotá", "Medellín", "Cali", "Barranquilla",
                                        "Bucaramanga"};
static const char *const id_cities[] = {"Jakarta", "Surabaya", "Bandung", "Medan",
                                        "Semarang", "Makassar", "Denpasar"};

static const char *const us_systems[] = {"NetSuite", "Microsoft Dynamics 365", "Salesforce",
                                         "Okta", "Snowflake", "Zendesk"};
static const char *const br_systems[] = {"TOTVS Protheus", "SAP S/4HANA", "Senior Sistemas",
                                         "WhatsApp Business API", "Microsoft Entra ID",
                                         "Power BI"};
static const char *const mx_systems[] = {"SAP S/4HANA", "CONTPAQi", "Oracle NetSuite",
                                         "WhatsApp Business API", "Microsoft Entra ID",
                                         "Power BI"};
static const char *const es_systems[] = {"SAP S/4HANA", "A3ERP", "Holded", "Microsoft Entra ID",
                                         "Salesforce", "Power BI"};
static const char *const co_systems[] = {"Siigo", "SAP Business One", "WhatsApp Business API",
                                         "Google Workspace", "Power BI"};
static const char *const id_systems[] = {"Accurate Online", "SAP Business One",
                                         "WhatsApp Business API", "Google Workspace", "Jurnal",
                                         "Looker Studio"};

#define POOL(a) a, COUNT_OF(a)
enum { C_US, C_BR, C_MX, C_ES, C_ID, C_CO, C_COUNT };
static const country countries[C_COUNT] = {
    [C_US] = {"United States", L_EN, ZONE_NEW_YORK, 0, "English", "Nasdaq",
              "SOC 2 report reviewed; SSO mandatory", POOL(us_first), POOL(us_last),
              POOL(us_stems), POOL(us_cities), POOL(us_systems)},
    [C_BR] = {"Brazil", L_PT, ZONE_SAO_PAULO, 1, "Portuguese", "B3",
              "LGPD data processing agreement signed; SSO mandatory", POOL(br_first),
              POOL(br_last), POOL(br_stems), POOL(br_cities), POOL(br_systems)},
    [C_MX] = {"Mexico", L_ES, ZONE_MEXICO_CITY, 1, "Spanish", "BMV",
              "Privacy notice updated under the LFPDPPP; SOC 2 report reviewed", POOL(mx_first),
              POOL(mx_last), POOL(mx_stems), POOL(mx_cities), POOL(mx_systems)},
    [C_ES] = {"Spain", L_ES, ZONE_MADRID, 2, "Spanish", "BME",
              "GDPR DPA signed; EU data residency required", POOL(es_first), POOL(es_last),
              POOL(es_stems), POOL(es_cities), POOL(es_systems)},
    [C_ID] = {"Indonesia", L_ID, ZONE_JAKARTA, 2, "Indonesian", "IDX",
              "UU PDP data-protection review by legal; data stays in the Jakarta region",
              POOL(id_first), POOL(id_last), POOL(id_stems), POOL(id_cities), POOL(id_systems)},
    [C_CO] = {"Colombia", L_ES, ZONE_BOGOTA, 1, "Spanish", "BVC",
              "Habeas data review (Ley 1581) by legal; SOC 2 report reviewed", POOL(co_first),
              POOL(co_last), POOL(co_stems), POOL(co_cities), POOL(co_systems)},
};
static const double country_weights[C_COUNT] = {34, 22, 14, 12, 11, 7};

typedef struct risk_line {
    const char *category;
    const char *text;
    const char *severity;
    const char *mitigation;
} risk_line;

typedef struct industry {
    const char *name;
    const char *suffix[4][3]; /* company-name words by language: en, pt, es, id */
    const char *site;         /* "warehouses", for company_size */
    const char *users;        /* department of the end users */
    const char *champion;     /* the champion's usual title */
    const char *module;       /* the industry's product module */
    const char *object;       /* what the integration syncs */
    const char *saving;       /* where the ROI comes from */
    const char *challenge[3];
    const char *objective[3];
    const char *criteria[4];
    const char *customization[2];
    risk_line risk;
    const char *why_now; /* one %s: a month */
} industry;

static const industry industries[] = {
    {"Freight and logistics",
     {{"Freight", "Logistics", "Transport"},
      {"Logística", "Transportes", "Cargas"},
      {"Logística", "Transportes", "Carga"},
      {"Logistik", "Ekspedisi", "Kargo"}},
     "warehouses", "Operations and customer service", "Director of Operations",
     "Carrier scorecards", "shipment status", "ops labour",
     {"Shipment exceptions handled by email; no single view of carrier performance.",
      "Delivery complaints tracked in one spreadsheet per warehouse; nobody sees the backlog.",
      "Damaged-cargo claims take three weeks to resolve and customers escalate to sales."},
     {"Resolve shipment exceptions in one place instead of email threads.",
      "Give shippers self-service tracking and cut 'where is my order' calls.",
      "Measure carrier performance and renegotiate the worst lanes."},
     {"Exception resolution time from 3 days to 1 day", "80% of the ops team weekly active by day 60",
      "Where-is-my-order calls down 40% in two quarters",
      "On-time delivery above 95% on the top 20 lanes"},
     {"Custom exception categories for cold-chain shipments",
      "Claim form with photo upload from the driver app"},
     {"technical", "Carrier EDI feeds arrive in three different formats", "medium",
      "Normalise the two largest carriers first; the others in phase 2"},
     "Peak season starts in %s and the current tool cannot cope with the volume."},
    {"Retail",
     {{"Outfitters", "Markets", "Home"},
      {"Magazine", "Varejo", "Lojas"},
      {"Almacenes", "Tiendas", "Comercial"},
      {"Ritel", "Mart", "Niaga"}},
     "stores", "Store operations", "Head of Store Operations", "Store task manager",
     "store tickets", "store management hours",
     {"Store incidents reported by WhatsApp to regional managers; no audit trail.",
      "Returns and complaints handled differently in every store.",
      "Head office cannot see which stores are behind on planogram changes."},
     {"One channel for store incidents with SLAs per category.",
      "Standardise returns handling across all stores.",
      "Give regional managers a live view of store compliance."},
     {"Store incident backlog under 48 hours", "Every store manager logs in weekly by day 45",
      "Returns processing time down 30%", "Planogram compliance above 90% in the quarterly audit"},
     {"Incident categories mapped to the franchise agreement",
      "Photo checklist for store opening and closing"},
     {"objection", "Store managers see the app as head-office surveillance", "medium",
      "Pilot in five friendly stores; share quick wins in the managers' call"},
     "The holiday season starts in %s and last year's incident backlog hit 3,000."},
    {"Healthcare providers",
     {{"Health", "Medical Group", "Clinics"},
      {"Saúde", "Hospital", "Clínicas"},
      {"Salud", "Clínicas", "Hospital"},
      {"Medika", "Sehat", "Husada"}},
     "clinics", "Patient services", "Head of Patient Experience", "Patient request portal",
     "patient requests", "front-desk and admin time",
     {"Patient complaints arrive by phone, email and front desk with no tracking.",
      "Referral paperwork is lost between clinics; patients call five times.",
      "The regulator's audit found no evidence of complaint response times."},
     {"Track every patient request to resolution with an audit trail.",
      "Cut referral turnaround between clinics.",
      "Prove complaint response times to the regulator."},
     {"95% of patient complaints answered within 5 working days",
      "Referral turnaround from 10 days to 3", "Zero audit findings on complaint handling",
      "Front-desk staff log every walk-in request by day 60"},
     {"Consent capture step before sharing records",
      "Escalation path to the clinical director for safety issues"},
     {"political", "Clinical staff were not part of the evaluation", "high",
      "Clinical lead joins the kickoff; pilot in one clinic first"},
     "The regulator's follow-up audit is scheduled for %s."},
    {"Financial services",
     {{"Financial", "Credit Union", "Capital"},
      {"Crédito", "Financeira", "Pagamentos"},
      {"Financiera", "Crédito", "Capital"},
      {"Finansial", "Kredit", "Dana"}},
     "branches", "Customer service and back office", "Head of Customer Operations",
     "Dispute workflow", "card disputes", "back-office labour",
     {"Card disputes tracked in a legacy mainframe screen and spreadsheets.",
      "Complaints to the ombudsman are rising 20% a quarter.",
      "Back-office teams re-key customer data into three systems."},
     {"Resolve disputes within the regulatory deadline with a full audit trail.",
      "Cut ombudsman complaints by fixing their root causes.",
      "Remove re-keying between front and back office."},
     {"Disputes closed within the regulatory deadline: 99%",
      "Ombudsman complaints down 25% in 12 months", "Average handling time down 20%",
      "Audit trail accepted by internal audit"},
     {"Four-eyes approval on refunds above a threshold",
      "Retention rules per the central bank's record-keeping regulation"},
     {"technical", "Core-banking API access needs a change request approved by the risk committee",
      "high", "Request filed; the CSM tracks the committee date"},
     "New dispute-resolution rules from the regulator apply from %s."},
    {"Industrial manufacturing",
     {{"Manufacturing", "Industries", "Components"},
      {"Indústria", "Metalúrgica", "Componentes"},
      {"Industrial", "Manufacturas", "Aceros"},
      {"Industri", "Manufaktur", "Baja"}},
     "plants", "Maintenance and quality", "Plant Operations Manager", "Maintenance work orders",
     "work orders", "downtime",
     {"Maintenance requests on paper; machines wait days for a technician.",
      "Quality non-conformities tracked in Excel, one file per plant.",
      "Customer complaints about late orders reach the plant too late."},
     {"Digital work orders with priorities and SLAs per line.",
      "One non-conformity process across all plants.",
      "Link customer complaints to production orders."},
     {"Unplanned downtime down 15% in 6 months",
      "Work-order response under 4 hours on critical lines",
      "Non-conformities closed within 30 days: 90%", "All plants live by month 4"},
     {"Work-order form with machine QR codes", "Shift handover checklist"},
     {"timeline", "Annual plant shutdown freezes IT changes for three weeks", "medium",
      "Integration work before the freeze; go-live after it"},
     "The new production line starts in %s and must launch on the new process."},
    {"Insurance",
     {{"Insurance", "Mutual", "Assurance"},
      {"Seguros", "Seguradora", "Previdência"},
      {"Seguros", "Aseguradora", "Mutua"},
      {"Asuransi", "Proteksi", "Jaminan"}},
     "branches", "Claims", "Claims Director", "Claims intake", "claims", "claims handling cost",
     {"First notice of loss arrives by email and phone; 15% of claims are re-keyed twice.",
      "Brokers chase claim status by phone all day.",
      "No view of claim cycle time by adjuster."},
     {"Digital first notice of loss with automatic triage.",
      "Broker self-service for claim status.",
      "Cycle-time reporting by adjuster and product."},
     {"Claim cycle time down 25%", "Broker status calls down 50%", "Claimant NPS above 40",
      "All adjusters on the new intake by day 90"},
     {"Triage rules per line of business", "Broker portal in the insurer's branding"},
     {"budget", "Year-2 budget depends on the results of the motor-line pilot", "medium",
      "Pilot success criteria agreed; review at month 6"},
     "The policy-administration migration finishes in %s; claims must move with it."},
    {"Higher education",
     {{"University", "College", "Learning"},
      {"Educação", "Universidade", "Ensino"},
      {"Universidad", "Educación", "Instituto"},
      {"Universitas", "Edukasi", "Akademi"}},
     "campuses", "Student services", "Director of Student Services", "Student help desk",
     "student requests", "call-centre staffing",
     {"Enrolment questions flood the call centre every semester.",
      "Student requests bounce between departments with no owner.",
      "No data on why students drop out in the first semester."},
     {"One student help desk for enrolment, finance and academic requests.",
      "Every request owned and answered within its SLA.",
      "An early-warning view of at-risk first-year students."},
     {"Enrolment-period call volume down 30%", "Student satisfaction with support above 4/5",
      "Requests answered within 2 working days: 90%", "First-semester drop-out down 2 points"},
     {"Request categories aligned to the academic calendar",
      "Student ID card used for login"},
     {"timeline", "Enrolment periods leave no room for change in January and July", "high",
      "Go live in the quiet weeks; change freeze during enrolment"},
     "The next enrolment period opens in %s."},
    {"Energy and utilities",
     {{"Energy", "Power", "Utilities"},
      {"Energia", "Elétrica", "Saneamento"},
      {"Energía", "Eléctrica", "Aguas"},
      {"Energi", "Daya", "Listrik"}},
     "service regions", "Field operations", "Head of Field Operations", "Field service app",
     "service orders", "regulatory penalties and crew overtime",
     {"Customer outage reports are not linked to field crews.",
      "Field crews get their service orders on paper every morning.",
      "The regulator fines late reconnections; nobody tracks them today."},
     {"Connect customer outage reports to field dispatch.",
      "Mobile service orders with photos and signatures.",
      "Track reconnection times against the regulatory target."},
     {"Reconnections within the regulatory deadline: 98%",
      "Paper service orders gone by month 6", "Crew idle time down 10%",
      "Outage updates sent to customers automatically"},
     {"Offline mode for rural areas", "Service-order types matching the regulator's codes"},
     {"technical", "Rural crews have poor mobile coverage", "medium",
      "Offline mode tested in the pilot region before rollout"},
     "The regulator's new quality targets start in %s."},
    {"Hospitality",
     {{"Hotels", "Resorts", "Hospitality"},
      {"Hotéis", "Resorts", "Hotelaria"},
      {"Hoteles", "Resorts", "Hotelera"},
      {"Hotel", "Resort", "Wisata"}},
     "hotels", "Guest services and housekeeping", "Director of Guest Experience",
     "Guest request tracker", "guest requests", "guest compensation and overtime",
     {"Guest requests passed on by radio; one in ten is forgotten.",
      "Online reviews mention slow maintenance fixes.",
      "No way to compare service levels between properties."},
     {"Track every guest request from call to completion.",
      "Raise review scores on cleanliness and maintenance.",
      "Compare service levels across properties."},
     {"Guest requests completed within 20 minutes", "Maintenance review score up 0.3 points",
      "All properties live before high season", "Housekeeping uses the mobile app on every shift"},
     {"Request categories per property type", "Multilingual guest messaging templates"},
     {"objection", "High housekeeping turnover; training may not stick", "medium",
      "Five-minute video training and a super-user per shift"},
     "High season starts in %s."},
    {"Agribusiness and food",
     {{"Farms", "Foods", "Agro"},
      {"Agro", "Alimentos", "Agrícola"},
      {"Agro", "Alimentos", "Agrícola"},
      {"Agro", "Pangan", "Perkebunan"}},
     "mills and farms", "Quality and logistics", "Supply Chain Manager",
     "Supplier quality portal", "quality incidents", "rejected shipments",
     {"Quality incidents from buyers handled by email with no root cause.",
      "Supplier questions answered by phone by two people.",
      "Traceability requests from export customers take a week."},
     {"Close quality incidents with a root cause and a corrective action.",
      "A self-service portal for suppliers.", "Answer traceability requests within a day."},
     {"Traceability requests answered within 24 hours", "Repeat quality incidents down 30%",
      "Supplier calls down 50% after the portal launch", "Export audit passed without findings"},
     {"Lot traceability fields linked to the ERP", "Supplier portal in the local language"},
     {"churn_indicator", "The previous supplier portal was abandoned after one harvest", "high",
      "Adoption plan tied to the harvest calendar; monthly usage review"},
     "The harvest starts in %s and export buyers now require traceability."},
    {"Telecommunications",
     {{"Telecom", "Networks", "Fiber"},
      {"Telecom", "Fibra", "Conecta"},
      {"Telecom", "Fibra", "Redes"},
      {"Telekomunikasi", "Net", "Data"}},
     "regional offices", "Customer care", "Head of Customer Care",
     "Case inbox with network alerts", "trouble tickets", "repeat visits",
     {"Installations miss the promised date for 20% of customers.",
      "Network incidents generate thousands of duplicate tickets.",
      "Churn spikes after a second failed installation visit."},
     {"Keep installation promises and warn customers early when a date slips.",
      "Group duplicate tickets under one network incident.",
      "Spot customers at risk after failed visits."},
     {"Installations on the promised date: 90%", "Duplicate tickets down 60% during incidents",
      "Early churn down 3 points", "All care agents on the new inbox by day 60"},
     {"Network-incident grouping rules", "Installation-window notifications by SMS"},
     {"competitive", "A competitor offered the care team a free first year", "high",
      "Exec sponsor briefed; quick win delivered in the first 30 days"},
     "The fibre roll-out doubles installations from %s."},
    {"B2B software",
     {{"Software", "Labs", "Analytics"},
      {"Tecnologia", "Sistemas", "Software"},
      {"Tecnología", "Sistemas", "Software"},
      {"Teknologi", "Digital", "Sistem"}},
     "offices", "Support and success", "VP Customer Support", "Escalation workflow",
     "support escalations", "engineering interrupt time",
     {"Escalations from enterprise customers reach engineering through Slack DMs.",
      "Support SLAs are reported by hand every month.",
      "No link between support tickets and renewal risk."},
     {"A single escalation path from support to engineering, with SLAs.",
      "Automatic SLA reporting to customers.", "Flag renewal risk from support signals."},
     {"P1 escalations acknowledged within 1 hour: 99%", "Monthly SLA report automated",
      "Renewal-risk flags reviewed weekly by CS", "Engineering time on escalations down 20%"},
     {"Severity matrix matching the customer contracts", "Jira Cloud sync for escalations"},
     {"political", "Engineering leadership did not join the evaluation", "medium",
      "CTO invited to the kickoff; the integration owned by their team lead"},
     "The SOC 2 audit in %s requires documented escalation handling."},
};
#define INDUSTRY_COUNT ((int)COUNT_OF(industries))

static const char *const product_features[] = {"Case inbox",        "SLA dashboards",
                                               "Workflow automation", "Customer portal",
                                               "Mobile app",        "Analytics workspace",
                                               "Audit log",         "Public API"};
static const char *const identity_providers[] = {"Okta", "Microsoft Entra ID", "Google Workspace"};
static const char *const clouds[] = {"Azure", "AWS", "Google Cloud", "an on-premise data centre"};
static const char *const competitors[] = {"OpsHub",   "FlowDesk",       "Casewise",
                                          "Trackly",  "ServiceGrid",    "In-house build",
                                          "Status quo (spreadsheets and email)"};
static const char *const partners[] = {"Lumen Consulting", "Andes Partners", "Nusa Digital",
                                       "Iberia Integradores", "BrightPath Consulting"};
static const char *const exec_titles[] = {"COO", "VP Operations", "Chief Digital Officer",
                                          "Chief Customer Officer", "Managing Director"};
static const char *const smb_exec_titles[] = {"CEO", "Founder and CEO", "Managing Director",
                                              "COO"};
static const char *const econ_titles[] = {"CFO", "VP Finance", "Finance Director",
                                          "Head of Procurement"};
static const char *const tech_titles[] = {"IT Manager", "Head of IT", "Solutions Architect",
                                          "IT Director", "Integration Lead"};
static const char *const influencer_titles[] = {"Training Coordinator",
                                                "Customer Service Supervisor", "Quality Manager",
                                                "Regional Operations Lead"};
static const char *const blocker_titles[] = {"Head of IT Security", "Legacy system owner",
                                             "Regional Operations Director",
                                             "Procurement Manager", "Data Protection Officer"};
static const char *const blocker_concerns[][2] = {
    {"Fears another tool to maintain",
     "Included in the integration design; admin effort shown to be under 2 hours a week"},
    {"Wanted this budget for the ERP upgrade",
     "Sponsor aligns the budgets at the steering committee"},
    {"Worried about data leaving the country", "Data residency option and DPA reviewed with legal"},
    {"Sees the project as a threat to the team's headcount",
     "Positioned as capacity for growth; involved in the rollout plan"},
    {"Backed the competitor in the evaluation", "Given a role in the pilot; sees results first"},
};
static const char *const communications[] = {"email", "WhatsApp", "Slack", "Microsoft Teams",
                                             "phone, short calls", "email; weekly status note"};
static const char *const influences[] = {"high", "medium", "low"};

typedef struct generic_risk {
    const char *category;
    const char *text; /* may have one %s: a competitor, a system or a month */
    const char *severity;
    const char *mitigation;
    char arg; /* 'c' competitor, 's' system, 'm' month, 0 none */
} generic_risk;

static const generic_risk generic_risks[] = {
    {"objection", "Champion worried the field teams will not adopt another app", "medium",
     "Pilot with two super-users per site; mobile training in week 2", 0},
    {"competitive", "%s is still talking to the IT director with a discount", "medium",
     "Exec sponsor briefed; quick win planned for the first 30 days", 'c'},
    {"budget", "Year-2 budget depends on the pilot results", "medium",
     "Success criteria agreed; review with the CFO at month 6", 0},
    {"political", "Regional directors were not consulted before signing", "high",
     "Roadshow in month 1; regional leads join the design sessions", 0},
    {"churn_indicator", "The previous tool was abandoned after eight months", "high",
     "Adoption plan with a monthly usage review", 0},
    {"technical", "%s API rate limits are unknown", "medium",
     "Technical session with customer IT in week 1", 's'},
    {"timeline", "Customer expects go-live before %s", "high",
     "Phase 1 limited to the core inbox; the rest in phase 2", 'm'},
    {"political", "The champion has been in the role for only three months", "medium",
     "Build a second relationship with the executive sponsor", 0},
};

/* Why a meeting or a kickoff slipped. */
static const char *const slip_reasons[] = {
    "the AE was at the sales kickoff", "the CSM was assigned late",
    "nobody booked it until CS chased", "the customer's champion was travelling",
    "the AE was closing two other deals at quarter end"};

static const char *const cancel_reasons[] = {
    "Budget frozen after the customer's parent company announced a restructuring",
    "Customer chose %s after procurement reopened the evaluation",
    "The champion left the company and the customer used the cancellation window",
    "Contract voided: the customer was acquired and moves to the group's contract",
    "Customer's legal team would not countersign the liability cap"};

/* Agenda segments, in order, and what people call them in notes. */
static const char *const agenda_segments[7] = {
    "customer_overview", "stakeholders", "objectives",         "scope_commitments",
    "implementation",    "risks",        "questions_next_steps"};
static const char *const agenda_words[7] = {
    "the customer overview", "the stakeholders", "the objectives", "scope and commitments",
    "implementation",        "risks",            "questions and next steps"};

/* ---- the vendor's organisation ---- */

typedef struct person {
    char name[64];
    char email[96];
} person;

typedef struct sales_rep {
    person who;
    int team;
    int diligence; /* 0 sloppy, 1 steady, 2 meticulous */
    bool enterprise;
} sales_rep;

typedef struct csm_profile {
    const char *focus;
    unsigned segments;  /* bits of hf_segment */
    unsigned countries; /* bits of C_* */
    int capacity;
    int base;   /* accounts a year before `now` */
    int growth; /* accounts added over the year */
    int name_country;
} csm_profile;

#define SEG_BIT(s) (1u << (unsigned)(s))
#define ALL_SEGMENTS 0xFu
#define ALL_COUNTRIES ((1u << C_COUNT) - 1u)
#define COUNTRY_BIT(c) (1u << (unsigned)(c))

static const csm_profile csm_profiles[7] = {
    {"strategic", SEG_BIT(HF_SEG_STRATEGIC) | SEG_BIT(HF_SEG_ENTERPRISE), ALL_COUNTRIES, 12, 7, 4,
     C_US},
    {"enterprise North America", SEG_BIT(HF_SEG_ENTERPRISE) | SEG_BIT(HF_SEG_MID_MARKET),
     COUNTRY_BIT(C_US), 25, 15, 6, C_US},
    {"commercial North America", SEG_BIT(HF_SEG_MID_MARKET) | SEG_BIT(HF_SEG_SMB),
     COUNTRY_BIT(C_US), 40, 24, 10, C_US},
    {"Brazil", ALL_SEGMENTS & ~SEG_BIT(HF_SEG_STRATEGIC), COUNTRY_BIT(C_BR), 30, 23, 11, C_BR},
    {"Spanish-speaking LATAM",
     ALL_SEGMENTS & ~SEG_BIT(HF_SEG_STRATEGIC),
     COUNTRY_BIT(C_MX) | COUNTRY_BIT(C_CO) | COUNTRY_BIT(C_ES), 32, 18, 8, C_MX},
    {"Indonesia and Spain", ALL_SEGMENTS & ~SEG_BIT(HF_SEG_STRATEGIC),
     COUNTRY_BIT(C_ID) | COUNTRY_BIT(C_ES), 28, 14, 7, C_ID},
    {"Spain", ALL_SEGMENTS & ~SEG_BIT(HF_SEG_STRATEGIC), COUNTRY_BIT(C_ES), 26, 10, 7, C_ES},
};

typedef struct csm_rec {
    person who;
    const csm_profile *profile;
} csm_rec;

static const char *const team_names[3] = {"North America", "LATAM", "EMEA & APAC"};

typedef struct org {
    person sales_managers[3];
    sales_rep reps[12];
    int nreps;
    csm_rec csms[7];
    int ncsms;
    person cs_managers[2]; /* 0: enterprise and strategic, 1: mid-market and SMB */
    person sales_engineers[3];
    person implementation[2];
    person revops;
} org;

/* A person from a country's pools whose name nobody in `org` has yet. */
static void make_person(rng *r, const org *o, int c, person *out)
{
    const country *k = &countries[c];
    for (int attempt = 0; attempt < 50; attempt++) {
        fmt(out->name, sizeof(out->name), "%s %s", k->first[rng_index(r, k->nfirst)],
            k->last[rng_index(r, k->nlast)]);
        bool taken = false;
        const person *all[] = {&o->sales_managers[0], &o->sales_managers[1], &o->sales_managers[2],
                               &o->cs_managers[0],    &o->cs_managers[1],    &o->sales_engineers[0],
                               &o->sales_engineers[1], &o->sales_engineers[2],
                               &o->implementation[0], &o->implementation[1], &o->revops};
        for (size_t i = 0; i < COUNT_OF(all) && !taken; i++)
            taken = all[i] != out && strcmp(all[i]->name, out->name) == 0;
        for (int i = 0; i < o->nreps && !taken; i++)
            taken = &o->reps[i].who != out && strcmp(o->reps[i].who.name, out->name) == 0;
        for (int i = 0; i < o->ncsms && !taken; i++)
            taken = &o->csms[i].who != out && strcmp(o->csms[i].who.name, out->name) == 0;
        if (!taken)
            break;
    }
    char local[64];
    ascii_fold(out->name, local, sizeof(local));
    fmt(out->email, sizeof(out->email), "%s@" VENDOR_DOMAIN, local);
}

static void make_org(rng *r, org *o)
{
    memset(o, 0, sizeof(*o));
    static const int manager_country[3] = {C_US, C_BR, C_ES};
    for (int t = 0; t < 3; t++)
        make_person(r, o, manager_country[t], &o->sales_managers[t]);
    int total = rng_int(r, 8, 12);
    /* North America carries the most reps; every team has at least two */
    int per_team[3];
    per_team[0] = (total * 4 + 9) / 10;
    per_team[1] = (total - per_team[0] + 1) / 2;
    per_team[2] = total - per_team[0] - per_team[1];
    static const int latam[] = {C_BR, C_BR, C_MX, C_CO, C_MX};
    static const int emea[] = {C_ES, C_ID, C_ES, C_ID};
    for (int t = 0; t < 3; t++) {
        for (int i = 0; i < per_team[t]; i++) {
            sales_rep *rep = &o->reps[o->nreps++];
            rep->team = t;
            rep->enterprise = i % 2 == 0;
            static const double diligence_weights[3] = {20, 50, 30};
            rep->diligence = rng_weighted(r, diligence_weights, 3);
            make_person(r, o, t == 0 ? C_US : t == 1 ? latam[i % 5] : emea[i % 4], &rep->who);
        }
    }
    /* profiles 0-4 always; the Indonesia and Spain specialists when the team is larger */
    int ncsms = rng_int(r, 5, 7);
    for (int i = 0; i < ncsms; i++) {
        csm_rec *c = &o->csms[o->ncsms++];
        c->profile = &csm_profiles[i];
        make_person(r, o, csm_profiles[i].name_country, &c->who);
    }
    make_person(r, o, C_US, &o->cs_managers[0]);
    make_person(r, o, C_MX, &o->cs_managers[1]);
    make_person(r, o, C_US, &o->sales_engineers[0]);
    make_person(r, o, C_BR, &o->sales_engineers[1]);
    make_person(r, o, C_ES, &o->sales_engineers[2]);
    make_person(r, o, C_US, &o->implementation[0]);
    make_person(r, o, C_ID, &o->implementation[1]);
    make_person(r, o, C_US, &o->revops);
}

/* ---- a deal's plan ---- */

enum role { R_EXEC, R_CHAMPION, R_ECON, R_TECH, R_USERS, R_BLOCKER, R_INFLUENCER, R_COUNT };
static const char *const role_ids[R_COUNT] = {"executive_sponsor", "champion",  "economic_buyer",
                                              "technical_lead",    "end_users", "blocker",
                                              "influencer"};
static const char *const role_words[R_USERS] = {"executive sponsor", "champion", "economic buyer",
                                                "technical lead"};
static const char *const role_questions[R_USERS] = {
    "backs the rollout when it gets hard", "drives adoption day to day", "signs the renewal",
    "owns the integration on their side"};

/* The deal-summary items a rep may leave empty (SPEC §4.3), customer name, industry and ACV
 * aside: those come from the CRM. */
enum summary_item {
    S_SIZE,
    S_CHALLENGES,
    S_CONTEXT,
    S_PRIMARY,
    S_CRITERIA,
    S_ROI,
    S_WINS,
    S_FEATURES,
    S_INTEGRATIONS,
    S_CUSTOM,
    S_SERVICES,
    S_SUPPORT,
    S_TIMELINE,
    S_START,
    S_GO_LIVE,
    S_MILESTONES,
    S_RESOURCES,
    S_DEPENDENCIES,
    S_PAYMENT_TERMS,
    S_DISCOUNT,
    S_SPECIAL,
    S_COUNT
};
/* How often each is the one left empty: the soft items first. */
static const double summary_weights[S_COUNT] = {0.5, 0.3, 2,   0.2, 1,   4,   4,
                                                0.1, 0.8, 2.5, 2,   1,   1,   1,
                                                1,   2.5, 3,   2.5, 0.5, 2,   2};

enum tech_item { T_ENVIRONMENT, T_SPECS, T_MIGRATION, T_SECURITY, T_VALIDATION, T_COUNT };

/* What a CS review found; the rep's correction fixes it. */
enum {
    RD_STAKEHOLDERS = 1u,
    RD_COMMITMENT = 2u,
    RD_TECHNICAL = 4u,
    RD_INFO = 8u,
};

/* The story of a handoff's quality: what is missing or late in its final document. */
typedef struct defects {
    uint32_t summary; /* bits of summary_item left empty */
    unsigned roles;   /* bits of R_EXEC..R_USERS not filled */
    bool verbal_unvalidated;
    int commit_unvalidated;  /* contract commitments CS has not validated */
    int commit_undocumented; /* commitments nobody marked in or out of the contract */
    bool no_commitments;
    int risks_unmitigated;
    bool no_risks;
    bool no_churn;
    bool csm_absent;
    bool cs_manager_absent;
    unsigned skipped; /* agenda segments not covered */
    int unanswered;
    bool meeting_late;
    bool intro_late;
    /* not scored: they cost completeness, raise flags or block the gate */
    unsigned tech; /* bits of tech_item left empty */
    bool why_now_missing;
    bool competitors_missing;
    bool timeline_gap;
    bool blocker_unaddressed;
} defects;

/* Events of a handoff's life; each has a time (FOREVER when it does not happen). */
enum event {
    EV_CREATE,
    EV_CSM,
    EV_DOCS_PARTIAL,
    EV_DOCS,
    EV_APPROVE,
    EV_SUBMIT,
    EV_SCHEDULE,
    EV_AGENDA,
    EV_MEETING, /* the meeting's start: a value, written by EV_SCHEDULE and EV_RECORD */
    EV_RECORD,  /* the meeting's results recorded */
    EV_INTRO,
    EV_READINESS,
    EV_REVIEW0, /* review k, fix k, resubmission k at EV_REVIEW0 + 3k, +1, +2 */
    EV_FIX0,
    EV_RESUBMIT0,
    EV_REVIEW1,
    EV_FIX1,
    EV_RESUBMIT1,
    EV_REVIEW2,
    EV_FIRST_CONTACT,
    EV_PREP,
    EV_KICKOFF_SCHEDULED,
    EV_SIGNED,
    EV_JOINT,
    EV_KICKOFF,
    EV_COMPLETE,
    EV_PAYMENT,
    EV_CANCEL,
    EV_COUNT
};
#define EV_REVIEW(k) (EV_REVIEW0 + 3 * (k))
#define EV_FIX(k) (EV_FIX0 + 3 * (k))
#define EV_RESUBMIT(k) (EV_RESUBMIT0 + 3 * (k))
#define MAX_DECISIONS 3

/* The uniform draws a plan's times are made of, one slot each, drawn once. */
enum draw {
    U_CREATE,
    U_CSM,
    U_PARTIAL,
    U_DOCS,
    U_APPROVE,
    U_SUBMIT,
    U_SCHEDULE,
    U_MEETING,
    U_MEETING_START,
    U_AGENDA,
    U_RECORD,
    U_INTRO,
    U_READINESS,
    U_REVIEW0,
    U_FIX0 = U_REVIEW0 + MAX_DECISIONS,
    U_RESUBMIT0 = U_FIX0 + MAX_DECISIONS,
    U_CONTACT = U_RESUBMIT0 + MAX_DECISIONS,
    U_PREP,
    U_KICKOFF_SCHEDULED,
    U_JOINT,
    U_KICKOFF,
    U_SIGNED,
    U_PAYMENT,
    U_COMPLETE,
    U_CANCEL,
    U_JITTER,
    U_COUNT = U_JITTER + 8
};

enum trigger { TRIGGER_CONTRACT, TRIGGER_VERBAL, TRIGGER_POC };
static const char *const trigger_names[3] = {"contract_signature", "verbal_commit",
                                             "poc_conversion"};

enum actor { ACT_CRM, ACT_REP, ACT_CSM, ACT_CS_MANAGER, ACT_REVOPS };
enum action_kind {
    A_CREATE,
    A_PUT,
    A_EDIT_TEAM,
    A_EDIT_APPROVAL,
    A_EDIT_PAYMENT,
    A_DEAL,
    A_TRANSITION
};

typedef struct action {
    hf_time at;
    uint8_t kind;     /* action_kind */
    uint8_t actor;    /* actor */
    uint8_t to;       /* A_TRANSITION: the status; A_DEAL: cancelled for a lost deal */
    uint8_t review;   /* A_TRANSITION to a decision or a resubmission: review number */
    uint8_t event;    /* the event it writes */
    uint8_t seq;      /* insertion order, for ties */
    bool is_required; /* part of reaching the status, not a trailing update */
} action;
#define MAX_ACTIONS 40

typedef struct plan {
    int number; /* generation order, before sorting by T0 */
    uint64_t seed;
    int country, industry, rep, csm, cs_manager;
    hf_segment segment;
    enum trigger trigger;
    bool hubspot;
    int employees, sites, years;
    long long acv; /* in `currency` */
    long long acv_usd;
    const char *currency;
    char company[96];
    char deal_name[160];
    char crm_id[24];

    hf_status status;      /* the final status */
    hf_status path_status; /* whose path is walked: `status`, or the stage a cancelled one reached */
    hf_band band;          /* the band aimed at */
    hf_status decisions[MAX_DECISIONS];
    int ndecisions;
    unsigned review_mask[MAX_DECISIONS]; /* what is still wrong until fix k */
    int review_role;                     /* the role RD_STAKEHOLDERS leaves out */
    bool docs_partial, docs_late, contact_late, kickoff_late;
    int agenda_mode;            /* 0 sent the day before, 1 sent late, 2 never sent */
    unsigned readiness_missing; /* bits 1-3: finance record, CS platform, support */
    int churn;                  /* 0 low, 1 medium, 2 high */
    int duration;
    defects d;

    double u[U_COUNT];
    hf_time t0; /* contract_signed_at, or verbal_commit_at for a pre-close handoff */
    hf_time ev[EV_COUNT];
    action actions[MAX_ACTIONS];
    int nactions;
    hf_time last_required;
    hf_time final_at;
    int csm_accounts;
    int csm_capacity;
} plan;

/* ---- texts: everything in a document that does not depend on time or defects ---- */

typedef struct person_text {
    char name[64];
    const char *title;
    char objectives[160];
    const char *influence;
    const char *enthusiasm;
    const char *relationship;
    const char *communication;
    const char *concerns;
    const char *mitigation;
} person_text;

typedef struct commitment_text {
    const char *kind;
    char text[200];
    const char *owner;
    int64_t due_day;
} commitment_text;

typedef struct risk_text {
    const char *category;
    char text[200];
    const char *severity;
    const char *mitigation;
} risk_text;

typedef struct texts {
    char company_size[200];
    const char *challenge;
    char purchase_context[240];
    char why_now[240];
    const char *competitors[2];
    int ncompetitors;
    person_text people[R_COUNT];
    int user_count;
    bool has_blocker, has_influencer;
    const char *objective;
    const char *criteria[3];
    int ncriteria;
    char roi[200];
    char personal_wins[240];
    const char *features[5];
    int nfeatures;
    const char *erp;
    const char *idp;
    const char *integrations[3];
    int nintegrations;
    const char *customization;
    const char *services;
    const char *support_tier;
    int timeline_weeks;
    int standard_weeks;
    char timeline_promised[160];
    commitment_text commitments[5];
    int ncommitments;
    int verbal; /* index of the verbal commitment, or -1 */
    char environment[200];
    char specs[200];
    char migration[160];
    char validation[160];
    int64_t start_day, go_live_day;
    char milestone_names[4][96];
    int64_t milestone_days[4];
    char resources[200];
    char dependencies[3][160];
    int ndependencies;
    const char *payment_terms;
    int terms_days;
    bool installments;
    bool po_required, po_missing, delay_requested;
    const char *finance_concerns;
    const char *discount;
    const char *special_terms;
    risk_text risks[3];
    int nrisks;
    unsigned extra_attendees; /* 1 sales engineer, 2 implementation, 4 sales manager, 8 CS manager */
    int sales_engineer, implementer;
    int questions_asked;
    unsigned recording;
    const char *note_opening;
    const char *slip_reason;
    const char *open_topic;
    char cancel_reason[240];
    const char *accept_comment;
} texts;

static const int standard_weeks[HF_SEG_COUNT] = {12, 10, 8, 4};

static void first_name(const char *full, char *out, size_t cap)
{
    const char *sp = strchr(full, ' ');
    size_t n = sp ? (size_t)(sp - full) : strlen(full);
    if (n >= cap)
        n = cap - 1;
    memcpy(out, full, n);
    out[n] = '\0';
}

static void amount_text(long long v, const char *currency, char *buf, size_t cap)
{
    char n[32];
    if (v >= 1000000000LL)
        fmt(n, sizeof(n), "%lld.%lldB", v / 1000000000LL, (v % 1000000000LL) / 100000000LL);
    else
        short_amount(v, n, sizeof(n));
    fmt(buf, cap, "%s %s", currency, n);
}

/* Draw a deal's texts. Pure: the same plan (seed, T0, country, industry, segment...) gives
 * the same texts, so they need not be stored. */
static void draw_texts(const plan *p, texts *x)
{
    rng r;
    rng_seed(&r, p->seed ^ 0x7E575EEDull);
    const country *k = &countries[p->country];
    const industry *in = &industries[p->industry];
    zone z = k->zone;
    bool small = p->segment == HF_SEG_SMB;
    bool big = p->segment == HF_SEG_STRATEGIC || p->segment == HF_SEG_ENTERPRISE;
    memset(x, 0, sizeof(*x));

    /* customer */
    char emp[32];
    thousands(p->employees, emp, sizeof(emp));
    const char *city = k->cities[rng_index(&r, k->ncities)];
    int nations = rng_int(&r, 3, 14);
    if (small)
        fmt(x->company_size, sizeof(x->company_size), "%s employees; HQ in %s", emp, city);
    else if (p->segment == HF_SEG_STRATEGIC)
        fmt(x->company_size, sizeof(x->company_size),
            "%s employees, %d %s in %d countries; listed on %s; HQ in %s", emp, p->sites, in->site,
            nations, k->exchange, city);
    else
        fmt(x->company_size, sizeof(x->company_size), "%s employees, %d %s; HQ in %s", emp,
            p->sites, in->site, city);
    x->challenge = PICK(&r, in->challenge);
    x->competitors[0] = PICK(&r, competitors);
    x->competitors[1] = PICK(&r, competitors);
    x->ncompetitors = x->competitors[1] == x->competitors[0] || rng_chance(&r, 0.4) ? 1 : 2;
    int cycle = small ? rng_int(&r, 1, 3) : rng_int(&r, 3, 9);
    int context_kind = rng_int(&r, 0, 4);
    const char *partner = PICK(&r, partners);
    int pilot_seats = rng_int(&r, 10, 40);
    if (p->trigger == TRIGGER_POC)
        fmt(x->purchase_context, sizeof(x->purchase_context),
            "Converted from a %d-week POC run by the solutions team; POC success criteria met "
            "in %s.",
            rng_int(&r, 4, 8), month_after(p->t0, 0));
    else if (context_kind == 0)
        fmt(x->purchase_context, sizeof(x->purchase_context),
            "Inbound after a webinar; %d-month cycle; security review in %s.", cycle,
            month_after(p->t0, 11));
    else if (context_kind == 1)
        fmt(x->purchase_context, sizeof(x->purchase_context),
            "Outbound by an SDR; bake-off against %s; %d-month cycle.", x->competitors[0], cycle);
    else if (context_kind == 2)
        fmt(x->purchase_context, sizeof(x->purchase_context),
            "Referral from %s; paid POC in %s.", partner, month_after(p->t0, 11));
    else if (context_kind == 3)
        fmt(x->purchase_context, sizeof(x->purchase_context),
            "Expansion from a %d-seat pilot in %s.", pilot_seats, in->users);
    else
        fmt(x->purchase_context, sizeof(x->purchase_context),
            "RFP run by procurement; shortlisted with %s; %d-month cycle.", x->competitors[0],
            cycle);
    int why_kind = rng_int(&r, 0, 3);
    int why_ahead = rng_int(&r, 1, 4);
    int acquired = rng_int(&r, 2, 12);
    if (why_kind == 0)
        fmt(x->why_now, sizeof(x->why_now),
            "The current tool's contract ends in %s and will not be renewed.",
            month_after(p->t0, why_ahead));
    else if (why_kind == 1)
        fmt(x->why_now, sizeof(x->why_now), in->why_now, month_after(p->t0, why_ahead));
    else if (why_kind == 2)
        fmt(x->why_now, sizeof(x->why_now),
            "The new COO wants results to show at the %s board meeting.",
            month_after(p->t0, why_ahead + 1));
    else
        fmt(x->why_now, sizeof(x->why_now),
            "The acquisition of %d %s doubled the volume the team handles.", acquired, in->site);

    /* systems */
    x->erp = k->systems[rng_index(&r, 2)];
    x->idp = PICK(&r, identity_providers);
    const char *other = k->systems[2 + rng_index(&r, k->nsystems - 2)];
    x->integrations[0] = x->erp;
    x->integrations[1] = x->idp;
    x->integrations[2] = other;
    x->nintegrations = small ? 1 : strcmp(other, x->idp) == 0 ? 2 : rng_int(&r, 2, 3);

    /* stakeholders */
    for (int i = 0; i < R_COUNT; i++) {
        person_text *pt = &x->people[i];
        fmt(pt->name, sizeof(pt->name), "%s %s", k->first[rng_index(&r, k->nfirst)],
            k->last[rng_index(&r, k->nlast)]);
        pt->influence = PICK(&r, influences);
        pt->communication = PICK(&r, communications);
        static const char *const relationships[] = {"strong", "moderate", "new"};
        pt->relationship = PICK(&r, relationships);
    }
    x->people[R_EXEC].title = small ? PICK(&r, smb_exec_titles) : PICK(&r, exec_titles);
    x->people[R_EXEC].influence = "high";
    x->people[R_EXEC].enthusiasm = "supporter";
    int pct = rng_int(&r, 2, 6) * 5;
    static const char *const exec_goals[] = {"One operations view for the board",
                                             "Grow without adding headcount"};
    if (rng_chance(&r, 0.5))
        fmt(x->people[R_EXEC].objectives, sizeof(x->people[R_EXEC].objectives), "Cut %s by %d%%",
            in->saving, pct);
    else
        fmt(x->people[R_EXEC].objectives, sizeof(x->people[R_EXEC].objectives), "%s",
            PICK(&r, exec_goals));
    x->people[R_CHAMPION].title = in->champion;
    x->people[R_CHAMPION].enthusiasm = "champion";
    x->people[R_CHAMPION].relationship = "strong";
    static const char *const champion_goals[] = {"Stop firefighting email threads",
                                                 "Promotion case: one operations dashboard",
                                                 "Show results within the first quarter"};
    fmt(x->people[R_CHAMPION].objectives, sizeof(x->people[R_CHAMPION].objectives), "%s",
        PICK(&r, champion_goals));
    x->people[R_ECON].title = PICK(&r, econ_titles);
    static const char *const econ_enthusiasm[] = {"supporter", "neutral", "neutral"};
    x->people[R_ECON].enthusiasm = PICK(&r, econ_enthusiasm);
    int payback = rng_int(&r, 6, 18);
    static const char *const econ_goals[] = {"Predictable cost per site",
                                             "No surprise services invoices"};
    if (rng_chance(&r, 0.5))
        fmt(x->people[R_ECON].objectives, sizeof(x->people[R_ECON].objectives),
            "Payback within %d months", payback);
    else
        fmt(x->people[R_ECON].objectives, sizeof(x->people[R_ECON].objectives), "%s",
            PICK(&r, econ_goals));
    x->people[R_TECH].title = small ? "CTO" : PICK(&r, tech_titles);
    static const char *const tech_enthusiasm[] = {"supporter", "neutral", "skeptic"};
    x->people[R_TECH].enthusiasm = PICK(&r, tech_enthusiasm);
    fmt(x->people[R_TECH].objectives, sizeof(x->people[R_TECH].objectives),
        "SSO and %s integration without new servers to run", x->erp);
    x->user_count = small ? rng_int(&r, 5, 60) : rng_int(&r, 40, 900);
    fmt(x->people[R_USERS].objectives, sizeof(x->people[R_USERS].objectives),
        "Fewer tools; mobile access on the floor");
    x->has_blocker = rng_chance(&r, big ? 0.45 : 0.2);
    x->people[R_BLOCKER].title = PICK(&r, blocker_titles);
    x->people[R_BLOCKER].enthusiasm = "skeptic";
    size_t concern = rng_index(&r, COUNT_OF(blocker_concerns));
    x->people[R_BLOCKER].concerns = blocker_concerns[concern][0];
    x->people[R_BLOCKER].mitigation = blocker_concerns[concern][1];
    x->has_influencer = rng_chance(&r, 0.25);
    x->people[R_INFLUENCER].title = PICK(&r, influencer_titles);
    x->people[R_INFLUENCER].enthusiasm = "supporter";
    fmt(x->people[R_INFLUENCER].objectives, sizeof(x->people[R_INFLUENCER].objectives),
        "Training that fits around shifts");

    /* objectives */
    x->objective = PICK(&r, in->objective);
    int c0 = rng_int(&r, 0, 3);
    x->ncriteria = small ? 2 : rng_int(&r, 2, 3);
    for (int i = 0; i < x->ncriteria; i++)
        x->criteria[i] = in->criteria[(c0 + i) % 4];
    long long saved = p->acv * rng_int(&r, 25, 60) / 10;
    char money[48];
    amount_text(saved, p->currency, money, sizeof(money));
    fmt(x->roi, sizeof(x->roi), "%s/year saved in %s; payback in %d months", money, in->saving,
        payback);
    char champ[32], sponsor[32];
    first_name(x->people[R_CHAMPION].name, champ, sizeof(champ));
    first_name(x->people[R_EXEC].name, sponsor, sizeof(sponsor));
    int wins_kind = rng_int(&r, 0, 2);
    if (wins_kind == 0)
        fmt(x->personal_wins, sizeof(x->personal_wins),
            "%s presents the results at the %s board meeting; %s meets the cost target.", champ,
            month_after(p->t0, rng_int(&r, 3, 6)), sponsor);
    else if (wins_kind == 1)
        fmt(x->personal_wins, sizeof(x->personal_wins),
            "%s wants this as the flagship project for a promotion to director.", champ);
    else
        fmt(x->personal_wins, sizeof(x->personal_wins),
            "%s gets the team out of weekend firefighting; %s can show the board a single view.",
            champ, sponsor);

    /* scope */
    x->features[0] = "Case inbox";
    x->features[1] = in->module;
    x->nfeatures = 2;
    int extra = small ? 1 : rng_int(&r, 2, 3);
    for (int i = 0; i < extra; i++) {
        const char *f = product_features[1 + rng_index(&r, COUNT_OF(product_features) - 1)];
        bool dup = false;
        for (int j = 0; j < x->nfeatures; j++)
            dup = dup || strcmp(x->features[j], f) == 0;
        if (!dup && x->nfeatures < 5)
            x->features[x->nfeatures++] = f;
    }
    x->customization = small && rng_chance(&r, 0.6) ? "N/A" : PICK(&r, in->customization);
    static const char *const services_small[] = {"N/A", "One remote admin training session"};
    static const char *const services_big[] = {
        "Two remote admin training sessions", "Data migration package (40 hours)",
        "On-site go-live support for one week", "Solution design workshop and admin training"};
    x->services = small ? PICK(&r, services_small) : PICK(&r, services_big);
    x->support_tier = p->segment == HF_SEG_STRATEGIC ? "Premium with a named TAM, 1-hour P1 response"
                      : p->segment == HF_SEG_ENTERPRISE ? "Premium, 4-hour response SLA"
                      : p->segment == HF_SEG_MID_MARKET ? "Standard plus, 8-hour response"
                                                        : "Standard, business hours";
    x->standard_weeks = standard_weeks[p->segment];
    x->timeline_weeks = x->standard_weeks + rng_int(&r, 0, 4);
    x->start_day = local_day(p->t0, z) + rng_int(&r, 7, 12);
    x->go_live_day = x->start_day + 7 * x->timeline_weeks;
    char go_live[HF_TIME_BUFSZ], start[HF_TIME_BUFSZ];
    hf_date_format(x->go_live_day, go_live);
    hf_date_format(x->start_day, start);
    fmt(x->timeline_promised, sizeof(x->timeline_promised), "Live for %s by %s", in->users,
        go_live);

    /* commitments: a scope one first, then others, the verbal one last */
    int ncommit = small ? rng_int(&r, 1, 2) : big ? rng_int(&r, 2, 4) : rng_int(&r, 2, 3);
    bool wants_verbal = rng_chance(&r, 0.45);
    for (int i = 0; i < MAX_DECISIONS; i++)
        wants_verbal = wants_verbal || (p->review_mask[i] & RD_COMMITMENT);
    x->verbal = -1;
    for (int i = 0; i < ncommit + (wants_verbal ? 1 : 0) && i < 5; i++) {
        commitment_text *c = &x->commitments[i];
        int kind = i == 0 ? 0 : rng_int(&r, 1, 3);
        if (wants_verbal && i == ncommit)
            kind = 4;
        int variant = rng_int(&r, 0, 3);
        int n = rng_int(&r, 6, 24);
        c->due_day = x->start_day + rng_int(&r, 10, 60);
        switch (kind) {
        case 0:
            c->kind = "scope";
            c->owner = "Implementation";
            if (variant == 0)
                fmt(c->text, sizeof(c->text), "Single sign-on with %s", x->idp);
            else if (variant == 1)
                fmt(c->text, sizeof(c->text), "%s enabled for all %s", in->module, in->site);
            else
                fmt(c->text, sizeof(c->text), "%s integration for %s", x->erp, in->object);
            break;
        case 1:
            c->kind = "service";
            c->owner = variant < 2 ? "CSM" : "Professional services";
            if (variant == 0)
                fmt(c->text, sizeof(c->text), "Admin training in %s, two remote sessions",
                    k->language);
            else if (variant == 1)
                fmt(c->text, sizeof(c->text), "Weekly check-ins during the first 90 days");
            else
                fmt(c->text, sizeof(c->text), "Migration of %d months of history", n);
            break;
        case 2:
            c->kind = "timeline";
            c->owner = "Implementation";
            c->due_day = x->go_live_day;
            if (variant < 2)
                fmt(c->text, sizeof(c->text), "Go-live before %s", go_live);
            else
                fmt(c->text, sizeof(c->text), "Pilot live within %d weeks of kickoff",
                    x->timeline_weeks / 2);
            break;
        case 3:
            c->kind = "commercial";
            c->owner = "Finance";
            if (variant == 0)
                fmt(c->text, sizeof(c->text), "Price locked for 24 months on additional seats");
            else if (variant == 1)
                fmt(c->text, sizeof(c->text), "Sandbox environment free for 6 months");
            else
                fmt(c->text, sizeof(c->text),
                    "Onboarding fee waived if go-live slips past %s", go_live);
            break;
        default:
            c->kind = "verbal";
            c->owner = variant < 2 ? "Product" : "CSM";
            x->verbal = i;
            if (variant == 0)
                fmt(c->text, sizeof(c->text),
                    "'We can probably do that': a custom board report by Q%d", rng_int(&r, 1, 4));
            else if (variant == 1)
                fmt(c->text, sizeof(c->text),
                    "Told the champion the mobile app's offline mode is 'coming soon'");
            else if (variant == 2)
                fmt(c->text, sizeof(c->text), "Promised a %s-speaking support agent on every shift",
                    k->language);
            else
                fmt(c->text, sizeof(c->text),
                    "Said the %s connector is on next quarter's roadmap", other);
            break;
        }
        x->ncommitments = i + 1;
    }

    /* technical */
    fmt(x->environment, sizeof(x->environment), "%s, %s, %s", x->erp, x->idp, PICK(&r, clouds));
    int spec_kind = rng_int(&r, 0, 2);
    if (spec_kind == 0)
        fmt(x->specs, sizeof(x->specs), "%s REST API, read-only %s sync every %d minutes", x->erp,
            in->object, rng_int(&r, 1, 4) * 5);
    else if (spec_kind == 1)
        fmt(x->specs, sizeof(x->specs), "Webhook from %s on status change; nightly batch for history",
            x->erp);
    else
        fmt(x->specs, sizeof(x->specs), "Daily CSV export from %s over SFTP", x->erp);
    int migration_kind = rng_int(&r, 0, 3);
    if (migration_kind == 0)
        fmt(x->migration, sizeof(x->migration), "%d months of %s from CSV exports",
            rng_int(&r, 6, 24), in->object);
    else if (migration_kind == 1)
        fmt(x->migration, sizeof(x->migration), "None: starting fresh");
    else if (migration_kind == 2)
        fmt(x->migration, sizeof(x->migration), "N/A");
    else
        fmt(x->migration, sizeof(x->migration), "Open %s only, about %d records", in->object,
            rng_int(&r, 2, 40) * 100);
    int validation_kind = rng_int(&r, 0, 3);
    if (validation_kind == 0)
        fmt(x->validation, sizeof(x->validation), "Technical validation completed in the %s POC",
            month_after(p->t0, 11));
    else if (validation_kind == 1)
        fmt(x->validation, sizeof(x->validation), "Sandbox tested by customer IT; SSO still to test");
    else if (validation_kind == 2)
        fmt(x->validation, sizeof(x->validation), "API access confirmed by %s",
            x->people[R_TECH].name);
    else
        fmt(x->validation, sizeof(x->validation),
            "Architecture review passed with the customer's security team");

    /* implementation */
    x->milestone_days[0] = x->start_day;
    fmt(x->milestone_names[0], sizeof(x->milestone_names[0]), "Kickoff");
    x->milestone_days[1] = x->start_day + 7 * (x->timeline_weeks / 2);
    fmt(x->milestone_names[1], sizeof(x->milestone_names[1]), "%s integration live", x->erp);
    x->milestone_days[2] = x->go_live_day - 14;
    fmt(x->milestone_names[2], sizeof(x->milestone_names[2]), "Pilot with %s",
        strchr(in->users, ' ') ? "two super-user teams" : in->users);
    x->milestone_days[3] = x->go_live_day;
    fmt(x->milestone_names[3], sizeof(x->milestone_names[3]), "Go-live");
    fmt(x->resources, sizeof(x->resources), "%s %d%%, two super-users %d%%",
        x->people[R_TECH].name, rng_int(&r, 2, 5) * 5, rng_int(&r, 1, 3) * 5);
    fmt(x->dependencies[0], sizeof(x->dependencies[0]), "%s tenant access", x->idp);
    fmt(x->dependencies[1], sizeof(x->dependencies[1]), "%s API credentials from %s IT", x->erp,
        p->company);
    fmt(x->dependencies[2], sizeof(x->dependencies[2]), "Security questionnaire sign-off");
    x->ndependencies = small ? 1 : rng_int(&r, 2, 3);

    /* commercial and payment */
    static const char *const upfront_terms[] = {"Net 30, annual upfront", "Net 45, annual upfront",
                                                "Net 30, annual upfront",
                                                "Net 90, annual upfront"};
    static const int upfront_days[] = {30, 45, 30, 90};
    static const char *const installment_terms[] = {"Net 30, quarterly installments",
                                                    "Net 60, quarterly installments",
                                                    "Net 30, monthly installments"};
    static const int installment_days[] = {30, 60, 30};
    x->installments = rng_chance(&r, big ? 0.45 : 0.25);
    size_t term = x->installments ? rng_index(&r, COUNT_OF(installment_terms))
                                  : rng_index(&r, COUNT_OF(upfront_terms));
    x->payment_terms = x->installments ? installment_terms[term] : upfront_terms[term];
    x->terms_days = x->installments ? installment_days[term] : upfront_days[term];
    if (p->country == C_BR && !big && rng_chance(&r, 0.5)) {
        x->payment_terms = "Bank slip (boleto), 28 days, annual upfront";
        x->terms_days = 28;
        x->installments = false;
    }
    x->po_required = big && rng_chance(&r, 0.7);
    x->po_missing = x->po_required && rng_chance(&r, 0.15);
    x->delay_requested = rng_chance(&r, 0.06);
    static const char *const concerns[] = {
        "Customer asked to split the first invoice across two cost centres",
        "Vendor registration in the customer's procurement portal still pending",
        "Withholding tax on the invoice not agreed yet"};
    x->finance_concerns = rng_chance(&r, 0.08) ? PICK(&r, concerns) : NULL;
    static const char *const discounts[] = {"10% multi-year", "15% end-of-quarter",
                                            "5% for annual upfront payment", "None",
                                            "20% strategic logo discount"};
    x->discount = p->years > 1 ? "10% multi-year" : PICK(&r, discounts);
    static const char *const specials[] = {
        "N/A", "N/A", "Termination for convenience after 12 months",
        "Price cap of 5% at renewal", "Data residency in the customer's country",
        "Most-favoured-customer clause on list price"};
    x->special_terms = PICK(&r, specials);

    /* risks: the industry's own first, then generic ones */
    x->nrisks = small ? rng_int(&r, 1, 2) : rng_int(&r, 2, 3);
    x->risks[0].category = in->risk.category;
    fmt(x->risks[0].text, sizeof(x->risks[0].text), "%s", in->risk.text);
    x->risks[0].severity = in->risk.severity;
    x->risks[0].mitigation = in->risk.mitigation;
    size_t g = rng_index(&r, COUNT_OF(generic_risks));
    for (int i = 1; i < 3; i++, g = (g + 3) % COUNT_OF(generic_risks)) {
        const generic_risk *gr = &generic_risks[g];
        x->risks[i].category = gr->category;
        const char *arg = gr->arg == 'c' ? x->competitors[0]
                          : gr->arg == 's' ? x->erp
                          : gr->arg == 'm' ? month_after(p->t0, 3)
                                           : "";
        if (gr->arg)
            fmt(x->risks[i].text, sizeof(x->risks[i].text), gr->text, arg);
        else
            fmt(x->risks[i].text, sizeof(x->risks[i].text), "%s", gr->text);
        x->risks[i].severity = gr->severity;
        x->risks[i].mitigation = gr->mitigation;
    }

    /* the meeting */
    x->extra_attendees = 0;
    if (big && rng_chance(&r, 0.6))
        x->extra_attendees |= 1;
    if (rng_chance(&r, 0.35))
        x->extra_attendees |= 2;
    if (p->segment == HF_SEG_STRATEGIC && rng_chance(&r, 0.4))
        x->extra_attendees |= 4;
    if (p->segment == HF_SEG_STRATEGIC || rng_chance(&r, 0.2))
        x->extra_attendees |= 8;
    x->sales_engineer = rng_int(&r, 0, 2);
    x->implementer = rng_int(&r, 0, 1);
    x->questions_asked = rng_int(&r, 3, 9);
    x->recording = (unsigned)(rng_next(&r) >> 32);
    static const char *const openings[] = {
        "AE walked through the account, the stakeholder map and every commitment.",
        "Good session: CS heard the whole story from the AE and the SE.",
        "Covered the account history, why they bought and what was promised.",
        "AE shared the mutual action plan and the notes from the final negotiation."};
    x->note_opening = PICK(&r, openings);
    x->slip_reason = PICK(&r, slip_reasons);
    static const char *const topics[] = {"the data migration", "who signs off the go-live",
                                         "the verbal commitments", "the integration owner",
                                         "the customer's internal resources"};
    x->open_topic = PICK(&r, topics);
    size_t why_cancel = rng_index(&r, COUNT_OF(cancel_reasons));
    if (strstr(cancel_reasons[why_cancel], "%s"))
        fmt(x->cancel_reason, sizeof(x->cancel_reason), cancel_reasons[why_cancel],
            x->competitors[0][0] == 'S' || x->competitors[0][0] == 'I' ? "OpsHub"
                                                                      : x->competitors[0]);
    else
        fmt(x->cancel_reason, sizeof(x->cancel_reason), "%s", cancel_reasons[why_cancel]);
    static const char *const accept_comments[] = {
        NULL, NULL, "Thorough handoff, thanks.", "Clear commitments and a realistic plan.",
        "Accepted; we will confirm the integration details at the kickoff."};
    x->accept_comment = PICK(&r, accept_comments);
}
