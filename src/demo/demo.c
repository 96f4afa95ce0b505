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
#include "handoff/service.h"

#include <math.h>
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

static void fmt(char *buf, size_t cap, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
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
    int64_t last =
        m == 12 ? hf_days_from_civil(y + 1, 1, 1) - 1 : hf_days_from_civil(y, m + 1, 1) - 1;
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

static const char *const month_names[12] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};

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
    "James", "Emily",  "Michael", "Sarah",  "David",  "Jessica", "Ryan",  "Ashley",
    "Kevin", "Megan",  "Brian",   "Lauren", "Jason",  "Rachel",  "Eric",  "Amanda",
    "Tyler", "Hannah", "Marcus",  "Olivia", "Derek",  "Natalie", "Andre", "Priya",
    "Wei",   "Aisha",  "Connor",  "Brooke", "Jordan", "Dana",    "Grace", "Nathan"};
static const char *const us_last[] = {
    "Park",  "Miller",   "Johnson", "Walsh",   "Nguyen",   "Patel",    "Carter",  "Brooks",
    "Hayes", "Sullivan", "Bennett", "Coleman", "Foster",   "Hughes",   "Kim",     "Murphy",
    "Price", "Shaw",     "Tran",    "Ward",    "Whitaker", "Yang",     "Donovan", "Fischer",
    "Grant", "Holloway", "Lowe",    "Okafor",  "Reed",     "Sinclair", "Dalton",  "Chen"};
static const char *const br_first[] = {
    "Ana",      "Bruno",   "Camila",   "Daniel",  "Fernanda", "Gabriel",  "Juliana", "Lucas",
    "Mariana",  "Rafael",  "Patrícia", "Thiago",  "Larissa",  "Felipe",   "Beatriz", "Gustavo",
    "Renata",   "Rodrigo", "Aline",    "Marcelo", "Carolina", "Eduardo",  "Vanessa", "Leonardo",
    "Priscila", "André",   "Tatiana",  "Diego",   "Letícia",  "Vinícius", "João",    "Luíza"};
static const char *const br_last[] = {
    "Silva",      "Santos",  "Oliveira",   "Souza",    "Lima",    "Pereira",  "Costa",
    "Rodrigues",  "Almeida", "Nascimento", "Carvalho", "Araújo",  "Ribeiro",  "Gomes",
    "Martins",    "Rocha",   "Barbosa",    "Mendes",   "Cardoso", "Teixeira", "Moreira",
    "Cavalcanti", "Freitas", "Nunes",      "Pinto",    "Azevedo", "Monteiro", "Vieira",
    "Batista",    "Duarte",  "Fonseca",    "Prado"};
static const char *const mx_first[] = {
    "José",   "María",   "Alejandro", "Guadalupe", "Fernando", "Daniela", "Ricardo", "Sofía",
    "Jorge",  "Valeria", "Luis",      "Mariana",   "Eduardo",  "Ximena",  "Arturo",  "Paola",
    "Héctor", "Andrea",  "Raúl",      "Gabriela",  "Emilio",   "Regina",  "Óscar",   "Fernanda",
    "Iván",   "Lorena",  "Sergio",    "Adriana",   "Mauricio", "Claudia", "Rodrigo", "Karla"};
static const char *const mx_last[] = {
    "Hernández", "García",    "Martínez", "López",  "González", "Rodríguez", "Pérez",   "Sánchez",
    "Ramírez",   "Flores",    "Torres",   "Rivera", "Gómez",    "Díaz",      "Cruz",    "Morales",
    "Reyes",     "Gutiérrez", "Ortiz",    "Chávez", "Ruiz",     "Mendoza",   "Aguilar", "Vázquez",
    "Castillo",  "Jiménez",   "Moreno",   "Romero", "Herrera",  "Medina",    "Salinas", "Treviño"};
static const char *const es_first[] = {
    "Javier", "Lucía",      "Pablo",   "Carmen", "Álvaro", "Marta",    "Sergio", "Laura",
    "Diego",  "Elena",      "Adrián",  "Paula",  "Iván",   "Cristina", "Raúl",   "Nuria",
    "Jorge",  "Irene",      "Alberto", "Sara",   "Rubén",  "Beatriz",  "Íñigo",  "Ainhoa",
    "Marc",   "Montserrat", "Hugo",    "Alba",   "Manuel", "Rocío",    "Jaume",  "Noelia"};
static const char *const es_last[] = {
    "García",  "Fernández",  "González", "Rodríguez", "López",   "Martínez",  "Sánchez",
    "Pérez",   "Gómez",      "Martín",   "Jiménez",   "Ruiz",    "Hernández", "Díaz",
    "Moreno",  "Muñoz",      "Álvarez",  "Romero",    "Navarro", "Torres",    "Domínguez",
    "Vázquez", "Ramos",      "Gil",      "Serrano",   "Blanco",  "Molina",    "Ortega",
    "Castro",  "Etxeberria", "Puig",     "Ferrer"};
static const char *const co_first[] = {"Andrés",   "Natalia",   "Santiago", "Catalina",  "Camilo",
                                       "Juliana",  "Felipe",    "Laura",    "Sebastián", "Manuela",
                                       "Mateo",    "Valentina", "Julián",   "Paola",     "Nicolás",
                                       "Carolina", "Esteban",   "Daniela",  "Alejandro", "Lina"};
static const char *const co_last[] = {"Restrepo", "Gómez",    "Rodríguez", "Londoño",   "Vargas",
                                      "Cárdenas", "Ospina",   "Mejía",     "Jaramillo", "Castaño",
                                      "Salazar",  "Zapata",   "Rojas",     "Moreno",    "Duque",
                                      "Arango",   "Quintero", "Giraldo",   "Ramírez",   "Villegas"};
static const char *const id_first[] = {
    "Budi",   "Siti",  "Agus",  "Dewi",  "Rizky",  "Putri", "Andi",  "Ayu",
    "Hendra", "Indah", "Fajar", "Rina",  "Arief",  "Sari",  "Yudi",  "Nurul",
    "Dimas",  "Wulan", "Eko",   "Maya",  "Bayu",   "Fitri", "Reza",  "Lestari",
    "Adi",    "Intan", "Irfan", "Ratna", "Gilang", "Anisa", "Teguh", "Citra"};
static const char *const id_last[] = {
    "Santoso",  "Wijaya",      "Pratama",   "Saputra", "Hidayat",  "Kusuma",  "Nugroho",
    "Setiawan", "Wibowo",      "Halim",     "Siregar", "Nasution", "Gunawan", "Lubis",
    "Sutanto",  "Purnomo",     "Hartono",   "Tanoto",  "Rahman",   "Susanto", "Kurniawan",
    "Harahap",  "Simanjuntak", "Suryadi",   "Permana", "Utomo",    "Widjaja", "Firmansyah",
    "Hakim",    "Salim",       "Wulandari", "Tambunan"};

static const char *const us_stems[] = {
    "Bluewater",    "Granite Peak", "Northfield",   "Redwood",       "Silver Lake", "Harborview",
    "Prairie Wind", "Summit Ridge", "Lakeshore",    "Ironbridge",    "Keystone",    "Brightwater",
    "Cedar Point",  "Oakhurst",     "Pinecrest",    "Riverbend",     "Stonegate",   "Westbrook",
    "Clearview",    "Meridian",     "Falcon Ridge", "Copper Creek",  "Evergreen",   "Highland",
    "Maplewood",    "Blue Ridge",   "Sterling",     "Pioneer",       "Liberty Bay", "Red Rock",
    "Juniper",      "Twin Rivers",  "Great Plains", "Hudson Valley", "Crescent",    "Beacon Hill"};
static const char *const br_stems[] = {
    "Serra Azul",   "Vale Verde",  "Ipê",          "Aurora",     "Paineira",  "Atlântico",
    "Horizonte",    "Boa Vista",   "Mar Aberto",   "Cerrado",    "Jacarandá", "Araucária",
    "Sol Nascente", "Rio Claro",   "Nova Era",     "Pampa",      "Itapuã",    "Piracema",
    "Canaã",        "Tropical",    "Guará",        "Jequitibá",  "Maré Alta", "Estrela do Sul",
    "Pedra Branca", "Ouro Verde",  "Bandeirantes", "Capibaribe", "Iguaçu",    "Tupã",
    "Carnaúba",     "Mantiqueira", "Paranapanema", "Ibirapuera", "Juriti",    "Cambuí"};
static const char *const mx_stems[] = {
    "Altamira",       "del Bajío",  "Sierra Madre", "Anáhuac",       "del Golfo",
    "Pacífico Norte", "Mezquital",  "Los Altos",    "La Huasteca",   "Valle de Oro",
    "Monte Albán",    "Cielo Azul", "El Nogal",     "Sol de Sonora", "Puerta de Hierro",
    "Tres Ríos",      "El Roble",   "Cumbres",      "Santa Lucía",   "Chapultepec",
    "Mayab",          "Citlali",    "Tonatiuh",     "Real del Monte"};
static const char *const es_stems[] = {
    "Alborán",      "Ibérica",    "Cantábrico", "Levante",     "Guadalquivir", "Sierra Nevada",
    "Mediterránea", "Tramontana", "Miramar",    "Costa Brava", "Duero",        "Ebro",
    "Almenara",     "Galaica",    "Atalaya",    "Mar Menor",   "Albaicín",     "Peñalara",
    "Moncayo",      "Bidasoa",    "Montseny",   "Aljarafe",    "Teide",        "Arlanza"};
static const char *const co_stems[] = {
    "Andina",  "Sabana",   "Magdalena", "Caribe", "Cordillera", "Llanos", "Guadua", "Quindío",
    "Tayrona", "Orquídea", "Cafetal",   "Nevado", "Chicamocha", "Sinú",   "Atrato", "Macarena"};
static const char *const id_stems[] = {
    "Nusantara",     "Sinar Harapan", "Cahaya Abadi", "Mitra Sejahtera", "Bumi Lestari",
    "Karya Mandiri", "Samudra Biru",  "Garuda Prima", "Surya Gemilang",  "Mega Perkasa",
    "Lintas Jaya",   "Puncak Emas",   "Tunas Baru",   "Bintang Timur",   "Angkasa Raya",
    "Cipta Karya",   "Indah Makmur",  "Sentosa",      "Bahari",          "Rajawali",
    "Cendrawasih",   "Merapi",        "Kencana",      "Pelita"};

static const char *const us_cities[] = {"Chicago", "Atlanta", "Denver",    "Columbus",
                                        "Austin",  "Seattle", "Charlotte", "Minneapolis",
                                        "Phoenix", "Boston",  "Nashville", "Pittsburgh"};
static const char *const br_cities[] = {
    "São Paulo", "Curitiba",  "Belo Horizonte", "Porto Alegre",  "Recife",
    "Campinas",  "Joinville", "Goiânia",        "Florianópolis", "Salvador"};
static const char *const mx_cities[] = {"Monterrey", "Guadalajara", "Ciudad de México", "Querétaro",
                                        "Puebla",    "León",        "Mérida",           "Tijuana"};
static const char *const es_cities[] = {"Madrid",  "Barcelona", "Valencia", "Bilbao",
                                        "Sevilla", "Zaragoza",  "Málaga",   "Vigo"};
static const char *const co_cities[] = {"Bogotá", "Medellín", "Cali", "Barranquilla",
                                        "Bucaramanga"};
static const char *const id_cities[] = {"Jakarta",  "Surabaya", "Bandung", "Medan",
                                        "Semarang", "Makassar", "Denpasar"};

static const char *const us_systems[] = {
    "NetSuite", "Microsoft Dynamics 365", "Salesforce", "Okta", "Snowflake", "Zendesk"};
static const char *const br_systems[] = {"TOTVS Protheus",     "SAP S/4HANA",
                                         "Senior Sistemas",    "WhatsApp Business API",
                                         "Microsoft Entra ID", "Power BI"};
static const char *const mx_systems[] = {"SAP S/4HANA",        "CONTPAQi",
                                         "Oracle NetSuite",    "WhatsApp Business API",
                                         "Microsoft Entra ID", "Power BI"};
static const char *const es_systems[] = {"SAP S/4HANA",        "A3ERP",      "Holded",
                                         "Microsoft Entra ID", "Salesforce", "Power BI"};
static const char *const co_systems[] = {"Siigo", "SAP Business One", "WhatsApp Business API",
                                         "Google Workspace", "Power BI"};
static const char *const id_systems[] = {
    "Accurate Online",  "SAP Business One", "WhatsApp Business API",
    "Google Workspace", "Jurnal",           "Looker Studio"};

