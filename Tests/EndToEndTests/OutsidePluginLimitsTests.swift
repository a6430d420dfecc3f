import Foundation
import Testing

/// What an outside plugin is given: the environment it sees.
extension OutsidePluginTests {
    var misbehaving: [String: String] { ["HANDOFF_PLUGIN_PATH": "\(handoff.home)/misbehaving"] }

    @Test func aPluginSeesOnlyTheAllowedEnvironmentNotPasswordsKeysOrHandoffsSettings() throws {
        defer { handoff.remove() }
        // The interpreter itself, not a launcher such as a pyenv shim, which adds variables of its own.
        let python = try Spawn.run("/usr/bin/env", ["python3", "-c", "import sys; print(sys.executable)"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try writeMisbehaving(["environment"], python: python)
        let secret = UUID().uuidString
        let extra = misbehaving.merging(["PGPASSWORD": "pw-\(secret)", "SECRET": secret, "OPENAI_API_KEY": "sk-\(secret)"]) { $1 }
        let result = try run(["environment pepper potts"], format: "json", extra: extra)
        #expect(result.status == 0, "\(result.stderr)")
        let seen = try #require((result.json.first?["result"] as? [String: Any])?["environment"] as? [String: String])

        #expect(!result.stdout.contains(secret))
        #expect(seen["PGPASSWORD"] == nil && seen["SECRET"] == nil && seen["OPENAI_API_KEY"] == nil)
        #expect(!seen.keys.contains { $0.hasPrefix("HANDOFF_") }, "\(seen.keys.sorted())")
        #expect(seen["HOME"] == handoff.home)
        #expect(seen["PATH"] == handoff.environment["PATH"])
        #expect(seen["PWD"] == "\(handoff.home)/misbehaving/environment", "the server starts in its plugin's folder")
        let documented: Set = [
            "PATH", "HOME", "USER", "LOGNAME", "TZ", "TMPDIR", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_COLLATE", "LC_MESSAGES",
            "LC_MONETARY", "LC_NUMERIC", "LC_TIME", "LC_ADDRESS", "LC_IDENTIFICATION", "LC_MEASUREMENT", "LC_NAME", "LC_PAPER",
            "LC_TELEPHONE", "PWD",
        ]
        #expect(Set(seen.keys).subtracting(documented).isEmpty, "more than docs/plugins.md lists: \(seen.keys.sorted())")
    }
}
