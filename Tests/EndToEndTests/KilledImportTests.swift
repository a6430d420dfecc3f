import Foundation
import Testing

/// An import killed half-way (kill -9, a closed laptop) leaves a consistent database, and running
/// it again finishes the job.
@Suite struct KilledImportTests {
    @Test func aKilledImportLeavesTheDatabaseConsistentAndARerunFinishesIt() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let total = 60_000
        var csv = "external_id,name,email,title,company,employees,created_at\n"
        csv.reserveCapacity(total * 90)
        for n in 0..<total {
            csv += "K\(n),Lead \(n),lead\(n)@company\(n % 500).com,Director of Things,Company \(n % 500),\(50 + n % 900),2026-0\(1 + n % 9)-1\(n % 10)\n"
        }
        let file = handoff.write("big.csv", csv)

        // Start the import, wait until some batches have landed, then kill it without warning.
        let process = try handoff.process(["-c", "import leads \(file)"])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var landed = 0
        let deadline = Date().addingTimeInterval(120)
        while landed == 0 && process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            landed = Int((try? handoff.sqlite("SELECT count(*) FROM leads")) ?? "") ?? 0
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the import finished before it could be killed")

        #expect(try handoff.sqlite("PRAGMA integrity_check") == "ok")
        let partial = try #require(Int(try handoff.sqlite("SELECT count(*) FROM leads")))
        #expect(partial > 0 && partial < total)
        #expect(partial % 5_000 == 0, "whole batches landed, never part of one")
        #expect(try handoff.sqlite("SELECT count(*) FROM leads l WHERE NOT EXISTS (SELECT 1 FROM transitions t WHERE t.lead_id = l.id)") == "0",
                "every lead that landed has its audit trail")
        // The file is big enough for the import to have set the lead indexes aside; they wait to be rebuilt.
        #expect(try handoff.sqlite("SELECT count(*) FROM deferred_indexes") != "0")

        let rerun = try handoff.run(["--format", "json", "-c", "import leads \(file)"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let result = try #require(rerun.json.first?["result"] as? [String: Any])
        #expect(result["inserted"] as? Int == total - partial)
        #expect(result["unchanged"] as? Int == partial, "the rows that landed are there as the file gives them")
        #expect(result["updated"] as? Int == 0)
        #expect(try handoff.sqlite("SELECT count(*), count(DISTINCT external_id) FROM leads") == "\(total)|\(total)")
        #expect(try handoff.sqlite("SELECT count(*) FROM deferred_indexes") == "0")
        #expect(try handoff.sqlite("SELECT count(*) FROM sqlite_master WHERE name IN ('leads_name', 'leads_email', 'leads_account', 'leads_created', 'leads_stage', 'leads_source', 'transitions_time')") == "7",
                "the indexes the killed import dropped are back")
        #expect(try handoff.sqlite("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_name_words_%'") == "6",
                "so are the triggers of the name-word indexes")
        #expect(try handoff.sqlite("SELECT count(*) FROM lead_name_words WHERE lead_name_words MATCH 'Lead'") == "\(total)",
                "and the lead-name index holds every lead")
        #expect(try handoff.sqlite("PRAGMA integrity_check") == "ok")
    }
}
