import Foundation
import HandoffCore
import Testing

/// The regression `definition calibrate` learns points with: on data drawn from known weights, it
/// finds them again.
@Suite struct LogisticRegressionTests {
    @Test func itRecoversTheWeightsTheDataWasDrawnFrom() {
        // SplitMix64, seeded: the same data every run.
        var state: UInt64 = 2026
        func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        var rows: [[Double]] = []
        var converted: [Bool] = []
        for _ in 0..<40_000 {
            let row = [next() < 0.3 ? 1.0 : 0, next() < 0.5 ? 1.0 : 0, next() * 3]
            let odds = -1 + 2 * row[0] - 1 * row[1] + 0.5 * row[2]
            rows.append(row)
            converted.append(next() < 1 / (1 + exp(-odds)))
        }
        let model = LogisticRegression(rows: rows, converted: converted)
        #expect(abs(model.intercept - -1) < 0.1, "\(model.intercept)")
        #expect(abs(model.weights[0] - 2) < 0.1, "\(model.weights)")
        #expect(abs(model.weights[1] - -1) < 0.1, "\(model.weights)")
        #expect(abs(model.weights[2] - 0.5) < 0.05, "\(model.weights)")
        #expect(model.score([1, 0, 2]) == model.weights[0] + 2 * model.weights[2])
    }

    @Test func aFeatureNoLeadHasGetsNoWeight() {
        let rows = (0..<200).map { [Double($0 % 2), 0] }
        let model = LogisticRegression(rows: rows, converted: (0..<200).map { $0 % 4 == 0 })
        #expect(model.weights[1] == 0)
        #expect(model.weights[0] < 0, "only leads without the first feature converted")
    }
}
