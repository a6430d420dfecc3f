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

    /// "IT" in capitals is the IT department to the examples' model, and still the word "it" to a
    /// team's phrases: "our IT team" meets the phrase "it team" as "our it team" does.
    @Test func itInCapitalsIsTheDepartmentAndStillMeetsAPhrase() {
        let words = ThemeTrackers.words("IT says it works")
        #expect(words.map(\.raw) == ["it", "says", "it", "works"])
        #expect(words.map(\.isITDepartment) == [true, false, false, false])
        let themes = [
            Theme(id: "integration", label: "Integration", phrases: ["it team"], answer: ""),
            Theme(id: "price", label: "Price", phrases: ["budget"], answer: ""),
        ]
        let teams = ThemeClassifier(themes: themes)
        #expect(teams.classify("our IT team is swamped") == teams.classify("our it team is swamped"))
        #expect(teams.classify("our IT team is swamped").theme == "integration")
    }

    @Test func whatItCannotPlaceGoesUnderOther() {
        let result = classifier.classify("The weather was lovely")
        #expect(result.theme == "other")
        #expect(result.confidence == 0)
    }

    /// No phrase of the taxonomy is in these; the examples' words place them.
    @Test(arguments: [
        ("our counsel wants to redline the order form", "contract"),
        ("we have no money this year", "price"),
        ("I can't sell this internally", "authority"),
        ("we're being acquired, so everything is on hold", "timing"),
        ("is that the best you can do?", "price"),
        ("never heard of your company", "risk"),
    ])
    func sentencesThatShareNoPhraseLandByTheExamples(text: String, theme: String) {
        let result = classifier.classify(text)
        #expect(result.theme == theme, "\(result.candidates)")
        #expect(result.candidates.first?.theme == theme)
        #expect(result.confidence == result.candidates.first?.confidence)
    }

    @Test func itSaysHowSureItIsAndWhatCameNext() {
        let sure = classifier.classify("way too expensive, we have no budget for this")
        #expect(sure.theme == "price")
        #expect(sure.confidence >= 0.9)
        // A sentence about two themes names the second as the runner-up.
        let torn = classifier.classify("the contract is fine but the price is too high")
        #expect(Set(torn.candidates.prefix(2).map(\.theme)) == ["price", "contract"], "\(torn.candidates)")
        #expect(torn.nearest.first == torn.candidates.dropFirst().first?.theme)
        #expect(torn.candidates.map(\.confidence) == torn.candidates.map(\.confidence).sorted(by: >))
        #expect(abs(torn.candidates.map(\.confidence).reduce(0, +) - 1) < 0.05)
    }

    @Test func aTyposWordIsReadAsTheWordItMisspells() {
        #expect(classifier.classify("no bugdet left").theme == "price")
        #expect(classifier.classify("the contarct lenght").theme == "contract")
    }

    /// The team's corrections teach it: an objection filed under `other` (no word of it is one the
    /// taxonomy uses), corrected by hand, and then five ways of saying the same thing.
    @Test func aCorrectionTeachesEveryLaterClassification() {
        let text = "the tariffs on Vietnamese shrimp"
        #expect(classifier.classify(text).theme == "other")
        let paraphrases = [
            "shrimp tariffs again", "those Vietnamese tariffs", "tariffs on our shrimp", "the shrimp tariff", "Vietnam shrimp, tariffs",
        ]
        let corrected = ThemeClassifier(themes: DefaultDefinition.load().themes, corrections: [.init(text: text, theme: "price")])
        #expect(corrected.classify(text).theme == "price")
        for paraphrase in paraphrases {
            #expect(classifier.classify(paraphrase).theme != "price", "before the correction: \(paraphrase)")
            #expect(corrected.classify(paraphrase).theme == "price", "\(paraphrase)")
        }
        // A correction under a theme the taxonomy no longer has teaches nothing.
        let stale = ThemeClassifier(themes: DefaultDefinition.load().themes, corrections: [.init(text: text, theme: "gone")])
        #expect(stale.classify(paraphrases[0]) == classifier.classify(paraphrases[0]))
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

@Suite struct NewThemesTests {
    func objection(_ text: String, _ id: Int64) -> Objection {
        Objection(id: id, text: text, theme: "other", loggedBy: "rep", at: Date(timeIntervalSince1970: 1_790_000_000 - Double(id)))
    }

    @Test func objectionsThatShareAWordAreGroupedUnderIt() {
        let said = [
            objection("tariffs eat our shrimp margin", 1), objection("shrimp tariffs again", 2), objection("The tariffs on Vietnamese shrimp", 3),
            objection("union reps block new tools", 4), objection("the union contract talks are not over", 5),
            objection("we are not sure", 6), objection("Vietnam shipping delays", 7),
        ]
        let (groups, alone) = NewThemes.group(said)
        #expect(groups.map(\.words) == [["shrimp", "tariffs"], ["union"]])
        #expect(groups.map(\.suggestedTheme) == ["shrimp", "union"])
        #expect(groups[0].objections.map(\.id) == [1, 2, 3], "in the order given: newest first")
        // "not" and "we" join nothing; "vietnamese" and "vietnam" are other words.
        #expect(alone.map(\.id) == [6, 7])
    }

    @Test func nothingSharedMakesNoGroup() {
        let (groups, alone) = NewThemes.group([objection("asdf qwerty", 1), objection("zxcv", 2)])
        #expect(groups.isEmpty)
        #expect(alone.count == 2)
        #expect(NewThemes.group([]).groups.isEmpty)
    }
}
