/* complaint.c: the complaint record — its fields, their validation, and registration with a number. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "complaint.h"
#include "req.h"

const char *const complaint_channels[] = { "phone", "email", "web", "onsite", "social", "im",
	"letter", "regulator", "consumer_assoc", "media", NULL };
const char *const complaint_customer_types[] = { "consumer", "dealer", "franchisee", NULL };
const char *const complaint_demands[] = { "refund", "return", "replacement", "repair",
	"compensation", "apology", "explanation", NULL };
const char *const complaint_urgencies[] = { "urgent", "high", "normal", NULL };
const char *const complaint_categories[] = { "product_quality", "service_quality", "contract",
	"damage", "suggestion", "grumble", "other", NULL };
/* The lifecycle's states, in order (fcgi/workflow.c names them; a unit test keeps the two equal). */
const char *const complaint_statuses[] = { "registered", "not_substantiated", "triaged", "assigned",
	"investigating", "plan_proposed", "approved", "replied", "callback_done", "closed", NULL };
const char *const complaint_severities[] = { "1", "2", "3", "4", NULL };

const struct cfield_spec complaint_fields[CF__MAX] = {
	[CF_RECEIVED_AT] = { "received_at", CFT_DATETIME, 1, 16, NULL },
	[CF_CHANNEL] = { "channel", CFT_ENUM, 1, 0, complaint_channels },
	[CF_CUSTOMER_NAME] = { "customer_name", CFT_TEXT, 1, 128, NULL },
	[CF_CUSTOMER_COMPANY] = { "customer_company", CFT_TEXT, 0, 200, NULL },
	[CF_CUSTOMER_TYPE] = { "customer_type", CFT_ENUM, 1, 0, complaint_customer_types },
	[CF_CUSTOMER_VIP] = { "customer_vip", CFT_BOOL, 0, 1, NULL },
	[CF_CUSTOMER_PHONE] = { "customer_phone", CFT_PHONE, 0, 40, NULL },
	[CF_CUSTOMER_EMAIL] = { "customer_email", CFT_EMAIL, 0, 254, NULL },
	[CF_CUSTOMER_ADDRESS] = { "customer_address", CFT_TEXT, 0, 400, NULL },
	[CF_PRODUCT] = { "product", CFT_TEXT, 0, 200, NULL },
	[CF_PART_NO] = { "part_no", CFT_TEXT, 0, 64, NULL },
	[CF_ORDER_NO] = { "order_no", CFT_TEXT, 0, 64, NULL },
	[CF_LOT] = { "lot", CFT_TEXT, 0, 64, NULL },
	[CF_QUANTITY] = { "quantity", CFT_INT, 0, 10, NULL },
	[CF_DEFECTIVE_QUANTITY] = { "defective_quantity", CFT_INT, 0, 10, NULL },
	[CF_DELIVERY_DATE] = { "delivery_date", CFT_DATE, 0, 10, NULL },
	[CF_SUBJECT_PERSON] = { "subject_person", CFT_TEXT, 0, 200, NULL },
	[CF_DESCRIPTION] = { "description", CFT_LONGTEXT, 1, 5000, NULL },
	[CF_DEMAND] = { "demand", CFT_ENUM, 1, 0, complaint_demands },
	[CF_URGENCY] = { "urgency", CFT_ENUM, 1, 0, complaint_urgencies },
	[CF_CATEGORY] = { "category", CFT_ENUM, 1, 0, complaint_categories },
	[CF_SEVERITY] = { "severity", CFT_ENUM, 1, 0, complaint_severities },
};

/* Copy s without leading and trailing white space (ASCII and the ideographic space U+3000). */
static char *
trimmed(struct arena *a, const char *s)
{
	const char *e;

	for (;;) {
		if (isspace((unsigned char)*s))
			s++;
		else if (strncmp(s, "\xE3\x80\x80", 3) == 0)
			s += 3;
		else
			break;
	}
	e = s + strlen(s);
	for (;;) {
		if (e > s && isspace((unsigned char)e[-1]))
			e--;
		else if (e - s >= 3 && strncmp(e - 3, "\xE3\x80\x80", 3) == 0)
			e -= 3;
		else
			break;
	}
	return arena_strndup(a, s, (size_t)(e - s));
}

