import AlignmentPlugin
import DefinitionPlugin
import DemoPlugin
import HandoffPluginAPI
import HelpPlugin
import ImportPlugin
import LeadsPlugin
import ObjectionsPlugin
import QualificationPlugin

/// The one list of plugins compiled into Handoff.
enum BuiltinPlugins {
    static let all: [any Plugin] = [
        HelpPlugin(),
        LeadsPlugin(),
        QualificationPlugin(),
        ObjectionsPlugin(),
        ImportPlugin(),
        DemoPlugin(),
        DefinitionPlugin(),
        AlignmentPlugin(),
    ]
}
