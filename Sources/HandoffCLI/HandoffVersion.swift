/// The version `handoff --version` prints; raised with each release.
enum HandoffVersion {
    static let number = "0.15.0"
}
