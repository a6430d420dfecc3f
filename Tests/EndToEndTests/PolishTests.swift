import Foundation
import Testing

/// Polishing a brief through an OpenAI-compatible endpoint: a small server in the test speaks the
/// protocol; success, failure, time-out and nonsense each give the user something sensible.
@Suite(.serialized) struct PolishTests {
    /// Starts the test server in `mode` and returns it with its base URL.
    func server(_ mode: String, home: String) throws -> (Process, String, String) {
        let portFile = "\(home)/port-\(mode)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "\(HandoffBinary.repositoryRoot)/Tests/EndToEndTests/Fixtures/chat_server.py", portFile, mode]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let port = try? String(contentsOfFile: portFile, encoding: .utf8), !port.isEmpty {
                return (process, "http://127.0.0.1:\(port)/v1", portFile)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw BinaryMissing(path: "the test chat server did not start")
    }

    let now = ["--now", "2026-11-18T15:30:00Z"]

    /// Unsure of an objection's theme, Handoff asks the configured model, once per text: the
    /// answer is kept, and says it came from the model. An answer that is no theme is not used,
    /// and a model that fails leaves the rep to choose.
    @Test func theModelIsAskedOnlyForUnsureObjectionsAndItsAnswerIsKept() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(now + ["-c", "demo"])
        let (process, url, portFile) = try server("theme", home: handoff.home)
        defer { process.terminate() }
        let environment = ["HANDOFF_LLM_URL": url, "HANDOFF_LLM_MODEL": "tiny"]
        func asked() -> Int { ((try? String(contentsOfFile: portFile + ".count", encoding: .utf8)) ?? "").split(separator: "\n").count }
        let sure = try handoff.run(now + ["--format", "json", "-c", "log objection acme \"way too expensive, no budget\""], extraEnvironment: environment)
        #expect((sure.json.first?["result"] as? [String: Any])?["theme_from"] as? String == "classifier")
        #expect(asked() == 0, "a sure classification asks no model")

