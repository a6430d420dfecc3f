/// Where the fit × engagement grid cuts, as HubSpot's lead scoring shows it: fit graded A (best),
/// B or C, engagement 1 (most engaged), 2 or 3. A lead's fit and engagement points (each as a
/// verdict shows them, to one decimal) fall in a band at or above its cut.
public struct GridBands: Sendable, Hashable {
    public var fitA: Double
    public var fitB: Double
    public var engagement1: Double
    public var engagement2: Double
    /// True when the definition wrote them (`grid:`); false when they are the thirds below.
    public var agreed: Bool

    public init(fitA: Double, fitB: Double, engagement1: Double, engagement2: Double, agreed: Bool) {
        self.fitA = fitA
        self.fitB = fitB
        self.engagement1 = engagement1
        self.engagement2 = engagement2
        self.agreed = agreed
    }

    public static let fitGrades = ["A", "B", "C"]
    public static let engagementGrades = ["1", "2", "3"]

    /// 0 for A, 1 for B, 2 for C.
    public func fitGrade(_ fit: Double) -> Int { fit >= fitA ? 0 : fit >= fitB ? 1 : 2 }
    /// 0 for 1, 1 for 2, 2 for 3.
    public func engagementGrade(_ engagement: Double) -> Int { engagement >= engagement1 ? 0 : engagement >= engagement2 ? 1 : 2 }

    /// The bands a definition without `grid:` gets: two thirds and one third of the most fit points
    /// it can give (every positive criterion at once) and of the most engagement it counts (its cap,
    /// or the kinds' caps added up when that is less, a kind without a cap counting its points
    /// once), to one decimal.
    public static func thirds(fit: [Criterion], engagement: EngagementRules) -> GridBands {
        let mostFit = fit.reduce(0) { $0 + max($1.points, 0) }
        let kinds = engagement.kinds.values.reduce(0) { $0 + max($1.cap ?? $1.points, 0) }
        let mostEngagement = min(engagement.cap, kinds)
        // A definition that gives no fit points (or scores no engagement) has no bands to cut: every
        // lead is graded C (or 3), and the cuts are infinite.
        func third(_ value: Double, _ parts: Double) -> Double { value > 0 ? (value * parts / 3 * 10).rounded() / 10 : .infinity }
        return GridBands(
            fitA: third(mostFit, 2), fitB: third(mostFit, 1), engagement1: third(mostEngagement, 2), engagement2: third(mostEngagement, 1),
            agreed: false)
    }
}
