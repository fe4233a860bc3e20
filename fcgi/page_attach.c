/* page_attach.c: attachments on complaints and investigation reports — upload, list, download. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "audit_views.h"
#include "handlers.h"
#include "valid.h"
#include "attach.h"
#include "audit.h"
#include "access.h"
#include "sections.h"
#include "step.h"

/* Who adds files to a complaint they can see: everyone involved but auditors (they read). */
#define MAY_ATTACH (~ROLE_BIT(ROLE_AUDITOR) & (ROLE_BIT(ROLE__MAX) - 1))
#define WRITES_REPORT (ROLE_BIT(ROLE_DEPT_MEMBER) | ROLE_BIT(ROLE_DEPT_HEAD) | \
	ROLE_BIT(ROLE_QUALITY_ENGINEER))
#define ACCEPT_TYPES ".jpg,.jpeg,.png,.gif,.webp,.pdf,.docx,.xlsx"

static const char *
size_text(struct arena *a, const char *bytes)
{
	double n = strtod(bytes, NULL);

	if (n >= 1048576)
		return arena_printf(a, "%.1f MB", n / 1048576);
	if (n >= 1024)
		return arena_printf(a, "%.0f KB", n / 1024);
	return arena_printf(a, "%s B", bytes);
}

static struct json_object *
attachment_json(struct app *app, struct req *r, char **c)
{
	struct json_object *o = json_object_new_object();

	JADD(o, "id", json_object_new_int64(strtoll(c[0], NULL, 10)));
	JADD(o, "url", jstr(arena_printf(r->a, "/attachments/%s", c[0])));
	JADD(o, "filename", jstr(c[6]));
	JADD(o, "content_type", jstr(c[5]));
	JADD(o, "is_image", json_object_new_boolean(strncmp(c[5], "image/", 6) == 0));
	JADD(o, "size", json_object_new_int64(strtoll(c[4], NULL, 10)));
	JADD(o, "size_text", jstr(size_text(r->a, c[4])));
	JADD(o, "sha256", jstr(c[3]));
	JADD(o, "uploaded_name", jstr(c[7]));
	JADD(o, "uploaded_at", jstr(view_local_time(app, r->a, c[8])));
	return o;
}

/* Whether the reader may attach to the report of department on this complaint. */
static int
may_attach_report(struct req *r, const char *department, const struct db_res *as)
{
	if (department == NULL || strcmp(department, r->sess->department) != 0 || !sess_has(r, WRITES_REPORT))
		return 0;
	for (size_t i = 0; i < as->nrows; i++)
		if (strcmp(as->rows[i][AS_DEPARTMENT], department) == 0 && strcmp(as->rows[i][AS_STATE], "accepted") == 0)
			return 1;
	return 0;
}

int
attachments_view(struct app *app, struct req *r, struct json_object *v, const char *number,
    const struct db_res *as, int any)
{
	struct json_object *top = json_object_new_array(), *reports;
	struct db_res res;
	int rc;

	memset(&res, 0, sizeof(res));
	if (any && (rc = db_exec(app->db, r->a, STMT_ATTACHMENT_LIST, &res, "s", number)) != KESU_OK) {
		json_object_put(top);
		return rc;
	}
	for (size_t i = 0; i < res.nrows; i++)
		if (strcmp(res.rows[i][1], "complaint") == 0)
			json_object_array_add(top, attachment_json(app, r, res.rows[i]));
	JADD(v, "has_attachments", json_object_new_boolean(json_object_array_length(top) > 0));
	JADD(v, "attachments", top);
	JADD(v, "can_attach", json_object_new_boolean(sess_has(r, MAY_ATTACH)));
	JADD(v, "attach_accept", jstr(ACCEPT_TYPES));
	JADD(v, "attach_max_mb", json_object_new_int((int)(app->attach_max / 1048576)));
	/* Each report gets its own files, and the form where its department may add more. */
	if (json_object_object_get_ex(v, "reports", &reports)) {
		for (size_t k = 0; k < json_object_array_length(reports); k++) {
			struct json_object *rep = json_object_array_get_idx(reports, k), *arr = json_object_new_array();
			const char *dep = json_object_get_string(json_object_object_get(rep, "department"));
			for (size_t i = 0; i < res.nrows; i++)
				if (strcmp(res.rows[i][1], "investigation_report") == 0 && strcmp(res.rows[i][2], dep) == 0)
					json_object_array_add(arr, attachment_json(app, r, res.rows[i]));
			JADD(rep, "has_attachments", json_object_new_boolean(json_object_array_length(arr) > 0));
			JADD(rep, "attachments", arr);
			JADD(rep, "can_attach", json_object_new_boolean(may_attach_report(r, dep, as)));
		}
	}
	return KESU_OK;
}

struct upload_tx {
	struct req *r;
	const char *entity, *department;
	const char *names[8], *types[8];
	char hashes[8][65];
	size_t n;
	struct json_object *ids;
};

