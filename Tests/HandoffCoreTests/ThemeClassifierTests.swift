import Foundation
import Testing
@testable import HandoffCore

@Suite struct ThemeClassifierTests {
    let classifier = ThemeClassifier(themes: DefaultDefinition.load().themes)

    @Test(arguments: [
        ("It's too expensive for us", "price"),
        ("We have no budget left", "price"),
        ("Not now, maybe next quarter", "timing"),
        ("I need sign off from my boss", "authority"),
        ("We're already using RivalSoft", "competition"),
        ("Are you SOC 2 certified?", "risk"),
        ("Does it integrate with Salesforce?", "integration"),
        ("We can't sign a three year contract", "contract"),
        ("The pricng is too high", "price"),
    ])
    func placesCommonPhrasings(text: String, theme: String) {
        #expect(classifier.classify(text).theme == theme)
    }

    @Test func whatItCannotPlaceGoesUnderOther() {
        let result = classifier.classify("The weather was lovely")
        #expect(result.theme == "other")
        #expect(result.confidence == 0)
    }

    @Test func textItCannotPlaceSuggestsTheNearestThemes() {
        // "contract" alone is a phrase, but "contractual" is not; the word still points there.
        let result = classifier.classify("the contractual details")
        #expect(result.theme == "other")
        #expect(result.nearest.first == "contract", "\(result.nearest)")
    }

    @Test func editingTheTaxonomyChangesTheResultWithoutARebuild() throws {
        let edited = try DefinitionParser.parse(
            DefaultDefinition.yaml.replacingOccurrences(of: "phrases: [contract, terms,", with: "phrases: [weather, contract, terms,"),
            origin: "edited.yaml")
        #expect(ThemeClassifier(themes: edited.themes).classify("The weather was lovely").theme == "contract")
    }

    @Test func isDeterministic() {
        let text = "We're locked into a contract with another vendor"
        #expect(classifier.classify(text) == classifier.classify(text))
    }
}
