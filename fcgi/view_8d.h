/* view_8d.h: the 8D page's view model, its print view's, its section on the complaint page and My work's 8Ds. */
#ifndef KESU_VIEW_8D_H
#define KESU_VIEW_8D_H

#include "app.h"

/* The 8D page's view model for r->arg (?version=N shows that version and the changes since the
 * version before it). Caller owns *out; KESU_ENOTFOUND when the reader may not see it. */
int ed_view(struct app *app, struct req *r, struct json_object **out);
/* The print view's model: the approved version ?version=N only, with its own signatures. */
int print_view(struct app *app, struct req *r, struct json_object **out);
/* ?version= defaults to the latest approved version for the print view and the PDF. */
void default_approved(struct app *app, struct req *r);

#endif