static int
in_list(const char *v, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(v, *list) == 0)
			return 1;
	return 0;
}

static int
valid_date(const char *v)
{
	int y, m, d, n = 0;
	struct tm tm;
	time_t t;

	if (strlen(v) != 10 || sscanf(v, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
		return 0;
	if (y < 1990 || y > 2099 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	return tm.tm_mday == d && tm.tm_mon == m - 1;
}

static int
valid_email(const char *v)
{
	const char *at = strchr(v, '@');

	return at != NULL && at != v && strchr(at + 1, '@') == NULL && strchr(at + 1, '.') != NULL &&
	    at[1] != '.' && v[strlen(v) - 1] != '.' && strpbrk(v, " \t<>\"'(),;:[]\\") == NULL;
}

static int
valid_phone(const char *v)
{
	int digits = 0;

	for (; *v != '\0'; v++) {
		if (isdigit((unsigned char)*v))
			digits++;
		else if (strchr("+-() ", *v) == NULL)
			return 0;
	}
	return digits >= 5 && digits <= 20;
}

static int
valid_int(const char *v)
{
	if (*v == '\0' || strlen(v) > 9)
		return 0;
	for (; *v != '\0'; v++)
		if (!isdigit((unsigned char)*v))
			return 0;
	return 1;
}

static void
fail(struct json_object *errors, const char *field, const char *key)
{
	if (!json_object_object_get_ex(errors, field, NULL))
		json_object_object_add(errors, field, json_object_new_string(key));
}

int
complaint_validate(struct arena *a, const char *(*get)(void *ctx, const char *name), void *ctx,
    long utc_offset_min, struct complaint_in *in, struct json_object *errors)
{
	memset(in, 0, sizeof(*in));
	for (int i = 0; i < CF__MAX; i++) {
		const struct cfield_spec *f = &complaint_fields[i];
		const char *raw = get(ctx, f->name);
		char *v = trimmed(a, raw ? raw : "");

		if (f->type == CFT_BOOL) {
			/* A checkbox sends "1" or nothing; JSON sends true/false as "1"/"0". */
			if (*v != '\0' && strcmp(v, "1") != 0 && strcmp(v, "0") != 0 &&
			    strcmp(v, "on") != 0 && strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
				fail(errors, f->name, "err_invalid_choice");
			in->v[i] = (strcmp(v, "1") == 0 || strcmp(v, "on") == 0 || strcmp(v, "true") == 0)
			    ? "1" : "0";
			continue;
		}
		in->v[i] = v;
		if (*v == '\0') {
			if (f->required)
				fail(errors, f->name, "err_required");
			if (f->type == CFT_INT || f->type == CFT_DATE)
				in->v[i] = NULL;
			continue;
		}
		switch (f->type) {
		case CFT_TEXT:
		case CFT_LONGTEXT:
			if (utf8_chars(v) > f->maxlen)
				fail(errors, f->name, "err_too_long");
			/* Single-line fields carry no control characters (a newline would break CSV and print). */
			if (f->type == CFT_TEXT && strpbrk(v, "\r\n\t\v\f") != NULL)
				fail(errors, f->name, "err_single_line");
			break;
		case CFT_ENUM:
			if (!in_list(v, f->values))
				fail(errors, f->name, "err_invalid_choice");
			break;
		case CFT_INT:
			if (!valid_int(v))
				fail(errors, f->name, "err_invalid_number");
			break;
		case CFT_DATE:
			if (!valid_date(v))
				fail(errors, f->name, "err_invalid_date");
			break;
		case CFT_DATETIME:
			break;   /* below, with the time zone */
		case CFT_EMAIL:
			if (strlen(v) > f->maxlen || !valid_email(v))
				fail(errors, f->name, "err_invalid_email");
			break;
		case CFT_PHONE:
			if (strlen(v) > f->maxlen || !valid_phone(v))
				fail(errors, f->name, "err_invalid_phone");
			break;
		case CFT_BOOL:
			break;
		}
	}

	/* Received at: local time, not in the future (a few minutes of clock skew allowed). */
	if (*in->v[CF_RECEIVED_AT] != '\0') {
		struct tm tm;
		int y, mo, d, h, mi, n = 0;
		const char *v = in->v[CF_RECEIVED_AT];
		if (sscanf(v, "%4d-%2d-%2d%*1[T ]%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5 ||
		    (v[n] != '\0' && strcmp(v + n, ":00") != 0) || h > 23 || mi > 59 ||
		    !valid_date(arena_strndup(a, v, 10))) {
			fail(errors, "received_at", "err_invalid_datetime");
		} else {
			time_t t;
			char out[32];
			memset(&tm, 0, sizeof(tm));
			tm.tm_year = y - 1900;
			tm.tm_mon = mo - 1;
			tm.tm_mday = d;
			tm.tm_hour = h;
			tm.tm_min = mi;
			t = timegm(&tm) - utc_offset_min * 60;
			if (t > time(NULL) + 300) {
				fail(errors, "received_at", "err_future");
			} else if (y < 2000) {
				fail(errors, "received_at", "err_invalid_datetime");
			} else {
				gmtime_r(&t, &tm);
				strftime(out, sizeof(out), "%Y-%m-%d %H:%M:00", &tm);
				in->received_utc = arena_strdup(a, out);
				in->v[CF_RECEIVED_AT] = arena_printf(a, "%04d-%02d-%02d %02d:%02d",
				    y, mo, d, h, mi);
			}
		}
	}

	if (in->v[CF_QUANTITY] != NULL && in->v[CF_DEFECTIVE_QUANTITY] != NULL &&
	    valid_int(in->v[CF_QUANTITY]) && valid_int(in->v[CF_DEFECTIVE_QUANTITY]) &&
	    atol(in->v[CF_DEFECTIVE_QUANTITY]) > atol(in->v[CF_QUANTITY]))
		fail(errors, "defective_quantity", "err_defective_gt_quantity");

	/* Regulators, consumer associations and the media make a complaint more serious:
	 * level 2 at least (the domain's rule). */
	if (in_list(in->v[CF_CHANNEL], (const char *const[]){ "regulator", "consumer_assoc", "media", NULL }) &&
	    in_list(in->v[CF_SEVERITY], (const char *const[]){ "3", "4", NULL }))
		in->v[CF_SEVERITY] = "2";

	return json_object_object_length(errors);
}

void
complaint_number(char out[16], const char *received_at, unsigned seq)
{
	/* received_at is "YYYY-MM-DD..." */
	snprintf(out, 16, "%.2s%.2s%.2s%03u", received_at + 2, received_at + 5, received_at + 8, seq);
}

int
complaint_overdue(const char *status, const char *respond_due, const char *resolve_due, const char *now)
{
	return (respond_due != NULL && strcmp(respond_due, now) < 0 && strcmp(status, "registered") == 0) ||
	    (resolve_due != NULL && strcmp(resolve_due, now) < 0);
}

char *
complaint_mask_phone(struct arena *a, const char *phone)
{
	size_t n, i, keep_head, keep_tail;
	char *m;

	if (phone == NULL || *phone == '\0')
		return arena_strdup(a, "");
	n = strlen(phone);
	if (n >= 7) {
		keep_head = 3;
		keep_tail = 4;
	} else {
		keep_head = 0;
		keep_tail = n > 2 ? 2 : 0;
	}
	m = arena_strdup(a, phone);
	for (i = keep_head; i + keep_tail < n; i++)
		if (isdigit((unsigned char)m[i]))
			m[i] = '*';
	return m;
}

/* "YYYY-MM-DD HH:MM:SS" (UTC) plus minutes, into out. */
static void
add_minutes(char out[32], const char *utc, long minutes)
{
	struct tm tm;
	time_t t;
	int y, mo, d, h, mi;

	memset(&tm, 0, sizeof(tm));
	sscanf(utc, "%4d-%2d-%2d %2d:%2d", &y, &mo, &d, &h, &mi);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	t = timegm(&tm) + minutes * 60;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%d %H:%M:00", &tm);
}

/* Earlier complaints a registration repeats (number, repeat_reason), then those it flagged. */
struct flagged {
	size_t n;
	const char *number[REPEAT_LOT_OTHERS], *reason[REPEAT_LOT_OTHERS];
};

/* Flag the complaints of cand not flagged yet with repeat, inside the caller's transaction;
 * those it flagged into *out. KESU_OK or a DB error. */
static int
flag_earlier(struct db *db, struct arena *a, const char *repeat, const struct flagged *cand, struct flagged *out)
{
	struct db_res upd;
	int rc;

	for (size_t i = 0; i < cand->n; i++) {
		if (cand->number[i] == NULL || cand->reason[i] == NULL || *cand->reason[i] != '\0')
			continue;   /* needs_flag's test */
		/* Another registration may have flagged it since: then it is not ours to audit. */
		if ((rc = db_exec(db, a, STMT_REPEAT_MARK, &upd, "ss", repeat, cand->number[i])) != KESU_OK)
			return rc;
		if (upd.affected == 1)
			out->number[out->n++] = cand->number[i];
	}
	return KESU_OK;
}

/* Whether flag_earlier will try to flag one of cand: one not flagged when it was read. */
static int
needs_flag(const struct flagged *cand)
{
	for (size_t i = 0; i < cand->n; i++)
		if (cand->number[i] != NULL && cand->reason[i] != NULL && *cand->reason[i] == '\0')
			return 1;
	return 0;
}

/* One audit record "repeat_flag" for each complaint in f, repeated by number. */
static int
audit_flagged(struct db *db, struct arena *a, const struct audit_actor *who, const char *number,
    const char *repeat, const struct flagged *f)
{
	int rc = KESU_OK;

	for (size_t i = 0; i < f->n && rc == KESU_OK; i++) {
		struct json_object *before = json_object_new_object(), *after = json_object_new_object();
		json_object_object_add(before, "repeat_reason", json_object_new_string(""));
		json_object_object_add(after, "repeat_reason", json_object_new_string(repeat));
		json_object_object_add(after, "repeated_by", json_object_new_string(number));
		rc = audit_write(db, a, who, "complaint", f->number[i], "repeat_flag", before, after);
		json_object_put(before);
		json_object_put(after);
	}
	return rc;
}

int
complaint_register(struct db *db, struct arena *a, const struct audit_actor *who,
    const char *owner_uid, const char *owner_name, const struct complaint_in *in, char number[16])
{
	const char *const *v = in->v;
	struct db_res res;
	struct json_object *after;
	char respond_due[32], resolve_due[32];
	const char *repeat = "";
	struct flagged earlier = { .n = 0 }, flagged = { .n = 0 };
	int year, rc, has_resolve;
	unsigned seq;

	year = atoi(v[CF_RECEIVED_AT]);   /* the local year of receipt */
	/* A repeat complaint is flagged for special attention (the domain's "Escalation"), and so is
	 * the newest earlier complaint it repeats (of each other customer, for a lot): a bounded
	 * number of rows, whatever the customer's or the lot's history (docs/statistics.md).
	 * Asked before the year's sequence row is locked, so that the registrations queued on that
	 * lock wait for as little as possible; flagged under it (below). */
	{
		const char *phone = v[CF_CUSTOMER_PHONE], *company = v[CF_CUSTOMER_COMPANY];
		struct db_res rep;
		if ((rc = *phone != '\0' ?
		    db_exec(db, a, STMT_REPEAT_BY_PHONE, &rep, "ssss", v[CF_CUSTOMER_NAME], phone,
		    in->received_utc, in->received_utc) :
		    db_exec(db, a, STMT_REPEAT_BY_COMPANY, &rep, "ssss", v[CF_CUSTOMER_NAME], company,
		    in->received_utc, in->received_utc)) != KESU_OK)
			return rc;
		int same = rep.nrows > 0, part_lot = *v[CF_PART_NO] != '\0' && *v[CF_LOT] != '\0';
		struct flagged cand = { .n = 0 };
		if (same) {
			cand.number[0] = rep.rows[0][0];
			cand.reason[0] = rep.rows[0][1];
			cand.n = 1;
		}
		/* Other customers of the part and lot, one name after the other (each one index step). */
		for (const char *name = ""; !same && part_lot && cand.n < REPEAT_LOT_OTHERS; name = rep.rows[0][0]) {
			if ((rc = db_exec(db, a, STMT_REPEAT_LOT, &rep, "ssssss", v[CF_PART_NO], v[CF_LOT], name,
			    v[CF_CUSTOMER_NAME], v[CF_PART_NO], v[CF_LOT])) != KESU_OK)
				return rc;
			if (rep.nrows == 0)
				break;
			cand.number[cand.n] = rep.rows[0][1];
			cand.reason[cand.n++] = rep.rows[0][2];
		}
		repeat = complaint_repeat_reason(same, part_lot, same ? 0 : (long)cand.n);
		if (*repeat != '\0')
			earlier = cand;
	}

	if ((rc = db_exec(db, a, STMT_SEVERITY_GET, &res, "i", (int64_t)atoi(v[CF_SEVERITY]))) != KESU_OK)
		return rc;
	if (res.nrows != 1) {
		LOG_ERR("severity level %s has no row in severity_level", v[CF_SEVERITY]);
		return KESU_EDB;
	}
	add_minutes(respond_due, in->received_utc, atol(res.rows[0][0]));
	if (res.rows[0][1] != NULL)
		add_minutes(resolve_due, in->received_utc, atol(res.rows[0][1]));
	has_resolve = res.rows[0][1] != NULL;

	/* The number and the chain's head in one round trip, both held to COMMIT (every registration
	 * waits for the one before through them): the INSERT below moves the number row (sql/039)
	 * and audit_write continues from the head read here. Not when an earlier complaint is to be
	 * flagged: its row is locked after the number and before the head, as before, so that a
	 * step on it that waits for the head cannot be waited for by us. */
	seq = 0;
	if (!needs_flag(&earlier)) {
		struct db_chain_head *head = db_chain_head(db);
		if ((rc = db_exec(db, a, STMT_COMPLAINT_SEQ_HEAD, &res, "i", (int64_t)year)) != KESU_OK)
			return rc;
		if (res.nrows == 1 && res.rows[0][0] != NULL && res.rows[0][1] != NULL && res.rows[0][2] != NULL &&
		    strlen(res.rows[0][2]) < sizeof(head->hash)) {
			seq = (unsigned)strtoul(res.rows[0][0], NULL, 10) + 1;
			if (!head->held) {
				head->seq = strtoull(res.rows[0][1], NULL, 10);
				memcpy(head->hash, res.rows[0][2], strlen(res.rows[0][2]) + 1);
				head->held = 1;
			}
		}
	}
	/* The year's first number, or a registration that flags: the row moved by its own statement. */
	if (seq == 0 && (rc = db_exec(db, a, STMT_COMPLAINT_SEQ_NEXT, &res, "i", (int64_t)year)) != KESU_OK)
		return rc;
	/* LAST_INSERT_ID(expr) comes back in the statement's OK packet: no round trip to ask for
	 * it (the server's SELECT only if the packet carried none). */
	if (seq == 0)
		seq = (unsigned)res.insert_id;
	if (seq == 0) {
		if ((rc = db_exec(db, a, STMT_LAST_INSERT_ID, &res, "")) != KESU_OK)
			return rc;
		if (res.nrows != 1 || res.rows[0][0] == NULL)
			return KESU_EDB;
		seq = (unsigned)strtoul(res.rows[0][0], NULL, 10);
	}
	complaint_number(number, v[CF_RECEIVED_AT], seq);


	rc = db_exec(db, a, STMT_COMPLAINT_INSERT, NULL,
	    "siissssssssssssssssssssssissssss",
	    number, (int64_t)year, (int64_t)seq, "registered", in->received_utc, v[CF_CHANNEL],
	    v[CF_CUSTOMER_NAME], v[CF_CUSTOMER_COMPANY], v[CF_CUSTOMER_TYPE], v[CF_CUSTOMER_VIP],
	    v[CF_CUSTOMER_PHONE], v[CF_CUSTOMER_EMAIL], v[CF_CUSTOMER_ADDRESS], v[CF_PRODUCT],
	    v[CF_PART_NO], v[CF_ORDER_NO], v[CF_LOT], v[CF_QUANTITY], v[CF_DEFECTIVE_QUANTITY],
	    v[CF_DELIVERY_DATE], v[CF_SUBJECT_PERSON], v[CF_DESCRIPTION], v[CF_DEMAND],
	    v[CF_URGENCY], v[CF_CATEGORY], (int64_t)atoi(v[CF_SEVERITY]), respond_due,
	    has_resolve ? resolve_due : NULL, owner_uid, owner_name, who->uid, repeat);
	if (rc != KESU_OK)
		return rc;
	/* The earlier complaints it repeats, flagged after the sequence row is locked as every write
	 * of a registration: the flag's statistics triggers lock a day's rows, and taken before the
	 * number row they could wait on a registration that waits on them (a deadlock). */
	if ((rc = flag_earlier(db, a, repeat, &earlier, &flagged)) != KESU_OK)
		return rc;
	/* The earlier complaints it flagged are audited before it, in this transaction. */
	if ((rc = audit_flagged(db, a, who, number, repeat, &flagged)) != KESU_OK)
		return rc;

	after = json_object_new_object();
	json_object_object_add(after, "number", json_object_new_string(number));
	json_object_object_add(after, "status", json_object_new_string("registered"));
	for (int i = 0; i < CF__MAX; i++)
		json_object_object_add(after, complaint_fields[i].name,
		    v[i] != NULL ? json_object_new_string(v[i]) : NULL);
	json_object_object_add(after, "received_at_utc", json_object_new_string(in->received_utc));
	json_object_object_add(after, "respond_due", json_object_new_string(respond_due));
	json_object_object_add(after, "resolve_due",
	    has_resolve ? json_object_new_string(resolve_due) : NULL);
	json_object_object_add(after, "owner_uid", json_object_new_string(owner_uid));
	json_object_object_add(after, "repeat_reason", json_object_new_string(repeat));
	/* The event's INSERT also puts the complaint in the search's replicated journal under the
	 * event's seq (trigger audit_event_insert, sql/032 and 040; search_sync.c, sql/030): every
	 * node's search writes its text into its own Mroonga tables from there, this one right after
	 * COMMIT (the caller). Not written here: Mroonga is not transactional, and its write held the
	 * number row longer. */
	rc = audit_write(db, a, who, "complaint", number, "register", NULL, after);
	json_object_put(after);
	return rc;
}

const char *
complaint_repeat_reason(int same_customer, int has_part_lot, long lot_others)
{
	if (same_customer)
		return "same_customer";
	if (has_part_lot && lot_others >= REPEAT_LOT_OTHERS)
		return "same_lot";
	return "";
}
