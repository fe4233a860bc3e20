/* list_form.h: the complaint list's fixed forms, rendered once per worker, language and set of departments (issue 10: listp99). */
#ifndef KESU_LIST_FORM_H
#define KESU_LIST_FORM_H

#include <json-c/json.h>

#include "app.h"
#include "db.h"

/*
 * The parts of the list page that are the same for every request of a language: the filter
 * form with nothing filtered (template complaint_list_filters) and the bulk form's fields
 * (complaint_list_bulk). Each is a template rendered over a view the caller builds on a miss
 * (build; "t" is added here); kept per worker while the catalog object of the language and the
 * departments (deps: code, Chinese name, English name, as view_departments() gives them) are
 * the same. The markup is Kesu's own, every value in it escaped by its render: the list
 * template prints it raw ({{{filters_html}}}, {{{bulk_html}}}).
 */
enum list_form { LIST_FORM_FILTERS, LIST_FORM_BULK, LIST_FORM__MAX };

typedef struct json_object *(*list_form_build)(struct app *app, struct req *r, const struct db_res *deps);

/*
 * The rendered form as a json-c string (a new reference: the caller's view takes it and frees
 * it with the view; the worker keeps its own). NULL when it cannot be rendered (the caller
 * then renders the form with its page, as before).
 */
struct json_object *list_form_html(struct app *app, struct req *r, enum list_form which,
    const struct db_res *deps, list_form_build build);

#endif
