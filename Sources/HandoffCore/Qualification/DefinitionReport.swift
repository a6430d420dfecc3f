/// How well the definition predicts conversion, over leads whose outcome is known: the measure
/// the whole hand-off is judged by.
public struct DefinitionReport: Sendable {
    /// One judged lead: its score for ranking, whether it was an MQL, whether it converted, and
    /// which fit criteria (by position in the definition) held.
    public struct Judged: Sendable {
        public var score: Double
        public var isMQL: Bool
        public var converted: Bool
        public var passed: CriterionSet
        /// Fit and engagement as a verdict shows them (to one decimal), and whether a rule
        /// disqualified the lead: where the fit × engagement grid places it.
        public var fit: Double
        public var engagement: Double
        public var disqualified: Bool
        /// Whether the verdict is sales-ready (SQL); `isMQL` holds for it too.
        public var salesReady: Bool

        public init(
            score: Double, isMQL: Bool, converted: Bool, passed: CriterionSet, fit: Double = 0, engagement: Double = 0, disqualified: Bool = false,
            salesReady: Bool = false
        ) {
            self.salesReady = salesReady
            self.score = score
            self.isMQL = isMQL
            self.converted = converted
            self.passed = passed
            self.fit = fit
            self.engagement = engagement
            self.disqualified = disqualified
        }
    }

    /// Disqualified leads rank below every scored one, whatever their points.
    public static let disqualifiedScore = -1_000_000.0

    public struct CriterionWeight: Sendable {
        public var criterion: Criterion
        public var passing: Int
        /// Conversion rate of the leads it holds for, and of the others.
        public var conversionWhenPassed: Double?
        public var conversionOtherwise: Double?

        /// The outcome (converted or not) that `oneOutcomeShare` or more of the leads it holds for
        /// had, when it holds for `oneOutcomeLeads` or more: marketing rarely knows anything that
        /// well before the first call, so such a criterion points at a field filled in after it.
        public var oneOutcome: (converted: Bool, share: Double)? {
            guard passing >= DefinitionReport.oneOutcomeLeads, let rate = conversionWhenPassed else { return nil }
            if rate >= DefinitionReport.oneOutcomeShare { return (true, rate) }
            if 1 - rate >= DefinitionReport.oneOutcomeShare { return (false, 1 - rate) }
            return nil
        }
    }

    /// A criterion "fires almost only for one outcome" when this share of at least this many leads
    /// had it. On X Education, three criteria of the old example (xed-1) on the sales notes and
    /// rating reach 97–98%; the best criteria marketing knows up front stay below 94% (a working
    /// professional 91.6%, the lead add form 92.5%, a referral 93.2%).
    public static let oneOutcomeShare = 0.95
    public static let oneOutcomeLeads = 30

    public var leads: Int
    public var converted: Int
    public var mqls: Int
    public var truePositives: Int
    public var precision: Double?
    public var recall: Double?
    public var baseRate: Double?
    public var lift: Double?
    public var mqlConversion: Double?
    public var nonMQLConversion: Double?
    public var auc: Double?
    public var weights: [CriterionWeight]
    /// Conversion by score band (about fifths of the leads, lowest first; see `bandCuts`).
    public var bands: [(label: String, leads: Int, conversion: Double)]

    private static func ratio(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }

    /// `judged` in the order the leads were listed (newest first): ties in score fall into bands in
    /// that order. Each figure is counted in one pass, and the leads are sorted by score once.
    public init(judged: [Judged], criteria: [Criterion]) {
        let ratio = Self.ratio
        var converted = 0, mqls = 0, truePositives = 0
        var passing = Array(repeating: 0, count: criteria.count)
        var passingConverted = Array(repeating: 0, count: criteria.count)
        for lead in judged {
            if lead.converted { converted += 1 }
            if lead.isMQL { mqls += 1 }
            if lead.isMQL && lead.converted { truePositives += 1 }
            for index in criteria.indices where lead.passed.contains(index) {
                passing[index] += 1
                if lead.converted { passingConverted[index] += 1 }
            }
        }
        leads = judged.count
        self.converted = converted
        self.mqls = mqls
        self.truePositives = truePositives
        let precision = ratio(truePositives, mqls)
        let baseRate = ratio(converted, leads)
        self.precision = precision
        self.baseRate = baseRate
        recall = ratio(truePositives, converted)
        if let precision, let baseRate, baseRate > 0 { lift = precision / baseRate } else { lift = nil }
        mqlConversion = precision
        nonMQLConversion = ratio(converted - truePositives, leads - mqls)
        let total = judged.count
        weights = criteria.indices.map { index in
            CriterionWeight(
                criterion: criteria[index], passing: passing[index],
                conversionWhenPassed: ratio(passingConverted[index], passing[index]),
                conversionOtherwise: ratio(converted - passingConverted[index], total - passing[index]))
        }.sorted { abs(($0.conversionWhenPassed ?? 0) - ($0.conversionOtherwise ?? 0)) * Double($0.passing) > abs(($1.conversionWhenPassed ?? 0) - ($1.conversionOtherwise ?? 0)) * Double($1.passing) }
        // Swift's sort is stable: equal scores keep the listing order in the ranks.
        let order = judged.indices.sorted { judged[$0].score < judged[$1].score }
        auc = Self.auc(judged, order: order)
        bands = Self.bandCuts(order.map { judged[$0].score }).compactMap { range in
            let slice = order[range]
            guard let low = slice.first.map({ judged[$0].score }), let high = slice.last.map({ judged[$0].score }) else { return nil }
            return (low == high ? low.clean(decimals: 1) : "\(low.clean(decimals: 1))–\(high.clean(decimals: 1))", slice.count,
                    Double(slice.filter { judged[$0].converted }.count) / Double(slice.count))
        }
    }

    /// About fifths of the leads, ascending by score, cut only where the score changes: leads with
    /// one score are one band (1,409 X Education leads at exactly 20 had been split across two
    /// bands that then read 60.9% and 86.3%). Each cut moves to the nearest change of score; a tie
    /// wider than a fifth leaves fewer bands.
    static func bandCuts(_ scores: [Double]) -> [Range<Int>] {
        let count = scores.count
        var cuts = [0]
        for band in 1..<5 {
            let nominal = count * band / 5
            var up = nominal, down = nominal
            while up < count, up > 0, scores[up] == scores[up - 1] { up += 1 }
            while down > 0, down < count, scores[down] == scores[down - 1] { down -= 1 }
            let cut = nominal - down <= up - nominal ? down : up
            if cut > cuts.last!, cut < count { cuts.append(cut) }
        }
        cuts.append(count)
        return zip(cuts, cuts.dropFirst()).map { $0..<$1 }.filter { !$0.isEmpty }
    }

    /// The area under the ROC curve: the chance a converter outranks a non-converter (ties count
    /// half), by the rank-sum formula with average ranks for ties.
    public static func auc(_ judged: [Judged]) -> Double? {
        auc(judged, order: judged.indices.sorted { judged[$0].score < judged[$1].score })
    }

    /// The same, given the leads' positions in ascending order of score.
    static func auc(_ judged: [Judged], order: [Int]) -> Double? {
        let positives = judged.filter(\.converted).count
        let negatives = judged.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        var rankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, judged[order[end + 1]].score == judged[order[start]].score { end += 1 }
            let averageRank = Double(start + end) / 2 + 1
            for position in start...end where judged[order[position]].converted { rankSum += averageRank }
            start = end + 1
        }
        return (rankSum - Double(positives) * Double(positives + 1) / 2) / (Double(positives) * Double(negatives))
    }
}
