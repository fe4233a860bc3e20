/* csv.h: CSV cells that a spreadsheet reads as text, never as a formula — for every export. */
#ifndef KESU_CSV_H
#define KESU_CSV_H

#include "arena.h"

/*
 * 1 when a spreadsheet could take cell s for a formula or a command: its first non-blank
 * character (blanks: space, TAB, CR, LF) is = + - or @, or it starts with TAB or CR (which
 * Excel and LibreOffice drop before looking at the next character). 0 otherwise, also for NULL.
 */
int csv_cell_is_formula(const char *s);

/*
 * Append s (NULL: empty) to b as one quoted CSV field: inner quotes doubled, and a "'" in
 * front when csv_cell_is_formula(s), so the cell shows the text as typed and runs nothing.
 */
void csv_field(struct buf *b, const char *s);

#endif
