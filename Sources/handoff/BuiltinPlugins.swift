import DefinitionPlugin
import DemoPlugin
import HandoffPluginAPI
import ImportPlugin

/// The one list of plugins compiled into Handoff.
enum BuiltinPlugins {
    static let all: [any Plugin] = [
        ImportPlugin(),
        DemoPlugin(),
        DefinitionPlugin(),
    ]
}