        for (round, text) in ["our team is small", "Our team  is SMALL"].enumerated() {
            let result = try handoff.run(now + ["--format", "json", "-c", "log objection acme \"\(text)\""], extraEnvironment: environment)
            #expect(result.status == 0, "\(result.stderr)")
            let answer = try #require(result.json.first?["result"] as? [String: Any])
            #expect(answer["theme_from"] as? String == "language model")
            #expect((answer["objection"] as? [String: Any])?["theme"] as? String == "need")
            #expect((answer["model"] as? [String: Any])?["cached"] as? Bool == (round == 1))
            #expect((answer["choices"] as? [Any])?.isEmpty == true, "the model settled it: nobody is asked")
        }
        #expect(asked() == 1, "the same words ask once")
        let instruction = try String(contentsOfFile: portFile + ".request", encoding: .utf8)
        #expect(instruction.contains("price: Price / budget") && instruction.contains("other: none of these"))
        let text = try handoff.run(now + ["-c", "log objection globex \"our team is small\""], extraEnvironment: environment)
        #expect(text.stdout.contains("→ Need / fit (the language model's choice, tiny at http://127.0.0.1:"))
        #expect(text.stdout.contains(", cached; the classifier's was need at"))
        // Still below the classifier's bar, each waits in the review for a person to confirm.
        let review = try handoff.run(now + ["--format", "json", "-c", "objections review"])
        #expect(((review.json.first?["result"] as? [String: Any])?["objections"] as? [Any])?.count == 3)
        // In a script the review says what to type, not to type a number.
        let reviewText = try handoff.run(now + ["-c", "objections review"])
        #expect(reviewText.stdout.contains("Likely: ") && reviewText.stdout.contains("files it") && !reviewText.stdout.contains("Type a number"), "\(reviewText.stdout)")
    }

    @Test func aModelAnswerThatIsNoThemeOrNoAnswerLeavesTheRepToChoose() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(now + ["-c", "demo"])
        for mode in ["banana", "error"] {
            let (process, url, _) = try server(mode, home: handoff.home)
            defer { process.terminate() }
            let result = try handoff.run(
                now + ["-c", "log objection acme \"they said maybe\""], extraEnvironment: ["HANDOFF_LLM_URL": url, "HANDOFF_LLM_MODEL": "tiny"])
            #expect(result.status == 0, "\(mode): \(result.stderr)")
            #expect(result.stdout.contains("(classified, confidence"), "\(mode)")
            // A one-shot `-c` is a script: no number can be typed after it, so the reply says what to type.
            #expect(result.stdout.contains("Not sure of the theme (likely: Timing"), "\(mode)")
            #expect(result.stdout.contains("`retheme ") && !result.stdout.contains("Type a number"), "\(mode)")
            #expect(mode == "banana" || result.stderr.contains("The language model was not asked or did not answer"), "\(mode): \(result.stderr)")
        }
    }

    @Test func aWorkingEndpointPolishesTheBriefAndTheKeyStaysSecret() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(now + ["-c", "demo"])
        let (process, url, portFile) = try server("ok", home: handoff.home)
        defer { process.terminate() }
        let environment = ["HANDOFF_LLM_URL": url, "HANDOFF_LLM_MODEL": "tiny", "HANDOFF_LLM_KEY": "sk-secret-123"]
        let result = try handoff.run(now + ["--format", "json", "-c", "brief pricing --polish"], extraEnvironment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        let answer = try #require(result.json.first?["result"] as? [String: Any])
        #expect(answer["polished"] as? Bool == true)
        #expect((answer["markdown"] as? String)?.hasPrefix("POLISHED\n# CAMPAIGN BRIEF") == true)
        #expect((answer["draft"] as? String)?.hasPrefix("# Campaign brief") == true)
        let request = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: portFile + ".request"))) as! [String: Any]
        #expect(request["path"] as? String == "/v1/chat/completions")
        #expect(request["authorization"] as? String == "Bearer sk-secret-123")
        #expect((request["body"] as? [String: Any])?["model"] as? String == "tiny")
        #expect(!result.stdout.contains("sk-secret") && !result.stderr.contains("sk-secret"))
        let stored = try handoff.sqlite("SELECT markdown FROM briefs ORDER BY id DESC LIMIT 1")
        #expect(stored.hasPrefix("POLISHED"))
        #expect(!(try handoff.sqlite("SELECT group_concat(markdown) FROM briefs")).contains("sk-secret"))
    }

    @Test(arguments: [("error", "answered HTTP 500: model overloaded"), ("garbage", "not a chat completion"), ("slow", "did not answer within 2 s")])
    func aFailingEndpointGivesAClearErrorAndTheUnpolishedDraft(mode: String, problem: String) throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(now + ["-c", "demo"])
        let (process, url, _) = try server(mode, home: handoff.home)
        defer { process.terminate() }
        let result = try handoff.run(
            now + ["-c", "brief pricing --polish"],
            extraEnvironment: ["HANDOFF_LLM_URL": url, "HANDOFF_LLM_KEY": "sk-secret-123", "HANDOFF_LLM_TIMEOUT": "2"])
        #expect(result.status == 1)
        #expect(result.stderr.contains(problem), "\(result.stderr)")
        #expect(result.stderr.contains("unpolished draft"))
        #expect(result.stdout.hasPrefix("# Campaign brief: answering “Price / budget” objections"))
        #expect(!result.stderr.contains("sk-secret"))
    }

    @Test func anAnswerOfAMegabyteIsNotReadNorStored() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(now + ["-c", "demo"])
        let (process, url, _) = try server("huge", home: handoff.home)
        defer { process.terminate() }
        let result = try handoff.run(now + ["-c", "brief pricing --polish"], extraEnvironment: ["HANDOFF_LLM_URL": url])
        #expect(result.status == 1)
        #expect(result.stderr.contains(
            "polishing failed: llama3 at \(url) answered more than 262144 bytes, far more than a brief, so the answer was not read; this is the unpolished draft"),
            "\(result.stderr)")
        #expect(result.stdout.hasPrefix("# Campaign brief: answering “Price / budget” objections"), "the unpolished draft")
        #expect(try handoff.sqlite("SELECT count(*) FROM briefs WHERE markdown LIKE 'POLISHED%'") == "0")
    }

    @Test func anErrorThatEchoesTheKeyIsShownCleanedShortAndMasked() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(now + ["-c", "demo"])
        let (process, url, _) = try server("leaky", home: handoff.home)
        defer { process.terminate() }
        let result = try handoff.run(
            now + ["-c", "brief pricing --polish"], extraEnvironment: ["HANDOFF_LLM_URL": url, "HANDOFF_LLM_KEY": "sk-secret-123"])
        #expect(result.status == 1)
        let line = try #require(result.stderr.split(separator: "\n").first { $0.contains("HTTP 401: ") }, "\(result.stderr)")
        let detail = try #require(line.split(separator: "HTTP 401: ", maxSplits: 1).last?.split(separator: ";").first)
        #expect(detail.hasPrefix("Incorrect API key provided: Bearer *** You can find your API key at https://example.com/account/api-keys. xxx"), "\(line)")
        #expect(detail.hasSuffix("x…"))
        #expect(detail.count == 200)
        #expect(!result.stderr.contains("sk-secret") && !result.stdout.contains("sk-secret"))
        #expect(!result.stderr.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\r" })
    }

    @Test func polishingIsOffUntilAnEndpointIsConfigured() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(now + ["-c", "demo"])
        let plain = try handoff.run(now + ["-c", "brief pricing"])
        #expect(plain.status == 0)
        let asked = try handoff.run(now + ["-c", "brief pricing --polish"])
        #expect(asked.status == 1)
        #expect(asked.stderr.contains("no language model is configured: set HANDOFF_LLM_URL"))
        let badURL = try handoff.run(now + ["-c", "plugins"], extraEnvironment: ["HANDOFF_LLM_URL": "localhost:11434"])
        #expect(badURL.status == 2)
        #expect(badURL.stderr.contains("HANDOFF_LLM_URL must be an http(s) URL"))
    }
}
