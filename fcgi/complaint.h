/* complaint.h: the complaint record — its fields, their validation, registration with a number. */
#ifndef KESU_COMPLAINT_H
#define KESU_COMPLAINT_H

#include <json-c/json.h>
#include "arena.h"
#include "audit.h"
#include "db.h"

/* The registration form's fields, in form order; complaint_field[i] names field i. */
enum cfield {
	CF_RECEIVED_AT, CF_CHANNEL, CF_CUSTOMER_NAME, CF_CUSTOMER_COMPANY, CF_CUSTOMER_TYPE,
	CF_CUSTOMER_VIP, CF_CUSTOMER_PHONE, CF_CUSTOMER_EMAIL, CF_CUSTOMER_ADDRESS,
	CF_PRODUCT, CF_PART_NO, CF_ORDER_NO, CF_LOT, CF_QUANTITY, CF_DEFECTIVE_QUANTITY,
	CF_DELIVERY_DATE, CF_SUBJECT_PERSON, CF_DESCRIPTION, CF_DEMAND, CF_URGENCY,
	CF_CATEGORY, CF_SEVERITY,
	CF__MAX
};

enum cftype { CFT_TEXT, CFT_LONGTEXT, CFT_ENUM, CFT_INT, CFT_BOOL, CFT_DATE, CFT_DATETIME, CFT_EMAIL, CFT_PHONE };

struct cfield_spec {
	const char *name;            /* form and JSON name, e.g. "customer_name" */
	enum cftype type;
	int required;
	size_t maxlen;               /* characters (not bytes) for text */
	const char *const *values;   /* CFT_ENUM: NULL-terminated codes; labels are "<name>_<code>" in po/ */
};
extern const struct cfield_spec complaint_fields[CF__MAX];

/* Enumerations with their codes (labels in po/ as "<field>_<code>"). */
extern const char *const complaint_channels[];
extern const char *const complaint_customer_types[];
extern const char *const complaint_demands[];
extern const char *const complaint_urgencies[];
extern const char *const complaint_categories[];
extern const char *const complaint_statuses[];
extern const char *const complaint_severities[];

/* A validated complaint to register: values normalised, "" for empty optional text, NULL for empty optional numbers/dates. */
struct complaint_in {
	const char *v[CF__MAX];
	const char *received_utc;   /* v[CF_RECEIVED_AT] in UTC, "YYYY-MM-DD HH:MM:00" */
};

/*
 * Validate raw values (get(ctx, name) returns the submitted string or NULL) into *in.
 * Every problem is added to errors as {field: message key} (a po/ key such as
 * "err_required"); returns the count of problems (0: valid).
 * External channels (regulator, consumer_assoc, media) raise the severity to 2 at least.
 */
int complaint_validate(struct arena *a, const char *(*get)(void *ctx, const char *name), void *ctx,
    long utc_offset_min, struct complaint_in *in, struct json_object *errors);

/*
 * Register *in inside the caller's transaction: take the next number of the
 * year of receipt (YYMMDDNNN, from the local date in v[CF_RECEIVED_AT]), compute the deadlines from the severity table,
 * insert, and append the audit event "complaint"/"register". The number is
 * written into number[16]. Returns KESU_OK, KESU_EDB.
 */
int complaint_register(struct db *db, struct arena *a, const struct audit_actor *who,
    const char *owner_uid, const char *owner_name, const struct complaint_in *in, char number[16]);

/* Format YYMMDDNNN from a "YYYY-MM-DD..." date and a sequence (at least 3 digits). */
void complaint_number(char out[16], const char *received_at, unsigned seq);
/*
 * Overdue at now: not answered (still "registered") past its response deadline, or past its
 * resolution deadline. All three are "YYYY-MM-DD HH:MM:SS" UTC strings, which compare like the
 * times they name; a NULL deadline never passes.
 */
int complaint_overdue(const char *status, const char *respond_due, const char *resolve_due, const char *now);
/* Mask a phone for lists: keep the first 3 and last 4 digits ("138****5678"); short numbers keep the last 2. */
char *complaint_mask_phone(struct arena *a, const char *phone);

/* Other customers with a complaint on the same part and lot that make a new one a repeat. */
#define REPEAT_LOT_OTHERS 2
/*
 * Why a new complaint is a repeat (the domain's "Escalation"): "same_customer" when the
 * same customer complained within 90 days (same_customer: what STMT_REPEAT_BY_PHONE or _BY_COMPANY found),
 * else "same_lot" when it names a part and a lot (has_part_lot) on which at least
 * REPEAT_LOT_OTHERS other customers complained (lot_others: the rows of STMT_REPEAT_LOT, which
 * stops at REPEAT_LOT_OTHERS), else "". Static strings.
 */
const char *complaint_repeat_reason(int same_customer, int has_part_lot, long lot_others);

#endif
