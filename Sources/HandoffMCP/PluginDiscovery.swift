import Foundation
import HandoffCore

/// Finds outside plugins: every folder with a `plugin.yaml` under `CONFIG/plugins/` and under each
/// folder of `HANDOFF_PLUGIN_PATH` (colon-separated; a folder that is itself a plugin counts too).
/// Only the small manifests are read here; no plugin is started until one of its commands runs.
public struct PluginDiscovery: Sendable {
    public var manifests: [PluginManifest] = []
    /// Manifests that could not be used, with the reason; the others still load.
    public var broken: [(file: String, reason: String)] = []

    public static func folders(config: String, environment: [String: String]) -> [String] {
        var roots = ["\(config)/plugins"]
        if let path = environment["HANDOFF_PLUGIN_PATH"] {
            roots += path.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        return roots
    }

    /// Reads the manifests under `roots`. `taken` are the command names already answered (by
    /// built-in plugins): an outside tool may not take one over.
    public static func discover(roots: [String], taken: Set<String>) -> PluginDiscovery {
        var found = PluginDiscovery()
        var seenFolders = Set<String>()
        var names = Set<String>()
        var commands = taken
        for root in roots {
            let root = canonical(root)
            var candidates: [String] = []
            if FileManager.default.fileExists(atPath: "\(root)/\(PluginManifest.fileName)") {
                candidates = [root]
            } else if let entries = try? FileManager.default.contentsOfDirectory(atPath: root) {
                candidates = entries.sorted().filter { !$0.hasPrefix(".") }.map { canonical("\(root)/\($0)") }
                    .filter { FileManager.default.fileExists(atPath: "\($0)/\(PluginManifest.fileName)") }
            }
            for folder in candidates where seenFolders.insert(folder).inserted {
                do {
                    let manifest = try PluginManifest.load(folder: folder)
                    if names.contains(manifest.name) {
                        found.broken.append((manifest.file, "another plugin is already named '\(manifest.name)'"))
                        continue
                    }
                    if let clash = manifest.tools.first(where: { commands.contains($0.command) }) {
                        found.broken.append((manifest.file, "the command '\(clash.command)' is already taken"))
                        continue
                    }
                    names.insert(manifest.name)
                    commands.formUnion(manifest.tools.map(\.command))
                    found.manifests.append(manifest)
                } catch let error as FileError {
                    let place = "line \(error.line)" + (error.column.map { ", column \($0)" } ?? "")
                    found.broken.append((error.file, "\(place): \(error.problem)" + (error.hint.map { "; \($0)" } ?? "")))
                } catch {
                    found.broken.append(("\(folder)/\(PluginManifest.fileName)", "\(error)"))
                }
            }
        }
        return found
    }

    /// `path` with a leading `~` or `~user` expanded and symlinks, `.` and `..` resolved
    /// (`realpath`), so that a folder named twice, or reached through a link, is read once; as
    /// given when it does not exist. Not Foundation's `standardizingPath`, which asks FileManager
    /// about each component on every start (BENCHMARKS.md, "Figures that were in comments").
    static func canonical(_ path: String) -> String {
        let path = path.hasPrefix("~") ? NSString(string: path).expandingTildeInPath : path
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
