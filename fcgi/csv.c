/* csv.c: CSV cells that a spreadsheet reads as text, never as a formula (OWASP "CSV injection"). */
#include "csv.h"

int
csv_cell_is_formula(const char *s)
{
	if (s == NULL)
		return 0;
	/* A leading TAB or CR is dropped by spreadsheets, so what follows it is what counts;
	 * defusing every such cell is simpler and safer than guessing what follows. */
	if (*s == '\t' || *s == '\r')
		return 1;
	while (*s == ' ' || *s == '\n')
		s++;
	return *s == '=' || *s == '+' || *s == '-' || *s == '@';
}

void
csv_field(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	if (csv_cell_is_formula(s))
		buf_putc(b, '\'');
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}
