import Foundation
import Testing
@testable import HandoffCore

/// A semicolon- or tab-separated export is read as such, from its header.
@Suite struct DelimiterTests {
    @Test(arguments: [
        ("external_id,name,email", ","),
        ("external_id;name;email", ";"),
        ("external_id\tname\temail", "\t"),
        ("\"Name, full\";Email", ";"),
        ("external_id", ","),
        ("a;b,c", ","),
    ])
    func theHeaderSaysWhichSeparatorTheFileUses(header: String, expected: String) {
        #expect(Delimiter.sniff(header: Data(header.utf8)) == Character(expected))
    }
}
