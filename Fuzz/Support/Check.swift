/// Stops the run with `message` when `condition` does not hold (`precondition` would stop it
/// without a word in an optimised build).
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError(message()) }
}
