import Foundation
import HandoffCore

/// The folder a command writes its files into (`report week --out DIR`, `brief … --out DIR`):
/// made when it is missing, but only inside a folder that is there. A parent that is not there is
/// more likely a typo than a wish, as for `--db`, and files written far from where they were
/// meant would be lost from sight.
public enum OutputFolder {
    /// Refuses a path that is a file, or a missing folder whose parent is missing too; says what
    /// to do. Checked before anything is written or kept.
    public static func check(_ directory: String, for command: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder) {
            guard isFolder.boolValue else {
                throw UsageError("cannot write \(command) into \(directory): it is a file, not a folder", hint: "name a folder: `\(command) --out reports`")
            }
            return
        }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty, !(FileManager.default.fileExists(atPath: parent, isDirectory: &isFolder) && isFolder.boolValue) {
            throw UsageError(
                "there is no folder \(parent) to make \(directory) in",
                hint: "create it first (mkdir -p \(directory)), or name a folder that is there")
        }
    }

    /// Makes the folder if it is missing (its parent is there: `check` said so).
    public static func make(_ directory: String) throws {
        guard !FileManager.default.fileExists(atPath: directory) else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
    }
}
