/* carrier_table.c: the one table of carriers shipload knows (spec §5, §12; issue 6): canonical
 * names and codes, aliases, tracking-URL patterns and tracking-number formats with their check
 * digits. Data only (and a carrier's index in it): the lookups and algorithms are in
 * carrier.c.
 *
 * Sources of the formats and algorithms (the unit tests cite the same, with their example
 * numbers): the shapes, check-digit spans and weights of jkeen/tracking_number_data
 * (couriers/{ups,usps,fedex,dhl,s10}.json and CHECKSUM_ALGORITHMS.md, MIT): UPS 1Z mod 10
 * with weights 1,2 and letters as (ASCII - 63) mod 10; USPS IMpb mod 10 with weights 3,1
 * from the right over every digit (USPS Pub. 199), legacy 20-digit numbers with or without
 * the "91" identifier counted in front; FedEx Express 12-digit and the 34-digit forms mod 11
 * with weights 1,3,7 from the right, then mod 10; FedEx Ground 15-digit, "96" 22-digit and
 * SSCC-18 mod 10 (GS1); SmartPost 20-digit numbers counted with "92" in front; DHL Express
 * 10/11-digit: the number before the check digit mod 7; UPU S10 weights 8,6,4,2,3,5,9,7,
 * 11 - sum mod 11 with 10 -> 0 and 11 -> 5 (UPU S10 standard, as Wikipedia's "S10 (UPU
 * standard)" quotes it); DHL's page of tracking-ID shapes for JJD, GM and 3S.
 *
 * `shapes` is set only for carriers whose published shapes are all in the table (UPS, USPS,
 * FedEx, DHL Express): a number given for them that fits none is refused with that sentence.
 * Their lists are deliberately generous where users write the brand for a sister service:
 * UPS takes the USPS-style numbers of SurePost and Mail Innovations; USPS takes any UPU S10
 * number (inbound ePacket items are tracked by USPS); FedEx takes door tags and Freight PROs;
 * DHL Express (also what a bare "DHL" means) takes the 12- and 14-digit numbers and 3S codes of
 * DHL Paket, eCommerce and Parcel NL. The other carriers' lists are what is published (DPD,
 * GLS, Evri, OnTrac, LaserShip, Purolator, Yodel, Parcelforce from jkeen/tracking_number_data
 * and the carriers' help pages) but not known to be complete, so they never refuse a number.
 *
 * `infer` marks shapes that name a carrier by themselves. Bare digit strings (10, 12, 15, 16,
 * 20 digits) are used by several carriers, so they never infer; JJD is DHL's, but Express or
 * Paket cannot be told, so both carriers list it and inference declines. */
#include <stdint.h>
#include "shipload/carrier.h"

#define FORMATS_END { NULL, NULL, SL_CHECK_NONE, 0, 0, NULL, 0 }
/* UPU S10: 2 letters, 8 digits, check digit, the issuing country. */
#define S10_FORMAT(label, country, infer) \
    { label, "@@#{9}" country, SL_CHECK_S10, 2, 3, NULL, infer }
/* A shape without a check digit. */
#define PLAIN_FORMAT(label, pattern, infer) { label, pattern, SL_CHECK_NONE, 0, 0, NULL, infer }
/* A USPS IMpb number as another carrier prints it (checked, never inferring). */
#define IMPB_FORMATS(label)                                                        \
    { label, "9[12345]#{20}", SL_CHECK_MOD10_3_1, 0, 1, NULL, 0 },                \
    { label, "9[12345]#{24}", SL_CHECK_MOD10_3_1, 0, 1, NULL, 0 },                \
    { label, "420#{5}9[12345]#{20}", SL_CHECK_MOD10_3_1, 8, 1, NULL, 0 },         \
    { label, "420#{9}9[12345]#{20}", SL_CHECK_MOD10_3_1, 12, 1, NULL, 0 }

