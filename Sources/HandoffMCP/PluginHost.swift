import Foundation
import HandoffCore
import HandoffPluginAPI

/// Keeps the outside plugins' servers for a session: each starts on its first use and is kept;
/// one that fails in any way is stopped and started afresh on its next use.
public final class PluginHost: @unchecked Sendable {
    private let lock = NSLock()
    private var running: [String: PluginConnection] = [:]
    /// Why each plugin last failed, for `plugins`.
    private var lastFailure: [String: String] = [:]
    private let logFolder: String
    private let environment: [String: String]

    /// `logFolder` gets one `NAME.log` per plugin with its stderr.
    public init(logFolder: String, environment: [String: String]) {
        self.logFolder = logFolder
        self.environment = PluginEnvironment.of(environment)
    }

    public func logFile(for plugin: String) -> String { "\(logFolder)/\(plugin).log" }

    /// `running`, `not started`, or `failed: …` (it will start again on next use).
    public func state(of plugin: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        if running[plugin] != nil { return "running" }
        if let failure = lastFailure[plugin] { return "failed: \(failure)" }
        return "not started"
    }

    /// Runs `work` with the plugin's connection, starting it first if needed. Any failure stops
    /// the plugin; the error is rethrown for the user to see once.
    func with<T>(_ manifest: PluginManifest, isCancelled: () -> Bool, _ work: (PluginConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            let connection: PluginConnection
            if let existing = running[manifest.name] {
                connection = existing
            } else {
                try FileManager.default.createDirectory(atPath: logFolder, withIntermediateDirectories: true)
                rotateLog(of: manifest.name)
                connection = try PluginConnection(
                    manifest: manifest, log: logFile(for: manifest.name), environment: environment, isCancelled: isCancelled)
                running[manifest.name] = connection
                lastFailure[manifest.name] = nil
            }
            return try work(connection)
        } catch let refused as UndeclaredRead {
            stop(manifest.name, reason: "asked for undeclared data")
            let writing = refused.scope.hasPrefix("writing ")
            let declared = writing
                ? Set(manifest.tools.flatMap(\.writes).map(\.rawValue)).sorted()
                : Set(manifest.tools.flatMap(\.reads)).sorted().map(\.rawValue)
            let key = writing ? "writes" : "reads"
            let word = writing ? String(refused.scope.dropFirst("writing ".count)) : refused.scope
            throw PluginError(
                "plugin '\(manifest.name)' asked for \(refused.scope), which its manifest does not declare (\(key): \(declared.isEmpty ? "nothing" : declared.joined(separator: ", ")))",
                hint: "Handoff refused it and stopped the plugin; add \(word) to \(key) in \(manifest.file) if it should have it")
        } catch let error as PluginError {
            stop(manifest.name, reason: error.message)
            throw error
        } catch {
            stop(manifest.name, reason: "\(error)")
            throw PluginError("plugin '\(manifest.name)' failed: \(error)", hint: "it will be restarted on next use")
        }
    }

    /// A log past 1 MiB becomes `NAME.log.1` (replacing the one before), so a chatty plugin cannot fill the disk over many
    /// sessions; within one run `PluginLog` keeps 1 MiB.
    private func rotateLog(of plugin: String) {
        let log = logFile(for: plugin)
        guard let size = (try? FileManager.default.attributesOfItem(atPath: log))?[.size] as? Int, size > 1 << 20 else { return }
        _ = rename(log, log + ".1")
    }

    private func stop(_ name: String, reason: String) {
        running[name]?.close()
        running[name] = nil
        lastFailure[name] = reason
    }

    /// Stops every running plugin (at the end of a session).
    public func stopAll() {
        lock.lock()
        defer { lock.unlock() }
        for connection in running.values { connection.close() }
        running = [:]
    }
}