static int
upload_tx(struct db *db, void *arg)
{
	struct upload_tx *t = arg;
	struct req *r = t->r;
	/* a report's files as its writer; a complaint's as whoever is involved (any role but the auditor's) */
	struct audit_actor who = req_actor_as(r, *t->department != '\0' ? WRITES_REPORT : MAY_ATTACH);
	struct db_res res, as;
	int rc;

	/* Checked again inside: the record may have changed since the files were read. */
	if ((rc = complaint_access(db, r, r->arg)) != KESU_OK)
		return rc;
	if (*t->department != '\0') {
		if ((rc = db_exec(db, r->a, STMT_ASSIGNMENT_LIST, &as, "s", r->arg)) != KESU_OK)
			return rc;
		if (!may_attach_report(r, t->department, &as))
			return KESU_EFORBIDDEN;
	}
	json_object_put(t->ids);
	t->ids = json_object_new_array();
	for (size_t i = 0; i < t->n; i++) {
		const struct upload *u = &r->uploads[i];
		struct json_object *after;
		if ((rc = db_exec(db, r->a, STMT_ATTACHMENT_INSERT, NULL, "ssssissss", r->arg, t->entity,
		    t->department, t->hashes[i], (int64_t)u->len, t->types[i], t->names[i], r->sess->uid,
		    r->sess->name)) != KESU_OK)
			return rc;
		if ((rc = db_exec(db, r->a, STMT_LAST_INSERT_ID, &res, "")) != KESU_OK)
			return rc;
		json_object_array_add(t->ids, json_object_new_int64(strtoll(res.rows[0][0], NULL, 10)));
		after = json_object_new_object();
		JADD(after, "attachment_id", json_object_new_int64(strtoll(res.rows[0][0], NULL, 10)));
		JADD(after, "entity", json_object_new_string(t->entity));
		JADD(after, "department", json_object_new_string(t->department));
		JADD(after, "filename", json_object_new_string(t->names[i]));
		JADD(after, "content_type", json_object_new_string(t->types[i]));
		JADD(after, "size", json_object_new_int64((int64_t)u->len));
		JADD(after, "sha256", json_object_new_string(t->hashes[i]));
		rc = audit_write(db, r->a, &who, "complaint", r->arg, "attachment_add", NULL, after);
		json_object_put(after);
		if (rc != KESU_OK)
			return rc;
	}
	return KESU_OK;
}

/* The message next to the file field, by the step runner: 422, or 413 when too large. */
static int
upload_error(struct req *r, int err, const char *key)
{
	step_error(r, "file", key);
	return err;
}

int
page_attachment_upload(struct app *app, struct req *r, struct resp *rs)
{
	struct upload_tx t;
	int rc;

	if ((rc = complaint_access(app->db, r, r->arg)) != KESU_OK)
		return rc;
	if (!sess_has(r, MAY_ATTACH))
		return KESU_EFORBIDDEN;
	memset(&t, 0, sizeof(t));
	t.r = r;
	t.department = req_form(r, "department");
	if (t.department == NULL || strlen(t.department) > 32)
		t.department = "";
	t.entity = *t.department != '\0' ? "investigation_report" : "complaint";
	if (r->nuploads == 0 || (r->nuploads == 1 && r->uploads[0].len == 0))
		return upload_error(r, KESU_EINPUT, "err_file_required");
	if (r->nuploads > sizeof(t.names) / sizeof(t.names[0]))
		return KESU_ETOOBIG;
	for (size_t i = 0; i < r->nuploads; i++) {
		const struct upload *u = &r->uploads[i];
		if (u->len > app->attach_max)
			return upload_error(r, KESU_ETOOBIG, "err_file_too_big");
		t.names[i] = attach_clean_name(r->a, u->filename);
		if (u->len == 0 || (t.types[i] = attach_sniff(u->data, u->len, t.names[i])) == NULL) {
			LOG_INFO("complaint %s: upload refused, not an allowed type (sent as %.60s)", r->arg, u->ctype);
			return upload_error(r, KESU_EINPUT, "err_file_type");
		}
	}
	/* The bytes first, by their hash: a transaction that then fails leaves a file nothing names. */
	for (size_t i = 0; i < r->nuploads; i++)
		if (attach_store(app->attach_dir, r->uploads[i].data, r->uploads[i].len, t.hashes[i]) != 0)
			return upload_error(r, KESU_EINPUT, "err_file_storage");
	t.n = r->nuploads;
	rc = db_tx(app->db, upload_tx, &t);
	if (rc != KESU_OK) {
		json_object_put(t.ids);
		return rc;
	}
	LOG_INFO("complaint %s: %zu attachment(s) added", r->arg, t.n);
	if (r->want_json) {
		struct json_object *v = json_object_new_object();
		JADD(v, "number", jstr(r->arg));
		JADD(v, "attachments", t.ids);
		resp_json(rs, 201, v);
		return KESU_OK;
	}
	json_object_put(t.ids);
	resp_redirect(rs, arena_printf(r->a, "/complaints/%s?done=attachment_add", r->arg));
	return KESU_OK;
}

int
page_attachment_get(struct app *app, struct req *r, struct resp *rs)
{
	struct db_res res;
	unsigned char *data;
	size_t len;
	int rc;

	if (!valid_id(r->arg))
		return KESU_ENOTFOUND;
	if ((rc = db_exec(app->db, r->a, STMT_ATTACHMENT_GET, &res, "s", r->arg)) != KESU_OK)
		return rc;
	if (res.nrows != 1)
		return KESU_ENOTFOUND;
	/* Only who may read the complaint reads its files; anyone else: as if there were none. */
	if ((rc = complaint_access(app->db, r, res.rows[0][0])) != KESU_OK)
		return rc;
	if ((data = attach_load(r->a, app->attach_dir, res.rows[0][1], &len)) == NULL) {
		LOG_ERR("attachment %s: the file %s is missing from %s", r->arg, res.rows[0][1], app->attach_dir);
		return KESU_EINTERNAL;
	}
	audit_view_log(app, r, res.rows[0][0], "attachment", r->arg);
	rs->status = 200;
	rs->ctype = res.rows[0][2];
	resp_header(rs, "Content-Disposition", attach_disposition(r->a, res.rows[0][3]));
	buf_append(&rs->body, (const char *)data, len);
	return KESU_OK;
}