static const sl_carrier carriers[] = {
    { "UPS", "ups", "https://www.ups.com/track?tracknum={number}",
      (const char *const[]){ "UPS *", "UPS Ground", "United Parcel Service *", "UPSN", NULL },
      (const sl_number_format[]){
          { "UPS 1Z", "1Z?{16}", SL_CHECK_UPS_MOD10, 2, 1, NULL, 1 },
          PLAIN_FORMAT("UPS waybill", "[AHJKTVahjktv]#{10}", 0),
          PLAIN_FORMAT("UPS Mail Innovations", "MI#{6}?{1,22}", 0),
          IMPB_FORMATS("UPS SurePost"),
          FORMATS_END },
      "UPS numbers are 1Z followed by 16 letters and digits (a waybill: A, H, J, K, T or V "
      "and 10 digits; SurePost and Mail Innovations: USPS-style numbers)" },

    { "USPS", "usps", "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}",
      (const char *const[]){ "USPS *", "United States Postal Service *",
                             "U.S. Postal Service *", "US Mail", "United States Post Office",
                             "Stamps.com *", "Endicia *", "USPS Ground Advantage", NULL },
      (const sl_number_format[]){
          /* 94 (USPS-generated labels) and 95 (retail) are USPS's own; 92 and 93 are also
           * printed by consolidators (FedEx SmartPost, UPS Mail Innovations) */
          { "USPS IMpb", "9[45]#{20}", SL_CHECK_MOD10_3_1, 0, 1, NULL, 1 },
          { "USPS IMpb", "9[123]#{20}", SL_CHECK_MOD10_3_1, 0, 1, NULL, 0 },
          { "USPS IMpb", "9[12345]#{24}", SL_CHECK_MOD10_3_1, 0, 1, NULL, 0 },
          { "USPS IMpb with ZIP", "420#{5}9[12345]#{20}", SL_CHECK_MOD10_3_1, 8, 1, NULL, 0 },
          { "USPS IMpb with ZIP+4", "420#{9}9[12345]#{20}", SL_CHECK_MOD10_3_1, 12, 1, NULL, 0 },
          { "USPS IMpb with ZIP", "420#{5}9[12345]#{24}", SL_CHECK_MOD10_3_1, 8, 1, NULL, 0 },
          PLAIN_FORMAT("USPS Global Express Guaranteed", "82#{8}", 0),
          /* legacy 20-digit numbers: printed without their "91" identifier or with none */
          { "USPS 20-digit", "#{20}", SL_CHECK_MOD10_3_1, 0, 1, NULL, 0 },
          { "USPS 20-digit", "#{20}", SL_CHECK_MOD10_3_1, 0, 1, "91", 0 },
          S10_FORMAT("USPS S10", "US", 1),
          S10_FORMAT("UPU S10", "@@", 0),   /* inbound international items */
          FORMATS_END },
      "USPS numbers are 20 to 34 digits (92, 93, 94 or 95 and 20 or 24 more digits, optionally "
      "after 420 and a ZIP code) or 2 letters, 9 digits and a country code (UPU S10)" },

    { "FedEx", "fedex", "https://www.fedex.com/fedextrack/?trknbr={number}",
      (const char *const[]){ "FedEx *", "FedEx Ground", "FedEx Home Delivery", "FedEx Express",
                             "Federal Express *", "FDX", "FDXE", "FDXG", NULL },
      (const sl_number_format[]){
          { "FedEx 12-digit", "#{12}", SL_CHECK_MOD11_1_3_7, 0, 1, NULL, 0 },
          { "FedEx Ground 15-digit", "#{15}", SL_CHECK_MOD10_3_1, 0, 1, NULL, 0 },
          { "FedEx SSCC-18", "#{18}", SL_CHECK_MOD10_3_1, 0, 1, NULL, 0 },
          { "FedEx SSCC-18", "00#{18}", SL_CHECK_MOD10_3_1, 2, 1, NULL, 0 },
          /* 20-digit SmartPost numbers leave out their "92"; "00" starts an SSCC instead */
          { "FedEx SmartPost 20-digit", "[123456789]#{19}", SL_CHECK_MOD10_3_1, 0, 1, "92", 0 },
          { "FedEx SmartPost 20-digit", "0[123456789]#{18}", SL_CHECK_MOD10_3_1, 0, 1, "92", 0 },
          { "FedEx SmartPost", "92#{20}", SL_CHECK_MOD10_3_1, 0, 1, NULL, 0 },
          /* 96 + service code 2 + class 3 + the 15-digit Ground number */
          { "FedEx Ground 96", "96#{20}", SL_CHECK_MOD10_3_1, 7, 1, NULL, 1 },
          /* 34-digit barcodes: the last 14 digits are the Express-style number */
          { "FedEx 34-digit", "96#{32}", SL_CHECK_MOD11_1_3_7, 20, 1, NULL, 1 },
          { "FedEx 34-digit", "100#{31}", SL_CHECK_MOD11_1_3_7, 20, 1, NULL, 0 },
          PLAIN_FORMAT("FedEx 32-digit", "3#{31}", 0),
          PLAIN_FORMAT("FedEx door tag", "DT#{12}", 0),
          PLAIN_FORMAT("FedEx Freight PRO", "#{9,10}", 0),
          FORMATS_END },
      "FedEx numbers are 12, 15, 20, 22, 32 or 34 digits (an SSCC: 18 or 20 digits; a door "
      "tag: DT and 12 digits; a Freight PRO: 9 or 10 digits)" },

    { "DHL Express", "dhl_express",
      "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id={number}",
      (const char *const[]){ "DHL Express *", "DHL", "DHL Worldwide Express",
                             "DHL International", "dhl_express_worldwide", NULL },
      (const sl_number_format[]){
          { "DHL Express 10-digit", "#{10}", SL_CHECK_MOD7, 0, 1, NULL, 0 },
          { "DHL Express 11-digit", "#{11}", SL_CHECK_MOD7, 0, 1, NULL, 0 },
          PLAIN_FORMAT("DHL piece ID", "JJD#{10,20}", 1),
          PLAIN_FORMAT("DHL piece ID", "J@{2,3}#{9,10}", 0),
          PLAIN_FORMAT("DHL piece ID", "JD#{18}", 0),
          /* what else a bare "DHL" may carry: Paket, eCommerce and Parcel NL numbers */
          PLAIN_FORMAT("DHL Paket 12-digit", "#{12}", 0),
          PLAIN_FORMAT("DHL eCommerce 14-digit", "#{14}", 0),
          PLAIN_FORMAT("DHL Parcel 3S", "3S@{4}#{7,11}", 0),
          FORMATS_END },
      "DHL Express numbers are 10 or 11 digits (a waybill) or JD, JJD or J and 2-3 letters "
      "followed by digits (a piece); other DHL services use 12 or 14 digits, GM or 3S codes" },

    { "DHL eCommerce", "dhl_ecommerce",
      "https://www.dhl.com/global-en/home/tracking/tracking-ecommerce.html?submit=1&tracking-id={number}",
      (const char *const[]){ "DHL eCommerce *", "DHL Global Mail", "DHL GlobalMail",
                             "DHL SmartMail *", "dhl_ecommerce", NULL },
      (const sl_number_format[]){
          PLAIN_FORMAT("DHL eCommerce GM", "GM#{10,39}", 1),
          /* hands international items to the posts, under their S10 numbers */
          S10_FORMAT("UPU S10", "@@", 0),
          FORMATS_END },
      NULL },

    { "Canada Post", "canada_post",
      "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor={number}",
      (const char *const[]){ "Canada Post *", "Postes Canada", NULL },
      (const sl_number_format[]){
          PLAIN_FORMAT("Canada Post 16-digit", "#{16}", 0),
          S10_FORMAT("Canada Post S10", "CA", 1),
          FORMATS_END },
      NULL },

    { "Royal Mail", "royal_mail", "https://www.royalmail.com/track-your-item#/tracking-results/{number}",
      (const char *const[]){ "Royal Mail *", "Royal Mail Tracked *", NULL },
      (const sl_number_format[]){
          S10_FORMAT("Royal Mail S10", "GB", 1),
          FORMATS_END },
      NULL },

    { "Australia Post", "australia_post", "https://auspost.com.au/mypost/track/#/details/{number}",
      (const char *const[]){ "Australia Post *", "AusPost", "Aus Post", "StarTrack", NULL },
      (const sl_number_format[]){
          S10_FORMAT("Australia Post S10", "AU", 1),
          FORMATS_END },
      NULL },

    { "DHL Paket", "dhl_paket",
      "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={number}",
      (const char *const[]){ "DHL Paket *", "Deutsche Post *", "DHL Parcel Germany",
                             "DHL Germany", NULL },
      (const sl_number_format[]){
          PLAIN_FORMAT("DHL Paket 12-digit", "#{12}", 0),
          PLAIN_FORMAT("DHL Paket 20-digit", "00340434#{12}", 1),   /* DHL's GS1 prefix */
          PLAIN_FORMAT("DHL piece ID", "JJD#{10,20}", 1),
          S10_FORMAT("Deutsche Post S10", "DE", 1),
          FORMATS_END },
      NULL },

    { "La Poste", "la_poste", "https://www.laposte.fr/outils/suivre-vos-envois?code={number}",
      (const char *const[]){ "La Poste", "La Poste France", "Colissimo *", "La Poste Colissimo",
                             NULL },
      (const sl_number_format[]){
          PLAIN_FORMAT("Colissimo", "#@#{11}", 0),
          S10_FORMAT("La Poste S10", "FR", 1),
          FORMATS_END },
      NULL },

    { "PostNL", "postnl", "https://postnl.nl/tracktrace/?B={number}",
      (const char *const[]){ "PostNL *", "Post NL", "TNT Post", NULL },
      (const sl_number_format[]){
          PLAIN_FORMAT("PostNL 3S", "3S@{4}#{7,11}", 0),   /* DHL Parcel NL prints 3S too */
          S10_FORMAT("PostNL S10", "NL", 1),
          FORMATS_END },
      NULL },

    { "Correos", "correos",
      "https://www.correos.es/es/es/herramientas/localizador/envios/detalle?tracking-number={number}",
      (const char *const[]){ "Correos", "Correos España", "Correos Espana", "Correos Spain",
                             "Correos y Telégrafos", NULL },
      (const sl_number_format[]){
          S10_FORMAT("Correos S10", "ES", 1),
          FORMATS_END },
      NULL },

    { "Estafeta", "estafeta",
      "https://www.estafeta.com/herramientas/rastreo?wayBillType=1&wayBill={number}",
      (const char *const[]){ "Estafeta *", NULL },
      (const sl_number_format[]){
          PLAIN_FORMAT("Estafeta 22-character", "?{22}", 0),
          PLAIN_FORMAT("Estafeta 10-digit", "#{10}", 0),
          FORMATS_END },
      NULL },

    /* carriers users meet (issue 13): shapes as published, none known to be complete */
    { "DPD", "dpd",
      "https://www.dpdgroup.com/nl/mydpd/my-parcels/track?lang=en&parcelNumber={number}",
      (const char *const[]){ "DPD *", "Dynamic Parcel Distribution", "DPD Local", NULL },
      (const sl_number_format[]){
          PLAIN_FORMAT("DPD 14-digit", "#{14}", 0),
          PLAIN_FORMAT("DPD 14-digit with check", "#{14}?", 0),
          PLAIN_FORMAT("DPD 28-character", "#{27}?", 0),
          FORMATS_END },
      NULL },

    { "GLS", "gls", "https://gls-group.eu/EU/en/parcel-tracking?match={number}",
      (const char *const[]){ "GLS *", "General Logistics Systems *", NULL },
      (const sl_number_format[]){
          PLAIN_FORMAT("GLS parcel number", "#{11,12}", 0),
          FORMATS_END },
      NULL },

    { "Evri", "evri", "https://www.evri.com/track/parcel/{number}",
      (const char *const[]){ "Evri *", "Hermes", "Hermes UK", "myHermes", "Hermes Parcelnet",
                             NULL },
      (const sl_number_format[]){
          PLAIN_FORMAT("Evri 16-character", "?{16}", 0),
          FORMATS_END },
      NULL },

    { "OnTrac", "ontrac", "https://www.ontrac.com/tracking/?number={number}",
      (const char *const[]){ "OnTrac *", "On Trac", NULL },
      (const sl_number_format[]){
          PLAIN_FORMAT("OnTrac C", "C#{14}", 1),
          PLAIN_FORMAT("OnTrac D", "D#{14}", 1),
          FORMATS_END },
      NULL },

    { "LaserShip", "lasership", "https://www.ontrac.com/tracking/?number={number}",
      (const char *const[]){ "LaserShip *", "Laser Ship", NULL },
      (const sl_number_format[]){
          PLAIN_FORMAT("LaserShip L", "L[AIEHNX][123]#{7}", 0),
          PLAIN_FORMAT("LaserShip 1LS", "1LS7[12]#{10}", 1),
          PLAIN_FORMAT("LaserShip 1LS", "1LS7[12]#{2}01[1234]#{6}-1", 1),
          PLAIN_FORMAT("LaserShip 1LSCX", "1LSCX?{10}", 1),
          FORMATS_END },
      NULL },

    { "Purolator", "purolator", "https://www.purolator.com/en/shipping/tracker?pin={number}",
      (const char *const[]){ "Purolator *", NULL },
      (const sl_number_format[]){
          PLAIN_FORMAT("Purolator 12-digit", "#{12}", 0),
          PLAIN_FORMAT("Purolator PIN", "@{3}#{9}", 0),
          FORMATS_END },
      NULL },

    { "Yodel", "yodel", "https://www.yodel.co.uk/tracking/{number}",
      (const char *const[]){ "Yodel *", NULL },
      (const sl_number_format[]){
          PLAIN_FORMAT("Yodel JD", "JD#{16}", 0),
          PLAIN_FORMAT("Yodel JJD", "JJD#{16}", 0),
          FORMATS_END },
      NULL },

    { "Parcelforce", "parcelforce", "https://www.parcelforce.com/track-trace?trackNumber={number}",
      (const char *const[]){ "Parcelforce *", "Parcel Force *", NULL },
      (const sl_number_format[]){
          PLAIN_FORMAT("Parcelforce", "@@#{7}", 0),
          PLAIN_FORMAT("Parcelforce", "@@#{7}001", 0),
          S10_FORMAT("Parcelforce S10", "GB", 0),
          FORMATS_END },
      NULL },
};

#define CARRIER_COUNT (sizeof(carriers) / sizeof(carriers[0]))
_Static_assert(CARRIER_COUNT < 255, "a row names the carrier of its tracking URL in one byte "
               "(sl_row.url_carrier: 1 + the index)");

size_t sl_carrier_count(void)
{
    return CARRIER_COUNT;
}

const sl_carrier *sl_carrier_at(size_t index)
{
    return index < sl_carrier_count() ? &carriers[index] : NULL;
}

size_t sl_carrier_index(const sl_carrier *carrier)
{
    /* compared as addresses: a carrier from elsewhere is not an element of the table */
    uintptr_t at = (uintptr_t)carrier, first = (uintptr_t)carriers;
    if (at < first || at >= first + sizeof(carriers))
        return CARRIER_COUNT;
    size_t index = (at - first) / sizeof(carriers[0]);
    return &carriers[index] == carrier ? index : CARRIER_COUNT;
}