#define POOL(a) a, COUNT_OF(a)
enum { C_US, C_BR, C_MX, C_ES, C_ID, C_CO, C_COUNT };
static const country countries[C_COUNT] = {
    [C_US] = {"United States", L_EN, ZONE_NEW_YORK, 0, "English", "Nasdaq",
              "SOC 2 report reviewed; SSO mandatory", POOL(us_first), POOL(us_last), POOL(us_stems),
              POOL(us_cities), POOL(us_systems)},
    [C_BR] = {"Brazil", L_PT, ZONE_SAO_PAULO, 1, "Portuguese", "B3",
              "LGPD data processing agreement signed; SSO mandatory", POOL(br_first), POOL(br_last),
              POOL(br_stems), POOL(br_cities), POOL(br_systems)},
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
     "warehouses",
     "Operations and customer service",
     "Director of Operations",
     "Carrier scorecards",
     "shipment status",
     "ops labour",
     {"Shipment exceptions handled by email; no single view of carrier performance.",
      "Delivery complaints tracked in one spreadsheet per warehouse; nobody sees the backlog.",
      "Damaged-cargo claims take three weeks to resolve and customers escalate to sales."},
     {"Resolve shipment exceptions in one place instead of email threads.",
      "Give shippers self-service tracking and cut 'where is my order' calls.",
      "Measure carrier performance and renegotiate the worst lanes."},
     {"Exception resolution time from 3 days to 1 day",
      "80% of the ops team weekly active by day 60",
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
     "stores",
     "Store operations",
     "Head of Store Operations",
     "Store task manager",
     "store tickets",
     "store management hours",
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
     "clinics",
     "Patient services",
     "Head of Patient Experience",
     "Patient request portal",
     "patient requests",
     "front-desk and admin time",
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
     "branches",
     "Customer service and back office",
     "Head of Customer Operations",
     "Dispute workflow",
     "card disputes",
     "back-office labour",
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
     "plants",
     "Maintenance and quality",
     "Plant Operations Manager",
     "Maintenance work orders",
     "work orders",
     "downtime",
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
     "branches",
     "Claims",
     "Claims Director",
     "Claims intake",
     "claims",
     "claims handling cost",
     {"First notice of loss arrives by email and phone; 15% of claims are re-keyed twice.",
      "Brokers chase claim status by phone all day.", "No view of claim cycle time by adjuster."},
     {"Digital first notice of loss with automatic triage.",
      "Broker self-service for claim status.", "Cycle-time reporting by adjuster and product."},
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
     "campuses",
     "Student services",
     "Director of Student Services",
     "Student help desk",
     "student requests",
     "call-centre staffing",
     {"Enrolment questions flood the call centre every semester.",
      "Student requests bounce between departments with no owner.",
      "No data on why students drop out in the first semester."},
     {"One student help desk for enrolment, finance and academic requests.",
      "Every request owned and answered within its SLA.",
      "An early-warning view of at-risk first-year students."},
     {"Enrolment-period call volume down 30%", "Student satisfaction with support above 4/5",
      "Requests answered within 2 working days: 90%", "First-semester drop-out down 2 points"},
     {"Request categories aligned to the academic calendar", "Student ID card used for login"},
     {"timeline", "Enrolment periods leave no room for change in January and July", "high",
      "Go live in the quiet weeks; change freeze during enrolment"},
     "The next enrolment period opens in %s."},
    {"Energy and utilities",
     {{"Energy", "Power", "Utilities"},
      {"Energia", "Elétrica", "Saneamento"},
      {"Energía", "Eléctrica", "Aguas"},
      {"Energi", "Daya", "Listrik"}},
     "service regions",
     "Field operations",
     "Head of Field Operations",
     "Field service app",
     "service orders",
     "regulatory penalties and crew overtime",
     {"Customer outage reports are not linked to field crews.",
      "Field crews get their service orders on paper every morning.",
      "The regulator fines late reconnections; nobody tracks them today."},
     {"Connect customer outage reports to field dispatch.",
      "Mobile service orders with photos and signatures.",
      "Track reconnection times against the regulatory target."},
     {"Reconnections within the regulatory deadline: 98%", "Paper service orders gone by month 6",
      "Crew idle time down 10%", "Outage updates sent to customers automatically"},
     {"Offline mode for rural areas", "Service-order types matching the regulator's codes"},
     {"technical", "Rural crews have poor mobile coverage", "medium",
      "Offline mode tested in the pilot region before rollout"},
     "The regulator's new quality targets start in %s."},
    {"Hospitality",
     {{"Hotels", "Resorts", "Hospitality"},
      {"Hotéis", "Resorts", "Hotelaria"},
      {"Hoteles", "Resorts", "Hotelera"},
      {"Hotel", "Resort", "Wisata"}},
     "hotels",
     "Guest services and housekeeping",
     "Director of Guest Experience",
     "Guest request tracker",
     "guest requests",
     "guest compensation and overtime",
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
     "mills and farms",
     "Quality and logistics",
     "Supply Chain Manager",
     "Supplier quality portal",
     "quality incidents",
     "rejected shipments",
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
     "regional offices",
     "Customer care",
     "Head of Customer Care",
     "Case inbox with network alerts",
     "trouble tickets",
     "repeat visits",
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
     "offices",
     "Support and success",
     "VP Customer Support",
     "Escalation workflow",
     "support escalations",
     "engineering interrupt time",
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

static const char *const product_features[] = {
    "Case inbox", "SLA dashboards",      "Workflow automation", "Customer portal",
    "Mobile app", "Analytics workspace", "Audit log",           "Public API"};
static const char *const identity_providers[] = {"Okta", "Microsoft Entra ID", "Google Workspace"};
static const char *const clouds[] = {"Azure", "AWS", "Google Cloud", "an on-premise data centre"};
static const char *const competitors[] = {"OpsHub",
                                          "FlowDesk",
                                          "Casewise",
                                          "Trackly",
                                          "ServiceGrid",
                                          "In-house build",
                                          "Status quo (spreadsheets and email)"};
static const char *const partners[] = {"Lumen Consulting", "Andes Partners", "Nusa Digital",
                                       "Iberia Integradores", "BrightPath Consulting"};
static const char *const exec_titles[] = {"COO", "VP Operations", "Chief Digital Officer",
                                          "Chief Customer Officer", "Managing Director"};
static const char *const smb_exec_titles[] = {"CEO", "Founder and CEO", "Managing Director", "COO"};
static const char *const econ_titles[] = {"CFO", "VP Finance", "Finance Director",
                                          "Head of Procurement"};
static const char *const tech_titles[] = {"IT Manager", "Head of IT", "Solutions Architect",
                                          "IT Director", "Integration Lead"};
static const char *const influencer_titles[] = {"Training Coordinator",
                                                "Customer Service Supervisor", "Quality Manager",
                                                "Regional Operations Lead"};
static const char *const blocker_titles[] = {"Head of IT Security", "Legacy system owner",
                                             "Regional Operations Director", "Procurement Manager",
                                             "Data Protection Officer"};
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
static const char *const communications[] = {
    "email",           "WhatsApp",           "Slack",
    "Microsoft Teams", "phone, short calls", "email; weekly status note"};
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
    "customer_overview", "stakeholders", "objectives",          "scope_commitments",
    "implementation",    "risks",        "questions_next_steps"};
static const char *const agenda_words[7] = {"the customer overview",   "the stakeholders",
                                            "the objectives",          "scope and commitments",
                                            "implementation",          "risks",
                                            "questions and next steps"};

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
    {"Spanish-speaking LATAM", ALL_SEGMENTS & ~SEG_BIT(HF_SEG_STRATEGIC),
     COUNTRY_BIT(C_MX) | COUNTRY_BIT(C_CO) | COUNTRY_BIT(C_ES), 32, 18, 8, C_MX},
    {"Indonesia and Spain", ALL_SEGMENTS & ~SEG_BIT(HF_SEG_STRATEGIC),
     COUNTRY_BIT(C_ID) | COUNTRY_BIT(C_ES), 28, 14, 7, C_ID},
    {"Spain", ALL_SEGMENTS & ~SEG_BIT(HF_SEG_STRATEGIC), COUNTRY_BIT(C_ES), 26, 10, 7, C_ES},
};

typedef struct csm_rec {
    person who;
    const csm_profile *profile;
} csm_rec;

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
        const person *all[] = {&o->sales_managers[0],
                               &o->sales_managers[1],
                               &o->sales_managers[2],
                               &o->cs_managers[0],
                               &o->cs_managers[1],
                               &o->sales_engineers[0],
                               &o->sales_engineers[1],
                               &o->sales_engineers[2],
                               &o->implementation[0],
                               &o->implementation[1],
                               &o->revops};
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
static const double summary_weights[S_COUNT] = {0.5, 0.3, 2, 0.2, 1,   4, 4,   0.1, 0.8, 2.5, 2,
                                                1,   1,   1, 1,   2.5, 3, 2.5, 0.5, 2,   2};

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

    hf_status status; /* the final status */
    hf_status
        path_status; /* whose path is walked: `status`, or the stage a cancelled one reached */
    hf_band band;    /* the band aimed at */
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
    unsigned
        extra_attendees; /* 1 sales engineer, 2 implementation, 4 sales manager, 8 CS manager */
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
        fmt(x->purchase_context, sizeof(x->purchase_context), "Referral from %s; paid POC in %s.",
            partner, month_after(p->t0, 11));
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
    x->support_tier = p->segment == HF_SEG_STRATEGIC
                          ? "Premium with a named TAM, 1-hour P1 response"
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
                fmt(c->text, sizeof(c->text), "Onboarding fee waived if go-live slips past %s",
                    go_live);
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
                fmt(c->text, sizeof(c->text), "Said the %s connector is on next quarter's roadmap",
                    other);
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
        fmt(x->specs, sizeof(x->specs),
            "Webhook from %s on status change; nightly batch for history", x->erp);
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
        fmt(x->validation, sizeof(x->validation),
            "Sandbox tested by customer IT; SSO still to test");
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
    fmt(x->resources, sizeof(x->resources), "%s %d%%, two super-users %d%%", x->people[R_TECH].name,
        rng_int(&r, 2, 5) * 5, rng_int(&r, 1, 3) * 5);
    fmt(x->dependencies[0], sizeof(x->dependencies[0]), "%s tenant access", x->idp);
    fmt(x->dependencies[1], sizeof(x->dependencies[1]), "%s API credentials from %s IT", x->erp,
        p->company);
    fmt(x->dependencies[2], sizeof(x->dependencies[2]), "Security questionnaire sign-off");
    x->ndependencies = small ? 1 : rng_int(&r, 2, 3);

    /* commercial and payment */
    static const char *const upfront_terms[] = {"Net 30, annual upfront", "Net 45, annual upfront",
                                                "Net 30, annual upfront", "Net 90, annual upfront"};
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
    static const char *const specials[] = {"N/A",
                                           "N/A",
                                           "Termination for convenience after 12 months",
                                           "Price cap of 5% at renewal",
                                           "Data residency in the customer's country",
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
        const char *arg = gr->arg == 'c'   ? x->competitors[0]
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

/* ---- the document as of an instant ---- */

static void put_str(json_t *o, const char *key, const char *value)
{
    if (value)
        json_object_set_new(o, key, json_string(value));
}

static void put_int(json_t *o, const char *key, long long value)
{
    json_object_set_new(o, key, json_integer(value));
}

static void put_bool(json_t *o, const char *key, bool value)
{
    json_object_set_new(o, key, json_boolean(value));
}

static void put_date(json_t *o, const char *key, int64_t day)
{
    char b[HF_TIME_BUFSZ];
    json_object_set_new(o, key, json_string(hf_date_format(day, b)));
}

static void put_local(json_t *o, const char *key, hf_time t, zone z)
{
    char b[HF_TIME_BUFSZ];
    json_object_set_new(o, key, json_string(local_time(t, z, b)));
}

static void put_utc(json_t *o, const char *key, hf_time t)
{
    char b[HF_TIME_BUFSZ];
    json_object_set_new(o, key, json_string(utc_time(t, b)));
}

static bool happened(const plan *p, int event, hf_time t)
{
    return p->ev[event] != FOREVER && p->ev[event] <= t;
}

/* What the reviews found that is still wrong at `t`: the mask of the first review whose
 * correction has not happened yet. */
static unsigned review_mask_at(const plan *p, hf_time t)
{
    int k = 0;
    while (k < p->ndecisions - 1 && happened(p, EV_FIX(k), t))
        k++;
    return p->ndecisions > 0 ? p->review_mask[k] : 0;
}

/* A draft holds some of the first things a rep types; which ones varies by deal. */
static bool partial_has(const plan *p, int n)
{
    return ((p->seed >> (40 + 2 * n)) & 3u) != 0;
}

static bool summary_has(const plan *p, unsigned review, int item)
{
    if (p->d.summary & (1u << item))
        return false;
    if ((review & RD_INFO) && (item == S_CRITERIA || item == S_WINS))
        return false;
    return true;
}

static bool role_missing(const plan *p, unsigned review, int role)
{
    return (p->d.roles & (1u << role)) || ((review & RD_STAKEHOLDERS) && p->review_role == role);
}

static const person *rep_of(const plan *p, const org *o)
{
    return &o->reps[p->rep].who;
}

static json_t *stakeholder(const texts *x, int role, bool incomplete, const char *department)
{
    const person_text *pt = &x->people[role];
    json_t *s = json_object();
    put_str(s, "role", role_ids[role]);
    if (role == R_USERS) {
        put_str(s, "department", department);
        if (!incomplete)
            put_int(s, "user_count", x->user_count);
    } else {
        put_str(s, "name", pt->name);
        if (!incomplete)
            put_str(s, "title", pt->title);
    }
    put_str(s, "objectives", pt->objectives[0] ? pt->objectives : NULL);
    if (role != R_USERS) {
        put_str(s, "influence", pt->influence);
        put_str(s, "enthusiasm", pt->enthusiasm);
        put_str(s, "relationship", pt->relationship);
        put_str(s, "communication", pt->communication);
    }
    return s;
}

static json_t *string_array(const char *const *items, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_string(items[i]));
    return a;
}

/* The meeting notes a person would have written, from what went well and what did not. */
static void meeting_notes(const plan *p, const texts *x, const org *o, char *buf, size_t cap)
{
    size_t n = 0;
    n += (size_t)snprintf(buf + n, cap - n, "%s", x->note_opening);
    if (p->d.meeting_late && n < cap)
        n += (size_t)snprintf(buf + n, cap - n, " Meeting slipped past the 48-hour SLA: %s.",
                              x->slip_reason);
    if (p->d.csm_absent && n < cap)
        n += (size_t)snprintf(buf + n, cap - n,
                              " %s (CSM) was double-booked with a renewal call; %s took notes "
                              "and will brief.",
                              o->csms[p->csm].who.name, o->cs_managers[p->cs_manager].name);
    if (p->d.cs_manager_absent && n < cap)
        n += (size_t)snprintf(buf + n, cap - n,
                              " The CS manager could not join; the plan is not approved yet.");
    if (p->d.skipped && n < cap) {
        const char *words[7] = {NULL};
        size_t count = 0;
        for (int i = 0; i < 7; i++)
            if (p->d.skipped & (1u << i))
                words[count++] = agenda_words[i];
        n += (size_t)snprintf(buf + n, cap - n, " Ran out of time before");
        for (size_t i = 0; i < count && n < cap; i++)
            n += (size_t)snprintf(buf + n, cap - n, "%s%s",
                                  i == 0           ? " "
                                  : i + 1 == count ? " and "
                                                   : ", ",
                                  words[i]);
        if (n < cap)
            n += (size_t)snprintf(buf + n, cap - n, "; the AE will send notes.");
    }
    if (p->d.unanswered > 0 && n < cap)
        n += (size_t)snprintf(buf + n, cap - n, " %d CS question%s left open, mainly on %s.",
                              p->d.unanswered, p->d.unanswered == 1 ? "" : "s", x->open_topic);
    if (x->verbal >= 0 && !p->d.no_commitments && p->d.verbal_unvalidated && n < cap)
        n += (size_t)snprintf(buf + n, cap - n,
                              " The AE mentioned a verbal promise CS has not validated.");
    if (p->d.timeline_gap && n < cap)
        n += (size_t)snprintf(buf + n, cap - n,
                              " Sales promised %d weeks; our standard for this segment is %d.",
                              x->timeline_weeks, x->standard_weeks);
}

static json_t *action_item(const char *owner, const char *text, int64_t due, bool done)
{
    json_t *a = json_object();
    put_str(a, "owner", owner);
    put_str(a, "text", text);
    put_date(a, "due", due);
    put_bool(a, "done", done);
    return a;
}

