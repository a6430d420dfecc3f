import Foundation
import HandoffPluginAPI
import Testing
@testable import HandoffMCP

/// The parser every plugin answer and every MCP request goes through: JSON as RFC 8259 writes
/// it, and an error (never a crash) for anything else.
@Suite struct JSONParserTests {
    func string(_ json: String) throws -> String? {
        try JSONParser.parse(json).stringValue
    }

    @Test func aSurrogatePairIsOneCharacter() throws {
        #expect(try string(#""\ud83d\ude00""#) == "😀")
        #expect(try string(#""\uD834\uDD1E clef""#) == "𝄞 clef")
        #expect(try string(#""a\u00e9\u4e2d\uFFFF""#) == "aé中\u{FFFF}")
    }

    @Test(arguments: [
        #""\ud800\u0041""#,   // a high surrogate, then a letter (an unsigned underflow crashed here)
        #""\ud800\ud800""#,   // two high ones
        #""\ud800x""#,        // a high one, then text
        #""\ud800""#,         // a high one at the end
        #""\udc00""#,         // a low one alone
        #""\ude00\ud83d""#,   // a pair the wrong way round
    ])
    func aLoneSurrogateIsAnError(json: String) {
        #expect(throws: JSONParser.Malformed.self) { try JSONParser.parse(json) }
        #expect((try? JSONParser.parse(#"{"a":\#(json)}"#)) == nil)
    }

    @Test func aBadUnicodeEscapeIsAnError() {
        for json in [#""\u+123""#, #""\u-123""#, #""\u12""#, #""\u12g4""#, #""\u 123""#] {
            #expect(throws: JSONParser.Malformed.self, "\(json)") { try JSONParser.parse(json) }
        }
    }

    @Test func numbersAreReadAsJSONWritesThem() throws {
        #expect(try JSONParser.parse("0") == .int(0))
        #expect(try JSONParser.parse("-0") == .int(0))
        #expect(try JSONParser.parse("1234") == .int(1234))
        #expect(try JSONParser.parse("-2.5") == .double(-2.5))
        #expect(try JSONParser.parse("1E+2") == .double(100))
        #expect(try JSONParser.parse("6.02e-23") == .double(6.02e-23))
        #expect(try JSONParser.parse("[1,-1,0.5]").encoded() == "[1,-1,0.5]")
    }

    @Test(arguments: ["+1", "01", "-01", ".5", "1.", "-", "1e", "1e+", "--1", "0x10", "1.5.2", "Infinity", "NaN", "1e999"])
    func aNumberJSONDoesNotWriteIsAnError(text: String) {
        #expect(throws: JSONParser.Malformed.self) { try JSONParser.parse(text) }
        #expect((try? JSONParser.parse(#"{"n":\#(text)}"#)) == nil)
    }

    @Test func aMemberIsKeptAsWritten() throws {
        let big = try JSONParser.parse(#"{"jsonrpc":"2.0","id":12345678901234567890,"method":"ping"}"#, keepingTextOf: "id")
        #expect(big.memberText == "12345678901234567890")
        let nested = try JSONParser.parse(#"{"params":{"id":1},"id":"a\u0041"}"#, keepingTextOf: "id")
        #expect(nested.memberText == #""a\u0041""#, "the outermost object's member, not a nested one")
        #expect(try JSONParser.parse(#"{"method":"ping"}"#, keepingTextOf: "id").memberText == nil)
        // From the start of a message cut short, when the member comes before the cut.
        #expect(JSONParser.memberText("id", inStartOf: #"{"jsonrpc":"2.0","id":9,"params":{"text":"xxxx"#) == "9")
        #expect(JSONParser.memberText("id", inStartOf: #"{"params":{"text":"xxxx"#) == nil)
        #expect(JSONParser.memberText("id", inStartOf: #"{"jsonrpc":"2.0","id":123"#) == nil, "the cut may fall inside the id")
    }
}
