/* pdf.h: a PDF from HTML Kesu rendered itself, printed by headless Chromium in a private directory with no network. */
#ifndef KESU_PDF_H
#define KESU_PDF_H

#include "app.h"

/*
 * Print html to PDF with the Chromium of pdf.chromium (pdf.timeout seconds at most, then
 * killed): *data (in arena a) and *len. KESU_OK, or KESU_EINTERNAL when no PDF came out.
 */
int pdf_from_html(struct app *app, struct arena *a, const char *html, size_t hlen, unsigned char **data, size_t *len);

#endif
