/* pdf.h: a PDF from HTML Kesu rendered itself, printed by headless Chromium in a private directory with no network. */
#ifndef KESU_PDF_H
#define KESU_PDF_H

#include "app.h"

/*
 * Print html to PDF with the Chromium of pdf.chromium (pdf.timeout seconds at most, then
 * killed): *data (in arena a) and *len. KESU_OK, or KESU_EINTERNAL when no PDF came out.
 */
int pdf_from_html(struct app *app, struct arena *a, const char *html, size_t hlen, unsigned char **data, size_t *len);

/* pdf_request(): queued, being rendered; ask again in a moment. */
#define PDF_QUEUED (-1)

/*
 * The PDF of html, rendered once outside the request workers: KESU_OK with *data (arena a)
 * and *len when it exists; PDF_QUEUED when it has been queued (or already was) for the
 * renderer; KESU_EINTERNAL when it could not be queued or the renderer gave up on it.
 */
int pdf_request(struct app *app, struct arena *a, const char *html, size_t hlen, unsigned char **data, size_t *len);
/* The renderer: a child of the master that prints the queue of paths.pdf one file at a
 * time (Chromium, pdf.timeout each); returns never (exits on SIGTERM). */
void pdf_renderer(struct app *app);

#endif