/* The document of plan `p` as it stood at `t`: pure, so every version is reproducible. The
 * review history and timeline.resubmitted_at are not here: hf_handoff_transition writes
 * them, and the writer carries them over from the stored document. */
static json_t *build_document(const plan *p, const texts *x, const org *o, hf_time t)
{
    const country *k = &countries[p->country];
    const industry *in = &industries[p->industry];
    zone z = k->zone;
    const person *rep = rep_of(p, o);
    const person *csm = &o->csms[p->csm].who;
    const person *csmgr = &o->cs_managers[p->cs_manager];
    unsigned review = review_mask_at(p, t);
    bool partial = happened(p, EV_DOCS_PARTIAL, t);
    bool full = happened(p, EV_DOCS, t);
    bool signed_now = p->trigger != TRIGGER_VERBAL || happened(p, EV_SIGNED, t);
    char buf[1024];

    json_t *doc = json_object();
    put_str(doc, "schema", "handoff/1");

    /* deal: the CRM fields from the start, payment from the rep */
    json_t *deal = json_object();
    put_str(deal, "crm_id", p->crm_id);
    put_str(deal, "name", p->deal_name);
    json_t *owner = json_object();
    put_str(owner, "name", rep->name);
    put_str(owner, "email", rep->email);
    json_object_set_new(deal, "owner", owner);
    put_str(deal, "segment", hf_segment_name(p->segment));
    put_str(deal, "trigger", trigger_names[p->trigger]);
    put_str(deal, "contract_status", signed_now ? "fully_executed" : "in_review");
    if (p->trigger == TRIGGER_VERBAL)
        put_local(deal, "verbal_commit_at", p->t0, z);
    if (signed_now)
        put_local(deal, "contract_signed_at",
                  p->trigger == TRIGGER_VERBAL ? p->ev[EV_SIGNED] : p->t0, z);
    if (happened(p, EV_APPROVE, t))
        put_str(deal, "pre_close_approved_by", csmgr->name);
    if (full) {
        json_t *pay = json_object();
        put_str(pay, "terms", x->payment_terms);
        put_int(pay, "terms_days", x->terms_days);
        put_str(pay, "schedule", x->installments ? "installments" : "upfront");
        if (x->installments)
            put_bool(pay, "schedule_established", happened(p, EV_PAYMENT, t));
        else
            put_bool(pay, "first_payment_received", happened(p, EV_PAYMENT, t));
        put_bool(pay, "po_required", x->po_required);
        if (x->po_required)
            put_bool(pay, "po_received", !x->po_missing);
        put_bool(pay, "delay_requested", x->delay_requested);
        put_str(pay, "finance_concerns", x->finance_concerns);
        json_object_set_new(deal, "payment", pay);
    }
    json_object_set_new(doc, "deal", deal);

    /* customer */
    json_t *customer = json_object();
    put_str(customer, "company_name", p->company);
    put_str(customer, "industry", in->name);
    if (partial || full) {
        if (summary_has(p, review, S_SIZE) && (full || partial_has(p, 0)))
            put_str(customer, "company_size", x->company_size);
        if (summary_has(p, review, S_CHALLENGES) && (full || partial_has(p, 1)))
            put_str(customer, "business_challenges", x->challenge);
    }
    if (full) {
        if (summary_has(p, review, S_CONTEXT))
            put_str(customer, "purchase_context", x->purchase_context);
        if (!p->d.why_now_missing && !(review & RD_INFO))
            put_str(customer, "why_now", x->why_now);
        if (!p->d.competitors_missing)
            json_object_set_new(customer, "competitors_evaluated",
                                string_array(x->competitors, x->ncompetitors));
    }
    json_object_set_new(doc, "customer", customer);

    /* stakeholders */
    if (partial || full) {
        json_t *people = json_array();
        /* a stakeholder added after a review goes at the end, where the rep typed it */
        int late_role = -1;
        for (int j = 0; j < p->ndecisions; j++)
            if (p->review_mask[j] & RD_STAKEHOLDERS)
                late_role = p->review_role;
        int order[R_COUNT + 1], count = 0;
        for (int r = 0; r < R_COUNT; r++)
            if (r != late_role)
                order[count++] = r;
        if (late_role >= 0)
            order[count++] = late_role;
        for (int i = 0; i < count; i++) {
            int r = order[i];
            if (!full && ((r != R_CHAMPION && r != R_EXEC) || !partial_has(p, 2 + r)))
                continue;
            if (r == R_BLOCKER && !x->has_blocker)
                continue;
            if (r == R_INFLUENCER && !x->has_influencer)
                continue;
            bool incomplete = false;
            if (r < R_BLOCKER && role_missing(p, review, r)) {
                /* a rep leaves a role out, or names someone without the details */
                unsigned variant = (unsigned)(p->seed >> (8 + 2 * r)) & 3u;
                bool from_review = (review & RD_STAKEHOLDERS) && p->review_role == r;
                if (from_review || variant != 2)
                    continue;
                incomplete = true;
            }
            json_t *s = stakeholder(x, r, incomplete, in->users);
            if (r == R_BLOCKER) {
                put_str(s, "concerns", x->people[r].concerns);
                if (!p->d.blocker_unaddressed)
                    put_str(s, "mitigation", x->people[r].mitigation);
            }
            json_array_append_new(people, s);
        }
        json_object_set_new(doc, "stakeholders", people);
    }

    /* objectives and scope */
    if (partial || full) {
        json_t *obj = json_object();
        if (summary_has(p, review, S_PRIMARY) && (full || partial_has(p, 4)))
            put_str(obj, "primary_objective", x->objective);
        if (full) {
            if (summary_has(p, review, S_CRITERIA))
                json_object_set_new(obj, "success_criteria",
                                    string_array(x->criteria, x->ncriteria));
            if (summary_has(p, review, S_ROI))
                put_str(obj, "roi_expectation", x->roi);
            if (summary_has(p, review, S_WINS))
                put_str(obj, "personal_wins", x->personal_wins);
        }
        json_object_set_new(doc, "objectives", obj);
        json_t *scope = json_object();
        if (summary_has(p, review, S_FEATURES) && (full || partial_has(p, 5)))
            json_object_set_new(scope, "features", string_array(x->features, x->nfeatures));
        if (full) {
            if (summary_has(p, review, S_INTEGRATIONS))
                json_object_set_new(scope, "integrations",
                                    string_array(x->integrations, x->nintegrations));
            if (summary_has(p, review, S_CUSTOM))
                put_str(scope, "customizations", x->customization);
            if (summary_has(p, review, S_SERVICES))
                put_str(scope, "professional_services", x->services);
            if (summary_has(p, review, S_SUPPORT))
                put_str(scope, "support_tier", x->support_tier);
            if (summary_has(p, review, S_TIMELINE))
                put_str(scope, "timeline_promised", x->timeline_promised);
            int weeks = x->timeline_weeks;
            if (p->d.timeline_gap)
                weeks = x->standard_weeks > 6 ? x->standard_weeks - 4 : 2;
            put_int(scope, "timeline_weeks", weeks);
        }
        json_object_set_new(doc, "scope", scope);
    }

    if (full) {
        /* commitments */
        if (!p->d.no_commitments) {
            json_t *list = json_array();
            int nonverbal_seen = 0, nonverbal = x->ncommitments - (x->verbal >= 0 ? 1 : 0);
            for (int i = 0; i < x->ncommitments; i++) {
                const commitment_text *c = &x->commitments[i];
                bool is_verbal = i == x->verbal;
                if (is_verbal && (review & RD_COMMITMENT))
                    continue;
                json_t *cj = json_object();
                put_str(cj, "kind", c->kind);
                put_str(cj, "text", c->text);
                int from_end = is_verbal ? -1 : nonverbal - 1 - nonverbal_seen;
                if (!is_verbal)
                    nonverbal_seen++;
                bool documented = is_verbal || from_end >= p->d.commit_undocumented;
                bool validated =
                    is_verbal ? !p->d.verbal_unvalidated : from_end >= p->d.commit_unvalidated;
                if (documented)
                    put_bool(cj, "in_contract", !is_verbal);
                put_bool(cj, "validated_by_cs", validated);
                put_str(cj, "owner", c->owner);
                put_date(cj, "due", c->due_day);
                json_array_append_new(list, cj);
            }
            json_object_set_new(doc, "commitments", list);
        }

        /* technical */
        json_t *tech = json_object();
        bool tech_review = (review & RD_TECHNICAL) != 0;
        if (!(p->d.tech & (1u << T_ENVIRONMENT)))
            put_str(tech, "environment", x->environment);
        if (!(p->d.tech & (1u << T_SPECS)) && !tech_review)
            put_str(tech, "integration_specs", x->specs);
        if (!(p->d.tech & (1u << T_MIGRATION)) && !tech_review)
            put_str(tech, "data_migration", x->migration);
        if (!(p->d.tech & (1u << T_SECURITY)))
            put_str(tech, "security_compliance",
                    p->industry == 2 && p->country == C_US
                        ? "HIPAA BAA signed; SOC 2 report reviewed"
                        : k->security);
        if (!(p->d.tech & (1u << T_VALIDATION)) && !tech_review)
            put_str(tech, "validation_status", x->validation);
        json_object_set_new(doc, "technical", tech);

        /* implementation */
        json_t *impl = json_object();
        if (summary_has(p, review, S_START))
            put_date(impl, "start_date", x->start_day);
        if (summary_has(p, review, S_GO_LIVE))
            put_date(impl, "go_live_target", x->go_live_day);
        if (summary_has(p, review, S_MILESTONES)) {
            json_t *ms = json_array();
            for (int i = 0; i < 4; i++) {
                json_t *m = json_object();
                put_str(m, "name", x->milestone_names[i]);
                put_date(m, "date", x->milestone_days[i]);
                json_array_append_new(ms, m);
            }
            json_object_set_new(impl, "milestones", ms);
        }
        if (summary_has(p, review, S_RESOURCES))
            put_str(impl, "customer_resources", x->resources);
        if (summary_has(p, review, S_DEPENDENCIES)) {
            const char *deps[3] = {x->dependencies[0], x->dependencies[1], x->dependencies[2]};
            json_object_set_new(impl, "dependencies", string_array(deps, x->ndependencies));
        }
        json_object_set_new(doc, "implementation", impl);
    }

    /* commercial: amount and currency from the CRM, the rest from the rep */
    json_t *com = json_object();
    put_int(com, "acv", p->acv);
    put_str(com, "currency", p->currency);
    if (full) {
        put_int(com, "tcv", p->acv * p->years);
        if (summary_has(p, review, S_PAYMENT_TERMS))
            put_str(com, "payment_terms", x->payment_terms);
        if (summary_has(p, review, S_DISCOUNT))
            put_str(com, "discount", x->discount);
        if (summary_has(p, review, S_SPECIAL))
            put_str(com, "special_terms", x->special_terms);
    }
    json_object_set_new(doc, "commercial", com);

    if (full) {
        /* risks */
        if (p->d.no_risks) {
            if ((p->seed >> 20) & 1)
                put_str(doc, "risks", "N/A");
        } else {
            json_t *list = json_array();
            for (int i = 0; i < x->nrisks; i++) {
                json_t *rj = json_object();
                put_str(rj, "category", x->risks[i].category);
                put_str(rj, "text", x->risks[i].text);
                put_str(rj, "severity", x->risks[i].severity);
                if (i >= p->d.risks_unmitigated)
                    put_str(rj, "mitigation", x->risks[i].mitigation);
                else if ((p->seed >> (24 + i)) & 1)
                    put_str(rj, "mitigation", "N/A");
                json_array_append_new(list, rj);
            }
            json_object_set_new(doc, "risks", list);
        }
        if (!p->d.no_churn) {
            static const char *const churn[3] = {"low", "medium", "high"};
            put_str(doc, "churn_risk", churn[p->churn]);
        }
    }

    /* team: the CS manager assigns the CSM */
    if (happened(p, EV_CSM, t)) {
        json_t *team = json_object();
        json_t *c = json_object();
        put_str(c, "name", csm->name);
        put_str(c, "email", csm->email);
        put_int(c, "accounts", p->csm_accounts);
        put_int(c, "capacity", p->csm_capacity);
        json_object_set_new(team, "csm", c);
        json_t *m = json_object();
        put_str(m, "name", csmgr->name);
        put_str(m, "email", csmgr->email);
        json_object_set_new(team, "cs_manager", m);
        json_object_set_new(doc, "team", team);
    }

    /* readiness: the rep updates the CRM; RevOps the rest */
    if (full || happened(p, EV_READINESS, t)) {
        json_t *ready = json_object();
        bool ops = happened(p, EV_READINESS, t);
        put_bool(ready, "crm_updated", full);
        put_bool(ready, "finance_record", ops && !(p->readiness_missing & 2u));
        put_bool(ready, "cs_platform_account", ops && !(p->readiness_missing & 4u));
        put_bool(ready, "support_entitled", ops && !(p->readiness_missing & 8u));
        json_object_set_new(doc, "readiness", ready);
    }

    /* meeting */
    if (happened(p, EV_SCHEDULE, t)) {
        json_t *m = json_object();
        put_local(m, "scheduled_for", p->ev[EV_MEETING] - p->ev[EV_MEETING] % (30 * MINUTE), z);
        if (happened(p, EV_AGENDA, t))
            put_local(m, "agenda_sent_at", p->ev[EV_AGENDA], z);
        if (happened(p, EV_RECORD, t)) {
            put_local(m, "held_at", p->ev[EV_MEETING], z);
            put_int(m, "duration_minutes", p->duration);
            json_t *att = json_array();
            json_t *a = json_object();
            put_str(a, "name", rep->name);
            put_str(a, "role", "account_executive");
            json_array_append_new(att, a);
            if (!p->d.csm_absent) {
                a = json_object();
                put_str(a, "name", csm->name);
                put_str(a, "role", "csm");
                json_array_append_new(att, a);
            }
            bool manager_expected = (x->extra_attendees & 8u) || p->segment == HF_SEG_STRATEGIC;
            if (manager_expected && !p->d.cs_manager_absent) {
                a = json_object();
                put_str(a, "name", csmgr->name);
                put_str(a, "role", "cs_manager");
                json_array_append_new(att, a);
            }
            if (x->extra_attendees & 1u) {
                a = json_object();
                put_str(a, "name", o->sales_engineers[x->sales_engineer].name);
                put_str(a, "role", "sales_engineer");
                json_array_append_new(att, a);
            }
            if (x->extra_attendees & 2u) {
                a = json_object();
                put_str(a, "name", o->implementation[x->implementer].name);
                put_str(a, "role", "implementation_specialist");
                json_array_append_new(att, a);
            }
            if (x->extra_attendees & 4u) {
                a = json_object();
                put_str(a, "name", o->sales_managers[o->reps[p->rep].team].name);
                put_str(a, "role", "sales_manager");
                json_array_append_new(att, a);
            }
            json_object_set_new(m, "attendees", att);
            json_t *covered = json_array();
            for (int i = 0; i < 7; i++)
                if (!(p->d.skipped & (1u << i)))
                    json_array_append_new(covered, json_string(agenda_segments[i]));
            json_object_set_new(m, "segments_covered", covered);
            json_t *q = json_object();
            put_int(q, "asked", x->questions_asked);
            put_int(q, "answered", x->questions_asked - p->d.unanswered);
            json_object_set_new(m, "cs_questions", q);
            fmt(buf, sizeof(buf), "https://meet." VENDOR_DOMAIN "/rec/%08x", x->recording);
            put_str(m, "recording_url", buf);
            meeting_notes(p, x, o, buf, sizeof(buf));
            put_str(m, "notes", buf);
            int64_t day = local_day(p->ev[EV_MEETING], z);
            json_t *items = json_array();
            json_array_append_new(items,
                                  action_item(rep->name, "Send the customer introduction email",
                                              day + 1, happened(p, EV_INTRO, t)));
            char champ[32], text[200];
            first_name(x->people[R_CHAMPION].name, champ, sizeof(champ));
            fmt(text, sizeof(text), "Book the kickoff with %s", champ);
            json_array_append_new(
                items, action_item(csm->name, text, day + 3, happened(p, EV_KICKOFF_SCHEDULED, t)));
            if (p->d.skipped) {
                json_array_append_new(
                    items, action_item(rep->name, "Send notes on the agenda items we skipped",
                                       day + 1, t >= p->ev[EV_RECORD] + 2 * DAY));
            }
            fmt(text, sizeof(text), "Confirm %s API access with customer IT", x->erp);
            json_array_append_new(items,
                                  action_item(csm->name, text, day + 5, happened(p, EV_PREP, t)));
            json_object_set_new(m, "action_items", items);
        }
        json_object_set_new(doc, "meeting", m);
    }

    /* timeline */
    json_t *tl = json_object();
    hf_time started =
        p->ev[EV_DOCS_PARTIAL] < p->ev[EV_DOCS] ? p->ev[EV_DOCS_PARTIAL] : p->ev[EV_DOCS];
    if (started != FOREVER && started <= t)
        put_utc(tl, "handoff_started_at", started);
    if (happened(p, EV_INTRO, t))
        put_utc(tl, "intro_sent_at", p->ev[EV_INTRO]);
    if (happened(p, EV_FIRST_CONTACT, t))
        put_utc(tl, "first_cs_contact_at", p->ev[EV_FIRST_CONTACT]);
    if (happened(p, EV_PREP, t))
        put_utc(tl, "cs_prep_done_at", p->ev[EV_PREP]);
    if (happened(p, EV_KICKOFF_SCHEDULED, t))
        put_utc(tl, "kickoff_scheduled_at", p->ev[EV_KICKOFF_SCHEDULED]);
    if (p->ev[EV_JOINT] != FOREVER && p->ev[EV_JOINT] + HOUR <= t)
        put_local(tl, "joint_meeting_held_at", p->ev[EV_JOINT], z);
    if (p->ev[EV_KICKOFF] != FOREVER && p->ev[EV_KICKOFF] + 75 * MINUTE <= t)
        put_local(tl, "kickoff_held_at", p->ev[EV_KICKOFF], z);
    if (json_object_size(tl) > 0)
        json_object_set_new(doc, "timeline", tl);
    else
        json_decref(tl);
    return doc;
}

