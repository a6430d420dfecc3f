/// A plugin: a named set of commands. Built-in plugins conform to this and are listed once in the
/// executable; outside plugins reach the same shape through the protocol.
public protocol Plugin: Sendable {
    var name: String { get }
    var version: String { get }
    var summary: String { get }
    var commands: [Command] { get }
}

extension Plugin {
    public var version: String { "1.0" }

    public var info: PluginInfo {
        PluginInfo(name: name, version: version, summary: summary, source: "built-in", commands: commands)
    }
}
