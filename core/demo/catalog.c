/* catalog.c - the demo lakehouse's tables: CRM-like (Dataverse synced to a lakehouse), of
 * different sizes, partitioned and not, every one carrying the sync's tracking columns. */
#include <string.h>

#include "lakerewind/demo.h"

#define KEY(n) {n, LR_DEMO_STRING, LR_DEMO_KEY, false, NULL}
#define COL(n, t, k) {n, t, k, true, NULL}
#define FK(n, table) {n, LR_DEMO_STRING, LR_DEMO_FOREIGN_KEY, true, table}
/* The tracking columns every synced table has. */
#define TRACKING                                                                                  \
    {"createdon", LR_DEMO_TIMESTAMP, LR_DEMO_CREATED, true, NULL},                               \
        {"SinkModifiedOn", LR_DEMO_TIMESTAMP, LR_DEMO_MODIFIED, false, NULL},                    \
        {"IsDelete", LR_DEMO_BOOL, LR_DEMO_IS_DELETE, false, NULL},                              \
        {"versionnumber", LR_DEMO_LONG, LR_DEMO_VERSIONNUMBER, false, NULL}

static const struct lr_demo_table catalog[] = {
    {"account", "organisations and households that give", 4000, 120, 30, NULL, 8,
     {KEY("accountid"), COL("name", LR_DEMO_STRING, LR_DEMO_NAME),
      COL("address1_city", LR_DEMO_STRING, LR_DEMO_CITY),
      COL("statecode", LR_DEMO_INT, LR_DEMO_STATE), TRACKING}},
    {"contact", "people: donors, volunteers, staff contacts", 6000, 150, 34, NULL, 9,
     {KEY("contactid"), COL("fullname", LR_DEMO_STRING, LR_DEMO_NAME),
      COL("emailaddress1", LR_DEMO_STRING, LR_DEMO_EMAIL), FK("parentcustomerid", "account"),
      COL("statecode", LR_DEMO_INT, LR_DEMO_STATE), TRACKING}},
    {"donation", "gifts received, partitioned by fiscal year", 12000, 400, 40, "fiscalyear", 9,
     {KEY("donationid"), FK("contactid", "contact"),
      COL("amount", LR_DEMO_DOUBLE, LR_DEMO_AMOUNT), COL("fiscalyear", LR_DEMO_INT, LR_DEMO_YEAR),
      COL("statecode", LR_DEMO_INT, LR_DEMO_STATE), TRACKING}},
    {"activitypointer", "every activity, partitioned by type", 15000, 500, 45,
     "activitytypecode", 8,
     {KEY("activityid"), COL("activitytypecode", LR_DEMO_STRING, LR_DEMO_CATEGORY),
      FK("regardingobjectid", "contact"), COL("subject", LR_DEMO_STRING, LR_DEMO_NAME), TRACKING}},
    {"opportunity", "major-gift pipeline", 2500, 80, 28, NULL, 9,
     {KEY("opportunityid"), FK("parentaccountid", "account"),
      COL("name", LR_DEMO_STRING, LR_DEMO_NAME),
      COL("estimatedvalue", LR_DEMO_DOUBLE, LR_DEMO_AMOUNT),
      COL("statecode", LR_DEMO_INT, LR_DEMO_STATE), TRACKING}},
    {"lead", "prospective supporters", 3000, 90, 24, NULL, 8,
     {KEY("leadid"), COL("fullname", LR_DEMO_STRING, LR_DEMO_NAME),
      COL("emailaddress1", LR_DEMO_STRING, LR_DEMO_EMAIL),
      COL("statecode", LR_DEMO_INT, LR_DEMO_STATE), TRACKING}},
    {"campaign", "appeals and campaigns", 150, 6, 20, NULL, 8,
     {KEY("campaignid"), COL("name", LR_DEMO_STRING, LR_DEMO_NAME),
      COL("budgetedcost", LR_DEMO_DOUBLE, LR_DEMO_AMOUNT),
      COL("statecode", LR_DEMO_INT, LR_DEMO_STATE), TRACKING}},
    {"campaignresponse", "responses to appeals", 5000, 160, 30, NULL, 8,
     {KEY("activityid"), FK("regardingobjectid", "campaign"), FK("customer", "contact"),
      COL("statecode", LR_DEMO_INT, LR_DEMO_STATE), TRACKING}},
    {"email", "emails sent and received, partitioned by year", 8000, 260, 36, "year", 8,
     {KEY("activityid"), COL("subject", LR_DEMO_STRING, LR_DEMO_NAME),
      COL("year", LR_DEMO_INT, LR_DEMO_YEAR), FK("regardingobjectid", "contact"), TRACKING}},
    {"phonecall", "phone calls", 3500, 110, 26, NULL, 8,
     {KEY("activityid"), COL("subject", LR_DEMO_STRING, LR_DEMO_NAME),
      FK("regardingobjectid", "contact"), COL("statecode", LR_DEMO_INT, LR_DEMO_STATE), TRACKING}},
    {"task", "follow-up tasks", 3000, 100, 25, NULL, 8,
     {KEY("activityid"), COL("subject", LR_DEMO_STRING, LR_DEMO_NAME),
      FK("regardingobjectid", "contact"), COL("statecode", LR_DEMO_INT, LR_DEMO_STATE), TRACKING}},
    {"appointment", "meetings with supporters", 1200, 40, 22, NULL, 8,
     {KEY("activityid"), COL("subject", LR_DEMO_STRING, LR_DEMO_NAME),
      FK("regardingobjectid", "account"), COL("location", LR_DEMO_STRING, LR_DEMO_CITY), TRACKING}},
    {"incident", "supporter care cases", 900, 30, 21, NULL, 8,
     {KEY("incidentid"), COL("title", LR_DEMO_STRING, LR_DEMO_NAME),
      FK("customerid", "contact"), COL("statecode", LR_DEMO_INT, LR_DEMO_STATE), TRACKING}},
    {"systemuser", "staff users", 80, 2, 18, NULL, 8,
     {KEY("systemuserid"), COL("fullname", LR_DEMO_STRING, LR_DEMO_NAME),
      COL("internalemailaddress", LR_DEMO_STRING, LR_DEMO_EMAIL),
      COL("isdisabled", LR_DEMO_BOOL, LR_DEMO_IS_DELETE), TRACKING}},
    {"team", "owning teams", 25, 1, 18, NULL, 6,
     {KEY("teamid"), COL("name", LR_DEMO_STRING, LR_DEMO_NAME), TRACKING}},
    {"businessunit", "business units", 8, 1, 18, NULL, 6,
     {KEY("businessunitid"), COL("name", LR_DEMO_STRING, LR_DEMO_NAME), TRACKING}},
    {"product", "gift-aid and merchandise products", 120, 4, 19, NULL, 7,
     {KEY("productid"), COL("name", LR_DEMO_STRING, LR_DEMO_NAME),
      COL("price", LR_DEMO_DOUBLE, LR_DEMO_AMOUNT), TRACKING}},
    {"pricelevel", "price lists", 12, 1, 18, NULL, 6,
     {KEY("pricelevelid"), COL("name", LR_DEMO_STRING, LR_DEMO_NAME), TRACKING}},
    {"invoice", "invoices for events and merchandise", 1800, 60, 27, NULL, 8,
     {KEY("invoiceid"), FK("customerid", "account"),
      COL("totalamount", LR_DEMO_DOUBLE, LR_DEMO_AMOUNT), COL("invoicedate", LR_DEMO_DATE,
                                                               LR_DEMO_CREATED),
      TRACKING}},
    {"salesorder", "orders, partitioned by category", 2200, 70, 29, "category", 8,
     {KEY("salesorderid"), FK("customerid", "account"),
      COL("category", LR_DEMO_STRING, LR_DEMO_CATEGORY),
      COL("totalamount", LR_DEMO_DOUBLE, LR_DEMO_AMOUNT), TRACKING}},
};

const struct lr_demo_table *lr_demo_catalog(size_t *count)
{
    *count = sizeof catalog / sizeof *catalog;
    return catalog;
}

const struct lr_demo_table *lr_demo_table_find(const char *name)
{
    for (size_t i = 0; i < sizeof catalog / sizeof *catalog; i++)
        if (strcmp(catalog[i].name, name) == 0)
            return &catalog[i];
    return NULL;
}

const char *lr_demo_type_name(enum lr_demo_type type)
{
    switch (type) {
    case LR_DEMO_STRING: return "string";
    case LR_DEMO_INT: return "integer";
    case LR_DEMO_LONG: return "long";
    case LR_DEMO_DOUBLE: return "double";
    case LR_DEMO_BOOL: return "boolean";
    case LR_DEMO_TIMESTAMP: return "timestamp";
    case LR_DEMO_DATE: return "date";
    }
    return "string";
}
