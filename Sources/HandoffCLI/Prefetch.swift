import Foundation

/// Work started on its own thread now, its result waited for when needed: lets start-up read and
/// parse the definition (YAML, a millisecond or more) while the main thread opens the store.
final class Prefetch<Value: Sendable>: @unchecked Sendable {
    private var result: Value?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () -> Value) {
        let thread = Thread { [self] in
            result = work()
            done.signal()
        }
        thread.start()
    }

    /// Waits for the work to finish; call it once.
    func value() -> Value {
        done.wait()
        return result!
    }
}
