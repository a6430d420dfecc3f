// What differs between operating systems, in one file: the C library (passed on, so no other
// module names Glibc) and the few calls that are not the same on every POSIX system. Only Linux
// is written. A port to macOS is this file, each `#else` saying what its branch needs, plus the
// name of libcurl's file in Sources/CHTTPPost/http_post.c (C cannot import this module).
#if os(Linux)
@_exported public import Glibc
#else
#error("Platform: only Linux is written; on macOS pass Darwin on here (@_exported public import Darwin) and write each #else below")
#endif
import Foundation

public enum Platform {
    /// The write system call. Named here because `Terminal.write` hides the C function's name,
    /// and the module that holds it differs (Glibc on Linux, Darwin on macOS).
    public static func write(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        #if os(Linux)
        Glibc.write(descriptor, bytes, count)
        #else
        #error("Platform.write: on macOS, Darwin.write(descriptor, bytes, count)")
        #endif
    }

    /// The width in columns of the terminal at `descriptor`, or nil when it is not one or does not say.
    public static func terminalColumns(of descriptor: Int32) -> Int? {
        #if os(Linux)
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
        #else
        #error("Platform.terminalColumns: on macOS, the same ioctl with TIOCGWINSZ (already a UInt there)")
        #endif
    }

    /// The path of the running program's file, links followed, or nil when the system does not say.
    public static func executablePath() -> String? {
        #if os(Linux)
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        #else
        #error("Platform.executablePath: on macOS, _NSGetExecutablePath, then realpath to follow links")
        #endif
    }

    #if os(Linux)
    /// posix_spawn's file actions and attributes: structs in glibc, pointers in Darwin.
    public typealias SpawnFileActions = posix_spawn_file_actions_t
    public typealias SpawnAttributes = posix_spawnattr_t
    /// File actions ready for posix_spawn_file_actions_init.
    public static func spawnFileActions() -> SpawnFileActions { posix_spawn_file_actions_t() }
    /// Attributes ready for posix_spawnattr_init.
    public static func spawnAttributes() -> SpawnAttributes { posix_spawnattr_t() }
    #else
    #error("Platform.spawnFileActions, spawnAttributes: on macOS the types are posix_spawn_file_actions_t? and posix_spawnattr_t?, each made nil")
    #endif
}
