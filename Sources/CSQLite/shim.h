#ifndef PHR_CSQLITE_SHIM_H
#define PHR_CSQLITE_SHIM_H

#include <sqlite3.h>

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

#endif
