import Foundation

/// Features counted under labels and read as log P(feature | label), with additive smoothing so
/// a feature a label never saw still has a small chance there: what both the objection themes'
/// model and the router's commands' model learn. Read-only once built, so threads can share it.
package struct NaiveBayes: Sendable {
    package struct Sample {
        package let features: [String]
        package let label: Int
        /// How much the sample counts (a correction counts more than an example).
        package let weight: Double

        package init(features: [String], label: Int, weight: Double) {
            self.features = features
            self.label = label
            self.weight = weight
        }
    }

    package let labelCount: Int
    /// A feature's id, by its name.
    private let features: [String: Int]
    /// log P(feature | label), feature by feature: `labelCount` values each.
    private let logLikelihoods: [Double]

    package init(samples: [Sample], labelCount: Int, smoothing: Double) {
        self.labelCount = labelCount
        var features: [String: Int] = [:]
        features.reserveCapacity(samples.count * 12)
        var counts: [Double] = []
        var totals = [Double](repeating: 0, count: labelCount)
        for sample in samples {
            for feature in sample.features {
                let id: Int
                if let known = features[feature] {
                    id = known
                } else {
                    id = features.count
                    features[feature] = id
                    counts.append(contentsOf: repeatElement(0, count: labelCount))
                }
                counts[id * labelCount + sample.label] += sample.weight
                totals[sample.label] += sample.weight
            }
        }
        let vocabulary = Double(features.count)
        logLikelihoods = counts.indices.map { index in
            let label = index % labelCount
            return log((counts[index] + smoothing) / (totals[label] + smoothing * vocabulary))
        }
        self.features = features
    }

    package func knows(_ feature: String) -> Bool { features[feature] != nil }

    /// Adds `weight` × log P(feature | label) to each label's score; false for a feature no
    /// sample had, which says nothing.
    @discardableResult
    package func add(_ feature: String, weight: Double, to scores: inout [Double]) -> Bool {
        guard let id = features[feature] else { return false }
        for label in 0..<labelCount { scores[label] += weight * logLikelihoods[id * labelCount + label] }
        return true
    }
}