/* ---- times and actions ---- */

/* lo + u * (hi - lo), for a draw u of the plan. */
static hf_time between(const plan *p, int draw, hf_time lo, hf_time hi)
{
    return lo + (hf_time)(p->u[draw] * (double)(hi - lo));
}

static hf_time max_time(hf_time a, hf_time b)
{
    return a > b ? a : b;
}

/* Working hours of the customer's zone, 08:00-19:00 on weekdays. */
static hf_time office(const plan *p, hf_time t, int jitter)
{
    return working_time(t, countries[p->country].zone, 8, 19,
                        (int)(p->u[U_JITTER + jitter % 8] * 50) + 3);
}

/* Every event's time for the full life (as if the handoff were completed), from T0, the
 * draws and the defects. */
static void compute_times(plan *p)
{
    zone z = countries[p->country].zone;
    hf_time t0 = p->t0;
    hf_time *ev = p->ev;
    ev[EV_CREATE] = t0 + between(p, U_CREATE, 2 * MINUTE, 25 * MINUTE);
    ev[EV_CSM] = office(p, ev[EV_CREATE] + between(p, U_CSM, 30 * MINUTE, 6 * HOUR), 0);
    ev[EV_DOCS_PARTIAL] = p->docs_partial
                              ? office(p, ev[EV_CREATE] + between(p, U_PARTIAL, HOUR, 5 * HOUR), 1)
                              : FOREVER;
    hf_time base = p->docs_partial ? ev[EV_DOCS_PARTIAL] : ev[EV_CREATE];
    ev[EV_DOCS] = office(p,
                         base + (p->docs_late ? between(p, U_DOCS, 20 * HOUR, 70 * HOUR)
                                              : between(p, U_DOCS, 90 * MINUTE, 8 * HOUR)),
                         2);
    ev[EV_APPROVE] = p->trigger == TRIGGER_VERBAL
                         ? office(p, ev[EV_DOCS] + between(p, U_APPROVE, 30 * MINUTE, 5 * HOUR), 3)
                         : FOREVER;
    hf_time ready =
        p->trigger == TRIGGER_VERBAL ? max_time(ev[EV_DOCS], ev[EV_APPROVE]) : ev[EV_DOCS];
    ev[EV_SUBMIT] = ready + between(p, U_SUBMIT, 5 * MINUTE, 60 * MINUTE);
    ev[EV_SCHEDULE] = office(p, ev[EV_SUBMIT] + between(p, U_SCHEDULE, 10 * MINUTE, 3 * HOUR), 4);
    hf_time slot;
    if (p->d.meeting_late) {
        slot = meeting_slot(
            max_time(t0 + between(p, U_MEETING, 56 * HOUR, 8 * DAY), ev[EV_SCHEDULE] + 2 * HOUR),
            z);
    } else {
        /* a meeting within the 48 hours; the rep's steps before it make room for it */
        slot = meeting_slot(
            max_time(t0 + between(p, U_MEETING, 18 * HOUR, 44 * HOUR), ev[EV_SCHEDULE] + 2 * HOUR),
            z);
        if (slot > t0 + 47 * HOUR)
            slot = meeting_slot(ev[EV_SCHEDULE] + 2 * HOUR, z);
        if (slot > t0 + 47 * HOUR)
            slot = meeting_slot(t0 + 3 * HOUR, z);
        if (ev[EV_SCHEDULE] > slot - 90 * MINUTE) {
            hf_time w = slot - 90 * MINUTE - ev[EV_CREATE];
            if (w < HOUR)
                w = HOUR;
            if (p->docs_partial)
                ev[EV_DOCS_PARTIAL] = ev[EV_CREATE] + w * 15 / 100;
            ev[EV_DOCS] = ev[EV_CREATE] + w * 40 / 100;
            if (p->trigger == TRIGGER_VERBAL)
                ev[EV_APPROVE] = ev[EV_CREATE] + w * 60 / 100;
            ev[EV_SUBMIT] = ev[EV_CREATE] + w * 75 / 100;
            ev[EV_SCHEDULE] = ev[EV_CREATE] + w * 90 / 100;
        }
    }
    ev[EV_MEETING] = slot + (hf_time)(p->u[U_MEETING_START] * 8) * MINUTE;
    if (p->agenda_mode == 0) /* sent with the invitation */
        ev[EV_AGENDA] = ev[EV_SCHEDULE];
    else if (p->agenda_mode == 1)
        ev[EV_AGENDA] = max_time(ev[EV_SCHEDULE] + 10 * MINUTE,
                                 slot - between(p, U_AGENDA, 2 * HOUR, 20 * HOUR));
    else
        ev[EV_AGENDA] = FOREVER;
    ev[EV_RECORD] =
        ev[EV_MEETING] + p->duration * MINUTE + between(p, U_RECORD, 10 * MINUTE, 90 * MINUTE);
    if (p->d.intro_late) {
        ev[EV_INTRO] = max_time(t0 + between(p, U_INTRO, 54 * HOUR, 9 * DAY), ev[EV_RECORD] + HOUR);
    } else {
        hf_time intro = ev[EV_RECORD] + between(p, U_INTRO, 30 * MINUTE, 4 * HOUR);
        if (intro > t0 + 47 * HOUR) /* the AE wrote to the customer before the meeting */
            intro = max_time(ev[EV_CREATE] + 20 * MINUTE,
                             t0 + between(p, U_INTRO, 3 * HOUR, 20 * HOUR));
        ev[EV_INTRO] = intro;
    }
    ev[EV_READINESS] = office(p, ev[EV_CREATE] + between(p, U_READINESS, 6 * HOUR, 72 * HOUR), 5);
    hf_time last_review = FOREVER;
    for (int k = 0; k < MAX_DECISIONS; k++) {
        if (k >= p->ndecisions) {
            ev[EV_REVIEW(k)] = FOREVER;
            if (k < MAX_DECISIONS - 1)
                ev[EV_FIX(k)] = ev[EV_RESUBMIT(k)] = FOREVER;
            continue;
        }
        if (k == 0) {
            ev[EV_REVIEW(0)] =
                office(p, ev[EV_RECORD] + between(p, U_REVIEW0, 2 * HOUR, 26 * HOUR), 6);
        } else {
            ev[EV_FIX(k - 1)] = office(
                p, ev[EV_REVIEW(k - 1)] + between(p, U_FIX0 + k - 1, 3 * HOUR, 30 * HOUR), 7 + k);
            ev[EV_RESUBMIT(k - 1)] =
                ev[EV_FIX(k - 1)] + between(p, U_RESUBMIT0 + k - 1, 2 * MINUTE, 25 * MINUTE);
            ev[EV_REVIEW(k)] = office(
                p, ev[EV_RESUBMIT(k - 1)] + between(p, U_REVIEW0 + k, 2 * HOUR, 24 * HOUR), 9 + k);
        }
        if (k < MAX_DECISIONS - 1)
            ev[EV_FIX(k)] = ev[EV_RESUBMIT(k)] = FOREVER;
        last_review = ev[EV_REVIEW(k)];
    }
    if (last_review == FOREVER)
        last_review = ev[EV_RECORD];
    ev[EV_FIRST_CONTACT] =
        office(p,
               ev[EV_RECORD] + (p->contact_late ? between(p, U_CONTACT, 3 * DAY, 8 * DAY)
                                                : between(p, U_CONTACT, HOUR, 20 * HOUR)),
               12);
    ev[EV_PREP] = office(p, ev[EV_FIRST_CONTACT] + between(p, U_PREP, 2 * HOUR, 20 * HOUR), 13);
    ev[EV_KICKOFF_SCHEDULED] = office(
        p, max_time(last_review, ev[EV_PREP]) + between(p, U_KICKOFF_SCHEDULED, HOUR, 12 * HOUR),
        14);
    ev[EV_SIGNED] = p->trigger == TRIGGER_VERBAL
                        ? office(p, ev[EV_RECORD] + between(p, U_SIGNED, 2 * DAY, 14 * DAY), 15)
                        : FOREVER;
    /* the joint call introduces the CSM to the customer, after the intro email */
    ev[EV_JOINT] = meeting_slot(max_time(max_time(ev[EV_RECORD], ev[EV_INTRO]), last_review) +
                                    between(p, U_JOINT, 20 * HOUR, 3 * DAY),
                                z);
    hf_time kick = max_time(ev[EV_JOINT], ev[EV_KICKOFF_SCHEDULED]) + DAY;
    if (p->trigger == TRIGGER_VERBAL)
        kick = max_time(kick, ev[EV_SIGNED] + DAY);
    kick = p->kickoff_late ? kick + between(p, U_KICKOFF, 12 * DAY, 28 * DAY)
                           : max_time(kick, t0 + 6 * DAY) + between(p, U_KICKOFF, 0, 5 * DAY);
    ev[EV_KICKOFF] = meeting_slot(kick, z);
    ev[EV_COMPLETE] =
        office(p, ev[EV_KICKOFF] + 75 * MINUTE + between(p, U_COMPLETE, 30 * MINUTE, 8 * HOUR), 16);
    hf_time signed_at = p->trigger == TRIGGER_VERBAL ? ev[EV_SIGNED] : t0;
    ev[EV_PAYMENT] = office(p, signed_at + between(p, U_PAYMENT, 7 * DAY, 35 * DAY), 17);
    ev[EV_CANCEL] = FOREVER;
}

static void add_action(plan *p, int event, hf_time at, enum action_kind kind, enum actor actor,
                       hf_status to, int review, bool required)
{
    if (p->nactions >= MAX_ACTIONS)
        return;
    action *a = &p->actions[p->nactions];
    a->at = at;
    a->kind = (uint8_t)kind;
    a->actor = (uint8_t)actor;
    a->to = (uint8_t)to;
    a->review = (uint8_t)review;
    a->event = (uint8_t)event;
    a->seq = (uint8_t)p->nactions;
    a->is_required = required;
    p->nactions++;
}

static int compare_actions(const void *va, const void *vb)
{
    const action *a = va, *b = vb;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    return (int)a->seq - (int)b->seq;
}

/* Lay out the plan's times and its actions for its status, then keep the trailing updates
 * that happened by `now`. Events the path does not reach are set to FOREVER so no document
 * shows them. */
