#include "libxml2_quiet.h"

#include <stddef.h>

/// libxml2's `xmlGenericErrorFunc` and `xmlSetGenericErrorFunc` (libxml/xmlerror.h), declared here
/// so that phr needs no libxml2 headers. The call is linked like any other (Package.swift links
/// this target with libxml2, which Foundation's XMLParser is built on): it reaches the copy that
/// XMLParser parses with, a shared one or one linked into the binary (scripts/release-ld).
typedef void (*xmlGenericErrorFunc)(void *context, const char *message, ...);
void xmlSetGenericErrorFunc(void *context, xmlGenericErrorFunc handler);

static void ignore(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

void phr_libxml2_quiet_generic_errors(void) {
    xmlSetGenericErrorFunc(NULL, ignore);
}
