/* attach.h: attachments — what a file really is, where it is kept (by SHA-256), how it is named on the way out. */
#ifndef KESU_ATTACH_H
#define KESU_ATTACH_H

#include <stddef.h>

#include "arena.h"

/*
 * The type of data[0..len) from its first bytes, never from what the browser said:
 * JPEG, PNG, GIF, WebP, PDF, and Word/Excel (a ZIP whose name ends in .docx/.xlsx).
 * Returns the media type (static storage) or NULL when the file is not one of them.
 */
const char *attach_sniff(const unsigned char *data, size_t len, const char *filename);

/*
 * A file name fit to store and show: control characters, '/', '\\' and quotes
 * dropped, at most 120 bytes (cut at a UTF-8 boundary), "file" when nothing is left.
 * filename must be valid UTF-8. In the arena.
 */
const char *attach_clean_name(struct arena *a, const char *filename);

/*
 * The Content-Disposition value that offers name as a download: an ASCII fallback
 * (other bytes as '_') and the UTF-8 name per RFC 6266/5987 (filename*=UTF-8''...).
 */
const char *attach_disposition(struct arena *a, const char *name);

/*
 * Store data under dir/<hex[0..2]>/<hex> (hex: its SHA-256, written to hex_out[65]):
 * written to a temporary file in the same directory (a name of its own per host, process and
 * call), synced, then renamed, so a reader never sees half a file and concurrent uploads of
 * the same bytes, from any host sharing dir (NFS), are harmless. A complete file already there
 * is kept (same hash, same bytes).
 * Returns 0, or -1 with errno set (logged).
 */
int attach_store(const char *dir, const unsigned char *data, size_t len, char hex_out[65]);

/* Read dir/<hex[0..2]>/<hex> into the arena; NULL when missing, unreadable, not a 64-digit hex
 * name, or when the bytes do not hash to the name. */
unsigned char *attach_load(struct arena *a, const char *dir, const char *hex, size_t *len);

#endif
