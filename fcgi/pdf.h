/* pdf.h: a PDF from HTML Kesu rendered itself, printed by headless Chromium in a private directory with no network. */
#ifndef KESU_PDF_H
#define KESU_PDF_H

#include "app.h"


/* pdf_request(): queued, being rendered; ask again in a moment. */
#define PDF_QUEUED (-1)

/*
 * The PDF of html, rendered once outside the request workers: KESU_OK with *data (arena a)
 * and *len when it exists; PDF_QUEUED when it has been queued (or already was) for the
 * renderer; KESU_EINTERNAL when it could not be queued or the renderer gave up on it.
 * The PDF is known by the SHA-256 of keysrc (keylen bytes), or of html when keysrc is NULL:
 * a document that carries something that changes between two polls (the dossier's chain
 * head) names a key without it, so the first request's print answers the later ones.
 */
int pdf_request(struct app *app, struct arena *a, const char *html, size_t hlen, const char *keysrc,
    size_t keylen, unsigned char **data, size_t *len);
/* Answer html as a PDF download named filename (200), or 202 'being prepared' with Retry-After
 * and Refresh while the renderer prints it; an error code when it cannot be had. keysrc as
 * pdf_request's. */
int pdf_answer(struct app *app, struct req *r, struct resp *rs, const char *html, size_t hlen,
    const char *keysrc, size_t keylen, const char *filename);
/* The renderer: a child of the master that prints the queue of paths.pdf one file at a
 * time (Chromium, pdf.timeout each); returns never (exits on SIGTERM). */
void pdf_renderer(struct app *app);

#endif
