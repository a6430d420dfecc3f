import Foundation
import HandoffCore
import HandoffPluginAPI
import Testing
@testable import HandoffMCP

@Suite struct ManifestTests {
    let good = """
        name: icp
        version: 1.2.0
        summary: Ideal-customer-profile check
        command: [python3, server.py]
        timeout: 5
        tools:
          - tool: icp_check
            command: icp
            phrasings: [ideal customer, fits our icp]
            arguments: {lead: lead}
            reads: [lead, account]
        """

    @Test func readsAGoodManifest() throws {
        let manifest = try PluginManifest.parse(good, file: "/p/icp/plugin.yaml", folder: "/p/icp")
        #expect(manifest.name == "icp")
        #expect(manifest.command == ["python3", "server.py"])
        #expect(manifest.timeout == 5)
        #expect(manifest.tools.count == 1)
        #expect(manifest.tools[0].command == "icp")
        #expect(manifest.tools[0].arguments.map(\.name) == ["lead"])
        #expect(manifest.tools[0].reads == [.lead, .account])
    }

    @Test func aCommandWrittenAsOneLineIsSplitIntoWords() throws {
        let text = good.replacingOccurrences(of: "command: [python3, server.py]", with: "command: python3 server.py --quiet")
        #expect(try PluginManifest.parse(text, file: "f", folder: "/p").command == ["python3", "server.py", "--quiet"])
    }

    @Test func refusesAnUnknownKeyWithItsLine() throws {
        let text = good.replacingOccurrences(of: "    reads: [lead, account]", with: "    raeds: [lead]")
        #expect {
            try PluginManifest.parse(text, file: "/p/icp/plugin.yaml", folder: "/p/icp")
        } throws: { error in
            let message = (error as? FileError)?.message ?? ""
            return message.hasPrefix("/p/icp/plugin.yaml:11:") && message.contains("unknown key 'raeds'")
        }
    }

    @Test func refusesALeadArgumentWithoutDeclaringLeadReads() throws {
        let text = good.replacingOccurrences(of: "reads: [lead, account]", with: "reads: [account]")
        #expect {
            try PluginManifest.parse(text, file: "f", folder: "/p")
        } throws: { error in
            ((error as? FileError)?.problem ?? "").contains("reads does not declare 'lead'")
        }
    }

    @Test func refusesAnUnknownArgumentKind() throws {
        let text = good.replacingOccurrences(of: "{lead: lead}", with: "{lead: person}")
        #expect {
            try PluginManifest.parse(text, file: "f", folder: "/p")
        } throws: { error in
            ((error as? FileError)?.problem ?? "").contains("'person', which is not a kind Handoff resolves")
        }
    }

    @Test func discoveryKeepsGoodPluginsBesideABrokenOne() throws {
        let root = NSTemporaryDirectory() + "plugins-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: "\(root)/icp", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(root)/bad", withIntermediateDirectories: true)
        try good.write(toFile: "\(root)/icp/plugin.yaml", atomically: true, encoding: .utf8)
        try "name: bad\ncommand: x\ntools: [".write(toFile: "\(root)/bad/plugin.yaml", atomically: true, encoding: .utf8)
        let found = PluginDiscovery.discover(roots: [root], taken: ["qualify"])
        #expect(found.manifests.map(\.name) == ["icp"])
        #expect(found.broken.count == 1)
        #expect(found.broken.first?.file == "\(root)/bad/plugin.yaml")
        #expect(found.broken.first?.reason.contains("not valid YAML") == true)
    }

    @Test func aFolderNamedTwiceIsReadOnce() throws {
        let name = "plugins-\(UUID().uuidString)"
        let root = NSTemporaryDirectory() + name
        let link = root + "-link"
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: link)
        }
        try FileManager.default.createDirectory(atPath: "\(root)/icp", withIntermediateDirectories: true)
        try good.write(toFile: "\(root)/icp/plugin.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: root)
        // By its path, through `..`, and through a symbolic link: one plugin, no clash with itself.
        let found = PluginDiscovery.discover(roots: [root, "\(root)/icp/../", link], taken: ["qualify"])
        #expect(found.manifests.map(\.name) == ["icp"])
        #expect(found.broken.isEmpty)
        // A link inside another root to the plugin's folder is the same plugin too.
        let other = root + "-other"
        defer { try? FileManager.default.removeItem(atPath: other) }
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: "\(other)/icp-link", withDestinationPath: "\(root)/icp")
        let again = PluginDiscovery.discover(roots: [root, other], taken: ["qualify"])
        #expect(again.manifests.map(\.name) == ["icp"])
        #expect(again.broken.isEmpty)
    }

    @Test func anOutsideToolCannotTakeABuiltInCommand() throws {
        let root = NSTemporaryDirectory() + "plugins-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: "\(root)/icp", withIntermediateDirectories: true)
        try good.replacingOccurrences(of: "command: icp", with: "command: qualify").write(toFile: "\(root)/icp/plugin.yaml", atomically: true, encoding: .utf8)
        let found = PluginDiscovery.discover(roots: [root], taken: ["qualify"])
        #expect(found.manifests.isEmpty)
        #expect(found.broken.first?.reason == "the command 'qualify' is already taken")
    }

    @Test func parsesJSONKeepingKeyOrder() throws {
        let value = try JSONParser.parse(#"{"b":1,"a":[true,null,"x\u00e9\n"],"c":-2.5}"#)
        #expect(value.encoded() == #"{"b":1,"a":[true,null,"xé\n"],"c":-2.5}"#)
        #expect(throws: JSONParser.Malformed.self) { try JSONParser.parse("{\"a\":1") }
        #expect(throws: JSONParser.Malformed.self) { try JSONParser.parse("hello") }
    }
}
