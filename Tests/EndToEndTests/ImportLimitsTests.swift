import Foundation
import Testing

/// What an import keeps and refuses when a file is hostile or plainly wrong: memory stays
/// bounded, and bad data is refused by line rather than stored.
@Suite struct ImportLimitsTests {
    @Test func aFileOfOnlyBadRowsListsTheFirstThousandProblemsAndCountsTheRest() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        var text = "external_id,name\n"
        text.reserveCapacity(200_000 * 6)
        for index in 0..<200_000 { text += "L\(index)\n" }
        let file = handoff.write("bad.csv", text)

        let json = try handoff.run(["--format", "json", "-c", "import leads \(file)"], redirecting: "")
        #expect(json.status == 1)
        let result = try #require(json.json.first?["result"] as? [String: Any], "\(json.stdout.prefix(300))")
        #expect(result["read"] as? Int == 200_000)
        #expect(result["rejected"] as? Int == 200_000)
        let problems = try #require(result["problems"] as? [[String: Any]])
        #expect(problems.count == 1_000)
        #expect(problems.first?["line"] as? Int == 2)
        #expect(problems.last?["line"] as? Int == 1_001)
        #expect(problems.first?["reason"] as? String == "expected 2 fields, found 1")
        #expect(result["problems_not_listed"] as? Int == 199_000)
        #expect((result["notes"] as? [String])?.contains("problems lists the first 1000 bad rows, and 199000 more") == true)

        let plain = try handoff.run(["-c", "import leads \(file)"], redirecting: "")
        #expect(plain.status == 1)
        #expect(plain.stdout.contains("… and 199980 more (the first 1000 of them with --format json)"), "\(plain.stdout.suffix(400))")
    }
}

extension ImportLimitsTests {
    @Test func aHeaderThatNamesAColumnTwiceRefusesTheFile() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let file = handoff.write("twice.csv", "external_id,Email,name,email ,\nL1,a@acme.com,Ada,b@acme.com,\n")
        let result = try handoff.run(["-c", "import leads \(file)"])
        #expect(result.status == 1)
        #expect(result.stderr == """
            error: \(file):1: the header names 'email' twice (columns 2 and 4)
            hint: rename or remove one of the two columns

            """)
        #expect(try handoff.sqlite("select count(*) from leads") == "0")
    }
}
