#include "libxml2_quiet.h"

#include <dlfcn.h>
#include <stddef.h>

/// libxml2's `xmlGenericErrorFunc` and `xmlSetGenericErrorFunc`, declared here so that phr needs
/// neither libxml2's headers nor a link to it: the function is looked up in what is loaded.
typedef void (*generic_error_func)(void *context, const char *message, ...);
typedef void (*set_generic_error_func)(void *context, generic_error_func handler);

static void ignore(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

void phr_libxml2_quiet_generic_errors(void) {
#ifdef RTLD_DEFAULT
    void *loaded = RTLD_DEFAULT;
#else
    void *loaded = NULL; /* RTLD_DEFAULT's value in glibc, which names it only with _GNU_SOURCE */
#endif
    set_generic_error_func set = (set_generic_error_func)dlsym(loaded, "xmlSetGenericErrorFunc");
    if (set != NULL) {
        set(NULL, ignore);
    }
}
