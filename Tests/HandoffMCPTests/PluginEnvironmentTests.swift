import Testing
@testable import HandoffMCP

@Suite struct PluginEnvironmentTests {
    @Test func onlyTheListedVariablesPassNotLookAlikes() {
        let given = [
            "PATH": "/usr/bin:/bin", "HOME": "/home/ada", "LANG": "en_GB.UTF-8", "LC_TIME": "en_GB.UTF-8", "TZ": "Europe/London",
            "PGPASSWORD": "secret", "PGUSER": "ada", "HANDOFF_DB": "/home/ada/leads.sqlite", "OPENAI_API_KEY": "sk-1",
            "LC_SECRET_TOKEN": "x", "PATHS": "y", "LD_PRELOAD": "/tmp/evil.so",
        ]
        #expect(PluginEnvironment.of(given) == [
            "PATH": "/usr/bin:/bin", "HOME": "/home/ada", "LANG": "en_GB.UTF-8", "LC_TIME": "en_GB.UTF-8", "TZ": "Europe/London",
        ])
    }
}
