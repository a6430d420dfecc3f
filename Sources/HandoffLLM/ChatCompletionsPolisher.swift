import CHTTPPost
import Foundation
import HandoffCore
import HandoffPluginAPI

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
        default:
            let problem = withUnsafeBytes(of: result.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw Failure(message: "cannot reach \(description): \(problem)")
        }
        let data = result.body.map { Data(bytes: $0, count: result.body_length) } ?? Data()
        guard result.status == 200 else {
            let detail = String(decoding: data.prefix(200), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
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

    private static func post(url: String, headers: [String], body: Data, timeoutMilliseconds: Int) -> handoff_http_result {
        let lines = headers.map { strdup($0) }
        defer { lines.forEach { free($0) } }
        let pointers = lines.map { UnsafePointer<CChar>($0) }
        return pointers.withUnsafeBufferPointer { headerList in
            body.withUnsafeBytes { bytes in
                handoff_http_post(
                    url, headerList.baseAddress, Int32(headerList.count), bytes.baseAddress?.assumingMemoryBound(to: CChar.self),
                    bytes.count, timeoutMilliseconds)
            }
        }
    }
}
