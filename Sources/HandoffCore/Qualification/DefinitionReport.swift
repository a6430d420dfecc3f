/// How well the definition predicts conversion, over leads whose outcome is known: the measure
/// the whole hand-off is judged by.
public struct DefinitionReport: Sendable {
    /// One judged lead: its verdict, its score for ranking, and whether it converted.
    public struct Judged: Sendable {
        public var score: Double
        public var isMQL: Bool
        public var converted: Bool
        public var passed: Set<String>

        public init(score: Double, isMQL: Bool, converted: Bool, passed: Set<String>) {
            self.score = score
            self.isMQL = isMQL
            self.converted = converted
            self.passed = passed
        }
    }

    public struct CriterionWeight: Sendable {
        public var criterion: Criterion
        public var passing: Int
        /// Conversion rate of the leads it holds for, and of the others.
        public var conversionWhenPassed: Double?
        public var conversionOtherwise: Double?
    }

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
    /// Conversion by score band (fifths of the leads, lowest first).
    public var bands: [(label: String, leads: Int, conversion: Double)]

    private static func ratio(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }

    public init(judged: [Judged], criteria: [Criterion]) {
        let ratio = Self.ratio
        leads = judged.count
        converted = judged.filter(\.converted).count
        mqls = judged.filter(\.isMQL).count
        truePositives = judged.filter { $0.isMQL && $0.converted }.count
        let precision = ratio(truePositives, mqls)
        let baseRate = ratio(converted, leads)
        self.precision = precision
        self.baseRate = baseRate
        recall = ratio(truePositives, converted)
        if let precision, let baseRate, baseRate > 0 { lift = precision / baseRate } else { lift = nil }
        mqlConversion = precision
        nonMQLConversion = ratio(converted - truePositives, leads - mqls)
        auc = Self.auc(judged)
        weights = criteria.map { criterion in
            let passing = judged.filter { $0.passed.contains(criterion.id) }
            let others = judged.filter { !$0.passed.contains(criterion.id) }
            return CriterionWeight(
                criterion: criterion, passing: passing.count,
                conversionWhenPassed: ratio(passing.filter(\.converted).count, passing.count),
                conversionOtherwise: ratio(others.filter(\.converted).count, others.count))
        }.sorted { abs(($0.conversionWhenPassed ?? 0) - ($0.conversionOtherwise ?? 0)) * Double($0.passing) > abs(($1.conversionWhenPassed ?? 0) - ($1.conversionOtherwise ?? 0)) * Double($1.passing) }
        let sorted = judged.sorted { $0.score < $1.score }
        bands = (0..<5).compactMap { band in
            let slice = sorted[(sorted.count * band / 5)..<(sorted.count * (band + 1) / 5)]
            guard let low = slice.first?.score, let high = slice.last?.score else { return nil }
            return ("\(low.clean(decimals: 1))–\(high.clean(decimals: 1))", slice.count, Double(slice.filter(\.converted).count) / Double(slice.count))
        }
    }

    /// The area under the ROC curve: the chance a converter outranks a non-converter (ties count
    /// half), by the rank-sum formula with average ranks for ties.
    public static func auc(_ judged: [Judged]) -> Double? {
        let positives = judged.filter(\.converted).count
        let negatives = judged.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let order = judged.indices.sorted { judged[$0].score < judged[$1].score }
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
