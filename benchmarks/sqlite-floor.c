/* SQLite alone writing the rows a `phr import` left in a store: the floor of phr's schema, for
 * benchmarks/import-floor.sh. No Swift, no JSON: each row is read from the finished store and
 * bound into a new one.
 *
 *   sqlite-floor MODE NEW_STORE FINISHED_STORE SETUP_SQL FINISH_SQL TABLE...
 *
 * Opens NEW_STORE (made by `phr init`), attaches FINISHED_STORE, runs SETUP_SQL (the settings
 * phr's connection uses, BEGIN IMMEDIATE, the insert triggers and listing indexes set aside),
 * copies each TABLE in the order given, then runs FINISH_SQL (the search index and the listing
 * indexes built from the finished tables, the triggers back, COMMIT) and closes the store, which
 * checkpoints its write-ahead log into it. MODE:
 *   rows  one INSERT per row, prepared once and bound from the row read: what any importer that
 *         receives resources one at a time must do at least;
 *   bulk  one INSERT ... SELECT per table: less than any importer can do (the rows come sorted by
 *         their keys, and SQLite copies a table into an empty one of the same shape record by
 *         record), the floor below the floor;
 *   read  the rows read and their values fetched, nothing written (SETUP_SQL and FINISH_SQL are
 *         still run: pass a FINISH_SQL that rolls back): the share of `rows` that is reading.
 * Prints each step's seconds to standard error, then "total S".
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static void fail(sqlite3 *db, const char *what) {
    fprintf(stderr, "sqlite-floor: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
}

static void run_file(sqlite3 *db, const char *path) {
    FILE *file = fopen(path, "rb");
    if (!file) { perror(path); exit(1); }
    char *sql = NULL;
    size_t size = 0, used = 0, got;
    do {
        if (used + 65536 + 1 > size) {
            size = (size + 65536) * 2;
            sql = realloc(sql, size);
            if (!sql) { perror("realloc"); exit(1); }
        }
        got = fread(sql + used, 1, 65536, file);
        used += got;
    } while (got > 0);
    fclose(file);
    sql[used] = 0;
    char *message = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &message) != SQLITE_OK) {
        fprintf(stderr, "sqlite-floor: %s: %s\n", path, message ? message : "failed");
        exit(1);
    }
    free(sql);
}

/* Copies one table row by row; with `write` 0, only reads it. Returns the rows. */
static long copy_rows(sqlite3 *db, const char *table, int write) {
    char sql[1024];
    sqlite3_stmt *read, *insert = NULL;
    snprintf(sql, sizeof sql, "SELECT * FROM finished.\"%s\"", table);
    if (sqlite3_prepare_v2(db, sql, -1, &read, NULL) != SQLITE_OK) fail(db, sql);
    int columns = sqlite3_column_count(read);
    if (write) {
        char insert_sql[4096];
        int at = snprintf(insert_sql, sizeof insert_sql, "INSERT INTO main.\"%s\" VALUES (", table);
        for (int i = 0; i < columns && at < (int)sizeof insert_sql - 8; i++)
            at += snprintf(insert_sql + at, sizeof insert_sql - at, i ? ", ?" : "?");
        snprintf(insert_sql + at, sizeof insert_sql - at, ")");
        if (sqlite3_prepare_v2(db, insert_sql, -1, &insert, NULL) != SQLITE_OK) fail(db, insert_sql);
    }
    long rows = 0;
    int step;
    while ((step = sqlite3_step(read)) == SQLITE_ROW) {
        for (int i = 0; i < columns; i++) {
            sqlite3_value *value = sqlite3_column_value(read, i);
            if (write) {
                if (sqlite3_bind_value(insert, i + 1, value) != SQLITE_OK) fail(db, table);
            } else if (sqlite3_value_type(value) == SQLITE_BLOB || sqlite3_value_type(value) == SQLITE_TEXT) {
                (void)sqlite3_value_bytes(value);
            }
        }
        if (write) {
            if (sqlite3_step(insert) != SQLITE_DONE) fail(db, table);
            sqlite3_reset(insert);
        }
        rows++;
    }
    if (step != SQLITE_DONE) fail(db, table);
    sqlite3_finalize(read);
    sqlite3_finalize(insert);
    return rows;
}

int main(int argc, char **argv) {
    if (argc < 7) {
        fprintf(stderr, "usage: sqlite-floor rows|bulk|read NEW_STORE FINISHED_STORE SETUP_SQL FINISH_SQL TABLE...\n");
        return 64;
    }
    const char *mode = argv[1];
    if (strcmp(mode, "rows") && strcmp(mode, "bulk") && strcmp(mode, "read")) {
        fprintf(stderr, "sqlite-floor: unknown mode %s; use rows, bulk or read\n", mode);
        return 64;
    }
    double start = seconds(), last = start;
    sqlite3 *db;
    if (sqlite3_open_v2(argv[2], &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) fail(db, argv[2]);
    sqlite3_stmt *attach;
    if (sqlite3_prepare_v2(db, "ATTACH ? AS finished", -1, &attach, NULL) != SQLITE_OK) fail(db, "attach");
    sqlite3_bind_text(attach, 1, argv[3], -1, SQLITE_STATIC);
    if (sqlite3_step(attach) != SQLITE_DONE) fail(db, argv[3]);
    sqlite3_finalize(attach);
    run_file(db, argv[4]);
    long rows = 0;
    for (int t = 6; t < argc; t++) {
        if (!strcmp(mode, "bulk")) {
            char sql[1024];
            snprintf(sql, sizeof sql, "INSERT INTO main.\"%s\" SELECT * FROM finished.\"%s\"", argv[t], argv[t]);
            if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) fail(db, sql);
            rows += sqlite3_changes(db);
        } else {
            rows += copy_rows(db, argv[t], !strcmp(mode, "rows"));
        }
        double now = seconds();
        fprintf(stderr, "%s %.3f\n", argv[t], now - last);
        last = now;
    }
    run_file(db, argv[5]);
    double now = seconds();
    fprintf(stderr, "finish %.3f\n", now - last);
    last = now;
    if (sqlite3_close(db) != SQLITE_OK) fail(db, "close");
    now = seconds();
    fprintf(stderr, "close %.3f\nrows %ld\ntotal %.3f\n", now - last, rows, now - start);
    return 0;
}
