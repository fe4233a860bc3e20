/* page_print.c: the print views of documents that leave the company — a handling plan (for the customer or the file), an 8D report and its PDF. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "handlers.h"
#include "attach.h"
#include "compose.h"
#include "i18n.h"
#include "pdf.h"
#include "view_8d.h"

/* The complaint's fields that a plan's print carries; the rest of the record stays on its page. */
static const char *const plan_print_fields[] = {
	"number", "customer_name", "customer_company", "received_at", "severity_label",
	"category_label", "product", "part_no", "lot", "owner_name", "description",
};

/*
 * The customer's copy of a plan (what the complaint page offers "for the customer") leaves out
 * what was written for colleagues: the internal loss and each approver's comment. The plan
 * object belongs to the page model that is thrown away afterwards, so it is trimmed in place.
 */
static void
plan_for_customer(struct json_object *plan)
{
	struct json_object *sigs;

	json_object_object_del(plan, "loss");
	json_object_object_del(plan, "loss_fen");
	if (json_object_object_get_ex(plan, "signatures", &sigs))
		for (size_t i = 0; i < json_object_array_length(sigs); i++)
			json_object_object_del(json_object_array_get_idx(sigs, i), "comment");
}

/*
 * The print view of one plan revision (?revision=N, else the current one), with its signatures:
 * the customer's copy by default, the internal copy (loss, approvers' comments) with
 * ?internal=1. Both are for readers of the complaint only, who see all of it on its page anyway.
 * The model (and its JSON twin) holds only what the print shows.
 */
int
page_plan_print(struct app *app, struct req *r, struct resp *rs)
{
	struct json_object *v, *plans, *want = NULL, *c, *out, *pc;
	const char *rev = req_query(r, "revision"), *in = req_query(r, "internal");
	int internal = in != NULL && strcmp(in, "1") == 0;
	int rc;

	if ((rc = complaint_page(app, r, &v)) != KESU_OK)
		return rc;
	if (json_object_object_get_ex(v, "plans", &plans)) {
		for (size_t i = 0; i < json_object_array_length(plans) && want == NULL; i++) {
			struct json_object *p = json_object_array_get_idx(plans, i), *n;
			json_object_object_get_ex(p, "revision", &n);
			if (rev == NULL ? i == 0 : json_object_get_int(n) == atoi(rev))
				want = p;
		}
	}
	if (want == NULL || !json_object_object_get_ex(v, "complaint", &c)) {
		json_object_put(v);
		return KESU_ENOTFOUND;
	}
	if (!internal)
		plan_for_customer(want);
	out = view_new(app, r);
	pc = json_object_new_object();
	for (size_t i = 0; i < sizeof(plan_print_fields) / sizeof(plan_print_fields[0]); i++) {
		struct json_object *f;
		if (json_object_object_get_ex(c, plan_print_fields[i], &f))
			json_object_object_add(pc, plan_print_fields[i], json_object_get(f));
	}
	json_object_object_add(out, "complaint", pc);
	json_object_object_add(out, "plan", json_object_get(want));
	json_object_object_add(out, "internal", json_object_new_boolean(internal));
	json_object_object_add(out, "print_title", jstr(arena_printf(r->a, "%s %s",
	    T(r, internal ? "plan_print_title_internal" : "plan_print_title"),
	    json_object_get_string(json_object_object_get(c, "number")))));
	json_object_put(v);
	resp_page(app, r, rs, 200, "plan_print", out);
	return KESU_OK;
}

/* The print view of an approved 8D version (?version=N, else the latest approved). */
int
page_8d_print(struct app *app, struct req *r, struct resp *rs)
{
	struct json_object *v;
	int rc;

	default_approved(app, r);
	if ((rc = print_view(app, r, &v)) != KESU_OK)
		return rc;
	resp_page(app, r, rs, 200, "eightd_print", v);
	return KESU_OK;
}

/* The same as a PDF, printed once by the renderer (pdf.c): 202 with Retry-After until it is ready. */
int
page_8d_pdf(struct app *app, struct req *r, struct resp *rs)
{
	struct json_object *v;
	struct buf html;
	int rc;

	default_approved(app, r);
	if ((rc = print_view(app, r, &v)) != KESU_OK)
		return rc;
	json_object_object_add(v, "pdf", json_object_new_boolean(1));
	/* The texts, as resp_page would add them. */
	json_object_object_add(v, "t", json_object_get(i18n_table(r->lang)));
	buf_init(&html);
	rc = tmpl_render(app->tmpl, "eightd_print", v, &html);
	json_object_put(v);
	if (rc != 0) {
		buf_free(&html);
		return KESU_EINTERNAL;
	}
	rc = pdf_answer(app, r, rs, html.p, html.len, NULL, 0, arena_printf(r->a, "8D-%s-v%s.pdf", r->arg,
	    req_query(r, "version")));
	buf_free(&html);
	return rc;
}
