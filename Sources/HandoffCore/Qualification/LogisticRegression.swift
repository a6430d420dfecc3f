import Foundation

/// L2-regularised logistic regression, fitted by Newton's method: the chance a lead converts as
/// `1 / (1 + e^-(b + Σ wᵢ xᵢ))`. What `definition calibrate` learns points from: each weight is how
/// much a feature moves the odds of converting, the others held fixed. The intercept is not
/// penalised; the weights are, by `penalty` (a prior that each is near 0), so a feature few leads
/// have cannot take an extreme weight from them alone.
public struct LogisticRegression: Sendable {
    public var intercept: Double
    public var weights: [Double]

    /// `rows[i]` holds lead i's features, `converted[i]` its outcome.
    public init(rows: [[Double]], converted: [Bool], penalty: Double = 1, iterations: Int = 25) {
        let features = rows.first?.count ?? 0
        var beta = Array(repeating: 0.0, count: features + 1)  // beta[0]: the intercept
        let rate = Double(converted.filter { $0 }.count) / Double(max(converted.count, 1))
        beta[0] = log(max(rate, 1e-6) / max(1 - rate, 1e-6))
        for _ in 0..<iterations {
            var gradient = Array(repeating: 0.0, count: features + 1)
            var hessian = Array(repeating: Array(repeating: 0.0, count: features + 1), count: features + 1)
            for (row, outcome) in zip(rows, converted) {
                let p = Self.chance(beta, row)
                let residual = (outcome ? 1 : 0) - p
                let weight = max(p * (1 - p), 1e-9)
                gradient[0] += residual
                hessian[0][0] += weight
                for j in 0..<features where row[j] != 0 {
                    gradient[j + 1] += residual * row[j]
                    hessian[0][j + 1] += weight * row[j]
                    for k in j..<features where row[k] != 0 { hessian[j + 1][k + 1] += weight * row[j] * row[k] }
                }
            }
            for j in 1...max(features, 1) where j <= features {
                gradient[j] -= penalty * beta[j]
                hessian[j][j] += penalty
            }
            for j in 0...features { for k in 0..<j { hessian[j][k] = hessian[k][j] } }
            guard let step = Self.solve(hessian, gradient) else { break }
            var largest = 0.0
            for j in beta.indices {
                beta[j] += step[j]
                largest = max(largest, abs(step[j]))
            }
            if largest < 1e-7 { break }
        }
        intercept = beta[0]
        weights = Array(beta.dropFirst())
    }

    /// The log-odds of converting for `row`, without the intercept: what the points add up to.
    public func score(_ row: [Double]) -> Double { zip(weights, row).reduce(0) { $0 + $1.0 * $1.1 } }

    private static func chance(_ beta: [Double], _ row: [Double]) -> Double {
        var z = beta[0]
        for j in row.indices where row[j] != 0 { z += beta[j + 1] * row[j] }
        return 1 / (1 + exp(-z))
    }

    /// Solves `a x = b` by Gaussian elimination with partial pivoting; nil when `a` is singular.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        var m = a
        var x = b
        let n = b.count
        for column in 0..<n {
            guard let pivot = (column..<n).max(by: { abs(m[$0][column]) < abs(m[$1][column]) }), abs(m[pivot][column]) > 1e-12 else { return nil }
            m.swapAt(column, pivot)
            x.swapAt(column, pivot)
            for row in (column + 1)..<max(n, column + 1) {
                let factor = m[row][column] / m[column][column]
                guard factor != 0 else { continue }
                for k in column..<n { m[row][k] -= factor * m[column][k] }
                x[row] -= factor * x[column]
            }
        }
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = x[row]
            for k in (row + 1)..<max(n, row + 1) { sum -= m[row][k] * x[k] }
            x[row] = sum / m[row][row]
        }
        return x
    }
}
