#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Standard output written line by line even into a pipe, so a script reading the demo (a
/// sign-in link, say) sees each answer as it is printed. (Its own file: `stdout` is a C global
/// that only a `@preconcurrency` import of the C library lets Swift 6 code name.)
func lineBufferedStandardOutput() {
    setvbuf(stdout, nil, _IOLBF, 0)
}