static void schedule(plan *p, hf_time now)
{
    compute_times(p);
    p->nactions = 0;
    bool used[EV_COUNT] = {false};
    hf_status stage = p->path_status;
#define ADD(ev, at, kind, actor, to, review, req)                                                  \
    do {                                                                                           \
        used[ev] = true;                                                                           \
        add_action(p, ev, at, kind, actor, to, review, req);                                       \
    } while (0)
    hf_time *ev = p->ev;
    ADD(EV_CREATE, ev[EV_CREATE], A_CREATE, ACT_CRM, HF_STATUS_DRAFT, 0, true);
    if (stage == HF_STATUS_DRAFT) {
        ADD(EV_CSM, ev[EV_CSM], A_EDIT_TEAM, ACT_CS_MANAGER, 0, 0, false);
        if (p->docs_partial)
            ADD(EV_DOCS_PARTIAL, ev[EV_DOCS_PARTIAL], A_PUT, ACT_REP, 0, 0, false);
        goto laid_out;
    }
    ADD(EV_CSM, ev[EV_CSM], A_EDIT_TEAM, ACT_CS_MANAGER, 0, 0, true);
    if (p->docs_partial)
        ADD(EV_DOCS_PARTIAL, ev[EV_DOCS_PARTIAL], A_PUT, ACT_REP, 0, 0, true);
    ADD(EV_DOCS, ev[EV_DOCS], A_PUT, ACT_REP, 0, 0, true);
    if (p->trigger == TRIGGER_VERBAL)
        ADD(EV_APPROVE, ev[EV_APPROVE], A_EDIT_APPROVAL, ACT_CS_MANAGER, 0, 0, true);
    ADD(EV_SUBMIT, ev[EV_SUBMIT], A_TRANSITION, ACT_REP, HF_STATUS_SUBMITTED, 0, true);
    ADD(EV_READINESS, ev[EV_READINESS], A_PUT, ACT_REVOPS, 0, 0, false);
    if (stage == HF_STATUS_SUBMITTED)
        goto laid_out;
    used[EV_MEETING] = true;
    ADD(EV_SCHEDULE, ev[EV_SCHEDULE], A_PUT, ACT_REP, 0, 0, true);
    ADD(EV_SCHEDULE, ev[EV_SCHEDULE], A_TRANSITION, ACT_REP, HF_STATUS_SCHEDULED, 0, true);
    if (p->agenda_mode == 1)
        ADD(EV_AGENDA, ev[EV_AGENDA], A_PUT, ACT_REP, 0, 0, stage != HF_STATUS_SCHEDULED);
    else if (p->agenda_mode == 0)
        used[EV_AGENDA] = true;
    if (stage == HF_STATUS_SCHEDULED)
        goto laid_out;
    ADD(EV_RECORD, ev[EV_RECORD], A_PUT, ACT_REP, 0, 0, true);
    ADD(EV_RECORD, ev[EV_RECORD], A_TRANSITION, ACT_REP, HF_STATUS_HELD, 0, true);
    bool accepted = p->ndecisions > 0 && p->decisions[p->ndecisions - 1] == HF_STATUS_ACCEPTED;
    ADD(EV_INTRO, ev[EV_INTRO], A_PUT, ACT_REP, 0, 0, accepted && stage == HF_STATUS_COMPLETED);
    if (stage == HF_STATUS_HELD)
        goto laid_out;
    for (int k = 0; k < p->ndecisions; k++) {
        ADD(EV_REVIEW(k), ev[EV_REVIEW(k)], A_TRANSITION, ACT_CS_MANAGER, p->decisions[k], k, true);
        if (k + 1 < p->ndecisions) {
            ADD(EV_FIX(k), ev[EV_FIX(k)], A_PUT, ACT_REP, 0, k, true);
            ADD(EV_RESUBMIT(k), ev[EV_RESUBMIT(k)], A_TRANSITION, ACT_REP, HF_STATUS_SUBMITTED, k,
                true);
        }
    }
    if (!accepted)
        goto laid_out;
    bool done = stage == HF_STATUS_COMPLETED;
    ADD(EV_FIRST_CONTACT, ev[EV_FIRST_CONTACT], A_PUT, ACT_CSM, 0, 0, done);
    used[EV_PREP] = true; /* logged with the kickoff booking */
    ADD(EV_KICKOFF_SCHEDULED, ev[EV_KICKOFF_SCHEDULED], A_PUT, ACT_CSM, 0, 0, done);
    if (p->trigger == TRIGGER_VERBAL) {
        ADD(EV_SIGNED, ev[EV_SIGNED], A_PUT, ACT_REP, 0, 0, done);
        ADD(EV_SIGNED, ev[EV_SIGNED], A_DEAL, ACT_CRM, HF_STATUS_COMPLETED, 0, done);
    }
    /* a closed handoff takes no more writes (the service answers HF_ESTATE): a payment
     * confirmed after the handoff was completed stays in the finance system */
    if (!done || ev[EV_PAYMENT] < ev[EV_COMPLETE])
        ADD(EV_PAYMENT, ev[EV_PAYMENT], A_EDIT_PAYMENT, ACT_REVOPS, 0, 0, false);
    if (!done)
        goto laid_out;
    ADD(EV_JOINT, ev[EV_JOINT] + HOUR, A_PUT, ACT_CSM, 0, 0, true);
    ADD(EV_KICKOFF, ev[EV_KICKOFF] + 75 * MINUTE, A_PUT, ACT_CSM, 0, 0, true);
    ADD(EV_COMPLETE, ev[EV_COMPLETE], A_TRANSITION, ACT_CSM, HF_STATUS_COMPLETED, 0, true);
laid_out:
    for (int e = 0; e < EV_COUNT; e++)
        if (!used[e])
            ev[e] = FOREVER;
    qsort(p->actions, (size_t)p->nactions, sizeof(action), compare_actions);

    if (p->status == HF_STATUS_CANCELLED) {
        hf_time last = 0;
        for (int i = 0; i < p->nactions; i++)
            if (p->actions[i].is_required && p->actions[i].at > last)
                last = p->actions[i].at;
        ev[EV_CANCEL] = office(p, last + between(p, U_CANCEL, 2 * HOUR, 10 * DAY), 18);
        int kept = 0;
        for (int i = 0; i < p->nactions; i++)
            if (p->actions[i].at <= ev[EV_CANCEL])
                p->actions[kept++] = p->actions[i];
        p->nactions = kept;
        for (int e = 0; e < EV_COUNT; e++)
            if (e != EV_CANCEL && e != EV_MEETING && ev[e] != FOREVER && ev[e] > ev[EV_CANCEL])
                ev[e] = FOREVER;
        bool after_review = stage > HF_STATUS_HELD;
        add_action(p, EV_CANCEL, ev[EV_CANCEL], A_TRANSITION,
                   after_review ? ACT_CS_MANAGER : ACT_REP, HF_STATUS_CANCELLED, 0, true);
        add_action(p, EV_CANCEL, ev[EV_CANCEL], A_DEAL, ACT_CRM, HF_STATUS_CANCELLED, 0, true);
    }
#undef ADD

    /* trailing updates happen only if their time has come */
    int kept = 0;
    p->last_required = p->final_at = 0;
    for (int i = 0; i < p->nactions; i++) {
        action *a = &p->actions[i];
        if (!a->is_required && a->at > now) {
            ev[a->event] = FOREVER;
            continue;
        }
        if (a->is_required && a->at > p->last_required)
            p->last_required = a->at;
        if (a->at > p->final_at)
            p->final_at = a->at;
        p->actions[kept++] = *a;
    }
    p->nactions = kept;
}

/* ---- choosing the story: band, path, defects ---- */

static int score(plan *p, const texts *x, const org *o, const hf_protocol *proto, hf_time now,
                 int *total, hf_error *err)
{
    schedule(p, now);
    json_t *doc = build_document(p, x, o, p->final_at);
    hf_evaluation ev;
    int rc = hf_evaluate(doc, proto, p->final_at, &ev, err);
    json_decref(doc);
    if (rc)
        return rc;
    *total = (int)ev.total;
    hf_evaluation_free(&ev);
    return 0;
}

/* The integer totals of a band: [lo, hi]. */
static void band_bounds(const hf_protocol *proto, hf_band band, int *lo, int *hi)
{
    static const double fallback[3] = {90, 80, 70};
    int limit[3];
    for (int i = 0; i < 3; i++) {
        double v = proto->has_band[i] ? proto->band[i] : fallback[i];
        limit[i] = (int)v + ((double)(int)v < v ? 1 : 0); /* ceil for the integer total */
    }
    switch (band) {
    case HF_BAND_EXCELLENT:
        *lo = limit[0], *hi = 100;
        break;
    case HF_BAND_GOOD:
        *lo = limit[1], *hi = limit[0] - 1;
        break;
    case HF_BAND_ACCEPTABLE:
        *lo = limit[2], *hi = limit[1] - 1;
        break;
    default:
        *lo = 35, *hi = limit[2] - 1;
        break;
    }
}

enum defect_kind {
    DK_SUMMARY,
    DK_ROLE,
    DK_VERBAL,
    DK_UNVALIDATED,
    DK_UNDOCUMENTED,
    DK_NO_COMMITMENTS,
    DK_UNMITIGATED,
    DK_NO_RISKS,
    DK_NO_CHURN,
    DK_CSM_ABSENT,
    DK_CS_MANAGER_ABSENT,
    DK_SKIPPED,
    DK_UNANSWERED,
    DK_MEETING_LATE,
    DK_INTRO_LATE,
    DK_COUNT
};

/* How likely each kind of defect is, by the band aimed at: excellent handoffs miss a soft
 * field or a CS validation; substandard ones were held late, with promises undocumented. */
static const double defect_weights[HF_BAND_COUNT][DK_COUNT] = {
    {2, 1, 2.5, 2.5, 0.5, 0, 1.5, 0, 0.3, 0.2, 0.5, 1.5, 3, 0, 0.3},
    {4, 2.5, 2, 1.5, 1, 0.1, 2, 0.3, 0.5, 0.8, 1, 2, 2, 0.6, 1.2},
    {3, 3, 1.5, 1, 1.5, 0.4, 2, 0.8, 0.6, 1.2, 1, 2, 1.5, 1.5, 1.5},
    {1.5, 3, 1, 1, 2, 1.5, 1.5, 1.2, 0.8, 1.5, 1, 2, 1.5, 3.5, 2},
};

