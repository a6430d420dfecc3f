import DefinitionPlugin
import DemoPlugin
import HandoffPluginAPI
import HelpPlugin
import ImportPlugin
import LeadsPlugin

/// The one list of plugins compiled into Handoff.
enum BuiltinPlugins {
    static let all: [any Plugin] = [
        HelpPlugin(),
        LeadsPlugin(),
        ImportPlugin(),
        DemoPlugin(),
        DefinitionPlugin(),
    ]
}
