import Foundation
public import HandoffCore
public import HandoffPluginAPI

/// Everything about outside plugins the executable needs at start: the catalogue entries (cheap:
/// only manifests are read) and the host that starts servers when their commands are used.
public struct OutsidePlugins: Sendable {
    public let host: PluginHost
    /// Loaded plugins, then one entry per broken manifest (no commands; its state says why).
    public let catalogue: [PluginInfo]
    /// One line per manifest that could not be used: `FILE: line 3: …`.
    public let problems: [String]

    public init(paths: Paths, environment: [String: String], taken: Set<String>) {
        let host = PluginHost(logFolder: "\(paths.state)/plugins", environment: environment)
        let found = PluginDiscovery.discover(roots: PluginDiscovery.folders(config: paths.config, environment: environment), taken: taken)
        var catalogue: [PluginInfo] = found.manifests.map { manifest in
            var info = OutsidePlugin(manifest: manifest, host: host).info
            info.state = { [host] in host.state(of: manifest.name) }
            return info
        }
        for (file, reason) in found.broken {
            let folder = (file as NSString).deletingLastPathComponent
            catalogue.append(PluginInfo(
                name: (folder as NSString).lastPathComponent, version: "-", summary: "", source: file, commands: [],
                state: { "broken: \(reason)" }))
        }
        self.host = host
        self.catalogue = catalogue
        problems = found.broken.map { "\($0.file): \($0.reason)" }
    }
}
