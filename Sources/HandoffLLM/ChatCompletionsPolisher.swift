import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
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
        var request = URLRequest(url: root.appendingPathComponent("chat/completions"), timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        let body: [String: Any] = [
            "model": model, "temperature": 0,
            "messages": [["role": "system", "content": instruction], ["role": "user", "content": draft]],
        ]
        request.httpBody = try JSONSerialization.data(withJSONObject: body)

        let box = ResponseBox()
        let done = DispatchSemaphore(value: 0)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration)
        let task = session.dataTask(with: request) { data, response, error in
            box.set(data, response as? HTTPURLResponse, error)
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeout + 1) == .timedOut {
            task.cancel()
            throw Failure(message: "\(description) did not answer within \(Int(timeout)) s")
        }
        session.finishTasksAndInvalidate()
        let (data, response, error) = box.get()
        if let error {
            let timedOut = (error as? URLError)?.code == .timedOut
            throw Failure(message: timedOut ? "\(description) did not answer within \(Int(timeout)) s" : "cannot reach \(description): \(error.localizedDescription)")
        }
        guard let response, let data else { throw Failure(message: "\(description) gave no answer") }
        guard response.statusCode == 200 else {
            let detail = String(decoding: data.prefix(200), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            throw Failure(message: "\(description) answered HTTP \(response.statusCode)\(detail.isEmpty ? "" : ": \(detail)")")
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
}

/// Carries the response out of URLSession's callback.
private final class ResponseBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (Data?, HTTPURLResponse?, (any Error)?) = (nil, nil, nil)

    func set(_ data: Data?, _ response: HTTPURLResponse?, _ error: (any Error)?) {
        lock.withLock { value = (data, response, error) }
    }

    func get() -> (Data?, HTTPURLResponse?, (any Error)?) { lock.withLock { value } }
}
