import CHTTPPost
public import Foundation
import HandoffCore
public import HandoffPluginAPI

/// Polishes drafts through an OpenAI-compatible chat-completions endpoint: a local llama.cpp or
/// Ollama server, or a hosted one. The key is sent as a bearer token and never appears in a
/// message, a log or the history.
public struct ChatCompletionsPolisher: TextPolishing {
    /// The API root, e.g. `http://localhost:11434/v1`; requests go to `<root>/chat/completions`.
    public let root: URL
    public let model: String
    let key: String?
    public let timeout: TimeInterval

    public init(root: URL, model: String, key: String?, timeout: TimeInterval = 60) {
        self.root = root
        self.model = model
        self.key = key
        self.timeout = timeout
    }

    /// The endpoint configured by HANDOFF_LLM_URL, HANDOFF_LLM_MODEL, HANDOFF_LLM_KEY and
    /// HANDOFF_LLM_TIMEOUT (seconds), or nil when no URL is set.
    public static func fromEnvironment(_ environment: [String: String]) throws -> ChatCompletionsPolisher? {
        guard let text = environment["HANDOFF_LLM_URL"], !text.isEmpty else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw UsageError("HANDOFF_LLM_URL must be an http(s) URL such as http://localhost:11434/v1, not '\(text)'")
        }
        let timeout = environment["HANDOFF_LLM_TIMEOUT"].flatMap(Double.init) ?? 60
        return ChatCompletionsPolisher(
            root: url, model: environment["HANDOFF_LLM_MODEL"].flatMap { $0.isEmpty ? nil : $0 } ?? "llama3",
            key: environment["HANDOFF_LLM_KEY"].flatMap { $0.isEmpty ? nil : $0 }, timeout: timeout)
    }

    /// The endpoint without credentials, for messages.
    public var description: String {
        var components = URLComponents(url: root, resolvingAgainstBaseURL: false)
        components?.user = nil
        components?.password = nil
        components?.query = nil
        return "\(model) at \(components?.string ?? root.host ?? "the endpoint")"
    }

    struct Failure: HandoffError {
        let message: String
        var code: String { "polish_failed" }
    }

    /// The longest answer read: a polished brief is a few pages, and an endpoint that answers
    /// without end would otherwise be read whole into memory and stored.
    static let answerLimit = 256 << 10
    /// The most of an endpoint's error shown to the user.
    static let detailLimit = 200

    public func polish(_ draft: String, instruction: String) throws -> String {
        let url = root.appendingPathComponent("chat/completions").absoluteString
        var headers = ["Content-Type: application/json"]
        if let key { headers.append("Authorization: Bearer \(key)") }
        let body: [String: Any] = [
            "model": model, "temperature": 0,
            "messages": [["role": "system", "content": instruction], ["role": "user", "content": draft]],
        ]
        let json = try JSONSerialization.data(withJSONObject: body)

        // Through libcurl, loaded on first use (see CHTTPPost): linking it, or FoundationNetworking,
        // made every start-up load some thirty libraries for a feature few commands use.
        var result = Self.post(url: url, headers: headers, body: json, timeoutMilliseconds: Int(timeout * 1000))
        defer { handoff_http_free(&result) }
        switch Int(result.error) {
        case 0: break
        case Int(HANDOFF_HTTP_TIMED_OUT): throw Failure(message: "\(description) did not answer within \(Int(timeout)) s")
        case Int(HANDOFF_HTTP_TOO_LONG):
            throw Failure(message: "\(description) answered more than \(Self.answerLimit) bytes, far more than a brief, so the answer was not read")
        default:
            let problem = withUnsafeBytes(of: result.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw Failure(message: "cannot reach \(description): \(problem)")
        }
        let data = result.body.map { Data(bytes: $0, count: result.body_length) } ?? Data()
        guard result.status == 200 else {
            let detail = Self.detail(ofError: data, key: key)
            throw Failure(message: "\(description) answered HTTP \(result.status)\(detail.isEmpty ? "" : ": \(detail)")")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let choices = object["choices"] as? [[String: Any]],
              let message = choices.first?["message"] as? [String: Any],
              let content = message["content"] as? String,
              !content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw Failure(message: "\(description) answered something that is not a chat completion")
        }
        return content.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What an endpoint's error answer says, fit to show: its `error.message` when it is OpenAI's
    /// JSON, else the text; on one line, without control characters, shortened, and with anything
    /// that looks like a key masked (endpoints echo the header back: "Incorrect API key provided:
    /// Bearer sk-…"), since the message lands in terminals, logs and scripts' output.
    static func detail(ofError data: Data, key: String?) -> String {
        var text = String(decoding: data.prefix(answerLimit), as: UTF8.self)
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String {
                text = message
            } else if let message = (object["error"] as? String) ?? (object["message"] as? String) {
                text = message
            }
        }
        // Control characters go first, so that none can split a key and hide it from the masks.
        let scalars = text.unicodeScalars.compactMap { scalar -> Unicode.Scalar? in
            guard CharacterSet.controlCharacters.contains(scalar) else { return scalar }
            return scalar == "\n" || scalar == "\t" || scalar == "\r" ? " " : nil
        }
        var line = String(String.UnicodeScalarView(scalars)).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        if let key, !key.isEmpty { line = line.replacingOccurrences(of: key, with: "***") }
        line = line.replacing(/(?i)\bbearer\s+[^\s"',;]+/, with: "Bearer ***")
        line = line.replacing(/\bsk-[A-Za-z0-9_\-*]+/, with: "sk-***")
        guard line.count > detailLimit else { return line }
        return String(line.prefix(detailLimit - 1)) + "…"
    }

    private static func post(url: String, headers: [String], body: Data, timeoutMilliseconds: Int) -> handoff_http_result {
        let lines = headers.map { strdup($0) }
        defer { lines.forEach { free($0) } }
        let pointers = lines.map { UnsafePointer<CChar>($0) }
        return pointers.withUnsafeBufferPointer { headerList in
            body.withUnsafeBytes { bytes in
                handoff_http_post(
                    url, headerList.baseAddress, Int32(headerList.count), bytes.baseAddress?.assumingMemoryBound(to: CChar.self),
                    bytes.count, timeoutMilliseconds, answerLimit)
            }
        }
    }
}
