import Foundation
import HandoffCore
import Testing
@testable import HandoffPrompts

@Suite struct PromptLibraryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func theCompiledInTemplatesAreTheFilesInPrompts() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(Self.root)/Prompts").filter { $0.hasSuffix(".mustache") }
        #expect(Set(files.map { String($0.dropLast(".mustache".count)) }) == Set(PromptLibrary.names))
        for file in files {
            let text = try String(contentsOfFile: "\(Self.root)/Prompts/\(file)", encoding: .utf8)
            let name = String(file.dropLast(".mustache".count))
            #expect(PromptLibrary.builtin(name) == text.trimmingCharacters(in: .newlines), "run `bash scripts/generate-prompts` after editing \(file)")
        }
    }

    func scratch() -> String {
        let directory = NSTemporaryDirectory() + "prompts-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test func rendersTheShippedTemplate() throws {
        let text = try PromptLibrary(overrides: scratch()).render("qualification", [
            "lead": "Ada", "account": "Acme", "verdict": "MQL", "score": "72", "fit": "60", "engagement": "12", "version": "7",
            "passed": "senior role (+25)", "unknown": "budget", "next_step": "Call her.",
        ])
        #expect(text.hasPrefix("Ada (Acme) is MQL: 72 points, 60 for who they are and 12 for what they did, under definition version 7."))
        #expect(text.contains("In their favour: senior role (+25)."))
        #expect(!text.contains("Not met"), "empty sections say nothing")
        #expect(text.hasSuffix("Next step: Call her."))
    }

    @Test func aUserOverrideWinsWithoutARebuild() throws {
        let directory = scratch()
        try "{{lead}} scores {{score}}, says marketing.".write(toFile: "\(directory)/qualification.mustache", atomically: true, encoding: .utf8)
        #expect(try PromptLibrary(overrides: directory).render("qualification", ["lead": "Ada", "score": "72"]) == "Ada scores 72, says marketing.")
    }

    @Test func aBrokenOverrideIsRefusedWithItsPath() throws {
        let directory = scratch()
        try "{{#passed}}never closed".write(toFile: "\(directory)/qualification.mustache", atomically: true, encoding: .utf8)
        do {
            _ = try PromptLibrary(overrides: directory).render("qualification", ["lead": "Ada"])
            Issue.record("rendered a broken template")
        } catch let error as FileError {
            #expect(error.file == "\(directory)/qualification.mustache")
            #expect(error.problem.contains("does not parse"))
        }
        #expect(throws: NotFoundError.self) { try PromptLibrary(overrides: directory).render("nonexistent", [:]) }
    }

    @Test func aBrokenOverrideSaysWhereAndWhatInWords() throws {
        let directory = scratch()
        let path = "\(directory)/qualification.mustache"
        func refusal(_ text: String) throws -> FileError? {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            do {
                _ = try PromptLibrary(overrides: directory).render("qualification", ["lead": "Ada"])
                return nil
            } catch let error as FileError { return error }
        }
        let mismatched = try #require(try refusal("Hello {{lead}}\n{{#passed}}ok{{/failed}}\nbye\n"))
        #expect(mismatched.message == "\(path):2:17: the template does not parse: a section is closed with another name than it was opened with ({{#a}}…{{/b}})")
        #expect(mismatched.hint == "fix it, or delete it to use the built-in qualification.mustache")
        let unclosed = try #require(try refusal("{{#passed}}never closed"))
        #expect(unclosed.message.hasPrefix("\(path):1:"))
        #expect(unclosed.message.hasSuffix("the template does not parse: a section is never closed: {{#name}} or {{^name}} needs its {{/name}}"))
        #expect(!unclosed.message.contains("ParserError"), "no Swift dump")
    }
}
