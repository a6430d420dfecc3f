import Foundation

/// A one-line progress bar on stderr for long work, redrawn at most ten times a second and only
/// on a terminal.
public final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var drawn = false
    private let width: Int

    public init(width: Int) { self.width = width }

    public func update(done: Int, total: Int, label: String) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 || done >= total else { return }
        lastDraw = now
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 0
        let barWidth = max(10, min(40, width - label.count - 12))
        let filled = Int(fraction * Double(barWidth))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled)
        Terminal.write("\r\(label) \(bar) \(Int(fraction * 100))%\u{1B}[K", to: 2)
        drawn = true
    }

    /// Clears the bar so the answer starts on a clean line.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { Terminal.write("\r\u{1B}[K", to: 2) }
        drawn = false
    }
}
