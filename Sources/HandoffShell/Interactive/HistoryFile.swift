import Foundation

/// The persistent history, in libedit's format (`_HiStOrY_V2_`, then one line each with spaces
/// written `\040`), private to the user (mode 0600). Lines are appended as they are entered, like
/// psql does, so sessions running side by side all keep theirs; the file is trimmed to `limit`
/// lines when a session starts.
public struct HistoryFile: Sendable {
    public static let header = "_HiStOrY_V2_"

    public let path: String
    public let limit: Int

    public init(path: String, limit: Int = 1_000) {
        self.path = path
        self.limit = limit
    }

    /// Creates the folder and file if needed, makes the file private, and trims it.
    public func prepare() throws {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: Data((Self.header + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteNoPermission)
            }
            return
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        if lines.first == Self.header { lines.removeFirst() }
        guard lines.count > limit else { return }
        let kept = ([Self.header] + lines.suffix(limit)).joined(separator: "\n") + "\n"
        let temporary = path + ".\(getpid()).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(kept.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission)
        }
        if rename(temporary, path) != 0 { try? FileManager.default.removeItem(atPath: temporary) }
    }

    /// Appends one entered line.
    public func append(_ line: String) {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var entry = Self.encode(line) + "\n"
        entry.withUTF8 { buffer in _ = write(descriptor, buffer.baseAddress, buffer.count) }
    }

    /// libedit's escaping (strvis with VIS_WHITE): backslash, white space and control characters
    /// as octal escapes; other text as it is.
    public static func encode(_ line: String) -> String {
        var out = ""
        for scalar in line.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case " ", "\t", "\n", "\r": out += String(format: "\\%03o", scalar.value)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += String(format: "\\%03o", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
