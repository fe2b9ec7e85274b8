#ifndef PHR_LIBXML2_QUIET_H
#define PHR_LIBXML2_QUIET_H

/// Stops libxml2, which Foundation's XMLParser parses with, from writing its own messages to
/// stderr on the calling thread (libxml2 keeps its error channel per thread). Some of its errors
/// go straight to that channel instead of to the parser (`xmlParseChunk: encoder error` for bytes
/// that the declared encoding cannot decode): they would stand beside phr's own one line. The
/// parse still fails, and phr still says so.
void phr_libxml2_quiet_generic_errors(void);

#endif
