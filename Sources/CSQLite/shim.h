#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast macro that does not import into Swift: binding with it makes
   SQLite copy the bytes before the call returns. */
static inline int smsh_sqlite3_bind_text(sqlite3_stmt *s, int i, const char *text, int n) {
    return sqlite3_bind_text(s, i, text, n, SQLITE_TRANSIENT);
}
