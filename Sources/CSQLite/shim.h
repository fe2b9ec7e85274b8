#ifndef PHR_CSQLITE_SHIM_H
#define PHR_CSQLITE_SHIM_H

#include <sqlite3.h>
#include <string.h>

/// Swift cannot call C variadic functions, so the few `sqlite3_db_config` verbs phr uses are
/// wrapped here with fixed signatures.
static inline int phr_sqlite3_db_config_int(sqlite3 *db, int op, int value, int *result) {
    return sqlite3_db_config(db, op, value, result);
}

/// Turns off SQLite's memory statistics (`SQLITE_CONFIG_MEMSTATUS`): with them on, every allocation
/// and free inside SQLite takes a process-wide mutex to count bytes, which phr never reads. Valid
/// only before SQLite initializes (the first open); later it returns `SQLITE_MISUSE` and changes
/// nothing.
static inline int phr_sqlite3_config_no_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/// `SQLITE_TRANSIENT` is a macro over a cast Swift does not import; this makes SQLite copy bound
/// buffers so that Swift may release them as soon as the bind call returns.
static inline sqlite3_destructor_type phr_sqlite3_transient(void) {
    return SQLITE_TRANSIENT;
}

/// Binds the `length` bytes of UTF-8 at `text`, followed by a NUL at `text[length]`, in place
/// (`SQLITE_STATIC`). Bound as a C string when it holds no NUL of its own, so that SQLite knows it
/// ends in one: a function reading it (`length()`, `trim()` in a CHECK) then uses it in place
/// instead of copying it into memory of its own to add one. A text holding a NUL is bound by its
/// length, every byte kept.
static inline int phr_sqlite3_bind_terminated_text(sqlite3_stmt *statement, int index, const char *text,
                                                   sqlite3_uint64 length) {
    if (memchr(text, 0, length) == NULL) {
        return sqlite3_bind_text(statement, index, text, -1, SQLITE_STATIC);
    }
    return sqlite3_bind_text64(statement, index, text, length, SQLITE_STATIC, SQLITE_UTF8);
}

#endif