static int popcount(unsigned v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

/* Add one defect of `kind`; false when none can be added. */
static bool add_defect(plan *p, const texts *x, int kind, rng *r)
{
    defects *d = &p->d;
    int nonverbal = x->ncommitments - (x->verbal >= 0 ? 1 : 0);
    switch (kind) {
    case DK_SUMMARY: {
        double w[S_COUNT];
        bool any = false;
        for (int i = 0; i < S_COUNT; i++) {
            w[i] = (d->summary & (1u << i)) ? 0 : summary_weights[i];
            any = any || w[i] > 0;
        }
        if (!any || popcount(d->summary) >= 12)
            return false;
        d->summary |= 1u << rng_weighted(r, w, S_COUNT);
        return true;
    }
    case DK_ROLE: {
        static const double role_weights[R_USERS + 1] = {2, 0.7, 3, 2, 1.5};
        double w[R_USERS + 1];
        for (int i = 0; i <= R_USERS; i++)
            w[i] = (d->roles & (1u << i)) || i == p->review_role ? 0 : role_weights[i];
        if (popcount(d->roles) >= 3)
            return false;
        int role = rng_weighted(r, w, R_USERS + 1);
        if (w[role] <= 0)
            return false;
        d->roles |= 1u << role;
        return true;
    }
    case DK_VERBAL:
        if (x->verbal < 0 || d->verbal_unvalidated || d->no_commitments)
            return false;
        d->verbal_unvalidated = true;
        return true;
    case DK_UNVALIDATED:
        if (d->no_commitments || d->commit_unvalidated >= nonverbal)
            return false;
        d->commit_unvalidated++;
        return true;
    case DK_UNDOCUMENTED:
        if (d->no_commitments || d->commit_undocumented >= nonverbal)
            return false;
        d->commit_undocumented++;
        return true;
    case DK_NO_COMMITMENTS:
        if (d->no_commitments)
            return false;
        d->no_commitments = true;
        return true;
    case DK_UNMITIGATED:
        if (d->no_risks || d->risks_unmitigated >= x->nrisks)
            return false;
        d->risks_unmitigated++;
        return true;
    case DK_NO_RISKS:
        if (d->no_risks)
            return false;
        d->no_risks = true;
        return true;
    case DK_NO_CHURN:
        if (d->no_churn)
            return false;
        d->no_churn = true;
        return true;
    case DK_CSM_ABSENT:
        if (d->csm_absent)
            return false;
        d->csm_absent = true;
        return true;
    case DK_CS_MANAGER_ABSENT:
        if (d->cs_manager_absent || p->segment != HF_SEG_STRATEGIC)
            return false;
        d->cs_manager_absent = true;
        return true;
    case DK_SKIPPED: {
        static const double segment_weights[7] = {0.3, 0.6, 0.5, 0.8, 1.5, 2.5, 2};
        double w[7];
        for (int i = 0; i < 7; i++)
            w[i] = (d->skipped & (1u << i)) ? 0 : segment_weights[i];
        if (popcount(d->skipped) >= 4)
            return false;
        d->skipped |= 1u << rng_weighted(r, w, 7);
        return true;
    }
    case DK_UNANSWERED:
        if (d->unanswered >= x->questions_asked - 1)
            return false;
        d->unanswered++;
        return true;
    case DK_MEETING_LATE:
        if (d->meeting_late)
            return false;
        d->meeting_late = true;
        return true;
    case DK_INTRO_LATE:
        if (d->intro_late)
            return false;
        d->intro_late = true;
        return true;
    }
    return false;
}

/* Add defects until the final document's total is at or below a target drawn inside the
 * band (or at or below the band's top, when `top_only`); a defect that would take it below
 * the band is undone and its kind set aside. */
static int aim_at_band(plan *p, const texts *x, const org *o, const hf_protocol *proto, hf_time now,
                       bool top_only, rng *r, hf_error *err)
{
    int lo, hi, total;
    band_bounds(proto, p->band, &lo, &hi);
    double target = (double)lo + rng_unit(r) * (double)(hi - lo);
    if (top_only)
        target = hi;
    int rc = score(p, x, o, proto, now, &total, err);
    if (rc)
        return rc;
    unsigned excluded = 0;
    for (int iter = 0; iter < 150 && total > target && total >= lo; iter++) {
        double w[DK_COUNT];
        bool any = false;
        for (int k = 0; k < DK_COUNT; k++) {
            w[k] = (excluded & (1u << k)) ? 0 : defect_weights[p->band][k];
            any = any || w[k] > 0;
        }
        if (!any)
            break;
        int kind = rng_weighted(r, w, DK_COUNT);
        defects before = p->d;
        if (!add_defect(p, x, kind, r)) {
            excluded |= 1u << kind;
            continue;
        }
        int next;
        rc = score(p, x, o, proto, now, &next, err);
        if (rc)
            return rc;
        if (next < lo) {
            p->d = before;
            excluded |= 1u << kind;
            continue;
        }
        total = next;
    }
    schedule(p, now);
    return 0;
}

/* Shares of the final statuses, in the order of hf_status. */
static const double status_shares[HF_STATUS_COUNT] = {
    0.025, /* draft */
    0.025, /* submitted */
    0.025, /* scheduled */
    0.04,  /* held */
    0.05,  /* accepted */
    0.05,  /* needs_revision */
    0.04,  /* rejected */
    0.68,  /* completed */
    0.065, /* cancelled */
};

/* Band weights by final status (excellent, good, acceptable, substandard); handoffs that
 * never reached their meeting are aimed as if they had been completed. */
static const double band_weights_by_status[HF_STATUS_COUNT][HF_BAND_COUNT] = {
    {35, 33, 20, 12}, {35, 33, 20, 12}, {35, 33, 20, 12}, {38, 34, 20, 8},  {45, 32, 18, 5},
    {5, 35, 45, 15},  {0, 20, 45, 35},  {55, 30, 13, 2},  {30, 30, 25, 15},
};
static const double diligence_factors[3][HF_BAND_COUNT] = {
    {0.5, 0.9, 1.4, 2.0}, {1, 1, 1, 1}, {1.5, 1.1, 0.7, 0.4}};

static void choose_review_path(plan *p, hf_status stage, rng *r)
{
    p->ndecisions = 0;
    memset(p->review_mask, 0, sizeof(p->review_mask));
    if (stage < HF_STATUS_ACCEPTED || stage == HF_STATUS_CANCELLED)
        return;
    static const double direct[HF_BAND_COUNT] = {0.9, 0.78, 0.6, 0.5};
    hf_status *dec = p->decisions;
    double u = rng_unit(r);
    if (stage == HF_STATUS_NEEDS_REVISION) {
        p->ndecisions = u < 0.75 ? 1 : 2;
        dec[0] = dec[1] = HF_STATUS_NEEDS_REVISION;
    } else if (stage == HF_STATUS_REJECTED) {
        if (u < 0.6) {
            p->ndecisions = 1;
            dec[0] = HF_STATUS_REJECTED;
        } else {
            p->ndecisions = 2;
            dec[0] = u < 0.85 ? HF_STATUS_NEEDS_REVISION : HF_STATUS_REJECTED;
            dec[1] = HF_STATUS_REJECTED;
        }
    } else if (rng_chance(r, direct[p->band])) {
        p->ndecisions = 1;
        dec[0] = HF_STATUS_ACCEPTED;
    } else if (u < 0.6) {
        p->ndecisions = 2;
        dec[0] = HF_STATUS_NEEDS_REVISION;
        dec[1] = HF_STATUS_ACCEPTED;
    } else if (u < 0.9) {
        p->ndecisions = 2;
        dec[0] = HF_STATUS_REJECTED;
        dec[1] = HF_STATUS_ACCEPTED;
    } else {
        p->ndecisions = 3;
        dec[0] = dec[1] = HF_STATUS_REJECTED;
        dec[2] = HF_STATUS_ACCEPTED;
    }
    /* what each review found: the first one draws, later ones keep part of it */
    for (int k = 0; k < p->ndecisions; k++) {
        if (dec[k] == HF_STATUS_ACCEPTED)
            continue;
        unsigned m = 0;
        if (k == 0) {
            static const double chance[4] = {0.5, 0.35, 0.3, 0.35};
            for (int b = 0; b < 4; b++)
                if (rng_chance(r, chance[b]))
                    m |= 1u << b;
            if (!m)
                m = RD_STAKEHOLDERS;
            if (dec[k] == HF_STATUS_REJECTED && popcount(m) < 2)
                m |= m == RD_COMMITMENT ? RD_STAKEHOLDERS : RD_COMMITMENT;
        } else {
            m = p->review_mask[k - 1];
            if (popcount(m) > 1) {
                unsigned drop;
                do
                    drop = 1u << rng_int(r, 0, 3);
                while (!(m & drop));
                m &= ~drop;
            }
        }
        p->review_mask[k] = m;
    }
}

/* ramp(u): an age fraction with more deals recently (the business grew over the year). */
static double ramp(double u)
{
    return (1.3 - sqrt(1.69 - 1.2 * u)) / 0.6;
}

/* T0 inside the customer's office hours, on a weekday, at or before `t`. */
static hf_time contract_time(const plan *p, hf_time t, double u)
{
    zone z = countries[p->country].zone;
    int64_t day = local_day(t, z);
    hf_time tod = 9 * HOUR + (hf_time)(u * 8.5 * 3600.0);
    for (int guard = 0; guard < 14; guard++, day--) {
        int wd = hf_weekday(day);
        if (wd == 0 || wd == 6)
            continue;
        hf_time local = day * DAY + (wd == 5 ? 9 * HOUR + (tod - 9 * HOUR) * 4 / 9 : tod);
        hf_time utc = local - zone_offset(z, local) * MINUTE;
        if (utc <= t)
            return utc;
    }
    return t;
}

static hf_time initial_t0(const plan *p, hf_time now, rng *r)
{
    double age, u = rng_unit(r), v = rng_unit(r);
    bool stuck = rng_chance(r, 0.18);
    switch (p->status) {
    case HF_STATUS_COMPLETED:
        age = 40 + 320 * ramp(u);
        break;
    case HF_STATUS_CANCELLED:
        age = 5 + 355 * ramp(u);
        break;
    case HF_STATUS_DRAFT:
        age = stuck ? 3 + 22 * u : 0.05 + 2 * u;
        break;
    case HF_STATUS_SUBMITTED:
        age = stuck ? 4 + 16 * u : 0.5 + 2.5 * u;
        break;
    case HF_STATUS_SCHEDULED:
        age = 0.3 + 1.2 * u;
        break;
    case HF_STATUS_HELD:
        age = stuck ? 5 + 10 * u : 1.5 + 2.5 * u;
        break;
    case HF_STATUS_ACCEPTED:
        age = stuck ? 12 + 28 * u : 3 + 9 * u;
        break;
    case HF_STATUS_NEEDS_REVISION:
        age = stuck ? 9 + 36 * u : 2 + 6 * u;
        break;
    default:
        age = stuck ? 10 + 50 * u : 2 + 8 * u;
        break;
    }
    hf_time t = now - (hf_time)(age * 86400.0);
    /* a third of the closed deals were signed in the last days of a quarter */
    if ((p->status == HF_STATUS_COMPLETED || p->status == HF_STATUS_CANCELLED) &&
        rng_chance(r, 0.3)) {
        int64_t y;
        unsigned m, d;
        hf_civil_from_days(t / DAY, &y, &m, &d);
        unsigned qm = (m + 2) / 3 * 3;
        int64_t end =
            qm == 12 ? hf_days_from_civil(y + 1, 1, 1) - 1 : hf_days_from_civil(y, qm + 1, 1) - 1;
        hf_time moved = (end - rng_int(r, 0, 8)) * DAY + 15 * HOUR;
        if (moved < now - 40 * DAY && moved > now - 360 * DAY)
            t = moved;
    }
    return contract_time(p, t, v);
}

static void company_name(plan *p, rng *r)
{
    const country *k = &countries[p->country];
    const industry *in = &industries[p->industry];
    const char *stem = k->stems[rng_index(r, k->nstems)];
    const char *suffix = in->suffix[k->lang][rng_index(r, 3)];
    int pattern = rng_int(r, 0, 2);
    switch (k->lang) {
    case L_EN:
        fmt(p->company, sizeof(p->company), "%s %s", stem, suffix);
        break;
    case L_PT:
        if (pattern == 0)
            fmt(p->company, sizeof(p->company), "%s %s", suffix, stem);
        else if (pattern == 1)
            fmt(p->company, sizeof(p->company), "Grupo %s", stem);
        else
            fmt(p->company, sizeof(p->company), "%s %s", stem, suffix);
        break;
    case L_ES:
        if (pattern == 1 && stem[0] >= 'A' && stem[0] <= 'Z')
            fmt(p->company, sizeof(p->company), "Grupo %s", stem);
        else
            fmt(p->company, sizeof(p->company), "%s %s", suffix, stem);
        break;
    case L_ID:
        fmt(p->company, sizeof(p->company), "PT %s %s", stem, suffix);
        break;
    }
}

/* A Salesforce opportunity id (18 characters, with the case-checksum suffix) or a HubSpot
 * deal id, unique per deal number. */
static void crm_id(plan *p, uint64_t run, int64_t base)
{
    uint64_t n = (uint64_t)p->number + (uint64_t)base;
    if (p->hubspot) {
        fmt(p->crm_id, sizeof(p->crm_id), "%llu",
            (unsigned long long)(14000000000ull + (run % 997) * 1000000ull + n * 7919ull));
        return;
    }
    static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static const char *const pods[] = {"5g", "7F", "Dn", "8c"};
    const uint64_t space = 916132832ull; /* 62^5 */
    uint64_t v = (n % space * 387420489ull + run % space) % space;
    char id[19];
    memcpy(id, "006", 3);
    memcpy(id + 3, pods[run % 4], 2);
    memcpy(id + 5, "00000", 5);
    for (int i = 14; i >= 10; i--) {
        id[i] = base62[v % 62];
        v /= 62;
    }
    static const char check[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    for (int chunk = 0; chunk < 3; chunk++) {
        unsigned bits = 0;
        for (int i = 0; i < 5; i++) {
            char c = id[chunk * 5 + i];
            if (c >= 'A' && c <= 'Z')
                bits |= 1u << i;
        }
        id[15 + chunk] = check[bits];
    }
    id[18] = '\0';
    memcpy(p->crm_id, id, sizeof(id));
}

static long long round_to(double v, long long step)
{
    return ((long long)(v / (double)step + 0.5)) * step;
}

static void price(plan *p, rng *r)
{
    static const double lo[HF_SEG_COUNT] = {300000, 90000, 24000, 6000};
    static const double span[HF_SEG_COUNT] = {900000, 190000, 66000, 18000};
    double u = rng_unit(r);
    double usd = lo[p->segment] + span[p->segment] * u * u;
    p->acv_usd = round_to(usd, p->segment == HF_SEG_SMB ? 500 : 1000);
    double rate = 1;
    long long step = p->segment == HF_SEG_SMB ? 500 : 1000;
    p->currency = "USD";
    if (p->country == C_BR && rng_chance(r, 0.7)) {
        p->currency = "BRL", rate = 5.0, step = 1000;
    } else if (p->country == C_MX && rng_chance(r, 0.3)) {
        p->currency = "MXN", rate = 17.5, step = 5000;
    } else if (p->country == C_ES) {
        p->currency = "EUR", rate = 0.92, step = 500;
    } else if (p->country == C_ID &&
               (p->segment == HF_SEG_SMB || p->segment == HF_SEG_MID_MARKET)) {
        p->currency = "IDR", rate = 16000, step = 1000000;
    } else {
        rate = 1.0;
    }
    p->acv = round_to((double)p->acv_usd * rate, step);
}

/* Plan deal `number`: everything about it but its CSM, which depends on the order of all. */
static int plan_deal(plan *p, int number, hf_status status, uint64_t seed, int64_t crm_base,
                     const org *o, const hf_protocol *proto, hf_time now, texts *x, hf_error *err)
{
    rng r;
    rng_seed(&r, stream_seed(seed, (uint64_t)number + 1, 0x0DEA1ull));
    memset(p, 0, sizeof(*p));
    p->number = number;
    p->seed = rng_next(&r);
    p->status = status;
    p->country = rng_weighted(&r, country_weights, C_COUNT);
    p->industry = rng_int(&r, 0, INDUSTRY_COUNT - 1);
    static const double segment_weights[HF_SEG_COUNT] = {10, 26, 36, 28};
    p->segment = (hf_segment)rng_weighted(&r, segment_weights, HF_SEG_COUNT);
    bool big = p->segment == HF_SEG_STRATEGIC || p->segment == HF_SEG_ENTERPRISE;
    p->trigger = TRIGGER_CONTRACT;
    if (p->segment == HF_SEG_STRATEGIC && rng_chance(&r, 0.6))
        p->trigger = TRIGGER_VERBAL;
    else if ((p->segment == HF_SEG_ENTERPRISE || p->segment == HF_SEG_MID_MARKET) &&
             rng_chance(&r, 0.12))
        p->trigger = TRIGGER_POC;
    const country *k = &countries[p->country];
    p->hubspot = k->region == 1; /* the LATAM team still runs HubSpot */
    double rep_w[12];
    for (int i = 0; i < o->nreps; i++)
        rep_w[i] = o->reps[i].team != k->region ? 0 : o->reps[i].enterprise == big ? 3 : 1;
    p->rep = rng_weighted(&r, rep_w, o->nreps);
    p->cs_manager = big ? 0 : 1;
    static const int emp_lo[HF_SEG_COUNT] = {12000, 1500, 200, 12};
    static const int emp_hi[HF_SEG_COUNT] = {90000, 12000, 1500, 180};
    static const int site_lo[HF_SEG_COUNT] = {40, 10, 3, 1};
    static const int site_hi[HF_SEG_COUNT] = {600, 120, 25, 3};
    int e = rng_int(&r, emp_lo[p->segment], emp_hi[p->segment]);
    p->employees = e >= 10000  ? e / 500 * 500
                   : e >= 1000 ? e / 50 * 50
                   : e >= 100  ? e / 10 * 10
                               : e;
    p->sites = rng_int(&r, site_lo[p->segment], site_hi[p->segment]);
    p->years = p->segment == HF_SEG_STRATEGIC    ? 3
               : p->segment == HF_SEG_ENTERPRISE ? (rng_chance(&r, 0.5) ? 3 : 1)
               : p->segment == HF_SEG_MID_MARKET ? (rng_chance(&r, 0.3) ? 2 : 1)
                                                 : 1;
    price(p, &r);
    company_name(p, &r);
    static const char *const packages[HF_SEG_COUNT][2] = {
        {"Global Enterprise Agreement", "Strategic Partnership"},
        {"Enterprise", "Enterprise Platform"},
        {"Professional", "Growth"},
        {"Starter", "Growth"}};
    const char *package = packages[p->segment][rng_index(&r, 2)];
    if (p->trigger == TRIGGER_POC)
        fmt(p->deal_name, sizeof(p->deal_name), "%s - POC conversion, %s %s", p->company, package,
            p->years > 1 ? "multi-year" : "annual");
    else if (p->years > 1)
        fmt(p->deal_name, sizeof(p->deal_name), "%s - %s %d-year", p->company, package, p->years);
    else
        fmt(p->deal_name, sizeof(p->deal_name), "%s - %s annual", p->company, package);
    crm_id(p, seed, crm_base);

    /* the band, then the path to the status */
    double bw[HF_BAND_COUNT];
    int diligence = o->reps[p->rep].diligence;
    for (int b = 0; b < HF_BAND_COUNT; b++)
        bw[b] = band_weights_by_status[status][b] * diligence_factors[diligence][b];
    p->band = (hf_band)rng_weighted(&r, bw, HF_BAND_COUNT);
    hf_status stage = status;
    if (status == HF_STATUS_CANCELLED) {
        static const double stage_weights[HF_STATUS_COUNT] = {25, 15, 10, 12, 8, 15, 15, 0, 0};
        stage = (hf_status)rng_weighted(&r, stage_weights, HF_STATUS_COUNT);
    }
    p->path_status = stage;
    choose_review_path(p, stage, &r);
    static const double review_roles[R_USERS] = {25, 0, 50, 25};
    p->review_role = rng_weighted(&r, review_roles, R_USERS);

    /* what does not move the score: completeness, flags, the gate, the timeline */
    int b = (int)p->band;
    static const double why[4] = {0.02, 0.1, 0.25, 0.45}, comp[4] = {0.05, 0.15, 0.3, 0.5},
                        gap[4] = {0.05, 0.15, 0.3, 0.45}, blocker[4] = {0.1, 0.3, 0.5, 0.7},
                        late[4] = {0.05, 0.1, 0.2, 0.35};
    static const int tech_lo[4] = {0, 0, 1, 1}, tech_hi[4] = {0, 1, 2, 3};
    int ntech = rng_int(&r, tech_lo[b], tech_hi[b]) + (b == 0 && rng_chance(&r, 0.15) ? 1 : 0);
    static const double tech_weights[T_COUNT] = {0.5, 2, 2, 1, 2};
    for (int i = 0; i < ntech; i++) {
        double w[T_COUNT];
        for (int t = 0; t < T_COUNT; t++)
            w[t] = (p->d.tech & (1u << t)) ? 0 : tech_weights[t];
        p->d.tech |= 1u << rng_weighted(&r, w, T_COUNT);
    }
    p->d.why_now_missing = rng_chance(&r, why[b]);
    p->d.competitors_missing = rng_chance(&r, comp[b]);
    p->d.timeline_gap = rng_chance(&r, gap[b]);
    p->d.blocker_unaddressed = rng_chance(&r, blocker[b]);
    static const double agenda[4][3] = {{85, 13, 2}, {75, 20, 5}, {60, 28, 12}, {40, 35, 25}};
    p->agenda_mode = rng_weighted(&r, agenda[b], 3);
    static const double churn[4][3] = {{60, 35, 5}, {45, 45, 10}, {25, 50, 25}, {10, 45, 45}};
    p->churn = rng_weighted(&r, churn[b], 3);
    static const double docs_late[3] = {0.45, 0.15, 0.05};
    p->docs_late = rng_chance(&r, docs_late[diligence] + (b == 3 ? 0.2 : 0));
    p->docs_partial = rng_chance(&r, 0.35) || status == HF_STATUS_DRAFT;
    p->contact_late = rng_chance(&r, late[b]);
    p->kickoff_late = rng_chance(&r, late[b]);
    if (status != HF_STATUS_COMPLETED)
        for (unsigned bit = 2; bit <= 8; bit <<= 1)
            if (rng_chance(&r, 0.06))
                p->readiness_missing |= bit;
    static const int durations[5] = {45, 45, 45, 30, 60};
    p->duration = p->segment == HF_SEG_STRATEGIC ? 60 : durations[rng_index(&r, 5)];
    for (int i = 0; i < U_COUNT; i++)
        p->u[i] = rng_unit(&r);
    p->t0 = initial_t0(p, now, &r);

    /* aim at the band; a handoff that never reached its meeting is aimed as if completed */
    draw_texts(p, x);
    bool before_meeting = stage < HF_STATUS_HELD;
    hf_status saved_status = p->status;
    hf_status saved_decisions[MAX_DECISIONS];
    memcpy(saved_decisions, p->decisions, sizeof(saved_decisions));
    int saved_n = p->ndecisions;
    if (before_meeting) {
        p->status = p->path_status = HF_STATUS_COMPLETED;
        p->decisions[0] = HF_STATUS_ACCEPTED;
        p->ndecisions = 1;
    }
    int rc = aim_at_band(p, x, o, proto, now, false, &r, err);
    if (before_meeting) {
        p->status = saved_status;
        p->path_status = stage;
        memcpy(p->decisions, saved_decisions, sizeof(saved_decisions));
        p->ndecisions = saved_n;
    }
    if (rc)
        return rc;

    /* every step the status needs must have happened by now: move T0 back by weeks */
    hf_time t0 = p->t0;
    schedule(p, now);
    for (int i = 0; i < 60 && p->last_required > now && p->t0 - 7 * DAY > now - 365 * DAY; i++) {
        p->t0 -= 7 * DAY;
        schedule(p, now);
    }
    if (p->t0 != t0) {
        draw_texts(p, x);
        if (!before_meeting) {
            rc = aim_at_band(p, x, o, proto, now, true, &r, err);
            if (rc)
                return rc;
            for (int i = 0; i < 60 && p->last_required > now && p->t0 - 7 * DAY > now - 365 * DAY;
                 i++) {
                p->t0 -= 7 * DAY;
                schedule(p, now);
            }
            draw_texts(p, x);
        }
    }
    return 0;
}

/* ---- CSM assignment, in T0 order ---- */

static int compare_plans(const void *va, const void *vb)
{
    const plan *a = *(plan *const *)va, *b = *(plan *const *)vb;
    if (a->t0 != b->t0)
        return a->t0 < b->t0 ? -1 : 1;
    return a->number - b->number;
}

/* The least loaded CSM covering the segment and the country (SPEC §6), most of the time:
 * a CSM's load grows over the year, and the only Portuguese-speaking one ends up over
 * capacity. */
static void assign_csms(plan **v, int n, const org *o, hf_time now, uint64_t seed)
{
    rng r;
    rng_seed(&r, stream_seed(seed, 0, 0xC5Bull));
    hf_time start = now - 365 * DAY;
    for (int i = 0; i < n; i++) {
        plan *p = v[i];
        double frac = (double)(p->t0 - start) / (double)(365 * DAY);
        frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
        int eligible[7], count = 0;
        for (int pass = 0; pass < 3 && count == 0; pass++) {
            for (int c = 0; c < o->ncsms; c++) {
                const csm_profile *cp = o->csms[c].profile;
                bool seg = (cp->segments & SEG_BIT(p->segment)) != 0;
                bool ctry = (cp->countries & COUNTRY_BIT(p->country)) != 0;
                if ((pass == 0 && seg && ctry) || (pass == 1 && seg) || pass == 2)
                    eligible[count++] = c;
            }
        }
        int best = eligible[0];
        double best_ratio = 1e9;
        for (int j = 0; j < count; j++) {
            const csm_profile *cp = o->csms[eligible[j]].profile;
            double load = cp->base + cp->growth * frac;
            double ratio = load / cp->capacity + rng_unit(&r) * 0.15;
            if (ratio < best_ratio)
                best_ratio = ratio, best = eligible[j];
        }
        if (rng_chance(&r, 0.2))
            best = eligible[rng_index(&r, (size_t)count)];
        const csm_profile *cp = o->csms[best].profile;
        p->csm = best;
        p->csm_capacity = cp->capacity;
        p->csm_accounts = (int)((double)cp->base + (double)cp->growth * frac) + rng_int(&r, 0, 1);
    }
}

/* ---- writing ---- */

typedef struct writer {
    hf_store *s;
    hf_svc *svc; /* every write goes through the service, as the product's own would */
    int64_t ws;
    const hf_protocol *proto;
    const org *o;
    hf_demo_stats *st;
    hf_error *err;
} writer;

typedef struct live {
    plan *p;
    texts x;
    int next;
    int64_t id;
    int64_t deal_id;
    json_t *review;      /* what transitions wrote into the stored document: review */
    json_t *resubmitted; /* and timeline.resubmitted_at */
} live;

static const char *actor_name(const plan *p, const org *o, int actor)
{
    switch (actor) {
    case ACT_CRM:
        return p->hubspot ? "hubspot-sync" : "salesforce-sync";
    case ACT_REP:
        return o->reps[p->rep].who.name;
    case ACT_CSM:
        return o->csms[p->csm].who.name;
    case ACT_CS_MANAGER:
        return o->cs_managers[p->cs_manager].name;
    default:
        return o->revops.name;
    }
}

/* Upsert the deal; `state` 0 at creation, then HF_STATUS_COMPLETED when signed,
 * HF_STATUS_CANCELLED when lost. */
static int write_deal(writer *w, live *L, hf_time at, int state)
{
    const plan *p = L->p;
    bool pending = p->trigger == TRIGGER_VERBAL && state == 0;
    bool lost = state == HF_STATUS_CANCELLED;
    hf_deal_rec d;
    memset(&d, 0, sizeof(d));
    d.workspace_id = w->ws;
    d.crm_source = p->hubspot ? "hubspot" : "salesforce";
    d.crm_id = (char *)p->crm_id;
    d.name = (char *)p->deal_name;
    d.account = (char *)p->company;
    d.owner = (char *)w->o->reps[p->rep].who.name;
    if (p->hubspot)
        d.stage = lost ? "closedlost" : pending ? "contractsent" : "closedwon";
    else
        d.stage = lost ? "Closed Lost" : pending ? "Negotiation/Review" : "Closed Won";
    d.currency = (char *)p->currency;
    d.has_amount = true;
    d.amount = (double)p->acv;
    d.has_close_date = true;
    hf_time close =
        p->trigger == TRIGGER_VERBAL && p->ev[EV_SIGNED] != FOREVER ? p->ev[EV_SIGNED] : p->t0;
    d.close_day = local_day(close, countries[p->country].zone);
    d.is_won = !lost && !pending;
    d.updated_at = at;
    int rc = hf_store_deal_upsert(w->s, &d, NULL, w->err);
    if (!rc)
        L->deal_id = d.id;
    return rc;
}

static int write_create(writer *w, live *L, const action *a)
{
    int rc = write_deal(w, L, a->at, 0);
    if (rc)
        return rc;
    w->st->deals++;
    json_t *doc = build_document(L->p, &L->x, w->o, a->at);
    hf_handoff_rec h;
    memset(&h, 0, sizeof(h));
    hf_actor who;
    hf_actor_system(&who, w->ws, actor_name(L->p, w->o, a->actor), HF_LANG_EN);
    rc = hf_svc_handoff_create(w->svc, &who, doc, L->p->hubspot ? "hubspot" : "salesforce", a->at,
                               &h, NULL, w->err);
    json_decref(doc);
    if (!rc) {
        L->id = h.id;
        w->st->handoffs++;
    }
    hf_handoff_rec_free(&h);
    return rc;
}

/* Store the document as of the action, with what the transitions wrote into the stored
 * one (the review history, the resubmission time) carried over. */
static int write_put(writer *w, live *L, const action *a)
{
    json_t *doc = build_document(L->p, &L->x, w->o, a->at);
    if (L->review)
        json_object_set(doc, "review", L->review);
    if (L->resubmitted) {
        json_t *tl = json_object_get(doc, "timeline");
        if (!tl) {
            tl = json_object();
            json_object_set_new(doc, "timeline", tl);
        }
        json_object_set(tl, "resubmitted_at", L->resubmitted);
    }
    hf_actor who;
    hf_actor_system(&who, w->ws, actor_name(L->p, w->o, a->actor), HF_LANG_EN);
    int rc = hf_svc_handoff_write(w->svc, &who, L->id, 0, HF_WRITE_PUT, NULL, doc, a->at, NULL,
                                  w->err);
    json_decref(doc);
    return rc;
}

/* Read back what a review decision or a resubmission wrote into the document. */
static int reread_review(writer *w, live *L)
{
    hf_handoff_rec cur;
    memset(&cur, 0, sizeof(cur));
    int rc = hf_store_handoff_get(w->s, w->ws, L->id, &cur, w->err);
    if (rc)
        return rc;
    json_t *doc = json_loads(cur.document, 0, NULL);
    hf_handoff_rec_free(&cur);
    if (!doc)
        return hf_error_set(w->err, HF_EDB, NULL, "stored document of handoff %lld is unreadable",
                            (long long)L->id);
    json_decref(L->review);
    json_decref(L->resubmitted);
    L->review = json_incref(json_object_get(doc, "review"));
    L->resubmitted = json_incref(hf_doc_get(doc, "timeline.resubmitted_at"));
    json_decref(doc);
    return 0;
}

static int write_edit(writer *w, live *L, const action *a)
{
    const plan *p = L->p;
    char *owned[2] = {NULL, NULL};
    char approval[160];
    const char *set[2];
    size_t n = 0;
    if (a->kind == A_EDIT_TEAM) {
        /* the same values the document builder writes from then on */
        json_t *doc = build_document(p, &L->x, w->o, a->at);
        char *csm = json_dumps(hf_doc_get(doc, "team.csm"), JSON_COMPACT);
        char *mgr = json_dumps(hf_doc_get(doc, "team.cs_manager"), JSON_COMPACT);
        json_decref(doc);
        if (csm && mgr) {
            size_t l1 = strlen(csm) + 16, l2 = strlen(mgr) + 24;
            owned[0] = malloc(l1);
            owned[1] = malloc(l2);
            if (owned[0] && owned[1]) {
                fmt(owned[0], l1, "team.csm=%s", csm);
                fmt(owned[1], l2, "team.cs_manager=%s", mgr);
                set[n++] = owned[0];
                set[n++] = owned[1];
            }
        }
        free(csm);
        free(mgr);
        if (n == 0) {
            free(owned[0]);
            free(owned[1]);
            return hf_error_set(w->err, HF_ENOMEM, NULL, "out of memory");
        }
    } else if (a->kind == A_EDIT_APPROVAL) {
        fmt(approval, sizeof(approval), "deal.pre_close_approved_by=%s",
            w->o->cs_managers[p->cs_manager].name);
        set[n++] = approval;
    } else {
        set[n++] = L->x.installments ? "deal.payment.schedule_established=true"
                                     : "deal.payment.first_payment_received=true";
    }
    hf_actor who;
    hf_actor_system(&who, w->ws, actor_name(p, w->o, a->actor), HF_LANG_EN);
    int rc = hf_svc_handoff_edit(w->svc, &who, L->id, 0, set, n, a->at, NULL, w->err);
    free(owned[0]);
    free(owned[1]);
    return rc;
}

static const char *const reason_codes[4] = {"stakeholders_incomplete", "undocumented_commitments",
                                            "technical_unclear", "info_gaps"};

/* What CS wrote when it sent the handoff back. */
static void review_comment(const plan *p, unsigned mask, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    if ((mask & RD_STAKEHOLDERS) && n < cap)
        n += (size_t)snprintf(buf + n, cap - n, "No %s in the stakeholder map: who %s? ",
                              role_words[p->review_role], role_questions[p->review_role]);
    if ((mask & RD_COMMITMENT) && n < cap)
        n += (size_t)snprintf(buf + n, cap - n,
                              "A verbal promise came up in the meeting and is not in the "
                              "handoff. ");
    if ((mask & RD_TECHNICAL) && n < cap)
        n += (size_t)snprintf(buf + n, cap - n,
                              "Technical section incomplete: integration specs, data migration "
                              "and validation status are missing. ");
    if ((mask & RD_INFO) && n < cap)
        n += (size_t)snprintf(buf + n, cap - n,
                              "Why now, success criteria and personal wins are missing; we "
                              "cannot plan the kickoff. ");
    if (n > 0 && n <= cap && buf[n - 1] == ' ')
        buf[n - 1] = '\0';
}

/* What the rep wrote when resubmitting. */
static void fix_comment(const plan *p, unsigned fixed, char *buf, size_t cap)
{
    const char *parts[4];
    char role[80];
    size_t count = 0;
    if (fixed & RD_STAKEHOLDERS) {
        fmt(role, sizeof(role), "added the %s", role_words[p->review_role]);
        parts[count++] = role;
    }
    if (fixed & RD_COMMITMENT)
        parts[count++] = "documented the verbal commitment";
    if (fixed & RD_TECHNICAL)
        parts[count++] = "completed the technical section";
    if (fixed & RD_INFO)
        parts[count++] = "added why now, success criteria and personal wins";
    if (count == 0) {
        fmt(buf, cap, "Resubmitted with more detail");
        return;
    }
    size_t n = (size_t)snprintf(buf, cap, "Corrected: ");
    for (size_t i = 0; i < count && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? "; " : "", parts[i]);
}

static int write_transition(writer *w, live *L, const action *a)
{
    const plan *p = L->p;
    char reason[600];
    const char *text = NULL;
    const char *codes[4];
    size_t ncodes = 0;
    hf_status to = (hf_status)a->to;
    int k = a->review;
    if (to == HF_STATUS_SUBMITTED && a->event != EV_SUBMIT) {
        unsigned next = k + 1 < p->ndecisions ? p->review_mask[k + 1] : 0;
        fix_comment(p, p->review_mask[k] & ~next, reason, sizeof(reason));
        text = reason;
    } else if (to == HF_STATUS_NEEDS_REVISION || to == HF_STATUS_REJECTED) {
        for (int b = 0; b < 4; b++)
            if (p->review_mask[k] & (1u << b))
                codes[ncodes++] = reason_codes[b];
        review_comment(p, p->review_mask[k], reason, sizeof(reason));
        text = reason;
    } else if (to == HF_STATUS_ACCEPTED) {
        text = k > 0 ? "Corrections look good." : L->x.accept_comment;
    } else if (to == HF_STATUS_CANCELLED) {
        text = L->x.cancel_reason;
    }
    hf_actor who;
    hf_actor_system(&who, w->ws, actor_name(p, w->o, a->actor), HF_LANG_EN);
    hf_transition_req req = {to, text, ncodes ? codes : NULL, ncodes, NULL, 0};
    int rc = hf_svc_handoff_transition(w->svc, &who, L->id, &req, a->at, NULL, w->err);
    if (rc == HF_EBLOCKED) {
        /* a year of real handoffs has some that CS took on with items still open: the
         * CS manager overrides the gate, and the history says so */
        req.override_reason = "accepted with open items; follow-up agreed with sales";
        rc = hf_svc_handoff_transition(w->svc, &who, L->id, &req, a->at, NULL, w->err);
    }
    if (rc)
        return rc;
    w->st->transitions++;
    if (hf_status_is_decision(to) || (to == HF_STATUS_SUBMITTED && a->event != EV_SUBMIT))
        rc = reread_review(w, L);
    return rc;
}

static int write_action(writer *w, live *L, const action *a)
{
    switch (a->kind) {
    case A_CREATE:
        return write_create(w, L, a);
    case A_PUT:
        return write_put(w, L, a);
    case A_EDIT_TEAM:
    case A_EDIT_APPROVAL:
    case A_EDIT_PAYMENT:
        return write_edit(w, L, a);
    case A_DEAL:
        return write_deal(w, L, a->at, a->to);
    default:
        return write_transition(w, L, a);
    }
}

/* Write a batch of deals. Each round runs every deal's writes up to its next status change
 * in one transaction, then the status changes (each in its own, as hf_handoff_transition
 * opens one). */
static int write_batch(writer *w, live *batch, size_t n)
{
    int rc = 0;
    for (;;) {
        bool any_write = false, any_transition = false;
        for (size_t i = 0; i < n && !any_write; i++) {
            live *L = &batch[i];
            any_write = L->next < L->p->nactions && L->p->actions[L->next].kind != A_TRANSITION;
        }
        if (any_write) {
            rc = hf_store_begin(w->s, w->err);
            if (rc)
                return rc;
            for (size_t i = 0; i < n && !rc; i++) {
                live *L = &batch[i];
                while (!rc && L->next < L->p->nactions &&
                       L->p->actions[L->next].kind != A_TRANSITION)
                    rc = write_action(w, L, &L->p->actions[L->next++]);
            }
            if (rc) {
                hf_store_rollback(w->s);
                return rc;
            }
            rc = hf_store_commit(w->s, w->err);
            if (rc)
                return rc;
        }
        for (size_t i = 0; i < n; i++) {
            live *L = &batch[i];
            if (L->next < L->p->nactions && L->p->actions[L->next].kind == A_TRANSITION) {
                rc = write_action(w, L, &L->p->actions[L->next++]);
                if (rc)
                    return rc;
                any_transition = true;
            }
        }
        if (!any_write && !any_transition)
            break;
    }
    /* the stats come from what was stored */
    for (size_t i = 0; i < n; i++) {
        hf_handoff_rec h;
        memset(&h, 0, sizeof(h));
        rc = hf_store_handoff_get(w->s, w->ws, batch[i].id, &h, w->err);
        if (rc)
            return rc;
        w->st->versions += h.version;
        if ((unsigned)h.status < HF_STATUS_COUNT)
            w->st->by_status[h.status]++;
        if (h.index.band >= 0 && h.index.band < HF_BAND_COUNT)
            w->st->by_band[h.index.band]++;
        w->st->by_segment[batch[i].p->segment]++;
        hf_handoff_rec_free(&h);
    }
    return 0;
}

static void batch_free(live *batch, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        json_decref(batch[i].review);
        json_decref(batch[i].resubmitted);
        batch[i].review = batch[i].resubmitted = NULL;
    }
}

/* ---- the entry point ---- */

#define BATCH 64

/* The organisation as users and teams of the workspace, so that the API's CSM capacity,
 * team-based authorization and the people lists show the demo people. Users get no
 * password (no login): an administrator sets one, or creates tokens for them. A person who
 * already exists (a --force run) is kept as they are. */
static int register_people(hf_store *s, int64_t ws, const org *o, hf_time now, hf_error *err)
{
    static const char *const sales_team_names[3] = {"Sales North America", "Sales LATAM",
                                                    "Sales EMEA & APAC"};
    static const char *const cs_team_names[2] = {"CS Enterprise & Strategic",
                                                 "CS Mid-market & SMB"};
    int64_t sales_team[3] = {0}, cs_team[2] = {0};
    hf_error e;
    int rc;
    hf_user_rec known;
    if (hf_store_user_get(s, ws, 0, o->revops.email, &known, &e) == 0) {
        hf_user_rec_free(&known); /* this organisation is registered already */
        return 0;
    }
#define ADD_USER(p, r, team, cap)                                                                  \
    do {                                                                                           \
        hf_user_rec u;                                                                             \
        memset(&u, 0, sizeof(u));                                                                  \
        u.workspace_id = ws;                                                                       \
        u.email = (char *)(p)->email;                                                              \
        u.name = (char *)(p)->name;                                                                \
        u.role = (r);                                                                              \
        u.team_id = (team);                                                                        \
        u.capacity = (cap);                                                                        \
        u.active = true;                                                                           \
        u.created_at = now;                                                                        \
        rc = hf_store_user_create(s, &u, &e);                                                       \
        if (rc && rc != HF_ECONFLICT) {                                                            \
            if (err)                                                                               \
                *err = e;                                                                          \
            return rc;                                                                             \
        }                                                                                          \
    } while (0)
    for (int t = 0; t < 3; t++) {
        hf_team_rec team = {0, ws, (char *)sales_team_names[t], "sales", 0};
        rc = hf_store_team_create(s, &team, err);
        if (rc)
            return rc;
        sales_team[t] = team.id;
        ADD_USER(&o->sales_managers[t], HF_ROLE_SALES_MANAGER, team.id, 0);
    }
    for (int t = 0; t < 2; t++) {
        hf_team_rec team = {0, ws, (char *)cs_team_names[t], "cs", 0};
        rc = hf_store_team_create(s, &team, err);
        if (rc)
            return rc;
        cs_team[t] = team.id;
        ADD_USER(&o->cs_managers[t], HF_ROLE_CS_MANAGER, team.id, 0);
    }
    for (int i = 0; i < o->nreps; i++)
        ADD_USER(&o->reps[i].who, HF_ROLE_ACCOUNT_EXECUTIVE, sales_team[o->reps[i].team], 0);
    for (int i = 0; i < o->ncsms; i++) {
        const csm_profile *pr = o->csms[i].profile;
        int t = (pr->segments & (SEG_BIT(HF_SEG_STRATEGIC) | SEG_BIT(HF_SEG_ENTERPRISE))) &&
                        !(pr->segments & SEG_BIT(HF_SEG_SMB))
                    ? 0
                    : 1;
        ADD_USER(&o->csms[i].who, HF_ROLE_CSM, cs_team[t], pr->capacity);
    }
    ADD_USER(&o->revops, HF_ROLE_REVOPS, 0, 0);
#undef ADD_USER
    return 0;
}

int hf_demo_generate(hf_store *s, int64_t ws, int deals, uint64_t seed, hf_time now,
                     const hf_protocol *p, hf_demo_stats *stats, hf_error *err)
{
    hf_demo_stats local;
    if (!stats)
        stats = &local;
    memset(stats, 0, sizeof(*stats));
    if (!s || !p)
        return hf_error_set(err, HF_EUSAGE, NULL, "no store or no protocol");
    if (deals < 1 || deals > HF_DEMO_MAX_DEALS)
        return hf_error_set(err, HF_EUSAGE, NULL, "deals: expected 1 to %d, not %d",
                            HF_DEMO_MAX_DEALS, deals);
    if (now < 400 * DAY)
        return hf_error_set(err, HF_EUSAGE, NULL, "now: a year before it must be after 1970");
    int rc = hf_store_workspace_ensure(s, ws, "Demo", err);
    if (rc)
        return rc;
    /* CRM ids continue after the handoffs already there, so a second run adds new deals */
    int64_t existing = 0;
    hf_handoff_filter all;
    memset(&all, 0, sizeof(all));
    rc = hf_store_handoff_count(s, ws, &all, &existing, err);
    if (rc)
        return rc;

    hf_svc *svc = NULL; /* before the first goto: `out` closes it */
    org *o = calloc(1, sizeof(*o));
    plan *plans = calloc((size_t)deals, sizeof(plan));
    plan **order = calloc((size_t)deals, sizeof(plan *));
    hf_status *statuses = calloc((size_t)deals, sizeof(hf_status));
    texts *x = malloc(sizeof(texts));
    live *batch = calloc(BATCH, sizeof(live));
    if (!o || !plans || !order || !statuses || !x || !batch) {
        rc = hf_error_set(err, HF_ENOMEM, NULL, "out of memory for %d deals", deals);
        goto out;
    }
    rng r;
    rng_seed(&r, stream_seed(seed, 0, 0x0A6ull));
    make_org(&r, o);
    rc = register_people(s, ws, o, now, err);
    if (rc)
        goto out;

    /* statuses by quota (largest remainder; each at least once from 9 deals), shuffled */
    int quota[HF_STATUS_COUNT], given = 0;
    double rest[HF_STATUS_COUNT];
    for (int i = 0; i < HF_STATUS_COUNT; i++) {
        double q = status_shares[i] * deals;
        quota[i] = (int)q;
        rest[i] = q - quota[i];
        if (deals >= HF_STATUS_COUNT && quota[i] == 0)
            quota[i] = 1, rest[i] = 0;
        given += quota[i];
    }
    while (given < deals) {
        int best = HF_STATUS_COMPLETED;
        for (int i = 0; i < HF_STATUS_COUNT; i++)
            if (rest[i] > rest[best])
                best = i;
        quota[best]++, rest[best] = -1, given++;
    }
    while (given > deals) {
        quota[HF_STATUS_COMPLETED]--, given--;
    }
    for (int i = 0, n = 0; i < HF_STATUS_COUNT; i++)
        for (int j = 0; j < quota[i]; j++)
            statuses[n++] = (hf_status)i;
    for (int i = deals - 1; i > 0; i--) {
        int j = rng_int(&r, 0, i);
        hf_status t = statuses[i];
        statuses[i] = statuses[j];
        statuses[j] = t;
    }

    for (int i = 0; i < deals; i++) {
        rc = plan_deal(&plans[i], i, statuses[i], seed, existing, o, p, now, x, err);
        if (rc)
            goto out;
        order[i] = &plans[i];
    }
    qsort(order, (size_t)deals, sizeof(plan *), compare_plans);
    assign_csms(order, deals, o, now, seed);

    rc = hf_svc_open(s, NULL, &svc, err);
    if (rc)
        goto out;
    writer w = {s, svc, ws, p, o, stats, err};
    for (int i = 0; i < deals; i += BATCH) {
        size_t n = (size_t)(deals - i < BATCH ? deals - i : BATCH);
        for (size_t j = 0; j < n; j++) {
            memset(&batch[j], 0, sizeof(live));
            batch[j].p = order[i + (int)j];
            draw_texts(batch[j].p, &batch[j].x);
        }
        rc = write_batch(&w, batch, n);
        batch_free(batch, n);
        if (rc)
            goto out;
    }
    stats->sales_teams = 3;
    stats->sales_reps = o->nreps;
    stats->csms = o->ncsms;
    stats->cs_managers = 2;
out:
    hf_svc_close(svc);
    free(batch);
    free(x);
    free(statuses);
    free(order);
    free(plans);
    free(o);
    return rc;
}
