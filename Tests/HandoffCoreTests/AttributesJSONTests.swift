import Testing
@testable import HandoffCore

@Suite struct AttributesJSONTests {
    @Test func roundTripsTextThatNeedsEscaping() {
        let attributes = ["quote": "said \"no\"", "path": "C:\\temp", "lines": "one\ntwo\tthree\r", "bell": "\u{07}", "ünï": "Müller 😀", "empty": ""]
        let text = AttributesJSON.encode(attributes)
        #expect(AttributesJSON.decode(text) == attributes)
        #expect(AttributesJSON.encode(["b": "2", "a": "1"]) == #"{"a":"1","b":"2"}"#, "keys are sorted, so equal attributes give equal text")
        #expect(AttributesJSON.encode([:]) == "{}")
    }
}
