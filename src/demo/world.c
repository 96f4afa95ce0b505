/* The world the demo deals happen in: the customers' time zones and working hours (with the
 * US and EU daylight-saving rules, computed here so the output does not depend on the
 * system's zoneinfo), the six countries with their name pools, cities and systems, the
 * twelve industries with their challenges, objectives and risks, and the vendor's own
 * organisation (sales teams, reps, CSMs with capacities, CS managers) drawn from them. */
#include "demo/demo_int.h"

#include <string.h>

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
int hf__demo_zone_offset(zone z, hf_time t)
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
const char *hf__demo_local_time(hf_time t, zone z, char buf[HF_TIME_BUFSZ])
{
    int off = hf__demo_zone_offset(z, t);
    hf_time_format_utc(t + off * MINUTE, buf);
    size_t n = strlen(buf);
    int a = off < 0 ? -off : off;
    hf__demo_fmt(buf + n - 1, HF_TIME_BUFSZ - (n - 1), "%c%02d:%02d", off < 0 ? '-' : '+',
                 (a / 60) % 100, a % 60);
    return buf;
}

/* Local day number of `t`. */
int64_t hf__demo_local_day(hf_time t, zone z)
{
    return (t + hf__demo_zone_offset(z, t) * MINUTE) / DAY;
}

/* The first instant at or after `t` within [from_h, to_h) local time on a weekday. When
 * `t` had to move, `jitter` minutes are added (people do not all start at 09:00:00). */
hf_time hf__demo_working_time(hf_time t, zone z, int from_h, int to_h, int jitter)
{
    bool moved = false;
    for (int guard = 0; guard < 8; guard++) {
        hf_time off = hf__demo_zone_offset(z, t) * MINUTE;
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
hf_time hf__demo_meeting_slot(hf_time t, zone z)
{
    hf_time half = 30 * MINUTE;
    t = (t + half - 1) / half * half;
    return hf__demo_working_time(t, z, 9, 17, 0);
}

static const char *const month_names[12] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};

/* The month `ahead` months after the month of `t`. */
const char *hf__demo_month_after(hf_time t, int ahead)
{
    int64_t y;
    unsigned m, d;
    hf_civil_from_days(t / DAY, &y, &m, &d);
    return month_names[(m - 1 + (unsigned)ahead) % 12];
}

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

const country hf__demo_countries[C_COUNT] = {
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
const double hf__demo_country_weights[C_COUNT] = {34, 22, 14, 12, 11, 7};

const industry hf__demo_industries[] = {
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
const int hf__demo_industry_count = (int)COUNT_OF(hf__demo_industries);

#define ALL_SEGMENTS 0xFu
#define ALL_COUNTRIES ((1u << C_COUNT) - 1u)

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

/* A person from a country's pools whose name nobody in `org` has yet. */
static void make_person(rng *r, const org *o, int c, person *out)
{
    const country *k = &hf__demo_countries[c];
    for (int attempt = 0; attempt < 50; attempt++) {
        hf__demo_fmt(out->name, sizeof(out->name), "%s %s",
                     k->first[hf__demo_rng_index(r, k->nfirst)],
                     k->last[hf__demo_rng_index(r, k->nlast)]);
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
    hf__demo_fmt(out->email, sizeof(out->email), "%s@" VENDOR_DOMAIN, local);
}

void hf__demo_make_org(rng *r, org *o)
{
    memset(o, 0, sizeof(*o));
    static const int manager_country[3] = {C_US, C_BR, C_ES};
    for (int t = 0; t < 3; t++)
        make_person(r, o, manager_country[t], &o->sales_managers[t]);
    int total = hf__demo_rng_int(r, 8, 12);
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
            rep->diligence = hf__demo_rng_weighted(r, diligence_weights, 3);
            make_person(r, o, t == 0 ? C_US : t == 1 ? latam[i % 5] : emea[i % 4], &rep->who);
        }
    }
    /* profiles 0-4 always; the Indonesia and Spain specialists when the team is larger */
    int ncsms = hf__demo_rng_int(r, 5, 7);
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
